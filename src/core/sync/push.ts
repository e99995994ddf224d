// Push: sheet → Close. Only changed fields are sent, each lead in one PUT; a field whose Close value
// moved since the pull is a conflict and is not sent; results land in the status column and the
// snapshot moves forward only for what Close accepted.
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { CellValue } from '../ports';
import { apiValuesEqual } from '../schema/codecs';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import { formatStamp } from '../schema/dates';
import { type BoundColumn, type ChangeSet, computeChanges, type FieldEdit, type LeadChange } from './changes';
import { DEFAULT_SHEET, loadSyncContext, type SyncContext, type SyncDeps } from './context';
import { leadIdAt, readSheetTable, type SheetTable } from './lead-sheet';
import { GONE_KEY, type Snapshot, readSnapshot, writeSnapshot } from './snapshot';
import { displayValue } from './display';

export interface PushOptions {
  sheetName?: string;
  /** Compare with Close's current values before sending (default true). */
  checkConflicts?: boolean;
}

export type ChangeState = 'send' | 'create' | 'invalid' | 'conflict' | 'already' | 'error';

/** One line of the preview: all strings, so it can cross google.script.run. */
export interface PreviewItem {
  row: number;
  leadId: string;
  leadName: string;
  field: string;
  key: string;
  old: string;
  new: string;
  state: ChangeState;
  message: string;
}

export interface Preview {
  sheetName: string;
  items: PreviewItem[];
  counts: {
    leads: number;
    fields: number;
    creates: number;
    invalid: number;
    conflicts: number;
    errors: number;
  };
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
  results: RowResult[];
  message: string;
}

interface Conflict {
  edit: FieldEdit;
  current: unknown;
}

/** A change after checking it against Close's current values. */
interface CheckedChange {
  change: LeadChange;
  send: FieldEdit[];
  already: Array<{ edit: FieldEdit; current: unknown }>;
  conflicts: Conflict[];
  error?: string;
}

interface PushState {
  ctx: SyncContext;
  sheetName: string;
  table: SheetTable;
  snapshot: Snapshot;
  changes: ChangeSet;
  checked: CheckedChange[];
  creates: CheckedChange[];
}

function prepare(deps: SyncDeps, options: PushOptions): PushState {
  const sheetName = options.sheetName ?? DEFAULT_SHEET;
  const grid = deps.workbook.sheet(sheetName);
  if (!grid) throw new Error(`There is no sheet named "${sheetName}" yet: pull leads first.`);
  const ctx = loadSyncContext(deps);
  const table = readSheetTable(grid);
  if (!table.columnOf.has(LEAD_ID_KEY))
    throw new Error(`"${sheetName}" has no Lead ID column bound to Close: pull leads into it first.`);
  const snapshot = readSnapshot(deps.workbook, sheetName);
  const changes = computeChanges(table, [...ctx.byKey.values()], snapshot);
  const checked =
    options.checkConflicts === false
      ? changes.updates.map((change) => ({ change, send: change.edits, already: [], conflicts: [] }))
      : checkAgainstClose(deps, ctx, changes.updates);
  const creates = changes.creates.map((change) => ({
    change,
    send: change.edits,
    already: [],
    conflicts: [],
  }));
  return { ctx, sheetName, table, snapshot, changes, checked, creates };
}

/** Reads each edited lead's current values (only the edited fields) and sorts its edits. */
function checkAgainstClose(deps: SyncDeps, ctx: SyncContext, updates: LeadChange[]): CheckedChange[] {
  const withEdits = updates.filter((c) => c.edits.length > 0);
  const replies = deps.client.callAll(
    withEdits.map((c) => ({
      method: 'get' as const,
      path: `/lead/${c.leadId}/`,
      query: { _fields: ['id', ...c.edits.map((e) => e.key)].join(',') },
    })),
  );
  const replyOf = new Map<LeadChange, CloseReply>();
  withEdits.forEach((c, i) => {
    replyOf.set(c, replies[i]);
  });
  return updates.map((change) => {
    const reply = replyOf.get(change);
    const result: CheckedChange = { change, send: [], already: [], conflicts: [] };
    if (!reply) return result;
    if (!reply.ok) {
      result.error =
        reply.status === 404 ? 'This lead is not in Close any more (deleted or merged)' : reply.message;
      return result;
    }
    const current = reply.data as Lead;
    for (const edit of change.edits) {
      const now = current[edit.key] ?? null;
      const kind = ctx.byKey.get(edit.key)?.column.kind ?? 'text';
      if (apiValuesEqual(now, edit.old, kind)) result.send.push(edit);
      else if (apiValuesEqual(now, edit.value, kind)) result.already.push({ edit, current: now });
      else result.conflicts.push({ edit, current: now });
    }
    return result;
  });
}

export function previewPush(deps: SyncDeps, options: PushOptions = {}): Preview {
  const state = prepare(deps, options);
  const items: PreviewItem[] = [];
  const show = (bound: BoundColumn | undefined, v: unknown) =>
    bound ? displayValue(bound, v) : String(v ?? '');
  const add = (c: LeadChange, partial: Omit<PreviewItem, 'row' | 'leadId' | 'leadName'>) =>
    items.push({ row: c.row, leadId: c.leadId, leadName: c.leadName, ...partial });
  for (const checked of [...state.checked, ...state.creates]) {
    const { change } = checked;
    const isCreate = !change.leadId;
    if (checked.error) {
      add(change, { field: '', key: '', old: '', new: '', state: 'error', message: checked.error });
      continue;
    }
    for (const edit of checked.send) {
      const bound = state.ctx.byKey.get(edit.key);
      add(change, {
        field: edit.header,
        key: edit.key,
        old: show(bound, edit.old),
        new: show(bound, edit.value),
        state: isCreate ? 'create' : 'send',
        message: '',
      });
    }
    for (const { edit, current } of checked.already) {
      const bound = state.ctx.byKey.get(edit.key);
      add(change, {
        field: edit.header,
        key: edit.key,
        old: show(bound, edit.old),
        new: show(bound, edit.value),
        state: 'already',
        message: `Close already has ${JSON.stringify(show(bound, current))}: nothing to send`,
      });
    }
    for (const { edit, current } of checked.conflicts) {
      const bound = state.ctx.byKey.get(edit.key);
      add(change, {
        field: edit.header,
        key: edit.key,
        old: show(bound, edit.old),
        new: show(bound, edit.value),
        state: 'conflict',
        message: conflictMessage(bound, edit, current),
      });
    }
    for (const problem of change.problems) {
      add(change, {
        field: problem.header,
        key: problem.key,
        old: '',
        new: problem.cell,
        state: 'invalid',
        message: problem.message,
      });
    }
  }
  for (const e of state.changes.rowErrors) {
    items.push({
      row: e.row,
      leadId: e.leadId,
      leadName: '',
      field: '',
      key: '',
      old: '',
      new: '',
      state: 'error',
      message: e.message,
    });
  }
  items.sort((a, b) => a.row - b.row);
  const count = (s: ChangeState) => items.filter((i) => i.state === s).length;
  return {
    sheetName: state.sheetName,
    items,
    counts: {
      leads: state.checked.filter((c) => c.send.length > 0).length,
      fields: count('send'),
      creates: state.creates.length,
      invalid: count('invalid'),
      conflicts: count('conflict'),
      errors: count('error'),
    },
  };
}

function conflictMessage(bound: BoundColumn | undefined, edit: FieldEdit, current: unknown): string {
  const show = (v: unknown) => JSON.stringify(bound ? displayValue(bound, v) : String(v ?? ''));
  return `${edit.header} changed in Close since your pull: Close has ${show(current)}, you have ${show(edit.value)} (was ${show(edit.old)}). Not sent.`;
}

export function pushChanges(deps: SyncDeps, options: PushOptions = {}): PushSummary {
  const state = prepare(deps, options);
  const { ctx, snapshot } = state;
  const toSend = state.checked.filter((c) => !c.error && c.send.length > 0);
  const toCreate = state.creates;
  const calls: CloseCall[] = [
    ...toSend.map(
      (c): CloseCall => ({
        method: 'put',
        path: `/lead/${c.change.leadId}/`,
        body: Object.fromEntries(c.send.map((e) => [e.key, e.value])),
      }),
    ),
    ...toCreate.map(
      (c): CloseCall => ({
        method: 'post',
        path: '/lead/',
        body: Object.fromEntries(c.send.map((e) => [e.key, e.value])),
      }),
    ),
  ];
  const replies = deps.client.callAll(calls);
  const stamp = formatStamp(deps.clock.now(), ctx.timeZone);
  const results = new Map<CheckedChange, RowResult>();
  const createdIds = new Map<CheckedChange, string>();

  // Fields that were already as the rep wanted move the snapshot forward without a request.
  for (const c of state.checked)
    for (const a of c.already) snapshot.setField(c.change.leadId, a.edit.key, a.current);

  toSend.forEach((c, i) => {
    const reply = replies[i];
    if (reply.ok) {
      const lead = reply.data as Lead;
      for (const e of c.send)
        snapshot.setField(
          c.change.leadId,
          e.key,
          ctx.byKey.get(e.key)?.column.extract(lead) ?? lead[e.key] ?? null,
        );
    }
    results.set(c, rowResult(c, reply, ctx, stamp));
  });
  toCreate.forEach((c, i) => {
    const reply = replies[toSend.length + i];
    if (reply.ok) {
      const lead = reply.data as Lead;
      createdIds.set(c, lead.id);
      const values: Record<string, unknown> = {};
      for (const column of ctx.columns)
        if (column.key !== SYNC_STATUS_KEY) values[column.key] = column.extract(lead);
      snapshot.set(lead.id, values);
    }
    results.set(c, rowResult(c, reply, ctx, stamp));
  });
  for (const c of state.checked) if (!results.has(c)) results.set(c, rowResult(c, null, ctx, stamp));

  const allResults = [...results.values()];
  for (const e of state.changes.rowErrors)
    allResults.push({
      row: e.row,
      leadId: e.leadId,
      leadName: '',
      outcome: 'error',
      message: `error: ${e.message} · ${stamp}`,
    });
  for (const row of state.changes.unchangedRows) {
    const i = row - 2;
    allResults.push({
      row,
      leadId: leadIdAt(state.table, i),
      leadName: '',
      outcome: 'unchanged',
      message: `unchanged · ${stamp}`,
    });
  }
  writeResults(deps, state, allResults, createdIds);

  const sent = (list: CheckedChange[], offset: number) =>
    list.filter((_, i) => replies[offset + i].ok).length;
  const summary = {
    sheetName: state.sheetName,
    updated:
      sent(toSend, 0) + state.checked.filter((c) => c.send.length === 0 && c.already.length > 0).length,
    created: sent(toCreate, toSend.length),
    failed: allResults.filter((r) => r.outcome === 'error').length,
    conflicts: state.checked.filter((c) => c.conflicts.length > 0).length,
    invalid: [...state.checked, ...toCreate].filter((c) => c.change.problems.length > 0).length,
    unchanged: state.changes.unchangedRows.length,
    results: allResults.filter((r) => r.outcome !== 'unchanged').sort((a, b) => a.row - b.row),
  };
  const message =
    `Pushed: ${summary.updated} updated, ${summary.created} created, ${summary.failed} failed, ` +
    `${summary.conflicts} with conflicts, ${summary.invalid} with invalid values, ${summary.unchanged} unchanged.`;
  return { ...summary, message };
}

function rowResult(c: CheckedChange, reply: CloseReply | null, ctx: SyncContext, stamp: string): RowResult {
  const { change } = c;
  const notes: string[] = [];
  const failed = c.error ?? (reply && !reply.ok ? explainFieldErrors(reply, ctx) : undefined);
  if (failed) notes.push(`error: ${failed}`);
  else if (reply?.ok) notes.push(change.leadId ? 'updated' : 'created');
  else if (c.already.length > 0) notes.push('already up to date in Close');
  for (const { edit, current } of c.conflicts)
    notes.push(`conflict: ${conflictMessage(ctx.byKey.get(edit.key), edit, current)}`);
  for (const p of change.problems) notes.push(`invalid: ${p.header}: ${p.message}`);
  // The row shows its most pressing outcome; the message lists everything.
  const outcome: RowOutcome = failed
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
    message: `${notes.join('; ')} · ${stamp}`,
  };
}

/** Close's field-errors name keys (`custom.cf_…`); the rep knows the column headers. */
function explainFieldErrors(reply: Extract<CloseReply, { ok: false }>, ctx: SyncContext): string {
  const entries = Object.entries(reply.fieldErrors);
  if (entries.length === 0) return reply.message;
  return entries
    .map(([key, message]) => `${ctx.byKey.get(key)?.column.header ?? key}: ${message}`)
    .join('; ');
}

/**
 * Writes statuses, new Lead IDs and the snapshot. The sheet is read again first: the rep may have
 * sorted or inserted rows while Close was answering, so rows are found by Lead ID (and, for created
 * leads, by their still-empty ID cell and Name).
 */
function writeResults(
  deps: SyncDeps,
  state: PushState,
  results: RowResult[],
  createdIds: Map<CheckedChange, string>,
) {
  const { ctx } = state;
  const fresh = readSheetTable(state.table.grid);
  const idColumn = fresh.columnOf.get(LEAD_ID_KEY)!;
  const statusColumn = fresh.columnOf.get(SYNC_STATUS_KEY);
  const ids = fresh.rows.map((_, i) => leadIdAt(fresh, i));
  const rowOfId = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id && !rowOfId.has(id)) rowOfId.set(id, i);
  });
  const nameColumn = fresh.columnOf.get('name');
  const nameAt = (i: number) => (nameColumn ? String(fresh.rows[i][nameColumn - 1]).trim() : '');
  const claimed = new Set<number>();
  const findCreatedRow = (c: CheckedChange): number | undefined => {
    const original = c.change.row - 2;
    if (ids[original] === '' && nameAt(original) === c.change.leadName) return original;
    return ids.findIndex((id, i) => id === '' && !claimed.has(i) && nameAt(i) === c.change.leadName);
  };

  const statuses: CellValue[][] = fresh.rows.map((r) => [statusColumn ? r[statusColumn - 1] : '']);
  const newIds: CellValue[][] = ids.map((id) => [id]);
  const createdByRow = new Map<number, string>();
  for (const [c, id] of createdIds) {
    const i = findCreatedRow(c);
    if (i === undefined || i < 0) continue;
    claimed.add(i);
    newIds[i][0] = id;
    createdByRow.set(c.change.row, id);
  }
  for (const r of results) {
    const id = r.leadId || createdByRow.get(r.row);
    let i = id ? rowOfId.get(id) : undefined;
    if (i === undefined && id) i = newIds.findIndex((cell) => cell[0] === id);
    if (i === undefined || i < 0) i = r.leadId ? undefined : r.row - 2;
    if (i !== undefined && i >= 0 && i < statuses.length) statuses[i][0] = r.message;
  }
  if (statusColumn && statuses.length > 0) fresh.grid.write(2, statusColumn, statuses);
  if (createdIds.size > 0 && newIds.length > 0) fresh.grid.write(2, idColumn, newIds);
  const keys = ctx.columns.map((c) => c.key).filter((k) => k !== LEAD_ID_KEY && k !== SYNC_STATUS_KEY);
  writeSnapshot(deps.workbook, state.sheetName, state.snapshot, [...keys, GONE_KEY]);
}
