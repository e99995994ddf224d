// The probe's HTTP client (Node 20's global fetch): Basic auth with the key as the username and an empty
// password (developer.close.com/api/overview/api-key-authentication), one request at a time, gentle with the
// rate limits: on a 429 it waits what `Retry-After` (else the `RateLimit` header's reset) says and asks again;
// when a `RateLimit` header reports `remaining` at 0 or 1 it waits for the reset before the next request
// ("If you receive a response status code of 429 … sleep/pause …", developer.close.com/api/overview/rate-limits).

import type { JsonValue } from './shape';

export interface Reply {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or null when it is not JSON. */
  json: JsonValue | null;
  /** The request as sent (path below the base, query) — for the recorder. */
  method: string;
  path: string;
  query: Record<string, string>;
  body?: JsonValue;
  auth?: 'invalid';
}

export interface RequestSpec {
  query?: Record<string, string | number>;
  body?: JsonValue;
  /** Send a key Close does not know (the 401 question). */
  auth?: 'invalid';
}

export class ProbeFailure extends Error {}

/** `limit=N, remaining=M, reset=S` with `,` or `;` between the parts (both have been seen). */
export function parseRateLimit(value: string | undefined): {
  limit?: number;
  remaining?: number;
  reset?: number;
} {
  const out: { limit?: number; remaining?: number; reset?: number } = {};
  if (!value) return out;
  for (const part of value.split(/[,;]/)) {
    const m = /^\s*(limit|remaining|reset)\s*=\s*([\d.]+)\s*$/.exec(part);
    if (m) out[m[1] as 'limit' | 'remaining' | 'reset'] = Number(m[2]);
  }
  return out;
}

export class ProbeClient {
  /** Every 429 met, with its headers (recorded as a fixture of its own). */
  readonly throttled: Reply[] = [];
  requests = 0;
  /** The first `RateLimit` header seen per endpoint group (method + path with ids as `{id}`). */
  readonly groups = new Map<string, string>();
  private waitBeforeNextMs = 0;

  constructor(
    private readonly base: string,
    private readonly key: string,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async call(method: string, path: string, spec: RequestSpec = {}): Promise<Reply> {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.query ?? {})) query[k] = String(v);
    const qs = new URLSearchParams(query).toString();
    const url = `${this.base}${path}${qs ? `?${qs}` : ''}`;
    const key = spec.auth === 'invalid' ? 'api_close_sync_probe_not_a_key' : this.key;
    for (let attempt = 1; ; attempt++) {
      if (this.waitBeforeNextMs > 0) {
        await this.sleep(this.waitBeforeNextMs);
        this.waitBeforeNextMs = 0;
      }
      let res: Response;
      try {
        this.requests++;
        res = await fetch(url, {
          method,
          headers: {
            Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
            Accept: 'application/json',
            ...(spec.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
          redirect: 'manual',
        });
      } catch (e) {
        throw new ProbeFailure(
          `Could not reach ${this.base} (${String((e as { cause?: unknown }).cause ?? (e as Error).message)}). Check the network, or ` +
            'CLOSE_BASE_URL if you set it (e.g. http://127.0.0.1:4010/api/v1 for the local fake).',
        );
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        headers[k.toLowerCase()] = v;
      });
      const text = await res.text();
      let json: JsonValue | null = null;
      try {
        json = text ? (JSON.parse(text) as JsonValue) : null;
      } catch {
        json = null;
      }
      const reply: Reply = { status: res.status, headers, text, json, method, path, query, auth: spec.auth };
      if (spec.body !== undefined) reply.body = spec.body;
      const rl = parseRateLimit(headers.ratelimit);
      const group = `${method} ${path.replace(/\/[a-z]+_[A-Za-z0-9]{8,}\//g, '/{id}/')}`;
      if (headers.ratelimit && !this.groups.has(group) && spec.auth !== 'invalid')
        this.groups.set(group, headers.ratelimit);
      if (res.status === 429) {
        this.throttled.push(reply);
        if (attempt >= 6) return reply;
        const retryAfter = Number(headers['retry-after']);
        const waitS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : (rl.reset ?? 2);
        await this.sleep(Math.min(60, waitS) * 1000 + 100);
        continue;
      }
      if (rl.remaining !== undefined && rl.remaining <= 1 && rl.reset !== undefined)
        this.waitBeforeNextMs = Math.min(60, rl.reset) * 1000 + 100;
      return reply;
    }
  }
}
