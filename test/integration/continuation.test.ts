// Long pulls continue by themselves in a time-driven trigger, show progress, and can be cancelled.
import { buildBulkOrg } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { SHEET, sheetIds } from './sheet';

jest.setTimeout(60_000);

/**
 * 3,000 leads, but Close lets this key read only 2 pages a minute: the pull needs several executions.
 * Whether Apps Script lets an add-on make a one-off trigger a minute ahead is undocumented: `oneOff`
 * 'allow' is the lenient reading, 'refuse' (the fakes' default) the harsh one.
 */
function slowWorld(oneOff: 'allow' | 'refuse' = 'allow'): World {
  return connectedWorld({
    org: buildBulkOrg({ leads: 3_000, customFields: 5 }),
    close: { rateLimits: { 'GET /lead/': { limit: 2, windowMs: 60_000 } } },
    gas: { fetchLatencyMs: 250, maxExecutionMs: 6 * 60_000, addonOneOffTriggers: oneOff },
  });
}

test('a pull that outlasts one execution continues in its one-off trigger until done, then removes it', () => {
  const w = slowWorld();
  w.runtime.startExecution();
  const first = w.app.pullLeads({});
  expect(first).toMatchObject({ done: false, kind: 'pull', sheetName: SHEET, steps: 1 });
  expect(first.message).toMatch(/^Pulled \d+ leads so far \(\d+ pages, step 1\)…$/);
  expect(w.runtime.triggers.map((t) => t.handlerFunction)).toEqual(['onSyncTimer']);
  expect(w.app.getSyncStatus()).toMatchObject({
    job: {
      kind: 'pull',
      sheetName: SHEET,
      steps: 1,
      startedBy: 'rep@example.com',
      startedAt: '2026-11-28 04:00',
    },
    progress: { action: 'pull', message: first.message, done: false },
  });
  const written = sheetIds(w).length;
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThan(3_000);

  let fired = 0;
  while (w.runtime.triggers.length > 0 && fired < 10) {
    w.clock.advance(60_000);
    w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
    fired++;
  }
  expect(fired).toBeGreaterThan(0);
  expect(w.runtime.triggers).toEqual([]);
  expect(w.app.getSyncStatus().job).toBeNull();
  expect(w.app.getSyncStatus().progress).toMatchObject({ action: 'pull', done: true });
  expect(w.app.getSyncStatus().progress.message).toMatch(
    /^Pulled 3000 leads into "Close Leads" \(3000 new\) in [\d.]+s\.$/,
  );
  const ids = sheetIds(w);
  expect(ids).toHaveLength(3_000);
  expect(new Set(ids).size).toBe(3_000);
  // Rows the sheet grew by in later steps have the columns' formats and dropdowns too.
  const header = w.runtime.spreadsheet.read(SHEET, '1:1')[0];
  const last = w.runtime.spreadsheet.cellInfo(SHEET, [3_001, header.indexOf('Name') + 1]);
  expect(last.numberFormat).toBe('@');
  expect(
    w.runtime.spreadsheet.cellInfo(SHEET, [3_001, header.indexOf('Status') + 1]).validation,
  ).toMatchObject({
    criteria: 'VALUE_IN_LIST',
  });
});

const NO_BACKGROUND =
  'Google Sheets did not let Close Sync continue in the background here: keep the sidebar open until it finishes.';

describe('where Apps Script refuses an add-on a one-off trigger a minute ahead (the harsh reading)', () => {
  test('the step still ends cleanly, says to keep the sidebar open, and the sidebar finishes the pull', () => {
    const w = slowWorld('refuse');
    w.runtime.startExecution();
    const first = w.app.pullLeads({});
    expect(first).toMatchObject({ done: false, kind: 'pull', sheetName: SHEET, steps: 1 });
    expect(first.message).toMatch(/^Pulled \d+ leads so far \(\d+ pages, step 1\)… /);
    expect(first.message.endsWith(` ${NO_BACKGROUND}`)).toBe(true);
    expect(w.runtime.triggers).toEqual([]);
    // The job record is intact (no error): the sidebar's progress shows the same words.
    const status = w.app.getSyncStatus();
    expect(status.job).toMatchObject({
      kind: 'pull',
      sheetName: SHEET,
      steps: 1,
      startedBy: 'rep@example.com',
    });
    expect(status.job.error).toBeUndefined();
    expect(status.progress).toMatchObject({ action: 'pull', message: first.message, done: false });
    // The sidebar continues it right away, step after step.
    let outcome = first;
    let steps = 1;
    while (!outcome.done && steps < 20) {
      w.clock.advance(1_000);
      w.runtime.startExecution();
      outcome = w.app.continueSync();
      steps++;
    }
    expect(outcome).toMatchObject({ done: true, leads: 3_000, added: 3_000 });
    expect(steps).toBeGreaterThan(1);
    expect(new Set(sheetIds(w)).size).toBe(3_000);
    expect(w.app.getSyncStatus().job).toBeNull();
  });

  test('from the menu, the toast says to open the sidebar, not that it continues in the background', () => {
    const w = slowWorld('refuse');
    w.runtime.openDocument(w.app, 'FULL');
    w.runtime.clickMenu(w.app, 'Pull leads');
    expect(w.runtime.ui.toasts).toHaveLength(1);
    expect(
      w.runtime.ui.toasts[0].message.endsWith(
        `${NO_BACKGROUND} Open the sidebar (Extensions → Close Sync → Open sidebar) to finish it.`,
      ),
    ).toBe(true);
  });

  test("the rep's hourly schedule trigger still installs, and when it fires it continues the job", () => {
    const w = slowWorld('refuse');
    w.app.setSchedule({ every: 'hour', hours: 1 });
    w.runtime.startExecution();
    const first = w.app.pullLeads({});
    expect(first.done).toBe(false);
    expect(w.runtime.triggers.map((t) => t.schedule)).toEqual([{ everyHours: 1 }]);
    const before = sheetIds(w).length;
    w.clock.advance(3_600_000);
    w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
    expect(before).toBeLessThan(3_000);
    // The second step fetches until its writes would no longer fit (a few seconds before its end):
    // the rest of the pull, here.
    expect(sheetIds(w)).toHaveLength(3_000);
    expect(w.app.getSyncStatus().job).toBeNull();
    expect(w.runtime.triggers.map((t) => t.schedule)).toEqual([{ everyHours: 1 }]);
  });
});

test('while a pull is under way, another pull or push is refused with who started it', () => {
  const w = slowWorld();
  w.runtime.startExecution();
  w.app.pullLeads({});
  expect(() => w.app.pushChanges({})).toThrow(
    'A pull of "Close Leads" is in progress (started by rep@example.com at 2026-11-28 04:00, 1 step done). Continue it or cancel it in the sidebar.',
  );
});

test('cancelling stops the job and its trigger; what was written stays, and a new pull completes it', () => {
  const w = slowWorld();
  w.runtime.startExecution();
  w.app.pullLeads({});
  const partial = sheetIds(w);
  expect(w.app.cancelSync()).toEqual({
    cancelled: true,
    message: 'Cancelled the pull of "Close Leads" after 1 step.',
  });
  expect(w.runtime.triggers).toEqual([]);
  expect(w.app.getSyncStatus().job).toBeNull();
  expect(sheetIds(w)).toEqual(partial);
  expect(w.app.cancelSync()).toEqual({ cancelled: false, message: 'Nothing was running.' });
  w.runtime.startExecution();
  let outcome = w.app.pullLeads({});
  while (!outcome.done) {
    w.clock.advance(60_000);
    w.runtime.startExecution();
    outcome = w.app.continueSync();
  }
  expect(outcome).toMatchObject({ leads: 3_000, added: 3_000 - partial.length, refreshed: partial.length });
  expect(new Set(sheetIds(w)).size).toBe(3_000);
});

test('closeSync.stepBudgetMs shortens steps (never lengthens them): each ends by its budget, the pull still ends whole', () => {
  // Two pages per 10 s: 15 pages take over a minute, more than three 20-second steps.
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 3_000, customFields: 5 }),
    close: { rateLimits: { 'GET /lead/': { limit: 2, windowMs: 10_000 } } },
    gas: { fetchLatencyMs: 250, maxExecutionMs: 6 * 60_000 },
  });
  w.runtime.scriptProperties.set('closeSync.stepBudgetMs', '20000');
  w.runtime.startExecution();
  const started = w.clock.now();
  const first = w.app.pullLeads({});
  expect(first).toMatchObject({ done: false, steps: 1 });
  // The first wave may only wait until a quarter of the budget is left; writing is quick.
  expect(w.clock.now() - started).toBeLessThan(20_000);
  let outcome = first;
  let steps = 1;
  while (!outcome.done && steps < 50) {
    w.clock.advance(1_000);
    w.runtime.startExecution();
    const t = w.clock.now();
    outcome = w.app.continueSync();
    expect(w.clock.now() - t).toBeLessThan(20_000);
    steps++;
  }
  expect(outcome).toMatchObject({ done: true, leads: 3_000 });
  expect(steps).toBeGreaterThan(3);
  expect(new Set(sheetIds(w)).size).toBe(3_000);

  // A budget past the safe one is ignored: 4.5 minutes is the most a step takes.
  const w2 = slowWorld();
  w2.runtime.scriptProperties.set('closeSync.stepBudgetMs', String(60 * 60_000));
  w2.runtime.startExecution();
  const t2 = w2.clock.now();
  expect(w2.app.pullLeads({})).toMatchObject({ done: false, steps: 1 });
  expect(w2.clock.now() - t2).toBeLessThan(4.5 * 60_000);
  expect(w2.clock.now() - t2).toBeGreaterThanOrEqual(3 * 60_000);
});

test('an organization with 150 custom fields: the job record and the sheet definition stay under 9 KB a property', () => {
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 3_000, customFields: 150 }),
    close: { rateLimits: { 'GET /lead/': { limit: 2, windowMs: 60_000 } } },
    gas: { fetchLatencyMs: 250, maxExecutionMs: 6 * 60_000 },
  });
  w.runtime.startExecution();
  let outcome = w.app.pullLeads({});
  expect(outcome).toMatchObject({ done: false, steps: 1 });
  for (let i = 0; i < 20 && !outcome.done; i++) {
    w.clock.advance(60_000);
    w.runtime.startExecution();
    outcome = w.app.continueSync();
  }
  expect(outcome).toMatchObject({ done: true, leads: 3_000, columns: 150 + 13 });
  const props = w.runtime.spreadsheet.documentProperties.toObject();
  const sizes = Object.entries(props).map(([k, v]) => [k, v.length] as const);
  expect(sizes.filter(([, n]) => n > 9_000)).toEqual([]);
  // What grows with the columns is in the hidden state sheet (sheet-store.ts), none of it in properties.
  expect(Object.keys(props).filter((k) => k.includes('#seen'))).toEqual([]);
  const state = w.runtime.spreadsheet.dump('Close Sync state');
  expect(state.find((r) => r[0] === 'closeSync.definition.Close Leads')![1]).toMatch(
    /^\{"fields":null,"seen":/,
  );
  // The saved columns come back whole: a second pull sees no schema drift.
  const seen = w.app.getPullDefinition('Close Leads').seen;
  expect(Object.keys(seen)).toHaveLength(150 + 13);
  const header = w.runtime.spreadsheet.read(SHEET, '1:1')[0];
  w.clock.advance(60_000);
  w.runtime.startExecution();
  let again = w.app.pullLeads({});
  for (let i = 0; i < 20 && !again.done; i++) {
    w.clock.advance(60_000);
    w.runtime.startExecution();
    again = w.app.continueSync();
  }
  expect(again).toMatchObject({ done: true, added: 0 });
  expect(w.runtime.spreadsheet.read(SHEET, '1:1')[0]).toEqual(header);
});
