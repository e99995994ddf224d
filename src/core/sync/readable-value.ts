// Values as the rep reads them in the preview and in status messages: labels, not ids; dates as Close
// writes them; multi-values joined the way the cell shows them.
import { isDate } from '../schema/dates';
import { KINDS } from '../schema/kinds';
import type { BoundColumn } from './changes';
import { isHashed } from './pulled-value';

export function displayValue(bound: BoundColumn, apiValue: unknown): string {
  // A pulled value the snapshot kept as a hash has nothing to show (pulled-value.ts).
  if (apiValue === null || apiValue === undefined || isHashed(apiValue)) return '';
  if (KINDS[bound.column.kind].display === 'as Close writes it') return String(apiValue);
  const cell = bound.codec.encode(apiValue);
  return isDate(cell) ? cell.toISOString() : String(cell);
}
