// The moved-row guards and the cleared-ID rule in contact and opportunity sheets. A contact is known by
// its Name (rules A–C, as leads); an opportunity has no editable field that names it (status, value,
// owner are shared by many), so it is known by the combination of its values (rule D, moved-values.ts).
import { connectedWorld, type World } from './harness';
import { STAMP, sheetOf, view, writes } from './sheet';

const CONTACTS = 'Close Contacts';
const OPPORTUNITIES = 'Close Opportunities';
const SYNC = 'Sync status';
const idsOf = (v: ReturnType<typeof view>, header: string) =>
  v.rows.slice(1).map((r) => String(r[v.col(header) - 1]));
const opportunitiesNow = (w: World) =>
  JSON.stringify([...w.close.leads.values()].flatMap((l) => l.opportunities ?? []));
const contactsNow = (w: World) =>
  JSON.stringify([...w.close.leads.values()].flatMap((l) => l.contacts ?? []));

function pulledOpportunities(): World {
  const w = connectedWorld();
  w.app.pullOpportunities({});
  w.runtime.requests.length = 0;
  return w;
}

test('opportunities: Data › Sort range over the editable columns without the Opportunity ID sends nothing to the wrong opportunity', () => {
  const w = pulledOpportunities();
  const v = view(w, OPPORTUNITIES);
  const ids = idsOf(v, 'Opportunity ID');
  const before = opportunitiesNow(w);
  const first = v.col('Status');
  const last = v.col('Note');
  const block = (at: ReturnType<typeof view>, id: string) =>
    JSON.stringify(at.rows[at.row(id) - 1].slice(first - 1, last));
  const pulledBlock = new Map(ids.map((id) => [id, block(v, id)]));
  sheetOf(w, OPPORTUNITIES)
    .getRange(2, first, 30, last - first + 1)
    .sort({ column: v.col('Value'), ascending: false });
  const after = view(w, OPPORTUNITIES);
  const changed = ids.filter((id) => block(after, id) !== pulledBlock.get(id));
  expect(changed.length).toBeGreaterThan(20);
  expect(w.app.previewChanges({ sheetName: OPPORTUNITIES }).counts).toMatchObject({
    fields: 0,
    moved: changed.length,
  });
  const summary = w.app.pushChanges({ sheetName: OPPORTUNITIES });
  expect(writes(w)).toEqual([]);
  expect(summary).toMatchObject({ updated: 0, moved: changed.length });
  const now = view(w, OPPORTUNITIES);
  for (const id of changed)
    expect(now.cell(id, SYNC)).toMatch(
      /^error: (Looks like this row's .+ belong to opportunity oppo_\w+, not to this row's opportunity\. Part of the sheet may have been sorted|This row is inside a block that looks sorted or pasted without its ID column \(rows \d+–\d+, Status to Note\))/,
    );
  // Each row that names an opportunity shows that opportunity's pulled values.
  const named = changed
    .map((id) => [id, /belong to opportunity (oppo_\w+)/.exec(String(now.cell(id, SYNC)))?.[1]] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  expect(named.length * 2).toBeGreaterThan(changed.length);
  for (const [id, owner] of named) expect(pulledBlock.get(owner)).toBe(block(now, id));
  expect(opportunitiesNow(w)).toBe(before);
});

test('opportunities: a cleared Opportunity ID says which opportunity the row was, and sends nothing', () => {
  const w = pulledOpportunities();
  const v = view(w, OPPORTUNITIES);
  const id = idsOf(v, 'Opportunity ID')[3];
  w.runtime.spreadsheet.userEdit(OPPORTUNITIES, [v.row(id), v.col('Opportunity ID')], '');
  const summary = w.app.pushChanges({ sheetName: OPPORTUNITIES });
  expect(writes(w)).toEqual([]);
  expect(summary).toMatchObject({ updated: 0, failed: 1, moved: 1 });
  expect(view(w, OPPORTUNITIES).rows[v.row(id) - 1][v.col(SYNC) - 1]).toBe(
    `error: This row was pulled as opportunity ${id} and its ID was cleared: not pushed. Put ${id} back in its ID cell (or use Edit › Undo), then push again. · ${STAMP}`,
  );
});

test('contacts: a sort of Name to Phones without the Contact ID, and a cleared Contact ID, send nothing', () => {
  const w = connectedWorld();
  w.app.pullContacts({});
  w.runtime.requests.length = 0;
  const v = view(w, CONTACTS);
  const ids = idsOf(v, 'Contact ID');
  const before = contactsNow(w);
  const first = v.col('Name');
  const last = v.col('Phones');
  sheetOf(w, CONTACTS)
    .getRange(2, first, 20, last - first + 1)
    .sort({ column: first, ascending: true });
  const cleared = ids[40];
  const name = String(v.cell(cleared, 'Name'));
  w.runtime.spreadsheet.userEdit(CONTACTS, [v.row(cleared), v.col('Contact ID')], '');
  const after = view(w, CONTACTS);
  const moved = ids.slice(0, 20).filter((id) => after.cell(id, 'Name') !== v.cell(id, 'Name'));
  expect(moved.length).toBeGreaterThan(10);
  const summary = w.app.pushChanges({ sheetName: CONTACTS });
  expect(writes(w)).toEqual([]);
  expect(summary).toMatchObject({ updated: 0, moved: moved.length + 1 });
  const now = view(w, CONTACTS);
  for (const id of moved)
    expect(now.cell(id, SYNC)).toMatch(/^error: Looks like this row's values belong to contact cont_\w+ \(/);
  expect(now.rows[v.row(cleared) - 1][v.col(SYNC) - 1]).toBe(
    `error: This row was pulled as contact ${cleared} (${name}) and its ID was cleared: not pushed. Put ${cleared} back in its ID cell (or use Edit › Undo), then push again. · ${STAMP}`,
  );
  expect(contactsNow(w)).toBe(before);
});
