// The route table: every endpoint the fake serves, under /api/v1, each path ending with '/'. A route's
// `group` (method + pattern, ids replaced by {id}) is also its rate-limit endpoint group.

import { ACTIVITY_ENDPOINTS, type Activity, listActivities, sortActivities } from './activities';
import { type EventLog, leadEvent } from './events';
import { fieldSpecFromList, parseFields, projectLead, projectPlain } from './fields';
import type { OrgIndex } from './model';
import {
  compileLegacyQuery,
  compileQuery,
  compileSort,
  type ObjectType,
  type QueryEnv,
  queryObjectType,
} from './search';
import type { LeadStore } from './store';
import type { Contact, FakeOrg, JsonObject, JsonValue, Lead, SavedSearch } from './types';
import {
  HttpError,
  isObject,
  validationError,
  type WriteEnv,
  writeContact,
  writeLead,
  writeOpportunity,
} from './writes';
import type { SearchIndex } from './search-index';

export interface Backend {
  org: FakeOrg;
  index: OrgIndex;
  store: LeadStore;
  maxLimit(resource: string): number;
  maxSkip: number;
  totalResults: boolean;
  /** Objects one /data/search/ cursor walk returns at most (Close: 10,000). */
  searchWalkLimit: number;
  /** Test control: leads a /data/search/ walk leaves out of its pages while `count.total` counts them. */
  searchOmits: Set<string>;
  now(): number;
  /** `checkRoles`: fields limited by `editable_with_roles` are refused to a user without the role. */
  writeEnv(userId: string, checkRoles?: boolean): WriteEnv;
  searchSnapshots: SnapshotStore;
  /** What searches see of the leads: a lead written through the API a moment ago, as it was (search-index.ts). */
  searchIndex: SearchIndex;
  /** Whether `_fields=custom.cf_…` subsets are honoured for this object type (leads always are). */
  customSubsets(type: 'contact' | 'opportunity'): boolean;
  events: EventLog;
}

export interface RouteContext {
  backend: Backend;
  params: URLSearchParams;
  body: JsonValue | undefined;
  ids: string[];
  userId: string;
  tzOffsetHours: number;
}

export interface RouteResult {
  status: number;
  body: JsonValue;
}

export interface Route {
  method: string;
  pattern: string;
  group: string;
  re: RegExp;
  run(ctx: RouteContext): RouteResult;
}

const ok = (body: JsonValue): RouteResult => ({ status: 200, body });

export function notFound(model: string): HttpError {
  return new HttpError(404, { error: `Empty query: ${model} matching query does not exist.` });
}

// ---- paging ------------------------------------------------------------------------------------------------

function intParam(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return null;
  if (!/^\d+$/.test(raw.trim()))
    throw new HttpError(400, { error: `Invalid ${name}: must be a non-negative integer.` });
  return Number(raw.trim());
}

export function paging(ctx: RouteContext, resource: string): { skip: number; limit: number } {
  const max = ctx.backend.maxLimit(resource);
  const limit = intParam(ctx.params, '_limit') ?? Math.min(100, max);
  if (limit > max) {
    throw new HttpError(400, { error: `Invalid _limit: the maximum for this resource is ${max}.` });
  }
  const skip = intParam(ctx.params, '_skip') ?? 0;
  if (skip > ctx.backend.maxSkip) {
    // The one real response on record (airbytehq/airbyte issue #20959, for /activity/email/): the text
    // names "skip" and "max_skip", never the `_skip` parameter. The body's shape is not recorded; Close's
    // other errors are `{"error": "…"}`.
    throw new HttpError(400, {
      error: `The skip you set is larger than the maximum skip for this resource (max_skip = ${ctx.backend.maxSkip}). Please refine your search query.`,
    });
  }
  return { skip, limit };
}

function pageOf<T>(items: T[], skip: number, limit: number) {
  const page = items.slice(skip, skip + limit);
  return { page, hasMore: skip + page.length < items.length };
}

function list<T extends JsonObject>(
  ctx: RouteContext,
  resource: string,
  items: T[],
  customSubsets = true,
): RouteResult {
  const { skip, limit } = paging(ctx, resource);
  const spec = parseFields(ctx.params.get('_fields'));
  const { page, hasMore } = pageOf(items, skip, limit);
  return ok({ data: page.map((x) => projectPlain(x, spec, customSubsets)), has_more: hasMore });
}

// ---- helpers -----------------------------------------------------------------------------------------------

function queryEnv(ctx: RouteContext): QueryEnv {
  const org = ctx.backend.org;
  return {
    savedSearch: (id) => org.savedSearches.find((s) => s.id === id),
    tzOffsetHours: ctx.tzOffsetHours,
    fieldById: (id) => ctx.backend.index.leadFieldById.get(id) ?? org.customFields.find((f) => f.name === id),
  };
}

function bodyObject(ctx: RouteContext): JsonObject {
  if (!isObject(ctx.body)) throw new HttpError(400, { error: 'The request body must be a JSON object.' });
  return ctx.body;
}

function getLead(ctx: RouteContext): Lead {
  const lead = ctx.backend.store.leads.get(ctx.ids[0]);
  if (!lead) throw notFound('Lead');
  return lead;
}

function contactView(contact: Contact, lead: Lead): JsonObject {
  return { ...contact, lead_id: lead.id };
}

function allContacts(ctx: RouteContext, leadId: string | null): JsonObject[] {
  const out: JsonObject[] = [];
  const leads = leadId
    ? [ctx.backend.store.leads.get(leadId)].filter((l): l is Lead => !!l)
    : ctx.backend.store.ordered();
  for (const lead of leads) for (const c of lead.contacts) out.push(contactView(c, lead));
  return out;
}

/**
 * GET /me/: the user with `organizations` as objects, and — as in the docs' sample (developer.close.com/api/
 * resources/users, "Fetch information about yourself") — the user's `memberships`, `email_accounts` and
 * `phone_numbers` (the fake's users have no email accounts or phone numbers).
 */
function meView(ctx: RouteContext): JsonObject {
  const org = ctx.backend.org.organization;
  const user = ctx.backend.index.userById.get(ctx.userId);
  const memberships = org.memberships
    .filter((m) => m.user_id === ctx.userId)
    .map((m) => ({
      id: m.id,
      organization_id: org.id,
      user_id: m.user_id,
      role_id: m.role_id,
      auto_record_calls: 'disabled',
      permissions_granted: [],
      track_email_opens: true,
    }));
  return { ...(user ?? {}), email_accounts: [], memberships, organizations: [org], phone_numbers: [] };
}

// ---- /data/search/ -----------------------------------------------------------------------------------------

interface Snapshot {
  ids: string[];
  type: ObjectType;
  fields: JsonValue | undefined;
}

/**
 * Search walks: the matching ids are snapshotted at the first page; a cursor is opaque and names the
 * walk, the offset and when it was issued. Close: "Cursors expire after 30 seconds" (Advanced Filtering
 * page) — each cursor, counted from when it was handed out, not from the walk's last use.
 */
export class SnapshotStore {
  private readonly snaps = new Map<string, Snapshot>();
  private seq = 0;

  constructor(readonly ttlMs: number) {}

  create(s: Snapshot): string {
    const id = `s${++this.seq}`;
    this.snaps.set(id, s);
    if (this.snaps.size > 200) this.snaps.delete(this.snaps.keys().next().value ?? '');
    return id;
  }

  get(id: string): Snapshot | undefined {
    return this.snaps.get(id);
  }

  drop(id: string): void {
    this.snaps.delete(id);
  }
}

function encodeCursor(snapId: string, offset: number, issuedAt: number): string {
  return Buffer.from(JSON.stringify({ s: snapId, o: offset, t: issuedAt, v: 1 })).toString('base64url');
}

function decodeCursor(cursor: string): { s: string; o: number; t: number } | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isObject(v) && typeof v.s === 'string' && typeof v.o === 'number' && typeof v.t === 'number')
      return { s: v.s, o: v.o, t: v.t };
  } catch {
    return null;
  }
  return null;
}

function searchDocs(ctx: RouteContext, type: ObjectType): JsonObject[] {
  const index = ctx.backend.searchIndex;
  return type === 'lead' ? ctx.backend.store.ordered().map((l) => index.view(l)) : allContacts(ctx, null);
}

function project(doc: JsonObject, type: ObjectType, fields: JsonValue | undefined): JsonObject {
  const list = isObject(fields) ? fields[type] : undefined;
  const spec = fieldSpecFromList(list);
  const body = spec
    ? type === 'lead'
      ? projectLead(doc as Lead, spec)
      : projectPlain(doc, spec)
    : { id: doc.id ?? null };
  return { __object_type: type, ...body };
}

function dataSearch(ctx: RouteContext): RouteResult {
  const body = bodyObject(ctx);
  const backend = ctx.backend;
  const max = backend.maxLimit('data/search');
  const rawLimit = body._limit ?? 10;
  if (typeof rawLimit !== 'number' || !Number.isInteger(rawLimit) || rawLimit < 0) {
    throw validationError([], { _limit: 'Not a valid integer.' });
  }
  if (rawLimit > max) throw validationError([], { _limit: `Must be less than or equal to ${max}.` });
  const now = backend.now();
  let snapId: string;
  let offset = 0;
  let snap: Snapshot | undefined;
  if (body.cursor !== undefined && body.cursor !== null && body.cursor !== '') {
    const c = typeof body.cursor === 'string' ? decodeCursor(body.cursor) : null;
    snap = c ? backend.searchSnapshots.get(c.s) : undefined;
    // Close's wording for an expired cursor is not documented: the harsher reading, a 400 (a client
    // must not count on the text), with a message that says what happened and what to do.
    if (!c || !snap)
      throw validationError([], { cursor: 'Invalid cursor. Restart the search without a cursor.' });
    if (now - c.t > backend.searchSnapshots.ttlMs)
      throw validationError([], {
        cursor: 'Expired cursor: cursors expire after 30 seconds. Restart the search without a cursor.',
      });
    snapId = c.s;
    offset = c.o;
  } else {
    const env = queryEnv(ctx);
    const query = body.query ?? { type: 'match_all' };
    const type = queryObjectType(query, env) ?? 'lead';
    const predicate = compileQuery(query, env);
    const sort = compileSort(body.sort);
    let matches = searchDocs(ctx, type).filter(predicate);
    if (sort) matches = [...matches].sort(sort);
    const resultsLimit = typeof body.results_limit === 'number' ? body.results_limit : null;
    if (resultsLimit !== null) matches = matches.slice(0, resultsLimit);
    snapId = backend.searchSnapshots.create({
      ids: matches.map((d) => String(d.id)),
      type,
      fields: body._fields,
    });
    snap = backend.searchSnapshots.get(snapId);
  }
  if (!snap) throw validationError([], { cursor: 'Invalid cursor. Restart the search without a cursor.' });
  // "Hard limit of 10,000 objects per pagination sequence" (Advanced Filtering page): the walk ends there
  // with a null cursor, as if done; `count.total` still counts every match. (Harsher than an error: only
  // a client that compares what it got with the count notices.)
  const end = Math.min(offset + rawLimit, backend.searchWalkLimit);
  const pageIds = snap.ids.slice(offset, Math.max(offset, end));
  const data: JsonObject[] = [];
  for (const id of pageIds) {
    if (backend.searchOmits.has(id)) continue;
    const lead = snap.type === 'lead' ? backend.store.leads.get(id) : undefined;
    const doc =
      snap.type === 'lead'
        ? lead && backend.searchIndex.view(lead)
        : (() => {
            const hit = backend.store.contact(id);
            return hit ? contactView(hit.contact, hit.lead) : undefined;
          })();
    if (doc) data.push(project(doc, snap.type, body._fields ?? snap.fields));
  }
  const next = offset + pageIds.length;
  const more = next < snap.ids.length && next < backend.searchWalkLimit && rawLimit > 0;
  if (!more) backend.searchSnapshots.drop(snapId);
  const result: JsonObject = { data, cursor: more ? encodeCursor(snapId, next, now) : null };
  if (body.include_counts === true) result.count = { total: snap.ids.length };
  return ok(result);
}

// ---- leads -------------------------------------------------------------------------------------------------

function listLeads(ctx: RouteContext): RouteResult {
  const { skip, limit } = paging(ctx, 'lead');
  const spec = parseFields(ctx.params.get('_fields'));
  const query = ctx.params.get('query');
  let leads: Lead[] = ctx.backend.store.ordered();
  if (query !== null && query.trim() !== '') {
    const q = compileLegacyQuery(query, queryEnv(ctx));
    // The store keeps newest-first order (ties by id descending): creation order needs no sort.
    if (q.sortName === 'created') leads = [...leads].reverse().filter(q.predicate);
    else {
      leads = leads.filter(q.predicate);
      if (q.sortName !== '-created' && q.sort) leads.sort(q.sort);
    }
  }
  const { page, hasMore } = pageOf(leads, skip, limit);
  const result: JsonObject = { data: spec ? page.map((l) => projectLead(l, spec)) : page, has_more: hasMore };
  if (query !== null && ctx.backend.totalResults) result.total_results = leads.length;
  return ok(result);
}

function mergeLeads(ctx: RouteContext): RouteResult {
  const body = bodyObject(ctx);
  const store = ctx.backend.store;
  const source = typeof body.source === 'string' ? store.leads.get(body.source) : undefined;
  if (!source) throw new HttpError(404, { errors: ['Source lead does not exist.'] });
  const dest = typeof body.destination === 'string' ? store.leads.get(body.destination) : undefined;
  if (!dest) throw new HttpError(404, { errors: ['Destination lead does not exist.'] });
  if (source === dest) throw validationError(['Cannot merge a lead into itself.'], {});
  const env = ctx.backend.writeEnv(ctx.userId);
  dest.contacts = [...dest.contacts, ...source.contacts];
  dest.contact_ids = dest.contacts.map((c) => c.id);
  for (const o of source.opportunities) {
    o.lead_id = dest.id;
    o.lead_name = dest.display_name;
  }
  dest.opportunities = [...dest.opportunities, ...source.opportunities];
  for (const k of Object.keys(source)) {
    if (k.startsWith('custom.') && dest[k] === undefined) dest[k] = source[k];
  }
  dest.date_updated = env.nowString;
  dest.updated_by = env.userId;
  store.remove(source.id);
  // A merge logs the destination's update, the source's deletion and the merge itself, each with both
  // ids in `meta` (developer.close.com/api/resources/events/list-of-event-types, lead `merged`).
  const meta = { merge_source_lead_id: source.id, merge_destination_lead_id: dest.id };
  const events = ctx.backend.events;
  events.record(leadEvent(dest, 'updated', ctx.userId, ['contact_ids'], meta));
  events.record(leadEvent(source, 'deleted', ctx.userId, [], meta));
  events.record(leadEvent(dest, 'merged', ctx.userId, [], meta));
  return ok({});
}

// ---- table -------------------------------------------------------------------------------------------------

type Handler = (ctx: RouteContext) => RouteResult;

function route(method: string, pattern: string, run: Handler): Route {
  const re = new RegExp(`^${pattern.replace(/\{[a-z_]+\}/g, '([^/]+)')}$`);
  return { method, pattern, group: `${method} ${pattern}`, re, run };
}

function schemaFields(org: FakeOrg, type: string) {
  if (type === 'lead') return org.customFields;
  if (type === 'contact') return org.contactCustomFields;
  if (type === 'opportunity') return [];
  return null;
}

function customFieldList(ctx: RouteContext): RouteResult {
  const fields = schemaFields(ctx.backend.org, ctx.ids[0]);
  if (!fields) throw new HttpError(404, { error: 'Not found' });
  return list(ctx, 'custom_field', fields);
}

function customFieldOne(ctx: RouteContext): RouteResult {
  const fields = schemaFields(ctx.backend.org, ctx.ids[0]);
  const field = fields?.find((f) => f.id === ctx.ids[1]);
  if (!field) throw notFound(`${ctx.ids[0] === 'contact' ? 'Contact' : 'Lead'}CustomField`);
  return ok(projectPlain(field, parseFields(ctx.params.get('_fields'))));
}

function savedSearches(ctx: RouteContext): RouteResult {
  const typeIn = ctx.params.get('type__in');
  const types = typeIn ? typeIn.split(',').map((s) => s.trim()) : [ctx.params.get('type') ?? 'lead'];
  const views: SavedSearch[] = ctx.backend.org.savedSearches.filter((s) => types.includes(s.type));
  return list(ctx, 'saved_search', views);
}

/** Activities are kept newest first (see activities.ts); an array a test changed is sorted again. */
const sortedActivities = new WeakMap<object, number>();
function activityList(ctx: RouteContext, type: string | null): RouteResult {
  const org = ctx.backend.org;
  const all = (org.activities ?? []) as Activity[];
  if (sortedActivities.get(all) !== all.length) {
    sortActivities(all);
    sortedActivities.set(all, all.length);
  }
  const live = ctx.backend.store.leads;
  const matches = listActivities(all, ctx.params, type).filter((a) => live.has(a.lead_id));
  return list(ctx, 'activity', matches);
}

export const ROUTES: Route[] = [
  route('GET', '/me/', (ctx) => ok(projectPlain(meView(ctx), parseFields(ctx.params.get('_fields'))))),
  route('GET', '/organization/{id}/', (ctx) => {
    const org = ctx.backend.org.organization;
    if (ctx.ids[0] !== org.id) throw notFound('Organization');
    return ok(projectPlain(org, parseFields(ctx.params.get('_fields'))));
  }),
  route('GET', '/user/', (ctx) => list(ctx, 'user', ctx.backend.org.users)),
  route('GET', '/user/{id}/', (ctx) => {
    const user = ctx.backend.index.userById.get(ctx.ids[0]);
    if (!user) throw notFound('User');
    return ok(projectPlain(user, parseFields(ctx.params.get('_fields'))));
  }),
  route('GET', '/status/lead/', (ctx) => ok({ has_more: false, data: ctx.backend.org.leadStatuses })),
  route('GET', '/status/opportunity/', (ctx) => {
    const pipeline = ctx.params.get('pipeline_id');
    const data = ctx.backend.org.opportunityStatuses.filter((s) => !pipeline || s.pipeline_id === pipeline);
    return ok({ has_more: false, data });
  }),
  route('GET', '/pipeline/', (ctx) => ok({ has_more: false, data: ctx.backend.org.pipelines })),
  route('GET', '/custom_field_schema/{type}/', (ctx) => {
    const type = ctx.ids[0];
    const fields = schemaFields(ctx.backend.org, type);
    if (!fields) throw new HttpError(404, { error: 'Not found' });
    // The docs' sample (developer.close.com/api/resources/custom-fields/custom-field-schemas, "Retrieve a custom
    // field schema") names the schema: {"fields": […], "name": "Lead", "object_type": "lead", "organization_id"}.
    return ok({
      fields,
      name: type.charAt(0).toUpperCase() + type.slice(1),
      object_type: type,
      organization_id: ctx.backend.org.organization.id,
    });
  }),
  route('GET', '/custom_field/{type}/', customFieldList),
  route('GET', '/custom_field/{type}/{id}/', customFieldOne),
  // The old plural URLs still work.
  route('GET', '/custom_fields/{type}/', customFieldList),
  route('GET', '/custom_fields/{type}/{id}/', customFieldOne),
  route('GET', '/saved_search/', savedSearches),
  route('GET', '/saved_search/{id}/', (ctx) => {
    const view = ctx.backend.org.savedSearches.find((s) => s.id === ctx.ids[0]);
    if (!view) throw notFound('SavedSearch');
    return ok(view);
  }),
  route('GET', '/lead/', listLeads),
  route('POST', '/lead/', (ctx) => {
    const lead = writeLead(null, bodyObject(ctx), ctx.backend.writeEnv(ctx.userId, true));
    ctx.backend.store.add(lead);
    ctx.backend.events.record(leadEvent(lead, 'created', ctx.userId));
    return ok(lead);
  }),
  route('POST', '/lead/merge/', mergeLeads),
  route('GET', '/lead/{id}/', (ctx) => ok(projectLead(getLead(ctx), parseFields(ctx.params.get('_fields'))))),
  route('PUT', '/lead/{id}/', (ctx) => {
    const lead = getLead(ctx);
    const body = bodyObject(ctx);
    ctx.backend.searchIndex.beforeWrite(lead);
    writeLead(lead, body, ctx.backend.writeEnv(ctx.userId, true));
    ctx.backend.events.record(leadEvent(lead, 'updated', ctx.userId, Object.keys(body)));
    return ok(lead);
  }),
  route('DELETE', '/lead/{id}/', (ctx) => {
    const lead = getLead(ctx);
    ctx.backend.store.remove(ctx.ids[0]);
    ctx.backend.events.record(leadEvent(lead, 'deleted', ctx.userId));
    return ok({});
  }),
  route('POST', '/data/search/', dataSearch),
  route('GET', '/event/', (ctx) => ok(ctx.backend.events.list(ctx.params))),
  route('GET', '/contact/', (ctx) =>
    list(ctx, 'contact', allContacts(ctx, ctx.params.get('lead_id')), ctx.backend.customSubsets('contact')),
  ),
  route('GET', '/contact/{id}/', (ctx) => {
    const hit = ctx.backend.store.contact(ctx.ids[0]);
    if (!hit) throw notFound('Contact');
    return ok(
      projectPlain(
        contactView(hit.contact, hit.lead),
        parseFields(ctx.params.get('_fields')),
        ctx.backend.customSubsets('contact'),
      ),
    );
  }),
  route('PUT', '/contact/{id}/', (ctx) => {
    const hit = ctx.backend.store.contact(ctx.ids[0]);
    if (!hit) throw notFound('Contact');
    writeContact(hit.contact, hit.lead, bodyObject(ctx), ctx.backend.writeEnv(ctx.userId, true));
    return ok(contactView(hit.contact, hit.lead));
  }),
  route('GET', '/opportunity/', (ctx) => {
    const leadId = ctx.params.get('lead_id');
    const leads = leadId
      ? [ctx.backend.store.leads.get(leadId)].filter((l): l is Lead => !!l)
      : ctx.backend.store.ordered();
    return list(
      ctx,
      'opportunity',
      leads.flatMap((l) => l.opportunities),
      ctx.backend.customSubsets('opportunity'),
    );
  }),
  route('GET', '/activity/', (ctx) => activityList(ctx, null)),
  ...Object.entries(ACTIVITY_ENDPOINTS).map(([path, type]) =>
    route('GET', `/activity/${path}/`, (ctx) => activityList(ctx, type)),
  ),
  route('GET', '/opportunity/{id}/', (ctx) => {
    const hit = ctx.backend.store.opportunity(ctx.ids[0]);
    if (!hit) throw notFound('Opportunity');
    return ok(
      projectPlain(hit.opp, parseFields(ctx.params.get('_fields')), ctx.backend.customSubsets('opportunity')),
    );
  }),
  route('PUT', '/opportunity/{id}/', (ctx) => {
    const hit = ctx.backend.store.opportunity(ctx.ids[0]);
    if (!hit) throw notFound('Opportunity');
    writeOpportunity(hit.opp, hit.lead, bodyObject(ctx), ctx.backend.writeEnv(ctx.userId, true));
    return ok(hit.opp);
  }),
];

export type RouteMatch =
  | { kind: 'route'; route: Route; ids: string[] }
  | { kind: 'redirect'; location: string }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (!m) continue;
    if (r.method === method) return { kind: 'route', route: r, ids: m.slice(1).map(safeDecode) };
    allowed.push(r.method);
  }
  if (allowed.length > 0) return { kind: 'method', allowed };
  if (!path.endsWith('/') && ROUTES.some((r) => r.re.test(`${path}/`)))
    return { kind: 'redirect', location: `${path}/` };
  return { kind: 'none' };
}
