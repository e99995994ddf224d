// encode: Close API value → sheet cell. decode: sheet cell → Close API value, or a reason it is invalid.
// These two functions per kind are the only path a value takes between Close JSON and a cell. Each
// kind's own codec is declared with the rest of the kind in kinds/; here they become a column's codec.
import type { CellValue } from '../ports';
import type { Column } from './columns';
import { dateCellToSerial, isDate } from './dates';
import { bad, isEmpty, ok, sameValues } from './kinds/cells';
import { KINDS, type KindCodec, type ValueKind } from './kinds';
import type { NameLookup } from './lookups';

export { MAX_CELL_CHARS, MULTI_VALUE_SEPARATOR, TRUNCATION_MARK } from './kinds/cells';

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
  /** The spreadsheet's time zone now: Sheets hands date cells back (and reads Dates written) in it. */
  timeZone: string;
  /**
   * The zone whose wall clock the sheet's date-time cells show: the spreadsheet's zone when the sheet
   * was first pulled (PullDefinition.zone), which may differ from `timeZone` since the rep changed it.
   */
  dateTimeZone?: string;
  statuses: NameLookup;
  users: NameLookup;
  opportunityStatuses: NameLookup;
}

/** The number format each kind's column gets (declared by the kind). */
export const NUMBER_FORMATS = Object.fromEntries(
  Object.entries(KINDS).map(([kind, k]) => [kind, k.numberFormat]),
) as Record<ValueKind, string>;

export function makeCodec(column: Column, env: CodecEnv): Codec {
  const codec = clearedAs(column, KINDS[column.kind].codec(column, env));
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
function clearedAs(column: Column, codec: KindCodec): KindCodec {
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
  const same = KINDS[kind].same;
  return same ? same(a, b) : sameValues(a, b);
}
