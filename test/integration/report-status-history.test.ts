// buildReport's status history: transitions (from → to, count) per week or month and the median time
// spent in each status, from Close's LeadStatusChange / OpportunityStatusChange activities — every cell
// checked against counts worked out here from the fake Close's own activities; the history rows for
// charting trends; bad options refused before any call.
import type { JsonObject } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { sent } from './sheet';

jest.setTimeout(30_000);

const REPORT = 'Close Report';
const HISTORY = 'Close Report Status History';
const ZONE = 'America/New_York';
const DAY = 86_400_000;
const LOOKBACK_DAYS = 180;

/** The day an instant falls on in New York (the sheet's zone), YYYY-MM-DD. */
function nyDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(ms));
}

/** New York's midnight starting a day, as an instant. */
function nyMidnight(ymd: string): number {
  // The offset of that day's noon (never on a DST switch hour) gives the offset at midnight for these dates.
  const noon = Date.parse(`${ymd}T12:00:00Z`);
  const shown = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    hour: 'numeric',
    hourCycle: 'h23',
  }).format(new Date(noon));
  const offsetHours = 12 - Number(shown);
  return Date.parse(`${ymd}T00:00:00Z`) + offsetHours * 3_600_000;
}

function mondayOf(ymd: string): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * DAY).toISOString().slice(0, 10);
}

interface Change {
  kind: 'Lead' | 'Opportunity';
  of: string;
  pipeline: string;
  from: string;
  to: string;
  at: number;
  id: string;
}

function changes(w: World): Change[] {
  return ((w.close.org.activities ?? []) as JsonObject[])
    .filter((a) => a._type === 'LeadStatusChange' || a._type === 'OpportunityStatusChange')
    .map((a) => {
      const lead = a._type === 'LeadStatusChange';
      return {
        kind: lead ? 'Lead' : 'Opportunity',
        of: String(lead ? a.lead_id : a.opportunity_id),
        pipeline: lead ? '' : String(a.new_pipeline_name),
        from: String(a.old_status_label),
        to: String(a.new_status_label),
        at: Date.parse(String(a.date_created)),
        id: String(a.id),
      };
    });
}

function expectedTransitions(
  w: World,
  kind: 'Lead' | 'Opportunity',
  since: string,
  until: string,
  period: (day: string) => string,
): unknown[][] {
  const [from, to] = [nyMidnight(since), nyMidnight(nextDay(until))];
  const counts = new Map<string, number>();
  for (const c of changes(w)) {
    if (c.kind !== kind || c.at < from || c.at >= to) continue;
    const key = JSON.stringify(
      kind === 'Lead' ? [period(nyDay(c.at)), c.from, c.to] : [period(nyDay(c.at)), c.pipeline, c.from, c.to],
    );
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts].map(([k, n]) => [...(JSON.parse(k) as string[]), n]);
  const n = rows[0]?.length ?? 0;
  // Period, (pipeline,) then most changes first, then from and to alphabetically.
  return rows.sort((a, b) => {
    for (let i = 0; i < n - 3; i++) if (a[i] !== b[i]) return String(a[i]) < String(b[i]) ? -1 : 1;
    if (a[n - 1] !== b[n - 1]) return Number(b[n - 1]) - Number(a[n - 1]);
    for (let i = n - 3; i < n - 1; i++) if (a[i] !== b[i]) return String(a[i]) < String(b[i]) ? -1 : 1;
    return 0;
  });
}

function nextDay(ymd: string): string {
  return new Date(Date.parse(`${ymd}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** Stays that ended in the period, from the change into the status (read from 180 days before since). */
function expectedStays(
  w: World,
  since: string,
  until: string,
): Map<string, { stays: number; median: number }> {
  const [from, to] = [nyMidnight(since), nyMidnight(nextDay(until))];
  const readFrom = from - LOOKBACK_DAYS * DAY;
  const byObject = new Map<string, Change[]>();
  for (const c of changes(w)) {
    if (c.at < readFrom || c.at >= to) continue;
    const key = `${c.kind}/${c.of}`;
    byObject.set(key, [...(byObject.get(key) ?? []), c]);
  }
  const lengths = new Map<string, number[]>();
  for (const list of byObject.values()) {
    list.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const [into, out] = [list[i - 1], list[i]];
      if (out.at < from || into.to !== out.from) continue;
      const label = out.kind === 'Lead' ? `Lead|${out.from}` : `Opportunity|${out.from} (${out.pipeline})`;
      lengths.set(label, [...(lengths.get(label) ?? []), out.at - into.at]);
    }
  }
  const result = new Map<string, { stays: number; median: number }>();
  for (const [label, ms] of lengths) {
    const s = [...ms].sort((a, b) => a - b);
    const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    result.set(label, { stays: s.length, median: Math.round((m / DAY) * 100) / 100 });
  }
  return result;
}

function tableUnder(dump: unknown[][], title: string, width: number): unknown[][] {
  const start = dump.findIndex((r) => r[0] === title);
  if (start < 0) throw new Error(`no table "${title}"`);
  const rows: unknown[][] = [];
  for (let i = start + 1; i < dump.length && dump[i].some((c) => c !== ''); i++)
    rows.push(dump[i].slice(0, width));
  return rows;
}

// The fake's status changes run from 2023 to 2025-05-20: two years by month hold 140 of them.
const SINCE = '2023-06-01';
const UNTIL = '2025-05-31';
/** The months from SINCE to UNTIL, YYYY-MM. */
const MONTHS = Array.from({ length: 24 }, (_, i) =>
  new Date(Date.UTC(2023, 5 + i, 1)).toISOString().slice(0, 7),
);

describe('status history by month', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  const summary = w.app.buildReport({ since: SINCE, until: UNTIL, by: 'month' });
  const dump = w.runtime.spreadsheet.dump(REPORT);
  const month = (day: string) => day.slice(0, 7);

  test('lead transitions per month: from, to and count, as many as Close recorded', () => {
    const expected = expectedTransitions(w, 'Lead', SINCE, UNTIL, month);
    expect(expected.length).toBeGreaterThan(10);
    expect(tableUnder(dump, `Lead status changes by month, ${SINCE} to ${UNTIL}`, 4)).toEqual([
      ['Month', 'From', 'To', 'Changes'],
      ...expected,
    ]);
  });

  test('opportunity transitions per month, per pipeline', () => {
    const expected = expectedTransitions(w, 'Opportunity', SINCE, UNTIL, month);
    expect(new Set(expected.map((r) => r[1]))).toEqual(new Set(['Sales', 'Renewals']));
    expect(expected.some((r) => r[2] === 'Proposal Sent')).toBe(true);
    expect(tableUnder(dump, `Opportunity status changes by month, ${SINCE} to ${UNTIL}`, 5)).toEqual([
      ['Month', 'Pipeline', 'From', 'To', 'Changes'],
      ...expected,
    ]);
  });

  test("median days in each status, lead statuses in Close's order, then each pipeline's", () => {
    const stays = expectedStays(w, SINCE, UNTIL);
    const leadOrder = w.close.org.leadStatuses.map((s) => s.label);
    const rows: unknown[][] = [];
    for (const status of leadOrder) {
      const s = stays.get(`Lead|${status}`);
      if (s) rows.push([status, 'Lead', s.stays, s.median]);
    }
    for (const p of w.close.org.pipelines)
      for (const st of p.statuses) {
        const s = stays.get(`Opportunity|${st.label} (${p.name})`);
        if (s) rows.push([`${st.label} (${p.name})`, 'Opportunity', s.stays, s.median]);
      }
    expect(rows.length).toBe(stays.size);
    expect(rows.filter((r) => r[1] === 'Lead').length).toBeGreaterThan(1);
    expect(rows.filter((r) => r[1] === 'Opportunity').length).toBeGreaterThan(0);
    expect(tableUnder(dump, `Median days in status, stays that ended ${SINCE} to ${UNTIL}`, 4)).toEqual([
      ['Status', 'Of', 'Stays', 'Median days'],
      ...rows,
    ]);
  });

  test('reads both status-change lists once, from 180 days before since to the end of until, in the sheet zone', () => {
    const from = new Date(nyMidnight(SINCE) - LOOKBACK_DAYS * DAY)
      .toISOString()
      .replace('.000Z', '.000000+00:00');
    const to = new Date(nyMidnight(nextDay(UNTIL))).toISOString().replace('.000Z', '.000000+00:00');
    const lists = sent(w, 'GET')
      .map((r) => r.path)
      .filter((p) => p.startsWith('/activity/'));
    const query = `?_limit=100&date_created__gte=${encodeURIComponent(from)}&date_created__lt=${encodeURIComponent(to)}&_skip=0`;
    expect(lists).toEqual([
      `/activity/status_change/lead/${query}`,
      `/activity/status_change/opportunity/${query}`,
    ]);
    const inPeriod = changes(w).filter((c) => c.at >= nyMidnight(SINCE) && c.at < nyMidnight(nextDay(UNTIL)));
    expect(inPeriod.length).toBe(140);
    expect(summary.statusHistory).toEqual({ sheet: HISTORY, by: 'month', changes: 140, periods: 24 });
    expect(summary.message).toBe(
      `Report "Close Report" built from "Close Leads": 300 leads, ${summary.tables} tables, ${summary.charts} charts; status history by month: 140 status changes, 24 periods recorded in "${HISTORY}".`,
    );
  });

  test('each month is a row of the status history, one column per transition, for charting trends', () => {
    const history = w.runtime.spreadsheet.dump(HISTORY);
    const header = history[0].map(String);
    expect(header.slice(0, 5)).toEqual(['Period', 'By', 'First day', 'Last day', 'Updated']);
    const months = MONTHS;
    expect(history.slice(1).map((r) => r.slice(0, 4))).toEqual(
      months.map((m) => [
        m,
        'month',
        `${m}-01`,
        new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5)), 0)).toISOString().slice(0, 10),
      ]),
    );
    const lead = expectedTransitions(w, 'Lead', SINCE, UNTIL, month);
    const opp = expectedTransitions(w, 'Opportunity', SINCE, UNTIL, month);
    const column = (name: string) => header.indexOf(name);
    for (const [m, from, to, n] of lead) {
      const row = history[months.indexOf(String(m)) + 1];
      expect(row[column(`Lead: ${from} → ${to}`)]).toBe(n);
    }
    for (const [m, pipeline, from, to, n] of opp) {
      const row = history[months.indexOf(String(m)) + 1];
      expect(row[column(`Opportunity (${pipeline}): ${from} → ${to}`)]).toBe(n);
    }
    // A transition absent in a month is a zero there; every column total matches Close's.
    const total = history
      .slice(1)
      .reduce((t, r) => t + r.slice(5).reduce((a: number, c) => a + Number(c), 0), 0);
    expect(total).toBe(summary.statusHistory.changes);
    // Periods and labels are text, never dates or formulas.
    expect(w.runtime.spreadsheet.cellInfo(HISTORY, [2, 1]).numberFormat).toBe('@');
  });

  test('a rebuild over the same months replaces their rows: none duplicated', () => {
    const before = w.runtime.spreadsheet.dump(HISTORY);
    w.app.buildReport({ since: SINCE, until: UNTIL, by: 'month' });
    const after = w.runtime.spreadsheet.dump(HISTORY);
    expect(after.length).toBe(before.length);
    expect(after.map((r) => [r[0], ...r.slice(5)])).toEqual(before.map((r) => [r[0], ...r.slice(5)]));
  });
});

test('by week: periods are Mondays; only weeks covered whole are recorded in the history', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  // 2025-01-01 is a Wednesday: that week is cut by since, so it is shown but not recorded.
  const since = '2025-01-01';
  const until = '2025-02-23';
  const summary = w.app.buildReport({ since, until, by: 'week' });
  const dump = w.runtime.spreadsheet.dump(REPORT);
  const expected = expectedTransitions(w, 'Lead', since, until, mondayOf);
  expect(expected.length).toBeGreaterThan(3);
  expect(tableUnder(dump, `Lead status changes by week, ${since} to ${until}`, 4)).toEqual([
    ['Week of', 'From', 'To', 'Changes'],
    ...expected,
  ]);
  const weeks = [
    '2025-01-06',
    '2025-01-13',
    '2025-01-20',
    '2025-01-27',
    '2025-02-03',
    '2025-02-10',
    '2025-02-17',
  ];
  expect(summary.statusHistory.periods).toBe(weeks.length);
  expect(
    w.runtime.spreadsheet
      .dump(HISTORY)
      .slice(1)
      .map((r) => r.slice(0, 2)),
  ).toEqual(weeks.map((d) => [d, 'week']));
});

test('without since, the period starts on the first day of the week or month 30 days back', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  // The world's clock: 2026-11-28 (a Saturday) in New York; 30 days back is 2026-10-30.
  const summary = w.app.buildReport({ by: 'month' });
  expect(summary.statusHistory).toEqual({ sheet: HISTORY, by: 'month', changes: 0, periods: 2 });
  const dump = w.runtime.spreadsheet.dump(REPORT);
  expect(dump.some((r) => r[0] === 'Lead status changes by month, 2026-10-01 to 2026-11-28')).toBe(true);
  expect(dump.some((r) => r[0] === 'Won and lost, 2026-10-01 to 2026-11-28')).toBe(true);
});

test('without by there is no status history and no status-change request', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  const summary = w.app.buildReport({ since: SINCE, until: UNTIL });
  expect(summary.statusHistory).toBeUndefined();
  expect(sent(w).filter((r) => r.path.startsWith('/activity/'))).toEqual([]);
  const SpreadsheetApp = w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  expect(SpreadsheetApp.getActiveSpreadsheet().getSheetByName(HISTORY)).toBeNull();
});

test('bad options are refused with what to write, before any call', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  expect(() => w.app.buildReport({ by: 'day' })).toThrow('by must be "week" or "month" (got "day").');
  expect(() => w.app.buildReport({ since: '2025-13-01', by: 'week' })).toThrow(
    'since must be a date written YYYY-MM-DD (got "2025-13-01").',
  );
  expect(() => w.app.buildReport({ since: '2025-03-01', until: '2025-02-01', by: 'month' })).toThrow(
    'since (2025-03-01) is after until (2025-02-01): swap them.',
  );
  expect(w.runtime.requests).toEqual([]);
  const SpreadsheetApp = w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  expect(SpreadsheetApp.getActiveSpreadsheet().getSheetByName(REPORT)).toBeNull();
});
