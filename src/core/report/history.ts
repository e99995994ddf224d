// Trends: each report build adds one dated summary row to `Close Report History` (leads, opportunities,
// value, and leads per status), so a rep can chart the pipeline over weeks. Statuses that appear later
// get a new column; the oldest rows go past the cap. A build with status history also records its
// transitions per period in `Close Report Status History` (below).
import type { CellValue, Grid, Workbook } from '../ports';
import { COUNT, moneyFormat, type PipelineReport, TEXT, WHEN } from './pipeline';
import type { StatusHistory, Transition } from './status-history';

export const HISTORY_SHEET = 'Close Report History';
export const HISTORY_MAX_ROWS = 5_000;
export const HISTORY_HEADER = ['Date', 'Sheet', 'Leads', 'Opportunities', 'Total value', 'Currency'];
export const statusHeader = (status: string) => `Leads · ${status}`;

function historySheet(workbook: Workbook, currency: string): Grid {
  const existing = workbook.sheet(HISTORY_SHEET);
  if (existing) return existing;
  const grid = workbook.createSheet(HISTORY_SHEET);
  grid.formatColumns([1], WHEN);
  grid.formatColumns([2, 6], TEXT);
  grid.formatColumns([3, 4], COUNT);
  grid.formatColumns([5], moneyFormat(currency));
  return grid;
}

export function appendHistory(
  workbook: Workbook,
  report: PipelineReport,
  at: number,
  maxRows = HISTORY_MAX_ROWS,
): void {
  const grid = historySheet(workbook, report.currency);
  const width = grid.lastColumn();
  const header = width > 0 ? grid.read(1, 1, 1, width)[0].map(String) : [...HISTORY_HEADER];
  const added: number[] = [];
  for (const { status } of report.byStatus) {
    if (header.includes(statusHeader(status))) continue;
    header.push(statusHeader(status));
    added.push(header.length);
  }
  grid.ensureSize(Math.max(grid.lastRow(), 1) + 1, header.length);
  if (added.length > 0 || width === 0) {
    grid.formatColumns(added, COUNT);
    grid.write(1, 1, [header]);
    grid.styleColumns(
      [],
      header.map((_, i) => i + 1),
    );
  }
  const row: CellValue[] = header.map(() => '');
  row[0] = new Date(at);
  row[1] = report.sheetName;
  row[2] = report.leads;
  row[3] = report.opportunities;
  row[4] = report.value;
  row[5] = report.currency;
  for (const { status, leads } of report.byStatus) row[header.indexOf(statusHeader(status))] = leads;
  const next = Math.max(grid.lastRow(), 1) + 1;
  grid.write(next, 1, [row]);
  if (next - 1 > maxRows) grid.deleteRows(2, next - 1 - maxRows);
}

// ---- status history ------------------------------------------------------------------------------------

/**
 * Status transitions per week or month, one row per period and one column per transition (`Lead:
 * Qualified → Won`, `Opportunity (Sales): Active → Won`), so a line chart over the rows shows each trend.
 * A period's row is written when the build covered it whole (or it is the period under way, which later
 * builds update); a rebuild over the same period replaces its row, so rows are never duplicated. Columns
 * for transitions seen later are added at the right.
 */
export const STATUS_HISTORY_SHEET = 'Close Report Status History';
export const STATUS_HISTORY_HEADER = ['Period', 'By', 'First day', 'Last day', 'Updated'];
export const transitionHeader = (t: Pick<Transition, 'object' | 'pipeline' | 'from' | 'to'>) =>
  `${t.object === 'Lead' ? 'Lead' : `Opportunity (${t.pipeline})`}: ${t.from} → ${t.to}`;

/** The periods a build may record: covered whole by since–until, or under way (until reaches today). */
export function recordablePeriods(h: StatusHistory, today: string): StatusHistory['periods'] {
  return h.periods.filter(
    (p) => p.first >= h.since && (p.last <= h.until || (p.first <= today && h.until >= today)),
  );
}

export function appendStatusHistory(workbook: Workbook, h: StatusHistory, at: number, today: string): number {
  const periods = recordablePeriods(h, today);
  if (periods.length === 0) return 0;
  const grid = workbook.sheet(STATUS_HISTORY_SHEET) ?? workbook.createSheet(STATUS_HISTORY_SHEET);
  const width = grid.lastColumn();
  const rows = Math.max(grid.lastRow() - 1, 0);
  const header = width > 0 ? grid.read(1, 1, 1, width)[0].map(String) : [...STATUS_HISTORY_HEADER];
  const body: CellValue[][] = rows > 0 ? grid.read(2, 1, rows, header.length) : [];
  const added: number[] = [];
  for (const t of h.transitions) {
    const name = transitionHeader(t);
    if (header.includes(name)) continue;
    header.push(name);
    added.push(header.length);
  }
  const rowOf = new Map(body.map((r, i) => [`${String(r[0])}\u0000${String(r[1])}`, i]));
  for (const p of periods) {
    const row: CellValue[] = header.map((_, i) => (i >= STATUS_HISTORY_HEADER.length ? 0 : ''));
    row[0] = p.period;
    row[1] = h.by;
    row[2] = p.first;
    row[3] = p.last;
    row[4] = new Date(at);
    for (const t of h.transitions)
      if (t.period === p.period) row[header.indexOf(transitionHeader(t))] = t.count;
    const i = rowOf.get(`${p.period}\u0000${h.by}`);
    if (i === undefined) {
      rowOf.set(`${p.period}\u0000${h.by}`, body.length);
      body.push(row);
    } else body[i] = row;
  }
  // Older rows get '' (not 0) under columns added now: a transition unknown then is not a zero.
  for (const r of body) while (r.length < header.length) r.push('');
  body.sort((a, b) =>
    String(a[2]) < String(b[2]) ? -1 : String(a[2]) > String(b[2]) ? 1 : String(a[1]) < String(b[1]) ? -1 : 1,
  );
  grid.ensureSize(body.length + 1, header.length);
  // Text first: a period or a status label never becomes a date or a formula.
  grid.formatColumns([1, 2, 3, 4], TEXT);
  grid.formatColumns([5], WHEN);
  if (header.length > STATUS_HISTORY_HEADER.length)
    grid.formatColumns(
      header.slice(STATUS_HISTORY_HEADER.length).map((_, i) => i + STATUS_HISTORY_HEADER.length + 1),
      COUNT,
    );
  if (added.length > 0 || width === 0)
    grid.styleColumns(
      [],
      header.map((_, i) => i + 1),
    );
  grid.write(1, 1, [header, ...body]);
  return periods.length;
}
