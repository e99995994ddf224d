import { parseRateLimitHeader, readRateLimit } from '../../src/core/close/rate-limit-headers';

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

  test('a header naming only some parts leaves the others unknown, and a part without a value is ignored', () => {
    expect(parseRateLimitHeader('limit=100, remaining=50')).toEqual({
      limit: 100,
      remaining: 50,
      resetSeconds: null,
    });
    expect(parseRateLimitHeader('limit=100, remaining=50, reset=5, limit')).toEqual({
      limit: 100,
      remaining: 50,
      resetSeconds: 5,
    });
  });

  test("reads the IETF draft's separate RateLimit-Limit, -Remaining and -Reset headers", () => {
    expect(
      readRateLimit({ 'ratelimit-limit': '160', 'ratelimit-remaining': '12', 'ratelimit-reset': '3' }),
    ).toEqual({ limit: 160, remaining: 12, resetSeconds: 3 });
  });
});
