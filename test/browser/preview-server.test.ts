// The preview server without a browser: google.script.run calls over its HTTP API run the real bundle,
// whose UrlFetchApp really goes over HTTP to the fake Close; progress polls are answered while a pull
// blocks the bundle's thread; the workbook and the connection survive a restart.
import type { PreviewServer } from '../../dev/preview/server';
import { ensureBuilt, startTestPreview } from './helpers';

jest.setTimeout(30_000);

type Run = { ok: boolean; value?: unknown; message?: string };

async function run(preview: PreviewServer, name: string, ...args: unknown[]): Promise<Run> {
  const res = await fetch(`${preview.url}api/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, args }),
  });
  return (await res.json()) as Run;
}

beforeAll(() => {
  ensureBuilt();
});

test('the bundle connects and pulls over real HTTP; progress polls are answered while the pull runs', async () => {
  const preview = await startTestPreview({ closeLatencyMs: 120 });
  try {
    expect(await run(preview, 'getConnection')).toEqual({ ok: true, value: { connected: false } });
    expect(await run(preview, 'saveApiKey', 'api_wrong')).toEqual({
      ok: false,
      message:
        'Close rejected this API key. Check that you copied the whole key and that it has not been deleted.',
      name: 'Error',
    });
    const connected = await run(preview, 'saveApiKey', preview.sampleApiKey);
    expect(connected.value).toMatchObject({
      connected: true,
      organization: 'Wayne Enterprises Sales (Fake)',
    });

    const pulling = run(preview, 'pullLeads', {});
    let finished = false;
    void pulling.then(() => {
      finished = true;
    });
    const polls: Array<{ ms: number; value: unknown; during: boolean }> = [];
    while (!finished) {
      const started = Date.now();
      const poll = await run(preview, 'getSyncProgress');
      polls.push({ ms: Date.now() - started, value: poll.value, during: !finished });
      await new Promise((r) => setTimeout(r, 100));
    }
    const pulled = await pulling;
    expect(pulled).toMatchObject({ ok: true, value: { leads: 300, added: 300 } });

    const during = polls.filter((p) => p.during && p.value);
    expect(during.length).toBeGreaterThan(2);
    // Answered at once, not after the pull: the bundle's thread was busy the whole time.
    for (const p of during) expect(p.ms).toBeLessThan(500);
    const messages = during.map((p) => (p.value as { message: string }).message);
    expect(messages.some((m) => /^Fetch(ing about [\d,]+|ed \d+) leads/.test(m))).toBe(true);

    // The requests reached the fake over HTTP (it logs what its HTTP server handled).
    const paths = preview.fake!.log.map((e) => `${e.method} ${e.path}`);
    expect(paths).toContain('GET /me/');
    expect(paths.filter((p) => p === 'GET /lead/').length).toBeGreaterThanOrEqual(2);
  } finally {
    await preview.close();
  }
});

test('the workbook and the connection survive a restart', async () => {
  const first = await startTestPreview();
  await run(first, 'saveApiKey', first.sampleApiKey);
  await run(first, 'pullLeads', {});
  const leadsSheet = first.view().sheets.find((s) => s.name === 'Close Leads')!;
  await first.close();

  const second = await startTestPreview({
    workbookFile: `${first.dir}/workbook.json`,
    userPropertiesFile: `${first.dir}/user-properties.json`,
  });
  try {
    const again = second.view().sheets.find((s) => s.name === 'Close Leads');
    expect(again?.values).toEqual(leadsSheet.values);
    expect(again?.frozenRows).toBe(1);
    expect((await run(second, 'getConnection')).value).toMatchObject({ connected: true });
    // The menu onOpen built at start.
    expect(second.view().menus[0].items.map((i) => i?.functionName)).toEqual([
      'showSidebar',
      undefined,
      'pullLeads',
      'pullActivities',
      'previewChanges',
      'pushChanges',
      undefined,
      'undoLastPush',
      'buildReport',
      undefined,
      'showHelp',
    ]);
  } finally {
    await second.close();
  }
});

test('the sidebar is the real dist/ file with the google.script.run shim; unknown functions fail', async () => {
  const preview = await startTestPreview();
  try {
    const html = await (await fetch(`${preview.url}sidebar`)).text();
    const shim = html.indexOf('window.__GAS_FUNCTIONS__');
    expect(shim).toBeGreaterThan(0);
    expect(shim).toBeLessThan(html.indexOf('id="app"'));
    expect(html).toContain('"pullLeads"');
    // The Activities section's two calls are there too.
    expect(html).toContain('"pullActivities"');
    expect(html).toContain('"buildActivityReport"');
    expect(await run(preview, 'nope')).toMatchObject({
      ok: false,
      message: 'Script function not found: nope',
    });
  } finally {
    await preview.close();
  }
});
