// Scheduled refresh: the one time-based trigger an add-on may keep per user per document, firing it as
// Apps Script would, unpushed edits left alone, the Close Sync Log, failures, and turning it off.
import { buildBulkOrg, SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { FakeSpreadsheet } from '../../dev/gas-fakes';
import { connectedWorld, makeWorld, runToEnd, type World } from './harness';
import { SHEET, cell, edit, sent, sheetIds, view } from './sheet';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const LOG = 'Close Sync Log';
const LOG_HEADER = ['Started', 'Finished', 'Sheet', 'Run by', 'Leads', 'Outcome', 'Message'];
const cf = (key: keyof typeof SAMPLE_FIELDS) => `custom.${SAMPLE_FIELDS[key]}`;

function pulled(options: Parameters<typeof connectedWorld>[0] = {}): World {
  const w = connectedWorld(options);
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  return w;
}

const clockTriggers = (w: World) =>
  w.runtime.triggers.map((t) => ({ handler: t.handlerFunction, type: t.eventType, schedule: t.schedule }));

/** Fires the rep's one trigger, the way Apps Script runs it: a new execution, AuthMode.FULL, no Ui. */
function fire(w: World): void {
  expect(w.runtime.triggers).toHaveLength(1);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
}

const logRows = (w: World) => w.runtime.spreadsheet.dumpDisplay(LOG);

describe('the schedule trigger', () => {
  const w = pulled();

  test('setSchedule installs one time-based trigger, every N hours, and keeps the schedule in document properties', () => {
    const before = w.clock.now();
    const view = w.app.setSchedule({ every: 'hour', hours: 4 });
    const after = w.clock.now();
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 4 } },
    ]);
    const [saved] = JSON.parse(w.runtime.documentProperties.get('closeSync.schedules')!);
    // Set during the call (Sheets calls take time before and after it is saved).
    expect(saved.setAt).toBeGreaterThanOrEqual(before);
    expect(saved.setAt).toBeLessThanOrEqual(after);
    expect(JSON.parse(w.runtime.documentProperties.get('closeSync.schedules')!)).toEqual([
      {
        sheetName: SHEET,
        every: 'hour',
        hours: 4,
        atHour: 0,
        setBy: 'rep@example.com',
        setAt: saved.setAt,
        paused: null,
        last: null,
      },
    ]);
    expect(view).toEqual({
      me: 'rep@example.com',
      timeZone: 'America/New_York',
      defaultSheet: SHEET,
      sheets: [SHEET],
      schedules: [
        {
          sheetName: SHEET,
          every: 'hour',
          hours: 4,
          atHour: 0,
          description: 'Every 4 hours',
          setBy: 'rep@example.com',
          setAt: '2026-11-28 04:00',
          mine: true,
          paused: null,
          last: null,
          next: '2026-11-28 08:00',
        },
      ],
    });
    expect(w.app.getSchedule()).toEqual(view);
    // The key stays in the rep's own UserProperties.
    expect(JSON.stringify(w.runtime.documentProperties.toObject())).not.toContain('api_test_key_1');
  });

  test('saving the same schedule keeps the trigger; a daily one replaces it (still one)', () => {
    const id = w.runtime.triggers[0].uniqueId;
    w.app.setSchedule({ every: 'hour', hours: 4 });
    expect(w.runtime.triggers.map((t) => t.uniqueId)).toEqual([id]);
    const view = w.app.setSchedule({ every: 'day', atHour: 7 });
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { atHour: 7, everyDays: 1 } },
    ]);
    expect(w.runtime.triggers[0].uniqueId).not.toBe(id);
    expect(view.schedules[0]).toMatchObject({ description: 'Every day at 07:00', next: '2026-11-28 07:00' });
  });

  test('a second sheet shares the one trigger, made hourly; each firing runs what is due', () => {
    w.app.setSchedule({ sheetName: 'Leads West', every: 'hour', hours: 2 });
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } },
    ]);
    expect(w.app.getSchedule().schedules.map((s: { sheetName: string }) => s.sheetName)).toEqual([
      SHEET,
      'Leads West',
    ]);
    // The fake enforces Apps Script's limit: a second time-based trigger would throw.
    const ScriptApp = w.runtime.globals.ScriptApp as GoogleAppsScript.Script.ScriptApp;
    expect(() => ScriptApp.newTrigger('onSyncTimer').timeBased().everyHours(1).create()).toThrow(
      'This add-on has created too many time-based triggers in this document for this Google user account.',
    );
  });

  test('clearSchedule turns a sheet off; the last one off removes the trigger', () => {
    w.app.clearSchedule('Leads West');
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { atHour: 7, everyDays: 1 } },
    ]);
    expect(w.app.clearSchedule()).toMatchObject({ schedules: [] });
    expect(w.runtime.triggers).toEqual([]);
    expect(w.runtime.documentProperties.get('closeSync.schedules')).toBeNull();
  });

  test('invalid schedules are refused with a reason', () => {
    expect(() => w.app.setSchedule({ every: 'hour', hours: 3 })).toThrow(
      'Refresh every 1, 2, 4, 6, 8 or 12 hours (not 3).',
    );
    expect(() => w.app.setSchedule({ every: 'day', atHour: 24 })).toThrow(
      'The hour of a daily refresh is 0 to 23 (not 24).',
    );
    expect(() => w.app.setSchedule({ every: 'minute' })).toThrow(
      `Refresh "every" must be 'hour' or 'day' (not "minute").`,
    );
    expect(w.runtime.triggers).toEqual([]);
  });
});

test('each rep has their own trigger for their own schedule', () => {
  const book = new FakeSpreadsheet({ timeZone: 'America/New_York' });
  const rep = pulled({
    gas: { spreadsheet: book },
    close: { apiKeys: ['api_test_key_1', 'api_test_key_2'] },
  });
  const bob = makeWorld({
    gas: { spreadsheet: book, userEmail: 'bob@example.com', clock: rep.clock },
    intercept: (req) => rep.close.handle(req),
  });
  bob.app.saveApiKey('api_test_key_2');
  rep.app.setSchedule({ every: 'hour', hours: 1 });
  bob.app.setSchedule({ sheetName: 'Leads West', every: 'day', atHour: 8 });
  expect(clockTriggers(rep)).toEqual([
    { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } },
  ]);
  expect(clockTriggers(bob)).toEqual([
    { handler: 'onSyncTimer', type: 'CLOCK', schedule: { atHour: 8, everyDays: 1 } },
  ]);
  expect(rep.runtime.triggers[0].userEmail).toBe('rep@example.com');
  expect(bob.runtime.triggers[0].userEmail).toBe('bob@example.com');
  expect(
    bob.app
      .getSchedule()
      .schedules.map((s: { sheetName: string; setBy: string; mine: boolean }) => [
        s.sheetName,
        s.setBy,
        s.mine,
      ]),
  ).toEqual([
    [SHEET, 'rep@example.com', false],
    ['Leads West', 'bob@example.com', true],
  ]);
});

test('the trigger fires: the pull runs as the rep who set it, the log gets a row, the sidebar shows last and next', () => {
  const book = new FakeSpreadsheet({ timeZone: 'America/New_York' });
  const ann = pulled({
    gas: { spreadsheet: book },
    close: { apiKeys: ['api_test_key_1', 'api_test_key_2'] },
  });
  // Bob connects with his own key and sets the schedule: his trigger, his key.
  const bob = makeWorld({
    gas: { spreadsheet: book, userEmail: 'bob@example.com', clock: ann.clock },
    intercept: (req) => ann.close.handle(req),
  });
  bob.app.saveApiKey('api_test_key_2');
  bob.app.setSchedule({ every: 'hour', hours: 2 });
  expect(ann.runtime.triggers).toEqual([]);
  ann.close.touchLead(WAYNE_LEAD_ID, { description: 'Changed in Close' });

  // Not due yet an hour later: nothing runs, nothing is logged.
  ann.clock.advance(HOUR);
  bob.runtime.requests.length = 0;
  fire(bob);
  expect(bob.runtime.requests).toEqual([]);
  expect(book.sheet(LOG)).toBeUndefined();

  ann.clock.advance(HOUR);
  fire(bob);
  expect(cell(ann, WAYNE_LEAD_ID, 'Description')).toBe('Changed in Close');
  const basic = `Basic ${Buffer.from('api_test_key_2:').toString('base64')}`;
  expect(new Set(bob.runtime.requests.map((r) => r.headers.Authorization))).toEqual(new Set([basic]));
  expect(sent(bob).filter((r) => r.method !== 'GET')).toEqual([]);
  expect(logRows(ann)).toEqual([
    LOG_HEADER,
    [
      '2026-11-28 06:00',
      '2026-11-28 06:00',
      SHEET,
      'bob@example.com',
      '1',
      'ok',
      'Refreshed 1 changed lead (0 new).',
    ],
  ]);
  // The log is a visible sheet; its text columns are plain text.
  expect(book.requireSheet(LOG).hidden).toBe(false);
  expect(book.cellInfo(LOG, 'G2').numberFormat).toBe('@');
  const shown = ann.app.getSchedule().schedules[0];
  expect(shown).toEqual({
    sheetName: SHEET,
    every: 'hour',
    hours: 2,
    atHour: 0,
    description: 'Every 2 hours',
    setBy: 'bob@example.com',
    setAt: '2026-11-28 04:00',
    mine: false,
    paused: null,
    last: {
      started: '2026-11-28 06:00',
      finished: '2026-11-28 06:00',
      outcome: 'ok',
      leads: 1,
      message: 'Refreshed 1 changed lead (0 new).',
    },
    next: '2026-11-28 08:00',
  });
  // The recurring trigger stays as it was.
  expect(clockTriggers(bob)).toEqual([
    { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 2 } },
  ]);
});

test('a daily schedule runs once a day, at its hour in the spreadsheet time zone', () => {
  const w = pulled();
  w.app.setSchedule({ every: 'day', atHour: 6 });
  expect(w.app.getSchedule().schedules[0].next).toBe('2026-11-28 06:00');
  // Apps Script runs an atHour(6) trigger some time between 6 and 7.
  w.clock.advance(2 * HOUR + 20 * 60_000);
  fire(w);
  w.clock.advance(HOUR);
  fire(w); // an early or repeated firing the same day does nothing
  expect(logRows(w).map((r) => r[0])).toEqual(['Started', '2026-11-28 06:20']);
  expect(w.app.getSchedule().schedules[0].next).toBe('2026-11-29 06:00');
  w.clock.advance(23 * HOUR);
  fire(w);
  expect(logRows(w).map((r) => r[0])).toEqual(['Started', '2026-11-28 06:20', '2026-11-29 06:20']);
});

test('a scheduled refresh never overwrites unpushed edits: it leaves those rows as they are, and says so', () => {
  const w = pulled();
  const other = w.close.org.leads.find((l) => l.id !== WAYNE_LEAD_ID && !l[cf('industry')])!;
  edit(w, WAYNE_LEAD_ID, 'Name', 'Wayne (edited)');
  edit(w, WAYNE_LEAD_ID, 'Description', 'Typed, not pushed');
  edit(w, other.id, 'Industry', 'Software');
  // Meanwhile, in Close: other fields of the same leads change.
  w.close.touchLead(WAYNE_LEAD_ID, { url: 'https://wayne.example.com' });
  w.close.touchLead(other.id, { description: 'Updated in Close' });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.clock.advance(HOUR);
  fire(w);

  const v = view(w);
  expect(v.cell(WAYNE_LEAD_ID, 'Name')).toBe('Wayne (edited)');
  expect(v.cell(WAYNE_LEAD_ID, 'Description')).toBe('Typed, not pushed');
  expect(v.cell(WAYNE_LEAD_ID, 'URL')).toBe('https://wayne.example.com');
  expect(v.cell(WAYNE_LEAD_ID, 'Sync status')).toBe('kept 2 unpushed edits · 2026-11-28 05:00');
  expect(v.cell(other.id, 'Industry')).toBe('Software');
  expect(v.cell(other.id, 'Description')).toBe('Updated in Close');
  expect(v.cell(other.id, 'Sync status')).toBe('kept 1 unpushed edit · 2026-11-28 05:00');
  expect(sent(w).filter((r) => r.method !== 'GET')).toEqual([]);
  expect(logRows(w)[1]).toEqual([
    '2026-11-28 05:00',
    '2026-11-28 05:00',
    SHEET,
    'rep@example.com',
    '2',
    'ok',
    'Refreshed 2 changed leads (0 new). Kept 3 unpushed edits in 2 rows: left as they were, not overwritten.',
  ]);
  // The edits are still there to push.
  expect(w.app.previewChanges({}).counts).toMatchObject({ leads: 2, fields: 3 });
});

test('a long scheduled pull continues in the one-off trigger, then the schedule trigger comes back', () => {
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 3_000, customFields: 5 }),
    close: { rateLimits: { 'GET /lead/': { limit: 2, windowMs: 60_000 } } },
    // The lenient reading: Apps Script lets the add-on make a one-off trigger a minute ahead.
    gas: { fetchLatencyMs: 250, maxExecutionMs: 6 * 60_000, addonOneOffTriggers: 'allow' },
  });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.clock.advance(HOUR);
  w.runtime.startExecution();
  fire(w);
  // The job did not finish in one execution: the one trigger is now its one-off continuation.
  expect(w.app.getSyncStatus().job).toMatchObject({ kind: 'pull', startedBy: 'rep@example.com' });
  expect(clockTriggers(w)).toEqual([
    { handler: 'onSyncTimer', type: 'CLOCK', schedule: { afterMs: 60_000 } },
  ]);
  let fired = 1;
  while (w.app.getSyncStatus().job && fired < 20) {
    w.clock.advance(60_000);
    fire(w);
    fired++;
  }
  expect(fired).toBeGreaterThanOrEqual(2);
  expect(w.app.getSyncStatus().job).toBeNull();
  expect(sheetIds(w)).toHaveLength(3_000);
  expect(clockTriggers(w)).toEqual([{ handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } }]);
  const log = logRows(w);
  expect(log).toHaveLength(2);
  expect(log[1].slice(2, 7)).toEqual([
    SHEET,
    'rep@example.com',
    '3000',
    'ok',
    'Pulled 3000 leads (3000 new).',
  ]);
  expect(w.app.getSchedule().schedules[0].last).toMatchObject({ outcome: 'ok', leads: 3000 });
});

describe('failures are recorded, and visible to anyone who opens the sidebar', () => {
  test('a revoked key: the run fails, the schedule pauses (no trigger left failing every hour), reconnecting resumes it', () => {
    const book = new FakeSpreadsheet({ timeZone: 'America/New_York' });
    const w = pulled({
      gas: { spreadsheet: book },
      close: { apiKeys: ['api_test_key_1', 'api_test_key_2'] },
    });
    w.app.setSchedule({ every: 'hour', hours: 1 });
    w.close.revokeKey('api_test_key_1');
    w.clock.advance(HOUR);
    fire(w);
    const message =
      'Close rejected the API key (401). Reconnect in the sidebar with a valid API key. The schedule is paused until rep@example.com connects again in the sidebar.';
    expect(logRows(w)[1]).toEqual([
      '2026-11-28 05:00',
      '2026-11-28 05:00',
      SHEET,
      'rep@example.com',
      '',
      'failed',
      message,
    ]);
    expect(w.runtime.triggers).toEqual([]);
    // A colleague opening the sidebar sees it.
    const colleague = makeWorld({ gas: { spreadsheet: book, userEmail: 'bob@example.com', clock: w.clock } });
    expect(colleague.app.getSchedule().schedules[0]).toMatchObject({
      paused: "Close rejected rep@example.com's API key.",
      next: null,
      last: { started: '2026-11-28 05:00', outcome: 'failed', leads: null, message },
    });
    // The rep connects again with a new key: the schedule runs again.
    w.app.saveApiKey('api_test_key_2');
    expect(w.app.getSchedule().schedules[0]).toMatchObject({ paused: null, next: '2026-11-28 06:00' });
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } },
    ]);
    w.clock.advance(HOUR);
    fire(w);
    expect(logRows(w).map((r) => r[5])).toEqual(['Outcome', 'failed', 'ok']);
  });

  test('Close failing (5xx, quota): recorded, the schedule stays on, the next run succeeds', () => {
    let failing = false;
    const w = pulled({
      intercept: (req) =>
        failing && req.method === 'GET' && req.url.includes('/api/v1/lead/?')
          ? {
              status: 503,
              headers: { 'Content-Type': 'text/html' },
              body: '<html>Service Unavailable</html>',
            }
          : undefined,
    });
    w.app.setSchedule({ every: 'hour', hours: 1 });
    failing = true;
    w.clock.advance(HOUR);
    fire(w);
    const [, failed] = logRows(w);
    expect(failed.slice(2, 6)).toEqual([SHEET, 'rep@example.com', '', 'failed']);
    expect(failed[6]).toBe(
      'Could not fetch leads from Close: Close had a server error (503); try again later. The schedule stays on: the next run tries again.',
    );
    expect(w.app.getSchedule().schedules[0]).toMatchObject({ paused: null, last: { outcome: 'failed' } });
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } },
    ]);
    failing = false;
    w.clock.advance(HOUR);
    fire(w);
    expect(logRows(w).map((r) => r[5])).toEqual(['Outcome', 'failed', 'ok']);
  });

  test("a run is skipped, and says why, while another rep's pull is unfinished", () => {
    const book = new FakeSpreadsheet({ timeZone: 'America/New_York' });
    const w = connectedWorld({
      gas: {
        spreadsheet: book,
        fetchLatencyMs: 250,
        maxExecutionMs: 6 * 60_000,
        addonOneOffTriggers: 'allow',
      },
      org: buildBulkOrg({ leads: 3_000, customFields: 5 }),
      close: {
        apiKeys: ['api_test_key_1', 'api_test_key_2'],
        rateLimits: { 'GET /lead/': { limit: 2, windowMs: 60_000 } },
      },
    });
    w.app.setSchedule({ every: 'hour', hours: 1 });
    const bob = makeWorld({
      gas: {
        spreadsheet: book,
        userEmail: 'bob@example.com',
        clock: w.clock,
        maxExecutionMs: 6 * 60_000,
        addonOneOffTriggers: 'allow',
      },
      intercept: (req) => w.close.handle(req),
    });
    bob.app.saveApiKey('api_test_key_2');
    bob.runtime.startExecution();
    expect(bob.app.pullLeads({})).toMatchObject({ done: false });
    w.clock.advance(HOUR);
    w.runtime.startExecution();
    fire(w);
    expect(logRows(w)[1].slice(2)).toEqual([
      SHEET,
      'rep@example.com',
      '',
      'skipped',
      'Not refreshed: a pull of "Close Leads" started by bob@example.com is unfinished. Continue or cancel it in the sidebar.',
    ]);
    expect(clockTriggers(w)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } },
    ]);
    // Bob's own continuation trigger is his, untouched.
    expect(clockTriggers(bob)).toEqual([
      { handler: 'onSyncTimer', type: 'CLOCK', schedule: { afterMs: 60_000 } },
    ]);
    runToEnd(bob, { done: false });
  });
});

test(`the log keeps the newest 500 runs: the oldest go, the newest is at the bottom`, () => {
  const w = pulled();
  const SpreadsheetApp = w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  const sheet = SpreadsheetApp.getActiveSpreadsheet().insertSheet(LOG);
  const old = Array.from({ length: 500 }, (_, i) => [
    `2026-01-01 00:${String(i % 60).padStart(2, '0')}`,
    '',
    SHEET,
    'rep@example.com',
    300,
    'ok',
    `old run ${i + 1}`,
  ]);
  sheet.getRange(1, 1, 1, 7).setValues([LOG_HEADER]);
  sheet.getRange(2, 1, 500, 7).setValues(old);
  w.app.setSchedule({ every: 'hour', hours: 1 });
  for (let i = 0; i < 3; i++) {
    w.clock.advance(HOUR);
    fire(w);
  }
  const log = logRows(w);
  expect(log).toHaveLength(501);
  expect(log[0]).toEqual(LOG_HEADER);
  expect(log[1][6]).toBe('old run 4');
  expect(log.slice(-3).map((r) => r[0])).toEqual([
    '2026-11-28 05:00',
    '2026-11-28 06:00',
    '2026-11-28 07:00',
  ]);
  expect(log[500][6]).toBe('Refreshed 0 changed leads (0 new).');
});

test('two sheets due at once: one runs now, the other a minute later in a one-off, then the hourly trigger is back', () => {
  const w = pulled({ gas: { addonOneOffTriggers: 'allow' } });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.app.setSchedule({ sheetName: 'Leads West', every: 'hour', hours: 2 });
  w.clock.advance(2 * HOUR);
  fire(w);
  expect(logRows(w).map((r) => r[2])).toEqual(['Sheet', SHEET]);
  expect(clockTriggers(w)).toEqual([
    { handler: 'onSyncTimer', type: 'CLOCK', schedule: { afterMs: 60_000 } },
  ]);
  w.clock.advance(60_000);
  fire(w);
  expect(logRows(w).map((r) => r[2])).toEqual(['Sheet', SHEET, 'Leads West']);
  expect(w.runtime.spreadsheet.dump('Leads West')).toHaveLength(301);
  expect(clockTriggers(w)).toEqual([{ handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } }]);
});

test('a scheduled pull cancelled from the sidebar is logged as cancelled, and the schedule trigger comes back', () => {
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 3_000, customFields: 5 }),
    close: { rateLimits: { 'GET /lead/': { limit: 2, windowMs: 60_000 } } },
    // The lenient reading: Apps Script lets the add-on make a one-off trigger a minute ahead.
    gas: { fetchLatencyMs: 250, maxExecutionMs: 6 * 60_000, addonOneOffTriggers: 'allow' },
  });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.clock.advance(HOUR);
  w.runtime.startExecution();
  fire(w);
  expect(clockTriggers(w)).toEqual([
    { handler: 'onSyncTimer', type: 'CLOCK', schedule: { afterMs: 60_000 } },
  ]);
  w.runtime.startExecution();
  expect(w.app.cancelSync()).toMatchObject({ cancelled: true });
  expect(logRows(w)[1].slice(2, 7)).toEqual([
    SHEET,
    'rep@example.com',
    expect.stringMatching(/^\d+$/),
    'cancelled',
    'Cancelled by rep@example.com after 1 step. What it wrote stays; the next run pulls again.',
  ]);
  expect(clockTriggers(w)).toEqual([{ handler: 'onSyncTimer', type: 'CLOCK', schedule: { everyHours: 1 } }]);
});

test('a scheduled run that cannot follow a renamed sheet (its record sheet protected by a colleague) is logged as failed, not thrown at the trigger', () => {
  const w = pulled();
  w.app.setSchedule({ every: 'hour', hours: 1 });
  const protection = w.runtime.spreadsheet.protectAs(
    'lee@example.com',
    `Close Sync snapshot · ${SHEET}`,
    null,
    'Locked',
  );
  w.runtime.spreadsheet.sheets.find((s) => s.name === SHEET)!.name = 'My Leads';
  w.clock.advance(HOUR);
  fire(w);
  expect(
    logRows(w)
      .slice(1)
      .map((r) => [r[2], r[5], r[6]]),
  ).toEqual([
    [
      SHEET,
      'failed',
      `Close Sync cannot follow its sheets: the sheet "${SHEET}" was renamed "My Leads", and its record sheet "Close Sync snapshot · ${SHEET}" is protected and you are not among the editors, so it cannot be renamed with it. Nothing was changed. Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to remove that protection: Close Sync's own sheets are already protected with a warning. Or rename "My Leads" back to "${SHEET}". The schedule stays on: the next run tries again.`,
    ],
  ]);
  expect(sent(w)).toEqual([]);
  // Unprotected: the next run follows the rename and refreshes the renamed sheet.
  w.runtime.spreadsheet.protections = w.runtime.spreadsheet.protections.filter((p) => p !== protection);
  w.clock.advance(HOUR);
  fire(w);
  expect(
    logRows(w)
      .slice(2)
      .map((r) => [r[2], r[5]]),
  ).toEqual([['My Leads', 'ok']]);
});
