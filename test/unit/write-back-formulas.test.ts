// What a push and an undo write back into cells they read (src/core/sync/column-write-back.ts): each
// column in one block over the rows that change, the rows between rewritten as read, split around the
// rep's formulas and around text that starts with `=` (it would become a formula). Run from src/ through
// the core world; the cells are made formula-capable (their plain-text format changed, as a paste from
// elsewhere does) so that both can happen.
import { deadlineAfter } from '../../src/core/sync/job';
import { PUSH_LOG_SHEET } from '../../src/core/sync/push-log';
import { applyUndo, newUndoJob, runUndoStep } from '../../src/core/sync/undo';
import { type CoreWorld, idsOf, pulledWorld, SHEET, STAMP } from './core-world';

/** Four PUTs per 10 s: a 15-second step sends one window's worth. */
const FOUR_A_STEP = { rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 } } };
const STEP_MS = 15_000;
const updated = `updated · ${STAMP}`;
const unchanged = `unchanged · ${STAMP}`;

/** Formula and value of each cell of a column, sheet rows `from` to `to`. */
function column(w: CoreWorld, sheet: string, col: number, from: number, to: number) {
  const range = sheetNamed(w, sheet).getRange(from, col, to - from + 1, 1);
  const formulas = range.getFormulas();
  return range.getValues().map((r, i) => [formulas[i][0], r[0]]);
}

/** The blocks written into a column since the writes were last cleared: [first sheet row, rows]. */
const blocksWritten = (w: CoreWorld, sheet: string, col: number) =>
  (w.runtime.stats.writes ?? [])
    .filter((x) => x.sheet === sheet && x.column === col)
    .map((x) => [x.row, x.values.length]);

const sheetNamed = (w: CoreWorld, name: string) =>
  (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp)
    .getActiveSpreadsheet()
    .getSheetByName(name)!;

/**
 * Eight leads edited, pushed in two steps (ids 0-3, then 4-7: sheet rows 10, 7, 2 and 12, so the second
 * step's Sync status block spans rows 2 to 12). Between the steps the rep pastes cells of the default
 * format over rows 4 to 11 of Sync status and types a formula in row 4 and `'=2+2` (text) in row 11.
 */
test("a push step's status write leaves the rep's formula and `=` text in the rows between it and the next", () => {
  const w = pulledWorld(12, FOUR_A_STEP);
  const ids = idsOf(w);
  expect(ids.slice(4, 8).map((id) => w.rowOf(id))).toEqual([10, 7, 2, 12]);
  for (const id of ids.slice(0, 8)) w.edit(id, 'Description', `edit ${id}`);
  const status = w.col('Sync status');
  const messages: string[] = [];
  const summary = w.push({}, STEP_MS, (step) => {
    messages.push(step.message);
    if (step.job.steps !== 1) return;
    w.sheet().getRange(4, status, 8, 1).setNumberFormat('General');
    w.type(4, 'Sync status', '=1+1');
    w.type(11, 'Sync status', "'=2+2");
    w.runtime.stats.writes = [];
  });
  expect(messages).toEqual(['Pushed 4 leads so far (step 1)…', summary.message]);
  expect(summary).toMatchObject({ updated: 8, unchanged: 4 });
  // Rows 2 to 12 (3, 8 and 9 were the first step's; 5 and 6 unchanged; 4 and 11 the rep's).
  expect(column(w, SHEET, status, 2, 12)).toEqual([
    ['', updated],
    ['', updated],
    ['=1+1', 2],
    ['', unchanged],
    ['', unchanged],
    ['', updated],
    ['', updated],
    ['', updated],
    ['', updated],
    ['', '=2+2'],
    ['', updated],
  ]);
  // The second step's status block, in pieces around rows 4 and 11.
  expect(blocksWritten(w, SHEET, status)).toEqual([
    [2, 2],
    [5, 6],
    [12, 1],
  ]);
});

test('a push that creates leads marks the new rows and gives them their Lead IDs without rewriting the `=` text between them', () => {
  const w = pulledWorld(12);
  const ids = idsOf(w);
  const status = w.col('Sync status');
  const leadId = w.col('Lead ID');
  // Rows 14 and 16 are new; row 15 is the rep's section label, typed in Lead ID as `'== Q3 ==` into a
  // cell of the default format (written back as read, it would become a formula).
  w.type(14, 'Name', 'Initech');
  w.type(16, 'Name', 'Globex');
  w.sheet().getRange(15, leadId, 1, 1).setNumberFormat('General');
  w.type(15, 'Lead ID', "'== Q3 ==");
  w.runtime.stats.writes = [];
  const summary = w.push({});
  expect(summary).toMatchObject({ created: 2, updated: 0 });
  const created = [...w.close.leads.keys()].filter((id) => !ids.includes(id));
  const byName = (name: string) => created.find((id) => w.close.leads.get(id)!.name === name);
  expect(column(w, SHEET, leadId, 14, 16)).toEqual([
    ['', byName('Initech')],
    ['', '== Q3 =='],
    ['', byName('Globex')],
  ]);
  expect(column(w, SHEET, status, 14, 16)).toEqual([
    ['', `created · ${STAMP}`],
    ['', `error: This Lead ID was not pulled into this sheet: pull first · ${STAMP}`],
    ['', `created · ${STAMP}`],
  ]);
  // The marks over rows 14 to 16 (row 15's plain-text status rewritten as read), the results (every row
  // has one), then the two Lead IDs, around row 15's label.
  const writes = (w.runtime.stats.writes ?? [])
    .filter((x) => x.sheet === SHEET && (x.column === status || x.column === leadId))
    .map((x) => [x.column === status ? 'status' : 'id', x.row, x.values.length]);
  expect(writes).toEqual([
    ['status', 14, 3],
    ['status', 2, 15],
    ['id', 14, 1],
    ['id', 16, 1],
  ]);
});

test("an undo step marks only its own fields in the push log's Undone column, around a formula there", () => {
  // Four PUTs per 30 s: an undo step of 15 s sends four whatever its writes are priced at.
  const w = pulledWorld(12, { rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 30_000 } } });
  const ids = idsOf(w);
  for (const id of ids.slice(0, 8)) w.edit(id, 'Description', `edit ${id}`);
  w.push({}, STEP_MS);
  w.clock.advance(60_000);
  let job = newUndoJob(w.deps, 'rep@acme.test')!;
  const first = runUndoStep(w.deps, job, deadlineAfter(w.deps.clock, STEP_MS));
  expect(first.message).toBe('Undid 4 fields so far (step 1)…');
  // Between the steps, a hand puts a formula in the Undone cell of the first step's third field (log
  // row 4), in a cell of the default format.
  sheetNamed(w, PUSH_LOG_SHEET).getRange(4, 11).setNumberFormat('General').setFormula('=5+5');
  w.runtime.stats.writes = [];
  // The next window.
  w.clock.advance(30_000);
  job = first.job;
  const second = runUndoStep(w.deps, job, deadlineAfter(w.deps.clock, STEP_MS));
  expect(second.done).toBe(true);
  const first4 = 'restored by rep@acme.test at 2026-11-28 04:01';
  const next4 = 'restored by rep@acme.test at 2026-11-28 04:02';
  expect(column(w, PUSH_LOG_SHEET, 11, 2, 9)).toEqual([
    ['', first4],
    ['', first4],
    ['=5+5', 10],
    ['', first4],
    ['', next4],
    ['', next4],
    ['', next4],
    ['', next4],
  ]);
  // The second step writes its four marks (log rows 6 to 9) and nothing of the first step's.
  expect(
    (w.runtime.stats.writes ?? [])
      .filter((x) => x.sheet === PUSH_LOG_SHEET)
      .map((x) => [x.row, x.column, x.values]),
  ).toEqual([[6, 11, [[next4], [next4], [next4], [next4]]]]);
});

test("a new row whose POST could not be sent in time gets the rep's formula back in Sync status; `=` text there keeps the mark instead", () => {
  // One POST per 20 s: of three new rows, the first 15-second step creates the first only.
  const w = pulledWorld(12, { rateLimits: { 'POST /lead/': { limit: 1, windowMs: 20_000 } } });
  const status = w.col('Sync status');
  w.sheet().getRange(15, status, 2, 1).setNumberFormat('General');
  w.type(14, 'Name', 'Initech');
  w.type(15, 'Name', 'Globex');
  w.type(15, 'Sync status', '=1+1');
  w.type(16, 'Name', 'Hooli');
  w.type(16, 'Sync status', "'=2+2");
  const steps: unknown[] = [];
  const summary = w.push({}, STEP_MS, (step) => {
    if (step.job.steps === 1) steps.push(column(w, SHEET, status, 14, 16));
  });
  // Each created once in the end (Hooli's mark made a later step look for it in Close first).
  expect(summary).toMatchObject({ created: 3, failed: 0 });
  const names = [...w.close.leads.values()].map((l) => l.name);
  expect(['Initech', 'Globex', 'Hooli'].map((n) => names.filter((x) => x === n).length)).toEqual([1, 1, 1]);
  expect(steps).toEqual([
    [
      ['', `created · ${STAMP}`],
      ['=1+1', 2],
      ['', 'creating… [pending create 2026-11-28T09:00:00.000Z as "Hooli"]'],
    ],
  ]);
});

test("an undo's Sync status write leaves the rep's formula and `=` text in the rows between the leads it restores", () => {
  const w = pulledWorld(12);
  const ids = idsOf(w);
  // Sheet rows 2 and 12: the undo's Sync status block spans rows 2 to 12.
  expect([ids[6], ids[7]].map((id) => w.rowOf(id))).toEqual([2, 12]);
  for (const id of [ids[6], ids[7]]) w.edit(id, 'Description', `edit ${id}`);
  expect(w.push({})).toMatchObject({ updated: 2 });
  const status = w.col('Sync status');
  // After the push, the rep pastes cells of the default format over rows 3 to 11 of Sync status and
  // types a formula in row 5 and `'=2+2` (text) in row 8: rows the undo does not restore.
  w.sheet().getRange(3, status, 9, 1).setNumberFormat('General');
  w.type(5, 'Sync status', '=1+1');
  w.type(8, 'Sync status', "'=2+2");
  w.clock.advance(60_000);
  const before = column(w, SHEET, status, 2, 12);
  w.runtime.stats.writes = [];
  const result = applyUndo(w.deps, 'rep@acme.test');
  expect(result).toMatchObject({ restored: 2 });
  const undone = 'undone: Description restored · 2026-11-28 04:01';
  const unchanged = 'unchanged · 2026-11-28 04:00';
  expect(before[3]).toEqual(['=1+1', 2]);
  expect(column(w, SHEET, status, 2, 12)).toEqual([
    ['', undone],
    ['', unchanged],
    ['', unchanged],
    ['=1+1', 2],
    ['', unchanged],
    ['', unchanged],
    ['', '=2+2'],
    ['', unchanged],
    ['', unchanged],
    ['', unchanged],
    ['', undone],
  ]);
  // The block from row 2 to 12, in pieces around rows 5 and 8.
  expect(blocksWritten(w, SHEET, status)).toEqual([
    [2, 3],
    [6, 2],
    [9, 4],
  ]);
});
