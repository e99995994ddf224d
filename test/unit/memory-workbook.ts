// The Workbook and Grid ports (src/core/ports.ts) kept in memory, for unit tests of the pull that need
// neither the bundle nor the Apps Script fakes. It stores exactly what the core writes (no coercion,
// unlike Sheets: these tests pin what the core sends) and logs every call that changes a sheet, so a
// test can assert the exact cells each write carried.
import type { CellValue, ColumnSetup, Grid, NewSheet, Workbook } from '../../src/core/ports';

/** A call that changed a sheet: `write` carries its cells; the others what they were asked. */
export type GridCall =
  | { sheet: string; op: 'write'; row: number; column: number; values: CellValue[][] }
  | { sheet: string; op: 'notes'; notes: Array<{ column: number; note: string }> }
  | { sheet: string; op: 'setUp'; columns: number[] }
  | { sheet: string; op: 'format'; columns: number[]; format: string }
  | { sheet: string; op: 'dropdown'; column: number; list: string }
  | { sheet: string; op: 'extendFormats'; fromRow: number }
  | { sheet: string; op: 'grow'; rows: number; columns: number };

/** A new sheet's size in Sheets. */
const NEW_SHEET = { rows: 1000, columns: 26 };

export class MemoryGrid implements Grid {
  /** Sheet rows from row 1 (title rows above the header included). */
  cells: CellValue[][] = [];
  notes: string[][] = [];
  formats = new Map<number, string>();
  size: { rows: number; columns: number };
  /** Created hidden (the add-on's own sheets: the rep should not see them). */
  hidden = false;
  private top = 0;

  constructor(
    readonly name: string,
    private readonly log: GridCall[],
    columns = NEW_SHEET.columns,
  ) {
    this.size = { rows: NEW_SHEET.rows, columns };
  }

  /** Row `i` (0-based) of a table, made when missing. */
  private row<T>(table: T[][], i: number): T[] {
    if (!table[i]) table[i] = [];
    return table[i];
  }

  private rawLastRow(): number {
    for (let r = this.cells.length; r > 0; r--) if (this.cells[r - 1]?.some((v) => v !== '')) return r;
    return 0;
  }

  lastRow(): number {
    return Math.max(0, this.rawLastRow() - this.top);
  }

  lastColumn(): number {
    let last = 0;
    for (const row of this.cells) for (let c = row.length; c > last; c--) if (row[c - 1] !== '') last = c;
    return last;
  }

  forgetExtent(): void {}

  read(row: number, column: number, numRows: number, numColumns: number): CellValue[][] {
    if (numRows < 1 || numColumns < 1) return [];
    return Array.from({ length: numRows }, (_, r) =>
      Array.from(
        { length: numColumns },
        (_, c) => this.cells[row + this.top + r - 1]?.[column + c - 1] ?? '',
      ),
    );
  }

  /** Formulas by sheet cell ("row:column", 1-based from row 1): set by a test; a write replaces them. */
  formulaAt = new Map<string, string>();

  formulas(row: number, column: number, numRows: number, numColumns: number): string[][] {
    if (numRows < 1 || numColumns < 1) return [];
    return Array.from({ length: numRows }, (_, r) =>
      Array.from(
        { length: numColumns },
        (_, c) => this.formulaAt.get(`${row + this.top + r}:${column + c}`) ?? '',
      ),
    );
  }

  write(row: number, column: number, values: CellValue[][]): void {
    if (values.length === 0 || values[0].length === 0) return;
    const at = row + this.top;
    if (at + values.length - 1 > this.size.rows || column + values[0].length - 1 > this.size.columns)
      throw new Error(`write past the sheet's size (${this.size.rows}×${this.size.columns})`);
    this.log.push({ sheet: this.name, op: 'write', row, column, values: values.map((r) => [...r]) });
    values.forEach((cells, r) => {
      const line = this.row(this.cells, at + r - 1);
      cells.forEach((v, c) => {
        while (line.length < column + c - 1) line.push('');
        line[column + c - 1] = v;
        this.formulaAt.delete(`${at + r}:${column + c}`);
      });
    });
    for (let r = 0; r < this.cells.length; r++) this.cells[r] ??= [];
  }

  ensureSize(rows: number, columns: number): number {
    const wanted = rows + this.top;
    const grewFrom = wanted > this.size.rows ? this.size.rows + 1 - this.top : 0;
    if (wanted > this.size.rows || columns > this.size.columns) {
      this.size = { rows: Math.max(wanted, this.size.rows), columns: Math.max(columns, this.size.columns) };
      this.log.push({ sheet: this.name, op: 'grow', ...this.size });
    }
    return grewFrom;
  }

  formatColumns(columns: number[], format: string): void {
    for (const c of columns) this.formats.set(c, format);
    this.log.push({ sheet: this.name, op: 'format', columns: [...columns], format });
  }

  clearRowsFrom(row: number): void {
    this.cells.length = Math.min(this.cells.length, row + this.top - 1);
  }

  deleteRows(row: number, count: number): void {
    this.cells.splice(row + this.top - 1, count);
  }

  insertRowsBefore(row: number, count: number): void {
    const at = row + this.top - 1;
    this.cells.splice(at, 0, ...Array.from({ length: count }, () => []));
    if (this.notes.length > at) this.notes.splice(at, 0, ...Array.from({ length: count }, () => []));
  }

  topNotes(rows: number): string[][] {
    const width = this.lastColumn();
    const depth = Math.min(rows, this.rawLastRow());
    if (width === 0 || depth < 1) return [];
    return Array.from({ length: depth }, (_, r) =>
      Array.from({ length: width }, (_, c) => this.notes[r]?.[c] ?? ''),
    );
  }

  setHeaderRow(row: number): void {
    this.top = row - 1;
  }

  writeHeaderNotes(notes: Array<{ column: number; note: string }>): void {
    this.log.push({ sheet: this.name, op: 'notes', notes: [...notes] });
    const line = this.row(this.notes, this.top);
    for (const { column, note } of notes) line[column - 1] = note;
  }

  extendFormats(fromRow: number): void {
    this.log.push({ sheet: this.name, op: 'extendFormats', fromRow });
  }

  styleColumns(): void {}

  setUpColumns(columns: ColumnSetup[], options: { headersWrittenLater?: boolean } = {}): void {
    if (columns.length === 0) return;
    this.log.push({ sheet: this.name, op: 'setUp', columns: columns.map((c) => c.column) });
    this.writeHeaderNotes(columns.map(({ column, note }) => ({ column, note })));
    this.log.pop();
    for (const c of columns) this.formats.set(c.column, c.format);
    if (!options.headersWrittenLater) {
      const line = this.row(this.cells, this.top);
      for (const c of columns) {
        while (line.length < c.column - 1) line.push('');
        line[c.column - 1] = c.header;
      }
    }
  }

  setDropdown(column: number, _values: string[], list: string): void {
    this.log.push({ sheet: this.name, op: 'dropdown', column, list });
  }

  /** The sheet as the rep sees it, header row first (title rows left out), rows padded to the width. */
  dump(): CellValue[][] {
    const width = this.lastColumn();
    return this.cells
      .slice(this.top, this.rawLastRow())
      .map((r) => Array.from({ length: width }, (_, c) => r[c] ?? ''));
  }
}

export interface MemoryWorkbook extends Workbook {
  sheets: Map<string, MemoryGrid>;
  /** Every call that changed a sheet, in order. */
  calls: GridCall[];
  grid(name: string): MemoryGrid;
}

export function memoryWorkbook(timeZone = 'America/New_York'): MemoryWorkbook {
  const sheets = new Map<string, MemoryGrid>();
  const calls: GridCall[] = [];
  const create = (spec: NewSheet & { name: string }) => {
    if (sheets.has(spec.name)) throw new Error(`A sheet named "${spec.name}" exists already.`);
    const grid = new MemoryGrid(spec.name, calls, spec.columns);
    grid.hidden = spec.hidden === true;
    sheets.set(spec.name, grid);
    return grid;
  };
  return {
    sheets,
    calls,
    grid: (name) => {
      const grid = sheets.get(name);
      if (!grid) throw new Error(`no sheet "${name}"`);
      return grid;
    },
    timeZone: () => timeZone,
    cellCount: (except = []) =>
      [...sheets.values()]
        .filter((g) => !except.includes(g.name))
        .reduce((n, g) => n + g.size.rows * g.size.columns, 0),
    sheet: (name) => sheets.get(name) ?? null,
    createSheet: (name, options) => create({ name, ...options }),
    createSheets: (specs) => specs.map(create),
    ensureSheets: (specs) =>
      specs.map((s) => {
        const existing = sheets.get(s.name);
        return existing ? { grid: existing, created: false } : { grid: create(s), created: true };
      }),
    deleteSheet: (name) => {
      sheets.delete(name);
    },
  };
}
