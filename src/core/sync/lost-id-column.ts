// A sheet whose ID column was deleted while the rest of its header is still bound. Rows are matched to
// their Close objects by that column only: without it a pull would take every row for one it never
// wrote and add every lead again below them (and the next push would then create each of those rows in
// Close as a new lead), and a push could not tell which lead a row is. Both stop and say how to get the
// column back.
import { LEAD_ID_KEY } from '../schema/columns';
import type { SheetTable } from './lead-sheet';

/** Whether the sheet was pulled into (columns still bound) and holds rows, but its ID column is gone. */
export function lostIdColumn(table: Pick<SheetTable, 'columnOf' | 'rows'>, idKey: string): boolean {
  if (table.columnOf.has(idKey) || table.columnOf.size === 0) return false;
  const bound = [...table.columnOf.values()];
  return table.rows.some((row) => bound.some((column) => (row[column - 1] ?? '') !== ''));
}

/** What the rep reads when a pull (`pull`) or a preview or push (`push`) meets a sheet without its ID column. */
export function lostIdColumnMessage(
  sheetName: string,
  idHeader: string,
  noun: string,
  action: 'pull' | 'push',
): string {
  const why =
    action === 'pull'
      ? `Close Sync finds each ${noun}'s row by it, so a pull now would add every ${noun} again below the rows already there: nothing was changed.`
      : `Close Sync sends each row to the ${noun} whose ID it holds, so nothing was sent.`;
  return `The ${idHeader} column of "${sheetName}" is gone (deleted?): ${why} Bring the column back (Edit › Undo), or pull into a new sheet.`;
}

/** The ID column's header for the sheet's kind (Lead ID, Contact ID, Opportunity ID). */
export function idHeader(ctx: { byKey: Map<string, { column: { header: string } }> }): string {
  return ctx.byKey.get(LEAD_ID_KEY)?.column.header ?? 'Lead ID';
}
