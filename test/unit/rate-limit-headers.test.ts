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
});
