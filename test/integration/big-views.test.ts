// Close's documented limits on big pulls, against a fake that keeps them: Advanced Filtering cursors
// that expire after 30 seconds, 10,000 objects per cursor walk (count.total still the whole total), the
// real max-skip message of GET /lead/, minute-precision `date_created >=`, and X-TZ-Offset for the
// rep's own filters. Judged by what Close received and what the sheet shows.
import { buildBulkOrg } from '../../dev/fake-close';
import type { FakeOrg, SavedSearch } from '../../dev/fake-close/types';
import { connectedWorld, runToEnd, type World } from './harness';
import { sheetIds, view } from './sheet';

jest.setTimeout(120_000);

const VIEW_ID = 'save_EveryLeadView0000000000000000000000000000';
const SORT = [
  { direction: 'asc', field: { type: 'regular_field', object_type: 'lead', field_name: 'date_created' } },
];

/** A bulk organization with one Smart View that holds every lead. */
function orgWithView(leads: number): FakeOrg {
  const org = buildBulkOrg({ leads, customFields: 3 });
  const everyLead: SavedSearch = {
    id: VIEW_ID,
    name: 'Every lead',
    type: 'lead',
    query: '*',
    s_query: {
      query: { type: 'and', queries: [{ type: 'object_type', object_type: 'lead' }] },
      sort: [],
      results_limit: null,
    },
    selected_fields: [],
    is_shared: true,
    shared_with: [],
    user_id: org.users[0].id,
    organization_id: org.organization.id,
    created_by: org.users[0].id,
    updated_by: org.users[0].id,
    date_created: '2024-01-01T00:00:00.000000+00:00',
    date_updated: '2024-01-01T00:00:00.000000+00:00',
  };
  org.savedSearches.push(everyLead);
  return org;
}

interface SearchSent {
  body: { query: unknown; sort?: unknown; cursor?: string; include_counts?: boolean; _limit: number };
  headers: Record<string, string>;
}

/** The searches Close received, in order. */
function searches(w: World): SearchSent[] {
  return w.runtime.requests
    .filter((r) => r.method === 'POST' && r.url.endsWith('/data/search/'))
    .map((r) => ({ body: JSON.parse(r.body), headers: r.headers }));
}

/** The `on_or_after` of a window's query, or null for the view's own (first) window. */
function windowStart(body: SearchSent['body']): string | null {
  const q = body.query as { type: string; queries?: Array<Record<string, unknown>> };
  if (q.type !== 'and' || !q.queries) return null;
  const condition = q.queries.find((x) => x.type === 'field_condition') as
    | { condition: { on_or_after: { type: string; value: string } } }
    | undefined;
  return condition ? condition.condition.on_or_after.value : null;
}

const allIds = (w: World) => [...w.close.leads.values()].map((l) => l.id);

/** A column of the sheet, top to bottom (header left out). */
function column(w: World, sheet: string, header: string): unknown[] {
  const v = view(w, sheet);
  return v.rows.slice(1).map((r) => r[v.col(header) - 1]);
}

/** The instant a lead was created, as the window that starts at it names it (whole ms, UTC). */
const instantOf = (w: World, id: string) =>
  new Date(Date.parse(String(w.close.leads.get(id)!.date_created))).toISOString();

test('a Smart View of 12,000 leads comes whole past the 10,000-per-walk cap, each lead once, none marked gone', () => {
  const w = connectedWorld({ org: orgWithView(12_000) });
  const { outcome } = runToEnd(w, w.app.pullLeads({ sheetName: 'Every lead', smartViewId: VIEW_ID }));
  expect(outcome).toMatchObject({ done: true, leads: 12_000, added: 12_000, gone: 0 });
  expect(outcome.message).toMatch(/^Pulled 12000 leads into "Every lead" \(12000 new\) in [\d.]+s\.$/);
  const ids = sheetIds(w, 'Every lead');
  expect(ids).toHaveLength(12_000);
  expect(new Set(ids)).toEqual(new Set(allIds(w)));

  const sent = searches(w);
  // Every search is sorted oldest first by date_created, 200 a page, and a page without a cursor asks
  // for Close's count.
  for (const s of sent) {
    expect(s.body.sort).toEqual(SORT);
    expect(s.body._limit).toBe(200);
    expect(s.body.include_counts).toBe(s.body.cursor === undefined ? true : undefined);
  }
  // The first walk is the view's own query; Close ends it at 10,000 leads (cursor null, count 12,000),
  // and the next window is the view AND created on or after the last lead read, from which the leads
  // already placed at that instant are skipped.
  expect(sent[0].body.query).toEqual({ type: 'saved_search', saved_search_id: VIEW_ID });
  const windows = sent.filter((s) => s.body.cursor === undefined && windowStart(s.body) !== null);
  expect(windows).toHaveLength(1);
  const byAge = [...w.close.leads.values()].sort((a, b) =>
    a.date_created < b.date_created ? -1 : a.date_created > b.date_created ? 1 : 0,
  );
  const tenThousandth = instantOf(w, byAge[9_999].id);
  expect(windows[0].body.query).toEqual({
    type: 'and',
    queries: [
      { type: 'object_type', object_type: 'lead' },
      { type: 'saved_search', saved_search_id: VIEW_ID },
      {
        type: 'field_condition',
        field: { type: 'regular_field', object_type: 'lead', field_name: 'date_created' },
        condition: { type: 'moment_range', on_or_after: { type: 'fixed_utc', value: tenThousandth } },
      },
    ],
  });
  expect(w.close.log.filter((e) => e.path === '/data/search/').every((e) => e.status === 200)).toBe(true);

  // A refresh finds every lead again: none is marked as gone.
  const again = runToEnd(w, w.app.pullLeads({ sheetName: 'Every lead' })).outcome;
  expect(again).toMatchObject({ done: true, leads: 12_000, added: 0, refreshed: 12_000, gone: 0 });
  expect(column(w, 'Every lead', 'Sync status').filter((s) => String(s).startsWith('not in Close'))).toEqual(
    [],
  );
});

test('a Smart View pull whose steps take longer than a cursor lives completes: no cursor outlives its step', () => {
  // 3,000 leads, 15 pages; each page takes 8 s and each step 40 s, with a minute between steps.
  const w = connectedWorld({
    org: orgWithView(3_000),
    gas: { fetchLatencyMs: 8_000, maxExecutionMs: 6 * 60_000 },
  });
  w.runtime.scriptProperties.set('closeSync.stepBudgetMs', '40000');
  w.runtime.startExecution();
  let outcome = w.app.pullLeads({ sheetName: 'Every lead', smartViewId: VIEW_ID });
  // Per later step: how many searches went before it, and the last lead placed before it.
  const stepStarts: Array<{ at: number; lastPlaced: string }> = [];
  const took: number[] = [];
  let steps = 1;
  while (!outcome.done && steps < 40) {
    w.clock.advance(60_000);
    w.runtime.startExecution();
    stepStarts.push({ at: searches(w).length, lastPlaced: sheetIds(w, 'Every lead').at(-1)! });
    const started = w.clock.now();
    outcome = w.app.continueSync();
    took.push(w.clock.now() - started);
    steps++;
  }
  // Every step but the last (which ends when the view does) outlasts a cursor.
  expect(took.length).toBeGreaterThan(1);
  for (const ms of took.slice(0, -1)) expect(ms).toBeGreaterThan(30_000);
  expect(outcome).toMatchObject({ done: true, leads: 3_000, gone: 0 });
  expect(steps).toBeGreaterThan(2);
  const ids = sheetIds(w, 'Every lead');
  expect(ids).toHaveLength(3_000);
  expect(new Set(ids)).toEqual(new Set(allIds(w)));
  // Close never refused a cursor, and each later step began without one, at the last lead placed.
  expect(w.close.log.filter((e) => e.path === '/data/search/').map((e) => e.status)).toEqual(
    searches(w).map(() => 200),
  );
  const sent = searches(w);
  for (const { at, lastPlaced } of stepStarts) {
    expect(sent[at].body.cursor).toBeUndefined();
    expect(windowStart(sent[at].body)).toBe(instantOf(w, lastPlaced));
  }
});

test('a pull of 25,000 leads when Close refuses _skip past 2,000 with its own message, leads sharing minutes at window edges', () => {
  const org = buildBulkOrg({ leads: 25_000, customFields: 3 });
  // 300 leads created within one minute (different seconds) around where the first window ends.
  const byAge = [...org.leads].sort((a, b) => (a.date_created < b.date_created ? -1 : 1));
  const minute = byAge[2_000].date_created.slice(0, 16);
  for (let i = 0; i < 300; i++)
    byAge[1_900 + i].date_created =
      `${minute}:${String(i % 60).padStart(2, '0')}.${String(100_000 + i).slice(1)}0+00:00`;
  const w = connectedWorld({ org, close: { maxSkip: 2_000 } });
  const { outcome } = runToEnd(w, w.app.pullLeads({}));
  expect(outcome).toMatchObject({ done: true, leads: 25_000, added: 25_000, gone: 0 });
  const ids = sheetIds(w);
  expect(ids).toHaveLength(25_000);
  expect(new Set(ids)).toEqual(new Set(allIds(w)));

  const pages = w.close.log.filter((e) => e.method === 'GET' && e.path === '/lead/' && e.query._skip);
  const refused = pages.filter((e) => e.status === 400);
  // Close's refusal names the skip, not `_skip`; the pager takes it as the end of a window.
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((e) => Number(e.query._skip) > 2_000)).toBe(true);
  // Once refused, no page asks past the cap Close named.
  const firstRefusal = pages.indexOf(refused[0]);
  const waveOfRefusal = pages.slice(firstRefusal).findIndex((e) => Number(e.query._skip) === 0);
  expect(pages.slice(firstRefusal + waveOfRefusal).every((e) => Number(e.query._skip) <= 2_000)).toBe(true);
  // Windows start on whole minutes, in UTC.
  const starts = pages
    .map((e) => /^date_created >= "([^"]+)" sort:created$/.exec(e.query.query)?.[1])
    .filter((s): s is string => s !== undefined);
  expect(starts.length).toBeGreaterThan(10);
  for (const s of starts) expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+00:00$/);
  expect(starts).toContain(`${minute}:00+00:00`);
});

test("a Smart View whose walk falls short of Close's count says so and marks no lead as gone", () => {
  const w = connectedWorld({ org: orgWithView(3_000) });
  runToEnd(w, w.app.pullLeads({ sheetName: 'Every lead', smartViewId: VIEW_ID }));
  expect(sheetIds(w, 'Every lead')).toHaveLength(3_000);
  // Close's walk now leaves one lead out of its pages while its count still has it.
  const missing = [...w.close.leads.values()][1_234].id;
  w.close.searchOmits.add(missing);
  const { outcome } = runToEnd(w, w.app.pullLeads({ sheetName: 'Every lead' }));
  expect(outcome).toMatchObject({ done: true, leads: 2_999, gone: 0 });
  expect(outcome.incomplete).toBe('Close counted 3,000 leads, but only 2,999 came back');
  expect(outcome.message).toMatch(
    /^Pulled 2999 leads into "Every lead" \(0 new\) in [\d.]+s\. Not every lead came back: Close counted 3,000 leads, but only 2,999 came back, so no row was marked as gone from Close\. Pull again; if this keeps happening, narrow the Smart View\.$/,
  );
  const row = column(w, 'Every lead', 'Lead ID').indexOf(missing);
  expect(row).toBeGreaterThanOrEqual(0);
  expect(column(w, 'Every lead', 'Sync status')[row]).toBe('');
  expect(column(w, 'Every lead', 'Sync status').filter((s) => String(s).startsWith('not in Close'))).toEqual(
    [],
  );
});

test("searches carry X-TZ-Offset from the spreadsheet's zone; a pull of every lead needs none", () => {
  const w = connectedWorld({ org: orgWithView(300) });
  w.app.pullLeads({ sheetName: 'Every lead', smartViewId: VIEW_ID });
  const sent = searches(w);
  expect(sent.length).toBeGreaterThan(0);
  // The spreadsheet is in America/New_York; on 2026-11-28 that is UTC-5.
  expect(sent.map((s) => s.headers['X-TZ-Offset'])).toEqual(sent.map(() => '-5'));

  // A search-bar query is the rep's filter too: its GET /lead/ pages carry the header.
  w.runtime.requests.length = 0;
  w.app.pullLeads({ sheetName: 'Potential', query: 'status:"Potential"' });
  const pages = w.runtime.requests.filter((r) => r.method === 'GET' && r.url.includes('/lead/?'));
  expect(pages.length).toBeGreaterThan(0);
  expect(pages.map((r) => r.headers['X-TZ-Offset'])).toEqual(pages.map(() => '-5'));

  // Every lead: no filter of the rep's, no header (and no time-zone lookup).
  w.runtime.requests.length = 0;
  w.app.pullLeads({});
  expect(w.runtime.requests.some((r) => 'X-TZ-Offset' in r.headers)).toBe(false);

  // Newfoundland keeps half hours: UTC-3:30 in November.
  const nl = connectedWorld({ org: orgWithView(300), gas: { spreadsheetTimeZone: 'America/St_Johns' } });
  nl.app.pullLeads({ sheetName: 'Every lead', smartViewId: VIEW_ID });
  expect(searches(nl).map((s) => s.headers['X-TZ-Offset'])).toEqual(searches(nl).map(() => '-3.5'));
});
