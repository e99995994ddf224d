// The small interfaces through which the core reaches the world. The Apps Script adapters in src/gas
// implement them with UrlFetchApp, SpreadsheetApp, PropertiesService and Utilities; tests and the local
// preview use the same adapters over in-memory fakes of those services.

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  /** JSON text for POST/PUT. */
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/** A transport-level failure (timeout, DNS, "Address unavailable") for one request of a batch. */
export interface HttpFailure {
  status: 0;
  error: string;
}

export interface Http {
  /** Sends the requests concurrently; answers in request order. Never throws for one bad request. */
  fetchAll(requests: HttpRequest[]): Array<HttpResponse | HttpFailure>;
}

/** A cell as Apps Script's getValues returns it: '' for empty. Dates are Date objects. */
export type CellValue = string | number | boolean | Date;

export interface Clock {
  now(): number;
  sleep(ms: number): void;
}

/**
 * Numbers in [0, 1), approximately uniform: the jitter of retry backoffs (retry-policy.ts). Injected like
 * the clock, so the core touches no global: the Apps Script shell passes Math.random (src/gas/runtime.ts),
 * so reps' retries after one outage spread out; tests and the benchmark pass a seeded source
 * (seeded-random.ts), so every wait they see is exact and every run the same.
 */
export type Random = () => number;

/**
 * A store refused a write because it is full (Apps Script keeps 500 KB of properties per store); the
 * adapter turns the platform's own error into this, so the core can say what to do about it.
 */
export class StoreFullError extends Error {
  constructor(readonly key: string) {
    // In the rep's words: the add-on's callers that know more (which sheet) say it more precisely.
    super(
      `Close Sync could not save its settings ("${key}"): this spreadsheet's Close Sync settings are full ` +
        '(Google keeps 500 KB of them per spreadsheet). Delete the sheets Close Sync pulled into that you no ' +
        'longer need (their settings go with them), then try again.',
    );
    this.name = 'StoreFullError';
  }
}

/** Key/value strings (the rep's own UserProperties, or the document's properties). */
export interface Store {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/**
 * The cells of one sheet, addressed in blocks (1-based rows and columns, like Apps Script; row 1 is the
 * header row, see HeaderNotes.setHeaderRow). Reading and writing rows needs no more than this.
 */
export interface CellGrid {
  readonly name: string;
  /** Last row and column holding content (0 when empty). */
  lastRow(): number;
  lastColumn(): number;
  /**
   * Forgets the extent read so far: the rep may have inserted or deleted rows and columns since (while
   * Close was answering), so the next lastRow/lastColumn asks Sheets again.
   */
  forgetExtent(): void;
  /** Reads a block; an empty block (0 rows or columns) reads as []. */
  read(row: number, column: number, numRows: number, numColumns: number): CellValue[][];
  /**
   * Reads a block that will not be asked for again (not its formulas, not a write back): one call
   * (Sheet.getSheetValues) where read() takes two (a Range, then its values) and keeps the Range.
   */
  readOnce?(row: number, column: number, numRows: number, numColumns: number): CellValue[][];
  /**
   * Reads everything from the sheet's row 1 and column 1 to its last row and column with content ([]
   * when empty), and keeps that extent: one call fewer than lastRow, lastColumn and read (two fewer
   * where the extent was not known yet).
   */
  readAll?(): CellValue[][];
  /**
   * The formulas of a block, '' where a cell holds none (Range.getFormulas: "Entries in the 2D array are
   * empty strings for cells with no formula"). read() gives a formula cell's computed value, which
   * written back would replace the formula: whatever rewrites cells it read asks this first.
   */
  formulas(row: number, column: number, numRows: number, numColumns: number): string[][];
  write(row: number, column: number, values: CellValue[][]): void;
  /**
   * Writes one value into scattered cells ([row, column] each), in one call: Sheets' RangeList.setValue
   * (a RangeList has no setValues). Parsed as typed: never a value that starts with `=`.
   */
  writeSame?(cells: Array<[number, number]>, value: string): void;
  /**
   * Grows the sheet to at least this many rows and columns (Sheets does not grow on write). Returns
   * the first row it added, or 0. `afterContent`: rows past the last with content are wanted, and the
   * caller formats the rows added itself (extendFormats) or needs no format: they may go in right after
   * the content, without asking the sheet's size first (blank rows it had below stay below them).
   */
  ensureSize(rows: number, columns: number, afterContent?: boolean): number;
  /** Sets a number format on whole columns below the header (one call for all the columns). */
  formatColumns(columns: number[], format: string): void;
  /** Empties rows from `row` down (used when a table shrinks). */
  clearRowsFrom(row: number): void;
  /** Deletes `count` rows starting at `row` (a log trimming its oldest rows), in one call. */
  deleteRows(row: number, count: number): void;
  /** Inserts `count` empty rows above `row` (a header row written back above the data), in one call. */
  insertRowsBefore(row: number, count: number): void;
  /**
   * Protects the whole sheet with a warning (every editor may still edit, after confirming): for the
   * add-on's own hidden sheets, which a rep could unhide and change by accident. Three calls.
   */
  protectWithWarning?(description: string): void;
}

/** The header row's notes, raw: what they mean (which field a column holds) is sync/column-binding.ts's. */
export interface HeaderNotes {
  /**
   * The notes of the sheet's top `rows` rows (no further than its content), as they are, in one call;
   * [] for an empty sheet. Counted from the sheet's row 1, whatever the header row.
   */
  topNotes(rows: number): string[][];
  /**
   * Which sheet row is the header row (1 unless the rep inserted title rows above it): every row this
   * grid is asked about from then on counts from it (row 1 is the header, row 2 the first data row).
   */
  setHeaderRow(row: number): void;
  /** Writes notes into the header row, one call per contiguous run of columns. */
  writeHeaderNotes(notes: Array<{ column: number; note: string }>): void;
}

/** How managed columns look and what they accept: styles, formats, dropdowns. */
export interface ColumnLook {
  /**
   * Gives rows from `fromRow` down the formats and dropdowns row 2 has in these columns: rows a sheet
   * grows by are not promised to take them from the row above.
   */
  extendFormats(fromRow: number, columns: number[]): void;
  /** Header styling: bold, frozen, and read-only columns shaded. */
  styleColumns(readOnly: number[], editable: number[]): void;
  /**
   * Sets up new, empty managed columns in a fixed number of calls whatever their count: header text,
   * binding note and style; number format, read-only shading and dropdown down to the last row; and a
   * warning-only protection over the read-only ones (their header notes say why they are read-only).
   * `headersWrittenLater`: the caller writes the header texts with its first rows (one call less).
   * `freezeFirstColumn`: column 1 (a new sheet's ID) is frozen with the header row.
   */
  setUpColumns(
    columns: ColumnSetup[],
    options?: { headersWrittenLater?: boolean; freezeFirstColumn?: boolean },
  ): void;
  /**
   * A dropdown of `values` on a column below the header (other values are allowed, and flagged). `list`
   * names the list (see ColumnSetup.list).
   */
  setDropdown(column: number, values: string[], list: string): void;
}

/**
 * One sheet of the spreadsheet: its cells, its header notes and its columns' look. Code that needs
 * only a part asks for that part (the snapshot needs cells alone), so a unit test can fake it in a
 * few lines (test/unit/memory-workbook.ts fakes the whole of it without Apps Script).
 */
export interface Grid extends CellGrid, HeaderNotes, ColumnLook {}

/** A new managed column, for Grid.setUpColumns. */
export interface ColumnSetup {
  column: number;
  header: string;
  /** The header cell's note, which binds the column to its field. */
  note: string;
  /** Number format of the cells below the header ('@' is plain text). */
  format: string;
  readOnly: boolean;
  /** Dropdown choices (other values allowed but flagged), or null. */
  dropdown: string[] | null;
  /**
   * Which list the dropdown shows ("Close users", or a custom field's key): a list too long for an
   * in-cell dropdown (Sheets holds 500 items) is kept under this name and the dropdown points at it.
   */
  list?: string;
}

export interface Workbook {
  timeZone(): string;
  /** Cells the spreadsheet holds now (rows × columns of every sheet but those named); Sheets allows 10 million. */
  cellCount(except?: string[]): number;
  sheet(name: string): Grid | null;
  /** Creates a sheet; `hidden` for internal state the rep should not see; `columns` to trim it narrower. */
  createSheet(name: string, options?: NewSheet): Grid;
  /**
   * Creates several sheets at once: hidden ones first, so that the visible one, created last, is the
   * one the rep is left on (with no call to switch back).
   */
  createSheets(sheets: Array<NewSheet & { name: string }>): Grid[];
  /**
   * Like createSheets, for sheets that most likely do not exist yet: no lookup first (a service call
   * each). One that does exist is taken as it is (`created: false`). On any other failure, the sheets
   * it created are deleted again.
   */
  ensureSheets(sheets: Array<NewSheet & { name: string }>): Array<{ grid: Grid; created: boolean }>;
  /** Deletes a sheet (one this run created and must take back). */
  deleteSheet(name: string): void;
  /** The sheet's id (Sheet.getSheetId: it survives a rename), or null when there is no such sheet. */
  sheetId?(name: string): number | null;
}

export interface NewSheet {
  hidden?: boolean;
  columns?: number;
}

/** A block of cells, 1-based like Apps Script. */
export interface CellBlock {
  row: number;
  column: number;
  numRows: number;
  numColumns: number;
}

/** A native chart of a report: labels in the first range, values in the next, header row included. */
export interface ChartSpec {
  kind: 'pie' | 'column' | 'bar';
  title: string;
  ranges: CellBlock[];
  anchorRow: number;
  anchorColumn: number;
}

/** A report sheet: tables of values with their formats, and native charts. */
export interface ReportCanvas {
  /** Removes every chart and empties the sheet (values and formats), so a rebuild leaves no duplicates. */
  reset(): void;
  /**
   * Writes a table in one setValues, after its number formats (labels are plain text '@', so lead data
   * never becomes a formula, number or date).
   */
  writeTable(row: number, column: number, values: CellValue[][], options: TableStyle): void;
  addChart(chart: ChartSpec): void;
  /** Widens the columns to fit (labels are often long). */
  fitColumns(first: number, count: number): void;
}

export interface TableStyle {
  /** Rows (0-based within the table) shown bold, as titles or headers. */
  boldRows: number[];
  /** Rows (0-based) shaded like the lead sheet's header. */
  headerRows: number[];
  /** Number format of every cell, row by row (text is '@': plain text). */
  formats: string[][];
}
