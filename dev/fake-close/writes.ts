// Lead, contact and opportunity writes (POST/PUT bodies): validate everything first, then apply atomically.
// PUT is a partial update: keys not sent are untouched. Read-only and unknown keys are silently ignored.

import { normalizePhone, parseDateOnly } from './ids';
import {
  displayNameOf,
  makeContact,
  makeEmail,
  makeLead,
  makePhone,
  type OrgIndex,
  refreshOpportunity,
} from './model';
import type { Contact, CustomField, Email, JsonObject, JsonValue, Lead, Opportunity, Phone } from './types';
import { applyAddRemove, MESSAGES, type ValueEnv, validateCustomValue } from './validation';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
  ) {
    super(`HTTP ${status}`);
  }
}

export function validationError(errors: string[], fieldErrors: JsonObject): HttpError {
  return new HttpError(400, { errors, 'field-errors': fieldErrors });
}

export interface WriteEnv extends ValueEnv {
  index: OrgIndex;
  /** Close-formatted "now". */
  nowString: string;
  /** The acting user (the API key's owner). */
  userId: string;
  newId(prefix: string): string;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Patch = Map<string, JsonValue | undefined>;

/** Plans `custom.*` keys (and the deprecated `custom` dict) into `patch`; errors go to `fieldErrors`. */
function planCustom(
  body: JsonObject,
  fields: CustomField[],
  byId: Map<string, CustomField>,
  current: (key: string) => JsonValue | undefined,
  currentKeys: () => string[],
  env: ValueEnv,
  fieldErrors: JsonObject,
  patch: Patch,
): void {
  const resolve = (ref: string) => byId.get(ref) ?? fields.find((f) => f.name === ref);
  const legacy = body.custom;
  if (legacy !== undefined) {
    // Deprecated `custom` dict: replaces ALL custom values of the object (reported 2015 behaviour).
    for (const k of currentKeys()) patch.set(k, undefined);
    if (isObject(legacy)) {
      for (const [ref, v] of Object.entries(legacy)) {
        const field = resolve(ref);
        if (!field) {
          fieldErrors[`custom.${ref}`] = MESSAGES.unknownField(ref);
          continue;
        }
        const r = validateCustomValue(field, v, env);
        if (r.ok) patch.set(`custom.${field.id}`, r.value);
        else fieldErrors[`custom.${ref}`] = r.message;
      }
    }
  }
  const ops: Array<[string, CustomField, 'add' | 'remove', JsonValue]> = [];
  for (const [key, v] of Object.entries(body)) {
    if (!key.startsWith('custom.')) continue;
    const rest = key.slice('custom.'.length);
    let field = resolve(rest);
    let op: 'add' | 'remove' | null = null;
    if (!field) {
      const m = /^(.*)\.(add|remove)$/.exec(rest);
      if (m) {
        field = resolve(m[1]);
        op = m[2] === 'add' ? 'add' : 'remove';
      }
    }
    if (!field) {
      const m = /^(.*)\.(add|remove)$/.exec(rest);
      fieldErrors[key] = MESSAGES.unknownField(m ? m[1] : rest);
      continue;
    }
    // `editable_with_roles` (a field object's list of role ids, in Close's custom field payloads and
    // docs) limits who may write the field. What Close answers a user without the role is not
    // documented; the harsher reading: the whole write is refused (400, nothing applied) with a
    // field-error on that key, like any invalid value.
    if (
      env.roleId !== undefined &&
      field.editable_with_roles.length > 0 &&
      !field.editable_with_roles.includes(env.roleId)
    ) {
      fieldErrors[key] = MESSAGES.roleRestricted(field.name);
      continue;
    }
    if (op) {
      ops.push([key, field, op, v]);
      continue;
    }
    const r = validateCustomValue(field, v, env);
    if (r.ok) patch.set(`custom.${field.id}`, r.value);
    else fieldErrors[key] = r.message;
  }
  for (const [key, field, op, v] of ops) {
    // "you can specify .add or .remove as part of the field key to add/remove a single value to/from a list
    // of values" (developer.close.com/api/resources/leads/update, also opportunities/update). A list there is
    // undocumented: the harsher reading is a refusal.
    if (Array.isArray(v)) {
      fieldErrors[key] = MESSAGES.singleValueOnly;
      continue;
    }
    const k = `custom.${field.id}`;
    const base = patch.has(k) ? patch.get(k) : current(k);
    const r = applyAddRemove(field, op, v, base, env);
    if (r.ok) patch.set(k, r.value);
    else fieldErrors[key] = r.message;
  }
}

function applyPatch(target: JsonObject, patch: Patch): void {
  for (const [k, v] of patch) {
    if (v === undefined) delete target[k];
    else target[k] = v;
  }
}

function customKeysOf(o: JsonObject): string[] {
  return Object.keys(o).filter((k) => k.startsWith('custom.'));
}

function planStatus(
  body: JsonObject,
  env: WriteEnv,
  errors: string[],
  fieldErrors: JsonObject,
): string | undefined {
  const hasId = body.status_id !== undefined;
  const hasLabel = body.status !== undefined;
  if (hasId && hasLabel) {
    errors.push(MESSAGES.statusBoth);
    return undefined;
  }
  if (hasId) {
    const v = body.status_id;
    if (typeof v === 'string' && env.index.leadStatusById.has(v)) return v;
    fieldErrors.status = MESSAGES.leadStatus(typeof v === 'string' ? v : JSON.stringify(v));
  }
  if (hasLabel) {
    const v = body.status;
    const s = typeof v === 'string' ? env.index.leadStatusByLabel(v) : undefined;
    if (s) return s.id;
    fieldErrors.status = MESSAGES.leadStatus(typeof v === 'string' ? v : JSON.stringify(v));
  }
  return undefined;
}

function planEmails(v: JsonValue, errs: JsonObject): Email[] | null {
  if (!Array.isArray(v)) {
    errs.emails = 'Not a valid list.';
    return null;
  }
  const out: Email[] = [];
  const itemErrors: JsonObject = {};
  v.forEach((item, i) => {
    const email = isObject(item) ? item.email : undefined;
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      itemErrors[String(i)] = { errors: [], 'field-errors': { email: 'Invalid email address.' } };
      return;
    }
    const type = isObject(item) && typeof item.type === 'string' ? item.type : 'office';
    out.push(makeEmail(email, type));
  });
  if (Object.keys(itemErrors).length > 0) {
    errs.emails = { errors: itemErrors };
    return null;
  }
  return out;
}

function planPhones(v: JsonValue, errs: JsonObject): Phone[] | null {
  if (!Array.isArray(v)) {
    errs.phones = 'Not a valid list.';
    return null;
  }
  const out: Phone[] = [];
  const itemErrors: JsonObject = {};
  v.forEach((item, i) => {
    const raw = isObject(item) ? item.phone : undefined;
    const phone = typeof raw === 'string' ? normalizePhone(raw) : null;
    if (!phone) {
      itemErrors[String(i)] = { errors: [], 'field-errors': { phone: 'Invalid phone number.' } };
      return;
    }
    const type = isObject(item) && typeof item.type === 'string' ? item.type : 'office';
    out.push(makePhone(phone, type));
  });
  if (Object.keys(itemErrors).length > 0) {
    errs.phones = { errors: itemErrors };
    return null;
  }
  return out;
}

/** Validates a contact body; returns the patch (regular keys + custom keys) or records errors in `errs`. */
function planContact(body: JsonObject, contact: Contact | null, env: WriteEnv, errs: JsonObject): Patch {
  const patch: Patch = new Map();
  for (const key of ['name', 'title'] as const) {
    const v = body[key];
    if (v === undefined) continue;
    if (v === null || typeof v === 'string') patch.set(key, v ?? '');
    else errs[key] = 'Not a valid string.';
  }
  if (body.emails !== undefined) {
    const emails = planEmails(body.emails, errs);
    if (emails) patch.set('emails', emails);
  }
  if (body.phones !== undefined) {
    const phones = planPhones(body.phones, errs);
    if (phones) patch.set('phones', phones);
  }
  const fields = env.index.org.contactCustomFields;
  planCustom(
    body,
    fields,
    env.index.contactFieldById,
    (k) => contact?.[k],
    () => (contact ? customKeysOf(contact) : []),
    env,
    errs,
    patch,
  );
  return patch;
}

function newContact(patch: Patch, env: WriteEnv): Contact {
  const str = (k: string) => {
    const v = patch.get(k);
    return typeof v === 'string' ? v : '';
  };
  const contact = makeContact({
    id: env.newId('cont'),
    name: str('name'),
    title: str('title'),
    emails: [],
    phones: [],
    created: env.nowString,
    createdBy: env.userId,
    orgId: env.index.org.organization.id,
  });
  applyPatch(contact, patch);
  return contact;
}

/** POST /lead/ (lead = null) or PUT /lead/{id}/. Throws HttpError(400) on any validation error. */
export function writeLead(lead: Lead | null, body: JsonObject, env: WriteEnv): Lead {
  const errors: string[] = [];
  const fieldErrors: JsonObject = {};
  const patch: Patch = new Map();
  for (const key of ['name', 'url', 'description'] as const) {
    const v = body[key];
    if (v === undefined) continue;
    if (v === null || typeof v === 'string') patch.set(key, key === 'description' ? (v ?? '') : v);
    else fieldErrors[key] = 'Not a valid string.';
  }
  const statusId = planStatus(body, env, errors, fieldErrors);
  if (body.addresses !== undefined) {
    if (Array.isArray(body.addresses) && body.addresses.every(isObject))
      patch.set('addresses', body.addresses);
    else fieldErrors.addresses = 'Not a valid list.';
  }
  const newContacts: Contact[] = [];
  if (body.contacts !== undefined) {
    if (lead) {
      fieldErrors.contacts = MESSAGES.contactsOnLeadPut;
    } else if (!Array.isArray(body.contacts)) {
      fieldErrors.contacts = 'Not a valid list.';
    } else {
      const contactErrors: JsonObject = {};
      body.contacts.forEach((c, i) => {
        const errs: JsonObject = {};
        if (!isObject(c)) {
          contactErrors[String(i)] = { errors: ['Not a valid object.'], 'field-errors': {} };
          return;
        }
        const p = planContact(c, null, env, errs);
        if (Object.keys(errs).length > 0) contactErrors[String(i)] = { errors: [], 'field-errors': errs };
        else newContacts.push(newContact(p, env));
      });
      if (Object.keys(contactErrors).length > 0) fieldErrors.contacts = { errors: contactErrors };
    }
  }
  planCustom(
    body,
    env.index.org.customFields,
    env.index.leadFieldById,
    (k) => lead?.[k],
    () => (lead ? customKeysOf(lead) : []),
    env,
    fieldErrors,
    patch,
  );
  if (errors.length > 0 || Object.keys(fieldErrors).length > 0) throw validationError(errors, fieldErrors);

  if (!lead) {
    const status = statusId ? env.index.leadStatusById.get(statusId) : env.index.org.leadStatuses[0];
    const name = patch.get('name');
    const url = patch.get('url');
    const description = patch.get('description');
    const created = makeLead({
      id: env.newId('lead'),
      name: typeof name === 'string' ? name : null,
      description: typeof description === 'string' ? description : '',
      url: typeof url === 'string' ? url : null,
      statusId: status?.id ?? '',
      statusLabel: status?.label ?? '',
      created: env.nowString,
      updated: env.nowString,
      createdBy: env.userId,
      updatedBy: env.userId,
      orgId: env.index.org.organization.id,
      contacts: newContacts,
      opportunities: [],
    });
    for (const k of ['name', 'url', 'description']) patch.delete(k);
    applyPatch(created, patch);
    return created;
  }

  applyPatch(lead, patch);
  if (statusId) {
    lead.status_id = statusId;
    lead.status_label = env.index.leadStatusById.get(statusId)?.label ?? '';
  }
  if (patch.has('name')) {
    lead.display_name = displayNameOf(lead.name, lead.contacts);
    for (const o of lead.opportunities) o.lead_name = lead.display_name;
  }
  lead.date_updated = env.nowString;
  lead.updated_by = env.userId;
  return lead;
}

/** PUT /contact/{id}/. */
export function writeContact(contact: Contact, lead: Lead, body: JsonObject, env: WriteEnv): Contact {
  const errs: JsonObject = {};
  const patch = planContact(body, contact, env, errs);
  if (Object.keys(errs).length > 0) throw validationError([], errs);
  applyPatch(contact, patch);
  if (patch.has('name')) {
    contact.display_name = contact.name;
    lead.display_name = displayNameOf(lead.name, lead.contacts);
  }
  contact.date_updated = env.nowString;
  contact.updated_by = env.userId;
  lead.date_updated = env.nowString;
  lead.updated_by = env.userId;
  return contact;
}

const PERIODS = ['one_time', 'monthly', 'annual'];

/**
 * Opportunity fields that take no null. Close's OpenAPI `Opportunity` schema (api-evangelist/close
 * openapi/close-openapi.yml) types `confidence` integer, `user_id` string, `value_period` an enum and
 * `status_id` string, without 'null' — where `value`, `note`, `date_won` and `contact_id` list 'null'.
 * The message is marshmallow's default, like Close's other field messages ("Not a valid string.").
 */
const NOT_NULLABLE = ['confidence', 'user_id', 'value_period'] as const;

/** PUT /opportunity/{id}/. `value` is integer cents. */
export function writeOpportunity(opp: Opportunity, lead: Lead, body: JsonObject, env: WriteEnv): Opportunity {
  const errors: string[] = [];
  const fe: JsonObject = {};
  const patch: Patch = new Map();
  for (const key of NOT_NULLABLE) if (body[key] === null) fe[key] = MESSAGES.notNull;
  if (body.value !== undefined) {
    if (body.value === null || (typeof body.value === 'number' && Number.isInteger(body.value))) {
      // No source for what Close stores for `value: null` (the schema allows null; a read-back is not on
      // record). The fake reads it back as 0; `npm run probe` should record the real answer.
      patch.set('value', body.value ?? 0);
    } else fe.value = 'Not a valid integer (the value is in cents).';
  }
  if (body.value_period !== undefined && body.value_period !== null) {
    if (typeof body.value_period === 'string' && PERIODS.includes(body.value_period)) {
      patch.set('value_period', body.value_period);
    } else fe.value_period = `Not a valid choice. Choose one of: ${PERIODS.join(', ')}.`;
  }
  if (body.confidence !== undefined && body.confidence !== null) {
    const c = body.confidence;
    if (typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 100) patch.set('confidence', c);
    else fe.confidence = 'Must be an integer between 0 and 100.';
  }
  if (body.note !== undefined) {
    if (typeof body.note === 'string' || body.note === null) patch.set('note', body.note ?? '');
    else fe.note = 'Not a valid string.';
  }
  if (body.date_won !== undefined) {
    if (
      body.date_won === null ||
      (typeof body.date_won === 'string' && parseDateOnly(body.date_won) !== null)
    ) {
      patch.set('date_won', body.date_won);
    } else fe.date_won = MESSAGES.invalidDate(String(body.date_won));
  }
  if (body.user_id !== undefined && body.user_id !== null) {
    if (typeof body.user_id === 'string' && env.userExists(body.user_id)) {
      patch.set('user_id', body.user_id);
    } else fe.user_id = MESSAGES.invalidUser(String(body.user_id));
  }
  if (body.contact_id !== undefined) {
    const c = body.contact_id;
    if (c === null || (typeof c === 'string' && lead.contacts.some((x) => x.id === c)))
      patch.set('contact_id', c);
    else fe.contact_id = MESSAGES.invalidContact(String(c));
  }
  if (body.status_id !== undefined && body.status !== undefined) errors.push(MESSAGES.statusBoth);
  else if (body.status_id !== undefined) {
    const v = body.status_id;
    if (typeof v === 'string' && env.index.oppStatusById.has(v)) patch.set('status_id', v);
    else fe.status = MESSAGES.oppStatus(String(v));
  } else if (body.status !== undefined) {
    const s = typeof body.status === 'string' ? env.index.oppStatusByLabel(body.status) : undefined;
    if (s) patch.set('status_id', s.id);
    else fe.status = MESSAGES.oppStatus(String(body.status));
  }
  if (errors.length > 0 || Object.keys(fe).length > 0) throw validationError(errors, fe);
  applyPatch(opp, patch);
  const status = env.index.oppStatusById.get(opp.status_id);
  if (patch.has('status_id') && status) {
    const today = env.nowString.slice(0, 10);
    opp.date_won = status.type === 'won' ? (patch.has('date_won') ? opp.date_won : today) : null;
    opp.date_lost = status.type === 'lost' ? today : null;
  }
  refreshOpportunity(opp, env.index);
  opp.date_updated = env.nowString;
  opp.updated_by = env.userId;
  lead.date_updated = env.nowString;
  lead.updated_by = env.userId;
  return opp;
}
