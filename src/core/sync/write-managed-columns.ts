// Writing only the managed columns: the rep's own columns between them are never rewritten, and each
// contiguous run of managed columns costs one setValues. Cells to leave alone (the rep's formulas, see
// formula-cells.ts) split a run's write into the fewest rectangles around them.
import type { CellGrid, CellValue } from '../ports';

/**
 * Text that starts with `=` becomes a formula when written (setValues parses it as typed) in a cell
 * not formatted as plain text: a cell read back that holds such text is never written again.
 */
export const wouldBecomeFormula = (value: unknown): boolean =>
  typeof value === 'string' && value.startsWith('=');

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

/**
 * Writes the given columns of `rows` (data rows starting at sheet row `firstRow`; a row's first cell is
 * column `firstColumn`, 1 unless said: a single column's cells are rows of one). `skip(sheetRow,
 * column)`: a cell never written. Rows with the same cells skipped share one rectangle per piece.
 */
export function writeColumns(
  grid: Pick<CellGrid, 'write'>,
  firstRow: number,
  rows: CellValue[][],
  columns: number[],
  skip?: (row: number, column: number) => boolean,
  firstColumn = 1,
): void {
  if (rows.length === 0) return;
  const cut = (r: CellValue[], left: number, right: number) =>
    r.slice(left - firstColumn, right - firstColumn + 1);
  for (const [from, to] of contiguousRuns(columns)) {
    const pieces = skip ? piecesAround(firstRow, rows.length, from, to, skip) : null;
    if (!pieces) {
      // One run over whole rows (a sheet with none of the rep's own columns) needs no copies.
      const whole = from === firstColumn && rows.every((r) => r.length === to - firstColumn + 1);
      grid.write(firstRow, from, whole ? rows : rows.map((r) => cut(r, from, to)));
      continue;
    }
    for (const { first, last, left, right } of pieces)
      grid.write(
        firstRow + first,
        left,
        rows.slice(first, last + 1).map((r) => cut(r, left, right)),
      );
  }
}

/** A rectangle of a run: rows (0-based in the block) × columns (1-based). */
interface Piece {
  first: number;
  last: number;
  left: number;
  right: number;
}

/**
 * The run's rectangles around the skipped cells, top to bottom, or null when none is skipped: each row
 * cut into its stretches between skipped cells, and consecutive rows cut the same way merged.
 */
function piecesAround(
  firstRow: number,
  count: number,
  from: number,
  to: number,
  skip: (row: number, column: number) => boolean,
): Piece[] | null {
  const pieces: Piece[] = [];
  let open: Piece[] = [];
  let any = false;
  for (let i = 0; i < count; i++) {
    const stretches: Array<[number, number]> = [];
    let start = -1;
    for (let c = from; c <= to; c++) {
      if (skip(firstRow + i, c)) {
        any = true;
        if (start >= 0) stretches.push([start, c - 1]);
        start = -1;
      } else if (start < 0) start = c;
    }
    if (start >= 0) stretches.push([start, to]);
    const same =
      open.length === stretches.length &&
      open.every((p, k) => p.left === stretches[k][0] && p.right === stretches[k][1]);
    if (same) for (const p of open) p.last = i;
    else {
      pieces.push(...open);
      open = stretches.map(([left, right]) => ({ first: i, last: i, left, right }));
    }
  }
  pieces.push(...open);
  return any ? pieces.sort((a, b) => a.first - b.first || a.left - b.left) : null;
}
