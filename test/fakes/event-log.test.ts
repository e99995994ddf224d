// The fake Close's Event Log (dev/fake-close/events.ts) against what Close documents for GET /event/:
// supported filter combinations, latest first, `_limit` capped at 50, cursor paging, 30 days kept, dates
// without an offset, and a merge logging the source lead's deletion.
import { buildSampleOrg, EVENT_RETENTION_MS, FakeClose } from '../../dev/fake-close';

const START = Date.UTC(2026, 10, 28, 9, 0, 0);
const AUTH = { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` };

function setup() {
  let now = START;
  const close = new FakeClose(buildSampleOrg({ leads: 80 }), { now: () => now });
  const call = (method: string, path: string, body?: object) => {
    const res = close.handle({
      method,
      url: `https://api.close.com/api/v1${path}`,
      headers: AUTH,
      body: body ? JSON.stringify(body) : '',
    });
    return { status: res.status, headers: res.headers, json: JSON.parse(res.body) };
  };
  return { close, call, advance: (ms: number) => (now += ms), ids: [...close.leads.keys()] };
}

test('deletions come latest first, 50 a page, walked by cursor_next until it is null', () => {
  const { call, advance, ids } = setup();
  const deleted = ids.slice(1, 61);
  for (const id of deleted) {
    advance(1000);
    expect(call('DELETE', `/lead/${id}/`).status).toBe(200);
  }
  const first = call('GET', '/event/?object_type=lead&action=deleted&_limit=80');
  expect(first.json.data).toHaveLength(50);
  expect(first.json.data[0]).toMatchObject({
    object_type: 'lead',
    action: 'deleted',
    object_id: deleted[59],
    lead_id: deleted[59],
    date_updated: '2026-11-28T09:01:00.000000',
  });
  expect(first.json.data[0].id).toMatch(/^ev_[A-Za-z0-9]{22}$/);
  const next = call('GET', `/event/?object_type=lead&action=deleted&_cursor=${first.json.cursor_next}`);
  expect(next.json.data.map((e: { object_id: string }) => e.object_id)).toEqual(
    deleted.slice(0, 10).reverse(),
  );
  expect(next.json.cursor_next).toBeNull();
});

test('date_updated__gte narrows a first page; with a cursor the walk goes on past it', () => {
  const { call, advance, ids } = setup();
  call('DELETE', `/lead/${ids[1]}/`);
  advance(60_000);
  call('DELETE', `/lead/${ids[2]}/`);
  const since = new Date(START + 30_000).toISOString();
  const page = call('GET', `/event/?object_type=lead&action=deleted&date_updated__gte=${since}&_limit=1`);
  expect(page.json.data.map((e: { object_id: string }) => e.object_id)).toEqual([ids[2]]);
  expect(page.json.cursor_next).toBeNull();
  const all = call('GET', '/event/?object_type=lead&action=deleted&_limit=1');
  const older = call(
    'GET',
    `/event/?object_type=lead&action=deleted&date_updated__gte=${since}&_cursor=${all.json.cursor_next}`,
  );
  expect(older.json.data.map((e: { object_id: string }) => e.object_id)).toEqual([ids[1]]);
});

test('an unsupported filter combination is refused; events older than 30 days are gone', () => {
  const { call, advance, ids } = setup();
  expect(call('GET', '/event/?action=deleted').status).toBe(400);
  call('DELETE', `/lead/${ids[1]}/`);
  advance(EVENT_RETENTION_MS + 1);
  expect(call('GET', '/event/?object_type=lead&action=deleted').json).toEqual({
    data: [],
    cursor_next: null,
    cursor_previous: null,
  });
});

test('a merge logs the source lead as deleted, with both ids in meta; responses carry the Date', () => {
  const { call, ids } = setup();
  const res = call('POST', '/lead/merge/', { source: ids[3], destination: ids[4] });
  expect(res.headers.Date).toBe('Sat, 28 Nov 2026 09:00:00 GMT');
  const events = call('GET', '/event/?object_type=lead&action=deleted').json.data;
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    object_id: ids[3],
    meta: { merge_source_lead_id: ids[3], merge_destination_lead_id: ids[4] },
  });
});
