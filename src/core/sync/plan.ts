// The push plan, one for push, preview and undo. Each works on a plan — per object, the fields to send,
// each with the value Close should still hold (`old`) and the value to send (`value`): a LeadChange —
// and goes through the same stages:
//   check:  against Close now (conflicts.ts judges each field: send, already there, or a conflict),
//           read for a whole batch of leads by one search (batched-read.ts), a GET where it cannot tell;
//   send:   one PUT per object with the fields that passed (add/remove mode: one value per PUT, and a
//           row Close refused some fields of goes again without them);
//   record: the caller's (push: snapshot, push log, Sync status; undo: snapshot, cells, log marks).
// Preview is check alone (checkPlan); push and undo run the pipeline (runPlan): objects in the order
// given, in batches whose checks (a search per batch) travel in the same fetchAll waves as the previous
// batch's PUTs (Close limits searches and PUTs separately, so checking costs almost no time and about one
// request per 100 leads), stopping cleanly when time runs out.
import { type CloseCall, type CloseClient, type CloseReply, NOT_SENT } from '../close/client';
import type { Lead } from '../close/types';
import type { FieldEdit, LeadChange } from './changes';
import {
  type CheckedChange,
  currentValuesCall,
  type MultiValueMode,
  sortEdits,
  unchecked,
} from './conflicts';
import { batchedReadCall, IDS_PER_SEARCH, leadsFound } from './batched-read';
import type { SyncContext } from './context';
import { type SentChange, sendUpdates, updateBodies } from './multi-value';
import { errorNamesField } from './refusals';

/** Objects per pipelined batch: about one window of Close's PUT budget. */
export const BATCH = 100;
/** Rounds of "send the row again without the fields Close refused" (Close may name one at a time). */
const MAX_REFUSAL_ROUNDS = 3;

export interface Refusal {
  edit: FieldEdit;
  message: string;
}

/** What happened to one object of the plan, handed to the caller's record stage in plan order. */
export interface PlanOutcome {
  checked: CheckedChange;
  /** The last PUT's reply; undefined when nothing was sent (an error, a conflict, nothing to send). */
  reply: CloseReply | undefined;
  /** Close's object after the last PUT it accepted (some add/remove values may have failed after it). */
  accepted?: Lead;
  /** Fields Close refused while it took the others (they were sent again without them). */
  refused: Refusal[];
}

export interface PlanRun {
  ctx: SyncContext;
  mode: MultiValueMode;
  /** Clock time after which no request may wait to be sent (the step's deadline, less its reserve). */
  stopAt: number;
  /**
   * Until the first object is recorded, requests may wait until this later time (the latest that still
   * leaves the first batch's writes, at their worst, inside Apps Script's limit): a step that starts
   * late, or finds Close's rate window spent by the step before, still records something, instead of
   * ending empty-handed and leaving the same wait to the next step, and the next (pull-step.ts does the
   * same for its first page).
   */
  firstStopAt?: number;
  /** Whether there is time to start another batch. */
  more(): boolean;
  /** Send a row again without the fields Close refused (push); undo restores a lead's fields together. */
  retryRefused: boolean;
  /**
   * The run goes on from an earlier step (the job's second step or later). That step may have stopped in the
   * middle of a batch — a revoked key, a fault thrown between a wave of PUTs and their recording, an
   * add/remove value left for later after the next lead's PUT went — so the first objects here may hold
   * values it wrote without recording them. A search may not show such a write yet (Close's index lags),
   * and would let the field go again: the first batch is read with a GET per object instead, which does
   * show it ("already up to date"), so no edit is applied twice. At most one batch of GETs per step.
   */
  resumed?: boolean;
}

const unsent = (r: CloseReply | undefined) => r !== undefined && !r.ok && r.status === NOT_SENT;

/**
 * How a batch is checked: leads by one search per IDS_PER_SEARCH of them (batched-read.ts), contacts and
 * opportunities by a GET each (custom-field subsets are documented for leads only, current-values.ts).
 */
export interface BatchCheck {
  batch: LeadChange[];
  /** The leads each search reads, in `calls` order (the searches come first). */
  searched: LeadChange[][];
  /** Objects read with a GET each, after the searches in `calls`. */
  direct: LeadChange[];
  calls: CloseCall[];
}

export function planChecks(ctx: SyncContext, batch: LeadChange[], byGet = false): BatchCheck {
  const withEdits = batch.filter((c) => c.edits.length > 0);
  const searched: LeadChange[][] = [];
  const search = ctx.spec.kind === 'lead' && !byGet;
  const direct = search ? [] : withEdits;
  if (search)
    for (let i = 0; i < withEdits.length; i += IDS_PER_SEARCH)
      searched.push(withEdits.slice(i, i + IDS_PER_SEARCH));
  const calls = [...searched.map(batchedReadCall), ...direct.map((c) => currentValuesCall(c, ctx.spec))];
  return { batch, searched, direct, calls };
}

/**
 * A search's verdict is taken only when it lets every edited field go: Close shows each one as pulled
 * (or, in add/remove mode, with something left to add or remove). Anything else — a conflict, a value
 * already there, a lead missing from the answer — is read again with a GET before it is decided, so a
 * search index that lags a change (our own PUT a moment ago, before an undo or a second push) cannot turn
 * into a false conflict or a false "already there". What it can still miss is a colleague's change made in
 * the index's last moments before the search, which then goes the way a change made between a GET and its
 * PUT always could (the check→PUT window the GET per lead had too).
 */
function clears(c: CheckedChange): boolean {
  return (
    !c.error && c.conflicts.length === 0 && c.already.length === 0 && c.send.length === c.change.edits.length
  );
}

/**
 * Judges a batch from its check replies (in `check.calls` order). Leads the searches could not clear are
 * read with a GET here, in one wave. Returns the checked changes up to the first object whose check could
 * not be sent in time (`complete` false: it and every object after it wait for the next step).
 */
export function judgeBatch(
  client: Pick<CloseClient, 'callAll'>,
  ctx: SyncContext,
  check: BatchCheck,
  replies: CloseReply[],
  mode: MultiValueMode,
  stopAt?: number,
  firstBy?: number,
): { checked: CheckedChange[]; complete: boolean } {
  const verdict = new Map<LeadChange, CheckedChange>();
  const replyOf = new Map<LeadChange, CloseReply>();
  const reread: LeadChange[] = [];
  check.searched.forEach((leads, i) => {
    const reply = replies[i];
    if (unsent(reply)) {
      for (const c of leads) replyOf.set(c, reply);
      return;
    }
    const found = leadsFound(reply);
    for (const c of leads) {
      const lead = found.get(c.leadId);
      const judged = lead ? sortEdits(ctx, c, { ok: true, status: 200, data: lead }, mode) : undefined;
      if (judged && clears(judged)) verdict.set(c, judged);
      else reread.push(c);
    }
  });
  check.direct.forEach((c, i) => {
    replyOf.set(c, replies[check.searched.length + i]);
  });
  if (reread.length > 0) {
    const gets = client.callAll(
      reread.map((c) => currentValuesCall(c, ctx.spec)),
      stopAt,
      firstBy,
    );
    reread.forEach((c, i) => {
      replyOf.set(c, gets[i]);
    });
  }
  const { batch } = check;
  const needs = (c: LeadChange) => c.edits.length > 0 && !verdict.has(c);
  const firstUnchecked = batch.findIndex((c) => needs(c) && unsent(replyOf.get(c)));
  const ready = firstUnchecked < 0 ? batch : batch.slice(0, firstUnchecked);
  const checked = ready.map(
    (c) => verdict.get(c) ?? (c.edits.length > 0 ? sortEdits(ctx, c, replyOf.get(c), mode) : unchecked(c)),
  );
  return { checked, complete: firstUnchecked < 0 };
}

/** The preview's stage: every change checked against Close now, nothing sent. */
export function checkPlan(
  client: Pick<CloseClient, 'callAll'>,
  ctx: SyncContext,
  changes: LeadChange[],
  mode: MultiValueMode,
): CheckedChange[] {
  const check = planChecks(ctx, changes);
  return judgeBatch(client, ctx, check, client.callAll(check.calls), mode).checked;
}

/**
 * Check → send → record, batch after batch. `record` is called for each object in plan order, once its
 * PUTs are answered; an object whose check or PUT could not be sent before `stopAt` is not recorded, and
 * neither is any after it. Returns true when every object was recorded.
 */
export function runPlan(
  client: Pick<CloseClient, 'callAll'>,
  run: PlanRun,
  todo: LeadChange[],
  record: (outcome: PlanOutcome) => void,
): boolean {
  const { ctx, mode, stopAt } = run;
  let recorded = 0;
  const firstBy = () => (recorded === 0 ? run.firstStopAt : undefined);
  const batches: LeadChange[][] = [];
  for (let i = 0; i < todo.length; i += BATCH) batches.push(todo.slice(i, i + BATCH));
  const path = (c: CheckedChange) => ctx.spec.path(c.change.leadId);
  let check = planChecks(ctx, batches[0] ?? [], run.resumed);
  let pendingChecks = client.callAll(check.calls, stopAt, firstBy());
  for (let b = 0; b < batches.length; b++) {
    const { checked, complete } = judgeBatch(client, ctx, check, pendingChecks, mode, stopAt, firstBy());
    // One body per request: several when add/remove mode sends several values of a field (multi-value.ts).
    const bodies = new Map<CheckedChange, Record<string, unknown>[]>();
    for (const c of checked) if (!c.error && c.send.length > 0) bodies.set(c, updateBodies(ctx, c, mode));
    // An add/remove-mode edit with nothing to add or remove sends no request.
    const toSend = checked.filter((c) => (bodies.get(c)?.length ?? 0) > 0);
    const more = complete && b + 1 < batches.length && run.more();
    const next = more ? planChecks(ctx, batches[b + 1]) : null;
    const { sent, alongside } = sendUpdates(client, path, bodies, toSend, stopAt, firstBy(), next?.calls);
    const refused = run.retryRefused
      ? sendWithoutRefused(client, ctx, sent, mode, stopAt, firstBy())
      : new Map<CheckedChange, Refusal[]>();
    pendingChecks = alongside;
    if (next) check = next;
    for (const c of checked) {
      const outcome = sent.get(c);
      // Not sent in time: the object and those after it are the next step's. But one whose first PUT
      // Close took and whose further values were not sent is recorded now, with what Close holds.
      if (unsent(outcome?.reply) && !outcome?.accepted) return false;
      record({
        checked: c,
        reply: outcome?.reply,
        accepted: outcome?.accepted,
        refused: refused.get(c) ?? [],
      });
      recorded++;
    }
    if (!complete || !more) return complete && b + 1 === batches.length;
  }
  return true;
}

/**
 * Close refused some fields of a row (400 with field-errors naming only fields the row sent): the row
 * goes again without them, so its other edits reach Close. The refused edits stay in their cells (the
 * snapshot does not move for them) and the row's status names both.
 */
function sendWithoutRefused(
  client: Pick<CloseClient, 'callAll'>,
  ctx: SyncContext,
  sent: Map<CheckedChange, SentChange>,
  mode: MultiValueMode,
  stopAt: number,
  firstBy?: number,
): Map<CheckedChange, Refusal[]> {
  const refusedOf = new Map<CheckedChange, Refusal[]>();
  const path = (c: CheckedChange) => ctx.spec.path(c.change.leadId);
  let round = [...sent.keys()];
  for (let n = 0; n < MAX_REFUSAL_ROUNDS && round.length > 0; n++) {
    const again: CheckedChange[] = [];
    for (const c of round) {
      const outcome = sent.get(c);
      const reply = outcome?.reply;
      // Only a refused first request: once Close took part of the row (an add/remove round), it keeps it.
      if (!reply || reply.ok || reply.status !== 400 || outcome?.accepted) continue;
      const refusals = refusedEdits(c.send, reply.fieldErrors);
      // Errors not tied to the fields sent, or every field refused: the row fails as a whole.
      if (!refusals || refusals.length === c.send.length) continue;
      const list = refusedOf.get(c) ?? [];
      list.push(...refusals);
      refusedOf.set(c, list);
      c.send = c.send.filter((e) => !refusals.some((r) => r.edit === e));
      again.push(c);
    }
    const bodies = new Map(again.map((c) => [c, updateBodies(ctx, c, mode)]));
    const ready = again.filter((c) => bodies.get(c)!.length > 0);
    if (ready.length === 0) break;
    for (const [c, outcome] of sendUpdates(client, path, bodies, ready, stopAt, firstBy).sent)
      sent.set(c, outcome);
    round = ready;
  }
  return refusedOf;
}

/** The edits each field-error names (`custom.cf_x`, `custom.cf_x.add`, `emails.0.email`; `status` for status_id), or null when one names none. */
function refusedEdits(edits: FieldEdit[], fieldErrors: Record<string, string>): Refusal[] | null {
  const keys = Object.keys(fieldErrors);
  if (keys.length === 0) return null;
  const refusals: Refusal[] = [];
  for (const key of keys) {
    const edit = edits.find((e) => errorNamesField(key, e.key));
    if (!edit) return null;
    const known = refusals.find((r) => r.edit === edit);
    if (known) known.message += `; ${fieldErrors[key]}`;
    else refusals.push({ edit, message: fieldErrors[key] });
  }
  return refusals;
}
