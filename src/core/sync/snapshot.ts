// The snapshot: what the last pull (or successful push) saw in Close, per Lead ID and field. Push
// compares the sheet against it, so it lives in the spreadsheet (a hidden sheet), keyed by Lead ID,
// never by row number: sorting or moving rows cannot make phantom changes.
import type { CellValue, Grid, Workbook } from '../ports';

export type LeadValues = Record<string, unknown>;

export class Snapshot {
  constructor(readonly leads: Map<string, LeadValues> = new Map()) {}

  get(leadId: string): LeadValues | undefined {
    return this.leads.get(leadId);
  }

  set(leadId: string, values: LeadValues): void {
    this.leads.set(leadId, values);
  }

  /** Moves one field forward after Close accepted it. */
  setField(leadId: string, key: string, value: unknown): void {
    const values = this.leads.get(leadId) ?? {};
    values[key] = value;
    this.leads.set(leadId, values);
  }

  delete(leadId: string): void {
    this.leads.delete(leadId);
  }
}

/** Marks a lead that a pull no longer found in Close. */
export const GONE_KEY = '__gone';

export function snapshotSheetName(sheetName: string): string {
  return `Close Sync snapshot · ${sheetName}`;
}

const ID_HEADER = 'Lead ID';

/** Snapshot cells hold JSON text; an empty cell is a field Close left empty. */
export function readSnapshot(workbook: Workbook, sheetName: string): Snapshot {
  const grid = workbook.sheet(snapshotSheetName(sheetName));
  const snapshot = new Snapshot();
  if (!grid) return snapshot;
  const rows = grid.lastRow();
  const cols = grid.lastColumn();
  if (rows < 1 || cols < 1) return snapshot;
  const [header, ...body] = grid.read(1, 1, rows, cols);
  const keys = header.map(String);
  for (const row of body) {
    const id = String(row[0]);
    if (!id) continue;
    const values: LeadValues = {};
    for (let c = 1; c < keys.length; c++) {
      const cell = row[c];
      if (cell !== '' && keys[c]) values[keys[c]] = JSON.parse(String(cell));
    }
    snapshot.set(id, values);
  }
  return snapshot;
}

/** Rewrites the snapshot sheet in one block (plain text, so JSON is never coerced). */
export function writeSnapshot(
  workbook: Workbook,
  sheetName: string,
  snapshot: Snapshot,
  keys: string[],
): void {
  const name = snapshotSheetName(sheetName);
  const grid: Grid = workbook.sheet(name) ?? workbook.createSheet(name, { hidden: true });
  const rows: CellValue[][] = [[ID_HEADER, ...keys]];
  for (const [id, values] of snapshot.leads) {
    rows.push([
      id,
      ...keys.map((k) => (values[k] === undefined || values[k] === null ? '' : JSON.stringify(values[k]))),
    ]);
  }
  grid.ensureSize(rows.length, keys.length + 1);
  grid.formatColumns(
    Array.from({ length: keys.length + 1 }, (_, i) => i + 1),
    '@',
  );
  // The header row is plain text too: formatColumns starts below it.
  grid.write(1, 1, rows);
  if (grid.lastRow() > rows.length) grid.clearRowsFrom(rows.length + 1);
}
