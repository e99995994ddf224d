// The push plan (src/core/sync/plan.ts) as push, preview and undo use it, run from src/ through the core
// world: the exact requests each sends, in order, and what the undo records when its steps are cut by
// the time limit or killed between the PUTs and the push log's marks.
import { buildSampleOrg, SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { API_KEY } from '../../dev/world';
import { type CloseCall, type CloseClient, type CloseReply, NOT_SENT } from '../../src/core/close/client';
import type { Grid, Workbook } from '../../src/core/ports';
import type { MultiValueMode } from '../../src/core/sync/conflicts';
import { loadSyncContext } from '../../src/core/sync/context';
import { type PlanOutcome, runPlan } from '../../src/core/sync/plan';
import { deadlineAfter } from '../../src/core/sync/job';
import { previewPush } from '../../src/core/sync/preview';
import { newPushJob, runPushStep } from '../../src/core/sync/push';
import { PUSH_LOG_SHEET } from '../../src/core/sync/push-log';
import { newUndoJob, runUndoStep } from '../../src/core/sync/undo';
import {
  type CoreWorld,
  coreWorld,
  getCall,
  idsOf,
  pulledWorld,
  putCall,
  STAMP,
  searchCall,
} from './core-world';

const pulled = pulledWorld;
const get = getCall;
const put = putCall;
const LOG_BY = `rep@acme.test at ${STAMP}`;
/** The push log's Field and Undone columns. */
const marks = (w: CoreWorld) =>
  (w.runtime.spreadsheet.dump(PUSH_LOG_SHEET) as unknown[][]).slice(1).map((r) => [r[4], r[7], r[10]]);

test('preview is the plan checked and not sent: one search for the edited leads, a GET to confirm a conflict, no PUT', () => {
  const w = pulled();
  const [a, b] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
  w.edit(a, 'Description', 'mine');
  w.edit(b, 'Name', 'Renamed');
  w.close.touchLead(a, { description: 'theirs' });
  const preview = previewPush(w.deps);
  // The preview takes the leads in sheet order.
  const [first, second] = w.rowOf(a) < w.rowOf(b) ? [a, b] : [b, a];
  expect(w.leadCalls()).toEqual([
    searchCall([first, second], first === a ? ['description', 'name'] : ['name', 'description']),
    get(a, 'description'),
  ]);
  expect(preview.items.map((i) => [i.leadId, i.key, i.new, i.state])).toEqual(
    [
      [a, 'description', 'mine', 'conflict'],
      [b, 'name', 'Renamed', 'send'],
    ].sort((x, y) => (w.rowOf(x[0]) < w.rowOf(y[0]) ? -1 : 1)),
  );
  expect(w.close.leads.get(b)!.name).not.toBe('Renamed');
});

test("a plan of more than one batch: the next batch's search travels with this batch's PUTs", () => {
  const w = pulled(150);
  const ids = idsOf(w);
  for (const id of ids) w.edit(id, 'Description', `edit ${id}`);
  expect(w.push()).toMatchObject({ updated: 150, failed: 0, conflicts: 0 });
  const [first, second] = [ids.slice(0, 100), ids.slice(100)];
  const calls = w.leadCalls();
  const firstPut = calls.findIndex((c) => c.method === 'put');
  const secondPut = calls.findIndex((c) => c.method === 'put' && second.includes(c.path.split('/')[2]));
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
  // The first batch's one search; then its PUTs in the same waves as the second batch's search (the
  // waves' order within is the rate budgets'); then the second batch's PUTs. No GET at all.
  expect(calls.slice(0, firstPut)).toEqual([searchCall(first, ['description'])]);
  expect([...calls.slice(firstPut, secondPut)].sort(byPath)).toEqual(
    [...first.map((id) => put(id, { description: `edit ${id}` })), searchCall(second, ['description'])].sort(
      byPath,
    ),
  );
  expect(calls.slice(secondPut)).toEqual(second.map((id) => put(id, { description: `edit ${id}` })));
});

describe('undo: the plan run backwards', () => {
  test('a search of the logged fields (a GET per lead while the index lags the push), then one PUT of the old values; a field changed since is left alone', () => {
    const w = pulled();
    const [a, b] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    const was = { a: w.close.leads.get(a)!, b: w.close.leads.get(b)! };
    const before = { aName: was.a.name, aDesc: was.a.description, bDesc: was.b.description };
    w.edit(a, 'Name', 'A renamed');
    w.edit(a, 'Description', 'A described');
    w.edit(b, 'Description', 'B described');
    w.push();
    w.close.touchLead(a, { description: 'a colleague wrote this' });
    w.clearSent();
    const { result, steps } = w.undo();
    expect(steps).toBe(1);
    // The push was a moment ago: the search still shows the values from before it (Close's index lags,
    // dev/fake-close/search-index.ts), not what the push wrote, so each lead is read again with a GET.
    expect(w.leadCalls()).toEqual([
      searchCall([a, b], ['name', 'description']),
      get(a, 'name,description'),
      get(b, 'description'),
      put(a, { name: before.aName }),
      put(b, { description: before.bDesc }),
    ]);
    expect(result).toMatchObject({
      restored: 2,
      failed: 0,
      counts: { restore: 2, leads: 2, conflicts: 1, already: 0, other: 0 },
      message: `Undid the push of ${STAMP} by rep@acme.test: restored 2 fields on 2 leads. 1 conflict left alone (changed in Close since the push).`,
    });
    expect(w.close.leads.get(a)!.description).toBe('a colleague wrote this');
    expect(marks(w)).toEqual([
      [a, 'Name', `restored by ${LOG_BY}`],
      [a, 'Description', `conflict, left alone (${LOG_BY})`],
      [b, 'Description', `restored by ${LOG_BY}`],
    ]);
    expect(w.cell(a, 'Name')).toBe(before.aName);
    expect(w.cell(b, 'Description')).toBe(before.bDesc);
  });

  test('an undo longer than a step goes on in the next step, every field restored by exactly one PUT', () => {
    // 40 PUTs per 10 s: 120 leads take three windows, more than one 12-second step holds.
    const w = pulled(120, { rateLimits: { 'PUT /lead/{id}/': { limit: 40, windowMs: 10_000 } } });
    const ids = idsOf(w);
    const pulledDesc = new Map(ids.map((id) => [id, w.close.leads.get(id)!.description ?? null]));
    for (const id of ids) w.edit(id, 'Description', `edit ${id}`);
    w.push();
    w.clearSent();
    const { result, steps } = w.undo(12_000);
    expect(steps).toBeGreaterThan(1);
    const puts = w.sent('put');
    expect(puts).toEqual(ids.map((id) => put(id, { description: pulledDesc.get(id) })));
    expect(result).toMatchObject({ restored: 120, failed: 0, counts: { restore: 120, leads: 120 } });
    expect(marks(w)).toEqual(ids.map((id) => [id, 'Description', `restored by ${LOG_BY}`]));
    for (const id of ids) expect(w.close.leads.get(id)!.description ?? null).toBe(pulledDesc.get(id));
  });

  test('a step killed after its PUTs, before its marks: the rerun sends nothing again and records the fields as back', () => {
    const w = pulled();
    const [a, b] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    const before = { a: w.close.leads.get(a)!.description, b: w.close.leads.get(b)!.description };
    w.edit(a, 'Description', 'A described');
    w.edit(b, 'Description', 'B described');
    w.push();
    w.clearSent();
    const job = newUndoJob(w.deps, 'rep@acme.test')!;
    // Apps Script kills the execution while the push log's marks are written.
    const killed: Workbook = Object.create(w.deps.workbook);
    killed.sheet = (name: string) => {
      const grid = w.deps.workbook.sheet(name);
      if (name !== PUSH_LOG_SHEET || !grid) return grid;
      const dying: Grid = Object.create(grid);
      dying.write = () => {
        throw new Error('Exceeded maximum execution time');
      };
      return dying;
    };
    expect(() => runUndoStep({ ...w.deps, workbook: killed }, job, deadlineAfter(w.deps.clock))).toThrow(
      'Exceeded maximum execution time',
    );
    expect(w.sent('put')).toEqual([put(a, { description: before.a }), put(b, { description: before.b })]);
    // The job record is as the killed step found it: the step runs again.
    const again = runUndoStep(w.deps, job, deadlineAfter(w.deps.clock));
    expect(again.done).toBe(true);
    expect(w.sent('put')).toHaveLength(2);
    expect(again.result).toMatchObject({ restored: 0, failed: 0, counts: { already: 2 } });
    expect(marks(w)).toEqual([
      [a, 'Description', `already back to the old value (${LOG_BY})`],
      [b, 'Description', `already back to the old value (${LOG_BY})`],
    ]);
    expect(w.cell(a, 'Description')).toBe(before.a ?? '');
    expect(w.cell(b, 'Description')).toBe(before.b ?? '');
    // Nothing is left to push: the snapshot holds the restored values.
    w.clearSent();
    expect(w.push()).toMatchObject({ updated: 0, failed: 0 });
    expect(w.leadCalls()).toEqual([]);
  });
});

describe('Close refuses some fields of a row (a field only admins may edit)', () => {
  /** Industry is limited to admins; the rep's key is the third member's, whose role is "user". */
  const restricted = (limited = true): CoreWorld => {
    const org = buildSampleOrg({ leads: 12 });
    if (limited)
      org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.editable_with_roles = ['admin'];
    const w = coreWorld({ org, close: { apiKeys: ['api_admin_key', 'api_super_key', API_KEY] } });
    w.pull();
    w.clearSent();
    return w;
  };
  const INDUSTRY = `custom.${SAMPLE_FIELDS.industry}`;
  const NOTES = `custom.${SAMPLE_FIELDS.notes}`;
  const otherIndustry = (w: CoreWorld, id: string) =>
    ['Education', 'Non-profit'].find((c) => c !== w.close.leads.get(id)![INDUSTRY])!;

  test('the row goes again without the refused field; a row whose every field is refused fails whole', () => {
    const w = restricted();
    const [a, b, c] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    const industryA = otherIndustry(w, a);
    const industryB = otherIndustry(w, b);
    const wasB = w.close.leads.get(b)![INDUSTRY];
    w.edit(a, 'Description', 'A described');
    w.edit(a, 'Notes', 'A noted');
    w.edit(a, 'Industry', industryA);
    w.edit(b, 'Industry', industryB);
    w.edit(c, 'Description', 'C described');
    const summary = w.push();
    expect(w.sent('put')).toEqual([
      put(a, { description: 'A described', [INDUSTRY]: industryA, [NOTES]: 'A noted' }),
      put(b, { [INDUSTRY]: industryB }),
      put(c, { description: 'C described' }),
      put(a, { description: 'A described', [NOTES]: 'A noted' }),
    ]);
    expect(summary).toMatchObject({ updated: 2, failed: 2 });
    const refusal = `You don't have permission to edit the Custom Field "Industry".`;
    // Pushing again cannot help: the status says who can (refusals.ts).
    const advice =
      'the Close user behind this API key lacks permission to edit Industry: ask a Close admin to grant it, or to make the change in Close';
    expect(w.cell(a, 'Sync status')).toBe(
      `updated 2 fields; Close refused Industry: ${refusal} (your value stays in the cell, not sent); ${advice} · ${STAMP}`,
    );
    expect(w.cell(b, 'Sync status')).toBe(`error: Industry: ${refusal}; ${advice} · ${STAMP}`);
    expect(w.cell(c, 'Sync status')).toBe(`updated · ${STAMP}`);
    expect(w.close.leads.get(a)).toMatchObject({ description: 'A described', [NOTES]: 'A noted' });
    expect(w.close.leads.get(b)![INDUSTRY]).toEqual(wasB);
    // The refused values stay in their cells and are offered again; what Close took is not.
    expect(w.cell(a, 'Industry')).toBe(industryA);
    w.clearSent();
    w.push();
    expect(w.sent('put')).toEqual([put(a, { [INDUSTRY]: industryA }), put(b, { [INDUSTRY]: industryB })]);
  });

  test('one field taken and one refused: the status says “updated 1 field”, then the refusal', () => {
    const w = restricted();
    const [a] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    w.edit(a, 'Description', 'A described');
    w.edit(a, 'Industry', otherIndustry(w, a));
    expect(w.push()).toMatchObject({ updated: 1, failed: 1 });
    expect(w.cell(a, 'Sync status')).toBe(
      `updated 1 field; Close refused Industry: You don't have permission to edit the Custom Field "Industry". (your value stays in the cell, not sent); the Close user behind this API key lacks permission to edit Industry: ask a Close admin to grant it, or to make the change in Close · ${STAMP}`,
    );
  });

  test('an undo restores a lead’s fields together: a refused field fails the lead, nothing is sent again', () => {
    const w = restricted(false);
    const [a] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    const was = w.close.leads.get(a)!;
    const before = { description: was.description, industry: was[`custom.${SAMPLE_FIELDS.industry}`] };
    w.edit(a, 'Description', 'A described');
    w.edit(a, 'Industry', ['Education', 'Non-profit'].find((c) => c !== before.industry)!);
    w.push();
    // Since the push, Industry became admin-only (the rep's key is a plain user's).
    w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.editable_with_roles = ['admin'];
    w.clearSent();
    const { result } = w.undo();
    expect(w.sent('put')).toEqual([
      put(a, { description: before.description, [`custom.${SAMPLE_FIELDS.industry}`]: before.industry }),
    ]);
    expect(result).toMatchObject({
      restored: 0,
      failed: 2,
      message:
        `Undid the push of ${STAMP} by rep@acme.test: restored 0 fields on 0 leads. 2 fields not restored: ` +
        'the Close user behind this API key lacks permission to edit Industry: ask a Close admin to grant it, or to restore the old values in Close.',
    });
    expect(result.items.map((i) => [i.field, i.state])).toEqual([
      ['Description', 'error'],
      ['Industry', 'error'],
    ]);
    expect(w.close.leads.get(a)!.description).toBe('A described');
  });
});

describe("which fields a refusal names: Close's field-errors against the fields sent (scripted PUT replies)", () => {
  /** A pulled world whose PUTs Close answers from `answers`; checks go to the fake Close. */
  const scriptedPuts = (answers: CloseReply[]) => {
    const w = pulled();
    const puts: unknown[] = [];
    const client: Pick<CloseClient, 'callAll'> = {
      callAll: (calls, stopAt) =>
        calls.map((call) => {
          if (call.method !== 'put') return w.deps.client.callAll([call], stopAt)[0];
          puts.push(call.body);
          return answers.shift() ?? { ok: true, status: 200, data: {} };
        }),
    };
    const ctx = loadSyncContext(w.deps);
    const id = idsOf(w).find((i) => i !== WAYNE_LEAD_ID)!;
    const lead = w.close.leads.get(id)!;
    /** An edit of `key` from Close's current value (so the check lets it through) to `value`. */
    const edit = (key: string, header: string, value: unknown) => ({
      key,
      header,
      old: lead[key] ?? null,
      value,
    });
    const runIn = (mode: MultiValueMode, ...edits: ReturnType<typeof edit>[]) => {
      const outcomes: PlanOutcome[] = [];
      const change = { row: 2, leadId: id, leadName: String(lead.name), edits, problems: [] };
      const done = runPlan(
        client,
        { ctx, mode, stopAt: Number.POSITIVE_INFINITY, more: () => true, retryRefused: true },
        [change],
        (o) => outcomes.push(o),
      );
      expect(done).toBe(true);
      return outcomes.map((o) => ({
        status: o.reply?.status,
        refused: o.refused.map((r) => [r.edit.key, r.message]),
      }));
    };
    const run = (...edits: ReturnType<typeof edit>[]) => runIn('replace', ...edits);
    return { puts, edit, run, runIn, lead };
  };
  const refusal = (fieldErrors: Record<string, string>, errors: string[] = []): CloseReply => ({
    ok: false,
    status: 400,
    message: [...errors, ...Object.values(fieldErrors)].join('; '),
    fieldErrors,
  });

  test('two fields refused at once: the row goes again with only the third', () => {
    const s = scriptedPuts([refusal({ name: 'Too long.', url: 'Not a URL.' })]);
    const out = s.run(
      s.edit('name', 'Name', 'New name'),
      s.edit('description', 'Description', 'New text'),
      s.edit('url', 'URL', 'nope'),
    );
    expect(s.puts).toEqual([
      { name: 'New name', description: 'New text', url: 'nope' },
      { description: 'New text' },
    ]);
    expect(out).toEqual([
      {
        status: 200,
        refused: [
          ['name', 'Too long.'],
          ['url', 'Not a URL.'],
        ],
      },
    ]);
  });

  test('two errors on one field (the field and a part of it) are one refusal, both messages kept', () => {
    const s = scriptedPuts([refusal({ name: 'Too long.', 'name.first': 'Bad first word.' })]);
    const out = s.run(s.edit('name', 'Name', 'New name'), s.edit('description', 'Description', 'New text'));
    expect(s.puts).toEqual([{ name: 'New name', description: 'New text' }, { description: 'New text' }]);
    expect(out).toEqual([{ status: 200, refused: [['name', 'Too long.; Bad first word.']] }]);
  });

  test('Close names a refused status `status`: the status is left out, the rest goes', () => {
    const s = scriptedPuts([refusal({ status: 'Not a valid choice.' })]);
    const out = s.run(
      s.edit('status_id', 'Status', 'stat_other'),
      s.edit('description', 'Description', 'New text'),
    );
    expect(s.puts).toEqual([
      { status_id: 'stat_other', description: 'New text' },
      { description: 'New text' },
    ]);
    expect(out).toEqual([{ status: 200, refused: [['status_id', 'Not a valid choice.']] }]);
  });

  test('`status` names the status edit wherever it is in the row; a key naming no field sent fails the row even when it edits the status', () => {
    const s = scriptedPuts([refusal({ status: 'Not a valid choice.' })]);
    const out = s.run(
      s.edit('description', 'Description', 'New text'),
      s.edit('status_id', 'Status', 'stat_other'),
    );
    expect(s.puts).toEqual([
      { description: 'New text', status_id: 'stat_other' },
      { description: 'New text' },
    ]);
    expect(out).toEqual([{ status: 200, refused: [['status_id', 'Not a valid choice.']] }]);
    const t = scriptedPuts([refusal({ 'custom.cf_elsewhere': 'Required.' })]);
    const failed = t.run(
      t.edit('description', 'Description', 'New text'),
      t.edit('status_id', 'Status', 'stat_other'),
    );
    expect(t.puts).toEqual([{ description: 'New text', status_id: 'stat_other' }]);
    expect(failed).toEqual([{ status: 400, refused: [] }]);
  });

  test('add only: once the refused field is left out, nothing is left to add: nothing is sent again', () => {
    const s = scriptedPuts([refusal({ name: 'Too long.' })]);
    const interest = `custom.${SAMPLE_FIELDS.interest}`;
    // The rep only removed values: in add-only mode there is nothing to add.
    const out = s.runIn('add', s.edit('name', 'Name', 'New name'), s.edit(interest, 'Product Interest', []));
    expect(s.puts).toEqual([{ name: 'New name' }]);
    expect(out).toEqual([{ status: 400, refused: [['name', 'Too long.']] }]);
  });

  test('a refusal that is not a 400 (a 403 naming a field): the row fails whole, nothing sent again', () => {
    const s = scriptedPuts([{ ...refusal({ name: 'You may not edit this.' }), status: 403 }]);
    const out = s.run(s.edit('name', 'Name', 'New name'), s.edit('description', 'Description', 'New text'));
    expect(s.puts).toEqual([{ name: 'New name', description: 'New text' }]);
    expect(out).toEqual([{ status: 403, refused: [] }]);
  });

  test('an error naming a field not sent, or no field at all: the row fails whole, nothing sent again', () => {
    for (const answer of [
      refusal({ description: 'Too long.', 'custom.cf_elsewhere': 'Required.' }),
      refusal({}, ['Lead is locked.']),
    ]) {
      const s = scriptedPuts([answer]);
      const out = s.run(
        s.edit('name', 'Name', 'New name'),
        s.edit('description', 'Description', 'New text'),
        s.edit('url', 'URL', 'https://new.test'),
      );
      expect(s.puts).toEqual([{ name: 'New name', description: 'New text', url: 'https://new.test' }]);
      expect(out).toEqual([{ status: 400, refused: [] }]);
    }
  });

  test('Close naming one refused field at a time: the row goes again at most three times', () => {
    const s = scriptedPuts([
      refusal({ name: 'No.' }),
      refusal({ description: 'No.' }),
      refusal({ url: 'No.' }),
      refusal({ 'custom.a': 'No.' }),
      refusal({ 'custom.b': 'No.' }),
    ]);
    const out = s.run(
      s.edit('name', 'Name', 'n'),
      s.edit('description', 'Description', 'd'),
      s.edit('url', 'URL', 'https://u.test'),
      s.edit('custom.a', 'A', 'a'),
      s.edit('custom.b', 'B', 'b'),
    );
    expect(s.puts).toEqual([
      { name: 'n', description: 'd', url: 'https://u.test', 'custom.a': 'a', 'custom.b': 'b' },
      { description: 'd', url: 'https://u.test', 'custom.a': 'a', 'custom.b': 'b' },
      { url: 'https://u.test', 'custom.a': 'a', 'custom.b': 'b' },
      { 'custom.a': 'a', 'custom.b': 'b' },
    ]);
    expect(out).toEqual([
      {
        status: 400,
        refused: [
          ['name', 'No.'],
          ['description', 'No.'],
          ['url', 'No.'],
        ],
      },
    ]);
  });
});

describe("a check the step's time did not let go (the client answers it NOT_SENT)", () => {
  /** `pulled()` whose client answers the first `n` calls `unsent` matches NOT_SENT (as when time runs out). */
  const cutShort = (unsentCall: (call: CloseCall) => boolean, n = 1): CoreWorld => {
    const w = pulled();
    const real = w.deps.client;
    let left = n;
    const client: Pick<CloseClient, 'callAll'> = {
      callAll: (calls, stopAt) => {
        const cut = calls.map((c) => left > 0 && unsentCall(c) && left-- > 0);
        const replies = real.callAll(
          calls.filter((_, i) => !cut[i]),
          stopAt,
        );
        return calls.map(
          (_, i): CloseReply =>
            cut[i]
              ? { ok: false, status: NOT_SENT, message: 'Out of time.', fieldErrors: {} }
              : replies.shift()!,
        );
      },
    };
    w.deps.client = Object.assign(Object.create(real), client);
    return w;
  };
  const isSearch = (c: CloseCall) => c.path === '/data/search/';

  test('the search: nothing is recorded; the next step reads each lead with a GET and sends each edit once', () => {
    const w = cutShort(isSearch);
    const [a, b] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    w.edit(a, 'Description', 'A described');
    w.edit(b, 'Name', 'B renamed');
    expect(w.push()).toMatchObject({ updated: 2, failed: 0, conflicts: 0 });
    // The cut search never reached Close. The second step goes on from an earlier one: a GET per lead.
    expect(w.leadCalls()).toEqual([
      get(a, 'description'),
      get(b, 'name'),
      put(a, { description: 'A described' }),
      put(b, { name: 'B renamed' }),
    ]);
    expect([w.cell(a, 'Sync status'), w.cell(b, 'Sync status')]).toEqual([
      `updated · ${STAMP}`,
      `updated · ${STAMP}`,
    ]);
  });

  test('a GET confirming what the search showed: the leads before it go, it and every lead after it wait for the next step', () => {
    const w = cutShort((c) => c.method === 'get' && c.path.startsWith('/lead/'));
    const [a, b, c] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
    w.edit(a, 'Description', 'A described');
    w.edit(b, 'Description', 'B described');
    w.edit(c, 'Description', 'C described');
    // Close already holds b's new value: the search shows it, a GET is to confirm it.
    w.close.touchLead(b, { description: 'B described' });
    expect(w.push()).toMatchObject({ updated: 3, failed: 0, conflicts: 0 });
    expect(w.leadCalls()).toEqual([
      searchCall([a, b, c], ['description']),
      put(a, { description: 'A described' }),
      // The next step: b and c read again with a GET each; b is already there, c goes.
      get(b, 'description'),
      get(c, 'description'),
      put(c, { description: 'C described' }),
    ]);
    expect([a, b, c].map((id) => w.cell(id, 'Sync status'))).toEqual([
      `updated · ${STAMP}`,
      `already up to date in Close · ${STAMP}`,
      `updated · ${STAMP}`,
    ]);
  });
});

test('a contacts sheet: no search (subsets and ids are searched for leads only), one whole-object GET per contact, then the PUTs', () => {
  const w = coreWorld();
  w.pull({ kind: 'contact', source: { type: 'all' }, fields: null });
  w.clearSent();
  const CONTACTS = 'Close Contacts';
  const role = `custom.${w.close.org.contactCustomFields.find((f) => f.name === 'Decision Role')!.id}`;
  const contacts = [...w.close.leads.values()].flatMap((l) => l.contacts as Array<Record<string, unknown>>);
  const [x, y, z] = contacts
    .filter((c) => typeof c[role] === 'string')
    .sort((p, q) => (String(p.id) < String(q.id) ? -1 : 1));
  const rows = () => w.runtime.spreadsheet.dump(CONTACTS) as unknown[][];
  const at = (id: unknown, header: string): [number, number] => [
    rows().findIndex((r) => r.includes(id)) + 1,
    (rows()[0] as string[]).indexOf(header) + 1,
  ];
  w.runtime.spreadsheet.userEdit(CONTACTS, at(x.id, 'Decision Role'), 'Chairman');
  w.runtime.spreadsheet.userEdit(CONTACTS, at(y.id, 'Decision Role'), 'Champion');
  w.runtime.spreadsheet.userEdit(CONTACTS, at(z.id, 'Decision Role'), 'Economic Buyer');
  // A colleague changed y's role since the pull.
  y[role] = 'Skeptic';
  const job = newPushJob({ sheetName: CONTACTS }, w.clock.now(), 'rep@acme.test', {
    kind: 'contact',
    fields: null,
  });
  const step = runPushStep(w.deps, job, deadlineAfter(w.deps.clock));
  expect(step.summary).toMatchObject({ updated: 2, conflicts: 1, failed: 0 });
  expect(w.sent().filter((r) => r.path.startsWith('/contact/') || r.path === '/data/search/')).toEqual([
    { method: 'get', path: `/contact/${x.id}/` },
    { method: 'get', path: `/contact/${y.id}/` },
    { method: 'get', path: `/contact/${z.id}/` },
    { method: 'put', path: `/contact/${x.id}/`, body: { [role]: 'Chairman' } },
    { method: 'put', path: `/contact/${z.id}/`, body: { [role]: 'Economic Buyer' } },
  ]);
  const status = (id: unknown) => rows()[at(id, 'Sync status')[0] - 1][at(id, 'Sync status')[1] - 1];
  expect([status(x.id), status(z.id)]).toEqual([`updated · ${STAMP}`, `updated · ${STAMP}`]);
  // The pulled role is kept as a hash (pulled-value.ts): the message cannot show it.
  expect(status(y.id)).toBe(
    `conflict: Decision Role changed in Close since your pull: Close has "Skeptic", you have "Champion". Not sent. · ${STAMP}`,
  );
});

test.each([
  [101, false],
  [100, true],
])(
  'no room for another batch (more() false), %i leads: the plan stops after its first batch, sends no next search; done: %s',
  (leads, done) => {
    const w = coreWorld({ org: buildSampleOrg({ leads }) });
    const ctx = loadSyncContext(w.deps);
    w.clearSent();
    const ids = idsOf(w);
    const changes = ids.map((id, i) => ({
      row: i + 2,
      leadId: id,
      leadName: String(w.close.leads.get(id)!.name),
      edits: [
        {
          key: 'description',
          header: 'Description',
          old: w.close.leads.get(id)!.description ?? null,
          value: `edit ${id}`,
        },
      ],
      problems: [],
    }));
    const recorded: string[] = [];
    const run = {
      ctx,
      mode: 'replace' as const,
      stopAt: Number.POSITIVE_INFINITY,
      more: () => false,
      retryRefused: true,
    };
    expect(runPlan(w.deps.client, run, changes, (o) => recorded.push(o.checked.change.leadId))).toBe(done);
    const first = ids.slice(0, 100);
    expect(recorded).toEqual(first);
    expect(w.leadCalls()).toEqual([
      searchCall(first, ['description']),
      ...first.map((id) => put(id, { description: `edit ${id}` })),
    ]);
  },
);
