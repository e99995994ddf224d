// The conflict check: before a field is sent, Close's current value must still be the one that was
// pulled. If Close already has the rep's value there is nothing to send; if it has a third value, a
// colleague changed it and it is a conflict, not overwritten.
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { ObjectSpec } from '../schema/objects';
import { apiValuesEqual } from '../schema/codecs';
import { isHashed, sameAsPulled } from './pulled-value';
import type { BoundColumn, FieldEdit, LeadChange } from './changes';
import type { SyncContext } from './context';
import { currentValuesQuery } from './current-values';
import { displayValue } from './readable-value';
import { isDeltaEdit, multiDelta } from './multi-value';
import { deniedHeaders, isPermissionRefusal, permissionAdvice, refusalText } from './refusals';

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
  /** The check was refused for lack of permission (`error` says so, and who can help). */
  denied?: boolean;
  /** Close's current values of the edited fields, as the check read them (multi-value.ts, push log). */
  current?: Record<string, unknown>;
}

/** Reads the edited fields of one object (current-values.ts says how, and why). */
export function currentValuesCall(change: LeadChange, spec: ObjectSpec): CloseCall {
  return {
    method: 'get',
    path: spec.path(change.leadId),
    query: currentValuesQuery(
      spec,
      change.leadId,
      change.edits.map((e) => e.key),
    ),
  };
}

/** The check's answer for an object Close no longer has (a 404). */
export const GONE_MESSAGE = 'This lead is not in Close any more (deleted or merged)';

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
    if (reply.status === 404) result.error = GONE_MESSAGE;
    else if (isPermissionRefusal(reply)) {
      result.denied = true;
      result.error = `${refusalText(reply, ctx)}; ${permissionAdvice(deniedHeaders(reply, ctx), 'make the change')}`;
    } else result.error = refusalText(reply, ctx);
    return result;
  }
  const current = reply.data as Lead;
  for (const edit of change.edits) {
    if (!needsCheck(ctx, edit, mode)) {
      const now = current[edit.key] ?? null;
      result.current = { ...result.current, [edit.key]: now };
      // Every value added (removed) is already in (gone from) Close: nothing left to send.
      const wanted = multiDelta(edit, mode as 'add' | 'remove');
      if (wanted.length > 0 && multiDelta(edit, mode as 'add' | 'remove', now).length === 0)
        result.already.push({ edit, current: now });
      else result.send.push(edit);
      continue;
    }
    const now = current[edit.key] ?? null;
    const kind = ctx.byKey.get(edit.key)?.column.kind ?? 'text';
    // Kept for every edit: where the snapshot has only a hash of the pulled value, the value the check
    // matched stands for it (the push log's "before", the preview's "was").
    result.current = { ...result.current, [edit.key]: now };
    if (sameAsPulled(now, edit.old, kind)) result.send.push(edit);
    else if (apiValuesEqual(now, edit.value, kind)) result.already.push({ edit, current: now });
    else result.conflicts.push({ edit, current: now });
  }
  return result;
}

export function conflictMessage(bound: BoundColumn | undefined, edit: FieldEdit, current: unknown): string {
  const show = (v: unknown) => JSON.stringify(bound ? displayValue(bound, v) : String(v ?? ''));
  // A hashed pulled value cannot be shown (pulled-value.ts): the message then names only the two values.
  const was = isHashed(edit.old) ? '' : ` (was ${show(edit.old)})`;
  return `${edit.header} changed in Close since your pull: Close has ${show(current)}, you have ${show(edit.value)}${was}. Not sent.`;
}

export type MultiValueMode = 'replace' | 'add' | 'remove';

/** In add/remove mode a multi-value edit commutes with a colleague's change: no conflict check needed. */
export function needsCheck(ctx: SyncContext, e: FieldEdit, mode: MultiValueMode): boolean {
  return !isDeltaEdit(ctx, e, mode);
}
