// encode: Close API value → sheet cell. decode: sheet cell → Close API value, or a reason it is invalid.
// These two functions per kind are the only path a value takes between Close JSON and a cell.
import type { CellValue } from '../ports';
import type { Column, ValueKind } from './columns';
import {
  dateCellToSerial,
  dateCellToYmd,
  formatCloseDateTime,
  isDate,
  isYmd,
  parseCloseDateTime,
  serialToInstant,
  serialToYmd,
  ymdToSerial,
} from './dates';
import type { NameLookup } from './lookups';

/** Joins multi-value fields in one cell; documented in the README. Splitting trims around it. */
export const MULTI_VALUE_SEPARATOR = '; ';
/** Sheets refuses cells over 50,000 characters. */
export const MAX_CELL_CHARS = 50_000;
export const TRUNCATION_MARK = ' …[truncated: edit in Close]';

export type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

export interface Codec {
  encode(apiValue: unknown): CellValue;
  decode(cell: CellValue): Decoded;
  /** Fills in what a cell cannot show from the old value (an email's type), after a valid decode. */
  reconcile?(decoded: unknown, old: unknown): unknown;
  /** The cell cannot hold the value whole, so it must not be pushed from the sheet. */
  isLossy(apiValue: unknown): boolean;
  /** Whether a cell read back shows `encoded` (what encode wrote): cheaper than decoding it. */
  shows(cell: CellValue, encoded: CellValue): boolean;
}

export interface CodecEnv {
  timeZone: string;
  statuses: NameLookup;
  users: NameLookup;
  opportunityStatuses: NameLookup;
}

/** The number format each kind's column gets; text kinds are plain text so Sheets never coerces them. */
export const NUMBER_FORMATS: Record<ValueKind, string> = {
  text: '@',
  choice: '@',
  choices: '@',
  user: '@',
  users: '@',
  status: '@',
  opportunity_status: '@',
  emails: '@',
  phones: '@',
  number: 'General',
  money: '#,##0.00',
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

const ok = (value: unknown): Decoded => ({ ok: true, value });
const bad = (error: string): Decoded => ({ ok: false, error });
const quote = (cell: CellValue) =>
  JSON.stringify(isDate(cell) && Number.isFinite(cell.getTime()) ? cell.toISOString() : String(cell));

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isEmpty(value)) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A multi-value field's values as one cell: `a; b; c` (a loop, no intermediate array). */
function joined(values: unknown[], show: (value: unknown) => string): string {
  let text = '';
  for (let i = 0; i < values.length; i++) text += (i > 0 ? MULTI_VALUE_SEPARATOR : '') + show(values[i]);
  return text;
}

function truncate(text: string): string {
  return text.length > MAX_CELL_CHARS
    ? text.slice(0, MAX_CELL_CHARS - TRUNCATION_MARK.length) + TRUNCATION_MARK
    : text;
}

function cellText(cell: CellValue, timeZone: string): string {
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (isDate(cell)) return dateCellToYmd(cell, timeZone);
  return String(cell);
}

const NUMBER_TEXT = /^[-+]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A number cell. JSON has no Infinity or NaN (JSON.stringify sends them as null, which clears the
 * field in Close), so text past a double's range (`1e400`) is refused, not sent.
 */
function decodeNumber(cell: CellValue): Decoded {
  if (typeof cell === 'number')
    return Number.isFinite(cell) ? ok(cell) : bad(`${quote(cell)} is not a number`);
  if (typeof cell === 'string') {
    const t = cell.trim();
    if (t === '') return ok(null);
    if (NUMBER_TEXT.test(t) && /\d/.test(t)) {
      const n = Number(t.replace(/,/g, ''));
      return Number.isFinite(n) ? ok(n) : bad(`${quote(cell)} is too large a number`);
    }
    if (/^[-+]?[\d.,]+\s*%$/.test(t))
      return bad(
        `${quote(cell)} is not a number: type it without % (12% as 0.12 or 12, as the field counts it)`,
      );
  }
  return bad(`${quote(cell)} is not a number`);
}

const MAX_DAY_SERIAL = 2_958_465;

/** A date cell Sheets could not make a real date of (an Invalid Date) is not a date. */
const validDate = (cell: CellValue) => !isDate(cell) || Number.isFinite(cell.getTime());

/**
 * Splits a multi-value cell, keeping values that themselves contain the separator whole when the field
 * knows them (greedy longest match against the known values).
 */
function splitMulti(text: string, known: Map<string, string>): { values: string[]; unknown: string[] } {
  const tokens = text.split(';').map((t) => t.trim());
  const values: string[] = [];
  const unknown: string[] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = false;
    for (let j = tokens.length; j > i; j--) {
      const candidate = known.get(normalizeChoice(tokens.slice(i, j).join(';')));
      if (candidate !== undefined) {
        if (!values.includes(candidate)) values.push(candidate);
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) {
      if (tokens[i] !== '') unknown.push(tokens[i]);
      i++;
    }
  }
  return { values, unknown };
}

function normalizeChoice(text: string): string {
  return text
    .split(';')
    .map((t) => t.trim())
    .join(';')
    .toLowerCase();
}

function choiceMap(choices: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of choices) map.set(normalizeChoice(c), c);
  return map;
}

function listForMessage(values: string[]): string {
  const shown = values.slice(0, 12).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} in all)` : shown;
}

export function makeCodec(column: Column, env: CodecEnv): Codec {
  const codec = clearedAs(column, baseCodec(column, env));
  // Sheets hands a date cell back as a Date at midnight in the spreadsheet's zone, where encode wrote a
  // day serial.
  const shows =
    column.kind === 'date'
      ? (cell: CellValue, encoded: CellValue) =>
          isDate(cell) && typeof encoded === 'number'
            ? Math.abs(dateCellToSerial(cell, env.timeZone) - encoded) < 1e-9
            : cellsEqual(cell, encoded)
      : cellsEqual;
  return { ...codec, shows };
}

/** An emptied cell of a field Close takes no null for: the value Close accepts instead, or a refusal. */
function clearedAs(column: Column, codec: Omit<Codec, 'shows'>): Omit<Codec, 'shows'> {
  const rule = column.whenCleared;
  if (!rule) return codec;
  return {
    ...codec,
    decode: (cell) => {
      const decoded = codec.decode(cell);
      if (!decoded.ok || !isEmpty(decoded.value)) return decoded;
      return 'refuse' in rule ? bad(rule.refuse) : ok(rule.send);
    },
  };
}

function baseCodec(column: Column, env: CodecEnv): Omit<Codec, 'shows'> {
  const text = {
    encode: (v: unknown) => truncate(asText(v)),
    isLossy: (v: unknown) => asText(v).length > MAX_CELL_CHARS,
  };
  const exact = { isLossy: () => false };
  switch (column.kind) {
    case 'text':
      return {
        ...text,
        decode: (cell) => {
          const t = cellText(cell, env.timeZone);
          return ok(t === '' ? null : t);
        },
      };
    case 'number':
      return { ...exact, encode: (v) => (typeof v === 'number' ? v : asText(v)), decode: decodeNumber };
    case 'money':
      return {
        ...exact,
        encode: (v) => (typeof v === 'number' ? v / 100 : asText(v)),
        decode: (cell) => {
          const d = decodeNumber(cell);
          if (!d.ok || typeof d.value !== 'number') return d;
          const cents = Math.round(d.value * 100);
          return Number.isSafeInteger(cents) ? ok(cents) : bad(`${quote(cell)} is too large an amount`);
        },
      };
    case 'date':
      return {
        ...exact,
        encode: (v) => (typeof v === 'string' ? (ymdToSerial(v) ?? v) : asText(v)),
        decode: (cell) => {
          const notDate = bad(`${quote(cell)} is not a date (use YYYY-MM-DD)`);
          if (!validDate(cell)) return notDate;
          if (isDate(cell)) return ok(dateCellToYmd(cell, env.timeZone));
          if (typeof cell === 'number') {
            // A serial past year 9999 (or NaN) has no YYYY-MM-DD.
            const ymd = Number.isFinite(cell) ? serialToYmd(cell) : '';
            return isYmd(ymd) ? ok(ymd) : notDate;
          }
          const t = String(cell).trim();
          if (t === '') return ok(null);
          return isYmd(t) ? ok(t) : bad(`${quote(cell)} is not a date (use YYYY-MM-DD)`);
        },
      };
    case 'datetime':
      return {
        ...exact,
        encode: (v) => {
          const ms = typeof v === 'string' ? parseCloseDateTime(v) : null;
          return ms === null ? asText(v) : new Date(ms);
        },
        decode: (cell) => {
          const notDateTime = bad(`${quote(cell)} is not a date and time (use YYYY-MM-DD HH:MM)`);
          if (!validDate(cell)) return notDateTime;
          if (isDate(cell)) return ok(formatCloseDateTime(cell.getTime()));
          if (typeof cell === 'number') {
            // Sheets' days run to 9999-12-31 (serial 2958465): past that there is no date to send.
            if (!Number.isFinite(cell) || Math.abs(cell) > MAX_DAY_SERIAL) return notDateTime;
            return ok(formatCloseDateTime(serialToInstant(cell, env.timeZone)));
          }
          const t = String(cell).trim();
          if (t === '') return ok(null);
          const ms = parseCloseDateTime(t);
          return ms === null
            ? bad(`${quote(cell)} is not a date and time (use YYYY-MM-DD HH:MM)`)
            : ok(formatCloseDateTime(ms));
        },
      };
    case 'choice': {
      const known = choiceMap(column.choices ?? []);
      return {
        ...text,
        decode: (cell) => {
          const t = cellText(cell, env.timeZone).trim();
          if (t === '') return ok(null);
          const match = known.get(normalizeChoice(t));
          return match !== undefined
            ? ok(match)
            : bad(`${quote(t)} is not one of the choices: ${listForMessage(column.choices ?? [])}`);
        },
      };
    }
    case 'choices': {
      const known = choiceMap(column.choices ?? []);
      return {
        encode: (v) => truncate(Array.isArray(v) ? joined(v, String) : asText(v)),
        isLossy: () => false,
        decode: (cell) => {
          const t = cellText(cell, env.timeZone).trim();
          if (t === '') return ok(null);
          const { values, unknown } = splitMulti(t, known);
          if (unknown.length > 0)
            return bad(
              `${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the choices: ${listForMessage(column.choices ?? [])}`,
            );
          return ok(values);
        },
      };
    }
    case 'user':
    case 'users': {
      const multi = column.kind === 'users';
      const resolveOne = (name: string): string | null => env.users.resolve(name);
      const label = (id: unknown) => env.users.label(String(id));
      return {
        encode: (v) => (Array.isArray(v) ? joined(v, label) : isEmpty(v) ? '' : label(v)),
        isLossy: () => false,
        decode: (cell) => {
          const t = cellText(cell, env.timeZone).trim();
          if (t === '') return ok(null);
          const names = multi
            ? t
                .split(';')
                .map((n) => n.trim())
                .filter(Boolean)
            : [t];
          const ids: string[] = [];
          for (const name of names) {
            const id = resolveOne(name);
            if (!id) {
              const shared = env.users.sharedBy(name);
              return bad(
                shared > 1
                  ? `${shared} users are named ${JSON.stringify(name)}: use their email`
                  : `${JSON.stringify(name)} is not a user of this Close organization`,
              );
            }
            if (!ids.includes(id)) ids.push(id);
          }
          return ok(multi ? ids : ids[0]);
        },
      };
    }
    case 'status':
    case 'opportunity_status': {
      const lookup = column.kind === 'status' ? env.statuses : env.opportunityStatuses;
      const what = column.kind === 'status' ? 'a lead status' : 'an opportunity status';
      return {
        encode: (v) => (isEmpty(v) ? '' : lookup.label(String(v))),
        isLossy: () => false,
        decode: (cell) => {
          const t = cellText(cell, env.timeZone).trim();
          if (t === '') return bad('Status cannot be empty');
          const id = lookup.resolve(t);
          return id
            ? ok(id)
            : bad(`${quote(t)} is not ${what}: use one of ${listForMessage(lookup.labels())}`);
        },
      };
    }
    case 'emails':
      return contactPointCodec('email', EMAIL, 'an email address');
    case 'phones':
      return contactPointCodec('phone', PHONE, 'a phone number');
  }
}

const EMAIL = /^[^\s@;]+@[^\s@;]+\.[^\s@;]+$/;
const PHONE = /^\+?[\d\s().-]{5,}(\s*(x|ext\.?)\s*\d+)?$/i;

/**
 * A contact's emails or phones: Close keeps a list of {email|phone, type}; the cell shows the addresses
 * joined like multi-values. Types are kept for addresses that stay; new ones are "office".
 */
function contactPointCodec(field: 'email' | 'phone', pattern: RegExp, what: string): Omit<Codec, 'shows'> {
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

/** Same cell content, as far as Sheets' value types go. */
export function cellsEqual(a: CellValue, b: CellValue): boolean {
  if (a === b) return true;
  if (isDate(a) || isDate(b)) return isDate(a) && isDate(b) && a.getTime() === b.getTime();
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a));
  return a === b;
}

/** Same Close value: empty forms agree, multi-values compare as sets, datetimes as instants. */
export function apiValuesEqual(a: unknown, b: unknown, kind: ValueKind): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  if (kind === 'emails' || kind === 'phones') {
    const field = kind === 'emails' ? 'email' : 'phone';
    const list = (v: unknown) =>
      Array.isArray(v) ? v.map((p) => String((p as Record<string, unknown>)?.[field] ?? '')) : [];
    const [x, y] = [list(a), list(b)];
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    const as = (Array.isArray(a) ? a : [a]).map(String).sort();
    const bs = (Array.isArray(b) ? b : [b]).map(String).sort();
    return as.length === bs.length && as.every((v, i) => v === bs[i]);
  }
  if (kind === 'datetime' && typeof a === 'string' && typeof b === 'string') {
    const [ma, mb] = [parseCloseDateTime(a), parseCloseDateTime(b)];
    if (ma !== null && mb !== null) return ma === mb;
  }
  if (kind === 'number' || kind === 'money') return Number(a) === Number(b);
  return a === b;
}
