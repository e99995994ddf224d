// How a pull step keeps to its time when Close makes the requests at its start wait (pull-step.ts
// schemaSendBy, close/org.ts fetchMe and loadOrgContext): the schema, the GET /me/ when the key's owner
// is not saved, and an incremental refresh's first Event Log page are not waited for past the step's
// time — the step ends at once, writing nothing, and the next one starts it again. The same deadline
// covers a push step's GET /me/. Run from src/ through the core world, on its virtual clock.
import type { PullDefinition } from '../../src/core/sync/pull-definition';
import { type Deadline, deadlineAfter, type PullJob } from '../../src/core/sync/job';
import { newPullJob, runPullStep } from '../../src/core/sync/pull-step';
import { newPushJob, runPushStep } from '../../src/core/sync/push';
import { type CoreWorld, coreWorld, idsOf, pulledWorld } from './core-world';
import { buildSampleOrg } from '../../dev/fake-close';

const STEP_MS = 15_000;
const TEN_MINUTES = 600_000;
const waiting = (what: string, job: string) =>
  `Close asked to wait longer than this step had left before it could load ${what}: the ${job} goes on in the next step (step 1)…`;

/** One step of STEP_MS, and the virtual time it took. */
function step<T>(w: CoreWorld, run: (deadline: Deadline) => T): T & { elapsed: number } {
  const start = w.clock.now();
  const out = run(deadlineAfter(w.deps.clock, STEP_MS));
  return { ...out, elapsed: w.clock.now() - start };
}

/** A pull run step by step to its end; its last job (the definition it saved, with its refresh mark). */
function pullToEnd(w: CoreWorld, definition?: PullDefinition): PullJob {
  let job = newPullJob({}, w.clock.now(), 'rep@acme.test', definition);
  for (let steps = 0; steps < 10; steps++) {
    const s = runPullStep(w.deps, job, deadlineAfter(w.deps.clock));
    if (s.done) return s.job;
    job = s.job;
  }
  throw new Error('the pull did not end');
}

test('a pull step whose schema Close makes wait past its time ends at once, writing nothing; the next step pulls', () => {
  // One GET /status/lead/ every 10 minutes: the first pull spent it.
  const w = pulledWorld(12, { rateLimits: { 'GET /status/lead/': { limit: 1, windowMs: TEN_MINUTES } } });
  const id = idsOf(w)[0];
  w.close.touchLead(id, { description: 'changed in Close' });
  const before = w.rows();
  const job = newPullJob({}, w.clock.now(), 'rep@acme.test');
  const first = step(w, (d) => runPullStep(w.deps, job, d));
  // (It waited the ten minutes, then pulled: Apps Script would have killed it.)
  expect(first).toMatchObject({ done: false, message: waiting('the fields', 'pull'), elapsed: 0 });
  // The job is the one it started from, one step on: the next step plans and loads everything again.
  expect(first.job).toEqual({ ...job, steps: 1 });
  // Only the count, sent with the schema's other requests: no page of leads.
  expect(w.leadCalls()).toEqual([{ method: 'get', path: '/lead/?query=sort:created&_limit=1&_fields=id' }]);
  expect(w.rows()).toEqual(before);
  w.clock.advance(TEN_MINUTES);
  const second = step(w, (d) => runPullStep(w.deps, first.job, d));
  expect(second).toMatchObject({ done: true, job: { steps: 2, pager: { fetched: 12 } } });
  expect(w.cell(id, 'Description')).toBe('changed in Close');
});

test("a step whose GET /me/ (the key's owner not saved) Close makes wait past its time ends at once, pull or push", () => {
  // One GET /me/ every 10 minutes: the first pull spent it.
  const w = pulledWorld(12, { rateLimits: { 'GET /me/': { limit: 1, windowMs: TEN_MINUTES } } });
  const id = idsOf(w)[0];
  w.edit(id, 'Description', 'edited');
  const before = w.rows();
  const pull = step(w, (d) => runPullStep(w.deps, newPullJob({}, w.clock.now(), 'rep@acme.test'), d));
  expect(pull).toMatchObject({ done: false, message: waiting('who the key belongs to', 'pull'), elapsed: 0 });
  const push = step(w, (d) => runPushStep(w.deps, newPushJob({}, w.clock.now(), 'rep'), d));
  expect(push).toMatchObject({ done: false, message: waiting('who the key belongs to', 'push'), elapsed: 0 });
  // Nothing was sent past the GET /me/ (nor it), nothing written.
  expect(w.sent()).toEqual([]);
  expect(w.rows()).toEqual(before);
  w.clock.advance(TEN_MINUTES);
  const pushed = step(w, (d) => runPushStep(w.deps, push.job, d));
  expect(pushed).toMatchObject({ done: true, job: { steps: 2, totals: { updated: 1 } } });
  expect(w.close.leads.get(id)!.description).toBe('edited');
});

test("an incremental refresh whose Event Log Close makes wait past the step's time ends at once, and the next step refreshes incrementally", () => {
  // One GET /event/ every 10 minutes: the first refresh spends it.
  const w = coreWorld({
    org: buildSampleOrg({ leads: 12 }),
    close: { rateLimits: { 'GET /event/': { limit: 1, windowMs: TEN_MINUTES } } },
  });
  const full = pullToEnd(w);
  w.clock.advance(60_000);
  const refreshed = pullToEnd(w, full.definition);
  expect(refreshed.mode).toMatchObject({ kind: 'incremental' });
  w.clock.advance(60_000);
  const id = idsOf(w)[0];
  w.close.touchLead(id, { description: 'changed in Close' });
  const before = w.rows();
  w.clearSent();
  const job = newPullJob({}, w.clock.now(), 'rep@acme.test', refreshed.definition);
  const first = step(w, (d) => runPullStep(w.deps, job, d));
  // (The Event Log's page was waited for ten minutes.)
  expect(first).toMatchObject({ done: false, message: waiting("Close's Event Log", 'pull'), elapsed: 0 });
  // Not planned yet (the next step asks for the same Event Log window), nothing written.
  expect(first.job).toEqual({ ...job, steps: 1 });
  // Only the count of changed leads, sent with the Event Log's page: no page of leads.
  expect(w.leadCalls()).toEqual([
    {
      method: 'get',
      path: '/lead/?query=date_updated >= "2026-11-28T08:56:00+00:00" sort:created&_limit=1&_fields=id',
    },
  ]);
  expect(w.rows()).toEqual(before);
  w.clock.advance(TEN_MINUTES);
  const second = step(w, (d) => runPullStep(w.deps, first.job, d));
  expect(second).toMatchObject({ done: true, job: { steps: 2, mode: { kind: 'incremental' } } });
  expect(w.cell(id, 'Description')).toBe('changed in Close');
});
