// The activity roll-up: per user per day (or week) the calls in and out, emails sent and received, meetings,
// SMS, notes and call minutes — computed from the pulled activities sheet alone (no Close calls), written to
// "Close Activity Report" with a chart of calls and minutes per user. A scheduled refresh of the activities
// sheet rebuilds it.
import type { CellValue, ReportCanvas, Store, Workbook } from '../ports';
import { checkPeriodDates, dateCellToYmd, isDate, serialToYmd, ymdToSerial } from '../schema/dates';
import { ACTIVITIES_SHEET } from './definition';
import {
  ACTIVITY_COLUMNS,
  DATE_COLUMN,
  DIRECTION_COLUMN,
  DURATION_COLUMN,
  ID_COLUMN,
  TYPE_COLUMN,
  USER_COLUMN,
} from './rows';

export const ACTIVITY_REPORT_SHEET = 'Close Activity Report';

export interface ActivityReportOptions {
  sheetName?: string;
  since?: string;
  until?: string;
  by?: 'day' | 'week';
}

export interface ActivityReportSummary {
  sheetName: string;
  reportSheet: string;
  by: 'day' | 'week';
  activities: number;
  users: number;
  periods: number;
  message: string;
}

const COUNTS = [
  'Calls out',
  'Calls in',
  'Emails sent',
  'Emails received',
  'Meetings',
  'SMS',
  'Notes',
] as const;
const HEADER = ['Period', 'User', ...COUNTS, 'Call minutes'];
const SOURCE_KEY = 'closeSync.activityReport';

interface Tally {
  counts: number[];
  seconds: number;
}

function slot(type: string, direction: string): number {
  if (type === 'Call') return direction === 'inbound' ? 1 : 0;
  // Close's emails are `outgoing` (sent) or `incoming` (received) (the Email list sample's `direction`).
  if (type === 'Email') return direction === 'incoming' ? 3 : 2;
  if (type === 'Meeting') return 4;
  if (type === 'SMS') return 5;
  if (type === 'Note') return 6;
  return -1;
}

/** Monday of the day's week (weeks start on Monday, ISO 8601). */
export function weekOf(ymd: string): string {
  const serial = ymdToSerial(ymd) as number;
  // Serial 2 (1900-01-01) was a Monday.
  const dow = (((serial - 2) % 7) + 7) % 7;
  return serialToYmd(serial - dow);
}

export function checkActivityReportOptions(
  options: ActivityReportOptions,
): Required<Omit<ActivityReportOptions, 'since' | 'until'>> & { since: string | null; until: string | null } {
  checkPeriodDates(options);
  const by = options.by ?? 'day';
  if (by !== 'day' && by !== 'week') throw new Error(`by must be "day" or "week" (got "${String(by)}").`);
  const since = options.since || null;
  const until = options.until || null;
  if (since && until && since > until)
    throw new Error(`since (${since}) is after until (${until}): swap them.`);
  return { sheetName: options.sheetName?.trim() || ACTIVITIES_SHEET, by, since, until };
}

export function buildActivityReport(
  deps: { workbook: Workbook; canvas: (name: string) => ReportCanvas; store: Store },
  options: ActivityReportOptions,
): ActivityReportSummary {
  const o = checkActivityReportOptions(options);
  const grid = deps.workbook.sheet(o.sheetName);
  const header = grid && grid.lastRow() > 0 ? grid.read(1, 1, 1, ACTIVITY_COLUMNS.length)[0].map(String) : [];
  if (!grid || header[0] !== ACTIVITY_COLUMNS[0].header)
    throw new Error(`There are no pulled activities in "${o.sheetName}" yet: pull activities first.`);
  const tz = deps.workbook.timeZone();
  const rows = grid.lastRow() > 1 ? grid.read(2, 1, grid.lastRow() - 1, ACTIVITY_COLUMNS.length) : [];
  const cells = new Map<string, Tally>();
  const byUser = new Map<string, Tally>();
  const periods = new Set<string>();
  let counted = 0;
  for (const r of rows) {
    if (String(r[ID_COLUMN - 1]).trim() === '') continue;
    const when = r[DATE_COLUMN - 1];
    if (!isDate(when)) continue;
    const day = dateCellToYmd(when, tz);
    if ((o.since && day < o.since) || (o.until && day > o.until)) continue;
    const k = slot(String(r[TYPE_COLUMN - 1]), String(r[DIRECTION_COLUMN - 1]));
    if (k < 0) continue;
    const period = o.by === 'week' ? weekOf(day) : day;
    const user = String(r[USER_COLUMN - 1]) || '(no user)';
    const seconds =
      k <= 1 && typeof r[DURATION_COLUMN - 1] === 'number' ? (r[DURATION_COLUMN - 1] as number) : 0;
    for (const [map, key] of [
      [cells, `${period}\u0000${user}`],
      [byUser, user],
    ] as const) {
      const t = map.get(key) ?? { counts: COUNTS.map(() => 0), seconds: 0 };
      t.counts[k]++;
      t.seconds += seconds;
      map.set(key, t);
    }
    periods.add(period);
    counted++;
  }
  const minutes = (s: number) => Math.round((s / 60) * 10) / 10;
  const users = [...byUser.keys()].sort((a, b) => a.localeCompare(b));
  const totals: CellValue[][] = [
    ['Activities by user', '', '', ''],
    ['User', 'Calls', 'Call minutes', 'All activities'],
    ...users.map((u) => {
      const t = byUser.get(u)!;
      return [u, t.counts[0] + t.counts[1], minutes(t.seconds), t.counts.reduce((a, b) => a + b, 0)];
    }),
  ];
  const detail: CellValue[][] = [
    [`Per user per ${o.by}`, ...HEADER.slice(1).map(() => '')],
    HEADER,
    ...[...cells.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, t]) => {
        const [period, user] = key.split('\u0000');
        return [period, user, ...t.counts, minutes(t.seconds)];
      }),
  ];
  const canvas = deps.canvas(ACTIVITY_REPORT_SHEET);
  canvas.reset();
  const range = o.since || o.until ? ` · ${o.since ?? '…'} to ${o.until ?? '…'}` : '';
  canvas.writeTable(1, 1, [[`Activity report · ${o.sheetName}${range}`]], {
    boldRows: [0],
    headerRows: [],
    formats: [['@']],
  });
  const textRow = (n: number) => new Array<string>(n).fill('@');
  canvas.writeTable(3, 1, totals, {
    boldRows: [0, 1],
    headerRows: [1],
    formats: [textRow(4), textRow(4), ...users.map(() => ['@', '0', '0.0', '0'])],
  });
  if (users.length > 0)
    canvas.addChart({
      kind: 'column',
      title: 'Calls per user',
      ranges: [
        { row: 4, column: 1, numRows: users.length + 1, numColumns: 1 },
        { row: 4, column: 2, numRows: users.length + 1, numColumns: 1 },
      ],
      anchorRow: 3,
      anchorColumn: 6,
    });
  const detailRow = 3 + Math.max(totals.length + 1, 20);
  canvas.writeTable(detailRow, 1, detail, {
    boldRows: [0, 1],
    headerRows: [1],
    formats: [
      textRow(HEADER.length),
      textRow(HEADER.length),
      ...detail.slice(2).map(() => ['@', '@', ...COUNTS.map(() => '0'), '0.0']),
    ],
  });
  canvas.fitColumns(1, HEADER.length);
  deps.store.set(
    SOURCE_KEY,
    JSON.stringify({ sheetName: o.sheetName, since: o.since, until: o.until, by: o.by }),
  );
  return {
    sheetName: o.sheetName,
    reportSheet: ACTIVITY_REPORT_SHEET,
    by: o.by,
    activities: counted,
    users: users.length,
    periods: periods.size,
    message: `Activity report "${ACTIVITY_REPORT_SHEET}" built from "${o.sheetName}": ${counted} activities of ${users.length} users over ${periods.size} ${o.by}s.`,
  };
}

/** The options the activity report was last built with, when it was built from this sheet. */
export function activityReportFollowing(store: Store, sheetName: string): ActivityReportOptions | null {
  const saved = store.get(SOURCE_KEY);
  if (!saved) return null;
  const o = JSON.parse(saved) as {
    sheetName: string;
    since: string | null;
    until: string | null;
    by: 'day' | 'week';
  };
  return o.sheetName === sheetName
    ? { sheetName: o.sheetName, since: o.since ?? undefined, until: o.until ?? undefined, by: o.by }
    : null;
}
