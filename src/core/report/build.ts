// Build (or rebuild) the pipeline report from a pulled sheet: read it in one block, compute the tables,
// write them with their charts to `Close Report`, and add a dated row to the history.
import type { CloseClient } from '../close/client';
import type { Clock, ReportCanvas, Store, Workbook } from '../ports';
import { LEAD_ID_KEY } from '../schema/columns';
import { readSheetTable } from '../sync/lead-sheet';
import { readSnapshot } from '../sync/snapshot';
import { appendHistory, HISTORY_SHEET } from './history';
import { REPORT_SHEET, writeReport } from './layout';
import { fetchOpportunityData, opportunityTables } from './opportunities';
import { moneyFormat, pipelineReport } from './pipeline';
import { checkPeriodDates, dateCellToYmd, serialToYmd, ymdToSerial } from '../schema/dates';
import { cacheSchema, fetchReportSchema, loadCachedSchema, schemaFits } from './schema';

export interface ReportDeps {
  workbook: Workbook;
  clock: Clock;
  /** Document properties: the cached report schema, and which sheet the report reads. */
  store: Store;
  canvas: (name: string) => ReportCanvas;
  /** Only called when the cached schema does not cover the sheet. */
  client: () => CloseClient;
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
}

/** The period asked for; by default the 30 days up to today (in the spreadsheet's zone). */
export function reportPeriod(
  options: ReportPeriod,
  now: number,
  timeZone: string,
): { since: string; until: string } {
  checkPeriodDates(options);
  const until = options.until || dateCellToYmd(new Date(now), timeZone);
  const since = options.since || serialToYmd((ymdToSerial(until) as number) - 29);
  if (since > until) throw new Error(`since (${since}) is after until (${until}): swap them.`);
  return { since, until };
}

export function buildReport(deps: ReportDeps, sheetName: string, options: ReportPeriod = {}): ReportSummary {
  const grid = deps.workbook.sheet(sheetName);
  if (!grid) throw new Error(`There is no sheet named "${sheetName}" yet: pull leads first.`);
  const table = readSheetTable(grid);
  if (!table.columnOf.has(LEAD_ID_KEY))
    throw new Error(`"${sheetName}" has no Lead ID column bound to Close: pull leads into it first.`);
  const now = deps.clock.now();
  const period = reportPeriod(options, now, deps.workbook.timeZone());
  let schema = loadCachedSchema(deps.store);
  let closeCalls = 0;
  if (!schemaFits(schema, [...table.columnOf.keys()], now)) {
    const client = deps.client();
    const before = client.stats.requests;
    schema = fetchReportSchema(client, now);
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
  // The pipeline by opportunity status and owner, from Close's opportunity listing (see opportunities.ts).
  const client = deps.client();
  const before = client.stats.requests;
  const opportunities = fetchOpportunityData(client);
  closeCalls += client.stats.requests - before;
  report.tables.push(
    ...opportunityTables(opportunities, moneyFormat(report.currency), report.currency, period),
  );
  const layout = writeReport(deps.canvas(REPORT_SHEET), report);
  appendHistory(deps.workbook, report, now);
  deps.store.set(SOURCE_KEY, sheetName);
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
    message: `Report "${REPORT_SHEET}" built from "${sheetName}": ${plural(report.leads, 'lead')}, ${plural(layout.tables.length, 'table')}, ${plural(layout.charts.length, 'chart')}.`,
  };
}
