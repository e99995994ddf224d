// Turns the probe's replies into fixture exchanges: the request with its ids replaced by placeholders, the
// status, the headers that matter, the body's shape, and Close's error body (redacted) — never lead data,
// never the key.

import type { Reply } from './client';
import type { Exchange } from './fixture';
import { encodeShape, headersThatMatter, type JsonValue, type Redactor, shapeOf } from './shape';

export class Recorder {
  readonly exchanges: Exchange[] = [];

  constructor(private readonly redactor: Redactor) {}

  /** `requestBody` overrides the body as recorded (e.g. with choice labels replaced by `{choice:0}`). */
  record(
    label: string,
    r: Reply,
    opts: { requestBody?: JsonValue; exact?: boolean; fault?: 429 } = {},
  ): void {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.query)) query[k] = this.redactor.string(v);
    const request: Exchange['request'] = { method: r.method, path: this.redactor.string(r.path) };
    if (Object.keys(query).length > 0) request.query = query;
    const body = opts.requestBody ?? r.body;
    if (body !== undefined) request.body = this.redactor.json(body);
    if (r.auth) request.auth = r.auth;
    // A 429 is Close's answer to load, not to the request: replays make the fake throttle too.
    if (opts.fault) request.fault = opts.fault;
    const response: Exchange['response'] = {
      status: r.status,
      headers: headersThatMatter(r.headers),
    };
    if (r.json !== null) response.shape = encodeShape(shapeOf(r.json));
    if (r.status >= 400 && r.json !== null) response.errorBody = this.redactor.json(r.json);
    const ex: Exchange = { label, request, response };
    if (opts.exact) ex.exact = true;
    this.exchanges.push(ex);
  }
}
