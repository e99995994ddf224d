// The diff: the sheet against the snapshot, by Lead ID and field. A cell counts as edited only when it
// differs from what the snapshot value encodes to AND its decoded value differs from the snapshot
// value, so formatting round-trips (dates, numbers typed as text) never make phantom edits.
import type { CellValue } from '../ports';
import type { Codec } from '../schema/codecs';
import type { Column } from '../schema/columns';
import { isDate } from '../schema/dates';
import { emptiedRowMessage } from './emptied-row';
import { cellAt, isBlankCell, isBlankRow, leadIdAt, type SheetTable } from './lead-sheet';
import { isHashed, sameAsPulled, showsPulled } from './pulled-value';
import { RowGuards } from './row-guards';
import { GONE_KEY, type Snapshot } from './snapshot';

/** A row whose snapshot record cannot be read: its edits cannot be told from older values. */
export const DAMAGED_ROW_MESSAGE =
  "Close Sync's record of what was pulled for this lead is damaged, so its edits cannot be told from older values: not pushed. Pull again (cells that differ from Close are kept and marked), check them, then push";

export interface FieldEdit {
  key: string;
  header: string;
  old: unknown;
  value: unknown;
}

export interface FieldProblem {
  key: string;
  header: string;
  cell: string;
  message: string;
}

export interface LeadChange {
  /** Sheet row (1-based). */
  row: number;
  leadId: string;
  leadName: string;
  edits: FieldEdit[];
  problems: FieldProblem[];
}

export interface RowError {
  row: number;
  leadId: string;
  message: string;
  /**
   * Why the row is held back, when it is one of the guards: its values look like another lead's
   * (`moved`), it is a pulled row whose ID was cleared (`cleared-id`), or its ID is on another row too.
   */
  kind?: 'moved' | 'cleared-id' | 'duplicate';
}

export interface ChangeSet {
  /** Rows with a Lead ID and at least one edit or invalid value. */
  updates: LeadChange[];
  /** Rows with a Name and no Lead ID: leads to create (leadId is ''). */
  creates: LeadChange[];
  rowErrors: RowError[];
  /** Sheet rows of pulled leads with nothing to send. */
  unchangedRows: number[];
}

export interface BoundColumn {
  column: Column;
  codec: Codec;
}

export function displayCell(cell: CellValue): string {
  return isDate(cell) && Number.isFinite(cell.getTime()) ? cell.toISOString() : String(cell);
}

function editableBound(table: SheetTable, columns: BoundColumn[]): BoundColumn[] {
  return columns.filter((b) => b.column.editable && table.columnOf.has(b.column.key));
}

/** A decoded value JSON carries as itself: not empty, and no number JSON would turn into null. */
function isSendable(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.length > 0 && value.every(isSendable);
  return true;
}

/** One editable cell against the value the snapshot has for it (which may be a hash: pulled-value.ts). */
export function fieldChange(
  bound: BoundColumn,
  cell: CellValue,
  old: unknown,
): { edit?: FieldEdit; problem?: FieldProblem } {
  const { column, codec } = bound;
  if (showsPulled(bound, cell, old)) return {};
  const problem = (message: string) => ({
    problem: { key: column.key, header: column.header, cell: displayCell(cell), message },
  });
  if (column.blocked) return problem(column.blocked);
  if (!isHashed(old) && codec.isLossy(old))
    return problem('The Close value is too long for a cell; edit it in Close');
  const decoded = codec.decode(cell);
  if (!decoded.ok) return problem(decoded.error);
  // Whatever a codec says, a cell the rep filled is never sent as "clear this field" (an overflowing
  // number would go out as JSON null, a separator alone as an empty list).
  if (!isBlankCell(cell) && !isSendable(decoded.value))
    return problem(`${JSON.stringify(displayCell(cell))} could not be read as a value for this column`);
  if (sameAsPulled(decoded.value, old, column.kind)) return {};
  const value = codec.reconcile ? codec.reconcile(decoded.value, old) : decoded.value;
  return { edit: { key: column.key, header: column.header, old: old ?? null, value } };
}

/** The editable cells of two rows are the same (a row copied whole). */
function sameCells(table: SheetTable, editable: BoundColumn[], a: number, b: number): boolean {
  return editable.every((bound) => {
    const at = table.columnOf.get(bound.column.key)! - 1;
    return bound.codec.shows(table.rows[a][at] ?? '', table.rows[b][at] ?? '');
  });
}

const rowList = (rows: number[]) =>
  rows.length === 1 ? `row ${rows[0]}` : `rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;

/**
 * `creates` names the object when new rows cannot create one (contacts and opportunities belong to a
 * lead): such rows are row errors instead.
 *
 * Before any row is counted as an edit, the row guards (row-guards.ts) hold back rows whose values
 * belong to another lead, and pulled rows whose ID was cleared. A Lead ID on several rows is pushed
 * once when the rows agree (every editable cell the same: a copied row), and from none when they
 * differ (which one the rep meant is not ours to guess); every such row says so.
 */
export function computeChanges(
  table: SheetTable,
  columns: BoundColumn[],
  snapshot: Snapshot,
  creates: { noun: string; allowed: boolean } = { noun: 'lead', allowed: true },
): ChangeSet {
  const editable = editableBound(table, columns);
  const result: ChangeSet = { updates: [], creates: [], rowErrors: [], unchangedRows: [] };
  const rowsOfId = new Map<string, number[]>();
  table.rows.forEach((_, i) => {
    const leadId = leadIdAt(table, i);
    if (!leadId) return;
    const list = rowsOfId.get(leadId);
    if (list) list.push(i);
    else rowsOfId.set(leadId, [i]);
  });
  const guards = new RowGuards({
    table,
    editable,
    snapshot,
    rowsOfId,
    noun: creates.noun,
    canCreate: creates.allowed,
  });
  /** Rows of pulled leads with edits, in sheet order, until the guards have looked at them. */
  const edited: Array<{ index: number; change: LeadChange }> = [];
  /** Rows sharing a Lead ID with different values; one of them may be another lead's row (a pasted ID). */
  const clashing: Array<{ index: number; leadId: string; message: string }> = [];
  table.rows.forEach((_, i) => {
    const row = i + 2;
    const leadId = leadIdAt(table, i);
    const name = String(cellAt(table, i, 'name')).trim();
    if (!leadId) {
      if (isBlankRow(table, i)) return;
      // A pulled row whose ID was cleared says so, in every kind of sheet (row-guards.ts).
      const cleared = guards.clearedIdOf(i);
      if (cleared) {
        result.rowErrors.push({ row, leadId, message: guards.clearedIdMessage(cleared), kind: 'cleared-id' });
        return;
      }
      if (!creates.allowed) {
        result.rowErrors.push({
          row,
          leadId,
          message: `New ${creates.noun} rows are not created from this sheet: add the ${creates.noun} to its lead in Close, then pull`,
        });
        return;
      }
      if (!name) {
        result.rowErrors.push({
          row,
          leadId,
          message: 'No Lead ID and no Name: type a Name to create a lead',
        });
        return;
      }
      const change: LeadChange = { row, leadId, leadName: name, edits: [], problems: [] };
      for (const bound of editable) {
        const { edit, problem } = fieldChange(
          bound,
          table.rows[i][table.columnOf.get(bound.column.key)! - 1],
          null,
        );
        if (edit) change.edits.push(edit);
        if (problem) change.problems.push(problem);
      }
      result.creates.push(change);
      return;
    }
    const same = rowsOfId.get(leadId)!;
    if (same.length > 1) {
      const others = same.filter((j) => j !== i).map((j) => j + 2);
      const agree = same.every((j) => sameCells(table, editable, same[0], j));
      if (!agree) {
        clashing.push({
          index: i,
          leadId,
          message: `Duplicate Lead ID (also on ${rowList(others)}) with different values: not pushed from any of them. Delete the copy you do not want, then push again`,
        });
        return;
      }
      if (same[0] !== i) {
        result.rowErrors.push({
          row,
          leadId,
          kind: 'duplicate',
          message: `Duplicate Lead ID (also on ${rowList(others)}), same values: pushed once, from row ${same[0] + 2}`,
        });
        return;
      }
    }
    const pulled = snapshot.get(leadId);
    if (!pulled && snapshot.isDamaged(leadId)) {
      result.rowErrors.push({
        row,
        leadId,
        message: DAMAGED_ROW_MESSAGE,
      });
      return;
    }
    if (!pulled) {
      result.rowErrors.push({
        row,
        leadId,
        message: 'This Lead ID was not pulled into this sheet: pull first',
      });
      return;
    }
    if (pulled[GONE_KEY]) {
      result.rowErrors.push({
        row,
        leadId,
        message: 'This lead is not in Close any more (deleted or merged): not pushed',
      });
      return;
    }
    const change: LeadChange = {
      row,
      leadId,
      leadName: name || String(pulled.name ?? ''),
      edits: [],
      problems: [],
    };
    for (const bound of editable) {
      const cell = table.rows[i][table.columnOf.get(bound.column.key)! - 1];
      const { edit, problem } = fieldChange(bound, cell, pulled[bound.column.key]);
      if (edit) change.edits.push(edit);
      if (problem) change.problems.push(problem);
    }
    const emptied =
      change.edits.length > 0 &&
      emptiedRowMessage(table.rows[i], editable, table.columnOf, pulled, leadId, creates.noun);
    if (emptied) {
      result.rowErrors.push({ row, leadId, message: emptied });
      return;
    }
    if (change.edits.length > 0 || change.problems.length > 0) edited.push({ index: i, change });
    else result.unchangedRows.push(row);
  });
  const moved = guards.movedRows(edited.map(({ index, change }) => ({ index, leadId: change.leadId })));
  for (const { index, change } of edited) {
    const message = moved.get(index);
    if (message) result.rowErrors.push({ row: change.row, leadId: change.leadId, message, kind: 'moved' });
    else result.updates.push(change);
  }
  const pasted = guards.movedRows(clashing);
  for (const { index, leadId, message } of clashing) {
    const instead = pasted.get(index);
    result.rowErrors.push({
      row: index + 2,
      leadId,
      message: instead ?? message,
      kind: instead ? 'moved' : 'duplicate',
    });
  }
  result.rowErrors.sort((a, b) => a.row - b.row);
  return result;
}

/**
 * A sheet with pulled rows but no snapshot at all (its hidden sheet was deleted, or this is a copy of a
 * pulled sheet): nothing tells the rep's edits from older values, so nothing is pushed. A pull first
 * keeps every cell that differs from Close and marks its row.
 */
export function requireSnapshot(sheetName: string, table: SheetTable, snapshot: Snapshot): void {
  if (snapshot.size > 0) return;
  if (!table.rows.some((_, i) => leadIdAt(table, i) !== '')) return;
  throw new Error(
    `Close Sync has no record of what was pulled into "${sheetName}" (its hidden snapshot sheet was deleted, or "${sheetName}" is a copy of another sheet), so it cannot tell your edits from older values and pushes nothing. Pull into "${sheetName}" first: the pull keeps every cell that differs from Close and marks its row in Sync status. Check those cells, then push.`,
  );
}
