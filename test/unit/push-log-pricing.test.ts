// A push step prices the push log it will write by the fields it sends (push-log.ts logShape): a row of
// 12 cells per field Close takes, each as long as its ids, names, key, header and JSON values. It used to
// charge one 150-character row per lead, whatever the lead's edits: a push of leads with many changed
// fields each wrote many times what its step had kept room for.
import { buildBulkOrg } from '../../dev/fake-close';
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { computeChanges } from '../../src/core/sync/changes';
import { loadSyncContext } from '../../src/core/sync/context';
import type { Deadline } from '../../src/core/sync/job';
import { readSheetTable } from '../../src/core/sync/lead-sheet';
import { logShape, PUSH_LOG_HEADER, PUSH_LOG_SHEET } from '../../src/core/sync/push-log';
import { newPushJob } from '../../src/core/sync/push';
import { readSnapshot } from '../../src/core/sync/snapshot';
import { LOG_ROW_CELLS, ONE_FIELD_LOG, ResultWrites } from '../../src/core/sync/step-writes';
import { coreWorld, SHEET } from './core-world';

const LEADS = 10;

test("the push log's estimate matches what the push writes: a row of 12 cells per changed field, its characters within 13%", () => {
  // Job ids end in a random part (job.ts newJobId) whose length varies: held still, so are the counts.
  jest.spyOn(Math, 'random').mockReturnValue(0.5);
  const w = coreWorld({ org: buildBulkOrg({ leads: LEADS, customFields: 30 }) });
  w.pull();
  const header = w.rows()[0] as string[];
  // Every text field of every lead, and its name: 3 text and 3 textarea fields (of 30), 7 edits a lead.
  const edited = ['Name', ...header.filter((h) => / \((text|textarea)\)$/.test(h))];
  expect(edited).toHaveLength(7);
  const ids = (w.rows().slice(1) as string[][]).map((r) => r[header.indexOf('Lead ID')]);
  for (const id of ids) for (const h of edited) w.edit(id, h, `${h} of ${id}, edited by the rep`);

  // What the push's first step will see, as it sees it.
  const ctx = loadSyncContext(w.deps);
  const changes = computeChanges(
    readSheetTable(w.deps.workbook.sheet(SHEET)!),
    [...ctx.byKey.values()],
    readSnapshot(w.deps.workbook, SHEET),
  );
  const shape = logShape(newPushJob({}, w.clock.now(), 'rep@acme.test'), changes.updates);
  expect(shape.rowsPerLead).toBe(7);

  w.runtime.stats.cellsWrittenBySheet = {};
  w.runtime.stats.bytesWrittenBySheet = {};
  expect(w.push()).toMatchObject({ updated: LEADS, failed: 0 });
  // The log sheet is made by this push: its header row is written first.
  const headerBytes = PUSH_LOG_HEADER.join('').length;
  const cells = w.runtime.stats.cellsWrittenBySheet[PUSH_LOG_SHEET] - PUSH_LOG_HEADER.length;
  const bytes = w.runtime.stats.bytesWrittenBySheet[PUSH_LOG_SHEET] - headerBytes;
  expect(cells).toBe(LEADS * shape.rowsPerLead * LOG_ROW_CELLS);
  expect(cells).toBe(840);
  const estimate = LEADS * shape.rowsPerLead * shape.charsPerRow;
  // 23,975 characters written, 27,054 priced: each edit's value before is a pulled text the snapshot
  // kept as a hash, priced as the value sent (its length is known only once the check reads Close), and
  // these edits are longer than what they replace.
  expect(bytes).toBe(23_975);
  expect(estimate).toBeCloseTo(27_054, 6);
  jest.restoreAllMocks();
  // The old charge, one 150-character row a lead, was a fifth of the cells and a seventh of the bytes.
  expect(LEADS * ONE_FIELD_LOG.rowsPerLead * LOG_ROW_CELLS).toBe(120);
  expect(bytes / (LEADS * ONE_FIELD_LOG.charsPerRow)).toBeGreaterThan(7);
});

test('a push step charges its log rows per field: a lead of five fields costs four more rows of cells and characters', () => {
  const deadline: Deadline = {
    timeLeft: () => 60_000,
    stopAt: (reserve) => 60_000 - reserve,
    reserve: (ms) => ms,
  };
  const sheet = { rows: 1_000, width: 20 };
  const reread = { columns: 3, chars: 70_000, statusChars: 10_000 };
  const one = new ResultWrites(PUBLISHED_SHEET_COST, deadline, sheet, reread, 1_000);
  const five = new ResultWrites(PUBLISHED_SHEET_COST, deadline, sheet, reread, 1_000, {
    rowsPerLead: 5,
    charsPerRow: 200,
  });
  // Per lead, beyond one 150-character row: four more rows of 12 cells (40 µs each) and 5 × 200 − 150
  // characters (1 µs each).
  const extra = (4 * 12 * 40 + (5 * 200 - 150)) / 1000;
  expect(five.ms(100) - one.ms(100)).toBeCloseTo(100 * extra, 9);
  expect(five.worstMs(100) - one.worstMs(100)).toBeCloseTo(100 * extra, 9);
  expect(extra).toBeCloseTo(2.77, 9);
});
