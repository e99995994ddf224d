// Writing only the managed columns: the rep's own columns between them are never rewritten, and each
// contiguous run of managed columns costs one setValues.
import type { CellGrid, CellValue } from '../ports';

/** Groups sorted 1-based column numbers into contiguous runs: [1,2,3,5] → [[1,3],[5,5]]. */
export function contiguousRuns(columns: number[]): Array<[number, number]> {
  const sorted = [...new Set(columns)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const c of sorted) {
    const last = runs[runs.length - 1];
    if (last && c === last[1] + 1) last[1] = c;
    else runs.push([c, c]);
  }
  return runs;
}

/** Writes the given columns of `rows` (data rows starting at sheet row `firstRow`). */
export function writeColumns(
  grid: Pick<CellGrid, 'write'>,
  firstRow: number,
  rows: CellValue[][],
  columns: number[],
): void {
  if (rows.length === 0) return;
  for (const [from, to] of contiguousRuns(columns)) {
    // One run over whole rows (a sheet with none of the rep's own columns) needs no copies.
    const whole = from === 1 && rows.every((r) => r.length === to);
    grid.write(firstRow, from, whole ? rows : rows.map((r) => r.slice(from - 1, to)));
  }
}
