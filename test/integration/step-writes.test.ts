// Steps sized by the writes they do (src/core/sync/step-writes.ts): a pull whose writes alone would pass
// Apps Script's time limit stops fetching while what it placed can still be written, and hands the
// rest to the next step — no step is killed mid-write and redone.
import { buildBulkOrg } from '../../dev/fake-close';
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { connectedWorld, type World } from './harness';
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
