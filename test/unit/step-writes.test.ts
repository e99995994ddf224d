// What a step's pending writes cost (src/core/sheet-cost.ts, src/core/sync/step-writes.ts): priced by
// the published per-call, per-cell and per-byte figures, a measured spreadsheet taken where slower, and
// a page taken only while everything placed can still be written before the step's end.
import { measuredSheetCost, PUBLISHED_SHEET_COST, readMs, writeMs } from '../../src/core/sheet-cost';
import { DirtyCells } from '../../src/core/sync/dirty-cells';
import type { Deadline } from '../../src/core/sync/job';
import {
  type LogShape,
  NO_LOG,
  type ReReadColumns,
  ResultWrites,
  StepWrites,
  type UndoWrites,
} from '../../src/core/sync/step-writes';

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
  // its snapshot row (the Lead ID and values in one cell, the generation in another: format 4)
  // 2 × 40 µs + (24 + 2 × 5) µs.
  const writes = new StepWrites(PUBLISHED_SHEET_COST, deadline(5_000 + 1_000), dirty, {
    rowCells: 10,
    snapshotValues: 2,
    fixedCalls: 0,
  });
  const perRow = (10 * 40 + 10 * 16 + 2 * 40 + 24 + 2 * 5) / 1000;
  expect(writes.perLeadMs()).toBeCloseTo(perRow, 9);
  expect(writes.admit(1_000_000)).toBe(true);
  expect(writes.leadsThatFit()).toBe(Math.floor(1_000 / perRow));
  // 100 rows placed, each 10 cells of 30 characters, and their snapshot rows: the average follows them.
  for (let r = 0; r < 100; r++) for (let c = 1; c <= 10; c++) dirty.mark(r, c, 'x'.repeat(30));
  writes.writesTo({ pendingRows: 100 });
  writes.placed(100);
  // Plus a data write and a snapshot write: two calls.
  const pending = 100 * ((10 * 40 + 10 * 30 + 2 * 40 + 24 + 2 * 5) / 1000) + 2 * 30;
  expect(writes.pendingMs()).toBeCloseTo(pending, 9);
  const placedRow = pending / 100;
  expect(writes.perLeadMs()).toBeCloseTo(placedRow, 9);
  const room = Math.floor((1_000 - pending) / placedRow);
  expect(writes.leadsThatFit()).toBe(room);
  expect(writes.admit(room)).toBe(true);
  expect(writes.admit(room + 1)).toBe(false);
});

/** A push or undo step's writes over a sheet of `rows` leads (and snapshot rows), 56 columns wide, with a minute left. */
const sheetOf = (rows: number, reread?: ReReadColumns, log?: LogShape, undo?: UndoWrites) =>
  new ResultWrites(PUBLISHED_SHEET_COST, deadline(60_000), { rows, width: 56 }, reread, rows, log, undo);

test('a push step keeps back what its end reads again (three columns when nothing moved) and writes per recorded lead', () => {
  // 10,000 rows × 56 columns; Lead ID, Name and Sync status hold 700,000 characters, the status 100,000.
  const reread = { columns: 3, chars: 700_000, statusChars: 100_000 };
  const writes = sheetOf(10_000, reread);
  // Read again: 5 calls for the bindings and extent (560 note cells, 5,600 characters), then 3 columns.
  const readAgain =
    5 * 30 + (560 * 30 + 5_600 * 0.25) / 1000 + 3 * 30 + (30_000 * 30 + 700_000 * 0.25) / 1000;
  // The push log's Push ID column read (20,000 cells) to trim it; the status column's formulas read (1
  // call, 10,000 cells: '' where none) before it is written whole (10,000 cells: its 100,000 characters
  // and 40 a row); 13 calls; 15 cells (status, 2 of snapshot, 12 of log) and 480 characters a lead.
  const written = (n: number) =>
    (20_000 * 30 + 200_000 * 0.25) / 1000 +
    30 +
    (10_000 * 30) / 1000 +
    13 * 30 +
    ((10_000 + 15 * n) * 40 + (100_000 + 400_000 + 480 * n)) / 1000;
  expect(readAgain).toBeCloseTo(1333.2, 6);
  expect(writes.ms(1_000)).toBeCloseTo(readAgain + written(1_000), 6);
  expect(writes.ms(1_000)).toBeCloseTo(4683.2, 6);
  // Creating 10 rows adds the whole sheet read to mark them (6 calls, 560,000 cells of 10 characters),
  // the Sync status and Lead ID columns' formulas read (2 calls, 20,000 cells) and the columns written
  // (2 calls, 20,000 cells, 40 + 48 characters a row), and
  // the values Close filled in: the sheet's span read again with its formulas (2 calls, 1,120,000 cells,
  // 5,600,000 characters of values), then 560 cells of 10 characters written in 4 rectangles (shared by
  // rows added together) — 4 a row at worst.
  const marking =
    6 * 30 +
    (560_000 * 30 + 5_600_000 * 0.25) / 1000 +
    2 * 30 +
    (20_000 * 30) / 1000 +
    2 * 30 +
    (20_000 * 40 + 880_000) / 1000;
  const fillRead = 2 * 30 + (1_120_000 * 30 + 5_600_000 * 0.25) / 1000;
  const fillWrite = (calls: number) => calls * 30 + (560 * 40 + 5_600) / 1000;
  expect(writes.ms(1_000, 10) - writes.ms(1_000)).toBeCloseTo(marking + fillRead + fillWrite(4), 6);
  expect(writes.worstMs(1_000, 10) - writes.worstMs(1_000)).toBeCloseTo(
    marking + fillRead + fillWrite(40),
    6,
  );
  // The worst case: something moved, so after the three columns the bindings again and the whole sheet;
  // and the snapshot written in runs of 8 leads (125 calls) with up to 10,000 rows rewritten along
  // (2 cells and 250 characters each).
  const worst =
    readAgain +
    168.2 +
    30 +
    (560_000 * 30 + 5_600_000 * 0.25) / 1000 +
    written(1_000) +
    125 * 30 +
    (10_000 * 2 * 40 + 10_000 * 250) / 1000;
  expect(writes.worstMs(1_000)).toBeCloseTo(worst, 6);
  expect(writes.worstMs(1_000)).toBeCloseTo(30_131.4, 6);
  // 55 s of room: the budget binds (1,000 leads fit, 50,000 do not); the worst case has a minute more.
  expect(writes.fits(1_000)).toBe(true);
  expect(writes.fits(40_000)).toBe(false);
  expect(writes.stopAt(1_000)).toBeCloseTo(1_000_000 + 60_000 - 4683.2 - 5_000, 6);
});

test("the worst case binds when reading a big sheet whole would pass Apps Script's limit", () => {
  const reread = { columns: 3, chars: 3_500_000, statusChars: 500_000 };
  const writes = sheetOf(50_000, reread);
  // 100 leads: 12.8 s when nothing moved (1.5 s of it the status column's 50,000 formulas), but 121 s
  // when the 2,800,000 cells must be read whole and the snapshot's 50,000 rows rewritten: more than the
  // 55 s left and the minute past the budget.
  expect(writes.ms(100)).toBeCloseTo(12_811.2, 6);
  expect(writes.worstMs(100)).toBeCloseTo(120_509.4, 6);
  expect(writes.fits(100)).toBe(false);
  expect(writes.stopAt(100)).toBeCloseTo(1_000_000 + 60_000 - (120_509.4 + 5_000 - 60_000), 6);
});

test('an undo step reads the whole sheet again (and its snapshot) whatever moved, and writes back its restored columns and Undone marks', () => {
  // Restoring 2 fields' columns of a 10,000-row sheet, from a push of 2,000 log rows: no push-log rows.
  const writes = sheetOf(10_000, undefined, NO_LOG, { columns: 2, marks: 2_000 });
  const read = 168.2 + 30 + (560_000 * 30 + 5_600_000 * 0.25) / 1000;
  // The log's trim read as a push prices it; the formulas of Sync status and the 2 columns (30,000
  // cells) and of the 2,000 Undone cells read in 4 calls; then 16 calls (13, 2 columns, the marks):
  // 30,000 column cells (Sync status 40 characters a row, the others 10), 2,000 marks of 80 characters,
  // and 3 cells and 330 characters a lead (its status, its snapshot row).
  const written =
    (20_000 * 30 + 200_000 * 0.25) / 1000 +
    4 * 30 +
    (32_000 * 30) / 1000 +
    16 * 30 +
    ((30_000 + 2_000 + 3 * 1_000) * 40 + (400_000 + 200_000 + 160_000 + 330 * 1_000)) / 1000;
  expect(writes.ms(1_000)).toBeCloseTo(read + written, 6);
  expect(writes.ms(1_000)).toBeCloseTo(23_098.2, 6);
  // At worst the snapshot goes in runs of 8 leads (125 calls), 10,000 rows rewritten along.
  expect(writes.worstMs(1_000)).toBeCloseTo(23_098.2 + 125 * 30 + (10_000 * 2 * 40 + 10_000 * 250) / 1000, 6);
  // The 2 columns and the marks, with their formulas, are what an undo step adds to a push's writes.
  const before = sheetOf(10_000, undefined, NO_LOG);
  expect(writes.ms(1_000) - before.ms(1_000)).toBeCloseTo(
    3 * 30 + (22_000 * 30) / 1000 + 3 * 30 + (22_000 * 40 + 200_000 + 160_000) / 1000,
    6,
  );
});
