// Cells a rep merged (Format › Merge cells) where the add-on reads or writes. A merge keeps only its
// top-left cell's value ("Merging these cells will only preserve the top-leftmost value"): the other
// cells read as empty, and what is written into them is not kept. So a merged row's hidden fields would
// be pushed as cleared (wiping them in Close) though the rep only meant to format, and a pull's values
// there would be lost. Google gives no way to tell a cell the merge emptied from one the rep cleared, so
// a pull, push or undo is refused up front while such a merge is there, naming it and what to do.
import { type LockedAction, list, type ManagedColumn } from './locked-areas';

/** A merged range as the sheet reports it: 1-based, inclusive. */
export interface MergedArea {
  a1: string;
  rows: [number, number];
  columns: [number, number];
}

const LOSS: Record<LockedAction, { risk: string; nothing: string; fix: string }> = {
  pull: {
    risk: 'what a pull wrote into the others would be lost',
    nothing: 'Nothing was changed.',
    fix: 'Unmerge it (Format › Merge cells › Unmerge), then pull. To merge a title, insert a row above the header and merge that.',
  },
  push: {
    risk: 'pushed, the empty ones would clear those fields in Close',
    nothing: 'Nothing was sent to Close.',
    fix: 'Take the merge back with Edit › Undo (it brings the hidden values back), or unmerge it (Format › Merge cells › Unmerge) and type the values again, then push.',
  },
  undo: {
    risk: 'the values an undo restores there would be lost',
    nothing: 'Nothing was restored in Close.',
    fix: 'Unmerge it (Format › Merge cells › Unmerge), then undo again.',
  },
};

/**
 * The message refusing the job, or null. A merge counts where it covers a column the add-on manages at
 * or below the header row, or the header row itself (merging header cells deletes the notes binding the
 * columns to their fields); a title merged above the header is the rep's own. For a pull, so does a
 * merge at or below the header that reaches past `lastColumn`, the last column with content: a pull puts
 * new columns there (its fields' values, and row 2's formats copied down, which Sheets refuses through
 * part of a merge), so what it wrote into the merged-away cells would be lost. And a merge that takes in
 * `lastRow`, the last row with content, and a row below it: a refresh inserts its new leads' rows right
 * after the last row, inside that merge, which Sheets may refuse (Google is silent: the fakes refuse,
 * dev/gas-fakes/merges.ts) or grow the merge over them.
 */
export function mergedCellsMessage(
  action: LockedAction,
  sheetName: string,
  merges: MergedArea[],
  managed: ManagedColumn[],
  headerRow: number,
  lastColumn = Number.POSITIVE_INFINITY,
  lastRow = Number.POSITIVE_INFINITY,
): string | null {
  const hits = merges
    .filter((m) => m.rows[1] >= headerRow)
    .map((m) => ({
      m,
      headers: managed
        .filter((c) => m.columns[0] <= c.column && c.column <= m.columns[1])
        .map((c) => c.header),
      beside: action === 'pull' && m.columns[1] > lastColumn,
      below: action === 'pull' && m.rows[0] <= lastRow && m.rows[1] > lastRow,
    }))
    .filter(
      (h) => h.headers.length > 0 || h.m.rows[0] <= headerRow || managed.length === 0 || h.beside || h.below,
    );
  if (hits.length === 0) return null;
  const named = hits.map(
    ({ m, headers, beside, below }) =>
      `${m.a1}${
        headers.length
          ? ` (${list(headers)})`
          : beside
            ? ' (where a pull adds new columns)'
            : below
              ? ' (where a pull adds new rows)'
              : ''
      }`,
  );
  const is = hits.length === 1 ? 'is' : 'are';
  return `Close Sync cannot ${action} "${sheetName}": ${list(named)} ${is} merged (Format › Merge cells), and a merge shows only its top-left cell's value: the others read as empty, so ${LOSS[action].risk}. ${LOSS[action].nothing} ${LOSS[action].fix}`;
}
