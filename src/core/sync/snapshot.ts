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
const MERGE_GAP_ROWS = 1_000;
const HEADER: CellValue[] = ['Lead ID', 'Pull', 'Values'];
/** Columns of a new snapshot sheet (it grows when a value needs more than one cell). */
export const SNAPSHOT_COLUMNS = HEADER.length;

interface Entry {
  values: LeadValues;
  generation: string;
  /** Sheet row (1-based), once written. */
  row?: number;
  /** The values' JSON as read from the sheet, while they are unchanged (rewriting it needs no stringify). */
  json?: string;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((v, i) => v === b[i]);
}

function sameValues(a: LeadValues, b: LeadValues): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => sameValue(a[k], b[k]));
}

export class Snapshot {
  private readonly entries = new Map<string, Entry>();
  /** Entries whose values changed (the whole row is written)… */
  private readonly dirty = new Set<string>();
  /** …and entries where only the pull generation moved (one cell each). */
  private readonly restamped = new Set<string>();
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
    const next: Entry = { values, generation: generation ?? entry?.generation ?? '', row: entry?.row };
    this.entries.set(leadId, next);
    if (!entry || entry.row === undefined || !sameValues(entry.values, values)) this.dirty.add(leadId);
    else {
      next.json = entry.json;
      if (entry.generation !== next.generation) this.restamped.add(leadId);
    }
  }

  /** Moves one field forward after Close accepted it. */
  setField(leadId: string, key: string, value: unknown): void {
    const entry = this.entries.get(leadId);
    this.set(leadId, { ...(entry?.values ?? {}), [key]: value });
  }

  /** Loads a row read from the sheet (not dirty). */
  load(leadId: string, values: LeadValues, generation: string, row: number, json?: string): void {
    this.entries.set(leadId, { values, generation, row, json });
    this.lastRow = Math.max(this.lastRow, row);
  }

  /**
   * Rows to write: every changed entry (new ones appended below the last row), plus the unchanged rows
   * in short gaps between them — rewriting a few hundred rows costs less than another service call.
   */
  takeDirty(): Array<{ row: number; id: string; entry: Entry }> {
    if (this.dirty.size === 0) return [];
    const byRow: Array<{ row: number; id: string; entry: Entry } | undefined> = [];
    for (const [id, entry] of this.entries)
      if (entry.row !== undefined) byRow[entry.row] = { row: entry.row, id, entry };
    const out: Array<{ row: number; id: string; entry: Entry }> = [];
    for (const id of this.dirty) {
      const entry = this.entries.get(id)!;
      if (entry.row === undefined) entry.row = ++this.lastRow;
      out.push({ row: entry.row, id, entry });
      this.restamped.delete(id);
    }
    this.dirty.clear();
    out.sort((a, b) => a.row - b.row);
    const merged: typeof out = [];
    for (const item of out) {
      const previous = merged[merged.length - 1];
      if (previous && item.row - previous.row > 1 && item.row - previous.row <= MERGE_GAP_ROWS) {
        for (let r = previous.row + 1; r < item.row; r++) {
          const filler = byRow[r];
          if (filler) {
            merged.push(filler);
            this.restamped.delete(filler.id);
          }
        }
      }
      merged.push(item);
    }
    return merged;
  }

  /**
   * The generation column from the first to the last restamped row, every row in between included (a
   * pull restamps nearly every lead, so one block beats many small ones).
   */
  takeRestamped(): { firstRow: number; generations: CellValue[][] } | null {
    if (this.restamped.size === 0) return null;
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (const id of this.restamped) {
      const row = this.entries.get(id)!.row!;
      first = Math.min(first, row);
      last = Math.max(last, row);
    }
    this.restamped.clear();
    const generations: CellValue[][] = Array.from({ length: last - first + 1 }, () => ['']);
    for (const entry of this.entries.values())
      if (entry.row !== undefined && entry.row >= first && entry.row <= last)
        generations[entry.row - first][0] = entry.generation;
    return { firstRow: first, generations };
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
    snapshot.load(id, json ? (JSON.parse(json) as LeadValues) : {}, String(row[1]), i + 2, json || undefined);
  });
  return snapshot;
}

function toCells(id: string, entry: Entry): CellValue[] {
  const json = entry.json ?? JSON.stringify(entry.values);
  const row: CellValue[] = [id, entry.generation];
  for (let i = 0; i < json.length; i += CHUNK_CHARS) row.push(json.slice(i, i + CHUNK_CHARS));
  return row;
}

/** Writes what changed since the snapshot was read: whole rows for changed values, else generations. */
export function writeSnapshot(workbook: Workbook, sheetName: string, snapshot: Snapshot): void {
  const changed = snapshot.takeDirty();
  const restamped = snapshot.takeRestamped();
  if (changed.length === 0 && !restamped) return;
  const name = snapshotSheetName(sheetName);
  const grid: Grid =
    workbook.sheet(name) ?? workbook.createSheet(name, { hidden: true, columns: SNAPSHOT_COLUMNS });
  if (restamped) {
    for (let i = 0; i < restamped.generations.length; i += WRITE_ROWS)
      grid.write(restamped.firstRow + i, 2, restamped.generations.slice(i, i + WRITE_ROWS));
  }
  if (changed.length === 0) return;
  const rows = changed.map(({ row, id, entry }) => ({ row, cells: toCells(id, entry) }));
  let width = Math.max(HEADER.length, grid.lastColumn());
  for (const r of rows) width = Math.max(width, r.cells.length);
  for (const r of rows) while (r.cells.length < width) r.cells.push('');
  const lastRow = changed[changed.length - 1].row;
  grid.ensureSize(lastRow, width);
  // Plain text first: generations look like numbers and JSON must never be parsed by Sheets.
  grid.formatColumns(
    Array.from({ length: width }, (_, i) => i + 1),
    '@',
  );
  if (grid.lastRow() === 0)
    grid.write(1, 1, [[...HEADER, ...new Array<CellValue>(width - HEADER.length).fill('')]]);
  writeBlocks(grid, 1, rows);
}

/** Writes rows in blocks of consecutive sheet rows, up to WRITE_ROWS rows per call. */
function writeBlocks(grid: Grid, column: number, rows: Array<{ row: number; cells: CellValue[] }>): void {
  if (rows.length === 0) return;
  let block: CellValue[][] = [];
  let blockStart = 0;
  const flush = () => {
    if (block.length > 0) grid.write(blockStart, column, block);
    block = [];
  };
  for (const { row, cells } of rows) {
    if (block.length > 0 && (row !== blockStart + block.length || block.length >= WRITE_ROWS)) flush();
    if (block.length === 0) blockStart = row;
    block.push(cells);
  }
  flush();
}
