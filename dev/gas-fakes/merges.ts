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

/**
 * Moving rows or columns (Sheet.moveRows / moveColumns) that take part of a merge with them, or that
 * land inside one, would split it. Google's pages are silent on what Sheets does; the fake refuses the
 * move, nothing moved (the harsher reading: the other, splitting the merge and moving its cells apart,
 * would lose no more than this refusal does). The words are the fake's own.
 */
export const MOVE_MERGED_MESSAGE =
  "You can't move rows or columns that cut through merged cells. Unmerge them first.";

/**
 * Inserting rows or columns strictly inside a merge (between its first and last row or column). Google
 * is silent: Sheets may grow the merge over the new cells (as Excel does) or refuse. The fake refuses
 * (the harsher reading; a grown merge would drop what is then written into the new cells just as
 * dropMergedAwayWrites does). Inserting before a merge's first or after its last row moves it whole.
 */
export const INSERT_MERGED_MESSAGE =
  "You can't insert rows or columns inside merged cells. Unmerge them first.";

type Axis = 'ROW' | 'COLUMN';
const spanOf = (m: MergeRecord, axis: Axis) => (axis === 'ROW' ? m.rows : m.cols);

/** A merge that the block [start0, start0 + n) takes part of but not all of (0-based). */
export function mergeCutBy(sheet: FakeSheet, axis: Axis, start0: number, n: number): MergeRecord | undefined {
  const block: [number, number] = [start0, start0 + n];
  return sheet.merges.find((m) => overlaps(spanOf(m, axis), block) && !within(spanOf(m, axis), block));
}

/** A merge that an insert (or a move's landing) at 0-based index at0 would fall inside of. */
export function mergeAround(sheet: FakeSheet, axis: Axis, at0: number): MergeRecord | undefined {
  return sheet.merges.find((m) => spanOf(m, axis)[0] < at0 && at0 < spanOf(m, axis)[1]);
}

/**
 * Range.copyTo with a paste type that carries merges: reference/spreadsheet/copy-paste-type,
 * PASTE_NORMAL "Paste values, formulas, formats and merges.", PASTE_NO_BORDERS "Paste values,
 * formulas, formats and merges but without borders.", PASTE_VALUES "Paste the values ONLY without
 * formats, formulas or merges." PASTE_FORMAT says only "Paste the format only."; Sheets puts merging
 * under its Format menu, so the fake pastes merges with it too (the harsher reading). The pasted area
 * takes the source's merges (those wholly inside the source, repeated with the source when it tiles
 * the destination) in place of its own; a destination merge that the area cuts through refuses the
 * paste (Sheets' merge rule, PARTIAL_MERGE_MESSAGE: the harsher reading where Google is silent).
 */
export const PASTE_TYPES_WITH_MERGES = ['PASTE_NORMAL', 'PASTE_NO_BORDERS', 'PASTE_FORMAT'];

/** True when the pasted area cuts through a merge (checked before anything is pasted). */
export function pasteCutsMerge(dest: FakeSheet, pasted: GridBox): boolean {
  const s = toSpans(pasted);
  return mergesOverlapping(dest, pasted).some((m) => !within(m.rows, s.rows) || !within(m.cols, s.cols));
}

export function pasteMerges(src: FakeSheet, from: GridBox, dest: FakeSheet, pasted: GridBox): void {
  const f = toSpans(from);
  const inside = src.merges
    .filter((m) => within(m.rows, f.rows) && within(m.cols, f.cols))
    .map((m) => ({
      rows: [m.rows[0] - f.rows[0], m.rows[1] - f.rows[0]],
      cols: [m.cols[0] - f.cols[0], m.cols[1] - f.cols[0]],
    }));
  const p = toSpans(pasted);
  dest.merges = dest.merges.filter((m) => !(within(m.rows, p.rows) && within(m.cols, p.cols)));
  for (let r = 0; r < pasted.numRows; r += from.numRows) {
    for (let c = 0; c < pasted.numCols; c += from.numCols) {
      for (const m of inside) {
        dest.merges.push({
          rows: [p.rows[0] + r + m.rows[0], p.rows[0] + r + m.rows[1]],
          cols: [p.cols[0] + c + m.cols[0], p.cols[0] + c + m.cols[1]],
        });
      }
    }
  }
}

export function assertSortable(sheet: FakeSheet, box: GridBox): void {
  if (mergesOverlapping(sheet, box).length > 0) throw new Error(SORT_MERGED_MESSAGE);
}
