// A colleague protects part of the shared lead sheet (Data › Protect sheets and ranges, "Only you"), and
// the rep is not among the editors. Sheets refuses a script's write there ("You are trying to edit a
// protected cell or object…", dev/gas-fakes/protection.ts), so a pull, push or undo that met it half-way
// would leave rows half-written or Close updated behind the sheet's back: each is refused before it
// writes or sends anything, with a message naming the range, its columns and what to do.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { cf, edit, SHEET, STAMP, table, view, writes } from './sheet';

const COLLEAGUE = 'lee@example.com';
const ASK =
  "Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to add you as an editor";

describe('a colleague protects the Sync status column', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  edit(w, WAYNE_LEAD_ID, 'Employees', 77);
  const v = view(w);
  const protection = w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'E:E', 'Managers only');
  const before = table(w);
  w.runtime.requests.length = 0;

  test('a push sends nothing, writes nothing, keeps the edit and says which range and what to do', () => {
    expect(v.header).toEqual(['Lead ID', 'Name', 'Industry', 'Employees', 'Sync status']);
    expect(() => w.app.pushChanges({})).toThrow(
      `Close Sync cannot push "Close Leads": E1:E1000 "Managers only" (Sync status) is protected and you are not among its editors, and a push writes each row's result there. Nothing was sent to Close. ${ASK}, then push again (your edits stay in the sheet).`,
    );
    expect(writes(w)).toEqual([]);
    expect(table(w)).toEqual(before);
    expect(v.cell(WAYNE_LEAD_ID, 'Employees')).toBe(77);
    // The job and the document lock are released: the sidebar shows no job, and the edit is still pending.
    expect(w.app.getSyncStatus().job).toBeNull();
    expect(w.app.previewChanges({}).counts.fields).toBe(1);
  });

  test('a pull changes nothing either', () => {
    w.close.touchLead(WAYNE_LEAD_ID, { name: 'Wayne Holdings' });
    expect(() => w.app.pullLeads({})).toThrow(
      `Close Sync cannot pull "Close Leads": E1:E1000 "Managers only" (Sync status) is protected and you are not among its editors, and a pull writes there. Nothing was changed. ${ASK}, or pull into a new sheet.`,
    );
    expect(table(w)).toEqual(before);
  });

  test('once the rep is an editor of the range, the push goes and its result is written', () => {
    protection.editors.push('rep@example.com');
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1, failed: 0 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 77 } },
    ]);
    expect(view(w).cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  });
});

describe('a colleague protects the header row, a field column, or a column of their own', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'A1:E1', 'Headers');
  edit(w, WAYNE_LEAD_ID, 'Employees', 12);
  w.runtime.requests.length = 0;

  test('a protected header row stops a pull (it writes headers and notes) but not a push (it writes below it)', () => {
    expect(() => w.app.pullLeads({})).toThrow(
      `Close Sync cannot pull "Close Leads": A1:E1 "Headers" (Lead ID, Name, Industry, Employees and Sync status) is protected and you are not among its editors, and a pull writes there. Nothing was changed. ${ASK}, or pull into a new sheet.`,
    );
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 12 } },
    ]);
  });

  test('an undo that would restore into a protected field column is refused before Close is written', () => {
    w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'D2:D', '');
    w.runtime.requests.length = 0;
    expect(() => w.app.undoLastPush({ confirmed: true })).toThrow(
      `Close Sync cannot undo "Close Leads": D2:D1000 (Employees) is protected and you are not among its editors, and an undo writes the restored values and their results there. Nothing was restored in Close. ${ASK}, then undo again.`,
    );
    expect(writes(w)).toEqual([]);
    expect(view(w).cell(WAYNE_LEAD_ID, 'Employees')).toBe(12);
  });

  test("a protected column of the rep's own (not bound to Close) does not stop a push", () => {
    w.runtime.spreadsheet.protections = [];
    w.runtime.spreadsheet.userEdit(SHEET, 'F1', 'My notes');
    w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'F:F', 'Notes');
    edit(w, WAYNE_LEAD_ID, 'Employees', 13);
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 13 } },
    ]);
  });
});

describe('a colleague protects the Status column, and the rep adds a new lead', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Status', 'Employees'] });
  const v = view(w);
  const row = v.rows.length + 1;
  w.runtime.spreadsheet.userEdit(SHEET, [row, v.col('Name')], 'Zephyr Kites');
  w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'C2:C', 'Statuses by managers');
  w.runtime.requests.length = 0;

  test("the push creates nothing: the new lead's Status (which Close gives it) could not be written, and the row would stay invalid", () => {
    expect(() => w.app.pushChanges({})).toThrow(
      `Close Sync cannot push "Close Leads": C2:C1000 "Statuses by managers" (Status) is protected and you are not among its editors, and a push writes each row's result there, and for a new row its lead's ID and the values Close gives it. Nothing was sent to Close. ${ASK}, then push again (your edits stay in the sheet).`,
    );
    expect(writes(w)).toEqual([]);
    expect(table(w)[row - 1]).toEqual(['', 'Zephyr Kites', '', '', '']);
  });
});

describe("a colleague protects Close Sync's own hidden sheets", () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Employees'] });
  edit(w, WAYNE_LEAD_ID, 'Employees', 5);
  w.runtime.requests.length = 0;

  test('the snapshot sheet: a push is refused before Close would take values the snapshot could not record', () => {
    const p = w.runtime.spreadsheet.protectAs(COLLEAGUE, 'Close Sync snapshot · Close Leads', null);
    expect(() => w.app.pushChanges({})).toThrow(
      `Close Sync cannot push "Close Leads": its record sheet "Close Sync snapshot · Close Leads" is protected and you are not among the editors, and a push must write there. Nothing was sent to Close. Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to remove that protection: Close Sync's own sheets are already protected with a warning.`,
    );
    expect(writes(w)).toEqual([]);
    w.runtime.spreadsheet.protections = w.runtime.spreadsheet.protections.filter((x) => x !== p);
  });

  test("the state sheet (not checked first): Sheets' refusal becomes a message saying what to do, and the next pull goes", () => {
    w.runtime.spreadsheet.protectAs(COLLEAGUE, 'Close Sync state', null);
    w.close.touchLead(WAYNE_LEAD_ID, { name: 'Wayne Holdings' });
    expect(() => w.app.pullLeads({ fields: ['Name', 'Employees', 'Industry'] })).toThrow(
      `Close Sync stopped writing into "Close Leads": part of the spreadsheet is protected and you are not among its editors (Sheets: "You are trying to edit a protected cell or object."). ${ASK}, then pull again.`,
    );
    expect(w.app.getSyncStatus().job).toBeNull();
    w.runtime.spreadsheet.protections = [];
    expect(w.app.pullLeads({ fields: ['Name', 'Employees', 'Industry'] })).toMatchObject({ done: true });
    expect(view(w).cell(WAYNE_LEAD_ID, 'Name')).toBe('Wayne Holdings');
  });
});

describe('a colleague protects cells an undo would not write, then one it would', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  const pulled = view(w).cell(WAYNE_LEAD_ID, 'Employees');
  edit(w, WAYNE_LEAD_ID, 'Employees', 77);
  w.app.pushChanges({});
  const row = view(w).row(WAYNE_LEAD_ID);
  const LOG = 'Close Sync Push Log';

  test("a protection over the lead's Sync status cell refuses the undo before Close is written", () => {
    w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, `E${row}`, 'Status checked');
    w.runtime.requests.length = 0;
    expect(() => w.app.undoLastPush({ confirmed: true })).toThrow(
      `Close Sync cannot undo "Close Leads": E${row} "Status checked" (Sync status) is protected and you are not among its editors, and an undo writes the restored values and their results there. Nothing was restored in Close. ${ASK}, then undo again.`,
    );
    expect(writes(w)).toEqual([]);
  });

  test("a protection over the push log's Undone column refuses it too", () => {
    w.runtime.spreadsheet.protections = [];
    w.runtime.spreadsheet.protectAs(COLLEAGUE, LOG, 'K:K', 'Audit');
    w.runtime.requests.length = 0;
    expect(() => w.app.undoLastPush({ confirmed: true })).toThrow(
      `Close Sync cannot undo "Close Leads": its record sheet "${LOG}" is protected (K1:K1000) and you are not among the editors, and an undo must write there. Nothing was restored in Close. Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to remove that protection: Close Sync's own sheets are already protected with a warning.`,
    );
    expect(writes(w)).toEqual([]);
  });

  test("protections over a column the push did not change, other leads' rows of the one it did, and the log's other columns do not stop it", () => {
    w.runtime.spreadsheet.protections = [];
    w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'C:C', 'Industry by managers');
    w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, `D${row + 1}:D`, 'Employees below');
    w.runtime.spreadsheet.protectAs(COLLEAGUE, LOG, 'A:J', 'Audit');
    w.runtime.requests.length = 0;
    expect(w.app.undoLastPush({ confirmed: true })).toMatchObject({ restored: 1, failed: 0 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: null } },
    ]);
    // Wayne is the first of 301 rows: D3:D covers every other lead's Employees cell.
    expect([row, view(w).rows.length, pulled]).toEqual([2, 301, '']);
    expect(view(w).cell(WAYNE_LEAD_ID, 'Employees')).toBe(pulled);
    expect(view(w).cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`undone: Employees restored · ${STAMP}`);
  });
});

describe("a colleague's warning-only protection (Data › Protect sheets and ranges › Show a warning)", () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  edit(w, WAYNE_LEAD_ID, 'Employees', 41);
  const protection = w.runtime.spreadsheet.protectAs(COLLEAGUE, SHEET, 'A1:E1000', 'Careful');
  protection.warningOnly = true;
  w.runtime.requests.length = 0;

  test('stops nothing: canEdit() may say false for a rep not listed, but the writes go through', () => {
    // The fake's canEdit() takes the harsher reading (the editor list); the add-on asks isWarningOnly() first.
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1, failed: 0 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 41 } },
    ]);
    expect(view(w).cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
    w.close.touchLead(WAYNE_LEAD_ID, { name: 'Wayne Holdings' });
    w.app.pullLeads({});
    expect(view(w).cell(WAYNE_LEAD_ID, 'Name')).toBe('Wayne Holdings');
  });
});

test("a colleague's protection of the state sheet, the rep among its editors, is left as they set it", () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Employees'] });
  // Close Sync's own warning is replaced by the colleague's editors-only protection, the rep listed.
  w.runtime.spreadsheet.protections = [];
  const theirs = w.runtime.spreadsheet.protectAs(COLLEAGUE, 'Close Sync state', null, 'Ops team only');
  theirs.editors.push('rep@example.com');
  // The state sheet's header damaged: the next save writes it again and protects the sheet again.
  w.runtime.spreadsheet.userEdit('Close Sync state', 'B1', 'notes');
  w.close.touchLead(WAYNE_LEAD_ID, { name: 'Wayne Holdings' });
  expect(w.app.pullLeads({ fields: ['Name', 'Employees'] })).toMatchObject({ done: true });
  expect(view(w).cell(WAYNE_LEAD_ID, 'Name')).toBe('Wayne Holdings');
  expect(w.runtime.spreadsheet.protections).toHaveLength(1);
  expect(theirs).toMatchObject({ description: 'Ops team only', warningOnly: false, type: 'SHEET' });
  expect(w.runtime.spreadsheet.read('Close Sync state', 'B1')[0][0]).toBe(
    'Value (Close Sync keeps its settings here: editing them makes it forget what your sheets pull)',
  );
});
