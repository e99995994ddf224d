// Writing a few cells of one column back in a single write. A push writes each row's result into the
// Sync status column (and a created lead's ID into the Lead ID column), an undo its results into Sync
// status and the restored values into their columns, and marks the push log's Undone column: the rows
// written are scattered, so the column is written in one block from the first to the last of them, the
// cells between rewritten with the values read. getValues gives a formula's computed value, and text
// that starts with `=` (typed with an apostrophe) is parsed as a formula when written into a cell not
// formatted as plain text: either, written back, would turn the rep's cell into something else. So, as a
// pull does (formula-cells.ts), the span's formulas are read first (one call, unless the caller read
// them already) and the write is split around the cells between that hold a formula or such text
// (writeColumns' skip, write-managed-columns.ts).
import type { CellGrid, CellValue } from '../ports';
import { wouldBecomeFormula, writeColumns } from './write-managed-columns';

/**
 * Writes `changes` (index → value) into `column`, index 0 being sheet row `top`; `read(index)` is what
 * a cell between holds as read. The changed cells are written whatever they hold (the caller's own
 * values: statuses, Lead IDs, marks; a formula put back on purpose). `formulas`: the column's formulas
 * (index → formula) over the changes' span when the caller read them already (an undo, to keep a
 * formula it would have restored over), so they are not read again. Returns the formulas the changed
 * cells held before (index → formula), for a caller that may have to put one back.
 */
export function writeColumnChanges(
  grid: Pick<CellGrid, 'formulas' | 'write'>,
  top: number,
  column: number,
  read: (index: number) => CellValue,
  changes: Map<number, CellValue>,
  formulas?: ReadonlyMap<number, string>,
): Map<number, string> {
  const replaced = new Map<number, string>();
  if (changes.size === 0) return replaced;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const i of changes.keys()) {
    first = Math.min(first, i);
    last = Math.max(last, i);
  }
  const held = formulas ?? formulaIndexes(grid, top, column, first, last);
  const cells: CellValue[][] = [];
  for (let i = first; i <= last; i++) {
    const formula = held.get(i);
    if (changes.has(i) && formula) replaced.set(i, formula);
    cells.push([changes.has(i) ? changes.get(i)! : read(i)]);
  }
  const skip = (row: number) => {
    const i = row - top;
    return !changes.has(i) && (held.has(i) || wouldBecomeFormula(cells[i - first][0]));
  };
  writeColumns(grid, top + first, cells, [column], skip, column);
  return replaced;
}

/** The formulas (index → formula) of `column` from index `first` to `last`: one read. */
export function formulaIndexes(
  grid: Pick<CellGrid, 'formulas'>,
  top: number,
  column: number,
  first: number,
  last: number,
): Map<number, string> {
  const found = new Map<number, string>();
  grid.formulas(top + first, column, last - first + 1, 1).forEach(([f], k) => {
    if (f) found.set(first + k, f);
  });
  return found;
}
