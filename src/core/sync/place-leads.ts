// Placing leads into a pull step's rows: each lead's row found by its id (or appended), its cells
// encoded, the rep's unpushed edits kept, its snapshot entry recorded; and, at the end of a complete
// pull, the rows of leads Close no longer has marked. An incremental refresh first works out which
// columns of its rows it has to read at all (columnsToRead).
import type { Lead } from '../close/types';
import type { CellValue } from '../ports';
import { apiValuesEqual } from '../schema/codecs';
import { type Column, LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import { type BoundColumn, fieldChange } from './changes';
import type { DirtyCells } from './dirty-cells';
import { cellKey, type ReplacedRecord } from './formula-cells';
import type { SyncContext } from './context';
import type { PullJob } from './job';
import type { Layout } from './pull-layout';
import { GONE_KEY, type Snapshot } from './snapshot';
import { DIGEST_KEY_PREFIX, pulledToken, readOnlyDigest, sameAsDigest, sameAsPulled } from './pulled-value';

/** Where a step's placing writes: the cells it changed are the cells it writes back. */
export interface Placing {
  job: PullJob;
  layout: Layout;
  ctx: SyncContext;
  snapshot: Snapshot;
  /** The step's status stamp, formatted once when first needed. */
  stamp: () => string;
  dirty: DirtyCells;
  /**
   * An incremental refresh reads only the leads Close changed: an entry whose values did not change
   * is left as it is, generation and all (no snapshot cell is rewritten for it; the generations were
   * not even read), and no lead is marked gone for not being read.
   */
  incremental?: boolean;
  /**
   * The records of the last pull that placing replaced because Close changed a field the cell still
   * showed, by cell (`row:column`, formula-cells.ts cellKey): should the cell hold the rep's formula,
   * it is kept, and so is its record.
   */
  replaced?: Map<string, ReplacedRecord>;
}

/** Places one page's leads (or their contacts or opportunities) into the layout's rows. */
export function placeLeads(p: Placing, leads: Lead[]): void {
  const { job, layout, ctx, snapshot, stamp, dirty } = p;
  const statusColumn = layout.columnOf.get(SYNC_STATUS_KEY)!;
  for (const lead of ctx.spec.kind === 'lead' ? leads : leads.flatMap((l) => ctx.spec.objectsOf(l))) {
    // Already placed by this pull (read again after a step was redone, or past a window boundary).
    if (snapshot.generationOf(lead.id) === job.id) continue;
    let index = layout.rowOfLead.get(lead.id);
    if (index === undefined) {
      index = layout.rows.push(new Array<CellValue>(layout.width).fill('')) - 1;
      layout.rowOfLead.set(lead.id, index);
      // Every managed cell of a new row is written (Sync status too: the block stays one rectangle).
      dirty.mark(index, statusColumn);
      job.added++;
    } else job.refreshed++;
    const kept = placeLead(lead, index, layout, ctx, snapshot, job.discardEdits, dirty, p.replaced);
    job.discarded += kept.discarded;
    snapshot.setPacked(lead.id, kept.packed, job.id, p.incremental);
    let status: string | null = null;
    if (kept.unverified > 0) {
      job.unverified = (job.unverified ?? 0) + kept.unverified;
      job.unverifiedRows = (job.unverifiedRows ?? 0) + 1;
      status = `kept ${cells(kept.unverified)} that differ${kept.unverified > 1 ? '' : 's'} from Close: no record of your last pull here, so check ${kept.unverified > 1 ? 'them' : 'it'} (Push sends ${kept.unverified > 1 ? 'them' : 'it'}) · ${stamp()}`;
    } else if (kept.count > 0) {
      job.keptEdits += kept.count;
      job.keptRows = (job.keptRows ?? 0) + 1;
      status = `kept ${kept.count} unpushed edit${kept.count > 1 ? 's' : ''} · ${stamp()}`;
    }
    if (status !== null) setCell(layout, dirty, index, statusColumn, status);
  }
}

/**
 * The columns (1-based) an incremental refresh must read before placing these leads (rows of the sheet,
 * changed in Close): each column where some lead's cell must be compared before it is written. An editable field whose value Close did not change since
 * the last pull needs no reading: its cell shows that value (nothing to write) or the rep's unpushed
 * edit (kept, not written). A read-only column is compared with the digest the last pull recorded
 * (pulled-value.ts): unchanged, its cell still shows Close's value (a full pull would rewrite a cell the
 * rep typed over, and so does the next one) and needs neither reading nor writing; a record without
 * digests (written before they were kept, or by a push that created the lead) leaves it unknown: read.
 */
export function columnsToRead(
  p: Placing,
  leads: Lead[],
): { columns: number[]; rows: number[]; span?: [number, number] } {
  const { layout, ctx, snapshot } = p;
  const need = new Set<number>();
  // Sync status is written, never compared (a status carries its time): it is not read, and bridgeSpans
  // reads the cells between the statuses this refresh writes only where that is cheaper than a write each.
  const list = placements(layout, ctx);
  const rows: number[] = [];
  for (const lead of ctx.spec.kind === 'lead' ? leads : leads.flatMap((l) => ctx.spec.objectsOf(l))) {
    const index = layout.rowOfLead.get(lead.id);
    if (index === undefined || index >= layout.existingRows) continue;
    rows.push(index);
    // A row without a usable record is compared cell by cell with Close (every column read).
    const before = snapshot.isGone(lead.id) ? undefined : snapshot.get(lead.id);
    for (const { column, at, digest } of list) {
      if (need.has(at + 1) || column.key === LEAD_ID_KEY) continue;
      if (
        column.editable &&
        before &&
        column.key in before &&
        sameAsPulled(column.extract(lead), before[column.key], column.kind)
      )
        continue;
      // A read-only field with a digest is compared with it when placed, and written if Close changed it.
      if (digest && before?.[digest] !== undefined) continue;
      need.add(at + 1);
    }
  }
  // A few rows are also read whole (a call each): their unpushed edits in other fields are then found
  // and counted as a full pull counts them. Many scattered rows would cost a call each: not read.
  // The columns are read from the first of these rows to the last: no other row of theirs is compared
  // or written (new rows are below, known), and that block is most often the very one whose formulas
  // are then read and which is written back (one Range for the three: grid.ts).
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (const r of rows) {
    if (r < first) first = r;
    if (r > last) last = r;
  }
  return {
    columns: [...need],
    rows: rows.length <= WHOLE_ROWS_MAX ? rows : [],
    ...(last >= 0 ? { span: [first, last] as [number, number] } : {}),
  };
}

/** Rewritten rows read whole when there are at most this many (about a second of calls). */
const WHOLE_ROWS_MAX = 25;

/**
 * At the end of a pull that read every lead, the rows of leads it did not see are marked gone (a
 * damaged record is rewritten with the mark alone; the row is not pushed either way). Returns how many.
 */
export function markGone(p: Placing): number {
  const { job, layout, snapshot } = p;
  let gone = 0;
  for (const [id, index] of layout.rowOfLead) {
    if (!snapshot.has(id) || snapshot.generationOf(id) === job.id) continue;
    markRowGone(p, id, index);
    gone++;
  }
  return gone;
}

/**
 * Marks the rows of leads Close's Event Log says were deleted (an incremental refresh), as a full pull
 * marks the leads it did not see. A row already marked is left alone. Returns how many were marked.
 */
export function markDeleted(p: Placing, deleted: Iterable<string>): number {
  const { layout, snapshot } = p;
  let gone = 0;
  for (const id of deleted) {
    const index = layout.rowOfLead.get(id);
    if (index === undefined || !snapshot.has(id) || snapshot.isGone(id)) continue;
    markRowGone(p, id, index);
    gone++;
  }
  return gone;
}

function markRowGone(p: Placing, id: string, index: number): void {
  const { layout, snapshot, stamp, dirty } = p;
  const before = snapshot.get(id) ?? {};
  const statusColumn = layout.columnOf.get(SYNC_STATUS_KEY)!;
  setCell(layout, dirty, index, statusColumn, `not in Close any more (deleted or merged?) · ${stamp()}`);
  // An incremental refresh read no generations (snapshot.ts readSnapshot): the mark is this pull's.
  if (!before[GONE_KEY])
    snapshot.set(id, { ...before, [GONE_KEY]: true }, p.incremental ? p.job.id : undefined);
}

/** Sets a cell (1-based column) and notes it for writing when it changed. */
function setCell(layout: Layout, dirty: DirtyCells, index: number, column: number, value: CellValue): void {
  const row = layout.rows[index];
  if (row[column - 1] === value) return;
  row[column - 1] = value;
  dirty.mark(index, column, value);
}

/**
 * Encodes a lead into its row and returns its snapshot values, in the step's layout (the editable
 * columns in order). A cell that does not show what Close has now is the rep's unpushed edit (or
 * invalid typing) when it also differs from what the last pull wrote: it is kept, unless the rep asked
 * to discard edits. The comparison with Close's new value comes first and settles nearly every cell,
 * so a re-pull decodes only the cells that differ.
 */
function placeLead(
  lead: Lead,
  index: number,
  layout: Layout,
  ctx: SyncContext,
  snapshot: Snapshot,
  discard: boolean,
  dirty: DirtyCells,
  replaced?: Placing['replaced'],
): { packed: unknown[]; count: number; discarded: number; unverified: number } {
  const row = layout.rows[index];
  // A new row's cells are all written; a retyped column's cells are written again (under its new format).
  const fresh = index >= layout.existingRows;
  // Only a row this sheet already had, of a lead still in Close, holds edits. With a record of the last
  // pull, a cell is an edit when it differs from that record; without one (no snapshot, a damaged row,
  // a copied sheet), every cell that differs from Close is kept: it may be the rep's edit.
  const existing = index < layout.existingRows && !snapshot.isGone(lead.id);
  // Whether the row's record is usable is only found out (by unpacking it) when a cell differs.
  let mode: 'none' | 'edits' | 'unknown' = !existing ? 'none' : snapshot.has(lead.id) ? 'edits' : 'unknown';
  let before: ReturnType<Snapshot['get']>;
  const list = placements(layout, ctx);
  const packed = new Array<unknown>(list.editable + list.digests + 1);
  packed[0] = snapshotLayout(list, snapshot);
  let k = 1;
  // The read-only digests come after the editable values (their layout keys do too).
  let d = list.editable + 1;
  let count = 0;
  let discarded = 0;
  let unverified = 0;
  const unread = fresh || layout.loadedRows?.has(index) ? undefined : layout.loaded;
  for (let i = 0; i < list.length; i++) {
    const { column, bound, at, watch, digest } = list[i];
    const apiValue = column.extract(lead);
    if (digest) packed[d++] = readOnlyDigest(apiValue, column.kind);
    const cell = bound.codec.encode(apiValue);
    if (unread && !unread.has(at + 1)) {
      // Not read (columnsToRead): an editable field Close did not change is left as it is, and its
      // record stays the value Close has (the one the last pull recorded). A read-only field whose
      // digest differs is written without reading the cell: it shows Close's value whatever it held, as
      // a full pull would write it (bridgeSpans reads the cells between such cells, if any, first).
      if (column.editable) packed[k++] = pulledToken(bound, apiValue, cell);
      else if (digest) {
        before ??= snapshot.get(lead.id);
        if (!sameAsDigest(apiValue, before?.[digest], column.kind)) {
          row[at] = cell;
          dirty.mark(index, at + 1, cell);
        }
      }
      continue;
    }
    if (watch && mode !== 'none' && !bound.codec.shows(row[at], cell)) {
      if (mode === 'edits') {
        before ??= snapshot.get(lead.id);
        if (!before) mode = 'unknown';
      }
      if (mode === 'unknown') {
        const { edit, problem } = fieldChange(bound, row[at], apiValue);
        if (problem || edit) {
          if (!discard) {
            // Recorded as Close has it now: a push sends the kept cell, checked against Close as usual.
            packed[k++] = apiValue;
            unverified++;
            continue;
          }
          discarded++;
        }
      } else {
        const { edit, problem } = fieldChange(bound, row[at], before![column.key]);
        // An edit that already equals Close's value is no edit any more (e.g. a step that wrote rows
        // and died before its snapshot): Close's value is taken.
        if (problem || (edit && !apiValuesEqual(edit.value, apiValue, column.kind))) {
          if (!discard) {
            packed[k++] = before![column.key] ?? null;
            count++;
            continue;
          }
          discarded++;
        }
      }
    }
    // Most values are kept as a short hash (pulled-value.ts): the snapshot only has to recognise them.
    if (column.editable) packed[k++] = pulledToken(bound, apiValue, cell);
    if (fresh || list.rewrite.has(at) || !bound.codec.shows(row[at], cell)) {
      if (replaced && mode === 'edits' && before && !discard)
        replaced.set(cellKey(index, at + 1), {
          id: lead.id,
          key: column.key,
          value: before[column.key] ?? null,
        });
      row[at] = cell;
      dirty.mark(index, at + 1, cell);
    }
  }
  return { packed, count, discarded, unverified };
}

export function cells(n: number): string {
  return `${n} cell${n === 1 ? '' : 's'}`;
}

type Placements = Array<{
  column: Column;
  bound: BoundColumn;
  at: number;
  watch: boolean;
  /** A read-only column's key in the snapshot layout, for its digest (lead sheets only). */
  digest?: string;
}> & {
  /** How many of the columns are editable (their values make the snapshot row). */
  editable: number;
  /** How many read-only columns keep a digest (after the editable values). */
  digests: number;
  /** Columns (0-based) whose every placed cell is written: added or retyped by this step. */
  rewrite: Set<number>;
  /** The snapshot layout of the editable columns' keys, once asked for. */
  layout?: number;
};

const placementCache = new WeakMap<Layout, Placements>();

/** Where each column's value goes in a row, worked out once per step rather than per lead. */
function placements(layout: Layout, ctx: SyncContext): Placements {
  let list = placementCache.get(layout);
  if (!list) {
    const found = ctx.columns
      .filter((c) => c.key !== SYNC_STATUS_KEY)
      .map((column) => ({
        column,
        bound: ctx.byKey.get(column.key)!,
        at: layout.columnOf.get(column.key)! - 1,
        // An editable column the sheet already had: its cells may hold the rep's edits.
        watch: column.editable && layout.tracked.has(column.key),
        // Only a lead sheet is refreshed incrementally (incremental.ts): other sheets keep no digests.
        ...(!column.editable && column.key !== LEAD_ID_KEY && ctx.spec.kind === 'lead'
          ? { digest: DIGEST_KEY_PREFIX + column.key }
          : {}),
      }));
    list = Object.assign(found, {
      editable: found.filter((p) => p.column.editable).length,
      digests: found.filter((p) => p.digest).length,
      rewrite: new Set([...layout.addedColumns, ...layout.retyped].map((c) => c - 1)),
    });
    placementCache.set(layout, list);
  }
  return list;
}

function snapshotLayout(list: Placements, snapshot: Snapshot): number {
  list.layout ??= snapshot.layoutOf([
    ...list.filter((p) => p.column.editable).map((p) => p.column.key),
    ...list.flatMap((p) => (p.digest ? [p.digest] : [])),
  ]);
  return list.layout;
}
