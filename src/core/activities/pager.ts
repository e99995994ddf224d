// Paging one activity type's list past Close's `_skip` cap. Close lists activities with `_skip`/`_limit`
// and `has_more` and caps `_skip` (a recorded 400 for /activity/email/: "The skip you set is larger than
// the maximum skip for this resource (max_skip = 250000)", airbytehq/airbyte issue #20959); the cap is
// not published, so a window ends at MAX_SKIP or at such a 400, whichever comes first. The next window
// continues past the last activity read, in the list's own order (Close does not document it: newest
// first as its exports imply, or oldest first — both work): `date_created__lte` that stamp when the list
// runs newest first, `__gte` when oldest first, skipping the ids already read at that stamp.
//
// The state is small and plain: it is saved between executions so a long pull resumes where it stopped.
import { type CloseCall, type CloseReply, NOT_SENT } from '../close/client';
import { CloseApiError } from '../close/errors';
import { parseCloseDateTime } from '../schema/dates';
import { ACTIVITY_TYPES, type ActivityType } from './definition';

/**
 * The status-change lists, paged the same way (developer.close.com/api/resources/activities/
 * lead-status-changes/list and …/opportunity-status-changes/list: `_limit`/`_skip`, `has_more`, the same
 * `date_created__gte`/`__lt` filters as every activity list). The report's status history reads them.
 */
export const STATUS_CHANGE_LISTS = {
  lead_status: { path: '/activity/status_change/lead/', one: 'lead status change' },
  opportunity_status: { path: '/activity/status_change/opportunity/', one: 'opportunity status change' },
} as const;

/** A list the pager can walk: an activity type, or a status-change list. */
export type PagedList = ActivityType | keyof typeof STATUS_CHANGE_LISTS;

function listOf(type: PagedList): { path: string; one: string } {
  return type in STATUS_CHANGE_LISTS
    ? STATUS_CHANGE_LISTS[type as keyof typeof STATUS_CHANGE_LISTS]
    : ACTIVITY_TYPES[type as ActivityType];
}

/** Close's default `_limit` (100, LimitParam of every activity list); its maximum is not published. */
export const ACTIVITY_PAGE_SIZE = 100;
export const MAX_ACTIVITY_SKIP = 10_000;
const MAX_WAVE_PAGES = 32;
const MAX_BOUNDARY_IDS = 100;

export type CloseActivity = { id: string; date_created?: string } & Record<string, unknown>;

export interface TypePager {
  type: PagedList;
  /** `date_created__gte` / `__lt` of the days asked for (Close datetimes), or null. */
  from: string | null;
  to: string | null;
  /** Where the current window starts: past this stamp in the list's order (null: the first window). */
  frontier: string | null;
  /** The list's order, once two different stamps have been seen. */
  order: 'desc' | 'asc' | null;
  /** Ids already read at `frontier`. */
  boundary: string[];
  skip: number;
  pages: number;
  lastWave: number;
  done: boolean;
}

export function newTypePager(type: PagedList, from: string | null, to: string | null): TypePager {
  return {
    type,
    from,
    to,
    frontier: null,
    order: null,
    boundary: [],
    skip: 0,
    pages: 0,
    lastWave: 0,
    done: false,
  };
}

function windowQuery(p: TypePager): Record<string, string | number> {
  const q: Record<string, string | number> = { _limit: ACTIVITY_PAGE_SIZE };
  if (p.from) q.date_created__gte = p.from;
  if (p.to) q.date_created__lt = p.to;
  if (p.frontier) {
    if (p.order === 'asc') q.date_created__gte = p.frontier;
    else q.date_created__lte = p.frontier;
  }
  return q;
}

/** The calls of this type's next wave: one page, then twice as many each wave, up to the window's cap. */
export function waveCalls(p: TypePager): CloseCall[] {
  if (p.done) return [];
  const leftInWindow = Math.max(1, Math.floor((MAX_ACTIVITY_SKIP - p.skip) / ACTIVITY_PAGE_SIZE) + 1);
  const count = Math.min(leftInWindow, MAX_WAVE_PAGES, p.lastWave === 0 ? 1 : p.lastWave * 2);
  p.lastWave = count;
  const query = windowQuery(p);
  return Array.from({ length: count }, (_, k) => ({
    method: 'get' as const,
    path: listOf(p.type).path,
    query: { ...query, _skip: p.skip + k * ACTIVITY_PAGE_SIZE },
  }));
}

function isSkipCap(reply: { status: number; message: string }): boolean {
  return reply.status === 400 && /skip/i.test(reply.message);
}

const stampOf = (a: CloseActivity) => String(a.date_created ?? '');

/**
 * Takes the replies to this type's wave, in order, and advances the state. Returns the activities read
 * (each once over the whole walk). Pages after one that was not sent in time are asked again next wave.
 */
export function acceptWave(p: TypePager, replies: CloseReply[]): CloseActivity[] {
  const boundary = new Set(p.boundary);
  const out: CloseActivity[] = [];
  let windowEnded = false;
  let last: string | null = null;
  const atLast: string[] = [];
  for (const reply of replies) {
    if (!reply.ok && reply.status === NOT_SENT) break;
    if (!reply.ok) {
      if (isSkipCap(reply) && p.skip > 0) {
        windowEnded = true;
        break;
      }
      throw new CloseApiError(
        reply.status,
        `Could not fetch ${listOf(p.type).one} activities from Close: ${reply.message}`,
      );
    }
    const page = reply.data as { data?: CloseActivity[]; has_more?: boolean };
    const items = page.data ?? [];
    p.pages++;
    p.skip += ACTIVITY_PAGE_SIZE;
    for (const a of items) {
      const stamp = stampOf(a);
      if (p.order === null && last !== null && stamp !== last) p.order = order(last, stamp);
      if (stamp !== last) atLast.length = 0;
      atLast.push(a.id);
      last = stamp;
      if (!boundary.has(a.id)) out.push(a);
    }
    if (!page.has_more) {
      p.done = true;
      break;
    }
    if (p.skip >= MAX_ACTIVITY_SKIP) {
      windowEnded = true;
      break;
    }
  }
  if (!p.done && windowEnded) {
    if (last === null) p.done = true;
    else {
      const same = p.frontier === last ? new Set(p.boundary) : new Set<string>();
      for (const id of atLast) same.add(id);
      p.frontier = last;
      p.boundary = [...same].slice(-MAX_BOUNDARY_IDS);
      p.skip = 0;
      p.lastWave = 0;
    }
  }
  return out;
}

function order(a: string, b: string): 'desc' | 'asc' {
  const [x, y] = [parseCloseDateTime(a) ?? 0, parseCloseDateTime(b) ?? 0];
  return y < x ? 'desc' : 'asc';
}
