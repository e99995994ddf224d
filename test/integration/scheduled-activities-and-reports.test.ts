// What a schedule refreshes besides lead sheets: an activities sheet (a job that may outlast an execution,
// logged once at its end), the activity roll-up built from it, and the pipeline report with the status
// history it was built with — each checked against the fake Close's own data.
import type { JsonObject } from '../../dev/fake-close';
import { connectedWorld, runToEnd, type World } from './harness';
import { sent } from './sheet';

jest.setTimeout(30_000);

const SHEET = 'Close Activities';

function activities(w: World): JsonObject[] {
  return (w.close.org.activities ?? []) as JsonObject[];
}

function activityIds(w: World): string[] {
  return w.runtime.spreadsheet
    .dump(SHEET)
    .slice(1)
    .map((r) => String(r[0]))
    .filter((id) => id !== '');
}

const ny = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));

test('a scheduled refresh of activities that outlasts an execution continues in its trigger and is logged once, at its end', () => {
  // One page of calls every 2.5 minutes: the pull needs more than one execution.
  const w = connectedWorld({
    close: { rateLimits: { 'GET /activity/call/': { limit: 1, windowMs: 150_000 } } },
    gas: { addonOneOffTriggers: 'allow' },
  });
  runToEnd(w, w.app.pullActivities({ types: ['call'] }));
  const calls = activities(w).filter((a) => a._type === 'Call');
  const added = { ...calls[0], id: 'acti_CallAddedInCloseBeforeTheScheduledRun0000000' };
  activities(w).push(added);
  w.app.setSchedule({ sheetName: SHEET, every: 'hour', hours: 1 });
  const noLog = 'No sheet named "Close Sync Log" in the fake spreadsheet';
  expect(() => w.runtime.spreadsheet.dumpDisplay('Close Sync Log')).toThrow(noLog);
  w.clock.advance(3_600_000);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  expect(w.app.getSyncStatus().job).toMatchObject({ kind: 'activities', sheetName: SHEET, steps: 1 });
  // Not logged while under way.
  expect(() => w.runtime.spreadsheet.dumpDisplay('Close Sync Log')).toThrow(noLog);
  let fired = 1;
  while (w.app.getSyncStatus().job && fired < 10) {
    w.clock.advance(60_000);
    w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
    fired++;
  }
  expect(fired).toBeGreaterThan(1);
  expect(w.app.getSyncStatus().job).toBeNull();
  const ids = activityIds(w);
  expect(ids).toHaveLength(calls.length + 1);
  expect(new Set(ids)).toEqual(new Set([...calls.map((a) => String(a.id)), added.id]));
  const log = w.runtime.spreadsheet.dumpDisplay('Close Sync Log');
  expect(log).toHaveLength(2);
  expect(log[log.length - 1].slice(2)).toEqual([
    SHEET,
    'rep@example.com',
    '',
    'ok',
    `Pulled ${calls.length + 1} activities (${calls.length + 1} calls) into "Close Activities": 1 new, ${calls.length} refreshed.`,
  ]);
  // The schedule's own trigger is back.
  expect(w.runtime.triggers.map((t) => t.schedule)).toEqual([{ everyHours: 1 }]);
});

test('the schedule of an activities sheet rebuilds the roll-up built from it, with its options', () => {
  const w = connectedWorld();
  const since = '2024-01-01';
  const until = '2024-06-30';
  const [from, to] = [Date.parse('2024-01-01T05:00:00Z'), Date.parse('2024-07-01T04:00:00Z')];
  w.app.pullActivities({ since, until });
  w.app.buildActivityReport({ since, until, by: 'day' });
  // A 10-minute outbound call logged in Close after the build, inside the period.
  const first = activities(w).find(
    (a) =>
      a._type === 'Call' &&
      Date.parse(String(a.date_created)) >= from &&
      Date.parse(String(a.date_created)) < to,
  )!;
  activities(w).push({
    ...first,
    id: 'acti_CallLoggedAfterTheReportWasBuilt00000000000',
    direction: 'outbound',
    disposition: 'answered',
    duration: 600,
  });
  w.app.setSchedule({ sheetName: SHEET, every: 'hour', hours: 1 });
  w.clock.advance(2 * 3_600_000);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  // That user's day, tallied from the fake: calls out and in, call minutes.
  const day = ny(Date.parse(String(first.date_created)));
  const theirs = activities(w).filter(
    (a) =>
      a._type === 'Call' &&
      a.user_id === first.user_id &&
      Date.parse(String(a.date_created)) >= from &&
      Date.parse(String(a.date_created)) < to &&
      ny(Date.parse(String(a.date_created))) === day,
  );
  const out = theirs.filter((a) => a.direction !== 'inbound').length;
  const inbound = theirs.filter((a) => a.direction === 'inbound').length;
  const minutes = Math.round((theirs.reduce((t, a) => t + Number(a.duration), 0) / 60) * 10) / 10;
  expect(out).toBeGreaterThan(0);
  const dump = w.runtime.spreadsheet.dump('Close Activity Report');
  const start = dump.findIndex((r) => r[0] === 'Per user per day');
  const member = w.close.org.organization.memberships.find((m) => m.user_id === first.user_id)!;
  const rows = dump
    .slice(start + 2)
    .filter((r) => r[0] === day && String(r[1]).startsWith(member.user_full_name));
  expect(rows).toHaveLength(1);
  expect([rows[0][2], rows[0][3], rows[0][9]]).toEqual([out, inbound, minutes]);
  const log = w.runtime.spreadsheet.dumpDisplay('Close Sync Log');
  expect(String(log[log.length - 1][6])).toMatch(/: 1 new, \d+ refreshed\. Activity report refreshed\.$/);
});

test("the scheduled refresh of the report's sheet rebuilds it with the status history it was built with", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  w.app.buildReport({ by: 'week' });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.clock.advance(3_600_000);
  w.runtime.requests.length = 0;
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  // 2026-11-28 in New York; 30 days back is Friday 2026-10-30, whose week starts on Monday 2026-10-26.
  const dump = w.runtime.spreadsheet.dump('Close Report');
  expect(dump.filter((r) => String(r[0]).startsWith('Lead status changes')).map((r) => r[0])).toEqual([
    'Lead status changes by week, 2026-10-26 to 2026-11-28',
  ]);
  expect(
    sent(w, 'GET')
      .map((r) => r.path.split('?')[0])
      .filter((p) => p.startsWith('/activity/')),
  ).toEqual(['/activity/status_change/lead/', '/activity/status_change/opportunity/']);
  const log = w.runtime.spreadsheet.dumpDisplay('Close Sync Log');
  expect(log[log.length - 1][6]).toBe('Refreshed 0 changed leads (0 new). Report refreshed.');
});
