// Validation of custom field values by type, with Close-style messages. Values are normalised the way Close
// stores them (numeric strings → numbers, datetimes → UTC `…+00:00`, multi-value scalars → one-element arrays).

import { formatCloseDate, parseDateOnly, parseDateTime } from './ids';
import type { CustomField, JsonValue } from './types';

export const MESSAGES = {
  unknownField: (id: string) => `The Custom Field "${id}" does not exist.`,
  // Wording assumed (no recorded response): Close's 403 texts speak of permission.
  roleRestricted: (name: string) => `You don't have permission to edit the Custom Field "${name}".`,
  invalidChoice: (v: string) => `Invalid choice: '${v}'`,
  invalidNumber: (v: string) => `Invalid number: '${v}'`,
  invalidDate: (v: string) => `Invalid date: '${v}'. Use the YYYY-MM-DD format.`,
  invalidDateTime: (v: string) =>
    `Invalid datetime: '${v}'. Use an ISO 8601 datetime such as 2024-01-02T15:04:05+00:00.`,
  invalidUser: (v: string) => `Invalid user: '${v}'`,
  invalidContact: (v: string) => `Invalid contact: '${v}'`,
  notMultiple: 'This field does not accept multiple values.',
  notNull: 'Field may not be null.',
  singleValueOnly: 'Not a valid value: .add and .remove take a single value, not a list.',
  expectedString: 'Invalid value: expected a string.',
  expectedScalar: 'Invalid value: expected a string, number or boolean.',
  leadStatus: (v: string) =>
    `Not a valid choice. Please go to Customizations in your organization settings and add "${v}" to the list of lead statuses.`,
  oppStatus: (v: string) =>
    `Not a valid choice. Please go to Customizations in your organization settings and add "${v}" to the list of opportunity statuses.`,
  statusBoth: "Provide either 'status' or 'status_id', not both.",
  contactsOnLeadPut:
    'Contacts cannot be updated through the lead endpoint. Use PUT /api/v1/contact/{id}/ instead.',
} as const;

export interface ValueEnv {
  userExists(id: string): boolean;
  contactExists(id: string): boolean;
  /**
   * The acting user's role id (their membership's `role_id`), for fields whose `editable_with_roles`
   * names the roles that may write them; undefined = no role check (a colleague's edit in a test).
   */
  roleId?: string;
}

/** `undefined` value = clear the field. */
export type ValueResult = { ok: true; value: JsonValue | undefined } | { ok: false; message: string };

function describe(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function validateScalar(field: CustomField, v: JsonValue, env: ValueEnv): ValueResult {
  switch (field.type) {
    case 'text':
    case 'textarea':
      if (typeof v === 'string') return { ok: true, value: v };
      if (typeof v === 'number') return { ok: true, value: String(v) };
      return { ok: false, message: MESSAGES.expectedString };
    case 'number': {
      if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, value: v };
      if (typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) {
        return { ok: true, value: Number(v) };
      }
      return { ok: false, message: MESSAGES.invalidNumber(describe(v)) };
    }
    case 'date':
      if (typeof v === 'string' && parseDateOnly(v) !== null) return { ok: true, value: v };
      return { ok: false, message: MESSAGES.invalidDate(describe(v)) };
    case 'datetime': {
      const p = typeof v === 'string' ? parseDateTime(v) : null;
      if (!p) return { ok: false, message: MESSAGES.invalidDateTime(describe(v)) };
      return { ok: true, value: formatCloseDate(p.ms, { micros: p.micros, omitZeroFraction: true }) };
    }
    case 'choices':
      if (typeof v === 'string' && (field.choices ?? []).includes(v)) return { ok: true, value: v };
      return { ok: false, message: MESSAGES.invalidChoice(describe(v)) };
    case 'user':
      if (typeof v === 'string' && env.userExists(v)) return { ok: true, value: v };
      return { ok: false, message: MESSAGES.invalidUser(describe(v)) };
    case 'contact':
      if (typeof v === 'string' && env.contactExists(v)) return { ok: true, value: v };
      return { ok: false, message: MESSAGES.invalidContact(describe(v)) };
    case 'hidden':
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        return { ok: true, value: v };
      return { ok: false, message: MESSAGES.expectedScalar };
  }
}

function isEmpty(v: JsonValue): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** A value for `custom.cf_X` (replace). `null`, `''` and `[]` clear the field. */
export function validateCustomValue(field: CustomField, v: JsonValue, env: ValueEnv): ValueResult {
  if (isEmpty(v)) return { ok: true, value: undefined };
  if (!field.accepts_multiple_values) {
    if (Array.isArray(v)) return { ok: false, message: MESSAGES.notMultiple };
    return validateScalar(field, v, env);
  }
  const items = Array.isArray(v) ? v : [v];
  const out: JsonValue[] = [];
  for (const item of items) {
    const r = validateScalar(field, item, env);
    if (!r.ok) return r;
    if (r.value !== undefined && !out.includes(r.value)) out.push(r.value);
  }
  return { ok: true, value: out };
}

/** `custom.cf_X.add` / `.remove` on a multi-value field; returns the new whole array (never mutates `current`). */
export function applyAddRemove(
  field: CustomField,
  op: 'add' | 'remove',
  v: JsonValue,
  current: JsonValue | undefined,
  env: ValueEnv,
): ValueResult {
  if (!field.accepts_multiple_values) return { ok: false, message: MESSAGES.notMultiple };
  const base: JsonValue[] = Array.isArray(current) ? [...current] : current == null ? [] : [current];
  const items = Array.isArray(v) ? v : [v];
  if (op === 'add') {
    for (const item of items) {
      const r = validateScalar(field, item, env);
      if (!r.ok) return r;
      if (r.value !== undefined && !base.includes(r.value)) base.push(r.value);
    }
  } else {
    for (const item of items) {
      const i = base.indexOf(item);
      if (i >= 0) base.splice(i, 1);
    }
  }
  return { ok: true, value: base.length > 0 ? base : undefined };
}
