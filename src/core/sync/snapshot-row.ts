// One snapshot row's values as text (format 3; snapshot.ts says where rows live and why they are
// compact). A row is `^<layout>:` and one token per field of the layout:
//   `xxxxxx`   a hashed value: six base64url characters (pulled-value.ts)
//   `*x`, `{xx` an interned value: its index in the header's list of values, in one or two base64url
//              characters (user, status and choice ids repeat on every lead: an index is exact and short)
//   `.`        null          `,`  an empty string
//   `(<JSON>)` a value kept whole, with `)` written `\u0029` (so the JSON ends at the first `)`)
//   `[…]`      a multi-value: one token per element
//   `|`        the read-only digests follow: each exactly three base64url characters, to the row's end
//              (pulled-value.ts Digest; the layout's keys for them start with `#`, and come last)
// No separators: every token says where it ends.
import { DIGEST_CHARS, Digest, HASH_CHARS, Hashed, Interned } from './pulled-value';

/** How a format-3 row starts (never a number, date or formula to Sheets: it stays text as written). */
export const ROW_MARK = '^';
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/**
 * Each character code's digit in DIGITS (the hashes' alphabet too), or -1: a refresh checks every row
 * of a 50,000-lead snapshot (readableLayout), and a table lookup per character is much cheaper than a
 * search of DIGITS.
 */
const DIGIT_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < DIGITS.length; i++) DIGIT_OF[DIGITS.charCodeAt(i)] = i;

/** The digit at `at` in `text`, or -1 (past its end, or not a digit). */
function digitAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? DIGIT_OF[code] : -1;
}

/**
 * Whether a whole hash starts at `at`: HASH_CHARS digits, all before the row's end. Every character is
 * checked, not only the first: a hand-edited or damaged cell (`^1:A!!!!!`) must read as damaged, not as a
 * hash no value will ever match (its field would then count as edited, and be pushed).
 */
function hashAt(text: string, at: number): boolean {
  if (at + HASH_CHARS > text.length) return false;
  for (let i = at; i < at + HASH_CHARS; i++) if (digitAt(text, i) < 0) return false;
  return true;
}

/** Whether `text` from `from` on is whole digests: a multiple of their length, every character a digit. */
function allDigests(text: string, from: number): boolean {
  if ((text.length - from) % DIGEST_CHARS !== 0) return false;
  for (let i = from; i < text.length; i++) if (digitAt(text, i) < 0) return false;
  return true;
}

/**
 * A row's tokens when they are only hashes, `.`, `,`, one-digit interned values and the digests, to
 * its end (sticky: matched from the layout's colon on). Every token starts with a character no other
 * starts with, so the match never backtracks.
 */
const PLAIN_ROW = /(?:[.,]|[A-Za-z0-9_-]{6}|\*[A-Za-z0-9_-])*(?:\|(?:[A-Za-z0-9_-]{3})*)?$/y;

/** Starts the read-only digests (every token after it is one). */
const DIGESTS_MARK = '|';
/** Interned values: 64 with one digit, then 4,096 with two; past that, values are kept as they are. */
const MAX_INTERNED = 64 + 64 * 64;

/** The header's list of interned values (only ever appended, so an index read stays valid). */
export class Dictionary {
  private readonly index = new Map<string, number>();
  changed = false;

  constructor(readonly values: string[] = []) {
    values.forEach((v, i) => {
      this.index.set(v, i);
    });
  }

  /** The token of a string already in the list, or null (nothing is added). */
  existing(value: string): string | null {
    const i = this.index.get(value);
    return i === undefined ? null : this.token(i);
  }

  /** The token of an interned string, or null when the list is full. */
  ref(value: string): string | null {
    let i = this.index.get(value);
    if (i === undefined) {
      if (this.values.length >= MAX_INTERNED) return null;
      i = this.values.push(value) - 1;
      this.index.set(value, i);
      this.changed = true;
    }
    return this.token(i);
  }

  private token(i: number): string {
    if (i < 64) return `*${DIGITS[i]}`;
    const j = i - 64;
    return `{${DIGITS[j >> 6]}${DIGITS[j & 63]}`;
  }

  valueAt(i: number): string {
    const v = this.values[i];
    if (v === undefined) throw new Error(`no interned value ${i}`);
    return v;
  }
}

function literalToken(value: unknown): string {
  return `(${JSON.stringify(value).replace(/\)/g, '\\u0029')})`;
}

function token(value: unknown, dictionary: Dictionary): string {
  if (value === null || value === undefined) return '.';
  if (value === '') return ',';
  if (value instanceof Hashed) return value.hash;
  if (value instanceof Interned) {
    if (!Array.isArray(value.value)) return dictionary.ref(value.value) ?? literalToken(value.value);
    return `[${value.value.map((v) => dictionary.ref(v) ?? literalToken(v)).join('')}]`;
  }
  if (Array.isArray(value) && value.some((v) => v instanceof Hashed))
    return `[${value.map((v) => (v instanceof Hashed ? v.hash : literalToken(v))).join('')}]`;
  // A string (or list of strings) the header already lists is written as its index: a push writes
  // values as they are (it knows no field kinds), and its rows stay as small as the pull's. Exact
  // either way: an index reads back as the very string.
  if (typeof value === 'string' && value.length > 2) return dictionary.existing(value) ?? literalToken(value);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    const refs = value.map((v) => dictionary.existing(v));
    if (refs.every((r) => r !== null)) return `[${refs.join('')}]`;
  }
  return literalToken(value);
}

/** A format-3 row: `^<layout>:` then one token per value (values from `from` on). */
export function encodeRow(
  layout: number,
  values: ArrayLike<unknown>,
  dictionary: Dictionary,
  from = 0,
): string {
  let text = `${ROW_MARK}${layout}:`;
  let digests = false;
  for (let i = from; i < values.length; i++) {
    const value = values[i];
    if (value instanceof Digest) {
      if (!digests) text += DIGESTS_MARK;
      digests = true;
      text += value.hash;
    } else if (digests) throw new Error('a value after the read-only digests');
    else text += token(value, dictionary);
  }
  return text;
}

/**
 * The layout of a format-3 row that decodeRow reads (its interned indexes among the `interned` values
 * listed), or -1: the same walk made without values, for a refresh that checks every row of a big
 * snapshot and unpacks only the few it rewrites.
 */
export function readableLayout(text: string, interned: number): number {
  const colon = text.indexOf(':');
  const layout = Number(text.slice(1, colon));
  if (text[0] !== ROW_MARK || colon < 2 || !Number.isInteger(layout)) return -1;
  // Most rows are hashes, nulls, empty strings, one-digit interned values and digests: one match of
  // PLAIN_ROW says so (a refresh checks every row of a 50,000-lead snapshot, 12 MB, and the regular
  // expression runs about twice as fast as the loop below). It accepts only rows the loop accepts
  // (a one-digit index is below `interned` when 64 values are interned); anything else is left to it.
  if (!text.includes('*') || interned >= 64) {
    PLAIN_ROW.lastIndex = colon + 1;
    if (PLAIN_ROW.test(text)) return layout;
  }
  const digit = (at: number) => digitAt(text, at);
  let list = false;
  let i = colon + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === DIGESTS_MARK && !list) return allDigests(text, i + 1) ? layout : -1;
    if (ch === '.' || ch === ',') i++;
    else if (ch === '(') {
      const end = text.indexOf(')', i);
      if (end < 0) return -1;
      try {
        JSON.parse(text.slice(i + 1, end));
      } catch {
        return -1;
      }
      i = end + 1;
    } else if (ch === '*') {
      const d = digit(i + 1);
      if (d < 0 || d >= interned) return -1;
      i += 2;
    } else if (ch === '{') {
      const a = digit(i + 1);
      const b = digit(i + 2);
      if (a < 0 || b < 0 || 64 + a * 64 + b >= interned) return -1;
      i += 3;
    } else if (ch === '[' && !list) {
      list = true;
      i++;
    } else if (ch === ']' && list) {
      list = false;
      i++;
    } else if (hashAt(text, i)) i += HASH_CHARS;
    else return -1;
  }
  return list ? -1 : layout;
}

/**
 * `[layout, …values]` from a format-3 row (interned values as themselves, hashed ones as Hashed); throws
 * on anything it cannot read (a damaged row).
 */
export function decodeRow(text: string, dictionary: Dictionary): unknown[] {
  const colon = text.indexOf(':');
  const layout = Number(text.slice(1, colon));
  if (text[0] !== ROW_MARK || colon < 2 || !Number.isInteger(layout)) throw new Error('not a snapshot row');
  const out: unknown[] = [layout];
  let list: unknown[] | null = null;
  let i = colon + 1;
  const digit = (at: number) => {
    // Past the row's end is no digit (a cut row must not read as its first value).
    const d = digitAt(text, at);
    if (d < 0) throw new Error('bad index');
    return d;
  };
  while (i < text.length) {
    const ch = text[i];
    let value: unknown;
    if (ch === DIGESTS_MARK && !list) {
      // The rest of the row: one digest per read-only key of the layout.
      const rest = text.slice(i + 1);
      if (!allDigests(text, i + 1)) throw new Error('bad digests');
      for (let at = 0; at < rest.length; at += DIGEST_CHARS)
        out.push(new Digest(rest.slice(at, at + DIGEST_CHARS)));
      break;
    }
    if (ch === '.') {
      value = null;
      i++;
    } else if (ch === ',') {
      value = '';
      i++;
    } else if (ch === '(') {
      const end = text.indexOf(')', i);
      if (end < 0) throw new Error('unterminated value');
      value = JSON.parse(text.slice(i + 1, end));
      i = end + 1;
    } else if (ch === '*') {
      value = dictionary.valueAt(digit(i + 1));
      i += 2;
    } else if (ch === '{') {
      value = dictionary.valueAt(64 + digit(i + 1) * 64 + digit(i + 2));
      i += 3;
    } else if (ch === '[' && !list) {
      list = [];
      i++;
      continue;
    } else if (ch === ']' && list) {
      value = list;
      list = null;
      i++;
    } else if (hashAt(text, i)) {
      value = new Hashed(text.slice(i, i + HASH_CHARS));
      i += HASH_CHARS;
    } else throw new Error(`unexpected ${JSON.stringify(ch)}`);
    if (list) list.push(value);
    else out.push(value);
  }
  if (list) throw new Error('unterminated list');
  return out;
}
