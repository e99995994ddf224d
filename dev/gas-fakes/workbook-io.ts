// Test and preview helpers on the workbook: what a person types, cheap reads (no stats), and JSON
// save/load. Everything here bypasses the per-runtime facades, so nothing is counted.
import { boxToA1, parseA1, resolveA1 } from './a1';
import { displayBlock, readBlock, writeBlock } from './cells';
import type { StoredValue } from './coercion';
import type {
  Cell,
  DimProps,
  FakeSheet,
  FakeSpreadsheet,
  MetaLocation,
  Validation,
  Visibility,
} from './model';
import { DEFAULT_NUMBER_FORMAT } from './numfmt';

export type CellRef = string | [number, number];

function resolveCell(sheet: FakeSheet, ref: CellRef): { row: number; col: number } {
  if (Array.isArray(ref)) return { row: ref[0], col: ref[1] };
  const a1 = parseA1(ref);
  if (!a1) throw new Error(`Bad A1 reference: ${ref}`);
  const box = resolveA1(a1, sheet.maxRows, sheet.maxCols);
  return { row: box.row, col: box.col };
}

/** A person typing `value` into a cell (same parsing as a script write; strict validation rejects). */
export function userEdit(
  book: FakeSpreadsheet,
  sheetName: string,
  ref: CellRef,
  value: unknown,
  nowMs: number,
): void {
  const sheet = book.requireSheet(sheetName);
  const { row, col } = resolveCell(sheet, ref);
  if (row < 1 || col < 1 || row > sheet.maxRows || col > sheet.maxCols) {
    throw new Error(
      `userEdit: ${sheetName}!${boxToA1({ row, col, numRows: 1, numCols: 1 })} is outside the sheet`,
    );
  }
  writeBlock(sheet, row, col, [[value]], {
    timeZone: book.timeZone,
    nowMs,
    fail: (m) => new Error(m),
  });
}

/** Values of a block (whole data range when a1 is omitted), Dates for date cells. */
export function readRange(
  book: FakeSpreadsheet,
  sheetName: string,
  a1?: string,
): Array<Array<StoredValue | Date>> {
  const sheet = book.requireSheet(sheetName);
  if (a1 === undefined) {
    const rows = sheet.lastRow();
    const cols = sheet.lastColumn();
    return rows && cols ? readBlock(sheet, 1, 1, rows, cols, Date) : [];
  }
  const parsed = parseA1(a1);
  if (!parsed) throw new Error(`Bad A1 reference: ${a1}`);
  const box = resolveA1(parsed, sheet.maxRows, sheet.maxCols);
  return readBlock(sheet, box.row, box.col, box.numRows, box.numCols, Date);
}

export function displayRange(book: FakeSpreadsheet, sheetName: string): string[][] {
  const sheet = book.requireSheet(sheetName);
  const rows = sheet.lastRow();
  const cols = sheet.lastColumn();
  return rows && cols ? displayBlock(sheet, 1, 1, rows, cols) : [];
}

export interface CellInfo {
  value: StoredValue | Date;
  display: string;
  formula: string;
  numberFormat: string;
  background: string;
  fontColor: string;
  fontWeight: string;
  fontStyle: string;
  note: string;
  validation: Validation | null;
}

export function cellInfo(book: FakeSpreadsheet, sheetName: string, ref: CellRef): CellInfo {
  const sheet = book.requireSheet(sheetName);
  const { row, col } = resolveCell(sheet, ref);
  const c: Cell = sheet.cell(row, col) ?? {};
  return {
    value: readBlock(sheet, row, col, 1, 1, Date)[0][0],
    display: displayBlock(sheet, row, col, 1, 1)[0][0],
    formula: c.f ?? '',
    numberFormat: c.fmt ?? DEFAULT_NUMBER_FORMAT,
    background: c.bg ?? '#ffffff',
    fontColor: c.fc ?? '#000000',
    fontWeight: c.fw ?? 'normal',
    fontStyle: c.fs ?? 'normal',
    note: c.note ?? '',
    validation: c.dv ?? null,
  };
}

// ---- JSON ------------------------------------------------------------------------------------------

export interface WorkbookJSON {
  version: 1;
  id: string;
  name: string;
  timeZone: string;
  counters: { nextSheetId: number; nextMetadataId: number; nextProtectionId: number };
  sheets: Array<{
    name: string;
    sheetId: number;
    maxRows: number;
    maxCols: number;
    frozenRows: number;
    frozenCols: number;
    hidden: boolean;
    tabColor: string | null;
    rowDims: Array<[number, DimProps]>;
    colDims: Array<[number, DimProps]>;
    /** [row, col, cell], 1-based; date cells hold serial numbers. */
    cells: Array<[number, number, Cell]>;
  }>;
  metadata: Array<{
    id: number;
    key: string;
    value: string | null;
    visibility: Visibility;
    loc: { type: MetaLocation['type']; sheetId?: number; start?: number; end?: number };
  }>;
  protections: Array<{
    id: number;
    type: 'SHEET' | 'RANGE';
    sheetId: number;
    rows: [number, number];
    cols: [number, number];
    description: string;
    warningOnly: boolean;
    editors: string[];
    domainEdit: boolean;
  }>;
  documentProperties: Record<string, string>;
  scriptProperties: Record<string, string>;
}

function dimsToJSON(dims: Array<DimProps | undefined>): Array<[number, DimProps]> {
  const out: Array<[number, DimProps]> = [];
  dims.forEach((d, i) => {
    if (d && (d.hidden || d.size !== undefined)) out.push([i + 1, { ...d }]);
  });
  return out;
}

export function workbookToJSON(book: FakeSpreadsheet): WorkbookJSON {
  return {
    version: 1,
    id: book.id,
    name: book.name,
    timeZone: book.timeZone,
    counters: {
      nextSheetId: book.nextSheetId,
      nextMetadataId: book.nextMetadataId,
      nextProtectionId: book.nextProtectionId,
    },
    sheets: book.sheets.map((s) => {
      const cells: Array<[number, number, Cell]> = [];
      s.rows.forEach((row, r) => {
        row?.forEach((cell, c) => {
          if (cell && Object.keys(cell).length) cells.push([r + 1, c + 1, { ...cell }]);
        });
      });
      return {
        name: s.name,
        sheetId: s.sheetId,
        maxRows: s.maxRows,
        maxCols: s.maxCols,
        frozenRows: s.frozenRows,
        frozenCols: s.frozenCols,
        hidden: s.hidden,
        tabColor: s.tabColor,
        rowDims: dimsToJSON(s.rowDims),
        colDims: dimsToJSON(s.colDims),
        cells,
      };
    }),
    metadata: book.metadata.map((m) => ({
      id: m.id,
      key: m.key,
      value: m.value,
      visibility: m.visibility,
      loc:
        m.loc.type === 'SPREADSHEET'
          ? { type: 'SPREADSHEET' }
          : m.loc.type === 'SHEET'
            ? { type: 'SHEET', sheetId: m.loc.sheet.sheetId }
            : { type: m.loc.type, sheetId: m.loc.sheet.sheetId, start: m.loc.start, end: m.loc.end },
    })),
    protections: book.protections.map((p) => ({
      id: p.id,
      type: p.type,
      sheetId: p.sheet.sheetId,
      rows: p.rows,
      cols: p.cols,
      description: p.description,
      warningOnly: p.warningOnly,
      editors: p.editors.slice(),
      domainEdit: p.domainEdit,
    })),
    documentProperties: book.documentProperties.toObject(),
    scriptProperties: book.scriptProperties.toObject(),
  };
}

/** Fills an empty workbook (no sheets) from JSON. */
export function restoreWorkbook(book: FakeSpreadsheet, json: WorkbookJSON): void {
  if (json.version !== 1) throw new Error(`Unsupported workbook JSON version ${String(json.version)}`);
  book.id = json.id;
  book.name = json.name;
  book.timeZone = json.timeZone;
  for (const js of json.sheets) {
    const s = book.addSheet(js.name, book.sheets.length, js.maxRows, js.maxCols, js.sheetId);
    s.frozenRows = js.frozenRows;
    s.frozenCols = js.frozenCols;
    s.hidden = js.hidden;
    s.tabColor = js.tabColor;
    for (const [i, d] of js.rowDims) s.rowDims[i - 1] = { ...d };
    for (const [i, d] of js.colDims) s.colDims[i - 1] = { ...d };
    for (const [r, c, cell] of js.cells) Object.assign(s.cellForWrite(r, c), cell);
  }
  const byId = (id: number | undefined): FakeSheet => {
    const s = id === undefined ? undefined : book.sheetById(id);
    if (!s) throw new Error(`Workbook JSON refers to a missing sheet id ${String(id)}`);
    return s;
  };
  book.metadata = json.metadata.map((m) => {
    let loc: MetaLocation;
    if (m.loc.type === 'SPREADSHEET') loc = { type: 'SPREADSHEET' };
    else if (m.loc.type === 'SHEET') loc = { type: 'SHEET', sheet: byId(m.loc.sheetId) };
    else loc = { type: m.loc.type, sheet: byId(m.loc.sheetId), start: m.loc.start ?? 0, end: m.loc.end ?? 1 };
    return { id: m.id, key: m.key, value: m.value, visibility: m.visibility, loc };
  });
  book.protections = json.protections.map((p) => ({
    ...p,
    sheet: byId(p.sheetId),
    editors: p.editors.slice(),
  }));
  book.nextSheetId = json.counters.nextSheetId;
  book.nextMetadataId = json.counters.nextMetadataId;
  book.nextProtectionId = json.counters.nextProtectionId;
  book.documentProperties.clear();
  for (const [k, v] of Object.entries(json.documentProperties ?? {})) book.documentProperties.set(k, v);
  book.scriptProperties.clear();
  for (const [k, v] of Object.entries(json.scriptProperties ?? {})) book.scriptProperties.set(k, v);
}
