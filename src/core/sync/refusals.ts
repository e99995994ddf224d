// How Close's refusals read to the rep, for push and undo alike. Close names fields by their API key
// (`custom.cf_…`, `custom.cf_….add`, `status` for status_id, `emails.0.email`); the rep knows them by the
// column header, so every message names a field by its header. A refusal for lack of permission (a 403,
// or a field Close says the user may not edit) never suggests trying again: the same request fails the
// same way ("Clients that receive a 403 response should expect that repeating the request without
// modification will fail with the same error", MDN, 403 Forbidden) until a Close admin changes what the
// role of the key's user may do (Close: "Every role has a set of permissions that represent actions users
// can do in Close", developer.close.com/resources/roles). So it says whose permission is missing and who
// can help.
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

/**
 * Close's wording for a field limited to some roles is not documented (the fake answers "You don't have
 * permission to edit the Custom Field …", dev/fake-close/validation.ts); a message about permission is
 * read as one, whatever its status.
 */
const PERMISSION = /\bpermission/i;

/** A message of Close's that refuses for lack of permission. */
export function speaksOfPermission(message: string): boolean {
  return PERMISSION.test(message);
}

/** Close refused the request for lack of permission: a 403, or a field-error (or message) saying so. */
export function isPermissionRefusal(reply: Refused): boolean {
  return (
    reply.status === 403 ||
    Object.values(reply.fieldErrors).some(speaksOfPermission) ||
    speaksOfPermission(reply.message)
  );
}

/** The headers of the fields Close refused for lack of permission, in Close's order, each once. */
export function deniedHeaders(reply: Refused, ctx: Pick<SyncContext, 'byKey'>): string[] {
  const headers = Object.entries(reply.fieldErrors)
    .filter(([, message]) => speaksOfPermission(message))
    .map(([key]) => headerOfError(ctx, key));
  return [...new Set(headers)];
}

/** "A", "A and B", "A, B and C". */
export function listOf(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * What the rep can do about a permission refusal: the fields the key's user may not edit (none named:
 * a 403 for the whole request), and what else would do (`instead`: "make the change", "restore the old
 * values").
 */
export function permissionAdvice(headers: string[], instead: string): string {
  const what = headers.length > 0 ? `to edit ${listOf(headers)}` : 'for this change';
  return `the Close user behind this API key lacks permission ${what}: ask a Close admin to grant it, or to ${instead} in Close`;
}

/** Close's refusal with each field named by its column header (Close's own message when it names none). */
export function refusalText(reply: Refused, ctx: Pick<SyncContext, 'byKey'>): string {
  const entries = Object.entries(reply.fieldErrors);
  if (entries.length === 0) return reply.message;
  return entries.map(([key, message]) => `${headerOfError(ctx, key)}: ${message}`).join('; ');
}
