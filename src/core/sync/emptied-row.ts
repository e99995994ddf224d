// A pulled row whose every value was cleared, its Name too: the rep selected the row from its Name to
// the right edge (or the whole editable block) and pressed Delete, most often to take the lead off the
// sheet or by mistake — not to wipe the lead in Close. Pushing it would send null for every field that
// had a value, the Name included. Such a row is held back and told what to do instead; a rep who does
// mean to empty those fields keeps (or types back) the Name, which lets the row go.
import type { CellValue } from '../ports';
import type { BoundColumn } from './changes';
import { isBlankCell, type SheetTable } from './lead-sheet';
import { Interned } from './pulled-value';

/** Fewer cleared values than this (the Name and one more) is an ordinary edit. */
const MIN_CLEARED = 3;

function isEmptyPulled(value: unknown): boolean {
  const v = value instanceof Interned ? value.value : value;
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * Why the row is held back, when every editable value the lead was pulled with (at least three, its Name
 * among them) is now empty in its row; else null.
 */
export function emptiedRowMessage(
  row: CellValue[],
  editable: BoundColumn[],
  columnOf: SheetTable['columnOf'],
  pulled: Record<string, unknown>,
  leadId: string,
  noun: string,
): string | null {
  let cleared = 0;
  let nameCleared = false;
  for (const { column } of editable) {
    if (isEmptyPulled(pulled[column.key])) continue;
    if (!isBlankCell(row[columnOf.get(column.key)! - 1])) return null;
    cleared++;
    if (column.key === 'name') nameCleared = true;
  }
  if (!nameCleared || cleared < MIN_CLEARED) return null;
  return (
    `Every value of this row was cleared, its Name too: not sent, as that would empty ${noun} ${leadId} (${String(pulled.name)}) in Close. ` +
    'To take it off this sheet, delete the row (Close keeps it). To empty these fields in Close, type its Name back, push, then clear the Name'
  );
}
