// The date-window pager against the fake Close with a small _skip cap: every lead exactly once, even
// when many leads share the timestamp a window ends on.
import { buildSampleOrg, FakeClose } from '../../dev/fake-close';
import type { Clock, Http, HttpRequest } from '../../src/core/ports';
import { type CloseCall, type CloseReply, CloseClient, NOT_SENT } from '../../src/core/close/client';
import { CloseApiError } from '../../src/core/close/errors';
import {
  acceptCount,
  acceptWave,
  countCall,
  endStep,
  fetchNextWave,
  fieldsParam,
  guessedWave,
  isSkipCapError,
  MAX_SKIP,
  newPagerState,
  pagerMark,
  takeTzOffset,
} from '../../src/core/sync/lead-pager';
import { fakeCloseHttp } from './fake-close-http';
import { pagerOrg } from './pager-org';

const KEY = 'api_test_key_1';

function world(leads: number, shareTimestamp = 0, totalResults = true, org = pagerOrg(leads)) {
  let now = Date.UTC(2026, 10, 28, 9);
  const clock: Clock = { now: () => now, sleep: (ms) => (now += ms) };
  // Many leads created in the same microsecond, straddling where the first window ends (its pages at
  // _skip 0 … MAX_SKIP hold MAX_SKIP + 200 leads).
  const sorted = [...org.leads].sort((a, b) => (a.date_created < b.date_created ? -1 : 1));
  const end = MAX_SKIP + 200;
  const stamp = sorted[end - shareTimestamp / 2]?.date_created;
  for (let i = 0; i < shareTimestamp; i++) sorted[end - shareTimestamp / 2 + i - 1].date_created = stamp;
  const close = new FakeClose(org, { now: () => now, maxSkip: MAX_SKIP, totalResults });
  const http: Http = fakeCloseHttp(close);
  return { close, client: new CloseClient(http, clock, KEY) };
}

function walk(client: CloseClient, fields = ['id', 'date_created']) {
  const state = newPagerState();
  const ids: string[] = [];
  let waves = 0;
  while (!state.done && waves < 500) {
    ids.push(...fetchNextWave(client, fields, state).map((l) => l.id));
    waves++;
  }
  return { ids, state, waves };
}

test('past the _skip cap: windows of date_created, every lead once, oldest first', () => {
  const { close, client } = world(12_000);
  const { ids, state } = walk(client);
  expect(state.done).toBe(true);
  expect(ids).toHaveLength(12_000);
  expect(new Set(ids).size).toBe(12_000);
  const order = [...close.leads.values()].sort((a, b) =>
    a.date_created < b.date_created ? -1 : a.date_created > b.date_created ? 1 : a.id < b.id ? -1 : 1,
  );
  expect(ids).toEqual(order.map((l) => l.id));
  const queries = close.log.filter((e) => e.path === '/lead/').map((e) => e.query.query);
  expect(queries[0]).toBe('sort:created');
  expect(queries.some((q) => q.startsWith('date_created >= "'))).toBe(true);
  expect(close.log.every((e) => e.status === 200)).toBe(true);
});

test('leads sharing the boundary timestamp are neither lost nor read twice', () => {
  const { close, client } = world(10_600, 60);
  const { ids } = walk(client);
  expect(ids).toHaveLength(10_600);
  expect(new Set(ids).size).toBe(10_600);
  // The second window started at the whole minute of the shared timestamp (the search syntax compares
  // at the minute), and skipped the ones already read.
  const second = close.log.filter(
    (e) => e.path === '/lead/' && e.query.query.startsWith('date_created >='),
  )[0];
  const anchor = second.query.query.split('"')[1];
  expect(anchor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+00:00$/);
  const shared = [...close.leads.values()].filter(
    (l) => String(l.date_created).slice(0, 16) === anchor.slice(0, 16),
  );
  expect(shared).toHaveLength(60);
});

test('a search-bar query narrows every window; a Smart View walks search cursors', () => {
  // Sample leads whole: their statuses vary.
  const { close, client } = world(300, 0, true, buildSampleOrg({ leads: 300 }));
  const state = newPagerState({ type: 'query', query: 'status:"Qualified"' });
  const leads = fetchNextWave(client, ['id', 'status_id'], state);
  const qualified = close.org.leadStatuses.find((s) => s.label === 'Qualified')!.id;
  expect(leads.map((l) => l.id).sort()).toEqual(
    [...close.leads.values()]
      .filter((l) => l.status_id === qualified)
      .map((l) => l.id)
      .sort(),
  );
  const view = close.org.savedSearches[0];
  const search = newPagerState({ type: 'smart_view', id: view.id });
  const found: string[] = [];
  while (!search.done) found.push(...fetchNextWave(client, ['id'], search).map((l) => l.id));
  expect(search.pages).toBeGreaterThan(0);
  expect(new Set(found).size).toBe(found.length);
  expect(found.length).toBe(search.windowTotal);
});

test('a tie bigger than the job record can hold keeps the record small', () => {
  const { client } = world(10_600, 400);
  const state = newPagerState();
  while (!state.done && state.after === null) fetchNextWave(client, ['id', 'date_created'], state);
  // Within a step every id of the tie is remembered; the record saved at the step's end keeps 100.
  expect(state.boundary.length).toBe(201);
  endStep(state);
  expect(state.boundary.length).toBe(100);
  expect(JSON.stringify(state).length).toBeLessThan(9_000);
});

test('without total_results (Close does not promise it) waves double, and every lead still comes once', () => {
  const { close, client } = world(12_000, 0, false);
  const { ids, waves } = walk(client);
  expect(ids).toHaveLength(12_000);
  expect(new Set(ids).size).toBe(12_000);
  const pages = close.log.filter((e) => e.path === '/lead/');
  expect(close.log.every((e) => e.status === 200)).toBe(true);
  // 60 pages hold the leads; doubling wastes less than one wave's worth past the end.
  expect(pages.length).toBeLessThan(60 + 32);
  expect(waves).toBeLessThan(12);
});

test('a minute holding more leads than Close pages through is reported, not looped on', () => {
  let now = Date.UTC(2026, 10, 28, 9);
  const clock: Clock = { now: () => now, sleep: (ms) => (now += ms) };
  const org = pagerOrg(1_500);
  const byAge = [...org.leads].sort((a, b) => (a.date_created < b.date_created ? -1 : 1));
  // 1,000 leads created in one minute, a few milliseconds apart.
  const minute = byAge[200].date_created.slice(0, 16);
  for (let i = 0; i < 1_000; i++)
    byAge[200 + i].date_created =
      `${minute}:${String(Math.floor(i / 20)).padStart(2, '0')}.${String(100_000 + i).slice(1)}0+00:00`;
  const close = new FakeClose(org, { now: () => now, maxSkip: 400 });
  const http: Http = fakeCloseHttp(close);
  const { ids, state, waves } = walk(new CloseClient(http, clock, KEY));
  expect(waves).toBeLessThan(20);
  expect(state.done).toBe(true);
  expect(state.skipCap).toBe(400);
  expect(state.incomplete).toBe(
    `more than 400 leads were created in Close in the minute from ${minute}:00+00:00, and Close pages no deeper than that`,
  );
  expect(new Set(ids).size).toBe(ids.length);
});

describe('the requests a walk by date windows sends', () => {
  const fields = ['id', 'name'];
  const page = (ids: string[], hasMore: boolean, created: string[], total?: number): CloseReply => ({
    ok: true,
    status: 200,
    data: {
      data: ids.map((id, i) => ({ id, date_created: created[i] })),
      has_more: hasMore,
      ...(total === undefined ? {} : { total_results: total }),
    },
  });
  const unsentReply: CloseReply = { ok: false, status: NOT_SENT, message: 'Not sent', fieldErrors: {} };

  test("Close's _skip cap lower than the pager's is learnt from its 400, and the walk goes on in windows", () => {
    // The fake's cap is set below the pager's own MAX_SKIP, so the refusal path runs.
    const small = new FakeClose(pagerOrg(2_500), { now: () => 0, maxSkip: 1_000 });
    const { ids, state } = walk(
      new CloseClient(fakeCloseHttp(small), { now: () => 0, sleep: () => {} }, KEY),
    );
    expect(ids).toEqual(
      [...small.leads.values()].sort((a, b) => (a.date_created < b.date_created ? -1 : 1)).map((l) => l.id),
    );
    expect(state.skipCap).toBe(1_000);
    expect(state.incomplete).toBeUndefined();
    const refused = small.log.filter((e) => e.status === 400).map((e) => e.query._skip);
    expect(refused).toEqual(['1200', '1400', '1600', '1800', '2000', '2200', '2400']);
    // Every later window pages no deeper than Close's cap.
    const lastRefused = small.log.map((e) => e.status).lastIndexOf(400);
    const after = small.log.slice(lastRefused + 1);
    expect(Math.max(...after.map((e) => Number(e.query._skip)))).toBe(1_000);
  });

  test("Close's cap met exactly at a wave's end: the next wave's refused first page still moves the window on", () => {
    // Without totals, waves ask 1, 2, 4 pages: the third ends at _skip 1,200, Close's cap, so the fourth
    // wave's first page is refused before it reads a lead. The walk once ended there, 1,400 of 2,500
    // leads read, as if complete (a pull then treats the rest as gone from Close).
    const capped = new FakeClose(pagerOrg(2_500), { now: () => 0, maxSkip: 1_200, totalResults: false });
    const { ids, state } = walk(
      new CloseClient(fakeCloseHttp(capped), { now: () => 0, sleep: () => {} }, KEY),
    );
    expect(ids).toEqual(
      [...capped.leads.values()].sort((a, b) => (a.date_created < b.date_created ? -1 : 1)).map((l) => l.id),
    );
    expect(state).toMatchObject({ done: true, skipCap: 1_200, fetched: 2_500 });
    expect(state.incomplete).toBeUndefined();
  });

  test('a skip refusal that names no cap: the cap is the last skip Close took', () => {
    const state = newPagerState();
    state.skip = 1_000;
    const refusal: CloseReply = {
      ok: false,
      status: 400,
      message: 'The skip you set is too large. Please refine your search query.',
      fieldErrors: {},
    };
    const leads = acceptWave(state, [page(['lead_a'], true, ['2024-01-02T10:05:30.123000+00:00']), refusal]);
    expect(leads.map((l) => l.id)).toEqual(['lead_a']);
    expect(state.skipCap).toBe(1_000);
    expect(state).toMatchObject({
      after: '2024-01-02T10:05:00+00:00',
      skip: 0,
      boundary: ['lead_a'],
      done: false,
    });
  });

  test('a skip refusal naming its cap, however written, is taken at its word', () => {
    for (const message of [
      'The skip you set is larger than the maximum skip for this resource (max_skip = 1100).',
      'The skip is too large (maxskip=1100)',
    ]) {
      const state = newPagerState();
      state.skip = 1_200;
      acceptWave(state, [{ ok: false, status: 400, message, fieldErrors: {} }]);
      expect(state.skipCap).toBe(1_100);
    }
  });

  test('a window past the deepest skip: the next starts at the last minute read, sized by what was left', () => {
    const state = newPagerState();
    Object.assign(state, { skip: 10_000, windowTotal: 10_500 });
    const leads = acceptWave(state, [
      page(['lead_a', 'lead_b'], true, ['2024-01-02T10:05:10+00:00', '2024-01-02T10:05:20+00:00']),
    ]);
    expect(leads.map((l) => l.id)).toEqual(['lead_a', 'lead_b']);
    // 10,500 counted, 10,200 paged past, and the two of the boundary minute read again.
    expect(state).toMatchObject({
      after: '2024-01-02T10:05:00+00:00',
      boundary: ['lead_a', 'lead_b'],
      skip: 0,
      windowTotal: 302,
      done: false,
    });
  });

  test('a window that is one minute deeper than Close pages ends the pull, saying so', () => {
    const state = newPagerState();
    Object.assign(state, { after: '2024-01-02T10:05:00+00:00', skip: 10_000 });
    acceptWave(state, [page(['lead_a'], true, ['2024-01-02T10:05:10+00:00'])]);
    expect(state.done).toBe(true);
    expect(state.incomplete).toBe(
      'more than 10,000 leads were created in Close in the minute from 2024-01-02T10:05:00+00:00, and Close pages no deeper than that',
    );
  });

  test('a finished walk sends nothing more', () => {
    const state = { ...newPagerState(), done: true };
    const silent = { callAll: () => [] } as unknown as CloseClient;
    expect(fetchNextWave(silent, fields, state)).toEqual([]);
    const search = { ...newPagerState({ type: 'smart_view', id: 'save_1' }), done: true };
    expect(fetchNextWave(silent, fields, search, undefined, () => {})).toEqual([]);
  });

  test('an incremental refresh asks only for leads updated since its minute; the fields name date_created once', () => {
    const state = { ...newPagerState(), updatedSince: '2024-01-02T10:05:00+00:00' };
    expect(countCall(state)).toStrictEqual({
      method: 'get',
      path: '/lead/',
      query: { query: 'date_updated >= "2024-01-02T10:05:00+00:00" sort:created', _limit: 1, _fields: 'id' },
    });
    expect(guessedWave(state, ['id', 'date_created'], 1)![0].query).toEqual({
      query: 'date_updated >= "2024-01-02T10:05:00+00:00" sort:created',
      _limit: 200,
      _skip: 0,
      _fields: 'id,date_created',
    });
    // The rep's own filter before its zone is known: no X-TZ-Offset header at all.
    expect(countCall(newPagerState({ type: 'query', query: 'status:Potential' }))).toStrictEqual({
      method: 'get',
      path: '/lead/',
      query: { query: 'status:Potential sort:created', _limit: 1, _fields: 'id' },
    });
  });

  test('a 400 on the first page is no skip cap: the pull stops with what Close said', () => {
    const state = newPagerState();
    const refusal: CloseReply = { ok: false, status: 400, message: 'skip must be a number', fieldErrors: {} };
    expect(() => acceptWave(state, [refusal])).toThrow(
      new CloseApiError(400, 'Could not fetch leads from Close: skip must be a number'),
    );
    expect(isSkipCapError(400, 'max_skip = 250000')).toBe(true);
    expect(isSkipCapError(400, 'The _skip parameter is too large')).toBe(true);
    expect(isSkipCapError(400, 'Skipping is not allowed')).toBe(false);
    expect(isSkipCapError(500, 'the skip you set')).toBe(false);
  });

  test('pages after one not sent in time are left for the next step; the pages before are kept', () => {
    const state = newPagerState();
    const leads = acceptWave(state, [
      page(['lead_a', 'lead_b'], true, ['2024-01-02T10:05:30+00:00', '2024-01-02T10:06:00+00:00'], 900),
      unsentReply,
      page(['lead_x'], false, ['2024-01-02T11:00:00+00:00']),
    ]);
    expect(leads.map((l) => l.id)).toEqual(['lead_a', 'lead_b']);
    expect(state).toMatchObject({
      skip: 200,
      pages: 1,
      fetched: 2,
      windowTotal: 900,
      done: false,
      after: null,
    });
  });

  test('with a visitor, each page is handed over as it is read and none is kept', () => {
    const state = newPagerState();
    const seen: string[][] = [];
    const kept = acceptWave(
      state,
      [
        page(['lead_a'], true, ['2024-01-02T10:05:30+00:00']),
        page(['lead_b'], false, ['2024-01-02T10:06:00+00:00']),
      ],
      (leads) => seen.push(leads.map((l) => l.id)),
    );
    expect(kept).toEqual([]);
    expect(seen).toEqual([['lead_a'], ['lead_b']]);
    expect(state).toMatchObject({ done: true, fetched: 2, pages: 2 });
  });

  test('the count asks for one lead of the window; its total sizes the next wave', () => {
    const state = newPagerState({ type: 'query', query: ' status:Potential ' });
    takeTzOffset(state, Date.UTC(2024, 0, 2), () => 'America/New_York');
    expect(countCall(state)).toEqual({
      method: 'get',
      path: '/lead/',
      query: { query: 'status:Potential sort:created', _limit: 1, _fields: 'id' },
      headers: { 'X-TZ-Offset': '-5' },
    });
    acceptCount(state, { ok: true, status: 200, data: { data: [], has_more: true, total_results: 450 } });
    expect(state.windowTotal).toBe(450);
    expect(countCall(state)).toBeNull();
    const requests: HttpRequest[] = [];
    const close = new FakeClose(pagerOrg(10), { now: () => 0 });
    const client = new CloseClient(
      fakeCloseHttp(close, (r) => requests.push(r)),
      { now: () => 0, sleep: () => {} },
      KEY,
    );
    fetchNextWave(client, fields, state);
    expect(
      requests.map((r) => {
        const url = new URL(r.url);
        return [url.searchParams.get('_skip'), url.searchParams.get('_limit'), r.headers?.['X-TZ-Offset']];
      }),
    ).toEqual([
      ['0', '200', '-5'],
      ['200', '200', '-5'],
      ['400', '200', '-5'],
    ]);
  });

  test('a count not sent in time changes nothing; a refused one says why', () => {
    const state = newPagerState();
    acceptCount(state, unsentReply);
    expect(state.windowTotal).toBeNull();
    acceptCount(state, { ok: true, status: 200, data: { data: [] } });
    expect(state.windowTotal).toBeNull();
    expect(() =>
      acceptCount(state, { ok: false, status: 500, message: 'Close had a server error', fieldErrors: {} }),
    ).toThrow(new CloseApiError(500, 'Could not fetch leads from Close: Close had a server error'));
    expect(countCall({ ...newPagerState(), pages: 1 })).toBeNull();
  });

  test("all leads: no X-TZ-Offset (no relative dates of the rep's); the count and pages carry none", () => {
    const state = newPagerState();
    takeTzOffset(state, Date.UTC(2024, 0, 2), () => 'America/New_York');
    expect(state.tzOffset).toBeUndefined();
    expect(countCall(state)).toEqual({
      method: 'get',
      path: '/lead/',
      query: { query: 'sort:created', _limit: 1, _fields: 'id' },
    });
    const smart = newPagerState({ type: 'smart_view', id: 'save_1' });
    takeTzOffset(smart, Date.UTC(2024, 6, 2), () => 'America/New_York');
    takeTzOffset(smart, Date.UTC(2024, 0, 2), () => 'America/New_York');
    expect(smart.tzOffset).toBe('-4');
  });

  test("a re-pull's first pages ride with the schema: the sheet's rows and one page more", () => {
    const state = newPagerState();
    expect(guessedWave(state, ['id', 'name'], 450)).toEqual(
      [0, 200, 400, 600].map((skip) => ({
        method: 'get',
        path: '/lead/',
        query: { query: 'sort:created', _limit: 200, _skip: skip, _fields: 'id,name,date_created' },
        firstWaveOnly: true,
      })),
    );
    expect(guessedWave(state, ['id'], 1)).toHaveLength(2);
    expect(guessedWave(state, ['id'], 0)).toBeNull();
    expect(guessedWave({ ...newPagerState(), pages: 1 }, ['id'], 450)).toBeNull();
    expect(guessedWave({ ...newPagerState(), done: true }, ['id'], 450)).toBeNull();
    expect(guessedWave(newPagerState({ type: 'smart_view', id: 'save_1' }), ['id'], 450)).toBeNull();
    // Never deeper than the window: 100 pages at most.
    expect(guessedWave(newPagerState(), ['id'], 50_000)).toHaveLength(51);
  });

  test('a long field list asks for every custom field instead, keeping the URL short', () => {
    const many = Array.from({ length: 40 }, (_, i) => `custom.cf_${'x'.repeat(40)}${i}`);
    expect(fieldsParam(['id', 'name', ...many])).toBe('id,name,custom');
    expect(fieldsParam(['id', ...many.slice(0, 3)])).toBe(['id', ...many.slice(0, 3)].join(','));
    // 1,500 characters exactly is still listed.
    const exact = ['id', `custom.cf_${'y'.repeat(1_500 - 'id,custom.cf_'.length)}`];
    expect(exact.join(',')).toHaveLength(1_500);
    expect(fieldsParam(exact)).toBe(exact.join(','));
  });

  test("a query copied from Close's filters is JSON and goes through Advanced Filtering", () => {
    const query = { type: 'and', queries: [{ type: 'object_type', object_type: 'lead' }] };
    expect(newPagerState({ type: 'query', query: JSON.stringify({ query }) }).search?.query).toEqual(query);
    expect(newPagerState({ type: 'query', query: ` ${JSON.stringify(query)}` }).search?.query).toEqual(query);
    expect(() => newPagerState({ type: 'query', query: '{"type": "and",' })).toThrow(
      "The query looks like JSON but is not valid JSON: copy it again from Close's filters.",
    );
    expect(newPagerState({ type: 'query', query: 'name:"{Acme}"' })).toMatchObject({
      search: null,
      filter: 'name:"{Acme}"',
    });
  });

  /** A client that answers every page with one lead and records each wave: its `_skip`s and its stopAt. */
  function waveRecorder() {
    const waves: Array<{ skips: unknown[]; until: number | undefined }> = [];
    const client = {
      callAll: (calls: CloseCall[], until?: number) => {
        waves.push({ skips: calls.map((c) => c.query?._skip), until });
        return calls.map((c) => page([`lead_${c.query?._skip}`], true, ['2024-01-02T10:05:30+00:00']));
      },
    } as unknown as CloseClient;
    return { client, waves };
  }

  test("a step's room caps the wave at the pages it can write, and no page waits past the room's time", () => {
    const { client, waves } = waveRecorder();
    const state = { ...newPagerState(), windowTotal: 5_000 };
    const asked: number[] = [];
    const room = (leads: number, until: number) => ({
      leads,
      stopAt: (n: number) => {
        asked.push(n);
        return until;
      },
    });
    // Room for 450 leads: two whole pages of the 25 the total asks for, sent only until the time that
    // leaves room to write those two pages (not the step's own stopAt).
    fetchNextWave(client, fields, state, 99_999, undefined, room(450, 1_234));
    expect(waves).toEqual([{ skips: [0, 200], until: 1_234 }]);
    expect(asked).toEqual([400]);
    // Room for less than a page still asks for one.
    fetchNextWave(client, fields, state, 99_999, undefined, room(150, 777));
    expect(waves[1]).toEqual({ skips: [400], until: 777 });
    expect(asked).toEqual([400, 200]);
    // No room given: the wave the total asks for (4,400 leads left: 22 pages), until the step's stopAt.
    fetchNextWave(client, fields, state, 99_999);
    expect(waves[2]).toEqual({
      skips: Array.from({ length: 22 }, (_, k) => 600 + k * 200),
      until: 99_999,
    });
  });

  test('a page the step could not write in time is not taken: it and the pages after it are read again', () => {
    const state = newPagerState();
    const asked: number[] = [];
    const before = pagerMark(state);
    const leads = acceptWave(
      state,
      [
        page(['lead_a', 'lead_b'], true, ['2024-01-02T10:05:30+00:00', '2024-01-02T10:06:00+00:00'], 900),
        page(['lead_c'], true, ['2024-01-02T10:07:00+00:00']),
        page(['lead_d'], false, ['2024-01-02T10:08:00+00:00']),
      ],
      undefined,
      (n) => {
        asked.push(n);
        return asked.length < 2;
      },
    );
    expect(leads.map((l) => l.id)).toEqual(['lead_a', 'lead_b']);
    expect(asked).toEqual([2, 1]);
    expect(state).toMatchObject({ skip: 200, pages: 1, fetched: 2, windowTotal: 900, done: false });
    // The walk moved: a step compares these marks to tell a wave that read nothing.
    expect([before, pagerMark(state)]).toEqual(['0 null 0', '1 null 200']);
  });

  test('a creation time in another zone starts the next window at its whole minute in UTC', () => {
    const state = { ...newPagerState(), skip: 10_000 };
    acceptWave(state, [page(['lead_a'], true, ['2024-01-02T05:05:59.999-05:00'])]);
    expect(state).toMatchObject({ after: '2024-01-02T10:05:00+00:00', boundary: ['lead_a'], skip: 0 });
    expect(pagerMark(state)).toBe('1 2024-01-02T10:05:00+00:00 0');
  });

  test("a step's end keeps the last 100 ids of a tie still being read, as of the boundary", () => {
    const state = newPagerState();
    const ids = Array.from({ length: 150 }, (_, i) => `lead_${i}`);
    acceptWave(state, [
      page(
        ids,
        true,
        ids.map(() => '2024-01-02T10:05:30+00:00'),
      ),
    ]);
    expect(state.tail).toHaveLength(150);
    endStep(state);
    expect(state.tail).toEqual(ids.slice(50));
  });

  test("a wave near the window's end asks only for the pages down to the deepest skip", () => {
    const { client, waves } = waveRecorder();
    // No total: the wave would double to 16 pages, but the window holds three more (10,000 is the last).
    const state = { ...newPagerState(), skip: 9_600, pages: 48, lastWave: 8 };
    fetchNextWave(client, fields, state);
    expect(waves).toEqual([{ skips: [9_600, 9_800, 10_000], until: undefined }]);
    // With a total past the window's end: the same three.
    const counted = { ...newPagerState(), skip: 9_600, pages: 48, windowTotal: 50_000 };
    fetchNextWave(client, fields, counted);
    expect(waves[1].skips).toEqual([9_600, 9_800, 10_000]);
  });

  test('a lead without a creation time keeps the minute of the lead before it', () => {
    const state = { ...newPagerState(), skip: 10_000 };
    acceptWave(state, [
      {
        ok: true,
        status: 200,
        data: {
          data: [{ id: 'lead_a', date_created: '2024-01-02T10:05:30+00:00' }, { id: 'lead_b' }],
          has_more: true,
        },
      },
    ]);
    expect(state).toMatchObject({
      after: '2024-01-02T10:05:00+00:00',
      boundary: ['lead_a', 'lead_b'],
      done: false,
    });
  });

  test('a window whose leads all come without a creation time ends the pull, saying it could not read on', () => {
    // Close sets date_created on every lead and every page asks for it; were it ever left out, the pull
    // could not start the next window, and must not take the leads it did not read as gone from Close.
    const state = { ...newPagerState(), skip: 10_000, fetched: 10_000 };
    acceptWave(state, [{ ok: true, status: 200, data: { data: [{ id: 'lead_a' }], has_more: true } }]);
    expect(state).toMatchObject({ done: true, fetched: 10_001, tail: ['lead_a'] });
    expect(state.incomplete).toBe(
      'Close sent leads without the creation date (date_created) the pull pages by, so it stopped after 10,001 leads',
    );
  });
});
