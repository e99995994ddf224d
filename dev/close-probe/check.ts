// Replays a fixture (fixture.ts) against the fake Close and lists where the fake's answers differ from the
// recorded ones: status, the headers that matter (their format, numbers blanked), the body's keys and types,
// and — where the exchange says `exact` — Close's error text. Placeholders in the recorded requests are bound to
// the fake org's ids by the same rules the probe used to pick them (questions.ts).

import type { FakeClose } from '../fake-close';
import { type Field, MISSING_IDS, pickObjectWithValue, SCRATCH_MULTI_FIELD } from './questions';
import type { Exchange, Fixture } from './fixture';
import {
  compareShapes,
  decodeShape,
  headerSkeleton,
  headersThatMatter,
  type JsonValue,
  Redactor,
  type Shape,
  shapeOf,
} from './shape';

const BASE = 'https://api.close.com/api/v1';
export const FIXTURE_SCRATCH_NAME = 'Close Sync probe fixture';

interface Sent {
  status: number;
  headers: Record<string, string>;
  json: JsonValue | null;
}

type Obj = Record<string, JsonValue>;
const obj = (v: JsonValue | null | undefined): Obj =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};

/** Binds `{placeholders}` to the fake's ids, lazily (creating the scratch lead only when a fixture needs it). */
class Bindings {
  readonly values = new Map<string, string>();
  private readonly resolvers: Record<string, () => string | undefined>;

  constructor(
    private readonly fake: FakeClose,
    private readonly key: string,
  ) {
    const get = (path: string) => this.send('GET', path).json;
    const schema = (type: string) =>
      (obj(get(`/custom_field_schema/${type}/`)).fields as unknown as Field[] | undefined) ?? [];
    const withValue = (type: 'contact' | 'opportunity') => {
      const data = obj(get(`/${type}/?_limit=100&_fields=id,custom`)).data;
      return pickObjectWithValue(Array.isArray(data) ? data : [], schema(type));
    };
    const multi = () => schema('lead').find(SCRATCH_MULTI_FIELD);
    this.resolvers = {
      '{name:scratch}': () => FIXTURE_SCRATCH_NAME,
      '{lead:scratch}': () => {
        const r = this.send('POST', '/lead/', { name: FIXTURE_SCRATCH_NAME });
        return typeof obj(r.json).id === 'string' ? String(obj(r.json).id) : undefined;
      },
      '{user:me}': () => String(obj(get('/me/')).id ?? ''),
      '{orga:me}': () =>
        String(obj((obj(get('/me/')).organizations as JsonValue[] | undefined)?.[0]).id ?? ''),
      '{cf:lead-multi}': () => multi()?.id,
      '{choice:0}': () => multi()?.choices?.[0],
      '{choice:1}': () => multi()?.choices?.[1],
      '{choice:2}': () => multi()?.choices?.[2],
      '{cf:contact}': () => withValue('contact')?.field.id,
      '{contact:with-value}': () => withValue('contact')?.id,
      '{cf:opportunity}': () => withValue('opportunity')?.field.id,
      '{opportunity:with-value}': () => withValue('opportunity')?.id,
      '{smart_view}': () => {
        const data = obj(get('/saved_search/?_limit=100')).data;
        const view = (Array.isArray(data) ? data : [])
          .map(obj)
          .find((v) => v.type === undefined || v.type === 'lead');
        return typeof view?.id === 'string' ? view.id : undefined;
      },
    };
    for (const [placeholder, id] of Object.entries(MISSING_IDS)) this.values.set(placeholder, id);
  }

  send(method: string, path: string, body?: JsonValue, opts: { auth?: 'invalid' } = {}): Sent {
    const key = opts.auth === 'invalid' ? 'api_close_sync_probe_not_a_key' : this.key;
    const res = this.fake.handle({
      method,
      url: `${BASE}${path}`,
      headers: {
        Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : '',
    });
    let json: JsonValue | null = null;
    try {
      json = res.body ? (JSON.parse(res.body) as JsonValue) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, json };
  }

  /** Replaces every placeholder in `s`; unknown ones are reported. */
  string(s: string, missing: Set<string>): string {
    return s.replace(/\{[a-z_]+(?::[a-z0-9-]+)?\}/g, (ph) => {
      if (!this.values.has(ph)) {
        const v = this.resolvers[ph]?.();
        if (v === undefined || v === '') {
          missing.add(ph);
          return ph;
        }
        this.values.set(ph, v);
      }
      return this.values.get(ph)!;
    });
  }

  json(v: JsonValue, missing: Set<string>): JsonValue {
    if (typeof v === 'string') return this.string(v, missing);
    if (Array.isArray(v)) return v.map((x) => this.json(x, missing));
    if (v && typeof v === 'object') {
      const out: Obj = {};
      for (const [k, value] of Object.entries(v)) out[this.string(k, missing)] = this.json(value, missing);
      return out;
    }
    return v;
  }

  /** The fake's ids back to placeholders, for comparing error texts. */
  redactor(): Redactor {
    const r = new Redactor();
    for (const [ph, v] of this.values) if (!ph.startsWith('{choice:') && ph !== '{cursor}') r.add(v, ph);
    return r;
  }
}

/** Marks `path` (`total_results`, `data[].url`) optional in an expected shape. */
function markOptional(shape: Shape, path: string): void {
  const parts = path.split('.');
  let s: Shape | undefined = shape;
  for (let i = 0; i < parts.length && s; i++) {
    let name = parts[i];
    const arrays = name.endsWith('[]');
    if (arrays) name = name.slice(0, -2);
    const next: Shape | undefined = s.keys?.[name];
    if (!next) return;
    if (i === parts.length - 1) next.optional = true;
    s = arrays ? next.items : next;
  }
}

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(v)) return v.map((x) => sortKeys(x) as JsonValue);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Obj)[k]) as JsonValue]),
    );
  return v;
}

function compareExchange(ex: Exchange, sent: Sent, live: boolean, bindings: Bindings): string[] {
  const out: string[] = [];
  const where = `${ex.request.method} ${ex.request.path} (${ex.label})`;
  if (sent.status !== ex.response.status)
    out.push(`${where}: status ${ex.response.status} in the fixture, ${sent.status} from the fake`);
  const fakeHeaders = headersThatMatter(sent.headers);
  for (const [name, value] of Object.entries(ex.response.headers)) {
    const mine = fakeHeaders[name];
    if (mine === undefined) out.push(`${where}: header ${name} ("${value}") missing from the fake`);
    else if (headerSkeleton(mine) !== headerSkeleton(value))
      out.push(
        `${where}: header ${name} is "${value}" in the fixture, "${mine}" from the fake (format differs)`,
      );
  }
  if (live) {
    for (const name of Object.keys(fakeHeaders))
      if (!(name in ex.response.headers)) out.push(`${where}: the fake sends header ${name}, Close did not`);
  }
  const expected: Shape | null =
    ex.response.shape !== undefined
      ? decodeShape(ex.response.shape)
      : ex.response.body !== undefined
        ? shapeOf(ex.response.body)
        : null;
  if (expected) {
    for (const path of Object.keys(ex.optionalKeys ?? {})) markOptional(expected, path);
    if (sent.json === null) out.push(`${where}: the fake's body is not JSON`);
    else
      for (const d of compareShapes(expected, shapeOf(sent.json), {
        notModelled: ex.notModelled,
        strictExtraKeys: live,
      }))
        out.push(`${where}: ${d}`);
  }
  if (ex.exact) {
    const want = ex.response.errorBody ?? ex.response.body;
    const got = sent.json === null ? null : bindings.redactor().json(sent.json);
    if (!deepEqual(want, got ?? undefined))
      out.push(`${where}: body ${JSON.stringify(want)} in the fixture, ${JSON.stringify(got)} from the fake`);
  }
  return out;
}

/** Every difference between the fixture and the fake's answers to the same requests ([] = the fake agrees). */
export function checkFixture(fixture: Fixture, fake: FakeClose, apiKey: string): string[] {
  const bindings = new Bindings(fake, apiKey);
  const out: string[] = [];
  const live = fixture.recorded !== 'docs';
  for (const ex of fixture.exchanges) {
    const missing = new Set<string>();
    const path = bindings.string(ex.request.path, missing);
    const query = Object.entries(ex.request.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(bindings.string(v, missing))}`)
      .join('&');
    const body = ex.request.body !== undefined ? bindings.json(ex.request.body, missing) : undefined;
    if (missing.size > 0) {
      out.push(
        `${ex.request.method} ${ex.request.path} (${ex.label}): the fake org cannot supply ${[...missing].join(', ')}`,
      );
      continue;
    }
    if (ex.request.fault)
      fake.injectFaults([{ status: ex.request.fault, match: { method: ex.request.method } }]);
    const sent = bindings.send(ex.request.method, `${path}${query ? `?${query}` : ''}`, body, {
      auth: ex.request.auth,
    });
    // What the next requests may refer to: a search cursor, a lead the fixture itself created.
    const reply = obj(sent.json);
    if (typeof reply.cursor === 'string') bindings.values.set('{cursor}', reply.cursor);
    if (ex.request.method === 'POST' && ex.request.path === '/lead/' && typeof reply.id === 'string')
      bindings.values.set('{lead:scratch}', reply.id);
    out.push(...compareExchange(ex, sent, live, bindings));
  }
  return out;
}
