// Numbers and amounts. Close sends amounts (opportunity values) in integer cents; the cell shows
// currency units.
import type { CellValue } from '../../ports';
import type { Decoded } from '../codecs';
import { asText, bad, exact, ok, quote, sameValues } from './cells';
import type { FieldKind } from './kind';

const NUMBER_TEXT = /^[-+]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A number cell. JSON has no Infinity or NaN (JSON.stringify sends them as null, which clears the
 * field in Close), so text past a double's range (`1e400`) is refused, not sent.
 */
export function decodeNumber(cell: CellValue): Decoded {
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

const single = { multiValue: null, addRemove: false, dropdown: null, report: null } as const;

/** 5 and 5.0 (or "5" from an old snapshot) are the same number. */
const sameNumber = (a: unknown, b: unknown) =>
  Array.isArray(a) || Array.isArray(b) ? sameValues(a, b) : Number(a) === Number(b);

export const number: FieldKind = {
  closeTypes: [{ type: 'number' }],
  codec: () => ({ ...exact, encode: (v) => (typeof v === 'number' ? v : asText(v)), decode: decodeNumber }),
  numberFormat: 'General',
  takes: 'a number',
  same: sameNumber,
  display: 'as the cell shows it',
  ...single,
};

export const money: FieldKind = {
  closeTypes: [], // opportunity values; Close has no custom money type
  codec: () => ({
    ...exact,
    encode: (v) => (typeof v === 'number' ? v / 100 : asText(v)),
    decode: (cell) => {
      const d = decodeNumber(cell);
      if (!d.ok || typeof d.value !== 'number') return d;
      const cents = Math.round(d.value * 100);
      return Number.isSafeInteger(cents) ? ok(cents) : bad(`${quote(cell)} is too large an amount`);
    },
  }),
  numberFormat: '#,##0.00',
  takes: 'an amount',
  same: sameNumber,
  display: 'as the cell shows it',
  ...single,
};
