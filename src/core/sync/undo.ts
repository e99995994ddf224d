// Undo last push: puts back in Close the values a push replaced, from the push log — but only where
// Close still holds what the push wrote. A field someone changed since is a conflict, reported and left
// alone, exactly like push treats a field changed since the pull. After the PUTs, the snapshot and the
// sheet cells move to the restored values, so the sheet shows Close's values and the next push does not
// send the undone edit again.
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { CellValue } from '../ports';
import { apiValuesEqual, cellsEqual } from '../schema/codecs';
import { SYNC_STATUS_KEY } from '../schema/columns';
import { formatStamp } from '../schema/dates';
import type { BoundColumn } from './changes';
import { type SyncContext, type SyncDeps, loadSyncContext } from './context';
import type { PullDefinition } from './definition';
import { currentValuesQuery } from './current-values';
import { displayValue } from './display';
import { leadIdAt, readSheetTable } from './lead-sheet';
import { type LoggedField, type LoggedPush, markUndone, readLastPush } from './push-log';
import { readSnapshot, writeSnapshot } from './snapshot';

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
}

interface Plan {
  push: LoggedPush | null;
  ctx?: SyncContext;
  planned: Planned[];
  stamp: string;
}

const show = (bound: BoundColumn | undefined, value: unknown) =>
  bound ? displayValue(bound, value) : value === null || value === undefined ? '' : String(value);

/** What a sheet holds (its pull definition), so a contact or opportunity push is undone on its own kind. */
export type DefinitionOf = (sheetName: string) => Pick<PullDefinition, 'kind' | 'fields'> | null;

/** The name a sheet goes by now, for the name a push was logged under (the sheet may be renamed since). */
export type NameNow = (logged: string) => string;

function plan(deps: SyncDeps, definitionOf: DefinitionOf = () => null, nameNow: NameNow = (n) => n): Plan {
  const tz = deps.workbook.timeZone();
  const logged = readLastPush(deps.workbook);
  const push = logged ? { ...logged, sheetName: nameNow(logged.sheetName) } : logged;
  const stamp = formatStamp(deps.clock.now(), tz);
  if (!push) return { push, planned: [], stamp };
  const open = push.fields.filter((f) => !f.undone);
  if (open.length === 0) return { push, planned: [], stamp };
  const ctx = loadSyncContext(deps, definitionOf(push.sheetName) ?? { kind: 'lead', fields: null });
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
      p.message = 'This field is not in Close any more (or not in this sheet): not restored.';
    } else if (field.unreadable) {
      p.state = 'unavailable';
      p.message = 'The value was too long to keep in the push log: not restored.';
    }
    return p;
  });
  // Close's current values: one GET per lead, only the logged fields where Close allows (current-values.ts).
  const byLead = new Map<string, Planned[]>();
  for (const p of planned) {
    if (p.state !== 'restore') continue;
    const list = byLead.get(p.field.leadId) ?? [];
    list.push(p);
    byLead.set(p.field.leadId, list);
  }
  const leads = [...byLead.keys()];
  const replies = deps.client.callAll(
    leads.map(
      (id): CloseCall => ({
        method: 'get',
        path: ctx.spec.path(id),
        query: currentValuesQuery(
          ctx.spec,
          id,
          byLead.get(id)!.map((p) => p.field.key),
        ),
      }),
    ),
  );
  leads.forEach((id, i) => {
    judge(byLead.get(id)!, replies[i]);
  });
  return { push, ctx, planned, stamp };
}

function judge(fields: Planned[], reply: CloseReply): void {
  for (const p of fields) {
    if (!reply.ok) {
      p.state = 'error';
      p.message =
        reply.status === 404 ? 'This lead is not in Close any more (deleted or merged).' : reply.message;
      continue;
    }
    const kind = p.bound!.column.kind;
    p.current = (reply.data as Lead)[p.field.key] ?? null;
    if (apiValuesEqual(p.current, p.field.after, kind)) continue;
    if (apiValuesEqual(p.current, p.field.before, kind)) {
      p.state = 'already';
      p.message = 'Close already has the value from before the push.';
      continue;
    }
    p.state = 'conflict';
    p.message =
      `${p.field.header} changed in Close since the push: Close has ${JSON.stringify(show(p.bound, p.current))}, ` +
      `the push wrote ${JSON.stringify(show(p.bound, p.field.after))}. Left alone.`;
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
  return toPreview(plan(deps, definitionOf, nameNow), deps.workbook.timeZone());
}

/** Undoes the last push: PUTs the old values of the fields Close still holds as pushed. */
export function applyUndo(
  deps: SyncDeps,
  user: string,
  definitionOf?: DefinitionOf,
  nameNow?: NameNow,
): UndoResult {
  const tz = deps.workbook.timeZone();
  const p = plan(deps, definitionOf, nameNow);
  const base = toPreview(p, tz);
  if (!p.push || base.alreadyUndone) return { ...base, restored: 0, failed: 0, keptEdits: 0 };
  const push = p.push;
  const toRestore = new Map<string, Planned[]>();
  for (const x of p.planned) {
    if (x.state !== 'restore') continue;
    const list = toRestore.get(x.field.leadId) ?? [];
    list.push(x);
    toRestore.set(x.field.leadId, list);
  }
  const leads = [...toRestore.keys()];
  const replies = deps.client.callAll(
    leads.map(
      (id): CloseCall => ({
        method: 'put',
        path: p.ctx!.spec.path(id),
        body: Object.fromEntries(toRestore.get(id)!.map((x) => [x.field.key, x.field.before ?? null])),
      }),
    ),
  );
  const restoredValues = new Map<Planned, unknown>();
  leads.forEach((id, i) => {
    const reply = replies[i];
    for (const x of toRestore.get(id)!) {
      if (reply.ok) {
        x.state = 'restored';
        restoredValues.set(x, x.bound!.column.extract(reply.data as Lead));
      } else {
        x.state = 'error';
        x.message = `Close refused the undo: ${reply.fieldErrors[x.field.key] ?? reply.message}`;
      }
    }
  });
  const keptEdits = updateSheet(deps, push, p, restoredValues);
  // The log remembers what happened to each field; a failed one stays open for another try.
  const by = `${user} at ${p.stamp}`;
  const marks = push.fields.map((f) => {
    const x = p.planned.find((y) => y.field === f);
    if (!x) return f.undone;
    switch (x.state) {
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
  });
  markUndone(deps.workbook, push, marks);
  const result = toPreview(p, tz);
  const restored = p.planned.filter((x) => x.state === 'restored').length;
  const failed = p.planned.filter((x) => x.state === 'error').length;
  const restoredLeads = new Set(p.planned.filter((x) => x.state === 'restored').map((x) => x.field.leadId))
    .size;
  const parts = [
    `Undid the push of ${result.pushedAt} by ${push.user}: restored ${plural(restored, 'field')} on ${plural(restoredLeads, 'lead')}.`,
  ];
  if (result.counts.conflicts)
    parts.push(
      `${plural(result.counts.conflicts, 'conflict')} left alone (changed in Close since the push).`,
    );
  if (failed) parts.push(`${plural(failed, 'field')} failed: try Undo again.`);
  if (keptEdits) parts.push(`${plural(keptEdits, 'cell')} with your unpushed edits kept as you typed them.`);
  return { ...result, restored, failed, keptEdits, message: parts.join(' ') };
}

/** The cell still shows the snapshot's value (as changes.ts judges an edit: formatting alone is none). */
function unedited(bound: BoundColumn, cell: CellValue, old: unknown): boolean {
  if (cellsEqual(cell, bound.codec.encode(old))) return true;
  const decoded = bound.codec.decode(cell);
  return decoded.ok && apiValuesEqual(decoded.value, old, bound.column.kind);
}

/**
 * Moves the snapshot and the sheet to the restored values. A cell the rep has edited since (it no longer
 * shows the snapshot's value) keeps their typing: it stays a pending edit, against the restored value.
 * Returns how many such cells were kept.
 */
function updateSheet(deps: SyncDeps, push: LoggedPush, p: Plan, restored: Map<Planned, unknown>): number {
  const grid = deps.workbook.sheet(push.sheetName);
  const notes = new Map<string, { restored: string[]; other: string[] }>();
  const noteOf = (leadId: string) => {
    let n = notes.get(leadId);
    if (!n) {
      n = { restored: [], other: [] };
      notes.set(leadId, n);
    }
    return n;
  };
  for (const x of p.planned) {
    const n = noteOf(x.field.leadId);
    if (x.state === 'restored') n.restored.push(x.field.header);
    if (x.state === 'conflict')
      n.other.push(`conflict: ${x.field.header} changed in Close since the push, left alone`);
    if (x.state === 'error') n.other.push(`undo failed: ${x.field.header}: ${x.message}`);
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
  let kept = 0;
  for (const [x, value] of restored) {
    const { leadId, key } = x.field;
    const before = snapshot.get(leadId);
    const index = rowOf.get(leadId);
    const column = table.columnOf.get(key);
    if (index !== undefined && column !== undefined && before) {
      const { codec } = x.bound!;
      const cell = table.rows[index][column - 1];
      if (unedited(x.bound!, cell, before[key] ?? null)) {
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
      table.rows[index][statusColumn - 1] = `${parts.join('; ')} · ${p.stamp}`;
      touch(statusColumn, index);
    }
  }
  // One write per touched column, over the rows between its first and last touched cell.
  for (const [column, indexes] of touched) {
    const first = indexes.reduce((a, b) => Math.min(a, b));
    const last = indexes.reduce((a, b) => Math.max(a, b));
    const block: CellValue[][] = [];
    for (let i = first; i <= last; i++) block.push([table.rows[i][column - 1] ?? '']);
    grid.write(first + 2, column, block);
  }
  writeSnapshot(deps.workbook, push.sheetName, snapshot);
  return kept;
}
