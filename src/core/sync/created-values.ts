// The values Close gave a lead it created that the rep left empty in its row (its status: Close puts a
// new lead in the org's first status; its dates). The snapshot records the lead as Close returned it, so
// an empty cell left beside it would read as the rep clearing the field: every later push would call
// the row invalid ("Status cannot be empty") and every pull would keep the empty cell as an unpushed
// edit. So those cells are filled in with Close's values, as a pull would show them.
//
// Only cells that are empty now (read again just before writing, formulas too: a formula may compute
// '') are written; a cell the rep typed in, even while the push ran, keeps what it holds. A value that
// starts with `=` is not written (in a cell not formatted as plain text it would become a formula): the
// next pull writes it the way it writes every value.
import type { Lead } from '../close/types';
import type { CellGrid, CellValue } from '../ports';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import type { SyncContext } from './context';
import { wouldBecomeFormula, writeColumns } from './write-managed-columns';

/** A created lead and the 0-based data row that holds it now (found by its new Lead ID's placing; checked again when read). */
export interface CreatedRow {
  index: number;
  lead: Lead;
}

/**
 * Reads the created rows' managed cells (values and formulas: two reads over the rows' span) and writes
 * Close's values into the empty ones, in the fewest rectangles around the others. Returns the number of
 * cells written.
 */
export function fillCreatedValues(
  grid: Pick<CellGrid, 'read' | 'formulas' | 'write'>,
  columnOf: Map<string, number>,
  ctx: SyncContext,
  created: CreatedRow[],
): number {
  const bound = ctx.columns
    .filter((c) => c.key !== LEAD_ID_KEY && c.key !== SYNC_STATUS_KEY && columnOf.has(c.key))
    .map((c) => ({ column: c, at: columnOf.get(c.key)!, codec: ctx.byKey.get(c.key)?.codec }));
  if (created.length === 0 || bound.length === 0) return 0;
  const first = Math.min(...created.map((c) => c.index));
  const last = Math.max(...created.map((c) => c.index));
  // The Lead ID column is read with the cells: a row is filled only while it still holds its lead (the
  // rep may insert or delete a row between the results' read and this one).
  const idAt = columnOf.get(LEAD_ID_KEY);
  const left = Math.min(...bound.map((b) => b.at), idAt ?? Number.POSITIVE_INFINITY);
  const right = Math.max(...bound.map((b) => b.at), idAt ?? Number.NEGATIVE_INFINITY);
  const count = last - first + 1;
  const width = right - left + 1;
  const values = grid.read(first + 2, left, count, width);
  const formulas = grid.formulas(first + 2, left, count, width);
  const rows: CellValue[][] = values.map((line) => [...new Array<CellValue>(left - 1).fill(''), ...line]);
  const fill = new Set<string>();
  for (const { index, lead } of created) {
    const r = index - first;
    if (idAt === undefined || rows[r]?.[idAt - 1] !== lead.id) continue;
    for (const { column, at, codec } of bound) {
      const cell = rows[r]?.[at - 1];
      const empty = typeof cell === 'string' && cell.trim() === '' && formulas[r]?.[at - left] === '';
      if (!empty || !codec) continue;
      const value = codec.encode(column.extract(lead));
      if (value === '' || value === null || wouldBecomeFormula(value)) continue;
      rows[r][at - 1] = value;
      fill.add(`${first + 2 + r}:${at}`);
    }
  }
  if (fill.size === 0) return 0;
  const columns = [...new Set([...fill].map((k) => Number(k.split(':')[1])))];
  writeColumns(grid, first + 2, rows, columns, (row, column) => !fill.has(`${row}:${column}`));
  return fill.size;
}
