// Writing a few cells of one column back in a single write. A push writes each row's result into the
// Sync status column (and a created lead's ID into the Lead ID column), and an undo marks the push log's
// Undone column: the rows written are scattered, so the column is written in one block from the first
// to the last of them, the cells between rewritten with the values read. getValues gives a formula's
// computed value, and text that starts with `=` (typed with an apostrophe) is parsed as a formula when
// written into a cell not formatted as plain text: either, written back, would turn the rep's cell into
// something else. So, as a pull does (formula-cells.ts), the span's formulas are read first (one call)
// and the write is split around the cells between that hold a formula or such text.
import type { CellGrid, CellValue } from '../ports';
import { wouldBecomeFormula } from './write-managed-columns';

/**
 * Writes `changes` (index → value) into `column`, index 0 being sheet row `top`; `read(index)` is what
 * a cell between holds as read. The changed cells are written whatever they hold (the caller's own
 * values: statuses, Lead IDs, marks; a formula put back on purpose). Returns the formulas the changed
 * cells held before (index → formula), for a caller that may have to put one back.
 */
export function writeColumnChanges(
  grid: Pick<CellGrid, 'formulas' | 'write'>,
  top: number,
  column: number,
  read: (index: number) => CellValue,
  changes: Map<number, CellValue>,
): Map<number, string> {
  const replaced = new Map<number, string>();
  if (changes.size === 0) return replaced;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const i of changes.keys()) {
    first = Math.min(first, i);
    last = Math.max(last, i);
  }
  const formulas = grid.formulas(top + first, column, last - first + 1, 1);
  let run: CellValue[][] = [];
  let runStart = first;
  const flush = () => {
    if (run.length > 0) grid.write(top + runStart, column, run);
    run = [];
  };
  for (let i = first; i <= last; i++) {
    const formula = formulas[i - first]?.[0] ?? '';
    if (changes.has(i)) {
      if (formula !== '') replaced.set(i, formula);
      if (run.length === 0) runStart = i;
      run.push([changes.get(i)!]);
      continue;
    }
    const value = read(i);
    if (formula !== '' || wouldBecomeFormula(value)) {
      flush();
      continue;
    }
    if (run.length === 0) runStart = i;
    run.push([value]);
  }
  flush();
  return replaced;
}
