// The column binding: which Close field a sheet column holds, written in its header cell's note. A note
// travels with its cell when the rep moves, inserts or deletes columns, survives renaming the header,
// and all of the header row's notes are read or written in one call (developer metadata, the other way
// to tag a column, takes a call per column to write). It also tells the rep what the column is and
// whether edits are pushed.
//
// Every rule about bindings lives here, reading and writing: the note's text, which of the top rows is
// the header row, which column wins when a key is bound twice, and a column found again by its header
// after its note was lost. The Apps Script adapter only reads and writes raw notes.
import type { Grid } from '../ports';
import type { Column } from '../schema/columns';
import { KINDS } from '../schema/kinds';
import { SYNC_STATUS_KEY } from '../schema/columns';

const FIRST_LINE = /^Close Sync · (\S+)/;

/** How far down a header row is looked for (a rep may insert title rows above it). */
export const HEADER_SEARCH_ROWS = 10;

export interface Binding {
  /** 1-based column. */
  column: number;
  /** The field key its note binds it to. */
  key: string;
}

/** The header note that binds a column to its field and says what the column takes. */
export function bindingNote(column: Pick<Column, 'key' | 'kind' | 'editable'>): string {
  const what =
    column.key === SYNC_STATUS_KEY
      ? "Each row's last pull or push result."
      : column.editable
        ? `Takes ${KINDS[column.kind].takes}. Edits here are pushed to Close.`
        : 'Filled from Close on every pull and never pushed: edits here are overwritten.';
  return `Close Sync · ${column.key}\n${what}\nKeep this note: it ties the column to its Close field, so you can rename or move the column.`;
}

/** The field key a header note binds its column to, or null for a note that is not ours. */
export function keyInNote(note: string): string | null {
  return FIRST_LINE.exec(note)?.[1] ?? null;
}

/**
 * The header row among the top rows' notes: the first row holding a binding note, so a title row the
 * rep inserted above it changes nothing. With none, row 1 is the header and nothing is bound.
 * `top` counts the rows above the header.
 */
export function findHeader(notes: string[][]): { top: number; bindings: Binding[] } {
  for (let r = 0; r < notes.length; r++) {
    const bindings: Binding[] = [];
    notes[r].forEach((note, i) => {
      const key = keyInNote(String(note ?? ''));
      if (key) bindings.push({ column: i + 1, key });
    });
    if (bindings.length > 0) return { top: r, bindings };
  }
  return { top: 0, bindings: [] };
}

/**
 * Reads a sheet's bindings (one call for the top rows' notes) and points the grid at its header row:
 * every row the grid is asked about from then on counts from the header. Returns the header's sheet
 * row too (rows in results count from it).
 */
export function readBindings(grid: Pick<Grid, 'topNotes' | 'setHeaderRow'>): {
  headerRow: number;
  bindings: Binding[];
} {
  const found = findHeader(grid.topNotes(HEADER_SEARCH_ROWS));
  grid.setHeaderRow(found.top + 1);
  return { headerRow: found.top + 1, bindings: found.bindings };
}

/** Field key → column. A key bound twice (a copied column): the leftmost wins, the other is the rep's own column. */
export function columnsByKey(bindings: Binding[]): Map<string, number> {
  const columnOf = new Map<string, number>();
  for (const { column, key } of bindings) {
    if (!columnOf.has(key) || column < columnOf.get(key)!) columnOf.set(key, column);
  }
  return columnOf;
}

/**
 * A column this sheet had at its last pull whose note was cleared is still recognised by its header,
 * if exactly one unbound header says it (`header`: the text the last pull wrote): its cells then count
 * as the rep's edits, and its note is written back (writeBindings). Returns the column, or null.
 */
export function findByHeader(
  header: string | undefined,
  shown: unknown[],
  bound: Set<number>,
): number | null {
  if (!header) return null;
  const same: number[] = [];
  shown.forEach((h, i) => {
    if (!bound.has(i + 1) && String(h).trim() === header) same.push(i + 1);
  });
  return same.length === 1 ? same[0] : null;
}

/** Writes the binding notes of these columns (one call per contiguous run). */
export function writeBindings(
  grid: Pick<Grid, 'writeHeaderNotes'>,
  columns: Array<{ column: number; field: Pick<Column, 'key' | 'kind' | 'editable'> }>,
): void {
  if (columns.length === 0) return;
  grid.writeHeaderNotes(columns.map(({ column, field }) => ({ column, note: bindingNote(field) })));
}
