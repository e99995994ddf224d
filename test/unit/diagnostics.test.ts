// The diagnostics' pure parts: redaction, byte counts against the property quotas, the rows each
// fact becomes (with what to do), and the plain-text report.
import {
  budgetRows,
  describeTimer,
  propertyFacts,
  sheetCostSection,
  storageSection,
  syncErrorsSection,
  timerSection,
  utf8Bytes,
} from '../../src/core/diagnostics/checks';
import { diagnosticsText, redact } from '../../src/core/diagnostics/report';

describe('redact', () => {
  test('quoted text goes, unless it is a sheet name; keys go wherever they are', () => {
    expect(
      redact(
        'Invalid choice "Acme “Big” Corp" in “Close Leads” for ‘Ann’, key api_abc.DEF-123 and Basic YXBpX2FiYzo=',
        ['Close Leads'],
      ),
    ).toBe('Invalid choice "…" in “Close Leads” for ‘…’, key [API key] and [API key]');
    expect(redact('Close didn’t answer "Leads"', ['Leads'])).toBe('Close didn’t answer "Leads"');
  });

  test('a secret given is taken out even when it does not look like a key', () => {
    expect(redact('sent with secret-xyz-42 twice: secret-xyz-42', [], ['secret-xyz-42'])).toBe(
      'sent with [API key] twice: [API key]',
    );
  });
});

describe('property storage', () => {
  test('bytes are UTF-8 bytes of keys and values, as Buffer counts them', () => {
    for (const s of ['plain', 'Zürich', '東京', '😀 emoji', ''])
      expect(utf8Bytes(s)).toBe(Buffer.byteLength(s));
    expect(propertyFacts({ a: 'Zürich', bb: 'x' })).toEqual({
      keys: 2,
      bytes: 1 + 7 + 2 + 1,
      largestValueBytes: 7,
    });
  });

  test('a store at 80% of 500 kB, or a value at 80% of 9 kB, warns with what to do; a full one is an error', () => {
    const [doc, user] = storageSection(
      { keys: 3, bytes: 400_000, largestValueBytes: 100 },
      { keys: 1, bytes: 7_300, largestValueBytes: 7_200 },
    ).rows;
    expect(doc).toMatchObject({
      level: 'warn',
      value: '400 kB of 500 kB (80%) in 3 keys; largest value 0.1 kB of 9 kB',
    });
    expect(doc.action).toMatch(/^Pull definitions, schedules and job records/);
    expect(user).toMatchObject({
      level: 'warn',
      value: '7.3 kB of 500 kB (1%) in 1 key; largest value 7.2 kB of 9 kB',
    });
    expect(
      storageSection({ keys: 1, bytes: 500_000, largestValueBytes: 9 }, 'no permission').rows,
    ).toMatchObject([{ level: 'error' }, { level: 'error', value: 'Could not be read: no permission' }]);
  });
});

test('rate budgets: what is left in the window, or the limit once the window is over', () => {
  const now = 1_000_000;
  expect(
    budgetRows(
      {
        'PUT /lead/{id}/': { limit: 160, remaining: 12, resetAt: now + 4_200 },
        'GET /lead/': { limit: 320, remaining: 0, resetAt: now - 1 },
        'POST /data/search/': { limit: null, remaining: 3, resetAt: now + 500 },
        'GET /broken/': { limit: 5 } as never,
      },
      now,
    ),
  ).toEqual([
    { label: 'Rate budget GET /lead/', value: '320 per window (window over: full again)', level: 'info' },
    {
      label: 'Rate budget POST /data/search/',
      value: '3 of unknown limit left, window resets in 1 s',
      level: 'info',
    },
    { label: 'Rate budget PUT /lead/{id}/', value: '12 of 160 left, window resets in 5 s', level: 'info' },
  ]);
});

test('the trigger: described from its note, and a noted trigger Apps Script lacks is a warning', () => {
  expect(describeTimer('once')).toBe(
    'One-off run in about a minute (continues a pull or push, or runs a due refresh)',
  );
  expect(describeTimer('every4h')).toBe('Every 4 hours (scheduled refresh)');
  expect(describeTimer('every1h')).toBe('Every hour (scheduled refresh)');
  expect(describeTimer('day@7')).toBe('Every day at 07:00 (scheduled refresh)');
  const [trigger, schedule] = timerSection({ notedKey: 'day@7', triggers: 0 }, [
    {
      sheetName: 'Close Leads',
      description: 'Every day at 07:00',
      setBy: 'ann@acme.test',
      paused: "Close rejected ann@acme.test's API key.",
      last: { outcome: 'failed', finished: '2026-11-28 07:01' },
      next: null,
    },
  ]).rows;
  expect(trigger.level).toBe('warn');
  expect(trigger.value).toBe(
    'Every day at 07:00 (scheduled refresh): noted, but Apps Script has no such trigger',
  );
  expect(schedule).toEqual({
    label: 'Schedule of "Close Leads"',
    value:
      "Every day at 07:00, set by ann@acme.test; last run 2026-11-28 07:01: failed; paused: Close rejected ann@acme.test's API key.",
    level: 'warn',
    action: 'ann@acme.test connects again in the sidebar (the schedule then resumes by itself).',
  });
});

test('spreadsheet speed: per cell is what the write and read-back cost beyond their two calls', () => {
  expect(sheetCostSection({ cost: { callMs: 80, cells: 1000, writeReadMs: 190 } }).rows).toEqual([
    { label: 'One service call', value: '80 ms', level: 'ok' },
    { label: 'Per cell', value: '30 µs (1000 cells written and read back in 190 ms)', level: 'ok' },
    { label: 'Scratch sheet', value: 'Made, measured and removed', level: 'ok' },
  ]);
  const slow = sheetCostSection({
    cost: { callMs: 1200, cells: 1000, writeReadMs: 3400 },
    leftover: 'Close Sync diagnostics x',
  });
  expect(slow.rows.map((r) => r.level)).toEqual(['warn', 'warn', 'warn']);
  expect(slow.rows[2].action).toBe(
    'Delete the sheet "Close Sync diagnostics x" (it holds only test numbers).',
  );
});

test('the text: a header, each section, a level per row and "What to do" under the rows that need it', () => {
  expect(
    diagnosticsText({
      version: '1.2.3',
      generatedAt: '2026-11-28 09:00 (Europe/Berlin)',
      sections: [
        {
          title: 'Close',
          rows: [
            { label: 'Connection', value: 'Not connected', level: 'warn', action: 'Connect.' },
            { label: 'Budget', value: 'none', level: 'info' },
          ],
        },
      ],
    }),
  ).toBe(
    [
      'Close Sync diagnostics — version 1.2.3, 2026-11-28 09:00 (Europe/Berlin)',
      '',
      'Close',
      '  [WARN] Connection: Not connected',
      '        What to do: Connect.',
      '  [--] Budget: none',
      '',
    ].join('\n'),
  );
});

test('last sync errors: an unfinished job says how to resume it; its own stop is not listed twice', () => {
  const job = {
    kind: 'push',
    sheetName: 'Close Leads',
    steps: 3,
    error: 'Close had a server error (502); try again later',
  };
  expect(
    syncErrorsSection({
      job,
      stopped: { action: 'push', message: `Stopped: ${job.error}`, at: '2026-11-28 09:00' },
      scheduled: [],
    }).rows,
  ).toEqual([
    {
      label: 'Unfinished push of "Close Leads"',
      value: 'stopped after 3 steps: Close had a server error (502); try again later',
      level: 'error',
      action: 'Continue or cancel it in the sidebar (the Changes section). Nothing it wrote is lost.',
    },
  ]);
  expect(syncErrorsSection({ job: null, stopped: null, scheduled: [] }).rows).toEqual([
    { label: 'Errors', value: 'None recorded', level: 'ok' },
  ]);
});
