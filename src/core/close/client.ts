// The Close API client: auth, URL building, fetchAll waves paced by Close's own rate-limit budget,
// retries as the retry policy says (retry-policy.ts), and error mapping.
import type { Clock, Http, HttpMethod, HttpRequest, HttpResponse, Random, Store } from '../ports';
import { seededRandom } from '../seeded-random';
import { base64 } from './base64';
import { CloseApiError, CloseAuthError, describeCloseError } from './errors';
import { RateBudgets } from './budget';
import { readRateLimit } from './rate-limit-headers';
import {
  backoffMs,
  isTransient,
  MAX_RETRIES,
  MAX_THROTTLE_RETRIES,
  retryDelayMs,
  safeToRepeat,
} from './retry-policy';

export const CLOSE_API_BASE = 'https://api.close.com/api/v1';

/**
 * Longest URL sent: Close's "recommended maximum URL length (2000 characters)" (overview/filter-parameters),
 * under UrlFetchApp's own 2 KB (Apps Script quotas: "URL Fetch URL length 2 kB"). A GET past it goes as a
 * POST with `x-http-method-override: GET` and its parameters in `_params`.
 */
export const MAX_URL_CHARS = 2000;

export interface CloseCall {
  method: HttpMethod;
  /** Path below the API base, with the trailing slash Close requires: `/lead/`, `/lead/lead_x/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Worth sending only in the first wave, as the budget allows it then (a guess made ahead of need):
   * otherwise, or when that attempt fails, it comes back unsent (NOT_SENT) rather than waited for.
   */
  firstWaveOnly?: boolean;
  /** Extra request headers, e.g. `X-TZ-Offset` on searches whose relative dates depend on the rep's zone. */
  headers?: Record<string, string>;
}

export type CloseReply =
  | {
      ok: true;
      status: number;
      data: unknown;
      /** Close's clock when it answered (the response's `Date` header, whole seconds), when it sent one. */
      serverTime?: number;
    }
  | { ok: false; status: number; message: string; fieldErrors: Record<string, string> };

/** Status of a reply to a call that was never sent because the caller's time ran out. */
export const NOT_SENT = -1;

export interface CloseClientOptions {
  baseUrl?: string;
  /** Most requests in one fetchAll wave (Apps Script is reported to run about 100 at once). */
  maxWave?: number;
  /** Requests sent to a group before its budget is known (the first responses tell it). */
  probeWave?: number;
  maxRetries?: number;
  maxThrottleRetries?: number;
  /**
   * The jitter of retry backoffs (the Random port). Production passes the platform's (src/gas); left out,
   * a seeded source: the core reaches no global, and a test or benchmark that omits it is repeatable.
   */
  random?: Random;
  /**
   * Where the budgets learnt from RateLimit headers are kept between executions (the rep's cache):
   * a run that knows its groups' limits sends its first wave whole instead of probing with a few.
   */
  budgetStore?: Store;
}

/** The seed of the jitter when the caller passes no Random (tests, the benchmark). */
export const DEFAULT_JITTER_SEED = 1;

/** The key under which budgets are kept in `budgetStore`. */
export const BUDGETS_KEY = 'closeSync.rateBudgets';

export interface ClientStats {
  requests: number;
  waves: number;
  throttled: number;
  retries: number;
}

interface Pending {
  index: number;
  request: HttpRequest;
  group: string;
  attempt: number;
  throttled: number;
  notBefore: number;
}

/** Close rate-limits per endpoint group: method plus path with ids folded (`PUT /lead/{id}/`). */
export function endpointGroup(method: HttpMethod, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\/[a-z]+_[A-Za-z0-9]+(?=\/)/g, '/{id}')}`;
}

export class CloseClient {
  readonly stats: ClientStats = { requests: 0, waves: 0, throttled: 0, retries: 0 };
  private readonly budgets: RateBudgets;
  private readonly baseUrl: string;
  private readonly auth: string;
  private readonly options: Required<Omit<CloseClientOptions, 'baseUrl' | 'budgetStore'>>;
  private readonly budgetStore?: Store;

  constructor(
    private readonly http: Http,
    private readonly clock: Clock,
    apiKey: string,
    options: CloseClientOptions = {},
  ) {
    this.baseUrl = (options.baseUrl ?? CLOSE_API_BASE).replace(/\/$/, '');
    this.auth = `Basic ${base64(`${apiKey}:`)}`;
    this.options = {
      maxWave: options.maxWave ?? 100,
      probeWave: options.probeWave ?? 4,
      maxRetries: options.maxRetries ?? MAX_RETRIES,
      maxThrottleRetries: options.maxThrottleRetries ?? MAX_THROTTLE_RETRIES,
      random: options.random ?? seededRandom(DEFAULT_JITTER_SEED),
    };
    this.budgetStore = options.budgetStore;
    this.budgets = new RateBudgets(this.options.probeWave);
    this.restoreBudgets();
  }

  private restoreBudgets(): void {
    const saved = this.budgetStore?.get(BUDGETS_KEY);
    if (saved) this.budgets.restore(saved);
  }

  private saveBudgets(): void {
    if (!this.budgetStore || this.budgets.size === 0) return;
    try {
      this.budgetStore.set(BUDGETS_KEY, this.budgets.toJSON());
    } catch {
      // Not kept: the next run probes again.
    }
  }

  /** The clock's time (ms): a caller that keeps something short-lived from Close (a search cursor) ages it by this. */
  now(): number {
    return this.clock.now();
  }

  /**
   * One call; throws CloseApiError (or CloseAuthError) unless it succeeds. `stopAt`/`firstBy`: a step's
   * deadline, as callAll's; a call that could not go before it throws with status NOT_SENT.
   */
  request<T>(call: CloseCall, stopAt?: number, firstBy?: number): T {
    const [reply] = this.callAll([call], stopAt, firstBy);
    if (!reply.ok) throw new CloseApiError(reply.status, reply.message, reply.fieldErrors);
    return reply.data as T;
  }

  /**
   * Sends every call, in as few fetchAll waves as the rate limits allow, and answers in call order.
   * Transient failures are retried; a 401 aborts everything with CloseAuthError. Calls that could only
   * be sent after `stopAt` (clock ms) come back unsent (status NOT_SENT), as do `firstWaveOnly` calls
   * that did not go in the first wave or were not answered there.
   *
   * `firstBy` (clock ms, later than `stopAt`): until one call has its answer, waits may run until then.
   * A step that has done nothing yet passes it, so that a wait for Close's rate limit cannot leave it
   * empty-handed (the previous step spent the window a moment ago, or a 429's reset is long): it then
   * sends what one window allows and ends, instead of ending with nothing and being followed by another
   * step that finds the same wait.
   */
  callAll(calls: CloseCall[], stopAt = Number.POSITIVE_INFINITY, firstBy = stopAt): CloseReply[] {
    try {
      return this.sendAll(calls, stopAt, Math.max(stopAt, firstBy));
    } finally {
      if (calls.length > 0) this.saveBudgets();
    }
  }

  private sendAll(calls: CloseCall[], stopAt: number, firstBy: number): CloseReply[] {
    const replies: CloseReply[] = new Array(calls.length);
    let pending: Pending[] = calls.map((call, index) => ({
      index,
      request: this.toRequest(call),
      group: endpointGroup(call.method, call.path),
      attempt: 0,
      throttled: 0,
      notBefore: 0,
    }));
    // Guesses go in the first wave or not at all (retries included).
    const dropGuesses = (keep: Set<Pending>) =>
      pending.filter((item) => {
        if (!calls[item.index].firstWaveOnly || keep.has(item)) return true;
        replies[item.index] = unsent('Not sent: a guess the first wave had no room for');
        return false;
      });
    let firstWave = true;
    while (pending.length > 0) {
      if (!firstWave) pending = dropGuesses(new Set());
      if (pending.length === 0) break;
      const wave = this.nextWave(pending);
      if (firstWave) pending = dropGuesses(new Set(wave));
      firstWave = false;
      if (wave.length === 0) {
        const wait = this.waitForNextSlot(pending);
        // Waiting past the caller's deadline (Apps Script's time limit) would get the run killed:
        // give the rest back unsent, for the next step.
        const answered = replies.some((r) => r.ok || r.status !== NOT_SENT);
        if (this.clock.now() + wait > (answered ? stopAt : firstBy)) {
          for (const item of pending) replies[item.index] = unsent('Not sent: out of time for this run');
          return replies;
        }
        this.clock.sleep(wait);
        continue;
      }
      const sentAt = this.clock.now();
      const responses = this.http.fetchAll(wave.map((p) => p.request));
      this.stats.waves++;
      this.stats.requests += wave.length;
      const answeredAt = this.clock.now();
      const inWave = new Set(wave);
      const retry: Pending[] = [];
      wave.forEach((item, i) => {
        const response = responses[i];
        if (!('headers' in response)) {
          this.retryOrFail(item, 0, response.error, retry, replies, answeredAt);
          return;
        }
        const announced = readRateLimit(response.headers);
        if (response.status !== 429) this.budgets.noteAccepted(item.group, announced, sentAt);
        if (response.status === 401) throw new CloseAuthError();
        if (response.status >= 200 && response.status < 300) {
          replies[item.index] = okReply(response.status, response.body, response.headers.date);
        } else if (response.status === 429) {
          this.stats.throttled++;
          const delay = retryDelayMs(response.headers, response.body);
          // Never the key's budget raised from it: the limit a 429 announces may be the organization's.
          this.budgets.noteThrottled(item.group, announced, sentAt, answeredAt + delay);
          if (item.throttled++ < this.options.maxThrottleRetries) {
            item.notBefore = answeredAt + delay;
            retry.push(item);
          } else replies[item.index] = failure(response);
        } else if (isTransient(response.status)) {
          this.retryOrFail(
            item,
            response.status,
            describeCloseError(response.status, response.body).message,
            retry,
            replies,
            answeredAt,
          );
        } else {
          replies[item.index] = failure(response);
        }
      });
      // Retries keep their place: once a wait is over, earlier calls go first. A caller that reads
      // replies in order (pages, pushes) can then use every reply before the first unsent one; were
      // retries sent last, a run could spend its time on later calls and keep none of them, again
      // and again.
      pending = pending
        .filter((p) => !inWave.has(p))
        .concat(retry)
        .sort((a, b) => a.index - b.index);
    }
    return replies;
  }

  private retryOrFail(
    item: Pending,
    status: number,
    message: string,
    retry: Pending[],
    replies: CloseReply[],
    now: number,
  ) {
    const repeatable = safeToRepeat(item.request, status);
    if (repeatable && item.attempt < this.options.maxRetries) {
      item.attempt++;
      this.stats.retries++;
      item.notBefore = now + backoffMs(item.attempt, this.options.random);
      retry.push(item);
      return;
    }
    const detail = status === 0 ? `Could not reach Close: ${message}` : message;
    const hint = repeatable ? '' : ' It may have been applied: check Close before pushing again.';
    const text = hint ? `${detail.replace(/\.?$/, '.')}${hint}` : detail;
    replies[item.index] = { ok: false, status, message: text, fieldErrors: {} };
  }

  /** How many more requests the group may send now. */
  private allowance(group: string, now: number): number {
    return this.budgets.allowance(group, now);
  }

  private nextWave(pending: Pending[]): Pending[] {
    const now = this.clock.now();
    const left = new Map<string, number>();
    const wave: Pending[] = [];
    for (const item of pending) {
      if (wave.length >= this.options.maxWave) break;
      if (item.notBefore > now) continue;
      const allowed = left.get(item.group) ?? this.allowance(item.group, now);
      if (allowed <= 0) continue;
      left.set(item.group, allowed - 1);
      wave.push(item);
    }
    return wave;
  }

  private waitForNextSlot(pending: Pending[]): number {
    const now = this.clock.now();
    let until = Number.POSITIVE_INFINITY;
    for (const item of pending) {
      until = Math.min(until, Math.max(item.notBefore, this.budgets.freeAt(item.group, now)));
    }
    return Math.max(until - now, 10);
  }

  private toRequest(call: CloseCall): HttpRequest {
    const params = Object.entries(call.query ?? {}).filter(([, v]) => v !== undefined);
    const query = params
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const headers: Record<string, string> = {
      ...call.headers,
      Authorization: this.auth,
      Accept: 'application/json',
    };
    const url = `${this.baseUrl}${call.path}${query ? `?${query}` : ''}`;
    if (call.method === 'get' && url.length > MAX_URL_CHARS) {
      // "parameters can also be specified in a JSON-encoded dictionary in the request body under the
      // `_params` key … we support the x-http-method-override HTTP header" (Close, overview/filter-parameters)
      headers['x-http-method-override'] = 'GET';
      headers['Content-Type'] = 'application/json';
      return {
        method: 'post',
        url: `${this.baseUrl}${call.path}`,
        headers,
        body: JSON.stringify({ _params: Object.fromEntries(params.map(([k, v]) => [k, String(v)])) }),
      };
    }
    const request: HttpRequest = { method: call.method, url, headers };
    if (call.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      request.body = JSON.stringify(call.body);
    }
    return request;
  }
}

function parseBody(body: string): unknown {
  if (!body) return null;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * A successful reply whose JSON is parsed when first read: a caller that reads a wave's pages one by
 * one keeps one page's objects alive at a time, not the whole wave's (less memory, less GC).
 */
function okReply(status: number, body: string, date?: string): CloseReply {
  let text: string | null = body;
  let data: unknown;
  const serverTime = date ? Date.parse(date) : Number.NaN;
  return {
    ok: true,
    status,
    ...(Number.isNaN(serverTime) ? {} : { serverTime }),
    get data() {
      if (text !== null) {
        data = parseBody(text);
        text = null;
      }
      return data;
    },
  };
}

function unsent(message: string): CloseReply {
  return { ok: false, status: NOT_SENT, message, fieldErrors: {} };
}

function failure(response: HttpResponse): CloseReply {
  const { message, fieldErrors } = describeCloseError(response.status, response.body);
  return { ok: false, status: response.status, message, fieldErrors };
}
