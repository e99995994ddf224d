// Add only / Remove only for multi-value fields (choices, users). Close documents `.add` and `.remove`
// for ONE value: "you can specify .add or .remove as part of the field key to add/remove a single value
// to/from a list of values" (developer.close.com/api/resources/leads/update); a list there is undocumented.
// So a rep who added three values gets three requests, one value per key each, sent one after another
// (never two PUTs of one object at once: Close may apply them as read-modify-write).
//
// Why not one PUT with a replacement list computed from Close's value read in the conflict check? That list
// would overwrite whatever a colleague changed between our GET and our PUT, which is exactly what these
// modes promise not to do; `.add`/`.remove` apply to Close's value at the moment it is written. The cost,
// an extra PUT per further value, only falls on leads where one field gained or lost several values.
//
// The values sent are counted against Close's value read in the conflict check: a value Close already
// has (or no longer has) is not sent again, so an edit a colleague already made is "already up to date".
import type { CloseCall, CloseClient, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { FieldEdit } from './changes';
import type { CheckedChange, MultiValueMode } from './conflicts';
import type { SyncContext } from './context';
import { KINDS } from '../schema/kinds';
import { isHashed, isPulledElement, pulledElements } from './pulled-value';
import { displayValue } from './readable-value';

/** A multi-value field in add/remove mode: only its added or removed values are sent. */
export function isDeltaEdit(ctx: SyncContext, e: FieldEdit, mode: MultiValueMode): boolean {
  if (mode === 'replace') return false;
  const kind = ctx.byKey.get(e.key)?.column.kind;
  return kind !== undefined && KINDS[kind].addRemove;
}

const list = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === null || v === undefined || v === '' ? [] : [String(v)];

/**
 * The values an add (new, not old) or remove (old, not new) sends; with Close's current value known,
 * only those Close does not have yet (add) or still has (remove).
 */
export function multiDelta(e: FieldEdit, mode: 'add' | 'remove', current?: unknown): string[] {
  if (isHashed(e.old)) return hashedDelta(e, mode, current);
  const [before, after] = [list(e.old), list(e.value)];
  const delta =
    mode === 'add' ? after.filter((v) => !before.includes(v)) : before.filter((v) => !after.includes(v));
  if (current === undefined) return delta;
  const now = list(current);
  return delta.filter((v) => (mode === 'add' ? !now.includes(v) : now.includes(v)));
}

/**
 * multiDelta where the snapshot kept some pulled values as hashes (pulled-value.ts): an added value is
 * one no pulled element stands for; a removed one is named by Close's current value (a hashed element
 * Close no longer has is removed already). Without Close's value, a removed hashed element counts but
 * has no name (the preview then shows it as empty).
 */
function hashedDelta(e: FieldEdit, mode: 'add' | 'remove', current?: unknown): string[] {
  const after = list(e.value);
  const pulled = Array.isArray(e.old) ? e.old : [e.old];
  if (mode === 'add') {
    const delta = after.filter((v) => !isPulledElement(v, pulled));
    return current === undefined ? delta : delta.filter((v) => !list(current).includes(v));
  }
  const removed = pulled.filter((p) => !after.some((v) => isPulledElement(v, [p])));
  if (current === undefined) return removed.map(String);
  const now = list(current);
  return list(pulledElements(removed, current)).filter((v) => now.includes(v));
}

/**
 * The PUT bodies of one checked change, in order. Replace mode: one body. Add/remove mode: the first body
 * carries every other edit and the first value of each field; each further body the next value of each.
 */
export function updateBodies(
  ctx: SyncContext,
  c: Pick<CheckedChange, 'send' | 'current'>,
  mode: MultiValueMode,
): Record<string, unknown>[] {
  const first: Record<string, unknown> = {};
  const later: Record<string, unknown>[] = [];
  for (const e of c.send) {
    if (!isDeltaEdit(ctx, e, mode)) {
      first[e.key] = e.value;
      continue;
    }
    const values = multiDelta(e, mode as 'add' | 'remove', c.current?.[e.key]);
    const key = `${e.key}.${mode}`;
    values.forEach((v, i) => {
      if (i === 0) first[key] = v;
      else {
        while (later.length < i) later.push({});
        later[i - 1][key] = v;
      }
    });
  }
  return Object.keys(first).length > 0 ? [first, ...later] : later;
}

/** What a PUT of this change ended with: Close's object after the last accepted PUT, and the last reply. */
export interface SentChange {
  reply: CloseReply | undefined;
  accepted?: Lead;
}

/**
 * Sends each change's first body in one wave, with `alongside` (calls that ride in the same wave: the
 * next batch's checks), then the further bodies (sendFurtherValues). Returns what each change's
 * requests got, and the replies to `alongside`.
 */
export function sendUpdates(
  client: Pick<CloseClient, 'callAll'>,
  path: (c: CheckedChange) => string,
  bodies: Map<CheckedChange, Record<string, unknown>[]>,
  changes: CheckedChange[],
  stopAt: number,
  firstBy?: number,
  alongside: CloseCall[] = [],
): { sent: Map<CheckedChange, SentChange>; alongside: CloseReply[] } {
  const replies = client.callAll(
    [
      ...changes.map((c): CloseCall => ({ method: 'put', path: path(c), body: bodies.get(c)![0] })),
      ...alongside,
    ],
    stopAt,
    firstBy,
  );
  const first = new Map(changes.map((c, i) => [c, replies[i]]));
  return {
    sent: sendFurtherValues(client, path, bodies, first, stopAt, firstBy),
    alongside: replies.slice(changes.length),
  };
}

/**
 * Sends the further bodies of changes whose first PUT went through, one round after another, and
 * returns each change's outcome. A refused round stops that change; what Close accepted before it is
 * kept (the snapshot and log follow Close, so the next push sends only what is left). So does a round
 * that could not be sent before `stopAt` (`firstBy` while the step has recorded nothing): it comes back
 * unsent with what Close accepted, and the step records it as such rather than wait past its time
 * (Apps Script would kill it mid-way, before it records the values Close took).
 */
export function sendFurtherValues(
  client: Pick<CloseClient, 'callAll'>,
  path: (c: CheckedChange) => string,
  bodies: Map<CheckedChange, Record<string, unknown>[]>,
  firstReplies: Map<CheckedChange, CloseReply>,
  stopAt = Number.POSITIVE_INFINITY,
  firstBy?: number,
): Map<CheckedChange, SentChange> {
  const out = new Map<CheckedChange, SentChange>();
  for (const [c, reply] of firstReplies)
    out.set(c, { reply, accepted: reply?.ok ? (reply.data as Lead) : undefined });
  for (let round = 1; ; round++) {
    const due = [...bodies].filter(([c, b]) => b.length > round && out.get(c)?.reply?.ok);
    if (due.length === 0) return out;
    const replies = client.callAll(
      due.map(([c, b]): CloseCall => ({ method: 'put', path: path(c), body: b[round] })),
      stopAt,
      firstBy,
    );
    due.forEach(([c], i) => {
      const r = replies[i];
      out.set(c, { reply: r, accepted: r.ok ? (r.data as Lead) : out.get(c)?.accepted });
    });
  }
}

/**
 * The edits as the push log keeps them: a delta edit's "before" is Close's value the check read, and so
 * is the "before" of a value the snapshot kept as a hash (the check found Close still had the pulled
 * value, so what it read is that value).
 */
export function loggedEdits(ctx: SyncContext, c: CheckedChange, mode: MultiValueMode): FieldEdit[] {
  return c.send.map((e) =>
    (isDeltaEdit(ctx, e, mode) || isHashed(e.old)) && c.current && e.key in c.current
      ? { ...e, old: c.current[e.key] ?? null }
      : e,
  );
}

/**
 * The status of a row whose add/remove values went in several PUTs and a later one failed: Close kept
 * what the earlier PUTs carried, so the row must say so — what was added (removed), what was not, and
 * what Close holds now — or the rep reads "error" and believes nothing reached Close. `accepted` is
 * Close's object after the last PUT it took; the snapshot and push log already follow it, so the next
 * push sends only what is missing (unless Close refused it for lack of permission: then `again` is false
 * and the caller says what to do instead).
 */
export function partialNote(
  ctx: SyncContext,
  c: Pick<CheckedChange, 'send' | 'current'>,
  mode: MultiValueMode,
  accepted: Lead,
  failure: string,
  /** Whether pushing again can send the rest (not when Close refused it for lack of permission). */
  again = true,
): string {
  const [done, undone] = mode === 'remove' ? ['removed', 'not removed'] : ['added', 'not added'];
  const parts: string[] = [];
  const holds: string[] = [];
  const updated: string[] = [];
  for (const e of c.send) {
    const bound = ctx.byKey.get(e.key);
    if (!bound) continue;
    if (!isDeltaEdit(ctx, e, mode)) {
      // Went in the first PUT, which Close took.
      updated.push(e.header);
      continue;
    }
    const now = list(bound.column.extract(accepted));
    const values = multiDelta(e, mode as 'add' | 'remove', c.current?.[e.key]);
    const took = (v: string) => (mode === 'add' ? now.includes(v) : !now.includes(v));
    const show = (vs: string[]) => vs.map((v) => displayValue(bound, [v])).join('; ');
    const [kept, missed] = [values.filter(took), values.filter((v) => !took(v))];
    if (kept.length === 0 && missed.length === 0) continue;
    const said = [
      kept.length > 0 ? `${done} ${show(kept)}` : '',
      missed.length > 0 ? `${undone} ${show(missed)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    parts.push(`${e.header}: ${said}`);
    holds.push(`${e.header} "${displayValue(bound, now)}"`);
  }
  if (updated.length > 0) parts.unshift(`updated ${updated.join(', ')}`);
  return (
    `only part of this row reached Close (${failure}): ${parts.join('; ')}. ` +
    `Close now has ${holds.join(', ')}${again ? '. Push again to send the rest' : ''}`
  );
}
