// Placing leads into a pull step's rows: each lead's row found by its id (or appended), its cells
// encoded, the rep's unpushed edits kept, its snapshot entry recorded; and, at the end of a complete
// pull, the rows of leads Close no longer has marked.
import type { Lead } from '../close/types';
import type { CellValue } from '../ports';
import { apiValuesEqual } from '../schema/codecs';
import { type Column, SYNC_STATUS_KEY } from '../schema/columns';
import { type BoundColumn, fieldChange } from './changes';
import type { SyncContext } from './context';
import type { PullJob } from './job';
import type { Layout } from './pull-layout';
import { GONE_KEY, type Snapshot } from './snapshot';

/** Where a step's placing writes: the rows it touched (first and last) are the rows it writes back. */
export interface Placing {
  job: PullJob;
  layout: Layout;
  ctx: SyncContext;
  snapshot: Snapshot;
  /** The step's status stamp, formatted once when first needed. */
  stamp: () => string;
  touch: (index: number) => void;
}

/** Places one page's leads (or their contacts or opportunities) into the layout's rows. */
export function placeLeads(p: Placing, leads: Lead[]): void {
  const { job, layout, ctx, snapshot, stamp, touch } = p;
  const statusColumn = layout.columnOf.get(SYNC_STATUS_KEY)!;
  for (const lead of ctx.spec.kind === 'lead' ? leads : leads.flatMap((l) => ctx.spec.objectsOf(l))) {
    // Already placed by this pull (read again after a step was redone, or past a window boundary).
    if (snapshot.generationOf(lead.id) === job.id) continue;
    let index = layout.rowOfLead.get(lead.id);
    if (index === undefined) {
      index = layout.rows.push(new Array<CellValue>(layout.width).fill('')) - 1;
      layout.rowOfLead.set(lead.id, index);
      job.added++;
    } else job.refreshed++;
    touch(index);
    const kept = placeLead(lead, index, layout, ctx, snapshot, job.discardEdits);
    job.discarded += kept.discarded;
    snapshot.setPacked(lead.id, kept.packed, job.id);
    if (kept.unverified > 0) {
      job.unverified = (job.unverified ?? 0) + kept.unverified;
      job.unverifiedRows = (job.unverifiedRows ?? 0) + 1;
      layout.rows[index][statusColumn - 1] =
        `kept ${cells(kept.unverified)} that differ${kept.unverified > 1 ? '' : 's'} from Close: no record of your last pull here, so check ${kept.unverified > 1 ? 'them' : 'it'} (Push sends ${kept.unverified > 1 ? 'them' : 'it'}) · ${stamp()}`;
    } else if (kept.count > 0) {
      job.keptEdits += kept.count;
      job.keptRows = (job.keptRows ?? 0) + 1;
      layout.rows[index][statusColumn - 1] =
        `kept ${kept.count} unpushed edit${kept.count > 1 ? 's' : ''} · ${stamp()}`;
    }
  }
}

/**
 * At the end of a pull that read every lead, the rows of leads it did not see are marked gone (a
 * damaged record is rewritten with the mark alone; the row is not pushed either way). Returns how many.
 */
export function markGone(p: Placing): number {
  const { job, layout, snapshot, stamp, touch } = p;
  const statusColumn = layout.columnOf.get(SYNC_STATUS_KEY)!;
  let gone = 0;
  for (const [id, index] of layout.rowOfLead) {
    if (!snapshot.has(id) || snapshot.generationOf(id) === job.id) continue;
    const before = snapshot.get(id) ?? {};
    gone++;
    touch(index);
    layout.rows[index][statusColumn - 1] = `not in Close any more (deleted or merged?) · ${stamp()}`;
    if (!before[GONE_KEY]) snapshot.set(id, { ...before, [GONE_KEY]: true });
  }
  return gone;
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
): { packed: unknown[]; count: number; discarded: number; unverified: number } {
  const row = layout.rows[index];
  // Only a row this sheet already had, of a lead still in Close, holds edits. With a record of the last
  // pull, a cell is an edit when it differs from that record; without one (no snapshot, a damaged row,
  // a copied sheet), every cell that differs from Close is kept: it may be the rep's edit.
  const existing = index < layout.existingRows && !snapshot.isGone(lead.id);
  // Whether the row's record is usable is only found out (by unpacking it) when a cell differs.
  let mode: 'none' | 'edits' | 'unknown' = !existing ? 'none' : snapshot.has(lead.id) ? 'edits' : 'unknown';
  let before: ReturnType<Snapshot['get']>;
  const list = placements(layout, ctx);
  const packed = new Array<unknown>(list.editable + 1);
  packed[0] = snapshotLayout(list, snapshot);
  let k = 1;
  let count = 0;
  let discarded = 0;
  let unverified = 0;
  for (let i = 0; i < list.length; i++) {
    const { column, bound, at, watch } = list[i];
    const apiValue = column.extract(lead);
    const cell = bound.codec.encode(apiValue);
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
    if (column.editable) packed[k++] = apiValue;
    row[at] = cell;
  }
  return { packed, count, discarded, unverified };
}

export function cells(n: number): string {
  return `${n} cell${n === 1 ? '' : 's'}`;
}

type Placements = Array<{ column: Column; bound: BoundColumn; at: number; watch: boolean }> & {
  /** How many of the columns are editable (their values make the snapshot row). */
  editable: number;
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
      }));
    list = Object.assign(found, { editable: found.filter((p) => p.column.editable).length });
    placementCache.set(layout, list);
  }
  return list;
}

function snapshotLayout(list: Placements, snapshot: Snapshot): number {
  list.layout ??= snapshot.layoutOf(list.filter((p) => p.column.editable).map((p) => p.column.key));
  return list.layout;
}
