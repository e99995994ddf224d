// A key/value Store kept in a hidden sheet of the spreadsheet ("Close Sync state"), for state that grows
// with the organization: what each pull saw of every column (header, type, dropdown, position) and the
// fields a sheet pulls. Document properties hold 500 KB for the whole spreadsheet and 9 KB a value
// (apps-script.md, "Properties"); a big organization's columns across a few sheets reach that, and then
// every pull fails. A sheet holds 50,000 characters a cell and 10 million cells a spreadsheet, so the
// only limit left is the spreadsheet's own (and the pull's fit check counts this sheet's cells too).
//
// One row per key: [key, value, continuation…], the value cut into cells of 45,000 characters. Row 1 is
// a header. Every cell is plain text before anything lands (Sheets parses what is written like typing:
// a continuation may start with "=" or look like a number). A store reads the sheet once, on first use
// (one store per execution: src/addon/execution-state.ts).
import type { CellGrid, CellValue, Store, Workbook } from './ports';
import { StoreFullError } from './ports';

export const STATE_SHEET = 'Close Sync state';
const CELL_CHARS = 45_000;
/** "10 million cells per spreadsheet … 50,000 characters per cell" (apps-script.md, Sheets limits). */
const MAX_SPREADSHEET_CELLS = 10_000_000;
/** The rows a new sheet has. */
const NEW_SHEET_ROWS = 1000;
export const STATE_HEADER: CellValue[] = [
  'Key',
  'Value (Close Sync keeps its settings here: editing them makes it forget what your sheets pull)',
];
const HEADER = STATE_HEADER;
/**
 * The sheet is hidden, and also protected with a warning: a rep who unhides it and types in it (or
 * clears it) is asked to confirm first. Not editors-only: the add-on runs as each rep, and a script may
 * not edit what its user may not, so that would stop every rep but the one who pulled first (and never
 * the owner). A sheet made by an earlier version, with the earlier header, is protected on its next write.
 */
export const STATE_PROTECTION =
  "Close Sync keeps its settings here (what each sheet pulls and the columns it saw). Editing or deleting them makes Close Sync forget your sheets' pulls.";

export class SheetStore implements Store {
  private rowOf: Map<string, number> | null = null;
  private readonly values = new Map<string, string>();
  /** Cells each row uses, so a shorter value clears what a longer one left. */
  private readonly widthOf = new Map<string, number>();
  private lastRow = 1;
  /** The header row is this version's (and so the sheet protected): false on a sheet made before. */
  private headerOk = true;

  constructor(private readonly workbook: Workbook) {}

  private grid: CellGrid | null = null;

  private load(): CellGrid | null {
    if (this.rowOf) return this.grid;
    return this.read(this.workbook.sheet(STATE_SHEET));
  }

  private read(grid: CellGrid | null): CellGrid | null {
    this.rowOf = new Map();
    this.grid = grid;
    if (!grid) return null;
    // The header row comes in the same call: it tells a sheet made (and not protected) before. The
    // whole content in one read where the grid can (readAll: two Sheets calls fewer than asking the
    // extent first).
    const table = grid.readAll?.() ?? readExtent(grid);
    const rows = table.length;
    const [header, ...data] = table;
    this.headerOk = String(header?.[1] ?? '') === HEADER[1];
    data.forEach((r, i) => {
      const key = String(r[0] ?? '');
      if (!key) return;
      const cells = r.slice(1).map((c) => String(c ?? ''));
      while (cells.length > 1 && cells[cells.length - 1] === '') cells.pop();
      this.rowOf!.set(key, i + 2);
      this.values.set(key, cells.join(''));
      this.widthOf.set(key, 1 + cells.length);
    });
    this.lastRow = Math.max(1, rows);
    return grid;
  }

  get(key: string): string | null {
    this.load();
    return this.values.get(key) ?? null;
  }

  set(key: string, value: string): void {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i += CELL_CHARS) parts.push(value.slice(i, i + CELL_CHARS));
    if (parts.length === 0) parts.push('');
    // A first save (a first pull) makes the sheet without looking it up first, as a pull makes its own.
    let created = false;
    if (!this.rowOf) {
      const [made] = this.workbook.ensureSheets([{ name: STATE_SHEET, hidden: true }]);
      created = made.created;
      if (created) {
        this.rowOf = new Map();
        this.grid = made.grid;
      } else this.read(made.grid);
    }
    let grid = this.grid;
    const row = this.rowOf!.get(key) ?? this.lastRow + 1;
    const cells: CellValue[] = [key, ...parts];
    const width = Math.max(cells.length, this.widthOf.get(key) ?? 0, HEADER.length);
    while (cells.length < width) cells.push('');
    const columns = Array.from({ length: width }, (_, i) => i + 1);
    try {
      if (!grid || created) {
        // A new sheet: plain text first, then the header and the row in one write.
        grid ??= this.workbook.createSheet(STATE_SHEET, { hidden: true });
        this.grid = grid;
        grid.formatColumns(columns, '@');
        grid.write(1, 1, [[...HEADER, ...new Array<CellValue>(width - HEADER.length).fill('')], cells]);
        grid.protectWithWarning?.(STATE_PROTECTION);
      } else {
        grid.ensureSize(row, width);
        // A key's row rewritten no wider than it was is plain text already: every set formats the
        // columns it writes down the whole sheet, and this row was there then (a new or wider row, which
        // may lie in rows the sheet grew by since, is formatted again). Two calls saved a save.
        if (!(this.rowOf!.has(key) && width <= (this.widthOf.get(key) ?? 0)))
          grid.formatColumns(columns, '@');
        if (!this.headerOk) {
          grid.write(1, 1, [HEADER]);
          grid.protectWithWarning?.(STATE_PROTECTION);
        }
        grid.write(row, 1, [cells]);
      }
      this.headerOk = true;
    } catch (e) {
      // Sheets refuses to grow a spreadsheet past 10 million cells: the caller says what to do.
      if (this.workbook.cellCount() + width * NEW_SHEET_ROWS > MAX_SPREADSHEET_CELLS)
        throw new StoreFullError(key);
      throw e;
    }
    this.rowOf!.set(key, row);
    this.lastRow = Math.max(this.lastRow, row);
    this.values.set(key, value);
    this.widthOf.set(key, 1 + parts.length);
  }

  delete(key: string): void {
    const grid = this.load();
    const row = this.rowOf!.get(key);
    if (!grid || row === undefined) return;
    grid.write(row, 1, [new Array<CellValue>(this.widthOf.get(key) ?? 2).fill('')]);
    this.rowOf!.delete(key);
    this.values.delete(key);
    this.widthOf.delete(key);
  }
}

/** The content of a grid without readAll: its extent, then one read. */
function readExtent(grid: CellGrid): CellValue[][] {
  const rows = grid.lastRow();
  const width = grid.lastColumn();
  return rows > 0 && width > 0 ? grid.read(1, 1, rows, width) : [];
}
