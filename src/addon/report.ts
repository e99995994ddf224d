// Build report: the pipeline report from the pulled sheet, into `Close Report` (see core/report).
import { buildReport, type ReportSummary, reportSource, savedReportOptions } from '../core/report/build';
import type { HistoryBy } from '../core/report/status-history';
import { REPORT_SHEET } from '../core/report/layout';
import { DEFAULT_SHEET } from '../core/sync/context';
import { activeWorkbook } from '../gas/grid';
import { reportCanvas, hasSheet } from '../gas/report-canvas';
import { appsScriptClock, documentStore, userCacheStore } from '../gas/runtime';
import { FRESH_MS } from '../core/report/opportunity-cache';
import { clientFor, requireApiKey } from './connection';
import { executionStart } from './execution-state';
import { STEP_BUDGET_MS } from '../core/sync/job';

export interface ReportOptions {
  sheetName?: string;
  /** The period won and lost opportunities are counted in (YYYY-MM-DD; default the last 30 days). */
  since?: string;
  until?: string;
  /** Adds the status history (transitions per week or month, median days in status). */
  by?: HistoryBy;
}

/** The rep's cache for the report's opportunity data: kept a little past FRESH_MS, which decides. */
export function reportCache() {
  return userCacheStore(FRESH_MS / 1000 + 60);
}

export function buildReportFor(sheetName: string, options: ReportOptions = {}): ReportSummary {
  return buildReport(
    {
      workbook: activeWorkbook(),
      clock: appsScriptClock,
      store: documentStore(),
      canvas: reportCanvas,
      client: () => clientFor(requireApiKey()),
      cache: reportCache(),
      // A step's budget from the execution's start: the rest of Apps Script's 6 minutes is the report's
      // writes' (after a scheduled pull, what the pull left).
      stopAt: executionStart() + STEP_BUDGET_MS,
    },
    sheetName,
    { since: options.since, until: options.until, by: options.by },
  );
}

/** The scheduled refresh's rebuild: the report's sheet, with the status history it was built with. */
export function rebuildReport(sheetName: string): ReportSummary {
  return buildReportFor(sheetName, savedReportOptions(documentStore()));
}

/** The sheet a report would read: the one asked for, else the one it was built from, else the default. */
export function reportSheetFor(options: ReportOptions | undefined): string {
  return options?.sheetName || reportSource(documentStore()) || DEFAULT_SHEET;
}

/** The scheduled refresh of `sheetName` rebuilds the report when there is one built from that sheet. */
export function reportFollows(sheetName: string): boolean {
  return reportSource(documentStore()) === sheetName && hasSheet(REPORT_SHEET);
}
