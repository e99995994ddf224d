// Paging through all leads beyond Close's `_skip` cap. GET /lead/ is the fastest way to read leads (big
// rate budget, pages fetched in parallel), but deep `_skip` is refused. So leads are read oldest first in
// date windows: `date_created >= T sort:created`, each window paged with `_skip` in parallel fetchAll
// waves up to the cap, and the next window starts at the minute of the last `date_created` seen. That
// search syntax compares at the minute (Stitch's Close tap: "date_updated>= has precision to the
// minute"), so a window starts on a whole minute — where every reading agrees — and the leads of that
// minute already read are remembered, so none is read twice and none skipped. Smart Views and JSON
// queries go through Advanced Filtering instead (search-pager.ts).
//
// The state is small and plain, so a long pull can save it between executions and resume exactly.
import { type CloseCall, type CloseClient, type CloseReply, NOT_SENT } from '../close/client';
import { CloseApiError } from '../close/errors';
import type { Lead } from '../close/types';
import {
  MAX_BOUNDARY_IDS,
  type SearchWalk,
  createdMs,
  fetchSearchPage,
  newSearchWalk,
  releaseCursor,
} from './search-pager';
import { closeUtcMinute, tzOffsetHours } from '../schema/dates';

export const LEAD_PAGE_SIZE = 200;
/**
 * How deep a window pages. Close does not publish its `_skip` cap for leads (the one on record is
 * 250,000, for emails); a lower cap is learnt from Close's 400 that names the skip.
 */
export const MAX_SKIP = 10_000;
const MAX_WAVE_PAGES = 100;
/** URLs stay well under UrlFetch's 2 KB limit: past this, ask for `custom` (all custom fields). */
const MAX_FIELDS_PARAM = 1500;

export interface PagerState {
  /** A legacy search query the windows are narrowed by (`status:Potential`), or '' for all leads. */
  filter: string;
  /**
   * An incremental refresh reads only leads updated since this whole minute (`…T10:05:00+00:00`, in
   * Close's time: see incremental.ts). Not the rep's filter: it needs no time zone.
   */
  updatedSince?: string;
  /** Advanced Filtering instead of GET /lead/ (Smart Views, JSON queries): see search-pager.ts. */
  search: SearchWalk | null;
  /** The whole minute the current window starts at (`…T10:05:00+00:00`), or null for the first window. */
  after: string | null;
  skip: number;
  /** Ids already read that were created in `after`'s minute. */
  boundary: string[];
  /**
   * The minute of the last lead read in the current window, and the ids read in it: kept across waves,
   * so a wave whose first page Close refuses (its `_skip` cap) still starts the next window there.
   */
  lastMinute?: string | null;
  tail?: string[];
  /** The deepest `_skip` Close takes, once a 400 naming the skip has said so. */
  skipCap?: number;
  /** The spreadsheet zone's offset (`-5`), sent as X-TZ-Offset with the rep's own filters. */
  tzOffset?: string;
  /** Why the pull could not read every lead (it then marks none as gone). */
  incomplete?: string;
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
    state.search = newSearchWalk({ type: 'saved_search', saved_search_id: source.id });
  if (source.type === 'query') {
    const json = parseJsonQuery(source.query);
    if (json) state.search = newSearchWalk(json);
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

function windowQuery(state: Pick<PagerState, 'filter' | 'after' | 'updatedSince'>): string {
  const { filter, after, updatedSince } = state;
  const window = after ? `date_created >= "${after}" sort:created` : 'sort:created';
  const since = updatedSince ? `date_updated >= "${updatedSince}" ${window}` : window;
  return filter ? `${filter} ${since}` : since;
}

/** Whether the pull runs the rep's own filter, whose relative dates need the rep's time zone. */
export function hasOwnFilter(state: PagerState): boolean {
  return state.search !== null || state.filter !== '';
}

/**
 * The rep's own filter may hold relative dates ("created today"): Close evaluates them in the zone
 * X-TZ-Offset names, taken from the spreadsheet once per pull so every window agrees.
 */
export function takeTzOffset(state: PagerState, now: number, timeZone: () => string): void {
  if (hasOwnFilter(state) && state.tzOffset === undefined) state.tzOffset = tzOffsetHours(now, timeZone());
}

/** X-TZ-Offset, when the pull runs the rep's own filter and the offset is known. */
function tzHeaders(state: PagerState): Pick<CloseCall, 'headers'> {
  return hasOwnFilter(state) && state.tzOffset !== undefined
    ? { headers: { 'X-TZ-Offset': state.tzOffset } }
    : {};
}

/** The deepest `_skip` a window pages to: this pager's own depth, or Close's cap once learnt. */
function skipLimit(state: PagerState): number {
  return Math.min(MAX_SKIP, state.skipCap ?? MAX_SKIP);
}

/** How many pages the next wave asks for: one to learn the size, then everything the window still holds. */
function pagesForWave(state: PagerState): number {
  const leftInWindow = Math.max(1, Math.floor((skipLimit(state) - state.skip) / LEAD_PAGE_SIZE) + 1);
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
    query: { query: windowQuery(state), _limit: 1, _fields: 'id' },
    ...tzHeaders(state),
  };
}

/** Takes the answer to countCall (no total: the waves grow as they go). */
export function acceptCount(state: PagerState, reply: CloseReply): void {
  if (!reply.ok && reply.status === NOT_SENT) return;
  if (!reply.ok) throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
  const total = (reply.data as { total_results?: unknown }).total_results;
  if (typeof total === 'number') state.windowTotal = total;
}

/**
 * Close's refusal of a deep `_skip`, recognised by meaning: a 400 whose text names the skip. The one
 * real response on record reads "The skip you set is larger than the maximum skip for this resource
 * (max_skip = 250000). Please refine your search query." (airbytehq/airbyte issue #20959).
 */
export function isSkipCapError(status: number, message: string): boolean {
  return status === 400 && /\b(max_)?_?skip\b/i.test(message);
}

/** The cap a skip refusal names (`max_skip = 250000`), if it names one. */
function namedSkipCap(message: string): number | null {
  const m = /max(?:imum)?[ _]?skip\D{0,20}?(\d+)/i.exec(message);
  return m ? Number(m[1]) : null;
}

/** The calls of the next wave of pages: `count` of them, or as many as the state says. */
function waveCalls(fields: string[], state: PagerState, count = pagesForWave(state)): CloseCall[] {
  const _fields = fieldsParam(fields.includes('date_created') ? fields : [...fields, 'date_created']);
  state.lastWave = count;
  const headers = tzHeaders(state);
  return Array.from({ length: count }, (_, k) => ({
    method: 'get',
    path: '/lead/',
    query: {
      query: windowQuery(state),
      _limit: LEAD_PAGE_SIZE,
      _skip: state.skip + k * LEAD_PAGE_SIZE,
      _fields,
    },
    ...headers,
  }));
}

/**
 * The next wave's calls, sized as fetchNextWave sizes them for `room` leads, for a caller that sends them
 * with requests of its own in one wave (an incremental refresh's next page of deletions: incremental.ts)
 * and hands the replies to acceptWave.
 */
export function nextWaveCalls(fields: string[], state: PagerState, roomLeads: number): CloseCall[] {
  const pages = Math.min(pagesForWave(state), Math.max(1, Math.floor(roomLeads / LEAD_PAGE_SIZE)));
  return waveCalls(fields, state, pages);
}

/**
 * A re-pull knows about how many leads to expect (the sheet's rows), so its first pages need not wait
 * for the schema and the count: they ride in the schema's wave, with the fields the sheet's last pull
 * asked for. Null when the state is past its first page or pages come by cursor.
 */
export function guessedWave(state: PagerState, fields: string[], expectedLeads: number): CloseCall[] | null {
  if (state.search || state.pages > 0 || state.done || expectedLeads < 1) return null;
  const leftInWindow = Math.floor((skipLimit(state) - state.skip) / LEAD_PAGE_SIZE) + 1;
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
  room?: Room,
): Lead[] {
  if (state.done) return [];
  if (state.search) {
    const leads = fetchSearchPage(client, fields, state, stopAt);
    if (!visit) return leads;
    visit(leads);
    return [];
  }
  const pages = Math.min(
    pagesForWave(state),
    Math.max(1, Math.floor((room?.leads ?? Infinity) / LEAD_PAGE_SIZE)),
  );
  const until = room ? room.stopAt(pages * LEAD_PAGE_SIZE) : stopAt;
  return acceptWave(state, client.callAll(waveCalls(fields, state, pages), until), visit);
}

/**
 * How much of a wave a step can still write (step-writes.ts): at most `leads` leads are asked for, and
 * no request waits past the time that leaves room to write them. Every page that comes back is taken:
 * the wave was sized to fit (a reply sent at the last moment comes back one latency later, well inside
 * the minute and a half between a step's budget and Apps Script's limit).
 */
export interface Room {
  leads: number;
  /** Clock time after which no request of a wave of `leads` may wait to be sent (its writes kept back). */
  stopAt: (leads: number) => number;
}

/**
 * Where a walk stands: it changes when a page is read or a new window begins (a wave whose first page
 * met Close's `_skip` cap reads nothing but moves the window on). Unchanged after a wave means nothing
 * could be sent before the step's end.
 */
export function pagerMark(state: PagerState): string {
  return `${state.pages} ${state.after} ${state.skip}`;
}

/** The whole minute a lead was created in, as the next window's start: `2024-01-01T10:05:00+00:00`. */
function minuteOf(created: unknown): string | null {
  // Close's usual form needs no parse (one lead in every page of a pull comes here).
  const usual = typeof created === 'string' ? closeUtcMinute(created) : null;
  if (usual !== null) return usual;
  const ms = createdMs(created);
  if (ms === null) return null;
  return `${new Date(ms - (((ms % 60_000) + 60_000) % 60_000)).toISOString().slice(0, 16)}:00+00:00`;
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
  admit?: (leads: number) => boolean,
): Lead[] {
  const boundary = new Set(state.boundary);
  const leads: Lead[] = [];
  let read = 0;
  let windowEnded = false;
  let lastMinute: string | null = state.lastMinute ?? null;
  // Ids read in the last minute read so far (by earlier waves too): a new window starts at that minute.
  const sameMinute: string[] = [...(state.tail ?? [])];
  for (const reply of replies) {
    // Pages after one that could not be sent in time are fetched again by the next step.
    if (!reply.ok && reply.status === NOT_SENT) break;
    if (!reply.ok) {
      if (isSkipCapError(reply.status, reply.message) && state.skip > 0) {
        // Close's cap is lower than this pager's depth: learn it, and go on in a new window.
        state.skipCap = namedSkipCap(reply.message) ?? state.skip - LEAD_PAGE_SIZE;
        windowEnded = true;
        break;
      }
      throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
    }
    const page = reply.data as { data: Lead[]; has_more: boolean; total_results?: number };
    // A page the step could not write in time: it and the rest are read again by the next step.
    if (admit && !admit(page.data.length)) break;
    state.pages++;
    state.skip += LEAD_PAGE_SIZE;
    if (typeof page.total_results === 'number') state.windowTotal = page.total_results;
    const pageLeads = boundary.size > 0 ? page.data.filter((l) => !boundary.has(l.id)) : page.data;
    for (const lead of pageLeads) {
      const minute: string | null = minuteOf(lead.date_created) ?? lastMinute;
      if (minute !== lastMinute) sameMinute.length = 0;
      sameMinute.push(lead.id);
      lastMinute = minute;
    }
    read += pageLeads.length;
    if (visit) visit(pageLeads);
    else for (const lead of pageLeads) leads.push(lead);
    if (!page.has_more) {
      state.done = true;
      break;
    }
    if (state.skip > skipLimit(state)) {
      windowEnded = true;
      break;
    }
  }
  state.fetched += read;
  state.lastMinute = lastMinute;
  state.tail = sameMinute;
  if (!state.done && windowEnded) startNextWindow(state, sameMinute, lastMinute);
  return leads;
}

/** `lastIds`: the ids read last that were created in `lastMinute`. */
function startNextWindow(state: PagerState, lastIds: string[], lastMinute: string | null): void {
  if (lastMinute === null) {
    // No lead of the window said when it was created: there is no minute to start the next window at.
    // Said, so the pull marks nothing as gone (the leads past here were never read).
    state.done = true;
    state.incomplete =
      'Close sent leads without the creation date (date_created) the pull pages by, so it stopped after ' +
      `${state.fetched.toLocaleString('en-US')} leads`;
    return;
  }
  if (lastMinute === state.after) {
    // The whole window was one minute: a new one would read the same leads again.
    state.done = true;
    state.incomplete =
      `more than ${(state.skip - LEAD_PAGE_SIZE).toLocaleString('en-US')} leads were created in Close in ` +
      `the minute from ${lastMinute}, and Close pages no deeper than that`;
    return;
  }
  const sameMinute = new Set(lastIds);
  // Until the new window's first page reports its size, assume it holds what the old one had left.
  const left =
    state.windowTotal === null ? null : Math.max(0, state.windowTotal - state.skip) + sameMinute.size;
  state.after = lastMinute;
  state.boundary = [...sameMinute];
  state.lastMinute = null;
  state.tail = [];
  state.skip = 0;
  state.windowTotal = left;
}

/**
 * At a step's end the state is saved in the job record: a search cursor is dropped (the next step
 * starts again from the last sort key), and the ids remembered are trimmed to what the record holds —
 * a huge tie (a bulk import in one minute) keeps only its last ids, and the pull skips leads it
 * already placed.
 */
export function endStep(state: PagerState): void {
  if (state.search) releaseCursor(state);
  if (state.boundary.length > MAX_BOUNDARY_IDS) state.boundary = state.boundary.slice(-MAX_BOUNDARY_IDS);
  if (state.tail && state.tail.length > MAX_BOUNDARY_IDS) state.tail = state.tail.slice(-MAX_BOUNDARY_IDS);
}
