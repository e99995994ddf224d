import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { previewCounts } from './moves';
import {
  SHEET,
  STAMP,
  batchedRead,
  cell,
  cf,
  edit,
  pulled,
  sent,
  sheetOf,
  table,
  typeNewRow,
  view,
} from './sheet';

/** Another lead without any of the custom values the test sets. */
function plainLead(w: World) {
  return w.close.org.leads.find(
    (l) =>
      l.id !== WAYNE_LEAD_ID &&
      !l[cf('industry')] &&
      !l[cf('employees')] &&
      !l[cf('contractStart')] &&
      !l[cf('owner')],
  )!;
}

describe('edit every kind of field, preview, push, push again', () => {
  const w = pulled();
  const other = plainLead(w);
  const owner = w.close.org.users.find((u) => u.first_name === 'John' && u.last_name === 'Doe')!;
  edit(w, WAYNE_LEAD_ID, 'Name', 'Wayne Enterprises');
  edit(w, WAYNE_LEAD_ID, 'Status', 'qualified');
  edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 3; Choice 1');
  edit(w, WAYNE_LEAD_ID, 'Lead Source', '');
  edit(w, other.id, 'Employees', '1,250');
  edit(w, other.id, 'Contract Start', '2025-03-01');
  edit(w, other.id, 'Account Owner', 'John Doe');
  edit(w, other.id, 'Description', '+1 650 333 4444 =SUM(A1)');

  w.runtime.requests.length = 0;
  const preview = w.app.previewChanges({});
  const wayneFields = ['name', 'status_id', cf('source'), cf('interest')];
  const otherFields = ['description', cf('employees'), cf('contractStart'), cf('owner')];

  test('the preview lists each edited field with old and new values, and sends nothing', () => {
    expect(preview.counts).toEqual(previewCounts({ leads: 2, fields: 8 }));
    const wayne = preview.items.filter((i: { leadId: string }) => i.leadId === WAYNE_LEAD_ID);
    expect(wayne.map((i: object) => ({ ...i, row: 0 }))).toEqual([
      {
        row: 0,
        leadId: WAYNE_LEAD_ID,
        leadName: 'Wayne Enterprises',
        field: 'Name',
        key: 'name',
        old: 'Wayne Enterprises (Sample Lead)',
        new: 'Wayne Enterprises',
        state: 'send',
        message: '',
      },
      {
        row: 0,
        leadId: WAYNE_LEAD_ID,
        leadName: 'Wayne Enterprises',
        field: 'Status',
        key: 'status_id',
        old: 'Potential',
        new: 'Qualified',
        state: 'send',
        message: '',
      },
      {
        row: 0,
        leadId: WAYNE_LEAD_ID,
        leadName: 'Wayne Enterprises',
        field: 'Lead Source',
        key: cf('source'),
        old: 'Website contact form',
        new: '',
        state: 'send',
        message: '',
      },
      {
        row: 0,
        leadId: WAYNE_LEAD_ID,
        leadName: 'Wayne Enterprises',
        field: 'Product Interest',
        key: cf('interest'),
        old: 'Choice 1; Choice 2',
        new: 'Choice 3; Choice 1',
        state: 'send',
        message: '',
      },
    ]);
    // One read of both leads (besides the schema): the batched check's search, with exactly their ids and
    // edited fields, and no GET per lead.
    expect(sent(w).filter((r) => r.path === '/data/search/' || r.path.startsWith('/lead/'))).toEqual([
      batchedRead(
        [WAYNE_LEAD_ID, other.id].sort(),
        WAYNE_LEAD_ID < other.id ? [...wayneFields, ...otherFields] : [...otherFields, ...wayneFields],
      ),
    ]);
  });

  test('the push sends one PUT per lead with only the changed keys, typed', () => {
    w.runtime.requests.length = 0;
    const summary = w.app.pushChanges({});
    expect(summary).toMatchObject({
      updated: 2,
      created: 0,
      failed: 0,
      conflicts: 0,
      invalid: 0,
      unchanged: 298,
    });
    const qualified = w.close.org.leadStatuses.find((s) => s.label === 'Qualified')!.id;
    const puts = sent(w, 'PUT');
    // Leads go in Lead ID order.
    expect(puts).toEqual(
      [
        {
          method: 'PUT',
          path: `/lead/${WAYNE_LEAD_ID}/`,
          body: {
            name: 'Wayne Enterprises',
            status_id: qualified,
            [cf('source')]: null,
            [cf('interest')]: ['Choice 3', 'Choice 1'],
          },
        },
        {
          method: 'PUT',
          path: `/lead/${other.id}/`,
          body: {
            description: '+1 650 333 4444 =SUM(A1)',
            [cf('employees')]: 1250,
            [cf('contractStart')]: '2025-03-01',
            [cf('owner')]: owner.id,
          },
        },
      ].sort((a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1)),
    );
  });

  test("Close now holds the rep's values, and fields nobody touched are intact", () => {
    const wayne = w.close.leads.get(WAYNE_LEAD_ID)!;
    expect(wayne.name).toBe('Wayne Enterprises');
    expect(wayne.status_label).toBe('Qualified');
    expect(wayne[cf('source')]).toBeUndefined();
    expect(wayne[cf('interest')]).toEqual(['Choice 3', 'Choice 1']);
    expect(wayne.description).toBe('');
    expect(wayne.contacts).toHaveLength(1);
  });

  test('each row records its result with a timestamp', () => {
    const v = view(w);
    expect(v.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
    expect(v.cell(other.id, 'Sync status')).toBe(`updated · ${STAMP}`);
    const someoneElse = w.close.org.leads.find((l) => l.id !== WAYNE_LEAD_ID && l.id !== other.id)!;
    expect(v.cell(someoneElse.id, 'Sync status')).toBe(`unchanged · ${STAMP}`);
  });

  test('a second push sends nothing', () => {
    w.runtime.requests.length = 0;
    const again = w.app.pushChanges({});
    expect(again).toMatchObject({ updated: 0, failed: 0, unchanged: 300 });
    expect(sent(w).filter((r) => r.method !== 'GET' || r.path.startsWith('/lead/'))).toEqual([]);
  });
});

test('an invalid value is reported on its row and not sent; the rest of the row still goes', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Spaceships');
  edit(w, WAYNE_LEAD_ID, 'Employees', 'lots');
  edit(w, WAYNE_LEAD_ID, 'Description', 'Bat cave supplies');
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ updated: 1, invalid: 1, failed: 0 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { description: 'Bat cave supplies' } },
  ]);
  const status = cell(w, WAYNE_LEAD_ID, 'Sync status') as string;
  expect(status).toMatch(
    /^updated; invalid: Industry: "Spaceships" is not one of the choices: .*; invalid: Employees: "lots" is not a number · /,
  );
  // The rep's typing stays in the sheet so they can fix it.
  expect(cell(w, WAYNE_LEAD_ID, 'Industry')).toBe('Spaceships');
});

test("a field changed in Close since the pull is a conflict: not overwritten, both values shown; a colleague's other change survives", () => {
  const w = pulled();
  w.close.touchLead(WAYNE_LEAD_ID, { description: 'Changed by a colleague', name: 'Wayne Corp' });
  edit(w, WAYNE_LEAD_ID, 'Name', 'Wayne Enterprises Inc');
  edit(w, WAYNE_LEAD_ID, 'Lead Source', 'Trade show');
  const preview = w.app.previewChanges({});
  expect(preview.counts).toMatchObject({ fields: 1, conflicts: 1 });
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ conflicts: 1, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('source')]: 'Trade show' } },
  ]);
  const lead = w.close.leads.get(WAYNE_LEAD_ID)!;
  expect(lead.name).toBe('Wayne Corp');
  expect(lead.description).toBe('Changed by a colleague');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `conflict: Name changed in Close since your pull: Close has "Wayne Corp", you have "Wayne Enterprises Inc" (was "Wayne Enterprises (Sample Lead)"). Not sent. · ${STAMP}`.replace(
      'conflict:',
      'updated; conflict:',
    ),
  );
});

test('sorting rows and moving a column makes no phantom changes; the real edit is found', () => {
  const w = pulled();
  const s = sheetOf(w);
  s.sort(2, false);
  const v = view(w);
  s.moveColumns(s.getRange(1, v.col('Industry'), 1, 1), 1);
  w.runtime.spreadsheet.userEdit(SHEET, [1, 1], 'Sector'); // the rep renames the header too
  edit(w, WAYNE_LEAD_ID, 'Sector', 'Software');
  w.runtime.requests.length = 0;
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ updated: 1, unchanged: 299 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
});

test('a row with a Name and no Lead ID creates a lead and gets its new id', () => {
  const w = pulled();
  const row = typeNewRow(w, { Name: 'Initech', Industry: 'Software', Employees: '42' });
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ created: 1, failed: 0 });
  expect(sent(w, 'POST')).toEqual([
    {
      method: 'POST',
      path: '/lead/',
      body: { name: 'Initech', [cf('industry')]: 'Software', [cf('employees')]: 42 },
    },
  ]);
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const after = view(w);
  expect(after.rows[row - 1][after.col('Lead ID') - 1]).toBe(created.id);
  expect(after.cell(created.id, 'Sync status')).toBe(`created · ${STAMP}`);
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 0 });
  expect(sent(w, 'POST')).toEqual([]);
});

test("Close's 400 field-errors land on the row, named by column; other leads still go", () => {
  let refuse = true;
  const w = connectedWorld({
    intercept: (req) =>
      refuse && req.method === 'PUT' && req.url.includes(WAYNE_LEAD_ID)
        ? {
            status: 400,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              errors: [],
              'field-errors': { [cf('industry')]: "Invalid choice: 'Software'" },
            }),
          }
        : undefined,
  });
  w.app.pullLeads({});
  const other = plainLead(w);
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  edit(w, other.id, 'Industry', 'Software');
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ updated: 1, failed: 1 });
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `error: Industry: Invalid choice: 'Software' · ${STAMP}`,
  );
  expect(cell(w, other.id, 'Sync status')).toBe(`updated · ${STAMP}`);
  // The failed edit is still pending: once Close accepts it, the next push sends it.
  refuse = false;
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ updated: 1, failed: 0 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
});

test('429s during pull and push are waited out; everything still arrives once', () => {
  const w = connectedWorld();
  w.close.injectFaults([
    { match: { method: 'GET', pathPrefix: '/lead/' }, status: 429, times: 2 },
    { match: { method: 'PUT' }, status: 429, times: 1 },
  ]);
  expect(w.app.pullLeads({})).toMatchObject({ leads: 300 });
  edit(w, WAYNE_LEAD_ID, 'Description', 'after a 429');
  expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
  expect(sent(w, 'PUT')).toHaveLength(2);
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('after a 429');
  expect(w.runtime.stats.sleeps).toBeGreaterThan(0);
});

test('a revoked key stops the push with a reconnect message, and nothing is lost', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Description', 'not yet');
  w.close.revokeKey('api_test_key_1');
  expect(() => w.app.pushChanges({})).toThrow(
    'Close rejected the API key (401). Reconnect in the sidebar with a valid API key.',
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Description')).toBe('not yet');
});

describe('the batched conflict check: one search per 100 edited leads instead of a GET each', () => {
  const LOG = 'Close Sync Push Log';
  /** The push log's rows: Lead ID, Field key, Before, After. */
  const logged = (w: World) =>
    (w.runtime.spreadsheet.dump(LOG) as unknown[][]).slice(1).map((r) => [r[4], r[6], r[8], r[9]]);
  const leadReads = (w: World) =>
    sent(w).filter((r) => r.path === '/data/search/' || (r.method === 'GET' && r.path.startsWith('/lead/')));

  test('150 edited leads: two searches with exactly their ids and the edited field, then the PUTs; no GET; the log keeps the real "before" of a hashed Description', () => {
    const w = connectedWorld();
    const ids = [...w.close.leads.keys()].sort().slice(0, 150);
    // Pulled Descriptions long enough that the snapshot keeps only their hash (pulled-value.ts).
    for (const id of ids) w.close.touchLead(id, { description: `Pulled description of ${id}` });
    w.app.pullLeads({});
    const v = view(w);
    for (const id of ids)
      w.runtime.spreadsheet.userEdit(SHEET, [v.row(id), v.col('Description')], `Pushed description of ${id}`);
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 150, conflicts: 0, failed: 0 });
    expect(leadReads(w)).toEqual([
      batchedRead(ids.slice(0, 100), ['description']),
      batchedRead(ids.slice(100), ['description']),
    ]);
    expect(sent(w, 'PUT')).toEqual(
      ids.map((id) => ({
        method: 'PUT',
        path: `/lead/${id}/`,
        body: { description: `Pushed description of ${id}` },
      })),
    );
    // 152 requests for 150 leads.
    expect(sent(w).filter((r) => r.path === '/data/search/' || r.path.startsWith('/lead/'))).toHaveLength(
      152,
    );
    // The snapshot had only a hash of each pulled Description; the search gave the value itself.
    expect(logged(w)).toEqual(
      ids.map((id) => [
        id,
        'description',
        JSON.stringify(`Pulled description of ${id}`),
        JSON.stringify(`Pushed description of ${id}`),
      ]),
    );
  });

  test('a colleague changed two leads after the pull: the same (hashed) field is a conflict, confirmed by a GET; another field goes, and their change survives', () => {
    const w = connectedWorld();
    const [a, b] = [...w.close.leads.keys()].sort();
    for (const id of [a, b]) w.close.touchLead(id, { description: 'A long description, pulled' });
    w.app.pullLeads({});
    edit(w, a, 'Description', 'Mine');
    edit(w, b, 'Name', 'Renamed in the sheet');
    w.close.touchLead(a, { description: 'Theirs' });
    w.close.touchLead(b, { description: 'Theirs too' });
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1, conflicts: 1, failed: 0 });
    expect(leadReads(w)).toEqual([
      batchedRead([a, b], ['description', 'name']),
      { method: 'GET', path: `/lead/${a}/?_fields=id%2Cdescription`, body: undefined },
    ]);
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/lead/${b}/`, body: { name: 'Renamed in the sheet' } },
    ]);
    expect(w.close.leads.get(a)!.description).toBe('Theirs');
    expect(w.close.leads.get(b)!.description).toBe('Theirs too');
    // The pulled Description is a hash in the snapshot: the message names Close's value and the rep's.
    expect(cell(w, a, 'Sync status')).toBe(
      `conflict: Description changed in Close since your pull: Close has "Theirs", you have "Mine". Not sent. · ${STAMP}`,
    );
    expect(cell(w, b, 'Sync status')).toBe(`updated · ${STAMP}`);
  });

  test('a search Close refuses: the batch is checked with a GET per lead, as before', () => {
    const w = pulled();
    const [a, b] = [...w.close.leads.keys()].sort();
    edit(w, a, 'Description', 'Edited a');
    edit(w, b, 'Description', 'Edited b');
    // E.g. a Close that does not take the lead's own id in a reference condition (the probe checks it).
    w.close.injectFaults([
      { match: { method: 'POST', pathPrefix: '/data/search/' }, refuse: 'Invalid field_name: id' },
    ]);
    expect(w.app.pushChanges({})).toMatchObject({ updated: 2, conflicts: 0, failed: 0 });
    expect(leadReads(w)).toEqual([
      batchedRead([a, b], ['description']),
      { method: 'GET', path: `/lead/${a}/?_fields=id%2Cdescription`, body: undefined },
      { method: 'GET', path: `/lead/${b}/?_fields=id%2Cdescription`, body: undefined },
    ]);
    expect(w.close.log.filter((e) => e.path === '/data/search/').map((e) => e.status)).toEqual([400]);
    expect(sent(w, 'PUT').map((r) => r.path)).toEqual([`/lead/${a}/`, `/lead/${b}/`]);
  });

  test('undo once Close’s search index has caught up with the push: one search, no GET, then the PUTs', () => {
    const w = pulled();
    const [a, b] = [...w.close.leads.keys()].sort();
    const before = [a, b].map((id) => w.close.leads.get(id)!.name);
    edit(w, a, 'Name', 'Renamed a');
    edit(w, b, 'Name', 'Renamed b');
    expect(w.app.pushChanges({})).toMatchObject({ updated: 2 });
    w.clock.advance(60_000);
    w.runtime.requests.length = 0;
    expect(w.app.undoLastPush({ confirmed: true })).toMatchObject({ restored: 2, failed: 0 });
    expect(leadReads(w)).toEqual([batchedRead([a, b], ['name'])]);
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/lead/${a}/`, body: { name: before[0] } },
      { method: 'PUT', path: `/lead/${b}/`, body: { name: before[1] } },
    ]);
  });

  test('placing the results reads three columns again, not the whole sheet (it is read in full once)', () => {
    const w = pulled();
    edit(w, WAYNE_LEAD_ID, 'Description', 'Edited');
    const cells = (sheet: string) => table(w, sheet).length * (table(w, sheet)[0] as unknown[]).length;
    const once = cells(SHEET) + cells(`Close Sync snapshot · ${SHEET}`);
    w.runtime.stats.cellsRead = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
    // Lead ID, Name and Sync status of the 300 rows, to find where each row is now (nothing moved), and
    // the Sync status column's formulas before its statuses are written over it (column-write-back.ts); a
    // few cells more for the add-on's own state. (Reading the whole sheet again cost 300 × 26 more.)
    expect(w.runtime.stats.cellsRead - once).toBeGreaterThanOrEqual(4 * 300);
    expect(w.runtime.stats.cellsRead - once).toBeLessThan(4 * 300 + 10);
    expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  });
});
