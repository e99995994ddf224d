// What the report needs to know about the organization that the sheet does not say: the currency, the
// lead statuses in Close's order, and which custom fields the report reads (choice and user fields, with
// their choices; which kinds those are is the kinds' `report`).
// It is fetched once and kept in document properties (a few KB, nothing secret), so building the report
// from freshly pulled data costs no Close calls; it is fetched again when the sheet has a custom field
// the cache does not know, or after a day.
import { type CloseClient, NOT_SENT } from '../close/client';
import { fetchMe, SchemaNotInTime, type SendBy } from '../close/org';
import type { CustomField, LeadStatus } from '../close/types';
import type { Store } from '../ports';
import { utf8Length } from '../utf8';
import { KINDS, kindOfCustomField } from '../schema/kinds';

/** The kinds the report reads (their entries' `report`): choice fields count leads, a user is the owner. */
export type ReportFieldKind = 'choice' | 'choices' | 'user';

export interface ReportField {
  key: string;
  name: string;
  kind: ReportFieldKind;
  /** Missing when the list was too long to cache: the values in the sheet are used instead. */
  choices?: string[];
}

export interface ReportSchema {
  at: number;
  /** ISO code from the organization; 'USD' when Close did not say (currencyKnown false). */
  currency: string;
  currencyKnown: boolean;
  statuses: string[];
  /** Choice and user fields, in Close's order. */
  fields: ReportField[];
  /** Every custom field key, to notice a field the cache does not know. */
  keys: string[];
}

const CACHE_KEY = 'closeSync.reportSchema';
/** A property holds 9 KB of UTF-8 (field and choice names may be in any script). */
const MAX_CACHE_BYTES = 8_500;
const MAX_AGE_MS = 24 * 3_600_000;

/** The kind the report reads a custom field as: the kind its column has, when the report uses that kind. */
export function reportKindOf(
  f: Pick<CustomField, 'type' | 'accepts_multiple_values'>,
): ReportFieldKind | null {
  const { kind } = kindOfCustomField(f);
  return KINDS[kind].report === null ? null : (kind as ReportFieldKind);
}

/**
 * Four cheap calls: /me/, then the field schema, the statuses and the organization's currency at once.
 * `by`: when they may go at the latest (the run's time): past it, SchemaNotInTime, and nothing is built.
 */
export function fetchReportSchema(
  client: CloseClient,
  now: number,
  by: SendBy = { stopAt: Number.POSITIVE_INFINITY },
): ReportSchema {
  const me = fetchMe(client, by);
  const orgId = me.organizations?.[0]?.id;
  if (!orgId) throw new Error('This Close user belongs to no organization.');
  const replies = client.callAll(
    [
      { method: 'get', path: '/custom_field_schema/lead/' },
      { method: 'get', path: '/status/lead/' },
      { method: 'get', path: `/organization/${orgId}/`, query: { _fields: 'id,currency' } },
    ],
    by.stopAt,
    by.firstBy,
  );
  if (replies.some((r) => !r.ok && r.status === NOT_SENT)) throw new SchemaNotInTime();
  const [schema, statuses, organization] = replies;
  const fail = (what: string, r: { message: string }) =>
    new Error(`Could not load ${what} from Close: ${r.message}`);
  if (!schema.ok) throw fail('the custom fields', schema);
  if (!statuses.ok) throw fail('the lead statuses', statuses);
  const fields = (schema.data as { fields: CustomField[] }).fields;
  const currency = organization.ok ? (organization.data as { currency?: string }).currency : undefined;
  return {
    at: now,
    currency: currency || 'USD',
    currencyKnown: Boolean(currency),
    statuses: (statuses.data as { data: LeadStatus[] }).data.map((s) => s.label),
    fields: fields.flatMap((f) => {
      const kind = reportKindOf(f);
      return kind
        ? [{ key: `custom.${f.id}`, name: f.name, kind, ...(f.choices ? { choices: f.choices } : {}) }]
        : [];
    }),
    keys: fields.map((f) => `custom.${f.id}`),
  };
}

export function loadCachedSchema(store: Store): ReportSchema | null {
  const saved = store.get(CACHE_KEY);
  if (!saved) return null;
  try {
    return JSON.parse(saved) as ReportSchema;
  } catch {
    return null;
  }
}

/** Keeps the schema; long choice lists are dropped first when it would not fit in a property. */
export function cacheSchema(store: Store, schema: ReportSchema): void {
  let json = JSON.stringify(schema);
  if (utf8Length(json) > MAX_CACHE_BYTES)
    json = JSON.stringify({ ...schema, fields: schema.fields.map(({ choices: _, ...f }) => f) });
  if (utf8Length(json) > MAX_CACHE_BYTES) store.delete(CACHE_KEY);
  else store.set(CACHE_KEY, json);
}

/** The cache serves a sheet whose custom-field columns it all knows, for a day. */
export function schemaFits(
  schema: ReportSchema | null,
  sheetKeys: string[],
  now: number,
): schema is ReportSchema {
  if (!schema || now - schema.at > MAX_AGE_MS || now < schema.at) return false;
  const known = new Set(schema.keys);
  return sheetKeys.filter((k) => k.startsWith('custom.')).every((k) => known.has(k));
}
