// The end of a scheduled refresh, however it ended: a row in the Close Sync Log, the schedule's last run
// (shown in the sidebar to anyone who opens it), and the report rebuilt when one follows the sheet.
//
// A failure is recorded the same way. When Close rejects the rep's API key (revoked, or they
// disconnected), retrying every hour would only fail again: the schedule is paused, with the reason, and
// its trigger removed; it resumes by itself when that rep connects again (saveApiKey).
import { CloseAuthError } from '../core/close/errors';
import { appendRunLog } from '../core/schedule/run-log';
import { type RunOutcome, ScheduleStore, shortMessage } from '../core/schedule/due-times';
import type { ActivityJob, PullJob } from '../core/sync/job';
import type { PullSummary } from '../core/sync/pull-summary';
import { activeWorkbook } from '../gas/grid';
import { documentStore } from '../gas/runtime';
import { rebuildReport, reportFollows } from './report';

export function schedules(): ScheduleStore {
  return new ScheduleStore(documentStore());
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function recordRun(
  sheetName: string,
  by: string,
  run: { startedAt: number; outcome: RunOutcome; leads: number | null; message: string },
): void {
  const finishedAt = Date.now();
  appendRunLog(activeWorkbook(), [{ ...run, finishedAt, sheetName, by }]);
  schedules().update(sheetName, (s) => ({
    ...s,
    last: { ...run, finishedAt, message: shortMessage(run.message) },
  }));
}

/** What a scheduled pull did, for the log: counts, and the unpushed edits it left alone. */
export function pullRunMessage(summary: PullSummary, keptRows: number): string {
  const detail = [`${summary.added} new`];
  if (summary.gone) detail.push(`${summary.gone} no longer in Close`);
  // An incremental refresh read only the leads Close changed; a full one says why it read them all.
  let message =
    summary.refresh.mode === 'incremental'
      ? `Refreshed ${plural(summary.leads, 'changed lead')} (${detail.join(', ')}).`
      : `Pulled ${plural(summary.leads, 'lead')} (${detail.join(', ')}).`;
  if (summary.keptEdits > 0)
    message += ` Kept ${plural(summary.keptEdits, 'unpushed edit')} in ${plural(keptRows, 'row')}: left as they were, not overwritten.`;
  return message;
}

export function finishScheduledRun(job: PullJob, summary: PullSummary): void {
  let message = pullRunMessage(summary, job.keptRows ?? 0);
  if (reportFollows(job.sheetName)) {
    try {
      rebuildReport(job.sheetName);
      message += ' Report refreshed.';
    } catch (e) {
      message += ` Report not refreshed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  recordRun(job.sheetName, job.startedBy, {
    startedAt: job.startedAt,
    outcome: 'ok',
    leads: summary.leads,
    message,
  });
}

export function isAuthFailure(error: unknown): boolean {
  return error instanceof CloseAuthError || (error instanceof Error && error.name === 'CloseAuthError');
}

/** Leads a scheduled pull had read when it stopped (an activities pull counts none). */
function leadsRead(job: PullJob | ActivityJob): number | null {
  return job.kind === 'pull' && job.pager.fetched > 0 ? job.pager.fetched : null;
}

export function failScheduledRun(job: PullJob | ActivityJob, error: unknown, pauseReason?: string): void {
  const raw = error instanceof Error ? error.message : String(error);
  const message = /[.!?]$/.test(raw) ? raw : `${raw}.`;
  const pause = pauseReason ?? (isAuthFailure(error) ? `Close rejected ${job.startedBy}'s API key.` : null);
  recordRun(job.sheetName, job.startedBy, {
    startedAt: job.startedAt,
    outcome: 'failed',
    leads: leadsRead(job),
    message: pause
      ? `${message} The schedule is paused until ${job.startedBy} connects again in the sidebar.`
      : `${message} The schedule stays on: the next run tries again.`,
  });
  if (pause) schedules().update(job.sheetName, (s) => ({ ...s, paused: pause }));
}

/** A scheduled pull cancelled from the sidebar: what it wrote stays, and the next run pulls again. */
export function cancelScheduledRun(job: PullJob | ActivityJob, by: string): void {
  recordRun(job.sheetName, job.startedBy, {
    startedAt: job.startedAt,
    outcome: 'cancelled',
    leads: leadsRead(job),
    message: `Cancelled by ${by} after ${plural(job.steps, 'step')}. What it wrote stays; the next run pulls again.`,
  });
}
