// Workbook and Grid over SpreadsheetApp. Each method is one or a few service calls on whole blocks.
import type { CellValue, ColumnSetup, Grid, NewSheet, Workbook } from '../core/ports';
import { contiguousRuns as runs } from '../core/sync/write-managed-columns';
import { dropdownRule } from './dropdown-lists';
import { readBindings } from '../core/sync/column-binding';
import type { LockedArea, ManagedColumn } from '../core/sync/locked-areas';
import { LEAD_ID_KEY } from '../core/schema/columns';
import type { MergedArea } from '../core/sync/merged-cells';

const READ_ONLY_BACKGROUND = '#f1f3f4';
const READ_ONLY_TEXT = '#5f6368';
const HEADER_TEXT = '#000000';
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

/** The size Sheets gives a new sheet. */
const NEW_SHEET = { rows: 1000, columns: 26 };

class SheetGrid implements Grid {
  /** Rows and columns the sheet has (not just those with content), once read: only ensureSize changes them. */
  private size: { rows: number; columns: number } | null = null;
  /** Last row and column with content, as read since the last write (a new sheet: 0 and 0). */
  private extent: { rows?: number; columns?: number };

  /**
   * Which of the size's dimensions is Sheets' default for a new sheet, taken on trust: an insert or
   * delete after the assumed last row or column works only if the sheet has at least that many, and
   * then leaves it with at least the size wanted.
   */
  private assumed = { rows: false, columns: false };

  /**
   * Rows above the header row (title rows the rep inserted), as set by setHeaderRow (see
   * sync/column-binding.ts). Every row this grid is asked about is counted from the header.
   */
  private top = 0;

  /**
   * The rows the sheet has and columns it has at least, when ensureSize needed the rows alone (the
   * columns held content): getMaxColumns is then not asked. Dropped with the size.
   */
  private rowsOnly: { rows: number; columns: number } | null = null;

  /**
   * The last of the rows ensureSize inserted right after the content (the size not read), if any, and
   * the columns the sheet has at least: the sheet has at least these rows (blank ones may lie below).
   */
  private insertedTo: { rows: number; columns: number } | null = null;

  /** `empty`: a sheet this execution just created, so reading it back would only cost calls. */
  constructor(
    /** The Sheet handle (read by sheetHabits below, so a job's check looks nothing up again). */
    readonly sheet: GoogleAppsScript.Spreadsheet.Sheet,
    empty = false,
  ) {
    this.extent = empty ? { rows: 0, columns: 0 } : {};
    if (empty) {
      this.size = { ...NEW_SHEET };
      this.assumed = { rows: true, columns: true };
    }
  }

  /**
   * Runs a resize on the size as known. Should a new sheet not have the default size after all (an
   * operation out of its bounds throws), the size is read and the resize done again: at worst a few
   * rows or columns more than needed, never fewer. `proves`: the dimensions the operation checks.
   */
  private resize<T>(
    proves: Array<'rows' | 'columns'>,
    op: (size: { rows: number; columns: number }) => T,
  ): T {
    try {
      const result = op(this.dimensions());
      for (const d of proves) this.assumed[d] = false;
      return result;
    } catch (e) {
      if (!this.assumed.rows && !this.assumed.columns) throw e;
      this.forgetAssumedSize();
      return op(this.dimensions());
    }
  }

  private forgetAssumedSize(): void {
    this.assumed = { rows: false, columns: false };
    this.size = null;
    this.rowsOnly = null;
    this.insertedTo = null;
  }

  /** Content changed: the extent is read again when asked. */
  private wrote(): void {
    this.extent = {};
  }

  /**
   * Range handles by their block (sheet rows, whatever the header row), so that a block read, then its
   * formulas read, then written back (a refresh's rewrite of a column's span) is one getRange, not three.
   * Kept from a read on (or from a format copy to rows about to be written: extendFormats), so a block
   * written first takes a Range of its own (and the diagnostics' write and
   * read-back of a scratch block, which prices a read and a write as the add-on's others, still costs
   * what it measures).
   * A Range names cells by position, like the getRange that would be asked again; still, every insert or
   * delete of rows by this grid, and forgetExtent (the rep may have moved rows), drops them all.
   */
  private ranges = new Map<string, GoogleAppsScript.Spreadsheet.Range>();

  private range(row: number, column: number, numRows: number, numColumns: number, keep = true) {
    const key = `${row},${column},${numRows},${numColumns}`;
    let range = this.ranges.get(key);
    if (!range) {
      range = this.sheet.getRange(row, column, numRows, numColumns);
      // A few blocks at a time are worth keeping; an old one is rarely asked for again.
      if (this.ranges.size >= 16) this.ranges.clear();
      if (keep) this.ranges.set(key, range);
    }
    return range;
  }

  /** Rows moved (this grid inserted or deleted some, or the rep may have): no kept Range is trusted. */
  private rowsMoved(): void {
    this.ranges.clear();
  }

  get name(): string {
    return this.sheet.getName();
  }

  get sheetId(): number {
    return this.sheet.getSheetId();
  }

  lastRow(): number {
    this.extent.rows ??= this.sheet.getLastRow();
    return Math.max(0, this.extent.rows - this.top);
  }

  lastColumn(): number {
    this.extent.columns ??= this.sheet.getLastColumn();
    return this.extent.columns;
  }

  forgetExtent(): void {
    this.extent = {};
    this.rowsMoved();
    // Rows inserted by the rep grow the sheet too: a size taken on trust or read before is stale.
    this.forgetAssumedSize();
  }

  read(row: number, column: number, numRows: number, numColumns: number): CellValue[][] {
    if (numRows < 1 || numColumns < 1) return [];
    return this.range(row + this.top, column, numRows, numColumns).getValues() as CellValue[][];
  }

  /**
   * Sheet.getSheetValues "Returns the rectangular grid of values for this range starting at the given
   * coordinates": one call, no Range (nothing to keep for a block read once).
   */
  readOnce(row: number, column: number, numRows: number, numColumns: number): CellValue[][] {
    if (numRows < 1 || numColumns < 1) return [];
    return this.sheet.getSheetValues(row + this.top, column, numRows, numColumns) as CellValue[][];
  }

  /**
   * Everything from A1 to the last row and column with content, in two calls: Sheet.getDataRange is
   * "functionally equivalent to creating a Range bounded by A1 and (Sheet.getLastColumn(),
   * Sheet.getLastRow())", so its size is the extent, kept (asking getLastRow and getLastColumn first
   * would be two calls more). An empty sheet's data range is A1 alone: [] then, the extent left unread.
   * Counted from the sheet's row 1, whatever the header row.
   */
  readAll(): CellValue[][] {
    const values = this.sheet.getDataRange().getValues() as CellValue[][];
    if (values.length === 1 && values[0].length === 1 && values[0][0] === '') return [];
    this.extent = { rows: values.length, columns: values[0]?.length ?? 0 };
    return values;
  }

  formulas(row: number, column: number, numRows: number, numColumns: number): string[][] {
    if (numRows < 1 || numColumns < 1) return [];
    return this.range(row + this.top, column, numRows, numColumns).getFormulas();
  }

  write(row: number, column: number, values: CellValue[][]): void {
    if (values.length === 0 || values[0].length === 0) return;
    this.wrote();
    this.range(row + this.top, column, values.length, values[0].length, false).setValues(values);
  }

  writeSame(cells: Array<[number, number]>, value: string): void {
    if (cells.length === 0) return;
    // RangeList.setValue: "If it begins with '=' it is interpreted as a formula" — never a lead's value here.
    if (value.startsWith('='))
      throw new Error('writeSame: a value that starts with = would become a formula');
    this.wrote();
    this.sheet.getRangeList(cells.map(([r, c]) => `${columnLetter(c)}${r + this.top}`)).setValue(value);
  }

  /** Cells the sheet takes up (Sheets' 10 million limit counts them all, empty or not). */
  cells(): number {
    const size = this.dimensions();
    return size.rows * size.columns;
  }

  /** Narrows a new sheet to `columns` (a hidden table of a few columns needs no more cells). */
  trimColumns(columns: number): void {
    this.resize(['columns'], (size) => {
      if (size.columns > columns) this.sheet.deleteColumns(columns + 1, size.columns - columns);
      this.size = { rows: size.rows, columns: Math.min(columns, size.columns) };
    });
  }

  private dimensions(): { rows: number; columns: number } {
    this.size ??= {
      rows: this.rowsOnly?.rows ?? this.sheet.getMaxRows(),
      columns: this.sheet.getMaxColumns(),
    };
    return this.size;
  }

  ensureSize(gridRows: number, columns: number, afterContent = false): number {
    const rows = gridRows + this.top;
    // A sheet has at least as many rows and columns as hold content: often that settles it (and the
    // extent is read anyway, to read the content).
    const known = this.rowsOnly ?? this.insertedTo;
    if (this.size === null && known && rows <= known.rows && columns <= known.columns) return 0;
    if (this.size === null && gridRows <= this.lastRow() && columns <= this.lastColumn()) return 0;
    // Rows after the content, the size not known: they go in right after the last row with content.
    // Every row below it is empty, so nothing moves, and the sheet then has at least `rows` rows
    // whatever its size — without asking it (getMaxRows: a call). Blank rows it had below stay below.
    const content = this.extent.rows ?? 0;
    if (
      afterContent &&
      this.size === null &&
      content >= 1 + this.top &&
      rows > content &&
      columns <= this.lastColumn()
    ) {
      const atLeast = this.lastColumn();
      this.sheet.insertRowsAfter(content, rows - content);
      this.rowsOnly = null;
      this.insertedTo = { rows, columns: atLeast };
      return content + 1 - this.top;
    }
    // Only rows wanted (the columns hold content already, so the sheet has them): only the rows are
    // asked (getMaxColumns would be one call more), and the new rows go in after the last.
    if (this.size === null && columns <= this.lastColumn()) {
      // (insertedTo is only a floor: the size is read then.)
      const had = this.rowsOnly?.rows ?? this.sheet.getMaxRows();
      const atLeast = Math.max(known?.columns ?? 0, this.lastColumn());
      this.rowsOnly = { rows: Math.max(rows, had), columns: atLeast };
      if (rows <= had) return 0;
      this.sheet.insertRowsAfter(had, rows - had);
      return had + 1 - this.top;
    }
    // A dimension that needs no insert cannot prove the assumed size: then it is read.
    const size = this.size;
    if (
      size &&
      ((this.assumed.rows && rows <= size.rows) || (this.assumed.columns && columns <= size.columns))
    )
      this.forgetAssumedSize();
    return this.resize(['rows', 'columns'], (size) => {
      if (rows > size.rows) this.sheet.insertRowsAfter(size.rows, rows - size.rows);
      if (columns > size.columns) this.sheet.insertColumnsAfter(size.columns, columns - size.columns);
      this.size = { rows: Math.max(rows, size.rows), columns: Math.max(columns, size.columns) };
      return rows > size.rows ? size.rows + 1 - this.top : 0;
    });
  }

  extendFormats(gridRow: number, columns: number[]): void {
    // Rows inserted after the content (ensureSize) end at insertedTo: the blank rows below are the
    // sheet's own, formatted as they were.
    const rows = this.size?.rows ?? this.rowsOnly?.rows ?? this.insertedTo?.rows ?? this.dimensions().rows;
    const fromRow = gridRow + this.top;
    if (gridRow <= 2 || fromRow > rows) return;
    for (const [a, b] of runs(columns)) {
      const template = this.sheet.getRange(2 + this.top, a, 1, b - a + 1);
      // Kept: the new rows are written next, most often as this very block (a refresh's new leads).
      const below = this.range(fromRow, a, rows - fromRow + 1, b - a + 1);
      template.copyTo(below, SpreadsheetApp.CopyPasteType.PASTE_FORMAT, false);
      template.copyTo(below, SpreadsheetApp.CopyPasteType.PASTE_DATA_VALIDATION, false);
    }
  }

  formatColumns(columns: number[], format: string): void {
    if (columns.length === 0) return;
    this.sheet.getRangeList(columnRanges(columns, 2 + this.top)).setNumberFormat(format);
  }

  styleColumns(readOnly: number[], editable: number[]): void {
    const h = 1 + this.top;
    this.sheet.setFrozenRows(h);
    const all = [...readOnly, ...editable];
    if (all.length > 0) {
      const headers = this.sheet.getRangeList(
        runs(all).map(([a, b]) => `${columnLetter(a)}${h}:${columnLetter(b)}${h}`),
      );
      headers.setFontWeight('bold');
      headers.setBackground(HEADER_BACKGROUND);
    }
    if (readOnly.length > 0) {
      const cells = this.sheet.getRangeList(columnRanges(readOnly, h + 1));
      cells.setBackground(READ_ONLY_BACKGROUND);
      cells.setFontColor(READ_ONLY_TEXT);
      this.sheet
        .getRangeList(runs(readOnly).map(([a, b]) => `${columnLetter(a)}${h}:${columnLetter(b)}${h}`))
        .setFontStyle('italic');
    }
  }

  topNotes(rows: number): string[][] {
    const width = this.lastColumn();
    const depth = Math.min(rows, this.lastRow() + this.top);
    if (width === 0 || depth < 1) return [];
    return this.sheet.getRange(1, 1, depth, width).getNotes();
  }

  setHeaderRow(row: number): void {
    this.top = Math.max(0, row - 1);
  }

  writeHeaderNotes(notes: Array<{ column: number; note: string }>): void {
    const noteOf = new Map(notes.map((b) => [b.column, b.note]));
    for (const [a, b] of runs(notes.map((x) => x.column))) {
      const row = Array.from({ length: b - a + 1 }, (_, i) => noteOf.get(a + i) ?? '');
      this.sheet.getRange(1 + this.top, a, 1, row.length).setNotes([row]);
    }
  }

  /**
   * Rows 1 and 2 of each run of new columns are set up cell by cell in one call per property (header
   * text, note, style; row 2's number format, shading and dropdown), then row 2's formats and dropdowns
   * are copied down to the last row in two more: Sheets repeats a one-row source over a taller range.
   */
  setUpColumns(
    columns: ColumnSetup[],
    options: { headersWrittenLater?: boolean; freezeFirstColumn?: boolean } = {},
  ): void {
    if (columns.length === 0) return;
    const byColumn = new Map(columns.map((c) => [c.column, c]));
    const rows = this.dimensions().rows;
    const style = (bold: boolean, italic: boolean, color: string) =>
      SpreadsheetApp.newTextStyle().setBold(bold).setItalic(italic).setForegroundColor(color).build();
    const header = style(true, false, HEADER_TEXT);
    const readOnlyHeader = style(true, true, HEADER_TEXT);
    const plain = style(false, false, HEADER_TEXT);
    const readOnly = style(false, false, READ_ONLY_TEXT);
    for (const [a, b] of runs(columns.map((c) => c.column))) {
      const run = Array.from({ length: b - a + 1 }, (_, i) => byColumn.get(a + i)!);
      const rules = run.map((c) => (c.dropdown ? dropdownRule(c.dropdown, c.list) : null));
      const top = this.sheet.getRange(1 + this.top, a, 2, run.length);
      // Plain text first, so a header like "2024" or "=total" stays text.
      top.setNumberFormats([run.map(() => '@'), run.map((c) => c.format)]);
      if (!options.headersWrittenLater) {
        this.wrote();
        top.setValues([run.map((c) => c.header), run.map(() => '')]);
      }
      top.setNotes([run.map((c) => c.note), run.map(() => null)]);
      top.setBackgrounds([
        run.map(() => HEADER_BACKGROUND),
        run.map((c) => (c.readOnly ? READ_ONLY_BACKGROUND : null)),
      ]);
      top.setTextStyles([
        run.map((c) => (c.readOnly ? readOnlyHeader : header)),
        run.map((c) => (c.readOnly ? readOnly : plain)),
      ]);
      const anyDropdown = rules.some((r) => r !== null);
      if (anyDropdown) top.setDataValidations([run.map(() => null), rules]);
      if (rows > 2 + this.top) {
        const template = this.sheet.getRange(2 + this.top, a, 1, run.length);
        const below = this.sheet.getRange(3 + this.top, a, rows - 2 - this.top, run.length);
        template.copyTo(below, SpreadsheetApp.CopyPasteType.PASTE_FORMAT, false);
        if (anyDropdown) template.copyTo(below, SpreadsheetApp.CopyPasteType.PASTE_DATA_VALIDATION, false);
      }
    }
    this.sheet.setFrozenRows(1 + this.top);
    if (options.freezeFirstColumn) this.sheet.setFrozenColumns(1);
    for (const [a, b] of runs(columns.filter((c) => c.readOnly).map((c) => c.column))) {
      this.sheet
        .getRange(`${columnLetter(a)}:${columnLetter(b)}`)
        .protect()
        .setWarningOnly(true);
    }
  }

  setDropdown(column: number, values: string[], list: string): void {
    const letter = columnLetter(column);
    this.sheet.getRange(`${letter}${2 + this.top}:${letter}`).setDataValidation(dropdownRule(values, list));
  }

  clearRowsFrom(gridRow: number): void {
    const row = gridRow + this.top;
    const last = this.sheet.getLastRow();
    const width = this.sheet.getLastColumn();
    if (last >= row && width > 0) {
      this.wrote();
      this.sheet.getRange(row, 1, last - row + 1, width).clearContent();
    }
  }

  deleteRows(row: number, count: number): void {
    if (count > 0) {
      this.wrote();
      this.rowsMoved();
      this.size = null;
      this.rowsOnly = null;
      this.insertedTo = null;
      this.sheet.deleteRows(row + this.top, count);
    }
  }

  /**
   * Warning-only, not editors-only: "Warning-based protection means that every user can edit data in
   * the area, except editing prompts a warning asking the user to confirm the edit" (Protection
   * reference). Removing editors would not stop the owner, and would stop the add-on itself for every
   * other rep (it runs as them: a script cannot edit what its user may not).
   */
  protectWithWarning(description: string): void {
    // "If the sheet is already protected, this method returns an object representing its existing
    // protection settings" (Sheet#protect): a colleague's protection there (editors-only, with their
    // description) is theirs to keep, not ours to turn into a warning. Ours is already in place.
    if (this.sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET).length > 0) return;
    this.sheet.protect().setWarningOnly(true).setDescription(description);
  }

  insertRowsBefore(row: number, count: number): void {
    if (count > 0) {
      this.wrote();
      this.rowsMoved();
      this.size = null;
      this.rowsOnly = null;
      this.insertedTo = null;
      this.sheet.insertRowsBefore(row + this.top, count);
    }
  }
}

/**
 * The active spreadsheet as a Workbook, for one entry-point call: what it has read (time zone, sheets
 * by name) is kept, since each read is a service call and none of it changes under
 * one execution except through this object. `spreadsheet`: the execution's handle, when the caller
 * holds one (src/addon/execution-state.ts: one getActiveSpreadsheet call an execution, not one a
 * workbook). `known`: sheets the caller has just looked up (by id, with their names as read), taken
 * as they are rather than looked up again by name.
 */
export function activeWorkbook(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet = SpreadsheetApp.getActiveSpreadsheet(),
  known?: ReadonlyMap<string, GoogleAppsScript.Spreadsheet.Sheet>,
): Workbook {
  let timeZone: string | null = null;
  const grids = new Map<string, SheetGrid | null>();
  for (const [name, sheet] of known ?? []) grids.set(name, new SheetGrid(sheet));
  let inserted: { name: string; sheet: GoogleAppsScript.Spreadsheet.Sheet } | null = null;
  /**
   * insertSheet makes the new sheet active. Hidden sheets go first, so a visible one made last is where
   * the rep is left; with none, the rep is put back where they were (the sheet this workbook inserted
   * last, if any). `mayExist`: a name taken already is looked up rather than failing the lot.
   */
  const makeSheets = (specs: Array<NewSheet & { name: string }>, mayExist: boolean) => {
    const order = [...specs].sort((a, b) => Number(Boolean(b.hidden)) - Number(Boolean(a.hidden)));
    const visible = specs.some((s) => !s.hidden);
    const active = visible ? null : (inserted?.sheet ?? spreadsheet.getActiveSheet());
    const made = new Map<string, { grid: Grid; created: boolean }>();
    const created: GoogleAppsScript.Spreadsheet.Sheet[] = [];
    const hide: GoogleAppsScript.Spreadsheet.Sheet[] = [];
    let foundVisible: GoogleAppsScript.Spreadsheet.Sheet | null = null;
    try {
      for (const spec of order) {
        let sheet: GoogleAppsScript.Spreadsheet.Sheet;
        try {
          // Where Sheets puts it (no index: counting the sheets would be one more call).
          sheet = spreadsheet.insertSheet(spec.name);
        } catch (e) {
          const existing = mayExist ? spreadsheet.getSheetByName(spec.name) : null;
          if (!existing) throw e;
          const grid = new SheetGrid(existing);
          grids.set(spec.name, grid);
          made.set(spec.name, { grid, created: false });
          if (!spec.hidden) foundVisible = existing;
          continue;
        }
        created.push(sheet);
        if (spec.hidden) hide.push(sheet);
        else inserted = { name: spec.name, sheet };
        const grid = new SheetGrid(sheet, true);
        grids.set(spec.name, grid);
        made.set(spec.name, { grid, created: true });
        if (spec.columns) grid.trimColumns(spec.columns);
      }
    } catch (e) {
      for (const sheet of created) spreadsheet.deleteSheet(sheet);
      for (const spec of specs) if (made.get(spec.name)?.created) grids.delete(spec.name);
      throw e;
    }
    for (const sheet of hide) sheet.hideSheet();
    // The visible sheet was there already: the last sheet made (hidden now) is not where to leave the rep.
    if (foundVisible && hide.length > 0) foundVisible.activate();
    else active?.activate();
    return specs.map((s) => made.get(s.name)!);
  };
  const workbook: Workbook = {
    timeZone: () => {
      timeZone ??= spreadsheet.getSpreadsheetTimeZone();
      return timeZone;
    },
    cellCount: (except = []) => {
      const sheets = spreadsheet.getSheets();
      const all = sheets.reduce((n, s) => n + s.getMaxRows() * s.getMaxColumns(), 0);
      // The excluded sheets are looked up by name (and kept) rather than naming every sheet.
      return except.reduce((n, name) => n - ((workbook.sheet(name) as SheetGrid | null)?.cells() ?? 0), all);
    },
    sheet: (name) => {
      if (!grids.has(name)) {
        const sheet = spreadsheet.getSheetByName(name);
        grids.set(name, sheet ? new SheetGrid(sheet) : null);
      }
      return grids.get(name)!;
    },
    createSheet: (name, options) => workbook.createSheets([{ name, ...options }])[0],
    createSheets: (specs) => makeSheets(specs, false).map((s) => s.grid),
    ensureSheets: (specs) => makeSheets(specs, true),
    sheetId: (name) => (workbook.sheet(name) as SheetGrid | null)?.sheetId ?? null,
    deleteSheet: (name) => {
      const sheet = spreadsheet.getSheetByName(name);
      if (sheet) spreadsheet.deleteSheet(sheet);
      grids.set(name, null);
      if (inserted?.name === name) inserted = null;
    },
  };
  return workbook;
}

/**
 * Whether a row below the header has a Name and no ID (a push creates its lead): two reads, made only
 * when something is protected, since a create also writes the values Close gives the new lead.
 */
function hasNewRows(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  managed: ManagedColumn[],
  headerRow: number,
): boolean {
  const id = managed.find((c) => c.key === LEAD_ID_KEY)?.column;
  const name = managed.find((c) => c.key === 'name')?.column;
  const rows = sheet.getLastRow() - headerRow;
  if (!id || !name || rows < 1) return false;
  const ids = sheet.getRange(headerRow + 1, id, rows, 1).getValues();
  const names = sheet.getRange(headerRow + 1, name, rows, 1).getValues();
  return names.some((n, i) => n[0] !== '' && ids[i][0] === '');
}

/**
 * What a rep did to a sheet that the add-on must know before it writes: the protections a colleague set
 * without them (not warning-only; "The spreadsheet owner is always able to edit protected ranges and
 * sheets", Protection#canEdit) and the merged cells (Range#getMergedRanges: "merged cells that either
 * are fully within the current range, or contain at least one cell in the current range"), with the
 * columns the add-on manages and its header row; null when there is neither (or no such sheet). Three
 * calls then when `workbook` has the sheet already, four otherwise (Range#canEdit: "whether the user has permission to edit every cell in the range"); the
 * protections and merges are described only when there are some. `withColumns` false: the bindings are
 * not read, nor the merges (the add-on's own sheets, whose merges refuse nothing): two calls.
 */
export function sheetHabits(
  sheetName: string,
  workbook: Workbook,
  withColumns = true,
): {
  locked: LockedArea[];
  merged: MergedArea[];
  managed: ManagedColumn[];
  headerRow: number;
  creates: boolean;
  /** The last column with content (0 when the bindings were not read): a pull adds new columns after it. */
  lastColumn: number;
  /** The last row with content (0 when there is no merge): a refresh adds its new rows after it. */
  lastRow: number;
} | null {
  // The job's own workbook (activeWorkbook): its spreadsheet and sheet handles are the ones the job then
  // writes through, so the check fetches neither again.
  const sheet = (workbook.sheet(sheetName) as SheetGrid | null)?.sheet ?? null;
  if (!sheet) return null;
  const content = sheet.getDataRange();
  const editable = content.canEdit();
  // The add-on's own sheets (`withColumns` false) are asked only what is locked: a merge there refuses
  // nothing, so it is not looked for (one call a sheet).
  const merges = withColumns ? content.getMergedRanges() : [];
  if (editable && merges.length === 0) return null;
  const locked: LockedArea[] = [];
  if (!editable) {
    const { SHEET, RANGE } = SpreadsheetApp.ProtectionType;
    // A warning-only protection lets the rep's writes through ("every user can edit data in the area,
    // except editing prompts a warning", Protection#setWarningOnly), whatever canEdit() answers for it:
    // the reference does not say, so isWarningOnly() is asked first (the add-on's own sheets are
    // protected so, and a rep not among a colleague's listed editors may be told false).
    const open = (p: GoogleAppsScript.Spreadsheet.Protection) => p.isWarningOnly() || p.canEdit();
    for (const p of sheet.getProtections(SHEET)) {
      if (!open(p))
        locked.push({ a1: sheetName, description: p.getDescription(), rows: null, columns: null });
    }
    for (const p of sheet.getProtections(RANGE)) {
      if (open(p)) continue;
      const r = p.getRange();
      locked.push({
        a1: r.getA1Notation(),
        description: p.getDescription(),
        rows: [r.getRow(), r.getLastRow()],
        columns: [r.getColumn(), r.getLastColumn()],
      });
    }
  }
  const merged = merges.map((r) => ({
    a1: r.getA1Notation(),
    rows: [r.getRow(), r.getLastRow()] as [number, number],
    columns: [r.getColumn(), r.getLastColumn()] as [number, number],
  }));
  if (!withColumns)
    return { locked, merged, managed: [], headerRow: 1, creates: false, lastColumn: 0, lastRow: 0 };
  const { headerRow, bindings } = readBindings(new SheetGrid(sheet));
  const width = sheet.getLastColumn();
  const headers = width > 0 ? sheet.getRange(headerRow, 1, 1, width).getDisplayValues()[0] : [];
  const managed = bindings.map((b) => ({ ...b, header: headers[b.column - 1] || columnLetter(b.column) }));
  return {
    locked,
    merged,
    managed,
    headerRow,
    creates: locked.length > 0 && hasNewRows(sheet, managed, headerRow),
    lastColumn: width,
    // Asked only when a merge is there (mergedCellsMessage's rows rule): the data range ends at it.
    lastRow: merged.length > 0 ? content.getLastRow() : 0,
  };
}
