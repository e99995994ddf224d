// Spreadsheet and Sheet facades, and the SpreadsheetApp service of one runtime.
import { type GridBox, parseA1, resolveA1 } from './a1';
import { readBlock, writeBlock } from './cells';
import { describeArg, enumKey, type Env } from './env';
import {
  CopyPasteType,
  DataValidationCriteria,
  DeveloperMetadataLocationType,
  DeveloperMetadataVisibility,
  Dimension,
  ProtectionType,
  WrapStrategy,
} from './enums';
import {
  type EmbeddedChartApi,
  EmbeddedChartBuilderApi,
  getCharts,
  insertChart,
  removeChart,
  updateChart,
} from './charts';
import { DeveloperMetadataApi, FinderApi, ProtectionApi } from './metadata';
import type { FakeSheet, FakeSpreadsheet } from './model';
import { checkBox, countRead, metadataArgs, RangeApi, RangeListApi } from './range';
import {
  assertSortable,
  dropMergedAwayWrites,
  INSERT_MERGED_MESSAGE,
  MOVE_MERGED_MESSAGE,
  mergeAround,
  mergeCutBy,
} from './merges';
import {
  assertDimensionEditable,
  assertEditable,
  assertInsertable,
  assertSheetEditable,
  blockingProtection,
  PROTECTED_MESSAGE,
} from './protection';
import { countCalls, type SheetsSession } from './session';
import type { UiApi } from './ui';
import { isValidTimeZone } from './dates';
import { DataValidationBuilderApi, TextStyleBuilderApi } from './validation';

function isSheetApi(v: unknown): v is SheetApi {
  return v instanceof SheetApi;
}

function isRangeApi(v: unknown): v is RangeApi {
  return v instanceof RangeApi;
}

function requireInt(env: Env, method: string, args: unknown[]): number[] {
  for (const a of args) {
    if (typeof a !== 'number' || !Number.isInteger(a)) {
      throw env.fail(
        `The parameters (${args.map(describeArg).join(',')}) don't match the method signature for SpreadsheetApp.${method}.`,
      );
    }
  }
  return args as number[];
}

/** Range of a sheet from A1 text (the sheet name in the text, if any, must be this sheet). */
function rangeFromA1(s: SheetsSession, sheet: FakeSheet, a1: string): RangeApi {
  const parsed = parseA1(a1);
  if (!parsed) throw s.env.fail('Range not found');
  if (parsed.sheetName !== undefined && s.book.sheet(parsed.sheetName) !== sheet)
    throw s.env.fail('Range not found');
  const box = resolveA1(parsed, sheet.maxRows, sheet.maxCols);
  if (box.row + box.numRows - 1 > sheet.maxRows || box.col + box.numCols - 1 > sheet.maxCols) {
    throw s.env.fail('The coordinates of the range are outside the dimensions of the sheet.');
  }
  return s.rangeApi(sheet, box);
}

export class SheetApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _sheet: FakeSheet,
  ) {}

  private get _env(): Env {
    return this._s.env;
  }

  _rowsInBounds(start: number, n: number): void {
    if (start < 1 || n < 1 || start + n - 1 > this._sheet.maxRows)
      throw this._env.fail('Those rows are out of bounds.');
  }
  _colsInBounds(start: number, n: number): void {
    if (start < 1 || n < 1 || start + n - 1 > this._sheet.maxCols)
      throw this._env.fail('Those columns are out of bounds.');
  }
  /** Protected cells the user may not edit refuse every change (protection.ts). */
  _guard(box: GridBox): void {
    assertEditable(this._s, this._sheet, box);
  }
  _guardRows(row: number, numRows: number): void {
    this._guard({ row, col: 1, numRows, numCols: this._sheet.maxCols });
  }
  _guardColumns(col: number, numCols: number): void {
    this._guard({ row: 1, col, numRows: this._sheet.maxRows, numCols });
  }
  /** merges.ts: an insert strictly inside a merge is refused (INSERT_MERGED_MESSAGE, the harsher reading). */
  _guardMergeInsert(axis: 'ROW' | 'COLUMN', at0: number): void {
    if (mergeAround(this._sheet, axis, at0)) throw this._env.fail(INSERT_MERGED_MESSAGE);
  }
  /** merges.ts: a move that takes part of a merge, or lands inside one, is refused (MOVE_MERGED_MESSAGE). */
  _guardMergeMove(axis: 'ROW' | 'COLUMN', start0: number, n: number, dest0: number): void {
    if (mergeCutBy(this._sheet, axis, start0, n) || mergeAround(this._sheet, axis, dest0))
      throw this._env.fail(MOVE_MERGED_MESSAGE);
  }
  /** Hiding, showing or resizing rows or columns a protection covers (protection.ts: the harsher reading). */
  _guardDims(axis: 'ROW' | 'COLUMN', start: number, n: number): void {
    assertDimensionEditable(this._s, this._sheet, axis, start, n);
  }

  getName(): string {
    return this._sheet.name;
  }
  setName(name: string): SheetApi {
    const other = this._s.book.sheet(String(name));
    if (other && other !== this._sheet) {
      throw this._env.fail(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    // A renamed sheet is an edit of the sheet (protection.ts, assertSheetEditable: the harsher reading).
    assertSheetEditable(this._s, this._sheet);
    this._sheet.name = String(name);
    return this;
  }
  getSheetId(): number {
    return this._sheet.sheetId;
  }
  /**
   * "Copies the sheet to a given spreadsheet, which can be the same spreadsheet as the source. The
   * copied sheet is named "Copy of [original name]"" (Apps Script reference, Sheet.copyTo). Only the
   * same spreadsheet is modelled; the copy goes last and the active sheet stays as it was.
   */
  copyTo(spreadsheet: unknown): SheetApi {
    const target = spreadsheet as { _s?: SheetsSession } | null;
    if (!target || target._s?.book !== this._s.book)
      throw this._env.fail('The fake copies sheets within their own spreadsheet only.');
    const book = this._s.book;
    return this._s.sheetApi(book.copySheet(this._sheet, book.copyName(this._sheet.name), book.sheets.length));
  }
  getIndex(): number {
    return this._s.book.sheets.indexOf(this._sheet) + 1;
  }
  getParent(): unknown {
    return this._s.spreadsheetApi();
  }
  getLastRow(): number {
    return this._sheet.lastRow();
  }
  getLastColumn(): number {
    return this._sheet.lastColumn();
  }
  getMaxRows(): number {
    return this._sheet.maxRows;
  }
  getMaxColumns(): number {
    return this._sheet.maxCols;
  }

  // -- ranges --------------------------------------------------------------------------------------
  getRange(...args: unknown[]): RangeApi {
    if (typeof args[0] === 'string' && args.length === 1) return rangeFromA1(this._s, this._sheet, args[0]);
    return this._s.rangeApi(this._sheet, checkBox(this._env, this._sheet, 'Sheet.getRange', args));
  }
  getDataRange(): RangeApi {
    const box: GridBox = {
      row: 1,
      col: 1,
      numRows: Math.max(1, this._sheet.lastRow()),
      numCols: Math.max(1, this._sheet.lastColumn()),
    };
    return this._s.rangeApi(this._sheet, box);
  }
  getRangeList(a1Notations: string[]): RangeListApi {
    if (!Array.isArray(a1Notations)) {
      throw this._env.fail(
        `The parameters (${describeArg(a1Notations)}) don't match the method signature for SpreadsheetApp.Sheet.getRangeList.`,
      );
    }
    return new RangeListApi(
      this._s,
      a1Notations.map((a1) => rangeFromA1(this._s, this._sheet, String(a1))),
    );
  }
  getSheetValues(startRow: number, startColumn: number, numRows: number, numColumns: number): unknown[][] {
    const box = checkBox(this._env, this._sheet, 'Sheet.getSheetValues', [
      startRow,
      startColumn,
      numRows,
      numColumns,
    ]);
    // "Returns the rectangular grid of values for this range starting at the given coordinates" (Sheet
    // reference): the same read as Range.getValues, so counted and charged like it.
    return countRead(
      this._env,
      this._sheet,
      readBlock(this._sheet, box.row, box.col, box.numRows, box.numCols, this._env.Date),
      box,
    );
  }
  /** Appends after the last row with content; unlike setValues, it grows the sheet when full. */
  appendRow(rowContents: unknown[]): SheetApi {
    if (!Array.isArray(rowContents)) {
      throw this._env.fail(
        `The parameters (${describeArg(rowContents)}) don't match the method signature for SpreadsheetApp.Sheet.appendRow.`,
      );
    }
    const row = this._sheet.lastRow() + 1;
    this._guard({ row, col: 1, numRows: 1, numCols: Math.max(1, rowContents.length) });
    if (row > this._sheet.maxRows)
      this._sheet.insertRows(this._sheet.maxRows + 1, row - this._sheet.maxRows, this._sheet.maxRows);
    if (rowContents.length > this._sheet.maxCols) {
      this._sheet.insertColumns(
        this._sheet.maxCols + 1,
        rowContents.length - this._sheet.maxCols,
        this._sheet.maxCols,
      );
    }
    if (rowContents.length) writeBlock(this._sheet, row, 1, [rowContents], this._s.coercion());
    // As Range's writes (range.ts guardWrites): what lands in a merged-away cell is dropped (Google is
    // silent: the harsher reading, merges.ts dropMergedAwayWrites).
    dropMergedAwayWrites(this._sheet, { row, col: 1, numRows: 1, numCols: Math.max(1, rowContents.length) });
    return this;
  }

  // -- structure -----------------------------------------------------------------------------------
  insertRowsAfter(afterPosition: number, howMany: number): SheetApi {
    requireInt(this._env, 'Sheet.insertRowsAfter', [afterPosition, howMany]);
    this._rowsInBounds(afterPosition, 1);
    if (howMany < 1) throw this._env.fail('Those rows are out of bounds.');
    assertInsertable(this._s, this._sheet, 'ROW', afterPosition);
    this._guardMergeInsert('ROW', afterPosition);
    this._sheet.insertRows(afterPosition + 1, howMany, afterPosition);
    return this;
  }
  insertRowAfter(afterPosition: number): SheetApi {
    return this.insertRowsAfter(afterPosition, 1);
  }
  insertRowsBefore(beforePosition: number, howMany: number): SheetApi {
    requireInt(this._env, 'Sheet.insertRowsBefore', [beforePosition, howMany]);
    this._rowsInBounds(beforePosition, 1);
    if (howMany < 1) throw this._env.fail('Those rows are out of bounds.');
    assertInsertable(this._s, this._sheet, 'ROW', beforePosition - 1);
    this._guardMergeInsert('ROW', beforePosition - 1);
    this._sheet.insertRows(beforePosition, howMany, beforePosition);
    return this;
  }
  insertRowBefore(beforePosition: number): SheetApi {
    return this.insertRowsBefore(beforePosition, 1);
  }
  insertRows(rowIndex: number, numRows = 1): void {
    this.insertRowsBefore(rowIndex, numRows);
  }
  insertColumnsAfter(afterPosition: number, howMany: number): SheetApi {
    requireInt(this._env, 'Sheet.insertColumnsAfter', [afterPosition, howMany]);
    this._colsInBounds(afterPosition, 1);
    if (howMany < 1) throw this._env.fail('Those columns are out of bounds.');
    assertInsertable(this._s, this._sheet, 'COLUMN', afterPosition);
    this._guardMergeInsert('COLUMN', afterPosition);
    this._sheet.insertColumns(afterPosition + 1, howMany, afterPosition);
    return this;
  }
  insertColumnAfter(afterPosition: number): SheetApi {
    return this.insertColumnsAfter(afterPosition, 1);
  }
  insertColumnsBefore(beforePosition: number, howMany: number): SheetApi {
    requireInt(this._env, 'Sheet.insertColumnsBefore', [beforePosition, howMany]);
    this._colsInBounds(beforePosition, 1);
    if (howMany < 1) throw this._env.fail('Those columns are out of bounds.');
    assertInsertable(this._s, this._sheet, 'COLUMN', beforePosition - 1);
    this._guardMergeInsert('COLUMN', beforePosition - 1);
    this._sheet.insertColumns(beforePosition, howMany, beforePosition);
    return this;
  }
  insertColumnBefore(beforePosition: number): SheetApi {
    return this.insertColumnsBefore(beforePosition, 1);
  }
  insertColumns(columnIndex: number, numColumns = 1): void {
    this.insertColumnsBefore(columnIndex, numColumns);
  }
  deleteRows(rowPosition: number, howMany: number): void {
    requireInt(this._env, 'Sheet.deleteRows', [rowPosition, howMany]);
    this._rowsInBounds(rowPosition, howMany);
    if (this._sheet.maxRows - howMany <= this._sheet.frozenRows) {
      throw this._env.fail('Sorry, it is not possible to delete all non-frozen rows.');
    }
    this._guardRows(rowPosition, howMany);
    this._sheet.deleteRows(rowPosition, howMany);
  }
  deleteRow(rowPosition: number): SheetApi {
    this.deleteRows(rowPosition, 1);
    return this;
  }
  deleteColumns(columnPosition: number, howMany: number): void {
    requireInt(this._env, 'Sheet.deleteColumns', [columnPosition, howMany]);
    this._colsInBounds(columnPosition, howMany);
    if (this._sheet.maxCols - howMany <= this._sheet.frozenCols) {
      throw this._env.fail('Sorry, it is not possible to delete all non-frozen columns.');
    }
    this._guardColumns(columnPosition, howMany);
    this._sheet.deleteColumns(columnPosition, howMany);
  }
  deleteColumn(columnPosition: number): SheetApi {
    this.deleteColumns(columnPosition, 1);
    return this;
  }
  /** destinationIndex is in the coordinates before the move; the columns may end up elsewhere. */
  moveColumns(columnSpec: unknown, destinationIndex: number): void {
    if (!isRangeApi(columnSpec) || columnSpec._sheet !== this._sheet) {
      throw this._env.fail(
        `The parameters (${describeArg(columnSpec)},${describeArg(destinationIndex)}) don't match the method signature for SpreadsheetApp.Sheet.moveColumns.`,
      );
    }
    requireInt(this._env, 'Sheet.moveColumns', [destinationIndex]);
    const { col, numCols } = columnSpec._box;
    if (destinationIndex < 1 || destinationIndex > this._sheet.maxCols + 1)
      throw this._env.fail('Those columns are out of bounds.');
    if (destinationIndex >= col && destinationIndex <= col + numCols) return;
    // A move deletes the columns where they were and inserts them at the destination: both are edits
    // (protection.ts); Google's pages are silent, so the fake refuses either (the harsher reading).
    this._guardColumns(col, numCols);
    assertInsertable(this._s, this._sheet, 'COLUMN', destinationIndex - 1);
    this._guardMergeMove('COLUMN', col - 1, numCols, destinationIndex - 1);
    this._sheet.moveColumns(col, numCols, destinationIndex);
  }
  moveRows(rowSpec: unknown, destinationIndex: number): void {
    if (!isRangeApi(rowSpec) || rowSpec._sheet !== this._sheet) {
      throw this._env.fail(
        `The parameters (${describeArg(rowSpec)},${describeArg(destinationIndex)}) don't match the method signature for SpreadsheetApp.Sheet.moveRows.`,
      );
    }
    requireInt(this._env, 'Sheet.moveRows', [destinationIndex]);
    const { row, numRows } = rowSpec._box;
    if (destinationIndex < 1 || destinationIndex > this._sheet.maxRows + 1)
      throw this._env.fail('Those rows are out of bounds.');
    if (destinationIndex >= row && destinationIndex <= row + numRows) return;
    // As moveColumns: the rows' deletion and their insertion are both checked (the harsher reading).
    this._guardRows(row, numRows);
    assertInsertable(this._s, this._sheet, 'ROW', destinationIndex - 1);
    this._guardMergeMove('ROW', row - 1, numRows, destinationIndex - 1);
    this._sheet.moveRows(row, numRows, destinationIndex);
  }
  /** Sorts the rows below the frozen rows by one column; whole rows (with formats) move. */
  sort(columnPosition: number, ascending = true): SheetApi {
    requireInt(this._env, 'Sheet.sort', [columnPosition]);
    this._colsInBounds(columnPosition, 1);
    const from = this._sheet.frozenRows + 1;
    if (this._sheet.lastRow() >= from) {
      this._guardRows(from, this._sheet.lastRow() - from + 1);
      const rows = {
        row: from,
        col: 1,
        numRows: this._sheet.lastRow() - from + 1,
        numCols: this._sheet.maxCols,
      };
      assertSortable(this._sheet, rows);
    }
    this._sheet.sortRows(this._sheet.frozenRows + 1, this._sheet.lastRow(), [
      { col: columnPosition, ascending: ascending !== false },
    ]);
    return this;
  }

  // -- view ----------------------------------------------------------------------------------------
  setFrozenRows(rows: number): void {
    requireInt(this._env, 'Sheet.setFrozenRows', [rows]);
    if (rows < 0 || rows > this._sheet.maxRows) throw this._env.fail('Those rows are out of bounds.');
    assertSheetEditable(this._s, this._sheet);
    this._sheet.frozenRows = rows;
  }
  getFrozenRows(): number {
    return this._sheet.frozenRows;
  }
  setFrozenColumns(columns: number): void {
    requireInt(this._env, 'Sheet.setFrozenColumns', [columns]);
    if (columns < 0 || columns > this._sheet.maxCols)
      throw this._env.fail('Those columns are out of bounds.');
    assertSheetEditable(this._s, this._sheet);
    this._sheet.frozenCols = columns;
  }
  getFrozenColumns(): number {
    return this._sheet.frozenCols;
  }
  hideSheet(): SheetApi {
    const othersVisible = this._s.book.sheets.some((s) => s !== this._sheet && !s.hidden);
    if (!this._sheet.hidden && !othersVisible)
      throw this._env.fail("You can't hide all the sheets in a document.");
    assertSheetEditable(this._s, this._sheet);
    this._sheet.hidden = true;
    return this;
  }
  showSheet(): SheetApi {
    assertSheetEditable(this._s, this._sheet);
    this._sheet.hidden = false;
    return this;
  }
  isSheetHidden(): boolean {
    return this._sheet.hidden;
  }
  hideColumns(columnIndex: number, numColumns = 1): void {
    this._colsInBounds(columnIndex, numColumns);
    this._guardDims('COLUMN', columnIndex, numColumns);
    for (let c = columnIndex; c < columnIndex + numColumns; c++)
      this._sheet.dimForWrite('COLUMN', c).hidden = true;
  }
  showColumns(columnIndex: number, numColumns = 1): void {
    this._colsInBounds(columnIndex, numColumns);
    this._guardDims('COLUMN', columnIndex, numColumns);
    for (let c = columnIndex; c < columnIndex + numColumns; c++)
      this._sheet.dimForWrite('COLUMN', c).hidden = false;
  }
  hideColumn(column: unknown): void {
    if (!isRangeApi(column))
      throw this._env.fail(
        "The parameters don't match the method signature for SpreadsheetApp.Sheet.hideColumn.",
      );
    this._guardDims('COLUMN', column._box.col, column._box.numCols);
    for (let c = column._box.col; c < column._box.col + column._box.numCols; c++)
      this._sheet.dimForWrite('COLUMN', c).hidden = true;
  }
  unhideColumn(column: unknown): void {
    if (!isRangeApi(column))
      throw this._env.fail(
        "The parameters don't match the method signature for SpreadsheetApp.Sheet.unhideColumn.",
      );
    this._guardDims('COLUMN', column._box.col, column._box.numCols);
    for (let c = column._box.col; c < column._box.col + column._box.numCols; c++)
      this._sheet.dimForWrite('COLUMN', c).hidden = false;
  }
  isColumnHiddenByUser(columnPosition: number): boolean {
    this._colsInBounds(columnPosition, 1);
    return this._sheet.colDims[columnPosition - 1]?.hidden ?? false;
  }
  hideRows(rowIndex: number, numRows = 1): void {
    this._rowsInBounds(rowIndex, numRows);
    this._guardDims('ROW', rowIndex, numRows);
    for (let r = rowIndex; r < rowIndex + numRows; r++) this._sheet.dimForWrite('ROW', r).hidden = true;
  }
  showRows(rowIndex: number, numRows = 1): void {
    this._rowsInBounds(rowIndex, numRows);
    this._guardDims('ROW', rowIndex, numRows);
    for (let r = rowIndex; r < rowIndex + numRows; r++) this._sheet.dimForWrite('ROW', r).hidden = false;
  }
  isRowHiddenByUser(rowPosition: number): boolean {
    this._rowsInBounds(rowPosition, 1);
    return this._sheet.rowDims[rowPosition - 1]?.hidden ?? false;
  }
  setColumnWidth(columnPosition: number, width: number): SheetApi {
    this._colsInBounds(columnPosition, 1);
    this._guardDims('COLUMN', columnPosition, 1);
    this._sheet.dimForWrite('COLUMN', columnPosition).size = width;
    return this;
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number): SheetApi {
    this._colsInBounds(startColumn, numColumns);
    this._guardDims('COLUMN', startColumn, numColumns);
    for (let c = startColumn; c < startColumn + numColumns; c++)
      this._sheet.dimForWrite('COLUMN', c).size = width;
    return this;
  }
  getColumnWidth(columnPosition: number): number {
    this._colsInBounds(columnPosition, 1);
    return this._sheet.colDims[columnPosition - 1]?.size ?? 100;
  }
  setRowHeight(rowPosition: number, height: number): SheetApi {
    this._rowsInBounds(rowPosition, 1);
    this._guardDims('ROW', rowPosition, 1);
    this._sheet.dimForWrite('ROW', rowPosition).size = height;
    return this;
  }
  getRowHeight(rowPosition: number): number {
    this._rowsInBounds(rowPosition, 1);
    return this._sheet.rowDims[rowPosition - 1]?.size ?? 21;
  }
  autoResizeColumns(startColumn: number, numColumns: number): SheetApi {
    this._colsInBounds(startColumn, numColumns);
    this._guardDims('COLUMN', startColumn, numColumns);
    return this;
  }
  autoResizeColumn(columnPosition: number): SheetApi {
    this._colsInBounds(columnPosition, 1);
    this._guardDims('COLUMN', columnPosition, 1);
    return this;
  }
  setTabColor(color: string | null): SheetApi {
    assertSheetEditable(this._s, this._sheet);
    this._sheet.tabColor = color;
    return this;
  }
  getTabColor(): string | null {
    return this._sheet.tabColor;
  }
  activate(): SheetApi {
    this._sheet.hidden = false;
    this._s.activeSheetId = this._sheet.sheetId;
    this._s.activeRange = null;
    return this;
  }
  clear(options?: { contentsOnly?: boolean; formatOnly?: boolean }): SheetApi {
    const all = this._s.rangeApi(this._sheet, {
      row: 1,
      col: 1,
      numRows: this._sheet.maxRows,
      numCols: this._sheet.maxCols,
    });
    this._guardRows(1, this._sheet.maxRows);
    const o = options ?? {};
    if (o.contentsOnly || o.formatOnly) all._clear({ contents: o.contentsOnly, formats: o.formatOnly });
    else all._clear({ contents: true, formats: true });
    return this;
  }
  clearContents(): SheetApi {
    return this.clear({ contentsOnly: true });
  }
  clearFormats(): SheetApi {
    return this.clear({ formatOnly: true });
  }

  // -- protection and metadata ---------------------------------------------------------------------
  getProtections(type: unknown): ProtectionApi[] {
    const k = enumKey(type, ProtectionType);
    if (!k)
      throw this._env.fail(
        `The parameters (${describeArg(type)}) don't match the method signature for SpreadsheetApp.Sheet.getProtections.`,
      );
    return this._s.book.protections
      .filter((p) => p.sheet === this._sheet && p.type === k)
      .map((p) => new ProtectionApi(this._s, p));
  }
  /**
   * reference/spreadsheet/sheet#protect: "Creates an object that can protect the sheet from being edited
   * except by users who have permission. Until the script actually changes the list of editors … the
   * permissions mirror those of the spreadsheet itself … If the sheet is already protected, this method
   * returns an object representing its existing protection settings." So one SHEET protection at most,
   * not warning-only by default ("By default, protected ranges or sheets are not warning-based").
   */
  protect(): ProtectionApi {
    const book = this._s.book;
    let rec = book.protections.find((p) => p.sheet === this._sheet && p.type === 'SHEET');
    if (!rec) {
      rec = {
        id: book.nextProtectionId++,
        type: 'SHEET',
        sheet: this._sheet,
        rows: [0, 0],
        cols: [0, 0],
        description: '',
        warningOnly: false,
        editors: [this._env.userEmail],
        domainEdit: false,
      };
      book.protections.push(rec);
    }
    return new ProtectionApi(this._s, rec);
  }
  addDeveloperMetadata(key: string, valueOrVisibility?: unknown, visibility?: unknown): SheetApi {
    const [value, vis] = metadataArgs(
      this._env,
      'Sheet.addDeveloperMetadata',
      key,
      valueOrVisibility,
      visibility,
    );
    this._s.book.addMetadata(key, value, vis, { type: 'SHEET', sheet: this._sheet });
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadataApi[] {
    return this._s.book.metadata
      .filter((m) => m.loc.type === 'SHEET' && m.loc.sheet === this._sheet)
      .map((m) => new DeveloperMetadataApi(this._s, m));
  }
  createDeveloperMetadataFinder(): FinderApi {
    return new FinderApi(this._s, { kind: 'sheet', sheet: this._sheet });
  }

  // -- embedded charts (charts.ts) -----------------------------------------------------------------
  newChart(): EmbeddedChartBuilderApi {
    return new EmbeddedChartBuilderApi(this._s, this._sheet);
  }
  insertChart(chart: unknown): void {
    insertChart(this._s, this._sheet, chart);
  }
  getCharts(): EmbeddedChartApi[] {
    return getCharts(this._s, this._sheet);
  }
  removeChart(chart: unknown): void {
    removeChart(this._s, this._sheet, chart);
  }
  updateChart(chart: unknown): void {
    updateChart(this._s, this._sheet, chart);
  }
}
countCalls(SheetApi);

export class SpreadsheetApi {
  constructor(readonly _s: SheetsSession) {}

  private get _env(): Env {
    return this._s.env;
  }
  _active(): FakeSheet {
    const book = this._s.book;
    const id = this._s.activeSheetId;
    const found = id === null ? undefined : book.sheetById(id);
    return found ?? book.sheets.find((s) => !s.hidden) ?? book.sheets[0];
  }

  getId(): string {
    return this._s.book.id;
  }
  getName(): string {
    return this._s.book.name;
  }
  rename(newName: string): void {
    this._s.book.name = String(newName);
  }
  getUrl(): string {
    return `https://docs.google.com/spreadsheets/d/${this._s.book.id}/edit`;
  }
  getSpreadsheetTimeZone(): string {
    return this._s.book.timeZone;
  }
  setSpreadsheetTimeZone(timezone: string): void {
    if (!isValidTimeZone(String(timezone))) throw this._env.fail(`Invalid argument: ${timezone}`);
    this._s.book.timeZone = String(timezone);
  }
  getSpreadsheetLocale(): string {
    return 'en_US';
  }
  getSheets(): SheetApi[] {
    return this._s.book.sheets.map((s) => this._s.sheetApi(s));
  }
  getNumSheets(): number {
    return this._s.book.sheets.length;
  }
  getSheetByName(name: string): SheetApi | null {
    const s = this._s.book.sheet(String(name));
    return s ? this._s.sheetApi(s) : null;
  }
  getSheetById(id: number): SheetApi | null {
    const s = this._s.book.sheetById(Number(id));
    return s ? this._s.sheetApi(s) : null;
  }
  /** insertSheet(), insertSheet(index), insertSheet(name), insertSheet(name, index); index is 0-based. */
  insertSheet(nameOrIndex?: unknown, index?: unknown): SheetApi {
    const book = this._s.book;
    let name: string;
    let at = book.sheets.length;
    if (typeof nameOrIndex === 'number') {
      name = book.nextSheetName();
      at = nameOrIndex;
    } else if (nameOrIndex === undefined || nameOrIndex === null) {
      name = book.nextSheetName();
    } else {
      name = String(nameOrIndex);
      if (typeof index === 'number') at = index;
    }
    at = Math.max(0, Math.min(book.sheets.length, at));
    const sheet = book.addSheet(name, at, book.newSheetSize.rows, book.newSheetSize.columns);
    this._s.activeSheetId = sheet.sheetId;
    this._s.activeRange = null;
    return this._s.sheetApi(sheet);
  }
  deleteSheet(sheet: unknown): void {
    if (!isSheetApi(sheet))
      throw this._env.fail(
        `The parameters (${describeArg(sheet)}) don't match the method signature for SpreadsheetApp.Spreadsheet.deleteSheet.`,
      );
    if (this._s.book.sheets.length <= 1)
      throw this._env.fail("You can't remove all the sheets in a document.");
    // Deleting a sheet deletes its protected cells: refused like any edit of them (Google's pages are
    // silent on deleteSheet and protections; the harsher reading).
    const whole = { row: 1, col: 1, numRows: sheet._sheet.maxRows, numCols: sheet._sheet.maxCols };
    if (blockingProtection(this._s.book, sheet._sheet, whole, this._env.userEmail))
      throw this._env.fail(PROTECTED_MESSAGE);
    this._s.book.removeSheet(sheet._sheet);
    if (this._s.activeSheetId === sheet._sheet.sheetId) {
      this._s.activeSheetId = null;
      this._s.activeRange = null;
    }
  }
  getActiveSheet(): SheetApi {
    return this._s.sheetApi(this._active());
  }
  /**
   * "Duplicates the active sheet and makes it the active sheet" (Apps Script reference). Sheets puts the
   * duplicate right after the original and names it "Copy of …".
   */
  duplicateActiveSheet(): SheetApi {
    const book = this._s.book;
    const active = this._active();
    const copy = book.copySheet(active, book.copyName(active.name), book.sheets.indexOf(active) + 1);
    this._s.activeSheetId = copy.sheetId;
    this._s.activeRange = null;
    return this._s.sheetApi(copy);
  }
  setActiveSheet(sheet: unknown): SheetApi {
    if (!isSheetApi(sheet))
      throw this._env.fail(
        `The parameters (${describeArg(sheet)}) don't match the method signature for SpreadsheetApp.Spreadsheet.setActiveSheet.`,
      );
    sheet._sheet.hidden = false;
    this._s.activeSheetId = sheet._sheet.sheetId;
    this._s.activeRange = null;
    return sheet;
  }
  getActiveRange(): RangeApi {
    const active = this._active();
    const ar = this._s.activeRange;
    const box = ar && ar.sheetId === active.sheetId ? ar.box : { row: 1, col: 1, numRows: 1, numCols: 1 };
    return this._s.rangeApi(active, box);
  }
  getActiveCell(): RangeApi {
    const r = this.getActiveRange();
    return this._s.rangeApi(r._sheet, { row: r._box.row, col: r._box.col, numRows: 1, numCols: 1 });
  }
  setActiveRange(range: unknown): RangeApi {
    if (!isRangeApi(range))
      throw this._env.fail(
        `The parameters (${describeArg(range)}) don't match the method signature for SpreadsheetApp.Spreadsheet.setActiveRange.`,
      );
    this._s.activeSheetId = range._sheet.sheetId;
    this._s.activeRange = { sheetId: range._sheet.sheetId, box: range._box };
    return range;
  }
  getRange(a1Notation: string): RangeApi {
    const parsed = parseA1(String(a1Notation));
    if (!parsed) throw this._env.fail('Range not found');
    const sheet = parsed.sheetName !== undefined ? this._s.book.sheet(parsed.sheetName) : this._active();
    if (!sheet) throw this._env.fail('Range not found');
    return rangeFromA1(this._s, sheet, String(a1Notation));
  }
  getLastRow(): number {
    return this._active().lastRow();
  }
  getLastColumn(): number {
    return this._active().lastColumn();
  }
  toast(msg: unknown, title?: unknown, timeoutSeconds?: unknown): void {
    this._s.toast(
      String(msg),
      title === undefined ? '' : String(title),
      typeof timeoutSeconds === 'number' ? timeoutSeconds : 5,
    );
  }
  getProtections(type: unknown): ProtectionApi[] {
    const k = enumKey(type, ProtectionType);
    if (!k)
      throw this._env.fail(
        `The parameters (${describeArg(type)}) don't match the method signature for SpreadsheetApp.Spreadsheet.getProtections.`,
      );
    return this._s.book.protections.filter((p) => p.type === k).map((p) => new ProtectionApi(this._s, p));
  }
  addDeveloperMetadata(key: string, valueOrVisibility?: unknown, visibility?: unknown): SpreadsheetApi {
    const [value, vis] = metadataArgs(
      this._env,
      'Spreadsheet.addDeveloperMetadata',
      key,
      valueOrVisibility,
      visibility,
    );
    this._s.book.addMetadata(key, value, vis, { type: 'SPREADSHEET' });
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadataApi[] {
    return this._s.book.metadata
      .filter((m) => m.loc.type === 'SPREADSHEET')
      .map((m) => new DeveloperMetadataApi(this._s, m));
  }
  createDeveloperMetadataFinder(): FinderApi {
    return new FinderApi(this._s, { kind: 'spreadsheet' });
  }
}
countCalls(SpreadsheetApi);

export function createSheetsSession(
  env: Env,
  book: FakeSpreadsheet,
  toast: (message: string, title: string, timeoutSeconds: number) => void,
): SheetsSession {
  const session: SheetsSession = {
    env,
    book,
    activeSheetId: null,
    activeRange: null,
    toast,
    spreadsheetApi: () => new SpreadsheetApi(session),
    sheetApi: (sheet) => new SheetApi(session, sheet),
    rangeApi: (sheet, box) => new RangeApi(session, sheet, box),
    coercion: () => ({ timeZone: book.timeZone, nowMs: env.clock.now(), fail: (m: string) => env.fail(m) }),
  };
  return session;
}

export function createSpreadsheetApp(session: SheetsSession, getUi: () => UiApi) {
  const env = session.env;
  const counted = <A extends unknown[], R>(method: string, fn: (...args: A) => R) => {
    return (...args: A): R => {
      env.spreadsheetCall(`SpreadsheetApp.${method}`);
      env.requireScopes(`SpreadsheetApp.${method}`);
      env.requireAuth(
        `SpreadsheetApp.${method}`,
        'https://www.googleapis.com/auth/spreadsheets.currentonly',
        ['FULL', 'LIMITED'],
      );
      return fn(...args);
    };
  };
  const app = {
    getActiveSpreadsheet: counted('getActiveSpreadsheet', () => session.spreadsheetApi()),
    getActive: counted('getActive', () => session.spreadsheetApi()),
    getActiveSheet: counted('getActiveSheet', () => session.sheetApi(session.spreadsheetApi()._active())),
    getActiveRange: counted('getActiveRange', () => {
      const ss = session.spreadsheetApi();
      const active = ss._active();
      const ar = session.activeRange;
      return session.rangeApi(
        active,
        ar && ar.sheetId === active.sheetId ? ar.box : { row: 1, col: 1, numRows: 1, numCols: 1 },
      );
    }),
    openById: counted('openById', (id: string) => {
      if (id !== session.book.id)
        throw env.fail(
          `Unexpected error while getting the method or property openById on object SpreadsheetApp.`,
        );
      return session.spreadsheetApi();
    }),
    flush: (): void => {
      env.spreadsheetCall('SpreadsheetApp.flush');
      env.requireScopes('SpreadsheetApp.flush');
    },
    getUi: (): UiApi => {
      env.checkBudget();
      if (env.inTrigger) throw env.fail('Cannot call SpreadsheetApp.getUi() from this context.');
      return getUi();
    },
    newDataValidation: (): DataValidationBuilderApi => new DataValidationBuilderApi(env),
    newTextStyle: (): TextStyleBuilderApi => new TextStyleBuilderApi(),
    DeveloperMetadataLocationType,
    DeveloperMetadataVisibility,
    ProtectionType,
    DataValidationCriteria,
    Dimension,
    WrapStrategy,
    CopyPasteType,
  };
  return app;
}
