// buildActivityReport: per user per day (or week) calls in/out, emails sent/received, meetings, SMS, notes
// and call minutes, from the pulled activities sheet — checked against the fake Close's own activities.
import type { JsonObject } from '../../dev/fake-close';
import { chartSummaries } from '../../dev/gas-fakes';
import { connectedWorld, type World } from './harness';

const REPORT = 'Close Activity Report';
const SINCE = '2024-01-01';
const UNTIL = '2024-06-30';
const FROM = Date.parse('2024-01-01T05:00:00Z');
const TO = Date.parse('2024-07-01T04:00:00Z');

const ny = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));

function userLabel(w: World, id: unknown): string {
  const ms = w.close.org.organization.memberships;
  const m = ms.find((x) => x.user_id === id)!;
  return ms.filter((x) => x.user_full_name === m.user_full_name).length > 1
    ? `${m.user_full_name} (${m.user_email})`
    : m.user_full_name;
}

/** Counts per key worked out from the fake's activities, as a manager would tally them. */
function tally(w: World, keyOf: (a: JsonObject) => string) {
  const out = new Map<string, number[]>();
  const acts = ((w.close.org.activities ?? []) as JsonObject[]).filter((a) => {
    const t = Date.parse(String(a.date_created));
    return t >= FROM && t < TO && ['Call', 'Email', 'Meeting', 'SMS', 'Note'].includes(String(a._type));
  });
  for (const a of acts) {
    const row = out.get(keyOf(a)) ?? [0, 0, 0, 0, 0, 0, 0, 0];
    const k =
      a._type === 'Call'
        ? a.direction === 'inbound'
          ? 1
          : 0
        : a._type === 'Email'
          ? a.direction === 'incoming'
            ? 3
            : 2
          : a._type === 'Meeting'
            ? 4
            : a._type === 'SMS'
              ? 5
              : 6;
    row[k]++;
    if (a._type === 'Call') row[7] += Number(a.duration);
    out.set(keyOf(a), row);
  }
  return { out, count: acts.length };
}

describe('activity roll-up per user per day', () => {
  const w = connectedWorld();
  w.app.pullActivities({ since: SINCE, until: UNTIL });
  const summary = w.app.buildActivityReport({ since: SINCE, until: UNTIL, by: 'day' });
  const dump = w.runtime.spreadsheet.dump(REPORT);

  test("counts and call minutes per user per day equal the fake's own", () => {
    const { out, count } = tally(
      w,
      (a) => `${ny(Date.parse(String(a.date_created)))}|${userLabel(w, a.user_id)}`,
    );
    const start = dump.findIndex((r) => r[0] === 'Per user per day');
    const rows = dump.slice(start + 2).filter((r) => r[0] !== '');
    expect(dump[start + 1].slice(0, 10)).toEqual([
      'Period',
      'User',
      'Calls out',
      'Calls in',
      'Emails sent',
      'Emails received',
      'Meetings',
      'SMS',
      'Notes',
      'Call minutes',
    ]);
    const expected = [...out.entries()]
      .sort(([a], [b]) => (a.replace('|', '\u0000') < b.replace('|', '\u0000') ? -1 : 1))
      .map(([key, r]) => [...key.split('|'), ...r.slice(0, 7), Math.round((r[7] / 60) * 10) / 10]);
    expect(rows.map((r) => r.slice(0, 10))).toEqual(expected);
    expect(summary).toMatchObject({
      activities: count,
      by: 'day',
      periods: new Set(expected.map((r) => r[0])).size,
    });
  });

  test('per user totals with a chart of calls per user', () => {
    const { out } = tally(w, (a) => userLabel(w, a.user_id));
    const users = [...out.keys()].sort((a, b) => a.localeCompare(b));
    const start = dump.findIndex((r) => r[0] === 'Activities by user');
    expect(dump.slice(start + 1, start + 2 + users.length).map((r) => r.slice(0, 4))).toEqual([
      ['User', 'Calls', 'Call minutes', 'All activities'],
      ...users.map((u) => {
        const r = out.get(u)!;
        return [u, r[0] + r[1], Math.round((r[7] / 60) * 10) / 10, r.slice(0, 7).reduce((a, b) => a + b, 0)];
      }),
    ]);
    expect(
      chartSummaries(w.runtime.spreadsheet, REPORT).map((c) => ({
        title: c.title,
        type: c.type,
        ranges: c.ranges,
      })),
    ).toEqual([
      {
        title: 'Calls per user',
        type: 'COLUMN',
        ranges: [`A${start + 2}:A${start + 2 + users.length}`, `B${start + 2}:B${start + 2 + users.length}`],
      },
    ]);
  });

  test('by week: periods are the Mondays, the totals are the same', () => {
    const weekly = w.app.buildActivityReport({ since: SINCE, until: UNTIL, by: 'week' });
    const d = w.runtime.spreadsheet.dump(REPORT);
    const start = d.findIndex((r) => r[0] === 'Per user per week');
    const periods = new Set(
      d
        .slice(start + 2)
        .filter((r) => r[0] !== '')
        .map((r) => String(r[0])),
    );
    for (const p of periods) expect(new Date(`${p}T12:00:00Z`).getUTCDay()).toBe(1);
    expect(weekly.activities).toBe(summary.activities);
    expect(chartSummaries(w.runtime.spreadsheet, REPORT)).toHaveLength(1);
  });
});

test('bad options and a missing activities sheet get a message saying what to do', () => {
  const w = connectedWorld();
  expect(() => w.app.buildActivityReport({})).toThrow(
    'There are no pulled activities in "Close Activities" yet: pull activities first.',
  );
  expect(() => w.app.buildActivityReport({ by: 'month' })).toThrow(
    'by must be "day" or "week" (got "month").',
  );
  expect(() => w.app.buildActivityReport({ until: '2024-1-5' })).toThrow(
    'until must be a date written YYYY-MM-DD (got "2024-1-5").',
  );
});
