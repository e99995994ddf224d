// What careless but ordinary reps do to a pulled sheet, and what a push then does: judged by what the
// fake Close received and what the sheet shows. Nothing here may write one lead's values to another,
// create a lead twice, or send a typed value as null.
import { buildSampleOrg, SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { API_KEY, type World } from './harness';
import { idsOf, leadNow, previewCounts } from './moves';
import { SHEET, STAMP, cell, edit, pulled, sent, sheetOf, table, view, writes } from './sheet';

const SYNC = 'Sync status';

/** The Lead ID on data row n (0-based). */
const idAt = (w: World, n: number) => idsOf(view(w))[n];

describe('a partial sort: the editable block sorted by Name without the Lead ID column', () => {
  const w = pulled();
  const v = view(w);
  const ids = idsOf(v);
  const before = new Map(ids.map((id) => [id, leadNow(w, id)]));
  const block = (at: ReturnType<typeof view>, id: string) =>
    JSON.stringify(at.rows[at.row(id) - 1].slice(at.col('Name') - 1, at.col('Reference Code')));
  const pulledBlock = new Map(ids.map((id) => [id, block(v, id)]));
  // Data › Sort range over Name … Reference Code of the first 40 rows (the ID in column A stays put).
  const first = v.col('Name');
  const last = v.col('Reference Code');
  sheetOf(w)
    .getRange(2, first, 40, last - first + 1)
    .sort({ column: first, ascending: true });
  const after = view(w);
  const movedRows = ids.slice(0, 40).filter((id) => after.cell(id, 'Name') !== before.get(id).name);

  test('the preview and the menu confirmation say rows look moved, before anything is sent', () => {
    expect(movedRows.length).toBeGreaterThan(30);
    const preview = w.app.previewChanges({});
    expect(preview.counts).toEqual(previewCounts({ moved: movedRows.length }));
    w.app.pushChanges();
    expect(w.runtime.ui.alerts[0].message).toBe(
      `Nothing to push. 0 fields on 0 leads. ${movedRows.length} rows look moved from other leads and will not be sent: the sheet may have been sorted without its Lead ID column (Edit › Undo puts it back).`,
    );
    expect(writes(w)).toEqual([]);
  });

  test('a push sends nothing for the moved rows; each says whose values it holds and how to undo', () => {
    const summary = w.app.pushChanges({});
    expect(writes(w)).toEqual([]);
    expect(summary).toMatchObject({ updated: 0, failed: movedRows.length, moved: movedRows.length });
    expect(summary.message).toContain(
      `${movedRows.length} rows looked moved from other leads and were not sent (see Sync status).`,
    );
    const now = view(w);
    for (const id of movedRows) {
      const name = String(now.cell(id, 'Name'));
      // The lead whose pulled row this row now shows (the first, when two leads look alike).
      const owner = ids.find((other) => pulledBlock.get(other) === block(now, id))!;
      expect(now.cell(id, SYNC)).toBe(
        `error: Looks like this row's values belong to lead ${owner}${name ? ` (${name})` : ''} — the sheet may have been sorted or pasted without its ID column. Not sent. Use Edit › Undo to put the rows back (sort with Data › Sort sheet, so each row keeps its ID), then push again. · ${STAMP}`,
      );
    }
    for (const id of ids) expect(leadNow(w, id)).toEqual(before.get(id));
  });
});

test('a block of values pasted one row off: the shifted rows are held back, the rest of the sheet pushes', () => {
  const w = pulled();
  const v = view(w);
  const ids = idsOf(v);
  const first = v.col('Name');
  const width = v.col('Reference Code') - first + 1;
  const block = sheetOf(w).getRange(2, first, 5, width).getValues();
  // Copied from rows 2–6 and pasted at rows 3–7 (one row too low).
  sheetOf(w).getRange(3, first, 5, width).setValues(block);
  edit(w, ids[20], 'Description', 'An ordinary edit');
  const summary = w.app.pushChanges({});
  expect(writes(w)).toEqual([
    { method: 'PUT', path: `/lead/${ids[20]}/`, body: { description: 'An ordinary edit' } },
  ]);
  expect(summary).toMatchObject({ updated: 1, moved: 5 });
  const now = view(w);
  for (let k = 1; k <= 5; k++) {
    const name = String(v.cell(ids[k - 1], 'Name'));
    expect(now.cell(ids[k], SYNC)).toBe(
      `error: Looks like this row's values belong to lead ${ids[k - 1]}${name ? ` (${name})` : ''} — the sheet may have been sorted or pasted without its ID column. Not sent. Use Edit › Undo to put the rows back (sort with Data › Sort sheet, so each row keeps its ID), then push again. · ${STAMP}`,
    );
  }
});

test("another lead's ID pasted over a row's Lead ID: neither row is sent, each says why", () => {
  const w = pulled();
  const v = view(w);
  const [, pastedOver, other] = idsOf(v);
  const victim = leadNow(w, other);
  const overName = String(v.cell(pastedOver, 'Name'));
  edit(w, pastedOver, 'Description', 'Met at the fair');
  w.runtime.spreadsheet.userEdit(SHEET, [v.row(pastedOver), v.col('Lead ID')], other);
  w.app.pushChanges({});
  expect(writes(w)).toEqual([]);
  expect(leadNow(w, other)).toEqual(victim);
  const rows = table(w);
  expect(rows[2][v.col(SYNC) - 1]).toBe(
    `error: Looks like this row's values belong to lead ${pastedOver} (${overName}), whose ID is no longer in the sheet — this row's ID may have been pasted over. Not sent. Use Edit › Undo, or put ${pastedOver} back in its ID cell, then push again. · ${STAMP}`,
  );
  expect(rows[3][v.col(SYNC) - 1]).toBe(
    `error: Duplicate Lead ID (also on row 3) with different values: not pushed from any of them. Delete the copy you do not want, then push again · ${STAMP}`,
  );
});

test('a cleared Lead ID on a pulled row is not a new lead: nothing is created, the row says how to fix it', () => {
  const w = pulled();
  const v = view(w);
  const id = idAt(w, 4);
  const name = String(v.cell(id, 'Name'));
  const leads = w.close.leads.size;
  w.runtime.spreadsheet.userEdit(SHEET, [v.row(id), v.col('Lead ID')], '');
  const preview = w.app.previewChanges({});
  expect(preview.counts).toMatchObject({ creates: 0, moved: 1 });
  w.app.pushChanges({});
  expect(writes(w)).toEqual([]);
  expect(w.close.leads.size).toBe(leads);
  expect(table(w)[5][v.col(SYNC) - 1]).toBe(
    `error: This row was pulled as lead ${id} (${name}) and its ID was cleared: not created again. Put ${id} back in its ID cell (or use Edit › Undo), then push again. · ${STAMP}`,
  );
});

test('a create answered 504 after Close applied it is found, not created again, by the next push', () => {
  const w = pulled();
  const row = table(w).length + 1;
  const nameCol = view(w).col('Name');
  w.runtime.spreadsheet.userEdit(SHEET, [row, nameCol], 'Zephyr Kites');
  const named = () => [...w.close.leads.values()].filter((l) => l.name === 'Zephyr Kites');
  w.close.injectFaults([{ match: { method: 'POST', pathPrefix: '/lead/' }, status: 504, afterApply: true }]);

  const first = w.app.pushChanges({});
  expect(first).toMatchObject({ created: 0, failed: 1 });
  expect(named()).toHaveLength(1);
  const status = String(table(w)[row - 1][view(w).col(SYNC) - 1]);
  expect(status).toMatch(
    /^error: Close had a server error \(504\); try again later; Close may have created it anyway: the next push looks for it before creating it again \[pending create 2026-11-28T09:\d\d:\d\d\.\d{3}Z as "Zephyr Kites"\] · 2026-11-28 04:\d\d$/,
  );
  expect(table(w)[row - 1][view(w).col('Lead ID') - 1]).toBe('');

  w.runtime.requests.length = 0;
  const second = w.app.pushChanges({});
  expect(second).toMatchObject({ created: 1, failed: 0 });
  expect(writes(w)).toEqual([]);
  expect(named()).toHaveLength(1);
  const lookup = sent(w, 'GET').filter((r) => r.path.startsWith('/lead/?'));
  expect(lookup).toHaveLength(1);
  // Leads of that name created since 10 minutes before the row's pending mark.
  const mark = Date.parse(/\[pending create (\S+) as/.exec(status)![1]);
  expect(decodeURIComponent(lookup[0].path)).toContain(
    `query=date_created >= "${new Date(mark - 10 * 60_000).toISOString()}" name:"Zephyr Kites" sort:created`,
  );
  expect(table(w)[row - 1][view(w).col('Lead ID') - 1]).toBe(named()[0].id);
  expect(table(w)[row - 1][view(w).col(SYNC) - 1]).toBe(
    `created; the earlier create had reached Close: not created again · ${STAMP}`,
  );
  // Pushed again: the row is an ordinary pulled lead now.
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 0 });
  expect(writes(w)).toEqual([]);
});

test("a colleague's lead of the same name, created while ours went unanswered, is not taken for ours", () => {
  const w = pulled({ close: { apiKeys: [API_KEY, 'api_test_key_2'] } });
  const row = table(w).length + 1;
  const v = view(w);
  w.runtime.spreadsheet.userEdit(SHEET, [row, v.col('Name')], 'Zephyr Kites');
  // Our create is lost on the way (a 504 before Close applied it) …
  w.close.injectFaults([{ match: { method: 'POST', pathPrefix: '/lead/' }, status: 504 }]);
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, failed: 1 });
  // … and meanwhile a colleague creates a lead of the same name with their own key.
  const theirs = w.close.handle({
    method: 'POST',
    url: 'https://api.close.com/api/v1/lead/',
    headers: { Authorization: `Basic ${Buffer.from('api_test_key_2:').toString('base64')}` },
    body: JSON.stringify({ name: 'Zephyr Kites' }),
  });
  expect(theirs.status).toBe(200);
  const theirId = JSON.parse(theirs.body).id as string;

  expect(w.app.pushChanges({})).toMatchObject({ created: 1, failed: 0 });
  const named = [...w.close.leads.values()].filter((l) => l.name === 'Zephyr Kites');
  expect(named).toHaveLength(2);
  const ours = table(w)[row - 1][v.col('Lead ID') - 1];
  expect(ours).not.toBe(theirId);
  expect(named.map((l) => l.id).sort()).toEqual([theirId, ours].sort());
  expect(w.close.leads.get(String(ours))!.created_by).toBe(w.close.userIdForKey(API_KEY));
});

test('a create refused before processing (503, retried until out of tries) is not marked pending', () => {
  const w = pulled();
  const row = table(w).length + 1;
  const v = view(w);
  w.runtime.spreadsheet.userEdit(SHEET, [row, v.col('Name')], 'Busy Day Co');
  w.close.injectFaults([{ match: { method: 'POST', pathPrefix: '/lead/' }, status: 503, times: 20 }]);
  w.app.pushChanges({});
  const status = String(table(w)[row - 1][v.col(SYNC) - 1]);
  expect(status).toMatch(/^error: Close had a server error \(503\)/);
  expect(status).not.toContain('pending create');
  expect([...w.close.leads.values()].filter((l) => l.name === 'Busy Day Co')).toHaveLength(0);
});

test('1e400 typed as text in a number column is reported on its row and Close keeps its value', () => {
  const w = pulled();
  const id = idAt(w, 2);
  w.close.touchLead(id, { [`custom.${SAMPLE_FIELDS.employees}`]: 40 });
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  const before = leadNow(w, id);
  w.runtime.spreadsheet.userEdit(SHEET, [view(w).row(id), view(w).col('Employees')], "'1e400");
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ updated: 0, invalid: 1 });
  expect(writes(w)).toEqual([]);
  expect(leadNow(w, id)).toEqual(before);
  expect(cell(w, id, 'Employees')).toBe('1e400');
  expect(cell(w, id, SYNC)).toBe(`invalid: Employees: "1e400" is too large a number · ${STAMP}`);
});

test('every kind of invalid typed value is reported and the valid edits of the row still go', () => {
  const w = pulled();
  const id = idAt(w, 6);
  edit(w, id, 'Description', 'Still sent');
  edit(w, id, 'Employees', '12abc');
  edit(w, id, 'Annual Revenue', "'12%");
  edit(w, id, 'Contract Start', 'next tuesday');
  edit(w, id, 'Last Demo At', 'soon');
  w.app.pushChanges({});
  expect(writes(w)).toEqual([{ method: 'PUT', path: `/lead/${id}/`, body: { description: 'Still sent' } }]);
  expect(cell(w, id, SYNC)).toBe(
    'updated; ' +
      'invalid: Employees: "12abc" is not a number; ' +
      'invalid: Annual Revenue: "12%" is not a number: type it without % (12% as 0.12 or 12, as the field counts it); ' +
      'invalid: Contract Start: "next tuesday" is not a date (use YYYY-MM-DD); ' +
      `invalid: Last Demo At: "soon" is not a date and time (use YYYY-MM-DD HH:MM) · ${STAMP}`,
  );
});

describe('a field Close refuses (editable by admins only, pushed by a user)', () => {
  const org = buildSampleOrg();
  org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.editable_with_roles = ['admin'];
  // The third active member (Alex Kim) has the role "user".
  const w = pulled({ org, close: { apiKeys: ['api_admin_key', 'api_super_key', API_KEY] } });
  const id = idAt(w, 3);
  const before = leadNow(w, id);
  edit(w, id, 'Description', 'New description');
  edit(w, id, 'Notes', 'Call back in May');
  edit(w, id, 'Employees', 77);
  const industry = ['Education', 'Non-profit'].find((c) => c !== before[`custom.${SAMPLE_FIELDS.industry}`])!;
  edit(w, id, 'Industry', industry);
  const summary = w.app.pushChanges({});

  test('the row goes again without it, so the other edits reach Close', () => {
    const puts = sent(w, 'PUT');
    expect(puts).toEqual([
      {
        method: 'PUT',
        path: `/lead/${id}/`,
        body: {
          description: 'New description',
          [`custom.${SAMPLE_FIELDS.industry}`]: industry,
          [`custom.${SAMPLE_FIELDS.employees}`]: 77,
          [`custom.${SAMPLE_FIELDS.notes}`]: 'Call back in May',
        },
      },
      {
        method: 'PUT',
        path: `/lead/${id}/`,
        body: {
          description: 'New description',
          [`custom.${SAMPLE_FIELDS.employees}`]: 77,
          [`custom.${SAMPLE_FIELDS.notes}`]: 'Call back in May',
        },
      },
    ]);
    const now = leadNow(w, id);
    expect(now.description).toBe('New description');
    expect(now[`custom.${SAMPLE_FIELDS.employees}`]).toBe(77);
    expect(now[`custom.${SAMPLE_FIELDS.industry}`]).toEqual(before[`custom.${SAMPLE_FIELDS.industry}`]);
    expect(summary).toMatchObject({ updated: 1, failed: 1 });
  });

  test('the status names both; the refused value stays in its cell and is offered again', () => {
    expect(cell(w, id, SYNC)).toBe(
      `updated 3 fields; Close refused Industry: You don't have permission to edit the Custom Field "Industry". (your value stays in the cell, not sent); ` +
        `the Close user behind this API key lacks permission to edit Industry: ask a Close admin to grant it, or to make the change in Close · ${STAMP}`,
    );
    expect(cell(w, id, 'Industry')).toBe(industry);
    const preview = w.app.previewChanges({});
    expect(preview.items.map((i: { field: string; state: string }) => [i.field, i.state])).toEqual([
      ['Industry', 'send'],
    ]);
  });
});

describe('a row copied below (the same Lead ID twice)', () => {
  test('with different values: both rows get the status and neither is sent', () => {
    const w = pulled();
    const v = view(w);
    const id = idAt(w, 1);
    edit(w, id, 'Description', 'First copy');
    const copy = [...(table(w)[v.row(id) - 1] as unknown[])];
    copy[v.col('Description') - 1] = 'Second copy';
    const at = table(w).length + 1;
    sheetOf(w)
      .getRange(at, 1, 1, copy.length)
      .setValues([copy as string[]]);
    w.app.pushChanges({});
    expect(writes(w)).toEqual([]);
    const rows = table(w);
    expect(rows[v.row(id) - 1][v.col(SYNC) - 1]).toBe(
      `error: Duplicate Lead ID (also on row ${at}) with different values: not pushed from any of them. Delete the copy you do not want, then push again · ${STAMP}`,
    );
    expect(rows[at - 1][v.col(SYNC) - 1]).toBe(
      `error: Duplicate Lead ID (also on row ${v.row(id)}) with different values: not pushed from any of them. Delete the copy you do not want, then push again · ${STAMP}`,
    );
  });

  test('with the same values: pushed once, from the first row; the copy says so', () => {
    const w = pulled();
    const v = view(w);
    const id = idAt(w, 1);
    edit(w, id, 'Description', 'Both copies');
    const copy = [...(table(w)[v.row(id) - 1] as unknown[])];
    const at = table(w).length + 1;
    sheetOf(w)
      .getRange(at, 1, 1, copy.length)
      .setValues([copy as string[]]);
    w.app.pushChanges({});
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${id}/`, body: { description: 'Both copies' } },
    ]);
    const rows = table(w);
    expect(rows[v.row(id) - 1][v.col(SYNC) - 1]).toBe(`updated · ${STAMP}`);
    expect(rows[at - 1][v.col(SYNC) - 1]).toBe(
      `error: Duplicate Lead ID (also on row ${v.row(id)}), same values: pushed once, from row ${v.row(id)} · ${STAMP}`,
    );
  });
});

test('a user name two users share is reported as ambiguous, and their email resolves it', () => {
  const org = buildSampleOrg();
  // Alex Kim becomes a second Jane Smith.
  const alex = org.users.find((u) => u.first_name === 'Alex')!;
  Object.assign(alex, { first_name: 'Jane', last_name: 'Smith' });
  const membership = org.organization.memberships.find((m) => m.user_id === alex.id)!;
  Object.assign(membership, {
    user_full_name: 'Jane Smith',
    user_first_name: 'Jane',
    user_last_name: 'Smith',
  });
  const w = pulled({ org });
  edit(w, WAYNE_LEAD_ID, 'Account Owner', 'Jane Smith');
  w.app.pushChanges({});
  expect(writes(w)).toEqual([]);
  expect(cell(w, WAYNE_LEAD_ID, SYNC)).toBe(
    `invalid: Account Owner: 2 users are named "Jane Smith": use their email · ${STAMP}`,
  );
  edit(w, WAYNE_LEAD_ID, 'Account Owner', alex.email);
  w.runtime.requests.length = 0;
  w.app.pushChanges({});
  expect(writes(w)).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [`custom.${SAMPLE_FIELDS.owner}`]: alex.id } },
  ]);
});

describe('edits that must pass the guards', () => {
  test('three fields of a lead, a retyped name, and a lead renamed to a new name all go', () => {
    const w = pulled();
    const v = view(w);
    const [a, b, c] = idsOf(v).slice(9, 12);
    edit(w, a, 'Description', 'Three');
    edit(w, a, 'Employees', 3);
    edit(w, a, 'Notes', 'fields');
    edit(w, b, 'Name', String(v.cell(b, 'Name')).toUpperCase());
    edit(w, c, 'Name', 'Brand New Name Ltd');
    edit(w, c, 'Status', 'Qualified');
    const summary = w.app.pushChanges({});
    expect(summary).toMatchObject({ updated: 3, failed: 0, moved: 0 });
    expect(sent(w, 'PUT').map((p) => p.path)).toEqual([a, b, c].sort().map((id) => `/lead/${id}/`));
  });
});
