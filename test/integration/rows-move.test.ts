// The rep keeps working while a push runs: sorting, inserting and deleting rows between the sheet's
// first read and the write-back of statuses and new Lead IDs, and between the steps of a long push.
// Every status and every new id must land on its own lead's row (found by Lead ID, a new row by its
// Name), never on whatever row now has the old row number.
import type { FakeRequest } from '../../dev/fake-close/types';
import type { World } from './harness';
import { SHEET, STAMP, edit, pulledWithHook, sent, sheetOf, view } from './sheet';

/** Every data row as "Lead ID (or new:Name) → Sync status", in sheet order. */
function statuses(w: World): string[] {
  const v = view(w);
  const [id, name, status] = [v.col('Lead ID') - 1, v.col('Name') - 1, v.col('Sync status') - 1];
  return v.rows.slice(1).map((r) => `${r[id] || `new:${r[name]}`} → ${r[status]}`);
}

const isCreate = (req: FakeRequest) => req.method === 'POST' && req.url.endsWith('/lead/');
const isPut = (req: FakeRequest) => req.method === 'PUT';

test('a row the rep inserts above while a new lead is being created: the new id still lands on its row, and the next push creates nothing', () => {
  const { w, setDuring } = pulledWithHook(isCreate);
  const before = view(w);
  const newRow = before.rows.length + 1;
  w.runtime.spreadsheet.userEdit(SHEET, [newRow, before.col('Name')], 'Initech');
  setDuring(() => sheetOf(w).insertRowBefore(2));
  expect(w.app.pushChanges({})).toMatchObject({ created: 1, failed: 0, updated: 0 });
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const after = view(w);
  // Initech moved down one row with the insert; its id and status went with it.
  expect(after.rows[newRow][after.col('Name') - 1]).toBe('Initech');
  expect(after.rows[newRow][after.col('Lead ID') - 1]).toBe(created.id);
  expect(after.rows[newRow][after.col('Sync status') - 1]).toBe(`created · ${STAMP}`);
  expect(after.rows[1]).toEqual(after.header.map(() => ''));
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 0 });
  expect(sent(w, 'POST')).toEqual([]);
  expect([...w.close.leads.values()].filter((l) => l.name === 'Initech')).toHaveLength(1);
});

test('rows sorted, inserted and deleted while Close answers: every status lands on its own lead, errors on their own rows', () => {
  const { w, setDuring } = pulledWithHook(isPut);
  const v = view(w);
  const ids = v.rows.slice(1).map((r) => String(r[v.col('Lead ID') - 1]));
  const [edited1, edited2, conflicted, copied, deleted] = [
    ids[0],
    ids[1],
    ids[2],
    ids[3],
    ids[ids.length - 1],
  ];
  edit(w, edited1, 'Description', 'first edit');
  edit(w, edited2, 'Description', 'second edit');
  edit(w, conflicted, 'Description', 'mine');
  const was = w.close.leads.get(conflicted)!.description ?? '';
  w.close.touchLead(conflicted, { description: 'theirs' });
  const book = w.runtime.spreadsheet;
  let row = v.rows.length + 1;
  const copyRow = row;
  // A copy of a lead's row (a duplicate Lead ID), a row with no Name and no Lead ID, and a new lead.
  book.userEdit(SHEET, [row, v.col('Lead ID')], copied);
  book.userEdit(SHEET, [row++, v.col('Name')], 'Copy of a lead');
  book.userEdit(SHEET, [row++, v.col('Description')], 'a note without a name');
  book.userEdit(SHEET, [row++, v.col('Name')], 'Initech');
  setDuring(() => {
    const s = sheetOf(w);
    s.deleteRow(view(w).row(deleted));
    s.sort(v.col('Name'), false);
    s.insertRowBefore(2);
  });
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({
    updated: 2,
    created: 1,
    conflicts: 1,
    failed: 3,
    unchanged: ids.length - 4,
  });
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const expected = (id: string) =>
    id === edited1 || id === edited2
      ? `updated · ${STAMP}`
      : id === conflicted
        ? `conflict: Description changed in Close since your pull: Close has "theirs", you have "mine" (was ${JSON.stringify(was)}). Not sent. · ${STAMP}`
        : `unchanged · ${STAMP}`;
  const after = view(w);
  const nameCol = after.col('Name') - 1;
  const nameOf = new Map(after.rows.map((r) => [String(r[after.col('Lead ID') - 1]), r[nameCol]]));
  const want = [
    // The row the rep inserted: no status.
    'new: → ',
    ...after.rows.slice(2).map((r) => {
      const id = String(r[after.col('Lead ID') - 1]);
      if (id === created.id) return `${id} → created · ${STAMP}`;
      if (!id) return `new: → error: No Lead ID and no Name: type a Name to create a lead · ${STAMP}`;
      // A Lead ID on two rows with different values: neither is pushed, each names the other's row.
      if (id === copied)
        return `${id} → error: Duplicate Lead ID (also on row ${r[nameCol] === 'Copy of a lead' ? 5 : copyRow}) with different values: not pushed from any of them. Delete the copy you do not want, then push again · ${STAMP}`;
      return `${id} → ${expected(id)}`;
    }),
  ];
  expect(statuses(w)).toEqual(want);
  // The sort really moved the rows: names descend below the inserted row, the deleted lead is gone.
  expect(after.rows.length).toBe(v.rows.length + 3);
  expect(nameOf.has(deleted)).toBe(false);
  expect(after.rows[1]).toEqual(after.header.map(() => ''));
});
