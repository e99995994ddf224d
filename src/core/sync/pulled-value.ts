// What the snapshot keeps of a pulled value: the value itself where it is short or needed as a value,
// else a short hash of it. The snapshot only ever answers "is this the value that was pulled?" (is the
// cell an unpushed edit; did Close change the field since the pull), and Close's current value is read
// at push time anyway, so most fields need no more than a hash: storing them whole made the hidden
// snapshot sheet larger than the visible one (62% of a pull's bytes were its JSON).
//
// The hash is 36 bits (6 characters of base64url). A collision matters only when the one value a field
// is compared with hashes like the pulled one: a typed edit would then look unedited (and not be
// pushed), or a colleague's change in Close would not be seen as a conflict. For a value that changed,
// that happens 1 time in 2^36 ≈ 69 billion; 10,000 reps pushing 100 edits a day would meet it about once
// in 190 years. A longer hash costs a character per field on every lead (6 characters is already the
// largest part of a row).
//
// Interned (kept exactly, as a one- or two-character index into a list in the snapshot's header):
// statuses, users and choices — a few dozen ids and labels that repeat on every lead.
//
// Kept as values, never hashed:
// - empty values and values as short as a hash (numbers of a few digits, short choices);
// - the Name (the row guards index pulled rows by name and name leads in their messages);
// - emails and phones of contacts (a push keeps each address's type from the pulled value);
// - a value too long for a cell (it is never pushed, and the check needs to know it is that);
// - a value whose cell would not read back as the same value (an unknown user, a choice Close no
//   longer offers): only a decodable cell can be compared with a hash, and such a cell must stay
//   "unedited" while the rep leaves it alone.
// Multi-value fields (choices, users) keep one token per value, so add/remove mode can still tell which
// values the rep added or removed.
import type { CellValue } from '../ports';
import { apiValuesEqual, MAX_CELL_CHARS } from '../schema/codecs';
import type { ValueKind } from '../schema/columns';
import { isDate, isYmd, parseCloseDateTime } from '../schema/dates';
import type { BoundColumn } from './changes';

/** A pulled value kept as its hash only. */
export class Hashed {
  constructor(readonly hash: string) {}
  /** Never shown as a value: a hashed value reads as empty where a string is asked for. */
  toString(): string {
    return '';
  }
}

/** A pulled value the snapshot keeps exactly, as an index into its header's list of values. */
export class Interned {
  constructor(readonly value: string | string[]) {}
}

const INTERNED_KINDS = new Set<ValueKind>([
  'choice',
  'choices',
  'user',
  'users',
  'status',
  'opportunity_status',
]);

export const HASH_CHARS = 6;
/** A string of at most this many characters is kept as itself: `("ab")` costs no more than a hash. */
const LITERAL_STRING_CHARS = HASH_CHARS - 4;
/** A number of at most this many characters is kept as itself: `(1234)`. */
const LITERAL_NUMBER_CHARS = HASH_CHARS - 2;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Keys whose value is always kept whole (see above). */
const LITERAL_KEYS = new Set(['name']);
const LITERAL_KINDS = new Set<ValueKind>(['emails', 'phones']);

// Module constants: a global looked up per value is slow in Apps Script's (and the tests' vm) realm.
const { imul } = Math;
const { isArray } = Array;

/** The alphabet's character codes, so a hash is made in one string, not six concatenated. */
const ALPHABET_CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
const { fromCharCode } = String;

/**
 * 36 bits of cyrb53 (a public-domain 53-bit string hash: two 32-bit multiply-xorshift lanes), as six
 * base64url characters. Plain JS: Apps Script's Utilities.computeDigest is a service call per value.
 * `prefix` is hashed before `text`, as if joined to it (without making the joined string: a pull hashes
 * hundreds of thousands of values).
 */
export function hashText(text: string, prefix = ''): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < prefix.length; i++) {
    const ch = prefix.charCodeAt(i);
    h1 = imul(h1 ^ ch, 2654435761);
    h2 = imul(h2 ^ ch, 1597334677);
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = imul(h1 ^ ch, 2654435761);
    h2 = imul(h2 ^ ch, 1597334677);
  }
  h1 = imul(h1 ^ (h1 >>> 16), 2246822507) ^ imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = imul(h2 ^ (h2 >>> 16), 2246822507) ^ imul(h1 ^ (h1 >>> 13), 3266489909);
  // 32 bits of h1 and 4 of h2.
  const lo = h1 >>> 0;
  const hi = (h2 >>> 0) & 0xf;
  const a = ALPHABET_CODES;
  return fromCharCode(
    a[lo & 63],
    a[(lo >>> 6) & 63],
    a[(lo >>> 12) & 63],
    a[(lo >>> 18) & 63],
    a[(lo >>> 24) & 63],
    a[((lo >>> 30) | (hi << 2)) & 63],
  );
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (isArray(value) && value.length === 0);
}

/**
 * One text per class of values apiValuesEqual calls equal (for a non-empty single value): datetimes
 * as instants, numbers as numbers, everything else exactly.
 */
export function canonical(value: unknown, kind: ValueKind): string {
  if (kind === 'datetime' && typeof value === 'string') {
    const ms = parseCloseDateTime(value);
    if (ms !== null) return `t${ms}`;
  }
  if (kind === 'number' || kind === 'money') return `n${Number(value)}`;
  if (typeof value === 'string') return `s${value}`;
  return `j${JSON.stringify(value)}`;
}

function isShortElement(element: unknown): boolean {
  return String(element).length <= LITERAL_STRING_CHARS;
}

/** A multi-value's element as compared with a pulled element (multi-values compare as sets of strings). */
export function elementKey(element: unknown): string {
  if (element instanceof Hashed) return `#${element.hash}`;
  const text = String(element);
  return isShortElement(text) ? `=${text}` : `#${hashText(`s${text}`)}`;
}

/** Whether a pulled value (as the snapshot returns it) holds a hash anywhere. */
export function isHashed(value: unknown): boolean {
  return value instanceof Hashed || (isArray(value) && value.some((v) => v instanceof Hashed));
}

/** The cell a pull writes for a value reads back as that value (so an untouched cell matches its hash). */
function readsBack(bound: BoundColumn, value: unknown, cell: CellValue): boolean {
  const back = bound.codec.decode(cell);
  return back.ok && apiValuesEqual(back.value, value, bound.column.kind);
}

/**
 * What the snapshot keeps of a value a pull placed: the value, or its hash (see the top of the file).
 * `cell` is what the pull writes for it: a value is hashed only when that cell reads back as the value
 * (checked by decoding it, except for kinds whose cells read back by construction).
 */
export function pulledToken(bound: BoundColumn, value: unknown, cell: CellValue): unknown {
  const { column } = bound;
  const kind = column.kind;
  if (INTERNED_KINDS.has(kind)) {
    if (typeof value === 'string' && value.length > LITERAL_STRING_CHARS) return new Interned(value);
    if (isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
      return new Interned(value as string[]);
    return value;
  }
  if (typeof value === 'string') {
    if (value.length <= LITERAL_STRING_CHARS || LITERAL_KEYS.has(column.key) || LITERAL_KINDS.has(kind))
      return value;
    // A text cell is the string itself (plain-text format), unless too long for a cell (never pushed).
    if (kind === 'text') return value.length > MAX_CELL_CHARS ? value : new Hashed(hashText(value, 's'));
    if (kind === 'datetime') {
      // A Date cell of the instant: it reads back as the same instant.
      const ms = parseCloseDateTime(value);
      return ms === null ? value : new Hashed(hashText(`t${ms}`));
    }
    if (kind === 'date') return isYmd(value) ? new Hashed(hashText(value, 's')) : value;
    return readsBack(bound, value, cell) ? new Hashed(hashText(canonical(value, kind))) : value;
  }
  if (typeof value === 'number') {
    if (String(value).length <= LITERAL_NUMBER_CHARS || (kind !== 'number' && kind !== 'money')) return value;
    return readsBack(bound, value, cell) ? new Hashed(hashText(`n${value}`)) : value;
  }
  // Lists stay whole. Close sends them for multi-value choices and users (interned above) and contacts'
  // emails and phones (kept whole); in a field of any other kind (one whose type changed in Close, say)
  // the cell shows the list's JSON, which reads back as one text or not at all, never as the list, so
  // there is nothing to hash it against. (Snapshots written before may still hold lists of hashed
  // elements: sameAsPulled and elementKey read them.)
  return value;
}

/** Whether a value is the pulled one: apiValuesEqual, for a pulled value that may be hashed. */
export function sameAsPulled(value: unknown, pulled: unknown, kind: ValueKind): boolean {
  if (!isHashed(pulled)) return apiValuesEqual(value, pulled, kind);
  if (isEmpty(value)) return false;
  if (isArray(value) || isArray(pulled)) {
    const a = (isArray(value) ? value : [value]).map(elementKey).sort();
    const b = (isArray(pulled) ? pulled : [pulled]).map(elementKey).sort();
    return a.length === b.length && a.every((k, i) => k === b[i]);
  }
  return hashText(canonical(value, kind)) === (pulled as Hashed).hash;
}

/** Whether a cell shows the pulled value (formatting alone is no edit), for a value that may be hashed. */
export function showsPulled(bound: BoundColumn, cell: CellValue, pulled: unknown): boolean {
  if (!isHashed(pulled)) return bound.codec.shows(cell, bound.codec.encode(pulled ?? null));
  // A cell showing the pulled value as it was written (text as itself, an instant as a Date, a number)
  // is unedited, whatever its column's kind is now (a field whose type changed in Close is no edit
  // until the rep types): the fast path of every push's and preview's scan of the sheet.
  if (pulled instanceof Hashed) {
    const shown =
      typeof cell === 'string'
        ? cell !== '' && hashText(cell, 's')
        : typeof cell === 'number'
          ? hashText(`n${cell}`)
          : isDate(cell)
            ? hashText(`t${cell.getTime()}`)
            : false;
    if (shown === pulled.hash) return true;
  }
  const decoded = bound.codec.decode(cell);
  return decoded.ok && sameAsPulled(decoded.value, pulled, bound.column.kind);
}

/**
 * A pulled multi-value's elements resolved against Close's current value: a hashed element becomes the
 * current element it stands for (or is left out when Close no longer has it).
 */
export function pulledElements(pulled: unknown, current: unknown): unknown[] {
  const list = isArray(pulled) ? pulled : isEmpty(pulled) ? [] : [pulled];
  const now = isArray(current) ? current : isEmpty(current) ? [] : [current];
  const out: unknown[] = [];
  for (const element of list) {
    if (!(element instanceof Hashed)) out.push(element);
    else {
      const found = now.find((v) => elementKey(v) === elementKey(element));
      if (found !== undefined) out.push(found);
    }
  }
  return out;
}

/** Whether a value (not hashed) is one of a pulled multi-value's elements. */
export function isPulledElement(value: unknown, pulled: unknown[]): boolean {
  const key = elementKey(value);
  return pulled.some((p) => elementKey(p) === key);
}

// Read-only values (dates, primary contact, opportunity totals, read-only custom fields) are never
// pushed: the snapshot keeps a digest of each only so that an incremental refresh can tell which of
// them Close changed for the leads it re-reads, and read and write only those columns (a read-only
// column has no other record to compare with, and reading it whole costs as much as the rest of the
// refresh). A digest is shorter than a hash: a collision only means that a changed read-only value is
// not shown until the next full pull (at least daily, incremental.ts), 1 time in 2^18 ≈ 262,000 changed
// values — an hourly refresh of 500 changed leads a day meets it about once in 20 days, for a day, on one
// cell no one can push — and 3 characters on each of a dozen read-only columns keep a first pull's
// snapshot at 47% of the visible sheet's bytes (issue 15's target is at most half; 4 characters made it
// 49.6%, 6 characters 53%). No value is ever sent on a digest's word.

/** A read-only value kept as its digest only (see above). */
export class Digest {
  constructor(readonly hash: string) {}
  /** Never shown as a value. */
  toString(): string {
    return '';
  }
}

export const DIGEST_CHARS = 3;
/** How a snapshot layout names a read-only field's digest (never a Close field key). */
export const DIGEST_KEY_PREFIX = '#';

/** The digest of a read-only value as a pull placed it (empty values have their own). */
export function readOnlyDigest(value: unknown, kind: ValueKind): Digest {
  const text = isEmpty(value) ? 'e' : canonical(value, kind);
  return new Digest(hashText(text).slice(0, DIGEST_CHARS));
}

/** Whether a read-only value is the one a pull recorded by `digest` (false when there is no digest). */
export function sameAsDigest(value: unknown, digest: unknown, kind: ValueKind): boolean {
  return digest instanceof Digest && readOnlyDigest(value, kind).hash === digest.hash;
}
