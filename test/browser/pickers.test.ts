// The Pull section's pickers through the local preview, in headless Chromium: a Smart View and chosen
// fields pulled into their own sheet ("Enterprise"), remembered and edited; a query pull; contacts and
// opportunities pulled into their own sheets, edited and pushed from the Changes section's sheet picker;
// and the multi-value "Add only" mode.
import { SAMPLE_FIELDS } from '../../dev/fake-close';
import type { PreviewServer } from '../../dev/preview/server';
import { editCell, type Opened, frameOf, previewSession } from './helpers';

jest.setTimeout(30_000);

let preview: PreviewServer;
let ui: Opened;
/** Every server call the sidebar made (name and arguments), in order. */
const calls: Array<{ name: string; args: unknown[] }> = [];

const callsTo = (name: string) => calls.filter((c) => c.name === name);

const sidebarFrame = () => frameOf(ui);

const pullSection = () => ui.sidebar.getByRole('region', { name: 'Pull', exact: true });
const changesSection = () => ui.sidebar.getByRole('region', { name: 'Changes', exact: true });

/** A sheet of the workbook: its header, its data rows (those with an id), a column's letter. */
function sheetView(name: string) {
  const sheet = preview.view().sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const header = sheet.values[0];
  const index = (title: string) => {
    const i = header.indexOf(title);
    if (i < 0) throw new Error(`no column ${title} in ${header.join(', ')}`);
    return i;
  };
  // The sheet's own id column: Lead, Contact or Opportunity ID, whichever comes first.
  const idAt = header.findIndex((h) => /^(Lead|Contact|Opportunity) ID$/.test(String(h)));
  const rows = sheet.values.slice(1).filter((r) => r[idAt] !== '');
  const col = (title: string) => String.fromCharCode(65 + index(title));
  return { header, rows, ids: rows.map((r) => r[idAt]), index, col };
}

function leadIdsWithStatus(label: string): string[] {
  const fake = preview.fake!;
  const status = fake.org.leadStatuses.find((s) => s.label === label)!.id;
  return [...fake.leads.values()].filter((l) => l.status_id === status).map((l) => l.id);
}

async function connect(): Promise<void> {
  const { sidebar } = ui;
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
}

async function pullAndWait(sheetName: string): Promise<void> {
  const pull = pullSection();
  await pull.getByRole('button', { name: 'Pull', exact: true }).click();
  await pull.locator('#pull-summary', { hasText: `Into sheet “${sheetName}”` }).waitFor();
}

/** Picks the Changes section's sheet, waiting for the preview of it. */
async function previewSheet(name: string): Promise<void> {
  const changes = changesSection();
  await changes.getByLabel('Sheet', { exact: true }).selectOption(name);
  await sidebarFrame().waitForFunction(
    () => !document.getElementById('changes-list')?.classList.contains('stale'),
  );
}

/** Confirms the push asked for, and waits for its end (the Changes list, refreshed after it, is empty). */
async function confirmPush(): Promise<void> {
  const changes = changesSection();
  const pushes = callsTo('pushChanges').length;
  await changes.getByRole('button', { name: 'Push to Close' }).click();
  await changes.locator('#changes-counts', { hasText: /^Nothing to push$/ }).waitFor();
  expect(callsTo('pushChanges')).toHaveLength(pushes + 1);
  expect(await ui.sidebar.locator('#results-summary').textContent()).toMatch(
    /^1 updated · 0 created · 0 failed/,
  );
}

previewSession(async (session) => {
  ({ preview, ui } = session);
  ui.page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/run'))
      calls.push(r.postDataJSON() as { name: string; args: unknown[] });
  });
  await connect();
});

test('Smart View and field pickers: Potential leads with Industry, Employees and Contact email into "Enterprise"', async () => {
  const pull = pullSection();
  // Nothing is listed until the rep opens those parts.
  await pull.locator('#pull-definition', { hasText: 'No pull saved for “Close Leads” yet' }).waitFor();
  expect(callsTo('listSmartViews')).toEqual([]);
  expect(callsTo('listFields')).toEqual([]);
  expect(await pull.getByRole('combobox', { name: 'What' }).inputValue()).toBe('lead');
  expect(await pull.getByRole('radio', { name: 'All leads' }).isChecked()).toBe(true);
  expect(await pull.getByRole('checkbox', { name: 'All fields' }).isChecked()).toBe(true);

  // Tab out of the sheet name: it closes the suggestions (a datalist) and looks the sheet up.
  await pull.getByLabel('Sheet').fill('Enterprise');
  await pull.getByLabel('Sheet').press('Tab');
  await pull.locator('#pull-definition', { hasText: 'No pull saved for “Enterprise” yet' }).waitFor();
  await pull.getByRole('radio', { name: 'Smart View' }).check();
  const views = pull.getByRole('combobox', { name: 'Which Smart View' });
  await views.locator('option', { hasText: 'Potential leads' }).waitFor({ state: 'attached' });
  const fakeViews = preview.fake!.org.savedSearches.filter((v) => v.type === 'lead');
  expect(await views.locator('option').allTextContents()).toEqual([
    'Choose a Smart View…',
    ...fakeViews.map((v) => v.name),
  ]);
  expect(callsTo('listSmartViews')).toHaveLength(1);
  await views.selectOption({ label: 'Potential leads' });

  await pull.getByRole('checkbox', { name: 'All fields' }).uncheck();
  const list = pull.locator('#pull-field-list');
  await list.getByRole('checkbox').first().waitFor();
  expect(callsTo('listFields').map((c) => c.args)).toEqual([['lead', 'Enterprise']]);
  const headings = await list.locator('h3').allTextContents();
  expect(headings[0]).toBe('Standard');
  expect(headings.at(-1)).toBe('Related');
  expect(headings).toContain('Custom — choices');
  expect(await list.getByRole('group', { name: 'Related' }).getByRole('checkbox').count()).toBe(5);

  // The filter narrows the list; the choice survives filtering.
  const filter = pull.getByLabel('Filter fields');
  await filter.fill('indus');
  expect(await list.getByRole('checkbox').and(list.locator(':visible')).count()).toBe(1);
  await list.getByRole('checkbox', { name: 'Industry' }).check();
  await filter.fill('');
  await list.getByRole('checkbox', { name: 'Employees' }).check();
  // From the keyboard: filter, Tab to the one field left, Space.
  await filter.fill('contact e');
  await filter.press('Tab');
  expect(await sidebarFrame().evaluate(() => document.activeElement?.closest('label')?.textContent)).toBe(
    'Contact emailread-only',
  );
  await ui.page.keyboard.press('Space');
  expect(await list.getByRole('checkbox', { name: 'Contact email' }).isChecked()).toBe(true);
  await filter.press('Escape');
  expect(await filter.inputValue()).toBe('');
  expect(await pull.locator('#pull-field-count').textContent()).toMatch(/^3 fields chosen, of \d+\.$/);

  // Open, the pickers still fit the 300 px sidebar.
  const overflowing = await sidebarFrame().evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden'))
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName}#${e.id}.${e.className}`);
  });
  expect(overflowing).toEqual([]);

  await pullAndWait('Enterprise');
  const view = fakeViews.find((v) => v.name === 'Potential leads')!;
  const sent = callsTo('pullLeads')[0].args[0] as Record<string, unknown>;
  expect(sent).toEqual({ sheetName: 'Enterprise', smartViewId: view.id, fields: expect.any(Array) });
  expect(sent.fields).toHaveLength(3);

  // The server's order: editable (custom in Close's order), the id and read-only (related), Sync status.
  const sheet = sheetView('Enterprise');
  expect(sheet.header).toEqual(['Lead ID', 'Industry', 'Employees', 'Contact email', 'Sync status']);
  const potential = leadIdsWithStatus('Potential');
  expect(potential.length).toBeGreaterThan(10);
  expect(sheet.ids).toHaveLength(potential.length);
  expect(new Set(sheet.ids)).toEqual(new Set(potential));
  await ui.page.getByRole('tab', { name: 'Enterprise' }).click();
  await ui.page.locator('tr.frozen-last td[data-cell="C1"]', { hasText: 'Employees' }).waitFor();

  await pull
    .locator('#pull-definition', { hasText: 'Refresh re-runs: Smart View “Potential leads”, 3 fields.' })
    .waitFor();
  // The Changes section is now about the sheet just pulled.
  expect(await changesSection().getByLabel('Sheet', { exact: true }).inputValue()).toBe('Enterprise');
});

test('reopening the sidebar: naming the sheet preselects its remembered Smart View and fields', async () => {
  calls.length = 0;
  await ui.page.reload();
  const pull = pullSection();
  await ui.sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  const sheet = pull.getByLabel('Sheet');
  expect(await sheet.inputValue()).toBe('Close Leads');
  await pull.locator('#pull-definition', { hasText: 'No pull saved for “Close Leads” yet' }).waitFor();

  await sheet.fill('Enterprise');
  await sheet.press('Tab');
  await pull
    .locator('#pull-definition', { hasText: 'Refresh re-runs: Smart View “Potential leads”, 3 fields.' })
    .waitFor();
  const view = preview.fake!.org.savedSearches.find((v) => v.name === 'Potential leads')!;
  expect(await pull.getByRole('radio', { name: 'Smart View' }).isChecked()).toBe(true);
  expect(await pull.getByRole('combobox', { name: 'Which Smart View' }).inputValue()).toBe(view.id);
  expect(await pull.getByRole('checkbox', { name: 'All fields' }).isChecked()).toBe(false);
  const list = pull.locator('#pull-field-list');
  await list.getByRole('checkbox', { name: 'Industry', checked: true }).waitFor();
  const checked = list.locator('label.check:has(input:checked) .field-label');
  expect((await checked.allTextContents()).sort()).toEqual(['Contact email', 'Employees', 'Industry']);
  expect(await pull.locator('#pull-field-count').textContent()).toMatch(/^3 fields chosen/);
  // Loaded because the definition opened those parts: once each.
  expect(callsTo('listSmartViews')).toHaveLength(1);
  expect(callsTo('listFields').map((c) => c.args)).toEqual([['lead', 'Enterprise']]);
});

test('the Enterprise sheet: a lead edited in its grid is previewed and pushed from the Changes sheet picker', async () => {
  const { page } = ui;
  const changes = changesSection();
  const sheet = sheetView('Enterprise');
  const leadId = sheet.ids[0];
  await page.getByRole('tab', { name: 'Enterprise' }).click();
  await editCell(page, `${sheet.col('Employees')}2`, '4321');
  await previewSheet('Enterprise');
  await changes.locator('#changes-counts', { hasText: '1 change on 1 lead' }).waitFor();
  await changes.getByRole('button', { name: 'Push 1 change…' }).click();
  await confirmPush();
  expect(callsTo('pushChanges').at(-1)!.args[0]).toEqual({ sheetName: 'Enterprise', multiValue: 'replace' });
  expect(preview.fake!.leads.get(leadId)![`custom.${SAMPLE_FIELDS.employees}`]).toBe(4321);
});

test('a query pull: search-bar syntax, all fields, into its own sheet', async () => {
  const pull = pullSection();
  const sheet = pull.getByLabel('Sheet');
  await sheet.fill('Qualified');
  await sheet.press('Tab');
  await pull.locator('#pull-definition', { hasText: 'No pull saved for “Qualified” yet' }).waitFor();
  await pull.getByRole('radio', { name: 'Query' }).check();
  await pull.getByLabel('Search query').fill('status:"Qualified"');
  await pull.getByRole('checkbox', { name: 'All fields' }).check();
  expect(await pull.locator('#pull-field-list').isVisible()).toBe(false);

  await pullAndWait('Qualified');
  expect(callsTo('pullLeads').at(-1)!.args[0]).toEqual({
    sheetName: 'Qualified',
    query: 'status:"Qualified"',
  });
  const qualified = leadIdsWithStatus('Qualified');
  const rows = sheetView('Qualified');
  expect(rows.header).toContain('Product Interest');
  expect(rows.ids).toHaveLength(qualified.length);
  expect(new Set(rows.ids)).toEqual(new Set(qualified));
  await pull
    .locator('#pull-definition', { hasText: 'Refresh re-runs: query “status:"Qualified"”, all fields.' })
    .waitFor();
});

test('contacts: pulled into Close Contacts, a title edited in the grid, previewed and pushed on that sheet', async () => {
  const { page } = ui;
  const pull = pullSection();
  // A lead sheet cannot hold contacts: choosing Contacts moves to their own sheet.
  await pull.getByRole('combobox', { name: 'What' }).selectOption({ label: 'Contacts' });
  expect(await pull.getByLabel('Sheet').inputValue()).toBe('Close Contacts');
  await pull.locator('#pull-definition', { hasText: 'No pull saved for “Close Contacts” yet' }).waitFor();
  expect(await pull.getByRole('group', { name: 'Which leads' }).textContent()).toContain(
    'The contacts of these leads, one row each.',
  );
  await pull.getByRole('radio', { name: 'All leads' }).check();
  await pullAndWait('Close Contacts');
  expect(callsTo('pullContacts').at(-1)!.args[0]).toEqual({ sheetName: 'Close Contacts', query: '' });

  const contacts = sheetView('Close Contacts');
  expect(contacts.header.slice(0, 4)).toEqual(['Contact ID', 'Name', 'Title', 'Emails']);
  const r = contacts.rows.findIndex((row) => row[contacts.index('Title')] !== '');
  const contactId = contacts.rows[r][contacts.index('Contact ID')];
  const leadId = contacts.rows[r][contacts.index('Lead ID')];
  await page.getByRole('tab', { name: 'Close Contacts' }).click();
  await editCell(page, `${contacts.col('Title')}${r + 2}`, 'Head of Purchasing');

  // The Changes section follows the pull; the rep can look at another sheet and come back.
  const changes = changesSection();
  expect(await changes.getByLabel('Sheet', { exact: true }).inputValue()).toBe('Close Contacts');
  expect(await changes.getByLabel('Sheet', { exact: true }).locator('option').allTextContents()).toEqual(
    expect.arrayContaining([
      'Close Leads',
      'Close Contacts',
      'Close Opportunities',
      'Enterprise',
      'Qualified',
    ]),
  );
  await previewSheet('Enterprise');
  await changes.locator('#changes-counts', { hasText: /^Nothing to push$/ }).waitFor();
  await previewSheet('Close Contacts');
  await changes.locator('#changes-counts', { hasText: '1 change on 1 contact' }).waitFor();
  expect(callsTo('previewChanges').at(-1)!.args[0]).toEqual({
    sheetName: 'Close Contacts',
    multiValue: 'replace',
  });
  expect(await changes.locator('li.state-send .new').textContent()).toContain('Head of Purchasing');

  await changes.getByRole('button', { name: 'Push 1 change…' }).click();
  await changes.getByRole('button', { name: 'Push to Close' }).waitFor();
  expect(await changes.locator('#push-confirm-text').textContent()).toBe(
    'Push 1 change on 1 contact to Close?',
  );
  await confirmPush();
  expect(callsTo('pushChanges').at(-1)!.args[0]).toEqual({
    sheetName: 'Close Contacts',
    multiValue: 'replace',
  });
  const contact = preview.fake!.leads.get(leadId)!.contacts.find((c) => c.id === contactId)!;
  expect(contact.title).toBe('Head of Purchasing');
});

test('opportunities of a Smart View: pulled into Close Opportunities, a note edited and pushed', async () => {
  const { page } = ui;
  const pull = pullSection();
  await pull.getByRole('combobox', { name: 'What' }).selectOption({ label: 'Opportunities' });
  expect(await pull.getByLabel('Sheet').inputValue()).toBe('Close Opportunities');
  await pull.getByRole('radio', { name: 'Smart View' }).check();
  const view = preview.fake!.org.savedSearches.find((v) => v.name === 'Potential leads')!;
  await pull.getByRole('combobox', { name: 'Which Smart View' }).selectOption(view.id);
  await pullAndWait('Close Opportunities');
  expect(callsTo('pullOpportunities').at(-1)!.args[0]).toEqual({
    sheetName: 'Close Opportunities',
    smartViewId: view.id,
  });
  await pull
    .locator('#pull-definition', {
      hasText: 'Refresh re-runs: opportunities of Smart View “Potential leads”, all fields.',
    })
    .waitFor();

  const sheet = sheetView('Close Opportunities');
  const expected = leadIdsWithStatus('Potential').flatMap((id) =>
    preview.fake!.leads.get(id)!.opportunities.map((o) => o.id),
  );
  expect(expected.length).toBeGreaterThan(0);
  expect(new Set(sheet.ids)).toEqual(new Set(expected));
  const oppId = sheet.rows[0][sheet.index('Opportunity ID')];
  const leadId = sheet.rows[0][sheet.index('Lead ID')];
  await page.getByRole('tab', { name: 'Close Opportunities' }).click();
  await editCell(page, `${sheet.col('Note')}2`, 'Budget approved');

  const changes = changesSection();
  expect(await changes.getByLabel('Sheet', { exact: true }).inputValue()).toBe('Close Opportunities');
  await changes.getByRole('button', { name: 'Refresh', exact: true }).click();
  await changes.locator('#changes-counts', { hasText: '1 change on 1 opportunity' }).waitFor();
  await changes.getByRole('button', { name: 'Push 1 change…' }).click();
  await confirmPush();
  const opp = preview.fake!.leads.get(leadId)!.opportunities.find((o) => o.id === oppId)!;
  expect(opp.note).toBe('Budget approved');
});

test('multi-value "Add only": the preview shows only the value added, and the push adds just it', async () => {
  const { page } = ui;
  const changes = changesSection();
  const sheet = sheetView('Qualified');
  const interest = sheet.index('Product Interest');
  const r = sheet.rows.findIndex((row) => row[interest] !== '' && !row[interest].includes('Choice 3'));
  expect(r).toBeGreaterThanOrEqual(0);
  const leadId = sheet.rows[r][sheet.index('Lead ID')];
  const before = sheet.rows[r][interest];
  const fieldKey = `custom.${SAMPLE_FIELDS.interest}`;
  expect(preview.fake!.leads.get(leadId)![fieldKey]).toEqual(before.split('; '));

  await page.getByRole('tab', { name: 'Qualified' }).click();
  await editCell(page, `${sheet.col('Product Interest')}${r + 2}`, `${before}; Choice 3`);
  await previewSheet('Qualified');
  await changes.getByLabel('Multi-value fields').selectOption({ label: 'Add only' });
  await changes.locator('#changes-multi-help', { hasText: 'only the values you added are sent' }).waitFor();
  const item = changes.locator('li.state-send', { hasText: 'Product Interest' });
  await item.locator('.new', { hasText: '+Choice 3' }).waitFor();
  expect(await item.locator('.old').textContent()).toContain(before);
  expect(callsTo('previewChanges').at(-1)!.args[0]).toEqual({ sheetName: 'Qualified', multiValue: 'add' });

  await changes.getByRole('button', { name: 'Push 1 change…' }).click();
  await confirmPush();
  expect(callsTo('pushChanges').at(-1)!.args[0]).toEqual({ sheetName: 'Qualified', multiValue: 'add' });
  expect(preview.fake!.leads.get(leadId)![fieldKey]).toEqual([...before.split('; '), 'Choice 3']);
});
