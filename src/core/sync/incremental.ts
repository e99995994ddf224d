// Incremental refresh: a re-pull asks Close only for the leads updated since the last pull and learns
// deletions from Close's Event Log, so an hourly refresh of a big sheet reads and writes what changed.
// A full pull runs instead whenever the shortcut cannot be trusted, and the summary says why.
//
// Close's facts this rests on:
// - Leads updated since a time: the search syntax's `date_updated >= "…"` on GET /lead/, compared at the
//   minute (Stitch's Close tap: "date_updated>= has precision to the minute"): the window starts on a
//   whole minute, so both readings of the comparison agree.
// - Deletions: `GET /event/?object_type=lead&action=deleted&date_updated__gte=…` ("object_type and
//   action" is a supported combination; events come latest first; `_cursor` ← `cursor_next` until null;
//   `_limit` capped at 50), and a merged lead's source is logged as `deleted` too
//   (developer.close.com/api/resources/events/list and …/list-of-event-types). With a cursor the
//   `date_updated` filter may not apply, so the walk stops by itself at the first event older than the
//   window. "To avoid missing recent events when paginating, we recommend to scan the latest five
//   minutes of events": every window starts five minutes before the last pull began (REFRESH_OVERLAP_MS).
// - The log reaches "up to 30 days back in history": a last pull older than that (with a day's margin)
//   means a gap, and the refresh is full.
// - Time is Close's, never the add-on's clock: the `Date` header of Close's first answer to a pull
//   (closeio responses carry one, e.g. "Date: Fri, 29 Sep 2017 10:18:35 GMT").
// - Changes to a lead's contacts and opportunities "do not trigger" a lead `updated` event "(even though
//   they may affect the lead's `date_updated`)": that they move `date_updated` is not promised, so the
//   contact and opportunity columns a lead sheet shows are refreshed by a full pull at least daily.
import { type CloseCall, type CloseClient, type CloseReply, NOT_SENT } from '../close/client';
import type { SendBy } from '../close/org';
import { OBJECTS } from '../schema/objects';
import { listFingerprint } from './column-dropdowns';
import type { SyncContext } from './context';
import type { PullDefinition } from './pull-definition';
import type { PullJob } from './job';
import type { Layout } from './pull-layout';
import type { Snapshot } from './snapshot';

/** What a complete pull leaves for the next one to start from (kept with the sheet's definition). */
export interface RefreshMark {
  /** Close's time (ms) when this pull sent its first request: everything updated since is re-read next time. */
  closeTime: number;
  /** Close's time of the last full pull. */
  fullAt: number;
  /** What the sheet pulled (kind, source, fields): a change means a full pull. */
  definition: string;
  /** The labels of statuses and users as they were: a renamed one changes cells of leads Close did not touch. */
  labels: string;
}

export type RefreshMode =
  | { kind: 'incremental'; since: number }
  /** `told`: the summary's message says why (the rep could have expected an incremental refresh). */
  | { kind: 'full'; why: string; told?: boolean };

/** The window starts this long before the last pull began (Close's advice for the Event Log). */
export const REFRESH_OVERLAP_MS = 5 * 60_000;
/** Close keeps 30 days of events; a day's margin for clocks and consolidation. */
export const EVENT_LOG_REACH_MS = 29 * 24 * 60 * 60_000;
/** A full pull at least this often (contacts' and opportunities' changes are not promised to move a lead). */
export const FULL_PULL_EVERY_MS = 24 * 60 * 60_000;
/** Past this many pages of deletions (50 each), a full pull is cheaper and simpler than the walk. */
const MAX_EVENT_PAGES = 20;
const EVENT_PAGE_SIZE = 50;

export function definitionKey(def: Pick<PullDefinition, 'kind' | 'source' | 'fields'>): string {
  return JSON.stringify([def.kind, def.source, def.fields]);
}

/** The labels every status and user column shows, as one fingerprint. */
export function labelsKey(ctx: SyncContext): string {
  return listFingerprint([
    ...ctx.env.statuses.labels(),
    '\u0001',
    ...ctx.env.users.labels(),
    '\u0001',
    ...ctx.env.opportunityStatuses.labels(),
  ]);
}

/** Before any request: whether the sheet's last pull left a mark a refresh can start from. */
export function planRefresh(job: PullJob): RefreshMode {
  const def = job.definition;
  const mark = def.refresh;
  if (!def.seen || !mark) return { kind: 'full', why: 'no record of a complete pull into this sheet' };
  if (job.discardEdits) return { kind: 'full', why: 'you asked to discard unpushed edits' };
  if (def.kind !== 'lead')
    return { kind: 'full', why: `a ${OBJECTS[def.kind].noun} sheet is always read whole` };
  if (def.source.type !== 'all')
    return {
      kind: 'full',
      why: `a lead can leave a ${def.source.type === 'smart_view' ? 'Smart View' : 'query'} without being deleted, so every lead is read`,
    };
  if (mark.definition !== definitionKey(def)) return { kind: 'full', why: 'what the sheet pulls changed' };
  return { kind: 'incremental', since: mark.closeTime - REFRESH_OVERLAP_MS };
}

/**
 * After the first wave: the checks that need Close's answers. Returns why the refresh must be full,
 * or null when the incremental path can be trusted.
 */
export function distrust(
  job: PullJob,
  ctx: SyncContext,
  layout: Layout,
  closeNow: number | undefined,
  snapshot: Snapshot,
): string | null {
  const mark = job.definition.refresh!;
  if (closeNow === undefined) return "Close's answer carried no time, so the window cannot be checked";
  if (closeNow - mark.closeTime > EVENT_LOG_REACH_MS)
    return "the last pull is older than Close's Event Log reaches back (30 days)";
  if (closeNow - mark.fullAt > FULL_PULL_EVERY_MS)
    return 'the daily full pull (contacts and opportunities are not promised to mark their lead as updated)';
  if (
    layout.addedColumns.length > 0 ||
    layout.retyped.length > 0 ||
    layout.headerUpdates.length > 0 ||
    layout.rebound.length > 0
  )
    return "the sheet's columns or Close's fields changed since the last pull";
  if (labelsKey(ctx) !== mark.labels) return 'statuses or users were renamed, added or removed in Close';
  // A row without a usable record cannot tell the rep's edits from older values without Close's
  // current values (a full pull keeps and marks every cell that differs). Every row is checked, not only
  // those the refresh rewrites: a push refuses a row whose record is damaged and says to pull again, and
  // that pull must repair it. Checked without unpacking (isUsable): a refresh unpacks only its rows.
  for (const id of layout.rowOfLead.keys())
    if (!snapshot.isUsable(id))
      return "some rows have no usable record of the last pull (Close Sync's hidden snapshot was deleted or damaged)";
  return null;
}

/** The whole minute `ms` falls in, as the search syntax takes it: `2026-11-28T09:05:00+00:00`. */
export function minuteText(ms: number): string {
  return `${new Date(ms - (((ms % 60_000) + 60_000) % 60_000)).toISOString().slice(0, 16)}:00+00:00`;
}

/** One page of lead deletions since `since`, latest first. */
export function deletionsCall(since: number, cursor?: string): CloseCall {
  return {
    method: 'get',
    path: '/event/',
    query: {
      object_type: 'lead',
      action: 'deleted',
      date_updated__gte: new Date(since).toISOString(),
      _limit: EVENT_PAGE_SIZE,
      ...(cursor ? { _cursor: cursor } : {}),
    },
  };
}

/** An event's time: Close writes some without an offset (`…T10:05:14.670000`), which is UTC. */
function eventMs(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const text = /([+-]\d\d:?\d\d|Z)$/.test(value) ? value : `${value}Z`;
  return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

/**
 * Walks the deletions since `since`: `first` is the answer to deletionsCall(since), sent with the
 * schema. Returns the deleted lead ids, or why they could not all be learnt (a full pull then runs).
 * Each further page needs the one before (its cursor), but nothing else waits for the walk: when a second
 * page is needed, `alongside` (the first pages of changed leads) goes in its wave, and its replies come
 * back with the ids, to be taken (or dropped, when a full pull runs instead) by the caller.
 * `by`: when a further page (with the calls alongside it) may go at the latest, a step's deadline. A page
 * Close makes wait past it is not waited for: `late`, and the step ends (the next one walks again) —
 * waiting whatever Close asks would get the step killed by Apps Script's limit.
 */
export function walkDeletions(
  client: CloseClient,
  since: number,
  first: CloseReply,
  alongside?: () => CloseCall[],
  by: (alongside: CloseCall[]) => SendBy = () => ({ stopAt: Number.POSITIVE_INFINITY }),
): ({ ids: Set<string> } | { why: string } | { late: true }) & { alongside?: CloseReply[] } {
  const ids = new Set<string>();
  let reply = first;
  let sideReplies: CloseReply[] | undefined;
  const done = (result: { ids: Set<string> } | { why: string }) =>
    sideReplies ? { ...result, alongside: sideReplies } : result;
  for (let pages = 1; ; pages++) {
    if (!reply.ok)
      return done({
        why: `Close's Event Log could not be read (${reply.message || `HTTP ${reply.status}`})`,
      });
    const page = reply.data as { data?: Array<Record<string, unknown>>; cursor_next?: string | null };
    let older = false;
    for (const event of page.data ?? []) {
      const at = eventMs(event.date_updated);
      if (at < since) {
        older = true;
        break;
      }
      const id = event.object_id ?? event.lead_id;
      if (event.object_type === 'lead' && event.action === 'deleted' && typeof id === 'string') ids.add(id);
    }
    if (older || !page.cursor_next) return done({ ids });
    if (pages >= MAX_EVENT_PAGES)
      return done({
        why: `more than ${MAX_EVENT_PAGES * EVENT_PAGE_SIZE} leads were deleted in Close since the last pull`,
      });
    const side = pages === 1 && alongside ? alongside() : [];
    const { stopAt, firstBy } = by(side);
    const replies = client.callAll([deletionsCall(since, page.cursor_next), ...side], stopAt, firstBy);
    reply = replies[0];
    if (!reply.ok && reply.status === NOT_SENT) return { late: true };
    if (side.length > 0) sideReplies = replies.slice(1);
  }
}

/** The mark a complete pull leaves. */
export function refreshMark(job: PullJob, ctx: SyncContext, closeTime: number, full: boolean): RefreshMark {
  return {
    closeTime,
    fullAt: full ? closeTime : (job.definition.refresh?.fullAt ?? closeTime),
    definition: definitionKey(job.definition),
    labels: labelsKey(ctx),
  };
}

/** Close's earliest time among a wave's answers (the `Date` header), if any carried one. */
export function closeTimeOf(replies: CloseReply[]): number | undefined {
  let earliest: number | undefined;
  for (const r of replies)
    if (r.ok && r.serverTime !== undefined) earliest = Math.min(earliest ?? r.serverTime, r.serverTime);
  return earliest;
}
