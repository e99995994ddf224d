// The in-memory workbook: sheets of sparse cells, row/column properties, developer metadata and
// protections. It knows nothing about runtimes or call counting: the facades in spreadsheet.ts and
// range.ts (one set per runtime/user) validate arguments like Apps Script and then call in here.
// Positions in this file are 1-based like Apps Script unless a name says "0".
import { parseA1, resolveA1 } from './a1';
import { isValidTimeZone } from './dates';
import { colleagueProtects } from './protection';
import type { StoredValue } from './coercion';
import { FakePropertiesStore } from './properties';
import {
  type CellInfo,
  type CellRef,
  cellInfo,
  displayRange,
  readRange,
  restoreWorkbook,
  userEdit,
  type WorkbookJSON,
  workbookToJSON,
} from './workbook-io';

export interface Validation {
  criteria: string; // 'VALUE_IN_LIST' | 'CHECKBOX' | 'VALUE_IN_RANGE' | ...
  values: unknown[];
  allowInvalid: boolean;
  helpText: string | null;
}

export interface Cell {
  v?: StoredValue;
  f?: string;
  fmt?: string;
  bg?: string;
  fc?: string;
  fw?: string;
  fs?: string;
  ff?: string;
  fz?: number;
  ha?: string;
  wrap?: boolean;
  note?: string;
  dv?: Validation;
}

/** Cell properties that are "formatting" (copied into inserted rows, cleared by clearFormat). */
export const FORMAT_KEYS = ['fmt', 'bg', 'fc', 'fw', 'fs', 'ff', 'fz', 'ha', 'wrap'] as const;

export interface DimProps {
  hidden?: boolean;
  size?: number;
}

export type Axis = 'ROW' | 'COLUMN';
export type Visibility = 'DOCUMENT' | 'PROJECT';

export type MetaLocation =
  | { type: 'SPREADSHEET' }
  | { type: 'SHEET'; sheet: FakeSheet }
  | { type: Axis; sheet: FakeSheet; start: number; end: number }; // 0-based, end exclusive

export interface MetaRecord {
  id: number;
  key: string;
  value: string | null;
  visibility: Visibility;
  loc: MetaLocation;
}

export interface ProtectionRecord {
  id: number;
  type: 'SHEET' | 'RANGE';
  sheet: FakeSheet;
  /** 0-based half-open spans of a RANGE protection. */
  rows: [number, number];
  cols: [number, number];
  description: string;
  warningOnly: boolean;
  editors: string[];
  domainEdit: boolean;
}

/** A merge of cells (merges.ts): 0-based half-open spans, following rows and columns like a protection. */
export interface MergeRecord {
  rows: [number, number];
  cols: [number, number];
}

/** A sheet's merges, copied (a duplicated sheet or a copied spreadsheet gets its own). */
function cloneMerges(merges: MergeRecord[]): MergeRecord[] {
  return merges.map((m) => ({ rows: [m.rows[0], m.rows[1]], cols: [m.cols[0], m.cols[1]] }));
}

export const MAX_WORKBOOK_CELLS = 10_000_000;
export const MAX_COLUMNS = 18_278;
export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLUMNS = 26;
const CELL_LIMIT_MESSAGE = `This action would increase the number of cells in the workbook above the limit of ${MAX_WORKBOOK_CELLS} cells.`;

// ---- sparse array helpers ------------------------------------------------------------------------

function insertHoles<T>(arr: T[], index0: number, count: number): void {
  if (index0 >= arr.length) return;
  const tail = arr.splice(index0);
  arr.length = index0 + count;
  for (let i = 0; i < tail.length; i++) if (i in tail) arr[index0 + count + i] = tail[i];
}

function deleteRange<T>(arr: T[], index0: number, count: number): void {
  if (index0 >= arr.length) return;
  arr.splice(index0, count);
}

/** Where index i (0-based) ends up when block [start, start+n) moves before index dest (pre-move). */
export function movedIndex(i: number, start: number, n: number, dest: number): number {
  const newStart = dest > start ? dest - n : dest;
  if (i >= start && i < start + n) return newStart + (i - start);
  let j = i >= start + n ? i - n : i;
  if (j >= newStart) j += n;
  return j;
}

function moveBlock<T>(arr: T[], start: number, n: number, dest: number): void {
  const len = Math.max(arr.length, start + n, dest);
  const copy: T[] = [];
  copy.length = len;
  for (let i = 0; i < arr.length; i++) if (i in arr) copy[movedIndex(i, start, n, dest)] = arr[i];
  arr.length = 0;
  for (let i = 0; i < copy.length; i++) if (i in copy) arr[i] = copy[i];
}

/** A span [s, e) after inserting n at index at. Inserting inside the span grows it. */
function spanAfterInsert(span: [number, number], at: number, n: number): [number, number] {
  const [s, e] = span;
  if (at <= s) return [s + n, e + n];
  if (at < e) return [s, e + n];
  return [s, e];
}

/** A span after deleting [at, at+n); null when nothing of it is left. */
function spanAfterDelete(span: [number, number], at: number, n: number): [number, number] | null {
  const [s, e] = span;
  const keep = (i: number): number => (i < at ? i : i >= at + n ? i - n : -1);
  const left: number[] = [];
  for (let i = s; i < e; i++) {
    const k = keep(i);
    if (k >= 0) left.push(k);
  }
  return left.length ? [left[0], left[left.length - 1] + 1] : null;
}

function spanAfterMove(span: [number, number], start: number, n: number, dest: number): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = -1;
  for (let i = span[0]; i < span[1]; i++) {
    const j = movedIndex(i, start, n, dest);
    lo = Math.min(lo, j);
    hi = Math.max(hi, j);
  }
  return [lo, hi + 1];
}

// ---- sort order of Sheets: numbers < text < booleans, blanks always last ---------------------------

function sortClass(v: StoredValue | undefined): number {
  if (v === undefined || v === '') return 9;
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  return 2;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: false });

function compareValues(a: StoredValue | undefined, b: StoredValue | undefined, ascending: boolean): number {
  const ca = sortClass(a);
  const cb = sortClass(b);
  if (ca === 9 || cb === 9) return ca - cb;
  let r: number;
  if (ca !== cb) r = ca - cb;
  else if (ca === 0) r = (a as number) - (b as number);
  else if (ca === 1) r = collator.compare(a as string, b as string);
  else r = Number(a) - Number(b);
  return ascending ? r : -r;
}

// ---- sheet ---------------------------------------------------------------------------------------

export class FakeSheet {
  name: string;
  readonly sheetId: number;
  maxRows: number;
  maxCols: number;
  frozenRows = 0;
  frozenCols = 0;
  hidden = false;
  tabColor: string | null = null;
  /** rows[r-1][c-1]; sparse. */
  rows: Array<Array<Cell | undefined> | undefined> = [];
  rowDims: Array<DimProps | undefined> = [];
  colDims: Array<DimProps | undefined> = [];
  merges: MergeRecord[] = [];

  constructor(
    readonly book: FakeSpreadsheet,
    name: string,
    sheetId: number,
    maxRows = DEFAULT_ROWS,
    maxCols = DEFAULT_COLUMNS,
  ) {
    this.name = name;
    this.sheetId = sheetId;
    this.maxRows = maxRows;
    this.maxCols = maxCols;
  }

  cell(row: number, col: number): Cell | undefined {
    return this.rows[row - 1]?.[col - 1];
  }

  cellForWrite(row: number, col: number): Cell {
    let r = this.rows[row - 1];
    if (!r) {
      r = [];
      this.rows[row - 1] = r;
    }
    let c = r[col - 1];
    if (!c) {
      c = {};
      r[col - 1] = c;
    }
    return c;
  }

  /** Last row holding a value or formula (0 when none). */
  lastRow(): number {
    for (let r = this.rows.length - 1; r >= 0; r--) {
      const row = this.rows[r];
      if (row?.some((c) => c !== undefined && c.v !== undefined)) return r + 1;
    }
    return 0;
  }

  lastColumn(): number {
    let last = 0;
    for (const row of this.rows) {
      if (!row) continue;
      for (let c = row.length - 1; c >= last; c--) {
        if (row[c]?.v !== undefined) {
          last = c + 1;
          break;
        }
      }
    }
    return last;
  }

  dim(axis: Axis): Array<DimProps | undefined> {
    return axis === 'ROW' ? this.rowDims : this.colDims;
  }

  dimForWrite(axis: Axis, index: number): DimProps {
    const arr = this.dim(axis);
    let d = arr[index - 1];
    if (!d) {
      d = {};
      arr[index - 1] = d;
    }
    return d;
  }

  // -- structure -----------------------------------------------------------------------------------

  /** Inserts n rows so the first new row is `at`; they copy the formatting of row `inheritFrom`. */
  insertRows(at: number, n: number, inheritFrom: number | null): void {
    this.book.checkGrowth(n * this.maxCols);
    const source = inheritFrom !== null ? this.rows[inheritFrom - 1] : undefined;
    insertHoles(this.rows, at - 1, n);
    insertHoles(this.rowDims, at - 1, n);
    this.maxRows += n;
    if (at <= this.frozenRows) this.frozenRows += n;
    if (source) {
      for (let i = 0; i < n; i++) {
        const row: Array<Cell | undefined> = [];
        source.forEach((cell, c) => {
          const copy = formatOnly(cell);
          if (copy) row[c] = copy;
        });
        this.rows[at - 1 + i] = row;
      }
    }
    this.book.afterInsert(this, 'ROW', at - 1, n);
  }

  insertColumns(at: number, n: number, inheritFrom: number | null): void {
    this.book.checkGrowth(n * this.maxRows);
    if (this.maxCols + n > MAX_COLUMNS) {
      throw new Error(
        `This action would increase the number of columns in the sheet above the limit of ${MAX_COLUMNS}.`,
      );
    }
    for (const row of this.rows) {
      if (!row) continue;
      const source = inheritFrom !== null ? row[inheritFrom - 1] : undefined;
      insertHoles(row, at - 1, n);
      const copy = formatOnly(source);
      if (copy) for (let i = 0; i < n; i++) row[at - 1 + i] = { ...copy };
    }
    insertHoles(this.colDims, at - 1, n);
    this.maxCols += n;
    if (at <= this.frozenCols) this.frozenCols += n;
    this.book.afterInsert(this, 'COLUMN', at - 1, n);
  }

  deleteRows(start: number, n: number): void {
    deleteRange(this.rows, start - 1, n);
    deleteRange(this.rowDims, start - 1, n);
    this.maxRows -= n;
    this.frozenRows = Math.max(0, this.frozenRows - overlap(start, n, 1, this.frozenRows));
    this.book.afterDelete(this, 'ROW', start - 1, n);
  }

  deleteColumns(start: number, n: number): void {
    for (const row of this.rows) if (row) deleteRange(row, start - 1, n);
    deleteRange(this.colDims, start - 1, n);
    this.maxCols -= n;
    this.frozenCols = Math.max(0, this.frozenCols - overlap(start, n, 1, this.frozenCols));
    this.book.afterDelete(this, 'COLUMN', start - 1, n);
  }

  /** Moves rows [start, start+n) before row `dest` (dest in pre-move coordinates). */
  moveRows(start: number, n: number, dest: number): void {
    moveBlock(this.rows, start - 1, n, dest - 1);
    moveBlock(this.rowDims, start - 1, n, dest - 1);
    this.book.afterMove(this, 'ROW', start - 1, n, dest - 1);
  }

  moveColumns(start: number, n: number, dest: number): void {
    for (const row of this.rows) if (row) moveBlock(row, start - 1, n, dest - 1);
    moveBlock(this.colDims, start - 1, n, dest - 1);
    this.book.afterMove(this, 'COLUMN', start - 1, n, dest - 1);
  }

  /**
   * Sorts rows firstRow..lastRow (whole rows: values, formats, notes, validation move together) by
   * the value in `keyCol`; cols limits the sort to a column span (Range.sort), default whole rows.
   */
  sortRows(
    firstRow: number,
    lastRow: number,
    keys: Array<{ col: number; ascending: boolean }>,
    cols?: [number, number],
  ): void {
    if (lastRow < firstRow) return;
    const span = lastRow - firstRow + 1;
    const entries: Array<{ cells: Array<Cell | undefined>; index: number }> = [];
    for (let i = 0; i < span; i++) {
      const row = this.rows[firstRow - 1 + i] ?? [];
      const cells = cols ? row.slice(cols[0] - 1, cols[1]) : row.slice();
      entries.push({ cells, index: i });
    }
    const offset = cols ? cols[0] : 1;
    entries.sort((a, b) => {
      for (const k of keys) {
        const r = compareValues(a.cells[k.col - offset]?.v, b.cells[k.col - offset]?.v, k.ascending);
        if (r !== 0) return r;
      }
      return a.index - b.index;
    });
    entries.forEach((e, i) => {
      const r = firstRow - 1 + i;
      if (!cols) {
        this.rows[r] = e.cells.length ? e.cells : undefined;
        return;
      }
      let row = this.rows[r];
      if (!row) {
        row = [];
        this.rows[r] = row;
      }
      for (let c = cols[0]; c <= cols[1]; c++) row[c - 1] = e.cells[c - cols[0]];
    });
  }
}

function overlap(start: number, n: number, lo: number, hi: number): number {
  const a = Math.max(start, lo);
  const b = Math.min(start + n - 1, hi);
  return b >= a ? b - a + 1 : 0;
}

/** The formatting (and data validation) of a cell, for rows/columns inserted next to it. */
function formatOnly(cell: Cell | undefined): Cell | undefined {
  if (!cell) return undefined;
  const out: Cell = {};
  let any = false;
  for (const k of FORMAT_KEYS) {
    if (cell[k] !== undefined) {
      (out as Record<string, unknown>)[k] = cell[k];
      any = true;
    }
  }
  if (cell.dv) {
    out.dv = cell.dv;
    any = true;
  }
  return any ? out : undefined;
}

// ---- workbook ------------------------------------------------------------------------------------

export interface LockState {
  holder: string | null;
}

export interface FakeSpreadsheetOptions {
  id?: string;
  name?: string;
  timeZone?: string;
  /** Sheets to create; default one 'Sheet1' of 1000 x 26. */
  sheets?: Array<string | { name: string; rows?: number; columns?: number }>;
  /**
   * The size insertSheet gives a new sheet: Sheets' is 1000 × 26, which the add-on takes on trust;
   * another size tests that it copes when that is not so.
   */
  newSheetSize?: { rows: number; columns: number };
  /**
   * The spreadsheet's owner, who "is always able to edit protected ranges and sheets" (Protection#canEdit).
   * Default: nobody a runtime runs as (the harsher reading for tests: the rep is an editor, not the owner).
   */
  owner?: string;
}

let spreadsheetCounter = 0;

export class FakeSpreadsheet {
  id: string;
  name: string;
  timeZone: string;
  sheets: FakeSheet[] = [];
  metadata: MetaRecord[] = [];
  protections: ProtectionRecord[] = [];
  owner: string | undefined;
  /** Document properties live with the document (shared by every runtime opened on it). */
  documentProperties = new FakePropertiesStore();
  /** Script properties are shared by every user of the add-on; kept here so runtimes share them. */
  scriptProperties = new FakePropertiesStore();
  /** Locks shared by the runtimes (users) working on this document. */
  readonly locks: { document: LockState; script: LockState; user: Map<string, LockState> } = {
    document: { holder: null },
    script: { holder: null },
    user: new Map(),
  };
  /** Document and script caches (shared, like locks). */
  readonly sharedCaches = new Map<string, unknown>();
  nextSheetId = 0;
  readonly newSheetSize: { rows: number; columns: number };
  nextMetadataId = 1;
  nextProtectionId = 1;

  constructor(opts: FakeSpreadsheetOptions = {}) {
    spreadsheetCounter++;
    this.id = opts.id ?? `fake-spreadsheet-${spreadsheetCounter}`;
    this.name = opts.name ?? 'Untitled spreadsheet';
    this.timeZone = opts.timeZone ?? 'America/New_York';
    if (!isValidTimeZone(this.timeZone)) throw new Error(`Invalid time zone: ${this.timeZone}`);
    this.newSheetSize = opts.newSheetSize ?? { rows: DEFAULT_ROWS, columns: DEFAULT_COLUMNS };
    this.owner = opts.owner;
    const specs = opts.sheets ?? ['Sheet1'];
    for (const spec of specs) {
      const s = typeof spec === 'string' ? { name: spec } : spec;
      this.addSheet(s.name, this.sheets.length, s.rows, s.columns);
    }
  }

  // -- sheets ----------------------------------------------------------------------------------------

  /** Case-insensitive, like Sheets (names differing only in case collide). */
  sheet(name: string): FakeSheet | undefined {
    const lower = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === lower);
  }

  requireSheet(name: string): FakeSheet {
    const s = this.sheet(name);
    if (!s) throw new Error(`No sheet named "${name}" in the fake spreadsheet`);
    return s;
  }

  sheetById(id: number): FakeSheet | undefined {
    return this.sheets.find((s) => s.sheetId === id);
  }

  totalCells(): number {
    return this.sheets.reduce((n, s) => n + s.maxRows * s.maxCols, 0);
  }

  checkGrowth(addedCells: number): void {
    if (this.totalCells() + addedCells > MAX_WORKBOOK_CELLS) throw new Error(CELL_LIMIT_MESSAGE);
  }

  newSheetId(): number {
    const id = this.nextSheetId === 0 ? 0 : 100_000_000 + ((this.nextSheetId * 7_919_393) % 1_900_000_000);
    this.nextSheetId++;
    return id;
  }

  addSheet(
    name: string,
    index0: number,
    rows = DEFAULT_ROWS,
    cols = DEFAULT_COLUMNS,
    sheetId?: number,
  ): FakeSheet {
    if (this.sheet(name))
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    this.checkGrowth(rows * cols);
    const s = new FakeSheet(this, name, sheetId ?? this.newSheetId(), rows, cols);
    this.sheets.splice(index0, 0, s);
    return s;
  }

  /**
   * A copy of a sheet (Sheet.copyTo, Spreadsheet.duplicateActiveSheet): the cells with their values,
   * formats, notes and validation, the row and column sizes, frozen rows and columns; a new sheet id
   * ("unique to the spreadsheet … assigned at sheet creation time"). Developer metadata and
   * protections are not taken along (the harsher reading: Google's pages do not promise them).
   */
  copySheet(source: FakeSheet, name: string, index0: number): FakeSheet {
    const copy = this.addSheet(name, index0, source.maxRows, source.maxCols);
    const clone = (cell: Cell): Cell => {
      const c = { ...cell };
      if (cell.dv) c.dv = { ...cell.dv, values: [...cell.dv.values] };
      return c;
    };
    copy.rows = source.rows.map((row) => row?.map((cell) => (cell ? clone(cell) : undefined)));
    copy.rowDims = source.rowDims.map((d) => (d ? { ...d } : undefined));
    copy.colDims = source.colDims.map((d) => (d ? { ...d } : undefined));
    copy.frozenRows = source.frozenRows;
    copy.frozenCols = source.frozenCols;
    copy.tabColor = source.tabColor;
    copy.merges = cloneMerges(source.merges);
    return copy;
  }

  /** "Copy of X", then "Copy of X 2", … (Sheets keeps sheet names unique). */
  copyName(name: string): string {
    const base = `Copy of ${name}`;
    if (!this.sheet(base)) return base;
    for (let i = 2; ; i++) if (!this.sheet(`${base} ${i}`)) return `${base} ${i}`;
  }

  removeSheet(sheet: FakeSheet): void {
    this.sheets = this.sheets.filter((s) => s !== sheet);
    this.metadata = this.metadata.filter((m) => !('sheet' in m.loc) || m.loc.sheet !== sheet);
    this.protections = this.protections.filter((p) => p.sheet !== sheet);
  }

  /** A default name for insertSheet() without one: "Sheet2", "Sheet3", ... */
  nextSheetName(): string {
    for (let i = this.sheets.length + 1; ; i++) if (!this.sheet(`Sheet${i}`)) return `Sheet${i}`;
  }

  // -- structural hooks: developer metadata and range protections follow rows and columns ----------

  afterInsert(sheet: FakeSheet, axis: Axis, at0: number, n: number): void {
    for (const m of this.metadata) {
      if (m.loc.type === axis && m.loc.sheet === sheet) {
        [m.loc.start, m.loc.end] = spanAfterInsert([m.loc.start, m.loc.end], at0, n);
      }
    }
    for (const p of [
      ...this.protections.filter((x) => x.sheet === sheet && x.type === 'RANGE'),
      ...sheet.merges,
    ]) {
      if (axis === 'ROW') p.rows = spanAfterInsert(p.rows, at0, n);
      else p.cols = spanAfterInsert(p.cols, at0, n);
    }
  }

  afterDelete(sheet: FakeSheet, axis: Axis, at0: number, n: number): void {
    this.metadata = this.metadata.filter((m) => {
      if (m.loc.type !== axis || m.loc.sheet !== sheet) return true;
      const span = spanAfterDelete([m.loc.start, m.loc.end], at0, n);
      if (!span) return false;
      [m.loc.start, m.loc.end] = span;
      return true;
    });
    this.protections = this.protections.filter((p) => {
      if (p.sheet !== sheet || p.type !== 'RANGE') return true;
      const span = spanAfterDelete(axis === 'ROW' ? p.rows : p.cols, at0, n);
      if (!span) return false;
      if (axis === 'ROW') p.rows = span;
      else p.cols = span;
      return true;
    });
    // Deleting rows or columns through a merge shrinks it to what is left (gone when one cell is left).
    // Google is silent; the fake takes the harsher reading: when the merge's first row or column goes,
    // its value goes with it, and the new top-left cell (merged away until now) is empty.
    sheet.merges = sheet.merges.filter((m) => {
      const span = spanAfterDelete(axis === 'ROW' ? m.rows : m.cols, at0, n);
      if (!span || span[1] - span[0] < 1) return false;
      if (axis === 'ROW') m.rows = span;
      else m.cols = span;
      return (m.rows[1] - m.rows[0]) * (m.cols[1] - m.cols[0]) > 1;
    });
  }

  afterMove(sheet: FakeSheet, axis: Axis, start0: number, n: number, dest0: number): void {
    for (const m of this.metadata) {
      if (m.loc.type === axis && m.loc.sheet === sheet) {
        [m.loc.start, m.loc.end] = spanAfterMove([m.loc.start, m.loc.end], start0, n, dest0);
      }
    }
    for (const p of [
      ...this.protections.filter((x) => x.sheet === sheet && x.type === 'RANGE'),
      ...sheet.merges,
    ]) {
      if (axis === 'ROW') p.rows = spanAfterMove(p.rows, start0, n, dest0);
      else p.cols = spanAfterMove(p.cols, start0, n, dest0);
    }
  }

  addMetadata(key: string, value: string | null, visibility: Visibility, loc: MetaLocation): MetaRecord {
    const rec: MetaRecord = { id: this.nextMetadataId++, key, value, visibility, loc };
    this.metadata.push(rec);
    return rec;
  }

  // -- helpers for tests and the preview (not counted in any runtime's stats) -----------------------

  /** Time source for dates typed without a year; runtimes point it at their virtual clock. */
  now: () => number = () => Date.now();

  /**
   * The rep typing into a cell: userEdit('Leads', 'B2', '00123') or userEdit('Leads', [2, 2], 'x').
   * Same coercion as setValue (so it respects a plain-text '@' format); strict validation rejects.
   */
  userEdit(sheetName: string, cell: CellRef, value: unknown): void {
    userEdit(this, sheetName, cell, value, this.now());
  }

  /** Values of the sheet's data range (A1 to last row/column with content); [] when empty. */
  dump(sheetName: string): unknown[][] {
    return readRange(this, sheetName);
  }

  /** Display strings of the sheet's data range. */
  dumpDisplay(sheetName: string): string[][] {
    return displayRange(this, sheetName);
  }

  /** Values of any A1 range, without counting a service call. */
  read(sheetName: string, a1?: string): unknown[][] {
    return readRange(this, sheetName, a1);
  }

  /** Everything about one cell: value, display, formula, formats, note, validation. */
  cellInfo(sheetName: string, cell: CellRef): CellInfo {
    return cellInfo(this, sheetName, cell);
  }

  /**
   * A colleague protects part of a sheet (Data › Protect sheets and ranges › "Only you"): `a1` such as
   * 'E:E', '1:1' or 'B2:C9', or null for the whole sheet. Only `by` (and the owner) may then edit it;
   * a runtime running as anyone else has its writes there refused (protection.ts).
   */
  protectAs(by: string, sheetName: string, a1: string | null, description = ''): ProtectionRecord {
    const sheet = this.requireSheet(sheetName);
    let box = null;
    if (a1 !== null) {
      const parsed = parseA1(a1);
      if (!parsed) throw new Error(`protectAs: bad range ${a1}`);
      box = resolveA1(parsed, sheet.maxRows, sheet.maxCols);
    }
    return colleagueProtects(this, sheet, box, by, description);
  }

  /** Developer metadata records (for assertions): key, value, location type and position. */
  metadataSummary(): Array<{
    key: string;
    value: string | null;
    type: string;
    sheet?: string;
    index?: number;
  }> {
    return this.metadata.map((m) => ({
      key: m.key,
      value: m.value,
      type: m.loc.type,
      sheet: 'sheet' in m.loc ? m.loc.sheet.name : undefined,
      index: 'start' in m.loc ? m.loc.start + 1 : undefined,
    }));
  }

  toJSON(): WorkbookJSON {
    return workbookToJSON(this);
  }

  /**
   * File › Make a copy, by `owner` (who owns the copy: "The spreadsheet owner is always able to edit
   * protected ranges and sheets"). Google's Help says a copy is a new file; what goes with it, by the
   * harsher reading where the docs are silent: every sheet, hidden ones too, with its cells, notes,
   * formats, merges and sheet id (the sheets are copied as they are); developer metadata and protections.
   * Not copied: document properties ("Data shared among … all users of an add-on in the open document",
   * Properties guide: the copy is another document, with a new id), triggers (they belong to a user and
   * a document: a runtime on the copy has none) and locks. Script properties are the add-on's own, shared.
   */
  makeCopy(owner: string, name = `Copy of ${this.name}`): FakeSpreadsheet {
    const copy = FakeSpreadsheet.fromJSON({
      ...this.toJSON(),
      id: `${this.id}-copy-${++spreadsheetCounter}`,
      name,
      documentProperties: {},
    });
    copy.owner = owner;
    copy.scriptProperties = this.scriptProperties;
    copy.now = this.now;
    for (const sheet of this.sheets) {
      const twin = copy.sheetById(sheet.sheetId);
      if (twin) twin.merges = cloneMerges(sheet.merges);
    }
    return copy;
  }

  static fromJSON(json: WorkbookJSON | string): FakeSpreadsheet {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as WorkbookJSON;
    const book = new FakeSpreadsheet({ sheets: [], id: data.id, name: data.name, timeZone: data.timeZone });
    restoreWorkbook(book, data);
    return book;
  }
}
