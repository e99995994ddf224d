// The push log and "Undo last push": what a push changed is kept per lead and field in a hidden sheet;
// undo restores Close's old values where Close still holds what the push wrote, and reports the rest.
import { buildBulkOrg, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { runToEnd } from '../../dev/world';
import { API_KEY, connectedWorld, type World } from './harness';
import { SHEET, STAMP, batchedRead, cell, cf, edit, pulled, sent, sheetIds, view, writes } from './sheet';

const LOG = 'Close Sync Push Log';

/** A lead with none of the custom values the tests set. */
function plainLead(w: World) {
  return w.close.org.leads.find(
    (l) => l.id !== WAYNE_LEAD_ID && !l[cf('employees')] && !l[cf('owner')] && l.contacts.length > 0,
  )!;
}

const statusId = (w: World, label: string) => w.close.org.leadStatuses.find((s) => s.label === label)!.id;

describe('push, then undo', () => {
  const w = pulled();
  const other = plainLead(w);
  const owner = w.close.org.users.find((u) => u.first_name === 'John' && u.last_name === 'Doe')!;
  edit(w, WAYNE_LEAD_ID, 'Name', 'Wayne Enterprises');
  edit(w, WAYNE_LEAD_ID, 'Status', 'qualified');
  edit(w, WAYNE_LEAD_ID, 'Lead Source', '');
  edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 3; Choice 1');
  edit(w, other.id, 'Employees', '1,250');
  edit(w, other.id, 'Account Owner', 'John Doe');
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 2 });
  const pushId = String(w.runtime.spreadsheet.dump(LOG)[1][0]);
  const wayneName = 'Wayne Enterprises';
  const otherName = String(view(w).cell(other.id, 'Name'));

  test('each push records, per lead and field, the value before and after, in a hidden sheet', () => {
    const row = (
      leadId: string,
      name: string,
      key: string,
      header: string,
      before: string,
      after: string,
    ) => [
      pushId,
      // The pull and the push took three seconds of Close's and Sheets' time (each read of a definition
      // reads the hidden state sheet too: sheet-store.ts).
      `${STAMP}:03`,
      'rep@example.com',
      SHEET,
      leadId,
      name,
      key,
      header,
      before,
      after,
      '',
      'lead',
    ];
    const wayne = [
      row(
        WAYNE_LEAD_ID,
        wayneName,
        'name',
        'Name',
        '"Wayne Enterprises (Sample Lead)"',
        '"Wayne Enterprises"',
      ),
      row(
        WAYNE_LEAD_ID,
        wayneName,
        'status_id',
        'Status',
        JSON.stringify(statusId(w, 'Potential')),
        JSON.stringify(statusId(w, 'Qualified')),
      ),
      row(WAYNE_LEAD_ID, wayneName, cf('source'), 'Lead Source', '"Website contact form"', 'null'),
      row(
        WAYNE_LEAD_ID,
        wayneName,
        cf('interest'),
        'Product Interest',
        '["Choice 1","Choice 2"]',
        '["Choice 3","Choice 1"]',
      ),
    ];
    const others = [
      row(other.id, otherName, cf('employees'), 'Employees', 'null', '1250'),
      row(other.id, otherName, cf('owner'), 'Account Owner', 'null', JSON.stringify(owner.id)),
    ];
    // Leads are pushed in Lead ID order.
    const expected = WAYNE_LEAD_ID < other.id ? [...wayne, ...others] : [...others, ...wayne];
    expect(w.runtime.spreadsheet.dumpDisplay(LOG)).toEqual([
      [
        'Push ID',
        'Time',
        'User',
        'Sheet',
        'Lead ID',
        'Lead name',
        'Field key',
        'Field',
        'Before',
        'After',
        'Undone',
        'Object',
      ],
      ...expected,
    ]);
    expect(w.runtime.spreadsheet.requireSheet(LOG).hidden).toBe(true);
    // In the spreadsheet, not in properties.
    expect(JSON.stringify(w.runtime.documentProperties.toObject())).not.toContain('Website contact form');
  });

  test('the preview compares Close now with what the push wrote: a field changed since is a conflict; nothing is written', () => {
    w.close.touchLead(WAYNE_LEAD_ID, { name: 'Wayne Corp' });
    w.runtime.requests.length = 0;
    const preview = w.app.previewUndo();
    const item = (
      leadId: string,
      leadName: string,
      field: string,
      key: string,
      current: string,
      restore: string,
    ) => ({
      leadId,
      leadName,
      field,
      key,
      current,
      restore,
      state: 'restore',
      message: '',
    });
    const wayne = [
      {
        ...item(WAYNE_LEAD_ID, wayneName, 'Name', 'name', 'Wayne Corp', 'Wayne Enterprises (Sample Lead)'),
        state: 'conflict',
        message:
          'Name changed in Close since the push: Close has "Wayne Corp", the push wrote "Wayne Enterprises". Left alone.',
      },
      item(WAYNE_LEAD_ID, wayneName, 'Status', 'status_id', 'Qualified', 'Potential'),
      item(WAYNE_LEAD_ID, wayneName, 'Lead Source', cf('source'), '', 'Website contact form'),
      item(
        WAYNE_LEAD_ID,
        wayneName,
        'Product Interest',
        cf('interest'),
        'Choice 3; Choice 1',
        'Choice 1; Choice 2',
      ),
    ];
    const others = [
      item(other.id, otherName, 'Employees', cf('employees'), '1250', ''),
      item(other.id, otherName, 'Account Owner', cf('owner'), 'John Doe', ''),
    ];
    expect(preview).toEqual({
      pushId,
      pushedAt: STAMP,
      pushedBy: 'rep@example.com',
      sheetName: SHEET,
      alreadyUndone: false,
      items: WAYNE_LEAD_ID < other.id ? [...wayne, ...others] : [...others, ...wayne],
      counts: { restore: 5, leads: 2, conflicts: 1, already: 0, other: 0 },
      message: `Undo the push of ${STAMP} by rep@example.com: restore 5 fields on 2 leads. 1 conflict left alone (changed in Close since).`,
    });
    expect(writes(w)).toEqual([]);
    // One search for both leads' logged fields. The push was a moment ago and Close's search index lags
    // it (dev/fake-close/search-index.ts): the search shows the values from before the push, not what it
    // wrote, so neither lead is decided on it — each is read again with a GET.
    const [first, second] = [WAYNE_LEAD_ID, other.id].sort();
    const wayneKeys = ['name', 'status_id', cf('source'), cf('interest')];
    const otherKeys = [cf('employees'), cf('owner')];
    expect(sent(w).filter((r) => r.path === '/data/search/')).toEqual([
      batchedRead(
        [first, second],
        first === WAYNE_LEAD_ID ? [...wayneKeys, ...otherKeys] : [...otherKeys, ...wayneKeys],
      ),
    ]);
    const gets = sent(w, 'GET').filter((r) => r.path.startsWith('/lead/'));
    expect(gets.map((r) => decodeURIComponent(r.path)).sort()).toEqual(
      [
        `/lead/${WAYNE_LEAD_ID}/?_fields=id,name,status_id,${cf('source')},${cf('interest')}`,
        `/lead/${other.id}/?_fields=id,${cf('employees')},${cf('owner')}`,
      ].sort(),
    );
  });

  test('undo PUTs the old values of the fields Close still holds as pushed, and leaves the conflict alone', () => {
    w.runtime.requests.length = 0;
    const result = w.app.undoLastPush({ confirmed: true });
    expect(result).toMatchObject({
      restored: 5,
      failed: 0,
      keptEdits: 0,
      counts: { restore: 5, leads: 2, conflicts: 1 },
      message: `Undid the push of ${STAMP} by rep@example.com: restored 5 fields on 2 leads. 1 conflict left alone (changed in Close since the push).`,
    });
    expect(sent(w, 'PUT')).toEqual(
      [
        {
          method: 'PUT',
          path: `/lead/${WAYNE_LEAD_ID}/`,
          body: {
            status_id: statusId(w, 'Potential'),
            [cf('source')]: 'Website contact form',
            [cf('interest')]: ['Choice 1', 'Choice 2'],
          },
        },
        { method: 'PUT', path: `/lead/${other.id}/`, body: { [cf('employees')]: null, [cf('owner')]: null } },
      ].sort((a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1)),
    );
    const wayne = w.close.leads.get(WAYNE_LEAD_ID)!;
    expect(wayne.name).toBe('Wayne Corp'); // the colleague's change survives
    expect(wayne.status_label).toBe('Potential');
    expect(wayne[cf('source')]).toBe('Website contact form');
    expect(wayne[cf('interest')]).toEqual(['Choice 1', 'Choice 2']);
    const o = w.close.leads.get(other.id)!;
    expect(o[cf('employees')]).toBeUndefined();
    expect(o[cf('owner')]).toBeUndefined();
  });

  test("the sheet shows Close's values again, each row says what happened, and a push sends nothing", () => {
    const v = view(w);
    expect(v.cell(WAYNE_LEAD_ID, 'Status')).toBe('Potential');
    expect(v.cell(WAYNE_LEAD_ID, 'Lead Source')).toBe('Website contact form');
    expect(v.cell(WAYNE_LEAD_ID, 'Product Interest')).toBe('Choice 1; Choice 2');
    expect(v.cell(WAYNE_LEAD_ID, 'Name')).toBe('Wayne Enterprises');
    expect(v.cell(other.id, 'Employees')).toBe('');
    expect(v.cell(other.id, 'Account Owner')).toBe('');
    expect(v.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
      `undone: Status, Lead Source, Product Interest restored; conflict: Name changed in Close since the push, left alone · ${STAMP}`,
    );
    expect(v.cell(other.id, 'Sync status')).toBe(`undone: Employees, Account Owner restored · ${STAMP}`);
    expect(w.app.previewChanges({}).items).toEqual([]);
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 0, failed: 0 });
    expect(sent(w, 'PUT')).toEqual([]);
  });

  test('the push is marked undone in the log, so it cannot be undone twice', () => {
    const marks = w.runtime.spreadsheet.dumpDisplay(LOG).slice(1);
    const by = `rep@example.com at ${STAMP}`;
    expect(marks.map((r) => [r[7], r[10]])).toEqual([
      ['Name', `conflict, left alone (${by})`],
      ['Status', `restored by ${by}`],
      ['Lead Source', `restored by ${by}`],
      ['Product Interest', `restored by ${by}`],
      ['Employees', `restored by ${by}`],
      ['Account Owner', `restored by ${by}`],
    ]);
    w.runtime.requests.length = 0;
    const again = w.app.undoLastPush({ confirmed: true });
    expect(again).toMatchObject({
      alreadyUndone: true,
      restored: 0,
      message: `Nothing to undo: the push of ${STAMP} by rep@example.com was already undone.`,
    });
    expect(writes(w)).toEqual([]);
  });
});

test('from the menu: the preview in a Yes/No question; No changes nothing, Yes undoes and says what happened', () => {
  const w = pulled();
  w.runtime.openDocument(w.app);
  edit(w, WAYNE_LEAD_ID, 'Description', 'Pushed by mistake');
  w.app.pushChanges({});
  w.runtime.requests.length = 0;
  const question = [
    `Undo the push of ${STAMP} by rep@example.com: restore 1 field on 1 lead.`,
    '• Wayne Enterprises (Sample Lead) — Description: "Pushed by mistake" → ""',
  ].join('\n');
  w.runtime.ui.answers.push('NO');
  w.runtime.clickMenu(w.app, 'Undo last push');
  expect(w.runtime.ui.alerts.at(-1)).toMatchObject({
    title: 'Undo last push?',
    message: question,
    buttons: 'YES_NO',
  });
  expect(sent(w, 'PUT')).toEqual([]);

  w.runtime.ui.answers.push('YES');
  w.runtime.clickMenu(w.app, 'Undo last push');
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { description: '' } },
  ]);
  expect(w.runtime.ui.alerts.at(-1)?.message).toBe(
    [
      `Undid the push of ${STAMP} by rep@example.com: restored 1 field on 1 lead.`,
      '• Wayne Enterprises (Sample Lead) — Description: "Pushed by mistake" → ""',
    ].join('\n'),
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Description')).toBe('');
  // Nothing left to undo.
  w.runtime.clickMenu(w.app, 'Undo last push');
  expect(w.runtime.ui.alerts.at(-1)?.message).toBe(
    `Nothing to undo: the push of ${STAMP} by rep@example.com was already undone.`,
  );
});

test("a cell edited again since the push keeps the rep's typing; a created lead stays (undo never deletes)", () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Description', 'First version');
  const v = view(w);
  const row = v.rows.length + 1;
  w.runtime.spreadsheet.userEdit(SHEET, [row, v.col('Name')], 'Initech');
  w.app.pushChanges({});
  edit(w, WAYNE_LEAD_ID, 'Description', 'Second version, not pushed');
  w.runtime.requests.length = 0;
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const preview = w.app.previewUndo();
  expect(preview.items).toEqual([
    {
      leadId: WAYNE_LEAD_ID,
      leadName: 'Wayne Enterprises (Sample Lead)',
      field: 'Description',
      key: 'description',
      current: 'First version',
      restore: '',
      state: 'restore',
      message: '',
    },
    {
      leadId: created.id,
      leadName: 'Initech',
      field: 'New lead',
      key: '',
      current: '',
      restore: '',
      state: 'created',
      message: 'A lead this push created: undo does not delete leads (delete it in Close if you need to).',
    },
  ]);
  expect(preview.message).toBe(
    `Undo the push of ${STAMP} by rep@example.com: restore 1 field on 1 lead. 1 created lead stays (undo does not delete leads).`,
  );
  const result = w.app.undoLastPush({ confirmed: true });
  expect(result).toMatchObject({ restored: 1, keptEdits: 1 });
  expect(result.message).toBe(
    `Undid the push of ${STAMP} by rep@example.com: restored 1 field on 1 lead. 1 cell with your unpushed edits kept as you typed them.`,
  );
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { description: '' } },
  ]);
  expect(sent(w, 'DELETE')).toEqual([]);
  expect(w.close.leads.get(created.id)).toBeDefined();
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('');
  expect(cell(w, WAYNE_LEAD_ID, 'Description')).toBe('Second version, not pushed');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `undone: Description restored; kept your unpushed edit in Description · ${STAMP}`,
  );
  // The rep's typing is still an edit, now against the restored (empty) value.
  expect(
    w.app.previewChanges({}).items.filter((i: { leadId: string }) => i.leadId === WAYNE_LEAD_ID),
  ).toMatchObject([
    {
      leadId: WAYNE_LEAD_ID,
      field: 'Description',
      old: '',
      new: 'Second version, not pushed',
      state: 'send',
    },
  ]);
});

test('nothing pushed yet: nothing to undo', () => {
  const w = pulled();
  expect(w.app.previewUndo()).toMatchObject({
    pushId: null,
    items: [],
    message: 'Nothing to undo: no push has been logged in this spreadsheet yet.',
  });
  expect(w.app.undoLastPush({ confirmed: true })).toMatchObject({ pushId: null, restored: 0 });
  expect(sent(w)).toEqual([]);
});

test('a lead deleted in Close since the push: its field cannot be restored, is said once, and is not offered again', () => {
  const w = pulled();
  const other = plainLead(w);
  edit(w, WAYNE_LEAD_ID, 'Employees', '12');
  edit(w, other.id, 'Employees', '7');
  w.app.pushChanges({});
  w.close.handle({
    method: 'DELETE',
    url: `https://api.close.com/api/v1/lead/${WAYNE_LEAD_ID}/`,
    headers: { Authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` },
    body: '',
  });
  w.runtime.requests.length = 0;
  const result = w.app.undoLastPush({ confirmed: true });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${other.id}/`, body: { [cf('employees')]: null } },
  ]);
  const items = [
    [WAYNE_LEAD_ID, 'Employees', 'unavailable', 'This lead is not in Close any more (deleted or merged).'],
    [other.id, 'Employees', 'restored', ''],
  ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  expect(
    result.items.map((i: { leadId: string; field: string; state: string; message: string }) => [
      i.leadId,
      i.field,
      i.state,
      i.message,
    ]),
  ).toEqual(items);
  // Not "1 field failed: try Undo again": another undo cannot bring a deleted lead's field back.
  expect(result.message).toBe(
    `Undid the push of ${STAMP} by rep@example.com: restored 1 field on 1 lead. 1 field cannot be restored.`,
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `not restored: Employees: This lead is not in Close any more (deleted or merged). · ${STAMP}`,
  );
  const by = `rep@example.com at ${STAMP}`;
  const marks = w.runtime.spreadsheet
    .dumpDisplay(LOG)
    .slice(1)
    .map((r) => [r[4], r[10]]);
  expect(marks).toEqual(
    [
      [WAYNE_LEAD_ID, `not restorable (${by})`],
      [other.id, `restored by ${by}`],
    ].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );
  expect(w.app.previewUndo().message).toBe(
    `Nothing to undo: the push of ${STAMP} by rep@example.com was already undone.`,
  );
});

test('an undo longer than one execution goes on in its trigger: each field restored by exactly one PUT, the sheet follows', () => {
  // Close lets this key make a PUT every two seconds: 300 leads take ten minutes, past Apps Script's six
  // (an undo in one execution would be killed before it ends).
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 300, customFields: 2 }),
    close: { rateLimits: { 'PUT /lead/{id}/': { limit: 10, windowMs: 20_000 } } },
    gas: { fetchLatencyMs: 250, maxExecutionMs: 6 * 60_000, addonOneOffTriggers: 'allow' },
  });
  w.app.pullLeads({});
  const ids = sheetIds(w).sort();
  const names = new Map(ids.map((id) => [id, w.close.leads.get(id)!.name]));
  for (const id of ids) edit(w, id, 'Name', `${names.get(id)} (renamed)`);
  expect(runToEnd(w, w.app.pushChanges({})).outcome).toMatchObject({ done: true, updated: 300 });
  const fire = () => {
    let fired = 0;
    while (w.runtime.triggers.length > 0 && fired < 10) {
      w.clock.advance(60_000);
      w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
      fired++;
    }
    return fired;
  };
  fire();
  w.runtime.requests.length = 0;

  w.runtime.startExecution();
  const first = w.app.undoLastPush({ confirmed: true });
  expect(first).toMatchObject({ done: false, kind: 'undo', sheetName: SHEET, steps: 1 });
  expect(first.message).toMatch(/^Undid \d+ fields so far \(step 1\)…$/);
  expect(w.runtime.triggers.map((t) => t.handlerFunction)).toEqual(['onSyncTimer']);
  expect(fire()).toBeGreaterThan(0);
  expect(w.app.getSyncStatus().job).toBeNull();
  expect(w.app.getSyncStatus().progress).toMatchObject({
    action: 'undo',
    done: true,
    // The push is dated by its first step's block in the log, written when that step ended (its
    // batches went on while their writes still fit: step-writes.ts).
    message: 'Undid the push of 2026-11-28 04:04 by rep@example.com: restored 300 fields on 300 leads.',
  });
  // What Close received: one PUT per lead, the name from before the push, in Lead ID order.
  expect(sent(w, 'PUT')).toEqual(
    ids.map((id) => ({ method: 'PUT', path: `/lead/${id}/`, body: { name: names.get(id) } })),
  );
  for (const id of ids) expect(w.close.leads.get(id)!.name).toBe(names.get(id));
  const v = view(w);
  expect(ids.map((id) => v.cell(id, 'Name'))).toEqual(ids.map((id) => names.get(id)));
  expect(ids.map((id) => v.cell(id, 'Sync status'))).toEqual(
    ids.map(() => expect.stringMatching(/^undone: Name restored · 2026-11-28 \d\d:\d\d$/)),
  );
  const marks = w.runtime.spreadsheet.dumpDisplay(LOG).slice(1);
  expect(marks.map((r) => r[10])).toEqual(
    ids.map(() => expect.stringMatching(/^restored by rep@example\.com at 2026-11-28 \d\d:\d\d$/)),
  );
  // Nothing is left to push.
  w.runtime.requests.length = 0;
  expect(runToEnd(w, w.app.pushChanges({})).outcome).toMatchObject({ done: true, updated: 0, failed: 0 });
  expect(sent(w, 'PUT')).toEqual([]);
});
