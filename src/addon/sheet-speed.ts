// The spreadsheet's measured speed, kept: the diagnostics' "Spreadsheet speed" measurement (one call,
// and a write plus read-back per cell) is saved in the document, and every later step sizes its writes
// by it where it is slower than the published figures (core/sheet-cost.ts).
import { measuredSheetCost, PUBLISHED_SHEET_COST, type SheetCost } from '../core/sheet-cost';
import { documentStore } from '../gas/runtime';

const SHEET_SPEED_KEY = 'closeSync.sheetSpeed';

export function saveSheetSpeed(measured: { callMs: number; perCellUs: number }): void {
  try {
    documentStore().set(SHEET_SPEED_KEY, JSON.stringify(measured));
  } catch {
    // Properties full: steps keep the published figures, and the measurement is still shown.
  }
}

/** What a step sizes its writes by: the published figures, or the measured ones where slower. */
export function sheetCost(): SheetCost {
  const saved = documentStore().get(SHEET_SPEED_KEY);
  if (!saved) return PUBLISHED_SHEET_COST;
  try {
    const m = JSON.parse(saved) as { callMs?: unknown; perCellUs?: unknown };
    if (typeof m.callMs !== 'number' || typeof m.perCellUs !== 'number') return PUBLISHED_SHEET_COST;
    return measuredSheetCost(PUBLISHED_SHEET_COST, { callMs: m.callMs, perCellUs: m.perCellUs });
  } catch {
    return PUBLISHED_SHEET_COST;
  }
}
