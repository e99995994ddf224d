// What the rep reads when Close refuses a push or an undo: every field named by its column header (never
// Close's key, `custom.cf_…`), and a refusal for lack of permission says whose permission is missing and
// who can help — never "try again", which cannot help. Judged by exact statuses, summaries and requests.
import {
  buildSampleOrg,
  type FakeRequest,
  type FakeResponse,
  SAMPLE_FIELDS,
  WAYNE_LEAD_ID,
} from '../../dev/fake-close';
import { API_KEY, type World, type WorldOptions } from './harness';
import { STAMP, cell, cf, edit, pulled, sent } from './sheet';

const LOG = 'Close Sync Push Log';

/** A pulled world whose key belongs to a user of the role "user" (the third active member, Alex Kim). */
const userWorld = (intercept?: WorldOptions['intercept']) =>
  pulled({
    org: buildSampleOrg(),
    close: { apiKeys: ['api_admin_key', 'api_super_key', API_KEY] },
    intercept,
  });

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
  const why =
    `Close refused the undo of this lead: Industry: You don't have permission to edit the Custom Field "Industry". ` +
    'The Close user behind this API key lacks permission to edit Industry: ask a Close admin to grant it, or to restore the old values in Close.';

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

  test('the summary and each field name Industry by its header, say who can help, and never "try Undo again"', () => {
    expect(result.message).toBe(
      `Undid the push of ${STAMP} by rep@example.com: restored 0 fields on 0 leads. ` +
        '2 fields not restored: the Close user behind this API key lacks permission to edit Industry: ' +
        'ask a Close admin to grant it, or to restore the old values in Close.',
    );
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

test('a push of added values Close refuses (`custom.cf_….add`): the status names the column and who can help', () => {
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
    `error: Product Interest: You don't have permission to edit the Custom Field "Product Interest".; ` +
      'the Close user behind this API key lacks permission to edit Product Interest: ask a Close admin to grant it, or to make the change in Close' +
      ` · ${STAMP}`,
  );
});

/**
 * Close's answer to a request the key's user lacks permission for. Close documents 403 among its codes and
 * `{"error": "<message>"}` as its other errors' shape (shared/reference/close-api.md §6), not a 403's
 * wording: the harsher reading is a text that does not say "permission", so only the status tells.
 */
const forbiddenWhen =
  (refused: (req: FakeRequest) => boolean) =>
  (req: FakeRequest): FakeResponse | undefined =>
    refused(req)
      ? {
          status: 403,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ error: 'Forbidden' }),
        }
      : undefined;

test("a push Close answers 403: the status says the key's user lacks permission, not to push again", () => {
  const w = userWorld(forbiddenWhen((req) => req.method === 'PUT' && req.url.includes(WAYNE_LEAD_ID)));
  edit(w, WAYNE_LEAD_ID, 'Employees', 12);
  expect(w.app.pushChanges({})).toMatchObject({ updated: 0, failed: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 12 } },
  ]);
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    'error: Forbidden; the Close user behind this API key lacks permission for this change: ' +
      `ask a Close admin to grant it, or to make the change in Close · ${STAMP}`,
  );
});

test('an undo of a lead Close answers 403 (reading it too): not "try Undo again", but who can help', () => {
  // Every request about the lead once the push is made: the check's search, the GET that reads it
  // again, and so no PUT.
  let forbidden = false;
  const w = userWorld(
    forbiddenWhen(
      (req) => forbidden && (req.url.includes(WAYNE_LEAD_ID) || req.body.includes(WAYNE_LEAD_ID)),
    ),
  );
  edit(w, WAYNE_LEAD_ID, 'Employees', 12);
  expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
  forbidden = true;
  w.runtime.requests.length = 0;
  const result = w.app.undoLastPush({ confirmed: true });
  // The schema is read first (as every undo does); then the lead, and nothing is written.
  const aboutLead = sent(w).filter((r) => r.path.includes(WAYNE_LEAD_ID) || r.path === '/data/search/');
  expect(aboutLead.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
    'POST /data/search/',
    `GET /lead/${WAYNE_LEAD_ID}/`,
  ]);
  const why =
    'Forbidden; the Close user behind this API key lacks permission for this change: ask a Close admin to grant it, or to make the change in Close';
  expect(result.items.map((i: { field: string; message: string }) => [i.field, i.message])).toEqual([
    ['Employees', why],
  ]);
  expect(result.message).toBe(
    `Undid the push of ${STAMP} by rep@example.com: restored 0 fields on 0 leads. ` +
      '1 field not restored: the Close user behind this API key lacks permission for this change: ' +
      'ask a Close admin to grant it, or to restore the old values in Close.',
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`undo failed: Employees: ${why} · ${STAMP}`);
});
