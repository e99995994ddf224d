// The conflict check: before a field is sent, Close's current value must still be the one that was
// pulled. If Close already has the rep's value there is nothing to send; if it has a third value, a
// colleague changed it and it is a conflict, not overwritten.
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { ObjectSpec } from '../schema/objects';
import { apiValuesEqual } from '../schema/codecs';
import type { BoundColumn, FieldEdit, LeadChange } from './changes';
import type { SyncContext } from './context';
import { displayValue } from './display';

export interface Conflict {
  edit: FieldEdit;
  current: unknown;
}

/** A change after checking it against Close's current values. */
export interface CheckedChange {
  change: LeadChange;
  send: FieldEdit[];
  already: Conflict[];
  conflicts: Conflict[];
  error?: string;
}

/** Reads only the edited fields of one object. */
export function currentValuesCall(change: LeadChange, spec: ObjectSpec): CloseCall {
  return {
    method: 'get',
    path: spec.path(change.leadId),
    query: { _fields: ['id', ...change.edits.map((e) => e.key)].join(',') },
  };
}

export function unchecked(change: LeadChange): CheckedChange {
  return { change, send: change.edits, already: [], conflicts: [] };
}

export function sortEdits(
  ctx: SyncContext,
  change: LeadChange,
  reply: CloseReply | undefined,
  mode: MultiValueMode = 'replace',
): CheckedChange {
  const result: CheckedChange = { change, send: [], already: [], conflicts: [] };
  if (!reply) return result;
  if (!reply.ok) {
    result.error =
      reply.status === 404 ? 'This lead is not in Close any more (deleted or merged)' : reply.message;
    return result;
  }
  const current = reply.data as Lead;
  for (const edit of change.edits) {
    if (!needsCheck(ctx, edit, mode)) {
      result.send.push(edit);
      continue;
    }
    const now = current[edit.key] ?? null;
    const kind = ctx.byKey.get(edit.key)?.column.kind ?? 'text';
    if (apiValuesEqual(now, edit.old, kind)) result.send.push(edit);
    else if (apiValuesEqual(now, edit.value, kind)) result.already.push({ edit, current: now });
    else result.conflicts.push({ edit, current: now });
  }
  return result;
}

export function conflictMessage(bound: BoundColumn | undefined, edit: FieldEdit, current: unknown): string {
  const show = (v: unknown) => JSON.stringify(bound ? displayValue(bound, v) : String(v ?? ''));
  return `${edit.header} changed in Close since your pull: Close has ${show(current)}, you have ${show(edit.value)} (was ${show(edit.old)}). Not sent.`;
}

export type MultiValueMode = 'replace' | 'add' | 'remove';

const MULTI_KINDS = new Set(['choices', 'users']);

/**
 * The request body for a change. Multi-value fields are replaced whole by default; in `add` or
 * `remove` mode only the values the rep added (or removed) are sent, with Close's `.add`/`.remove`
 * keys, so values a colleague added meanwhile survive.
 */
export function updateBody(
  ctx: SyncContext,
  edits: FieldEdit[],
  mode: MultiValueMode,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const e of edits) {
    const kind = ctx.byKey.get(e.key)?.column.kind;
    if (mode === 'replace' || !kind || !MULTI_KINDS.has(kind)) {
      body[e.key] = e.value;
      continue;
    }
    const values = multiDelta(e, mode);
    if (values.length > 0) body[`${e.key}.${mode}`] = values.length === 1 ? values[0] : values;
  }
  return body;
}

/** The values an add (new, not old) or remove (old, not new) sends. */
export function multiDelta(e: FieldEdit, mode: 'add' | 'remove'): string[] {
  const list = (v: unknown) =>
    Array.isArray(v) ? v.map(String) : v === null || v === undefined || v === '' ? [] : [String(v)];
  const [before, after] = [list(e.old), list(e.value)];
  return mode === 'add' ? after.filter((v) => !before.includes(v)) : before.filter((v) => !after.includes(v));
}

/** In add/remove mode a multi-value edit commutes with a colleague's change: no conflict check needed. */
export function needsCheck(ctx: SyncContext, e: FieldEdit, mode: MultiValueMode): boolean {
  const kind = ctx.byKey.get(e.key)?.column.kind;
  return mode === 'replace' || !kind || !MULTI_KINDS.has(kind);
}
