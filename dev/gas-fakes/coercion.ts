// How Sheets turns what a script (setValue/setValues) or a user types into a stored cell value.
// Strings are parsed like user input (Sheets API "USER_ENTERED"): numbers, percents, currency,
// booleans, dates and formulas are recognised, unless the cell's number format is plain text '@'.
import { dateMs, isDate } from './clock';
import { instantToSerial, isValidYmd, serialToInstant, wallClock, wallToSerial } from './dates';
import { DATE_TIME_FORMAT, isAutomaticFormat, isDateFormat, PLAIN_TEXT_FORMAT } from './numfmt';

export type StoredValue = string | number | boolean;

export const MAX_CELL_CHARS = 50_000;
export const CELL_TOO_LONG = `Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`;

export type WriteResult =
  | { kind: 'empty' }
  | { kind: 'value'; value: StoredValue; format?: string }
  | { kind: 'formula'; formula: string; value: StoredValue };

export interface CoercionContext {
  timeZone: string;
  /** Current instant (for dates typed without a year). */
  nowMs: number;
  fail: (message: string) => Error;
}

const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+`;
const NUMBER_RE = new RegExp(`^([+-]?)(${NUM})$`);
const PERCENT_RE = new RegExp(`^([+-]?)(${NUM})\\s*%$`);
const CURRENCY_RE = new RegExp(`^([+-]?)\\$\\s*(${NUM})$`);
const SCI_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)e[+-]?\d+$/i;
const ISO_DATE_RE =
  /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const US_DATE_RE =
  /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?)?$/i;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?$/i;

function toNumber(sign: string, digits: string): number {
  const n = Number(digits.replace(/,/g, ''));
  return sign === '-' ? -n : n;
}

function hour24(h: number, ampm: string | undefined): number | null {
  if (!ampm) return h <= 23 ? h : null;
  if (h < 1 || h > 12) return null;
  const pm = ampm.toLowerCase() === 'pm';
  return (h % 12) + (pm ? 12 : 0);
}

function parseDateLike(s: string, ctx: CoercionContext): { value: number; format: string } | null {
  let m = ISO_DATE_RE.exec(s);
  if (m) {
    const [, y, sep, mo, d, hh, mi, ss, frac] = m;
    if (!isValidYmd(+y, +mo, +d)) return null;
    const dateFmt = sep === '-' ? 'yyyy-mm-dd' : 'yyyy/mm/dd';
    if (hh === undefined) return { value: wallToSerial(+y, +mo, +d), format: dateFmt };
    if (+hh > 23 || +mi > 59 || +(ss ?? 0) > 59) return null;
    const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
    return { value: wallToSerial(+y, +mo, +d, +hh, +mi, +(ss ?? 0), ms), format: `${dateFmt} h:mm:ss` };
  }
  m = US_DATE_RE.exec(s);
  if (m) {
    const [, mo, d, yRaw, hh, mi, ss, ampm] = m;
    let y: number;
    if (yRaw === undefined) y = wallClock(ctx.nowMs, ctx.timeZone).year;
    else if (yRaw.length === 2) y = +yRaw < 30 ? 2000 + +yRaw : 1900 + +yRaw;
    else y = +yRaw;
    if (!isValidYmd(y, +mo, +d)) return null;
    const dateFmt = yRaw === undefined ? 'M/d' : 'M/d/yyyy';
    if (hh === undefined) return ampm ? null : { value: wallToSerial(y, +mo, +d), format: dateFmt };
    const h = hour24(+hh, ampm);
    if (h === null || +mi > 59 || +(ss ?? 0) > 59) return null;
    return {
      value: wallToSerial(y, +mo, +d, h, +mi, +(ss ?? 0)),
      format: ampm ? `${dateFmt} h:mm:ss am/pm` : `${dateFmt} H:mm:ss`,
    };
  }
  m = TIME_RE.exec(s);
  if (m) {
    const [, hh, mi, ss, ampm] = m;
    const h = hour24(+hh, ampm);
    if (h === null || +mi > 59 || +(ss ?? 0) > 59) return null;
    return { value: (h * 3600 + +mi * 60 + +(ss ?? 0)) / 86400, format: ampm ? 'h:mm:ss am/pm' : 'H:mm:ss' };
  }
  return null;
}

/** Parses a string as Sheets parses typed input into a cell whose format is not plain text. */
export function parseUserInput(raw: string, ctx: CoercionContext): WriteResult {
  if (raw === '') return { kind: 'empty' };
  if (raw.startsWith("'")) {
    const text = raw.slice(1);
    return text === '' ? { kind: 'empty' } : { kind: 'value', value: text };
  }
  if (raw.startsWith('=') && raw.length > 1)
    return { kind: 'formula', formula: raw, value: evaluateFormula(raw) };
  const s = raw.trim();
  // Fast path: only strings starting like a number, date, time, currency or boolean can be parsed.
  if (!/^[0-9+\-.$tTfF]/.test(s)) return { kind: 'value', value: raw };
  if (/^(true|false)$/i.test(s)) return { kind: 'value', value: s.toLowerCase() === 'true' };
  let m = NUMBER_RE.exec(s);
  if (m) {
    const hasGrouping = m[2].includes(',');
    const value = toNumber(m[1], m[2]);
    if (!hasGrouping) return { kind: 'value', value };
    return { kind: 'value', value, format: m[2].includes('.') ? '#,##0.00' : '#,##0' };
  }
  if (SCI_RE.test(s)) return { kind: 'value', value: Number(s), format: '0.00E+00' };
  m = PERCENT_RE.exec(s);
  if (m) {
    const value = toNumber(m[1], m[2]) / 100;
    return { kind: 'value', value, format: m[2].includes('.') ? '0.00%' : '0%' };
  }
  m = CURRENCY_RE.exec(s);
  if (m) return { kind: 'value', value: toNumber(m[1], m[2]), format: '"$"#,##0.00' };
  const date = parseDateLike(s, ctx);
  if (date) return { kind: 'value', value: date.value, format: date.format };
  return { kind: 'value', value: raw };
}

/**
 * A value written by a script (Range.setValue/setValues) into a cell with `cellFormat`.
 * Also used for what a user types (FakeSpreadsheet.userEdit).
 */
export function coerceWrite(
  input: unknown,
  cellFormat: string | undefined,
  ctx: CoercionContext,
): WriteResult {
  if (input === null || input === undefined) return { kind: 'empty' };
  if (typeof input === 'boolean') return { kind: 'value', value: input };
  if (typeof input === 'number') {
    return Number.isFinite(input) ? { kind: 'value', value: input } : { kind: 'value', value: '#NUM!' };
  }
  if (isDate(input)) {
    const ms = dateMs(input);
    if (Number.isNaN(ms)) return { kind: 'value', value: '#NUM!' };
    const value = instantToSerial(ms, ctx.timeZone);
    return isAutomaticFormat(cellFormat)
      ? { kind: 'value', value, format: DATE_TIME_FORMAT }
      : { kind: 'value', value };
  }
  const text = typeof input === 'string' ? input : String(input);
  if (text.length > MAX_CELL_CHARS) throw ctx.fail(CELL_TOO_LONG);
  if (cellFormat === PLAIN_TEXT_FORMAT)
    return text === '' ? { kind: 'empty' } : { kind: 'value', value: text };
  return parseUserInput(text, ctx);
}

/** What getValues returns for a stored value: '' for empty, a Date for numbers under a date format. */
export function readValue(
  value: StoredValue | undefined,
  format: string | undefined,
  timeZone: string,
  DateCtor: DateConstructor,
): StoredValue | Date {
  if (value === undefined) return '';
  if (typeof value === 'number' && isDateFormat(format))
    return new DateCtor(serialToInstant(value, timeZone));
  return value;
}

// ---- formulas: only plain arithmetic is evaluated; anything else reads as #NAME? ------------------

export function evaluateFormula(formula: string): StoredValue {
  const src = formula.slice(1).trim();
  const str = /^"((?:[^"]|"")*)"$/.exec(src);
  if (str) return str[1].replace(/""/g, '"');
  if (/^(true|false)$/i.test(src)) return src.toLowerCase() === 'true';
  if (!/^[\d\s.+\-*/^()%]+$/.test(src)) return '#NAME?';
  try {
    const v = new Arithmetic(src).parse();
    if (!Number.isFinite(v)) return '#DIV/0!';
    return v;
  } catch {
    return '#ERROR!';
  }
}

class Arithmetic {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): number {
    const v = this.sum();
    this.ws();
    if (this.i !== this.s.length) throw new Error('trailing input');
    return v;
  }
  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  private sum(): number {
    let v = this.product();
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c !== '+' && c !== '-') return v;
      this.i++;
      const r = this.product();
      v = c === '+' ? v + r : v - r;
    }
  }
  private product(): number {
    let v = this.power();
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c !== '*' && c !== '/') return v;
      this.i++;
      const r = this.power();
      v = c === '*' ? v * r : v / r;
    }
  }
  private power(): number {
    const base = this.unary();
    this.ws();
    if (this.s[this.i] !== '^') return base;
    this.i++;
    return base ** this.power();
  }
  private unary(): number {
    this.ws();
    const c = this.s[this.i];
    if (c === '-' || c === '+') {
      this.i++;
      const v = this.unary();
      return c === '-' ? -v : v;
    }
    let v: number;
    if (c === '(') {
      this.i++;
      v = this.sum();
      this.ws();
      if (this.s[this.i] !== ')') throw new Error('missing )');
      this.i++;
    } else {
      const m = /^(?:\d+\.?\d*|\.\d+)/.exec(this.s.slice(this.i));
      if (!m) throw new Error('number expected');
      this.i += m[0].length;
      v = Number(m[0]);
    }
    this.ws();
    if (this.s[this.i] === '%') {
      this.i++;
      v /= 100;
    }
    return v;
  }
}
