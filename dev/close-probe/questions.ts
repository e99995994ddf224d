// The questions the add-on's design rests on, each asked of Close with as few requests as answer it. Every
// question records its exchanges (recorder.ts) and returns a one-line answer and its evidence. A question the
// server cannot answer (a 404/405 route) says "not supported by this server";
// one the organization cannot answer (no multi-value field) says "not answered: …" — neither fails the run.
//
// Close's documentation for each question is cited beside it (developer.close.com; stored copies checked with
// the search tool, see /work/shared/reference/close-api.md §10 for the corrections that override older notes).

import { type Reply, ProbeFailure, type ProbeClient } from './client';
import type { Recorder } from './recorder';
import type { JsonValue, Redactor } from './shape';
// The push's conflict-check search, as the product builds it: the probe asks Close about that very body.
import { batchedReadBody } from '../../src/core/sync/batched-read';

export interface Field {
  id: string;
  name: string;
  type: string;
  accepts_multiple_values?: boolean;
  choices?: string[] | null;
}

export interface Ctx {
  client: ProbeClient;
  redactor: Redactor;
  sleep(ms: number): Promise<void>;
  now(): number;
  cursorWaitS: number;
  pollS: number;
  startedAt: number;
  me?: { id: string; orgId: string };
  schema: { lead?: Field[]; contact?: Field[]; opportunity?: Field[] };
  scratch?: { id: string; name: string; dateCreated: string };
  /** A `query=` fragment that finds the scratch lead (once Close's search index has it). */
  scratchFilter?: string;
}

export interface Result {
  answer: string;
  evidence: string;
}

export interface Question {
  id: string;
  ask: string;
  run(ctx: Ctx, rec: Recorder): Promise<Result>;
}

/** A route this server does not have (404/405 on a collection path). */
export class NotSupported extends Error {}

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue | null | undefined): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function list(v: JsonValue | null | undefined): JsonValue[] {
  return Array.isArray(v) ? v : [];
}

function errorText(r: Reply): string {
  const j = obj(r.json);
  if (typeof j.error === 'string') return j.error;
  if (typeof j.message === 'string') return j.message;
  const errs = list(j.errors).filter((e): e is string => typeof e === 'string');
  const fe = obj(j['field-errors']);
  const parts = [
    ...errs,
    ...Object.entries(fe).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`),
  ];
  return parts.length > 0 ? parts.join('; ') : r.text.slice(0, 200);
}

function ensureRoute(r: Reply, what: string): void {
  if (r.status === 404 || r.status === 405) {
    const body = obj(r.json);
    // An object 404 ("Empty query: … does not exist.") is an answer; a route 404 means no such endpoint here.
    if (typeof body.error !== 'string' || !body.error.startsWith('Empty query'))
      throw new NotSupported(`${what} → ${r.status}`);
  }
}

const short = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// ---- date strings ------------------------------------------------------------------------------------------

/** Close's datetime: `2013-02-01T00:54:51.333000+00:00` (6-digit fraction, `+00:00`). */
export function parseCloseDate(s: string): { ms: number; micro: number } | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/.exec(s);
  if (!m) return null;
  const frac = (m[2] ?? '').padEnd(6, '0');
  const base = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (Number.isNaN(base)) return null;
  return { ms: base + Number(frac.slice(0, 3)), micro: Number(frac.slice(3, 6)) };
}

/** `ms` (+ microseconds) as Close writes it, in the given offset (minutes east of UTC). */
export function formatCloseDate(ms: number, micro = 0, offsetMin = 0, fraction = true, z = false): string {
  const d = new Date(ms + offsetMin * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  const frac = fraction ? `.${p(d.getUTCMilliseconds(), 3)}${p(micro, 3)}` : '';
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const off = z && offsetMin === 0 ? 'Z' : `${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
  return `${date}T${time}${frac}${off}`;
}

// ---- the questions -----------------------------------------------------------------------------------------

const me: Question = {
  id: 'me',
  ask: 'GET /me/: the key works; organizations as objects',
  async run(ctx, rec) {
    // developer.close.com/api/resources/users ("Fetch information about yourself").
    const r = await ctx.client.call('GET', '/me/');
    if (r.status === 401)
      throw new ProbeFailure(
        `Close rejected CLOSE_API_KEY (401: ${short(errorText(r))}). Copy the whole key from Close → Settings → ` +
          'Developer → API Keys (of a SANDBOX organization) and try again.',
      );
    const body = obj(r.json);
    const orgs = list(body.organizations);
    const org = obj(orgs[0]);
    if (typeof body.id === 'string' && typeof org.id === 'string') {
      ctx.me = { id: body.id, orgId: org.id };
      ctx.redactor.add(body.id, '{user:me}');
      ctx.redactor.add(org.id, '{orga:me}');
    }
    rec.record('the key owner', r);
    return {
      answer:
        r.status === 200
          ? `yes: organizations is a list of ${orgs.length} ${typeof orgs[0]}`
          : `HTTP ${r.status}`,
      evidence: `GET /me/ → ${r.status}; keys: ${Object.keys(body).length}`,
    };
  },
};

const rateLimitHeader: Question = {
  id: 'rate-limit-header',
  ask: 'The RateLimit header: format and separator',
  async run(ctx, rec) {
    // developer.close.com/api/overview/rate-limits: limits per endpoint group, per key and per organization (3×);
    // Close's own client reads `RateLimit: limit=100, remaining=0, reset=1` (closeio/closeio-api tests/test_api.py).
    const r = await ctx.client.call('GET', '/lead/', { query: { _limit: 1, _fields: 'id' } });
    rec.record('one lead id, for the headers', r);
    const v = r.headers.ratelimit;
    const legacy = Object.keys(r.headers).filter((h) => h.startsWith('x-rate-limit-'));
    if (!v)
      return {
        answer: 'no RateLimit header',
        evidence: `GET /lead/ → ${r.status}; legacy headers: ${legacy.join(', ') || 'none'}`,
      };
    const sep = v.includes(';') ? ';' : v.includes(',') ? ',' : '(none)';
    return {
      answer: `RateLimit: ${v.replace(/\d+(\.\d+)?/g, 'N')} (separator "${sep}")`,
      evidence: `GET /lead/ → RateLimit: ${v}; X-Rate-Limit-*: ${legacy.length > 0 ? 'sent' : 'not sent'}`,
    };
  },
};

const customFieldSchema: Question = {
  id: 'custom-field-schema',
  ask: 'GET /custom_field_schema/{lead,contact,opportunity}/',
  async run(ctx, rec) {
    // developer.close.com/api/resources/custom-fields/custom-field-schemas: "all (regular and shared) Custom
    // Fields that belong on a given object … in the specific order that you've defined".
    const parts: string[] = [];
    for (const type of ['lead', 'contact', 'opportunity'] as const) {
      const r = await ctx.client.call('GET', `/custom_field_schema/${type}/`);
      rec.record(`${type} schema`, r);
      if (r.status !== 200) {
        parts.push(`${type}: HTTP ${r.status}`);
        continue;
      }
      const fields = list(obj(r.json).fields).map((f) => obj(f) as unknown as Field);
      ctx.schema[type] = fields;
      const multi = fields.filter((f) => f.accepts_multiple_values).length;
      parts.push(`${type}: ${fields.length} fields (${multi} multi-value)`);
    }
    return { answer: parts.join('; '), evidence: 'keys of the reply: see the fixture' };
  },
};

const scratchLead: Question = {
  id: 'scratch-lead',
  ask: 'POST /lead/ a scratch lead (deleted at the end): date_created format',
  async run(ctx, rec) {
    const name = `Close Sync probe ${new Date(ctx.now()).toISOString()}`;
    ctx.redactor.add(name, '{name:scratch}');
    const r = await ctx.client.call('POST', '/lead/', { body: { name } });
    const body = obj(r.json);
    if (r.status !== 200 && r.status !== 201)
      throw new ProbeFailure(`Could not create the scratch lead: HTTP ${r.status} ${short(errorText(r))}`);
    const id = String(body.id);
    ctx.redactor.add(id, '{lead:scratch}');
    ctx.scratch = { id, name, dateCreated: String(body.date_created) };
    rec.record('create the scratch lead', r);
    return {
      answer: `created (HTTP ${r.status}); date_created like ${String(body.date_created).replace(/\d/g, '9')}`,
      evidence: `POST /lead/ {name} → ${r.status}`,
    };
  },
};

/** The largest n in [ok, bad) for which `accepts(n)`, by bisection (accepts(ok) is true, accepts(bad) false). */
async function bisect(ok: number, bad: number, accepts: (n: number) => Promise<boolean>): Promise<number> {
  while (bad - ok > 1) {
    const mid = Math.floor((ok + bad) / 2);
    if (await accepts(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}

/** Climbs `candidates` until one is refused, then bisects: the largest accepted value (or null if all pass). */
async function findMax(
  candidates: number[],
  accepts: (n: number) => Promise<Reply>,
): Promise<{ max: number | null; refused?: Reply; lastOk?: Reply; firstRefused?: number }> {
  let ok = 0;
  let lastOk: Reply | undefined;
  for (const c of candidates) {
    const r = await accepts(c);
    if (r.status === 200) {
      ok = c;
      lastOk = r;
      continue;
    }
    if (r.status !== 400) throw new ProbeFailure(`unexpected HTTP ${r.status}: ${short(errorText(r))}`);
    let refused = r;
    const max = await bisect(ok, c, async (n) => {
      const x = await accepts(n);
      if (x.status === 200) lastOk = x;
      else refused = x;
      return x.status === 200;
    });
    // The refusal recorded is the one just past the cap.
    const atCap = await accepts(max + 1);
    if (atCap.status === 400) refused = atCap;
    return { max, refused, lastOk, firstRefused: max + 1 };
  }
  return { max: null, lastOk };
}

const leadLimitMax: Question = {
  id: 'lead-limit-max',
  ask: 'The largest _limit of GET /lead/, and the 400 past it',
  async run(ctx, rec) {
    // developer.close.com/api/overview/pagination: "there is a maximum limit that can vary per resource. You
    // will get a 400 response with an appropriate message if you exceed it."
    const ask = (n: number) => ctx.client.call('GET', '/lead/', { query: { _limit: n, _fields: 'id' } });
    const found = await findMax([100, 200, 250, 500, 1000, 5000], ask);
    if (found.lastOk) rec.record(`_limit=${found.max ?? 'largest tried'} (accepted)`, found.lastOk);
    if (found.refused) rec.record(`_limit=${found.firstRefused} (refused)`, found.refused, { exact: true });
    // A server may also cap a page silently: an accepted _limit that comes back shorter while has_more is true.
    const page = list(obj(found.lastOk?.json).data).length;
    const more = obj(found.lastOk?.json).has_more === true;
    const served = `${page} lead(s) came back${more ? ' with has_more' : ''}`;
    const silent = more && found.max !== null && page < found.max ? ` — silently capped at ${page}` : '';
    if (found.max === null)
      return {
        answer: `no 400 up to 5000${more && page < 5000 ? ` — silently capped at ${page}` : ''}`,
        evidence: `_limit=5000: ${served}`,
      };
    return {
      answer: `${found.max}${silent}; past it: 400 "${short(errorText(found.refused!))}"`,
      evidence: `GET /lead/?_limit=${found.max} → 200 (${served}), _limit=${found.max + 1} → 400`,
    };
  },
};

const skipCap: Question = {
  id: 'skip-cap',
  ask: 'The _skip cap of GET /lead/ and its exact message',
  async run(ctx, rec) {
    // developer.close.com/api/overview/pagination: "Close API has a maximum _skip limit which varies per
    // resource." The one real message on record (airbytehq/airbyte#20959, /activity/email/) does not name _skip.
    const ask = (n: number) =>
      ctx.client.call('GET', '/lead/', { query: { _skip: n, _limit: 1, _fields: 'id' } });
    const found = await findMax([1000, 10_000, 50_000, 100_000, 250_000, 1_000_000, 10_000_000], ask);
    if (found.lastOk) rec.record(`_skip=${found.max ?? 'largest tried'} (accepted)`, found.lastOk);
    if (found.refused) rec.record(`_skip=${found.firstRefused} (refused)`, found.refused, { exact: true });
    if (found.max === null) return { answer: 'no cap up to 10,000,000', evidence: '_skip=10000000 → 200' };
    return {
      answer: `max _skip = ${found.max}; past it: 400 "${short(errorText(found.refused!), 200)}"`,
      evidence: `GET /lead/?_skip=${found.max}&_limit=1 → 200, _skip=${found.max + 1} → 400`,
    };
  },
};

const totalResults: Question = {
  id: 'total-results',
  ask: 'Does GET /lead/ send total_results (without and with query=)?',
  async run(ctx, rec) {
    // The List Leads sample shows `"total_results": 1` (developer.close.com/api/resources/leads/list); the
    // OpenAPI spec does not list it; query= is deprecated (changelog 2022-02-14) but still served.
    const plain = await ctx.client.call('GET', '/lead/', { query: { _limit: 1, _fields: 'id' } });
    rec.record('without query=', plain);
    const q = await ctx.client.call('GET', '/lead/', {
      query: { _limit: 1, _fields: 'id', query: 'sort:created' },
    });
    rec.record('with query=sort:created', q);
    const has = (r: Reply) => (typeof obj(r.json).total_results === 'number' ? 'yes' : 'no');
    return {
      answer: `without query=: ${has(plain)}; with query=: ${has(q)}`,
      evidence: `GET /lead/?_limit=1 → total_results ${has(plain)}; &query=sort:created → ${has(q)}`,
    };
  },
};

const fieldsCustom: Question = {
  id: 'fields-custom',
  ask: 'Does _fields=custom return every custom field of a lead?',
  async run(ctx, rec) {
    // developer.close.com/api/resources/leads: "When using the _fields parameter, specify custom to show all
    // custom fields."
    const full = await ctx.client.call('GET', '/lead/', { query: { _limit: 25 } });
    rec.record('25 whole leads', full);
    const cut = await ctx.client.call('GET', '/lead/', { query: { _limit: 25, _fields: 'id,custom' } });
    rec.record('the same 25 with _fields=id,custom', cut);
    const keysOf = (l: Obj) =>
      Object.keys(l)
        .filter((k) => k.startsWith('custom.'))
        .sort()
        .join(',');
    const byId = new Map(list(obj(cut.json).data).map((l) => [String(obj(l).id), obj(l)]));
    let same = 0;
    let differ = 0;
    let values = 0;
    for (const l of list(obj(full.json).data).map(obj)) {
      const other = byId.get(String(l.id));
      if (!other) continue;
      values += keysOf(l) ? keysOf(l).split(',').length : 0;
      if (keysOf(l) === keysOf(other)) same++;
      else differ++;
    }
    const legacyDict = list(obj(cut.json).data).some((l) => 'custom' in obj(l));
    if (same + differ === 0) return { answer: 'not answered: no leads', evidence: 'GET /lead/ → no data' };
    return {
      answer:
        differ === 0
          ? `yes: the same custom.cf_… keys on all ${same} leads${legacyDict ? ' (plus the deprecated custom dict)' : ''}`
          : `no: ${differ} of ${same + differ} leads differ`,
      evidence: `${values} custom values compared, whole lead vs _fields=id,custom`,
    };
  },
};

async function findScratchFilter(ctx: Ctx): Promise<string | null> {
  const s = ctx.scratch!;
  // The search syntax of query= (Close's UI search bar); the index may lag a new lead by a few seconds.
  const candidates = [`lead_id:${s.id}`, `id:${s.id}`, `name:"${s.name}"`];
  const deadline = ctx.now() + ctx.pollS * 1000;
  for (;;) {
    for (const f of candidates) {
      const r = await ctx.client.call('GET', '/lead/', { query: { query: f, _fields: 'id', _limit: 5 } });
      if (r.status === 200 && list(obj(r.json).data).some((l) => obj(l).id === s.id)) return f;
    }
    if (ctx.now() >= deadline) return null;
    await ctx.sleep(2000);
  }
}

const dateWindow: Question = {
  id: 'date-window',
  ask: 'date_created >= "…" windows: microseconds, offsets, precision, ascending sort:created',
  async run(ctx, rec) {
    // developer.close.com/api/overview/pagination ("Deep Pagination"): page by date_created windows. Stitch's
    // Close tap reports minute precision for date_updated >= (reference close-api.md §10).
    const s = ctx.scratch!;
    const filter = await findScratchFilter(ctx);
    if (!filter)
      return {
        answer: `not answered: the scratch lead never showed up in query= results within ${ctx.pollS} s`,
        evidence: 'tried lead_id:, id: and name:"…"',
      };
    ctx.scratchFilter = filter;
    const t = parseCloseDate(s.dateCreated);
    if (!t)
      return { answer: `not answered: date_created "${s.dateCreated}" is not Close's format`, evidence: '' };
    const variants: Array<[string, string, string]> = [
      ['exact', '>=', formatCloseDate(t.ms, t.micro)],
      ['1 ms before, strict >', '>', formatCloseDate(t.ms - 1, t.micro)],
      ['1 ms after', '>=', formatCloseDate(t.ms + 1, t.micro)],
      ['as +05:30', '>=', formatCloseDate(t.ms, t.micro, 330)],
      ['no fraction (second floor)', '>=', formatCloseDate(Math.floor(t.ms / 1000) * 1000, 0, 0, false)],
      ['Z suffix', '>=', formatCloseDate(t.ms, t.micro, 0, true, true)],
    ];
    const found: Record<string, string> = {};
    for (const [label, op, value] of variants) {
      const query = `${filter} date_created ${op} "${value}"`;
      const r = await ctx.client.call('GET', '/lead/', {
        query: { query, _fields: 'id,date_created', _limit: 5 },
      });
      rec.record(`${label}: date_created ${op} "…"`, r);
      found[label] =
        r.status !== 200
          ? `400 "${short(errorText(r), 80)}"`
          : list(obj(r.json).data).some((l) => obj(l).id === s.id)
            ? 'found'
            : 'not found';
    }
    const asc = await ctx.client.call('GET', '/lead/', {
      query: {
        query: 'date_created >= "2000-01-01T00:00:00+00:00" sort:created',
        _fields: 'id,date_created',
        _limit: 5,
      },
    });
    rec.record('ascending sort:created', asc);
    const dates = list(obj(asc.json).data).map((l) => parseCloseDate(String(obj(l).date_created)));
    const ascending = dates.every(
      (d, i) =>
        i === 0 ||
        (d && dates[i - 1] && d.ms * 1000 + d.micro >= dates[i - 1]!.ms * 1000 + dates[i - 1]!.micro),
    );
    const precise = found['1 ms before, strict >'] === 'found' && found['1 ms after'] === 'not found';
    const coarse = found['1 ms before, strict >'] === 'not found' || found['1 ms after'] === 'found';
    const precision = precise
      ? 'sub-second (≤ 1 ms)'
      : coarse
        ? 'coarser than 1 ms (bound truncated)'
        : 'unclear';
    return {
      answer:
        `precision: ${precision}; offsets: ${found['as +05:30'] === 'found' ? 'honoured' : found['as +05:30']}; ` +
        `sort:created ascending: ${asc.status !== 200 ? `HTTP ${asc.status}` : dates.length < 2 ? 'not answered (< 2 leads)' : ascending ? 'yes' : 'NO'}`,
      evidence: Object.entries(found)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
    };
  },
};

const partialPut: Question = {
  id: 'partial-put',
  ask: 'A partial PUT /lead/{id}/ changes only what it sends',
  async run(ctx, rec) {
    // developer.close.com/api/resources/leads/update: PUT updates only the fields sent ("non-destructive").
    const s = ctx.scratch!;
    const body = { description: 'Close Sync probe: partial PUT' };
    const r = await ctx.client.call('PUT', `/lead/${s.id}/`, { body });
    rec.record('PUT description only', r);
    const after = obj(r.json);
    const nameKept = after.name === s.name;
    const described = after.description === body.description;
    return {
      answer:
        r.status === 200
          ? `${described && nameKept ? 'yes' : 'NO'}: description ${described ? 'set' : 'not set'}, name ${nameKept ? 'kept' : 'CHANGED'}; the reply is the whole lead (${Object.keys(after).length} keys)`
          : `HTTP ${r.status} "${short(errorText(r))}"`,
      evidence: `PUT /lead/{id}/ {description} → ${r.status}`,
    };
  },
};

/** The field the multi-value question writes: the first multi-value choices lead field with 2+ choices. */
export const SCRATCH_MULTI_FIELD = (f: Field): boolean =>
  f.type === 'choices' && !!f.accepts_multiple_values && (f.choices ?? []).length >= 2;

const multiAdd: Question = {
  id: 'multi-add',
  ask: 'custom.X.add with one value and with a list (multi-value choices field)',
  async run(ctx, rec) {
    // developer.close.com/api/resources/leads/update: "you can specify .add or .remove as part of the field key to
    // add/remove a single value to/from a list of values" — a list under .add is undocumented.
    const s = ctx.scratch!;
    const field = (ctx.schema.lead ?? []).find(SCRATCH_MULTI_FIELD);
    if (!field)
      return {
        answer: 'not answered: no multi-value choices lead field with 2+ choices',
        evidence: 'lead schema',
      };
    ctx.redactor.add(field.id, '{cf:lead-multi}');
    const c = field.choices!;
    const key = `custom.${field.id}`;
    const ph = (i: number) => `{choice:${i}}`;
    const put = async (label: string, body: Obj, recorded: Obj) => {
      const r = await ctx.client.call('PUT', `/lead/${s.id}/`, { body });
      rec.record(label, r, { requestBody: recorded, exact: r.status >= 400 });
      const v = obj(r.json)[key];
      const shown = Array.isArray(v)
        ? `[${v.map((x) => (c.indexOf(String(x)) >= 0 ? `choice ${c.indexOf(String(x))}` : '?')).join(', ')}]`
        : v === undefined
          ? 'empty'
          : JSON.stringify(typeof v);
      return r.status === 200 ? shown : `${r.status} "${short(errorText(r), 100)}"`;
    };
    const set = await put('set [choice 0]', { [key]: [c[0]] }, { 'custom.{cf:lead-multi}': [ph(0)] });
    const one = await put(
      '.add one value',
      { [`${key}.add`]: c[1] },
      { 'custom.{cf:lead-multi}.add': ph(1) },
    );
    let listAdd: string;
    if (c.length >= 3) {
      listAdd = await put(
        '.add a list',
        { [`${key}.add`]: [c[2]] },
        { 'custom.{cf:lead-multi}.add': [ph(2)] },
      );
    } else {
      await put('.remove choice 1', { [`${key}.remove`]: c[1] }, { 'custom.{cf:lead-multi}.remove': ph(1) });
      listAdd = await put(
        '.add a list',
        { [`${key}.add`]: [c[1]] },
        { 'custom.{cf:lead-multi}.add': [ph(1)] },
      );
    }
    const removed = await put(
      '.remove one value',
      { [`${key}.remove`]: c[0] },
      { 'custom.{cf:lead-multi}.remove': ph(0) },
    );
    return {
      answer: `.add one value → ${one}; .add a list → ${listAdd}; .remove one → ${removed}`,
      evidence: `set → ${set}`,
    };
  },
};

const BATCHED_READ_MARK = 'Close Sync probe: batched read';

const batchedRead: Question = {
  id: 'batched-read',
  ask: 'POST /data/search/ by lead ids (reference on `id`) with _fields: honoured? how long until a PUT shows?',
  async run(ctx, rec) {
    // The push's conflict check reads a batch of leads with one search (src/core/sync/batched-read.ts):
    // developer.close.com/api/resources/advanced-filtering-fields — "For `… ID` fields, use a `reference`
    // condition with that ID type as the `reference_type`" — but the lead's own `id` is not on the stored
    // copy of that list, and `_fields` subsets in searches are as clients use them, not documented. Asked
    // here: the filter (only the leads named come back), the fields (only those asked, custom subsets
    // included), and how long Close's search index takes to show a PUT (the add-on must not trust a lagging
    // answer that would stop a field; the fake lags 5 s, dev/fake-close/search-index.ts).
    const s = ctx.scratch!;
    ctx.redactor.add(MISSING_LEAD, '{lead:missing}');
    const multi = (ctx.schema.lead ?? []).find(SCRATCH_MULTI_FIELD);
    const fields = ['description', ...(multi ? [`custom.${multi.id}`] : [])];
    // The custom field is set in the same PUT, so the search has a custom value to return (and a replay of
    // this fixture sets it too: the fake then has the key to answer).
    const putBody: Obj = { description: BATCHED_READ_MARK };
    const recorded: Obj = { description: BATCHED_READ_MARK };
    if (multi?.choices) {
      putBody[`custom.${multi.id}`] = [multi.choices[0]];
      recorded['custom.{cf:lead-multi}'] = ['{choice:0}'];
    }
    const put = await ctx.client.call('PUT', `/lead/${s.id}/`, { body: putBody });
    rec.record('PUT the values the search should show', put, { requestBody: recorded });
    const putAt = ctx.now();
    const body = batchedReadBody([s.id, MISSING_LEAD], fields);
    let last: Reply;
    let searches = 0;
    for (;;) {
      last = await ctx.client.call('POST', '/data/search/', { body });
      searches++;
      ensureRoute(last, 'POST /data/search/');
      const mine = list(obj(last.json).data)
        .map(obj)
        .find((l) => l.id === s.id);
      if (
        last.status !== 200 ||
        mine?.description === BATCHED_READ_MARK ||
        ctx.now() - putAt >= ctx.pollS * 1000
      )
        break;
      await ctx.sleep(1000);
    }
    // Only the answer that shows the PUT is recorded: a replay has no lag (its shape has the values set).
    rec.record('the search, once it shows the PUT (or its last try)', last, { exact: last.status >= 400 });
    if (last.status !== 200)
      return {
        answer: `REFUSED: ${last.status} "${short(ctx.redactor.string(errorText(last)), 120)}" — the push falls back to a GET per lead`,
        evidence: 'reference condition on the lead id',
      };
    const data = list(obj(last.json).data).map(obj);
    const mine = data.find((l) => l.id === s.id);
    const others = data.filter((l) => l.id !== s.id).length;
    const keys = mine ? Object.keys(mine).filter((k) => k !== '__object_type') : [];
    const asked = new Set(['id', ...fields]);
    const extra = keys.filter((k) => !asked.has(k)).map((k) => ctx.redactor.string(k));
    const missing = [...asked].filter((k) => !keys.includes(k)).map((k) => ctx.redactor.string(k));
    const seconds = Math.round((ctx.now() - putAt) / 100) / 10;
    const lag =
      mine?.description === BATCHED_READ_MARK
        ? `shown after ${searches === 1 ? 'the first search' : `${seconds} s (${searches} searches)`}`
        : `NOT shown within ${ctx.pollS} s`;
    return {
      answer:
        `filter: ${!mine ? 'the lead did NOT come back' : others === 0 ? 'honoured (only the lead named)' : `IGNORED (${others} other leads)`}; ` +
        `_fields: ${!mine ? 'not answered' : extra.length === 0 && missing.length === 0 ? 'honoured' : `extra [${extra.join(', ')}], missing [${missing.join(', ')}]`}; ` +
        `a PUT ${lag}`,
      evidence: `ids [{lead:scratch}, {lead:missing}]; fields [${[...asked].map((k) => ctx.redactor.string(k)).join(', ')}]`,
    };
  },
};

/** The first object (of a list reply) with a value in one of `fields`, and that field. */
export function pickObjectWithValue(data: JsonValue[], fields: Field[]): { id: string; field: Field } | null {
  for (const o of data.map(obj)) {
    for (const f of fields) {
      const v = o[`custom.${f.id}`];
      if (v !== undefined && v !== null && v !== '' && typeof o.id === 'string')
        return { id: o.id, field: f };
    }
  }
  return null;
}

const relatedSubsets: Question = {
  id: 'related-field-subsets',
  ask: '_fields=custom.cf_… on contacts and opportunities: honoured or ignored?',
  async run(ctx, rec) {
    // Subsets are announced for leads (changelog 2023-11-10); for contacts and opportunities they are
    // undocumented (reference close-api.md §10).
    const parts: string[] = [];
    for (const type of ['contact', 'opportunity'] as const) {
      const fields = ctx.schema[type] ?? [];
      if (fields.length === 0) {
        parts.push(`${type}: not answered: no ${type} custom field`);
        continue;
      }
      const l = await ctx.client.call('GET', `/${type}/`, { query: { _limit: 100, _fields: 'id,custom' } });
      ensureRoute(l, `GET /${type}/`);
      rec.record(`${type}s with _fields=id,custom`, l);
      const hit = pickObjectWithValue(list(obj(l.json).data), fields);
      if (!hit) {
        parts.push(`${type}: not answered: no ${type} (of the first 100) has a custom value`);
        continue;
      }
      ctx.redactor.add(hit.id, `{${type}:with-value}`);
      ctx.redactor.add(hit.field.id, `{cf:${type}}`);
      const r = await ctx.client.call('GET', `/${type}/${hit.id}/`, {
        query: { _fields: `id,custom.${hit.field.id}` },
      });
      rec.record(`one ${type} with _fields=id,custom.cf_…`, r);
      const keys = Object.keys(obj(r.json));
      const want = `custom.${hit.field.id}`;
      parts.push(
        `${type}: ${
          keys.length === 2 && keys.includes('id') && keys.includes(want)
            ? 'honoured'
            : keys.includes(want)
              ? `ignored (${keys.length} keys came back)`
              : 'dropped (the subset key is not recognised)'
        }`,
      );
    }
    return { answer: parts.join('; '), evidence: 'GET /{type}/{id}/?_fields=id,custom.cf_…' };
  },
};

const smartViewWalk: Question = {
  id: 'smart-view-walk',
  ask: 'POST /data/search/ Smart View walk: include_counts, cursor, _limit max, cursor after a wait',
  async run(ctx, rec) {
    // developer.close.com/api/resources/advanced-filtering: cursor pagination; "Cursors expire after 30 seconds";
    // "Hard limit of 10,000 objects per pagination sequence"; include_counts adds count.total.
    const views = await ctx.client.call('GET', '/saved_search/', { query: { _limit: 100 } });
    ensureRoute(views, 'GET /saved_search/');
    rec.record('Smart Views', views);
    const view = list(obj(views.json).data)
      .map(obj)
      .find((v) => v.type === undefined || v.type === 'lead');
    let query: Obj;
    if (view && typeof view.id === 'string') {
      ctx.redactor.add(view.id, '{smart_view}');
      query = { type: 'saved_search', saved_search_id: view.id };
    } else query = { type: 'object_type', object_type: 'lead' };
    const search = (extra: Obj) =>
      ctx.client.call('POST', '/data/search/', { body: { query, _fields: { lead: ['id'] }, ...extra } });
    const first = await search({ _limit: 1, include_counts: true });
    ensureRoute(first, 'POST /data/search/');
    rec.record('page 1 (_limit 1, include_counts)', first);
    const total = obj(obj(first.json).count).total;
    const c1 = obj(first.json).cursor;
    const found = await findMax([100, 200, 201, 250, 500, 1000], (n) => search({ _limit: n }));
    if (found.refused) rec.record(`_limit ${found.firstRefused} (refused)`, found.refused, { exact: true });
    const limitText =
      found.max === null
        ? 'no cap up to 1000'
        : `${found.max} (past it: 400 "${short(errorText(found.refused!), 90)}")`;
    if (typeof c1 !== 'string')
      return {
        answer: `count.total ${typeof total === 'number' ? total : 'absent'}; _limit max ${limitText}; cursor not answered (fewer than 2 leads in the view)`,
        evidence: `cursor on page 1: ${JSON.stringify(c1)}`,
      };
    const second = await search({ _limit: 1, cursor: c1 });
    rec.record('page 2 (cursor)', second, {
      requestBody: { query, _fields: { lead: ['id'] }, _limit: 1, cursor: '{cursor}' },
    });
    const c2 = obj(second.json).cursor;
    let afterWait = 'not answered (the view has only 2 leads)';
    if (typeof c2 === 'string') {
      await ctx.sleep(ctx.cursorWaitS * 1000);
      const third = await search({ _limit: 1, cursor: c2 });
      rec.record(`page 3 after ${ctx.cursorWaitS} s`, third, {
        requestBody: { query, _fields: { lead: ['id'] }, _limit: 1, cursor: '{cursor}' },
        exact: third.status >= 400,
      });
      afterWait = third.status === 200 ? 'still works' : `${third.status} "${short(errorText(third), 90)}"`;
    }
    return {
      answer: `count.total ${typeof total === 'number' ? total : 'absent'}; cursor ${second.status === 200 ? 'works' : `fails (${second.status})`}; _limit max ${limitText}; cursor after ${ctx.cursorWaitS} s: ${afterWait}`,
      evidence: `${view ? 'Smart View' : 'all leads (no Smart View)'}; page 1 cursor ${typeof c1}`,
    };
  },
};

const cursorWalkCap: Question = {
  id: 'cursor-walk-cap',
  ask: 'One /data/search/ cursor walk stops at 10,000 objects?',
  async run(ctx, rec) {
    // developer.close.com/api/resources/advanced-filtering: "Hard limit of 10,000 objects per pagination sequence".
    const query = { type: 'object_type', object_type: 'lead' };
    const first = await ctx.client.call('POST', '/data/search/', {
      body: { query, _limit: 200, include_counts: true, _fields: { lead: ['id'] } },
    });
    ensureRoute(first, 'POST /data/search/');
    rec.record('all leads, page 1', first);
    const total = Number(obj(obj(first.json).count).total);
    if (!(total > 10_000))
      return {
        answer: `not answered: ${Number.isFinite(total) ? total : 'an unknown number of'} leads (needs more than 10,000)`,
        evidence: 'count.total of all leads',
      };
    let fetched = list(obj(first.json).data).length;
    let cursor = obj(first.json).cursor;
    let last: Reply = first;
    while (typeof cursor === 'string') {
      last = await ctx.client.call('POST', '/data/search/', {
        body: { query, _limit: 200, cursor, _fields: { lead: ['id'] } },
      });
      if (last.status !== 200) break;
      fetched += list(obj(last.json).data).length;
      cursor = obj(last.json).cursor;
    }
    rec.record('the walk’s last page', last, {
      requestBody: { query, _limit: 200, cursor: '{cursor}', _fields: { lead: ['id'] } },
      exact: last.status >= 400,
    });
    return {
      answer: `walk ended after ${fetched} of ${total} (${last.status === 200 ? 'cursor null' : `HTTP ${last.status} "${short(errorText(last), 90)}"`})`,
      evidence: `${Math.ceil(fetched / 200)} pages of 200`,
    };
  },
};

const MISSING_LEAD = 'lead_CloseSyncProbeNoSuchLead00000000000000000000';
const MISSING_STATUS = 'stat_CloseSyncProbeNoSuchStatus000000000000000000';
const MISSING_FIELD = 'cf_CloseSyncProbeNoSuchField0000000000000000000000';
/** Ids that exist nowhere, by placeholder (the fixture test sends the same ones). */
export const MISSING_IDS: Record<string, string> = {
  '{lead:missing}': MISSING_LEAD,
  '{stat:missing}': MISSING_STATUS,
  '{cf:missing}': MISSING_FIELD,
};

const errors: Question = {
  id: 'errors',
  ask: 'Error bodies: 404 lead, 401 key, 400 validation',
  async run(ctx, rec) {
    // developer.close.com/api/overview/http-response-codes (400, 401, 404 …); bodies as recorded by
    // nested-tech/closex test/fixtures/vcr_cassettes (get_lead_unknown, get_lead_invalid_key, create_lead_error).
    const s = ctx.scratch!;
    ctx.redactor.add(MISSING_LEAD, '{lead:missing}');
    ctx.redactor.add(MISSING_STATUS, '{stat:missing}');
    ctx.redactor.add(MISSING_FIELD, '{cf:missing}');
    const nf = await ctx.client.call('GET', `/lead/${MISSING_LEAD}/`);
    rec.record('a lead that does not exist', nf, { exact: true });
    const un = await ctx.client.call('GET', '/me/', { auth: 'invalid' });
    rec.record('a key Close does not know', un, { exact: true });
    const st = await ctx.client.call('PUT', `/lead/${s.id}/`, { body: { status_id: MISSING_STATUS } });
    rec.record('an unknown status_id', st, { exact: true });
    const cf = await ctx.client.call('PUT', `/lead/${s.id}/`, { body: { [`custom.${MISSING_FIELD}`]: 'x' } });
    rec.record('an unknown custom field', cf, { exact: true });
    const line = (r: Reply) => `${r.status} "${short(ctx.redactor.string(errorText(r)), 90)}"`;
    return {
      answer: `404: ${line(nf)}; 401: ${line(un)}`,
      evidence: `400 status_id: ${line(st)}; 400 custom field: ${line(cf)}`,
    };
  },
};

/** Deletes the scratch lead; recorded with the scratch-lead question. */
export async function deleteScratch(ctx: Ctx, rec: Recorder): Promise<string> {
  const s = ctx.scratch;
  if (!s) return 'no scratch lead';
  const r = await ctx.client.call('DELETE', `/lead/${s.id}/`);
  rec.record('delete the scratch lead', r);
  return r.status === 200 || r.status === 204
    ? `deleted (HTTP ${r.status})`
    : `NOT deleted (HTTP ${r.status}): delete "${s.name}" in Close by hand`;
}

async function pollEvents(ctx: Ctx, rec: Recorder, action: string, label: string): Promise<Obj[]> {
  // developer.close.com/api/resources/events/list: filters object_type + action (a supported combination),
  // date_updated__gt/__gte; "cursor_next"; events newest first; _limit capped at 50.
  const since = formatCloseDate(ctx.startedAt - 60_000);
  const deadline = ctx.now() + ctx.pollS * 1000;
  for (;;) {
    const r = await ctx.client.call('GET', '/event/', {
      query: { object_type: 'lead', action, date_updated__gt: since, _limit: 50 },
    });
    ensureRoute(r, 'GET /event/');
    const mine = list(obj(r.json).data)
      .map(obj)
      .filter((e) => e.object_id === ctx.scratch?.id || e.lead_id === ctx.scratch?.id);
    if (mine.length > 0 || ctx.now() >= deadline) {
      rec.record(label, r);
      return mine;
    }
    await ctx.sleep(3000);
  }
}

export const eventLog: Question = {
  id: 'event-log',
  ask: "The Event Log's lead updates and deletions since a time; changed_fields?",
  async run(ctx, rec) {
    if (!ctx.scratch) return { answer: 'not answered: no scratch lead', evidence: '' };
    const updated = await pollEvents(ctx, rec, 'updated', 'lead updates since the probe started');
    const deleted = await pollEvents(ctx, rec, 'deleted', 'lead deletions since the probe started');
    const changed = updated
      .map((e) => e.changed_fields)
      .filter(Array.isArray)
      .flat()
      .map((f) => ctx.redactor.string(String(f)));
    const hasKey = updated.some((e) => 'changed_fields' in e);
    return {
      answer:
        `updates: ${updated.length} event(s) for the scratch lead, changed_fields ${hasKey ? `[${[...new Set(changed)].join(', ')}]` : 'absent'}; ` +
        `deletion: ${deleted.length > 0 ? 'listed' : 'NOT listed'}`,
      evidence: 'GET /event/?object_type=lead&action=updated|deleted&date_updated__gt=…',
    };
  },
};

/** In order; the scratch lead is deleted after the last of these, then the Event Log is asked. */
export const QUESTIONS: Question[] = [
  me,
  rateLimitHeader,
  customFieldSchema,
  scratchLead,
  leadLimitMax,
  skipCap,
  totalResults,
  fieldsCustom,
  dateWindow,
  partialPut,
  multiAdd,
  batchedRead,
  relatedSubsets,
  smartViewWalk,
  cursorWalkCap,
  errors,
];
