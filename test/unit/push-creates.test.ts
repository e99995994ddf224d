// New rows becoming leads exactly once (push.ts pushCreates, pending-create.ts), run from src/ through the
// core world: the pending mark each row gets in its Sync status before its POST, the search for an
// earlier unanswered create and what each of its answers does (adopt the lead, create it now, refuse
// to guess between two, wait when the search fails), and the statuses and Lead IDs the rep sees.
import { buildSampleOrg } from '../../dev/fake-close';
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { PUSH_LOG_SHEET } from '../../src/core/sync/push-log';
import { deadlineAfter } from '../../src/core/sync/job';
import { newPushJob, runPushStep } from '../../src/core/sync/push';
import { type CoreWorld, coreWorld, STAMP, searchCall } from './core-world';

const pulled = (): CoreWorld => {
  const w = coreWorld({ org: buildSampleOrg({ leads: 12 }) });
  w.pull();
  w.clearSent();
  return w;
};
/** The virtual clock's start, as a pending mark writes it. */
const T0 = '2026-11-28T09:00:00.000Z';
const mark = (at: string, name: string) => `[pending create ${at} as ${JSON.stringify(name)}]`;
/** A minute after the start, as a status stamp. */
const LATER = '2026-11-28 04:01';
/** The client's words for a create answered 504, and the note that replaces its advice. */
const GATEWAY = 'Close had a server error (504); try again later';
const mayHaveCreated = (at: string, name: string) =>
  `Close may have created it anyway: the next push looks for it before creating it again ${mark(at, name)}`;
const SUMMARY = (updated: number, created: number, failed: number) =>
  `Pushed: ${updated} updated, ${created} created, ${failed} failed, 0 with conflicts, 0 with invalid values, 12 unchanged.`;

/** Each POST answered 504 after Close carried it out (a gateway that gave up waiting). */
const lostAnswers = (w: CoreWorld, times: number, afterApply = true) =>
  w.close.injectFaults([{ match: { method: 'post', pathPrefix: '/lead/' }, status: 504, afterApply, times }]);
/** The searches for earlier creates (GET /lead/?query=…): their query and limit. */
const lookups = (w: CoreWorld) =>
  w
    .sent('get')
    .filter((r) => r.path.startsWith('/lead/?'))
    .map((r) => {
      const q = new URLSearchParams(r.path.slice('/lead/?'.length));
      return [q.get('query'), q.get('_limit')];
    });
const lookup = (name: string, from = '2026-11-28T08:50:00.000Z') => [
  `date_created >= "${from}" name:"${name}" sort:created`,
  '200',
];
const posts = (w: CoreWorld) => w.sent('post').filter((r) => r.path === '/lead/');
const named = (w: CoreWorld, name: string) =>
  [...w.close.leads.values()].filter((l) => l.name === name).map((l) => l.id);
/** The push log's rows: Lead ID, Lead name, Field key, Field, Before, After. */
const logRows = (w: CoreWorld) =>
  (w.runtime.spreadsheet.dump(PUSH_LOG_SHEET) as unknown[][]).slice(1).map((r) => r.slice(4, 10));
/** A row's Lead ID, Name and Sync status. */
const rowAt = (w: CoreWorld, row: number) =>
  ['Lead ID', 'Name', 'Sync status'].map((h) => w.rows()[row - 1][w.col(h) - 1]);

/**
 * One create per 18 s, and 15-second steps: a first push created `Initech` (the new row at `row`) and
 * spent the window, so the next push's first step cannot wait for its create; a later step can (each
 * starts a second after the last).
 */
const createWindowSpent = () => {
  const w = coreWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: { rateLimits: { 'POST /lead/': { limit: 1, windowMs: 18_000 } } },
  });
  w.pull();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.push();
  return { w, row };
};

test('each new row is marked pending before its POST; an answer lost after Close applied it leaves the mark; the next push finds the lead by the name sent and adopts it, never creating a second', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Name', 'Globex');
  w.type(row + 1, 'Description', 'Explosive');
  let atPost: unknown[] = [];
  w.before(
    (r) => r.method === 'post' && r.url.endsWith('/lead/'),
    () => {
      atPost = [rowAt(w, row)[2], rowAt(w, row + 1)[2]];
    },
  );
  lostAnswers(w, 2);
  const first = w.push();
  expect(atPost).toEqual([`creating… ${mark(T0, 'Initech')}`, `creating… ${mark(T0, 'Globex')}`]);
  expect(posts(w)).toEqual([
    { method: 'post', path: '/lead/', body: { name: 'Initech' } },
    { method: 'post', path: '/lead/', body: { name: 'Globex', description: 'Explosive' } },
  ]);
  const lost = (name: string) => `error: ${GATEWAY}; ${mayHaveCreated(T0, name)} · ${STAMP}`;
  expect([rowAt(w, row), rowAt(w, row + 1)]).toEqual([
    ['', 'Initech', lost('Initech')],
    ['', 'Globex', lost('Globex')],
  ]);
  // The summary keeps each message to its first 200 characters (the job record is small).
  expect(first).toMatchObject({
    created: 0,
    failed: 2,
    message: SUMMARY(0, 0, 2),
    results: [
      { row, leadId: '', leadName: 'Initech', outcome: 'error', message: lost('Initech').slice(0, 200) },
      {
        row: row + 1,
        leadId: '',
        leadName: 'Globex',
        outcome: 'error',
        message: lost('Globex').slice(0, 200),
      },
    ],
  });
  expect(lost('Initech').length).toBeGreaterThan(200);
  const [initech] = named(w, 'Initech');
  const [globex] = named(w, 'Globex');

  // The rep renames one row and rewrites its Description before pushing again: Close holds it under the
  // name that was sent, with the Description sent.
  w.type(row + 1, 'Name', 'Globex Corp');
  w.type(row + 1, 'Description', 'Very explosive');
  w.clock.advance(60_000);
  w.clearSent();
  const second = w.push();
  expect(lookups(w)).toEqual([lookup('Initech'), lookup('Globex')]);
  expect(posts(w)).toEqual([]);
  expect(second).toMatchObject({ created: 2, failed: 0, results: [], message: SUMMARY(0, 2, 0) });
  expect([rowAt(w, row), rowAt(w, row + 1)]).toEqual([
    [initech, 'Initech', `created; the earlier create had reached Close: not created again · ${LATER}`],
    [
      globex,
      'Globex Corp',
      `created; the earlier create had reached Close as "Globex": not created again; push again to send what you changed since (Name, Description) · ${LATER}`,
    ],
  ]);

  // The push log (what undo reads) has each adopted lead as created, under the name Close holds.
  expect(logRows(w)).toEqual([
    [initech, 'Initech', '', 'New lead', '', '"Initech"'],
    [globex, 'Globex Corp', '', 'New lead', '', '"Globex"'],
  ]);
  // The adopted leads' values are the snapshot's: the next push sends what changed since, and nothing else.
  w.clearSent();
  expect(w.push().updated).toBe(1);
  expect(w.leadCalls()).toEqual([
    searchCall([globex], ['name', 'description']),
    { method: 'put', path: `/lead/${globex}/`, body: { name: 'Globex Corp', description: 'Very explosive' } },
  ]);
  expect(named(w, 'Initech')).toEqual([initech]);
  expect(named(w, 'Globex Corp')).toEqual([globex]);
});

test('a create whose lost answer came before Close applied it: the search finds nothing, so the row is created then, once, marked anew; POSTs go in row order; a mark of an older version (no name) is searched by the row’s Name', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  lostAnswers(w, 1, false);
  w.push();
  expect(named(w, 'Initech')).toEqual([]);
  expect(rowAt(w, row)).toEqual([
    '',
    'Initech',
    `error: ${GATEWAY}; ${mayHaveCreated(T0, 'Initech')} · ${STAMP}`,
  ]);
  // A new row below it, and one marked by an older version of the add-on.
  w.type(row + 1, 'Name', 'Globex');
  w.type(row + 2, 'Name', 'Hooli');
  w.type(row + 2, 'Sync status', 'creating… [pending create 2026-11-28T08:30:00.000Z]');
  w.clock.advance(60_000);
  w.clearSent();
  let atPost: unknown[] = [];
  w.before(
    (r) => r.method === 'post' && r.url.endsWith('/lead/'),
    () => {
      atPost = [row, row + 1, row + 2].map((r) => rowAt(w, r)[2]);
    },
  );
  expect(w.push()).toMatchObject({ created: 3, failed: 0, results: [], message: SUMMARY(0, 3, 0) });
  expect(lookups(w)).toEqual([lookup('Initech'), lookup('Hooli', '2026-11-28T08:20:00.000Z')]);
  const T1 = '2026-11-28T09:01:00.000Z';
  expect(atPost).toEqual([
    `creating… ${mark(T1, 'Initech')}`,
    `creating… ${mark(T1, 'Globex')}`,
    `creating… ${mark(T1, 'Hooli')}`,
  ]);
  expect(posts(w)).toEqual(
    ['Initech', 'Globex', 'Hooli'].map((name) => ({ method: 'post', path: '/lead/', body: { name } })),
  );
  expect([row, row + 1, row + 2].map((r) => rowAt(w, r))).toEqual([
    [named(w, 'Initech')[0], 'Initech', `created · ${LATER}`],
    [named(w, 'Globex')[0], 'Globex', `created · ${LATER}`],
    [named(w, 'Hooli')[0], 'Hooli', `created · ${LATER}`],
  ]);
});

test('two leads of the name sent created since: neither is adopted, the row names both and keeps its mark, so pushing again creates no third', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  lostAnswers(w, 1);
  w.push();
  const [ours] = named(w, 'Initech');
  // Someone creates another Initech a second later (the add-on cannot tell which one is the row's).
  w.clock.advance(1_000);
  w.deps.client.callAll([{ method: 'post', path: '/lead/', body: { name: 'Initech' } }]);
  const both = [ours, named(w, 'Initech').find((id) => id !== ours)];
  const refused = `error: 2 leads named "Initech" were created in Close since this row's earlier create went unanswered (${both.join(', ')}): not created again. Put the right one's Lead ID in this row, then push. ${mark(T0, 'Initech')} · ${STAMP}`;
  for (let push = 0; push < 2; push++) {
    w.clearSent();
    expect(w.push()).toMatchObject({ created: 0, failed: 1, message: SUMMARY(0, 0, 1) });
    expect(lookups(w)).toEqual([lookup('Initech')]);
    expect(posts(w)).toEqual([]);
    expect(rowAt(w, row)).toEqual(['', 'Initech', refused]);
  }
  expect(named(w, 'Initech')).toEqual(both);
});

test('the search for an earlier create fails: nothing is created, the mark stays, and the next push searches again and adopts the lead', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  lostAnswers(w, 1);
  w.push();
  const [initech] = named(w, 'Initech');
  w.close.injectFaults([{ match: { method: 'get', pathPrefix: '/lead/' }, status: 500, times: 5 }]);
  w.clearSent();
  const unchecked = `error: Could not check whether the earlier create reached Close (Close had a server error (500); try again later): not created. Push again. ${mark(T0, 'Initech')} · ${STAMP}`;
  expect(w.push()).toMatchObject({
    created: 0,
    failed: 1,
    message: SUMMARY(0, 0, 1),
    results: [{ row, leadId: '', leadName: 'Initech', outcome: 'error', message: unchecked.slice(0, 200) }],
  });
  // The client tried the search five times (a GET is safe to repeat).
  expect(lookups(w)).toEqual(Array(5).fill(lookup('Initech')));
  expect(posts(w)).toEqual([]);
  expect(rowAt(w, row)).toEqual(['', 'Initech', unchecked]);
  w.clearSent();
  expect(w.push()).toMatchObject({ created: 1, failed: 0 });
  expect(lookups(w)).toEqual([lookup('Initech')]);
  expect(posts(w)).toEqual([]);
  expect(rowAt(w, row)).toEqual([
    initech,
    'Initech',
    `created; the earlier create had reached Close: not created again · ${STAMP}`,
  ]);
});

test('a sheet without a Sync status column: no mark can be kept, so a create that may have been applied says to check Close', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.sheet().deleteColumn(w.col('Sync status'));
  lostAnswers(w, 1);
  expect(w.push()).toMatchObject({
    created: 0,
    failed: 1,
    results: [
      {
        row,
        leadId: '',
        leadName: 'Initech',
        outcome: 'error',
        message: `error: ${GATEWAY}. It may have been applied: check Close before pushing again. · ${STAMP}`,
      },
    ],
  });
  expect(posts(w)).toEqual([{ method: 'post', path: '/lead/', body: { name: 'Initech' } }]);
});

test('a row inserted above while the updates run: each new row’s mark, and then its Lead ID, land on the row where it is now', () => {
  const w = pulled();
  const [lead] = [...w.close.leads.keys()].sort();
  w.edit(lead, 'Description', 'edited');
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.before(
    (r) => r.method === 'put',
    () => w.sheet().insertRowBefore(2),
  );
  let atPost: unknown[] = [];
  w.before(
    (r) => r.method === 'post' && r.url.endsWith('/lead/'),
    () => {
      atPost = [rowAt(w, 2), rowAt(w, row + 1)];
    },
  );
  expect(w.push()).toMatchObject({ updated: 1, created: 1, failed: 0 });
  expect(atPost).toEqual([
    ['', '', ''],
    ['', 'Initech', `creating… ${mark(T0, 'Initech')}`],
  ]);
  expect([rowAt(w, 2), rowAt(w, row + 1)]).toEqual([
    ['', '', ''],
    [named(w, 'Initech')[0], 'Initech', `created · ${STAMP}`],
  ]);
  expect(w.cell(lead, 'Sync status')).toBe(`updated · ${STAMP}`);
});

test('a new row renamed or deleted while the updates run is not created by that push (its Lead ID would have no row to go to, and the next push would create it again); the next push creates the renamed one, once', () => {
  const w = pulled();
  const [lead] = [...w.close.leads.keys()].sort();
  w.edit(lead, 'Description', 'edited');
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Name', 'Globex');
  w.type(row + 2, 'Name', 'Hooli');
  w.before(
    (r) => r.method === 'put',
    () => {
      w.type(row, 'Name', 'Initech Ltd');
      w.sheet().deleteRow(row + 1);
    },
  );
  expect(w.push()).toMatchObject({ updated: 1, created: 1, failed: 0 });
  expect(posts(w)).toEqual([{ method: 'post', path: '/lead/', body: { name: 'Hooli' } }]);
  expect([rowAt(w, row), rowAt(w, row + 1)]).toEqual([
    ['', 'Initech Ltd', ''],
    [named(w, 'Hooli')[0], 'Hooli', `created · ${STAMP}`],
  ]);
  w.clearSent();
  expect(w.push()).toMatchObject({ updated: 0, created: 1, failed: 0 });
  expect(posts(w)).toEqual([{ method: 'post', path: '/lead/', body: { name: 'Initech Ltd' } }]);
  expect(rowAt(w, row)).toEqual([named(w, 'Initech Ltd')[0], 'Initech Ltd', `created · ${STAMP}`]);
  expect(named(w, 'Initech')).toEqual([]);
});

test('a new row the rep deletes while its POST is in flight: the lead Close created has no row to go to, and every other row still gets its status', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Name', 'Globex');
  w.before(
    (r) => r.method === 'post' && r.url.endsWith('/lead/'),
    () => w.sheet().deleteRow(row),
  );
  expect(w.push()).toMatchObject({ created: 2, failed: 0 });
  expect(posts(w)).toEqual([
    { method: 'post', path: '/lead/', body: { name: 'Initech' } },
    { method: 'post', path: '/lead/', body: { name: 'Globex' } },
  ]);
  expect(w.rows().length).toBe(row);
  expect(rowAt(w, row)).toEqual([named(w, 'Globex')[0], 'Globex', `created · ${STAMP}`]);
  expect(
    w
      .rows()
      .slice(1, -1)
      .map((r) => r[w.col('Sync status') - 1]),
  ).toEqual(Array(12).fill(`unchanged · ${STAMP}`));
});

test('a contacts sheet: a new row is not created from it, and says where to add the contact', () => {
  const w = coreWorld({ org: buildSampleOrg({ leads: 12 }) });
  w.pull({ kind: 'contact', source: { type: 'all' }, fields: null });
  w.clearSent();
  const CONTACTS = 'Close Contacts';
  const book = w.runtime.spreadsheet;
  const header = (book.dump(CONTACTS) as unknown[][])[0] as string[];
  const row = (book.dump(CONTACTS) as unknown[][]).length + 1;
  book.userEdit(CONTACTS, [row, header.indexOf('Name') + 1], 'Ada Lovelace');
  const job = newPushJob({ sheetName: CONTACTS }, w.clock.now(), 'rep@acme.test', {
    kind: 'contact',
    fields: null,
  });
  const step = runPushStep(w.deps, job, deadlineAfter(w.deps.clock));
  const refused =
    'error: New contact rows are not created from this sheet: add the contact to its lead in Close, then pull';
  expect(step.summary).toMatchObject({
    created: 0,
    failed: 1,
    results: [{ row, leadId: '', leadName: '', outcome: 'error', message: `${refused} · ${STAMP}` }],
  });
  expect(w.sent('post')).toEqual([]);
  expect((book.dump(CONTACTS) as unknown[][])[row - 1][header.indexOf('Sync status')]).toBe(
    `${refused} · ${STAMP}`,
  );
});

test('a POST the step has no time left to send: its row gets back the status it had before its mark (a mark would make the next push search Close first), and the next step creates it, once, without searching', () => {
  // One create per 12 s: in 15-second steps, the wait for the next window lies past the step's stop.
  const w = coreWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: { rateLimits: { 'POST /lead/': { limit: 1, windowMs: 12_000 } } },
  });
  w.pull();
  w.clearSent();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Name', 'Globex');
  w.type(row + 1, 'Sync status', 'call them first');
  w.type(row + 2, 'Name', 'Hooli');
  // The rep deletes the third row while the POSTs are answered: its unsent POST has no row to go back to.
  w.before(
    (r) => r.method === 'post' && r.url.endsWith('/lead/'),
    () => w.sheet().deleteRow(row + 2),
  );
  const steps: Array<{ calls: unknown[]; rows: unknown[][] }> = [];
  const s = w.push({}, 15_000, () => {
    steps.push({ calls: w.leadCalls(), rows: [rowAt(w, row), rowAt(w, row + 1)] });
    w.clearSent();
  });
  const [initech] = named(w, 'Initech');
  const [globex] = named(w, 'Globex');
  const post = (name: string) => ({ method: 'post', path: '/lead/', body: { name } });
  expect(steps).toEqual([
    {
      // Globex's and Hooli's POSTs were answered 429 (nothing created); the next window is the next step's.
      calls: [post('Initech'), post('Globex'), post('Hooli')],
      rows: [
        [initech, 'Initech', `created · ${STAMP}`],
        ['', 'Globex', 'call them first'],
      ],
    },
    {
      calls: [post('Globex')],
      rows: [
        [initech, 'Initech', `created · ${STAMP}`],
        [globex, 'Globex', `created · ${STAMP}`],
      ],
    },
  ]);
  expect(s).toMatchObject({ created: 2, failed: 0, results: [], steps: 2 });
  expect(named(w, 'Hooli')).toEqual([]);
});

test('a search for an earlier create the step has no time left to send: its row keeps its mark and status, nothing is created for it, and the next step searches and adopts the lead', () => {
  // One lead listing per 12 s: in 15-second steps, the second search would wait past the step's stop.
  const w = coreWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: { rateLimits: { 'GET /lead/': { limit: 1, windowMs: 12_000 } } },
  });
  w.pull();
  // The pull's listing took the first window: the first push starts 12 s in.
  const t0 = new Date(w.clock.now()).toISOString();
  const since = new Date(w.clock.now() - 600_000).toISOString();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Name', 'Globex');
  lostAnswers(w, 2);
  w.push();
  const [initech] = named(w, 'Initech');
  const [globex] = named(w, 'Globex');
  const lost = `error: ${GATEWAY}; ${mayHaveCreated(t0, 'Globex')} · ${STAMP}`;
  w.clock.advance(60_000);
  w.clearSent();
  const steps: Array<{ lookups: unknown[]; posts: unknown[]; rows: unknown[][] }> = [];
  const s = w.push({}, 15_000, () => {
    steps.push({ lookups: lookups(w), posts: posts(w), rows: [rowAt(w, row), rowAt(w, row + 1)] });
    w.clearSent();
  });
  const adopted = (id: string, name: string, at: string) => [
    id,
    name,
    `created; the earlier create had reached Close: not created again · ${at}`,
  ];
  expect(steps).toEqual([
    {
      // Globex's search would wait for the next window, past the step's stop: it was not sent.
      lookups: [lookup('Initech', since)],
      posts: [],
      rows: [adopted(initech, 'Initech', LATER), ['', 'Globex', lost]],
    },
    {
      lookups: [lookup('Globex', since)],
      posts: [],
      rows: [adopted(initech, 'Initech', LATER), adopted(globex, 'Globex', LATER)],
    },
  ]);
  expect(s).toMatchObject({ created: 2, failed: 0, results: [], steps: 2 });
  expect([named(w, 'Initech'), named(w, 'Globex')]).toEqual([[initech], [globex]]);
});

test('a step that recorded updates before its creates: a POST waiting for the create window past the step’s stop goes in the next step (only a step with nothing recorded may wait longer)', () => {
  // One create a minute, and a spreadsheet writing 1 ms a character; 62-second steps. The second push
  // updates a lead, then its POST would wait for the window (60 s): past the stop of a step that has
  // something to record, so it goes in the next step, which may wait for it.
  const w = coreWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: { rateLimits: { 'POST /lead/': { limit: 1, windowMs: 60_000 } } },
  });
  w.pull();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, byteWriteUs: 1_000 };
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.push();
  const [lead] = [...w.close.leads.keys()].sort();
  w.edit(lead, 'Description', 'edited');
  w.type(row + 1, 'Name', 'Globex');
  w.clearSent();
  const steps: unknown[][] = [];
  const s = w.push({}, 62_000, () => {
    steps.push(w.sent().filter((r) => r.method === 'put' || r.path === '/lead/'));
    w.clearSent();
  });
  expect(steps).toEqual([
    [{ method: 'put', path: `/lead/${lead}/`, body: { description: 'edited' } }],
    [{ method: 'post', path: '/lead/', body: { name: 'Globex' } }],
  ]);
  expect(s).toMatchObject({ updated: 1, created: 1, failed: 0, steps: 2 });
  expect(rowAt(w, row + 1)).toEqual([named(w, 'Globex')[0], 'Globex', `created · ${STAMP}`]);
});

test('a spreadsheet so slow (10 s a call) that a create’s writes never fit a step: a step with nothing else recorded creates the row anyway, so the push ends', () => {
  const w = pulled();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, callMs: 10_000 };
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  const s = w.push({}, 60_000);
  expect(s).toMatchObject({ created: 1, failed: 0, steps: 1 });
  expect(posts(w)).toEqual([{ method: 'post', path: '/lead/', body: { name: 'Initech' } }]);
  expect(rowAt(w, row)).toEqual([named(w, 'Initech')[0], 'Initech', `created · ${STAMP}`]);
});

test('a step whose only POST cannot be sent in time, with nothing else recorded: its row still gets its status back, and a later step creates it without searching first', () => {
  const { w, row } = createWindowSpent();
  w.type(row + 1, 'Name', 'Globex');
  w.type(row + 1, 'Sync status', 'call them first');
  w.clearSent();
  const statuses: unknown[] = [];
  const s = w.push({}, 15_000, () => statuses.push(rowAt(w, row + 1)[2]));
  // Each step that could not send the POST gave the row its status back (no mark left to search by).
  expect(statuses).toEqual([...Array(5).fill('call them first'), `created · ${STAMP}`]);
  expect(lookups(w)).toEqual([]);
  expect(posts(w)).toEqual([{ method: 'post', path: '/lead/', body: { name: 'Globex' } }]);
  expect(s).toMatchObject({ created: 1, failed: 0, steps: 6 });
  expect(rowAt(w, row + 1)).toEqual([named(w, 'Globex')[0], 'Globex', `created · ${STAMP}`]);
});

test('a new row whose POST cannot be sent in time, its Sync status `=` text: the text is not written back (it would become a formula); the mark stays, and the next step looks for the lead before creating it', () => {
  const { w, row } = createWindowSpent();
  w.type(row + 1, 'Name', 'Globex');
  // The rep's note, typed as text (`'=`) into a cell of the default format (a paste from elsewhere).
  w.sheet()
    .getRange(row + 1, w.col('Sync status'), 1, 1)
    .setNumberFormat('General');
  w.type(row + 1, 'Sync status', "'=call them first");
  w.clearSent();
  const statuses: unknown[] = [];
  const s = w.push({}, 15_000, () => statuses.push(rowAt(w, row + 1)[2]));
  const marked = `creating… ${mark(T0, 'Globex')}`;
  expect(statuses).toEqual([...Array(5).fill(marked), `created · ${STAMP}`]);
  // Each later step looked for the lead first (it found none: the POST was never sent).
  expect(lookups(w)).toEqual(Array(5).fill(lookup('Globex')));
  expect(posts(w)).toEqual([{ method: 'post', path: '/lead/', body: { name: 'Globex' } }]);
  expect(s).toMatchObject({ created: 1, failed: 0, steps: 6 });
  expect(named(w, 'Globex')).toHaveLength(1);
});
