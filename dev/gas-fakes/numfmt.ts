// Sheets number formats: which ones are dates, and a small display formatter (getDisplayValues).
import { MONTHS, serialParts, WEEKDAYS } from './dates';

/**
 * What Range.getNumberFormat() returns for a cell nobody formatted. Real Apps Script returns the
 * "automatic" pattern '0.###############' (not 'General'); 'General' is accepted as the same thing.
 */
export const DEFAULT_NUMBER_FORMAT = '0.###############';
export const PLAIN_TEXT_FORMAT = '@';
/** Format Sheets gives a cell with automatic format when a script writes a JS Date into it. */
export const DATE_TIME_FORMAT = 'M/d/yyyy H:mm:ss';

export function isAutomaticFormat(fmt: string | undefined): boolean {
  return fmt === undefined || fmt === '' || fmt === DEFAULT_NUMBER_FORMAT || fmt.toLowerCase() === 'general';
}

/** The format with quoted text, escapes and [brackets] removed (for classification). */
function stripLiterals(fmt: string): string {
  return fmt
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*\]/g, '');
}

const dateFormatCache = new Map<string, boolean>();

/** True when numbers in a cell with this format are dates/times (getValues returns a Date). */
export function isDateFormat(fmt: string | undefined): boolean {
  if (isAutomaticFormat(fmt) || fmt === PLAIN_TEXT_FORMAT || fmt === undefined) return false;
  let hit = dateFormatCache.get(fmt);
  if (hit === undefined) {
    const s = stripLiterals(fmt.split(';')[0]).toLowerCase().replace(/e[+-]/g, '');
    hit = /[ydhms]/.test(s) || s.includes('am/pm') || s.includes('a/p');
    dateFormatCache.set(fmt, hit);
  }
  return hit;
}

// ---- display ---------------------------------------------------------------------------------

export function formatGeneralNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '#NUM!' : n < 0 ? '-#NUM!' : '#NUM!';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-9) {
    const [mant, exp] = n.toExponential(5).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const e = Number(exp);
    return `${m}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (Number.isInteger(n)) return String(n);
  return String(Number.parseFloat(n.toPrecision(10)));
}

type DateToken =
  | { kind: 'lit'; text: string }
  | { kind: 'y' | 'm' | 'd' | 'h' | 's' | 'min'; len: number }
  | { kind: 'ampm'; style: 'AM/PM' | 'am/pm' | 'A/P' | 'a/p' }
  | { kind: 'frac'; len: number };

const tokenCache = new Map<string, DateToken[]>();

function tokenizeDate(fmt: string): DateToken[] {
  let cached = tokenCache.get(fmt);
  if (!cached) {
    cached = tokenizeDateUncached(fmt);
    tokenCache.set(fmt, cached);
  }
  return cached;
}

function tokenizeDateUncached(fmt: string): DateToken[] {
  const out: DateToken[] = [];
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    const lower = c.toLowerCase();
    if (c === '"') {
      const end = fmt.indexOf('"', i + 1);
      const stop = end < 0 ? fmt.length : end;
      out.push({ kind: 'lit', text: fmt.slice(i + 1, stop) });
      i = stop + 1;
    } else if (c === '\\') {
      out.push({ kind: 'lit', text: fmt[i + 1] ?? '' });
      i += 2;
    } else if (c === '[') {
      const end = fmt.indexOf(']', i);
      i = end < 0 ? fmt.length : end + 1;
    } else if (/^am\/pm/i.test(fmt.slice(i, i + 5))) {
      const raw = fmt.slice(i, i + 5);
      out.push({ kind: 'ampm', style: raw === raw.toUpperCase() ? 'AM/PM' : 'am/pm' });
      i += 5;
    } else if (/^a\/p/i.test(fmt.slice(i, i + 3))) {
      const raw = fmt.slice(i, i + 3);
      out.push({ kind: 'ampm', style: raw === raw.toUpperCase() ? 'A/P' : 'a/p' });
      i += 3;
    } else if ('ymdhs'.includes(lower)) {
      let j = i;
      while (j < fmt.length && fmt[j].toLowerCase() === lower) j++;
      out.push({ kind: lower as 'y' | 'm' | 'd' | 'h' | 's', len: j - i });
      i = j;
    } else if (c === '.' && fmt[i + 1] === '0') {
      let j = i + 1;
      while (fmt[j] === '0') j++;
      out.push({ kind: 'frac', len: j - i - 1 });
      i = j;
    } else {
      out.push({ kind: 'lit', text: c });
      i++;
    }
  }
  // "m"/"mm" next to hours or seconds means minutes.
  const fields = out.filter((t) => t.kind !== 'lit');
  fields.forEach((t, idx) => {
    if (t.kind !== 'm' || t.len > 2) return;
    const prev = fields[idx - 1];
    const next = fields[idx + 1];
    if (prev?.kind === 'h' || next?.kind === 's') (t as { kind: string }).kind = 'min';
  });
  return out;
}

const pad = (n: number, len: number): string => String(n).padStart(len, '0');

export function formatDateSerial(serial: number, fmt: string): string {
  const p = serialParts(serial);
  const tokens = tokenizeDate(fmt.split(';')[0]);
  const twelve = tokens.some((t) => t.kind === 'ampm');
  let out = '';
  for (const t of tokens) {
    switch (t.kind) {
      case 'lit':
        out += t.text;
        break;
      case 'y':
        out += t.len <= 2 ? pad(p.year % 100, 2) : String(p.year);
        break;
      case 'm':
        if (t.len === 1) out += String(p.month);
        else if (t.len === 2) out += pad(p.month, 2);
        else if (t.len === 3) out += MONTHS[p.month - 1].slice(0, 3);
        else if (t.len === 5) out += MONTHS[p.month - 1][0];
        else out += MONTHS[p.month - 1];
        break;
      case 'min':
        out += t.len === 1 ? String(p.minute) : pad(p.minute, 2);
        break;
      case 'd':
        if (t.len === 1) out += String(p.day);
        else if (t.len === 2) out += pad(p.day, 2);
        else if (t.len === 3) out += WEEKDAYS[p.weekday].slice(0, 3);
        else out += WEEKDAYS[p.weekday];
        break;
      case 'h': {
        const h = twelve ? p.hour % 12 || 12 : p.hour;
        out += t.len === 1 ? String(h) : pad(h, 2);
        break;
      }
      case 's':
        out += t.len === 1 ? String(p.second) : pad(p.second, 2);
        break;
      case 'frac':
        out += `.${pad(p.ms, 3).slice(0, t.len).padEnd(t.len, '0')}`;
        break;
      case 'ampm': {
        const pm = p.hour >= 12;
        if (t.style === 'AM/PM') out += pm ? 'PM' : 'AM';
        else if (t.style === 'am/pm') out += pm ? 'pm' : 'am';
        else if (t.style === 'A/P') out += pm ? 'P' : 'A';
        else out += pm ? 'p' : 'a';
        break;
      }
    }
  }
  return out;
}

function formatSection(v: number, section: string): string {
  let prefix = '';
  let suffix = '';
  let core = '';
  let exp = '';
  let percent = false;
  let i = 0;
  const addLiteral = (text: string): void => {
    if (core) suffix += text;
    else prefix += text;
  };
  while (i < section.length) {
    const c = section[i];
    if (c === '"') {
      const end = section.indexOf('"', i + 1);
      const stop = end < 0 ? section.length : end;
      addLiteral(section.slice(i + 1, stop));
      i = stop + 1;
    } else if (c === '\\') {
      addLiteral(section[i + 1] ?? '');
      i += 2;
    } else if (c === '[') {
      const end = section.indexOf(']', i);
      const inner = section.slice(i + 1, end < 0 ? section.length : end);
      if (inner.startsWith('$')) addLiteral(inner.slice(1).split('-')[0]);
      i = end < 0 ? section.length : end + 1;
    } else if (c === '_') {
      addLiteral(' ');
      i += 2;
    } else if (c === '*') {
      i += 2;
    } else if ('0#?,.'.includes(c) && !suffix) {
      core += c;
      i++;
    } else if ((c === 'E' || c === 'e') && core && /[+-]/.test(section[i + 1] ?? '')) {
      let j = i + 2;
      while (section[j] === '0') j++;
      exp = section.slice(i, j);
      i = j;
    } else {
      if (c === '%') percent = true;
      addLiteral(c);
      i++;
    }
  }
  if (!core) return prefix + suffix;
  if (percent) v *= 100;
  const [intPat, decPat = ''] = core.split('.');
  const maxDec = (decPat.match(/[0#?]/g) ?? []).length;
  const minDec = (decPat.match(/0/g) ?? []).length;
  const minInt = (intPat.match(/0/g) ?? []).length;
  const grouping = intPat.includes(',');
  let body: string;
  if (exp) {
    const [mant, e] = v.toExponential(maxDec).split('e');
    const expDigits = exp.length - 2;
    const en = Number(e);
    body = `${mant}E${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(expDigits, '0')}`;
  } else {
    let [ip, dp = ''] = v.toFixed(maxDec).split('.');
    while (dp.length > minDec && dp.endsWith('0')) dp = dp.slice(0, -1);
    if (minInt === 0 && ip === '0') ip = '';
    ip = ip.padStart(minInt, '0');
    if (grouping) ip = ip.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    body = dp ? `${ip}.${dp}` : ip;
  }
  return prefix + body + suffix;
}

/** What getDisplayValues shows for a stored value under a number format (a practical subset). */
export function formatForDisplay(
  value: string | number | boolean | undefined,
  fmt: string | undefined,
): string {
  if (value === undefined || value === '') return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  if (isAutomaticFormat(fmt) || fmt === PLAIN_TEXT_FORMAT || fmt === undefined)
    return formatGeneralNumber(value);
  if (isDateFormat(fmt)) return formatDateSerial(value, fmt);
  if (!Number.isFinite(value)) return formatGeneralNumber(value);
  const sections = fmt.split(';');
  if (value < 0 && sections.length > 1) return formatSection(-value, sections[1]);
  if (value === 0 && sections.length > 2) return formatSection(0, sections[2]);
  const text = formatSection(Math.abs(value), sections[0]);
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}
