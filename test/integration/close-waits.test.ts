// Close's waits never outlast a step (pull-step.ts lastChance, incremental.ts walkDeletions, the
// activities pull's GET /me/, the report's reads): when Close makes a request wait longer than the step
// has left before Apps Script's 6-minute limit (a 429 whose RateLimit reset and Retry-After say so, or a
// window the key already spent: developer.close.com/api/overview/rate-limits, "sleep/pause for the number
// of seconds specified by the rate_reset value before making additional requests to that endpoint"),
// the step ends at once with a message saying so, writes nothing half-done, and the next step does the
// work. The fake Close counts each endpoint group per key and per organization (dev/fake-close
// rate-limit.ts); these tests choose windows of ten minutes, longer than an execution.
import { buildSampleOrg } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { SHEET, sent, sheetIds, view, withoutDuration } from './sheet';

const TEN_MINUTES = 600_000;
/** Apps Script's limit on one execution (dev/world.ts DEFAULT_GAS_LIMITS). */
const LIMIT_MS = 6 * 60_000;
/** The requests that load the schema at a step's start (org.ts loadOrgContext). */
const SCHEMA_CALLS = 7;

/** One execution of a sidebar call, the virtual time it took and the requests it sent. */
function execution<T>(w: World, call: () => T): { outcome: T; elapsed: number; sent: string[] } {
  const from = w.runtime.requests.length;
  const began = w.clock.now();
  w.runtime.startExecution();
  const outcome = call();
  return {
    outcome,
    elapsed: w.clock.now() - began,
    sent: sent(w)
      .slice(from)
      .map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`),
  };
}

type Execution = ReturnType<typeof execution<unknown>>;

/** What a step says when Close made it wait past its time for `what`. */
const waited = (what: string, step: number, kind: 'pull' | 'activities' = 'pull') =>
  `Close asked to wait longer than this step had left before it could load ${what}: the ${kind === 'pull' ? 'pull' : 'activities pull'} goes on in the next step (step ${step})…`;

/** The first step, which Close made wait past its time for `what`, ended at once, saying so. */
function expectFirstStepWaited(first: Execution, what: string, kind: 'pull' | 'activities' = 'pull'): void {
  expect(first.outcome).toEqual({
    done: false,
    kind,
    sheetName: kind === 'pull' ? SHEET : 'Close Activities',
    steps: 1,
    message: waited(what, 1, kind),
  });
  expect(first.elapsed).toBeLessThan(LIMIT_MS);
}

/** A connected rep with `leads` sample leads, whose key Close lets send `limit` of `endpoint` each ten minutes. */
function limitedWorld(leads: number, endpoint: string, limit: number): World {
  return connectedWorld({
    org: buildSampleOrg({ leads }),
    close: { rateLimits: { [endpoint]: { limit, windowMs: TEN_MINUTES } } },
    gas: { addonOneOffTriggers: 'allow' },
  });
}

/** Ten minutes on (Close's window passed), the next step of the sync. */
function nextStep(w: World) {
  w.clock.advance(TEN_MINUTES);
  return execution(w, () => w.app.continueSync());
}

test("a pull whose pages Close makes wait past the step's time ends each step at once, writing no half page; the next steps pull every lead", () => {
  // One GET /lead/ every ten minutes (the connection's count spent the first window).
  const w = limitedWorld(12, 'GET /lead/', 1);
  const schema = [
    'GET /custom_field_schema/lead/',
    'GET /status/lead/',
    `GET /organization/${w.close.org.organization.id}/`,
    'GET /custom_field_schema/contact/',
    'GET /custom_field_schema/opportunity/',
    'GET /status/opportunity/',
    'GET /pipeline/',
  ];
  const first = execution(w, () => w.app.pullLeads({}));
  // (It slept the ten minutes for its first page, and Apps Script killed it.)
  expectFirstStepWaited(first, 'the first page of leads');
  // Neither the count nor the page could go (the connection's count spent the window): nothing made yet.
  expect(first.sent).toEqual(schema);
  expect(w.runtime.spreadsheet.sheets.map((s) => s.name)).toEqual(['Sheet1']);

  const second = nextStep(w);
  // The count took the new window; its first page would wait for the next (it slept, and was killed).
  expect(second.outcome).toMatchObject({
    done: false,
    steps: 2,
    message: waited('the next page of leads', 2),
  });
  expect(second.elapsed).toBeLessThan(LIMIT_MS);
  expect(second.sent).toEqual([...schema, 'GET /lead/']);
  expect(w.runtime.spreadsheet.dump(SHEET)).toHaveLength(1);

  const third = nextStep(w);
  expect(third.outcome).toMatchObject({ done: true, steps: 3, leads: 12, added: 12 });
  expect(withoutDuration(third.outcome.message)).toBe('Pulled 12 leads into "Close Leads" (12 new) in …s.');
  expect(third.sent).toEqual([...schema, 'GET /lead/']);
  expect(sheetIds(w).sort()).toEqual([...w.close.leads.keys()].sort());
});

const AUTH = { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` };
/** A colleague deletes a lead through Close's API (so Close logs it in its Event Log, as it would). */
function deleteInClose(w: World, id: string): void {
  w.close.handle({
    method: 'DELETE',
    url: `https://api.close.com/api/v1/lead/${id}/`,
    headers: AUTH,
    body: '',
  });
}

test("an incremental refresh whose further Event Log page Close makes wait past the step's time ends at once, writing nothing; the next step refreshes incrementally", () => {
  // Two GET /event/ every ten minutes: the first refresh opens the window, the second spends the other on
  // its first page of deletions, and its second page would wait for the next window.
  const w = limitedWorld(80, 'GET /event/', 2);
  w.app.pullLeads({});
  w.clock.advance(60_000);
  expect(w.app.pullLeads({})).toMatchObject({ leads: 0, refresh: { mode: 'incremental' } });
  w.clock.advance(60_000);
  // More deletions than one Event Log page holds (50), and a lead changed.
  const ids = sheetIds(w);
  const deleted = ids.slice(10, 65);
  for (const id of deleted) deleteInClose(w, id);
  const changed = ids[70];
  w.close.touchLead(changed, { description: 'changed in Close' });
  const before = w.runtime.spreadsheet.dump(SHEET);
  const first = execution(w, () => w.app.pullLeads({}));
  // (It slept nine minutes for the second page, and Apps Script killed it.)
  expectFirstStepWaited(first, "Close's Event Log");
  // The schema with the count and the first page of deletions; the changed leads' page went on its own
  // (it rides with the second page of deletions) and is dropped: nothing written.
  expect(first.sent.slice(SCHEMA_CALLS)).toEqual(['GET /lead/', 'GET /event/', 'GET /lead/']);
  expect(w.runtime.spreadsheet.dump(SHEET)).toEqual(before);

  const second = nextStep(w);
  expect(second.outcome).toMatchObject({
    done: true,
    steps: 2,
    leads: 1,
    gone: 55,
    refresh: { mode: 'incremental' },
  });
  expect(second.sent.slice(SCHEMA_CALLS)).toEqual(['GET /lead/', 'GET /event/', 'GET /event/', 'GET /lead/']);
  const after = view(w);
  expect(after.cell(changed, 'Description')).toBe('changed in Close');
  expect(new Set(deleted.map((id) => after.cell(id, 'Sync status')))).toEqual(
    new Set(['not in Close any more (deleted or merged?) · 2026-11-28 04:12']),
  );
});

test("a refresh that falls back to reading every lead does not wait past the step's time for the full count: the step ends at once, and the next step pulls every lead", () => {
  // Three GET /lead/ every ten minutes per key, nine per organization.
  const w = limitedWorld(12, 'GET /lead/', 3);
  w.app.pullLeads({});
  // A day on, the refresh plans an incremental read, and its first answers say the daily full pull is
  // due. Meanwhile colleagues' integrations spend eight of the organization's nine: the refresh's count
  // of changed leads takes the last, and its full count would wait for the next window.
  w.clock.advance(25 * 60 * 60_000);
  w.close.setOrgLoad('GET /lead/', 8);
  const id = sheetIds(w)[3];
  w.close.touchLead(id, { description: 'changed in Close' });
  const before = w.runtime.spreadsheet.dump(SHEET);
  const first = execution(w, () => w.app.pullLeads({}));
  // (It slept ten minutes for the full count, and Apps Script killed it.)
  expectFirstStepWaited(first, 'the next page of leads');
  // The count of changed leads and the Event Log's page, with the schema; no full count, no page.
  expect(first.sent.slice(SCHEMA_CALLS)).toEqual(['GET /lead/', 'GET /event/']);
  expect(w.runtime.spreadsheet.dump(SHEET)).toEqual(before);

  // The colleagues' load gone, the next step counts and reads every lead.
  w.close.setOrgLoad('GET /lead/', 0);
  const second = nextStep(w);
  expect(second.outcome).toMatchObject({ done: true, steps: 2, leads: 12, refreshed: 12 });
  expect(withoutDuration(second.outcome.message)).toBe(
    'Pulled 12 leads into "Close Leads" (0 new) in …s. Every lead was read: the daily full pull (contacts and opportunities are not promised to mark their lead as updated).',
  );
  // The full count, then the pages it sized.
  expect(second.sent.slice(SCHEMA_CALLS)).toEqual(['GET /lead/', 'GET /lead/', 'GET /lead/']);
  expect(view(w).cell(id, 'Description')).toBe('changed in Close');
});

test("an activities pull whose GET /me/ (the key's owner not saved) Close makes wait past the step's time ends at once; the next step pulls", () => {
  // Two GET /me/ every ten minutes per key, six per organization.
  const w = connectedWorld({
    close: { rateLimits: { 'GET /me/': { limit: 2, windowMs: TEN_MINUTES } } },
    gas: { addonOneOffTriggers: 'allow' },
  });
  // A key saved by a version that did not keep its owner: the pull asks Close who it belongs to.
  w.runtime.userProperties.delete('closeSync.keyOwner');
  w.clock.advance(TEN_MINUTES);
  // Colleagues' integrations spend the organization's six of the window: Close answers 429, and its
  // RateLimit reset and Retry-After say to wait the ten minutes.
  w.close.setOrgLoad('GET /me/', 6);
  const pull = () =>
    w.app.pullActivities({ types: ['call', 'note'], since: '2024-01-01', until: '2024-06-30' });
  const first = execution(w, pull);
  // (It slept the ten minutes, and Apps Script killed it.)
  expectFirstStepWaited(first, 'who the key belongs to', 'activities');
  expect(first.sent).toEqual(['GET /me/']);
  expect(w.close.log.filter((e) => e.path === '/me/').map((e) => e.status)).toEqual([200, 429]);
  // Only the header of the new sheet: no activity read, none written.
  expect(w.runtime.spreadsheet.dump('Close Activities')).toHaveLength(1);

  w.close.setOrgLoad('GET /me/', 0);
  const second = nextStep(w);
  expect(second.outcome).toMatchObject({
    done: true,
    message: 'Pulled 96 activities (54 calls, 42 notes) into "Close Activities": 96 new, 0 refreshed.',
  });
  expect(second.sent).toEqual([
    'GET /me/',
    `GET /organization/${w.close.org.organization.id}/`,
    'GET /lead/',
    'GET /lead/',
    'GET /activity/call/',
    'GET /activity/note/',
  ]);
  expect(w.runtime.spreadsheet.dump('Close Activities')).toHaveLength(97);
});

test("a scheduled refresh whose report's reads (GET /me/, the opportunities, the status changes) Close makes wait past the run's time logs the report as not refreshed, changing nothing; the next run refreshes it", () => {
  // Two GET /me/ every ten minutes per key (the connection's and the report's first build), six per organization.
  const w = connectedWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: {
      rateLimits: {
        'GET /me/': { limit: 2, windowMs: TEN_MINUTES },
        'GET /opportunity/': { limit: 2, windowMs: TEN_MINUTES },
        'GET /activity/status_change/lead/': { limit: 2, windowMs: TEN_MINUTES },
      },
    },
  });
  w.app.pullLeads({});
  w.app.buildReport({ by: 'week' });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  // A day on, the report's cached schema is too old: its rebuild asks Close who the key belongs to, and
  // colleagues' integrations have spent the organization's six of the window (a 429 saying ten minutes).
  w.clock.advance(25 * 60 * 60_000);
  w.close.setOrgLoad('GET /me/', 6);
  const report = w.runtime.spreadsheet.dump('Close Report');
  const began = w.clock.now();
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  // (It slept the ten minutes after the pull, and Apps Script killed it: the run was never logged.)
  expect(w.clock.now() - began).toBeLessThan(LIMIT_MS);
  expect(w.close.log.filter((e) => e.path === '/me/').map((e) => e.status)).toEqual([200, 200, 429]);
  const log = () => w.runtime.spreadsheet.dumpDisplay('Close Sync Log').map((row) => row.slice(4));
  expect(log()).toEqual([
    ['Leads', 'Outcome', 'Message'],
    [
      '12',
      'ok',
      'Pulled 12 leads (0 new). Report not refreshed: Close asked to wait longer than this run had left before it could load who the key belongs to: the report was not changed. Build it again in a few minutes.',
    ],
  ]);
  expect(w.runtime.spreadsheet.dump('Close Report')).toEqual(report);

  // The next run, the colleagues' load gone, refreshes it.
  w.close.setOrgLoad('GET /me/', 0);
  w.clock.advance(60 * 60_000);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  expect(log()[2]).toEqual(['0', 'ok', 'Refreshed 0 changed leads (0 new). Report refreshed.']);

  // The same for the opportunities it reads (an hour on, the last build's are no longer fresh).
  w.close.setOrgLoad('GET /opportunity/', 6);
  w.clock.advance(60 * 60_000);
  const report2 = w.runtime.spreadsheet.dump('Close Report');
  const began2 = w.clock.now();
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  expect(w.clock.now() - began2).toBeLessThan(LIMIT_MS);
  expect(log()[3]).toEqual([
    '0',
    'ok',
    'Refreshed 0 changed leads (0 new). Report not refreshed: Close asked to wait longer than this run had left before it could load the opportunities: the report was not changed. Build it again in a few minutes.',
  ]);
  expect(w.runtime.spreadsheet.dump('Close Report')).toEqual(report2);

  // And for the status changes of its status history (it said to choose a shorter period).
  w.close.setOrgLoad('GET /opportunity/', 0);
  w.close.setOrgLoad('GET /activity/status_change/lead/', 6);
  w.clock.advance(60 * 60_000);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  expect(log()[4]).toEqual([
    '0',
    'ok',
    'Refreshed 0 changed leads (0 new). Report not refreshed: Close asked to wait longer than this run had left before it could load the status changes: the report was not changed. Build it again in a few minutes.',
  ]);
  expect(w.runtime.spreadsheet.dump('Close Report')).toEqual(report2);
});

test('a refresh step that read a page of changed leads before Close made the next wait says what it pulled, not that it waited', () => {
  const w = limitedWorld(300, 'GET /lead/', 1000);
  w.app.pullLeads({});
  w.clock.advance(TEN_MINUTES);
  // 250 leads changed in Close (two pages); colleagues leave the organization two GET /lead/ of the
  // window: the count of changed leads and their first page.
  const changed = sheetIds(w).slice(0, 250);
  for (const id of changed) w.close.touchLead(id, { description: `changed ${id}` });
  w.close.setOrgLoad('GET /lead/', 2998);
  const first = execution(w, () => w.app.pullLeads({}));
  // (It said 'Close asked to wait longer than this step had left before it could load the next page of
  // leads': the page it read is held until the loop ends, as only the ID column was read.)
  expect(first.outcome).toMatchObject({ done: false, message: 'Pulled 200 leads so far (1 pages, step 1)…' });
  expect(first.elapsed).toBeLessThan(LIMIT_MS);
  expect(first.sent.slice(SCHEMA_CALLS)).toEqual(['GET /lead/', 'GET /event/', 'GET /lead/']);
  const described = () => {
    const v = view(w);
    return changed.filter((id) => v.cell(id, 'Description') === `changed ${id}`).length;
  };
  expect(described()).toBe(200);

  w.close.setOrgLoad('GET /lead/', 0);
  const second = nextStep(w);
  expect(second.outcome).toMatchObject({ done: true, steps: 2, leads: 250, refreshed: 250 });
  expect(described()).toBe(250);
});
