// The sidebar while a pull runs against a slow Close: progress in a live region, the section busy,
// its buttons disabled, and then the summary.
import type { Browser } from 'playwright-core';
import type { PreviewServer } from '../../dev/preview/server';
import { ensureBuilt, launchChromium, openPreview, startTestPreview } from './helpers';

jest.setTimeout(30_000);

let preview: PreviewServer;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  [preview, browser] = await Promise.all([
    startTestPreview({ closeLatencyMs: 250, leads: 1500 }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

test('progress shows while a pull runs, then the summary', async () => {
  const { page, sidebar, errors } = await openPreview(browser, preview.url);
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();

  const pull = sidebar.getByRole('button', { name: 'Pull', exact: true });
  await pull.click();
  // Busy at once (the first request alone takes the added latency).
  expect(await sidebar.locator('#pull').getAttribute('aria-busy')).toBe('true');
  expect(await sidebar.getByRole('button', { name: 'Pulling…' }).isDisabled()).toBe(true);
  expect(await sidebar.getByRole('button', { name: 'Disconnect' }).isDisabled()).toBe(true);
  expect(await sidebar.getByRole('button', { name: 'Cancel' }).isEnabled()).toBe(true);
  // Then the server's progress, polled while the pull holds the bundle's thread.
  const status = sidebar.locator('#pull-status[role="status"]');
  await status.filter({ hasText: /Fetch(ing about [\d,]+|ed \d+) leads/ }).waitFor({ timeout: 15_000 });

  await sidebar.locator('#pull-summary', { hasText: '1500 leads' }).waitFor({ timeout: 20_000 });
  expect(await sidebar.locator('#pull').getAttribute('aria-busy')).toBeNull();
  expect(await pull.isEnabled()).toBe(true);
  await page.getByRole('tab', { name: 'Close Leads' }).waitFor();
  expect(errors).toEqual([]);
});
