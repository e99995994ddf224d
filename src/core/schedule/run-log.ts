// The `Close Sync Log` sheet: one row per scheduled refresh (start, end, sheet, who, leads, outcome,
// message), newest at the bottom, capped so it never grows without end. Visible on purpose: it is how a
// team sees that the sheet is fresh, and what went wrong when it is not.
import type { CellValue, Grid, Workbook } from '../ports';
import type { RunOutcome } from './due-times';

export const RUN_LOG_SHEET = 'Close Sync Log';
/** Data rows kept; the oldest go first. */
export const RUN_LOG_MAX_ROWS = 500;
export const RUN_LOG_HEADER = ['Started', 'Finished', 'Sheet', 'Run by', 'Leads', 'Outcome', 'Message'];
const TIME_COLUMNS = [1, 2];
const TEXT_COLUMNS = [3, 4, 6, 7];
export const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

export interface RunLogEntry {
  startedAt: number;
  finishedAt: number;
  sheetName: string;
  by: string;
  leads: number | null;
  outcome: RunOutcome;
  message: string;
}

function logSheet(workbook: Workbook): Grid {
  const existing = workbook.sheet(RUN_LOG_SHEET);
  if (existing) return existing;
  const grid = workbook.createSheet(RUN_LOG_SHEET, { columns: RUN_LOG_HEADER.length });
  // Formats before any value: messages quote lead data and must never become formulas or numbers.
  grid.formatColumns(TEXT_COLUMNS, '@');
  grid.formatColumns(TIME_COLUMNS, TIME_FORMAT);
  grid.write(1, 1, [RUN_LOG_HEADER]);
  grid.styleColumns(
    [],
    RUN_LOG_HEADER.map((_, i) => i + 1),
  );
  return grid;
}

/** Appends the entries in one write, then trims the oldest rows past `maxRows` in one call. */
export function appendRunLog(workbook: Workbook, entries: RunLogEntry[], maxRows = RUN_LOG_MAX_ROWS): void {
  if (entries.length === 0) return;
  const grid = logSheet(workbook);
  const rows: CellValue[][] = entries.map((e) => [
    new Date(e.startedAt),
    new Date(e.finishedAt),
    e.sheetName,
    e.by,
    e.leads ?? '',
    e.outcome,
    e.message,
  ]);
  const at = Math.max(grid.lastRow(), 1) + 1;
  grid.ensureSize(at + rows.length - 1, RUN_LOG_HEADER.length);
  // Formats again before the values land (cheap): the rep may have reformatted the columns.
  grid.formatColumns(TEXT_COLUMNS, '@');
  grid.formatColumns(TIME_COLUMNS, TIME_FORMAT);
  grid.write(at, 1, rows);
  const dataRows = at + rows.length - 2;
  if (dataRows > maxRows) grid.deleteRows(2, dataRows - maxRows);
}
