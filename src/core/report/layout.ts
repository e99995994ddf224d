// Lays the report out on its sheet: the summary at the top, then one table after another down columns
// A–D, each with its native chart beside it (column F), spaced so charts never overlap. Every table is one
// write; a rebuild starts from an empty sheet with no charts, so nothing is ever duplicated.
import type { CellValue, ChartSpec, ReportCanvas } from '../ports';
import { type PipelineReport, TEXT } from './pipeline';

export const REPORT_SHEET = 'Close Report';
export const CHART_COLUMN = 6;
/** Rows a chart of the default size covers (371 px at 21 px a row), plus a gap. */
export const CHART_ROWS = 20;
const TABLE_COLUMNS = 4;

export interface ReportLayout {
  tables: Array<{ title: string; row: number; rows: number }>;
  charts: ChartSpec[];
}

function pad(row: CellValue[], width: number): CellValue[] {
  return row.length >= width ? row : [...row, ...new Array<CellValue>(width - row.length).fill('')];
}

export function writeReport(canvas: ReportCanvas, report: PipelineReport): ReportLayout {
  canvas.reset();
  const layout: ReportLayout = { tables: [], charts: [] };
  const summary: CellValue[][] = [
    [`Pipeline report · ${report.sheetName}`, ''],
    ...report.summary.map((l): CellValue[] => [l.label, l.value]),
  ];
  canvas.writeTable(1, 1, summary, {
    boldRows: [0],
    headerRows: [],
    formats: [[TEXT, TEXT], ...report.summary.map((l) => [TEXT, l.format])],
  });
  let row = summary.length + 2;
  for (const table of report.tables) {
    const width = table.header.length;
    const values: CellValue[][] = [
      pad([table.title], width),
      table.header,
      ...table.rows.map((r) => pad(r, width)),
    ];
    const text = new Array<string>(width).fill(TEXT);
    canvas.writeTable(row, 1, values, {
      boldRows: [0, 1],
      headerRows: [1],
      formats: [text, text, ...table.rows.map(() => table.formats)],
    });
    layout.tables.push({ title: table.title, row, rows: values.length });
    const charted = table.chart !== undefined && table.rows.length > 0;
    if (table.chart && charted) {
      const span = table.rows.length + 1;
      const chart: ChartSpec = {
        kind: table.chart.kind,
        title: table.chart.title,
        ranges: [
          { row: row + 1, column: 1, numRows: span, numColumns: 1 },
          { row: row + 1, column: table.chart.valueColumn + 1, numRows: span, numColumns: 1 },
        ],
        anchorRow: row,
        anchorColumn: CHART_COLUMN,
      };
      canvas.addChart(chart);
      layout.charts.push(chart);
    }
    row += Math.max(values.length + 1, charted ? CHART_ROWS : 0);
  }
  canvas.fitColumns(1, TABLE_COLUMNS);
  return layout;
}
