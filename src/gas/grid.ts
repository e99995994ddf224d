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

class SheetGrid implements Grid {
  constructor(private readonly sheet: GoogleAppsScript.Spreadsheet.Sheet) {}

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
  columnKeys(): Array<{ column: number; key: string }> {
    const width = this.sheet.getLastColumn();
    const headers = width > 0 ? this.sheet.getRange(1, 1, 1, width).getValues()[0].map(String) : [];
    const cacheKey = `${BINDING_CACHE_PREFIX}${this.sheet.getSheetId()}`;
    const properties = PropertiesService.getDocumentProperties();
    const cached = properties.getProperty(cacheKey);
    if (cached) {
      const saved = JSON.parse(cached) as {
        headers: string[];
        bindings: Array<{ column: number; key: string }>;
      };
      if (saved.headers.length === headers.length && saved.headers.every((h, i) => h === headers[i]))
        return saved.bindings;
    }
    const bindings = this.sheet
      .createDeveloperMetadataFinder()
      .withKey(BINDING_KEY)
      .find()
      .map((m) => ({ column: m.getLocation().getColumn()?.getColumn() ?? 0, key: m.getValue() ?? '' }))
      .filter((b) => b.key !== '' && b.column > 0);
    try {
      properties.setProperty(cacheKey, JSON.stringify({ headers, bindings }));
    } catch {
      // Over 9 KB (hundreds of columns): no cache, the metadata is read each time.
    }
    return bindings;
  }

  bindColumns(bindings: Array<{ column: number; key: string }>): void {
    if (bindings.length === 0) return;
    const ranges = this.sheet
      .getRangeList(bindings.map(({ column }) => `${columnLetter(column)}:${columnLetter(column)}`))
      .getRanges();
    ranges.forEach((range, i) => {
      range.addDeveloperMetadata(BINDING_KEY, bindings[i].key);
    });
    PropertiesService.getDocumentProperties().deleteProperty(
      `${BINDING_CACHE_PREFIX}${this.sheet.getSheetId()}`,
    );
  }

  clearRowsFrom(row: number): void {
    const last = this.sheet.getLastRow();
    const width = this.sheet.getLastColumn();
    if (last >= row && width > 0) this.sheet.getRange(row, 1, last - row + 1, width).clearContent();
  }
}

export function activeWorkbook(): Workbook {
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  return {
    timeZone: () => spreadsheet.getSpreadsheetTimeZone(),
    cellCount: () => spreadsheet.getSheets().reduce((n, s) => n + s.getMaxRows() * s.getMaxColumns(), 0),
    sheet: (name) => {
      const sheet = spreadsheet.getSheetByName(name);
      return sheet ? new SheetGrid(sheet) : null;
    },
    createSheet: (name, options) => {
      const sheet = spreadsheet.insertSheet(name, spreadsheet.getSheets().length);
      if (options?.hidden) sheet.hideSheet();
      return new SheetGrid(sheet);
    },
  };
}
