// Time-zone arithmetic and Sheets date serials (days since 1899-12-30; the fraction is the time of day),
// always in the spreadsheet's time zone.

export const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
export const DAY_MS = 86_400_000;

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  weekday: number; // 0 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** UTC milliseconds of a proleptic-Gregorian wall-clock time (years 0-99 are not shifted to 19xx). */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

/** The wall-clock time of instant `ms` in `timeZone`. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const msPart = ((ms % 1000) + 1000) % 1000;
  const wc = {
    year,
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
    ms: msPart,
    weekday: 0,
  };
  wc.weekday = new Date(utcMs(wc.year, wc.month, wc.day)).getUTCDay();
  return wc;
}

function exactOffsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second, w.ms) - ms;
}

/**
 * Per zone, per UTC week: the week's offset, or NaN when it changes during that week (then each
 * instant is computed exactly). Zones change offset at most once a week in practice.
 */
const BUCKET_MS = 7 * DAY_MS;
const offsetCache = new Map<string, Map<number, number>>();

/** Offset of `timeZone` from UTC at instant `ms`, in ms (New York in winter: -5h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  let days = offsetCache.get(timeZone);
  if (!days) {
    days = new Map();
    offsetCache.set(timeZone, days);
  }
  const bucket = Math.floor(ms / BUCKET_MS);
  let off = days.get(bucket);
  if (off === undefined) {
    const start = exactOffsetMs(bucket * BUCKET_MS, timeZone);
    const end = exactOffsetMs((bucket + 1) * BUCKET_MS - 1, timeZone);
    off = start === end ? start : Number.NaN;
    if (days.size > 200_000) days.clear();
    days.set(bucket, off);
  }
  return Number.isNaN(off) ? exactOffsetMs(ms, timeZone) : off;
}

/** The instant whose wall clock in `timeZone` reads `localMs` (a wall clock expressed as if UTC). */
export function localToInstant(localMs: number, timeZone: string): number {
  let guess = localMs - zoneOffsetMs(localMs, timeZone);
  guess = localMs - zoneOffsetMs(guess, timeZone);
  return guess;
}

export function instantToSerial(ms: number, timeZone: string): number {
  return (ms + zoneOffsetMs(ms, timeZone) - SERIAL_EPOCH_MS) / DAY_MS;
}

export function serialToInstant(serial: number, timeZone: string): number {
  const local = Math.round(SERIAL_EPOCH_MS + serial * DAY_MS);
  return localToInstant(local, timeZone);
}

/** Wall-clock fields of a serial (no time zone involved: a serial is already a wall-clock time). */
export function serialParts(serial: number): WallClock {
  const d = new Date(Math.round(SERIAL_EPOCH_MS + serial * DAY_MS));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
  };
}

export function wallToSerial(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  return (utcMs(year, month, day, hour, minute, second, ms) - SERIAL_EPOCH_MS) / DAY_MS;
}

export function isValidYmd(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const dim = new Date(utcMs(year, month + 1, 0)).getUTCDate();
  return day <= dim;
}

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
