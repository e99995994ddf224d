// UrlFetchApp over a FakeHttpHandler, with the real parameter semantics, errors and quota.
import { describeArg, type Env } from './env';
import { BlobApi, bytesToBuffer, toSignedBytes } from './utilities';

export interface FakeHttpRequest {
  /** Upper-case: GET, POST, PUT, PATCH, DELETE. */
  method: string;
  url: string;
  /** As the caller gave them (plus Content-Type when UrlFetchApp adds it). */
  headers: Record<string, string>;
  body: string;
}

export interface FakeHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Answers a request; may throw an Error to simulate a transport failure (DNS, timeout, ...). */
export type FakeHttpHandler = (req: FakeHttpRequest) => FakeHttpResponse;

export const URLFETCH_DAILY_QUOTA = 20_000;
export const FETCH_ALL_WAVE = 100;
/**
 * Apps Script quotas page, limitations table: "URL Fetch URL length | 2 kB / call" — read as 2,000
 * characters, the harsher of 2,000 and 2,048. Past it UrlFetchApp throws "Limit Exceeded: URLFetch URL
 * Length." (the message as reported by public Apps Script projects that met it).
 */
const MAX_URL_LENGTH = 2000;
const MAX_REDIRECTS = 10;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const EXTERNAL_REQUEST_SCOPE = 'https://www.googleapis.com/auth/script.external_request';

interface FetchParams {
  method?: unknown;
  headers?: unknown;
  payload?: unknown;
  contentType?: unknown;
  muteHttpExceptions?: unknown;
  followRedirects?: unknown;
  escaping?: unknown;
  validateHttpsCertificates?: unknown;
}

interface PreparedRequest {
  req: FakeHttpRequest;
  mute: boolean;
  follow: boolean;
}

export class HttpResponseApi {
  constructor(private readonly res: FakeHttpResponse) {}
  getResponseCode(): number {
    return this.res.status;
  }
  getContentText(_charset?: string): string {
    return this.res.body;
  }
  getContent(): number[] {
    return toSignedBytes(Buffer.from(this.res.body, 'utf8'));
  }
  getHeaders(): Record<string, string> {
    return { ...this.res.headers };
  }
  getAllHeaders(): Record<string, string | string[]> {
    return { ...this.res.headers };
  }
  getBlob(): BlobApi {
    const ct =
      Object.entries(this.res.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;
    return new BlobApi(Buffer.from(this.res.body, 'utf8'), ct);
  }
  getAs(contentType: string): BlobApi {
    return this.getBlob().getAs(contentType);
  }
}

/** With escaping on (the default), characters that are illegal in a URL are percent-encoded. */
function escapeUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, (ch) => encodeURIComponent(ch));
}

function headerKey(headers: Record<string, string>, name: string): string | undefined {
  return Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
}

function formEncode(obj: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj))
    p.append(k, v instanceof BlobApi ? v.getDataAsString() : String(v));
  return p.toString();
}

function prepare(env: Env, url: unknown, params: FetchParams | undefined): PreparedRequest {
  if (typeof url !== 'string') {
    throw env.fail(
      `The parameters (${describeArg(url)}) don't match the method signature for UrlFetchApp.fetch.`,
    );
  }
  const p = params ?? {};
  const fullUrl = p.escaping === false ? url : escapeUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(fullUrl);
  } catch {
    throw env.fail(`Invalid argument: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw env.fail(`Invalid argument: ${url}`);
  if (/\s/.test(fullUrl)) throw env.fail(`Invalid argument: ${url}`);
  if (fullUrl.length > MAX_URL_LENGTH) throw env.fail('Limit Exceeded: URLFetch URL Length.');
  const method = String(p.method ?? 'get').toUpperCase();
  if (!METHODS.includes(method)) throw env.fail(`Invalid argument: method`);
  const headers: Record<string, string> = {};
  if (p.headers !== undefined && p.headers !== null) {
    if (typeof p.headers !== 'object') throw env.fail('Invalid argument: headers');
    for (const [k, v] of Object.entries(p.headers as Record<string, unknown>)) headers[k] = String(v);
  }
  let body = '';
  const payload = p.payload;
  if (payload !== undefined && payload !== null) {
    if (typeof payload === 'string') body = payload;
    else if (Array.isArray(payload)) body = bytesToBuffer(payload).toString('utf8');
    else if (payload instanceof BlobApi) body = payload.getDataAsString();
    else if (typeof payload === 'object') body = formEncode(payload as Record<string, unknown>);
    else body = String(payload);
  }
  if (p.contentType !== undefined && p.contentType !== null) {
    const existing = headerKey(headers, 'content-type');
    if (existing) delete headers[existing];
    headers['Content-Type'] = String(p.contentType);
  } else if (payload !== undefined && payload !== null && !headerKey(headers, 'content-type')) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return {
    req: { method, url: fullUrl, headers, body },
    mute: p.muteHttpExceptions === true,
    follow: p.followRedirects !== false,
  };
}

function httpError(env: Env, url: string, res: FakeHttpResponse): Error {
  const origin = new URL(url).origin;
  const truncated = res.body.length > 200 ? `${res.body.slice(0, 200)}...` : res.body;
  return env.fail(
    `Request failed for ${origin} returned code ${res.status}. Truncated server response: ${truncated} (use muteHttpExceptions option to examine full response)`,
  );
}

export function createUrlFetchApp(env: Env, handler: FakeHttpHandler) {
  const quota = { day: '', count: 0 };

  const takeQuota = (n: number): void => {
    const day = new Date(env.clock.now()).toISOString().slice(0, 10);
    if (quota.day !== day) {
      quota.day = day;
      quota.count = 0;
    }
    if (quota.count + n > URLFETCH_DAILY_QUOTA)
      throw env.fail('Service invoked too many times for one day: urlfetch.');
    quota.count += n;
  };

  /** Sends one request (following redirects); a transport failure comes back as an Error. */
  const send = (prepared: PreparedRequest): { res: FakeHttpResponse } | { error: Error } => {
    let req = prepared.req;
    for (let hop = 0; ; hop++) {
      env.stats.requests++;
      env.requests.push({ method: req.method, url: req.url, headers: { ...req.headers }, body: req.body });
      let res: FakeHttpResponse;
      try {
        const raw = handler({
          method: req.method,
          url: req.url,
          headers: { ...req.headers },
          body: req.body,
        });
        res = {
          status: raw.status,
          headers: raw.headers ?? {},
          body: raw.body === undefined ? '' : String(raw.body),
        };
      } catch (e) {
        return { error: env.fail(e instanceof Error ? e.message : String(e)) };
      }
      const location = headerKey(res.headers, 'location');
      if (
        !prepared.follow ||
        ![301, 302, 303, 307, 308].includes(res.status) ||
        !location ||
        hop >= MAX_REDIRECTS
      ) {
        return { res };
      }
      const next = new URL(res.headers[location], req.url).toString();
      const keepMethod =
        res.status === 307 || res.status === 308 || (req.method !== 'POST' && res.status !== 303);
      req = keepMethod
        ? { ...req, url: next }
        : { method: 'GET', url: next, headers: { ...req.headers }, body: '' };
    }
  };

  const guard = (method: string): void => {
    env.checkBudget();
    env.requireScopes(`UrlFetchApp.${method}`);
    env.requireAuth(`UrlFetchApp.${method}`, EXTERNAL_REQUEST_SCOPE);
  };

  return {
    fetch(url: unknown, params?: FetchParams): HttpResponseApi {
      guard('fetch');
      const prepared = prepare(env, url, params);
      takeQuota(1);
      env.stats.fetchCalls++;
      const out = send(prepared);
      if (env.fetchLatencyMs > 0) env.clock.advance(env.fetchLatencyMs);
      if ('error' in out) throw out.error;
      const res = out.res;
      if (res.status >= 400 && !prepared.mute) throw httpError(env, prepared.req.url, res);
      return new HttpResponseApi(res);
    },

    /** All requests are sent (concurrently in reality, at most 100 per wave); one transport error fails the call. */
    fetchAll(requests: unknown): HttpResponseApi[] {
      guard('fetchAll');
      if (!Array.isArray(requests)) {
        throw env.fail(
          `The parameters (${describeArg(requests)}) don't match the method signature for UrlFetchApp.fetchAll.`,
        );
      }
      const prepared = requests.map((r) => {
        if (typeof r === 'string') return prepare(env, r, undefined);
        if (typeof r === 'object' && r !== null)
          return prepare(env, (r as { url?: unknown }).url, r as FetchParams);
        throw env.fail(`Invalid argument: ${String(r)}`);
      });
      takeQuota(prepared.length);
      env.stats.fetchAllCalls++;
      env.stats.trace?.push(`UrlFetchApp.fetchAll(${prepared.length})`);
      const results: Array<{ res: FakeHttpResponse } | { error: Error }> = [];
      for (let start = 0; start < prepared.length; start += FETCH_ALL_WAVE) {
        for (const p of prepared.slice(start, start + FETCH_ALL_WAVE)) results.push(send(p));
        if (env.fetchLatencyMs > 0) env.clock.advance(env.fetchLatencyMs);
      }
      for (const r of results) if ('error' in r) throw r.error;
      return results.map((r, i) => {
        const res = (r as { res: FakeHttpResponse }).res;
        if (res.status >= 400 && !prepared[i].mute) throw httpError(env, prepared[i].req.url, res);
        return new HttpResponseApi(res);
      });
    },

    getRequest(url: unknown, params?: FetchParams): Record<string, unknown> {
      guard('getRequest');
      const p = prepare(env, url, params);
      return {
        url: p.req.url,
        method: p.req.method.toLowerCase(),
        headers: p.req.headers,
        payload: p.req.body,
        contentType: p.req.headers['Content-Type'],
        followRedirects: p.follow,
        validateHttpsCertificates: params?.validateHttpsCertificates !== false,
        useIntranet: false,
      };
    },
  };
}
