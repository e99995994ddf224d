// Shared by the tests where a rep moves values between rows without their Lead ID (guards.test.ts,
// moved-columns.test.ts, sorted-column.test.ts): a pulled sheet with every lead as Close held it, and what
// the preview and the menu's confirmation say of the moved rows before anything is sent.
import type { World } from './harness';
import { pulled, view, writes } from './sheet';

/** The Close lead as it is now (a copy), to compare before and after. */
export const leadNow = (w: World, id: string) => JSON.parse(JSON.stringify(w.close.leads.get(id)));

/** The Lead IDs of the sheet's rows, top to bottom (found by header, whatever the layout). */
export const idsOf = (v: ReturnType<typeof view>) =>
  v.rows.slice(1).map((r) => String(r[v.col('Lead ID') - 1]));

export interface PulledSheet {
  w: World;
  /** The sheet as pulled. */
  v: ReturnType<typeof view>;
  ids: string[];
  /** Every lead as Close held it after the pull, by Lead ID. */
  before: Map<string, ReturnType<typeof leadNow>>;
}

/** A freshly pulled sheet (the requests log empty), its Lead IDs and every lead as Close held it. */
export function pulledSheet(): PulledSheet {
  const w = pulled();
  const v = view(w);
  const ids = idsOf(v);
  return { w, v, ids, before: new Map(ids.map((id) => [id, leadNow(w, id)])) };
}

type PreviewCounts = ReturnType<World['app']['previewChanges']>['counts'];

/** Every count a preview gives, each 0 but those named. */
export const previewCounts = (some: Partial<PreviewCounts>): PreviewCounts => ({
  leads: 0,
  fields: 0,
  creates: 0,
  invalid: 0,
  conflicts: 0,
  errors: 0,
  moved: 0,
  ...some,
});

/**
 * With one ordinary edit (one field of one lead) beside `moved` moved rows: the preview counts them, the
 * menu's confirmation says so before anything is sent, and answering No sends nothing.
 */
export function expectMovedBeforePush(w: World, moved: number): void {
  expect(w.app.previewChanges({}).counts).toEqual(previewCounts({ leads: 1, fields: 1, moved }));
  w.runtime.ui.answers.push('NO');
  w.app.pushChanges();
  expect(w.runtime.ui.alerts[0]).toMatchObject({ title: 'Push changes to Close?', answer: 'NO' });
  expect(w.runtime.ui.alerts[0].message).toBe(
    `1 field on 1 lead. ${moved} rows look moved from other leads and will not be sent: the sheet may have been sorted without its Lead ID column (Edit › Undo puts it back).`,
  );
  expect(writes(w)).toEqual([]);
}

/** Close still holds every lead as pulled, but those in `except`. */
export function expectCloseAsPulled(w: World, before: PulledSheet['before'], except: string[] = []): void {
  for (const [id, lead] of before) if (!except.includes(id)) expect(leadNow(w, id)).toEqual(lead);
}
