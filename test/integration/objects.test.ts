// Contacts and opportunities in their own sheets, edited and pushed like leads.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { sent, view, withoutDuration } from './sheet';

const CONTACTS = 'Close Contacts';
const OPPORTUNITIES = 'Close Opportunities';
const BRUCE = 'cont_o0kP3Nqyq0wxr5DLWIEm8mVr6ZpI0AhonKLDG0V5Qjh';
const BAT_CAVE = 'oppo_8eB77gAdf8FMy6GsNHEy84f7uoeEWv55slvUjKQZpJt';

test('contacts: one row each with its lead; emails and phones as lists; edits go through PUT /contact/{id}/', () => {
  const w = connectedWorld();
  expect(w.app.pullContacts({})).toMatchObject({ done: true, sheetName: CONTACTS });
  const v = view(w, CONTACTS);
  expect(v.header).toEqual([
    'Contact ID',
    'Name',
    'Title',
    'Emails',
    'Phones',
    'Decision Role',
    'Preferred Channel',
    'Lead ID',
    'Lead',
    'Sync status',
  ]);
  const allContacts = [...w.close.leads.values()].flatMap((l) => l.contacts);
  expect(v.rows).toHaveLength(allContacts.length + 1);
  const channel = w.close.org.contactCustomFields.find((f) => f.name === 'Preferred Channel')!;
  const pulledBruce = allContacts.find((c) => c.id === BRUCE)!;
  expect(v.rows[v.row(BRUCE) - 1].slice(0, 9)).toEqual([
    BRUCE,
    'Bruce Wayne',
    'The Dark Knight',
    'thedarkknight@close.com',
    '+16503334444',
    'CEO',
    pulledBruce[`custom.${channel.id}`] ?? '',
    WAYNE_LEAD_ID,
    'Wayne Enterprises (Sample Lead)',
  ]);

  const book = w.runtime.spreadsheet;
  book.userEdit(CONTACTS, [v.row(BRUCE), v.col('Title')], 'Chairman');
  book.userEdit(CONTACTS, [v.row(BRUCE), v.col('Emails')], 'thedarkknight@close.com; bruce@wayne.example');
  book.userEdit(CONTACTS, [v.row(BRUCE), v.col('Phones')], 'not a phone');
  w.runtime.requests.length = 0;
  const summary = w.app.pushChanges({ sheetName: CONTACTS });
  expect(summary).toMatchObject({ done: true, updated: 1, invalid: 1 });
  // The check reads the whole contact: custom-field subsets are documented for leads only.
  expect(sent(w, 'GET').filter((r) => r.path.startsWith('/contact/'))).toEqual([
    { method: 'GET', path: `/contact/${BRUCE}/`, body: undefined },
  ]);
  expect(sent(w, 'PUT')).toEqual([
    {
      method: 'PUT',
      path: `/contact/${BRUCE}/`,
      body: {
        title: 'Chairman',
        emails: [
          { email: 'thedarkknight@close.com', type: 'office' },
          { email: 'bruce@wayne.example', type: 'office' },
        ],
      },
    },
  ]);
  const bruce = w.close.leads.get(WAYNE_LEAD_ID)!.contacts[0];
  expect(bruce.title).toBe('Chairman');
  expect(bruce.emails.map((e) => e.email)).toEqual(['thedarkknight@close.com', 'bruce@wayne.example']);
  expect(view(w, CONTACTS).cell(BRUCE, 'Sync status')).toMatch(
    /^updated; invalid: Phones: "not a phone" is not a phone number · /,
  );
});

test('opportunities: value in currency units (cents on the wire), status by label, owner by name', () => {
  const w = connectedWorld();
  expect(w.app.pullOpportunities({})).toMatchObject({ done: true, sheetName: OPPORTUNITIES });
  const v = view(w, OPPORTUNITIES);
  expect(v.header.slice(0, 8)).toEqual([
    'Opportunity ID',
    'Status',
    'Value',
    'Value period',
    'Confidence',
    'Owner',
    'Close date',
    'Note',
  ]);
  expect(v.header.slice(-5)).toEqual(['Lead ID', 'Lead', 'Pipeline', 'Currency', 'Sync status']);
  const headers = [
    'Opportunity ID',
    'Lead ID',
    'Lead',
    'Status',
    'Pipeline',
    'Value',
    'Currency',
    'Value period',
    'Confidence',
    'Owner',
  ];
  expect(headers.map((h) => v.cell(BAT_CAVE, h))).toEqual([
    BAT_CAVE,
    WAYNE_LEAD_ID,
    'Wayne Enterprises (Sample Lead)',
    'Active',
    'Sales',
    500,
    'USD',
    'one_time',
    75,
    'John Doe',
  ]);

  const book = w.runtime.spreadsheet;
  book.userEdit(OPPORTUNITIES, [v.row(BAT_CAVE), v.col('Value')], '1,234.56');
  book.userEdit(OPPORTUNITIES, [v.row(BAT_CAVE), v.col('Status')], 'won');
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({ sheetName: OPPORTUNITIES })).toMatchObject({
    done: true,
    updated: 1,
    failed: 0,
  });
  const won = w.close.org.opportunityStatuses.find(
    (s) => s.label === 'Won' && s.pipeline_id === 'pipe_04fC628PVB0HjK2Qq5EqEf',
  )!;
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/opportunity/${BAT_CAVE}/`, body: { status_id: won.id, value: 123456 } },
  ]);
  const opp = w.close.leads.get(WAYNE_LEAD_ID)!.opportunities.find((o) => o.id === BAT_CAVE)!;
  expect(opp).toMatchObject({ value: 123456, status_id: won.id, status_label: 'Won' });
  // A second push sends nothing; the snapshot moved forward.
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({ sheetName: OPPORTUNITIES })).toMatchObject({ updated: 0 });
  expect(sent(w, 'PUT')).toEqual([]);
  // New rows are not created from these sheets.
  book.userEdit(OPPORTUNITIES, [v.rows.length + 1, v.col('Note')], 'a new deal');
  const preview = w.app.previewChanges({ sheetName: OPPORTUNITIES });
  expect(preview.items).toMatchObject([
    {
      state: 'error',
      message:
        'New opportunity rows are not created from this sheet: add the opportunity to its lead in Close, then pull',
    },
  ]);
});

test('the active Close sheet is the one previewed and pushed when no sheet is named', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  w.app.pullContacts({});
  const v = view(w, CONTACTS);
  w.runtime.spreadsheet.userEdit(CONTACTS, [v.row(BRUCE), v.col('Title')], 'Chairman');
  const ss = (
    w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp
  ).getActiveSpreadsheet();
  ss.getSheetByName(CONTACTS)!.activate();
  expect(w.app.previewChanges({})).toMatchObject({ sheetName: CONTACTS, counts: { fields: 1 } });
  ss.getSheetByName('Close Leads')!.activate();
  expect(w.app.previewChanges({})).toMatchObject({ sheetName: 'Close Leads', counts: { fields: 0 } });
});

test('undo of an opportunity push restores the value and status through PUT /opportunity/{id}/', () => {
  const w = connectedWorld();
  w.app.pullOpportunities({});
  const v = view(w, OPPORTUNITIES);
  w.runtime.spreadsheet.userEdit(OPPORTUNITIES, [v.row(BAT_CAVE), v.col('Value')], '999');
  w.app.pushChanges({ sheetName: OPPORTUNITIES });
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.opportunities.find((o) => o.id === BAT_CAVE)!.value).toBe(99900);
  expect(w.app.previewUndo().items).toMatchObject([
    { leadId: BAT_CAVE, field: 'Value', current: '999', restore: '500', state: 'restore' },
  ]);
  w.runtime.requests.length = 0;
  expect(w.app.undoLastPush({ confirmed: true })).toMatchObject({ restored: 1, failed: 0 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/opportunity/${BAT_CAVE}/`, body: { value: 50000 } },
  ]);
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.opportunities.find((o) => o.id === BAT_CAVE)!.value).toBe(50000);
  expect(view(w, OPPORTUNITIES).cell(BAT_CAVE, 'Value')).toBe(500);
});

test('the summary of a contacts or opportunities pull counts those rows', () => {
  const w = connectedWorld();
  const contacts = [...w.close.leads.values()].flatMap((l) => l.contacts).length;
  const opportunities = [...w.close.leads.values()].flatMap((l) => l.opportunities).length;
  expect(withoutDuration(w.app.pullContacts({}).message)).toBe(
    `Pulled ${contacts} contacts of 300 leads into "${CONTACTS}" (${contacts} new) in …s.`,
  );
  expect(withoutDuration(w.app.pullOpportunities({}).message)).toBe(
    `Pulled ${opportunities} opportunities of 300 leads into "${OPPORTUNITIES}" (${opportunities} new) in …s.`,
  );
});
