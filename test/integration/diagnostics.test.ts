// getDiagnostics on the built bundle: the exact report for a connected rep after a pull, what each kind
// of trouble (no key, a rejected key, Close down or unreachable, a scope not granted, a pull Close
// stopped) says to do, that the report never carries the API key or lead data, and that the scratch
// sheet it measures on leaves the spreadsheet exactly as it was.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import type { FakeRequest, FakeResponse } from '../../dev/fake-close/types';
import { API_KEY, connectedWorld, makeWorld, runToEnd, type World } from './harness';

const SHEET = 'Close Leads';
const WAYNE = 'Wayne Enterprises (Sample Lead)';
const SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://www.googleapis.com/auth/script.external_request',
  'https://www.googleapis.com/auth/script.container.ui',
  'https://www.googleapis.com/auth/script.scriptapp',
  'https://www.googleapis.com/auth/userinfo.email',
];

interface Row {
  label: string;
  value: string;
  level: string;
  action?: string;
}
interface Report {
  version: string;
  generatedAt: string;
  sections: Array<{ title: string; rows: Row[] }>;
  text: string;
}

function diagnose(w: World): Report {
  w.runtime.startExecution();
  return w.app.getDiagnostics() as Report;
}

function section(report: Report, title: string): Row[] {
  const found = report.sections.find((s) => s.title === title);
  if (!found) throw new Error(`No section "${title}" in ${report.sections.map((s) => s.title).join(', ')}`);
  return found.rows;
}

/** The kB figure the report shows for a property store (bytes of keys and values, UTF-8). */
function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1).replace(/\.0$/, '')} kB`;
}

function storeValue(data: Record<string, string>): string {
  const entries = Object.entries(data);
  const bytes = entries.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  const largest = Math.max(...entries.map(([, v]) => Buffer.byteLength(v)));
  return `${kb(bytes)} of 500 kB (${Math.round((bytes / 500_000) * 100)}%) in ${entries.length} keys; largest value ${kb(largest)} of 9 kB`;
}

function activeSheet(w: World): string {
  // biome-ignore lint/suspicious/noExplicitAny: the fake SpreadsheetApp, as the bundle sees it
  return (w.runtime.globals.SpreadsheetApp as any).getActiveSheet().getName();
}

/** The workbook as saved, without the id counters a made-and-deleted sheet advances. */
function workbookState(w: World): string {
  const { counters: _counters, ...rest } = w.runtime.spreadsheet.toJSON() as unknown as Record<
    string,
    unknown
  >;
  return JSON.stringify(rest);
}

test('a connected rep after a pull: every section, exactly; the spreadsheet is left exactly as it was', () => {
  const w = connectedWorld({ gas: { spreadsheetCallMs: 30 } });
  runToEnd(w, w.app.pullLeads({}));
  const before = workbookState(w);
  const sheetsBefore = w.runtime.spreadsheet.sheets.map((s) => s.name);
  const activeBefore = activeSheet(w);
  w.runtime.stats.trace = [];
  const report = diagnose(w);
  const calls = w.runtime.stats.trace;
  w.runtime.stats.trace = undefined;

  expect(report.version).toBe('0.1.0');
  expect(report.generatedAt).toBe('2026-11-28 04:00 (America/New_York)');
  expect(report.sections.map((s) => s.title)).toEqual([
    'Google authorization',
    'Background timer and schedules',
    'Property storage',
    'Close',
    'Last sync errors',
    'Spreadsheet speed',
  ]);
  expect(section(report, 'Google authorization')).toEqual([
    { label: 'Status', value: 'Authorized (5 scopes asked for)', level: 'ok' },
    ...SCOPES.map((s) => ({
      label: s.replace('https://www.googleapis.com/auth/', ''),
      value: 'granted',
      level: 'ok',
    })),
  ]);
  expect(section(report, 'Background timer and schedules')).toEqual([
    { label: 'Your trigger', value: 'None (no job to continue, no schedule of yours)', level: 'info' },
    { label: 'Schedules', value: 'No sheet is refreshed on a schedule', level: 'info' },
  ]);
  // The measured speed is saved after the storage was looked at: later steps size their writes by it.
  const { 'closeSync.sheetSpeed': speed, ...documentProperties } = w.runtime.documentProperties.toObject();
  expect(speed).toBe('{"callMs":60,"perCellUs":0}');
  expect(section(report, 'Property storage')).toEqual([
    { label: 'Document properties', value: storeValue(documentProperties), level: 'ok' },
    { label: 'Your user properties', value: storeValue(w.runtime.userProperties.toObject()), level: 'ok' },
  ]);
  // The budgets the pull left in the rep's cache (Close's fake: 160 requests per 8 s, GET /lead/ 320).
  expect(section(report, 'Close')).toEqual([
    {
      label: 'Connection (GET /me/)',
      value: 'Connected as John Doe (john@example.com) to Wayne Enterprises Sales (Fake); answered in 250 ms', // one fetch at 250 ms (dev/world.ts's latency)
      level: 'ok',
    },
    {
      label: 'Rate budget GET /custom_field_schema/contact/',
      value: '158 of 160 left, window resets in 6 s',
      level: 'info',
    },
    {
      label: 'Rate budget GET /custom_field_schema/lead/',
      value: '159 of 160 left, window resets in 6 s',
      level: 'info',
    },
    {
      label: 'Rate budget GET /custom_field_schema/opportunity/',
      value: '157 of 160 left, window resets in 6 s',
      level: 'info',
    },
    { label: 'Rate budget GET /lead/', value: '315 of 320 left, window resets in 6 s', level: 'info' },
    { label: 'Rate budget GET /me/', value: '159 of 160 left, window resets in 6 s', level: 'info' },
    {
      label: 'Rate budget GET /organization/{id}/',
      value: '159 of 160 left, window resets in 6 s',
      level: 'info',
    },
    { label: 'Rate budget GET /pipeline/', value: '159 of 160 left, window resets in 6 s', level: 'info' },
    { label: 'Rate budget GET /status/lead/', value: '159 of 160 left, window resets in 6 s', level: 'info' },
    {
      label: 'Rate budget GET /status/opportunity/',
      value: '159 of 160 left, window resets in 6 s',
      level: 'info',
    },
  ]);
  expect(section(report, 'Last sync errors')).toEqual([
    { label: 'Errors', value: 'None recorded', level: 'ok' },
  ]);
  // The fake charges 30 ms per Spreadsheet call (getRange and getValues are one each) and nothing per cell.
  expect(section(report, 'Spreadsheet speed')).toEqual([
    { label: 'One service call', value: '60 ms', level: 'ok' },
    { label: 'Per cell', value: '0 µs (1000 cells written and read back in 120 ms)', level: 'ok' },
    { label: 'Scratch sheet', value: 'Made, measured and removed', level: 'ok' },
  ]);
  expect(report.text.split('\n').slice(0, 4)).toEqual([
    'Close Sync diagnostics — version 0.1.0, 2026-11-28 04:00 (America/New_York)',
    '',
    'Google authorization',
    '  [ok] Status: Authorized (5 scopes asked for)',
  ]);
  expect(report.text).toContain('  [--] Rate budget GET /lead/: 315 of 320 left, window resets in 6 s\n');

  // The scratch sheet is gone and nothing else changed: sheets, cells, formats, properties (but the
  // speed saved, asserted above).
  expect(w.runtime.spreadsheet.sheets.map((s) => s.name)).toEqual(sheetsBefore);
  w.runtime.documentProperties.delete('closeSync.sheetSpeed');
  expect(workbookState(w)).toBe(before);
  expect(activeSheet(w)).toBe(activeBefore);
  // It was made (hidden) and deleted: the measurement ran on a sheet of its own.
  expect(calls.filter((c) => /insertSheet|hideSheet|deleteSheet/.test(c))).toEqual([
    'SpreadsheetApi.insertSheet',
    'SheetApi.hideSheet',
    'SpreadsheetApi.deleteSheet',
  ]);

  // Never the key, never lead data: no lead's name, and no text value of the pulled sheet (but the
  // rep's own Close identity, which the report names on purpose).
  expect(report.text).not.toContain(API_KEY);
  expect(JSON.stringify(report.sections)).not.toContain(API_KEY);
  const own = ['John Doe', 'john@example.com', 'Wayne Enterprises Sales (Fake)'];
  const values = new Set<string>();
  for (const lead of w.close.leads.values()) values.add(lead.display_name ?? lead.name);
  for (const row of w.runtime.spreadsheet.dump(SHEET).slice(1))
    for (const v of row) if (typeof v === 'string' && v.length >= 4 && !own.includes(v)) values.add(v);
  expect(values.size).toBeGreaterThan(300);
  const leaked = [...values].filter((v) => report.text.includes(v));
  expect(leaked).toEqual([]);
});

test('not connected: Close says so and what to do; no request is sent', () => {
  const w = makeWorld();
  const report = diagnose(w);
  expect(section(report, 'Close')).toEqual([
    {
      label: 'Connection (GET /me/)',
      value: 'Not connected',
      level: 'warn',
      action: 'Open the sidebar and paste your Close API key (Close → Settings → Developer → API Keys).',
    },
    {
      label: 'Rate budgets',
      value: 'None seen in the last 6 hours (learnt from Close’s answers on the next pull or push)',
      level: 'info',
    },
  ]);
  expect(w.runtime.requests).toEqual([]);
  expect(report.text).toContain(
    '  [WARN] Connection (GET /me/): Not connected\n        What to do: Open the sidebar and paste your Close API key',
  );
});

describe('Close in trouble: one GET /me/, no retries, and a message saying what to do', () => {
  const meFails = (answer: () => FakeResponse) => (req: FakeRequest) =>
    /\/me\/$/.test(req.url) && failing.on ? answer() : undefined;
  const failing = { on: false };

  test.each([
    [
      '401',
      () => ({
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: '{"error":"Unauthorized"}',
      }),
      {
        value: 'Close rejected the saved API key (401)',
        level: 'error',
        action:
          'The key was deleted or belongs to a user who left: make a new one in Close (Settings → Developer → API Keys) and connect again in the sidebar.',
      },
    ],
    [
      '503',
      () => ({ status: 503, headers: {}, body: '' }),
      {
        value: 'Close answered with a server error (503)',
        level: 'error',
        action:
          'The trouble is on Close’s side, not in your sheet or key: try again in a few minutes (Close posts outages at https://status.close.com).',
      },
    ],
    [
      'unreachable',
      (): FakeResponse => {
        throw new Error('Address unavailable: https://api.close.com/api/v1/me/');
      },
      {
        value: 'Could not reach api.close.com: Address unavailable: https://api.close.com/api/v1/me/',
        level: 'error',
        action:
          'Try again in a minute. If it keeps failing, your Google Workspace admin may restrict which sites Apps Script can reach: ask them to allow https://api.close.com/.',
      },
    ],
  ])('%s', (_name, answer, expected) => {
    failing.on = false;
    const w = connectedWorld({ intercept: meFails(answer) });
    failing.on = true;
    const sent = w.runtime.requests.length;
    const report = diagnose(w);
    expect(section(report, 'Close')[0]).toEqual({ label: 'Connection (GET /me/)', ...expected });
    expect(w.runtime.requests.slice(sent).map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET https://api.close.com/api/v1/me/',
    ]);
    expect(report.text).not.toContain(API_KEY);
  });
});

test('a scope the rep has not granted: the status and the scope say so, with how to grant it', () => {
  const w = makeWorld({ gas: { grantedScopes: SCOPES.filter((s) => !s.endsWith('script.scriptapp')) } });
  const reauthorize =
    'Reload the spreadsheet, open Extensions › Close Sync › Open sidebar and accept the Google authorization screen.';
  const report = diagnose(w);
  expect(section(report, 'Google authorization')).toEqual([
    {
      label: 'Status',
      value: 'Close Sync needs your permission (again)',
      level: 'error',
      action: `${reauthorize} Or open https://script.google.com/macros/d/fake-script-id/authorize`,
    },
    { label: 'spreadsheets.currentonly', value: 'granted', level: 'ok' },
    { label: 'script.external_request', value: 'granted', level: 'ok' },
    { label: 'script.container.ui', value: 'granted', level: 'ok' },
    { label: 'script.scriptapp', value: 'not granted', level: 'error', action: reauthorize },
    { label: 'userinfo.email', value: 'granted', level: 'ok' },
  ]);
  // The fakes refuse the trigger calls as Apps Script would; the rest of the report still comes.
  expect(section(report, 'Background timer and schedules')[0]).toEqual({
    label: 'Your trigger',
    value:
      'Could not be read: You do not have permission to call ScriptApp.getUserTriggers. Required permissions: https://www.googleapis.com/auth/script.scriptapp',
    level: 'error',
    action: reauthorize,
  });
  expect(section(report, 'Spreadsheet speed')[2]).toEqual({
    label: 'Scratch sheet',
    value: 'Made, measured and removed',
    level: 'ok',
  });
});

test('a pull Close stopped: the last error is reported with the quoted lead data and the key taken out', () => {
  const failing = { on: false };
  const w = connectedWorld({
    intercept: (req) =>
      failing.on && req.method === 'GET' && req.url.includes('/lead/')
        ? {
            status: 400,
            headers: { 'content-type': 'application/json' },
            // Close quoting the request back (the lead's name, even the key) is the worst case.
            body: JSON.stringify({ error: `Bad query for "${WAYNE}" with key ${API_KEY}` }),
          }
        : undefined,
  });
  failing.on = true;
  w.runtime.startExecution();
  expect(() => w.app.pullLeads({})).toThrow(WAYNE);
  const report = diagnose(w);
  const rows = section(report, 'Last sync errors');
  expect(rows).toEqual([
    {
      label: 'Your last pull',
      value:
        'Stopped: Could not load the custom fields from Close: Bad query for "…" with key [API key] (2026-11-28 04:00)',
      level: 'warn',
      action: 'Run it again; if it stops the same way, send this report to your Close Sync admin.',
    },
  ]);
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.display_name).toBe(WAYNE);
  expect(report.text).not.toContain(WAYNE);
  expect(report.text).not.toContain(API_KEY);
});

test('Help in the menu opens the sidebar, which then opens its Help panel (asked once)', () => {
  const w = connectedWorld();
  w.runtime.openDocument(w.app);
  w.runtime.clickMenu(w.app, 'Help');
  expect(w.runtime.ui.sidebars.map((s) => s.title)).toEqual(['Close Sync']);
  w.runtime.startExecution();
  expect(w.app.takeHelpRequest()).toBe(true);
  w.runtime.startExecution();
  expect(w.app.takeHelpRequest()).toBe(false);
  // An ordinary Open sidebar does not open Help.
  w.runtime.clickMenu(w.app, 'Open sidebar');
  w.runtime.startExecution();
  expect(w.app.takeHelpRequest()).toBe(false);
});

test('a scheduled refresh Close refused: the trigger, the schedule and the failure, each with what to do', () => {
  const failing = { on: false };
  const w = connectedWorld({
    intercept: (req) =>
      failing.on && req.method === 'GET' && req.url.includes('/lead/')
        ? {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ error: `Cannot read "${WAYNE}"` }),
          }
        : undefined,
  });
  runToEnd(w, w.app.pullLeads({}));
  w.app.setSchedule({ every: 'hour', hours: 1 });
  failing.on = true;
  w.clock.advance(3_600_000);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  const report = diagnose(w);
  const [trigger, schedule] = section(report, 'Background timer and schedules');
  expect(trigger).toEqual({ label: 'Your trigger', value: 'Every hour (scheduled refresh)', level: 'ok' });
  expect(schedule).toEqual({
    label: `Schedule of "${SHEET}"`,
    value:
      'Every hour, set by rep@example.com; last run 2026-11-28 05:00: failed; next about 2026-11-28 06:00',
    level: 'warn',
    action: 'The next run tries again; see "Last sync errors" below for why it failed.',
  });
  const errors = section(report, 'Last sync errors');
  // The quoted lead name Close sent back is gone from both.
  expect(errors).toEqual([
    {
      label: 'Your last pull',
      value: 'Stopped: Could not load the custom fields from Close: Cannot read "…" (2026-11-28 05:00)',
      level: 'warn',
      action: 'Run it again; if it stops the same way, send this report to your Close Sync admin.',
    },
    {
      label: `Scheduled refresh of "${SHEET}"`,
      value:
        'failed 2026-11-28 05:00: Could not load the custom fields from Close: Cannot read "…". The schedule stays on: the next run tries again.',
      level: 'warn',
      action: 'The next run tries again by itself; the Close Sync Log sheet lists every run.',
    },
  ]);
  expect(report.text).not.toContain(WAYNE);
});
