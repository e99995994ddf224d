// Every push and undo step records something, however late its first request goes. A step sends its
// requests only while their answers can still be written before its deadline (step-writes.ts); one that
// finds Close's rate window spent by the step before it a moment ago (the sidebar starts the next step
// at once) used to give up without recording anything — and so, half the time, did the step after it.
// A step that has recorded nothing may now wait for its first wave past that point, as long as its
// writes at their worst still end before Apps Script's limit (plan.ts firstStopAt, client.ts firstBy).
import { buildBulkOrg } from '../../dev/fake-close';
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { connectedWorld, runToEnd, type World } from './harness';
import { SHEET, sent, sheetIds, view } from './sheet';

const LEADS = 60;
/** Apps Script's 4.5-minute step in its 6-minute execution, scaled down so the test runs in seconds. */
const BUDGET_MS = 4_000;
const LIMIT_MS = (BUDGET_MS * 6) / 4.5;
/** Close lets this key make 10 PUTs a 3-second window: a step's worth, so every step meets the limit. */
const PUTS_PER_WINDOW = 10;

/** Published Sheets costs and a real fetch latency, in scaled-down steps (BUDGET_MS of LIMIT_MS). */
const SLOW_STEPS = {
  fetchLatencyMs: 250,
  spreadsheetCallMs: PUBLISHED_SHEET_COST.callMs,
  spreadsheetVolumeCost: PUBLISHED_SHEET_COST,
  maxExecutionMs: LIMIT_MS,
  addonOneOffTriggers: 'allow' as const,
};

/** Steps of BUDGET_MS, then every lead pulled into the sheet. */
function startPulled(w: World): void {
  w.runtime.scriptProperties.set('closeSync.stepBudgetMs', String(BUDGET_MS));
  w.runtime.startExecution();
  runToEnd(w, w.app.pullLeads({}));
}

/**
 * 60 pulled leads, each renamed in the sheet. Close publishes no rate numbers (the fake's defaults follow
 * what was seen: rate-limit.ts); this test chooses a tight PUT window, and lets lead GETs (the resumed
 * step's conflict checks) through freely, so what paces the job is its PUTs.
 */
function renamedWorld(): { w: World; ids: string[]; names: Map<string, string> } {
  const w = connectedWorld({
    org: buildBulkOrg({ leads: LEADS, customFields: 2 }),
    close: {
      rateLimits: {
        'PUT /lead/{id}/': { limit: PUTS_PER_WINDOW, windowMs: 3_000 },
        'GET /lead/{id}/': { limit: 1_000, windowMs: 8_000 },
      },
    },
    gas: SLOW_STEPS,
  });
  startPulled(w);
  const ids = sheetIds(w).sort();
  const names = new Map(ids.map((id) => [id, String(w.close.leads.get(id)!.name)]));
  const v = view(w);
  for (const id of ids)
    w.runtime.spreadsheet.userEdit(SHEET, [v.row(id), v.col('Name')], `${names.get(id)} (renamed)`);
  w.runtime.requests.length = 0;
  return { w, ids, names };
}

/** Runs a job step by step as the sidebar does (the next step at once), each in an execution of its own. */
function drive(w: World, start: () => { done: boolean; message: string }) {
  const messages: string[] = [];
  const puts: number[] = [];
  const elapsed: number[] = [];
  let outcome: { done: boolean; message: string } | undefined;
  for (let step = 0; step < 30 && !outcome?.done; step++) {
    const from = w.runtime.requests.length;
    const began = w.clock.now();
    w.runtime.startExecution();
    outcome = step === 0 ? start() : w.app.continueSync();
    elapsed.push(w.clock.now() - began);
    messages.push(outcome!.message);
    puts.push(w.runtime.requests.slice(from).filter((r) => r.method === 'PUT').length);
  }
  return { messages, puts, elapsed };
}

const tenAStep = (what: (n: number) => string, last: string) => [
  ...Array.from({ length: LEADS / PUTS_PER_WINDOW - 1 }, (_, i) => what((i + 1) * PUTS_PER_WINDOW)),
  last,
];

test("push and undo paced by Close's rate limit: every step, started as the last one spent the window, records one window's leads; each lead PUT once, every status written", () => {
  const { w, ids, names } = renamedWorld();
  const push = drive(w, () => w.app.pushChanges({}));
  // Before: every other step found the window spent, gave up before its first PUT, and recorded
  // nothing (11 steps, each re-reading the sheet and checking a batch of leads again).
  expect(push.messages).toEqual(
    tenAStep(
      (n) => `Pushed ${n} leads so far (step ${n / PUTS_PER_WINDOW})…`,
      'Pushed: 60 updated, 0 created, 0 failed, 0 with conflicts, 0 with invalid values, 0 unchanged.',
    ),
  );
  expect(push.puts).toEqual(Array(LEADS / PUTS_PER_WINDOW).fill(PUTS_PER_WINDOW));
  for (const ms of push.elapsed) expect(ms).toBeLessThan(LIMIT_MS);
  expect(sent(w, 'PUT')).toEqual(
    ids.map((id) => ({ method: 'PUT', path: `/lead/${id}/`, body: { name: `${names.get(id)} (renamed)` } })),
  );
  const pushed = view(w);
  expect(ids.map((id) => pushed.cell(id, 'Sync status'))).toEqual(
    ids.map(() => expect.stringMatching(/^updated · 2026-11-28 04:0\d$/)),
  );

  w.clock.advance(60_000);
  w.runtime.requests.length = 0;
  const undo = drive(w, () => w.app.undoLastPush({ confirmed: true }));
  expect(undo.messages).toEqual(
    tenAStep(
      (n) => `Undid ${n} fields so far (step ${n / PUTS_PER_WINDOW})…`,
      'Undid the push of 2026-11-28 04:00 by rep@example.com: restored 60 fields on 60 leads.',
    ),
  );
  expect(undo.puts).toEqual(Array(LEADS / PUTS_PER_WINDOW).fill(PUTS_PER_WINDOW));
  for (const ms of undo.elapsed) expect(ms).toBeLessThan(LIMIT_MS);
  expect(sent(w, 'PUT')).toEqual(
    ids.map((id) => ({ method: 'PUT', path: `/lead/${id}/`, body: { name: names.get(id) } })),
  );
  const undone = view(w);
  expect(ids.map((id) => [undone.cell(id, 'Name'), undone.cell(id, 'Sync status')])).toEqual(
    ids.map((id) => [names.get(id), expect.stringMatching(/^undone: Name restored · 2026-11-28 04:0\d$/)]),
  );
  for (const id of ids) expect(w.close.leads.get(id)!.name).toBe(names.get(id));
});

test("new rows paced by Close's rate limit on creates: each step creates what it can send in time, never killed mid-POST; each row created once and given its Lead ID", () => {
  // Close lets this key create 10 leads a 3-second window; 30 new rows need three. A step of 4 s (killed
  // at 5.3 s) used to send every POST whatever the time, and was killed waiting for the third window:
  // 20 leads in Close, none recorded, the job lost, 30 rows left marked "creating…".
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 5, customFields: 2 }),
    close: { rateLimits: { 'POST /lead/': { limit: 10, windowMs: 3_000 } } },
    gas: SLOW_STEPS,
  });
  startPulled(w);
  const before = new Set(w.close.leads.keys());
  const nameColumn = view(w).col('Name');
  const names = Array.from({ length: 30 }, (_, i) => `New lead ${String(i + 1).padStart(2, '0')}`);
  names.forEach((name, i) => {
    w.runtime.spreadsheet.userEdit(SHEET, [7 + i, nameColumn], name);
  });
  w.runtime.requests.length = 0;
  const push = drive(w, () => w.app.pushChanges({}));
  expect(push.messages).toEqual([
    // (It said "Pushed 0 leads so far" while it created them.)
    'Created 10 leads so far (step 1)…',
    'Created 20 leads so far (step 2)…',
    'Pushed: 0 updated, 30 created, 0 failed, 0 with conflicts, 0 with invalid values, 5 unchanged.',
  ]);
  for (const ms of push.elapsed) expect(ms).toBeLessThan(LIMIT_MS);
  // One POST per row, in row order; no search for an earlier create (no row was left marked pending).
  expect(sent(w, 'POST').map((r) => [r.path, r.body])).toEqual(names.map((name) => ['/lead/', { name }]));
  expect(sent(w, 'GET').filter((r) => r.path === '/lead/')).toEqual([]);
  const created = [...w.close.leads.values()].filter((l) => !before.has(l.id));
  expect(created.map((l) => l.name)).toEqual(names);
  const v = view(w);
  const rows = v.rows.slice(6, 36);
  expect(rows.map((r) => [r[v.col('Lead ID') - 1], r[nameColumn - 1], r[v.col('Sync status') - 1]])).toEqual(
    created.map((l) => [l.id, l.name, expect.stringMatching(/^created · 2026-11-28 04:0\d$/)]),
  );
});
