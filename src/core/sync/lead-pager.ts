// Paging through all leads beyond Close's `_skip` cap. GET /lead/ is the fastest way to read leads (big
// rate budget, pages fetched in parallel), but deep `_skip` is refused. So leads are read oldest first in
// date windows: `date_created >= T sort:created`, each window paged with `_skip` in parallel fetchAll
// waves up to the cap, and the next window starts at the last `date_created` seen. Leads sharing that
// boundary timestamp are remembered so none is read twice.
//
// The state is small and plain, so a long pull can save it between executions and resume exactly.
import { type CloseCall, type CloseClient, type CloseReply, NOT_SENT } from '../close/client';
import { CloseApiError } from '../close/errors';
import type { Lead } from '../close/types';

export const LEAD_PAGE_SIZE = 200;
/** Close does not publish its `_skip` cap; 10,000 is safe and a 400 about `_skip` also ends a window. */
export const MAX_SKIP = 10_000;
const MAX_WAVE_PAGES = 100;
const MAX_BOUNDARY_IDS = 100;
/** URLs stay well under UrlFetch's 2 KB limit: past this, ask for `custom` (all custom fields). */
const MAX_FIELDS_PARAM = 1500;

export interface PagerState {
  /** A legacy search query the windows are narrowed by (`status:Potential`), or '' for all leads. */
  filter: string;
  /** Advanced Filtering instead of windows (Smart Views, JSON queries): cursor pages of POST /data/search/. */
  search: { query: unknown; cursor: string | null } | null;
  /** `date_created` the current window starts at (inclusive), or null for the first window. */
  after: string | null;
  skip: number;
  /** Ids already read whose `date_created` equals `after`. */
  boundary: string[];
  /** Total leads Close reported for the current window (legacy `total_results`), when it does. */
  windowTotal: number | null;
  done: boolean;
  pages: number;
  fetched: number;
  /** Pages asked for by the last wave (waves double while the total is unknown). */
  lastWave?: number;
}

export type LeadSource =
  | { type: 'all' }
  | { type: 'smart_view'; id: string; name?: string }
  | { type: 'query'; query: string };

export function newPagerState(source: LeadSource = { type: 'all' }): PagerState {
  const state: PagerState = {
    filter: '',
    search: null,
    after: null,
    skip: 0,
    boundary: [],
    windowTotal: null,
    done: false,
    pages: 0,
    fetched: 0,
  };
  if (source.type === 'smart_view')
    state.search = { query: { type: 'saved_search', saved_search_id: source.id }, cursor: null };
  if (source.type === 'query') {
    const json = parseJsonQuery(source.query);
    if (json) state.search = { query: json, cursor: null };
    else state.filter = source.query.trim();
  }
  return state;
}

/** A query copied from Close's filter UI is JSON; anything else is the search-bar syntax. */
function parseJsonQuery(text: string): unknown | null {
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(t) as { query?: unknown };
    return parsed.query ?? parsed;
  } catch {
    throw new Error("The query looks like JSON but is not valid JSON: copy it again from Close's filters.");
  }
}

export function fieldsParam(fields: string[]): string {
  const listed = fields.join(',');
  if (listed.length <= MAX_FIELDS_PARAM) return listed;
  return [...fields.filter((f) => !f.startsWith('custom.')), 'custom'].join(',');
}

function windowQuery(filter: string, after: string | null): string {
  const window = after ? `date_created >= "${after}" sort:created` : 'sort:created';
  return filter ? `${filter} ${window}` : window;
}

/** How many pages the next wave asks for: one to learn the size, then everything the window still holds. */
function pagesForWave(state: PagerState): number {
  const leftInWindow = Math.max(1, Math.floor((MAX_SKIP - state.skip) / LEAD_PAGE_SIZE) + 1);
  // Without a total (Close does not promise `total_results`), waves double: at most half of the last
  // wave's pages are past the end.
  if (state.windowTotal === null) {
    const wave = state.pages === 0 ? 1 : Math.min(MAX_WAVE_PAGES, Math.max(2, (state.lastWave ?? 1) * 2));
    return Math.min(leftInWindow, wave);
  }
  const remaining = Math.max(0, state.windowTotal - state.skip);
  return Math.max(1, Math.min(leftInWindow, MAX_WAVE_PAGES, Math.ceil(remaining / LEAD_PAGE_SIZE)));
}

/**
 * Before the first page of a walk by date windows: a one-lead request for the size of the walk (the
 * legacy `total_results`). It needs no schema, so it rides in the schema's wave; its answer sizes the
 * first wave of pages and lets a pull check that it fits before fetching anything.
 */
export function countCall(state: PagerState): CloseCall | null {
  if (state.search || state.pages > 0 || state.windowTotal !== null) return null;
  return {
    method: 'get',
    path: '/lead/',
    query: { query: windowQuery(state.filter, state.after), _limit: 1, _fields: 'id' },
  };
}

/** Takes the answer to countCall (no total: the waves grow as they go). */
export function acceptCount(state: PagerState, reply: CloseReply): void {
  if (!reply.ok && reply.status === NOT_SENT) return;
  if (!reply.ok) throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
  const total = (reply.data as { total_results?: unknown }).total_results;
  if (typeof total === 'number') state.windowTotal = total;
}

function isSkipCapError(status: number, message: string): boolean {
  return status === 400 && /_skip/i.test(message);
}

/** The calls of the next wave of pages: `count` of them, or as many as the state says. */
function waveCalls(fields: string[], state: PagerState, count = pagesForWave(state)): CloseCall[] {
  const _fields = fieldsParam(fields.includes('date_created') ? fields : [...fields, 'date_created']);
  state.lastWave = count;
  return Array.from({ length: count }, (_, k) => ({
    method: 'get',
    path: '/lead/',
    query: {
      query: windowQuery(state.filter, state.after),
      _limit: LEAD_PAGE_SIZE,
      _skip: state.skip + k * LEAD_PAGE_SIZE,
      _fields,
    },
  }));
}

/**
 * A re-pull knows about how many leads to expect (the sheet's rows), so its first pages need not wait
 * for the schema and the count: they ride in the schema's wave, with the fields the sheet's last pull
 * asked for. Null when the state is past its first page or pages come by cursor.
 */
export function guessedWave(state: PagerState, fields: string[], expectedLeads: number): CloseCall[] | null {
  if (state.search || state.pages > 0 || state.done || expectedLeads < 1) return null;
  const leftInWindow = Math.floor((MAX_SKIP - state.skip) / LEAD_PAGE_SIZE) + 1;
  // One page more than the sheet holds, for leads added since.
  const count = Math.min(leftInWindow, MAX_WAVE_PAGES, Math.ceil(expectedLeads / LEAD_PAGE_SIZE) + 1);
  // Sent only as the rate budget allows at once: a guess must never make the schema wait.
  return waveCalls(fields, state, count).map((call) => ({ ...call, firstWaveOnly: true }));
}

/**
 * Fetches the next wave of pages and advances the state. Returns the leads read (each lead once over
 * the whole walk). Throws CloseApiError when Close refuses a page for another reason.
 */
export function fetchNextWave(
  client: CloseClient,
  fields: string[],
  state: PagerState,
  stopAt?: number,
  visit?: (leads: Lead[]) => void,
): Lead[] {
  if (state.done) return [];
  if (state.search) {
    const leads = fetchSearchPage(client, fields, state, stopAt);
    if (!visit) return leads;
    visit(leads);
    return [];
  }
  return acceptWave(state, client.callAll(waveCalls(fields, state), stopAt), visit);
}

/**
 * Takes the replies to a wave of pages, in order: the leads read, each once over the whole walk. With
 * `visit`, each page's leads are handed over as the page is read (and not returned): a wave's pages
 * need not all be in memory at once.
 */
export function acceptWave(
  state: PagerState,
  replies: CloseReply[],
  visit?: (leads: Lead[]) => void,
): Lead[] {
  const boundary = new Set(state.boundary);
  const leads: Lead[] = [];
  let read = 0;
  let windowEnded = false;
  let lastCreated: string | null = null;
  // Ids sharing the last `date_created` read so far: a new window starts at that stamp.
  const sameStamp: string[] = [];
  for (const reply of replies) {
    // Pages after one that could not be sent in time are fetched again by the next step.
    if (!reply.ok && reply.status === NOT_SENT) break;
    if (!reply.ok) {
      if (isSkipCapError(reply.status, reply.message) && read + state.fetched > 0) {
        windowEnded = true;
        break;
      }
      throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
    }
    const page = reply.data as { data: Lead[]; has_more: boolean; total_results?: number };
    state.pages++;
    state.skip += LEAD_PAGE_SIZE;
    if (typeof page.total_results === 'number') state.windowTotal = page.total_results;
    const pageLeads = boundary.size > 0 ? page.data.filter((l) => !boundary.has(l.id)) : page.data;
    for (const lead of pageLeads) {
      const created: string = String(lead.date_created ?? lastCreated);
      if (created !== lastCreated) sameStamp.length = 0;
      sameStamp.push(lead.id);
      lastCreated = created;
    }
    read += pageLeads.length;
    if (visit) visit(pageLeads);
    else for (const lead of pageLeads) leads.push(lead);
    if (!page.has_more) {
      state.done = true;
      break;
    }
    if (state.skip > MAX_SKIP) {
      windowEnded = true;
      break;
    }
  }
  state.fetched += read;
  if (!state.done && windowEnded) startNextWindow(state, sameStamp, lastCreated);
  return leads;
}

/** `lastIds`: the ids read last that share `lastCreated`. */
function startNextWindow(state: PagerState, lastIds: string[], lastCreated: string | null): void {
  if (lastCreated === null) {
    state.done = true;
    return;
  }
  const sameStamp = state.after === lastCreated ? new Set(state.boundary) : new Set<string>();
  for (const id of lastIds) sameStamp.add(id);
  // Until the new window's first page reports its size, assume it holds what the old one had left.
  const left =
    state.windowTotal === null ? null : Math.max(0, state.windowTotal - state.skip) + sameStamp.size;
  state.after = lastCreated;
  // The job record must stay small (a 9 KB property): a huge tie (a bulk import stamped in one
  // microsecond) keeps only its last ids here, and the pull skips leads it already placed.
  state.boundary = [...sameStamp].slice(-MAX_BOUNDARY_IDS);
  state.skip = 0;
  state.windowTotal = left;
}

/**
 * One page of Advanced Filtering. Cursor pages come one after another (each needs the last cursor),
 * and Close gives this endpoint a much smaller rate budget than GET /lead/, so a Smart View of many
 * thousands of leads is slower to pull than all leads.
 */
function fetchSearchPage(client: CloseClient, fields: string[], state: PagerState, stopAt?: number): Lead[] {
  const search = state.search!;
  const body: Record<string, unknown> = {
    query: search.query,
    _fields: { lead: fields.includes('date_created') ? fields : [...fields, 'date_created'] },
    _limit: LEAD_PAGE_SIZE,
  };
  if (search.cursor) body.cursor = search.cursor;
  else body.include_counts = true;
  const [reply] = client.callAll([{ method: 'post', path: '/data/search/', body }], stopAt);
  if (!reply.ok && reply.status === NOT_SENT) return [];
  if (!reply.ok) throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
  const page = reply.data as { data: Lead[]; cursor: string | null; count?: { total?: number } };
  state.pages++;
  if (typeof page.count?.total === 'number') state.windowTotal = page.count.total;
  const leads = page.data.filter((l) => !l.__object_type || l.__object_type === 'lead');
  state.fetched += leads.length;
  search.cursor = page.cursor;
  if (!page.cursor) state.done = true;
  return leads;
}
