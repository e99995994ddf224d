import { RateBudgets } from '../../src/core/close/budget';
import { readRateLimit } from '../../src/core/close/rate-limit-headers';

const PUT = 'PUT /lead/{id}/';
const announced = (limit: number, remaining: number, reset: number) =>
  readRateLimit({ ratelimit: `limit=${limit}, remaining=${remaining}, reset=${reset}` });

describe('rate budgets per key and per organization', () => {
  test("a 429 announcing the organization's larger limit never raises the key's budget", () => {
    const b = new RateBudgets(4);
    // The key's own limit is learnt first: 160 per 8 s.
    for (let i = 0; i < 10; i++) b.noteAccepted(PUT, announced(160, 150 - i, 8), 0);
    expect(b.allowance(PUT, 100)).toBe(141);
    // Other keys use up the organization's 480: its 429 announces limit=480.
    b.noteThrottled(PUT, announced(480, 0, 7.9), 100, 8_000);
    expect(b.get(PUT)).toMatchObject({ limit: 160, remaining: 0, resetAt: 8_000 });
    expect(b.allowance(PUT, 200)).toBe(0);
    // Next window: what this key got through before the org said no (10), not 480, not 160.
    expect(b.allowance(PUT, 8_000)).toBe(10);
  });

  test('an org 429 before any key limit was seen sizes the next windows by what got through', () => {
    const b = new RateBudgets(4);
    for (let i = 0; i < 40; i++) b.noteAccepted(PUT, announced(480, 39 - i, 8), 0);
    b.noteThrottled(PUT, announced(480, 0, 7), 1_000, 8_000);
    expect(b.get(PUT)).toMatchObject({ limit: 480, capacity: 40 });
    expect(b.allowance(PUT, 8_000)).toBe(40);
    // A window that ends with room left (the org's remaining, 20) grows the next one by that much.
    for (let i = 0; i < 40; i++) b.noteAccepted(PUT, announced(480, 59 - i, 8), 8_000);
    expect(b.allowance(PUT, 16_000)).toBe(60);
    // Once the key's own limit is what is closest again, the capacity is gone: the limit applies.
    for (let i = 0; i < 60; i++) b.noteAccepted(PUT, announced(160, 159 - i, 8), 16_000);
    expect(b.allowance(PUT, 24_000)).toBe(160);
    expect(b.get(PUT)).toMatchObject({ limit: 160 });
  });

  test("a 429 after the key used its whole limit is the key's own: no capacity, the limit stays", () => {
    const b = new RateBudgets(4);
    for (let i = 0; i < 160; i++) b.noteAccepted(PUT, announced(160, 159 - i, 8), 0);
    b.noteThrottled(PUT, announced(160, 0, 6), 2_000, 8_000);
    expect(b.get(PUT)).toMatchObject({ limit: 160, capacity: null });
    expect(b.allowance(PUT, 8_000)).toBe(160);
  });

  test('budgets survive a round trip through the cache', () => {
    const b = new RateBudgets(4);
    for (let i = 0; i < 5; i++) b.noteAccepted(PUT, announced(480, 4 - i, 8), 0);
    b.noteThrottled(PUT, announced(480, 0, 8), 0, 8_000);
    const c = new RateBudgets(4);
    c.restore(b.toJSON());
    expect(c.allowance(PUT, 9_000)).toBe(5);
    expect(c.allowance('GET /lead/', 9_000)).toBe(4);
  });
});

describe('rate budgets from partial, late and odd announcements', () => {
  /** A response's headers in the RFC-draft form, with only the parts given. */
  const parts = (text: string) => readRateLimit({ ratelimit: text });
  const nothing = readRateLimit({});

  test('a window that is not spent frees its group now; a spent one at its end, and not after it', () => {
    const b = new RateBudgets(4);
    expect(b.freeAt(PUT, 50)).toBe(50);
    b.noteAccepted(PUT, announced(160, 5, 8), 0);
    expect(b.freeAt(PUT, 100)).toBe(100);
    b.noteThrottled(PUT, announced(160, 0, 8), 100, 8_000);
    expect(b.freeAt(PUT, 200)).toBe(8_000);
    expect(b.freeAt(PUT, 9_000)).toBe(9_000);
  });

  test("a 429 whose wait outlasts the window's end holds the group until the wait is over", () => {
    const b = new RateBudgets(4);
    b.noteAccepted(PUT, announced(160, 100, 8), 0);
    b.noteThrottled(PUT, nothing, 1_000, 12_000);
    expect(b.freeAt(PUT, 9_000)).toBe(12_000);
    expect(b.allowance(PUT, 9_000)).toBe(0);
  });

  test('a 429 without RateLimit headers sizes the next window by what this window let through', () => {
    const b = new RateBudgets(4);
    for (let i = 0; i < 10; i++) b.noteAccepted(PUT, announced(160, 150 - i, 8), 0);
    b.noteThrottled(PUT, nothing, 500, 2_500);
    expect(b.allowance(PUT, 8_000)).toBe(10);
  });

  test('without any announced limit, a 429 still measures the capacity and the next window keeps to it', () => {
    const b = new RateBudgets(20);
    for (let i = 0; i < 5; i++) b.noteAccepted(PUT, parts(`remaining=${40 - i}, reset=8`), 0);
    b.noteThrottled(PUT, parts('remaining=0, reset=7'), 1_000, 8_000);
    expect(b.allowance(PUT, 8_000)).toBe(5);
  });

  test('an announcement without a reset, or without a remaining count, never moves the window', () => {
    const b = new RateBudgets(4);
    b.noteAccepted(PUT, announced(160, 100, 8), 0);
    b.noteAccepted(PUT, parts('limit=160, remaining=5'), 100);
    expect(b.allowance(PUT, 200)).toBe(100);
    b.noteAccepted(PUT, parts('limit=160, reset=8'), 0);
    expect(b.allowance(PUT, 200)).toBe(100);
  });

  test("an announcement without a limit keeps the key's known limit", () => {
    const b = new RateBudgets(4);
    b.noteAccepted(PUT, announced(160, 100, 8), 0);
    // The next window's responses name no limit.
    b.noteAccepted(PUT, parts('remaining=150, reset=8'), 8_000);
    expect(b.allowance(PUT, 16_000)).toBe(160);
  });

  test('a response sent as the known window ends opens the next window, even when its reset is near', () => {
    const b = new RateBudgets(4);
    b.noteAccepted(PUT, announced(160, 2, 8), 0);
    b.noteAccepted(PUT, announced(160, 150, 0.5), 8_000);
    expect(b.allowance(PUT, 8_100)).toBe(150);
  });

  test('responses whose announced window ends are a second or more apart belong to different windows', () => {
    const b = new RateBudgets(4);
    b.noteAccepted(PUT, announced(160, 2, 8), 0);
    // This response's window ends at 9_000, a whole second past the known 8_000: a new window.
    b.noteAccepted(PUT, announced(160, 150, 8), 1_000);
    expect(b.allowance(PUT, 8_500)).toBe(150);
  });

  test("once a window used the key's whole limit, a later window shared with the key's other runs does not shrink the next", () => {
    const b = new RateBudgets(4);
    for (let i = 0; i < 40; i++) b.noteAccepted(PUT, announced(480, 39 - i, 8), 0);
    b.noteThrottled(PUT, announced(480, 0, 7), 1_000, 8_000);
    // The organization has room again: this key's own limit (160) is what is closest, used whole.
    for (let i = 0; i < 60; i++) b.noteAccepted(PUT, announced(160, 159 - i, 8), 8_000);
    // The key's other runs spent 55 of the next window; this run sent 5.
    for (let i = 0; i < 5; i++) b.noteAccepted(PUT, announced(160, 100 - i, 8), 16_000);
    expect(b.allowance(PUT, 24_000)).toBe(160);
  });

  test('kept budgets that cannot be read are skipped, and readable ones are still kept', () => {
    const b = new RateBudgets(100);
    b.restore(
      JSON.stringify({
        'GET /x/': null,
        'GET /y/': { remaining: '3', resetAt: 1_000 },
        'GET /z/': { remaining: 3, resetAt: '1000' },
        // A record from a version that kept numbers as text: the odd fields read as unknown.
        'GET /lead/': { limit: '160', remaining: 3, resetAt: 1_000, used: '5', capacity: '40' },
        [PUT]: { limit: 160, remaining: 3, resetAt: 1_000, used: '5', capacity: 40 },
      }),
    );
    expect(b.allowance('GET /x/', 0)).toBe(100);
    expect(b.allowance('GET /y/', 0)).toBe(100);
    expect(b.allowance('GET /z/', 0)).toBe(100);
    expect(b.allowance('GET /lead/', 0)).toBe(3);
    expect(b.allowance('GET /lead/', 2_000)).toBe(100);
    // Capacity kept, used unknown: the next window is what was left.
    expect(b.allowance(PUT, 2_000)).toBe(3);
  });
});
