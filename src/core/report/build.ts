// Build (or rebuild) the pipeline report from a pulled sheet: read it in one block, compute the tables,
// write them with their charts to `Close Report`, and add a dated row to the history.
import type { CloseClient } from '../close/client';
import { SchemaNotInTime } from '../close/org';
import type { Clock, ReportCanvas, Store, Workbook } from '../ports';
import { LEAD_ID_KEY } from '../schema/columns';
import { readSheetTable } from '../sync/lead-sheet';
import { readSnapshot } from '../sync/snapshot';
import { appendHistory, appendStatusHistory, HISTORY_SHEET, STATUS_HISTORY_SHEET } from './history';
import { REPORT_SHEET, writeReport } from './layout';
import { fetchOpportunityData, opportunityTables } from './opportunities';
import { cacheOpportunities, loadCachedOpportunities } from './opportunity-cache';
import { moneyFormat, pipelineReport } from './pipeline';
import { checkPeriodDates, dateCellToYmd, serialToInstant, serialToYmd, ymdToSerial } from '../schema/dates';
import { cacheSchema, fetchReportSchema, loadCachedSchema, schemaFits } from './schema';
import {
  checkBy,
  DAY_MS,
  fetchStatusChanges,
  type HistoryBy,
  periodStart,
  STATUS_LOOKBACK_DAYS,
  statusHistory,
  statusHistoryTables,
} from './status-history';

export interface ReportDeps {
  workbook: Workbook;
  clock: Clock;
  /** Document properties: the cached report schema, and which sheet the report reads. */
  store: Store;
  canvas: (name: string) => ReportCanvas;
  /** Only called when the cached schema does not cover the sheet, or the opportunity data is not fresh. */
  client: () => CloseClient;
  /** The rep's session cache: the opportunity data a build read in the last minutes (opportunity-cache.ts). */
  cache?: Store;
  /**
   * When Close's requests may wait to be sent at the latest (clock ms): the run's time, kept inside Apps
   * Script's 6-minute limit on the execution (a scheduled refresh rebuilds the report after its pull).
   */
  stopAt?: number;
}

export interface ReportSummary {
  sheetName: string;
  reportSheet: string;
  historySheet: string;
  leads: number;
  opportunities: number;
  value: number;
  currency: string;
  tables: number;
  charts: number;
  /** Close calls made (0 when the cached schema served). */
  closeCalls: number;
  /** With `by`: the status history's sheet, status changes read, and the periods recorded there. */
  statusHistory?: { sheet: string; by: HistoryBy; changes: number; periods: number };
  message: string;
}

const SOURCE_KEY = 'closeSync.report.source';

/** The lead sheet the report was last built from (the scheduled refresh of that sheet rebuilds it). */
export function reportSource(store: Store): string | null {
  return store.get(SOURCE_KEY);
}

export interface ReportPeriod {
  /** First and last day (YYYY-MM-DD, the spreadsheet's zone) of the period won/lost is counted in. */
  since?: string;
  until?: string;
  /** Adds the status history of the period, per week or month (its tables and history rows). */
  by?: HistoryBy;
}

const OPTIONS_KEY = 'closeSync.report.options';

/** The status history option the report was last built with: its scheduled rebuild keeps it. */
export function savedReportOptions(store: Store): Pick<ReportPeriod, 'by'> {
  try {
    const saved = JSON.parse(store.get(OPTIONS_KEY) ?? '{}') as Pick<ReportPeriod, 'by'>;
    return saved.by ? { by: saved.by } : {};
  } catch {
    return {};
  }
}

/** Reading the status changes may take this long at most (the report is built in one execution). */
const STATUS_READ_MS = 4 * 60_000;

/** The period asked for; by default the 30 days up to today (in the spreadsheet's zone). */
export function reportPeriod(
  options: ReportPeriod,
  now: number,
  timeZone: string,
): { since: string; until: string } {
  checkPeriodDates(options);
  const by = checkBy(options.by);
  const until = options.until || dateCellToYmd(new Date(now), timeZone);
  const thirty = serialToYmd((ymdToSerial(until) as number) - 29);
  // With a status history by week or month, the default period starts on its first week's (month's) day.
  const since = options.since || (by ? periodStart(thirty, by) : thirty);
  if (since > until) throw new Error(`since (${since}) is after until (${until}): swap them.`);
  return { since, until };
}

/**
 * Runs a read of Close for the report: one Close makes wait past the run's time stops the build before
 * anything is written (waiting whatever Close asks would get the run killed, the report half-written).
 */
function inTime<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof SchemaNotInTime)
      throw new Error(
        `Close asked to wait longer than this run had left before it could load ${e.what}: the report was not changed. Build it again in a few minutes.`,
      );
    throw e;
  }
}

export function buildReport(deps: ReportDeps, sheetName: string, options: ReportPeriod = {}): ReportSummary {
  // Options first: a bad one is refused before anything is read or fetched.
  const by = checkBy(options.by);
  const grid = deps.workbook.sheet(sheetName);
  if (!grid) throw new Error(`There is no sheet named "${sheetName}" yet: pull leads first.`);
  const table = readSheetTable(grid);
  if (!table.columnOf.has(LEAD_ID_KEY))
    throw new Error(`"${sheetName}" has no Lead ID column bound to Close: pull leads into it first.`);
  const now = deps.clock.now();
  const period = reportPeriod(options, now, deps.workbook.timeZone());
  const stopAt = deps.stopAt ?? Number.POSITIVE_INFINITY;
  let schema = loadCachedSchema(deps.store);
  let closeCalls = 0;
  if (!schemaFits(schema, [...table.columnOf.keys()], now)) {
    const client = deps.client();
    const before = client.stats.requests;
    schema = inTime(() => fetchReportSchema(client, now, { stopAt }));
    closeCalls = client.stats.requests - before;
    cacheSchema(deps.store, schema);
  }
  const snapshot = readSnapshot(deps.workbook, sheetName);
  const gone = new Set<string>();
  for (const id of snapshot.ids()) if (snapshot.isGone(id)) gone.add(id);
  const report = pipelineReport({
    sheetName,
    rows: table.rows,
    columnOf: table.columnOf,
    schema,
    gone,
    builtAt: now,
  });
  // The pipeline by opportunity status and owner, from Close's opportunity listing (see opportunities.ts),
  // or from the listing a build read minutes ago (fresh: see opportunity-cache.ts).
  let opportunities = deps.cache ? loadCachedOpportunities(deps.cache, now) : null;
  if (!opportunities) {
    const client = deps.client();
    const before = client.stats.requests;
    opportunities = inTime(() => fetchOpportunityData(client, stopAt));
    closeCalls += client.stats.requests - before;
    if (deps.cache) cacheOpportunities(deps.cache, opportunities, now);
  }
  report.tables.push(
    ...opportunityTables(opportunities, moneyFormat(report.currency), report.currency, period),
  );
  let history: ReportSummary['statusHistory'];
  if (by) {
    const timeZone = deps.workbook.timeZone();
    const sinceMs = serialToInstant(ymdToSerial(period.since) as number, timeZone);
    const untilMs = serialToInstant((ymdToSerial(period.until) as number) + 1, timeZone);
    const client = deps.client();
    const before = client.stats.requests;
    const changes = inTime(() =>
      fetchStatusChanges(
        client,
        sinceMs - STATUS_LOOKBACK_DAYS * DAY_MS,
        untilMs,
        Math.min(deps.clock.now() + STATUS_READ_MS, stopAt),
      ),
    );
    closeCalls += client.stats.requests - before;
    const h = statusHistory(changes, { ...period, sinceMs, untilMs }, by, timeZone, {
      lead: schema.statuses,
      pipelines: opportunities.pipelines,
    });
    report.tables.push(...statusHistoryTables(h));
    const periods = appendStatusHistory(deps.workbook, h, now, dateCellToYmd(new Date(now), timeZone));
    history = {
      sheet: STATUS_HISTORY_SHEET,
      by,
      changes: changes.filter((c) => c.at >= sinceMs && c.at < untilMs).length,
      periods,
    };
  }
  const layout = writeReport(deps.canvas(REPORT_SHEET), report);
  appendHistory(deps.workbook, report, now);
  deps.store.set(SOURCE_KEY, sheetName);
  deps.store.set(OPTIONS_KEY, JSON.stringify(by ? { by } : {}));
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  return {
    sheetName,
    reportSheet: REPORT_SHEET,
    historySheet: HISTORY_SHEET,
    leads: report.leads,
    opportunities: report.opportunities,
    value: report.value,
    currency: report.currency,
    tables: layout.tables.length,
    charts: layout.charts.length,
    closeCalls,
    ...(history ? { statusHistory: history } : {}),
    message: `Report "${REPORT_SHEET}" built from "${sheetName}": ${plural(report.leads, 'lead')}, ${plural(layout.tables.length, 'table')}, ${plural(layout.charts.length, 'chart')}${history ? `; status history by ${by}: ${plural(history.changes, 'status change')}, ${plural(history.periods, 'period')} recorded in "${STATUS_HISTORY_SHEET}"` : ''}.`,
  };
}
