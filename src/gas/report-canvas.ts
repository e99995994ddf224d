// ReportCanvas over a sheet of the active spreadsheet: tables in blocks, native embedded charts.
import type { CellValue, ChartSpec, ReportCanvas, TableStyle } from '../core/ports';
import { columnLetter } from './grid';

const HEADER_BACKGROUND = '#e8f0fe';

function rowsA1(row: number, column: number, width: number, offsets: number[]): string[] {
  return offsets.map(
    (o) => `${columnLetter(column)}${row + o}:${columnLetter(column + width - 1)}${row + o}`,
  );
}

export function reportCanvas(name: string): ReportCanvas {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  const sheet =
    spreadsheet.getSheetByName(name) ?? spreadsheet.insertSheet(name, spreadsheet.getSheets().length);
  return {
    reset() {
      for (const chart of sheet.getCharts()) sheet.removeChart(chart);
      sheet.clear();
    },
    writeTable(row: number, column: number, values: CellValue[][], style: TableStyle) {
      if (values.length === 0) return;
      const width = values[0].length;
      const lastRow = row + values.length - 1;
      const maxRows = sheet.getMaxRows();
      if (lastRow > maxRows) sheet.insertRowsAfter(maxRows, lastRow - maxRows);
      const range = sheet.getRange(row, column, values.length, width);
      // Formats first: a label must be plain text before it lands, or Sheets may read it as a date.
      range.setNumberFormats(style.formats);
      range.setValues(values);
      if (style.boldRows.length > 0)
        sheet.getRangeList(rowsA1(row, column, width, style.boldRows)).setFontWeight('bold');
      if (style.headerRows.length > 0)
        sheet.getRangeList(rowsA1(row, column, width, style.headerRows)).setBackground(HEADER_BACKGROUND);
    },
    addChart(spec: ChartSpec) {
      let builder = sheet.newChart();
      for (const r of spec.ranges)
        builder = builder.addRange(sheet.getRange(r.row, r.column, r.numRows, r.numColumns));
      builder = builder
        .setPosition(spec.anchorRow, spec.anchorColumn, 0, 0)
        .setNumHeaders(1)
        .setOption('title', spec.title);
      if (spec.kind !== 'pie') builder = builder.setOption('legend', { position: 'none' });
      const typed =
        spec.kind === 'pie'
          ? builder.asPieChart()
          : spec.kind === 'bar'
            ? builder.asBarChart()
            : builder.asColumnChart();
      sheet.insertChart(typed.build());
    },
    fitColumns(first: number, count: number) {
      sheet.autoResizeColumns(first, count);
    },
  };
}

/** Whether the spreadsheet has a sheet of that name (the scheduled refresh rebuilds an existing report). */
export function hasSheet(name: string): boolean {
  return SpreadsheetApp.getActiveSpreadsheet().getSheetByName(name) !== null;
}
