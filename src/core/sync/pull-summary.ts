// What a finished pull tells the rep: counts, kept and discarded edits, and why not every lead came back.
import type { SyncContext } from './context';
import type { PullJob } from './job';
import { cells } from './place-leads';

export interface PullSummary {
  sheetName: string;
  leads: number;
  added: number;
  refreshed: number;
  gone: number;
  columns: number;
  keptEdits: number;
  /** Present when `keptEdits` counts only the rows Close changed (an incremental refresh). */
  keptEditsIn?: 'changed rows';
  discardedEdits: number;
  seconds: number;
  steps: number;
  /** Why not every lead came back (nothing was then marked as gone). */
  incomplete?: string;
  /** Which refresh ran: only the leads Close changed (incremental), or every lead and why (full). */
  refresh: { mode: 'incremental' } | { mode: 'full'; why: string };
  message: string;
}

export function pullSummary(job: PullJob, ctx: SyncContext, gone: number, seconds: number): PullSummary {
  const { noun } = ctx.spec;
  const objects = job.added + job.refreshed;
  const what =
    noun === 'lead'
      ? `${job.pager.fetched} leads`
      : `${objects} ${noun === 'opportunity' ? (objects === 1 ? 'opportunity' : 'opportunities') : `${noun}${objects === 1 ? '' : 's'}`} of ${job.pager.fetched} leads`;
  const incremental = job.mode?.kind === 'incremental';
  const parts = incremental
    ? [
        `Refreshed "${job.sheetName}" from Close: ${job.pager.fetched} lead${job.pager.fetched === 1 ? '' : 's'} changed since the last pull (${job.added} new`,
      ]
    : [`Pulled ${what} into "${job.sheetName}" (${job.added} new`];
  if (gone) parts.push(`, ${gone} no longer in Close`);
  parts.push(`) in ${seconds}s.`);
  if (job.mode?.kind === 'full' && job.mode.told) parts.push(` Every lead was read: ${job.mode.why}.`);
  if (job.headerRestored)
    parts.push(
      ` The header row of "${job.sheetName}" was missing (deleted?): Close Sync wrote it back in row 1, where the last pull had it, so every ${noun} kept its row and no ${noun} was added twice.`,
    );
  if (job.definition.lost && job.definition.lost !== 'settings')
    parts.push(
      ` Close Sync's record of what "${job.sheetName}" pulls was ${job.definition.lost === 'missing' ? 'missing' : 'damaged'} (its hidden sheet "Close Sync state" was deleted or edited), so this pull brought every field: if you had chosen fields for this sheet, choose them again in the sidebar and pull.`,
    );
  if (job.keptEdits)
    parts.push(
      ` Kept ${job.keptEdits} unpushed edit${job.keptEdits > 1 ? 's' : ''}${job.keptCountedInChangedRows ? ' in the rows Close changed (your edits in other rows were not touched)' : ''}: push them or pull with "discard edits".`,
    );
  if (job.unverified)
    parts.push(
      ` Kept ${cells(job.unverified)} that differ from Close in ${job.unverifiedRows} row${job.unverifiedRows === 1 ? '' : 's'} with no record of the last pull into this sheet (a copied sheet, or Close Sync's hidden snapshot was deleted or damaged), so Close Sync cannot tell your edits from older values: check the rows marked in Sync status. Push sends those cells; pull with "discard edits" takes Close's values.`,
    );
  if (job.keptFormulas)
    parts.push(
      ` Kept your formula${job.keptFormulas > 1 ? 's' : ''} in ${cells(job.keptFormulas)} where Close changed the field (see Sync status): a pull never writes over a formula; pull with "discard edits" to take Close's values.`,
    );
  if (job.discarded) parts.push(` Discarded ${job.discarded} unpushed edit${job.discarded > 1 ? 's' : ''}.`);
  if (job.pager.incomplete)
    parts.push(
      ` Not every lead came back: ${job.pager.incomplete}, so no row was marked as gone from Close. ` +
        `Pull again; if this keeps happening, narrow the ${job.definition.source.type === 'smart_view' ? 'Smart View' : 'query'}.`,
    );
  return {
    sheetName: job.sheetName,
    leads: job.pager.fetched,
    added: job.added,
    refreshed: job.refreshed,
    gone,
    columns: ctx.columns.length,
    keptEdits: job.keptEdits,
    ...(job.keptCountedInChangedRows ? { keptEditsIn: 'changed rows' as const } : {}),
    discardedEdits: job.discarded,
    seconds,
    steps: job.steps,
    ...(job.pager.incomplete ? { incomplete: job.pager.incomplete } : {}),
    refresh:
      job.mode?.kind === 'full'
        ? { mode: 'full', why: job.mode.why }
        : incremental
          ? { mode: 'incremental' }
          : { mode: 'full', why: 'no record of a complete pull into this sheet' },
    message: parts.join(''),
  };
}
