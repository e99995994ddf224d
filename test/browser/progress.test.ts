// The sidebar while a pull runs against a slow Close: progress in a live region, the section busy,
// its buttons disabled, and then the summary.
import type { Browser } from 'playwright-core';
import type { PreviewServer } from '../../dev/preview/server';
import {
  ensureBuilt,
  frameOf,
  launchChromium,
  type Opened,
  openPreview,
  startTestPreview,
  watchTexts,
} from './helpers';

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

/**
 * How the Pull section looks each time it changes, from now on, kept in the sidebar's window: busy lasts
 * only while the pull runs, which a check made after the click may not catch when the pull is quick.
 */
async function watchLooks(ui: Opened): Promise<() => Promise<string[]>> {
  const frame = frameOf(ui);
  await frame.evaluate(() => {
    const w = window as unknown as { looks: string[] };
    const button = (id: string) => document.getElementById(id) as HTMLButtonElement;
    const disconnect = () =>
      Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Disconnect');
    const look = () => {
      const [pull, cancel] = [button('pull-button'), button('pull-cancel')];
      return [
        `busy: ${document.getElementById('pull')?.getAttribute('aria-busy') ?? 'no'}`,
        `${pull.textContent}${pull.disabled ? ' (disabled)' : ''}`,
        `Disconnect${disconnect()?.disabled ? ' (disabled)' : ''}`,
        cancel.hidden ? 'no Cancel' : `Cancel${cancel.disabled ? ' (disabled)' : ''}`,
      ].join(', ');
    };
    w.looks = [look()];
    new MutationObserver(() => {
      if (look() !== w.looks.at(-1)) w.looks.push(look());
    }).observe(document.body, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  return () => frame.evaluate(() => (window as unknown as { looks: string[] }).looks);
}

test('progress shows while a pull runs, then the summary', async () => {
  const ui = await openPreview(browser, preview.url);
  const { page, sidebar, errors } = ui;
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();

  const looks = await watchLooks(ui);
  const shown = await watchTexts(ui, 'pull-status');
  const pull = sidebar.getByRole('button', { name: 'Pull', exact: true });
  await pull.click();
  // Then the server's progress in the live region, polled while the pull holds the bundle's thread.
  expect(await sidebar.locator('#pull-status').getAttribute('role')).toBe('status');
  await shown(/Fetch(ing about [\d,]+|ed \d+) leads/, 15_000);
  await sidebar.locator('#pull-summary', { hasText: '1500 leads' }).waitFor({ timeout: 20_000 });
  // Busy at once, in the click's own moment, and idle again at the end.
  const idle = 'busy: no, Pull, Disconnect, no Cancel';
  const seen = await looks();
  expect(seen[0]).toBe(idle);
  expect(seen[1]).toBe('busy: true, Pulling… (disabled), Disconnect (disabled), Cancel');
  expect(seen.at(-1)).toBe(idle);
  await page.getByRole('tab', { name: 'Close Leads' }).waitFor();
  expect(errors).toEqual([]);
});
