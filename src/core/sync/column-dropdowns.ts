// The dropdowns of a lead sheet's choice-like columns: which choices a column offers, which named list
// shows them (columns showing the same list share it), and a fingerprint of the choices, kept with the
// sheet's definition so a pull rewrites a dropdown only when Close's choices changed.
import type { Column } from '../schema/columns';
import type { SyncContext } from './context';

/** A short fingerprint of a dropdown's choices. */
export function listFingerprint(values: string[]): string {
  let h = 0x811c9dc5;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return `${values.length}.${(h >>> 0).toString(36)}`;
}

/**
 * The name of the list a column's dropdown shows: one per custom field's choices, one for the users and
 * one per kind of status, so columns showing the same list (in any sheet) share it.
 */
export function dropdownList(column: Column): string {
  switch (column.kind) {
    case 'user':
      return 'Close users';
    case 'status':
      return 'Lead statuses';
    case 'opportunity_status':
      return 'Opportunity statuses';
    default:
      return column.key;
  }
}

/** The choices a column's dropdown offers: single-valued choice-like columns only. */
export function dropdownValues(column: Column, ctx: SyncContext): string[] | null {
  if (!column.editable) return null;
  switch (column.kind) {
    case 'choice':
      return column.choices && column.choices.length > 0 ? column.choices : null;
    case 'status':
      return ctx.env.statuses.labels();
    case 'opportunity_status':
      return ctx.env.opportunityStatuses.labels();
    case 'user':
      return ctx.env.users.labels();
    default:
      return null;
  }
}
