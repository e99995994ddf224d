// The snapshot: what the last pull (or successful push) saw in Close, per Lead ID and editable field.
// Push compares the sheet against it, so it lives in the spreadsheet — a hidden sheet, one row per lead:
// [Lead ID, pull generation, JSON of the values…] — keyed by Lead ID, never by the data sheet's row
// number, so sorting or moving rows cannot make phantom changes. One JSON cell per lead keeps it at two
// or three cells a lead (Sheets counts every cell against its 10 million); a value longer than a cell
// continues in the next one.
import type { CellValue, Grid, Workbook } from '../ports';

export type LeadValues = Record<string, unknown>;

/** Marks a lead that a pull no longer found in Close. */
export const GONE_KEY = '__gone';

const CHUNK_CHARS = 45_000;
const WRITE_ROWS = 5_000;
const HEADER: CellValue[] = ['Lead ID', 'Pull', 'Values'];

interface Entry {
  values: LeadValues;
  generation: string;
  /** Sheet row (1-based), once written. */
  row?: number;
}

export class Snapshot {
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private lastRow = 1;

  get(leadId: string): LeadValues | undefined {
    return this.entries.get(leadId)?.values;
  }

  generationOf(leadId: string): string | undefined {
    return this.entries.get(leadId)?.generation;
  }

  ids(): IterableIterator<string> {
    return this.entries.keys();
  }

  get size(): number {
    return this.entries.size;
  }

  set(leadId: string, values: LeadValues, generation?: string): void {
    const entry = this.entries.get(leadId);
    this.entries.set(leadId, { values, generation: generation ?? entry?.generation ?? '', row: entry?.row });
    this.dirty.add(leadId);
  }

  /** Moves one field forward after Close accepted it. */
  setField(leadId: string, key: string, value: unknown): void {
    const entry = this.entries.get(leadId);
    this.set(leadId, { ...(entry?.values ?? {}), [key]: value });
  }

  /** Loads a row read from the sheet (not dirty). */
  load(leadId: string, values: LeadValues, generation: string, row: number): void {
    this.entries.set(leadId, { values, generation, row });
    this.lastRow = Math.max(this.lastRow, row);
  }

  /** Rows to write: every changed entry, new ones appended below the last row. */
  takeDirty(): Array<{ row: number; id: string; entry: Entry }> {
    const out: Array<{ row: number; id: string; entry: Entry }> = [];
    for (const id of this.dirty) {
      const entry = this.entries.get(id)!;
      if (entry.row === undefined) entry.row = ++this.lastRow;
      out.push({ row: entry.row, id, entry });
    }
    this.dirty.clear();
    return out.sort((a, b) => a.row - b.row);
  }
}

export function snapshotSheetName(sheetName: string): string {
  return `Close Sync snapshot · ${sheetName}`;
}

export function readSnapshot(workbook: Workbook, sheetName: string): Snapshot {
  const grid = workbook.sheet(snapshotSheetName(sheetName));
  const snapshot = new Snapshot();
  if (!grid) return snapshot;
  const rows = grid.lastRow();
  const cols = grid.lastColumn();
  if (rows < 2 || cols < 3) return snapshot;
  grid.read(2, 1, rows - 1, cols).forEach((row, i) => {
    const id = String(row[0]);
    if (!id) return;
    let json = '';
    for (let c = 2; c < row.length && row[c] !== ''; c++) json += String(row[c]);
    snapshot.load(id, json ? (JSON.parse(json) as LeadValues) : {}, String(row[1]), i + 2);
  });
  return snapshot;
}

function toRow(id: string, entry: Entry, width: number): CellValue[] {
  const json = JSON.stringify(entry.values);
  const row: CellValue[] = [id, entry.generation];
  for (let i = 0; i < json.length; i += CHUNK_CHARS) row.push(json.slice(i, i + CHUNK_CHARS));
  while (row.length < width) row.push('');
  return row;
}

/**
 * Writes the entries that changed since the snapshot was read, in blocks: contiguous rows are written
 * together (a block may include unchanged rows between changed ones, written as they are).
 */
export function writeSnapshot(workbook: Workbook, sheetName: string, snapshot: Snapshot): void {
  const changed = snapshot.takeDirty();
  if (changed.length === 0) return;
  const name = snapshotSheetName(sheetName);
  const grid: Grid = workbook.sheet(name) ?? workbook.createSheet(name, { hidden: true });
  const chunks = Math.max(
    1,
    ...changed.map((c) => Math.ceil(JSON.stringify(c.entry.values).length / CHUNK_CHARS)),
  );
  const width = Math.max(HEADER.length, 2 + chunks, grid.lastColumn());
  const lastRow = changed[changed.length - 1].row;
  grid.ensureSize(lastRow, width);
  // Plain text first: generations look like numbers and JSON must never be parsed by Sheets.
  grid.formatColumns(
    Array.from({ length: width }, (_, i) => i + 1),
    '@',
  );
  if (grid.lastRow() === 0)
    grid.write(1, 1, [[...HEADER, ...new Array<CellValue>(width - HEADER.length).fill('')]]);
  // Consecutive rows go in one write, up to WRITE_ROWS rows per call.
  let block: CellValue[][] = [];
  let blockStart = 0;
  const flush = () => {
    if (block.length > 0) grid.write(blockStart, 1, block);
    block = [];
  };
  for (const { row, id, entry } of changed) {
    if (block.length > 0 && (row !== blockStart + block.length || block.length >= WRITE_ROWS)) flush();
    if (block.length === 0) blockStart = row;
    block.push(toRow(id, entry, width));
  }
  flush();
}
