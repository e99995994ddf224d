// What the Spreadsheet service costs in time, per call, per cell and per byte: the published measurements
// the benchmark charges (bench/model.ts builds its cost model from these), so a step sizes its writes by
// the same figures the benchmark's clock runs on, and the two cannot drift apart.

export interface SheetCost {
  /** Per Spreadsheet-service call. */
  callMs: number;
  cellWriteUs: number;
  cellReadUs: number;
  byteWriteUs: number;
  byteReadUs: number;
}

/**
 * Spreadsheet charges from published measurements:
 * - per call: the project's fact sheet (shared/reference/apps-script.md, "Real Sheets cost is mostly
 *   cells and bytes": 80–275 ms per call) — 30 ms is kept as the per-call charge, since the per-cell
 *   and per-byte charges below carry what a large call costs;
 * - per cell read: "getValues around 30 µs per cell on a plain sheet (several times more on a formatted
 *   one)" (same fact sheet; the issue "Real-world speed and cost" cites the same 31 µs);
 * - per cell written: a single setValues of 4,000 cells (400 rows × 10, five strings and five numbers)
 *   "took less than 50ms" (Stack Overflow, "What is faster: ScriptDb or SpreadsheetApp?", mirrored at
 *   https://ruby-bash.developreference.com/article/29263774/What+is+faster+ScriptDb+or+SpreadsheetApp):
 *   12.5 µs a cell on a plain sheet; a pull writes into formatted columns (number formats, dropdowns),
 *   "several times more" — 40 µs;
 * - per byte: large setValues payloads of tens of MB take tens of seconds (fact sheet): 1 µs a byte
 *   (15 MB ≈ 15 s), and 0.25 µs a byte read. No published figure separates bytes from cells more finely;
 *   the diagnostics measurement (numbers of a few bytes) calibrates the cell charges, not these.
 */
export const PUBLISHED_SHEET_COST: SheetCost = {
  callMs: 30,
  cellWriteUs: 40,
  cellReadUs: 30,
  byteWriteUs: 1,
  byteReadUs: 0.25,
};

/** What a step will write: service calls, cells, and bytes (characters: a Date or number counts 8). */
export interface WriteVolume {
  calls: number;
  cells: number;
  bytes: number;
}

/** How long writing `v` takes under `cost`, in ms. */
export function writeMs(cost: SheetCost, v: WriteVolume): number {
  return v.calls * cost.callMs + (v.cells * cost.cellWriteUs + v.bytes * cost.byteWriteUs) / 1000;
}

/**
 * The diagnostics' "Spreadsheet speed" measurement of the rep's own spreadsheet (one call's time, and
 * the per-cell time of a write plus read-back, split evenly between the two), taken where it is the
 * slower: a step must not plan on a spreadsheet faster than the published figures say, nor ignore a
 * measured one that is slower.
 */
export function measuredSheetCost(
  base: SheetCost,
  measured: { callMs: number; perCellUs: number },
): SheetCost {
  return {
    ...base,
    callMs: Math.max(base.callMs, measured.callMs),
    cellWriteUs: Math.max(base.cellWriteUs, measured.perCellUs / 2),
    cellReadUs: Math.max(base.cellReadUs, measured.perCellUs / 2),
  };
}

/** How long reading `v` takes under `cost`, in ms. */
export function readMs(cost: SheetCost, v: WriteVolume): number {
  return v.calls * cost.callMs + (v.cells * cost.cellReadUs + v.bytes * cost.byteReadUs) / 1000;
}
