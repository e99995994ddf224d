// The SHAPE of a Close response (keys and value types, never values), how two shapes are compared, and the
// redaction that keeps ids, names and the API key out of recorded fixtures. Used by the live probe (which
// records shapes) and by the fixture test (which checks the fake Close against them), so both sides reduce a
// response the same way.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export interface Shape {
  /** The JSON types seen at this place, sorted. */
  types: JsonType[];
  /** Keys of the objects seen here (when `object` is among the types). */
  keys?: Record<string, Shape>;
  /** The merged shape of the items of the arrays seen here (absent when every array was empty). */
  items?: Shape;
  /** Set on a key that only some of the objects merged here had. */
  optional?: boolean;
}

/**
 * Custom field keys name the organization's fields (`custom.cf_…`, legacy `custom.lcf_…`): every org has
 * other ids, so they collapse to one key whose type is the union of the values seen.
 */
export function normalizeKey(key: string): string {
  return key.replace(/^custom\.l?cf_[A-Za-z0-9]+/, 'custom.cf_*');
}

function typeOf(v: JsonValue): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as 'boolean' | 'number' | 'string' | 'object';
}

/**
 * The shape of a JSON value. The deprecated `custom` dict is keyed by field NAME (org data: Airbyte's 2023
 * records show `"custom": {"Industry": …}`), so its keys collapse to `*` like custom field ids do.
 */
export function shapeOf(v: JsonValue, parentKey = ''): Shape {
  const t = typeOf(v);
  if (t === 'array') {
    let items: Shape | undefined;
    for (const item of v as JsonValue[]) {
      const s = shapeOf(item);
      items = items ? mergeShapes(items, s) : s;
    }
    return items ? { types: ['array'], items } : { types: ['array'] };
  }
  if (t === 'object') {
    const keys: Record<string, Shape> = {};
    for (const [k, value] of Object.entries(v as Record<string, JsonValue>)) {
      const nk = parentKey === 'custom' ? '*' : normalizeKey(k);
      const s = shapeOf(value, k);
      keys[nk] = keys[nk] ? mergeShapes(keys[nk], s) : s;
    }
    return { types: ['object'], keys };
  }
  return { types: [t] };
}

/** The union of two shapes: a key only one side's objects had becomes optional. */
export function mergeShapes(a: Shape, b: Shape): Shape {
  const types = [...new Set([...a.types, ...b.types])].sort() as JsonType[];
  const out: Shape = { types };
  if (a.keys || b.keys) {
    const keys: Record<string, Shape> = {};
    const names = new Set([...Object.keys(a.keys ?? {}), ...Object.keys(b.keys ?? {})]);
    for (const k of [...names].sort()) {
      const x = a.keys?.[k];
      const y = b.keys?.[k];
      if (x && y) {
        keys[k] = mergeShapes(x, y);
        if (x.optional || y.optional) keys[k].optional = true;
      } else {
        // Only optional when the other side had objects too: an object merged with a null keeps its keys.
        const other = x ? b : a;
        const only = { ...(x ?? y)! };
        if (other.keys) only.optional = true;
        keys[k] = only;
      }
    }
    out.keys = keys;
  }
  if (a.items && b.items) out.items = mergeShapes(a.items, b.items);
  else if (a.items || b.items) out.items = a.items ?? b.items;
  return out;
}

export interface CompareOptions {
  /** Paths (`data[].tasks`, `organizations[].pipelines`) whose subtree is not compared, each with why. */
  notModelled?: Record<string, string>;
  /** Also report keys the fake sends that Close did not (recorded answers; docs samples may abbreviate). */
  strictExtraKeys?: boolean;
}

/**
 * Where `actual` (the fake) differs from `expected` (Close). A key Close sent is missing → difference (unless
 * Close itself sent it only sometimes); a type the fake sends that Close never did → difference, except:
 * - where Close only ever showed `null` (a null sample says nothing of the type);
 * - `null` itself: the fake may send null where a sample showed a value (the harsher reading — one sample
 *   does not promise a value, and the add-on must cope with null);
 * - custom field values (`custom.cf_*`, the legacy dict's `*`): their types are the organization's field
 *   types (text, number, choices…), which differ between any two orgs; only their presence is compared.
 */
export function compareShapes(
  expected: Shape,
  actual: Shape,
  opts: CompareOptions = {},
  path = '',
): string[] {
  const out: string[] = [];
  const here = path || '(body)';
  if (opts.notModelled && path in opts.notModelled) return out;
  if (/(^|\.)(custom\.cf_\*|\*)$/.test(path)) return out;
  const onlyNull = expected.types.length === 1 && expected.types[0] === 'null';
  if (!onlyNull) {
    const extra = actual.types.filter((t) => t !== 'null' && !expected.types.includes(t));
    if (extra.length > 0)
      out.push(
        `${here}: Close sends ${expected.types.join(' | ')}, the fake sends ${actual.types.join(' | ')}`,
      );
  }
  if (expected.keys && actual.keys) {
    for (const [k, es] of Object.entries(expected.keys)) {
      const p = path ? `${path}.${k}` : k;
      const as = actual.keys[k];
      if (!as) {
        if (!es.optional && !(opts.notModelled && p in opts.notModelled))
          out.push(`${p}: Close sends this key, the fake does not`);
        continue;
      }
      out.push(...compareShapes(es, as, opts, p));
    }
    if (opts.strictExtraKeys) {
      for (const [k, as] of Object.entries(actual.keys)) {
        const p = path ? `${path}.${k}` : k;
        if (!(k in expected.keys) && !as.optional && !(opts.notModelled && p in opts.notModelled))
          out.push(`${p}: the fake sends this key, Close does not`);
      }
    }
  }
  if (expected.items && actual.items)
    out.push(...compareShapes(expected.items, actual.items, opts, `${path}[]`));
  return out;
}

// ---- headers -----------------------------------------------------------------------------------------------

/** The response headers the add-on's design rests on (rate budgets and the body's type). */
export const HEADERS_THAT_MATTER = [
  'content-type',
  'ratelimit',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'retry-after',
  'x-rate-limit-limit',
  'x-rate-limit-remaining',
  'x-rate-limit-reset',
] as const;

/** Only the headers that matter, names lower-cased (fetch and the fake disagree on case). */
export function headersThatMatter(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if ((HEADERS_THAT_MATTER as readonly string[]).includes(name)) out[name] = v;
  }
  return out;
}

/** A header's format with its numbers blanked: `limit=320, remaining=0, reset=0.596` → `limit=N, remaining=N, reset=N`. */
export function headerSkeleton(value: string): string {
  return value.replace(/\d+(\.\d+)?/g, 'N');
}

// ---- redaction ---------------------------------------------------------------------------------------------

/** Close object ids: `<prefix>_` + base62 (43 characters for core objects, 22 for newer ones). */
const ID_RE =
  /\b(lead|cont|oppo|user|orga|stat|cf|lcf|save|memb|pipe|acti|actitype|ev|req|emailacct|phon|role|task|noti|apikey|cotype|custobj)_[A-Za-z0-9]{8,}\b/g;

/**
 * Replaces what must not be recorded. Known ids and names (those the probe put in its own requests) become
 * their placeholder (`{lead_id}`, `{cf_lead_multi}`), which the fixture test binds to the fake's ids; any other
 * id becomes `{<prefix>}`; the API key becomes `{api_key}`.
 */
export class Redactor {
  private readonly table = new Map<string, string>();

  constructor(private readonly secret = '') {}

  add(value: string, placeholder: string): void {
    if (value) this.table.set(value, placeholder);
  }

  string(s: string): string {
    let out = s;
    if (this.secret) out = out.split(this.secret).join('{api_key}');
    // Longest first, so an id that contains another is replaced whole.
    for (const [value, placeholder] of [...this.table].sort((a, b) => b[0].length - a[0].length))
      out = out.split(value).join(placeholder);
    return out.replace(ID_RE, (_m, prefix: string) => `{${prefix}}`);
  }

  json(v: JsonValue): JsonValue {
    if (typeof v === 'string') return this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.json(x));
    if (v && typeof v === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [k, value] of Object.entries(v)) out[this.string(k)] = this.json(value);
      return out;
    }
    return v;
  }
}

// ---- compact form (what fixture files hold) ----------------------------------------------------------------

/** `"string|null"` for a leaf (`"?string"` when optional); an object for objects and arrays. */
export type CompactShape =
  | string
  | { types: string; optional?: true; keys?: Record<string, CompactShape>; items?: CompactShape };

export function encodeShape(s: Shape): CompactShape {
  const types = s.types.join('|');
  if (!s.keys && !s.items) return `${s.optional ? '?' : ''}${types}`;
  const out: Exclude<CompactShape, string> = { types };
  if (s.optional) out.optional = true;
  if (s.keys) {
    out.keys = {};
    for (const [k, v] of Object.entries(s.keys)) out.keys[k] = encodeShape(v);
  }
  if (s.items) out.items = encodeShape(s.items);
  return out;
}

export function decodeShape(c: CompactShape): Shape {
  if (typeof c === 'string') {
    const optional = c.startsWith('?');
    const s: Shape = { types: (optional ? c.slice(1) : c).split('|') as JsonType[] };
    if (optional) s.optional = true;
    return s;
  }
  const s: Shape = { types: c.types.split('|') as JsonType[] };
  if (c.optional) s.optional = true;
  if (c.keys) {
    s.keys = {};
    for (const [k, v] of Object.entries(c.keys)) s.keys[k] = decodeShape(v);
  }
  if (c.items !== undefined) s.items = decodeShape(c.items);
  return s;
}
