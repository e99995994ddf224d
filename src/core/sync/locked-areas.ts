// Parts of a sheet a colleague protected (Data › Protect sheets and ranges) that the rep may not edit,
// checked before a pull, push or undo writes anything. The add-on runs as the rep, and Sheets refuses a
// script's write into a range its user cannot edit ("You are trying to edit a protected cell or
// object…"): met half-way, that would stop a pull with some rows written, or a push after Close took
// the values. So the job is refused up front, naming the protected range and the columns it covers.
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';

/** A protection the rep cannot edit, as the sheet reports it. Rows and columns 1-based, inclusive. */
export interface LockedArea {
  /** 'C1:C1000', or the sheet's name for a protected sheet. */
  a1: string;
  description: string;
  /** null: the whole sheet. */
  rows: [number, number] | null;
  columns: [number, number] | null;
}

/** A column the add-on manages (bound by its header note), with the header the rep sees. */
export interface ManagedColumn {
  column: number;
  key: string;
  header: string;
}

export type LockedAction = 'pull' | 'push' | 'undo';

const WHAT: Record<LockedAction, { writes: string; nothing: string; next: string }> = {
  pull: {
    writes: 'a pull writes there',
    nothing: 'Nothing was changed.',
    next: 'or pull into a new sheet',
  },
  push: {
    writes: "a push writes each row's result there",
    nothing: 'Nothing was sent to Close.',
    next: 'then push again (your edits stay in the sheet)',
  },
  undo: {
    writes: 'an undo writes the restored values and their results there',
    nothing: 'Nothing was restored in Close.',
    next: 'then undo again',
  },
};

/**
 * Which columns a job writes: a pull all its columns and the header row (headers, notes, new columns);
 * a push each row's Sync status below the header, and when it creates leads their IDs and the values
 * Close gives them that the row left empty (Status, Created…: created-values.ts), in any column; an undo
 * the restored values too. Without bindings (a first pull into a sheet that has content), every column.
 */
function written(action: LockedAction, managed: ManagedColumn[], creates: boolean): ManagedColumn[] {
  if (action !== 'push' || creates) return managed;
  return managed.filter((c) => c.key === SYNC_STATUS_KEY || c.key === LEAD_ID_KEY);
}

/** `rows`: the sheet rows (first, last) the job writes in `column`. */
export function covers(area: LockedArea, column: number, rows: [number, number]): boolean {
  if (!area.columns || !area.rows) return true;
  return (
    area.columns[0] <= column &&
    column <= area.columns[1] &&
    area.rows[1] >= rows[0] &&
    area.rows[0] <= rows[1]
  );
}

/** 'A', 'A and B', 'A, B and C': the ranges and headers a refusal names (merged-cells.ts too). */
export const list = (items: string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * The message refusing the job, or null when no protected area the rep cannot edit covers what it
 * writes. `headerRow`: a push or undo writes only below it, so a protected header row does not stop them.
 * `rowsOf`: when known (an undo's, undo-writes.ts), the only columns the job writes, each with the sheet
 * rows it writes there: a protection elsewhere does not stop it.
 */
export function lockedWritesMessage(
  action: LockedAction,
  sheetName: string,
  areas: LockedArea[],
  managed: ManagedColumn[],
  headerRow: number,
  creates = false,
  rowsOf?: ReadonlyMap<number, [number, number]>,
): string | null {
  const below: [number, number] = [action === 'pull' ? 1 : headerRow + 1, Number.POSITIVE_INFINITY];
  const columns = rowsOf ? managed.filter((c) => rowsOf.has(c.column)) : written(action, managed, creates);
  const rows = (column: number) => rowsOf?.get(column) ?? below;
  const hits = areas
    .map((area) => ({
      area,
      headers: columns.filter((c) => covers(area, c.column, rows(c.column))).map((c) => c.header),
    }))
    .filter((h) => h.headers.length > 0 || (managed.length === 0 && action === 'pull'));
  if (hits.length === 0) return null;
  const named = hits.map(({ area, headers }) => {
    const what = area.rows ? area.a1 : `the whole sheet`;
    const note = area.description ? ` "${area.description}"` : '';
    const cols = headers.length ? ` (${list(headers)})` : '';
    return `${what}${note}${cols}`;
  });
  const are = hits.length === 1 ? 'is' : 'are';
  const its = hits.length === 1 ? 'its' : 'their';
  const writes =
    action === 'push' && creates
      ? "a push writes each row's result there, and for a new row its lead's ID and the values Close gives it"
      : WHAT[action].writes;
  return `Close Sync cannot ${action} "${sheetName}": ${list(named)} ${are} protected and you are not among ${its} editors, and ${writes}. ${WHAT[action].nothing} Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to add you as an editor, ${WHAT[action].next}.`;
}

/**
 * The add-on's own hidden sheets (the snapshot of the last pull, the push log) are written by every job
 * too: a push whose snapshot could not be written after Close took the values would send them again.
 * Any protection there the rep cannot edit refuses the job.
 */
export function lockedOwnSheetMessage(
  action: LockedAction,
  sheetName: string,
  ownSheet: string,
  areas: LockedArea[],
): string | null {
  if (areas.length === 0) return null;
  const ranges = areas.filter((a) => a.rows).map((a) => a.a1);
  const what = ranges.length === areas.length ? ` (${list(ranges)})` : '';
  return `Close Sync cannot ${action} "${sheetName}": its record sheet "${ownSheet}" is protected${what} and you are not among the editors, and ${action === 'undo' ? 'an undo' : `a ${action}`} must write there. ${WHAT[action].nothing} Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to remove that protection: Close Sync's own sheets are already protected with a warning.`;
}

/** Sheets' own words when a script writes into a protected range anyway (a protection set mid-job). */
export const SHEETS_PROTECTED_TEXT = 'You are trying to edit a protected cell or object';

/**
 * Sheets' exception turned into what the rep should do, or null for any other error: a protection set
 * while the job ran (the check before its first step did not see it). `resumable`: the job stopped
 * part-way and is kept, to be continued.
 */
export function protectedWriteMessage(
  action: LockedAction | 'activities',
  sheetName: string,
  error: string,
  resumable: boolean,
): string | null {
  if (!error.includes(SHEETS_PROTECTED_TEXT)) return null;
  const verb = action === 'activities' ? 'pull' : action;
  const then = resumable ? `continue the ${verb} in the sidebar` : `${verb} again`;
  return `Close Sync stopped writing into "${sheetName}": part of the spreadsheet is protected and you are not among its editors (Sheets: "${SHEETS_PROTECTED_TEXT}."). Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to add you as an editor, then ${then}.`;
}
