// What the rep reads when Close refuses a push or an undo: every field named by its column header (never
// Close's key, `custom.cf_…`). Judged by exact statuses, summaries and requests.
import { buildSampleOrg, SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { API_KEY, connectedWorld, type World } from './harness';
import { STAMP, cell, cf, edit, sent } from './sheet';

const LOG = 'Close Sync Push Log';

/** A pulled world whose key belongs to a user of the role "user" (the third active member, Alex Kim). */
function userWorld(): World {
  const w = connectedWorld({
    org: buildSampleOrg(),
    close: { apiKeys: ['api_admin_key', 'api_super_key', API_KEY] },
  });
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  return w;
}

/** From now on only admins may edit these fields (`editable_with_roles`, dev/fake-close/writes.ts). */
function adminsOnly(w: World, ...fields: Array<keyof typeof SAMPLE_FIELDS>) {
  for (const f of fields)
    w.close.org.customFields.find((c) => c.id === SAMPLE_FIELDS[f])!.editable_with_roles = ['admin'];
}

describe('an undo Close refuses for lack of permission (Industry became admins-only after the push)', () => {
  const w = userWorld();
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Education');
  edit(w, WAYNE_LEAD_ID, 'Employees', 77);
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
  adminsOnly(w, 'industry');
  w.runtime.requests.length = 0;
  const result = w.app.undoLastPush({ confirmed: true });
  const why = `Close refused the undo of this lead: Industry: You don't have permission to edit the Custom Field "Industry".`;

  test('one PUT with both fields (a lead goes back whole); Close keeps the pushed values', () => {
    expect(sent(w, 'PUT')).toEqual([
      {
        method: 'PUT',
        path: `/lead/${WAYNE_LEAD_ID}/`,
        body: { [cf('industry')]: null, [cf('employees')]: null },
      },
    ]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![cf('industry')]).toBe('Education');
  });

  test('each field names Industry by its header, not by its key', () => {
    expect(
      result.items.map((i: { field: string; state: string; message: string }) => [
        i.field,
        i.state,
        i.message,
      ]),
    ).toEqual([
      ['Industry', 'error', why],
      ['Employees', 'error', why],
    ]);
    expect(result).toMatchObject({ restored: 0, failed: 2 });
  });

  test("the row's status says it once for both fields; the log leaves them open for another undo", () => {
    expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`undo failed: Industry, Employees: ${why} · ${STAMP}`);
    const log = w.runtime.spreadsheet.dumpDisplay(LOG).slice(1);
    expect(log.map((r) => [r[7], r[10]])).toEqual([
      ['Industry', ''],
      ['Employees', ''],
    ]);
  });
});

test('a push of added values Close refuses (`custom.cf_….add`): the status names the column', () => {
  const w = userWorld();
  adminsOnly(w, 'interest');
  const before = w.close.leads.get(WAYNE_LEAD_ID)![cf('interest')];
  edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3');
  expect(w.app.pushChanges({ multiValue: 'add' })).toMatchObject({ updated: 0, failed: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [`${cf('interest')}.add`]: 'Choice 3' } },
  ]);
  expect(w.close.leads.get(WAYNE_LEAD_ID)![cf('interest')]).toEqual(before);
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `error: Product Interest: You don't have permission to edit the Custom Field "Product Interest". · ${STAMP}`,
  );
});
