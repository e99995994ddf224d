// Which blocks a pull step writes (dirty-cells.ts): only changed cells, one rectangle per call, and
// unchanged cells bridged only where that costs less than the call it saves.
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { bridgeSpans, DirtyCells } from '../../src/core/sync/dirty-cells';

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

test('bridgeSpans: scattered cells of a column not read are read and rewritten as one span only where that costs less than a write each', () => {
  // 30 ms a call, 30 µs a cell read, 40 written. A cell written alone costs a read of its formula and a
  // write through the same Range (getRange, getFormulas, setValues: 90 ms); a span, a read of its values
  // and of its formulas and a write through one Range (four calls, 120 ms) and 100 µs a row.
  const cost = PUBLISHED_SHEET_COST;
  expect([cost.callMs, cost.cellReadUs, cost.cellWriteUs]).toEqual([30, 30, 40]);
  expect(bridgeSpans([], cost)).toEqual([]);
  expect(bridgeSpans([7], cost)).toEqual([]);
  // Two cells side by side: 120.2 ms against two lone writes (180 ms).
  expect(bridgeSpans([0, 1], cost)).toEqual([[0, 1]]);
  // Two cells 1,000 rows apart: the 999 rows between cost 99.9 ms, more than a write: each alone.
  expect(bridgeSpans([0, 1000], cost)).toEqual([]);
  // Three cells 500 rows apart: 120 + 1,001 × 0.1 = 220.1 ms, against three writes (270 ms).
  expect(bridgeSpans([0, 500, 1000], cost)).toEqual([[0, 1000]]);
  // Three cells 900 rows apart: 120 + 1,801 × 0.1 = 300.1 ms > 270 ms.
  expect(bridgeSpans([0, 900, 1800], cost)).toEqual([]);
  // A gap whose rows cost as much as a write (900 rows: 90 ms) splits: the lone cell is written alone.
  expect(bridgeSpans([0, 900, 901, 902], cost)).toEqual([[0, 902]]);
  expect(bridgeSpans([0, 901, 902, 903], cost)).toEqual([[901, 903]]);
  // 1% of 50,000 rows, evenly spread: one span (5.1 s) rather than 500 lone writes (45 s).
  const spread = Array.from({ length: 500 }, (_, i) => i * 100);
  expect(bridgeSpans(spread, cost)).toEqual([[0, 49_900]]);
});

test('rowsIn and has: the changed rows of one column, in order', () => {
  const dirty = new DirtyCells();
  dirty.mark(9, 3, 'x');
  dirty.mark(2, 3, 'y');
  dirty.mark(5, 4, 'z');
  expect(dirty.rowsIn(3)).toEqual([2, 9]);
  expect(dirty.rowsIn(4)).toEqual([5]);
  expect(dirty.rowsIn(5)).toEqual([]);
  expect([dirty.has(9, 3), dirty.has(9, 4), dirty.has(1, 3)]).toEqual([true, false, false]);
});

test('a span read to bridge a column that was not read is written as one block', () => {
  const dirty = new DirtyCells();
  for (const row of [10, 12, 14, 30]) dirty.mark(row, 5, 'gone');
  const read = {
    loaded: new Set([1]),
    existingRows: 100,
    spans: new Map([[5, [[10, 14] as [number, number]]]]),
  };
  expect(dirty.blocks(500, read)).toEqual([
    { firstRow: 10, lastRow: 14, firstColumn: 5, lastColumn: 5 },
    { firstRow: 30, lastRow: 30, firstColumn: 5, lastColumn: 5 },
  ]);
});
