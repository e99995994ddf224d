// writeColumns: only the managed columns are written, a run of them per setValues, and cells to leave
// alone (the rep's formulas) split a run's write into the fewest rectangles around them.
import type { CellValue } from '../../src/core/ports';
import { contiguousRuns, writeColumns } from '../../src/core/sync/write-managed-columns';

type Write = { row: number; column: number; values: CellValue[][] };

function recorder() {
  const calls: Write[] = [];
  return {
    calls,
    grid: {
      write: (row: number, column: number, values: CellValue[][]) => calls.push({ row, column, values }),
    },
  };
}

/** Rows of `width` cells named by their place: `r<row>c<column>` (0-based row, 1-based column). */
const rows = (count: number, width: number) =>
  Array.from({ length: count }, (_, r) => Array.from({ length: width }, (_, c) => `r${r}c${c + 1}`));

test('contiguousRuns groups columns into runs', () => {
  expect(contiguousRuns([5, 1, 2, 3, 3])).toEqual([
    [1, 3],
    [5, 5],
  ]);
});

test('without cells to skip, each run of managed columns is one write', () => {
  const { calls, grid } = recorder();
  writeColumns(grid, 2, rows(2, 4), [1, 2, 4]);
  expect(calls).toEqual([
    {
      row: 2,
      column: 1,
      values: [
        ['r0c1', 'r0c2'],
        ['r1c1', 'r1c2'],
      ],
    },
    { row: 2, column: 4, values: [['r0c4'], ['r1c4']] },
  ]);
});

test('a skipped cell splits its run into the rows above, its row on each side, and the rows below', () => {
  const { calls, grid } = recorder();
  // Sheet row 4 (data row index 2 of the block starting at sheet row 2), column 2.
  writeColumns(grid, 2, rows(4, 3), [1, 2, 3], (row, column) => row === 4 && column === 2);
  expect(calls).toEqual([
    {
      row: 2,
      column: 1,
      values: [
        ['r0c1', 'r0c2', 'r0c3'],
        ['r1c1', 'r1c2', 'r1c3'],
      ],
    },
    { row: 4, column: 1, values: [['r2c1']] },
    { row: 4, column: 3, values: [['r2c3']] },
    { row: 5, column: 1, values: [['r3c1', 'r3c2', 'r3c3']] },
  ]);
});

test('a column skipped in every row leaves two rectangles, and a one-column run skips its cells', () => {
  const { calls, grid } = recorder();
  writeColumns(grid, 10, rows(3, 3), [1, 2, 3], (_, column) => column === 2);
  expect(calls).toEqual([
    { row: 10, column: 1, values: [['r0c1'], ['r1c1'], ['r2c1']] },
    { row: 10, column: 3, values: [['r0c3'], ['r1c3'], ['r2c3']] },
  ]);
  const one = recorder();
  writeColumns(one.grid, 2, rows(4, 2), [2], (row) => row === 3 || row === 5);
  expect(one.calls).toEqual([
    { row: 2, column: 2, values: [['r0c2']] },
    { row: 4, column: 2, values: [['r2c2']] },
  ]);
});
