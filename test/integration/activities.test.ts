// pullActivities: the "Close Activities" sheet checked cell by cell against the fake Close's own
// activities — types, dates in the sheet's zone, text exact and never a formula, refresh in place without
// duplicates, type and date filters, a Smart View, paging past the `_skip` cap, a run that stops early and
// continues, bad options, and the sheet's refusal to be pushed.
import type { JsonObject } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { sent, sheetIds, sheetOf, table } from './sheet';

/** The Activity IDs of the activities sheet, top to bottom. */
function activityIds(w: World): string[] {
  return table(w, SHEET)
    .slice(1)
    .map((r) => String(r[0]))
    .filter((id) => id !== '');
}

const SHEET = 'Close Activities';
const HEADER = [
  'Activity ID',
  'Type',
  'Date',
  'User',
  'Lead',
  'Lead ID',
  'Contact',
  'Direction',
  'Duration (s)',
  'Subject / Text',
  'Status',
  'Phone / Email',
  'Details',
];
// The sheet's zone is New York: 2024-01-01 starts at 05:00 UTC, 2024-06-30 ends at 04:00 UTC on 07-01.
const SINCE = '2024-01-01';
const UNTIL = '2024-06-30';
const FROM_UTC = '2024-01-01T05:00:00.000000+00:00';
const TO_UTC = '2024-07-01T04:00:00.000000+00:00';

function activities(w: World): JsonObject[] {
  return (w.close.org.activities ?? []) as JsonObject[];
}

function inRange(a: JsonObject, from = Date.parse(FROM_UTC), to = Date.parse(TO_UTC)): boolean {
  const t = Date.parse(String(a.date_created));
  return t >= from && t < to;
}

/** What a rep would expect in the row of an activity, worked out from the fake's own data. */
function expectedRow(w: World, a: JsonObject): unknown[] {
  const lead = w.close.org.leads.find((l) => l.id === a.lead_id)!;
  const contact = lead.contacts.find((c) => c.id === a.contact_id);
  const member = w.close.org.organization.memberships.find((m) => m.user_id === a.user_id);
  const alexes = w.close.org.organization.memberships.filter(
    (m) => m.user_full_name === member?.user_full_name,
  );
  const user = member
    ? alexes.length > 1
      ? `${member.user_full_name} (${member.user_email})`
      : member.user_full_name
    : String(a.user_name ?? '');
  const t = a._type;
  const s = (v: unknown) =>
    v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  const fields =
    t === 'Call'
      ? [
          s(a.direction),
          a.duration,
          s(a.note),
          s(a.disposition),
          s(a.remote_phone),
          a.voicemail_duration ? `voicemail ${a.voicemail_duration} s` : '',
        ]
      : t === 'Email'
        ? [
            s(a.direction),
            '',
            s(a.subject),
            s(a.status),
            a.direction === 'incoming' ? s(a.sender) : s(a.to),
            s(a.body_text),
          ]
        : t === 'Meeting'
          ? ['', a.duration, s(a.title), s(a.status), s(a.location), s(a.user_note || a.note)]
          : t === 'SMS'
            ? [s(a.direction), '', s(a.text), s(a.status), s(a.remote_phone), '']
            : ['', '', s(a.note), '', '', s(a.title)];
  return [
    a.id,
    t,
    new Date(Date.parse(String(a.date_created))),
    user,
    lead.display_name,
    lead.id,
    contact ? contact.name : '',
    ...fields,
  ];
}

function rowsById(w: World): Map<string, unknown[]> {
  const rows = table(w, SHEET)
    .slice(1)
    .filter((r) => r[0] !== '');
  return new Map(rows.map((r) => [String(r[0]), r.slice(0, HEADER.length)]));
}

const ymdHms = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
    .format(d)
    .replace(', ', ' ');

describe('pull activities into "Close Activities"', () => {
  const w = connectedWorld();
  w.runtime.requests.length = 0;
  const summary = w.app.pullActivities({ types: ['call', 'note'], since: SINCE, until: UNTIL });
  const expected = activities(w).filter((a) => (a._type === 'Call' || a._type === 'Note') && inRange(a));

  test('one row per call and note of those days, every cell as in Close, newest first', () => {
    expect(expected.length).toBeGreaterThan(20);
    expect(summary).toMatchObject({
      done: true,
      sheetName: SHEET,
      added: expected.length,
      refreshed: 0,
      byType: {
        call: expected.filter((a) => a._type === 'Call').length,
        note: expected.filter((a) => a._type === 'Note').length,
      },
    });
    const dump = table(w, SHEET);
    expect(dump[0].slice(0, HEADER.length)).toEqual(HEADER);
    const rows = rowsById(w);
    expect(rows.size).toBe(expected.length);
    for (const a of expected) expect(rows.get(String(a.id))).toEqual(expectedRow(w, a));
    const stamps = activityIds(w).map((id) => (rows.get(id)![2] as Date).getTime());
    expect(stamps).toEqual([...stamps].sort((x, y) => y - x));
  });

  test("dates are date-times in the sheet's zone; durations numbers; text plain, never a formula", () => {
    const sheet = sheetOf(w, SHEET);
    const n = expected.length;
    const display = sheet.getRange(2, 1, n, HEADER.length).getDisplayValues();
    const formulas = sheet.getRange(2, 1, n, HEADER.length).getFormulas();
    expect(formulas.flat().every((f) => f === '')).toBe(true);
    const byId = new Map(display.map((r) => [r[0], r]));
    for (const a of expected) {
      const r = byId.get(String(a.id))!;
      expect(r[2]).toBe(ymdHms(new Date(Date.parse(String(a.date_created)))));
    }
    const formats = sheet.getRange(2, 1, 1, HEADER.length).getNumberFormats()[0];
    expect(formats).toEqual([
      '@',
      '@',
      'yyyy-mm-dd hh:mm:ss',
      '@',
      '@',
      '@',
      '@',
      '@',
      '0',
      '@',
      '@',
      '@',
      '@',
    ]);
    // Notes written "=1+1", "+16503334444", "00123", "TRUE" arrive as that very text.
    const tricky = expected.filter(
      (a) => a._type === 'Note' && ['=1+1', '+16503334444', '00123', 'TRUE'].includes(String(a.note)),
    );
    expect(tricky.length).toBeGreaterThan(0);
    const rows = rowsById(w);
    for (const a of tricky) expect(rows.get(String(a.id))![9]).toBe(a.note);
    const call = expected.find((a) => a._type === 'Call' && Number(a.duration) > 0)!;
    expect(typeof rows.get(String(call.id))![8]).toBe('number');
  });

  test('asks Close only for the chosen types, in the chosen days, with the names walk of the leads', () => {
    const paths = sent(w).map((r) => r.path.split('?')[0]);
    expect(new Set(paths.filter((p) => p.startsWith('/activity/')))).toEqual(
      new Set(['/activity/call/', '/activity/note/']),
    );
    const call = w.runtime.requests.find((r) => r.url.includes('/activity/call/'))!;
    const q = new URL(call.url).searchParams;
    expect(q.get('date_created__gte')).toBe(FROM_UTC);
    expect(q.get('date_created__lt')).toBe(TO_UTC);
    expect(q.get('_limit')).toBe('100');
    expect(paths.filter((p) => p === '/lead/').length).toBeGreaterThan(0);
  });

  test('pulling again refreshes in place: no duplicates, a changed note updated on its row, a new call appended', () => {
    const before = activityIds(w);
    const note = expected.find((a) => a._type === 'Note')!;
    note.note = 'Changed in Close';
    const fresh = {
      ...expected.find((a) => a._type === 'Call')!,
      id: 'acti_NewCallAddedInCloseSinceThePull0000000000',
      date_created: '2024-03-03T15:00:00.000000+00:00',
    };
    activities(w).push(fresh);
    w.runtime.startExecution();
    const again = w.app.pullActivities();
    expect(again).toMatchObject({ done: true, added: 1, refreshed: expected.length });
    const after = activityIds(w);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toEqual([fresh.id]);
    expect(new Set(after).size).toBe(after.length);
    expect(rowsById(w).get(String(note.id))![9]).toBe('Changed in Close');
  });

  test('activities cannot be previewed or pushed', () => {
    const message =
      '"Close Activities" holds Close activities, which are read-only here: they are pulled, never pushed. Edit activities in Close.';
    expect(() => w.app.previewChanges({ sheetName: SHEET })).toThrow(message);
    expect(() => w.app.pushChanges({ sheetName: SHEET })).toThrow(message);
    expect(() => w.app.pullLeads({ sheetName: SHEET })).toThrow(
      '"Close Activities" holds pulled activities: pull leads into another sheet.',
    );
  });
});

test('bad options get a message saying what to do, and nothing is fetched', () => {
  const w = connectedWorld();
  w.runtime.requests.length = 0;
  expect(() => w.app.pullActivities({ types: ['call', 'fax'] })).toThrow(
    'Unknown activity type "fax": use call, email, meeting, sms, note.',
  );
  expect(() => w.app.pullActivities({ types: [] })).toThrow(
    'Choose at least one activity type: call, email, meeting, sms, note.',
  );
  expect(() => w.app.pullActivities({ since: '2024-13-01' })).toThrow(
    'since must be a date written YYYY-MM-DD (got "2024-13-01").',
  );
  expect(() => w.app.pullActivities({ since: '2024-05-01', until: '2024-04-01' })).toThrow(
    'since (2024-05-01) is after until (2024-04-01): swap them.',
  );
  expect(() => w.app.pullActivities({ smartViewId: 'save_x', query: 'x' })).toThrow(
    'Pull activities of a Smart View or of a query, not both.',
  );
  expect(w.runtime.requests).toEqual([]);
});

test('a Smart View limits the activities to its leads', () => {
  const w = connectedWorld();
  const view = w.close.org.savedSearches.find((s) => s.name === 'Potential leads')!;
  w.app.pullLeads({ sheetName: 'Potential', smartViewId: view.id });
  const leads = new Set(sheetIds(w, 'Potential'));
  expect(leads.size).toBeGreaterThan(5);
  w.runtime.startExecution();
  w.runtime.requests.length = 0;
  const summary = w.app.pullActivities({ smartViewId: view.id, types: ['email', 'meeting', 'sms'] });
  // The view's leads are searched with the spreadsheet's offset (America/New_York: UTC-5 on 2026-11-28),
  // as a lead pull of the view does: its relative dates mean the rep's day.
  const searches = w.runtime.requests.filter((r) => r.url.endsWith('/data/search/'));
  expect(searches.length).toBeGreaterThan(0);
  expect(searches.map((r) => r.headers['X-TZ-Offset'])).toEqual(searches.map(() => '-5'));
  const expected = activities(w).filter(
    (a) => ['Email', 'Meeting', 'SMS'].includes(String(a._type)) && leads.has(String(a.lead_id)),
  );
  expect(summary).toMatchObject({ done: true, leads: leads.size, added: expected.length });
  const rows = rowsById(w);
  expect(new Set(rows.keys())).toEqual(new Set(expected.map((a) => String(a.id))));
  for (const a of expected) expect(rows.get(String(a.id))).toEqual(expectedRow(w, a));
});

test('a search-bar query limits the activities to its leads', () => {
  const w = connectedWorld();
  const potential = new Set(w.close.org.leads.filter((l) => l.status_label === 'Potential').map((l) => l.id));
  expect(potential.size).toBeGreaterThan(5);
  w.runtime.requests.length = 0;
  const summary = w.app.pullActivities({ query: 'status:"Potential"', types: ['note'] });
  // The lead walk is the query's (GET /lead/?query=…), asking only for what names the rows (and the
  // date_created its date windows page by).
  const walks = sent(w, 'GET').filter((r) => r.path.startsWith('/lead/'));
  expect(walks.length).toBeGreaterThan(0);
  for (const r of walks) {
    const q = new URL(`https://x${r.path}`).searchParams;
    expect(q.get('query')).toContain('status:"Potential"');
    expect(q.get('_fields')).toBe('id,display_name,contacts,date_created');
  }
  const expected = activities(w).filter((a) => a._type === 'Note' && potential.has(String(a.lead_id)));
  expect(expected.length).toBeGreaterThan(0);
  expect(summary).toMatchObject({ done: true, leads: potential.size, added: expected.length });
  const rows = rowsById(w);
  expect(new Set(rows.keys())).toEqual(new Set(expected.map((a) => String(a.id))));
  for (const a of expected) expect(rows.get(String(a.id))).toEqual(expectedRow(w, a));
});

test('past the `_skip` cap: date windows continue past the last activity read, none twice, none missed', () => {
  const w = connectedWorld({ close: { maxSkip: 100 } });
  w.runtime.requests.length = 0;
  const summary = w.app.pullActivities({ types: ['call', 'email'] });
  const expected = activities(w).filter((a) => a._type === 'Call' || a._type === 'Email');
  expect(expected.length).toBeGreaterThan(500);
  expect(summary).toMatchObject({ done: true, added: expected.length });
  const ids = activityIds(w);
  expect(new Set(ids)).toEqual(new Set(expected.map((a) => String(a.id))));
  expect(ids.length).toBe(expected.length);
  const windows = w.runtime.requests.filter((r) => r.url.includes('date_created__lte='));
  expect(windows.length).toBeGreaterThan(0);
  expect(
    w.runtime.requests.every(
      (r) => !/_skip=(\d+)/.test(r.url) || Number(/_skip=(\d+)/.exec(r.url)![1]) <= 300,
    ),
  ).toBe(true);
});

/**
 * Close lets this key read one page of calls every 2.5 minutes, so the pull outlasts an execution: Apps Script's
 * 6-minute limit is on (the world's default), and the step stops at 4.5 minutes.
 */
function slowCalls(oneOff: 'allow' | 'refuse' = 'allow'): World {
  return connectedWorld({
    close: { rateLimits: { 'GET /activity/call/': { limit: 1, windowMs: 150_000 } } },
    gas: { addonOneOffTriggers: oneOff },
  });
}

describe('a pull that outlasts one execution is a job like a lead pull', () => {
  test('cut by the execution limit, it continues in its one-off trigger: every activity once, none missing', () => {
    const w = slowCalls();
    // Rows already there from an earlier pull of these days: refreshed in place across the steps.
    w.app.pullActivities({ types: ['call'], since: SINCE, until: UNTIL });
    const earlier = activityIds(w);
    w.runtime.startExecution();
    const first = w.app.pullActivities({ types: ['call'] });
    expect(first).toMatchObject({ done: false, kind: 'activities', sheetName: SHEET, steps: 1 });
    expect(first.message).toMatch(/^Pulled \d+ calls into "Close Activities" so far \(step 1\)…$/);
    expect(w.runtime.triggers.map((t) => t.handlerFunction)).toEqual(['onSyncTimer']);
    expect(w.app.getSyncStatus().job).toMatchObject({ kind: 'activities', sheetName: SHEET, steps: 1 });
    const calls = activities(w).filter((a) => a._type === 'Call');
    const midway = activityIds(w).length;
    expect(midway).toBeGreaterThan(earlier.length);
    expect(midway).toBeLessThan(calls.length);
    // Nothing else may start meanwhile.
    expect(() => w.app.pullLeads({})).toThrow(
      /^An activities pull of "Close Activities" is in progress \(started by rep@example.com/,
    );
    let fired = 0;
    while (w.runtime.triggers.length > 0 && fired < 10) {
      w.clock.advance(60_000);
      w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
      fired++;
    }
    expect(fired).toBeGreaterThan(0);
    expect(w.runtime.triggers).toEqual([]);
    expect(w.app.getSyncStatus().job).toBeNull();
    expect(w.app.getSyncStatus().progress).toMatchObject({
      done: true,
      message: `Pulled ${calls.length} activities (${calls.length} calls) into "Close Activities": ${calls.length - earlier.length} new, ${earlier.length} refreshed.`,
    });
    const ids = activityIds(w);
    expect(ids).toHaveLength(calls.length);
    expect(new Set(ids)).toEqual(new Set(calls.map((a) => String(a.id))));
    // The earlier rows kept their places; every row shows its own activity.
    expect(ids.slice(0, earlier.length)).toEqual(earlier);
    const rows = rowsById(w);
    for (const a of calls) expect(rows.get(String(a.id))).toEqual(expectedRow(w, a));
  });

  test('without a one-off trigger, the sidebar continues it step by step to the same end', () => {
    const w = slowCalls('refuse');
    w.runtime.startExecution();
    const first = w.app.pullActivities({ types: ['call'] });
    expect(first.done).toBe(false);
    expect(first.message).toMatch(/keep the sidebar open until it finishes\.$/);
    let outcome = first;
    let steps = 1;
    while (!outcome.done && steps < 10) {
      w.clock.advance(1_000);
      w.runtime.startExecution();
      outcome = w.app.continueSync();
      steps++;
    }
    const calls = activities(w).filter((a) => a._type === 'Call');
    expect(outcome).toMatchObject({ done: true, added: calls.length, refreshed: 0 });
    expect(steps).toBeGreaterThan(1);
    const ids = activityIds(w);
    expect(ids).toHaveLength(calls.length);
    expect(new Set(ids)).toEqual(new Set(calls.map((a) => String(a.id))));
  });
});

test('a schedule refreshes the activities sheet with its saved definition and logs the run', () => {
  const w = connectedWorld();
  w.app.pullActivities({ types: ['sms'], since: SINCE, until: UNTIL });
  const before = activityIds(w).length;
  const added = { ...activities(w).find((a) => a._type === 'SMS' && inRange(a))! };
  added.id = 'acti_SmsAddedInCloseBeforeTheScheduledRun00000000';
  activities(w).push(added);
  w.app.setSchedule({ sheetName: SHEET, every: 'hour', hours: 1 });
  w.clock.advance(2 * 3_600_000);
  w.runtime.requests.length = 0;
  expect(w.runtime.triggers).toHaveLength(1);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  expect(activityIds(w)).toHaveLength(before + 1);
  expect(activityIds(w)[before]).toBe(added.id);
  // Only SMS, only those days: the saved definition ran.
  const paths = new Set(
    sent(w)
      .map((r) => r.path.split('?')[0])
      .filter((p) => p.startsWith('/activity/')),
  );
  expect(paths).toEqual(new Set(['/activity/sms/']));
  const log = w.runtime.spreadsheet.dumpDisplay('Close Sync Log');
  expect(log[log.length - 1].slice(2)).toEqual([
    SHEET,
    'rep@example.com',
    '',
    'ok',
    `Pulled ${before + 1} activities (${before + 1} SMS) into "Close Activities": 1 new, ${before} refreshed.`,
  ]);
});
