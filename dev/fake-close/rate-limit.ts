// Close-style rate limiting: fixed windows per endpoint group (method + path pattern), counted per API key and
// per organisation (org limit = orgFactor × key limit), on an injectable clock.
//
// Source (developer.close.com/api/overview/rate-limits): "API requests are limited at a per Organization level
// across all users' API keys. We also enforce a lower rate limit per API key … The per Organization limit is
// currently 3 times higher than individual API key rate limits" — hence orgFactor 3 by default (configurable).
// A response announces "the limit closest to being hit" (shared/reference/close-api.md, Corrections), so a
// request refused by the organization's budget announces the organization's larger limit.

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/**
 * Defaults, per API key (the org gets orgFactor × these). Close publishes no numbers; these follow what was seen:
 * 8-second windows (legacy `rate_window: 8`, 2025 `reset=8`), 160 per window (20 rps, the docs' example; also
 * the 2025 `/me/` value), 320 per 8 s on lead listing (2017 headers), and 16 per window on `/data/search/`
 * (2025). `default` applies to every group not listed.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimitRule>> = {
  default: { limit: 160, windowMs: 8000 },
  'GET /lead/': { limit: 320, windowMs: 8000 },
  'POST /data/search/': { limit: 16, windowMs: 8000 },
};

interface Bucket {
  start: number;
  count: number;
}

export interface RateState {
  limit: number;
  remaining: number;
  resetMs: number;
  windowMs: number;
  type: 'key' | 'organization';
}

export interface RateDecision {
  allowed: boolean;
  /** The limit closest to being hit (or the one that was hit). */
  state: RateState;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rules: Record<string, RateLimitRule>;
  /**
   * Requests per window that colleagues' integrations (other API keys of the same organization) spend
   * from the org budget of a group. Charged as soon as a window opens: the harsher reading, since the
   * rep's own key then finds the shared budget already spent.
   */
  private readonly orgLoad = new Map<string, number>();

  constructor(
    rules: Record<string, RateLimitRule> | undefined,
    private readonly orgFactor: number,
    private readonly now: () => number,
  ) {
    this.rules = { ...DEFAULT_RATE_LIMITS, ...(rules ?? {}) };
  }

  setOrgLoad(group: string, perWindow: number): void {
    if (perWindow > 0) this.orgLoad.set(group, perWindow);
    else this.orgLoad.delete(group);
  }

  rule(group: string): RateLimitRule {
    return this.rules[group] ?? this.rules.default;
  }

  private bucket(id: string, windowMs: number, t: number, load = 0): Bucket {
    let b = this.buckets.get(id);
    if (!b || t >= b.start + windowMs) {
      b = { start: t, count: load };
      this.buckets.set(id, b);
    }
    return b;
  }

  /** Counts one request (when allowed) and says whether it may proceed. */
  hit(key: string, orgId: string, group: string, count = true): RateDecision {
    const t = this.now();
    const rule = this.rule(group);
    const keyLimit = rule.limit;
    const orgLimit = Math.max(1, Math.round(rule.limit * this.orgFactor));
    const kb = this.bucket(`k|${key}|${group}`, rule.windowMs, t);
    const ob = this.bucket(
      `o|${orgId}|${group}`,
      rule.windowMs,
      t,
      Math.min(orgLimit, this.orgLoad.get(group) ?? 0),
    );
    const keyState = (): RateState => ({
      limit: keyLimit,
      remaining: Math.max(0, keyLimit - kb.count),
      resetMs: kb.start + rule.windowMs - t,
      windowMs: rule.windowMs,
      type: 'key',
    });
    const orgState = (): RateState => ({
      limit: orgLimit,
      remaining: Math.max(0, orgLimit - ob.count),
      resetMs: ob.start + rule.windowMs - t,
      windowMs: rule.windowMs,
      type: 'organization',
    });
    if (kb.count >= keyLimit) return { allowed: false, state: { ...keyState(), remaining: 0 } };
    if (ob.count >= orgLimit) return { allowed: false, state: { ...orgState(), remaining: 0 } };
    if (count) {
      kb.count++;
      ob.count++;
    }
    const ks = keyState();
    const os = orgState();
    return { allowed: true, state: os.remaining < ks.remaining ? os : ks };
  }

  /** The state a fresh, uncounted request would see (for 401/404 responses). */
  peek(group: string): RateState {
    const rule = this.rule(group);
    return {
      limit: rule.limit,
      remaining: rule.limit,
      resetMs: rule.windowMs,
      windowMs: rule.windowMs,
      type: 'key',
    };
  }
}

/** Seconds with at most 3 decimals, no trailing zeros: 8000 ms → "8", 596 ms → "0.596". */
export function secondsString(ms: number): string {
  return String(Math.round(Math.max(0, ms)) / 1000);
}

export function rateLimitHeaders(
  state: RateState,
  separator: ',' | ';',
  legacy: boolean,
): Record<string, string> {
  const sep = `${separator} `;
  const headers: Record<string, string> = {
    RateLimit: `limit=${state.limit}${sep}remaining=${state.remaining}${sep}reset=${secondsString(state.resetMs)}`,
  };
  if (legacy) {
    headers['X-Rate-Limit-Limit'] = String(state.limit);
    headers['X-Rate-Limit-Remaining'] = String(state.remaining);
    headers['X-Rate-Limit-Reset'] = (Math.max(0, state.resetMs) / 1000).toFixed(6);
  }
  return headers;
}

/** A stable 32-hex-digit label for an endpoint group (the legacy body's `rate_endpoint_group`). */
export function groupHash(group: string): string {
  let out = '';
  for (let round = 0; round < 4; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < group.length; i++) {
      h ^= group.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
