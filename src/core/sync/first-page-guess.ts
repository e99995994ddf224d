// The first-page guess: a pull's first pages asked for in the same wave as the organization's schema,
// before the fields and the count are known (one round trip less), and whether the guess holds.
import type { CloseCall } from '../close/client';
import { STANDARD_COLUMNS, leadFieldsOf } from '../schema/columns';
import type { SyncDeps } from './context';
import type { PullJob } from './job';
import { guessedWave } from './lead-pager';

/**
 * A pull's first pages, asked for before the schema and the count are known, so they ride in the
 * schema's wave: for a re-pull, as many as the sheet has rows (and one more); for a first pull of every
 * lead, as many as the organization had when the key was connected. A sheet of every field asks for
 * every custom field (`custom`); one of chosen fields, for the fields its last pull showed. Leads only
 * (a contact or opportunity sheet's rows do not count leads), and not Smart Views (they page by cursor).
 */
export function guessFirstPages(
  deps: SyncDeps,
  job: PullJob,
): { calls: CloseCall[]; fields: Set<string>; expected: number } | null {
  const { seen, kind, fields: chosen } = job.definition;
  if (kind !== 'lead') return null;
  let expected: number;
  if (seen) expected = (deps.workbook.sheet(job.sheetName)?.lastRow() ?? 0) - 1;
  else if (chosen === null && !job.pager.filter && deps.owner?.leadCount !== undefined)
    expected = deps.owner.leadCount;
  else return null;
  // Every field: `custom` holds every custom field, those added in Close since included.
  const fields =
    chosen === null
      ? [...leadFieldsOf(STANDARD_COLUMNS.map((c) => c.key)), 'custom']
      : leadFieldsOf(Object.keys(seen ?? {}));
  const calls = guessedWave(job.pager, fields, expected);
  return calls ? { calls, fields: new Set(fields), expected } : null;
}

/** Whether pages asked for with `guessed` fields hold every field in `needed` (`custom` holds them all). */
export function coversFields(guessed: Set<string>, needed: string[]): boolean {
  return needed.every((f) => guessed.has(f) || (f.startsWith('custom.') && guessed.has('custom')));
}
