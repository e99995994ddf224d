// Big organizations, Apps Script's limits and faults: every lead exactly once, every edit applied
// exactly once or reported on its row.
import { buildBulkOrg, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld, makeWorld, runToEnd, type World } from './harness';
import { SHEET, cell, edit, sheetIds, view } from './sheet';
import { FakeSpreadsheet as Book } from '../../dev/gas-fakes';

jest.setTimeout(120_000);

const SIX_MINUTES = 6 * 60_000;

function closeOrder(w: World): string[] {
  return [...w.close.leads.values()]
    .sort((a, b) =>
      a.date_created < b.date_created ? -1 : a.date_created > b.date_created ? 1 : a.id < b.id ? -1 : 1,
    )
    .map((l) => l.id);
}

/** Successful PUTs per lead, from Close's own log. */
function appliedPuts(w: World): Map<string, number> {
  const applied = new Map<string, number>();
  for (const e of w.close.log)
    if (e.method === 'PUT' && e.status === 200) applied.set(e.path, (applied.get(e.path) ?? 0) + 1);
  return applied;
}

test('50,000 leads with 20% 429s, 5% 5xx and 1% UrlFetch exceptions, under the 6-minute limit: every lead exactly once, in order', () => {
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 50_000, customFields: 40 }),
    // Slow waves make the pull need several executions.
    gas: { fetchLatencyMs: 20_000, spreadsheetCallMs: 30, maxExecutionMs: SIX_MINUTES },
  });
  w.close.setRandomFaults({ seed: 7, rate429: 0.2, rate5xx: 0.05, rateThrow: 0.01 });
  w.runtime.startExecution();
  const { outcome, steps } = runToEnd(w, w.app.pullLeads({}));
  expect(outcome).toMatchObject({ done: true, leads: 50_000, added: 50_000 });
  expect(steps).toBeGreaterThan(1);
  const ids = sheetIds(w);
  expect(ids).toHaveLength(50_000);
  expect(new Set(ids).size).toBe(50_000);
  expect(ids).toEqual(closeOrder(w));
  expect(w.close.log.filter((e) => e.status === 429).length).toBeGreaterThan(0);
  expect(w.runtime.triggers).toEqual([]);
  expect(w.app.getSyncStatus().job).toBeNull();
});

describe('a push of 2,000 edits', () => {
  /** Rows (sheet row numbers) whose lead a colleague changes in Close after the pull: conflicts. */
  const COLLEAGUE_ROWS = [2, 402, 802, 1202, 1602, 2001];

  function edits(w: World): Map<string, { row: number; was: string }> {
    const v = view(w);
    const [col, idAt] = [v.col('Description'), v.col('Lead ID') - 1];
    const edited = new Map<string, { row: number; was: string }>();
    for (let r = 2; r < 2002; r++) {
      edited.set(String(v.rows[r - 1][idAt]), { row: r, was: String(v.rows[r - 1][col - 1]) });
      w.runtime.spreadsheet.userEdit(SHEET, [r, col], `new description ${r}`);
    }
    for (const r of COLLEAGUE_ROWS)
      w.close.touchLead(String(v.rows[r - 1][idAt]), { description: `colleague ${r}` });
    w.close.log.length = 0;
    return edited;
  }

  function editedWorld() {
    const w = connectedWorld({
      org: buildBulkOrg({ leads: 2_500, customFields: 5 }),
      close: { apiKeys: ['api_test_key_1', 'api_test_key_2'] },
      gas: { fetchLatencyMs: 250, maxExecutionMs: SIX_MINUTES },
    });
    runToEnd(w, w.app.pullLeads({}));
    return { w, edited: edits(w) };
  }

  /**
   * Every lead's outcome, on its row and in Close: each edit applied exactly once, or a conflict left
   * alone; `already`: leads whose PUT Close applied in a step that died before recording it.
   */
  function expectEachLead(
    w: World,
    edited: Map<string, { row: number; was: string }>,
    already = new Set<string>(),
  ) {
    const applied = appliedPuts(w);
    const v = view(w);
    const [idAt, statusAt] = [v.col('Lead ID') - 1, v.col('Sync status') - 1];
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const row of v.rows.slice(1)) {
      const id = String(row[idAt]);
      const status = String(row[statusAt]).replace(/ · \d{4}-\d\d-\d\d \d\d:\d\d$/, '');
      outcomes.push(
        `${id} ${status} ${applied.get(`/lead/${id}/`) ?? 0} ${w.close.leads.get(id)!.description}`,
      );
      const e = edited.get(id);
      if (!e) expected.push(`${id} unchanged 0 ${w.close.leads.get(id)!.description}`);
      else if (COLLEAGUE_ROWS.includes(e.row))
        expected.push(
          `${id} conflict: Description changed in Close since your pull: Close has "colleague ${e.row}", you have "new description ${e.row}" (was ${JSON.stringify(e.was)}). Not sent. 0 colleague ${e.row}`,
        );
      else
        expected.push(
          `${id} ${already.has(id) ? 'already up to date in Close' : 'updated'} 1 new description ${e.row}`,
        );
    }
    expect(outcomes).toEqual(expected);
    expect(applied.size).toBe(2_000 - COLLEAGUE_ROWS.length);
    w.close.log.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({
      done: true,
      updated: 0,
      failed: 0,
      conflicts: COLLEAGUE_ROWS.length,
    });
    expect(w.close.log.filter((e) => e.method === 'PUT')).toEqual([]);
  }

  test('killed by the time limit mid-step, then resumed: each edit applied exactly once, each lead its outcome', () => {
    const { w, edited } = editedWorld();
    // The execution has already used 5 of its 6 minutes (a slow spreadsheet, say): the push starts,
    // and Apps Script kills it about 60 seconds in, between two waves of PUTs.
    w.runtime.startExecution();
    w.clock.advance(5 * 60_000);
    expect(() => w.app.pushChanges({})).toThrow('Exceeded maximum execution time');
    const early = new Set([...appliedPuts(w).keys()].map((path) => path.split('/')[2]));
    expect(early.size).toBeGreaterThan(0);
    expect(early.size).toBeLessThan(2_000);
    // The rep pushes again (a killed first step left no job to continue): applied edits are not resent,
    // the conflict check finds them already in Close.
    w.runtime.startExecution();
    expect(runToEnd(w, w.app.pushChanges({})).outcome).toMatchObject({
      done: true,
      updated: 2_000 - COLLEAGUE_ROWS.length,
      conflicts: COLLEAGUE_ROWS.length,
      failed: 0,
      invalid: 0,
    });
    expectEachLead(w, edited, early);
  });

  test('stopped by a revoked key, reconnected, resumed: each edit applied exactly once, each lead its outcome', () => {
    let puts = 0;
    const holder: { w?: World } = {};
    const w = connectedWorld({
      org: buildBulkOrg({ leads: 2_500, customFields: 5 }),
      close: { apiKeys: ['api_test_key_1', 'api_test_key_2'] },
      gas: { fetchLatencyMs: 250, maxExecutionMs: SIX_MINUTES },
      intercept: (req) => {
        if (req.method === 'PUT' && ++puts === 700) holder.w!.close.revokeKey('api_test_key_1');
        return undefined;
      },
    });
    holder.w = w;
    runToEnd(w, w.app.pullLeads({}));
    const edited = edits(w);
    w.runtime.startExecution();
    expect(() => w.app.pushChanges({})).toThrow(
      'Close rejected the API key (401). Reconnect in the sidebar with a valid API key. Then resume the push: nothing is lost.',
    );
    expect(w.app.getSyncStatus().job).toMatchObject({ kind: 'push' });
    expect(appliedPuts(w).size).toBe(699);
    // PUTs Close applied in the wave the 401 stopped were never recorded: the resumed push finds them in Close.
    const v = view(w);
    const unrecorded = new Set(
      [...appliedPuts(w).keys()]
        .map((path) => path.split('/')[2])
        .filter((id) => !String(v.cell(id, 'Sync status')).startsWith('updated · ')),
    );
    expect(unrecorded.size).toBe(1);
    w.app.saveApiKey('api_test_key_2');
    w.runtime.startExecution();
    expect(runToEnd(w, w.app.continueSync()).outcome).toMatchObject({
      done: true,
      updated: 2_000 - COLLEAGUE_ROWS.length,
      conflicts: COLLEAGUE_ROWS.length,
      failed: 0,
      unchanged: 500,
    });
    expectEachLead(w, edited, unrecorded);
  });
});

test('two people pushing the same sheet: the second is told who is syncing, and nothing interleaves', () => {
  const book = new Book({ timeZone: 'America/New_York' });
  const hook: { during?: () => void } = {};
  const ann = connectedWorld({
    gas: { spreadsheet: book, userEmail: 'ann@acme.test' },
    intercept: (req) => {
      if (req.method === 'PUT' && hook.during) {
        const during = hook.during;
        hook.during = undefined;
        during();
      }
      return undefined;
    },
  });
  ann.app.pullLeads({});
  edit(ann, WAYNE_LEAD_ID, 'Description', "Ann's edit");
  const bob = makeWorld({ gas: { spreadsheet: book, userEmail: 'bob@acme.test', clock: ann.clock } });
  bob.app.saveApiKey('api_test_key_1');
  let bobSaw = '';
  // Bob clicks Push while Ann's push is talking to Close.
  hook.during = () => {
    try {
      bob.app.pushChanges({});
    } catch (e) {
      bobSaw = (e as Error).message;
    }
  };
  expect(ann.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
  expect(bobSaw).toBe(
    'A sync is running (push started by ann@acme.test at 2026-11-28 04:00). Try again when it has finished.',
  );
  expect(bob.runtime.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  expect(ann.close.leads.get(WAYNE_LEAD_ID)!.description).toBe("Ann's edit");
  // Once Ann is done, Bob can push (nothing left to send).
  expect(bob.app.pushChanges({})).toMatchObject({ done: true, updated: 0 });
});

test('a value longer than a cell is truncated visibly, never pushed from the sheet, and never an exception', () => {
  const w = makeWorld();
  const long = `${'Bat cave inventory. '.repeat(3500)}END`;
  w.close.touchLead(WAYNE_LEAD_ID, { description: long });
  w.app.saveApiKey('api_test_key_1');
  w.app.pullLeads({});
  const shown = cell(w, WAYNE_LEAD_ID, 'Description') as string;
  expect(long.length).toBeGreaterThan(50_000);
  expect(shown).toHaveLength(50_000);
  expect(shown.endsWith(' …[truncated: edit in Close]')).toBe(true);
  expect(w.app.previewChanges({}).items).toEqual([]);
  edit(w, WAYNE_LEAD_ID, 'Description', 'shorter');
  expect(w.app.previewChanges({}).items).toMatchObject([
    {
      leadId: WAYNE_LEAD_ID,
      field: 'Description',
      state: 'invalid',
      message: 'The Close value is too long for a cell; edit it in Close',
    },
  ]);
  w.app.pushChanges({});
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe(long);
});

test('a pull that would not fit in the spreadsheet says what to do and changes nothing', () => {
  // 9,973,000 cells used elsewhere: room for a new sheet, not for this pull (a sheet of 1000 × 26 and
  // its snapshot of 1000 × 2).
  const book = new Book({
    timeZone: 'America/New_York',
    sheets: [{ name: 'Big data', rows: 199_460, columns: 50 }],
  });
  const w = connectedWorld({ gas: { spreadsheet: book } });
  expect(() => w.app.pullLeads({})).toThrow(
    'This pull does not fit in a spreadsheet: 300 leads × 26 columns need about 28,000 cells, and Google Sheets holds at most 10,000,000 (other sheets here use 9,973,000). Pull fewer fields, or a Smart View with fewer leads, or use a new spreadsheet. Nothing was changed.',
  );
  expect(book.sheets.map((s) => s.name)).toEqual(['Big data']);
  expect(w.app.getSyncStatus().job).toBeNull();
});

test('400 leads created in the same microsecond across a window boundary: every lead exactly once in the sheet', () => {
  const org = buildBulkOrg({ leads: 10_600, customFields: 3 });
  const sorted = [...org.leads].sort((a, b) => (a.date_created < b.date_created ? -1 : 1));
  const stamp = sorted[10_000].date_created;
  for (let i = 10_000; i < 10_400; i++) sorted[i].date_created = stamp;
  const w = connectedWorld({ org });
  expect(runToEnd(w, w.app.pullLeads({})).outcome).toMatchObject({ done: true, added: 10_600 });
  const ids = sheetIds(w);
  expect(ids).toHaveLength(10_600);
  expect(new Set(ids).size).toBe(10_600);
});
