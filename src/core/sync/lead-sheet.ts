// Reading a lead sheet in one block: its rows, and which column holds which Close field.
import type { CellValue, Grid } from '../ports';
import { LEAD_ID_KEY } from '../schema/columns';

export interface SheetTable {
  grid: Grid;
  /** Row 1 as the rep sees it. */
  header: CellValue[];
  /** Data rows (sheet rows 2..lastRow), every column up to the last one with content. */
  rows: CellValue[][];
  width: number;
  /** Field key → 1-based column. */
  columnOf: Map<string, number>;
}

export function readSheetTable(grid: Grid): SheetTable {
  // The bindings first: they say where the header row is (a title row may sit above it).
  const keys = grid.columnKeys();
  const lastRow = grid.lastRow();
  const width = grid.lastColumn();
  const [header = [], ...rows] = lastRow >= 1 && width >= 1 ? grid.read(1, 1, lastRow, width) : [];
  const columnOf = new Map<string, number>();
  for (const { column, key } of keys) {
    // A key bound twice (a copied column): the leftmost wins, the other is the rep's own column.
    if (!columnOf.has(key) || column < columnOf.get(key)!) columnOf.set(key, column);
  }
  return { grid, header, rows, width, columnOf };
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

/** A row the rep has left blank in every managed column. */
export function isBlankRow(table: SheetTable, rowIndex: number): boolean {
  for (const column of table.columnOf.values()) {
    if (table.rows[rowIndex]?.[column - 1] !== '') return false;
  }
  return true;
}
