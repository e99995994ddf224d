// Reading Close's rate-limit headers. Close has sent three forms over the years: the RFC-draft
// `RateLimit: limit=100, remaining=50, reset=5` (seen with `;` separators too), `Retry-After` on 429s,
// and the legacy `X-Rate-Limit-*` trio whose reset is fractional seconds. We read them all and keep the
// most pessimistic answer. How long to wait on a 429 is the retry policy's (retry-policy.ts).

export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  /** Seconds until the window resets. */
  resetSeconds: number | null;
}

/** A header's number (seconds may be fractional), or null when absent or not a number. */
export function numberOrNull(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number.parseFloat(text.trim());
  return Number.isFinite(n) ? n : null;
}

/** Parses `limit=100, remaining=50, reset=5` or `limit=160; remaining=159; reset=8`. */
export function parseRateLimitHeader(value: string): RateLimitState {
  const state: RateLimitState = { limit: null, remaining: null, resetSeconds: null };
  for (const part of value.split(/[,;]/)) {
    const [name, raw] = part.split('=');
    if (raw === undefined) continue;
    const n = numberOrNull(raw);
    switch (name.trim().toLowerCase()) {
      case 'limit':
        state.limit = n;
        break;
      case 'remaining':
        state.remaining = n;
        break;
      case 'reset':
        state.resetSeconds = n;
        break;
    }
  }
  return state;
}

/** The rate-limit state a response announces, from whichever header forms it carries. */
export function readRateLimit(headers: Record<string, string>): RateLimitState {
  const state: RateLimitState = { limit: null, remaining: null, resetSeconds: null };
  const modern = headers.ratelimit;
  if (modern) Object.assign(state, parseRateLimitHeader(modern));
  state.limit ??= numberOrNull(headers['x-rate-limit-limit'] ?? headers['ratelimit-limit']);
  state.remaining ??= numberOrNull(headers['x-rate-limit-remaining'] ?? headers['ratelimit-remaining']);
  state.resetSeconds ??= numberOrNull(headers['x-rate-limit-reset'] ?? headers['ratelimit-reset']);
  return state;
}
