// Workbook and Grid over SpreadsheetApp. Each method is one or a few service calls on whole blocks.
import type { CellValue, Grid, Workbook } from '../core/ports';
import { contiguousRuns as runs } from '../core/sync/blocks';

const BINDING_KEY = 'closeSync.field';
const BINDING_CACHE_PREFIX = 'closeSync.columns.';
const READ_ONLY_BACKGROUND = '#f1f3f4';
const READ_ONLY_TEXT = '#5f6368';
const HEADER_BACKGROUND = '#e8f0fe';

export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A1 ranges for whole columns from `fromRow` down, one per contiguous run: `C2:E`, `H:H`. */
function columnRanges(columns: number[], fromRow: number): string[] {
  return runs(columns).map(([a, b]) =>
    fromRow > 1 ? `${columnLetter(a)}${fromRow}:${columnLetter(b)}` : `${columnLetter(a)}:${columnLetter(b)}`,
  );
}

type Binding = { column: number; key: string };

class SheetGrid implements Grid {
  /** The bindings as last read, so new ones can extend the cache without reading them all again. */
  private known: Binding[] | null = null;

  constructor(private readonly sheet: GoogleAppsScript.Spreadsheet.Sheet) {}

  private cacheKey(): string {
    return `${BINDING_CACHE_PREFIX}${this.sheet.getSheetId()}`;
  }

  private headerRow(): string[] {
    const width = this.sheet.getLastColumn();
    return width > 0 ? this.sheet.getRange(1, 1, 1, width).getValues()[0].map(String) : [];
  }

  private cache(headers: string[], bindings: Binding[]): void {
    this.known = bindings;
    try {
      PropertiesService.getDocumentProperties().setProperty(
        this.cacheKey(),
        JSON.stringify({ headers, bindings }),
      );
    } catch {
      // Over 9 KB (hundreds of columns): no cache, the metadata is read each time.
      PropertiesService.getDocumentProperties().deleteProperty(this.cacheKey());
    }
  }

  get name(): string {
    return this.sheet.getName();
  }

  lastRow(): number {
    return this.sheet.getLastRow();
  }

  lastColumn(): number {
    return this.sheet.getLastColumn();
  }

  read(row: number, column: number, numRows: number, numColumns: number): CellValue[][] {
    if (numRows < 1 || numColumns < 1) return [];
    return this.sheet.getRange(row, column, numRows, numColumns).getValues() as CellValue[][];
  }

  write(row: number, column: number, values: CellValue[][]): void {
    if (values.length === 0 || values[0].length === 0) return;
    this.sheet.getRange(row, column, values.length, values[0].length).setValues(values);
  }

  ensureSize(rows: number, columns: number): void {
    const maxRows = this.sheet.getMaxRows();
    if (rows > maxRows) this.sheet.insertRowsAfter(maxRows, rows - maxRows);
    const maxColumns = this.sheet.getMaxColumns();
    if (columns > maxColumns) this.sheet.insertColumnsAfter(maxColumns, columns - maxColumns);
  }

  formatColumns(columns: number[], format: string): void {
    if (columns.length === 0) return;
    this.sheet.getRangeList(columnRanges(columns, 2)).setNumberFormat(format);
  }

  styleColumns(readOnly: number[], editable: number[]): void {
    this.sheet.setFrozenRows(1);
    const all = [...readOnly, ...editable];
    if (all.length > 0) {
      const headers = this.sheet.getRangeList(
        runs(all).map(([a, b]) => `${columnLetter(a)}1:${columnLetter(b)}1`),
      );
      headers.setFontWeight('bold');
      headers.setBackground(HEADER_BACKGROUND);
    }
    if (readOnly.length > 0) {
      const cells = this.sheet.getRangeList(columnRanges(readOnly, 2));
      cells.setBackground(READ_ONLY_BACKGROUND);
      cells.setFontColor(READ_ONLY_TEXT);
      this.sheet
        .getRangeList(runs(readOnly).map(([a, b]) => `${columnLetter(a)}1:${columnLetter(b)}1`))
        .setFontStyle('italic');
    }
  }

  /**
   * The developer metadata on the columns is the truth, but reading it costs four service calls per
   * column. So the bindings are also cached in document properties together with the header row they
   * were read under: while the header row is unchanged (no column moved, inserted, deleted or renamed)
   * the cache is right, and one read of row 1 confirms it.
   */
  columnKeys(): Binding[] {
    const headers = this.headerRow();
    const cached = PropertiesService.getDocumentProperties().getProperty(this.cacheKey());
    if (cached) {
      const saved = JSON.parse(cached) as { headers: string[]; bindings: Binding[] };
      if (saved.headers.length === headers.length && saved.headers.every((h, i) => h === headers[i])) {
        this.known = saved.bindings;
        return saved.bindings;
      }
    }
    const bindings = this.sheet
      .createDeveloperMetadataFinder()
      .withKey(BINDING_KEY)
      .find()
      .map((m) => ({ column: m.getLocation().getColumn()?.getColumn() ?? 0, key: m.getValue() ?? '' }))
      .filter((b) => b.key !== '' && b.column > 0);
    this.cache(headers, bindings);
    return bindings;
  }

  /** Binds new columns (their headers already written) and extends the cache with them. */
  bindColumns(bindings: Binding[]): void {
    if (bindings.length === 0) return;
    const ranges = this.sheet
      .getRangeList(bindings.map(({ column }) => `${columnLetter(column)}:${columnLetter(column)}`))
      .getRanges();
    ranges.forEach((range, i) => {
      range.addDeveloperMetadata(BINDING_KEY, bindings[i].key);
    });
    if (this.known) this.cache(this.headerRow(), [...this.known, ...bindings]);
    else PropertiesService.getDocumentProperties().deleteProperty(this.cacheKey());
  }

  setDropdown(column: number, values: string[]): void {
    const letter = columnLetter(column);
    const rule = SpreadsheetApp.newDataValidation()
      .requireValueInList(values, true)
      .setAllowInvalid(true)
      .build();
    this.sheet.getRange(`${letter}2:${letter}`).setDataValidation(rule);
  }

  protectColumns(columns: number[], description: string): void {
    for (const [a, b] of runs(columns)) {
      this.sheet
        .getRange(`${columnLetter(a)}:${columnLetter(b)}`)
        .protect()
        .setDescription(description)
        .setWarningOnly(true);
    }
  }

  clearRowsFrom(row: number): void {
    const last = this.sheet.getLastRow();
    const width = this.sheet.getLastColumn();
    if (last >= row && width > 0) this.sheet.getRange(row, 1, last - row + 1, width).clearContent();
  }

  deleteRows(row: number, count: number): void {
    if (count > 0) this.sheet.deleteRows(row, count);
  }
}

export function activeWorkbook(): Workbook {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  return {
    timeZone: () => spreadsheet.getSpreadsheetTimeZone(),
    cellCount: (except = []) =>
      spreadsheet
        .getSheets()
        .filter((s) => !except.includes(s.getName()))
        .reduce((n, s) => n + s.getMaxRows() * s.getMaxColumns(), 0),
    sheet: (name) => {
      const sheet = spreadsheet.getSheetByName(name);
      return sheet ? new SheetGrid(sheet) : null;
    },
    createSheet: (name, options) => {
      // insertSheet makes the new sheet active; a hidden one must not take the rep's place.
      const active = options?.hidden ? spreadsheet.getActiveSheet() : null;
      const sheet = spreadsheet.insertSheet(name, spreadsheet.getSheets().length);
      const extra = options?.columns ? sheet.getMaxColumns() - options.columns : 0;
      if (extra > 0) sheet.deleteColumns(options!.columns! + 1, extra);
      if (options?.hidden) {
        sheet.hideSheet();
        active?.activate();
      }
      return new SheetGrid(sheet);
    },
  };
}
