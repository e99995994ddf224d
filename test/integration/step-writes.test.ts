// Steps sized by the writes they do (src/core/sync/step-writes.ts): a pull whose writes alone would pass
// Apps Script's time limit stops fetching while what it placed can still be written, and hands the
// rest to the next step — no step is killed mid-write and redone.
import { buildBulkOrg, buildSampleOrg } from '../../dev/fake-close';
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { connectedWorld, runToEnd, type World } from './harness';
import { SHEET, sheetIds } from './sheet';

const LEADS = 2_000;
/**
 * The step budget and the execution limit, scaled down from Apps Script's (4.5 of 6 minutes) so the
 * test runs in seconds: closeSync.stepBudgetMs shortens steps, and the fake kills an execution at LIMIT.
 */
const BUDGET_MS = 4_000;
const LIMIT_MS = (BUDGET_MS * 6) / 4.5;

/**
 * 2,000 leads × 40 custom fields into a spreadsheet that charges the published time per call, cell and
 * byte written (about 3 ms a lead): some 6 s of writes, against executions killed at 5.3 s.
 */
function slowSheetWorld(): World {
  const w = connectedWorld({
    org: buildBulkOrg({ leads: LEADS, customFields: 40 }),
    gas: {
      fetchLatencyMs: 250,
      spreadsheetCallMs: PUBLISHED_SHEET_COST.callMs,
      // Writes charged as published; reads left free, so what a step can do is its writes' doing.
      spreadsheetVolumeCost: { ...PUBLISHED_SHEET_COST, cellReadUs: 0, byteReadUs: 0 },
      maxExecutionMs: LIMIT_MS,
      addonOneOffTriggers: 'allow',
    },
  });
  w.runtime.scriptProperties.set('closeSync.stepBudgetMs', String(BUDGET_MS));
  return w;
}

/** The data rows (sheet rows) each setValues into the sheet covered, as [first, last] ranges. */
function rowsWritten(w: World): Array<[number, number]> {
  return (w.runtime.stats.writes ?? [])
    .filter((x) => x.sheet === SHEET && x.row + x.values.length - 1 >= 2)
    .map((x) => [Math.max(2, x.row), x.row + x.values.length - 1] as [number, number]);
}

test('a pull whose writes pass the time limit ends every step inside it, the trigger continuing the rest; each row written once', () => {
  const w = slowSheetWorld();
  const perStep: Array<Array<[number, number]>> = [];
  const elapsed: number[] = [];
  const step = (run: () => unknown) => {
    w.runtime.stats.writes = [];
    const start = w.clock.now();
    const outcome = run();
    elapsed.push(w.clock.now() - start);
    perStep.push(rowsWritten(w));
    return outcome;
  };
  w.runtime.startExecution();
  const first = step(() => w.app.pullLeads({})) as { done: boolean };
  expect(first.done).toBe(false);
  let fired = 0;
  while (w.runtime.triggers.length > 0 && fired < 10) {
    w.clock.advance(60_000);
    const trigger = w.runtime.triggers[0];
    step(() => w.runtime.fireTrigger(w.app, trigger));
    fired++;
  }
  expect(w.app.getSyncStatus().job).toBeNull();
  expect(w.app.getSyncStatus().progress.message).toMatch(
    /^Pulled 2000 leads into "Close Leads" \(2000 new\) in [\d.]+s\.$/,
  );
  // Whole pages per step, as many as could be written in time; every data row written by one step.
  expect(perStep).toEqual([[[2, 401]], [[402, 1001]], [[1002, 1601]], [[1602, 2001]]]);
  for (const ms of elapsed) expect(ms).toBeLessThanOrEqual(BUDGET_MS);
  const ids = sheetIds(w);
  expect(ids).toEqual([...w.close.leads.keys()].slice(0, LEADS));
});

/**
 * A push step's end reads the sheet again to find each result's row: three columns when nothing moved
 * (Lead ID, Name, Sync status), and that is what its estimate keeps back — not the whole sheet, which
 * here (1,000 rows × 53 columns at the published 30 µs a cell read) is 1.7 s. PUTs go out in Close's
 * rate windows (160 each 8 s: at 3.2 s, 11.2 s and 19.2 s of the step); a step of 26.4 s (its progress
 * record keeps 5 s) reaches the third window only when its end is priced at what it really reads
 * (about 1 s): priced with the whole sheet it stopped after two, and the push took 320 + 280.
 */
test('a push step keeps back what its end really reads (three columns, not the whole sheet): a third rate window in its first step', () => {
  const budget = 26_400;
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 1_000, customFields: 40 }),
    gas: {
      fetchLatencyMs: 250,
      spreadsheetCallMs: PUBLISHED_SHEET_COST.callMs,
      spreadsheetVolumeCost: PUBLISHED_SHEET_COST,
      maxExecutionMs: (budget * 6) / 4.5,
    },
  });
  w.runtime.scriptProperties.set('closeSync.stepBudgetMs', String(budget));
  w.runtime.startExecution();
  runToEnd(w, w.app.pullLeads({}));
  const book = w.runtime.spreadsheet;
  const description = (book.read(SHEET, '1:1')[0] as string[]).indexOf('Description') + 1;
  const push = (edit: string, stepBudget: number) => {
    w.runtime.scriptProperties.set('closeSync.stepBudgetMs', String(stepBudget));
    for (let row = 2; row < 2 + 600; row++) book.userEdit(SHEET, [row, description], `${edit}, row ${row}`);
    const puts: number[] = [];
    const elapsed: number[] = [];
    let outcome: { done: boolean; message: string } | undefined;
    for (let step = 0; step < 12 && !outcome?.done; step++) {
      const from = w.close.log.length;
      const start = w.clock.now();
      w.runtime.startExecution();
      outcome = (step === 0 ? w.app.pushChanges({}) : w.app.continueSync()) as {
        done: boolean;
        message: string;
      };
      elapsed.push(w.clock.now() - start);
      puts.push(w.close.log.slice(from).filter((e) => e.method === 'PUT' && e.status === 200).length);
    }
    return { puts, message: outcome?.message, elapsed };
  };
  const pushed =
    'Pushed: 600 updated, 0 created, 0 failed, 0 with conflicts, 0 with invalid values, 400 unchanged.';
  const first = push('Edited', budget);
  expect(first.puts).toEqual([480, 120]);
  expect(first.message).toBe(pushed);
  for (const ms of first.elapsed) expect(ms).toBeLessThanOrEqual(budget);
  // 4 s steps, most of each spent reading the sheet at its start: every step still sends what fits in
  // one rate window, and the last one finishes the push — with no new rows there is nothing more to fit
  // (a step with no room left for them kept the push unfinished, and so did every step after it). A
  // step's setup and its first batch, always taken, pass so short a budget; none reaches the limit.
  const again = push('Edited again', 4_000);
  expect(again.puts).toEqual([40, 100, 60, 100, 60, 100, 60, 80]);
  expect(again.message).toBe(pushed);
  for (const ms of again.elapsed) expect(ms).toBeLessThanOrEqual((4_000 * 6) / 4.5);
});

test("a pull paced by Close's rate limit takes a page every step, even one that must wait past the time left to write it", () => {
  // The local preview's steps (2 s) against 1 page a second: each step starts a moment after the last
  // one's page, so its own page waits for the limit longer than leaves room to write it. Such a step
  // used to end with nothing placed and redo its setup in the next, and so on (steps 2 to 9 placed nothing).
  const w = connectedWorld({
    org: buildSampleOrg({ leads: 600 }),
    close: { rateLimits: { 'GET /lead/': { limit: 1, windowMs: 1_000 } } },
    gas: { fetchLatencyMs: 50, spreadsheetCallMs: 0, addonOneOffTriggers: 'allow' },
  });
  w.runtime.scriptProperties.set('closeSync.stepBudgetMs', '2000');
  w.runtime.startExecution();
  let outcome: { done: boolean; message: string } = w.app.pullLeads({ sheetName: 'Paced' });
  const messages = [outcome.message];
  while (!outcome.done && messages.length < 10) {
    w.runtime.startExecution();
    outcome = w.app.continueSync();
    messages.push(outcome.message);
  }
  expect(messages).toEqual([
    'Pulled 200 leads so far (1 pages, step 1)…',
    'Pulled 400 leads so far (2 pages, step 2)…',
    // (4s when the first step waited a second for the count, sent with the schema, past its time: it
    // is not waited for now, and the first page's total sizes the pull instead.)
    'Pulled 600 leads into "Paced" (600 new) in 3s.',
  ]);
  expect(sheetIds(w, 'Paced')).toEqual([...w.close.leads.keys()]);
});
