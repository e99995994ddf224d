// Merged cells (Format › Merge cells), as a rep makes them in a lead sheet: a merge keeps only its
// top-left cell. Sources: Range#getMergedRanges ("Returns an array of Range objects representing merged
// cells that either are fully within the current range, or contain at least one cell in the current
// range"); Sheets' merge prompt, "Merging these cells will only preserve the top-leftmost value" (the
// same words in Sheets-compatible editors' sources); "Reading a merged range returns the value only at
// the top-left cell; all other cells in the range return empty", and unmerging "does not restore
// previously deleted data" (a public Google Sheets merging reference). Where Google is silent the fake
// takes the harsher reading, said beside each rule.
import type { GridBox } from './a1';
import type { FakeSheet, MergeRecord } from './model';

/** The exception for a merge or unmerge that cuts through an existing merge (Sheets' own words in the UI). */
export const PARTIAL_MERGE_MESSAGE = 'You must select all cells in a merged range to merge or unmerge them.';

/**
 * Sorting rows that hold merged cells: Sheets refuses vertical merges ("These cells can't be sorted
 * because they contain merged cells"); the fake refuses any merge in the sorted block (harsher: it does
 * not move horizontal merges with their rows).
 */
export const SORT_MERGED_MESSAGE =
  "Sorry, you can't sort a range that contains merged cells. Unmerge them first.";

const toSpans = (b: GridBox): MergeRecord => ({
  rows: [b.row - 1, b.row - 1 + b.numRows],
  cols: [b.col - 1, b.col - 1 + b.numCols],
});
const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];
const within = (a: [number, number], b: [number, number]) => b[0] <= a[0] && a[1] <= b[1];

export function mergesOverlapping(sheet: FakeSheet, box: GridBox): MergeRecord[] {
  const s = toSpans(box);
  return sheet.merges.filter((m) => overlaps(m.rows, s.rows) && overlaps(m.cols, s.cols));
}

/** As a 1-based box (for a Range). */
export const mergeBox = (m: MergeRecord): GridBox => ({
  row: m.rows[0] + 1,
  col: m.cols[0] + 1,
  numRows: m.rows[1] - m.rows[0],
  numCols: m.cols[1] - m.cols[0],
});

/** Every cell of a merge but its top-left loses its value, formula, note and validation. */
function clearMergedAway(sheet: FakeSheet, m: MergeRecord): void {
  for (let r = m.rows[0]; r < m.rows[1]; r++) {
    const row = sheet.rows[r];
    if (!row) continue;
    for (let c = m.cols[0]; c < m.cols[1]; c++) {
      if (r === m.rows[0] && c === m.cols[0]) continue;
      const cell = row[c];
      if (!cell) continue;
      delete cell.v;
      delete cell.f;
      delete cell.note;
      delete cell.dv;
    }
  }
}

/**
 * Merges boxes (one for merge(), one a row for mergeAcross(), one a column for mergeVertically()).
 * A box that cuts through an existing merge is refused; merges inside it are absorbed.
 */
export function merge(sheet: FakeSheet, boxes: GridBox[]): void {
  for (const box of boxes) {
    const s = toSpans(box);
    for (const m of mergesOverlapping(sheet, box)) {
      if (!within(m.rows, s.rows) || !within(m.cols, s.cols)) throw new Error(PARTIAL_MERGE_MESSAGE);
    }
  }
  for (const box of boxes) {
    if (box.numRows * box.numCols < 2) continue;
    const s = toSpans(box);
    sheet.merges = sheet.merges.filter((m) => !(within(m.rows, s.rows) && within(m.cols, s.cols)));
    sheet.merges.push(s);
    clearMergedAway(sheet, s);
  }
}

/** Unmerges every merge in the box: the value stays in the top-left cell, the others stay empty. */
export function breakApart(sheet: FakeSheet, box: GridBox): void {
  const s = toSpans(box);
  const hit = mergesOverlapping(sheet, box);
  if (hit.some((m) => !within(m.rows, s.rows) || !within(m.cols, s.cols)))
    throw new Error(PARTIAL_MERGE_MESSAGE);
  sheet.merges = sheet.merges.filter((m) => !hit.includes(m));
}

/**
 * After a write: what landed in a merged-away cell is not kept (only the top-left cell holds a value).
 * Google does not say what setValues does there; dropping it silently is the harsher reading.
 */
export function dropMergedAwayWrites(sheet: FakeSheet, box: GridBox): void {
  for (const m of mergesOverlapping(sheet, box)) clearMergedAway(sheet, m);
}

export function assertSortable(sheet: FakeSheet, box: GridBox): void {
  if (mergesOverlapping(sheet, box).length > 0) throw new Error(SORT_MERGED_MESSAGE);
}
