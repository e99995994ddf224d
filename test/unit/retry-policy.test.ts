// The HTTP retry policy toward Close: what is retried, and how long each wait is.
import type { HttpRequest } from '../../src/core/ports';
import { backoffMs, isTransient, retryDelayMs, safeToRepeat } from '../../src/core/close/retry-policy';

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
