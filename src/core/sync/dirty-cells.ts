// The cells a pull step changed, and the blocks that write them. A cell whose value did not change is
// not written; a run of changed cells is written in one call. Sheets writes one rectangle per call
// (Range.setValues), so changed cells scattered over a big sheet cost a call each unless blocks span
// the unchanged cells between them: a block grows over unchanged cells only while that costs fewer
// cells than a call is worth (CELLS_PER_CALL), and the unchanged cells it rewrites hold exactly what
// this step read from them.

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

export class DirtyCells {
  /** Row index → its changed columns (1-based). */
  private readonly rows = new Map<number, Set<number>>();

  mark(row: number, column: number): void {
    let columns = this.rows.get(row);
    if (!columns) {
      columns = new Set();
      this.rows.set(row, columns);
    }
    columns.add(column);
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
    let n = 0;
    for (const columns of this.rows.values()) n += columns.size;
    return n;
  }

  /**
   * The blocks to write, top to bottom: each row's changed cells from its first to its last, then
   * consecutive rows' spans merged into one block (over the unchanged cells between them) while the
   * merged block costs fewer cells than the separate ones plus a call.
   */
  blocks(cellsPerCall = CELLS_PER_CALL): CellBlock[] {
    const rows = [...this.rows.keys()].sort((a, b) => a - b);
    const blocks: CellBlock[] = [];
    let block: CellBlock | null = null;
    const area = (b: CellBlock) => (b.lastRow - b.firstRow + 1) * (b.lastColumn - b.firstColumn + 1);
    for (const row of rows) {
      const columns = [...this.rows.get(row)!];
      const span: CellBlock = {
        firstRow: row,
        lastRow: row,
        firstColumn: Math.min(...columns),
        lastColumn: Math.max(...columns),
      };
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
}
