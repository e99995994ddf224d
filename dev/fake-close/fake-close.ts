// FakeClose: a synchronous, in-memory Close API. handle() takes one request and returns one response, with
// Close's auth, rate limiting, error bodies and quirks; faults can be injected in order or at random.

import { EventLog } from './events';
import { closeId, createRng, formatCloseDate, type Rng } from './ids';
import { activeUsers } from './org';
import { OrgIndex } from './model';
import { groupHash, RateLimiter, type RateLimitRule, type RateState, rateLimitHeaders } from './rate-limit';
import { type Backend, matchRoute, type RouteContext, SnapshotStore } from './routes';
import { SEARCH_INDEX_LAG_MS, SearchIndex } from './search-index';
import { LeadStore } from './store';
import type { FakeOrg, FakeRequest, FakeResponse, JsonObject, JsonValue, Lead } from './types';
import { HttpError, isObject, type WriteEnv, writeLead } from './writes';
import { leadEvent } from './events';

export interface FakeCloseOptions {
  /** Clock in ms (tests pass a virtual clock); default Date.now. */
  now?: () => number;
  /** Valid API keys (also accepted as OAuth Bearer tokens); default ['api_test_key_1']. Key i belongs to the
   * org's i-th active member (wrapping). */
  apiKeys?: string[];
  /** Per endpoint group ('GET /lead/', 'PUT /lead/{id}/', 'POST /data/search/', …, or 'default'), per key. */
  rateLimits?: Record<string, RateLimitRule>;
  /** Org limit = orgFactor × key limit (default 3, the docs' "3 times higher"). */
  orgFactor?: number;
  /** Per endpoint group: requests per window other keys of the organization spend (see setOrgLoad). */
  orgLoad?: Record<string, number>;
  /** Separator inside the RateLimit header (default ','; production has been seen sending ';'). */
  rateLimitSeparator?: ',' | ';';
  /** Also send X-Rate-Limit-* headers and the legacy 429 body (rate_reset as a string). */
  legacyRateLimit?: boolean;
  /** Max `_limit` per resource ('lead', 'contact', 'opportunity', 'user', 'custom_field', 'saved_search',
   * 'data/search'). Over it → 400. */
  maxLimit?: Record<string, number>;
  /**
   * Max `_skip` (default 250,000, the only cap on record: airbytehq/airbyte issue #20959); beyond it →
   * 400 with Close's message. Not the add-on's own window depth (10,000), so a lower cap is a path tests
   * choose (`maxSkip: 2000`), never one the defaults hide.
   */
  maxSkip?: number;
  /** Send `total_results` with legacy `query=` searches (default true, as recorded; the current spec
   * does not list it, so clients must also work when it is missing: set false to test that). */
  totalResults?: boolean;
  /** Lifetime of a /data/search/ cursor from when it is issued (default 30 s of the injected clock). */
  searchCursorTtlMs?: number;
  /**
   * Object types whose GETs honour `_fields=custom.cf_…` subsets besides leads (default none: subsets are
   * announced for the Leads API only, changelog 2023-11-10, so contacts and opportunities ignore them).
   */
  customSubsetsOn?: Array<'contact' | 'opportunity'>;
  /**
   * Longest request URL answered (default 2000: "URLs can potentially exceed the recommended maximum URL
   * length (2000 characters)", developer.close.com/api/overview/filter-parameters). Past it → 414.
   */
  maxUrlLength?: number;
  /** Objects one /data/search/ cursor walk returns at most (default 10,000, Close's documented cap). */
  searchWalkLimit?: number;
  /**
   * How long searches (POST /data/search/) go on showing a lead as it was before a write through the API
   * (default SEARCH_INDEX_LAG_MS, "a few seconds"; 0: at once). See search-index.ts.
   */
  searchIndexLagMs?: number;
  /** Cap on `log` entries (oldest dropped; default 20000). */
  logLimit?: number;
}

export const DEFAULT_MAX_LIMIT: Readonly<Record<string, number>> = {
  lead: 200,
  contact: 200,
  opportunity: 250,
  user: 1000,
  custom_field: 1000,
  saved_search: 1000,
  'data/search': 200,
  // Close does not publish the activity lists' maximum `_limit`; their default is 100 (LimitParam in every
  // activity list's parameters), so the fake refuses more than that: the harsher reading.
  activity: 100,
};

export interface FaultSpec {
  match?: { method?: string; pathPrefix?: string };
  status?: 429 | 500 | 502 | 503 | 504 | 401;
  /**
   * Close refuses the request: a 400 with its validation body, `{"errors": [refuse], "field-errors": {}}`
   * (the documented shape, test/fixtures/close-docs/error-400-validation.json) — e.g. a search whose
   * filter Close does not take.
   */
  refuse?: string;
  /** handle() throws Error(msg): a transport failure (timeout, DNS…). */
  throwError?: string;
  times?: number;
  /**
   * The request is carried out first and only then answered with the fault: a gateway that gave up
   * waiting (504) or a connection that dropped after Close had applied the write. Close's own Python
   * client retries 502/504 on GET only, because repeating a POST "could create a duplicate"
   * (closeio/closeio-api `closeio_api/__init__.py`, commits 8dd7fa3, 48d1503) — so a POST answered
   * this way may well have created its lead.
   */
  afterApply?: boolean;
}

export interface LogEntry {
  method: string;
  /** Path below /api/v1, e.g. '/lead/'. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** 0 when the request failed at the transport level (thrown). */
  status: number;
}

export const UNAUTHORIZED_MESSAGE =
  "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required.";
export const RATE_LIMIT_MESSAGE = 'API call count exceeded for this period';
export const NOT_FOUND_MESSAGE =
  'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.';
export const METHOD_NOT_ALLOWED_MESSAGE = 'The method is not allowed for the requested URL.';

const HTML_500 =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n' +
  '<p>The server encountered an internal error and was unable to complete your request. Either the server is ' +
  'overloaded or there is an error in the application.</p>\n';
const gatewayHtml = (title: string) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;

const API_BASE = '/api/v1';

interface Credential {
  key: string;
  userId: string;
}

export class FakeClose implements Backend {
  readonly leads: Map<string, Lead>;
  readonly org: FakeOrg;
  readonly log: LogEntry[] = [];
  readonly index: OrgIndex;
  readonly store: LeadStore;
  readonly maxSkip: number;
  readonly totalResults: boolean;
  readonly searchSnapshots: SnapshotStore;
  readonly searchIndex: SearchIndex;
  readonly searchWalkLimit: number;
  /**
   * Test control: leads a /data/search/ walk leaves out of its pages while `count.total` still counts
   * them — a walk that comes back short, which a client can only notice by comparing with the count.
   */
  readonly searchOmits = new Set<string>();
  /** The Event Log (GET /event/): lead events recorded as leads change (see events.ts). */
  readonly events: EventLog;
  readonly now: () => number;
  private readonly opts: FakeCloseOptions;
  private readonly limiter: RateLimiter;
  private readonly keyUsers = new Map<string, string>();
  private readonly revoked = new Set<string>();
  private faults: Array<FaultSpec & { left: number }> = [];
  private randomFaults: { rng: Rng; rate429: number; rate5xx: number; rateThrow: number } | null = null;
  private readonly idRng: Rng;

  constructor(org: FakeOrg, opts: FakeCloseOptions = {}) {
    this.org = org;
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.index = new OrgIndex(org);
    this.leads = new Map(org.leads.map((l) => [l.id, l]));
    this.store = new LeadStore(this.leads);
    this.events = new EventLog(org.organization.id, this.now);
    this.maxSkip = opts.maxSkip ?? 250_000;
    this.totalResults = opts.totalResults ?? true;
    // Close: "Cursors expire after 30 seconds"; "Hard limit of 10,000 objects per pagination sequence"
    // (developer.close.com/api/resources/advanced-filtering).
    this.searchSnapshots = new SnapshotStore(opts.searchCursorTtlMs ?? 30_000);
    this.searchIndex = new SearchIndex(opts.searchIndexLagMs ?? SEARCH_INDEX_LAG_MS, this.now);
    this.searchWalkLimit = opts.searchWalkLimit ?? 10_000;
    this.limiter = new RateLimiter(opts.rateLimits, opts.orgFactor ?? 3, this.now);
    for (const [group, n] of Object.entries(opts.orgLoad ?? {})) this.limiter.setOrgLoad(group, n);
    this.idRng = createRng(0x1d5eed ^ org.leads.length);
    const members = activeUsers(org);
    (opts.apiKeys ?? ['api_test_key_1']).forEach((key, i) => {
      this.keyUsers.set(key, members[i % Math.max(1, members.length)]?.id ?? '');
    });
  }

  customSubsets(type: 'contact' | 'opportunity'): boolean {
    return this.opts.customSubsetsOn?.includes(type) ?? false;
  }

  maxLimit(resource: string): number {
    return this.opts.maxLimit?.[resource] ?? DEFAULT_MAX_LIMIT[resource] ?? 100;
  }

  writeEnv(userId: string, checkRoles = false): WriteEnv {
    const membership = this.org.organization.memberships.find((m) => m.user_id === userId);
    return {
      roleId: checkRoles ? (membership?.role_id ?? '') : undefined,
      index: this.index,
      nowString: formatCloseDate(this.now()),
      userId,
      newId: (prefix) => closeId(prefix, this.idRng),
      userExists: (id) => this.index.userById.has(id),
      contactExists: (id) => this.store.contact(id) !== undefined,
    };
  }

  // ---- test controls -------------------------------------------------------------------------------------

  injectFaults(faults: FaultSpec[]): void {
    for (const f of faults) this.faults.push({ ...f, left: f.times ?? 1 });
  }

  /** Deterministic random faults on every request: throw, else 429, else a 5xx (one draw per request). */
  setRandomFaults(opts: { seed: number; rate429?: number; rate5xx?: number; rateThrow?: number }): void {
    this.randomFaults = {
      rng: createRng(opts.seed),
      rate429: opts.rate429 ?? 0,
      rate5xx: opts.rate5xx ?? 0,
      rateThrow: opts.rateThrow ?? 0,
    };
  }

  /**
   * Colleagues' integrations on other API keys of this organization spend `perWindow` requests of the
   * group's org-wide budget in every window, so the rep's key meets the organization's limit before its
   * own (a 429 that announces the org's larger limit).
   */
  setOrgLoad(group: string, perWindow: number): void {
    this.limiter.setOrgLoad(group, perWindow);
  }

  revokeKey(key: string): void {
    this.revoked.add(key);
  }

  /** A colleague edits a lead in Close: same rules as PUT /lead/{id}/, bumps date_updated and updated_by. */
  touchLead(id: string, changes: Record<string, unknown>, byUserId?: string): void {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`touchLead: no lead ${id}`);
    const by = byUserId ?? this.colleagueId();
    const body = JSON.parse(JSON.stringify(changes)) as JsonObject;
    try {
      writeLead(lead, body, this.writeEnv(by));
    } catch (e) {
      if (e instanceof HttpError) throw new Error(`touchLead: ${JSON.stringify(e.body)}`);
      throw e;
    }
    this.events.record(leadEvent(lead, 'updated', by, Object.keys(changes)));
  }

  /** The user id an API key acts as. */
  userIdForKey(key: string): string | undefined {
    return this.keyUsers.get(key);
  }

  private colleagueId(): string {
    const keyUsers = new Set(this.keyUsers.values());
    const other = activeUsers(this.org).find((u) => !keyUsers.has(u.id));
    return other?.id ?? activeUsers(this.org)[0]?.id ?? '';
  }

  // ---- request handling ----------------------------------------------------------------------------------

  handle(req: FakeRequest): FakeResponse {
    const url = new URL(req.url, 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = String(v);
    let method = req.method.toUpperCase();
    const params = new URLSearchParams(url.searchParams);
    const rawBody = req.body ?? '';
    let body: JsonValue | undefined;
    let bodyError = false;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody) as JsonValue;
      } catch {
        bodyError = true;
      }
    }
    const override = headers['x-http-method-override'];
    if (method === 'POST' && override) {
      method = override.toUpperCase();
      if (isObject(body) && isObject(body._params)) {
        for (const [k, v] of Object.entries(body._params))
          params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
        body = undefined;
      }
    }
    const path = url.pathname.startsWith(`${API_BASE}/`) ? url.pathname.slice(API_BASE.length) : url.pathname;
    const entry: LogEntry = {
      method,
      path,
      query: Object.fromEntries(params.entries()),
      body: bodyError ? rawBody : body,
      status: 0,
    };
    this.pushLog(entry);
    // Past the docs' 2,000 characters Close's behaviour is undocumented; the harsher reading is a refusal
    // before the API sees the request (no JSON, no rate-limit headers), as a front proxy answers.
    if (req.url.length > (this.opts.maxUrlLength ?? 2000)) {
      entry.status = 414;
      return {
        status: 414,
        headers: { 'Content-Type': 'text/html' },
        body: gatewayHtml('414 Request-URI Too Large'),
      };
    }
    const res = this.dispatch(method, path, url, params, headers, body, bodyError);
    entry.status = res.status;
    return res;
  }

  private pushLog(entry: LogEntry): void {
    this.log.push(entry);
    const cap = this.opts.logLimit ?? 20000;
    if (this.log.length > cap * 1.5) this.log.splice(0, this.log.length - cap);
  }

  private dispatch(
    method: string,
    path: string,
    url: URL,
    params: URLSearchParams,
    headers: Record<string, string>,
    body: JsonValue | undefined,
    bodyError: boolean,
  ): FakeResponse {
    const inBase = url.pathname.startsWith(`${API_BASE}/`);
    const match = inBase ? matchRoute(method, path) : ({ kind: 'none' } as const);
    const group = match.kind === 'route' ? match.route.group : `${method} ${path}`;
    const cred = this.authenticate(headers);

    const fault = this.takeFault(method, path);
    const answer = (res: FakeResponse): FakeResponse => {
      if (!fault?.afterApply) return res;
      if (fault.throwError !== undefined) throw new Error(fault.throwError);
      return this.faultResponse(fault.status ?? 504, group, cred);
    };
    if (!fault?.afterApply) {
      if (fault?.throwError !== undefined) throw new Error(fault.throwError);
      if (fault?.refuse !== undefined)
        return this.respond(
          400,
          { errors: [fault.refuse], 'field-errors': {} },
          cred ? this.limiter.hit(cred.key, this.org.organization.id, group).state : this.limiter.peek(group),
        );
      if (fault?.status !== undefined) return this.faultResponse(fault.status, group, cred);
    }

    if (match.kind === 'none')
      return this.respond(404, { error: NOT_FOUND_MESSAGE }, this.limiter.peek(group));
    if (match.kind === 'method') {
      const res = this.respond(405, { error: METHOD_NOT_ALLOWED_MESSAGE }, this.limiter.peek(group));
      res.headers.Allow = [...new Set([...match.allowed, 'HEAD', 'OPTIONS'])].sort().join(', ');
      return res;
    }
    if (match.kind === 'redirect') return this.redirect(url, match.location, group);
    if (!cred) return this.unauthorized(group);

    const decision = this.limiter.hit(cred.key, this.org.organization.id, group);
    if (!decision.allowed) return this.tooManyRequests(decision.state, group);
    if (bodyError) {
      return this.respond(400, { error: 'Bad Request: Failed to decode JSON object' }, decision.state);
    }
    const ctx: RouteContext = {
      backend: this,
      params,
      body,
      ids: match.ids,
      userId: cred.userId,
      tzOffsetHours: Number(headers['x-tz-offset'] ?? 0) || 0,
    };
    try {
      const result = match.route.run(ctx);
      return answer(this.respond(result.status, result.body, decision.state));
    } catch (e) {
      if (e instanceof HttpError) return answer(this.respond(e.status, e.body, decision.state));
      throw e;
    }
  }

  private authenticate(headers: Record<string, string>): Credential | null {
    const auth = headers.authorization ?? '';
    let key: string | null = null;
    const basic = /^Basic\s+(\S+)$/i.exec(auth);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) key = decoded.slice(0, colon);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
    if (bearer) key = bearer[1];
    if (key === null || this.revoked.has(key)) return null;
    const userId = this.keyUsers.get(key);
    return userId === undefined ? null : { key, userId };
  }

  private takeFault(method: string, path: string): FaultSpec | null {
    for (let i = 0; i < this.faults.length; i++) {
      const f = this.faults[i];
      if (f.match?.method && f.match.method.toUpperCase() !== method) continue;
      const prefix = f.match?.pathPrefix;
      if (prefix && !path.startsWith(prefix) && !`${API_BASE}${path}`.startsWith(prefix)) continue;
      f.left--;
      if (f.left <= 0) this.faults.splice(i, 1);
      return f;
    }
    if (this.randomFaults) {
      const { rng, rate429, rate5xx, rateThrow } = this.randomFaults;
      const r = rng();
      const which = rng();
      if (r < rateThrow) return { throwError: 'Exception: Address unavailable (fake-close random fault)' };
      if (r < rateThrow + rate429) return { status: 429 };
      if (r < rateThrow + rate429 + rate5xx) {
        const codes = [500, 502, 503, 504] as const;
        return { status: codes[Math.floor(which * codes.length)] };
      }
    }
    return null;
  }

  // ---- responses -----------------------------------------------------------------------------------------

  private respond(status: number, body: JsonValue, state: RateState, text?: string): FakeResponse {
    return {
      status,
      headers: {
        'Content-Type': 'application/json',
        // Close's responses carry the server's time, e.g. `"Date": "Fri, 29 Sep 2017 10:18:35 GMT"`
        // (nested-tech/closex test/fixtures/vcr_cassettes/get_lead_statuses.json, a recorded response).
        Date: new Date(this.now()).toUTCString(),
        ...rateLimitHeaders(state, this.opts.rateLimitSeparator ?? ',', this.opts.legacyRateLimit ?? false),
      },
      body: text ?? JSON.stringify(body),
    };
  }

  private unauthorized(group: string): FakeResponse {
    // Close's 401 comes from its auth layer, pretty-printed.
    return this.respond(
      401,
      null,
      this.limiter.peek(group),
      `${JSON.stringify({ error: UNAUTHORIZED_MESSAGE }, null, 2)}\n`,
    );
  }

  private tooManyRequests(state: RateState, group: string): FakeResponse {
    const resetS = Math.max(0, state.resetMs) / 1000;
    const body: JsonObject = this.opts.legacyRateLimit
      ? {
          message: RATE_LIMIT_MESSAGE,
          rate_endpoint_group: groupHash(group),
          rate_limit: state.limit,
          rate_limit_type: state.type === 'key' ? 'key' : 'org',
          rate_reset: resetS.toFixed(6),
          rate_window: state.windowMs / 1000,
        }
      : { error: RATE_LIMIT_MESSAGE, rate_limit_type: state.type, rate_endpoint_group: groupHash(group) };
    const res = this.respond(429, body, { ...state, remaining: 0 });
    res.headers['Retry-After'] = String(Math.max(1, Math.ceil(resetS)));
    return res;
  }

  private redirect(url: URL, location: string, group: string): FakeResponse {
    const target = `${url.origin}${API_BASE}${location}${url.search}`;
    const res = this.respond(
      308,
      null,
      this.limiter.peek(group),
      '<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n' +
        `<p>You should be redirected automatically to the target URL: <a href="${target}">${target}</a>. If not, click the link.\n`,
    );
    res.headers['Content-Type'] = 'text/html; charset=utf-8';
    res.headers.Location = target;
    return res;
  }

  private faultResponse(status: number, group: string, cred: Credential | null): FakeResponse {
    if (status === 401) return this.unauthorized(group);
    const state = cred
      ? this.limiter.hit(cred.key, this.org.organization.id, group).state
      : this.limiter.peek(group);
    if (status === 429) return this.tooManyRequests({ ...state, remaining: 0 }, group);
    if (status === 504) return this.respond(504, null, state, ''); // recorded: empty body, JSON content type
    const res = this.respond(
      status,
      null,
      state,
      status === 500
        ? HTML_500
        : gatewayHtml(status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable'),
    );
    res.headers['Content-Type'] = 'text/html; charset=utf-8';
    return res;
  }
}
