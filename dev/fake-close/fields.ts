// `_fields` projection. For leads: a comma list of keys; `custom` = every custom value (flat `custom.cf_…`
// keys), `custom.cf_X` = one of them, `_all` = every field plus the computed Smart Fields.

import type { JsonObject, JsonValue, Lead } from './types';

export interface FieldSpec {
  /** Requested keys in order (`custom` and `_all` kept as markers). */
  names: string[];
  all: boolean;
}

/** `null` = no `_fields` (full objects). Empty entries are dropped. */
export function parseFields(param: string | null | undefined): FieldSpec | null {
  if (param === null || param === undefined || param.trim() === '') return null;
  const names = param
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return { names, all: names.includes('_all') };
}

export function fieldSpecFromList(list: unknown): FieldSpec | null {
  if (!Array.isArray(list)) return null;
  const names = list.filter((x): x is string => typeof x === 'string');
  return { names, all: names.includes('_all') };
}

/** Computed "Smart Fields": returned only with `_all` or when named. */
const SMART_FIELDS: Record<string, (lead: Lead) => JsonValue> = {
  num_contacts: (l) => l.contacts.length,
  num_opportunities: (l) => l.opportunities.length,
  num_tasks: (l) => l.tasks.length,
  primary_email: (l) => {
    for (const c of l.contacts) if (c.emails.length > 0) return c.emails[0];
    return null;
  },
  primary_phone: (l) => {
    for (const c of l.contacts) if (c.phones.length > 0) return c.phones[0];
    return null;
  },
  primary_contact_id: (l) => (l.contacts.length > 0 ? l.contacts[0].id : null),
};

export function projectLead(lead: Lead, spec: FieldSpec | null): JsonObject {
  if (!spec) return lead;
  if (spec.all) {
    const out: JsonObject = { ...lead };
    for (const [k, fn] of Object.entries(SMART_FIELDS)) out[k] = fn(lead);
    return out;
  }
  const out: JsonObject = {};
  for (const name of spec.names) {
    if (name === 'custom') {
      for (const k in lead) if (k.startsWith('custom.')) out[k] = lead[k];
      continue;
    }
    const v = lead[name];
    if (v !== undefined) out[name] = v;
    else if (name in SMART_FIELDS) out[name] = SMART_FIELDS[name](lead);
  }
  return out;
}

/**
 * Plain objects (organisation, users, contacts…): keep the named keys that exist. `customSubsets: false`
 * ignores `custom.cf_…` names like any unknown name: subsets are announced for the Leads API only
 * ("Returning single custom fields in the Leads API", changelog 2023-11-10), so for contacts and
 * opportunities the fake takes the harsher reading unless told otherwise.
 */
export function projectPlain<T extends JsonObject>(
  obj: T,
  spec: FieldSpec | null,
  customSubsets = true,
): JsonObject {
  if (!spec || spec.all) return obj;
  const out: JsonObject = {};
  for (const name of spec.names) {
    if (name === 'custom') {
      for (const k in obj) if (k.startsWith('custom.')) out[k] = obj[k];
      continue;
    }
    if (!customSubsets && name.startsWith('custom.')) continue;
    const v = obj[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}
