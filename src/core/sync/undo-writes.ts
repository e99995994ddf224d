// Where an undo of the last push writes, for the protection check before its first step
// (locked-areas.ts): in the lead sheet, each restored field's column over the rows of the leads it
// restores, and Sync status over the rows of the leads it reports on — each written in one block from
// its first row to its last (column-write-back.ts), so the rows between count too —, and the push
// log's Undone column over the push's rows. A protected range elsewhere (a column the push did not
// change, rows of other leads, the log's other columns) does not stop it. The shell reads the push log
// and the sheet's Lead ID column for this only when some protection could stop the undo.
import type { Grid } from '../ports';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import type { ObjectKind } from '../schema/objects';
import { covers, type LockedArea } from './locked-areas';
import type { LoggedPush } from './push-log';
import { UNDONE_COLUMN } from './push-log-header';

/** Sheet rows, first and last, inclusive. */
export type RowSpan = [number, number];

const widen = (spans: Map<number, RowSpan>, column: number, row: number) => {
  const span = spans.get(column);
  spans.set(column, span ? [Math.min(span[0], row), Math.max(span[1], row)] : [row, row]);
};

const open = (push: LoggedPush | null) => push?.fields.filter((f) => !f.undone) ?? [];

/**
 * Per column of the lead sheet (1-based), the sheet rows an undo of `push` into `grid` (a sheet of
 * `kind`s) may write: the fields not undone yet, as undo.ts plans them (a field of another kind, a
 * created lead or a value not kept in the log restores nothing; a created lead gets no status).
 * `managed`: the sheet's bound columns; `headerRow`: the sheet row of its header (a title may sit
 * above it). Reads the Lead ID column (one call, and the sheet's extent unless known).
 */
export function undoSheetWrites(
  push: LoggedPush | null,
  grid: Pick<Grid, 'read' | 'lastRow' | 'setHeaderRow'>,
  kind: ObjectKind,
  managed: Array<{ column: number; key: string }>,
  headerRow: number,
): Map<number, RowSpan> {
  const spans = new Map<number, RowSpan>();
  const fields = open(push);
  const columnOf = new Map(managed.map((c) => [c.key, c.column]));
  const idColumn = columnOf.get(LEAD_ID_KEY);
  if (fields.length === 0 || idColumn === undefined) return spans;
  // The grid's rows count from the header, as the undo's reading of the sheet (readBindings) sets it.
  grid.setHeaderRow(headerRow);
  // The undo finds a lead at the first row holding its ID (lead-sheet.ts leadIdAt), as here.
  const rowOf = new Map<string, number>();
  grid.read(2, idColumn, grid.lastRow() - 1, 1).forEach(([id], i) => {
    const key = String(id).trim();
    // Data row i is sheet row headerRow + 1 + i.
    if (key && !rowOf.has(key)) rowOf.set(key, headerRow + 1 + i);
  });
  const statusColumn = columnOf.get(SYNC_STATUS_KEY);
  for (const f of fields) {
    const row = rowOf.get(f.leadId);
    if (row === undefined) continue;
    const ours = f.object === kind;
    const column = f.key ? columnOf.get(f.key) : undefined;
    if (ours && column !== undefined && !f.unreadable) widen(spans, column, row);
    if (statusColumn !== undefined && !(ours && !f.key)) widen(spans, statusColumn, row);
  }
  return spans;
}

/**
 * The protections of the push log an undo of `push` would meet: those over the Undone column's rows of
 * the fields not undone yet (undo.ts marks them there, push-log.ts markUndone), or over the whole sheet.
 */
export function lockedUndoneMarks(push: LoggedPush | null, areas: LockedArea[]): LockedArea[] {
  const rows = open(push).map((f) => f.row);
  if (rows.length === 0) return [];
  const first = rows.reduce((a, b) => Math.min(a, b));
  const last = rows.reduce((a, b) => Math.max(a, b));
  return areas.filter((a) => covers(a, UNDONE_COLUMN, [first, last]));
}
