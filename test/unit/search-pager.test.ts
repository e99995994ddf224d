// The Advanced Filtering walk against the fake Close with small caps: windows past the per-walk cap
// (every lead once, ties at the edge included), cursors that expire or grow old, and walks that cannot
// account for Close's count. Also the X-TZ-Offset value of a zone.
import { FakeClose } from '../../dev/fake-close';
import type { FakeCloseOptions } from '../../dev/fake-close/fake-close';
import { type CloseReply, CloseClient, NOT_SENT } from '../../src/core/close/client';
import type { Clock, Http } from '../../src/core/ports';
import { tzOffsetHours } from '../../src/core/schema/dates';
import { endStep, fetchNextWave, newPagerState, type PagerState } from '../../src/core/sync/lead-pager';
import {
  createdMs,
  MAX_BOUNDARY_IDS,
  MAX_CURSOR_AGE_MS,
  newSearchWalk,
  SEARCH_SORT,
  searchPageCall,
} from '../../src/core/sync/search-pager';
import { CloseApiError } from '../../src/core/close/errors';
import { fakeCloseHttp } from './fake-close-http';
import { pagerOrg } from './pager-org';

const KEY = 'api_test_key_1';
const ALL = { type: 'and', queries: [{ type: 'object_type', object_type: 'lead' }] };

/** The fake over a client; each request takes `latencyMs` of the clock. `tie` leads share one instant. */
function world(
  leads: number,
  options: FakeCloseOptions & { latencyMs?: number; tieAt?: number; tie?: number } = {},
) {
  let now = Date.UTC(2026, 10, 28, 9);
  const clock: Clock = { now: () => now, sleep: (ms) => (now += ms) };
  // Microseconds vary from lead to lead: the walk compares instants, not spellings.
  const org = pagerOrg(leads, (i) => String(100 + (i % 900)));
  const byAge = [...org.leads].sort((a, b) => (a.date_created < b.date_created ? -1 : 1));
  const { tie = 0, tieAt = 0 } = options;
  for (let i = 0; i < tie; i++)
    byAge[tieAt - Math.floor(tie / 2) + i].date_created = byAge[tieAt].date_created;
  const close = new FakeClose(org, {
    now: () => now,
    rateLimits: { 'POST /data/search/': { limit: 10_000, windowMs: 1000 } },
    ...options,
  });
  const http: Http = fakeCloseHttp(close, () => {
    now += options.latencyMs ?? 0;
  });
  return { close, client: new CloseClient(http, clock, KEY), advance: (ms: number) => (now += ms) };
}

function walk(client: CloseClient, state: PagerState, between?: () => void) {
  const ids: string[] = [];
  for (let pages = 0; !state.done && pages < 500; pages++) {
    ids.push(...fetchNextWave(client, ['id', 'date_created'], state).map((l) => l.id));
    between?.();
  }
  return ids;
}

const searchBodies = (close: FakeClose) =>
  close.log.filter((e) => e.path === '/data/search/') as Array<{
    body: Record<string, unknown>;
    status: number;
  }>;

test('past the per-walk cap: windows from the last instant read, the leads sharing it skipped, each lead once', () => {
  // Close's walk stops at 1,000 here; 60 leads share the instant of the 1,000th.
  const { close, client } = world(2_500, { searchWalkLimit: 1_000, tie: 60, tieAt: 999 });
  const state = newPagerState({ type: 'query', query: JSON.stringify({ query: ALL }) });
  const ids = walk(client, state);
  expect(ids).toHaveLength(2_500);
  expect(new Set(ids).size).toBe(2_500);
  expect(state).toMatchObject({ done: true, fetched: 2_500, windowTotal: 2_500 });
  expect(state.incomplete).toBeUndefined();
  const starts = searchBodies(close)
    .filter((e) => e.body.cursor === undefined)
    .map(
      (e) =>
        JSON.stringify(e.body.query).match(/"on_or_after":\{"type":"fixed_utc","value":"([^"]+)"/)?.[1] ??
        null,
    );
  // The first walk is the query itself; each next one starts at the instant the last one ended on.
  expect(starts[0]).toBeNull();
  expect(starts.length).toBe(3);
  const tied = [...close.leads.values()].filter(
    (l) =>
      l.date_created ===
      [...close.leads.values()].sort((a, b) => (a.date_created < b.date_created ? -1 : 1))[999].date_created,
  );
  expect(tied).toHaveLength(60);
  expect(starts[1]).toBe(new Date(Date.parse(tied[0].date_created)).toISOString());
  expect(searchBodies(close).every((e) => e.status === 200)).toBe(true);
});

test('a cursor Close refuses (expired) restarts the walk from the last instant read, without losing a lead', () => {
  // Cursors live 1 s here and each request takes 2 s: every cursor is refused once.
  const { close, client } = world(1_200, { searchCursorTtlMs: 1_000, latencyMs: 2_000 });
  const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
  const ids = walk(client, state);
  expect(ids).toHaveLength(1_200);
  expect(new Set(ids).size).toBe(1_200);
  expect(state.incomplete).toBeUndefined();
  const log = searchBodies(close);
  const refused = log.filter((e) => e.status === 400);
  expect(refused.length).toBeGreaterThan(0);
  // Every refusal was of a cursor, and the very next search started again without one.
  for (const e of refused) {
    expect(typeof e.body.cursor).toBe('string');
    expect(log[log.indexOf(e) + 1].body.cursor).toBeUndefined();
  }
});

test('a cursor older than the pager trusts is never sent, and none is kept past a step', () => {
  const { close, client, advance } = world(1_000);
  const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
  // 20 s between pages: every cursor is too old to use by the time of the next page.
  const ids = walk(client, state, () => advance(20_000));
  expect(new Set(ids).size).toBe(1_000);
  expect(ids).toHaveLength(1_000);
  const log = searchBodies(close);
  expect(log.every((e) => e.status === 200 && e.body.cursor === undefined)).toBe(true);

  const fresh = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
  fetchNextWave(client, ['id', 'date_created'], fresh);
  expect(fresh.search!.cursor).not.toBeNull();
  endStep(fresh);
  expect(fresh.search!.cursor).toBeNull();
  expect(fresh.search!.after).not.toBeNull();
  expect(JSON.stringify(fresh)).not.toContain('"cursor":"');
});

test('more leads at one instant than a walk returns: the pull says it cannot page past them', () => {
  const { client } = world(1_500, { searchWalkLimit: 400, tie: 700, tieAt: 600 });
  const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
  const ids = walk(client, state);
  expect(new Set(ids).size).toBe(ids.length);
  expect(state.done).toBe(true);
  expect(state.incomplete).toMatch(
    /^Close counted [\d,]+ leads from \d{4}-\d{2}-\d{2}T[\d:.]+Z on, but its search stopped after 400 and would not go further$/,
  );
  expect(ids.length).toBeLessThan(1_500);
});

test('the ids remembered across a step are trimmed to what the job record holds', () => {
  const { client } = world(1_200, { searchWalkLimit: 500, tie: 300, tieAt: 499 });
  const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
  while (!state.done && state.search!.after === null) fetchNextWave(client, ['id', 'date_created'], state);
  endStep(state);
  expect(state.search!.boundary.length).toBe(MAX_BOUNDARY_IDS);
  expect(JSON.stringify(state).length).toBeLessThan(9_000);
});

test("X-TZ-Offset: the zone's offset at the instant, in hours, halves and quarters as decimals", () => {
  const winter = Date.UTC(2026, 10, 28, 9);
  const summer = Date.UTC(2026, 6, 1, 9);
  expect(tzOffsetHours(winter, 'America/New_York')).toBe('-5');
  expect(tzOffsetHours(summer, 'America/New_York')).toBe('-4');
  expect(tzOffsetHours(summer, 'America/St_Johns')).toBe('-2.5');
  expect(tzOffsetHours(winter, 'Asia/Kathmandu')).toBe('5.75');
  expect(tzOffsetHours(winter, 'Etc/UTC')).toBe('0');
  expect(tzOffsetHours(winter, 'Asia/Kolkata')).toBe('5.5');
});

describe('one page of a search walk, as Close sees it', () => {
  /** A client over scripted answers (JSON bodies, or a status with an error); records the requests. */
  function scripted(answers: Array<{ status?: number; body: unknown }>) {
    const requests: Array<{ body: Record<string, unknown>; headers: Record<string, string> }> = [];
    let now = Date.UTC(2026, 10, 28, 9);
    const http: Http = {
      fetchAll: (reqs) =>
        reqs.map((r) => {
          requests.push({ body: JSON.parse(r.body ?? '{}'), headers: r.headers });
          const answer = answers.shift()!;
          return { status: answer.status ?? 200, headers: {}, body: JSON.stringify(answer.body) };
        }),
    };
    const client = new CloseClient(http, { now: () => now, sleep: (ms) => (now += ms) }, KEY, {
      maxRetries: 0,
    });
    return { client, requests, advance: (ms: number) => (now += ms) };
  }
  const lead = (id: string, created: string, extra: object = {}) => ({ id, date_created: created, ...extra });
  const T1 = '2024-01-02T10:00:00.123456+00:00';
  const T2 = '2024-01-02T11:00:00.500000+00:00';

  test('the first page asks for the count, sorted oldest first, with date_created among the fields', () => {
    expect(searchPageCall(newSearchWalk(ALL), ['id', 'name'], '-5')).toEqual({
      method: 'post',
      path: '/data/search/',
      body: {
        query: ALL,
        sort: [
          {
            direction: 'asc',
            field: { type: 'regular_field', object_type: 'lead', field_name: 'date_created' },
          },
        ],
        _fields: { lead: ['id', 'name', 'date_created'] },
        _limit: 200,
        include_counts: true,
      },
      headers: { 'X-TZ-Offset': '-5' },
    });
    const next = { ...newSearchWalk(ALL), cursor: 'c1', after: '2024-01-02T10:00:00.123Z' };
    expect(searchPageCall(next, ['id', 'date_created'])).toEqual({
      method: 'post',
      path: '/data/search/',
      body: {
        query: {
          type: 'and',
          queries: [
            { type: 'object_type', object_type: 'lead' },
            ALL,
            {
              type: 'field_condition',
              field: { type: 'regular_field', object_type: 'lead', field_name: 'date_created' },
              condition: {
                type: 'moment_range',
                on_or_after: { type: 'fixed_utc', value: '2024-01-02T10:00:00.123Z' },
              },
            },
          ],
        },
        sort: SEARCH_SORT,
        _fields: { lead: ['id', 'date_created'] },
        _limit: 200,
        cursor: 'c1',
      },
    });
  });

  test('a window anchor is the creation instant rounded down to the millisecond', () => {
    expect(createdMs('2024-01-02T10:00:00.123999+00:00')).toBe(Date.UTC(2024, 0, 2, 10, 0, 0, 123));
    expect(createdMs(1_704_189_600_000)).toBeNull();
    expect(createdMs(null)).toBeNull();
  });

  test('a walk Close ends short of its count starts a new window at the last instant, skipping what it handed over', () => {
    const { client, requests } = scripted([
      {
        body: {
          data: [
            lead('lead_a', T1),
            lead('lead_b', T2),
            lead('lead_c', T2),
            { id: 'cont_x', __object_type: 'contact' },
          ],
          cursor: null,
          count: { total: 5 },
        },
      },
      {
        body: {
          data: [lead('lead_b', T2), lead('lead_c', T2), lead('lead_d', T2), lead('lead_e', T2)],
          cursor: null,
          count: { total: 4 },
        },
      },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    expect(fetchNextWave(client, ['id'], state).map((l) => l.id)).toEqual(['lead_a', 'lead_b', 'lead_c']);
    expect(state.search).toMatchObject({
      after: '2024-01-02T11:00:00.500Z',
      boundary: ['lead_b', 'lead_c'],
      cursor: null,
      total: 5,
    });
    expect(state).toMatchObject({ done: false, windowTotal: 5, fetched: 3, pages: 1 });
    expect(fetchNextWave(client, ['id'], state).map((l) => l.id)).toEqual(['lead_d', 'lead_e']);
    expect(state).toMatchObject({ done: true, windowTotal: 5, fetched: 5, pages: 2 });
    expect(state.search).toMatchObject({ boundary: ['lead_b', 'lead_c'], tail: ['lead_d', 'lead_e'] });
    expect(state.incomplete).toBeUndefined();
    expect(requests[1].body.include_counts).toBe(true);
  });

  test('a walk that returns fewer leads than Close counted, and nothing new, says so', () => {
    const { client } = scripted([
      { body: { data: [lead('lead_a', T1)], cursor: null, count: { total: 3 } } },
      { body: { data: [lead('lead_a', T1)], cursor: null, count: { total: 2 } } },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    fetchNextWave(client, ['id'], state);
    fetchNextWave(client, ['id'], state);
    expect(state.done).toBe(true);
    expect(state.incomplete).toBe(
      'Close counted 2 leads from 2024-01-02T10:00:00.123Z on, but its search stopped after 1 and would not go further',
    );
  });

  test('a walk that ends whole but short of the first count says how many came back', () => {
    const { client } = scripted([{ body: { data: [lead('lead_a', T1)], cursor: null } }]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    state.search!.total = 1_500;
    fetchNextWave(client, ['id'], state);
    expect(state.incomplete).toBe('Close counted 1,500 leads, but only 1 came back');
  });

  test("without a count, a walk of Close's documented 10,000 goes on in a new window", () => {
    // 9,800 read before, then 199 and 1: exactly 10,000, the cap itself.
    const many = Array.from({ length: 199 }, (_, i) => lead(`lead_${i}`, T1));
    const { client } = scripted([
      { body: { data: many, cursor: 'c1' } },
      { body: { data: [lead('lead_z', T2)], cursor: null } },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    state.search!.read = 9_800;
    fetchNextWave(client, ['id'], state);
    expect(state.search!.cursor).toBe('c1');
    expect(state.search!.windowTotal).toBeNull();
    fetchNextWave(client, ['id'], state);
    expect(state.done).toBe(false);
    expect(state.search).toMatchObject({ after: '2024-01-02T11:00:00.500Z', boundary: ['lead_z'], read: 0 });
  });

  test('a refused page stops the pull with what Close said: a 400 without a cursor, a server error with one', () => {
    const noCursor = scripted([{ status: 400, body: { error: 'Invalid query' } }]);
    expect(() =>
      fetchNextWave(noCursor.client, ['id'], newPagerState({ type: 'query', query: JSON.stringify(ALL) })),
    ).toThrow(new CloseApiError(400, 'Could not fetch leads from Close: Invalid query'));
    expect(noCursor.requests).toHaveLength(1);
    const withCursor = scripted([
      { body: { data: [lead('lead_a', T1)], cursor: 'c1', count: { total: 9 } } },
      { status: 502, body: { error: 'Bad gateway' } },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    fetchNextWave(withCursor.client, ['id'], state);
    expect(() => fetchNextWave(withCursor.client, ['id'], state)).toThrow(
      new CloseApiError(502, 'Could not fetch leads from Close: Bad gateway'),
    );
    expect(withCursor.requests.map((r) => r.body.cursor)).toEqual([undefined, 'c1']);
  });

  test('a cursor given up before any lead came: the walk asks the view’s own query again, not a window', () => {
    const { client, requests, advance } = scripted([
      { body: { data: [], cursor: 'c1', count: { total: 2 } } },
      { body: { data: [lead('lead_a', T1), lead('lead_b', T2)], cursor: null, count: { total: 2 } } },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    expect(fetchNextWave(client, ['id'], state)).toEqual([]);
    advance(MAX_CURSOR_AGE_MS + 1);
    expect(fetchNextWave(client, ['id'], state).map((l) => l.id)).toEqual(['lead_a', 'lead_b']);
    expect(requests.map((r) => [r.body.query, r.body.cursor])).toEqual([
      [ALL, undefined],
      [ALL, undefined],
    ]);
    expect(state).toMatchObject({ done: true, fetched: 2 });
    expect(state.incomplete).toBeUndefined();
  });

  test('with a visitor, the page is handed over to it and none is kept', () => {
    const { client } = scripted([
      { body: { data: [lead('lead_a', T1)], cursor: null, count: { total: 1 } } },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    const seen: string[][] = [];
    expect(
      fetchNextWave(client, ['id'], state, undefined, (leads) => seen.push(leads.map((l) => l.id))),
    ).toEqual([]);
    expect(seen).toEqual([['lead_a']]);
  });

  test('a page without data hands over nothing; a first walk with nothing new says it read nothing from the start', () => {
    const { client } = scripted([{ body: { cursor: null, count: { total: 5 } } }]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    expect(fetchNextWave(client, ['id'], state)).toEqual([]);
    expect(state).toMatchObject({ done: true, fetched: 0, pages: 1 });
    expect(state.incomplete).toBe(
      'Close counted 5 leads from the start on, but its search stopped after 0 and would not go further',
    );
  });

  test('a lead without a creation instant is handed over but never anchors a window', () => {
    const { client } = scripted([
      {
        body: {
          data: [lead('lead_a', T1), { id: 'lead_x' }, lead('lead_y', 'not a date')],
          cursor: null,
          count: { total: 9 },
        },
      },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    expect(fetchNextWave(client, ['id'], state).map((l) => l.id)).toEqual(['lead_a', 'lead_x', 'lead_y']);
    expect(state.search).toMatchObject({ after: '2024-01-02T10:00:00.123Z', boundary: ['lead_a'], tail: [] });
  });

  test('a page not sent in time changes nothing; a refused page without a cursor stops the pull', () => {
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    const outOfTime = {
      now: () => 0,
      callAll: (): CloseReply[] => [{ ok: false, status: NOT_SENT, message: 'Not sent', fieldErrors: {} }],
    } as unknown as CloseClient;
    expect(fetchNextWave(outOfTime, ['id'], state)).toEqual([]);
    expect(state).toMatchObject({ pages: 0, fetched: 0, done: false });
    const { client } = scripted([{ status: 500, body: { error: 'Internal error' } }]);
    expect(() => fetchNextWave(client, ['id'], state)).toThrow(CloseApiError);
  });

  test('a job saved by an earlier version (query and cursor only) starts a fresh window', () => {
    const { client, requests } = scripted([
      { body: { data: [lead('lead_a', T1)], cursor: null, count: { total: 1 } } },
    ]);
    const state = newPagerState();
    state.search = { query: ALL, cursor: 'old' } as never;
    expect(fetchNextWave(client, ['id'], state).map((l) => l.id)).toEqual(['lead_a']);
    expect(requests[0].body.cursor).toBeUndefined();
    expect(state).toMatchObject({ done: true, fetched: 1 });
  });

  test('a cursor younger than the limit is used; the ids kept at one instant grow when the window starts there again', () => {
    const { client, requests, advance } = scripted([
      { body: { data: [lead('lead_a', T1), lead('lead_b', T2)], cursor: 'c1', count: { total: 9 } } },
      { body: { data: [lead('lead_c', T2)], cursor: 'c2' } },
    ]);
    const state = newPagerState({ type: 'query', query: JSON.stringify(ALL) });
    fetchNextWave(client, ['id'], state);
    advance(MAX_CURSOR_AGE_MS);
    fetchNextWave(client, ['id'], state);
    expect(requests[1].body.cursor).toBe('c1');
    expect(state.search).toMatchObject({ tail: ['lead_b', 'lead_c'], windowTotal: 9 });
    endStep(state);
    expect(state.search).toMatchObject({ after: '2024-01-02T11:00:00.500Z', boundary: ['lead_b', 'lead_c'] });
    state.search!.tail = ['lead_d'];
    state.search!.cursor = 'c3';
    endStep(state);
    expect(state.search!.boundary).toEqual(['lead_b', 'lead_c', 'lead_d']);
    // A window that moves on to a later instant keeps only the ids handed over at that instant.
    state.search!.lastKey = Date.UTC(2024, 0, 2, 12);
    state.search!.tail = ['lead_f'];
    state.search!.cursor = 'c3b';
    endStep(state);
    expect(state.search).toMatchObject({ after: '2024-01-02T12:00:00.000Z', boundary: ['lead_f'], tail: [] });
    // A finished walk is left as it is.
    state.done = true;
    state.search!.cursor = 'c4';
    endStep(state);
    expect(state.search!.cursor).toBe('c4');
  });
});
