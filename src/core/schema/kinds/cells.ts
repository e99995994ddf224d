// What every kind's codec shares: decode results, empty values, a value as text, cells too long for
// Sheets, and the multi-value separator.
import type { CellValue } from '../../ports';
import { dateCellToYmd, isDate } from '../dates';
import type { Decoded } from '../codecs';

/** Joins multi-value fields in one cell; documented in the README. Splitting trims around it. */
export const MULTI_VALUE_SEPARATOR = '; ';
/** Sheets refuses cells over 50,000 characters. */
export const MAX_CELL_CHARS = 50_000;
export const TRUNCATION_MARK = ' …[truncated: edit in Close]';

export const ok = (value: unknown): Decoded => ({ ok: true, value });
export const bad = (error: string): Decoded => ({ ok: false, error });
export const quote = (cell: CellValue) =>
  JSON.stringify(isDate(cell) && Number.isFinite(cell.getTime()) ? cell.toISOString() : String(cell));

export function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** A Close value as text (JSON.stringify prints numbers and booleans as String does: JSON has no NaN). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isEmpty(value)) return '';
  return JSON.stringify(value);
}

/** A multi-value field's values as one cell: `a; b; c` (a loop, no intermediate array). */
export function joined(values: unknown[], show: (value: unknown) => string): string {
  let text = '';
  for (let i = 0; i < values.length; i++) text += (i > 0 ? MULTI_VALUE_SEPARATOR : '') + show(values[i]);
  return text;
}

export function truncate(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  // Never between the two halves of an emoji (a surrogate pair): half of one shows as a broken glyph.
  let end = MAX_CELL_CHARS - TRUNCATION_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATION_MARK;
}

export function cellText(cell: CellValue, timeZone: string): string {
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (isDate(cell)) return dateCellToYmd(cell, timeZone);
  return String(cell);
}

/**
 * A multi-value cell typed with another separator (`Choice 1, Choice 3`, or one value a line after
 * Alt+Enter) whose parts are all values the field knows: what to type instead, to end the message with.
 * Reps copy the comma-separated lists messages show. The cell is still refused, not guessed at: a comma
 * may be part of a value.
 */
export function separatorHint(text: string, isKnown: (value: string) => boolean): string {
  if (!/[,\n]/.test(text)) return '';
  const parts = text
    .split(/[;,\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2 || !parts.every(isKnown)) return '';
  return `. To enter several, separate them with "${MULTI_VALUE_SEPARATOR}" (${parts.join(MULTI_VALUE_SEPARATOR)})`;
}

/** Values named in a message: the first twelve, then how many in all; "(none)" for an empty list. */
export function listForMessage(values: string[]): string {
  if (values.length === 0) return '(none)';
  const shown = values.slice(0, 12).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} in all)` : shown;
}

/** Two non-empty Close values are the same: multi-values as sets (order aside), else identical. */
export function sameValues(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const as = (Array.isArray(a) ? a : [a]).map(String).sort();
    const bs = (Array.isArray(b) ? b : [b]).map(String).sort();
    return as.length === bs.length && as.every((v, i) => v === bs[i]);
  }
  return a === b;
}

/** Text cells: shown whole up to Sheets' limit, and lossy past it (never pushed from the sheet). */
export const textCell = {
  encode: (v: unknown) => truncate(asText(v)),
  isLossy: (v: unknown) => asText(v).length > MAX_CELL_CHARS,
};

/** Values every cell can hold whole. */
export const exact = { isLossy: () => false };
