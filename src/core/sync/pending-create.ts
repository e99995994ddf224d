// Creating a lead exactly once. A POST /lead/ that times out or is answered 502/504 may have been
// applied by Close all the same (Close's own Python client never repeats a POST for that reason), and
// the next push would create the lead a second time. So a new row's Sync status is marked before its
// POST is sent ("[pending create <time> as "<name>"]"); a failure that may hide a success leaves the
// mark, and the next push first looks in Close for a lead created by the rep's own user since the mark
// under the name that was SENT (the rep may have renamed the row since) — adopting it (its Lead ID goes
// into the row; what the rep changed since is pushed next time as an edit) instead of creating another. The mark lives in the row itself, so it
// follows the row however the rep sorts, and needs no document state.
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import { leadFieldsOf } from '../schema/columns';

// The name the POST carried goes into the mark as JSON: the rep may rename the row before the next push,
// and Close holds the lead under the name that was sent. (Marks written before held no name.)
const MARK =
  /\[pending create (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z)(?: as ("(?:[^"\\]|\\.)*"))?\]/;
/** Close's clock and Apps Script's may differ a little: the search starts this much earlier. */
const CLOCK_SLACK_MS = 10 * 60_000;
const SEARCH_LIMIT = 200;

export function pendingMark(now: number, sentName: string): string {
  return `[pending create ${new Date(now).toISOString()} as ${JSON.stringify(sentName)}]`;
}

export interface PendingCreate {
  /** When the create was sent without an answer. */
  since: number;
  /** The name it was sent with (null for a mark that did not record it). */
  sentName: string | null;
}

/** The row's create that was sent without an answer, from its Sync status; null when there is none. */
export function pendingCreate(status: unknown): PendingCreate | null {
  const m = MARK.exec(String(status ?? ''));
  if (!m) return null;
  const since = Date.parse(m[1]);
  if (!Number.isFinite(since)) return null;
  let sentName: string | null = null;
  try {
    sentName = m[2] ? (JSON.parse(m[2]) as string) : null;
  } catch {
    sentName = null;
  }
  return { since, sentName };
}

/**
 * Whether a failed create may have been applied: no answer at all, or a 5xx other than 503 (a 503 is
 * refused before processing, which is why the client repeats it even for a POST).
 */
export function mayHaveApplied(reply: CloseReply): boolean {
  return !reply.ok && (reply.status === 0 || (reply.status >= 500 && reply.status !== 503));
}

/** The client's advice for an unanswered POST, which the pending mark makes this add-on's job. */
export function withoutCheckAdvice(message: string): string {
  return message.replace(/\.? It may have been applied: check Close before pushing again\.$/, '');
}

/**
 * Leads created since the mark with this name (Close's search-bar syntax on GET /lead/, as the pager
 * uses it; the name term is left out when the name has a quote in it, and names are compared exactly
 * on our side either way).
 */
export function createdSinceCall(name: string, since: number, columnKeys: string[]): CloseCall {
  const from = new Date(since - CLOCK_SLACK_MS).toISOString();
  const byName = name.includes('"') ? '' : ` name:"${name}"`;
  return {
    method: 'get',
    path: '/lead/',
    query: {
      query: `date_created >= "${from}"${byName} sort:created`,
      _limit: SEARCH_LIMIT,
      _fields: [...new Set([...leadFieldsOf(columnKeys), 'name', 'date_created', 'created_by'])].join(','),
    },
  };
}

/**
 * The leads in the reply named exactly `name` and, when the key's user is known, created by that user: a
 * colleague's lead of the same name, created meanwhile, is never taken for ours (our row's values would
 * then go to their lead).
 */
export function leadsNamed(reply: CloseReply, name: string, createdBy?: string): Lead[] {
  if (!reply.ok) return [];
  const data = (reply.data as { data?: Lead[] }).data ?? [];
  return data.filter(
    (lead) =>
      String(lead.name ?? '').trim() === name && (createdBy === undefined || lead.created_by === createdBy),
  );
}
