// Range and RangeList facades (one instance per getRange call, like the real wrappers).
import { boxToA1, type GridBox } from './a1';
import { displayBlock, forEachCell, forEachExistingCell, mapBlock, readBlock, writeBlock } from './cells';
import { describeArg, enumKey, type Env } from './env';
import { CopyPasteType, DeveloperMetadataVisibility } from './enums';
import { DeveloperMetadataApi, FinderApi, ProtectionApi } from './metadata';
import { type Cell, FORMAT_KEYS, type FakeSheet, type Visibility } from './model';
import { DEFAULT_NUMBER_FORMAT } from './numfmt';
import {
  assertSortable,
  breakApart,
  dropMergedAwayWrites,
  merge,
  mergeBox,
  mergesOverlapping,
  PARTIAL_MERGE_MESSAGE,
  PASTE_TYPES_WITH_MERGES,
  pasteCutsMerge,
  pasteMerges,
} from './merges';
import { assertEditable, reportsEditable } from './protection';
import { countCalls, type SheetsSession } from './session';
import { DataValidationApi, textStyleData, validationRecord } from './validation';

const NAMED_COLORS: Record<string, string> = {
  white: '#ffffff',
  black: '#000000',
  red: '#ff0000',
  green: '#008000',
  blue: '#0000ff',
  yellow: '#ffff00',
  gray: '#808080',
  grey: '#808080',
  orange: '#ffa500',
};

export function normalizeColor(color: unknown): string | undefined {
  if (color === null || color === undefined || color === '') return undefined;
  const s = String(color).toLowerCase();
  return NAMED_COLORS[s] ?? s;
}

/** A value's size as the benchmark charges it: UTF-8 bytes of its text (a Date as 8, empty as 0). */
function valueBytes(v: unknown): number {
  if (v === '' || v === null || v === undefined) return 0;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]') return 8;
  return String(v).length;
}

function gridVolume(grid: unknown[][]): { cells: number; bytes: number } {
  let cells = 0;
  let bytes = 0;
  for (const line of grid) {
    cells += line.length;
    for (const v of line) bytes += valueBytes(v);
  }
  return { cells, bytes };
}

/** Counts what a value method moved (stats only: nothing about the call's behaviour changes). */
function countWrite(env: Env, sheet: FakeSheet, grid: unknown[][]): void {
  const { cells, bytes } = gridVolume(grid);
  const s = env.stats;
  s.cellsWritten += cells;
  s.bytesWritten += bytes;
  s.cellsWrittenBySheet[sheet.name] = (s.cellsWrittenBySheet[sheet.name] ?? 0) + cells;
  s.bytesWrittenBySheet[sheet.name] = (s.bytesWrittenBySheet[sheet.name] ?? 0) + bytes;
  s.trace?.push(
    `  wrote ${sheet.name}: ${grid.length}×${grid[0]?.length ?? 0}, ${cells} cells, ${bytes} bytes`,
  );
  const cost = env.volumeCost;
  if (cost) env.clock.advance((cells * cost.cellWriteUs + bytes * cost.byteWriteUs) / 1000);
}

export function countRead(
  env: Env,
  sheet: FakeSheet,
  grid: unknown[][],
  box: GridBox,
  formulas = false,
): unknown[][] {
  env.stats.reads?.push({
    sheet: sheet.name,
    row: box.row,
    column: box.col,
    rows: box.numRows,
    columns: box.numCols,
    ...(formulas ? { formulas: true as const } : {}),
  });
  const { cells, bytes } = gridVolume(grid);
  env.stats.cellsRead += cells;
  env.stats.cellsReadBySheet[sheet.name] = (env.stats.cellsReadBySheet[sheet.name] ?? 0) + cells;
  env.stats.bytesRead += bytes;
  env.stats.trace?.push(
    `  read ${sheet.name} R${box.row}C${box.col} ${box.numRows}×${box.numCols}: ${cells} cells, ${bytes} bytes`,
  );
  const cost = env.volumeCost;
  if (cost) env.clock.advance((cells * cost.cellReadUs + bytes * cost.byteReadUs) / 1000);
  return grid;
}

/** Validates getRange(row, column, numRows, numColumns) like Apps Script. */
export function checkBox(env: Env, sheet: FakeSheet, method: string, args: unknown[]): GridBox {
  const [row, col, numRows = 1, numCols = 1] = args;
  for (const v of [row, col, numRows, numCols]) {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw env.fail(
        `The parameters (${args.map(describeArg).join(',')}) don't match the method signature for SpreadsheetApp.${method}.`,
      );
    }
  }
  const [r, c, nr, nc] = [row, col, numRows, numCols] as number[];
  for (const v of [r, c, nr, nc]) if (!Number.isInteger(v)) throw env.fail(`Cannot convert ${v} to int.`);
  if (r < 1) throw env.fail('The starting row of the range is too small.');
  if (c < 1) throw env.fail('The starting column of the range is too small.');
  if (nr < 1) throw env.fail('The number of rows in the range must be at least 1.');
  if (nc < 1) throw env.fail('The number of columns in the range must be at least 1.');
  if (r + nr - 1 > sheet.maxRows || c + nc - 1 > sheet.maxCols) {
    throw env.fail('The coordinates of the range are outside the dimensions of the sheet.');
  }
  return { row: r, col: c, numRows: nr, numCols: nc };
}

/** Checks a 2-D argument against the range's size, with Apps Script's messages. */
export function checkGrid(env: Env, values: unknown, box: GridBox, method: string): unknown[][] {
  if (!Array.isArray(values) || !values.every((r) => Array.isArray(r))) {
    throw env.fail(
      `The parameters (${describeArg(values)}) don't match the method signature for SpreadsheetApp.Range.${method}.`,
    );
  }
  if (values.length !== box.numRows) {
    throw env.fail(
      `The number of rows in the data does not match the number of rows in the range. The data has ${values.length} but the range has ${box.numRows}.`,
    );
  }
  for (const row of values as unknown[][]) {
    if (row.length !== box.numCols) {
      throw env.fail(
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${box.numCols}.`,
      );
    }
  }
  return values as unknown[][];
}

type CellKey = 'bg' | 'fc' | 'fw' | 'fs' | 'ff' | 'fz' | 'ha' | 'wrap' | 'note' | 'fmt';

export class RangeApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _sheet: FakeSheet,
    readonly _box: GridBox,
  ) {}

  private get _env(): Env {
    return this._s.env;
  }

  _fill(key: CellKey, value: unknown): void {
    const b = this._box;
    if (value === undefined) {
      forEachExistingCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c) => {
        delete c[key];
      });
    } else {
      forEachCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c) => {
        (c as Record<string, unknown>)[key] = value;
      });
    }
  }

  _fillGrid(key: CellKey, values: unknown, method: string, map: (v: unknown) => unknown): void {
    const b = this._box;
    const grid = checkGrid(this._env, values, b, method);
    forEachCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c, i, j) => {
      const v = map(grid[i][j]);
      if (v === undefined) delete c[key];
      else (c as Record<string, unknown>)[key] = v;
    });
  }

  _read<T>(fn: (c: Cell | undefined) => T): T[][] {
    const b = this._box;
    return mapBlock(this._sheet, b.row, b.col, b.numRows, b.numCols, fn);
  }

  _clear(opts: { contents?: boolean; formats?: boolean; validations?: boolean; notes?: boolean }): void {
    const b = this._box;
    forEachExistingCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c) => {
      if (opts.contents) {
        delete c.v;
        delete c.f;
      }
      if (opts.formats) for (const k of FORMAT_KEYS) delete c[k];
      if (opts.validations) delete c.dv;
      if (opts.notes) delete c.note;
    });
  }

  _make(row: number, col: number, numRows: number, numCols: number): RangeApi {
    return this._s.rangeApi(
      this._sheet,
      checkBox(this._env, this._sheet, 'Range.offset', [row, col, numRows, numCols]),
    );
  }

  // -- geometry ------------------------------------------------------------------------------------
  getRow(): number {
    return this._box.row;
  }
  getRowIndex(): number {
    return this._box.row;
  }
  getColumn(): number {
    return this._box.col;
  }
  getNumRows(): number {
    return this._box.numRows;
  }
  getNumColumns(): number {
    return this._box.numCols;
  }
  getHeight(): number {
    return this._box.numRows;
  }
  getWidth(): number {
    return this._box.numCols;
  }
  /** The end row of the range (not the last row with content: that is Sheet.getLastRow). */
  getLastRow(): number {
    return this._box.row + this._box.numRows - 1;
  }
  getLastColumn(): number {
    return this._box.col + this._box.numCols - 1;
  }
  getA1Notation(): string {
    return boxToA1(this._box);
  }
  getSheet(): unknown {
    return this._s.sheetApi(this._sheet);
  }
  getGridId(): number {
    return this._sheet.sheetId;
  }
  getCell(row: number, column: number): RangeApi {
    if (row < 1 || column < 1 || row > this._box.numRows || column > this._box.numCols) {
      throw this._env.fail('Cell reference out of range');
    }
    return this._make(this._box.row + row - 1, this._box.col + column - 1, 1, 1);
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): RangeApi {
    return this._make(
      this._box.row + rowOffset,
      this._box.col + columnOffset,
      numRows ?? this._box.numRows,
      numColumns ?? this._box.numCols,
    );
  }
  isBlank(): boolean {
    return this._read((c) => c?.v === undefined).every((r) => r.every(Boolean));
  }

  // -- values --------------------------------------------------------------------------------------
  getValues(): unknown[][] {
    const b = this._box;
    return countRead(
      this._env,
      this._sheet,
      readBlock(this._sheet, b.row, b.col, b.numRows, b.numCols, this._env.Date),
      b,
    );
  }
  getValue(): unknown {
    const b = this._box;
    return readBlock(this._sheet, b.row, b.col, 1, 1, this._env.Date)[0][0];
  }
  getDisplayValues(): string[][] {
    const b = this._box;
    return countRead(
      this._env,
      this._sheet,
      displayBlock(this._sheet, b.row, b.col, b.numRows, b.numCols),
      b,
    ) as string[][];
  }
  getDisplayValue(): string {
    const b = this._box;
    return displayBlock(this._sheet, b.row, b.col, 1, 1)[0][0];
  }
  setValues(values: unknown): RangeApi {
    const grid = checkGrid(this._env, values, this._box, 'setValues');
    this._env.stats.writes?.push({
      sheet: this._sheet.name,
      row: this._box.row,
      column: this._box.col,
      values: grid.map((r) => [...r]),
    });
    countWrite(this._env, this._sheet, grid);
    writeBlock(this._sheet, this._box.row, this._box.col, grid, this._s.coercion());
    return this;
  }
  /** Sets every cell of the range to the value. */
  setValue(value: unknown): RangeApi {
    const b = this._box;
    const grid = Array.from({ length: b.numRows }, () => new Array(b.numCols).fill(value));
    countWrite(this._env, this._sheet, grid);
    writeBlock(this._sheet, b.row, b.col, grid, this._s.coercion());
    return this;
  }
  /**
   * "Returns the formulas (A1 notation) for the cells in the range. Entries in the 2D array are empty
   * strings for cells with no formula" (Range reference). A read like getValues: counted and charged
   * the same per cell (no published figure tells them apart).
   */
  getFormulas(): string[][] {
    return countRead(
      this._env,
      this._sheet,
      this._read((c) => c?.f ?? ''),
      this._box,
      true,
    ) as string[][];
  }
  getFormula(): string {
    return this._sheet.cell(this._box.row, this._box.col)?.f ?? '';
  }
  setFormulas(formulas: unknown): RangeApi {
    const grid = checkGrid(this._env, formulas, this._box, 'setFormulas');
    countWrite(this._env, this._sheet, grid);
    writeBlock(this._sheet, this._box.row, this._box.col, grid, this._s.coercion(), 'formulas');
    return this;
  }
  /** Sets the same formula in every cell (relative references are not adjusted by the fake). */
  setFormula(formula: string): RangeApi {
    const b = this._box;
    const grid = Array.from({ length: b.numRows }, () => new Array(b.numCols).fill(formula));
    writeBlock(this._sheet, b.row, b.col, grid, this._s.coercion(), 'formulas');
    return this;
  }

  // -- formats -------------------------------------------------------------------------------------
  getNumberFormats(): string[][] {
    return this._read((c) => c?.fmt ?? DEFAULT_NUMBER_FORMAT);
  }
  getNumberFormat(): string {
    return this._sheet.cell(this._box.row, this._box.col)?.fmt ?? DEFAULT_NUMBER_FORMAT;
  }
  setNumberFormat(numberFormat: string): RangeApi {
    if (typeof numberFormat !== 'string') {
      throw this._env.fail(
        `The parameters (${describeArg(numberFormat)}) don't match the method signature for SpreadsheetApp.Range.setNumberFormat.`,
      );
    }
    this._fill('fmt', numberFormat);
    return this;
  }
  setNumberFormats(numberFormats: unknown): RangeApi {
    this._fillGrid('fmt', numberFormats, 'setNumberFormats', (v) =>
      v === null || v === '' ? undefined : String(v),
    );
    return this;
  }
  setBackground(color: string | null): RangeApi {
    this._fill('bg', normalizeColor(color));
    return this;
  }
  setBackgrounds(colors: unknown): RangeApi {
    this._fillGrid('bg', colors, 'setBackgrounds', normalizeColor);
    return this;
  }
  getBackground(): string {
    return this._sheet.cell(this._box.row, this._box.col)?.bg ?? '#ffffff';
  }
  getBackgrounds(): string[][] {
    return this._read((c) => c?.bg ?? '#ffffff');
  }
  setFontColor(color: string | null): RangeApi {
    this._fill('fc', normalizeColor(color));
    return this;
  }
  setFontColors(colors: unknown): RangeApi {
    this._fillGrid('fc', colors, 'setFontColors', normalizeColor);
    return this;
  }
  getFontColors(): string[][] {
    return this._read((c) => c?.fc ?? '#000000');
  }
  setFontWeight(fontWeight: string | null): RangeApi {
    this._fill('fw', fontWeight === null || fontWeight === 'normal' ? undefined : fontWeight);
    return this;
  }
  setFontWeights(weights: unknown): RangeApi {
    this._fillGrid('fw', weights, 'setFontWeights', (v) => (v === null || v === 'normal' ? undefined : v));
    return this;
  }
  getFontWeight(): string {
    return this._sheet.cell(this._box.row, this._box.col)?.fw ?? 'normal';
  }
  getFontWeights(): string[][] {
    return this._read((c) => c?.fw ?? 'normal');
  }
  setFontStyles(styles: unknown): RangeApi {
    this._fillGrid('fs', styles, 'setFontStyles', (v) => (v === null || v === 'normal' ? undefined : v));
    return this;
  }
  setFontStyle(fontStyle: string | null): RangeApi {
    this._fill('fs', fontStyle === null || fontStyle === 'normal' ? undefined : fontStyle);
    return this;
  }
  getFontStyle(): string {
    return this._sheet.cell(this._box.row, this._box.col)?.fs ?? 'normal';
  }
  getFontStyles(): string[][] {
    return this._read((c) => c?.fs ?? 'normal');
  }
  setFontFamily(fontFamily: string | null): RangeApi {
    this._fill('ff', fontFamily ?? undefined);
    return this;
  }
  setFontSize(size: number): RangeApi {
    this._fill('fz', size);
    return this;
  }
  setHorizontalAlignment(alignment: string | null): RangeApi {
    this._fill('ha', alignment ?? undefined);
    return this;
  }
  setVerticalAlignment(_alignment: string | null): RangeApi {
    return this;
  }
  setWrap(isWrapEnabled: boolean): RangeApi {
    this._fill('wrap', isWrapEnabled ? true : undefined);
    return this;
  }
  setWrapStrategy(_strategy: unknown): RangeApi {
    return this;
  }
  getWrap(): boolean {
    return this._sheet.cell(this._box.row, this._box.col)?.wrap ?? false;
  }
  setBorder(..._args: unknown[]): RangeApi {
    return this;
  }
  setTextStyle(style: unknown): RangeApi {
    const data = textStyleData(style);
    if (!data)
      throw this._env.fail(
        "The parameters don't match the method signature for SpreadsheetApp.Range.setTextStyle.",
      );
    if (data.bold !== undefined) this._fill('fw', data.bold ? 'bold' : undefined);
    if (data.italic !== undefined) this._fill('fs', data.italic ? 'italic' : undefined);
    if (data.color !== undefined) this._fill('fc', normalizeColor(data.color));
    if (data.fontSize !== undefined) this._fill('fz', data.fontSize);
    if (data.fontFamily !== undefined) this._fill('ff', data.fontFamily);
    return this;
  }

  setTextStyles(styles: unknown): RangeApi {
    const b = this._box;
    const grid = checkGrid(this._env, styles, b, 'setTextStyles');
    const data = grid.map((row) =>
      row.map((style) => {
        const d = textStyleData(style);
        if (!d)
          throw this._env.fail(
            "The parameters don't match the method signature for SpreadsheetApp.Range.setTextStyles.",
          );
        return d;
      }),
    );
    forEachCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c, i, j) => {
      const d = data[i][j];
      if (d.bold === true) c.fw = 'bold';
      else if (d.bold === false) delete c.fw;
      if (d.italic === true) c.fs = 'italic';
      else if (d.italic === false) delete c.fs;
      if (d.color !== undefined) c.fc = normalizeColor(d.color) as string;
      if (d.fontSize !== undefined) c.fz = d.fontSize;
      if (d.fontFamily !== undefined) c.ff = d.fontFamily;
    });
    return this;
  }

  // -- copying -------------------------------------------------------------------------------------
  /**
   * Like Sheets' copy-paste: a destination that is a multiple of the source's height and width is
   * filled by repeating the source (that is how one row's formats are copied down a column); otherwise
   * the whole source lands at the destination's top-left cell. Formulas are copied as written: their
   * relative references are not shifted, so copying a formula is refused rather than done wrong.
   */
  copyTo(destination: unknown, typeOrOptions?: unknown, transposed?: unknown): void {
    if (!(destination instanceof RangeApi) || destination._sheet.book !== this._sheet.book)
      throw this._env.fail(
        "The parameters don't match the method signature for SpreadsheetApp.Range.copyTo.",
      );
    if (transposed === true) throw this._env.fail('fake: transposed copyTo is not modelled');
    const pasteType = enumKey(typeOrOptions, CopyPasteType);
    let type: string;
    if (typeOrOptions === undefined) type = 'PASTE_NORMAL';
    else if (pasteType) type = pasteType;
    else if (typeof typeOrOptions === 'object' && typeOrOptions !== null) {
      const o = typeOrOptions as { formatOnly?: boolean; contentsOnly?: boolean };
      type = o.formatOnly ? 'PASTE_FORMAT' : o.contentsOnly ? 'PASTE_VALUES' : 'PASTE_NORMAL';
    } else
      throw this._env.fail(
        `The parameters (RangeApi,${describeArg(typeOrOptions)}) don't match the method signature for SpreadsheetApp.Range.copyTo.`,
      );
    const keys: Array<keyof Cell> = [];
    if (type === 'PASTE_NORMAL' || type === 'PASTE_NO_BORDERS')
      keys.push('v', 'f', ...FORMAT_KEYS, 'dv', 'note');
    else if (type === 'PASTE_FORMAT') keys.push(...FORMAT_KEYS);
    else if (type === 'PASTE_DATA_VALIDATION') keys.push('dv');
    else if (type === 'PASTE_VALUES') keys.push('v');
    else if (type === 'PASTE_FORMULA') keys.push('v', 'f');
    else if (type === 'PASTE_CONDITIONAL_FORMATTING' || type === 'PASTE_COLUMN_WIDTHS') return;
    else return;
    const src = this._box;
    const dst = destination._box;
    const tiles = dst.numRows % src.numRows === 0 && dst.numCols % src.numCols === 0;
    const rows = tiles ? dst.numRows : src.numRows;
    const cols = tiles ? dst.numCols : src.numCols;
    const source = mapBlock(this._sheet, src.row, src.col, src.numRows, src.numCols, (c) => c);
    if (keys.includes('f') && source.some((r) => r.some((c) => c?.f !== undefined)))
      throw this._env.fail('fake: copying formulas (relative references) is not modelled');
    if (dst.row + rows - 1 > destination._sheet.maxRows || dst.col + cols - 1 > destination._sheet.maxCols)
      throw this._env.fail(`The coordinates of the target range are outside the dimensions of the sheet.`);
    const pasted = { row: dst.row, col: dst.col, numRows: rows, numCols: cols };
    const withMerges = PASTE_TYPES_WITH_MERGES.includes(type);
    if (withMerges && pasteCutsMerge(destination._sheet, pasted)) throw this._env.fail(PARTIAL_MERGE_MESSAGE);
    forEachCell(destination._sheet, dst.row, dst.col, rows, cols, (c, i, j) => {
      const from = source[i % src.numRows][j % src.numCols];
      for (const k of keys) {
        const v = from?.[k];
        if (v === undefined) delete c[k];
        else (c as Record<string, unknown>)[k] = v;
      }
    });
    // merges.ts: the paste types that carry merges replace the area's merges with the source's.
    if (withMerges) pasteMerges(this._sheet, src, destination._sheet, pasted);
  }

  // -- notes ---------------------------------------------------------------------------------------
  setNote(note: string | null): RangeApi {
    this._fill('note', note === null || note === '' ? undefined : String(note));
    return this;
  }
  setNotes(notes: unknown): RangeApi {
    this._fillGrid('note', notes, 'setNotes', (v) => (v === null || v === '' ? undefined : String(v)));
    return this;
  }
  getNote(): string {
    return this._sheet.cell(this._box.row, this._box.col)?.note ?? '';
  }
  getNotes(): string[][] {
    return this._read((c) => c?.note ?? '');
  }
  clearNote(): RangeApi {
    this._clear({ notes: true });
    return this;
  }

  // -- data validation -----------------------------------------------------------------------------
  setDataValidation(rule: unknown): RangeApi {
    const rec = rule === null ? null : validationRecord(rule);
    if (rule !== null && !rec) {
      throw this._env.fail(
        `The parameters (${describeArg(rule)}) don't match the method signature for SpreadsheetApp.Range.setDataValidation.`,
      );
    }
    const b = this._box;
    if (rec) forEachCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c) => (c.dv = rec));
    else this._clear({ validations: true });
    return this;
  }
  setDataValidations(rules: unknown): RangeApi {
    const b = this._box;
    const grid = checkGrid(this._env, rules, b, 'setDataValidations');
    const recs = grid.map((row) =>
      row.map((r) => {
        const rec = r === null ? null : validationRecord(r);
        if (r !== null && !rec) {
          throw this._env.fail(
            "The parameters don't match the method signature for SpreadsheetApp.Range.setDataValidations.",
          );
        }
        return rec;
      }),
    );
    forEachCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c, i, j) => {
      const rec = recs[i][j];
      if (rec) c.dv = rec;
      else delete c.dv;
    });
    return this;
  }
  getDataValidation(): DataValidationApi | null {
    const dv = this._sheet.cell(this._box.row, this._box.col)?.dv;
    return dv ? new DataValidationApi(dv) : null;
  }
  getDataValidations(): Array<Array<DataValidationApi | null>> {
    return this._read((c) => (c?.dv ? new DataValidationApi(c.dv) : null));
  }
  clearDataValidations(): RangeApi {
    this._clear({ validations: true });
    return this;
  }
  insertCheckboxes(): RangeApi {
    const rule = { criteria: 'CHECKBOX', values: [], allowInvalid: false, helpText: null };
    const b = this._box;
    forEachCell(this._sheet, b.row, b.col, b.numRows, b.numCols, (c) => {
      c.dv = rule;
      c.v = false;
      delete c.f;
    });
    return this;
  }

  // -- clearing ------------------------------------------------------------------------------------
  clearContent(): RangeApi {
    this._clear({ contents: true });
    return this;
  }
  clearFormat(): RangeApi {
    this._clear({ formats: true });
    return this;
  }
  /** Without options: contents and formats (notes and data validation stay). */
  clear(options?: {
    contentsOnly?: boolean;
    formatOnly?: boolean;
    validationsOnly?: boolean;
    commentsOnly?: boolean;
  }): RangeApi {
    const o = options ?? {};
    const only = o.contentsOnly || o.formatOnly || o.validationsOnly || o.commentsOnly;
    if (!only) this._clear({ contents: true, formats: true });
    else
      this._clear({
        contents: o.contentsOnly,
        formats: o.formatOnly,
        validations: o.validationsOnly,
        notes: o.commentsOnly,
      });
    return this;
  }

  // -- selection, sorting, protection --------------------------------------------------------------
  activate(): RangeApi {
    this._s.activeSheetId = this._sheet.sheetId;
    this._s.activeRange = { sheetId: this._sheet.sheetId, box: this._box };
    return this;
  }
  sort(sortSpecObj: unknown): RangeApi {
    const specs = Array.isArray(sortSpecObj) ? sortSpecObj : [sortSpecObj];
    const b = this._box;
    const keys = specs.map((spec) => {
      const key =
        typeof spec === 'number'
          ? { col: spec, ascending: true }
          : {
              col: Number((spec as { column?: unknown }).column),
              ascending: (spec as { ascending?: unknown }).ascending !== false,
            };
      if (!(key.col >= b.col && key.col < b.col + b.numCols)) {
        throw this._env.fail('The selected column is out of range.');
      }
      return key;
    });
    assertSortable(this._sheet, b);
    this._sheet.sortRows(b.row, b.row + b.numRows - 1, keys, [b.col, b.col + b.numCols - 1]);
    return this;
  }
  protect(): ProtectionApi {
    const b = this._box;
    const rec = {
      id: this._sheet.book.nextProtectionId++,
      type: 'RANGE' as const,
      sheet: this._sheet,
      rows: [b.row - 1, b.row - 1 + b.numRows] as [number, number],
      cols: [b.col - 1, b.col - 1 + b.numCols] as [number, number],
      description: '',
      warningOnly: false,
      editors: [this._env.userEmail],
      domainEdit: false,
    };
    this._sheet.book.protections.push(rec);
    return new ProtectionApi(this._s, rec);
  }

  // -- merged cells (merges.ts) ----------------------------------------------------------------------
  /** "Merges the cells in the range together into a single block." */
  merge(): RangeApi {
    merge(this._sheet, [this._box]);
    return this;
  }
  /** "Merge the cells in the range across the columns of the range": one merge per row. */
  mergeAcross(): RangeApi {
    return this._mergeStrips('row');
  }
  /** "Merges the cells in the range together": one merge per column. */
  mergeVertically(): RangeApi {
    return this._mergeStrips('col');
  }
  /** One merge per row (mergeAcross) or per column (mergeVertically) of the range. */
  _mergeStrips(along: 'row' | 'col'): RangeApi {
    const b = this._box;
    const n = along === 'row' ? b.numRows : b.numCols;
    merge(
      this._sheet,
      Array.from({ length: n }, (_, i) =>
        along === 'row' ? { ...b, row: b.row + i, numRows: 1 } : { ...b, col: b.col + i, numCols: 1 },
      ),
    );
    return this;
  }
  /** "Break any multi-column cells in the range into individual cells again." */
  breakApart(): RangeApi {
    breakApart(this._sheet, this._box);
    return this;
  }
  /**
   * "Returns an array of Range objects representing merged cells that either are fully within the
   * current range, or contain at least one cell in the current range." (reference/spreadsheet/range#getMergedRanges)
   */
  getMergedRanges(): RangeApi[] {
    return mergesOverlapping(this._sheet, this._box).map((m) => this._s.rangeApi(this._sheet, mergeBox(m)));
  }
  /** "Returns true if the cells in the current range overlap any merged cells." */
  isPartOfMerge(): boolean {
    return mergesOverlapping(this._sheet, this._box).length > 0;
  }

  /**
   * reference/spreadsheet/range#canEdit: "Determines whether the user has permission to edit every
   * cell in the range. The spreadsheet owner is always able to edit protected ranges and sheets."
   * Under a warning-only protection: the harsher reading, the editor list (protection.ts isEditorOf).
   */
  canEdit(): boolean {
    return reportsEditable(this._sheet.book, this._sheet, this._box, this._env.userEmail);
  }

  // -- developer metadata --------------------------------------------------------------------------
  _wholeColumns(): boolean {
    return this._box.row === 1 && this._box.numRows === this._sheet.maxRows;
  }
  _wholeRows(): boolean {
    return this._box.col === 1 && this._box.numCols === this._sheet.maxCols;
  }
  addDeveloperMetadata(key: string, valueOrVisibility?: unknown, visibility?: unknown): RangeApi {
    const [value, vis] = metadataArgs(
      this._env,
      'Range.addDeveloperMetadata',
      key,
      valueOrVisibility,
      visibility,
    );
    const b = this._box;
    let loc: { type: 'ROW' | 'COLUMN'; start: number; end: number };
    if (this._wholeColumns()) loc = { type: 'COLUMN', start: b.col - 1, end: b.col - 1 + b.numCols };
    else if (this._wholeRows()) loc = { type: 'ROW', start: b.row - 1, end: b.row - 1 + b.numRows };
    else {
      throw this._env.fail(
        'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to the top-level spreadsheet, an individual sheet, or an entire row or column.',
      );
    }
    this._sheet.book.addMetadata(String(key), value, vis, { ...loc, sheet: this._sheet });
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadataApi[] {
    const b = this._box;
    const col = this._wholeColumns();
    const row = this._wholeRows();
    return this._sheet.book.metadata
      .filter((m) => {
        if (m.loc.type === 'COLUMN' && col && m.loc.sheet === this._sheet) {
          return m.loc.start === b.col - 1 && m.loc.end === b.col - 1 + b.numCols;
        }
        if (m.loc.type === 'ROW' && row && m.loc.sheet === this._sheet) {
          return m.loc.start === b.row - 1 && m.loc.end === b.row - 1 + b.numRows;
        }
        return false;
      })
      .map((m) => new DeveloperMetadataApi(this._s, m));
  }
  createDeveloperMetadataFinder(): FinderApi {
    return new FinderApi(this._s, { kind: 'range', sheet: this._sheet, box: this._box });
  }
}
/**
 * Every Range method that changes cells (values, formulas, formats, notes, validation, merges, order)
 * first checks that the user may edit every cell it touches: a script runs as its user, and a range a
 * colleague protected without them throws Sheets' exception (protection.ts). copyTo checks its
 * destination. Nothing is written when it throws (Sheets applies a call whole or not at all). After the
 * write, what landed in a merged-away cell is dropped (merges.ts, dropMergedAwayWrites): formulas, notes
 * and validation as well as values, the harsher reading where Google is silent.
 */
function guardWrites(ctor: typeof RangeApi): void {
  const proto = ctor.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (!/^(set|clear|insert|merge|breakApart|sort)/.test(name)) continue;
    const fn = proto[name] as (this: RangeApi, ...args: unknown[]) => unknown;
    proto[name] = function (this: RangeApi, ...args: unknown[]) {
      assertEditable(this._s, this._sheet, this._box);
      const out = fn.apply(this, args);
      dropMergedAwayWrites(this._sheet, this._box);
      return out;
    };
  }
  const copyTo = proto.copyTo as (this: RangeApi, ...args: unknown[]) => unknown;
  proto.copyTo = function (this: RangeApi, destination: unknown, ...rest: unknown[]) {
    if (!(destination instanceof RangeApi)) return copyTo.apply(this, [destination, ...rest]);
    const src = this._box;
    const dst = destination._box;
    // Sheets pastes a source that does not tile the destination at its top-left cell, whole.
    const tiles = dst.numRows % src.numRows === 0 && dst.numCols % src.numCols === 0;
    const pasted = {
      row: dst.row,
      col: dst.col,
      numRows: tiles ? dst.numRows : src.numRows,
      numCols: tiles ? dst.numCols : src.numCols,
    };
    assertEditable(this._s, destination._sheet, pasted);
    const out = copyTo.apply(this, [destination, ...rest]);
    dropMergedAwayWrites(destination._sheet, pasted);
    return out;
  };
}
guardWrites(RangeApi);
countCalls(RangeApi);

/** The (value, visibility) of addDeveloperMetadata(key[, value][, visibility]). */
export function metadataArgs(
  env: Env,
  method: string,
  key: unknown,
  valueOrVisibility: unknown,
  visibility: unknown,
): [string | null, Visibility] {
  if (typeof key !== 'string') {
    throw env.fail(
      `The parameters (${describeArg(key)}) don't match the method signature for SpreadsheetApp.${method}.`,
    );
  }
  let value: string | null = null;
  let vis: unknown = visibility;
  if (enumKey(valueOrVisibility, DeveloperMetadataVisibility)) vis = valueOrVisibility;
  else if (valueOrVisibility !== undefined && valueOrVisibility !== null) value = String(valueOrVisibility);
  if (vis === undefined) return [value, 'DOCUMENT'];
  const k = enumKey(vis, DeveloperMetadataVisibility);
  if (!k) {
    throw env.fail(
      `The parameters (String,String,${describeArg(vis)}) don't match the method signature for SpreadsheetApp.${method}.`,
    );
  }
  return [value, k];
}

export class RangeListApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _ranges: RangeApi[],
  ) {}
  _each(fn: (r: RangeApi) => void): RangeListApi {
    for (const r of this._ranges) fn(r);
    return this;
  }
  getRanges(): RangeApi[] {
    return this._ranges.slice();
  }
  setNumberFormat(format: string): RangeListApi {
    return this._each((r) => r._fill('fmt', format));
  }
  setBackground(color: string | null): RangeListApi {
    return this._each((r) => r._fill('bg', normalizeColor(color)));
  }
  setFontColor(color: string | null): RangeListApi {
    return this._each((r) => r._fill('fc', normalizeColor(color)));
  }
  setFontStyle(style: string | null): RangeListApi {
    return this._each((r) => r._fill('fs', style === null || style === 'normal' ? undefined : style));
  }
  setFontWeight(weight: string | null): RangeListApi {
    return this._each((r) => r._fill('fw', weight === null || weight === 'normal' ? undefined : weight));
  }
  setWrap(isWrapEnabled: boolean): RangeListApi {
    return this._each((r) => r._fill('wrap', isWrapEnabled ? true : undefined));
  }
  setNote(note: string | null): RangeListApi {
    return this._each((r) => r._fill('note', note === null || note === '' ? undefined : note));
  }
  setValue(value: unknown): RangeListApi {
    const first = this._ranges[0];
    if (first)
      this._s.env.stats.listWrites?.push({
        sheet: first._sheet.name,
        ranges: this._ranges.map((r) => r.getA1Notation()),
        value,
      });
    return this._each((r) => {
      const b = r._box;
      const grid = Array.from({ length: b.numRows }, () => new Array(b.numCols).fill(value));
      // Its cells and bytes are charged as any value write's (the benchmark's cost model).
      countWrite(this._s.env, r._sheet, grid);
      writeBlock(r._sheet, b.row, b.col, grid, this._s.coercion());
    });
  }
  clearContent(): RangeListApi {
    return this._each((r) => r._clear({ contents: true }));
  }
  clearFormat(): RangeListApi {
    return this._each((r) => r._clear({ formats: true }));
  }
  clearDataValidations(): RangeListApi {
    return this._each((r) => r._clear({ validations: true }));
  }
  clear(): RangeListApi {
    return this._each((r) => r._clear({ contents: true, formats: true }));
  }
  activate(): RangeListApi {
    const last = this._ranges[this._ranges.length - 1];
    if (last) {
      this._s.activeSheetId = last._sheet.sheetId;
      this._s.activeRange = { sheetId: last._sheet.sheetId, box: last._box };
    }
    return this;
  }
}
/**
 * A RangeList writes through each of its ranges, so it is refused like Range's own writes (guardWrites):
 * every range is checked before any is written ("Sheets applies a call whole or not at all"), and what
 * lands in a merged-away cell is dropped afterwards.
 */
function guardListWrites(ctor: typeof RangeListApi): void {
  const proto = ctor.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (!/^(set|clear)/.test(name)) continue;
    const fn = proto[name] as (this: RangeListApi, ...args: unknown[]) => unknown;
    proto[name] = function (this: RangeListApi, ...args: unknown[]) {
      for (const r of this._ranges) assertEditable(this._s, r._sheet, r._box);
      const out = fn.apply(this, args);
      for (const r of this._ranges) dropMergedAwayWrites(r._sheet, r._box);
      return out;
    };
  }
}
guardListWrites(RangeListApi);
countCalls(RangeListApi);
