// Query evaluation for POST /data/search/ (Advanced Filtering JSON) and the legacy `query=` string of GET /lead/.
// Unsupported constructs answer 400 with an "fake-close does not support …" message rather than matching
// everything, so a client relying on them fails loudly here instead of silently in production.

import { dateMs, parseDateOnly, parseDateTime } from './ids';
import type { CustomField, JsonObject, JsonValue, SavedSearch } from './types';
import { HttpError, isObject } from './writes';

export type ObjectType = 'lead' | 'contact';
export type Predicate = (doc: JsonObject) => boolean;

const MINUTE_MS = 60_000;

export interface QueryEnv {
  savedSearch(id: string): SavedSearch | undefined;
  /** Hours east of UTC, from the `x-tz-offset` header (half hours allowed). */
  tzOffsetHours: number;
  fieldById(id: string): CustomField | undefined;
}

function bad(message: string): HttpError {
  return new HttpError(400, { errors: [message], 'field-errors': {} });
}

function unsupported(what: string): HttpError {
  return bad(`fake-close does not support ${what}`);
}

/** The object type a query asks for (`object_type` at the top level or inside `and`/saved searches). */
export function queryObjectType(q: unknown, env: QueryEnv, depth = 0): ObjectType | null {
  if (!isObject(q) || depth > 10) return null;
  if (q.type === 'object_type') {
    if (q.object_type === 'lead' || q.object_type === 'contact') return q.object_type;
    throw unsupported(`object_type "${String(q.object_type)}" (only lead and contact)`);
  }
  if (q.type === 'and' && Array.isArray(q.queries)) {
    for (const sub of q.queries) {
      const t = queryObjectType(sub, env, depth + 1);
      if (t) return t;
    }
  }
  if (q.type === 'saved_search' && typeof q.saved_search_id === 'string') {
    const view = env.savedSearch(q.saved_search_id);
    if (view) return queryObjectType(view.s_query.query, env, depth + 1) ?? view.type;
  }
  return null;
}

/** The field's value (or values) on a document. */
function fieldGetter(field: unknown): (doc: JsonObject) => JsonValue | undefined {
  if (!isObject(field)) throw bad('Invalid field_condition: "field" must be an object.');
  if (field.type === 'regular_field' && typeof field.field_name === 'string') {
    const name = field.field_name;
    return (doc) => doc[name];
  }
  if (field.type === 'custom_field' && typeof field.custom_field_id === 'string') {
    const key = `custom.${field.custom_field_id}`;
    return (doc) => doc[key];
  }
  throw unsupported(`field type "${String(field.type)}"`);
}

function values(v: JsonValue | undefined): JsonValue[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function words(s: string): string[] {
  return s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function textMatcher(cond: JsonObject): (v: JsonValue | undefined) => boolean {
  if (typeof cond.value !== 'string') throw bad('Invalid text condition: "value" must be a string.');
  const q = words(cond.value);
  const mode = cond.mode ?? 'full_words';
  return (v) =>
    values(v).some((item) => {
      if (typeof item !== 'string' && typeof item !== 'number') return false;
      const w = words(String(item));
      if (mode === 'full_words') return q.every((x) => w.includes(x));
      if (mode === 'beginning_of_words') return q.every((x) => w.some((y) => y.startsWith(x)));
      if (mode === 'phrase') {
        for (let i = 0; i + q.length <= w.length; i++) if (q.every((x, j) => w[i + j] === x)) return true;
        return q.length === 0;
      }
      throw unsupported(`text mode "${String(mode)}"`);
    });
}

function momentMs(m: JsonValue | undefined, env: QueryEnv): number | null {
  if (m === undefined || m === null) return null;
  if (!isObject(m)) throw bad('Invalid moment.');
  if (m.type === 'fixed_utc' && typeof m.value === 'string') {
    const p = parseDateTime(m.value);
    if (!p) throw bad(`Invalid fixed_utc value: ${m.value}`);
    return p.ms;
  }
  if (m.type === 'fixed_local_date' && typeof m.value === 'string') {
    const day = parseDateOnly(m.value);
    if (day === null) throw bad(`Invalid fixed_local_date value: ${m.value}`);
    const startUtc = day - env.tzOffsetHours * 3_600_000;
    return m.which === 'end' ? startUtc + 86_400_000 : startUtc;
  }
  throw unsupported(`moment type "${String(m.type)}" (fixed_utc and fixed_local_date only)`);
}

function conditionMatcher(cond: unknown, env: QueryEnv): (v: JsonValue | undefined) => boolean {
  if (!isObject(cond)) throw bad('Invalid field_condition: "condition" must be an object.');
  switch (cond.type) {
    case 'text':
      return textMatcher(cond);
    case 'term':
    case 'reference': {
      const list = cond.type === 'term' ? cond.values : cond.object_ids;
      if (!Array.isArray(list)) throw bad(`Invalid ${cond.type} condition: a list is required.`);
      const wanted = new Set(list.map((x) => String(x)));
      return (v) => values(v).some((x) => wanted.has(String(x)));
    }
    case 'moment_range': {
      const from = momentMs(cond.on_or_after, env);
      const before = momentMs(cond.before, env);
      return (v) =>
        values(v).some((x) => {
          const ms = dateMs(x);
          if (Number.isNaN(ms)) return false;
          return (from === null || ms >= from) && (before === null || ms < before);
        });
    }
    case 'number_range': {
      const num = (k: string) => (typeof cond[k] === 'number' ? (cond[k] as number) : null);
      const [gte, gt, lte, lt] = [num('gte'), num('gt'), num('lte'), num('lt')];
      return (v) =>
        values(v).some(
          (x) =>
            typeof x === 'number' &&
            (gte === null || x >= gte) &&
            (gt === null || x > gt) &&
            (lte === null || x <= lte) &&
            (lt === null || x < lt),
        );
    }
    case 'exists':
      return (v) => values(v).some((x) => x !== '');
    default:
      throw unsupported(`condition type "${String(cond.type)}"`);
  }
}

export function compileQuery(q: unknown, env: QueryEnv, depth = 0): Predicate {
  if (depth > 20) throw bad('Query nested too deeply.');
  if (!isObject(q)) throw bad('Invalid query: expected an object.');
  const inner = compileInner(q, env, depth);
  return q.negate === true ? (doc) => !inner(doc) : inner;
}

function compileInner(q: JsonObject, env: QueryEnv, depth: number): Predicate {
  switch (q.type) {
    case 'and':
    case 'or': {
      if (!Array.isArray(q.queries)) throw bad(`Invalid ${q.type} query: "queries" must be a list.`);
      const subs = q.queries.filter((s) => !(isObject(s) && s.type === 'object_type'));
      const preds = subs.map((s) => compileQuery(s, env, depth + 1));
      if (q.type === 'and') return (doc) => preds.every((p) => p(doc));
      return (doc) => preds.some((p) => p(doc));
    }
    case 'object_type':
    case 'match_all':
      return () => true;
    case 'saved_search': {
      const id = q.saved_search_id;
      const view = typeof id === 'string' ? env.savedSearch(id) : undefined;
      if (!view) throw bad(`Saved search ${String(id)} does not exist.`);
      return compileQuery(view.s_query.query, env, depth + 1);
    }
    case 'field_condition': {
      const get = fieldGetter(q.field);
      const match = conditionMatcher(q.condition, env);
      return (doc) => match(get(doc));
    }
    default:
      throw unsupported(`query type "${String(q.type)}"`);
  }
}

/** Comparator for a data/search `sort` list; null when the list is empty. Missing values sort last. */
export function compileSort(sort: unknown): ((a: JsonObject, b: JsonObject) => number) | null {
  if (sort === undefined || sort === null) return null;
  if (!Array.isArray(sort)) throw bad('Invalid sort: expected a list.');
  if (sort.length === 0) return null;
  const keys = sort.map((s) => {
    if (!isObject(s)) throw bad('Invalid sort entry.');
    return { get: fieldGetter(s.field), dir: s.direction === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const k of keys) {
      const c = compareValues(k.get(a), k.get(b));
      if (c.missing) return c.value;
      if (c.value !== 0) return c.value * k.dir;
    }
    return 0;
  };
}

function compareValues(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
): { value: number; missing: boolean } {
  const am = a === undefined || a === null || a === '';
  const bm = b === undefined || b === null || b === '';
  if (am || bm) return { value: am === bm ? 0 : am ? 1 : -1, missing: am !== bm };
  const av = Array.isArray(a) ? a[0] : a;
  const bv = Array.isArray(b) ? b[0] : b;
  if (typeof av === 'number' && typeof bv === 'number') return { value: av - bv, missing: false };
  const ad = dateMs(av);
  const bd = dateMs(bv);
  if (!Number.isNaN(ad) && !Number.isNaN(bd)) return { value: ad - bd, missing: false };
  const as = String(av).toLowerCase();
  const bs = String(bv).toLowerCase();
  return { value: as < bs ? -1 : as > bs ? 1 : 0, missing: false };
}

// ---- legacy `query=` string on GET /lead/ ----------------------------------------------------------------

export interface LegacyQuery {
  predicate: Predicate;
  sort: ((a: JsonObject, b: JsonObject) => number) | null;
  /** `created` / `-created` when sorted by creation date: the store already keeps that order. */
  sortName: string | null;
}

const TOKEN =
  /(date_created|date_updated|created|updated)\s*(>=|<=|>|<)\s*("[^"]*"|\S+)|([\w.]+):("[^"]*"|\S+)|"([^"]*)"|(\S+)/g;

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1) : s;
}

/**
 * Supported: `sort:created|-created|updated|-updated|name|-name`, `date_created|date_updated >, >=, <, <= value`
 * (datetime, or a date read in the `x-tz-offset` zone), `id:lead_…` / `lead_id:…`, `name:` / `company:`
 * (substring), `status:"Label"` / `status_id:stat_…`, `custom.cf_X:value` (equality), bare words and
 * "quoted phrases" (substring of display_name), `AND`. Anything else → 400.
 */
export function compileLegacyQuery(query: string, env: QueryEnv): LegacyQuery {
  const preds: Predicate[] = [];
  let sort: LegacyQuery['sort'] = null;
  let sortName: string | null = null;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(query); m; m = TOKEN.exec(query)) {
    if (m[1]) {
      const field = m[1].startsWith('date_') ? m[1] : `date_${m[1]}`;
      const raw = unquote(m[3]);
      const p = parseDateTime(raw);
      if (!p) throw bad(`Invalid date in query: ${raw}`);
      // A datetime without an offset is read in the x-tz-offset zone: "For requests that include date
      // filters like date_created … you can use the x-tz-offset HTTP header to pass your timezone's UTC
      // offset" (developer.close.com/api/overview/timezone-offsets) — the harsher reading for a client
      // that means UTC and sends the header.
      const local = p.ms - (p.hasOffset ? 0 : env.tzOffsetHours * 3_600_000);
      // The search syntax compares datetimes at the minute: "date_updated>= has precision to the
      // minute" (singer-io/tap-closeio, tap_closeio/streams.py). Read harshly: both sides are truncated
      // to the minute, so `>= 10:05:33` also returns what was created from 10:05:00 on.
      const timed = raw.length > 10;
      const bound = timed ? Math.floor(local / MINUTE_MS) * MINUTE_MS : local;
      const op = m[2];
      preds.push((doc) => {
        const exact = dateMs(doc[field]);
        const v = timed ? Math.floor(exact / MINUTE_MS) * MINUTE_MS : exact;
        if (op === '>') return v > bound;
        if (op === '>=') return v >= bound;
        if (op === '<') return v < bound;
        return v <= bound;
      });
    } else if (m[4]) {
      const key = m[4];
      const value = unquote(m[5]);
      const lower = value.toLowerCase();
      if (key === 'sort') {
        const desc = value.startsWith('-');
        const name = desc ? value.slice(1) : value;
        const fieldName =
          name === 'created'
            ? 'date_created'
            : name === 'updated'
              ? 'date_updated'
              : name === 'name'
                ? 'display_name'
                : null;
        if (!fieldName) throw unsupported(`sort:${value} in query`);
        sortName = value;
        sort = compileSort([
          { direction: desc ? 'desc' : 'asc', field: { type: 'regular_field', field_name: fieldName } },
        ]);
      } else if (key === 'id' || key === 'lead_id') {
        preds.push((doc) => doc.id === value);
      } else if (key === 'name' || key === 'company') {
        preds.push((doc) =>
          String(doc.display_name ?? '')
            .toLowerCase()
            .includes(lower),
        );
      } else if (key === 'status' || key === 'status_label') {
        preds.push((doc) => String(doc.status_label ?? '').toLowerCase() === lower);
      } else if (key === 'status_id') {
        preds.push((doc) => doc.status_id === value);
      } else if (key.startsWith('custom.')) {
        const ref = key.slice('custom.'.length);
        const field = env.fieldById(ref);
        if (!field) throw bad(`Unknown custom field in query: ${ref}`);
        const k = `custom.${field.id}`;
        preds.push((doc) => values(doc[k]).some((x) => String(x).toLowerCase() === lower));
      } else {
        throw unsupported(`"${key}:" in query`);
      }
    } else {
      const phrase = (m[6] ?? m[7] ?? '').toLowerCase();
      if (phrase === 'and' || phrase === '') continue;
      if (phrase === 'or') throw unsupported('OR in query');
      preds.push((doc) =>
        String(doc.display_name ?? '')
          .toLowerCase()
          .includes(phrase),
      );
    }
  }
  return { predicate: (doc) => preds.every((p) => p(doc)), sort, sortName };
}
