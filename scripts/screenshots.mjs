// `npm run screenshots`: drives the local preview in headless Chromium and saves
// docs/screenshot-sidebar.png (the sidebar with a preview of changes, a conflict and invalid values)
// and docs/screenshot-preview.png (the whole preview page after a pull and a few edits).
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { compilePreview } from './preview.mjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(
    `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`,
  );
  process.exit(1);
}

const out = await compilePreview();
const { startPreview } = require(join(out, 'server.js'));
const dir = mkdtempSync(join(tmpdir(), 'close-sync-shots-'));
const preview = await startPreview({
  port: 0,
  workbookFile: join(dir, 'workbook.json'),
  userPropertiesFile: null,
  log: () => undefined,
});
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
});

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(preview.url);
  const sidebar = page.frameLocator('#sidebar-frame');
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  await sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  await sidebar.locator('#pull-summary').waitFor();
  await page.getByRole('tab', { name: 'Close Leads' }).click();

  const sheet = preview.view().sheets.find((s) => s.name === 'Close Leads');
  const header = sheet.values[0];
  const col = (title) => String.fromCharCode(65 + header.indexOf(title));
  const edit = async (a1, value) => {
    const before = Number(await page.locator('body').getAttribute('data-version'));
    await page.locator(`td[data-cell="${a1}"]`).dblclick();
    await page.locator('#cell-editor').fill(value);
    await page.locator('#cell-editor').press('Enter');
    await page.waitForFunction((v) => Number(document.body.dataset.version) > v, before);
  };
  await edit(`${col('Name')}2`, 'Adventure Works International');
  await edit(`${col('Status')}3`, 'Customer');
  await edit(`${col('Employees')}4`, 'about 40');
  await edit(`${col('Name')}5`, 'Pied Piper Foods Inc.');
  preview.fake.touchLead(sheet.values[4][header.indexOf('Lead ID')], { name: 'Pied Piper Foods (HQ)' });
  await sidebar.getByRole('button', { name: 'Refresh' }).click();
  await sidebar.locator('#changes-counts', { hasText: 'conflict' }).waitFor();
  await page.locator('td[data-cell="C7"]').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(root, 'docs', 'screenshot-preview.png') });

  // Tall enough for the whole sidebar, no taller.
  const frame = page.frame({ url: /\/sidebar/ });
  const content = await frame.evaluate(() => document.documentElement.scrollHeight);
  const head = await page.locator('.sidebar-head').evaluate((e) => e.getBoundingClientRect().bottom);
  await page.setViewportSize({ width: 1280, height: Math.ceil(head + content) });
  await page.waitForTimeout(300);
  await page.locator('#sidebar').screenshot({ path: join(root, 'docs', 'screenshot-sidebar.png') });
  console.log('docs/screenshot-preview.png, docs/screenshot-sidebar.png');
} finally {
  await browser.close();
  await preview.close();
}
