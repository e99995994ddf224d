// What a step's pending writes cost (src/core/sheet-cost.ts, src/core/sync/step-writes.ts): priced by
// the published per-call, per-cell and per-byte figures, a measured spreadsheet taken where slower, and
// a page taken only while everything placed can still be written before the step's end.
import { measuredSheetCost, PUBLISHED_SHEET_COST, readMs, writeMs } from '../../src/core/sheet-cost';
import { DirtyCells } from '../../src/core/sync/dirty-cells';
import type { Deadline } from '../../src/core/sync/job';
import { ResultWrites, StepWrites } from '../../src/core/sync/step-writes';

/** A step with `left` ms to go of a full (4.5-minute) budget: 5 s of it kept for recording progress. */
function deadline(left: number): Deadline {
  return { timeLeft: () => left, stopAt: (reserve) => 1_000_000 + left - reserve, reserve: (ms) => ms };
}

test('writing is priced per call, per cell and per byte, reading likewise', () => {
  expect(writeMs(PUBLISHED_SHEET_COST, { calls: 2, cells: 1_000, bytes: 5_000 })).toBe(2 * 30 + 40 + 5);
  expect(readMs(PUBLISHED_SHEET_COST, { calls: 1, cells: 1_000, bytes: 4_000 })).toBe(30 + 30 + 1);
});

test('a measured spreadsheet is taken where it is slower than the published figures, never where faster', () => {
  expect(measuredSheetCost(PUBLISHED_SHEET_COST, { callMs: 120, perCellUs: 20 })).toEqual({
    ...PUBLISHED_SHEET_COST,
    callMs: 120,
  });
  expect(measuredSheetCost(PUBLISHED_SHEET_COST, { callMs: 10, perCellUs: 300 })).toEqual({
    ...PUBLISHED_SHEET_COST,
    cellWriteUs: 150,
    cellReadUs: 150,
  });
});

test('a pull step takes its first page whatever it costs, then pages only while all its writes fit', () => {
  const dirty = new DirtyCells();
  // 10 cells a row, 2 values in a snapshot row, no fixed calls: a row is 10 × 40 µs + 10 × 16 µs,
  // its snapshot row 3 × 40 µs + (24 + 2 × 5) µs.
  const writes = new StepWrites(PUBLISHED_SHEET_COST, deadline(5_000 + 1_000), dirty, {
    rowCells: 10,
    snapshotValues: 2,
    fixedCalls: 0,
  });
  const perRow = (10 * 40 + 10 * 16 + 3 * 40 + 24 + 2 * 5) / 1000;
  expect(writes.perLeadMs()).toBeCloseTo(perRow, 9);
  expect(writes.admit(1_000_000)).toBe(true);
  expect(writes.leadsThatFit()).toBe(Math.floor(1_000 / perRow));
  // 100 rows placed, each 10 cells of 30 characters, and their snapshot rows: the average follows them.
  for (let r = 0; r < 100; r++) for (let c = 1; c <= 10; c++) dirty.mark(r, c, 'x'.repeat(30));
  writes.writesTo({ pendingRows: 100 });
  writes.placed(100);
  // Plus a data write and a snapshot write: two calls.
  const pending = 100 * ((10 * 40 + 10 * 30 + 3 * 40 + 24 + 2 * 5) / 1000) + 2 * 30;
  expect(writes.pendingMs()).toBeCloseTo(pending, 9);
  const placedRow = pending / 100;
  expect(writes.perLeadMs()).toBeCloseTo(placedRow, 9);
  const room = Math.floor((1_000 - pending) / placedRow);
  expect(writes.leadsThatFit()).toBe(room);
  expect(writes.admit(room)).toBe(true);
  expect(writes.admit(room + 1)).toBe(false);
});

test('a push step keeps back the sheet read again, its status column, and per recorded lead its rows', () => {
  const writes = new ResultWrites(PUBLISHED_SHEET_COST, deadline(60_000), { rows: 10_000, width: 56 });
  // 560,000 cells read (10 characters each), 10,000 status cells, 16 cells and 480 characters a lead.
  const read = 2 * 30 + (560_000 * 30 + 5_600_000 * 0.25) / 1000;
  const written = (n: number) => 12 * 30 + ((10_000 + 16 * n) * 40 + (100_000 + 480 * n)) / 1000;
  expect(writes.ms(1_000)).toBeCloseTo(read + written(1_000), 6);
  expect(writes.fits(1_000)).toBe(true);
  expect(writes.fits(40_000)).toBe(false);
  expect(writes.stopAt(1_000)).toBeCloseTo(1_000_000 + 60_000 - writes.ms(1_000) - 5_000, 6);
});
