// Push: sheet → Close. Only changed fields are sent, each lead in one PUT, after a conflict check; the
// snapshot moves forward only for what Close accepted, and every row gets its result.
//
// Check, send and record follow the push plan (plan.ts), which preview and undo share. Leads are pushed
// in Lead ID order. A push runs in steps (job.ts); each step starts after the last Lead ID the previous
// one finished. A step that dies after a PUT but before recording it is harmless: the next
// check sees Close already holding the value and sends nothing.
import { type CloseReply, NOT_SENT } from '../close/client';
import { endedBeforeSchema } from '../close/org';
import type { Lead } from '../close/types';
import type { CellValue } from '../ports';
import { apiValuesEqual } from '../schema/codecs';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import { formatStamp } from '../schema/dates';
import { type ChangeSet, computeChanges, type LeadChange, requireSnapshot } from './changes';
import { writeColumnChanges } from './column-write-back';
import { type CreatedRow, fillCreatedValues } from './created-values';
import { type CheckedChange, conflictMessage, type MultiValueMode, unchecked } from './conflicts';
import { DEFAULT_SHEET, type SyncContext, type SyncDeps, loadSyncContext } from './context';
import { type Deadline, type PushJob, newJobId } from './job';
import {
  leadIdAt,
  readSheetAgain,
  readSheetTable,
  rowFinder,
  type SheetTable,
  sharesRowKeys,
} from './lead-sheet';
import { idHeader, lostIdColumn, lostIdColumnMessage } from './lost-id-column';
import {
  createdSinceCall,
  leadsNamed,
  mayHaveApplied,
  type PendingCreate,
  pendingCreate,
  pendingMark,
  withoutCheckAdvice,
} from './pending-create';
import {
  appendPushLog,
  createLogEntry,
  editLogEntries,
  logShape,
  type PushLogEntry,
  UNPLACED_LOG_FIELD,
} from './push-log';
import { type Snapshot, readSnapshot, writeSnapshot } from './snapshot';
import { loggedEdits, partialNote } from './multi-value';
import { BATCH, type PlanRun, type Refusal, runPlan } from './plan';
import {
  deniedHeaders,
  isPermissionRefusal,
  permissionAdvice,
  refusalText,
  speaksOfPermission,
} from './refusals';
import { type ReReadColumns, ResultWrites } from './step-writes';
import { wouldBecomeFormula } from './write-managed-columns';
import { PUBLISHED_SHEET_COST } from '../sheet-cost';

export interface PushOptions {
  sheetName?: string;
  /** How multi-value fields are sent: replaced whole (default), or only the values added / removed. */
  multiValue?: MultiValueMode;
}

export type RowOutcome = 'updated' | 'created' | 'error' | 'conflict' | 'invalid' | 'unchanged';

export interface RowResult {
  row: number;
  leadId: string;
  leadName: string;
  outcome: RowOutcome;
  message: string;
}

export interface PushSummary {
  sheetName: string;
  updated: number;
  created: number;
  failed: number;
  conflicts: number;
  invalid: number;
  unchanged: number;
  /** Rows held back because their values looked like another lead's (counted in `failed` too). */
  moved: number;
  /** Leads created in Close whose rows were deleted or changed meanwhile: their IDs are in no row. */
  unplaced?: number;
  steps: number;
  /** Rows that need the rep's attention (capped; the Sync status column has them all). */
  results: RowResult[];
  message: string;
}

export interface PushStep {
  job: PushJob;
  done: boolean;
  summary?: PushSummary;
  message: string;
}

const MAX_RESULTS = 20;
const MAX_RESULT_CHARS = 200;

export function newPushJob(
  options: PushOptions,
  now: number,
  user: string,
  definition: PushJob['definition'] = { kind: 'lead', fields: null },
): PushJob {
  return {
    kind: 'push',
    definition,
    multiValue: options.multiValue ?? 'replace',
    id: newJobId(now),
    sheetName: options.sheetName ?? DEFAULT_SHEET,
    startedAt: now,
    startedBy: user,
    steps: 0,
    doneThrough: '',
    createsDone: false,
    totals: { updated: 0, created: 0, failed: 0, conflicts: 0, invalid: 0 },
    results: [],
  };
}

interface StepState {
  ctx: SyncContext;
  table: SheetTable;
  snapshot: Snapshot;
  stamp: string;
  results: RowResult[];
  /** The leads Close holds for new rows (created, or found after an unanswered create). */
  createdIds: Map<LeadChange, Lead>;
  /** Fields Close accepted in this step, for the push log (undo). */
  log: PushLogEntry[];
  /** Per row: the fields Close refused while it took the others (they stay in their cells). */
  refused: Map<LeadChange, Refusal[]>;
  /** Per created row: a note for its status (found in Close after an unanswered create). */
  createNotes: Map<LeadChange, string>;
  /**
   * New rows marked pending whose POST could not be sent in time: never sent, so their Sync status goes
   * back to what it was (a mark would make the next step search Close for them first).
   */
  unmarked: Map<LeadChange, CellValue>;
  /** Objects recorded this step (updated, created, or failed): a step that has none may wait longer. */
  recorded: number;
  /** Each recorded change's result (a created lead whose row is gone changes its own: inNoRow). */
  resultOf: Map<LeadChange, RowResult>;
}

export function runPushStep(deps: SyncDeps, job: PushJob, deadline: Deadline): PushStep {
  job = { ...job, steps: job.steps + 1, totals: { ...job.totals }, results: [...job.results] };
  const grid = deps.workbook.sheet(job.sheetName);
  if (!grid) throw new Error(`There is no sheet named "${job.sheetName}" yet: pull leads first.`);
  // The sheet and its snapshot are read first, so that the schema's requests wait no later than the
  // step's others (ResultWrites): a wait for Close's rate limit past the step's time would get it killed.
  const table = readSheetTable(grid);
  const snapshot = readSnapshot(deps.workbook, job.sheetName);
  const cost = deps.sheetCost ?? PUBLISHED_SHEET_COST;
  const size = { rows: table.rows.length, width: table.width };
  const reread = reReadColumns(table);
  let ctx: SyncContext;
  try {
    const early = new ResultWrites(cost, deadline, size, reread, snapshot.size);
    ctx = loadSyncContext(deps, job.definition ?? { kind: 'lead', fields: null }, [], {
      stopAt: early.stopAt(0),
      firstBy: early.firstStopAt(0),
    });
  } catch (e) {
    return { job, done: false, message: endedBeforeSchema(e, 'push', job.steps) };
  }
  if (lostIdColumn(table, LEAD_ID_KEY))
    throw new Error(lostIdColumnMessage(job.sheetName, idHeader(ctx), ctx.spec.noun, 'push'));
  if (!table.columnOf.has(LEAD_ID_KEY))
    throw new Error(`"${job.sheetName}" has no ${idHeader(ctx)} column bound to Close: pull into it first.`);
  requireSnapshot(job.sheetName, table, snapshot);
  const changes = computeChanges(table, [...ctx.byKey.values()], snapshot, {
    noun: ctx.spec.noun,
    allowed: ctx.spec.canCreate,
  });
  const state: StepState = {
    ctx,
    table,
    snapshot,
    stamp: formatStamp(deps.clock.now(), ctx.timeZone),
    results: [],
    createdIds: new Map(),
    log: [],
    refused: new Map(),
    createNotes: new Map(),
    unmarked: new Map(),
    recorded: 0,
    resultOf: new Map(),
  };
  const todo = changes.updates
    .filter((c) => c.leadId > job.doneThrough)
    .sort((a, b) => (a.leadId < b.leadId ? -1 : 1));
  try {
    const writes = new ResultWrites(cost, deadline, size, reread, snapshot.size, logShape(job, todo));
    pushUpdates(deps, job, state, todo, writes);
    if (
      job.doneThrough === LAST &&
      !job.createsDone &&
      // No new rows: nothing to fit (a step with no room left would otherwise leave the job unfinished,
      // and so would every step after it). New rows are marked before their POSTs, after reading the
      // whole sheet again (pushCreates); a step that has recorded nothing starts them anyway.
      (changes.creates.length === 0 ||
        state.recorded === 0 ||
        writes.fits(state.results.length + changes.creates.length, changes.creates.length))
    ) {
      const n = state.results.length + changes.creates.length;
      job.createsDone =
        !ctx.spec.canCreate ||
        pushCreates(deps, job, state, changes.creates, writes.stopAt(n), writes.firstStopAt(n));
    }
  } catch (e) {
    // The caller saves how far this step got, so a resumed push does not redo it.
    if (e instanceof Error) Object.assign(e, { job });
    throw e;
  } finally {
    // Whatever happened (a revoked key, the time limit), what Close accepted is recorded.
    if (job.steps === 1) {
      addUnchangedRows(state, changes);
      job.totals.unchanged = changes.unchangedRows.length;
    }
    const done = job.doneThrough === LAST && job.createsDone;
    if (done) {
      addRowErrors(state, changes);
      job.totals.failed += changes.rowErrors.length;
    }
    writeResults(deps, job, state);
  }
  const done = job.doneThrough === LAST && job.createsDone;
  // The job record lives in a 9 KB property: keep a few results, shortened.
  for (const r of state.results) {
    if (r.outcome !== 'error' && r.outcome !== 'conflict' && r.outcome !== 'invalid') continue;
    if (job.results.length >= MAX_RESULTS) break;
    job.results.push({ ...r, outcome: r.outcome, message: r.message.slice(0, MAX_RESULT_CHARS) });
  }
  if (!done) return { job, done, message: progressMessage(job) };
  const moved = changes.rowErrors.filter((e) => e.kind === 'moved' || e.kind === 'cleared-id').length;
  const summary = pushSummary(job, moved);
  return { job, done, summary, message: summary.message };
}

/**
 * What a step that leaves work for the next says: the leads updated, and once the updates are done and
 * the new rows are being created, the leads created (a step that only creates updates none).
 */
function progressMessage(job: PushJob): string {
  const { updated, created } = job.totals;
  const step = `(step ${job.steps})…`;
  if (job.doneThrough !== LAST) return `Pushed ${updated} leads so far ${step}`;
  const leads = `${created} lead${created === 1 ? '' : 's'}`;
  return updated > 0
    ? `Pushed ${updated} leads and created ${leads} so far ${step}`
    : `Created ${leads} so far ${step}`;
}

/**
 * What writeResults reads again of the sheet when nothing moved (readSheetAgain): the Lead ID, Name and
 * Sync status columns, priced by what they hold at the step's start; or undefined, the whole sheet, when
 * rows share a Lead ID or a new row's Name (readSheetAgain reads it whole then).
 */
function reReadColumns(table: SheetTable): ReReadColumns | undefined {
  if (sharesRowKeys(table)) return undefined;
  const columns = [LEAD_ID_KEY, 'name', SYNC_STATUS_KEY]
    .map((key) => table.columnOf.get(key))
    .filter((c): c is number => c !== undefined);
  const charsOf = (column: number) =>
    table.rows.reduce((n, row) => n + String(row[column - 1] ?? '').length, 0);
  const status = table.columnOf.get(SYNC_STATUS_KEY);
  return {
    columns: columns.length,
    chars: columns.reduce((n, c) => n + charsOf(c), 0),
    statusChars: status === undefined ? 0 : charsOf(status),
  };
}

/** doneThrough once every update is done: sorts after any Lead ID. */
const LAST = '\uffff';

function pushUpdates(
  deps: SyncDeps,
  job: PushJob,
  state: StepState,
  todo: LeadChange[],
  writes: ResultWrites,
): void {
  const mode = job.multiValue ?? 'replace';
  const run: PlanRun = {
    ctx: state.ctx,
    mode,
    // Sized by the writes at the step's end: a batch starts only while they still fit after it.
    stopAt: writes.stopAt(todo.length),
    firstStopAt: writes.firstStopAt(Math.min(todo.length, BATCH)),
    more: () => writes.fits(state.results.length + BATCH),
    retryRefused: true,
    resumed: job.steps > 1,
  };
  const done = runPlan(deps.client, run, todo, ({ checked: c, reply, accepted, refused }) => {
    if (refused.length > 0) state.refused.set(c.change, refused);
    for (const a of c.already) state.snapshot.setField(c.change.leadId, a.edit.key, a.current);
    // What Close accepted, even when a later value of an add/remove was refused.
    if (accepted) {
      for (const e of c.send)
        state.snapshot.setField(c.change.leadId, e.key, state.ctx.byKey.get(e.key)!.column.extract(accepted));
      state.log.push(...editLogEntries(job, state.ctx, c.change, loggedEdits(state.ctx, c, mode), accepted));
    }
    record(job, state, c, reply, accepted);
    job.doneThrough = c.change.leadId;
  });
  if (done) job.doneThrough = LAST;
}

/**
 * New rows become leads (one POST each). A row whose last create went unanswered is first looked for
 * in Close (pending-create.ts); every other row is marked pending before its POST is sent. Requests
 * wait no later than `stopAt` (`firstStopAt` while the step has recorded nothing): a row whose search
 * or POST could not be sent in time is left as it was, for the next step. Returns whether every row
 * was done.
 */
function pushCreates(
  deps: SyncDeps,
  job: PushJob,
  state: StepState,
  creates: LeadChange[],
  stopAt: number,
  firstStopAt: number,
): boolean {
  const firstBy = () => (state.recorded === 0 ? firstStopAt : undefined);
  let done = true;
  const statusColumn = state.table.columnOf.get(SYNC_STATUS_KEY);
  const statusOf = (c: LeadChange) => (statusColumn ? state.table.rows[c.row - 2]?.[statusColumn - 1] : '');
  const pendingOf = new Map<LeadChange, PendingCreate>();
  for (const c of creates) {
    const p = pendingCreate(statusOf(c));
    if (p) pendingOf.set(c, p);
  }
  const pending = [...pendingOf.keys()];
  // Close holds the lead under the name the POST sent, whatever the row is called now.
  const sentName = (c: LeadChange) => pendingOf.get(c)!.sentName ?? c.leadName;
  const columnKeys = state.ctx.columns.map((c) => c.key);
  const lookups = deps.client.callAll(
    pending.map((c) => createdSinceCall(sentName(c), pendingOf.get(c)!.since, columnKeys)),
    stopAt,
    firstBy(),
  );
  let toCreate = creates.filter((c) => !pendingOf.has(c));
  pending.forEach((change, i) => {
    const reply = lookups[i];
    // Not asked in time: the mark stays, and the next step asks.
    if (!reply.ok && reply.status === NOT_SENT) {
      done = false;
      return;
    }
    if (!reply.ok) {
      // Not known whether it exists: creating now could make a second one. The mark stays.
      const message = `Could not check whether the earlier create reached Close (${reply.message}): not created. Push again. ${pendingMark(pendingOf.get(change)!.since, sentName(change))}`;
      record(job, state, { ...unchecked(change), error: message }, undefined);
      return;
    }
    const found = leadsNamed(reply, sentName(change), deps.owner?.userId);
    if (found.length === 0) toCreate.push(change);
    else if (found.length === 1) {
      state.createNotes.set(change, adoptedNote(state.ctx, change, sentName(change), found[0]));
      adoptCreated(job, state, change, found[0]);
      record(job, state, unchecked(change), { ok: true, status: 200, data: found[0] });
    } else {
      // Which one is the row's is the rep's to say. The mark stays: pushing again without choosing finds
      // the same leads and still creates none.
      const ids = found.map((l) => l.id).join(', ');
      record(
        job,
        state,
        {
          ...unchecked(change),
          error: `${found.length} leads named "${sentName(change)}" were created in Close since this row's earlier create went unanswered (${ids}): not created again. Put the right one's Lead ID in this row, then push. ${pendingMark(pendingOf.get(change)!.since, sentName(change))}`,
        },
        undefined,
      );
    }
  });
  toCreate.sort((a, b) => a.row - b.row);
  const now = deps.clock.now();
  const mark = (c: LeadChange) => pendingMark(now, c.leadName);
  /** Whether the rows sent are marked (a sheet without a Sync status column cannot be). */
  let marked = false;
  /** Each marked row's status before its mark (given back when its POST could not be sent in time). */
  const before = new Map<LeadChange, CellValue>();
  if (toCreate.length > 0) {
    // The updates before took time, so the sheet is read again. A new row the rep deleted or renamed
    // meanwhile is not created now: its Lead ID would have no row to go to, and the next push would
    // create it a second time. The next push takes it as it is then.
    const { grid } = state.table;
    grid.forgetExtent();
    const fresh = readSheetTable(grid);
    const rowNow = rowFinder(state.table, fresh);
    toCreate = toCreate.filter((c) => rowNow(c.row) !== undefined);
    // Marked before sending, each mark on its row where it is now: if the answer is lost, the next push
    // knows to look before creating. Only the marked cells change: the rows between keep their formulas
    // and text (column-write-back.ts).
    const column = fresh.columnOf.get(SYNC_STATUS_KEY);
    if (column && toCreate.length > 0) {
      const read = (i: number) => fresh.rows[i]?.[column - 1] ?? '';
      const marks = new Map(toCreate.map((c) => [rowNow(c.row)!, `creating… ${mark(c)}` as CellValue]));
      const formulas = writeColumnChanges(grid, 2, column, read, marks);
      for (const c of toCreate) {
        // What goes back if the POST cannot be sent in time: the rep's formula, or what the cell showed —
        // unless that is text that would become a formula when written: then the mark stays (the next
        // push looks for the lead in Close, finds none, and creates it).
        const i = rowNow(c.row)!;
        const status = formulas.get(i) ?? read(i);
        if (formulas.has(i) || !wouldBecomeFormula(status)) before.set(c, status);
      }
      marked = true;
    }
  }
  const replies = deps.client.callAll(
    toCreate.map((c) => ({
      method: 'post' as const,
      path: '/lead/',
      body: Object.fromEntries(c.edits.map((e) => [e.key, e.value])),
    })),
    stopAt,
    firstBy(),
  );
  toCreate.forEach((change, i) => {
    const reply = replies[i];
    // Never sent: no lead can exist for it, so its mark goes (the next step creates it).
    if (!reply.ok && reply.status === NOT_SENT) {
      if (before.has(change)) state.unmarked.set(change, before.get(change)!);
      done = false;
      return;
    }
    if (reply.ok) adoptCreated(job, state, change, reply.data as Lead);
    else if (marked && mayHaveApplied(reply))
      state.createNotes.set(
        change,
        `Close may have created it anyway: the next push looks for it before creating it again ${mark(change)}`,
      );
    record(job, state, unchecked(change), reply);
  });
  return done;
}

/**
 * The status note of a row whose unanswered create is found in Close. The rep may have changed the row
 * since (renamed it, filled in more): those cells now differ from the lead adopted, so the next push
 * sends them as edits — the note names them, so they are not taken as sent.
 */
function adoptedNote(ctx: SyncContext, change: LeadChange, sentName: string, lead: Lead): string {
  const since = change.edits
    .filter((e) => {
      const column = ctx.byKey.get(e.key)?.column;
      return column !== undefined && !apiValuesEqual(e.value, column.extract(lead), column.kind);
    })
    .map((e) => e.header);
  const as = sentName === change.leadName ? '' : ` as "${sentName}"`;
  if (since.length === 0) return `the earlier create had reached Close${as}: not created again`;
  return `the earlier create had reached Close${as}: not created again; push again to send what you changed since (${since.join(', ')})`;
}

/** A lead Close holds for a new row: its ID goes into the row, its values into the snapshot. */
function adoptCreated(job: PushJob, state: StepState, change: LeadChange, lead: Lead): void {
  state.createdIds.set(change, lead);
  const values: Record<string, unknown> = {};
  for (const column of state.ctx.columns) if (column.editable) values[column.key] = column.extract(lead);
  state.snapshot.set(lead.id, values, job.id);
  state.log.push(createLogEntry(job, change, lead));
}

function record(
  job: PushJob,
  state: StepState,
  c: CheckedChange,
  reply: CloseReply | undefined,
  accepted?: Lead,
): void {
  const result = rowResult(c, reply, state, job.multiValue ?? 'replace', accepted);
  state.results.push(result);
  state.resultOf.set(c.change, result);
  state.recorded++;
  const t = job.totals;
  if (reply?.ok) c.change.leadId ? t.updated++ : t.created++;
  else if (!reply && !c.error && c.already.length > 0 && c.send.length === 0) t.updated++;
  if (result.outcome === 'error') t.failed++;
  if (c.conflicts.length > 0) t.conflicts++;
  if (c.change.problems.length > 0) t.invalid++;
}

function rowResult(
  c: CheckedChange,
  reply: CloseReply | undefined,
  state: StepState,
  mode: MultiValueMode,
  accepted?: Lead,
): RowResult {
  const { change } = c;
  const { ctx } = state;
  const notes: string[] = [];
  const failed = c.error ?? (reply && !reply.ok ? refusalText(reply, ctx) : undefined);
  const refused = state.refused.get(change) ?? [];
  // Fields Close says this user may not edit (a 403: the whole change): pushing again cannot help.
  const denied = refused.filter((r) => speaksOfPermission(r.message)).map((r) => r.edit.header);
  const deniedAll = !c.error && reply && !reply.ok && isPermissionRefusal(reply);
  if (deniedAll) denied.push(...deniedHeaders(reply, ctx));
  // A later add/remove PUT failed after Close took the earlier ones: say what Close holds now.
  if (failed && accepted) notes.push(`error: ${partialNote(ctx, c, mode, accepted, failed, !deniedAll)}`);
  else if (failed)
    notes.push(`error: ${state.createNotes.has(change) ? withoutCheckAdvice(failed) : failed}`);
  else if (reply?.ok && refused.length > 0)
    notes.push(`updated ${c.send.length} field${c.send.length === 1 ? '' : 's'}`);
  else if (reply?.ok) notes.push(change.leadId ? 'updated' : 'created');
  else if (c.already.length > 0) notes.push('already up to date in Close');
  for (const r of refused)
    notes.push(`Close refused ${r.edit.header}: ${r.message} (your value stays in the cell, not sent)`);
  if (deniedAll || denied.length > 0) notes.push(permissionAdvice([...new Set(denied)], 'make the change'));
  const createNote = state.createNotes.get(change);
  if (createNote) notes.push(createNote);
  for (const { edit, current } of c.conflicts)
    notes.push(`conflict: ${conflictMessage(ctx.byKey.get(edit.key), edit, current)}`);
  for (const p of change.problems) notes.push(`invalid: ${p.header}: ${p.message}`);
  // An add-only push of a row whose only change removed values (or remove-only of added ones) sends
  // nothing; the row must still say why its edit was not sent (it stays in the cell).
  if (notes.length === 0 && mode !== 'replace')
    notes.push(
      mode === 'add'
        ? 'not sent: this push only adds values, and this row only removed some (they stay in Close)'
        : 'not sent: this push only removes values, and this row only added some (Close does not get them)',
    );
  // The row shows its most pressing outcome; the message lists everything.
  const outcome: RowOutcome =
    failed || refused.length > 0
      ? 'error'
      : c.conflicts.length > 0
        ? 'conflict'
        : change.problems.length > 0
          ? 'invalid'
          : reply?.ok || c.already.length > 0
            ? change.leadId
              ? 'updated'
              : 'created'
            : 'unchanged';
  return {
    row: change.row,
    leadId: change.leadId,
    leadName: change.leadName,
    outcome,
    message: `${notes.join('; ')} · ${state.stamp}`,
  };
}

/** On the last step: rows that could not be pushed at all. */
function addRowErrors(state: StepState, changes: ChangeSet): void {
  for (const e of changes.rowErrors)
    state.results.push({
      row: e.row,
      leadId: e.leadId,
      leadName: '',
      outcome: 'error',
      message: `error: ${e.message} · ${state.stamp}`,
    });
}

/**
 * On the first step: rows with nothing to send. (On a later step, the leads that earlier steps updated
 * have nothing to send either: marking them then would overwrite their "updated".)
 */
function addUnchangedRows(state: StepState, changes: ChangeSet): void {
  for (const row of changes.unchangedRows)
    state.results.push({
      row,
      leadId: leadIdAt(state.table, row - 2),
      leadName: '',
      outcome: 'unchanged',
      message: `unchanged · ${state.stamp}`,
    });
}

function pushSummary(job: PushJob, moved: number): PushSummary {
  const { unchanged = 0, ...t } = job.totals;
  const unplaced = t.unplaced ?? 0;
  const unplacedIds = (job.unplacedIds ?? []).join(', ') + (unplaced > MAX_UNPLACED_IDS ? ', …' : '');
  const message =
    `Pushed: ${t.updated} updated, ${t.created} created, ${t.failed} failed, ` +
    `${t.conflicts} with conflicts, ${t.invalid} with invalid values, ${unchanged} unchanged.` +
    (moved > 0
      ? ` ${moved} row${moved === 1 ? '' : 's'} looked moved from other leads and ${moved === 1 ? 'was' : 'were'} not sent (see Sync status).`
      : '') +
    (unplaced > 0
      ? ` ${unplaced} lead${unplaced === 1 ? '' : 's'} created in Close ${unplaced === 1 ? 'is' : 'are'} in no row of the sheet (${unplacedIds}: see the results and the push log).`
      : '');
  return {
    sheetName: job.sheetName,
    ...t,
    unchanged,
    moved,
    steps: job.steps,
    results: [...job.results].sort((a, b) => a.row - b.row),
    message,
  };
}

/** How many created leads in no row a job keeps by ID for its summary (the push log has them all). */
const MAX_UNPLACED_IDS = 10;

/**
 * A lead Close created (or holds after an unanswered create) whose row is no longer to be found: deleted,
 * or changed while Close answered where other new rows share its Name (lead-sheet.ts rowFinder). Its ID
 * goes into no row; the rep is told where to find it — its result (the summary, and the row's Sync status
 * if a row still takes it), the push summary's message, and its push-log entry — so no lead is in Close
 * that the sheet knows nothing about. (A row still there keeps its `creating…` mark: the next push looks
 * for the lead in Close before creating it again.)
 */
function inNoRow(job: PushJob, state: StepState, change: LeadChange, lead: Lead): void {
  const name = lead.name ?? change.leadName;
  const result = state.resultOf.get(change);
  if (result) {
    result.outcome = 'error';
    result.leadId = lead.id;
    result.message = `error: created in Close as ${lead.id}, but its row was deleted or changed while Close answered, so that Lead ID is in no row of the sheet: find "${name}" in Close (the push log has it) and put its Lead ID in its row, or delete it there · ${state.stamp}`;
  }
  const entry = state.log.find((e) => e.key === '' && e.leadId === lead.id);
  if (entry) entry.header = UNPLACED_LOG_FIELD;
  job.totals.unplaced = (job.totals.unplaced ?? 0) + 1;
  job.unplacedIds = [...(job.unplacedIds ?? []), lead.id].slice(0, MAX_UNPLACED_IDS);
}

/**
 * Writes statuses, new Lead IDs and the snapshot. The sheet is read again first, its extent included:
 * the rep may have sorted, inserted or deleted rows while Close was answering, so each result goes to
 * the row that now holds its lead (found by Lead ID; a new row by its Name), never by row number. That
 * read is three columns when nothing moved, the whole sheet when something did (readSheetAgain).
 */
function writeResults(deps: SyncDeps, job: PushJob, state: StepState): void {
  writeSnapshot(deps.workbook, job.sheetName, state.snapshot);
  // The push's time as the log has always taken it: once the snapshot is written, before the sheet is read.
  const loggedAt = deps.clock.now();
  const logNow = () => appendPushLog(deps.workbook, state.log, loggedAt);
  if (state.results.length === 0 && state.unmarked.size === 0) {
    logNow();
    return;
  }
  const grid = state.table.grid;
  let fresh: SheetTable;
  try {
    fresh = readSheetAgain(state.table);
  } catch (e) {
    // What Close accepted is logged whatever happens to the sheet.
    logNow();
    throw e;
  }
  const idColumn = fresh.columnOf.get(LEAD_ID_KEY)!;
  const statusColumn = fresh.columnOf.get(SYNC_STATUS_KEY);
  const rowNow = rowFinder(state.table, fresh);
  // Only the cells that change are written, each column in one block split around the rep's formulas
  // and `=` text between them (column-write-back.ts): the rows between are rewritten as read.
  const ids = new Map<number, CellValue>();
  const placed: CreatedRow[] = [];
  for (const [change, lead] of state.createdIds) {
    const i = rowNow(change.row);
    // A row the rep deleted, or gave an id of their own meanwhile, is left as it is. (A formula that
    // shows no id is written over: without its ID in the row, the lead would be created again.)
    if (i !== undefined && leadIdAt(fresh, i) === '' && !ids.has(i)) {
      ids.set(i, lead.id);
      placed.push({ index: i, lead });
    } else inNoRow(job, state, change, lead);
  }
  // Logged once the leads are placed: the log says which created lead is in no row.
  logNow();
  const statuses = new Map<number, CellValue>();
  for (const r of state.results) {
    const i = rowNow(r.row);
    if (i !== undefined) statuses.set(i, r.message);
  }
  for (const [change, status] of state.unmarked) {
    const i = rowNow(change.row);
    if (i !== undefined) statuses.set(i, status);
  }
  const cellOf = (column: number) => (i: number) => fresh.rows[i]?.[column - 1] ?? '';
  if (statusColumn) writeColumnChanges(grid, 2, statusColumn, cellOf(statusColumn), statuses);
  writeColumnChanges(grid, 2, idColumn, cellOf(idColumn), ids);
  // Close's values for the cells the rep left empty (its status), on the rows that got their Lead ID.
  fillCreatedValues(grid, fresh.columnOf, state.ctx, placed);
}
