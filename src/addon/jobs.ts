// Drives pulls and pushes as jobs: runs one step, records progress, and arranges the next step (the
// sidebar calls continueSync right away; a time-driven trigger continues if the sidebar is closed).
import { CloseAuthError } from '../core/close/errors';
import { deadlineAfter, JobStore, type SyncJob } from '../core/sync/job';
import { type PullSummary, runPullStep } from '../core/sync/pull';
import { type PushSummary, runPushStep } from '../core/sync/push';
import { activeWorkbook } from '../gas/grid';
import { appsScriptClock, documentStore } from '../gas/runtime';
import { clientFor, requireApiKey } from './connection';
import { reportProgress } from './progress';
import { removeTimer, scheduleContinuation } from './timer';

export interface JobProgress {
  done: false;
  kind: SyncJob['kind'];
  sheetName: string;
  steps: number;
  message: string;
}

export type JobOutcome<S> = ({ done: true } & S) | JobProgress;

export function jobStore(): JobStore {
  return new JobStore(documentStore());
}

export function runningJob(): SyncJob | null {
  return jobStore().load();
}

export function currentUser(): string {
  return Session.getActiveUser().getEmail() || 'another user';
}

/** Runs one step of the job and records where it got to. */
export function runJobStep(job: SyncJob): JobOutcome<PullSummary> | JobOutcome<PushSummary> {
  const store = jobStore();
  const deps = { client: clientFor(requireApiKey()), workbook: activeWorkbook(), clock: appsScriptClock };
  const deadline = deadlineAfter(appsScriptClock);
  try {
    const step =
      job.kind === 'pull'
        ? runPullStep(deps, job, deadline, (message) => reportProgress('pull', message))
        : runPushStep(deps, job, deadline);
    if (step.done) {
      store.clear();
      removeTimer();
      reportProgress(job.kind, step.message, true);
      return { done: true, ...step.summary! };
    }
    store.save(step.job);
    scheduleContinuation();
    reportProgress(job.kind, step.message);
    return {
      done: false,
      kind: job.kind,
      sheetName: job.sheetName,
      steps: step.job.steps,
      message: step.message,
    };
  } catch (e) {
    // A job that had made progress stays, to be resumed; one that failed on its first step is gone
    // (starting again is the same thing).
    const partial = (e as { job?: SyncJob }).job;
    if (partial) store.save(partial);
    else if (job.steps > 0) store.save(job);
    else store.clear();
    removeTimer();
    const message = e instanceof Error ? e.message : String(e);
    reportProgress(job.kind, `Stopped: ${message}`, true);
    if (e instanceof CloseAuthError)
      throw new Error(`${message} Then resume the ${job.kind}: nothing is lost.`);
    throw e;
  }
}
