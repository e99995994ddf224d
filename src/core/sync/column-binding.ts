// Which Close field a sheet column holds is written in its header cell's note. A note travels with its
// cell when the rep moves, inserts or deletes columns, survives renaming the header, and all of row 1's
// notes are read or written in one call (developer metadata, the other way to tag a column, takes a
// call per column to write). It also tells the rep what the column is and whether edits are pushed.
import type { Column, ValueKind } from '../schema/columns';
import { SYNC_STATUS_KEY } from '../schema/columns';

const FIRST_LINE = /^Close Sync · (\S+)/;

const KIND_TEXT: Record<ValueKind, string> = {
  text: 'text',
  number: 'a number',
  money: 'an amount',
  date: 'a date (YYYY-MM-DD)',
  datetime: 'a date and time',
  choice: 'one of its choices (dropdown)',
  choices: 'some of its choices, separated by "; "',
  user: 'a Close user (dropdown)',
  users: 'Close users, separated by "; "',
  status: 'a lead status (dropdown)',
  opportunity_status: 'an opportunity status (dropdown)',
  emails: 'email addresses, separated by "; "',
  phones: 'phone numbers, separated by "; "',
};

/** The header note that binds a column to its field and says what the column takes. */
export function bindingNote(column: Pick<Column, 'key' | 'kind' | 'editable'>): string {
  const what =
    column.key === SYNC_STATUS_KEY
      ? "Each row's last pull or push result."
      : column.editable
        ? `Takes ${KIND_TEXT[column.kind]}. Edits here are pushed to Close.`
        : 'Filled from Close on every pull and never pushed: edits here are overwritten.';
  return `Close Sync · ${column.key}\n${what}\nKeep this note: it ties the column to its Close field, so you can rename or move the column.`;
}

/** The field key a header note binds its column to, or null for a note that is not ours. */
export function keyInNote(note: string): string | null {
  return FIRST_LINE.exec(note)?.[1] ?? null;
}
