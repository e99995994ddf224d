// The HTTP retry policy toward Close, in one place: which failures are retried, how often, and how long
// to wait before each retry. The client (client.ts) applies it; it never sleeps blindly: a 429 waits
// for what Close's headers say, a transient failure backs off exponentially with jitter.
import type { HttpRequest, Random } from '../ports';
import { numberOrNull, readRateLimit } from './rate-limit-headers';

/** Retries of a transient failure (lost connection, 5xx) before the call fails. */
export const MAX_RETRIES = 4;
/** Retries of a 429 before the call fails: Close asks clients to wait and retry, so they are many. */
export const MAX_THROTTLE_RETRIES = 8;

/** Worth retrying: a lost connection or a server error (Close's 5xx bodies are empty or HTML). */
export function isTransient(status: number): boolean {
  return status === 0 || status >= 500;
}

/**
 * Whether a request that failed with `status` (0: no answer) may be sent again. GET and PUT (a partial
 * update of the same values) are safe to repeat. A POST that failed in transit or with a 500/502/504 may
 * have been applied, and repeating it could create a duplicate, so only a 503 (refused before processing)
 * is retried for POST — a GET sent as a POST with `x-http-method-override` is still a read, and so is
 * a search: "The Advanced Filtering API allows you to use arbitrary filters to find Leads or Contacts
 * with specific attributes … make a POST request to /api/v1/data/search/" (developer.close.com,
 * Advanced Filtering) — it finds, it changes nothing.
 */
export function safeToRepeat(request: HttpRequest, status: number): boolean {
  const readOnly = request.headers['x-http-method-override'] === 'GET' || isSearch(request.url);
  return request.method !== 'post' || readOnly || status === 503;
}

/** A POST to Close's search endpoint, whatever its query string. */
function isSearch(url: string): boolean {
  return /\/api\/v1\/data\/search\/(\?|$)/.test(url);
}

/**
 * Wait before retry number `attempt` (1-based) of a transient failure: 1 s, 2 s, 4 s … ×[0.5, 1.5).
 * Jittered, so that the add-on's executions that met the same outage (every rep's sidebar, the hourly
 * triggers) do not all retry at the same instant. A 429 is not jittered: Close asks to "sleep/pause for
 * the number of seconds specified by the rate_reset value before making additional requests to that
 * endpoint" (developer.close.com/api/overview/rate-limits), which retryDelayMs does, no less and no more.
 */
export function backoffMs(attempt: number, random: Random): number {
  return 1000 * 2 ** (attempt - 1) * (0.5 + random());
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
