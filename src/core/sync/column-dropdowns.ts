// The dropdowns of a lead sheet's choice-like columns: which choices a column offers, which named list
// shows them (columns showing the same list share it), and a fingerprint of the choices, kept with the
// sheet's definition so a pull rewrites a dropdown only when Close's choices changed.
import type { Column } from '../schema/columns';
import { KINDS } from '../schema/kinds';
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
  switch (KINDS[column.kind].dropdown) {
    case 'users':
      return 'Close users';
    case 'lead statuses':
      return 'Lead statuses';
    case 'opportunity statuses':
      return 'Opportunity statuses';
    default:
      return column.key;
  }
}

/** The choices a column's dropdown offers (its kind says which; multi-value kinds offer none). */
export function dropdownValues(column: Column, ctx: SyncContext): string[] | null {
  if (!column.editable) return null;
  switch (KINDS[column.kind].dropdown) {
    case 'own choices':
      return column.choices && column.choices.length > 0 ? column.choices : null;
    case 'lead statuses':
      return ctx.env.statuses.labels();
    case 'opportunity statuses':
      return ctx.env.opportunityStatuses.labels();
    case 'users':
      return ctx.env.users.labels();
    case null:
      return null;
  }
}
