// The snapshot: what the last pull (or successful push) saw in Close, per Lead ID and editable field.
// Push compares the sheet against it, so it lives in the spreadsheet — a hidden sheet, one row per lead:
// [Lead ID and values, pull generation] — keyed by Lead ID, never by the data sheet's row number, so
// sorting or moving rows cannot make phantom changes. The ID and the values share one cell (format 4):
// two cells a lead (Sheets counts every cell against its 10 million, and a cell costs about as much to
// read or write as 120 bytes of it: sheet-cost.ts), and a lead's values can never be parted from its ID.
// A row longer than a cell continues in the third column and on.
//
// The values are kept as format 3 rows (snapshot-row.ts), most as a 6-character hash (pulled-value.ts
// says which, and why that is enough): `^<layout>:` and one token per field of the layout — six
// base64url characters for a hashed value, `.` for null, `,` for an empty string, `(<JSON>)` for a value
// kept whole, `[…]` for a multi-value with hashed elements. A row's first cell is the Lead ID followed by
// that text (a Close id never holds `^`). Hashed values come back from get() as `Hashed`; compare them
// with sameAsPulled/showsPulled. The layout (the field keys, in order) is kept in the header row's first
// cell, `{"format":4,"layouts":[[keys…],…],"generations":{"<code>":"<job id>"},"values":[…]}`: layouts
// are only ever appended, so a row stays readable as it is. The generation column holds `~code`, a code
// the header maps to the pull's job id (16 characters on every row otherwise).
//
// Older rows still read, each by its own shape: format 3 and 2 rows hold the Lead ID alone in the first
// column and the values from the third (format 2: `[layout, value, …]`, the generation written out),
// format 1 a JSON object keyed by field; an older header has `Lead ID` first and its JSON from the third
// column. A row is rewritten in format 4 when its lead's values next change (its third column emptied).
//
// Only the rows whose values changed are written. A changed row far from any other written row is not
// rewritten in place (a service call of its own, or the unchanged rows between it and the next one
// rewritten with it) but appended below the last row, with every other such row in one block: a lead's
// LAST row is its record (readSnapshot reads top to bottom and a later row replaces an earlier one), so
// the row above is merely stale. An hourly refresh that changes 1% of 50,000 leads, scattered, writes
// 500 rows at the bottom instead of the whole sheet. Stale rows are dropped by a compacting rewrite once
// they are a quarter of the rows (about a day of hourly refreshes of 1%).
import type { CellGrid, CellValue, Workbook } from '../ports';
import { DIGEST_KEY_PREFIX, Digest, Hashed, Interned } from './pulled-value';
import { Dictionary, decodeRow, encodeRow, ROW_MARK, readableLayout } from './snapshot-row';

export type LeadValues = Record<string, unknown>;

/** Marks a lead that a pull no longer found in Close. */
export const GONE_KEY = '__gone';

const CHUNK_CHARS = 45_000;
/** Characters per setValues call (about as much as a data block of 600,000 cells): 10,000 leads in one. */
const WRITE_CHARS = 12_000_000;
const WRITE_ROWS = 20_000;
const FORMAT = 4;
/** How a generation code starts in the generation column (job ids never start with it). */
const GEN_MARK = '~';
/**
 * Unchanged rows rewritten to join two changed ones rather than a second call: a row is three cells and
 * about 220 bytes (~0.35 ms written, bench/model.ts's published costs), a call ~30 ms, so ~50 rows at most
 * (at 1,000 — the size once chosen when cells cost nothing — a refresh of 1% rewrote every row).
 */
const MERGE_GAP_ROWS = 50;
/**
 * A run of changed rows (gaps under MERGE_GAP_ROWS) with fewer than this many changed rows is appended
 * below the last row instead (one block for all of them), leaving its old rows stale: a call saved now
 * for each few rows read a little longer until the next compaction.
 */
const IN_PLACE_MIN_ROWS = 8;
/** Stale rows (a lead's earlier rows) are compacted away when they pass this share of the rows. */
const STALE_SHARE = 0.25;
/** …and this many (a few stale rows are not worth rewriting a small snapshot for). */
const STALE_MIN_ROWS = 100;
/**
 * Columns of a new snapshot sheet: the ID and values, and the generation (it grows when a row needs
 * more than one cell).
 */
export const SNAPSHOT_COLUMNS = 2;

interface Entry {
  /** The values; for a row read from the sheet, unpacked from `json` when first asked for. */
  values?: LeadValues;
  /** The values as a pull placed them: `[layout, value, value, …]`, the row's JSON before stringify. */
  packed?: unknown[];
  generation: string;
  /** Sheet row (1-based), once written. */
  row?: number;
  /** The row's text as read from the sheet (or as it will be written), while the values are unchanged. */
  json?: string;
  /** The row read from the sheet could not be unpacked. */
  damaged?: boolean;
}

interface Header {
  format: number;
  layouts: string[][];
  /** Format 3: generation code → the pull's job id. */
  generations?: Record<string, string>;
  /** Format 3: the interned values (snapshot-row.ts). */
  values?: string[];
}

function sameScalar(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    (a instanceof Hashed && b instanceof Hashed && a.hash === b.hash) ||
    (a instanceof Digest && b instanceof Digest && a.hash === b.hash)
  );
}

/** A value as get() hands it out: an interned one as itself. */
function plain(value: unknown): unknown {
  return value instanceof Interned ? value.value : value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (sameScalar(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((v, i) => sameScalar(v, b[i]));
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
  /** …and entries where only the pull generation moved (that cell, or the whole row when rows are written anyway). */
  private readonly restamped = new Set<string>();
  private lastRow = 1;
  /** Rows read or written that a later row of the same lead replaced. */
  private stale = 0;
  private layouts: string[][] = [];
  private readonly layoutIndex = new Map<string, number>();
  private layoutsChanged = false;
  private lastLayout = -1;
  /** Per layout: whether it has the gone mark (most have not, and then no row of it is unpacked). */
  private readonly layoutMarksGone = new Map<number, boolean>();
  /** Generation codes (format 3's generation column) both ways, and whether a code was added. */
  private readonly generationIds = new Map<string, string>();
  private readonly generationCodes = new Map<string, string>();
  private nextCode = 1;
  private generationsChanged = false;
  private dictionary = new Dictionary();
  /**
   * The generation column was not read (an incremental refresh: readSnapshot): every entry read has an
   * unknown generation, which must never be written back — so no row is rewritten unless its values
   * changed (with the pull's generation), nothing is compacted or rewritten in place, and the header
   * keeps every generation code it had.
   */
  private generationsUnread = false;

  /**
   * What was pulled for a lead; undefined when the lead is unknown or its row is damaged (see
   * isDamaged): one unreadable row must not stop a pull, preview or push of every other lead.
   */
  get(leadId: string): LeadValues | undefined {
    const entry = this.entries.get(leadId);
    if (entry && !entry.values && !entry.damaged) {
      try {
        entry.values = entry.packed
          ? this.unpackList(entry.packed)
          : entry.json
            ? this.unpack(entry.json)
            : {};
      } catch {
        entry.damaged = true;
      }
    }
    return entry?.damaged ? undefined : entry?.values;
  }

  /**
   * Whether a lead has a record that can be read, without unpacking it when it was read from the sheet
   * in format 3 (an incremental refresh checks every row of the sheet, and unpacks only those it rewrites).
   */
  isUsable(leadId: string): boolean {
    const entry = this.entries.get(leadId);
    if (!entry) return false;
    if (!entry.values && !entry.packed && !entry.damaged && entry.json?.startsWith(ROW_MARK))
      return this.layouts[readableLayout(entry.json, this.dictionary.values.length)] !== undefined;
    return !this.isDamaged(leadId);
  }

  /** A row of the snapshot sheet that cannot be read (edited by hand, garbage JSON, a layout it lacks). */
  isDamaged(leadId: string): boolean {
    this.get(leadId);
    return this.entries.get(leadId)?.damaged === true;
  }

  /** Rows whose values will be written (a step's write estimate counts them). */
  get pendingRows(): number {
    return this.dirty.size;
  }

  has(leadId: string): boolean {
    return this.entries.has(leadId);
  }

  /** A lead a pull no longer found in Close (only rows whose layout can say so are unpacked). */
  isGone(leadId: string): boolean {
    const entry = this.entries.get(leadId);
    if (!entry) return false;
    if (!entry.values && (entry.packed || entry.json?.startsWith('[') || entry.json?.startsWith(ROW_MARK))) {
      // `[3,…` and `^3:…` both have the layout number from their second character.
      const layout = entry.packed
        ? (entry.packed[0] as number)
        : Number.parseInt(entry.json!.slice(1, 12), 10);
      // Not a layout number: the row is read whole (and found damaged) below.
      let marks = this.layoutMarksGone.get(layout);
      if (marks === undefined) {
        marks = this.layouts[layout]?.includes(GONE_KEY) ?? true;
        this.layoutMarksGone.set(layout, marks);
      }
      if (!marks) return false;
    }
    return Boolean(this.get(leadId)?.[GONE_KEY]);
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
    let same = false;
    if (entry && entry.row !== undefined) {
      if (entry.values) same = sameValues(entry.values, values);
      else {
        // Never unpacked: packing the new values and comparing text is cheaper than unpacking.
        next.json = this.pack(values);
        same = next.json === this.jsonOf(entry);
      }
    }
    this.track(leadId, entry, next, same);
  }

  private track(leadId: string, entry: Entry | undefined, next: Entry, same: boolean): void {
    if (!same) this.dirty.add(leadId);
    else {
      next.json = entry!.json;
      // The generation column is written as a block over the rows between: not while generations are unknown.
      if (entry!.generation !== next.generation)
        (this.generationsUnread ? this.dirty : this.restamped).add(leadId);
    }
  }

  /**
   * The layout index of these keys (added to the header if new): a pull asks once per step, then
   * places each lead's values straight into `[index, …values]` (see setPacked).
   */
  layoutOf(keys: string[]): number {
    const id = keys.join('\u0001');
    let index = this.layoutIndex.get(id);
    if (index === undefined) {
      index = this.layouts.push(keys) - 1;
      this.layoutIndex.set(id, index);
      this.layoutsChanged = true;
    }
    return index;
  }

  /**
   * Like set, for values already in a layout: `[layoutOf(keys), …values]` (no object, no key order to
   * check). With `keepIfSame`, a record whose values did not change is left as it is, generation and all
   * (an incremental refresh: no snapshot cell is written for a lead whose values Close did not change).
   */
  setPacked(leadId: string, packed: unknown[], generation: string, keepIfSame = false): void {
    const entry = this.entries.get(leadId);
    if (
      keepIfSame &&
      entry?.row !== undefined &&
      encodeRow(packed[0] as number, packed, this.dictionary, 1) === this.jsonOf(entry)
    )
      return;
    const next: Entry = { packed, generation, row: entry?.row };
    this.entries.set(leadId, next);
    let same = false;
    if (entry && entry.row !== undefined) {
      next.json = encodeRow(packed[0] as number, packed, this.dictionary, 1);
      same = next.json === this.jsonOf(entry);
    }
    this.track(leadId, entry, next, same);
  }

  /** A row's text as it is (read) or would be written. */
  jsonOf(entry: Entry): string {
    return (
      entry.json ??
      (entry.packed
        ? encodeRow(entry.packed[0] as number, entry.packed, this.dictionary, 1)
        : this.pack(entry.values ?? {}))
    );
  }

  /** Moves one field forward after Close accepted it. */
  setField(leadId: string, key: string, value: unknown): void {
    this.set(leadId, { ...(this.get(leadId) ?? {}), [key]: value });
  }

  /** Takes the layouts (and format 3's generation codes) from the header row read from the sheet. */
  loadLayouts(layouts: string[][], generations: Record<string, string> = {}, values: string[] = []): void {
    this.layouts = layouts;
    this.dictionary = new Dictionary(values);
    layouts.forEach((keys, i) => {
      this.layoutIndex.set(keys.join('\u0001'), i);
    });
    for (const [code, id] of Object.entries(generations)) {
      this.generationIds.set(code, id);
      this.generationCodes.set(id, code);
      this.nextCode = Math.max(this.nextCode, Number.parseInt(code, 36) + 1 || 0);
    }
  }

  /** The generation column's cell for a job id: a short code the header maps to it. */
  generationCell(generation: string): string {
    if (!generation) return '';
    let code = this.generationCodes.get(generation);
    if (code === undefined) {
      code = (this.nextCode++).toString(36);
      this.generationCodes.set(generation, code);
      this.generationIds.set(code, generation);
      this.generationsChanged = true;
    }
    return GEN_MARK + code;
  }

  /** A job id from the generation column: a code (format 3) or the id itself (older rows). */
  private generationFrom(cell: string): string {
    return cell.startsWith(GEN_MARK) ? (this.generationIds.get(cell.slice(1)) ?? '') : cell;
  }

  /** Values from a row's text: format 3, an array in a layout (format 2), or an object (format 1). */
  unpack(json: string): LeadValues {
    if (json.startsWith(ROW_MARK)) return this.unpackList(decodeRow(json, this.dictionary));
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return parsed as LeadValues;
    return this.unpackList(parsed);
  }

  private unpackList(parsed: unknown[]): LeadValues {
    const keys = this.layouts[parsed[0] as number];
    if (!keys)
      throw new Error(`Close Sync's snapshot refers to a layout it does not have (${String(parsed[0])}).`);
    const values: LeadValues = {};
    for (let i = 0; i < keys.length; i++) values[keys[i]] = plain(parsed[i + 1]);
    return values;
  }

  /** A row's text: the values in their layout, added to the header if new. */
  pack(values: LeadValues): string {
    // Read-only digests last (a row's digests run to its end: snapshot-row.ts), e.g. after a push
    // added a field's value to a row that has them.
    let keys = Object.keys(values);
    const digestAt = (i: number) => keys[i].startsWith(DIGEST_KEY_PREFIX);
    if (keys.some((_, i) => i + 1 < keys.length && digestAt(i) && !digestAt(i + 1)))
      keys = [
        ...keys.filter((k) => !k.startsWith(DIGEST_KEY_PREFIX)),
        ...keys.filter((k) => k.startsWith(DIGEST_KEY_PREFIX)),
      ];
    let index = this.lastLayout;
    const last = this.layouts[index];
    if (!last || last.length !== keys.length || !keys.every((k, i) => k === last[i])) {
      index = this.layoutOf(keys);
      this.lastLayout = index;
    }
    const row = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) row[i] = values[keys[i]];
    return encodeRow(index, row, this.dictionary);
  }

  /**
   * The header row's JSON when layouts or generation codes were added since it was read (else null).
   * Codes no entry uses any more are left out (a code is never given to another job: the next code
   * counts on from the highest ever written, which the header keeps).
   */
  takeHeader(isNew: boolean): string | null {
    if (!this.layoutsChanged && !this.generationsChanged && !this.dictionary.changed && !isNew) return null;
    this.layoutsChanged = false;
    this.generationsChanged = false;
    this.dictionary.changed = false;
    const used = new Set<string>();
    for (const entry of this.entries.values()) used.add(entry.generation);
    const generations: Record<string, string> = {};
    for (const [id, code] of this.generationCodes)
      if (used.has(id) || this.generationsUnread) generations[code] = id;
    // The highest code stays in the header even when unused, so it is never handed out again.
    const top = (this.nextCode - 1).toString(36);
    if (this.nextCode > 1 && !(top in generations)) generations[top] = this.generationIds.get(top) ?? '';
    const header: Header = {
      format: FORMAT,
      layouts: this.layouts,
      generations,
      values: this.dictionary.values,
    };
    return JSON.stringify(header);
  }

  /** The rows are loaded without their generations (see generationsUnread). */
  withoutGenerations(): void {
    this.generationsUnread = true;
  }

  /** Loads a row read from the sheet (not dirty). */
  load(leadId: string, json: string, generation: string, row: number): void {
    // A lead's last row is its record (rows moved down, see takeDirty): the one above is stale.
    if (this.entries.has(leadId)) this.stale++;
    this.entries.set(leadId, {
      generation: this.generationsUnread ? '' : this.generationFrom(generation),
      row,
      json: json || undefined,
    });
    this.lastRow = Math.max(this.lastRow, row);
  }

  /**
   * Rows to write: every changed entry, in place when other changed rows are near (the unchanged rows
   * in short gaps between them rewritten along: cheaper than another service call), else appended
   * below the last row (see the file's opening comment). When stale rows have piled up, every entry is
   * rewritten from row 2 down instead (`compacted`: the rows below the last one are then emptied).
   */
  takeDirty(): { rows: Array<{ row: number; id: string; entry?: Entry }>; compacted?: number } {
    if (this.dirty.size === 0) return { rows: [] };
    if (
      !this.generationsUnread &&
      this.stale + this.relocatable() > Math.max(STALE_MIN_ROWS, STALE_SHARE * this.lastRow)
    )
      return this.compact();
    // Which entry each row holds, for the unchanged rows written along with a run in place (none while
    // generations are unknown: every changed row is appended then, and a refresh of a big snapshot
    // need not index all of its rows).
    const byRow: Array<{ row: number; id: string; entry: Entry } | undefined> = [];
    if (!this.generationsUnread)
      for (const [id, entry] of this.entries)
        if (entry.row !== undefined) byRow[entry.row] = { row: entry.row, id, entry };
    const placed: Array<{ row: number; id: string; entry: Entry }> = [];
    const fresh: string[] = [];
    for (const id of this.dirty) {
      const entry = this.entries.get(id)!;
      if (entry.row === undefined) fresh.push(id);
      else placed.push({ row: entry.row, id, entry });
      this.restamped.delete(id);
    }
    this.dirty.clear();
    placed.sort((a, b) => a.row - b.row);
    const out: Array<{ row: number; id: string; entry?: Entry }> = [];
    // Runs of changed rows whose gaps are short; a run too small to be worth its own call moves down.
    for (let i = 0; i < placed.length; ) {
      let j = i + 1;
      while (j < placed.length && placed[j].row - placed[j - 1].row <= MERGE_GAP_ROWS + 1) j++;
      const run = placed.slice(i, j);
      i = j;
      // (The unchanged rows between would be written with their generations: not while those are unknown.)
      if (run.length < IN_PLACE_MIN_ROWS || this.generationsUnread) {
        for (const item of run) {
          item.entry.row = undefined;
          fresh.push(item.id);
          this.stale++;
        }
        continue;
      }
      for (let k = 0; k < run.length; k++) {
        out.push(run[k]);
        // The unchanged rows between go along as they are (restamped ones with their new generation).
        if (k + 1 < run.length)
          for (let r = run[k].row + 1; r < run[k + 1].row; r++) {
            const filler = byRow[r];
            if (filler) {
              out.push(filler);
              this.restamped.delete(filler.id);
            } else {
              // A stale row (or a blank one): emptied, so the run stays one block.
              out.push({ row: r, id: '' });
              if (this.stale > 0) this.stale--;
            }
          }
      }
    }
    for (const id of fresh) {
      const entry = this.entries.get(id)!;
      entry.row = ++this.lastRow;
      out.push({ row: entry.row, id, entry });
    }
    return { rows: out };
  }

  /** Changed entries that already have a row: each one moved down leaves a stale row (an upper bound). */
  private relocatable(): number {
    let n = 0;
    for (const id of this.dirty) if (this.entries.get(id)!.row !== undefined) n++;
    return n;
  }

  /** Every entry from row 2 down, in its current order; returns the first row left over. */
  private compact(): { rows: Array<{ row: number; id: string; entry: Entry }>; compacted: number } {
    const ordered = [...this.entries].sort(
      ([, a], [, b]) => (a.row ?? Number.POSITIVE_INFINITY) - (b.row ?? Number.POSITIVE_INFINITY),
    );
    const rows = ordered.map(([id, entry], i) => {
      entry.row = i + 2;
      return { row: entry.row, id, entry };
    });
    const clearFrom = rows.length + 2;
    this.dirty.clear();
    this.restamped.clear();
    this.stale = 0;
    this.lastRow = rows.length + 1;
    return { rows, compacted: clearFrom };
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
        generations[entry.row - first][0] = this.generationCell(entry.generation);
    return { firstRow: first, generations };
  }
}

export function snapshotSheetName(sheetName: string): string {
  return `Close Sync snapshot · ${sheetName}`;
}

/** A row's text from its third column on (a long row's continuation; an older row's values). */
function continuation(row: CellValue[]): string {
  let text = '';
  for (let c = 2; c < row.length && row[c] !== ''; c++) text += String(row[c]);
  return text;
}

/** The header's JSON: in the first cell (format 4), or from the third column (older headers). */
function headerText(row: CellValue[]): string {
  const first = String(row[0] ?? '');
  return first.startsWith('{') ? first + continuation(row) : continuation(row);
}

/**
 * A data row's Lead ID and values: both in the first cell (format 4: the values start at its first
 * `^`), or the ID alone there and the values from the third column (older rows).
 */
function rowText(row: CellValue[]): { id: string; text: string } {
  const first = String(row[0] ?? '');
  const mark = first.indexOf(ROW_MARK);
  if (mark < 0) return { id: first, text: continuation(row) };
  return { id: first.slice(0, mark), text: first.slice(mark) + continuation(row) };
}

/** Whether a row read without its third column needs it: an older row or header, or one longer than a cell. */
function goesOn(first: string, header: boolean): boolean {
  if (first === '') return false;
  if (first.length >= CHUNK_CHARS) return true;
  return header ? !first.startsWith('{') : !first.includes(ROW_MARK);
}

/**
 * Reads the snapshot sheet. `withGenerations: false` (an incremental refresh) leaves out the generation
 * column — half the cells of a format 4 snapshot, read at about 30 µs each (sheet-cost.ts) — and reads
 * the first column alone, then the third column on only for the rows that go on there (older rows, a
 * row longer than a cell), from the first such row to the last.
 */
export function readSnapshot(workbook: Workbook, sheetName: string, withGenerations = true): Snapshot {
  const grid = workbook.sheet(snapshotSheetName(sheetName));
  const snapshot = new Snapshot();
  if (!grid) return snapshot;
  const rows = grid.lastRow();
  const cols = grid.lastColumn();
  if (rows < 1 || cols < 1) return snapshot;
  let table: CellValue[][];
  if (withGenerations) table = grid.read(1, 1, rows, cols);
  else {
    snapshot.withoutGenerations();
    // Read once (a refresh appends its rows below): one call where the grid can (readOnce).
    table = (grid.readOnce?.(1, 1, rows, 1) ?? grid.read(1, 1, rows, 1)).map(([first]) => [first, '']);
    let from = -1;
    let to = -1;
    table.forEach(([first], i) => {
      if (!goesOn(String(first), i === 0)) return;
      if (from < 0) from = i;
      to = i;
    });
    if (from >= 0 && cols >= 3)
      grid.read(from + 1, 3, to - from + 1, cols - 2).forEach((rest, i) => {
        table[from + i].push(...rest);
      });
  }
  const [header, ...data] = table;
  const headerJson = headerText(header);
  if (headerJson.startsWith('{')) {
    try {
      const parsed = JSON.parse(headerJson) as Header;
      snapshot.loadLayouts(parsed.layouts, parsed.generations, parsed.values);
    } catch {
      // A damaged header: every row in a layout is then unreadable, and each is treated as damaged.
    }
  }
  data.forEach((row, i) => {
    const { id, text } = rowText(row);
    if (!id) return;
    snapshot.load(id, text, String(row[1]), i + 2);
  });
  return snapshot;
}

/**
 * A lead's row: format 4 for values in format 3 text (every row a pull or push makes); a row of an older
 * format rewritten as it is (an unchanged row written along with changed ones) keeps its own shape, the
 * ID alone in the first cell, as does an ID that holds the row mark (no Close id does).
 */
function dataCells(id: string, text: string, generation: CellValue): CellValue[] {
  if (text.startsWith(ROW_MARK) && !id.includes(ROW_MARK)) return rowCells(id + text, generation);
  const cells: CellValue[] = [id, generation];
  for (let i = 0; i < text.length; i += CHUNK_CHARS) cells.push(text.slice(i, i + CHUNK_CHARS));
  return cells;
}

/**
 * A row's cells: its text (a lead's ID and values, or the header's JSON) in the first cell and on from
 * the third when longer than a cell, the generation (or nothing) in the second.
 */
function rowCells(text: string, generation: CellValue): CellValue[] {
  const cells: CellValue[] = [text.slice(0, CHUNK_CHARS), generation];
  for (let i = CHUNK_CHARS; i < text.length; i += CHUNK_CHARS) cells.push(text.slice(i, i + CHUNK_CHARS));
  return cells;
}

/** Writes what changed since the snapshot was read: whole rows for changed values, else generations. */
export function writeSnapshot(workbook: Workbook, sheetName: string, snapshot: Snapshot): void {
  const { rows: changed, compacted } = snapshot.takeDirty();
  const restamped = snapshot.takeRestamped();
  if (changed.length === 0 && !restamped) return;
  const name = snapshotSheetName(sheetName);
  const grid: CellGrid =
    workbook.sheet(name) ?? workbook.createSheet(name, { hidden: true, columns: SNAPSHOT_COLUMNS });
  if (restamped) {
    for (let i = 0; i < restamped.generations.length; i += WRITE_ROWS)
      grid.write(restamped.firstRow + i, 2, restamped.generations.slice(i, i + WRITE_ROWS));
  }
  const rows = changed.map(({ row, id, entry }) => ({
    row,
    cells: entry
      ? dataCells(id, snapshot.jsonOf(entry), snapshot.generationCell(entry.generation))
      : ['', ''],
  }));
  const lastColumn = grid.lastColumn();
  // After the rows' generation codes: a new code goes into the header.
  const header = snapshot.takeHeader(lastColumn === 0 || compacted !== undefined);
  if (changed.length === 0) {
    // Only generations moved: the header too when it names a new one.
    if (header !== null) {
      const cells = headerCells(header, lastColumn);
      grid.ensureSize(1, cells.length);
      writeBlocks(grid, 1, [{ row: 1, cells }]);
    }
    return;
  }
  if (header !== null) rows.unshift({ row: 1, cells: rowCells(header, '') });
  // As wide as the sheet: a row rewritten over an older one (its values from the third column) or a
  // longer one leaves nothing of it behind.
  let width = Math.max(SNAPSHOT_COLUMNS, lastColumn);
  for (const r of rows) width = Math.max(width, r.cells.length);
  for (const r of rows) while (r.cells.length < width) r.cells.push('');
  // Appended rows go right after the last (they need no format but the plain text set below).
  grid.ensureSize(
    changed.reduce((n, c) => Math.max(n, c.row), 0),
    width,
    true,
  );
  // Sheets parses what is written like typing. The first two columns cannot be mistaken for anything
  // (a Close id and its row, a header after `{`, a generation code after `~`), but a long row's
  // continuation can start with anything: those columns are plain text before it lands.
  if (rows.some((r) => r.cells.slice(SNAPSHOT_COLUMNS).some((c) => c !== '')))
    grid.formatColumns(
      Array.from({ length: width - SNAPSHOT_COLUMNS }, (_, i) => SNAPSHOT_COLUMNS + i + 1),
      '@',
    );
  rows.sort((a, b) => a.row - b.row);
  writeBlocks(grid, 1, rows);
  // A compacted snapshot is shorter: the stale rows left below it are emptied.
  if (compacted !== undefined && grid.lastRow() >= compacted) grid.clearRowsFrom(compacted);
}

/** The header row's cells, as wide as the sheet (a shorter header would leave an older one's tail). */
function headerCells(header: string, width: number): CellValue[] {
  const cells = rowCells(header, '');
  while (cells.length < width) cells.push('');
  return cells;
}

/** Writes rows in blocks of consecutive sheet rows, each block up to a few MB. */
function writeBlocks(grid: CellGrid, column: number, rows: Array<{ row: number; cells: CellValue[] }>): void {
  if (rows.length === 0) return;
  let block: CellValue[][] = [];
  let blockStart = 0;
  let chars = 0;
  const flush = () => {
    if (block.length > 0) grid.write(blockStart, column, block);
    block = [];
    chars = 0;
  };
  for (const { row, cells } of rows) {
    if (
      block.length > 0 &&
      (row !== blockStart + block.length || block.length >= WRITE_ROWS || chars >= WRITE_CHARS)
    )
      flush();
    if (block.length === 0) blockStart = row;
    block.push(cells);
    for (const c of cells) chars += typeof c === 'string' ? c.length : 8;
  }
  flush();
}
