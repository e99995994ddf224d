import { BUDGETS_KEY, CloseClient, endpointGroup } from '../../src/core/close/client';
import { CloseAuthError } from '../../src/core/close/errors';
import type { Clock, Http, HttpFailure, HttpRequest, HttpResponse } from '../../src/core/ports';

class TestClock implements Clock {
  t = 0;
  slept: number[] = [];
  now() {
    return this.t;
  }
  sleep(ms: number) {
    this.slept.push(ms);
    this.t += ms;
  }
}

type Answer = HttpResponse | HttpFailure;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: JSON.stringify(body),
});

/** Answers each request with the next scripted answer for its URL; records waves. */
function scriptedHttp(script: (req: HttpRequest, n: number) => Answer) {
  const waves: HttpRequest[][] = [];
  let n = 0;
  const http: Http = {
    fetchAll(requests) {
      waves.push(requests);
      return requests.map((r) => script(r, n++));
    },
  };
  return { http, waves };
}

const noJitter = () => 0.5;

test('sends Basic auth with the key as user and an empty password', () => {
  const { http, waves } = scriptedHttp(() => json(200, { id: 'user_1' }));
  new CloseClient(http, new TestClock(), 'api_abc').request({ method: 'get', path: '/me/' });
  expect(waves[0][0]).toEqual({
    method: 'get',
    url: 'https://api.close.com/api/v1/me/',
    headers: {
      Authorization: `Basic ${Buffer.from('api_abc:').toString('base64')}`,
      Accept: 'application/json',
    },
  });
});

test('endpoint groups fold ids', () => {
  expect(endpointGroup('put', '/lead/lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O/')).toBe(
    'PUT /lead/{id}/',
  );
  expect(endpointGroup('get', '/lead/')).toBe('GET /lead/');
});

test('a 429 waits for Retry-After, then succeeds', () => {
  const clock = new TestClock();
  const { http } = scriptedHttp((_r, n) =>
    n === 0
      ? json(
          429,
          { error: 'API call count exceeded for this period' },
          { 'retry-after': '3', ratelimit: 'limit=10, remaining=0, reset=3' },
        )
      : json(200, { ok: n }, { ratelimit: 'limit=10, remaining=9, reset=1' }),
  );
  const client = new CloseClient(http, clock, 'k', { random: noJitter });
  expect(client.request({ method: 'get', path: '/me/' })).toEqual({ ok: 1 });
  expect(clock.slept).toEqual([3000]);
  expect(client.stats).toMatchObject({ requests: 2, throttled: 1 });
});

test('503 and transport failures are retried with backoff; a 400 is not', () => {
  const clock = new TestClock();
  const { http } = scriptedHttp((req, n) => {
    if (req.url.endsWith('/bad/'))
      return json(400, { errors: [], 'field-errors': { name: 'This field is required.' } });
    if (n === 1) return { status: 0, error: 'Address unavailable: https://api.close.com' };
    if (n === 2) return { status: 503, headers: {}, body: '<html>unavailable</html>' };
    return json(200, { fine: true });
  });
  const client = new CloseClient(http, clock, 'k', { random: noJitter });
  const replies = client.callAll([
    { method: 'get', path: '/bad/' },
    { method: 'get', path: '/good/' },
  ]);
  expect(replies[0]).toEqual({
    ok: false,
    status: 400,
    message: 'name: This field is required.',
    fieldErrors: { name: 'This field is required.' },
  });
  expect(replies[1]).toEqual({ ok: true, status: 200, data: { fine: true } });
  expect(clock.slept).toEqual([1000, 2000]);
});

test('a POST whose answer was lost is not repeated (it may have created the lead)', () => {
  const { http, waves } = scriptedHttp(() => ({ status: 504, headers: {}, body: '' }));
  const reply = new CloseClient(http, new TestClock(), 'k').callAll([
    { method: 'post', path: '/lead/', body: { name: 'X' } },
  ])[0];
  expect(waves).toHaveLength(1);
  expect(reply).toEqual({
    ok: false,
    status: 504,
    message:
      'Close had a server error (504); try again later. It may have been applied: check Close before pushing again.',
    fieldErrors: {},
  });
});

test('a 401 stops everything with a reconnect message', () => {
  const { http } = scriptedHttp(() =>
    json(401, { error: 'The server could not verify that you are authorized' }),
  );
  expect(() =>
    new CloseClient(http, new TestClock(), 'k').callAll([{ method: 'get', path: '/lead/' }]),
  ).toThrow(
    new CloseAuthError('Close rejected the API key (401). Reconnect in the sidebar with a valid API key.'),
  );
});

test('waves follow the RateLimit budget instead of bouncing off 429s', () => {
  // A bucket of 5 per 1-second window, like Close's headers announce.
  const clock = new TestClock();
  let windowStart = 0;
  let used = 0;
  let throttled = 0;
  const http: Http = {
    fetchAll(requests) {
      clock.t += 250; // latency of one wave
      return requests.map(() => {
        if (clock.t - windowStart >= 1000) {
          windowStart = clock.t - ((clock.t - windowStart) % 1000);
          used = 0;
        }
        const reset = ((windowStart + 1000 - clock.t) / 1000).toFixed(3);
        if (used >= 5) {
          throttled++;
          return json(429, {}, { ratelimit: `limit=5, remaining=0, reset=${reset}`, 'retry-after': '1' });
        }
        used++;
        return json(200, {}, { ratelimit: `limit=5, remaining=${5 - used}, reset=${reset}` });
      });
    },
  };
  const client = new CloseClient(http, clock, 'k');
  const calls = Array.from({ length: 40 }, (_, i) => ({
    method: 'put' as const,
    path: `/lead/lead_${i}/`,
    body: {},
  }));
  const replies = client.callAll(calls);
  expect(replies.every((r) => r.ok)).toBe(true);
  expect(throttled).toBe(0);
  expect(client.stats.requests).toBe(40);
});

test('a throttled call keeps its place: after the wait, earlier calls are sent before later ones', () => {
  const clock = new TestClock();
  // The first wave (four calls, the budget unknown) meets a 429 on its first call; then Close lets
  // one request through per second.
  const { http, waves } = scriptedHttp((r, n) =>
    n === 0
      ? json(429, {}, { 'retry-after': '2', ratelimit: 'limit=1, remaining=0, reset=2' })
      : json(200, { path: r.url }, { ratelimit: `limit=1, remaining=0, reset=${n < 4 ? 2 : 1}` }),
  );
  const client = new CloseClient(http, clock, 'k', { random: noJitter });
  const calls = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => ({
    method: 'get' as const,
    path: `/lead/lead_${p}/`,
  }));
  // Time for the wait and two more sends, not three: the throttled first call must not be left over.
  const replies = client.callAll(calls, 3_500);
  expect(waves.map((w) => w.map((r) => r.url.split('/').at(-2)))).toEqual([
    ['lead_a', 'lead_b', 'lead_c', 'lead_d'],
    ['lead_a'],
    ['lead_e'],
  ]);
  expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, -1]);
});

test('firstBy: until one call is answered, a wait may run past stopAt (to firstBy); once one is, stopAt holds again', () => {
  // Every call meets a 429 that asks for 2 s; then Close answers. stopAt is now: without firstBy,
  // nothing would be sent after the first wave.
  const throttledOnce = new Set<string>();
  const { http, waves } = scriptedHttp((r) => {
    if (throttledOnce.has(r.url)) return json(200, {}, { ratelimit: 'limit=1, remaining=0, reset=2' });
    throttledOnce.add(r.url);
    return json(429, {}, { 'retry-after': '2', ratelimit: 'limit=1, remaining=0, reset=2' });
  });
  const calls = ['a', 'b'].map((p) => ({ method: 'put' as const, path: `/lead/lead_${p}/`, body: {} }));
  const late = new TestClock();
  const replies = new CloseClient(http, late, 'k', { random: noJitter }).callAll(calls, 0, 2_000);
  // a and b go (the budget unknown), both 429; a waits 2 s (to firstBy exactly) and is answered; b's
  // next wait would pass stopAt, now binding.
  expect(waves.map((w) => w.map((r) => r.url.split('/').at(-2)))).toEqual([['lead_a', 'lead_b'], ['lead_a']]);
  expect(late.slept).toEqual([2000]);
  expect(replies.map((r) => r.status)).toEqual([200, -1]);
  // One millisecond short of the wait: nothing more is sent.
  const short = new TestClock();
  throttledOnce.clear();
  const none = new CloseClient(http, short, 'k', { random: noJitter }).callAll(calls, 0, 1_999);
  expect(none.map((r) => r.status)).toEqual([-1, -1]);
  expect(short.slept).toEqual([]);
});

/** A Store over a Map, as the rep's cache would be. */
function memoryStore() {
  const map = new Map<string, string>();
  return {
    map,
    get: (k: string) => map.get(k) ?? null,
    set: (k: string, v: string) => void map.set(k, v),
    delete: (k: string) => void map.delete(k),
  };
}

test('budgets learnt in one run are kept: the next run sends its first wave whole instead of probing', () => {
  const clock = new TestClock();
  const store = memoryStore();
  const ok = () => json(200, {}, { ratelimit: 'limit=40, remaining=39, reset=2' });
  const first = scriptedHttp(ok);
  new CloseClient(first.http, clock, 'k', { budgetStore: store }).callAll(
    Array.from({ length: 10 }, () => ({ method: 'get' as const, path: '/lead/' })),
  );
  // Unknown budget: four probe, then the rest.
  expect(first.waves.map((w) => w.length)).toEqual([4, 6]);
  expect(JSON.parse(store.map.get(BUDGETS_KEY)!)).toEqual({
    'GET /lead/': { limit: 40, remaining: 39, resetAt: 2000, used: 10, capacity: null },
  });
  clock.t = 5_000; // past the window: the whole limit is free again
  const second = scriptedHttp(ok);
  new CloseClient(second.http, clock, 'k', { budgetStore: store }).callAll(
    Array.from({ length: 30 }, () => ({ method: 'get' as const, path: '/lead/' })),
  );
  expect(second.waves.map((w) => w.length)).toEqual([30]);
});

test('a run whose responses announce no budget writes nothing to the cache', () => {
  const store = memoryStore();
  const { http } = scriptedHttp(() => json(200, {}));
  new CloseClient(http, new TestClock(), 'k', { budgetStore: store }).callAll([
    { method: 'get', path: '/lead/' },
  ]);
  expect([...store.map.keys()]).toEqual([]);
});

test('a first-wave-only call goes as the budget allows at once, or comes back unsent; the others wait', () => {
  const clock = new TestClock();
  const { http, waves } = scriptedHttp((r, n) =>
    r.url.includes('skip=1')
      ? json(429, {}, { 'retry-after': '1', ratelimit: 'limit=3, remaining=0, reset=1' })
      : json(200, { n }, { ratelimit: 'limit=3, remaining=0, reset=1' }),
  );
  const client = new CloseClient(http, clock, 'k', { probeWave: 3 });
  const guess = (skip: number) => ({
    method: 'get' as const,
    path: '/lead/',
    query: { _skip: skip },
    firstWaveOnly: true,
  });
  const replies = client.callAll([
    { method: 'get', path: '/status/lead/' },
    guess(0),
    guess(1),
    guess(2),
    guess(3),
    { method: 'get', path: '/lead/', query: { _limit: 1 } },
  ]);
  // The budget (three GET /lead/) goes to the first calls in order: three guesses.
  expect(waves.map((w) => w.map((r) => r.url.replace('https://api.close.com/api/v1', '')))).toEqual([
    ['/status/lead/', '/lead/?_skip=0', '/lead/?_skip=1', '/lead/?_skip=2'],
    ['/lead/?_limit=1'],
  ]);
  // The throttled guess is not retried; guesses past the budget are not sent; the count waited.
  expect(replies.map((r) => r.status)).toEqual([200, 200, -1, 200, -1, 200]);
  expect(clock.slept).toEqual([1000]);
});

test('a GET whose URL would pass 2,000 characters goes as a POST with x-http-method-override and _params', () => {
  const { http, waves } = scriptedHttp(() => json(200, { id: 'lead_1' }));
  const client = new CloseClient(http, new TestClock(), 'k');
  const fields = [
    'id',
    ...Array.from({ length: 40 }, (_, i) => `custom.cf_${String(i).padStart(43, 'x')}`),
  ].join(',');
  const short = 'id,name';
  client.callAll([
    { method: 'get', path: '/lead/lead_1/', query: { _fields: fields } },
    { method: 'get', path: '/lead/lead_1/', query: { _fields: short } },
  ]);
  expect(waves[0][0]).toEqual({
    method: 'post',
    url: 'https://api.close.com/api/v1/lead/lead_1/',
    headers: {
      Authorization: `Basic ${Buffer.from('k:').toString('base64')}`,
      Accept: 'application/json',
      'x-http-method-override': 'GET',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ _params: { _fields: fields } }),
  });
  expect(waves[0][1].url).toBe('https://api.close.com/api/v1/lead/lead_1/?_fields=id%2Cname');
  expect(waves[0][1].method).toBe('get');
});
