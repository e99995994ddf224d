// The rep's formulas among the cells a pull step is about to write. A step reads cells with getValues,
// which gives a formula cell's computed value: written back, that value would replace the formula. So
// before writing, the step asks for the formulas of exactly the existing cells its writes cover
// (CellGrid.formulas, one read per block), and:
// - a cell the step has nothing new for (between changed cells, rewritten only to join them into one
//   write) is left out of the write, which is split around it (write-managed-columns.ts);
// - a cell of a Close field the step would change keeps the rep's formula, like an unpushed edit: the
//   snapshot keeps the record the cell showed (so a push does not send the formula's value back over
//   Close's change), Sync status and the summary say so, and only a pull with "discard edits" replaces
//   it with Close's value;
// - Sync status is the add-on's own column: a status the step writes replaces whatever is there.
// New rows and columns (added by the step) hold nothing yet, and are never read.
import { SYNC_STATUS_KEY } from '../schema/columns';
import type { CellBlock } from './dirty-cells';
import type { Placing } from './place-leads';
import { stepBlocks } from './pull-write';
import { contiguousRuns, wouldBecomeFormula } from './write-managed-columns';

/** Cells (0-based data rows, 1-based columns) holding formulas. */
export class FormulaCells {
  private readonly at = new Map<number, Set<number>>();

  add(row: number, column: number): void {
    const columns = this.at.get(row) ?? new Set<number>();
    columns.add(column);
    this.at.set(row, columns);
  }

  delete(row: number, column: number): void {
    const columns = this.at.get(row);
    columns?.delete(column);
    if (columns?.size === 0) this.at.delete(row);
  }

  has(row: number, column: number): boolean {
    return this.at.get(row)?.has(column) === true;
  }

  /** Every cell, row by row. */
  *cells(): IterableIterator<[number, number]> {
    for (const [row, columns] of this.at) for (const column of columns) yield [row, column];
  }

  get size(): number {
    let n = 0;
    for (const columns of this.at.values()) n += columns.size;
    return n;
  }
}

/** A record of the last pull that placing replaced, by cell (`row:column`, see Placing.replaced). */
export interface ReplacedRecord {
  id: string;
  key: string;
  value: unknown;
}

export const cellKey = (row: number, column: number) => `${row}:${column}`;

const inside = (b: CellBlock, outer: CellBlock) =>
  b.firstRow >= outer.firstRow &&
  b.lastRow <= outer.lastRow &&
  b.firstColumn >= outer.firstColumn &&
  b.lastColumn <= outer.lastColumn;

/**
 * Finds the formulas in the existing cells the step's writes cover and applies the rules above. Returns
 * the cells the writes must leave alone. Two rounds at most: keeping a formula writes its row's Sync
 * status, which may widen a block over cells not read yet.
 */
export function keepFormulas(p: Placing): FormulaCells {
  const { layout, dirty, ctx, job } = p;
  const found = new FormulaCells();
  if (layout.existingRows === 0) return found;
  // Columns this step adds hold nothing yet (and may lie past the sheet's edge until it is grown).
  const added = new Set(layout.addedColumns);
  const managed = ctx.columns.map((c) => layout.columnOf.get(c.key)!).filter((c) => !added.has(c));
  const statusColumn = layout.columnOf.get(SYNC_STATUS_KEY);
  const read: CellBlock[] = [];
  const scan = () => {
    for (const block of stepBlocks(layout, dirty)) {
      if (block.firstRow >= layout.existingRows) continue;
      const part = { ...block, lastRow: Math.min(block.lastRow, layout.existingRows - 1) };
      if (read.some((r) => inside(part, r))) continue;
      read.push(part);
      const columns = managed.filter((c) => c >= part.firstColumn && c <= part.lastColumn);
      for (const [from, to] of contiguousRuns(columns)) {
        const formulas = layout.grid.formulas(
          part.firstRow + 2,
          from,
          part.lastRow - part.firstRow + 1,
          to - from + 1,
        );
        formulas.forEach((line, r) => {
          const row = part.firstRow + r;
          line.forEach((f, c) => {
            const column = from + c;
            // Text that starts with `=` (typed with an apostrophe, in a cell not formatted as plain
            // text) would become a formula if written back: a cell the step only rewrites is left alone.
            const value = layout.rows[row][column - 1];
            // (The cheap test first: a span of 50,000 cells is scanned.)
            if (f !== '' || (wouldBecomeFormula(value) && !dirty.has(row, column))) found.add(row, column);
          });
        });
      }
    }
  };
  scan();
  const keptIn = new Map<number, number[]>();
  for (const [row, column] of [...found.cells()]) {
    if (!dirty.has(row, column)) continue;
    // The add-on's status, or Close's value when the rep asked to discard edits: written over the formula.
    if (column === statusColumn || job.discardEdits) {
      found.delete(row, column);
      continue;
    }
    keptIn.set(row, [...(keptIn.get(row) ?? []), column]);
    const record = p.replaced?.get(cellKey(row, column));
    if (record) p.snapshot.setField(record.id, record.key, record.value);
  }
  if (keptIn.size === 0) return found;
  const headerAt = new Map(ctx.columns.map((c) => [layout.columnOf.get(c.key)!, c.header]));
  for (const [row, columns] of keptIn) {
    job.keptFormulas = (job.keptFormulas ?? 0) + columns.length;
    if (statusColumn === undefined) continue;
    const headers = columns.sort((a, b) => a - b).map((c) => headerAt.get(c));
    const note = `kept your formula${columns.length > 1 ? 's' : ''} in ${headers.join(', ')} (Close changed ${columns.length > 1 ? 'them' : 'it'}: pull with "discard edits" to take Close's value)`;
    // This step's own status for the row (kept edits) goes first; one stamp ends the cell.
    const mine = dirty.has(row, statusColumn) ? String(layout.rows[row][statusColumn - 1]) : '';
    const before = mine.includes(' · ') ? `${mine.slice(0, mine.lastIndexOf(' · '))}; ` : '';
    const text = `${before}${note} · ${p.stamp()}`;
    layout.rows[row][statusColumn - 1] = text;
    dirty.mark(row, statusColumn, text);
    found.delete(row, statusColumn);
  }
  scan();
  for (const [row, column] of [...found.cells()])
    if (column === statusColumn && dirty.has(row, column)) found.delete(row, column);
  return found;
}
