// A contact's emails or phones: Close keeps a list of {email|phone, type}; the cell shows the addresses
// joined like multi-values. Types are kept for addresses that stay; new ones are "office".
import { bad, MULTI_VALUE_SEPARATOR, ok } from './cells';
import type { FieldKind, KindCodec } from './kind';

const EMAIL = /^[^\s@;]+@[^\s@;]+\.[^\s@;]+$/;
const PHONE = /^\+?[\d\s().-]{5,}(\s*(x|ext\.?)\s*\d+)?$/i;

/** The same addresses in the same order (their types aside: the cell does not show them). */
function sameAddresses(field: 'email' | 'phone') {
  const list = (v: unknown) =>
    Array.isArray(v) ? v.map((p) => String((p as Record<string, unknown>)?.[field] ?? '')) : [];
  return (a: unknown, b: unknown) => {
    const [x, y] = [list(a), list(b)];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  };
}

function contactPointCodec(field: 'email' | 'phone', pattern: RegExp, what: string): KindCodec {
  const addresses = (v: unknown) =>
    Array.isArray(v)
      ? v.map((p) => String((p as Record<string, unknown>)?.[field] ?? '')).filter(Boolean)
      : [];
  return {
    encode: (v) => addresses(v).join(MULTI_VALUE_SEPARATOR),
    isLossy: () => false,
    decode: (cell) => {
      const parts = String(cell)
        .split(';')
        .map((p) => p.trim())
        .filter(Boolean);
      const wrong = parts.find((p) => !pattern.test(p));
      if (wrong !== undefined) return bad(`${JSON.stringify(wrong)} is not ${what}`);
      return ok(parts.map((p) => ({ [field]: p, type: 'office' })));
    },
    reconcile: (decoded, old) => {
      const before = Array.isArray(old) ? (old as Array<Record<string, unknown>>) : [];
      return (decoded as Array<Record<string, unknown>>).map((p) => {
        const same = before.find((b) => b[field] === p[field]);
        return same ? { [field]: p[field], type: same.type ?? 'office' } : p;
      });
    },
  };
}

const contactPointBase = {
  numberFormat: '@',
  multiValue: 'addresses',
  addRemove: false,
  dropdown: null,
  display: 'as the cell shows it',
  report: null,
} as const;

export const emails: FieldKind = {
  closeTypes: [], // a contact's standard fields, never custom ones
  codec: () => contactPointCodec('email', EMAIL, 'an email address'),
  takes: 'email addresses, separated by "; "',
  same: sameAddresses('email'),
  ...contactPointBase,
};

export const phones: FieldKind = {
  closeTypes: [], // a contact's standard fields, never custom ones
  codec: () => contactPointCodec('phone', PHONE, 'a phone number'),
  takes: 'phone numbers, separated by "; "',
  same: sameAddresses('phone'),
  ...contactPointBase,
};
