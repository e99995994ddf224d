// Reading Close's rate-limit headers. Close has sent three forms over the years: the RFC-draft
// `RateLimit: limit=100, remaining=50, reset=5` (seen with `;` separators too), `Retry-After` on 429s,
// and the legacy `X-Rate-Limit-*` trio whose reset is fractional seconds. We read them all and keep the
// most pessimistic answer.

export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  /** Seconds until the window resets. */
  resetSeconds: number | null;
}

function numberOrNull(text: string | undefined): number | null {
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

/**
 * How long to wait before retrying a 429, in ms: the longest of the hints the response gives
 * (RateLimit reset, Retry-After, legacy reset, legacy body `rate_reset`), or 2 s when it gives none.
 */
export function retryDelayMs(headers: Record<string, string>, body: string): number {
  const hints: number[] = [];
  const state = readRateLimit(headers);
  if (state.resetSeconds !== null) hints.push(state.resetSeconds);
  const retryAfter = numberOrNull(headers['retry-after']);
  if (retryAfter !== null) hints.push(retryAfter);
  const legacy = legacyBodyReset(body);
  if (legacy !== null) hints.push(legacy);
  const seconds = hints.length > 0 ? Math.max(...hints) : 2;
  return Math.ceil(Math.max(seconds, 0.05) * 1000);
}

function legacyBodyReset(body: string): number | null {
  if (!body.includes('rate_reset')) return null;
  try {
    const parsed = JSON.parse(body) as { rate_reset?: unknown; error?: { rate_reset?: unknown } };
    const raw = parsed.rate_reset ?? parsed.error?.rate_reset;
    return typeof raw === 'number' || typeof raw === 'string' ? numberOrNull(String(raw)) : null;
  } catch {
    return null;
  }
}
