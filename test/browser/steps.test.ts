// A pull that needs several executions, through the sidebar: the preview runs 2-second steps (the
// closeSync.stepBudgetMs script property) against a fake Close that lets one page through per
// second. The sidebar drives the steps and shows each, can cancel between them, and offers to continue
// a pull it finds unfinished when it opens.
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

jest.setTimeout(60_000);

let preview: PreviewServer;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  [preview, browser] = await Promise.all([
    startTestPreview({
      leads: 1500,
      stepBudgetMs: 2_000,
      closeRateLimits: { 'GET /lead/': { limit: 1, windowMs: 1_000 } },
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

/** The sidebar's server calls by name, in order. */
function recordCalls(ui: Opened): string[] {
  const calls: string[] = [];
  ui.page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/run'))
      calls.push((r.postDataJSON() as { name: string }).name);
  });
  return calls;
}

async function connected(): Promise<Opened> {
  const ui = await openPreview(browser, preview.url);
  // The sidebar checks the connection first (neither shows meanwhile): wait for its answer.
  await ui.sidebar.locator('#connected:not([hidden]), #connect-form:not([hidden])').first().waitFor();
  if (await ui.sidebar.getByRole('button', { name: 'Disconnect' }).isVisible()) return ui;
  await ui.sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await ui.sidebar.getByRole('button', { name: 'Connect' }).click();
  await ui.sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
  return ui;
}

const sheetIds = (name = 'Close Leads') => {
  const sheet = preview.view().sheets.find((s) => s.name === name);
  const values = sheet?.values ?? [];
  const id = values[0]?.indexOf('Lead ID') ?? -1;
  return values
    .slice(1)
    .map((r) => r[id])
    .filter((v) => v !== '' && v !== undefined);
};

test('a pull of several steps: the sidebar runs each, shows the step, and ends with the summary', async () => {
  const ui = await connected();
  const calls = recordCalls(ui);
  const shown = await watchTexts(ui, 'pull-status');
  await ui.sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  await shown(/^Pulled \d+ leads so far \(\d+ pages, step 1\)… \(step 1\)/);
  await shown(/^Pulled \d+ leads so far \(\d+ pages, step 2\)… \(step 2\)/);
  await ui.sidebar.locator('#pull-summary', { hasText: '1500 leads' }).waitFor({ timeout: 40_000 });
  expect(calls.filter((c) => c === 'pullLeads')).toHaveLength(1);
  expect(calls.filter((c) => c === 'continueSync').length).toBeGreaterThanOrEqual(2);
  const ids = sheetIds();
  expect(ids).toHaveLength(1500);
  expect(new Set(ids).size).toBe(1500);
  expect(ui.errors).toEqual([]);
  await ui.page.close();
});

/**
 * Every state of the Pull section's Cancel button (hidden or shown, enabled or not, its label), in order,
 * kept in the sidebar's window: "Cancelling…" lasts only until the step under way ends and the cancel is
 * sent, which may be a moment after the click — a check after the click can come too late to see it.
 */
async function watchCancel(ui: Opened): Promise<() => Promise<string[]>> {
  const frame = await frameOf(ui);
  await frame.evaluate(() => {
    const w = window as unknown as { cancelStates: string[] };
    const button = document.getElementById('pull-cancel') as HTMLButtonElement;
    const state = () =>
      `${button.hidden ? 'hidden' : 'shown'}${button.disabled ? ', disabled' : ''}: ${button.textContent}`;
    w.cancelStates = [state()];
    new MutationObserver(() => {
      if (state() !== w.cancelStates.at(-1)) w.cancelStates.push(state());
    }).observe(button, { attributes: true, childList: true, subtree: true, characterData: true });
  });
  return () => frame.evaluate(() => (window as unknown as { cancelStates: string[] }).cancelStates);
}

test('Cancel stops a pull between steps: what was written stays, nothing is left running', async () => {
  const ui = await connected();
  const calls = recordCalls(ui);
  const sheet = ui.sidebar.locator('#pull').getByLabel('Sheet');
  await sheet.fill('Cancelled pull');
  await sheet.press('Tab');
  await ui.sidebar
    .locator('#pull-definition', { hasText: 'No pull saved for “Cancelled pull” yet' })
    .waitFor();
  const cancelStates = await watchCancel(ui);
  await ui.sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  // Pressed while a step runs (1,500 leads at a page a second take 8 steps): the pull stops after it.
  await ui.sidebar.locator('#pull').getByRole('button', { name: 'Cancel', exact: true }).click();
  // What the sidebar shows once it is over stays until the rep's next action: no race with a transient.
  const status = ui.sidebar.locator('#pull-status', {
    hasText: /^Cancelled the pull of "Cancelled pull" after \d+ steps?\. What it wrote stays in the sheet\.$/,
  });
  await status.waitFor({ timeout: 30_000 });
  await ui.sidebar.locator('#pull-cancel').waitFor({ state: 'hidden' });
  // "Cancelling…" from the click until the pull was cancelled: never lost, never back to "Cancel".
  expect(await cancelStates()).toEqual([
    'hidden: Cancel',
    'shown: Cancel',
    'shown, disabled: Cancelling…',
    'hidden: Cancel',
  ]);
  const steps = Number(/after (\d+) step/.exec((await status.textContent()) ?? '')?.[1]);
  // The steps it ran, each asked for by this sidebar, then the cancel: nothing after it.
  expect(calls.filter((c) => ['pullLeads', 'continueSync', 'cancelSync'].includes(c))).toEqual([
    'pullLeads',
    ...Array.from({ length: steps - 1 }, () => 'continueSync'),
    'cancelSync',
  ]);
  expect(await ui.sidebar.getByRole('button', { name: 'Pull', exact: true }).isEnabled()).toBe(true);
  const sync = await ui.page.evaluate(async () => {
    const r = await fetch('/api/run', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'getSyncStatus', args: [] }),
    });
    return (await r.json()) as { ok: boolean; value: { job: unknown } };
  });
  expect(sync).toMatchObject({ ok: true, value: { job: null } });
  // Every step placed at least a page (200 leads), in Close's order; the rest was never pulled.
  const ids = sheetIds('Cancelled pull');
  expect(ids.length).toBeGreaterThanOrEqual(200 * steps);
  expect(ids.length).toBeLessThan(1500);
  expect(ids).toEqual([...preview.fake!.leads.keys()].slice(0, ids.length));
  expect(ui.errors).toEqual([]);
  await ui.page.close();
});

test('a pull left unfinished (the sidebar was closed) is offered when the sidebar opens: Continue ends it', async () => {
  const first = await connected();
  const shown = await watchTexts(first, 'pull-status');
  // A sheet of its own: "Close Leads" was pulled by the first test, and pulling it again is an
  // incremental refresh that ends in one step.
  const sheet = first.sidebar.locator('#pull').getByLabel('Sheet');
  await sheet.fill('Unfinished pull');
  await sheet.press('Tab');
  await first.sidebar
    .locator('#pull-definition', { hasText: 'No pull saved for “Unfinished pull” yet' })
    .waitFor();
  await first.sidebar.getByRole('button', { name: 'Pull', exact: true }).click();
  await shown(/\(step 1\)/);
  // The rep closes the sidebar: no one asks for the next step (the trigger would, a minute later).
  await first.page.close();

  const ui = await connected();
  const box = ui.sidebar.locator('#pull-job');
  await box
    .filter({
      hasText:
        /^A pull of “Unfinished pull” is unfinished \(started by rep@example\.com at .+, \d+ steps? done\)\./,
    })
    .waitFor({ timeout: 20_000 });
  await box.getByRole('button', { name: 'Continue the pull' }).click();
  await ui.sidebar.locator('#pull-summary', { hasText: '1500 leads' }).waitFor({ timeout: 40_000 });
  await box.waitFor({ state: 'hidden' });
  expect(new Set(sheetIds('Unfinished pull')).size).toBe(1500);
  expect(ui.errors).toEqual([]);
});
