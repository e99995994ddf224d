// A create that went unanswered, and a rep who renames the new row before pushing again: Close holds the
// lead under the name that was sent, so the next push looks for it by that name (kept in the row's
// pending mark) and adopts it — never creates a second lead — and the rename goes as an edit after.
import type { World } from './harness';
import { SHEET, STAMP, pulled, sent, table, view, writes } from './sheet';

const SYNC = 'Sync status';
const named = (w: World, name: string) => [...w.close.leads.values()].filter((l) => l.name === name);

test('a new row renamed after its create timed out is adopted by the name it was sent with, not created again', () => {
  const w = pulled();
  const v = view(w);
  const row = table(w).length + 1;
  const book = w.runtime.spreadsheet;
  book.userEdit(SHEET, [row, v.col('Name')], 'Zephyr Kites');
  book.userEdit(SHEET, [row, v.col('Description')], 'Kites for every wind');
  w.close.injectFaults([{ match: { method: 'POST', pathPrefix: '/lead/' }, status: 504, afterApply: true }]);
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, failed: 1 });
  expect(named(w, 'Zephyr Kites')).toHaveLength(1);
  const [created] = named(w, 'Zephyr Kites');
  expect(String(table(w)[row - 1][v.col(SYNC) - 1])).toMatch(
    /^error: Close had a server error \(504\); try again later; Close may have created it anyway: the next push looks for it before creating it again \[pending create 2026-11-28T09:\d\d:\d\d\.\d{3}Z as "Zephyr Kites"\] · 2026-11-28 04:\d\d$/,
  );

  // The rep renames the row before pushing again.
  book.userEdit(SHEET, [row, v.col('Name')], 'Zephyr Kites Ltd');
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 1, failed: 0 });
  expect(writes(w)).toEqual([]);
  const lookups = sent(w, 'GET').filter((r) => r.path.startsWith('/lead/?'));
  expect(lookups).toHaveLength(1);
  expect(decodeURIComponent(lookups[0].path)).toContain(' name:"Zephyr Kites" sort:created');
  expect(table(w)[row - 1][v.col('Lead ID') - 1]).toBe(created.id);
  expect(table(w)[row - 1][v.col('Name') - 1]).toBe('Zephyr Kites Ltd');
  expect(table(w)[row - 1][v.col(SYNC) - 1]).toBe(
    `created; the earlier create had reached Close as "Zephyr Kites": not created again; push again to send what you changed since (Name) · ${STAMP}`,
  );

  // The rename is an edit of the adopted lead now.
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 1, failed: 0 });
  expect(writes(w)).toEqual([
    { method: 'PUT', path: `/lead/${created.id}/`, body: { name: 'Zephyr Kites Ltd' } },
  ]);
  expect(named(w, 'Zephyr Kites')).toEqual([]);
  expect(named(w, 'Zephyr Kites Ltd').map((l) => [l.id, l.description])).toEqual([
    [created.id, 'Kites for every wind'],
  ]);
});
