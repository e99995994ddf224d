// A pull's sheet layout: which column holds which field (new columns placed, columns whose note was lost
// found again by their header), the rows as read, which row holds which lead, and what changed in Close's
// schema since the last pull. Also the sheets made and grown before a first pull writes anything.
import type { CellValue, Grid } from '../ports';
import type { SheetCost } from '../sheet-cost';
import { type Column, LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import { findByHeader } from './column-binding';
import { dropdownValues, listFingerprint } from './column-dropdowns';
import { bridgeSpans, type DirtyCells } from './dirty-cells';
import type { SyncContext, SyncDeps } from './context';
import type { PullDefinition } from './pull-definition';
import { leadIdAt, readSheetIds, readSheetTable } from './lead-sheet';
import { idHeader, lostIdColumn, lostIdColumnMessage } from './lost-id-column';
import { restoreLostHeader } from './lost-header';
import { SNAPSHOT_COLUMNS, snapshotSheetName } from './snapshot';

/** Sheets' limit on cells in one spreadsheet, and the size of a new sheet. */
export const MAX_SPREADSHEET_CELLS = 10_000_000;
const NEW_SHEET_ROWS = 1000;
const NEW_SHEET_COLUMNS = 26;

export interface Layout {
  grid: Grid;
  rows: CellValue[][];
  width: number;
  columnOf: Map<string, number>;
  addedColumns: number[];
  /** Columns found by their header text after their binding note was lost: the note is written back. */
  rebound: number[];
  /** Rows the sheet had before this step (rows past them are new leads). */
  existingRows: number;
  /** Keys of the columns the sheet already had: only their cells can hold the rep's edits. */
  tracked: Set<string>;
  rowOfLead: Map<string, number>;
  /** Schema drift since the last pull: headers to rewrite and columns whose type changed. */
  headerUpdates: Array<{ column: number; text: string }>;
  retyped: number[];
  /** The header row was missing (deleted) and was written back from the last pull's record. */
  headerRestored: boolean;
  /**
   * The columns (1-based) read so far, when not all of them were (an incremental refresh reads the ID
   * column, then loadColumns the columns its changed rows need). A cell of any other column of an
   * existing row is not what the sheet holds: it is never compared or written.
   */
  loaded?: Set<number>;
  /** Existing rows (0-based) read whole besides (loadRows): every cell of theirs is what the sheet holds. */
  loadedRows?: Set<number>;
  /** Per column not read whole: the spans of rows (0-based, first to last) read to be rewritten whole. */
  spans?: Map<number, Array<[number, number]>>;
}

export const DELETED_MARK = ' (deleted in Close)';

/**
 * Where new columns go: the row's ID first (frozen), then what the rep can edit (Name leads), then what
 * else is filled from Close, then Sync status. Rows are matched by ID, so the one mistake that writes to
 * the wrong lead is moving values without their ID: sorting a selected block (Data › Sort range) or
 * pasting rows beside the ID column. With the ID left of the editable block, any selection that starts
 * at the sheet's left edge or the row headers takes the ID along, and a frozen first column keeps it in
 * sight beside every row; with the ID in the middle of the read-only columns (the layout before), the
 * natural selection of "my columns" was exactly the editable block without it. What still gets past
 * the layout is caught at push (row-guards.ts). Sheets pulled before keep their order.
 */
function arrangeNewColumns(columns: Column[]): Column[] {
  const rank = (c: Column) =>
    c.key === LEAD_ID_KEY ? 0 : c.key === SYNC_STATUS_KEY ? 3 : c.editable ? 1 : 2;
  return columns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}

export function layoutSheet(
  deps: SyncDeps,
  ctx: SyncContext,
  sheetName: string,
  seen: PullDefinition['seen'],
  /** Read only the header and the ID column (an incremental refresh: see loadColumns). */
  idsOnly = false,
): Layout {
  const grid = deps.workbook.sheet(sheetName) ?? deps.workbook.createSheet(sheetName);
  let table = (idsOnly && seen ? readSheetIds(grid) : null) ?? readSheetTable(grid);
  // A deleted header row is written back where the last pull had it (lost-header.ts), so the rows
  // below are found by their ids again instead of every lead being added a second time.
  const headerRestored = restoreLostHeader(grid, table, ctx, seen);
  if (headerRestored) {
    grid.forgetExtent();
    table = readSheetTable(grid);
  }
  const columnOf = new Map(table.columnOf);
  let width = table.width;
  const addedColumns: number[] = [];
  const rebound: number[] = [];
  const bound = new Set(columnOf.values());
  for (const column of arrangeNewColumns(ctx.columns.filter((c) => !columnOf.has(c.key)))) {
    const found = findByHeader(seen?.[column.key]?.header, table.header, bound);
    if (found !== null) {
      columnOf.set(column.key, found);
      table.columnOf.set(column.key, found);
      bound.add(found);
      rebound.push(found);
    } else {
      columnOf.set(column.key, ++width);
      addedColumns.push(width);
    }
  }
  if (addedColumns.includes(columnOf.get(LEAD_ID_KEY)!)) {
    if (lostIdColumn(table, LEAD_ID_KEY))
      throw new Error(lostIdColumnMessage(sheetName, idHeader(ctx), ctx.spec.noun, 'pull'));
    refuseUnboundIds(sheetName, table, ctx);
  }
  const rows = table.rows.map((r) =>
    r.length < width ? [...r, ...new Array<CellValue>(width - r.length).fill('')] : r,
  );
  const rowOfLead = new Map<string, number>();
  table.rows.forEach((_, i) => {
    const id = leadIdAt(table, i);
    if (id && !rowOfLead.has(id)) rowOfLead.set(id, i);
  });
  const { headerUpdates, retyped } = schemaDrift(ctx, table, seen);
  return {
    grid,
    rows,
    width,
    columnOf,
    addedColumns,
    rebound,
    existingRows: rows.length,
    tracked: new Set(table.columnOf.keys()),
    rowOfLead,
    headerUpdates,
    retyped,
    headerRestored,
    ...(table.loaded ? { loaded: new Set(table.loaded) } : {}),
  };
}

/**
 * Reads these existing rows (0-based) whole, one read per run of adjacent rows: a refresh that rewrites
 * a few rows then finds every unpushed edit in them, as a full pull does (and says so in Sync status).
 */
export function loadRows(layout: Layout, indexes: number[]): void {
  if (!layout.loaded) return;
  layout.loadedRows ??= new Set();
  const loadedRows = layout.loadedRows;
  const wanted = [...new Set(indexes)]
    .filter((i) => i < layout.existingRows && !loadedRows.has(i))
    .sort((a, b) => a - b);
  for (let i = 0; i < wanted.length; ) {
    let j = i + 1;
    while (j < wanted.length && wanted[j] === wanted[j - 1] + 1) j++;
    const block = layout.grid.read(wanted[i] + 2, 1, j - i, layout.width);
    block.forEach((cells, r) => {
      const row = layout.rows[wanted[i] + r];
      for (let c = 0; c < layout.width; c++) row[c] = cells[c] ?? '';
      loadedRows.add(wanted[i] + r);
    });
    i = j;
  }
}

/**
 * Reads these columns (1-based) of the existing rows into the layout, one read per run of adjacent
 * columns not read yet. Each is read as one block (rows 2 to the last, or the rows `span` says: 0-based,
 * first to last, the only existing rows the step places leads in): the rows a refresh rewrites are
 * scattered, and a call costs as much as about a thousand cells (bench/model.ts). A column is then
 * `loaded`: every cell of it a step compares or writes lies in what was read (the new rows below are
 * the step's own).
 */
export function loadColumns(layout: Layout, columns: number[], span?: [number, number]): void {
  const { loaded } = layout;
  if (!loaded || layout.existingRows === 0) return;
  const first = span ? Math.max(0, span[0]) : 0;
  const last = span ? Math.min(layout.existingRows - 1, span[1]) : layout.existingRows - 1;
  if (last < first) return;
  const wanted = [...new Set(columns)]
    .filter((c) => !loaded.has(c) && c <= layout.width)
    .sort((a, b) => a - b);
  for (let i = 0; i < wanted.length; ) {
    let j = i + 1;
    while (j < wanted.length && wanted[j] === wanted[j - 1] + 1) j++;
    const from = wanted[i];
    const count = j - i;
    const block = layout.grid.read(first + 2, from, last - first + 1, count);
    block.forEach((cells, r) => {
      const row = layout.rows[first + r];
      for (let k = 0; k < count; k++) row[from - 1 + k] = cells[k] ?? '';
    });
    for (let k = 0; k < count; k++) loaded.add(from + k);
    i = j;
  }
}

/**
 * Before writing, in each column not read whole (an incremental refresh): reads the spans between the
 * changed cells scattered down it that are cheaper to read and rewrite whole than to write one by one
 * (bridgeSpans), so the cells between are rewritten exactly as they are. A changed cell keeps its new
 * value. Columns a refresh writes without reading: Sync status, and read-only columns Close changed.
 */
export function loadSpans(layout: Layout, dirty: DirtyCells, cost: SheetCost): void {
  writeSameStatuses(layout, dirty);
  const { loaded } = layout;
  if (!loaded) return;
  for (let column = 1; column <= layout.width; column++) {
    if (loaded.has(column)) continue;
    const rows = dirty.rowsIn(column).filter((r) => r < layout.existingRows);
    const spans = bridgeSpans(rows, cost);
    if (spans.length === 0) continue;
    for (const [from, to] of spans) {
      const cells = layout.grid.read(from + 2, column, to - from + 1, 1);
      for (let r = from; r <= to; r++)
        if (!dirty.has(r, column)) layout.rows[r][column - 1] = cells[r - from][0] ?? '';
    }
    layout.spans ??= new Map();
    layout.spans.set(column, spans);
  }
}

/**
 * Sync status cells of existing rows that get one same text (the deleted leads' marks carry one stamp)
 * are written by one call whatever their rows (RangeList.setValue), not read and rewritten with the rows
 * between; they are then taken off `dirty`. A status never starts with `=` (it would become a formula).
 */
function writeSameStatuses(layout: Layout, dirty: DirtyCells): void {
  const grid = layout.grid;
  const column = layout.columnOf.get(SYNC_STATUS_KEY);
  if (!grid.writeSame || column === undefined || layout.loaded?.has(column)) return;
  const byText = new Map<string, number[]>();
  for (const row of dirty.rowsIn(column)) {
    const text = layout.rows[row][column - 1];
    if (row >= layout.existingRows || typeof text !== 'string' || text === '' || text.startsWith('='))
      continue;
    byText.set(text, [...(byText.get(text) ?? []), row]);
  }
  for (const [text, rows] of byText) {
    if (rows.length < 2) continue;
    grid.writeSame(
      rows.map((r) => [r + 2, column]),
      text,
    );
    for (const r of rows) dirty.unmark(r, column);
  }
}

const CLOSE_ID = /^(lead|cont|oppo)_[A-Za-z0-9]+$/;

/**
 * A sheet with Close ids in it but no column bound to them: its header row was deleted (its notes went
 * with it) or its notes cleared. A pull would add every lead again beside the rows already there and
 * strand the rep's edits in them, so it stops and says how to get the header back.
 */
function refuseUnboundIds(
  sheetName: string,
  table: ReturnType<typeof readSheetTable>,
  ctx: SyncContext,
): void {
  for (const row of [table.header, ...table.rows]) {
    const at = row.findIndex((v) => typeof v === 'string' && CLOSE_ID.test(v.trim()));
    if (at < 0) continue;
    const letter = columnName(at + 1);
    throw new Error(
      `"${sheetName}" holds Close ids (column ${letter}) but no header row Close Sync can read: the header was deleted, or its notes were cleared. A pull now would add every ${ctx.spec.noun} again below the rows already there, so nothing was changed. Bring the header row back (Edit › Undo), or pull into a new sheet.`,
    );
  }
}

function columnName(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * What changed in Close's schema since the last pull: a renamed field gets its new name (unless the
 * rep renamed the header), a deleted field's column is kept and marked (never written or pushed), and
 * a field whose type changed is reformatted.
 */
function schemaDrift(
  ctx: SyncContext,
  table: ReturnType<typeof readSheetTable>,
  seen: PullDefinition['seen'],
) {
  const headerUpdates: Layout['headerUpdates'] = [];
  const retyped: number[] = [];
  const known = new Set(ctx.spec.columns(ctx.org).map((c) => c.key));
  for (const [key, column] of table.columnOf) {
    const shown = String(table.header[column - 1] ?? '');
    const model = ctx.byKey.get(key)?.column;
    if (!model) {
      if (key.startsWith('custom.') && !known.has(key) && !shown.endsWith(DELETED_MARK))
        headerUpdates.push({ column, text: `${shown}${DELETED_MARK}` });
      continue;
    }
    const before = seen?.[key];
    if (!before) continue;
    if (shown === before.header && model.header !== before.header)
      headerUpdates.push({ column, text: model.header });
    if (before.type !== (model.fieldType ?? model.kind)) retyped.push(column);
  }
  return { headerUpdates, retyped };
}

/**
 * Before anything is written, the sheet and its snapshot are made (the snapshot first, so the rep is
 * left on the sheet) and grown to hold the whole pull. Sheets refuses to grow a spreadsheet past 10
 * million cells; its refusal now, rather than halfway through, becomes a message that says what to do,
 * and the sheets this run made are taken back. Growing is the check: counting every sheet's cells
 * first would cost two service calls per sheet on every pull. Returns the first row the sheet grew by.
 */
export function prepareSheets(
  deps: SyncDeps,
  ctx: SyncContext,
  sheetName: string,
  expectedLeads: number,
  likelyNew: boolean,
): number {
  const { workbook } = deps;
  const snapshotName = snapshotSheetName(sheetName);
  const specs = [{ name: snapshotName, hidden: true, columns: SNAPSHOT_COLUMNS }, { name: sheetName }];
  let created: string[] = [];
  let rows = expectedLeads + 1;
  let width = ctx.columns.length;
  try {
    if (likelyNew) {
      // No pull went into this sheet before: both are made without looking them up first.
      const made = workbook.ensureSheets(specs);
      created = specs.filter((_, i) => made[i].created).map((s) => s.name);
    } else {
      const missing = specs.filter((s) => !workbook.sheet(s.name));
      if (missing.length > 0) workbook.createSheets(missing);
      created = missing.map((s) => s.name);
    }
    const sheet = workbook.sheet(sheetName)!;
    width = Math.max(sheet.lastColumn(), width);
    rows = Math.max(sheet.lastRow(), rows);
    workbook.sheet(snapshotName)!.ensureSize(expectedLeads + 1, SNAPSHOT_COLUMNS);
    return sheet.ensureSize(rows, width);
  } catch (e) {
    for (const name of created) if (workbook.sheet(name)) workbook.deleteSheet(name);
    const needed =
      Math.max(rows, NEW_SHEET_ROWS) * Math.max(width, NEW_SHEET_COLUMNS) +
      Math.max(expectedLeads + 1, NEW_SHEET_ROWS) * SNAPSHOT_COLUMNS;
    const others = workbook.cellCount([sheetName, snapshotName]);
    if (needed + others <= MAX_SPREADSHEET_CELLS) throw e;
    const fmt = (n: number) => n.toLocaleString('en-US');
    throw new Error(
      `This pull does not fit in a spreadsheet: ${fmt(expectedLeads)} leads × ${width} columns need about ` +
        `${fmt(needed)} cells, and Google Sheets holds at most ${fmt(MAX_SPREADSHEET_CELLS)} (other sheets here use ` +
        `${fmt(others)}). Pull fewer fields, or a Smart View with fewer leads, or use a new spreadsheet. Nothing was changed.`,
    );
  }
}

/**
 * Header, Close type, dropdown and sheet column of each column as this pull wrote them: the next pull
 * compares.
 */
export function seenColumns(
  ctx: SyncContext,
  columnOf?: Map<string, number>,
): NonNullable<PullDefinition['seen']> {
  const seen: NonNullable<PullDefinition['seen']> = {};
  for (const c of ctx.columns) {
    const list = dropdownValues(c, ctx);
    const column = columnOf?.get(c.key);
    seen[c.key] = {
      header: c.header,
      type: c.fieldType ?? c.kind,
      ...(list ? { list: listFingerprint(list) } : {}),
      ...(column ? { column } : {}),
    };
  }
  return seen;
}
