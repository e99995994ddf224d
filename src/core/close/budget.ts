// The rate budget of each endpoint group, as Close's RateLimit headers reveal it. Close limits every
// group per API key AND per organization (the org's limit is 3× the key's, shared by every key of the
// organization), and a response announces whichever limit is closest to being hit. So:
// - the key's own limit is the smallest limit ever announced: an announcement of the organization's larger
//   limit (on a 429 or not) never raises it;
// - when a 429 comes before this key has used what the announced limit allows, other keys are spending the
//   shared budget, and the budget's *capacity* becomes what this key got through in that window. Each later
//   window is sized by it, re-measured at the window's end from what was still left (used + remaining), so
//   a steady load elsewhere costs one 429 burst, not one per window, and the capacity grows back as soon as
//   the organization has room again.

import type { RateLimitState } from './rate-limit-headers';

export interface BudgetRecord {
  /** The key's own limit for the group (the smallest announced), when known. */
  limit: number | null;
  /** Requests left in the current window (the lowest any response of it announced). */
  remaining: number;
  /** When the current window ends (clock ms). */
  resetAt: number;
  /** Requests of this key the current window accepted. */
  used?: number;
  /** Requests per window the organization's shared budget has left this key, when it is the tighter one. */
  capacity?: number | null;
}

/** Two windows whose announced ends are this close are the same window (headers round, waves take time). */
const SAME_WINDOW_MS = 1000;

export class RateBudgets {
  private readonly budgets = new Map<string, BudgetRecord>();

  constructor(private readonly probeWave: number) {}

  get size(): number {
    return this.budgets.size;
  }

  get(group: string): BudgetRecord | undefined {
    return this.budgets.get(group);
  }

  /** Budgets kept from an earlier run (JSON of toJSON()); unreadable entries are skipped. */
  restore(saved: string): void {
    try {
      for (const [group, b] of Object.entries(JSON.parse(saved) as Record<string, BudgetRecord>))
        if (typeof b?.remaining === 'number' && typeof b.resetAt === 'number')
          this.budgets.set(group, {
            limit: typeof b.limit === 'number' ? b.limit : null,
            remaining: b.remaining,
            resetAt: b.resetAt,
            used: typeof b.used === 'number' ? b.used : 0,
            capacity: typeof b.capacity === 'number' ? b.capacity : null,
          });
    } catch {
      // An unreadable entry only costs a probe wave.
    }
  }

  toJSON(): string {
    return JSON.stringify(Object.fromEntries(this.budgets));
  }

  /** How many more requests the group may send now. */
  allowance(group: string, now: number): number {
    const budget = this.budgets.get(group);
    if (!budget) return this.probeWave;
    if (now >= budget.resetAt) return this.freshWindow(budget);
    return budget.remaining;
  }

  /** When the group may send again (now, unless its window is spent). */
  freeAt(group: string, now: number): number {
    const budget = this.budgets.get(group);
    return budget && budget.remaining <= 0 && budget.resetAt > now ? budget.resetAt : now;
  }

  /** A response that was let through (any status but 429), with what its headers announce. */
  noteAccepted(group: string, state: RateLimitState, sentAt: number): void {
    const budget = this.windowOf(group, state, sentAt);
    if (!budget) return;
    budget.used = (budget.used ?? 0) + 1;
  }

  /**
   * A 429: nothing more of the group until `retryAt`. A 429 that came before this key used what the
   * announced limit allows means the organization's shared budget ran out first: its capacity is what
   * this window let through.
   */
  noteThrottled(group: string, state: RateLimitState, sentAt: number, retryAt: number): void {
    const budget = this.windowOf(group, state, sentAt) ?? this.fresh(group, null, retryAt);
    const used = budget.used ?? 0;
    if (state.limit === null || used < state.limit)
      budget.capacity = Math.max(1, Math.min(used, budget.limit ?? used));
    budget.remaining = 0;
    budget.resetAt = Math.max(budget.resetAt, retryAt);
  }

  /** The budget of the window a response belongs to (a new window when it is past the known one). */
  private windowOf(group: string, state: RateLimitState, sentAt: number): BudgetRecord | undefined {
    if (state.remaining === null || state.resetSeconds === null) return this.budgets.get(group);
    const resetAt = sentAt + state.resetSeconds * 1000;
    const known = this.budgets.get(group);
    const limit = smallest(known?.limit ?? null, state.limit);
    if (known && known.resetAt > sentAt && Math.abs(known.resetAt - resetAt) < SAME_WINDOW_MS) {
      // Responses of one wave arrive together; the lowest remaining is the truth for the window.
      known.remaining = Math.min(known.remaining, state.remaining);
      known.limit = limit;
      return known;
    }
    const next = this.fresh(group, limit, resetAt, known ? nextCapacity(known, limit) : null);
    next.remaining = state.remaining;
    return next;
  }

  private fresh(group: string, limit: number | null, resetAt: number, capacity: number | null = null) {
    const budget: BudgetRecord = { limit, remaining: 0, resetAt, used: 0, capacity };
    this.budgets.set(group, budget);
    return budget;
  }

  private freshWindow(budget: BudgetRecord): number {
    const limit = budget.limit ?? this.probeWave;
    const capacity = nextCapacity(budget, budget.limit);
    return capacity === null ? limit : Math.min(limit, capacity);
  }
}

function smallest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * The capacity for the window after `ended`: what it let through plus what it still had left when it
 * ended (a window that ended on a 429 had nothing left). None once that reaches the key's own limit.
 */
function nextCapacity(ended: BudgetRecord, limit: number | null): number | null {
  if (ended.capacity === null || ended.capacity === undefined) return null;
  const measured = Math.max(1, (ended.used ?? 0) + Math.max(0, ended.remaining));
  return limit !== null && measured >= limit ? null : measured;
}
