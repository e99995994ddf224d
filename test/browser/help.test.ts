// The sidebar's Help panel through the local preview in headless Chromium: the Help link opens it, the
// diagnostics show their rows (the real bundle's getDiagnostics against the preview's in-memory
// services and the fake Close over HTTP), "Copy report" puts the text on the clipboard — or, where the
// frame may not use the clipboard, into a selected text area — and the menu's Help item opens the
// sidebar on the panel. The report never holds the API key or lead data, and untrusted names stay text.
import type { PreviewServer } from '../../dev/preview/server';
import { frameOf, type Opened, previewSession, sheetInfoOf } from './helpers';

jest.setTimeout(60_000);

const SHEET = 'Close Leads';
/** A sheet name that would run script if the panel ever parsed HTML (afterEach fails on any dialog). */
const HOSTILE = 'Q4 <svg onload=alert(2)></svg>';

let preview: PreviewServer;
let ui: Opened;

async function run(name: string, ...args: unknown[]): Promise<{ ok: boolean; value?: unknown }> {
  const res = await fetch(`${preview.url}api/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, args }),
  });
  return (await res.json()) as { ok: boolean; value?: unknown };
}

previewSession(async (session) => {
  ({ preview, ui } = session);
  const { sidebar } = ui;
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  await sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  await sidebar.locator('#pull-summary', { hasText: '300 leads' }).waitFor();
  // A hostile sheet name reaches the report through a schedule's row.
  expect((await run('pullLeads', { sheetName: HOSTILE })).ok).toBe(true);
  expect((await run('setSchedule', { sheetName: HOSTILE, every: 'hour' })).ok).toBe(true);
});

/** Lead names and text values of the pulled sheet (four characters or more: not a count or a letter). */
function leadData(): string[] {
  const { sheet } = sheetInfoOf(preview, SHEET);
  const own = ['John Doe', 'john@example.com', 'Wayne Enterprises Sales (Fake)'];
  const values = new Set<string>();
  for (const row of sheet.values.slice(1))
    for (const v of row) if (typeof v === 'string' && v.length >= 4 && !own.includes(v)) values.add(v);
  return [...values];
}

function checkReportText(text: string): void {
  expect(text.startsWith('Close Sync diagnostics — version 0.1.0, ')).toBe(true);
  expect(text).toContain('\nGoogle authorization\n  [ok] Status: Authorized (5 scopes asked for)\n');
  expect(text).toContain(`  [ok] Schedule of "${HOSTILE}": Every hour, set by `);
  expect(text).not.toContain(preview.sampleApiKey!);
  const data = leadData();
  expect(data.length).toBeGreaterThan(300);
  expect(data.filter((v) => text.includes(v))).toEqual([]);
}

test('the Help link opens the panel; Run diagnostics shows every section, escaped, and leaves the sheets as they were', async () => {
  const { sidebar } = ui;
  const sheetsBefore = preview.view().sheets.map((s) => s.name);
  const link = sidebar.getByRole('button', { name: 'Help' });
  expect(await link.getAttribute('aria-expanded')).toBe('false');
  expect(await sidebar.locator('#help').isVisible()).toBe(false);
  await link.click();
  const panel = sidebar.getByRole('region', { name: 'Help' });
  await panel.waitFor();
  expect(await link.getAttribute('aria-expanded')).toBe('true');
  expect(await frameOf(ui).evaluate(() => document.activeElement?.id)).toBe('help-title');
  expect(await panel.getByRole('button', { name: 'Copy report' }).isDisabled()).toBe(true);

  await panel.getByRole('button', { name: 'Run diagnostics' }).click();
  await panel.getByRole('status').filter({ hasText: 'No problems found.' }).waitFor();
  expect(await panel.locator('.diag-section h3').allTextContents()).toEqual([
    'Google authorization',
    'Background timer and schedules',
    'Property storage',
    'Close',
    'Last sync errors',
    'Spreadsheet speed',
  ]);
  const row = (label: string) =>
    panel.locator('.diag-row', { has: sidebar.locator('.diag-label', { hasText: label }) });
  expect(await row('Connection (GET /me/)').locator('.diag-value').textContent()).toMatch(
    /^Connected as John Doe \(john@example\.com\) to Wayne Enterprises Sales \(Fake\); answered in \d+ ms$/,
  );
  expect(await row('Connection (GET /me/)').locator('.diag-level').textContent()).toBe('OK');
  expect(await row('Your trigger').locator('.diag-value').textContent()).toBe(
    'Every hour (scheduled refresh)',
  );
  expect(await row(`Schedule of "${HOSTILE}"`).locator('.diag-value').textContent()).toMatch(
    /^Every hour, set by /,
  );
  expect(await panel.locator('.diag-row svg').count()).toBe(0);
  expect(await row('One service call').locator('.diag-value').textContent()).toMatch(/^\d+ ms$/);
  expect(await row('Scratch sheet').locator('.diag-value').textContent()).toBe('Made, measured and removed');
  expect(preview.view().sheets.map((s) => s.name)).toEqual(sheetsBefore);
});

test('Copy report puts the plain-text report on the clipboard: no key, no lead data', async () => {
  const { page, sidebar } = ui;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: preview.url });
  const panel = sidebar.getByRole('region', { name: 'Help' });
  await panel.getByRole('button', { name: 'Copy report' }).click();
  await panel.getByRole('status').filter({ hasText: 'Copied the report to the clipboard.' }).waitFor();
  expect(await sidebar.locator('#diagnostics-text').isVisible()).toBe(false);
  const text = await frameOf(ui).evaluate(() => navigator.clipboard.readText());
  checkReportText(text);
});

test('where the clipboard is not allowed, the report is put in a selected text area instead', async () => {
  const { sidebar } = ui;
  await frameOf(ui).evaluate(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
  });
  const panel = sidebar.getByRole('region', { name: 'Help' });
  await panel.getByRole('button', { name: 'Copy report' }).click();
  const area = panel.getByLabel('Diagnostics report as text');
  await area.waitFor();
  checkReportText(await area.inputValue());
  const selected = await frameOf(ui).evaluate(() => {
    const el = document.getElementById('diagnostics-text') as HTMLTextAreaElement;
    return document.activeElement === el && el.selectionStart === 0 && el.selectionEnd === el.value.length;
  });
  expect(selected).toBe(true);
  expect(await panel.getByRole('status').textContent()).toMatch(
    /^(Copied the report \(it is also below\)\.|Your browser did not let the sidebar copy: the report is selected below — press Ctrl\+C \(⌘C on a Mac\)\.)$/,
  );
});

test('the menu’s Help item opens the sidebar on the Help panel and runs the diagnostics', async () => {
  const { page, sidebar } = ui;
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Help' }).click();
  const panel = sidebar.getByRole('region', { name: 'Help' });
  await panel.locator('.diag-section h3', { hasText: 'Spreadsheet speed' }).waitFor();
  expect(await sidebar.getByRole('button', { name: 'Help' }).getAttribute('aria-expanded')).toBe('true');
  // Asked once: the panel stays closed when the sidebar is opened again the ordinary way.
  await page.getByRole('button', { name: 'Extensions' }).click();
  await page.getByRole('menu').getByRole('menuitem', { name: 'Open sidebar' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  await sidebar.locator('#help-link[aria-expanded="false"]').waitFor();
  expect(await sidebar.locator('#help').isVisible()).toBe(false);
});
