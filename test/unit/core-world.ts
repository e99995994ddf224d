// The sync core run directly from src/ (so mutation testing can mutate it): the real Sheets adapter
// (src/gas/grid.ts) over the in-memory SpreadsheetApp of dev/gas-fakes, and a narrow Http port that hands
// each request to the fake Close API and records it. Pulls and pushes run step by step like the add-on
// runs them, on a virtual clock.
import { API_KEY } from '../../dev/world';
import { buildSampleOrg, FakeClose, type FakeCloseOptions } from '../../dev/fake-close';
import type { FakeOrg } from '../../dev/fake-close/types';
import { createGasRuntime, type GasRuntime, VirtualClock } from '../../dev/gas-fakes';
import { CloseClient } from '../../src/core/close/client';
import type { Clock, Http, HttpRequest } from '../../src/core/ports';
import type { SyncDeps } from '../../src/core/sync/context';
import type { PullDefinition } from '../../src/core/sync/pull-definition';
import { deadlineAfter } from '../../src/core/sync/job';
import { newPullJob, runPullStep } from '../../src/core/sync/pull-step';
import {
  newPushJob,
  type PushOptions,
  type PushStep,
  type PushSummary,
  runPushStep,
} from '../../src/core/sync/push';
import { newUndoJob, runUndoStep, type UndoResult } from '../../src/core/sync/undo';
import { activeWorkbook, columnLetter } from '../../src/gas/grid';
import { fakeCloseHttp } from './fake-close-http';

export const SHEET = 'Close Leads';
/** More steps than any test's pull or push takes. */
const MAX_STEPS = 20;
/** The virtual clock's start (09:00 UTC) as a status stamp in the sheet's zone (New York). */
export const STAMP = '2026-11-28 04:00';

export interface CoreWorld {
  close: FakeClose;
  runtime: GasRuntime;
  clock: VirtualClock;
  deps: SyncDeps;
  /** Requests sent, API base cut off and bodies parsed. */
  sent(method?: string): Array<{ method: string; path: string; body?: unknown }>;
  /** Requests about leads (GET checks, PUTs, POSTs), the schema's requests left out; paths URL-decoded. */
  /** Requests about leads: GETs and PUTs of /lead/…, and the conflict check's searches (`searchCall`). */
  leadCalls(): Array<{ method: string; path: string; body?: unknown }>;
  clearSent(): void;
  /** Runs once, as the rep's own action, before the first request that `when` matches is answered. */
  before(when: (req: HttpRequest) => boolean, act: () => void): void;
  /** A pull run to its end: all leads (the default), or another definition (contacts, opportunities). */
  pull(definition?: PullDefinition): void;
  /**
   * A push run to its end (each step with `stepMs` of time); returns the summary. `onStep` sees each
   * step as it ends (the requests it sent are still in `sent`).
   */
  push(options?: PushOptions, stepMs?: number, onStep?: (step: PushStep) => void): PushSummary;
  /** An undo of the last push run to its end (each step with `stepMs` of time): its result and steps. */
  undo(stepMs?: number): { result: UndoResult; steps: number };
  /** The sheet as the rep sees it: header row first. */
  rows(): unknown[][];
  col(header: string): number;
  /** The 1-based sheet row of a Lead ID. */
  rowOf(leadId: string): number;
  cell(leadId: string, header: string): unknown;
  /** The rep types into a cell (Sheets' coercion applies). */
  type(row: number, header: string, value: unknown): void;
  edit(leadId: string, header: string, value: unknown): void;
  sheet(): GoogleAppsScript.Spreadsheet.Sheet;
}

/**
 * The next step is a new execution (the sidebar's continueSync, or the trigger): it never starts the instant
 * the last one ended. (Here Spreadsheet calls take no virtual time, so without this a step that could send
 * nothing before its end — the rate window's reset lies past it — would meet the same wait forever.)
 */
const BETWEEN_STEPS_MS = 1_000;

export function coreWorld(options: { org?: FakeOrg; close?: FakeCloseOptions } = {}): CoreWorld {
  // A small organization keeps each test (run once per mutant) fast.
  const clock = new VirtualClock();
  const close = new FakeClose(options.org ?? buildSampleOrg({ leads: 12 }), {
    now: () => clock.now(),
    ...options.close,
  });
  const runtime = createGasRuntime({ http: (req) => close.handle(req), clock, quiet: true });
  const SpreadsheetApp = runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  Object.assign(globalThis, { SpreadsheetApp });
  const log: HttpRequest[] = [];
  const hooks: Array<{ when: (req: HttpRequest) => boolean; act: () => void }> = [];
  const http: Http = fakeCloseHttp(close, (r) => {
    log.push(r);
    const hook = hooks.findIndex((h) => h.when(r));
    if (hook >= 0) hooks.splice(hook, 1)[0].act();
  });
  const virtual: Clock = { now: () => clock.now(), sleep: (ms) => clock.advance(ms) };
  const deps: SyncDeps = {
    client: new CloseClient(http, virtual, API_KEY, { random: () => 0.5 }),
    workbook: activeWorkbook(),
    clock: virtual,
  };
  const book = runtime.spreadsheet;
  const sheet = () => SpreadsheetApp.getActiveSpreadsheet().getSheetByName(SHEET)!;
  const rows = () => book.dump(SHEET) as unknown[][];
  const col = (header: string) => {
    const i = (rows()[0] as string[]).indexOf(header);
    if (i < 0) throw new Error(`no column "${header}"`);
    return i + 1;
  };
  const rowOf = (leadId: string) => {
    const letters = columnLetter(col('Lead ID'));
    const i = book.read(SHEET, `${letters}1:${letters}`).findIndex((r) => r[0] === leadId);
    if (i < 0) throw new Error(`no row for ${leadId}`);
    return i + 1;
  };
  const world: CoreWorld = {
    close,
    runtime,
    clock,
    deps,
    sent: (method) =>
      log
        .filter((r) => !method || r.method === method)
        .map((r) => ({
          method: r.method,
          path: r.url.replace('https://api.close.com/api/v1', ''),
          ...(r.body ? { body: JSON.parse(r.body) } : {}),
        })),
    leadCalls: () =>
      world
        .sent()
        .filter((r) => r.path.startsWith('/lead/') || r.path === '/data/search/')
        .map((r) => ({ ...r, path: decodeURIComponent(r.path) })),
    clearSent: () => {
      log.length = 0;
    },
    before: (when, act) => hooks.push({ when, act }),
    pull: (definition) => {
      let job = newPullJob({}, clock.now(), 'rep@acme.test', definition);
      // A job that never ends fails at once (a mutant that loops would otherwise time out).
      for (let steps = 0; steps < MAX_STEPS; steps++) {
        const step = runPullStep(deps, job, deadlineAfter(virtual));
        if (step.done) return;
        job = step.job;
      }
      throw new Error(`the pull did not end in ${MAX_STEPS} steps`);
    },
    push: (pushOptions = {}, stepMs, onStep) => {
      let job = newPushJob(pushOptions, clock.now(), 'rep@acme.test');
      for (let steps = 0; steps < MAX_STEPS; steps++) {
        const step = runPushStep(deps, job, deadlineAfter(virtual, stepMs));
        onStep?.(step);
        if (step.done) return step.summary!;
        job = step.job;
        clock.advance(BETWEEN_STEPS_MS);
      }
      throw new Error(`the push did not end in ${MAX_STEPS} steps`);
    },
    undo: (stepMs) => {
      let job = newUndoJob(deps, 'rep@acme.test');
      if (!job) throw new Error('nothing to undo');
      for (let steps = 1; steps <= MAX_STEPS; steps++) {
        const step = runUndoStep(deps, job, deadlineAfter(virtual, stepMs));
        if (step.done) return { result: step.result!, steps };
        job = step.job;
        clock.advance(BETWEEN_STEPS_MS);
      }
      throw new Error(`the undo did not end in ${MAX_STEPS} steps`);
    },
    rows,
    col,
    rowOf,
    cell: (leadId, header) => rows()[rowOf(leadId) - 1][col(header) - 1],
    type: (row, header, value) => book.userEdit(SHEET, [row, col(header)], value),
    edit: (leadId, header, value) => book.userEdit(SHEET, [rowOf(leadId), col(header)], value),
    sheet,
  };
  return world;
}

/** A world with `leads` sample leads pulled into the sheet and nothing recorded as sent yet. */
export function pulledWorld(leads = 12, close: FakeCloseOptions = {}): CoreWorld {
  const w = coreWorld({ org: buildSampleOrg({ leads }), close });
  w.pull();
  w.clearSent();
  return w;
}

/** The fake Close's lead ids, sorted (the order a push sends them in). */
export const idsOf = (w: CoreWorld) => [...w.close.leads.keys()].sort();
/** A conflict check's GET of one lead's edited fields, as `leadCalls` lists it. */
export const getCall = (id: string, fields: string) => ({
  method: 'get',
  path: `/lead/${id}/?_fields=id,${fields}`,
});
/** An update, as `leadCalls` lists it. */
export const putCall = (id: string, body: object) => ({ method: 'put', path: `/lead/${id}/`, body });
/** A create, as `leadCalls` lists it. */
export const postCall = (body: object) => ({ method: 'post', path: '/lead/', body });

/**
 * The body of the conflict check's one search for a batch of leads (src/core/sync/batched-read.ts):
 * exactly these ids, and only `id` and the fields they edit (in the order the batch first edits them).
 * Written out here, not built by the product's code, so a change to the query is a failing test.
 */
export function searchBody(ids: string[], fields: string[]) {
  return {
    query: {
      type: 'and',
      queries: [
        { type: 'object_type', object_type: 'lead' },
        {
          type: 'field_condition',
          field: { type: 'regular_field', object_type: 'lead', field_name: 'id' },
          condition: { type: 'reference', reference_type: 'lead', object_ids: ids },
        },
      ],
    },
    _fields: { lead: ['id', ...fields] },
    _limit: 200,
  };
}

/** That search as `leadCalls` lists it. */
export function searchCall(ids: string[], fields: string[]) {
  return { method: 'post', path: '/data/search/', body: searchBody(ids, fields) };
}
