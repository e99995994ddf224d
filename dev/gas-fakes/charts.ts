// Embedded charts: Sheet.newChart() → EmbeddedChartBuilder → build() → Sheet.insertChart(), plus
// getCharts, removeChart and updateChart. Minimal but faithful where it matters to the add-on: a built
// chart has no id until inserted; every insert gets a new id; the builder's as…Chart() methods only set
// the type; ranges, options (title, legend…), position and header count are kept for assertions.
import { boxToA1, type GridBox } from './a1';
import { describeArg, enumKey, type Env, makeEnum } from './env';
import type { FakeSheet, FakeSpreadsheet } from './model';
import { RangeApi } from './range';
import type { SheetsSession } from './session';

export const ChartType = makeEnum('ChartType', [
  'AREA',
  'BAR',
  'BUBBLE',
  'CANDLESTICK',
  'COLUMN',
  'COMBO',
  'GAUGE',
  'GEO',
  'HISTOGRAM',
  'RADAR',
  'LINE',
  'ORG',
  'PIE',
  'SCATTER',
  'SPARKLINE',
  'STEPPED_AREA',
  'TABLE',
  'TIMELINE',
  'TREE_MAP',
  'WATERFALL',
] as const);

export type ChartTypeName = keyof typeof ChartType;

export interface ChartRecord {
  chartId: number | null;
  type: ChartTypeName | null;
  ranges: Array<{ sheet: FakeSheet; box: GridBox }>;
  options: Record<string, unknown>;
  anchor: { row: number; column: number; offsetX: number; offsetY: number };
  numHeaders: number;
  transpose: boolean;
}

/** Charts per sheet (they go with the sheet when it is deleted). */
const chartsBySheet = new WeakMap<FakeSheet, ChartRecord[]>();
const nextIds = new WeakMap<FakeSpreadsheet, number>();

export function chartsOf(sheet: FakeSheet): ChartRecord[] {
  let list = chartsBySheet.get(sheet);
  if (!list) {
    list = [];
    chartsBySheet.set(sheet, list);
  }
  return list;
}

function copy(rec: ChartRecord): ChartRecord {
  return {
    ...rec,
    ranges: rec.ranges.map((r) => ({ sheet: r.sheet, box: { ...r.box } })),
    options: { ...rec.options },
    anchor: { ...rec.anchor },
  };
}

function signatureError(env: Env, method: string, args: unknown[]): Error {
  return env.fail(
    `The parameters (${args.map(describeArg).join(',')}) don't match the method signature for SpreadsheetApp.${method}.`,
  );
}

class ChartOptionsApi {
  constructor(private readonly options: Record<string, unknown>) {}
  get(option: string): unknown {
    return this.options[option] ?? null;
  }
  getOrDefault(option: string): unknown {
    return this.options[option] ?? null;
  }
}

class ContainerInfoApi {
  constructor(private readonly anchor: ChartRecord['anchor']) {}
  getAnchorRow(): number {
    return this.anchor.row;
  }
  getAnchorColumn(): number {
    return this.anchor.column;
  }
  getOffsetX(): number {
    return this.anchor.offsetX;
  }
  getOffsetY(): number {
    return this.anchor.offsetY;
  }
}

export class EmbeddedChartApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _sheet: FakeSheet,
    readonly _rec: ChartRecord,
  ) {}
  getChartId(): number | null {
    return this._rec.chartId;
  }
  getRanges(): RangeApi[] {
    return this._rec.ranges.map((r) => this._s.rangeApi(r.sheet, { ...r.box }));
  }
  getOptions(): ChartOptionsApi {
    return new ChartOptionsApi({ ...this._rec.options });
  }
  getContainerInfo(): ContainerInfoApi {
    return new ContainerInfoApi({ ...this._rec.anchor });
  }
  getNumHeaders(): number {
    return this._rec.numHeaders;
  }
  getTransposeRowsAndColumns(): boolean {
    return this._rec.transpose;
  }
  modify(): EmbeddedChartBuilderApi {
    return new EmbeddedChartBuilderApi(this._s, this._sheet, copy(this._rec));
  }
}

/** One builder class for every chart type: as…Chart() set the type and return the same builder. */
export class EmbeddedChartBuilderApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _sheet: FakeSheet,
    readonly _rec: ChartRecord = {
      chartId: null,
      type: null,
      ranges: [],
      options: {},
      anchor: { row: 1, column: 1, offsetX: 0, offsetY: 0 },
      numHeaders: -1,
      transpose: false,
    },
  ) {}

  private as(type: ChartTypeName): EmbeddedChartBuilderApi {
    this._rec.type = type;
    return this;
  }
  asAreaChart(): EmbeddedChartBuilderApi {
    return this.as('AREA');
  }
  asBarChart(): EmbeddedChartBuilderApi {
    return this.as('BAR');
  }
  asColumnChart(): EmbeddedChartBuilderApi {
    return this.as('COLUMN');
  }
  asComboChart(): EmbeddedChartBuilderApi {
    return this.as('COMBO');
  }
  asHistogramChart(): EmbeddedChartBuilderApi {
    return this.as('HISTOGRAM');
  }
  asLineChart(): EmbeddedChartBuilderApi {
    return this.as('LINE');
  }
  asPieChart(): EmbeddedChartBuilderApi {
    return this.as('PIE');
  }
  asScatterChart(): EmbeddedChartBuilderApi {
    return this.as('SCATTER');
  }
  asTableChart(): EmbeddedChartBuilderApi {
    return this.as('TABLE');
  }
  setChartType(type: unknown): EmbeddedChartBuilderApi {
    const k = enumKey(type, ChartType);
    if (!k) throw signatureError(this._s.env, 'EmbeddedChartBuilder.setChartType', [type]);
    return this.as(k);
  }
  getChartType(): unknown {
    return this._rec.type ? ChartType[this._rec.type] : null;
  }
  addRange(range: unknown): EmbeddedChartBuilderApi {
    if (!(range instanceof RangeApi))
      throw signatureError(this._s.env, 'EmbeddedChartBuilder.addRange', [range]);
    this._rec.ranges.push({ sheet: range._sheet, box: { ...range._box } });
    return this;
  }
  removeRange(range: unknown): EmbeddedChartBuilderApi {
    if (!(range instanceof RangeApi))
      throw signatureError(this._s.env, 'EmbeddedChartBuilder.removeRange', [range]);
    const a1 = boxToA1(range._box);
    this._rec.ranges = this._rec.ranges.filter((r) => r.sheet !== range._sheet || boxToA1(r.box) !== a1);
    return this;
  }
  clearRanges(): EmbeddedChartBuilderApi {
    this._rec.ranges = [];
    return this;
  }
  getRanges(): RangeApi[] {
    return this._rec.ranges.map((r) => this._s.rangeApi(r.sheet, { ...r.box }));
  }
  setOption(option: string, value: unknown): EmbeddedChartBuilderApi {
    if (typeof option !== 'string')
      throw signatureError(this._s.env, 'EmbeddedChartBuilder.setOption', [option, value]);
    this._rec.options[option] = value;
    return this;
  }
  /** The typed builders' setTitle is the 'title' option. */
  setTitle(title: string): EmbeddedChartBuilderApi {
    return this.setOption('title', String(title));
  }
  setPosition(
    anchorRowPos: number,
    anchorColPos: number,
    offsetX: number,
    offsetY: number,
  ): EmbeddedChartBuilderApi {
    const args = [anchorRowPos, anchorColPos, offsetX, offsetY];
    if (!args.every((a) => typeof a === 'number' && Number.isInteger(a)))
      throw signatureError(this._s.env, 'EmbeddedChartBuilder.setPosition', args);
    this._rec.anchor = { row: anchorRowPos, column: anchorColPos, offsetX, offsetY };
    return this;
  }
  setNumHeaders(headers: number): EmbeddedChartBuilderApi {
    if (typeof headers !== 'number' || !Number.isInteger(headers))
      throw signatureError(this._s.env, 'EmbeddedChartBuilder.setNumHeaders', [headers]);
    this._rec.numHeaders = headers;
    return this;
  }
  setTransposeRowsAndColumns(transpose: boolean): EmbeddedChartBuilderApi {
    this._rec.transpose = Boolean(transpose);
    return this;
  }
  getContainer(): ContainerInfoApi {
    return new ContainerInfoApi({ ...this._rec.anchor });
  }
  build(): EmbeddedChartApi {
    return new EmbeddedChartApi(this._s, this._sheet, copy(this._rec));
  }
}

function asChart(env: Env, method: string, chart: unknown): EmbeddedChartApi {
  if (!(chart instanceof EmbeddedChartApi)) throw signatureError(env, `Sheet.${method}`, [chart]);
  return chart;
}

/** Sheet.insertChart: the chart gets a new id on this sheet. */
export function insertChart(s: SheetsSession, sheet: FakeSheet, chart: unknown): void {
  const c = asChart(s.env, 'insertChart', chart);
  const id = nextIds.get(s.book) ?? 1;
  nextIds.set(s.book, id + 1);
  const rec = copy(c._rec);
  rec.chartId = id;
  c._rec.chartId = id;
  chartsOf(sheet).push(rec);
}

export function getCharts(s: SheetsSession, sheet: FakeSheet): EmbeddedChartApi[] {
  return chartsOf(sheet).map((rec) => new EmbeddedChartApi(s, sheet, copy(rec)));
}

/** Sheet.removeChart: removes the chart with that id from this sheet (nothing when it is not there). */
export function removeChart(s: SheetsSession, sheet: FakeSheet, chart: unknown): void {
  const c = asChart(s.env, 'removeChart', chart);
  const list = chartsOf(sheet);
  const i = list.findIndex((r) => r.chartId !== null && r.chartId === c._rec.chartId);
  if (i >= 0) list.splice(i, 1);
}

/** Sheet.updateChart: a chart from modify().build() replaces the one with its id. */
export function updateChart(s: SheetsSession, sheet: FakeSheet, chart: unknown): void {
  const c = asChart(s.env, 'updateChart', chart);
  const list = chartsOf(sheet);
  const i = list.findIndex((r) => r.chartId !== null && r.chartId === c._rec.chartId);
  if (i >= 0) list[i] = copy(c._rec);
}

/** For assertions: the charts of a sheet as plain data (ranges in A1, with their sheet when elsewhere). */
export function chartSummaries(book: FakeSpreadsheet, sheetName: string) {
  const sheet = book.requireSheet(sheetName);
  return chartsOf(sheet).map((rec) => ({
    id: rec.chartId,
    type: rec.type,
    title: rec.options.title ?? null,
    ranges: rec.ranges.map((r) =>
      r.sheet === sheet ? boxToA1(r.box) : `'${r.sheet.name}'!${boxToA1(r.box)}`,
    ),
    anchor: { row: rec.anchor.row, column: rec.anchor.column },
    numHeaders: rec.numHeaders,
    options: { ...rec.options },
  }));
}
