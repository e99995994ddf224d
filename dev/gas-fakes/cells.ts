// Reading and writing blocks of cells with Sheets' coercion and data-validation rules. Used by the
// Range facade (script writes) and by FakeSpreadsheet.userEdit (what a person types).
import { columnToLetters } from './a1';
import {
  type CoercionContext,
  coerceWrite,
  evaluateFormula,
  MAX_CELL_CHARS,
  CELL_TOO_LONG,
  readValue,
  type StoredValue,
  type WriteResult,
} from './coercion';
import type { Cell, FakeSheet, Validation } from './model';
import { formatForDisplay } from './numfmt';

export function applyWrite(cell: Cell, result: WriteResult): void {
  if (result.kind === 'empty') {
    delete cell.v;
    delete cell.f;
  } else if (result.kind === 'formula') {
    cell.f = result.formula;
    cell.v = result.value;
  } else {
    cell.v = result.value;
    delete cell.f;
    if (result.format !== undefined) cell.fmt = result.format;
  }
}

/** Does `value` (shown under `fmt`) satisfy a rule? Only list and checkbox rules are checked. */
export function passesValidation(dv: Validation, value: StoredValue, fmt: string | undefined): boolean {
  if (dv.criteria === 'VALUE_IN_LIST') {
    const list = Array.isArray(dv.values[0]) ? (dv.values[0] as unknown[]) : [];
    const shown = formatForDisplay(value, fmt);
    return list.some((x) => String(x) === shown);
  }
  if (dv.criteria === 'CHECKBOX') {
    if (dv.values.length === 0) return typeof value === 'boolean';
    return dv.values.some((x) => String(x) === formatForDisplay(value, fmt));
  }
  return true;
}

export function violationMessage(row: number, col: number): string {
  return `The data you entered in cell ${columnToLetters(col)}${row} violates the data validation rules set on this cell.`;
}

/**
 * Writes a block of values (or formulas) at (row, col). All cells are coerced and checked first; a
 * rejected value (strict data validation) fails the whole write, as the real batch update does.
 */
export function writeBlock(
  sheet: FakeSheet,
  row: number,
  col: number,
  values: unknown[][],
  ctx: CoercionContext,
  mode: 'values' | 'formulas' = 'values',
): void {
  const results: WriteResult[][] = [];
  for (let i = 0; i < values.length; i++) {
    const line = values[i];
    const out: WriteResult[] = [];
    for (let j = 0; j < line.length; j++) {
      const cell = sheet.cell(row + i, col + j);
      const input = line[j];
      let result: WriteResult;
      if (mode === 'formulas' && typeof input === 'string' && input.startsWith('=')) {
        if (input.length > MAX_CELL_CHARS) throw ctx.fail(CELL_TOO_LONG);
        result = { kind: 'formula', formula: input, value: evaluateFormula(input) };
      } else {
        result = coerceWrite(input, cell?.fmt, ctx);
      }
      if (cell?.dv && !cell.dv.allowInvalid && result.kind === 'value') {
        if (!passesValidation(cell.dv, result.value, result.format ?? cell.fmt)) {
          throw ctx.fail(violationMessage(row + i, col + j));
        }
      }
      out.push(result);
    }
    results.push(out);
  }
  for (let i = 0; i < results.length; i++) {
    for (let j = 0; j < results[i].length; j++) {
      const result = results[i][j];
      if (result.kind === 'empty' && !sheet.cell(row + i, col + j)) continue;
      applyWrite(sheet.cellForWrite(row + i, col + j), result);
    }
  }
}

/** Applies fn to every cell of a block (creating cells). */
export function forEachCell(
  sheet: FakeSheet,
  row: number,
  col: number,
  numRows: number,
  numCols: number,
  fn: (cell: Cell, i: number, j: number) => void,
): void {
  for (let i = 0; i < numRows; i++)
    for (let j = 0; j < numCols; j++) fn(sheet.cellForWrite(row + i, col + j), i, j);
}

/** Applies fn to the existing cells of a block only (for clearing). */
export function forEachExistingCell(
  sheet: FakeSheet,
  row: number,
  col: number,
  numRows: number,
  numCols: number,
  fn: (cell: Cell) => void,
): void {
  const lastRow = Math.min(row + numRows - 1, sheet.rows.length);
  for (let r = row; r <= lastRow; r++) {
    const line = sheet.rows[r - 1];
    if (!line) continue;
    const lastCol = Math.min(col + numCols - 1, line.length);
    for (let c = col; c <= lastCol; c++) {
      const cell = line[c - 1];
      if (cell) fn(cell);
    }
  }
}

export function mapBlock<T>(
  sheet: FakeSheet,
  row: number,
  col: number,
  numRows: number,
  numCols: number,
  fn: (cell: Cell | undefined) => T,
): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < numRows; i++) {
    const line = sheet.rows[row - 1 + i];
    const vals: T[] = new Array(numCols);
    for (let j = 0; j < numCols; j++) vals[j] = fn(line?.[col - 1 + j]);
    out.push(vals);
  }
  return out;
}

export function readBlock(
  sheet: FakeSheet,
  row: number,
  col: number,
  numRows: number,
  numCols: number,
  DateCtor: DateConstructor,
): Array<Array<StoredValue | Date>> {
  const tz = sheet.book.timeZone;
  return mapBlock(sheet, row, col, numRows, numCols, (c) => readValue(c?.v, c?.fmt, tz, DateCtor));
}

export function displayBlock(
  sheet: FakeSheet,
  row: number,
  col: number,
  numRows: number,
  numCols: number,
): string[][] {
  return mapBlock(sheet, row, col, numRows, numCols, (c) => formatForDisplay(c?.v, c?.fmt));
}
