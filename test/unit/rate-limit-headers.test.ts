import { parseRateLimitHeader, readRateLimit, retryDelayMs } from '../../src/core/close/rate-limit-headers';

describe('Close rate-limit headers', () => {
  test('reads the RFC-draft header with commas (the docs example)', () => {
    expect(parseRateLimitHeader('limit=100, remaining=50, reset=5')).toEqual({
      limit: 100,
      remaining: 50,
      resetSeconds: 5,
    });
  });

  test('reads the semicolon form seen in production in 2025', () => {
    expect(parseRateLimitHeader('limit=160; remaining=159; reset=8')).toEqual({
      limit: 160,
      remaining: 159,
      resetSeconds: 8,
    });
  });

  test('falls back to the legacy X-Rate-Limit trio with a fractional reset', () => {
    expect(
      readRateLimit({
        'x-rate-limit-limit': '320',
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': '14.260394',
      }),
    ).toEqual({ limit: 320, remaining: 0, resetSeconds: 14.260394 });
  });

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

  test('waits 2 s when a 429 carries no hint at all', () => {
    expect(retryDelayMs({}, '<html>Too many</html>')).toBe(2000);
  });
});
