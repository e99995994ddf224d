// Smart Views and JSON queries of any size, through Advanced Filtering (POST /data/search/). Close's
// Advanced Filtering page sets three rules this walk is built around: "Cursors expire after 30 seconds",
// "Hard limit of 10,000 objects per pagination sequence", and "Use stable sort fields like date_created
// to avoid missing results". So every page is sorted by date_created (oldest first), a cursor is used
// only while it is young and never kept past a step (the job record holds where the walk is by sort
// key, never a cursor), and a walk that Close ends before its `count.total` (the 10,000 cap, or leads
// lost on the way) starts a new window: the view's query AND date_created on or after the last value
// seen, skipping the leads already handed over at that instant. A pull that still cannot account for
// every lead Close counted says so (`incomplete`), and marks nothing as gone.
import { type CloseCall, type CloseClient, NOT_SENT } from '../close/client';
import { CloseApiError } from '../close/errors';
import type { Lead } from '../close/types';
import { parseDateTimeText } from '../schema/dates';

export const SEARCH_PAGE_SIZE = 200;
/**
 * A cursor older than this is not sent: Close's last 30 seconds are kept for the wait for the search
 * budget (16 requests per 8 s) and the request itself. The walk restarts from the last sort key instead.
 */
export const MAX_CURSOR_AGE_MS = 15_000;
/** Close's documented cap on one walk, used only when Close sends no `count.total` to compare with. */
const DOCUMENTED_WALK_CAP = 10_000;
/** The job record stays small (a 9 KB property): ids kept across steps at the window's first instant. */
export const MAX_BOUNDARY_IDS = 100;

export interface SearchWalk {
  /** The view's query: a saved_search reference, or the JSON copied from Close's filters. */
  query: unknown;
  /** The current walk's cursor and when it came (clock ms). Dropped at every step's end. */
  cursor: string | null;
  cursorAt: number;
  /** The window: leads created on or after this instant (ISO, whole ms, UTC), or null for the first. */
  after: string | null;
  /** Ids already handed over that were created in `after`'s millisecond (read again by the window). */
  boundary: string[];
  /** The creation instant (ms) of the last lead handed over, and the ids handed over at that instant. */
  lastKey: number | null;
  tail: string[];
  /** Leads this window's walk returned (repeats included), new leads among them, and Close's count. */
  read: number;
  fresh: number;
  windowTotal: number | null;
  /** Close's count for the whole view (the first window), checked against what was fetched. */
  total: number | null;
}

/** What the walk shares with the pager's state (see lead-pager.ts). */
export interface SearchPagerState {
  search: SearchWalk | null;
  done: boolean;
  pages: number;
  fetched: number;
  windowTotal: number | null;
  tzOffset?: string;
  incomplete?: string;
}

export function newSearchWalk(query: unknown): SearchWalk {
  return {
    query,
    cursor: null,
    cursorAt: 0,
    after: null,
    boundary: [],
    lastKey: null,
    tail: [],
    read: 0,
    fresh: 0,
    windowTotal: null,
    total: null,
  };
}

const DATE_CREATED = { type: 'regular_field', object_type: 'lead', field_name: 'date_created' };
/**
 * Oldest first by date_created. No id tiebreak: Close documents no sort on `id`, and none is needed —
 * leads sharing an instant are read again by the next window and the ones already handed over skipped.
 */
export const SEARCH_SORT = [{ direction: 'asc', field: DATE_CREATED }];

/** The window's query: the view's own, narrowed to leads created on or after `after`. */
export function windowQuery(walk: Pick<SearchWalk, 'query' | 'after'>): unknown {
  if (walk.after === null) return walk.query;
  return {
    type: 'and',
    queries: [
      { type: 'object_type', object_type: 'lead' },
      walk.query,
      {
        type: 'field_condition',
        field: DATE_CREATED,
        // `fixed_utc` with milliseconds and `Z` (toISOString), the form Close is known to accept
        // (mako-ai/mako PR #732: a `.689000+00:00` value was refused).
        condition: { type: 'moment_range', on_or_after: { type: 'fixed_utc', value: walk.after } },
      },
    ],
  };
}

/**
 * A Close datetime (`2021-07-13T11:39:03.315123+00:00`, `…Z`, or without offset, meaning UTC) as whole
 * milliseconds, rounded DOWN: an anchor rounded up would skip leads created in its last microseconds.
 */
export function createdMs(text: unknown): number | null {
  return typeof text === 'string' ? parseDateTimeText(text, 'down') : null;
}

/** The call for the walk's next page (a young cursor, else a new window with its count). */
export function searchPageCall(walk: SearchWalk, fields: string[], tzOffset?: string): CloseCall {
  const body: Record<string, unknown> = {
    query: windowQuery(walk),
    sort: SEARCH_SORT,
    _fields: { lead: fields.includes('date_created') ? fields : [...fields, 'date_created'] },
    _limit: SEARCH_PAGE_SIZE,
  };
  if (walk.cursor) body.cursor = walk.cursor;
  else body.include_counts = true;
  return {
    method: 'post',
    path: '/data/search/',
    body,
    ...(tzOffset !== undefined ? { headers: { 'X-TZ-Offset': tzOffset } } : {}),
  };
}

/**
 * Leaves the current walk: the next page starts a new window at the last lead handed over, skipping
 * the ones handed over at that instant. No request is made.
 */
export function restartWindow(walk: SearchWalk): void {
  walk.cursor = null;
  walk.cursorAt = 0;
  if (walk.lastKey !== null) {
    const anchor = new Date(walk.lastKey).toISOString();
    walk.boundary = anchor === walk.after ? [...new Set([...walk.boundary, ...walk.tail])] : [...walk.tail];
    walk.after = anchor;
    walk.tail = [];
  }
  walk.read = 0;
  walk.fresh = 0;
  walk.windowTotal = null;
}

/**
 * At a step's end: no cursor outlives its step (the next one may start minutes later), and the ids
 * kept are trimmed to what the job record holds.
 */
export function releaseCursor(state: SearchPagerState): void {
  const walk = state.search;
  if (!walk || state.done) return;
  if (walk.cursor) restartWindow(walk);
  if (walk.boundary.length > MAX_BOUNDARY_IDS) walk.boundary = walk.boundary.slice(-MAX_BOUNDARY_IDS);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Fetches the next page and hands over its new leads (each once over the whole pull). Throws
 * CloseApiError when Close refuses a page that carried no cursor.
 */
export function fetchSearchPage(
  client: CloseClient,
  fields: string[],
  state: SearchPagerState,
  stopAt?: number,
): Lead[] {
  // A job saved by an earlier version holds only `{query, cursor}`: the missing parts start empty (and
  // its cursor, of unknown age, is not used).
  const walk = Object.assign(newSearchWalk(null), state.search);
  state.search = walk;
  if (walk.cursor && client.now() - walk.cursorAt > MAX_CURSOR_AGE_MS) restartWindow(walk);
  const withCursor = walk.cursor !== null;
  const [reply] = client.callAll([searchPageCall(walk, fields, state.tzOffset)], stopAt);
  if (!reply.ok && reply.status === NOT_SENT) return [];
  if (!reply.ok) {
    // A cursor Close no longer takes (expired, or past its walk): start again from the sort key.
    if (withCursor && reply.status === 400) {
      restartWindow(walk);
      return fetchSearchPage(client, fields, state, stopAt);
    }
    throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
  }
  const page = reply.data as { data?: Lead[]; cursor?: string | null; count?: { total?: number } };
  state.pages++;
  const total = page.count?.total;
  if (!withCursor && typeof total === 'number') {
    walk.windowTotal = total;
    if (walk.after === null) {
      walk.total = total;
      state.windowTotal = total;
    }
  }
  const rows = (page.data ?? []).filter((l) => !l.__object_type || l.__object_type === 'lead');
  const boundary = walk.boundary.length > 0 ? new Set(walk.boundary) : null;
  const leads: Lead[] = [];
  for (const lead of rows) {
    if (boundary?.has(lead.id)) continue;
    leads.push(lead);
    const key = createdMs(lead.date_created);
    if (key === null) continue;
    if (key !== walk.lastKey) walk.tail = [];
    walk.tail.push(lead.id);
    walk.lastKey = key;
  }
  walk.read += rows.length;
  walk.fresh += leads.length;
  state.fetched += leads.length;
  walk.cursor = page.cursor || null;
  walk.cursorAt = client.now();
  if (!walk.cursor) endOfWalk(state, walk);
  return leads;
}

/** Close ended the walk: the view is read whole, or a new window goes on past the walk's cap. */
function endOfWalk(state: SearchPagerState, walk: SearchWalk): void {
  const short = walk.windowTotal !== null ? walk.read < walk.windowTotal : walk.read >= DOCUMENTED_WALK_CAP;
  if (short && walk.fresh > 0) {
    restartWindow(walk);
    return;
  }
  state.done = true;
  if (short)
    state.incomplete =
      `Close counted ${fmt(walk.windowTotal ?? walk.read)} leads from ${walk.after ?? 'the start'} on, but its ` +
      `search stopped after ${fmt(walk.read)} and would not go further`;
  else if (walk.total !== null && state.fetched < walk.total)
    state.incomplete = `Close counted ${fmt(walk.total)} leads, but only ${fmt(state.fetched)} came back`;
}
