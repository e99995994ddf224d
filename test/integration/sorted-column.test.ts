// One column sorted or pasted on its own, as a rep does it in Sheets (Data › Sort range over a single
// custom-field column; one column pasted one row off): every row then shows ONE changed cell, another
// lead's value. Rule E of the row guards (sorted-column.ts) holds those rows back before anything is
// sent; a rep's own bulk edit of one column (a fill-down, typed values) still goes.
import { expectCloseAsPulled, expectMovedBeforePush, pulledSheet } from './moves';
import { STAMP, cf, sheetOf, edit, view, writes } from './sheet';

const SYNC = 'Sync status';
/** A lead as statuses name it: its id, and its pulled name when it has one. */
const label = (id: string, lead: { name: string | null }) => (lead.name ? `${id} (${lead.name})` : id);
const TAIL =
  "Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. If you did mean to give these rows each other's values, change and push them two rows at a time.";

describe('Data › Sort range over the Industry column alone (rows 2–21, A to Z), then push', () => {
  const { w, v, ids, before } = pulledSheet();
  const industry = v.col('Industry');
  const pulledIndustry = new Map(ids.map((id) => [id, v.cell(id, 'Industry')]));
  sheetOf(w).getRange(2, industry, 20, 1).sort({ column: industry, ascending: true });
  // An ordinary edit further down still goes.
  edit(w, ids[40], 'Description', 'Called on Monday');
  const after = view(w);
  const changed = ids.slice(0, 20).filter((id) => after.cell(id, 'Industry') !== pulledIndustry.get(id));

  test('the sort changed one cell on most of those rows, each now another lead’s Industry', () => {
    expect(changed.length).toBeGreaterThanOrEqual(10);
    const sorted = ids.slice(0, 20).map((id) => after.cell(id, 'Industry'));
    expect([...sorted].sort()).toEqual(
      ids
        .slice(0, 20)
        .map((id) => pulledIndustry.get(id))
        .sort(),
    );
  });

  test('the preview counts them as moved and the confirmation says so, before anything is sent', () => {
    expectMovedBeforePush(w, changed.length);
  });

  test('a push sends only the ordinary edit; every sorted row says what happened, and Close keeps its values', () => {
    const summary = w.app.pushChanges({});
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${ids[40]}/`, body: { description: 'Called on Monday' } },
    ]);
    expect(summary).toMatchObject({ updated: 1, moved: changed.length });
    const now = view(w);
    const [first, last] = [now.row(changed[0]), now.row(changed[changed.length - 1])];
    for (const id of changed) {
      // The lead named is the one changed row whose pulled Industry the cell shows, when only one had it.
      const owners = changed.filter((o) => pulledIndustry.get(o) === now.cell(id, 'Industry'));
      const owner = owners.length === 1 ? `lead ${label(owners[0], before.get(owners[0]))}` : 'other leads';
      expect(now.cell(id, SYNC)).toBe(
        `error: Looks like this row's Industry belongs to ${owner}, not to this row's lead: Industry in rows ${first}–${last} holds the values pulled for those same rows in another order (sorted A to Z): the column looks sorted on its own, without its ID column. ${TAIL} · ${STAMP}`,
      );
    }
    for (const id of ids.slice(0, 20).filter((id) => !changed.includes(id)))
      expect(now.cell(id, SYNC)).toBe(`unchanged · ${STAMP}`);
    expectCloseAsPulled(w, before, [ids[40]]);
  });
});

test('Reference Code pasted one row down (rows 30–35 onto 31–36): the shifted rows are held, each naming the lead above', () => {
  const { w, v, ids, before } = pulledSheet();
  const col = v.col('Reference Code');
  sheetOf(w)
    .getRange(31, col, 6, 1)
    .setValues(sheetOf(w).getRange(30, col, 6, 1).getValues());
  const changed = ids
    .slice(29, 35)
    .filter((id, k) => v.cell(ids[28 + k], 'Reference Code') !== v.cell(id, 'Reference Code'));
  expect(changed.length).toBeGreaterThanOrEqual(3);
  const summary = w.app.pushChanges({});
  expect(writes(w)).toEqual([]);
  expect(summary).toMatchObject({ updated: 0, moved: changed.length });
  const now = view(w);
  const [first, last] = [now.row(changed[0]), now.row(changed[changed.length - 1])];
  for (const id of changed) {
    const above = ids[ids.indexOf(id) - 1];
    expect(now.cell(id, SYNC)).toBe(
      `error: Looks like this row's Reference Code belongs to lead ${label(above, before.get(above))}, not to this row's lead: Reference Code in rows ${first}–${last} shows the values pulled for the row above each (pasted one row down, without its ID column). ${TAIL} · ${STAMP}`,
    );
  }
  expectCloseAsPulled(w, before);
});

test('a rep’s own bulk edits of one column go: one Industry filled down over 20 rows, and new Employees typed in order', () => {
  const { w, v, ids } = pulledSheet();
  const industry = v.col('Industry');
  // The rep types Software in row 2 and drags it down over rows 2–21.
  sheetOf(w)
    .getRange(2, industry, 20, 1)
    .setValues(Array.from({ length: 20 }, () => ['Software']));
  // And types a new head count, in ascending order, into rows 22–31.
  const employees = v.col('Employees');
  sheetOf(w)
    .getRange(22, employees, 10, 1)
    .setValues(Array.from({ length: 10 }, (_, k) => [6000 + k * 100]));
  const filled = ids.slice(0, 20).filter((id) => v.cell(id, 'Industry') !== 'Software');
  const typed = ids.slice(20, 30);
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ updated: filled.length + typed.length, moved: 0, failed: 0 });
  const puts = writes(w).sort((a, b) => (a.path < b.path ? -1 : 1));
  const wanted = [
    ...filled.map((id) => ({ method: 'PUT', path: `/lead/${id}/`, body: { [cf('industry')]: 'Software' } })),
    ...typed.map((id, k) => ({
      method: 'PUT',
      path: `/lead/${id}/`,
      body: { [cf('employees')]: 6000 + k * 100 },
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : 1));
  expect(puts).toEqual(wanted);
  const now = view(w);
  for (const id of [...filled, ...typed]) expect(now.cell(id, SYNC)).toBe(`updated · ${STAMP}`);
});
