// Trends: each report build adds one dated summary row to `Close Report History` (leads, opportunities,
// value, and leads per status), so a rep can chart the pipeline over weeks. Statuses that appear later
// get a new column; the oldest rows go past the cap.
import type { CellValue, Grid, Workbook } from '../ports';
import { COUNT, moneyFormat, type PipelineReport, TEXT, WHEN } from './pipeline';

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
