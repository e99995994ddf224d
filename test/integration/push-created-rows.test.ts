// New rows that share a Name, moved while their leads are being created. A new row has no Lead ID until
// Close answers, so after the POSTs the push finds it again by its Name (lead-sheet.ts rowFinder); rows
// that share the Name were told apart by their order alone, so a row deleted or sorted meanwhile put a
// lead's ID on a row showing another lead's values (whose next push then sent them to that lead too),
// and left a lead Close created in no row, recorded nowhere the rep would look. Every created lead must
// land on the row showing its values, or be named where the rep looks.
import type { FakeRequest } from '../../dev/fake-close/types';
import type { World } from './harness';
import { SHEET, STAMP, pulledWithHook, sent, sheetOf, typeNewRow, view } from './sheet';

const LOG = 'Close Sync Push Log';
const isCreate = (req: FakeRequest) => req.method === 'POST' && req.url.endsWith('/lead/');

/** The leads Close holds named `name`, by their Description. */
function createdNamed(w: World, name: string): Map<string, string> {
  return new Map(
    [...w.close.leads.values()].filter((l) => l.name === name).map((l) => [String(l.description), l.id]),
  );
}

/** Lead ID, Name, Description and Sync status of the sheet's rows named `name`, in sheet order. */
function rowsNamed(w: World, name: string): unknown[][] {
  const v = view(w);
  const cols = ['Lead ID', 'Name', 'Description', 'Sync status'].map((h) => v.col(h) - 1);
  return v.rows.filter((r) => r[v.col('Name') - 1] === name).map((r) => cols.map((c) => r[c]));
}

/** The push log's rows for created leads: Lead ID, Lead name, Field. */
function loggedCreates(w: World): unknown[][] {
  const rows = w.runtime.spreadsheet.dump(LOG) as unknown[][];
  return rows.filter((r) => r[6] === '').map((r) => [r[4], r[5], r[7]]);
}

test('two new rows named alike, the first deleted while its lead is created: the second gets its own lead, the first lead is named, nothing is sent twice', () => {
  const { w, setDuring } = pulledWithHook(isCreate);
  const first = typeNewRow(w, { Name: 'Acme', Description: 'first Acme' });
  typeNewRow(w, { Name: 'Acme', Description: 'second Acme' });
  setDuring(() => sheetOf(w).deleteRow(first));
  const summary = w.app.pushChanges({});
  const ids = createdNamed(w, 'Acme');
  const [firstId, secondId] = [ids.get('first Acme')!, ids.get('second Acme')!];
  expect(ids.size).toBe(2);
  // The row left shows the second Acme: the second lead's ID, never the first's.
  expect(rowsNamed(w, 'Acme')).toEqual([[secondId, 'Acme', 'second Acme', `created · ${STAMP}`]]);
  const gone = `created in Close as ${firstId}, but its row was deleted or changed while Close answered, so that Lead ID is in no row of the sheet: find "Acme" in Close (the push log has it) and put its Lead ID in its row, or delete it there`;
  expect(summary).toMatchObject({
    created: 2,
    failed: 0,
    message: `Pushed: 0 updated, 2 created, 0 failed, 0 with conflicts, 0 with invalid values, ${view(w).rows.length - 2} unchanged. 1 lead created in Close is in no row of the sheet (${firstId}: see the results and the push log).`,
    results: [
      {
        row: first,
        leadId: firstId,
        leadName: 'Acme',
        outcome: 'error',
        message: `error: ${gone} · ${STAMP}`.slice(0, 200),
      },
    ],
  });
  expect(loggedCreates(w)).toEqual([
    [
      firstId,
      'Acme',
      'New lead, in no row of the sheet (its row was deleted or changed while Close created it)',
    ],
    [secondId, 'Acme', 'New lead'],
  ]);
  // The next push sends nothing: no third Acme, and no second Acme's values to the first lead.
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 0 });
  expect(sent(w).filter((r) => r.method !== 'GET' && r.path !== '/data/search/')).toEqual([]);
});

test('two new rows named alike, swapped by a sort while their leads are created: each lead goes to the row showing its values', () => {
  const { w, setDuring } = pulledWithHook(isCreate);
  const first = typeNewRow(w, { Name: 'Acme', Description: 'b: typed first' });
  typeNewRow(w, { Name: 'Acme', Description: 'a: typed second' });
  // The rep sorts just those two rows by Description: their Lead ID and Name cells stay as they were.
  const v = view(w);
  setDuring(() =>
    sheetOf(w)
      .getRange(first, 1, 2, v.header.length)
      .sort({ column: v.col('Description'), ascending: true }),
  );
  expect(w.app.pushChanges({})).toMatchObject({ created: 2, failed: 0 });
  const ids = createdNamed(w, 'Acme');
  expect(rowsNamed(w, 'Acme')).toEqual([
    [ids.get('a: typed second'), 'Acme', 'a: typed second', `created · ${STAMP}`],
    [ids.get('b: typed first'), 'Acme', 'b: typed first', `created · ${STAMP}`],
  ]);
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 0 });
  expect(sent(w).filter((r) => r.method !== 'GET' && r.path !== '/data/search/')).toEqual([]);
});

test('two new rows named alike, one edited while its lead is created: it is the one row left, so it gets its lead, and its edit goes to that lead next', () => {
  const { w, setDuring } = pulledWithHook(isCreate);
  const first = typeNewRow(w, { Name: 'Acme', Description: 'first Acme' });
  typeNewRow(w, { Name: 'Acme', Description: 'second Acme' });
  const v = view(w);
  setDuring(() => w.runtime.spreadsheet.userEdit(SHEET, [first, v.col('Description')], 'first Acme, edited'));
  expect(w.app.pushChanges({})).toMatchObject({ created: 2, failed: 0, results: [] });
  const ids = createdNamed(w, 'Acme');
  const [firstId, secondId] = [ids.get('first Acme')!, ids.get('second Acme')!];
  expect(rowsNamed(w, 'Acme')).toEqual([
    [firstId, 'Acme', 'first Acme, edited', `created · ${STAMP}`],
    [secondId, 'Acme', 'second Acme', `created · ${STAMP}`],
  ]);
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 1, failed: 0 });
  expect(sent(w).filter((r) => r.method !== 'GET' && r.path !== '/data/search/')).toEqual([
    { method: 'PUT', path: `/lead/${firstId}/`, body: { description: 'first Acme, edited' } },
  ]);
});

test('three new rows named alike, two edited while their leads are created: which is which is unknown, so both leads are named, and the next push names them on the rows and creates nothing', () => {
  const { w, setDuring } = pulledWithHook(isCreate);
  const first = typeNewRow(w, { Name: 'Acme', Description: 'first Acme' });
  typeNewRow(w, { Name: 'Acme', Description: 'second Acme' });
  typeNewRow(w, { Name: 'Acme', Description: 'third Acme' });
  const v = view(w);
  setDuring(() => {
    w.runtime.spreadsheet.userEdit(SHEET, [first, v.col('Description')], 'first Acme, edited');
    w.runtime.spreadsheet.userEdit(SHEET, [first + 1, v.col('Description')], 'second Acme, edited');
  });
  const summary = w.app.pushChanges({});
  const ids = createdNamed(w, 'Acme');
  const [firstId, secondId, thirdId] = ['first Acme', 'second Acme', 'third Acme'].map((d) => ids.get(d)!);
  expect(summary).toMatchObject({
    created: 3,
    failed: 0,
    unplaced: 2,
    results: [
      { row: first, leadId: firstId, outcome: 'error' },
      { row: first + 1, leadId: secondId, outcome: 'error' },
    ],
  });
  expect(summary.message).toBe(
    `Pushed: 0 updated, 3 created, 0 failed, 0 with conflicts, 0 with invalid values, 300 unchanged. 2 leads created in Close are in no row of the sheet (${firstId}, ${secondId}: see the results and the push log).`,
  );
  // The two rows keep their marks (one POST time, one name): the next push looks for their leads first.
  const statusOf = (row: number) => String(view(w).rows[row - 1][v.col('Sync status') - 1]);
  const mark = statusOf(first).replace('creating… ', '');
  expect(mark).toMatch(/^\[pending create 2026-11-28T09:00:\d\d\.\d{3}Z as "Acme"\]$/);
  expect([statusOf(first), statusOf(first + 1)]).toEqual([`creating… ${mark}`, `creating… ${mark}`]);
  expect(rowsNamed(w, 'Acme').map((r) => r.slice(0, 3))).toEqual([
    ['', 'Acme', 'first Acme, edited'],
    ['', 'Acme', 'second Acme, edited'],
    [thirdId, 'Acme', 'third Acme'],
  ]);
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 2 });
  expect(sent(w).filter((r) => r.method !== 'GET' && r.path !== '/data/search/')).toEqual([]);
  // Each row names the leads it may be, the two in no row among them; the mark stays.
  const found = `error: 3 leads named "Acme" were created in Close since this row's earlier create went unanswered (${firstId}, ${secondId}, ${thirdId}): not created again. Put the right one's Lead ID in this row, then push. ${mark} · ${STAMP}`;
  expect(rowsNamed(w, 'Acme')).toEqual([
    ['', 'Acme', 'first Acme, edited', found],
    ['', 'Acme', 'second Acme, edited', found],
    [thirdId, 'Acme', 'third Acme', `unchanged · ${STAMP}`],
  ]);
});
