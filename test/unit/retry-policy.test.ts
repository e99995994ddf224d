// The HTTP retry policy toward Close: what is retried, and how long each wait is.
import type { HttpRequest } from '../../src/core/ports';
import { CloseClient } from '../../src/core/close/client';
import { backoffMs, isTransient, retryDelayMs, safeToRepeat } from '../../src/core/close/retry-policy';
import type { Clock, Http } from '../../src/core/ports';
import { seededRandom } from '../../src/core/seeded-random';

const request = (method: HttpRequest['method'], headers: Record<string, string> = {}): HttpRequest => ({
  method,
  url: 'https://api.close.com/api/v1/lead/',
  headers,
});

describe('the wait before retrying a 429', () => {
  test('waits for the longest hint a 429 gives', () => {
    expect(retryDelayMs({ ratelimit: 'limit=16, remaining=0, reset=3', 'retry-after': '5' }, '')).toBe(5000);
    expect(retryDelayMs({ ratelimit: 'limit=16; remaining=0; reset=7.5', 'retry-after': '5' }, '')).toBe(
      7500,
    );
  });

  test('reads the legacy 429 body whose rate_reset is a string, top-level or nested', () => {
    const body = JSON.stringify({
      message: 'API call count exceeded for this period',
      rate_reset: '0.595956',
    });
    expect(retryDelayMs({}, body)).toBe(596);
    expect(retryDelayMs({}, JSON.stringify({ error: { rate_reset: 3 } }))).toBe(3000);
  });

  test('a 429 body that mentions rate_reset but is not JSON gives no hint: 2 s', () => {
    expect(retryDelayMs({}, '<html>rate_reset soon</html>')).toBe(2000);
  });

  test('waits 2 s when a 429 carries no hint at all', () => {
    expect(retryDelayMs({}, '<html>Too many</html>')).toBe(2000);
  });
});

describe('transient failures', () => {
  test('a lost connection and server errors are transient; client errors are not', () => {
    expect([0, 500, 502, 503, 504].map(isTransient)).toEqual([true, true, true, true, true]);
    expect([400, 404, 409, 429].map(isTransient)).toEqual([false, false, false, false]);
  });

  test('GET and PUT are repeated after any transient failure', () => {
    for (const status of [0, 500, 502, 503]) {
      expect(safeToRepeat(request('get'), status)).toBe(true);
      expect(safeToRepeat(request('put'), status)).toBe(true);
    }
  });

  test('a POST is repeated only after a 503 (refused before processing): it may have created something', () => {
    expect([0, 500, 502, 504].map((s) => safeToRepeat(request('post'), s))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(safeToRepeat(request('post'), 503)).toBe(true);
  });

  test('a long GET sent as a POST with x-http-method-override is still a read, so it is repeated', () => {
    expect(safeToRepeat(request('post', { 'x-http-method-override': 'GET' }), 500)).toBe(true);
  });

  test('a search (POST /data/search/) only reads, so it is repeated after a 500, 502, 504 or a lost answer', () => {
    const search: HttpRequest = {
      method: 'post',
      url: 'https://api.close.com/api/v1/data/search/',
      headers: {},
    };
    expect([0, 500, 502, 504].map((s) => safeToRepeat(search, s))).toEqual([true, true, true, true]);
    const lookalike: HttpRequest = { ...search, url: 'https://api.close.com/api/v1/data/search/export/' };
    expect(safeToRepeat(lookalike, 502)).toBe(false);
  });

  test('backs off 1 s, 2 s, 4 s … scaled by a jitter between 0.5 and 1.5', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(3, () => 0.99)).toBe(5960);
  });
});

describe('the jitter source', () => {
  /** A clock that records each sleep, and a Close that fails every request with a 503 `failures` times. */
  function flaky(failures: number) {
    const slept: number[] = [];
    let t = 0;
    const clock: Clock = {
      now: () => t,
      sleep: (ms) => {
        slept.push(ms);
        t += ms;
      },
    };
    let n = 0;
    const http: Http = {
      fetchAll: (requests) =>
        requests.map(() =>
          n++ < failures ? { status: 503, headers: {}, body: '' } : { status: 200, headers: {}, body: '{}' },
        ),
    };
    return { clock, http, slept };
  }
  const waits = (random?: () => number) => {
    const { clock, http, slept } = flaky(4);
    const reply = new CloseClient(http, clock, 'k', random ? { random } : {}).callAll([
      { method: 'get', path: '/lead/' },
    ])[0];
    expect(reply.ok).toBe(true);
    return slept;
  };

  test('a seeded source gives exact waits: 1 s, 2 s, 4 s, 8 s each scaled by 0.5 + its next number', () => {
    // seededRandom(42) begins 0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693.
    expect(waits(seededRandom(42))).toEqual([
      1101.1037519201636, 1896.5811179950833, 5409.8631739616394, 9357.872331514955,
    ]);
    expect(waits(seededRandom(42))).toEqual(waits(seededRandom(42)));
  });

  test('without a source, the client jitters from a seeded one of its own (the core reads no global): the same waits every run', () => {
    const first = waits();
    expect(first).toEqual(waits());
    expect(first).toEqual(waits(seededRandom(1)));
    // Jittered all the same: each wait is its step's 1, 2, 4 or 8 s scaled by something other than 1.
    expect(first.map((ms, i) => ms / 1000 / 2 ** i)).toEqual([
      1.1270739405881613, 0.5027357211802155, 1.0274470399599522, 1.4810509674716741,
    ]);
  });
});
