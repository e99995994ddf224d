// The date-window pager against the fake Close with a small _skip cap: every lead exactly once, even
// when many leads share the timestamp a window ends on.
import { buildSampleOrg, FakeClose } from '../../dev/fake-close';
import { CloseClient } from '../../src/core/close/client';
import type { Clock, Http } from '../../src/core/ports';
import { endStep, fetchNextWave, MAX_SKIP, newPagerState } from '../../src/core/sync/lead-pager';
import { fakeCloseHttp } from './fake-close-http';

const KEY = 'api_test_key_1';

/**
 * An organization of `count` leads holding what the pager reads (id, date_created), a few minutes
 * apart with odd seconds and fractions. Generating thousands of sample leads whole (contacts,
 * opportunities) takes seconds, and mutation testing runs these tests once per mutant.
 */
function pagerOrg(count: number) {
  const org = buildSampleOrg({ leads: 2 });
  const template = org.leads[1];
  const start = Date.UTC(2019, 0, 7, 9);
  org.leads = Array.from({ length: count }, (_, i) => ({
    ...template,
    id: `lead_${String(i).padStart(6, '0')}${template.id.slice(11)}`,
    date_created: new Date(start + i * 180_000 + ((i * 7919) % 60_000))
      .toISOString()
      .replace('Z', '123+00:00'),
    contacts: [],
    opportunities: [],
  }));
  return org;
}

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
