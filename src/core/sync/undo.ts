// Undo last push: puts back in Close the values a push replaced, from the push log — but only where
// Close still holds what the push wrote. A field someone changed since is a conflict, reported and left
// alone, exactly like push treats a field changed since the pull. After the PUTs, the snapshot and the
// sheet cells move to the restored values, so the sheet shows Close's values and the next push does not
// send the undone edit again.
//
// The undo is the push plan (plan.ts) run backwards: per lead, each logged field must still hold what the
// push wrote (`old`) and gets back what it held before (`value`). It runs as a job in steps, like a push:
// leads in Lead ID order, each step recording what it did (log marks, snapshot, cells) before the next
// starts, so an undo of any push that could be made finishes across Apps Script's 6-minute limit. A step
// cut short after a PUT but before its marks is harmless: the next step's check finds Close holding the
// old value already ("already back"), so no field is sent twice.
import type { CellValue } from '../ports';
import { apiValuesEqual, cellsEqual } from '../schema/codecs';
import { SYNC_STATUS_KEY } from '../schema/columns';
import { formatStamp } from '../schema/dates';
import { formulaIndexes, writeColumnChanges } from './column-write-back';
import type { BoundColumn, FieldEdit, LeadChange } from './changes';
import { type CheckedChange, GONE_MESSAGE } from './conflicts';
import { endedBeforeSchema, type SendBy } from '../close/org';
import { type SyncContext, type SyncDeps, loadSyncContext } from './context';
import type { PullDefinition } from './pull-definition';
import { displayValue } from './readable-value';
import { type Deadline, newJobId, type UndoJob, type UndoTotals } from './job';
import { leadIdAt, readSheetTable } from './lead-sheet';
import { BATCH, checkPlan, type PlanOutcome, runPlan } from './plan';
import { type LoggedField, type LoggedPush, markUndone, readLastPush } from './push-log';
import { isHashed, showsPulled } from './pulled-value';
import { readSnapshot, SNAPSHOT_COLUMNS, writeSnapshot } from './snapshot';
import { deniedHeaders, isPermissionRefusal, permissionAdvice, type Refused, refusalText } from './refusals';
import { NO_LOG, ResultWrites } from './step-writes';
import { PUBLISHED_SHEET_COST } from '../sheet-cost';

export type UndoState = 'restore' | 'restored' | 'conflict' | 'already' | 'created' | 'unavailable' | 'error';

/** One field of the push: all strings, so it can cross google.script.run. */
export interface UndoItem {
  leadId: string;
  leadName: string;
  field: string;
  key: string;
  /** Close's value now (before the undo) and the value the undo puts back, as the sheet shows them. */
  current: string;
  restore: string;
  state: UndoState;
  message: string;
}

export interface UndoPreview {
  pushId: string | null;
  pushedAt: string;
  pushedBy: string;
  sheetName: string;
  alreadyUndone: boolean;
  items: UndoItem[];
  counts: { restore: number; leads: number; conflicts: number; already: number; other: number };
  message: string;
}

export interface UndoResult extends UndoPreview {
  restored: number;
  failed: number;
  keptEdits: number;
}

interface Planned {
  field: LoggedField;
  bound?: BoundColumn;
  current: unknown;
  state: UndoState;
  message: string;
  /**
   * Close refused it for lack of permission: the headers of the fields the key's user may not edit (none
   * for a 403 that names no field). Undoing again cannot help.
   */
  denied?: string[];
}

/** One lead's part of the undo, as the push plan takes it, with the logged field behind each edit. */
interface UndoChange extends LeadChange {
  planned: Map<FieldEdit, Planned>;
}

interface Plan {
  push: LoggedPush | null;
  ctx?: SyncContext;
  planned: Planned[];
  /** The fields to restore, per lead, in Lead ID order. */
  leads: UndoChange[];
  stamp: string;
}

const show = (bound: BoundColumn | undefined, value: unknown) =>
  bound ? displayValue(bound, value) : value === null || value === undefined ? '' : String(value);

/** What a sheet holds (its pull definition), so a contact or opportunity push is undone on its own kind. */
export type DefinitionOf = (sheetName: string) => Pick<PullDefinition, 'kind' | 'fields'> | null;

/** The name a sheet goes by now, for the name a push was logged under (the sheet may be renamed since). */
export type NameNow = (logged: string) => string;

/**
 * The undo's plan: the last push's fields not undone yet (of leads after `after`), each judged by what
 * can be done (a created lead, a field gone from the sheet), and those to restore grouped per lead.
 */
function plan(
  deps: SyncDeps,
  definitionOf: DefinitionOf = () => null,
  nameNow: NameNow = (n) => n,
  after = '',
  /** A step's deadline for the schema's requests (SchemaNotInTime past it). */
  by?: SendBy,
): Plan {
  const tz = deps.workbook.timeZone();
  const logged = readLastPush(deps.workbook);
  const push = logged ? { ...logged, sheetName: nameNow(logged.sheetName) } : logged;
  const stamp = formatStamp(deps.clock.now(), tz);
  if (!push) return { push, planned: [], leads: [], stamp };
  const open = push.fields.filter((f) => !f.undone && f.leadId > after);
  if (open.length === 0) return { push, planned: [], leads: [], stamp };
  const ctx = loadSyncContext(deps, definitionOf(push.sheetName) ?? { kind: 'lead', fields: null }, [], by);
  const planned: Planned[] = open.map((field) => {
    const bound = field.key ? ctx.byKey.get(field.key) : undefined;
    const p: Planned = { field, bound, current: null, state: 'restore', message: '' };
    if (field.object !== ctx.spec.kind) {
      p.state = 'unavailable';
      p.message = `This ${field.object} push was made from a sheet that now holds ${ctx.spec.noun}s: change it back in Close.`;
    } else if (!field.key) {
      p.state = 'created';
      p.message = 'A lead this push created: undo does not delete leads (delete it in Close if you need to).';
    } else if (!bound) {
      p.state = 'unavailable';
      p.message = 'This field is not in Close any more (or not in this sheet).';
    } else if (field.unreadable) {
      p.state = 'unavailable';
      p.message = 'The value was too long to keep in the push log.';
    }
    return p;
  });
  return { push, ctx, planned, leads: leadPlans(planned), stamp };
}

/**
 * Per lead (in Lead ID order): each field Close should still hold as the push wrote it (`old`: the value
 * after the push) and the value to put back (`value`: the value before it).
 */
function leadPlans(planned: Planned[]): UndoChange[] {
  const byLead = new Map<string, UndoChange>();
  for (const p of planned) {
    if (p.state !== 'restore') continue;
    const { leadId, leadName, key, header, after, before } = p.field;
    let change = byLead.get(leadId);
    if (!change) {
      change = { row: 0, leadId, leadName, edits: [], problems: [], planned: new Map() };
      byLead.set(leadId, change);
    }
    const edit: FieldEdit = { key, header, old: after, value: before ?? null };
    change.edits.push(edit);
    change.planned.set(edit, p);
  }
  return [...byLead.values()].sort((a, b) => (a.leadId < b.leadId ? -1 : 1));
}

/** The check's verdict on each field of a lead: restore it, Close already has the old value, or a conflict. */
function judge(c: CheckedChange): void {
  const planned = (c.change as UndoChange).planned;
  if (c.error) {
    // A lead deleted or merged in Close cannot have its fields back: not an error another undo could mend.
    const gone = c.error === GONE_MESSAGE;
    for (const p of planned.values()) {
      p.state = gone ? 'unavailable' : 'error';
      p.message = gone ? `${GONE_MESSAGE}.` : c.error;
      if (c.denied) p.denied = [];
    }
    return;
  }
  for (const e of c.send) planned.get(e)!.current = e.old;
  for (const { edit, current } of c.already) {
    const p = planned.get(edit)!;
    p.current = current;
    p.state = 'already';
    p.message = 'Close already has the value from before the push.';
  }
  for (const { edit, current } of c.conflicts) {
    const p = planned.get(edit)!;
    p.current = current;
    p.state = 'conflict';
    p.message =
      `${p.field.header} changed in Close since the push: Close has ${JSON.stringify(show(p.bound, current))}, ` +
      `the push wrote ${JSON.stringify(show(p.bound, p.field.after))}. Left alone.`;
  }
}

/** A sentence ends with a full stop. */
const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Why Close refused a lead's undo, the same for each of its fields (they go back together, so one refused
 * field keeps the others back too): Close's reasons by column header, and, for a permission refusal,
 * who can help instead of "try again".
 */
function refusedUndo(reply: Refused, ctx: SyncContext): { message: string; denied?: string[] } {
  const why = `Close refused the undo of this lead: ${sentence(refusalText(reply, ctx))}`;
  if (!isPermissionRefusal(reply)) return { message: why };
  const denied = deniedHeaders(reply, ctx);
  return { message: `${why} ${capital(permissionAdvice(denied, RESTORE_IN_CLOSE))}.`, denied };
}

const RESTORE_IN_CLOSE = 'restore the old values';

/** What the PUT of a lead did to each field it sent. */
function recordSent(
  { checked, reply, accepted }: PlanOutcome,
  ctx: SyncContext,
  restored: Map<Planned, unknown>,
): void {
  const refusal = !accepted && reply && !reply.ok ? refusedUndo(reply, ctx) : undefined;
  for (const e of checked.send) {
    const x = (checked.change as UndoChange).planned.get(e)!;
    if (accepted) {
      x.state = 'restored';
      restored.set(x, x.bound!.column.extract(accepted));
    } else if (refusal) {
      x.state = 'error';
      x.message = refusal.message;
      x.denied = refusal.denied;
    }
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function toPreview(p: Plan, tz: string): UndoPreview {
  const push = p.push;
  if (!push)
    return {
      pushId: null,
      pushedAt: '',
      pushedBy: '',
      sheetName: '',
      alreadyUndone: false,
      items: [],
      counts: { restore: 0, leads: 0, conflicts: 0, already: 0, other: 0 },
      message: 'Nothing to undo: no push has been logged in this spreadsheet yet.',
    };
  const items: UndoItem[] = p.planned.map((x) => ({
    leadId: x.field.leadId,
    leadName: x.field.leadName,
    field: x.field.header,
    key: x.field.key,
    current: x.bound && x.state !== 'error' && x.state !== 'unavailable' ? show(x.bound, x.current) : '',
    restore: x.field.key ? show(x.bound, x.field.before) : '',
    state: x.state,
    message: x.message,
  }));
  const restoring = items.filter((i) => i.state === 'restore' || i.state === 'restored');
  const counts = {
    restore: restoring.length,
    leads: new Set(restoring.map((i) => i.leadId)).size,
    conflicts: items.filter((i) => i.state === 'conflict').length,
    already: items.filter((i) => i.state === 'already').length,
    other: items.filter((i) => ['created', 'unavailable', 'error'].includes(i.state)).length,
  };
  const pushedAt = formatStamp(push.at, tz);
  const alreadyUndone = items.length === 0;
  const what = `the push of ${pushedAt} by ${push.user}`;
  let message: string;
  if (alreadyUndone) message = `Nothing to undo: ${what} was already undone.`;
  else {
    const parts = [
      counts.restore > 0
        ? `Undo ${what}: restore ${plural(counts.restore, 'field')} on ${plural(counts.leads, 'lead')}.`
        : `Nothing of ${what} can be restored.`,
    ];
    if (counts.conflicts)
      parts.push(`${plural(counts.conflicts, 'conflict')} left alone (changed in Close since).`);
    if (counts.already) parts.push(`${plural(counts.already, 'field')} already back to the old value.`);
    const created = items.filter((i) => i.state === 'created').length;
    if (created)
      parts.push(
        `${plural(created, 'created lead')} stay${created === 1 ? 's' : ''} (undo does not delete leads).`,
      );
    const other = counts.other - created;
    if (other) parts.push(`${plural(other, 'field')} cannot be restored.`);
    message = parts.join(' ');
  }
  return {
    pushId: push.pushId,
    pushedAt,
    pushedBy: push.user,
    sheetName: push.sheetName,
    alreadyUndone,
    items,
    counts,
    message,
  };
}

/** What an undo of the last push would do, checked against Close's current values. Writes nothing. */
export function previewUndo(deps: SyncDeps, definitionOf?: DefinitionOf, nameNow?: NameNow): UndoPreview {
  const p = plan(deps, definitionOf, nameNow);
  if (p.ctx) for (const c of checkPlan(deps.client, p.ctx, p.leads, 'replace')) judge(c);
  return toPreview(p, deps.workbook.timeZone());
}

const NO_TOTALS: UndoTotals = {
  restored: 0,
  leads: 0,
  conflicts: 0,
  already: 0,
  created: 0,
  unavailable: 0,
  failed: 0,
  keptEdits: 0,
};

/** The undo of the last push as a job, or null when there is nothing to undo (the preview says why). */
export function newUndoJob(
  deps: SyncDeps,
  user: string,
  definitionOf: DefinitionOf = () => null,
  nameNow: NameNow = (n) => n,
): UndoJob | null {
  const logged = readLastPush(deps.workbook);
  if (!logged || logged.fields.every((f) => f.undone)) return null;
  const sheetName = nameNow(logged.sheetName);
  const now = deps.clock.now();
  return {
    kind: 'undo',
    id: newJobId(now),
    pushId: logged.pushId,
    sheetName,
    definition: definitionOf(sheetName) ?? { kind: 'lead', fields: null },
    startedAt: now,
    startedBy: user,
    steps: 0,
    doneThrough: '',
    totals: { ...NO_TOTALS },
  };
}

export interface UndoStep {
  job: UndoJob;
  done: boolean;
  result?: UndoResult;
  message: string;
}

/**
 * One step of an undo: the open fields of leads after `doneThrough`, checked, restored and recorded
 * lead by lead until the step's time is up. What a step did is in the log's Undone column before the
 * next step reads it; a field that failed is not tried again by this undo (it stays open for another).
 */
export function runUndoStep(deps: SyncDeps, job: UndoJob, deadline: Deadline): UndoStep {
  job = { ...job, steps: job.steps + 1, totals: { ...job.totals } };
  const tz = deps.workbook.timeZone();
  // The sheet's size prices the step's writes (step-writes.ts): the schema's requests, like the step's
  // others, wait no later than they still fit (a wait past the step's time would get it killed).
  const cost = deps.sheetCost ?? PUBLISHED_SHEET_COST;
  const grid = deps.workbook.sheet(job.sheetName);
  const rows = grid ? Math.max(0, grid.lastRow() - 1) : 0;
  const size = { rows, width: grid ? grid.lastColumn() + SNAPSHOT_COLUMNS : 0 };
  const early = new ResultWrites(cost, deadline, size, undefined, rows, NO_LOG);
  let p: Plan;
  try {
    p = plan(
      deps,
      () => job.definition,
      () => job.sheetName,
      job.doneThrough,
      { stopAt: early.stopAt(0), firstBy: early.firstStopAt(0) },
    );
  } catch (e) {
    return { job, done: false, message: endedBeforeSchema(e, 'undo', job.steps) };
  }
  if (!p.push || p.push.pushId !== job.pushId)
    throw new Error(
      'The push this undo started on is no longer the last one in the push log: nothing more was undone. Open Undo again to see what is left.',
    );
  const push = p.push;
  if (job.steps === 1 && p.planned.length === 0) {
    const result = { ...toPreview(p, tz), restored: 0, failed: 0, keptEdits: 0 };
    return { job, done: true, result, message: result.message };
  }
  const restored = new Map<Planned, unknown>();
  const recorded = new Set<Planned>(p.planned.filter((x) => x.state !== 'restore'));
  // Sized by the writes at the step's end (step-writes.ts): the sheet and its snapshot read again (the
  // snapshot's two cells a row read with it), then the Sync status and each restored field's column
  // (their formulas read first), snapshot rows, and the Undone marks over the push's log rows.
  const writes = new ResultWrites(cost, deadline, size, undefined, rows, NO_LOG, {
    columns: new Set(p.leads.flatMap((l) => l.edits.map((e) => e.key))).size,
    marks: push.fields.length,
  });
  const done =
    !p.ctx ||
    runPlan(
      deps.client,
      {
        ctx: p.ctx,
        mode: 'replace',
        stopAt: writes.stopAt(p.leads.length),
        firstStopAt: writes.firstStopAt(Math.min(p.leads.length, BATCH)),
        more: () => writes.fits(recorded.size + BATCH),
        // A lead's fields go back together: a refused one fails the lead, reported field by field.
        retryRefused: false,
        resumed: job.steps > 1,
      },
      p.leads,
      (outcome) => {
        const change = outcome.checked.change as UndoChange;
        judge(outcome.checked);
        recordSent(outcome, p.ctx!, restored);
        // Close already holding the old value is Close's value too: the snapshot and cells follow it.
        for (const x of change.planned.values()) {
          if (x.state === 'already') restored.set(x, x.current);
          recorded.add(x);
        }
        job.doneThrough = change.leadId;
      },
    );
  const stepPlanned = p.planned.filter((x) => recorded.has(x));
  const keptEdits = updateSheet(deps, push, stepPlanned, p.stamp, restored);
  // The log remembers what happened to each field; a failed one stays open for another undo.
  const by = `${job.startedBy} at ${p.stamp}`;
  const markOf = new Map(stepPlanned.map((x) => [x.field, markFor(x.state, by)]));
  markUndone(
    deps.workbook,
    push,
    push.fields.map((f) => markOf.get(f) ?? f.undone),
  );
  const t = job.totals;
  const count = (state: UndoState) => stepPlanned.filter((x) => x.state === state).length;
  t.restored += count('restored');
  t.leads += new Set(stepPlanned.filter((x) => x.state === 'restored').map((x) => x.field.leadId)).size;
  t.conflicts += count('conflict');
  t.already += count('already');
  t.created += count('created');
  t.unavailable += count('unavailable');
  t.failed += count('error');
  const denied = stepPlanned.filter((x) => x.state === 'error' && x.denied);
  if (denied.length > 0) {
    t.denied = (t.denied ?? 0) + denied.length;
    t.deniedHeaders = [...new Set([...(t.deniedHeaders ?? []), ...denied.flatMap((x) => x.denied!)])];
  }
  t.keptEdits += keptEdits;
  if (!done)
    return {
      job,
      done,
      message: `Undid ${plural(t.restored, 'field')} so far (step ${job.steps})…`,
    };
  const result = undoResult({ ...p, planned: stepPlanned }, tz, t);
  return { job, done, result, message: result.message };
}

function markFor(state: UndoState, by: string): string {
  switch (state) {
    case 'restored':
      return `restored by ${by}`;
    case 'conflict':
      return `conflict, left alone (${by})`;
    case 'already':
      return `already back to the old value (${by})`;
    case 'created':
      return `created lead kept (${by})`;
    case 'unavailable':
      return `not restorable (${by})`;
    default:
      return '';
  }
}

/** The whole undo's outcome: counts over every step, the fields of the last step. */
function undoResult(p: Plan, tz: string, t: UndoTotals): UndoResult {
  const last = toPreview(p, tz);
  const counts = {
    restore: t.restored,
    leads: t.leads,
    conflicts: t.conflicts,
    already: t.already,
    other: t.created + t.unavailable + t.failed,
  };
  const parts = [
    `Undid the push of ${last.pushedAt} by ${p.push!.user}: restored ${plural(t.restored, 'field')} on ${plural(t.leads, 'lead')}.`,
  ];
  if (t.conflicts)
    parts.push(`${plural(t.conflicts, 'conflict')} left alone (changed in Close since the push).`);
  const denied = t.denied ?? 0;
  if (t.failed > denied) parts.push(`${plural(t.failed - denied, 'field')} failed: try Undo again.`);
  if (t.unavailable) parts.push(`${plural(t.unavailable, 'field')} cannot be restored.`);
  if (denied)
    parts.push(
      `${plural(denied, 'field')} not restored: ${permissionAdvice(t.deniedHeaders ?? [], RESTORE_IN_CLOSE)}.`,
    );
  if (t.keptEdits)
    parts.push(`${plural(t.keptEdits, 'cell')} with your unpushed edits kept as you typed them.`);
  return {
    ...last,
    alreadyUndone: false,
    counts,
    restored: t.restored,
    failed: t.failed,
    keptEdits: t.keptEdits,
    message: parts.join(' '),
  };
}

/** Undoes the last push in one go (every step at once): for scripts and tests without a time limit. */
export function applyUndo(
  deps: SyncDeps,
  user: string,
  definitionOf?: DefinitionOf,
  nameNow?: NameNow,
): UndoResult {
  let job = newUndoJob(deps, user, definitionOf, nameNow);
  if (!job) return { ...previewUndo(deps, definitionOf, nameNow), restored: 0, failed: 0, keptEdits: 0 };
  const unlimited: Deadline = {
    timeLeft: () => Number.POSITIVE_INFINITY,
    stopAt: () => Number.POSITIVE_INFINITY,
    reserve: () => 0,
  };
  for (;;) {
    const step = runUndoStep(deps, job, unlimited);
    if (step.done) return step.result!;
    job = step.job;
  }
}

/** The cell still shows the snapshot's value (as changes.ts judges an edit: formatting alone is none). */
function unedited(bound: BoundColumn, cell: CellValue, old: unknown): boolean {
  if (isHashed(old)) return showsPulled(bound, cell, old);
  if (cellsEqual(cell, bound.codec.encode(old))) return true;
  const decoded = bound.codec.decode(cell);
  return decoded.ok && apiValuesEqual(decoded.value, old, bound.column.kind);
}

/**
 * Moves the snapshot and the sheet to the restored values. A cell the rep has edited since (it no longer
 * shows the snapshot's value) keeps their typing: it stays a pending edit, against the restored value.
 * Returns how many such cells were kept.
 */
function updateSheet(
  deps: SyncDeps,
  push: LoggedPush,
  planned: Planned[],
  stamp: string,
  restored: Map<Planned, unknown>,
): number {
  const grid = deps.workbook.sheet(push.sheetName);
  /** Per lead: fields restored, other notes, and the fields failed or not restorable, by their reason. */
  const notes = new Map<
    string,
    { restored: string[]; other: string[]; failed: Map<string, string[]>; unavailable: Map<string, string[]> }
  >();
  const noteOf = (leadId: string) => {
    let n = notes.get(leadId);
    if (!n) {
      n = { restored: [], other: [], failed: new Map(), unavailable: new Map() };
      notes.set(leadId, n);
    }
    return n;
  };
  for (const x of planned) {
    const n = noteOf(x.field.leadId);
    if (x.state === 'restored') n.restored.push(x.field.header);
    if (x.state === 'conflict')
      n.other.push(`conflict: ${x.field.header} changed in Close since the push, left alone`);
    // A lead's fields fail together, for one reason: said once, after the fields it kept back.
    if (x.state === 'error') n.failed.set(x.message, [...(n.failed.get(x.message) ?? []), x.field.header]);
    if (x.state === 'unavailable')
      n.unavailable.set(x.message, [...(n.unavailable.get(x.message) ?? []), x.field.header]);
  }
  for (const n of notes.values()) {
    for (const [message, headers] of n.failed) n.other.push(`undo failed: ${headers.join(', ')}: ${message}`);
    for (const [message, headers] of n.unavailable)
      n.other.push(`not restored: ${headers.join(', ')}: ${message}`);
  }
  if (!grid) return 0;
  const snapshot = readSnapshot(deps.workbook, push.sheetName);
  const table = readSheetTable(grid);
  const rowOf = new Map<string, number>();
  table.rows.forEach((_, i) => {
    const id = leadIdAt(table, i);
    if (id && !rowOf.has(id)) rowOf.set(id, i);
  });
  const touched = new Map<number, number[]>();
  const touch = (column: number, index: number) => {
    const list = touched.get(column) ?? [];
    list.push(index);
    touched.set(column, list);
  };
  // The rep's formulas where undo writes (getValues gave their values: written back, a formula is lost).
  const candidates = new Map<number, number[]>();
  for (const [x] of restored) {
    const index = rowOf.get(x.field.leadId);
    const column = table.columnOf.get(x.field.key);
    if (index !== undefined && column !== undefined)
      candidates.set(column, [...(candidates.get(column) ?? []), index]);
  }
  const formulas = new Map<number, Map<number, string>>();
  for (const [column, indexes] of candidates) {
    const first = indexes.reduce((a, b) => Math.min(a, b));
    const last = indexes.reduce((a, b) => Math.max(a, b));
    formulas.set(column, formulaIndexes(grid, 2, column, first, last));
  }
  let kept = 0;
  for (const [x, value] of restored) {
    const { leadId, key } = x.field;
    const before = snapshot.get(leadId);
    const index = rowOf.get(leadId);
    const column = table.columnOf.get(key);
    if (index !== undefined && column !== undefined && before) {
      const { codec } = x.bound!;
      const cell = table.rows[index][column - 1];
      if (formulas.get(column)?.has(index)) {
        // The rep's formula stays: against the restored value, what it shows is an edit to push.
        kept++;
        noteOf(leadId).other.push(`kept your formula in ${x.field.header}`);
      } else if (unedited(x.bound!, cell, before[key] ?? null)) {
        table.rows[index][column - 1] = codec.encode(value);
        touch(column, index);
      } else {
        kept++;
        noteOf(leadId).other.push(`kept your unpushed edit in ${x.field.header}`);
      }
    }
    if (before) snapshot.setField(leadId, key, value);
  }
  const statusColumn = table.columnOf.get(SYNC_STATUS_KEY);
  if (statusColumn !== undefined) {
    for (const [leadId, n] of notes) {
      const index = rowOf.get(leadId);
      if (index === undefined || n.restored.length + n.other.length === 0) continue;
      const parts =
        n.restored.length > 0 ? [`undone: ${n.restored.join(', ')} restored`, ...n.other] : n.other;
      table.rows[index][statusColumn - 1] = `${parts.join('; ')} · ${stamp}`;
      touch(statusColumn, index);
    }
  }
  // One write per touched column, over the rows between its first and last touched cell, split around
  // the rep's formulas and `=` text there (column-write-back.ts). A restored column's formulas were read
  // above, Sync status's are read now; a status the undo writes replaces whatever its cell held.
  for (const [column, indexes] of touched) {
    const changes = new Map(indexes.map((i) => [i, table.rows[i][column - 1]]));
    const read = (i: number) => table.rows[i][column - 1];
    writeColumnChanges(grid, 2, column, read, changes, formulas.get(column));
  }
  writeSnapshot(deps.workbook, push.sheetName, snapshot);
  return kept;
}
