// Deterministic randomness, Close-style ids, Close's datetime format, phone and money formatting.

export type Rng = () => number;

// Hot paths read globals through module constants: under jest (a vm context) every global lookup goes through
// an interceptor and is several times slower, which turned a 1 s bulk build into 4 s.
const { abs, floor, imul, trunc } = Math;
const fromCharCode = String.fromCharCode;
const NativeDate = Date;

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[floor(rng() * items.length)];
}

export function randInt(rng: Rng, min: number, max: number): number {
  return min + floor(rng() * (max - min + 1));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES = Array.from(BASE62, (c) => c.charCodeAt(0));

/**
 * Concatenation without ropes. V8 keeps `a + b` results longer than 12 characters as ConsString trees (an id
 * built char by char weighs ~1.2 KB instead of ~70 bytes); `join` yields one flat string. Use it for every
 * string the fake keeps around in bulk.
 */
export function flat(...parts: string[]): string {
  return parts.join('');
}

/** `<prefix>_` + base62 characters: 43 for core objects (`lead_`, `cont_`, `cf_`…), 22 for newer ones (`pipe_`). */
export function closeId(prefix: string, rng: Rng, length = 43): string {
  const codes: number[] = [];
  // One draw yields 5 base62 digits (62^5 < 2^32).
  for (let i = 0; i < length; i += 5) {
    let n = floor(rng() * 916_132_832);
    for (let j = 0; j < 5 && i + j < length; j++) {
      codes.push(BASE62_CODES[n % 62]);
      n = floor(n / 62);
    }
  }
  return flat(prefix, '_', fromCharCode.apply(null, codes));
}

function pad(n: number, width: number): string {
  return `${n}`.padStart(width, '0');
}

/**
 * Close's usual datetime: `2021-07-13T11:39:03.315000+00:00` (6-digit fraction, `+00:00`, never `Z`). Close stores
 * milliseconds, so the last three digits are 0 unless `micros` is given. With `omitZeroFraction` (Python's
 * isoformat) a whole second prints without a fraction: `2022-11-12T18:00:00+00:00`.
 */
export function formatCloseDate(
  ms: number,
  opts: { micros?: number; omitZeroFraction?: boolean } = {},
): string {
  const whole = floor(ms);
  const iso = new NativeDate(whole).toISOString(); // 2021-07-13T11:39:03.315Z (years 0–9999)
  const micros = opts.micros ?? (((whole % 1000) + 1000) % 1000) * 1000;
  if (micros === 0 && opts.omitZeroFraction) return flat(iso.slice(0, 19), '+00:00');
  return flat(iso.slice(0, 19), '.', pad(micros, 6), '+00:00');
}

/** `YYYY-MM-DD` of a UTC instant. */
export function formatDateOnly(ms: number): string {
  const d = new Date(ms);
  return flat(pad(d.getUTCFullYear(), 4), '-', pad(d.getUTCMonth() + 1, 2), '-', pad(d.getUTCDate(), 2));
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A valid calendar date `YYYY-MM-DD` → UTC midnight in ms; anything else → null. */
export function parseDateOnly(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

export interface ParsedDateTime {
  /** Whole milliseconds since the epoch (UTC). */
  ms: number;
  /** Sub-second part in microseconds. */
  micros: number;
  hasOffset: boolean;
}

/**
 * Parses an ISO-8601 datetime the way Close writes them (6-digit fractions, `+00:00`, sometimes no fraction or
 * no offset at all). A missing offset is read as UTC, never as the machine's local time. Date-only strings are
 * accepted as UTC midnight.
 */
export function parseDateTime(s: string): ParsedDateTime | null {
  const dateOnly = parseDateOnly(s);
  if (dateOnly !== null) return { ms: dateOnly, micros: 0, hasOffset: false };
  const m = DATETIME_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
  if (parseDateOnly(`${m[1]}-${m[2]}-${m[3]}`) === null) return null;
  const micros = m[7] ? Number(m[7].padEnd(6, '0').slice(0, 6)) : 0;
  let offsetMin = 0;
  const off = m[8];
  if (off && off !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec) + Math.floor(micros / 1000) - offsetMin * 60_000;
  return { ms, micros, hasOffset: off !== undefined };
}

// Sorting 50,000 leads by date compares the same strings ~800,000 times: parse each once.
const dateMsCache = new Map<string, number>();

/** Milliseconds of a Close datetime, or NaN. */
export function dateMs(s: unknown): number {
  if (typeof s !== 'string') return Number.NaN;
  let ms = dateMsCache.get(s);
  if (ms === undefined) {
    const p = parseDateTime(s);
    ms = p ? p.ms : Number.NaN;
    if (dateMsCache.size > 500_000) dateMsCache.clear();
    dateMsCache.set(s, ms);
  }
  return ms;
}

/** `+16503334444` → `+1 650-333-4444`; other numbers are grouped loosely, as Close's formatter does. */
export function formatPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length === 11 && digits.startsWith('1')) {
    return flat('+1 ', digits.slice(1, 4), '-', digits.slice(4, 7), '-', digits.slice(7));
  }
  if (digits.length === 10 && !phone.trim().startsWith('+')) {
    return flat('+1 ', digits.slice(0, 3), '-', digits.slice(3, 6), '-', digits.slice(6));
  }
  if (digits.startsWith('44') && digits.length === 12) {
    return flat('+44 ', digits.slice(2, 4), ' ', digits.slice(4, 8), ' ', digits.slice(8));
  }
  return flat('+', digits);
}

/** E.164 form Close stores (`(650) 333-4444` → `+16503334444`); null when it is not a phone number. */
export function normalizePhone(phone: string): string | null {
  if (!/^[+\d(][\d\s().-]*$/.test(phone.trim())) return null;
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 7 || digits.length > 15) return null;
  if (phone.trim().startsWith('+')) return `+${digits}`;
  if (digits.length === 10) return `+1${digits}`;
  return `+${digits}`;
}

const PERIOD_SUFFIX: Record<string, string> = { one_time: '', monthly: ' monthly', annual: ' annually' };

/** Integer cents → Close's `value_formatted` (`50000` → `$500`, `5000` monthly → `$50 monthly`). */
export function formatMoney(cents: number, period: string, symbol = '$'): string {
  const whole = trunc(abs(cents) / 100);
  const rest = abs(cents) % 100;
  const grouped = `${whole}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = cents < 0 ? '-' : '';
  const cents2 = rest === 0 ? '' : `.${pad(rest, 2)}`;
  return flat(sign, symbol, grouped, cents2, PERIOD_SUFFIX[period] ?? '');
}

export function annualize(cents: number, period: string): number {
  if (period === 'monthly') return cents * 12;
  return cents;
}
