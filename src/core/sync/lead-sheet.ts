// Reading a lead sheet in one block: its rows, and which column holds which Close field. Or, for an
// incremental refresh, only its header and ID column (the other columns of the rows it rewrites are
// read later, column by column: pull-layout.ts loadColumns).
import type { CellValue, Grid } from '../ports';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import { columnsByKey, readBindings } from './column-binding';

export interface SheetTable {
  grid: Grid;
  /** Row 1 as the rep sees it. */
  header: CellValue[];
  /** Data rows (sheet rows 2..lastRow), every column up to the last one with content. */
  rows: CellValue[][];
  width: number;
  /** Field key → 1-based column. */
  columnOf: Map<string, number>;
  /**
   * The columns (1-based) whose cells `rows` hold; undefined when every column was read. A cell of
   * another column reads as '' here whatever the sheet holds, so it must never be written back.
   */
  loaded?: Set<number>;
}

export function readSheetTable(grid: Grid): SheetTable {
  // The bindings first: they say where the header row is (a title row may sit above it).
  const { bindings } = readBindings(grid);
  const lastRow = grid.lastRow();
  const width = grid.lastColumn();
  const [header = [], ...rows] = lastRow >= 1 && width >= 1 ? grid.read(1, 1, lastRow, width) : [];
  return { grid, header, rows, width, columnOf: columnsByKey(bindings) };
}

/**
 * The header row and the ID column only (every other cell '' until loaded), or null when no column is
 * bound to the ID: then the whole sheet is read (a lost header is recognised from its rows).
 */
export function readSheetIds(grid: Grid, idKey = LEAD_ID_KEY): SheetTable | null {
  const { bindings } = readBindings(grid);
  const columnOf = columnsByKey(bindings);
  const idColumn = columnOf.get(idKey);
  if (idColumn === undefined) return null;
  const lastRow = grid.lastRow();
  const width = grid.lastColumn();
  if (lastRow < 1 || width < idColumn) return null;
  // Read once each (their formulas are never asked, nor are they written back as these blocks).
  const readOnce = (row: number, column: number, rows: number, columns: number) =>
    grid.readOnce?.(row, column, rows, columns) ?? grid.read(row, column, rows, columns);
  const [header] = readOnce(1, 1, 1, width);
  const ids = lastRow > 1 ? readOnce(2, idColumn, lastRow - 1, 1) : [];
  const rows = ids.map(([id]) => {
    const row = new Array<CellValue>(width).fill('');
    row[idColumn - 1] = id;
    return row;
  });
  return { grid, header, rows, width, columnOf, loaded: new Set([idColumn]) };
}

/**
 * The sheet as it is now, read again to place results after Close answered: the rep may have sorted,
 * inserted or deleted rows, or moved columns, meanwhile. The common case — nothing moved — costs the header
 * notes and three columns (Lead ID, Name, Sync status) instead of the whole sheet again, which for 10,000
 * leads × 56 columns is 560,000 cells (about 17 s of Sheets time at the published 30 µs a cell read, every
 * push step). When a column's binding, the sheet's size, or any row's Lead ID or Name differs from `before`,
 * the whole sheet is read, as rowFinder needs; so it is when rows of `before` share their key (new rows
 * of one Name, a copied row): two of them swapped by a sort leave the Lead ID and Name columns as they
 * were, and only their other cells tell them apart (rowFinder). The Sync status column is always read
 * fresh (the rep may have typed in it; the rows between the results written are rewritten as read:
 * column-write-back.ts).
 */
export function readSheetAgain(before: SheetTable): SheetTable {
  const { grid } = before;
  grid.forgetExtent();
  const columnOf = columnsByKey(readBindings(grid).bindings);
  const lastRow = grid.lastRow();
  const moved =
    columnOf.size !== before.columnOf.size ||
    [...columnOf].some(([key, column]) => before.columnOf.get(key) !== column) ||
    lastRow !== before.rows.length + 1 ||
    grid.lastColumn() !== before.width;
  if (moved || lastRow < 2 || sharesRowKeys(before)) return readSheetTable(grid);
  const columnNow = (key: string) => {
    const column = columnOf.get(key);
    return column === undefined ? null : { column, cells: grid.read(2, column, lastRow - 1, 1) };
  };
  for (const key of [LEAD_ID_KEY, 'name']) {
    const now = columnNow(key);
    if (now?.cells.some((cell, i) => cell[0] !== before.rows[i]?.[now.column - 1]))
      return readSheetTable(grid);
  }
  const status = columnNow(SYNC_STATUS_KEY);
  const rows = status
    ? before.rows.map((row, i) => {
        const copy = row.slice();
        copy[status.column - 1] = status.cells[i]?.[0] ?? '';
        return copy;
      })
    : before.rows;
  return { ...before, rows, columnOf };
}

export function cellAt(table: SheetTable, rowIndex: number, key: string): CellValue {
  const column = table.columnOf.get(key);
  if (column === undefined) return '';
  return table.rows[rowIndex]?.[column - 1] ?? '';
}

/** The Lead ID on a data row ('' for a row the rep added). */
export function leadIdAt(table: SheetTable, rowIndex: number): string {
  return String(cellAt(table, rowIndex, LEAD_ID_KEY)).trim();
}

/** A cell that shows nothing: empty or only spaces (a cell past a short row's end counts as empty). */
export function isBlankCell(cell: CellValue | undefined): boolean {
  return cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** A row the rep has left blank in every managed column. */
export function isBlankRow(table: SheetTable, rowIndex: number): boolean {
  for (const column of table.columnOf.values()) {
    if (table.rows[rowIndex]?.[column - 1] !== '') return false;
  }
  return true;
}

/** A row's name as rowFinder knows it. */
function nameAt(table: SheetTable, i: number): string {
  return String(cellAt(table, i, 'name')).trim();
}

/** What rowFinder knows a row by first: its Lead ID, or for a new row (none yet) its Name. */
function rowKey(table: SheetTable, i: number): string {
  const id = leadIdAt(table, i);
  return id ? `id ${id}` : `new ${nameAt(table, i)}`;
}

/** Whether two rows of the table (blank rows aside) have one key: only their other cells tell them apart. */
export function sharesRowKeys(table: SheetTable): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < table.rows.length; i++) {
    if (isBlankRow(table, i)) continue;
    const key = rowKey(table, i);
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** A cell as text that tells every value apart (a Date by its instant: two Dates are never ===). */
function cellText(cell: CellValue): string {
  return cell instanceof Date ? `d${cell.getTime()}` : `${typeof cell}:${String(cell)}`;
}

/**
 * Where each data row of `before` is in `after`, a later read of the same sheet (the rep may have
 * sorted, inserted or deleted rows in between). A row is known by its Lead ID; a new row, which has none
 * yet, by its Name (blank rows are no one's). Rows that share that key (new rows of one Name, a copied
 * row) are told apart by their bound cells (Sync status aside: the push writes it meanwhile), and rows
 * that still share all that, being the same, by their order. Order alone put a lead's ID on the wrong
 * row: of two new "Acme" rows, the first deleted while its lead was created, the second got the first
 * lead's ID, and its values then went to both leads. A row sharing its key whose cells changed
 * meanwhile is the one row of that key left on both sides, or not found: nothing tells which of the
 * rows it is. Returns the 0-based row index in
 * `after` for a 1-based sheet row of `before`, or undefined when that row is gone (or not known).
 */
export function rowFinder(before: SheetTable, after: SheetTable): (row: number) => number | undefined {
  const index = (table: SheetTable) => {
    const rowsOf = new Map<string, number[]>();
    const known = table.rows.map((_, i) => {
      // A blank row has no result, and one the rep inserts must not take a result meant for another.
      if (isBlankRow(table, i)) return false;
      const key = rowKey(table, i);
      const list = rowsOf.get(key) ?? [];
      rowsOf.set(key, list);
      list.push(i);
      return true;
    });
    return { rowsOf, known };
  };
  const [byKey, byKeyAfter] = [index(before), index(after)];
  const cellKeys = [...before.columnOf.keys()].filter((key) => key !== SYNC_STATUS_KEY);
  const cellsOf = (table: SheetTable, i: number) =>
    cellKeys.map((key) => cellText(cellAt(table, i, key))).join('\u0001');
  /** Per shared key: its rows of `before` → their rows in `after` (by cells, then order), made when first asked. */
  const shared = new Map<string, Map<number, number>>();
  const sharedRows = (key: string) => {
    const made = shared.get(key);
    if (made) return made;
    const found = new Map<number, number>();
    const afterByCells = new Map<string, number[]>();
    for (const j of byKeyAfter.rowsOf.get(key) ?? []) {
      const cells = cellsOf(after, j);
      const list = afterByCells.get(cells) ?? [];
      afterByCells.set(cells, list);
      list.push(j);
    }
    const taken = new Map<string, number>();
    const unmatched: number[] = [];
    for (const i of byKey.rowsOf.get(key)!) {
      const cells = cellsOf(before, i);
      const n = taken.get(cells) ?? 0;
      taken.set(cells, n + 1);
      const j = afterByCells.get(cells)?.[n];
      if (j === undefined) unmatched.push(i);
      else found.set(i, j);
    }
    // One row left on each side: the same row, changed meanwhile (as a row whose key is its own is
    // found whatever its other cells now hold).
    const claimed = new Set(found.values());
    const unclaimed = (byKeyAfter.rowsOf.get(key) ?? []).filter((j) => !claimed.has(j));
    if (unmatched.length === 1 && unclaimed.length === 1) found.set(unmatched[0], unclaimed[0]);
    shared.set(key, found);
    return found;
  };
  return (row) => {
    const i = row - 2;
    if (i < 0 || i >= before.rows.length || !byKey.known[i]) return undefined;
    const key = rowKey(before, i);
    const unique = byKey.rowsOf.get(key)!.length === 1 && byKeyAfter.rowsOf.get(key)?.length === 1;
    if (unique) return byKeyAfter.rowsOf.get(key)![0];
    return sharedRows(key).get(i);
  };
}
