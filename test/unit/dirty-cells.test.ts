// Which blocks a pull step writes (dirty-cells.ts): only changed cells, one rectangle per call, and
// unchanged cells bridged only where that costs less than the call it saves.
import { DirtyCells } from '../../src/core/sync/dirty-cells';

test('new rows: one block over every row and column', () => {
  const d = new DirtyCells();
  for (let r = 0; r < 1000; r++) d.markAll(r, [1, 2, 3, 4]);
  expect(d.blocks()).toEqual([{ firstRow: 0, lastRow: 999, firstColumn: 1, lastColumn: 4 }]);
});

test('one field changed in leads scattered down the sheet: one block a column, not one a lead', () => {
  const d = new DirtyCells();
  for (let r = 7; r < 50_000; r += 100) d.markAll(r, [4, 18]);
  expect(d.blocks()).toEqual([
    { firstRow: 7, lastRow: 49_907, firstColumn: 4, lastColumn: 4 },
    { firstRow: 7, lastRow: 49_907, firstColumn: 18, lastColumn: 18 },
  ]);
});

test('a few leads far apart with several changed fields: a block each, from its first changed cell to its last', () => {
  const d = new DirtyCells();
  d.markAll(10, [2, 3, 5]);
  d.markAll(5000, [2, 4]);
  expect(d.blocks()).toEqual([
    { firstRow: 10, lastRow: 10, firstColumn: 2, lastColumn: 5 },
    { firstRow: 5000, lastRow: 5000, firstColumn: 2, lastColumn: 4 },
  ]);
  // Neighbouring rows share a block when the unchanged cells between cost less than a call.
  d.mark(11, 5);
  expect(d.blocks()[0]).toEqual({ firstRow: 10, lastRow: 11, firstColumn: 2, lastColumn: 5 });
  expect(d.rowCount).toBe(3);
  expect(d.cellCount).toBe(6);
});
