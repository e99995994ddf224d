// In-memory fakes of the Apps Script services used by Close Sync for Sheets, for integration tests
// (the built bundle loaded with gas-local) and the local preview server.
export { VirtualClock, makeVirtualDate, isDate } from './clock';
export { GasEnumValue, type GasStats, type RecordedRequest, type AuthModeName } from './env';
export * as Enums from './enums';
export { FakeSpreadsheet, FakeSheet, type FakeSpreadsheetOptions, MAX_WORKBOOK_CELLS } from './model';
export { FakePropertiesStore } from './properties';
export {
  FakeUi,
  type MenuRecord,
  type DialogRecord,
  type HtmlPanelRecord,
  type ToastRecord,
  type UiAnswer,
} from './ui';
export type { FakeHttpHandler, FakeHttpRequest, FakeHttpResponse } from './urlfetch';
export type { FakeTrigger } from './script-app';
export { chartSummaries, type ChartRecord } from './charts';
export type { CellInfo, CellRef, WorkbookJSON } from './workbook-io';
export { DEFAULT_NUMBER_FORMAT, PLAIN_TEXT_FORMAT, DATE_TIME_FORMAT } from './numfmt';
export { createGasRuntime, loadBundle, type GasRuntime, type GasRuntimeOptions } from './runtime';
