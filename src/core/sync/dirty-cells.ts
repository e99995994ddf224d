// The cells a pull step changed, and the blocks that write them. A cell whose value did not change is
// not written; a run of changed cells is written in one call. Sheets writes one rectangle per call
// (Range.setValues), so changed cells scattered over a big sheet cost a call each unless blocks span
// the unchanged cells between them: a block grows over unchanged cells only while that costs fewer
// cells than a call is worth (CELLS_PER_CALL), and the unchanged cells it rewrites hold exactly what
// this step read from them — so when only some columns were read (an incremental refresh), a block
// spans only cells of those columns, of rows the step added, or of the spans read to join changed cells
// of a column that was not read (bridgeSpans: chosen by the shared per-call and per-cell costs). Cells
// the rep put formulas in are then left out of the blocks (formula-cells.ts).
import type { SheetCost } from '../sheet-cost';

/**
 * A service call is worth this many cells: published measurements of Apps Script put a Spreadsheet
 * call at 80–275 ms and a cell at about 31 µs on a plain sheet, "several times more on a formatted one"
 * (the figures issue 15 cites). A lead sheet is formatted (number formats, dropdowns, shading): at
 * about 150 µs a cell, the cheapest call (80 ms) is worth about 500 cells.
 */
export const CELLS_PER_CALL = 500;

/** Rows (0-based data-row indexes) × columns (1-based) of one write. */
export interface CellBlock {
  firstRow: number;
  lastRow: number;
  firstColumn: number;
  lastColumn: number;
}

/** What a step read of its existing rows, when not every column (see Layout.loaded). */
export interface ReadCells {
  /** Columns (1-based) read whole. */
  loaded: Set<number>;
  /** Rows (0-based, first to last) read of columns not read whole, to be rewritten as one block each. */
  spans?: Map<number, Array<[number, number]>>;
  /** Rows (0-based) the sheet had: the rows from here down were added by the step, every cell known. */
  existingRows: number;
}

const area = (b: CellBlock) => (b.lastRow - b.firstRow + 1) * (b.lastColumn - b.firstColumn + 1);

/** One row's changed columns: a flag per column (1-based), and the first and last of them. */
interface RowMarks {
  columns: Uint8Array;
  first: number;
  last: number;
}

export class DirtyCells {
  /**
   * Row index → its changed columns. A flag array rather than a Set: a pull marks every cell of every
   * new row, half a million marks for 10,000 leads.
   */
  private readonly rows = new Map<number, RowMarks>();
  private cells = 0;
  /** Characters of the values marked with their value (see mark), for the step's write estimate. */
  private chars = 0;

  /** Marks a changed cell; with its value, its size counts towards the step's write estimate. */
  mark(row: number, column: number, value?: unknown): void {
    let marks = this.rows.get(row);
    if (!marks) {
      marks = { columns: new Uint8Array(Math.max(64, column + 1)), first: column, last: column };
      this.rows.set(row, marks);
    } else if (column >= marks.columns.length) {
      const grown = new Uint8Array(Math.max(column + 1, marks.columns.length * 2));
      grown.set(marks.columns);
      marks.columns = grown;
    }
    if (marks.columns[column] === 1) return;
    marks.columns[column] = 1;
    this.cells++;
    if (value !== undefined) this.chars += typeof value === 'string' ? value.length : 8;
    if (column < marks.first) marks.first = column;
    if (column > marks.last) marks.last = column;
  }

  /** Takes a cell off (written some other way); its characters stay counted in the estimate. */
  unmark(row: number, column: number): void {
    const marks = this.rows.get(row);
    if (marks?.columns[column] !== 1) return;
    marks.columns[column] = 0;
    this.cells--;
    if (!marks.columns.includes(1)) this.rows.delete(row);
  }

  /** Whether a cell is marked changed. */
  has(row: number, column: number): boolean {
    return this.rows.get(row)?.columns[column] === 1;
  }

  /** The rows (0-based, ascending) with a changed cell in this column (1-based). */
  rowsIn(column: number): number[] {
    const out: number[] = [];
    for (const [row, { columns }] of this.rows) if (columns[column] === 1) out.push(row);
    return out.sort((a, b) => a - b);
  }

  markAll(row: number, columns: number[]): void {
    for (const c of columns) this.mark(row, c);
  }

  /** Rows with a changed cell. */
  get rowCount(): number {
    return this.rows.size;
  }

  /** Changed cells. */
  get cellCount(): number {
    return this.cells;
  }

  /** Characters of the changed cells marked with their values (a Date or number counted as 8). */
  get charCount(): number {
    return this.chars;
  }

  /**
   * The blocks to write, top to bottom: of two plans, the one that costs less (cells written, plus a
   * call's worth per block). By rows: each row's changed cells from its first to its last, consecutive
   * rows merged over the unchanged cells between them while that costs less than a call — right for new
   * rows and for leads with many changed fields. By columns: each column's changed cells merged down the
   * column the same way, neighbouring columns of the same rows side by side — right when the same few
   * fields changed in leads scattered over the sheet (one call a column instead of one a lead).
   */
  blocks(cellsPerCall = CELLS_PER_CALL, read?: ReadCells): CellBlock[] {
    // Rows merged by the row plan would span columns that were not read: only the column plan then.
    if (read) return this.byColumns(cellsPerCall, read);
    const cost = (plan: CellBlock[]) => plan.reduce((n, b) => n + area(b) + cellsPerCall, 0);
    const byRows = this.byRows(cellsPerCall);
    // No plan writes fewer cells than those changed in fewer than one call: a plan that does (a pull's
    // new rows, one rectangle) cannot be beaten, and the other is not worked out.
    if (cost(byRows) <= this.cells + cellsPerCall) return byRows;
    const byColumns = this.byColumns(cellsPerCall);
    return cost(byColumns) < cost(byRows) ? byColumns : byRows;
  }

  private byRows(cellsPerCall: number): CellBlock[] {
    const rows = [...this.rows.keys()].sort((a, b) => a - b);
    const blocks: CellBlock[] = [];
    let block: CellBlock | null = null;
    for (const row of rows) {
      const { first, last } = this.rows.get(row)!;
      const span: CellBlock = { firstRow: row, lastRow: row, firstColumn: first, lastColumn: last };
      if (block) {
        const merged: CellBlock = {
          firstRow: block.firstRow,
          lastRow: row,
          firstColumn: Math.min(block.firstColumn, span.firstColumn),
          lastColumn: Math.max(block.lastColumn, span.lastColumn),
        };
        if (area(merged) <= area(block) + area(span) + cellsPerCall) {
          block = merged;
          continue;
        }
        blocks.push(block);
      }
      block = span;
    }
    if (block) blocks.push(block);
    return blocks;
  }

  private byColumns(cellsPerCall: number, read?: ReadCells): CellBlock[] {
    const rowsOf = new Map<number, number[]>();
    for (const [row, { columns, first, last }] of this.rows)
      for (let c = first; c <= last; c++) {
        if (columns[c] !== 1) continue;
        const list = rowsOf.get(c) ?? [];
        list.push(row);
        rowsOf.set(c, list);
      }
    const runs: CellBlock[] = [];
    for (const column of [...rowsOf.keys()].sort((a, b) => a - b)) {
      const rows = rowsOf.get(column)!.sort((a, b) => a - b);
      let first = rows[0];
      let last = rows[0];
      const spans = read?.spans?.get(column) ?? [];
      for (const row of rows.slice(1)) {
        // A run of existing rows stops before the rows the step added: those are written as one block
        // across all their columns (side by side, below), which a column's run reaching into them would
        // cut into pieces (a call each).
        if (read && last < read.existingRows && row >= read.existingRows) {
          runs.push({ firstRow: first, lastRow: last, firstColumn: column, lastColumn: column });
          first = row;
          last = row;
          continue;
        }
        // The unchanged cells between (one column wide) cost less than another call, and were read.
        const known = !read || read.loaded.has(column) || last + 1 >= read.existingRows;
        // …or they were read to be rewritten: bridgeSpans weighed that already.
        const spanned = spans.some(([from, to]) => from <= last && row <= to);
        if (spanned || (known && row - last - 1 <= cellsPerCall)) last = row;
        else {
          runs.push({ firstRow: first, lastRow: last, firstColumn: column, lastColumn: column });
          first = row;
          last = row;
        }
      }
      runs.push({ firstRow: first, lastRow: last, firstColumn: column, lastColumn: column });
    }
    // Side by side: a run joins the block of the column before it when they cover the same rows.
    const blocks: CellBlock[] = [];
    for (const run of runs) {
      const left = blocks.find(
        (b) =>
          b.lastColumn === run.firstColumn - 1 && b.firstRow === run.firstRow && b.lastRow === run.lastRow,
      );
      if (left) left.lastColumn = run.lastColumn;
      else blocks.push(run);
    }
    return blocks.sort((a, b) => a.firstRow - b.firstRow || a.firstColumn - b.firstColumn);
  }
}

/**
 * How to write changed cells scattered down a column that was not read (0-based rows, ascending): the
 * spans to read and rewrite whole, each from one changed cell to another. Sheets writes one rectangle
 * per call and has no write of many ranges (a RangeList sets one value for all of them), so k scattered
 * cells cost k writes (a getRange and a setValues each) — or one read and one write of the span between
 * them, which rewrites every cell in between exactly as just read (its formulas read too, and left
 * out of the write: formula-cells.ts). By the shared figures (sheet-cost.ts):
 * neighbouring cells join while the rows between cost less to read and rewrite than a write of their
 * own; a group is then read and rewritten as one span when that costs less than writing its cells one
 * by one (a read more, so from about three cells). Cells in no span are written alone.
 */
export function bridgeSpans(rows: number[], cost: SheetCost): Array<[number, number]> {
  // Every write of existing cells first reads their formulas (formula-cells.ts: a getRange and a
  // getFormulas), then a setValues through the same Range (the grid keeps a Range from its read on); a
  // span also reads its values first (one getValues more: the Range is the span's), and each of its
  // rows is read twice (values, formulas) and written once.
  const write = 3 * cost.callMs;
  const valuesRead = cost.callMs;
  const perRow = (2 * cost.cellReadUs + cost.cellWriteUs) / 1000;
  const spans: Array<[number, number]> = [];
  let first = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && (rows[i] - rows[i - 1] - 1) * perRow < write) continue;
    const cells = i - first;
    const rowsSpanned = rows[i - 1] - rows[first] + 1;
    if (cells > 1 && write + valuesRead + rowsSpanned * perRow < cells * write)
      spans.push([rows[first], rows[i - 1]]);
    first = i;
  }
  return spans;
}
