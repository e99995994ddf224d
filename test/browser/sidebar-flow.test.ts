// The whole add-on flow through the local preview, in headless Chromium: the real dist/ sidebar in its
// frame, the grid page around it, the bundle running in Node against the in-memory Apps Script
// services, and the fake Close API over real HTTP.
import { XSS_NAME } from '../../dev/fake-close';
import type { PreviewServer } from '../../dev/preview/server';
import { editCell, type Opened, frameOf, sheetInfoOf, previewSession } from './helpers';

jest.setTimeout(30_000);

const SHEET = 'Close Leads';

let preview: PreviewServer;
let ui: Opened;

const sidebarFrame = () => frameOf(ui);

const focused = () => sidebarFrame().evaluate(() => document.activeElement?.id ?? '');

const sheetInfo = () => sheetInfoOf(preview, SHEET);

previewSession(async (session) => {
  ({ preview, ui } = session);
});

test('the page shows the menu onOpen built and the sidebar, not connected yet', async () => {
  const { page, sidebar } = ui;
  await page.getByRole('button', { name: 'Extensions' }).click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
    'Open sidebar',
    'Pull leads',
    'Pull activities',
    'Preview changes',
    'Push changes',
    'Undo last push',
    'Build report',
    'Help',
  ]);
  await page.keyboard.press('Escape');
  await sidebar.getByLabel('API key').waitFor();
  // The sidebar's sections, top to bottom (Last push shows after a push, Help from its link).
  expect(
    await sidebar
      .locator('main > section:not([hidden]) > h2, main > section:not([hidden]) > .title-row > h2')
      .allTextContents(),
  ).toEqual([
    'Close account',
    'Pull',
    'Changes',
    'Scheduled refresh',
    'Undo last push',
    'Pipeline report',
    'Activities',
  ]);
  expect(await sidebar.getByLabel('API key').getAttribute('type')).toBe('password');
  // Not connected: neither pull can start.
  expect(await sidebar.getByRole('button', { name: 'Pull', exact: true }).isDisabled()).toBe(true);
  expect(await sidebar.getByRole('button', { name: 'Pull activities' }).isDisabled()).toBe(true);
});

test('a bad key shows the reason in place; the sample key connects', async () => {
  const { sidebar } = ui;
  const key = sidebar.getByLabel('API key');
  await key.fill('api_not_a_real_key');
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  const error = sidebar.getByRole('alert');
  await error.filter({ hasText: 'Close rejected this API key' }).waitFor();
  expect(await key.getAttribute('aria-invalid')).toBe('true');

  await key.fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  const connected = sidebar.locator('#connected-as');
  await connected.waitFor();
  expect(await connected.textContent()).toBe('Connected as John Doe · Wayne Enterprises Sales (Fake)');
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  // The key is not kept in the field, and focus moves on to the next step.
  expect(await key.inputValue()).toBe('');
  await sidebarFrame().waitForFunction(() => document.activeElement?.id === 'pull-button');
});

test('pull: a summary in the sidebar and the leads in the grid under a frozen header', async () => {
  const { page, sidebar } = ui;
  await sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  const summary = sidebar.locator('#pull-summary');
  await summary.waitFor();
  expect(await summary.textContent()).toMatch(/300 leads · \d+ columns · [\d.]+ s/);

  await page.getByRole('tab', { name: SHEET }).click();
  // New sheets put the Lead ID first (frozen), then Name: columns are found by header.
  const { col, cell } = sheetInfo();
  await page.locator(`td[data-cell="${col('Name')}1"]`, { hasText: 'Name' }).waitFor();
  expect(await page.locator(`tr.frozen-last td[data-cell="${col('Name')}1"]`).textContent()).toBe('Name');
  expect(await page.locator(`td[data-cell="${col('Name')}2"]`).textContent()).toBe(cell(2, 'Name'));
  expect(await page.locator('tr.frozen-last td[data-cell="A1"]').textContent()).toBe('Lead ID');
  expect(await page.locator('tbody tr').count()).toBeGreaterThan(300);
  // Nothing edited yet: nothing to push.
  await sidebar.locator('#changes-counts', { hasText: 'Nothing to push' }).waitFor();
  expect(await sidebar.getByRole('button', { name: /^Push/ }).isDisabled()).toBe(true);
});

test('edits typed into the grid show in the Changes list, invalid ones marked', async () => {
  const { page, sidebar } = ui;
  const { col, cell } = sheetInfo();
  await editCell(page, `${col('Name')}2`, 'Adventure Works International');
  await editCell(page, `${col('Status')}3`, 'No Such Status');
  await editCell(page, `${col('Employees')}4`, 'lots');
  expect(await page.locator(`td[data-cell="${col('Name')}2"]`).textContent()).toBe(
    'Adventure Works International',
  );

  await sidebar.getByRole('button', { name: 'Refresh' }).click();
  await sidebar.locator('#changes-counts', { hasText: '1 change on 1 lead · 2 invalid' }).waitFor();
  const name = sidebar.locator('li.state-send', { hasText: 'Name' });
  expect(await name.locator('.old').textContent()).toContain(cell(2, 'Name'));
  expect(await name.locator('.new').textContent()).toContain('Adventure Works International');
  const invalid = sidebar.locator('li.state-invalid');
  expect(await invalid.count()).toBe(2);
  expect(await invalid.first().textContent()).toContain('"No Such Status" is not a lead status');
  expect(await invalid.nth(1).textContent()).toContain('"lots" is not a number');
  expect(await sidebar.getByRole('button', { name: 'Push 1 change…' }).isEnabled()).toBe(true);
});

test('a field changed in Close since the pull is shown as a conflict', async () => {
  const { page, sidebar } = ui;
  const { col, cell } = sheetInfo();
  const leadId = cell(5, 'Lead ID');
  await editCell(page, `${col('Name')}5`, 'Edited in the sheet');
  preview.fake!.touchLead(leadId, { name: 'Renamed in Close' });
  await sidebar.getByRole('button', { name: 'Refresh' }).click();
  await sidebar.locator('#changes-counts', { hasText: '1 conflict' }).waitFor();
  const conflict = sidebar.locator('li.state-conflict');
  expect(await conflict.textContent()).toContain(
    'Close has "Renamed in Close", you have "Edited in the sheet"',
  );
  expect(await conflict.locator('.badge').textContent()).toBe('Conflict');
});

test('a lead named like HTML renders as text, in the grid and in the sidebar', async () => {
  const { page, sidebar } = ui;
  const { col, rowOf } = sheetInfo();
  const row = rowOf(XSS_NAME);
  expect(row).toBeGreaterThan(1);
  await editCell(page, `${col('Description')}${row}`, 'Met at the conference');
  expect(await page.locator(`td[data-cell="${col('Name')}${row}"]`).textContent()).toBe(XSS_NAME);

  await sidebar.getByRole('button', { name: 'Refresh' }).click();
  await sidebar.locator('#changes-counts', { hasText: '2 changes on 2 leads' }).waitFor();
  const lead = sidebar.locator('.lead-name', { hasText: XSS_NAME });
  expect(await lead.textContent()).toBe(XSS_NAME);
  expect(await sidebar.locator('img').count()).toBe(0);
  expect(await page.locator('img').count()).toBe(0);
});

test('push asks in the sidebar, sends, lists the problems, and Close has the new values', async () => {
  const { page, sidebar } = ui;
  const { cell, rowOf } = sheetInfo();
  const leadId = cell(2, 'Lead ID');
  const xssId = cell(rowOf(XSS_NAME), 'Lead ID');

  await sidebar.getByRole('button', { name: 'Push 2 changes…' }).click();
  const yes = sidebar.getByRole('button', { name: 'Push to Close' });
  await yes.waitFor();
  expect(await focused()).toBe('push-confirm-yes');
  expect(await sidebar.locator('#push-confirm-text').textContent()).toBe(
    'Push 2 changes on 2 leads to Close? Not sent: 2 invalid values, 1 conflict.',
  );
  // Cancel first (Escape, from the keyboard): nothing is sent.
  await ui.page.keyboard.press('Escape');
  await yes.waitFor({ state: 'hidden' });
  expect(await focused()).toBe('push-button');
  expect(preview.fake!.leads.get(leadId)!.name).not.toBe('Adventure Works International');

  await sidebar.getByRole('button', { name: 'Push 2 changes…' }).click();
  await yes.click();
  const summary = sidebar.locator('#results-summary');
  await summary.waitFor();
  expect(await summary.textContent()).toMatch(/^2 updated · 0 created · 0 failed · 1 conflict · 2 invalid/);
  await sidebarFrame().waitForFunction(() => document.activeElement?.id === 'results-title');
  expect(preview.fake!.leads.get(leadId)!.name).toBe('Adventure Works International');
  expect(preview.fake!.leads.get(xssId)!.description).toBe('Met at the conference');

  const problems = sidebar.locator('#results-list li');
  expect(await problems.count()).toBe(3);
  expect(await problems.nth(0).textContent()).toContain('Row 3');
  expect(await problems.nth(2).textContent()).toContain('Conflict');

  // Clicking an error selects its row in the sheet.
  await problems
    .nth(1)
    .getByRole('button', { name: /^Row 4,/ })
    .click();
  await page.locator('td.in-range[data-cell="A4"]').waitFor();
  expect(preview.view().activeRange).toMatch(/^A4:[A-Z]+4$/);
  expect(await page.locator('#cell-name').textContent()).toBe('A4');
  // The preview now lists only what is left: the invalid values and the conflict.
  await sidebar.locator('#changes-counts', { hasText: 'Nothing to push · 2 invalid · 1 conflict' }).waitFor();
});

test('the sidebar fits its fixed 300 px width: nothing sticks out sideways', async () => {
  const overflowing = await sidebarFrame().evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden'))
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName}#${e.id}.${e.className}`);
  });
  expect(overflowing).toEqual([]);
  expect(await sidebarFrame().evaluate(() => window.innerWidth)).toBe(300);
});

test('pulling again keeps unpushed edits; overwriting them takes an explicit confirmation', async () => {
  const { sidebar } = ui;
  await sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  const discard = sidebar.getByRole('button', { name: 'Discard edits and pull again…' });
  await discard.waitFor();
  // A re-pull is an incremental refresh: it reads and rewrites only the rows Close changed, so it counts
  // the edits of those rows and says so — and the offer to overwrite names no number, since a
  // discarding pull replaces every edit in the sheet (all 3).
  expect(await sidebar.getByRole('group', { name: 'Unpushed edits' }).textContent()).toMatch(
    /^2 unpushed edits kept in the rows Close changed \(your edits in other rows were not touched\)/,
  );
  await discard.click();
  await sidebar
    .getByText(
      "Replace every unpushed edit in this sheet with Close's current values? This cannot be undone.",
    )
    .waitFor();
  const overwrite = sidebar.getByRole('button', { name: 'Overwrite every edit' });
  await overwrite.waitFor();
  await overwrite.click();
  await sidebar.locator('#pull-summary', { hasText: '3 edits overwritten' }).waitFor();
  await sidebar.locator('#changes-counts', { hasText: /^Nothing to push$/ }).waitFor();
});

test('google.script.run in the preview rejects a Date argument like Apps Script', async () => {
  const frame = ui.page.frame({ url: /\/sidebar/ })!;
  const message = await frame.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const run = (window as unknown as { google: { script: { run: Record<string, CallableFunction> } } })
          .google.script.run;
        run
          .withSuccessHandler(() => resolve('succeeded'))
          .withFailureHandler((e: Error) => resolve(e.message))
          .getConnection(new Date());
      }),
  );
  expect(message).toBe('Failed due to illegal value in property: 0');
});

test('a menu item runs the function without options and shows its dialog', async () => {
  const { page } = ui;
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menuitem', { name: 'Preview changes' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Changes a push would send' }).waitFor();
  await dialog.getByRole('button', { name: 'OK' }).click();
});

test('a menu push asks Yes/No in a dialog like Sheets; No sends nothing', async () => {
  const { page } = ui;
  const { col, cell } = sheetInfo();
  const leadId = cell(6, 'Lead ID');
  const before = preview.fake!.leads.get(leadId)!.name;
  await editCell(page, `${col('Name')}6`, 'Renamed from the menu');
  const runs = Number((await page.locator('body').getAttribute('data-menu-runs')) ?? 0);
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menuitem', { name: 'Push changes' }).click();
  const ask = page.getByRole('dialog', { name: 'Push changes to Close?' });
  await ask.waitFor();
  await ask.getByRole('button', { name: 'No' }).click();
  await page.waitForFunction((n) => Number(document.body.dataset.menuRuns) > n, runs);
  expect(await ask.isVisible()).toBe(false);
  expect(preview.fake!.leads.get(leadId)!.name).toBe(before);
});
