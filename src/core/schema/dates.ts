// Dates between Close and Sheets. Close sends date fields as `YYYY-MM-DD` and datetimes as ISO instants
// (`2021-07-13T11:39:03.315000+00:00`, sometimes without fraction or offset). Sheets stores a day serial
// (days since 1899-12-30) and getValues hands back Date objects for the wall-clock time in the
// spreadsheet's time zone, so converting back needs that zone.

const DAY_MS = 86_400_000;
/** Days from the Sheets epoch (1899-12-30) to the Unix epoch. */
const SERIAL_UNIX_EPOCH = 25_569;

/** True for Date objects from any realm (Apps Script and test runtimes hand us foreign Dates). */
export function isDate(value: unknown): value is Date {
  if (typeof value !== 'object' || value === null) return false;
  return value instanceof Date || Object.prototype.toString.call(value) === '[object Date]';
}

/** `YYYY-MM-DD` of a real calendar day (ymdToSerial checks the shape character by character). */
export function isYmd(text: string): boolean {
  return ymdToSerial(text) !== null;
}

/** A report's or pull's `since` / `until` options: empty, or a date written YYYY-MM-DD (else a message). */
export function checkPeriodDates(options: { since?: unknown; until?: unknown }): void {
  for (const [name, v] of [
    ['since', options.since],
    ['until', options.until],
  ] as const)
    if (v !== undefined && v !== '' && !isYmd(String(v)))
      throw new Error(`${name} must be a date written YYYY-MM-DD (got "${String(v)}").`);
}

/** Day serial of `YYYY-MM-DD`, or null when the text is not a real calendar day. */
export function ymdToSerial(ymd: string): number | null {
  if (ymd.length !== 10 || ymd.charCodeAt(4) !== 45 || ymd.charCodeAt(7) !== 45) return null;
  // Digits from character codes: a pull converts tens of thousands of dates.
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = ymd.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    y = y * 10 + c;
  }
  const digit = (i: number) => {
    const c = ymd.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : Number.NaN;
  };
  const m = digit(5) * 10 + digit(6);
  const d = digit(8) * 10 + digit(9);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return null;
  return Date.UTC(y, m - 1, d) / DAY_MS + SERIAL_UNIX_EPOCH;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function serialToYmd(serial: number): string {
  const date = new Date(Math.round((Math.floor(serial) - SERIAL_UNIX_EPOCH) * DAY_MS));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Zone offsets change on quarter hours at the finest (DST and history), so the offset is looked up once
 * per quarter hour of time and zone: a pull reads thousands of date cells, and Intl formatting is slow.
 */
const offsetCache = new Map<string, Map<number, number>>();
const QUARTER_HOUR_MS = 900_000;

function cachedOffset(ms: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let offset = zone.get(quarter);
  if (offset === undefined) {
    offset = zoneOffset(ms, timeZone);
    if (zone.size > 50_000) zone.clear();
    zone.set(quarter, offset);
  }
  return offset;
}

function fastWallClock(ms: number, timeZone: string): WallClock {
  const d = new Date(ms + cachedOffset(ms, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour % 24,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Offset of the zone from UTC at an instant, in ms (New York in winter: -5 h). */
function zoneOffset(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The calendar day a date cell shows in the spreadsheet's zone. */
export function dateCellToYmd(date: Date, timeZone: string): string {
  const w = fastWallClock(date.getTime(), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** The day serial (with time fraction) a date cell shows in the spreadsheet's zone. */
export function dateCellToSerial(date: Date, timeZone: string): number {
  const ms = date.getTime();
  return (ms + cachedOffset(ms, timeZone)) / DAY_MS + SERIAL_UNIX_EPOCH;
}

/** The instant a wall-clock day serial (with time fraction) means in the spreadsheet's zone. */
export function serialToInstant(serial: number, timeZone: string): number {
  const wallMs = Math.round((serial - SERIAL_UNIX_EPOCH) * DAY_MS);
  let instant = wallMs - zoneOffset(wallMs, timeZone);
  // Second pass settles instants near a DST change.
  instant = wallMs - zoneOffset(instant, timeZone);
  return instant;
}

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const twoDigits = (text: string, i: number) => digit(text, i) * 10 + digit(text, i + 1);
/** Where `2021-07-13T11:39:03` has digits, and where a fraction's six digits are. */
const STAMP_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const FRACTION_DIGITS = [20, 21, 22, 23, 24, 25];

function digitsAt(text: string, positions: number[]): boolean {
  for (let i = 0; i < positions.length; i++) {
    const c = text.charCodeAt(positions[i]);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `dddd-dd-ddTdd:dd:dd` at the start. */
function closeStampShape(text: string): boolean {
  return (
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    digitsAt(text, STAMP_DIGITS)
  );
}

/**
 * Parses Close's datetimes: `…T11:39:03.315000+00:00`, `…T18:00:00+00:00`, `…Z`, and offset-less
 * `…T11:36:04.983404` (which Close means as UTC). Returns ms, or null when it is not a datetime.
 */
/**
 * The whole UTC minute of a datetime in Close's usual form (`2024-01-01T10:05:33.123000+00:00` →
 * `2024-01-01T10:05:00+00:00`) read off its characters, or null for any other form (parse it then).
 */
export function closeUtcMinute(text: string): string | null {
  const n = text.length;
  if ((n === 32 || n === 25) && text.endsWith('+00:00') && closeStampShape(text))
    return `${text.slice(0, 16)}:00+00:00`;
  return null;
}

export function parseCloseDateTime(text: string): number | null {
  // A pull parses each datetime twice in a row (the cell, then the snapshot's token): the second is free.
  if (text === lastParsed.text) return lastParsed.ms;
  const ms = parseCloseDateTimeOnce(text);
  lastParsed.text = text;
  lastParsed.ms = ms;
  return ms;
}

const lastParsed: { text: string | null; ms: number | null } = { text: null, ms: null };

function parseCloseDateTimeOnce(text: string): number | null {
  // Fast paths for Close's usual forms, `2021-07-13T11:39:03.315000+00:00` and `2021-07-13T18:00:00+00:00`
  // (most cells of a pull): digits read straight from the character codes, checked without a regex.
  const n = text.length;
  if ((n === 32 || n === 25) && text.endsWith('+00:00') && closeStampShape(text)) {
    const fraction = n === 32 && text.charCodeAt(19) === 46 && digitsAt(text, FRACTION_DIGITS);
    if (fraction || (n === 25 && text.charCodeAt(19) === 43))
      return Date.UTC(
        digit(text, 0) * 1000 + digit(text, 1) * 100 + twoDigits(text, 2),
        twoDigits(text, 5) - 1,
        twoDigits(text, 8),
        twoDigits(text, 11),
        twoDigits(text, 14),
        twoDigits(text, 17),
        fraction
          ? Math.round(
              (digit(text, 20) * 100_000 +
                digit(text, 21) * 10_000 +
                digit(text, 22) * 1000 +
                digit(text, 23) * 100 +
                twoDigits(text, 24)) /
                1000,
            )
          : 0,
      );
  }
  return parseDateTimeText(text, 'nearest');
}

/**
 * The general form of a Close datetime (with or without seconds, fraction and offset; no offset means UTC)
 * as ms. The fraction is rounded to the nearest millisecond for display, or DOWN where the instant is a
 * window's anchor (a pager's: rounded up, it would skip what was created in its last microseconds).
 */
export function parseDateTimeText(text: string, fraction: 'nearest' | 'down'): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    text.trim(),
  );
  if (!m) return null;
  const ms = !m[7]
    ? 0
    : fraction === 'down'
      ? Number(m[7].padEnd(3, '0').slice(0, 3))
      : // Milliseconds as a decimal read whole ("500.5"): `0.5005 * 1000` is 500.49999999999994 in
        // floating point, which would round a half millisecond down where the fast path rounds it up.
        Math.round(Number(`${m[7].slice(0, 3).padEnd(3, '0')}.${m[7].slice(3)}`));
  let instant = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, ms);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    instant -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return Number.isNaN(instant) ? null : instant;
}

/** Close's own datetime form: 6-digit fraction and `+00:00`. */
export function formatCloseDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000+00:00`;
}

/** `2026-11-28 09:00` in the given zone, for status cells and summaries. */
export function formatStamp(ms: number, timeZone: string): string {
  const w = fastWallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The spreadsheet zone's offset from UTC at an instant, in hours as Close's `x-tz-offset` header takes
 * it: `-5` for New York in winter, `-2.5` for Newfoundland's summer time ("for timezones like NDT
 * (UTC-2:30) that have half-hour offsets, include a ".5"", developer.close.com/api/overview/timezone-offsets),
 * `5.75` for Nepal. Relative dates in searches ("created today") are then the rep's days, not UTC's.
 */
export function tzOffsetHours(ms: number, timeZone: string): string {
  const minutes = Math.round(zoneOffset(ms, timeZone) / 60_000);
  return String(minutes / 60);
}
