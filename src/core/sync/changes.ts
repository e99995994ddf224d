// The diff: the sheet against the snapshot, by Lead ID and field. A cell counts as edited only when it
// differs from what the snapshot value encodes to AND its decoded value differs from the snapshot
// value, so formatting round-trips (dates, numbers typed as text) never make phantom edits.
import type { CellValue } from '../ports';
import { type Codec, apiValuesEqual } from '../schema/codecs';
import type { Column } from '../schema/columns';
import { isDate } from '../schema/dates';
import { cellAt, isBlankRow, leadIdAt, type SheetTable } from './lead-sheet';
import { GONE_KEY, type Snapshot } from './snapshot';

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
  return isDate(cell) ? cell.toISOString() : String(cell);
}

function editableBound(table: SheetTable, columns: BoundColumn[]): BoundColumn[] {
  return columns.filter((b) => b.column.editable && table.columnOf.has(b.column.key));
}

/** One editable cell against the value the snapshot has for it. */
export function fieldChange(
  bound: BoundColumn,
  cell: CellValue,
  old: unknown,
): { edit?: FieldEdit; problem?: FieldProblem } {
  const { column, codec } = bound;
  if (codec.shows(cell, codec.encode(old))) return {};
  const problem = (message: string) => ({
    problem: { key: column.key, header: column.header, cell: displayCell(cell), message },
  });
  if (column.blocked) return problem(column.blocked);
  if (codec.isLossy(old)) return problem('The Close value is too long for a cell; edit it in Close');
  const decoded = codec.decode(cell);
  if (!decoded.ok) return problem(decoded.error);
  if (apiValuesEqual(decoded.value, old, column.kind)) return {};
  const value = codec.reconcile ? codec.reconcile(decoded.value, old) : decoded.value;
  return { edit: { key: column.key, header: column.header, old: old ?? null, value } };
}

/**
 * `creates` names the object when new rows cannot create one (contacts and opportunities belong to a
 * lead): such rows are row errors instead.
 */
export function computeChanges(
  table: SheetTable,
  columns: BoundColumn[],
  snapshot: Snapshot,
  creates: { noun: string; allowed: boolean } = { noun: 'lead', allowed: true },
): ChangeSet {
  const editable = editableBound(table, columns);
  const result: ChangeSet = { updates: [], creates: [], rowErrors: [], unchangedRows: [] };
  const firstRowOf = new Map<string, number>();
  table.rows.forEach((_, i) => {
    const row = i + 2;
    const leadId = leadIdAt(table, i);
    const name = String(cellAt(table, i, 'name')).trim();
    if (!leadId) {
      if (isBlankRow(table, i)) return;
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
    const earlier = firstRowOf.get(leadId);
    if (earlier !== undefined) {
      result.rowErrors.push({
        row,
        leadId,
        message: `Duplicate Lead ID (also on row ${earlier}): not pushed`,
      });
      return;
    }
    firstRowOf.set(leadId, row);
    const pulled = snapshot.get(leadId);
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
    if (change.edits.length > 0 || change.problems.length > 0) result.updates.push(change);
    else result.unchangedRows.push(row);
  });
  return result;
}
