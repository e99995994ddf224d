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
