// The sidebar's Scheduled refresh, Undo last push and Build report controls, through the local preview in
// headless Chromium: the real dist/ sidebar calling the real bundle, the fake Close over HTTP.
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
  const { sidebar } = ui;
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  await sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  await sidebar.locator('#pull-summary', { hasText: '300 leads' }).waitFor();
});

test('schedule: every N hours, then daily at an hour, then off; the sidebar shows who set it and the next run', async () => {
  const { sidebar } = ui;
  const section = sidebar.getByRole('region', { name: 'Scheduled refresh' });
  const refresh = section.getByLabel('Refresh');
  await section.locator('#schedule-save:not([disabled])').waitFor();
  expect(await refresh.inputValue()).toBe('off');
  expect(await section.getByLabel('At').isVisible()).toBe(false);
  expect(await section.locator('#schedule-help').textContent()).toMatch(
    /^Pulls “Close Leads” as you, with your Close API key\. Unpushed edits are kept\. Times are in .+\.$/,
  );

  await refresh.selectOption({ label: 'Every 4 hours' });
  await section.getByRole('button', { name: 'Save schedule' }).click();
  await section.getByRole('status').filter({ hasText: 'Schedule saved.' }).waitFor();
  const info = section.locator('#schedule-info');
  expect(await info.locator('p').allTextContents()).toEqual([
    'Every 4 hours · set by you',
    'Not run yet.',
    expect.stringMatching(/^Next run: about \d{4}-\d\d-\d\d \d\d:\d\d$/),
  ]);

  await refresh.selectOption({ label: 'Every day' });
  const at = section.getByLabel('At');
  await at.waitFor();
  await at.selectOption({ label: '07:00' });
  await section.getByRole('button', { name: 'Save schedule' }).click();
  await info.locator('p', { hasText: 'Every day at 07:00 · set by you' }).waitFor();
  expect(await info.locator('p').last().textContent()).toMatch(/^Next run: about \d{4}-\d\d-\d\d 07:00$/);
  expect(await refresh.inputValue()).toBe('day');
  expect(await at.inputValue()).toBe('7');

  await section.getByRole('button', { name: 'Turn off' }).click();
  await section.getByRole('status').filter({ hasText: 'The schedule is off.' }).waitFor();
  expect(await info.isVisible()).toBe(false);
  expect(await refresh.inputValue()).toBe('off');
  expect(await section.getByRole('button', { name: 'Turn off' }).isVisible()).toBe(false);
});

test('undo: a preview first, with a conflict marked; Cancel does nothing; confirming restores Close and the sheet', async () => {
  const { page, sidebar } = ui;
  const { col, cell } = sheetInfo();
  const renamed = cell(2, 'Lead ID');
  const described = cell(3, 'Lead ID');
  const oldName = cell(2, 'Name');
  await editCell(page, `${col('Name')}2`, 'Renamed in the sheet');
  await editCell(page, `${col('Description')}3`, 'Described in the sheet');
  await sidebar.getByRole('button', { name: 'Refresh' }).click();
  await sidebar.getByRole('button', { name: 'Push 2 changes…' }).click();
  await sidebar.getByRole('button', { name: 'Push to Close' }).click();
  await sidebar.locator('#results-summary', { hasText: /^2 updated/ }).waitFor();
  expect(preview.fake!.leads.get(renamed)!.name).toBe('Renamed in the sheet');
  // A colleague changes one of the pushed fields in Close afterwards.
  preview.fake!.touchLead(described, { description: 'Changed by a colleague' });

  const section = sidebar.getByRole('region', { name: 'Undo last push' });
  await section.getByRole('button', { name: 'Undo last push…' }).click();
  const confirm = section.getByRole('group');
  await confirm.waitFor();
  expect(await section.locator('#undo-question').textContent()).toMatch(
    /^Undo the push of \d{4}-\d\d-\d\d \d\d:\d\d by .+: restore 1 field on 1 lead\. 1 conflict left alone \(changed in Close since\)\.$/,
  );
  const restore = confirm.locator('li.state-send');
  expect(await restore.locator('.field-name').textContent()).toBe('Name');
  expect(await restore.locator('.old').textContent()).toBe('Name in Close now: Renamed in the sheet');
  expect(await restore.locator('.new').textContent()).toBe(` restored to: ${oldName}`);
  const conflict = confirm.locator('li.state-conflict');
  expect(await conflict.locator('.badge').textContent()).toBe('Conflict');
  expect(await conflict.locator('.message').textContent()).toBe(
    'Description changed in Close since the push: Close has "Changed by a colleague", the push wrote "Described in the sheet". Left alone.',
  );
  expect(await focused()).toBe('undo-yes');

  // Cancel (Escape): nothing changes.
  await page.keyboard.press('Escape');
  await section.getByRole('status').filter({ hasText: 'Nothing was undone.' }).waitFor();
  expect(await confirm.isVisible()).toBe(false);
  expect(preview.fake!.leads.get(renamed)!.name).toBe('Renamed in the sheet');

  await section.getByRole('button', { name: 'Undo last push…' }).click();
  await section.getByRole('button', { name: 'Undo 1 field' }).click();
  await section
    .getByRole('status')
    .filter({
      hasText: /restored 1 field on 1 lead\. 1 conflict left alone \(changed in Close since the push\)\.$/,
    })
    .waitFor();
  expect(preview.fake!.leads.get(renamed)!.name).toBe(oldName);
  expect(preview.fake!.leads.get(described)!.description).toBe('Changed by a colleague');
  expect(await section.locator('#undo-result li.state-restored .badge').textContent()).toBe('Restored');
  await page.locator(`td[data-cell="${col('Name')}2"]`, { hasText: String(oldName) }).waitFor();
  expect(sheetInfo().cell(2, 'Sync status')).toMatch(/^undone: Name restored · /);

  // Undone once: the next preview says so, and offers nothing to confirm.
  await section.getByRole('button', { name: 'Undo last push…' }).click();
  await section
    .getByRole('status')
    .filter({ hasText: /^Nothing to undo: the push of .+ was already undone\.$/ })
    .waitFor();
  expect(await confirm.isVisible()).toBe(false);
});

test('build report: the Close Report sheet appears, and the sidebar says what it holds', async () => {
  const { page, sidebar } = ui;
  const section = sidebar.getByRole('region', { name: 'Pipeline report' });
  await section.getByRole('button', { name: 'Build report' }).click();
  await section
    .getByRole('status')
    .filter({ hasText: 'Report "Close Report" built from "Close Leads": 300 leads, 9 tables, 9 charts.' })
    .waitFor();
  // The report is shown: its tab is the selected one.
  await page.getByRole('tab', { name: 'Close Report', exact: true, selected: true }).waitFor();
  await page.getByRole('tab', { name: 'Close Report History' }).waitFor();
  const report = preview.view().sheets.find((s) => s.name === 'Close Report')!;
  expect(report.values[0][0]).toBe('Pipeline report · Close Leads');
});

test('the new sections fit the 300 px sidebar and have accessible names', async () => {
  const overflowing = await sidebarFrame().evaluate(() => {
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden'))
      .filter((e) => e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName}#${e.id}.${e.className}`);
  });
  expect(overflowing).toEqual([]);
  const unlabeled = await sidebarFrame().evaluate(() =>
    Array.from(document.querySelectorAll('select, input'))
      .filter((e) => !(e as HTMLSelectElement).labels?.length)
      .map((e) => e.id),
  );
  expect(unlabeled).toEqual([]);
});
