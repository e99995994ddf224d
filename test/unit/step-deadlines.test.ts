// What a push or undo step says and how it keeps to its time when Close makes it wait (push.ts,
// undo.ts, plan.ts, multi-value.ts, context.ts): its progress names what it did (leads updated, leads
// created); an add/remove value left to send once the step's time is up is not waited for (the row says
// what reached Close, the next push sends the rest); nor is the schema's load at the step's start (the
// step ends, the next one loads it; a load refused for another reason throws that). Run from src/ through
// the core world, on its virtual clock.
import { type Deadline, deadlineAfter } from '../../src/core/sync/job';
import { newPushJob, runPushStep } from '../../src/core/sync/push';
import { newUndoJob, runUndoStep } from '../../src/core/sync/undo';
import { API_KEY } from '../../dev/world';
import { type CoreWorld, idsOf, pulledWorld, putCall, STAMP } from './core-world';

const STEP_MS = 15_000;
/** One step of STEP_MS, and the virtual time it took. */
function step<T>(w: CoreWorld, run: (deadline: Deadline) => T): T & { elapsed: number } {
  const start = w.clock.now();
  const out = run(deadlineAfter(w.deps.clock, STEP_MS));
  return { ...out, elapsed: w.clock.now() - start };
}

test('a step that creates leads says how many it created, beside the leads it updated', () => {
  // Four PUTs and two POSTs per 10 s: six edited leads take two 15-second steps, five new rows three.
  const w = pulledWorld(12, {
    rateLimits: {
      'PUT /lead/{id}/': { limit: 4, windowMs: 10_000 },
      'POST /lead/': { limit: 2, windowMs: 10_000 },
    },
  });
  for (const id of idsOf(w).slice(0, 6)) w.edit(id, 'Description', `edit ${id}`);
  for (let row = 14; row <= 18; row++) w.type(row, 'Name', `New ${row}`);
  const messages: string[] = [];
  const summary = w.push({}, STEP_MS, (s) => messages.push(s.message));
  // (The second and third steps said "Pushed 6 leads so far".)
  expect(messages).toEqual([
    'Pushed 4 leads so far (step 1)…',
    'Pushed 6 leads and created 2 leads so far (step 2)…',
    'Pushed 6 leads and created 4 leads so far (step 3)…',
    summary.message,
  ]);
  expect(summary).toMatchObject({ updated: 6, created: 5, failed: 0 });
});

test("an add-only push's further values wait no longer than the step: what reached Close is recorded, the next push sends the rest", () => {
  // One PUT a minute: the first value goes, the next three would wait three minutes past a 15 s step.
  const w = pulledWorld(12, { rateLimits: { 'PUT /lead/{id}/': { limit: 1, windowMs: 60_000 } } });
  const key = `custom.${w.close.org.customFields.find((f) => f.name === 'Product Interest')!.id}`;
  const id = idsOf(w)[0];
  expect(w.cell(id, 'Product Interest')).toBe('');
  w.edit(id, 'Product Interest', 'Choice 1; Choice 2; Choice 3; Choice 4');
  const first = step(w, (d) =>
    runPushStep(w.deps, newPushJob({ multiValue: 'add' }, w.clock.now(), 'rep'), d),
  );
  expect(first.elapsed).toBeLessThan(STEP_MS);
  expect(w.leadCalls().filter((c) => c.method === 'put')).toEqual([
    putCall(id, { [`${key}.add`]: 'Choice 1' }),
  ]);
  expect(w.close.leads.get(id)![key]).toEqual(['Choice 1']);
  expect(w.cell(id, 'Sync status')).toBe(
    `error: only part of this row reached Close (Not sent: out of time for this run): Product Interest: added Choice 1, not added Choice 2; Choice 3; Choice 4. Close now has Product Interest "Choice 1". Push again to send the rest · ${STAMP}`,
  );
  // The next push (a step of the full budget) sends the three values left, one a minute.
  w.clock.advance(60_000);
  w.clearSent();
  expect(w.push({ multiValue: 'add' })).toMatchObject({ updated: 1, failed: 0 });
  expect(w.leadCalls().filter((c) => c.method === 'put')).toEqual(
    ['Choice 2', 'Choice 3', 'Choice 4'].map((v) => putCall(id, { [`${key}.add`]: v })),
  );
  expect(w.close.leads.get(id)![key]).toEqual(['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4']);
});

test('a push or undo step whose schema Close makes wait past its time ends at once, and the next step loads it', () => {
  // One GET /status/lead/ every 10 minutes: the pull spent it.
  const TEN_MINUTES = 600_000;
  const w = pulledWorld(12, { rateLimits: { 'GET /status/lead/': { limit: 1, windowMs: TEN_MINUTES } } });
  const id = idsOf(w)[0];
  const before = w.close.leads.get(id)!.description;
  w.edit(id, 'Description', 'edited');
  const waiting = (what: string) =>
    `Close asked to wait longer than this step had left before it could load the fields: the ${what} goes on in the next step (step 1)…`;
  const push = step(w, (d) => runPushStep(w.deps, newPushJob({}, w.clock.now(), 'rep'), d));
  // (It waited the ten minutes, then pushed: Apps Script would have killed it.)
  expect(push).toMatchObject({ done: false, message: waiting('push'), elapsed: 0 });
  expect(w.leadCalls()).toEqual([]);
  w.clock.advance(TEN_MINUTES);
  const pushed = step(w, (d) => runPushStep(w.deps, push.job, d));
  expect(pushed).toMatchObject({ done: true, job: { steps: 2, totals: { updated: 1 } } });
  expect(w.close.leads.get(id)!.description).toBe('edited');

  w.clock.advance(60_000);
  const job = newUndoJob(w.deps, 'rep')!;
  const undo = step(w, (d) => runUndoStep(w.deps, job, d));
  expect(undo).toMatchObject({ done: false, message: waiting('undo'), elapsed: 0 });
  w.clock.advance(TEN_MINUTES);
  const undone = step(w, (d) => runUndoStep(w.deps, undo.job, d));
  expect(undone).toMatchObject({ done: true, job: { steps: 2 }, result: { restored: 1 } });
  expect(w.close.leads.get(id)!.description).toBe(before);
});

test('a step that only creates leads says how many it created, one lead in the singular', () => {
  // One POST per 10 s: three new rows and no edits take three 15-second steps.
  const w = pulledWorld(12, { rateLimits: { 'POST /lead/': { limit: 1, windowMs: 10_000 } } });
  for (let row = 14; row <= 16; row++) w.type(row, 'Name', `New ${row}`);
  const messages: string[] = [];
  w.push({}, STEP_MS, (s) => messages.push(s.message));
  // (They said "Pushed 0 leads so far".)
  expect(messages).toEqual([
    'Created 1 lead so far (step 1)…',
    'Created 2 leads so far (step 2)…',
    'Pushed: 0 updated, 3 created, 0 failed, 0 with conflicts, 0 with invalid values, 12 unchanged.',
  ]);
});

test("a push step whose schema's load fails for a reason other than time throws that reason", () => {
  const w = pulledWorld(12);
  w.edit(idsOf(w)[0], 'Description', 'edited');
  w.close.revokeKey(API_KEY);
  w.clearSent();
  const job = newPushJob({}, w.clock.now(), 'rep');
  expect(() => runPushStep(w.deps, job, deadlineAfter(w.deps.clock, STEP_MS))).toThrow(
    'Close rejected the API key (401). Reconnect in the sidebar with a valid API key.',
  );
  expect(w.leadCalls()).toEqual([]);
});
