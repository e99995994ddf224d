// The push plan (src/core/sync/plan.ts) as push, preview and undo use it, run from src/ through the core
// world: the exact requests each sends, in order, and what the undo records when its steps are cut by
// the time limit or killed between the PUTs and the push log's marks.
import { buildSampleOrg, WAYNE_LEAD_ID } from '../../dev/fake-close';
import type { Grid, Workbook } from '../../src/core/ports';
import { deadlineAfter } from '../../src/core/sync/job';
import { previewPush } from '../../src/core/sync/preview';
import { PUSH_LOG_SHEET } from '../../src/core/sync/push-log';
import { newUndoJob, runUndoStep } from '../../src/core/sync/undo';
import { type CoreWorld, coreWorld, STAMP } from './core-world';

const pulled = (leads = 12, close = {}): CoreWorld => {
  const w = coreWorld({ org: buildSampleOrg({ leads }), close });
  w.pull();
  w.clearSent();
  return w;
};
const idsOf = (w: CoreWorld) => [...w.close.leads.keys()].sort();
const get = (id: string, fields: string) => ({ method: 'get', path: `/lead/${id}/?_fields=id,${fields}` });
const put = (id: string, body: object) => ({ method: 'put', path: `/lead/${id}/`, body });
const LOG_BY = `rep@acme.test at ${STAMP}`;
/** The push log's Field and Undone columns. */
const marks = (w: CoreWorld) =>
  (w.runtime.spreadsheet.dump(PUSH_LOG_SHEET) as unknown[][]).slice(1).map((r) => [r[4], r[7], r[10]]);

test('preview is the plan checked and not sent: one GET per edited lead, no PUT, conflicts marked', () => {
  const w = pulled();
  const [a, b] = idsOf(w).filter((id) => id !== WAYNE_LEAD_ID);
  w.edit(a, 'Description', 'mine');
  w.edit(b, 'Name', 'Renamed');
  w.close.touchLead(a, { description: 'theirs' });
  const preview = previewPush(w.deps);
  expect(w.leadCalls()).toEqual([get(a, 'description'), get(b, 'name')]);
  expect(preview.items.map((i) => [i.leadId, i.key, i.new, i.state])).toEqual(
    [
      [a, 'description', 'mine', 'conflict'],
      [b, 'name', 'Renamed', 'send'],
    ].sort((x, y) => (w.rowOf(x[0]) < w.rowOf(y[0]) ? -1 : 1)),
  );
  expect(w.close.leads.get(b)!.name).not.toBe('Renamed');
});

test("a plan of more than one batch: the next batch's checks travel with this batch's PUTs", () => {
  const w = pulled(150);
  const ids = idsOf(w);
  for (const id of ids) w.edit(id, 'Description', `edit ${id}`);
  expect(w.push()).toMatchObject({ updated: 150, failed: 0, conflicts: 0 });
  const [first, second] = [ids.slice(0, 100), ids.slice(100)];
  const calls = w.leadCalls();
  const firstPut = calls.findIndex((c) => c.method === 'put');
  const secondPut = calls.findIndex((c) => c.method === 'put' && second.includes(c.path.split('/')[2]));
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
  // The first batch's checks; then its PUTs in the same waves as the second batch's checks (the waves'
  // order within is the rate budgets'); then the second batch's PUTs.
  expect(calls.slice(0, firstPut)).toEqual(first.map((id) => get(id, 'description')));
  expect([...calls.slice(firstPut, secondPut)].sort(byPath)).toEqual(
    [
      ...first.map((id) => put(id, { description: `edit ${id}` })),
      ...second.map((id) => get(id, 'description')),
    ].sort(byPath),
  );
  expect(calls.slice(secondPut)).toEqual(second.map((id) => put(id, { description: `edit ${id}` })));
});

describe('undo: the plan run backwards', () => {
  test('a GET of the logged fields per lead, then one PUT of the old values; a field changed since is left alone', () => {
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
    expect(w.leadCalls()).toEqual([
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
