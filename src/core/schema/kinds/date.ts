// Dates (YYYY-MM-DD, a day serial in the cell) and date-times (an instant, a Date in the cell, read in
// the spreadsheet's time zone). The preview shows both as Close writes them.
import type { CellValue } from '../../ports';
import type { CodecEnv } from '../codecs';
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
} from '../dates';
import { asText, bad, exact, ok, quote, sameValues } from './cells';
import type { FieldKind } from './kind';

/** The last day Sheets has: 9999-12-31 is serial 2958465. */
const MAX_DAY_SERIAL = 2_958_465;

/** A date cell Sheets could not make a real date of (an Invalid Date) is not a date. */
const validDate = (cell: CellValue) => !isDate(cell) || Number.isFinite(cell.getTime());

const single = { multiValue: null, addRemove: false, dropdown: null, report: null } as const;

export const date: FieldKind = {
  closeTypes: [{ type: 'date' }],
  codec: (_column, env) => ({
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
  }),
  numberFormat: 'yyyy-mm-dd',
  takes: 'a date (YYYY-MM-DD)',
  display: 'as Close writes it',
  ...single,
};

/**
 * A Date as Sheets hands it back or takes it (an instant read in the spreadsheet's zone now), and the
 * instant the cell means (its wall clock in the zone the sheet's date-times were written in): the same
 * unless the rep changed the spreadsheet's zone since the first pull. Sheets keeps the cell's wall clock
 * then, so the instant is found again through it, both ways.
 */
function zoneShift(env: CodecEnv) {
  const same = () => (env.dateTimeZone ?? env.timeZone) === env.timeZone;
  return {
    fromCell: (ms: number) =>
      same() ? ms : serialToInstant(dateCellToSerial(new Date(ms), env.timeZone), env.dateTimeZone!),
    toCell: (ms: number) =>
      same() ? ms : serialToInstant(dateCellToSerial(new Date(ms), env.dateTimeZone!), env.timeZone),
  };
}

export const datetime: FieldKind = {
  closeTypes: [{ type: 'datetime' }],
  codec: (_column, env) => {
    const shift = zoneShift(env);
    return {
      ...exact,
      encode: (v) => {
        const ms = typeof v === 'string' ? parseCloseDateTime(v) : null;
        return ms === null ? asText(v) : new Date(shift.toCell(ms));
      },
      decode: (cell) => {
        const notDateTime = bad(`${quote(cell)} is not a date and time (use YYYY-MM-DD HH:MM)`);
        if (!validDate(cell)) return notDateTime;
        if (isDate(cell)) return ok(formatCloseDateTime(shift.fromCell(cell.getTime())));
        if (typeof cell === 'number') {
          // Sheets' days run to 9999-12-31 (serial 2958465): past that there is no date to send.
          if (!Number.isFinite(cell) || Math.abs(cell) > MAX_DAY_SERIAL) return notDateTime;
          return ok(formatCloseDateTime(serialToInstant(cell, env.dateTimeZone ?? env.timeZone)));
        }
        const t = String(cell).trim();
        if (t === '') return ok(null);
        const ms = parseCloseDateTime(t);
        return ms === null
          ? bad(`${quote(cell)} is not a date and time (use YYYY-MM-DD HH:MM)`)
          : ok(formatCloseDateTime(ms));
      },
    };
  },
  numberFormat: 'yyyy-mm-dd hh:mm',
  takes: 'a date and time',
  // Close writes an instant in more than one form (`…:00+00:00`, `…:00.000000+00:00`): the same moment.
  same: (a, b) => {
    if (typeof a === 'string' && typeof b === 'string') {
      const [ma, mb] = [parseCloseDateTime(a), parseCloseDateTime(b)];
      if (ma !== null && mb !== null) return ma === mb;
    }
    return sameValues(a, b);
  },
  display: 'as Close writes it',
  ...single,
};
