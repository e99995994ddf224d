// A push as the rep sees it across steps and at its end (push.ts runPushStep), run from src/ through the
// core world: a push longer than one step goes on exactly where the last step stopped (no lead checked
// or sent twice, the creates last), a step cut by a rejected key keeps what Close took, the summary's
// counts, its 20 kept results and its words, the sheet-level errors, and the time a step keeps for its
// writes.
import { buildSampleOrg, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { PUBLISHED_SHEET_COST } from '../../src/core/sheet-cost';
import { deadlineAfter, type PushJob } from '../../src/core/sync/job';
import { newPushJob, runPushStep } from '../../src/core/sync/push';
import {
  type CoreWorld,
  coreWorld,
  getCall,
  idsOf,
  postCall,
  pulledWorld,
  putCall,
  STAMP,
  searchCall,
} from './core-world';

const pulled = (close = {}): CoreWorld => pulledWorld(12, close);
const get = getCall;
const put = putCall;
const post = postCall;
const summary = (counts: string) => `Pushed: ${counts}.`;
const NO_NAME = 'error: No Lead ID and no Name: type a Name to create a lead';

test('a push longer than a step: each step checks and sends only what the last one left, in Lead ID order, and the creates wait for the last', () => {
  // Four PUTs per 10 s: a 15-second step sends one window's worth.
  const w = pulled({ rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 } } });
  const ids = idsOf(w);
  const edit = (id: string) => `edit ${id}`;
  for (const id of ids.slice(0, 11)) w.edit(id, 'Description', edit(id));
  // ids[4]: a colleague changed it (a conflict, the first step's last lead); ids[5]: an invalid value
  // beside a valid edit; ids[11]: unchanged. A new row Close refuses, and a row with no Name.
  w.close.touchLead(ids[4], { description: 'theirs' });
  w.edit(ids[5], 'Employees', 'lots');
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Description', 'no name');
  w.close.injectFaults([{ match: { method: 'post', pathPrefix: '/lead/' }, refuse: 'Name is taken.' }]);
  const conflict = `conflict: Description changed in Close since your pull: Close has "theirs", you have "${edit(ids[4])}". Not sent. · ${STAMP}`;
  const invalid = `updated; invalid: Employees: "lots" is not a number · ${STAMP}`;
  const steps: Array<{ message: string; calls: unknown[] }> = [];
  const s = w.push({}, 15_000, (step) => {
    steps.push({ message: step.message, calls: w.leadCalls() });
    w.clearSent();
  });
  expect(steps).toEqual([
    {
      message: 'Pushed 4 leads so far (step 1)…',
      calls: [
        searchCall(ids.slice(0, 11), ['description']),
        get(ids[4], 'description'),
        ...ids.slice(0, 4).map((id) => put(id, { description: edit(id) })),
      ],
    },
    {
      // A later step reads its leads with a GET each (the search index may not show the last step's PUTs).
      message: 'Pushed 8 leads so far (step 2)…',
      calls: [
        ...ids.slice(5, 11).map((id) => get(id, 'description')),
        ...ids.slice(5, 9).map((id) => put(id, { description: edit(id) })),
      ],
    },
    {
      message: s.message,
      calls: [
        ...ids.slice(9, 11).map((id) => get(id, 'description')),
        ...ids.slice(9, 11).map((id) => put(id, { description: edit(id) })),
        post({ name: 'Initech' }),
      ],
    },
  ]);
  expect(s).toEqual({
    sheetName: 'Close Leads',
    updated: 10,
    created: 0,
    failed: 2,
    conflicts: 1,
    invalid: 1,
    unchanged: 1,
    moved: 0,
    steps: 3,
    results: [
      {
        row: w.rowOf(ids[5]),
        leadId: ids[5],
        leadName: w.cell(ids[5], 'Name'),
        outcome: 'invalid',
        message: invalid,
      },
      {
        row: w.rowOf(ids[4]),
        leadId: ids[4],
        leadName: w.cell(ids[4], 'Name'),
        outcome: 'conflict',
        message: conflict,
      },
      { row, leadId: '', leadName: 'Initech', outcome: 'error', message: `error: Name is taken. · ${STAMP}` },
      { row: row + 1, leadId: '', leadName: '', outcome: 'error', message: `${NO_NAME} · ${STAMP}` },
    ].sort((a, b) => a.row - b.row),
    message: summary('10 updated, 0 created, 2 failed, 1 with conflicts, 1 with invalid values, 1 unchanged'),
  });
  // Every row says what happened to it: a lead updated in the first step is not re-marked later.
  const want = (id: string) =>
    id === ids[4]
      ? conflict
      : id === ids[5]
        ? invalid
        : id === ids[11]
          ? `unchanged · ${STAMP}`
          : `updated · ${STAMP}`;
  expect(ids.map((id) => w.cell(id, 'Sync status'))).toEqual(ids.map(want));
  for (const id of ids.slice(0, 11))
    expect(w.close.leads.get(id)!.description).toBe(id === ids[4] ? 'theirs' : edit(id));
});

test('Close rejects the key at a create: the step records the updates Close took, its error carries the job, and resuming it creates the row without sending any update again', () => {
  const w = pulled();
  const [a, b] = idsOf(w);
  w.edit(a, 'Description', 'A');
  w.edit(b, 'Description', 'B');
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.close.injectFaults([{ match: { method: 'post', pathPrefix: '/lead/' }, status: 401, times: 1 }]);
  let failed: (Error & { job?: PushJob }) | undefined;
  try {
    runPushStep(w.deps, newPushJob({}, w.clock.now(), 'rep@acme.test'), deadlineAfter(w.deps.clock));
  } catch (e) {
    failed = e as Error & { job?: PushJob };
  }
  expect(failed?.message).toBe(
    'Close rejected the API key (401). Reconnect in the sidebar with a valid API key.',
  );
  expect(failed?.job).toMatchObject({
    steps: 1,
    doneThrough: '\uffff',
    createsDone: false,
    totals: { updated: 2, created: 0, failed: 0, conflicts: 0, invalid: 0, unchanged: 10 },
    results: [],
  });
  expect([w.cell(a, 'Sync status'), w.cell(b, 'Sync status')]).toEqual([
    `updated · ${STAMP}`,
    `updated · ${STAMP}`,
  ]);
  // The POST's answer was lost with the step: the row keeps its mark.
  expect(w.rows()[row - 1][w.col('Sync status') - 1]).toBe(
    'creating… [pending create 2026-11-28T09:00:00.000Z as "Initech"]',
  );
  w.clearSent();
  const step = runPushStep(w.deps, failed!.job!, deadlineAfter(w.deps.clock));
  expect(step.summary).toMatchObject({ updated: 2, created: 1, failed: 0, unchanged: 10, steps: 2 });
  const [initech] = [...w.close.leads.values()].filter((l) => l.name === 'Initech').map((l) => l.id);
  // The mark is searched for first (nothing found: the 401 came before Close created anything).
  expect(w.leadCalls().map((c) => `${c.method} ${c.path.split('?')[0]}`)).toEqual([
    'get /lead/',
    'post /lead/',
  ]);
  expect(
    w.rows()[row - 1].filter((_, i) => i === w.col('Lead ID') - 1 || i === w.col('Sync status') - 1),
  ).toEqual([initech, `created · ${STAMP}`]);
  expect([w.cell(a, 'Sync status'), w.cell(b, 'Sync status')]).toEqual([
    `updated · ${STAMP}`,
    `updated · ${STAMP}`,
  ]);
});

test('more than 20 rows needing attention: the summary keeps the first 20 (updates first, then the rows that could not be pushed), each message cut to 200 characters; every row still gets its whole status', () => {
  const w = pulled();
  const [a, b] = idsOf(w);
  const long = `mine ${'x'.repeat(200)}`;
  w.edit(a, 'Description', long);
  w.close.touchLead(a, { description: 'theirs' });
  w.edit(b, 'Description', 'sent');
  const first = w.rows().length + 1;
  w.type(first, 'Name', 'Initech');
  const blank = Array.from({ length: 22 }, (_, i) => first + 1 + i);
  for (const r of blank) w.type(r, 'Description', `no name ${r}`);
  const s = w.push();
  const conflict = `conflict: Description changed in Close since your pull: Close has "theirs", you have "${long}". Not sent. · ${STAMP}`;
  expect(s.message).toBe(
    summary('1 updated, 1 created, 22 failed, 1 with conflicts, 0 with invalid values, 10 unchanged'),
  );
  expect(s.results).toEqual([
    {
      row: w.rowOf(a),
      leadId: a,
      leadName: w.cell(a, 'Name'),
      outcome: 'conflict',
      message: conflict.slice(0, 200),
    },
    ...blank
      .slice(0, 19)
      .map((row) => ({ row, leadId: '', leadName: '', outcome: 'error', message: `${NO_NAME} · ${STAMP}` })),
  ]);
  expect(w.cell(a, 'Sync status')).toBe(conflict);
  expect(blank.map((r) => w.rows()[r - 1][w.col('Sync status') - 1])).toEqual(
    blank.map(() => `${NO_NAME} · ${STAMP}`),
  );
});

test('a row whose Lead ID was cleared is not created again, and a row with no Name is not created: one row counted as moved', () => {
  const w = pulled();
  const [id] = idsOf(w);
  const [row, name] = [w.rowOf(id), w.cell(id, 'Name')];
  w.edit(id, 'Lead ID', '');
  const blank = w.rows().length + 1;
  w.type(blank, 'Description', 'no name');
  const s = w.push();
  const cleared = `error: This row was pulled as lead ${id} (${name}) and its ID was cleared: not created again. Put ${id} back in its ID cell (or use Edit › Undo), then push again. · ${STAMP}`;
  expect(s).toMatchObject({
    failed: 2,
    moved: 1,
    results: [
      { row, leadId: '', leadName: '', outcome: 'error', message: cleared.slice(0, 200) },
      { row: blank, leadId: '', leadName: '', outcome: 'error', message: `${NO_NAME} · ${STAMP}` },
    ],
    message: summary(
      '0 updated, 0 created, 2 failed, 0 with conflicts, 0 with invalid values, 11 unchanged. 1 row looked moved from other leads and was not sent (see Sync status)',
    ),
  });
  expect(w.rows()[row - 1][w.col('Sync status') - 1]).toBe(cleared);
  expect(w.sent('post')).toEqual([]);
});

test('two rows showing each other’s lead (values sorted without their IDs): neither is sent, the summary counts both as moved', () => {
  const w = pulled();
  const [a, b] = idsOf(w);
  const [rowA, rowB] = [w.rowOf(a), w.rowOf(b)];
  // Every cell between Lead ID and Sync status swapped: the values went, their IDs stayed.
  const [from, to] = [w.col('Lead ID') + 1, w.col('Sync status') - 1];
  const values = (row: number) => w.sheet().getRange(row, from, 1, to - from + 1);
  const [va, vb] = [values(rowA).getValues(), values(rowB).getValues()];
  values(rowA).setValues(vb);
  values(rowB).setValues(va);
  const s = w.push();
  expect(w.leadCalls()).toEqual([]);
  expect(s).toMatchObject({ updated: 0, failed: 2, moved: 2 });
  expect(s.message).toBe(
    summary(
      '0 updated, 0 created, 2 failed, 0 with conflicts, 0 with invalid values, 10 unchanged. 2 rows looked moved from other leads and were not sent (see Sync status)',
    ),
  );
  expect([
    w.rows()[rowA - 1][w.col('Sync status') - 1],
    w.rows()[rowB - 1][w.col('Sync status') - 1],
  ]).toEqual([
    `error: Looks like this row's values belong to lead ${b} (${vb[0][0]}) — the sheet may have been sorted or pasted without its ID column. Not sent. Use Edit › Undo to put the rows back (sort with Data › Sort sheet, so each row keeps its ID), then push again. · ${STAMP}`,
    `error: Looks like this row's values belong to lead ${a} (${va[0][0]}) — the sheet may have been sorted or pasted without its ID column. Not sent. Use Edit › Undo to put the rows back (sort with Data › Sort sheet, so each row keeps its ID), then push again. · ${STAMP}`,
  ]);
});

test('a sheet that does not exist, was never pulled into, or lost its Lead ID column: the push stops at once, sends nothing and says what to do', () => {
  const w = pulled();
  const start = (sheetName: string) =>
    runPushStep(
      w.deps,
      newPushJob({ sheetName }, w.clock.now(), 'rep@acme.test'),
      deadlineAfter(w.deps.clock),
    );
  expect(() => start('Leads 3')).toThrow(
    new Error('There is no sheet named "Leads 3" yet: pull leads first.'),
  );
  SpreadsheetApp.getActiveSpreadsheet()
    .insertSheet('Leads 2')
    .getRange(1, 1, 2, 2)
    .setValues([
      ['Lead ID', 'Name'],
      ['', 'Initech'],
    ]);
  expect(() => start('Leads 2')).toThrow(
    new Error('"Leads 2" has no Lead ID column bound to Close: pull into it first.'),
  );
  w.sheet().deleteColumn(w.col('Lead ID'));
  expect(() => start('Close Leads')).toThrow(
    new Error(
      'The Lead ID column of "Close Leads" is gone (deleted?): Close Sync sends each row to the lead whose ID it holds, so nothing was sent. Bring the column back (Edit › Undo), or pull into a new sheet.',
    ),
  );
  expect(w.leadCalls()).toEqual([]);
});

/**
 * Four PUTs per 10 s, and a spreadsheet writing 1 ms a character whose Sync status column holds 24,000
 * characters (24 s to write back whole at a step's end); eight leads edited.
 */
const slowSheet = (): CoreWorld => {
  const w = pulled({ rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 } } });
  for (const id of idsOf(w)) w.type(w.rowOf(id), 'Sync status', 'x'.repeat(2_000));
  for (const id of idsOf(w).slice(0, 8)) w.edit(id, 'Description', `edit ${id}`);
  w.clearSent();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, byteWriteUs: 1_000 };
  return w;
};
/** Each step's PUTs and POSTs, a push of `stepMs` steps. */
const stepsOf = (w: CoreWorld, stepMs: number) => {
  const steps: string[][] = [];
  const summary = w.push({}, stepMs, () => {
    steps.push(
      w
        .sent()
        .filter((r) => r.method === 'put' || r.path === '/lead/')
        .map((r) => `${r.method} ${r.path}`),
    );
    w.clearSent();
  });
  return { steps, summary };
};

test('a slow spreadsheet whose Sync status column is full of long messages: a step keeps the time to write that column back whole, so a PUT that would wait past it goes in the next step', () => {
  const w = slowSheet();
  const ids = idsOf(w);
  // 35-second steps: once the column is priced, no room is left to wait for the second window.
  const { steps, summary } = stepsOf(w, 35_000);
  expect(steps).toEqual(
    [ids.slice(0, 4), ids.slice(4, 8)].map((step) => step.map((id) => `put /lead/${id}/`)),
  );
  expect(summary).toMatchObject({ updated: 8, unchanged: 4, failed: 0, steps: 2 });
});

test('the same, with longer steps: the updates take the first step whole; a new row’s create then has no room left (the sheet read again whole, the marks and the Lead ID written) and goes in a step of its own; with no new row, the push ends there', () => {
  const withRow = slowSheet();
  const ids = idsOf(withRow);
  withRow.type(withRow.rows().length + 1, 'Name', 'Initech');
  // 45.75-second steps: the second window fits after the first (at 10 s), the create's writes then do not.
  const puts = ids.slice(0, 8).map((id) => `put /lead/${id}/`);
  const created = stepsOf(withRow, 45_750);
  expect(created.steps).toEqual([puts, ['post /lead/']]);
  expect(created.summary).toMatchObject({ updated: 8, created: 1, unchanged: 4, failed: 0, steps: 2 });
  const updatesOnly = stepsOf(slowSheet(), 45_750);
  expect(updatesOnly.steps).toEqual([puts]);
  expect(updatesOnly.summary).toMatchObject({ updated: 8, created: 0, unchanged: 4, failed: 0, steps: 1 });
});

test('a spreadsheet slow to answer each call (10 s): a step keeps the time to read the Lead ID, Name and Sync status columns again before writing its results, so a PUT that would wait past it goes in a later step', () => {
  // Four PUTs per 10 s; 222-second steps: at 10 s a call, the three columns' reads alone are 30 s of
  // the step, and without them the second window (at 10 s) would still fit into the first step.
  const w = pulled({ rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 } } });
  const ids = idsOf(w);
  for (const id of ids.slice(0, 8)) w.edit(id, 'Description', `edit ${id}`);
  w.clearSent();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, callMs: 10_000 };
  const { steps, summary } = stepsOf(w, 222_000);
  expect(steps[0]).toEqual(ids.slice(0, 4).map((id) => `put /lead/${id}/`));
  expect(steps.flat()).toEqual(ids.slice(0, 8).map((id) => `put /lead/${id}/`));
  expect(summary).toMatchObject({ updated: 8, unchanged: 4, failed: 0 });
});

test('110 edited leads on a slow spreadsheet: the second batch starts only while its writes would still fit the step, so it waits for the next step (its leads read with a GET each)', () => {
  // 1 ms a character written: each recorded lead's writes take about half a second, so after the first
  // 100 a 55-second step has no room for another 100.
  const w = coreWorld({ org: buildSampleOrg({ leads: 110 }) });
  w.pull();
  const ids = idsOf(w);
  for (const id of ids) w.edit(id, 'Description', `edit ${id}`);
  w.clearSent();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, byteWriteUs: 1_000 };
  const steps: Array<{ searches: number; gets: number; puts: string[] }> = [];
  const s = w.push({}, 55_000, () => {
    const calls = w.leadCalls();
    steps.push({
      searches: calls.filter((c) => c.path === '/data/search/').length,
      gets: calls.filter((c) => c.method === 'get').length,
      puts: calls.filter((c) => c.method === 'put').map((c) => c.path),
    });
    w.clearSent();
  });
  const puts = (from: number, to: number) => ids.slice(from, to).map((id) => `/lead/${id}/`);
  expect(steps).toEqual([
    { searches: 1, gets: 0, puts: puts(0, 100) },
    { searches: 0, gets: 10, puts: puts(100, 110) },
  ]);
  expect(s).toMatchObject({ updated: 110, failed: 0, steps: 2 });
});

test('a new push job is the record the job runner saves and resumes: a push (src/addon/job-runner.ts runs a push step for kind "push", an undo step otherwise) of the lead sheet, nothing done yet, lists sent whole', () => {
  const now = Date.UTC(2026, 10, 28, 9);
  const { id, ...job } = newPushJob({}, now, 'rep@acme.test');
  expect(id).toMatch(new RegExp(`^j${now.toString(36)}-[0-9a-z]+$`));
  expect(job).toEqual({
    kind: 'push',
    definition: { kind: 'lead', fields: null },
    multiValue: 'replace',
    sheetName: 'Close Leads',
    startedAt: now,
    startedBy: 'rep@acme.test',
    steps: 0,
    doneThrough: '',
    createsDone: false,
    totals: { updated: 0, created: 0, failed: 0, conflicts: 0, invalid: 0 },
    results: [],
  });
});

test('a push job saved by a version before sheet kinds and multi-value modes (no definition, no mode): it resumes as a lead push that sends a multi-value list whole', () => {
  // Wayne has Product Interest "Choice 1; Choice 2"; the rep takes one out.
  const w = pulled();
  const id = WAYNE_LEAD_ID;
  const key = `custom.${w.close.org.customFields.find((f) => f.name === 'Product Interest')!.id}`;
  w.edit(id, 'Product Interest', 'Choice 1');
  const { definition, multiValue, ...old } = newPushJob({}, w.clock.now(), 'rep@acme.test');
  const step = runPushStep(w.deps, old as PushJob, deadlineAfter(w.deps.clock));
  expect(step.summary).toMatchObject({ updated: 1, failed: 0, unchanged: 11 });
  expect(w.sent('put')).toEqual([put(id, { [key]: ['Choice 1'] })]);
  expect(w.close.leads.get(id)![key]).toEqual(['Choice 1']);
});

test('a spreadsheet slow to read (1 ms a character) whose leads have 2,000-character names: a step keeps the time to read the Lead ID, Name and Sync status columns again, priced by their characters, so a PUT that would wait past it goes in the next step', () => {
  // Four PUTs per 10 s; 230-second steps. The re-read is about 25 s (the names' 24,000 characters, the
  // ids', a call per column); priced without the Name column (about 1 s), or its characters taken away
  // instead of added, the second window (at 10 s) would fit into the first step.
  const org = buildSampleOrg({ leads: 12 });
  org.leads.forEach((lead, i) => {
    lead.name = `Lead ${i} ${'n'.repeat(2_000)}`;
  });
  const w = coreWorld({ org, close: { rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 } } } });
  w.pull();
  const ids = idsOf(w);
  for (const id of ids.slice(0, 8)) w.edit(id, 'Description', `edit ${id}`);
  w.clearSent();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, byteReadUs: 1_000 };
  const { steps, summary } = stepsOf(w, 230_000);
  expect(steps).toEqual(
    [ids.slice(0, 4), ids.slice(4, 8)].map((step) => step.map((id) => `put /lead/${id}/`)),
  );
  expect(summary).toMatchObject({ updated: 8, unchanged: 4, failed: 0, steps: 2 });
});

test('a push right after another spent the PUT window: a step that has recorded nothing waits for the window for its one lead, priced by the writes of that lead, not of a whole batch', () => {
  // One PUT a minute, and a spreadsheet writing 1 ms a character; 62-second steps. The second push's
  // first step may wait past its stop for its first answer: with a 100-lead batch's writes kept back,
  // it would give up before the window (60 s) opens, and wait through empty steps.
  const w = pulled({ rateLimits: { 'PUT /lead/{id}/': { limit: 1, windowMs: 60_000 } } });
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, byteWriteUs: 1_000 };
  const [a, b] = idsOf(w);
  w.edit(a, 'Description', 'first');
  w.push();
  w.edit(b, 'Description', 'second');
  w.clearSent();
  const { steps, summary } = stepsOf(w, 62_000);
  expect(steps).toEqual([[`put /lead/${b}/`]]);
  expect(summary).toMatchObject({ updated: 1, failed: 0, steps: 1 });
});

test('eight updates and ten new rows on a slow spreadsheet: the creates start in a step only while the writes of all eighteen fit it, and their POSTs wait for the create window only as long as those writes leave room; a row that cannot be pushed counts once', () => {
  /** The slow sheet with ten new rows; each step's PUTs and POSTs counted. */
  const counts = (stepMs: number, close = {}) => {
    const w = pulled({ rateLimits: { 'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 }, ...close } });
    for (const id of idsOf(w)) w.type(w.rowOf(id), 'Sync status', 'x'.repeat(2_000));
    for (const id of idsOf(w).slice(0, 8)) w.edit(id, 'Description', `edit ${id}`);
    const row = w.rows().length + 1;
    for (let i = 0; i < 10; i++) w.type(row + i, 'Name', `New ${i}`);
    // And a row that cannot be pushed (no Name): counted once, on the last step.
    w.type(row + 10, 'Description', 'no name');
    w.clearSent();
    w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, byteWriteUs: 1_000 };
    const steps: Array<{ puts: number; posts: number }> = [];
    const summary = w.push({}, stepMs, () => {
      const sent = w.sent();
      steps.push({
        puts: sent.filter((r) => r.method === 'put').length,
        posts: sent.filter((r) => r.method === 'post' && r.path === '/lead/').length,
      });
      w.clearSent();
    });
    return { steps, summary };
  };
  // 52-second steps: after the updates, the eighteen leads' writes leave no room for the creates.
  const fit = counts(52_000);
  expect(fit.steps).toEqual([
    { puts: 8, posts: 0 },
    { puts: 0, posts: 10 },
  ]);
  expect(fit.summary).toMatchObject({ updated: 8, created: 10, failed: 1 });
  // 80-second steps, five creates per 33 s: the creates start, and the second five would wait past the
  // step's stop (the eighteen leads' writes kept back): they go in the next step.
  const wait = counts(80_000, { 'POST /lead/': { limit: 5, windowMs: 33_000 } });
  expect(wait.steps).toEqual([
    { puts: 8, posts: 5 },
    { puts: 0, posts: 5 },
  ]);
  expect(wait.summary).toMatchObject({ updated: 8, created: 10, failed: 1 });
});

test('an opportunities sheet (no Name column) on a spreadsheet slow to answer each call (10 s): a step keeps the time to read again only the two columns it has, so the second PUT window still fits the step', () => {
  // Four PUTs per 10 s; 241-second steps: priced for a third (missing) column, the second window would
  // not fit, and the last four PUTs would wait for a later step.
  const w = coreWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: { rateLimits: { 'PUT /opportunity/{id}/': { limit: 4, windowMs: 10_000 } } },
  });
  w.pull({ kind: 'opportunity', source: { type: 'all' }, fields: null });
  const SHEET = 'Close Opportunities';
  const book = w.runtime.spreadsheet;
  const header = (book.dump(SHEET) as unknown[][])[0] as string[];
  for (let row = 2; row <= 9; row++) book.userEdit(SHEET, [row, header.indexOf('Note') + 1], `note ${row}`);
  w.clearSent();
  w.deps.sheetCost = { ...PUBLISHED_SHEET_COST, callMs: 10_000 };
  const job = newPushJob({ sheetName: SHEET }, w.clock.now(), 'rep@acme.test', {
    kind: 'opportunity',
    fields: null,
  });
  const step = runPushStep(w.deps, job, deadlineAfter(w.deps.clock, 241_000));
  expect(step.done).toBe(true);
  expect(step.summary).toMatchObject({ updated: 8, failed: 0, steps: 1 });
  // Sent in Opportunity ID order, each with its row's note.
  expect(
    w
      .sent('put')
      .map((r) => (r.body as { note: string }).note)
      .sort(),
  ).toEqual(Array.from({ length: 8 }, (_, i) => `note ${i + 2}`));
});
