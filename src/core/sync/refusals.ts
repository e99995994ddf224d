// How Close's refusals read to the rep, for push and undo alike. Close names fields by their API key
// (`custom.cf_…`, `custom.cf_….add`, `status` for status_id, `emails.0.email`); the rep knows them by the
// column header, so every message names a field by its header.
import type { CloseReply } from '../close/client';
import type { SyncContext } from './context';

export type Refused = Extract<CloseReply, { ok: false }>;

/** Whether a field-error key names the field `key`: itself, a part of it (`.add`, `.0.email`), or `status` for status_id. */
export function errorNamesField(errorKey: string, key: string): boolean {
  return errorKey === key || errorKey.startsWith(`${key}.`) || (key === 'status_id' && errorKey === 'status');
}

/** The column header of the field a field-error key names; the key itself only when no column has it. */
export function headerOfError(ctx: Pick<SyncContext, 'byKey'>, errorKey: string): string {
  const exact = ctx.byKey.get(errorKey);
  if (exact) return exact.column.header;
  for (const [key, bound] of ctx.byKey) if (errorNamesField(errorKey, key)) return bound.column.header;
  return errorKey;
}

/** Close's refusal with each field named by its column header (Close's own message when it names none). */
export function refusalText(reply: Refused, ctx: Pick<SyncContext, 'byKey'>): string {
  const entries = Object.entries(reply.fieldErrors);
  if (entries.length === 0) return reply.message;
  return entries.map(([key, message]) => `${headerOfError(ctx, key)}: ${message}`).join('; ');
}
