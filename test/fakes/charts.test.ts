// The embedded-chart fake (dev/gas-fakes/charts.ts): Sheet.newChart → EmbeddedChartBuilder → build →
// insertChart, getCharts, removeChart and updateChart, as the report uses them.
import { chartSummaries, createGasRuntime, type FakeHttpHandler } from '../../dev/gas-fakes';

// biome-ignore lint/suspicious/noExplicitAny: test access to fake services by their Apps Script names.
type Svc = any;

const ok: FakeHttpHandler = () => ({ status: 200, headers: {}, body: '{}' });

function setup() {
  const rt = createGasRuntime({ http: ok, quiet: true });
  const g = rt.globals as Record<string, Svc>;
  const ss = g.SpreadsheetApp.getActiveSpreadsheet();
  const sheet = ss.getSheets()[0];
  sheet.getRange('A1:B4').setValues([
    ['Status', 'Leads'],
    ['Potential', 3],
    ['Customer', 2],
    ['Lost', 1],
  ]);
  return { rt, g, ss, sheet };
}

test('a built chart has no id until inserted; insertChart keeps type, ranges, options and position', () => {
  const { rt, sheet } = setup();
  const chart = sheet
    .newChart()
    .addRange(sheet.getRange('A1:A4'))
    .addRange(sheet.getRange('B1:B4'))
    .setPosition(2, 6, 0, 0)
    .setNumHeaders(1)
    .setOption('title', 'Leads by status')
    .asPieChart()
    .build();
  expect(chart.getChartId()).toBeNull();
  expect(sheet.getCharts()).toEqual([]);
  sheet.insertChart(chart);
  const [inserted] = sheet.getCharts();
  expect(inserted.getChartId()).toEqual(expect.any(Number));
  expect(inserted.getRanges().map((r: Svc) => r.getA1Notation())).toEqual(['A1:A4', 'B1:B4']);
  expect(inserted.getOptions().get('title')).toBe('Leads by status');
  expect(inserted.getContainerInfo().getAnchorRow()).toBe(2);
  expect(inserted.getContainerInfo().getAnchorColumn()).toBe(6);
  expect(inserted.getNumHeaders()).toBe(1);
  expect(String(inserted.modify().getChartType())).toBe('PIE');
  expect(chartSummaries(rt.spreadsheet, 'Sheet1')).toEqual([
    {
      id: inserted.getChartId(),
      type: 'PIE',
      title: 'Leads by status',
      ranges: ['A1:A4', 'B1:B4'],
      anchor: { row: 2, column: 6 },
      numHeaders: 1,
      options: { title: 'Leads by status' },
    },
  ]);
});

test('each insert is a new chart with a new id; removeChart removes exactly that one', () => {
  const { sheet } = setup();
  const build = (type: 'asColumnChart' | 'asBarChart') =>
    sheet.newChart().addRange(sheet.getRange('A1:B4'))[type]().build();
  sheet.insertChart(build('asColumnChart'));
  sheet.insertChart(build('asBarChart'));
  const charts = sheet.getCharts();
  expect(charts).toHaveLength(2);
  expect(charts[0].getChartId()).not.toBe(charts[1].getChartId());
  sheet.removeChart(charts[0]);
  expect(sheet.getCharts().map((c: Svc) => String(c.modify().getChartType()))).toEqual(['BAR']);
  // Removing a chart that is no longer there does nothing.
  sheet.removeChart(charts[0]);
  expect(sheet.getCharts()).toHaveLength(1);
});

test('modify() and updateChart change a chart in place; setChartType takes Charts.ChartType', () => {
  const { g, sheet } = setup();
  sheet.insertChart(
    sheet.newChart().addRange(sheet.getRange('A1:B4')).setChartType(g.Charts.ChartType.LINE).build(),
  );
  const [chart] = sheet.getCharts();
  sheet.updateChart(chart.modify().setOption('title', 'Renamed').setPosition(5, 1, 10, 20).build());
  const [updated] = sheet.getCharts();
  expect(updated.getChartId()).toBe(chart.getChartId());
  expect(updated.getOptions().get('title')).toBe('Renamed');
  expect(updated.getContainerInfo().getOffsetY()).toBe(20);
  expect(String(updated.modify().getChartType())).toBe('LINE');
});

test('wrong arguments fail like Apps Script; charts go with their sheet', () => {
  const { ss, sheet } = setup();
  expect(() => sheet.newChart().addRange('A1:B4')).toThrow(
    "The parameters (String) don't match the method signature for SpreadsheetApp.EmbeddedChartBuilder.addRange.",
  );
  expect(() => sheet.newChart().setPosition(1.5, 1, 0, 0)).toThrow(
    "The parameters (number,number,number,number) don't match the method signature for SpreadsheetApp.EmbeddedChartBuilder.setPosition.",
  );
  expect(() => sheet.insertChart({})).toThrow(
    "The parameters (Object) don't match the method signature for SpreadsheetApp.Sheet.insertChart.",
  );
  const other = ss.insertSheet('Report');
  other.insertChart(other.newChart().addRange(sheet.getRange('A1:B4')).asColumnChart().build());
  expect(other.getCharts()[0].getRanges()[0].getSheet().getName()).toBe('Sheet1');
  ss.deleteSheet(other);
  expect(ss.insertSheet('Report').getCharts()).toEqual([]);
});

test('every chart call on the sheet counts as a Spreadsheet-service call', () => {
  const { rt, sheet } = setup();
  const before = rt.stats.spreadsheetCalls;
  sheet.getCharts();
  expect(rt.stats.spreadsheetCalls).toBe(before + 1);
});
