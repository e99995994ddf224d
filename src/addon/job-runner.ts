// Drives pulls (of leads and of activities), pushes and undos as jobs: runs one step, records progress, and
// arranges the next step (the sidebar calls continueSync right away; a time-driven trigger continues if the
// sidebar is closed).
import type { Workbook } from '../core/ports';
import { CloseAuthError } from '../core/close/errors';
import type { ActivityPullSummary } from '../core/activities/pull';
import {
  type ActivityJob,
  deadlineAfter,
  JobStore,
  MIN_STEP_BUDGET_MS,
  type PullJob,
  STEP_BUDGET_MS,
  type SyncJob,
} from '../core/sync/job';
import { type PullSummary, runPullStep } from '../core/sync/pull-step';
import { type PushSummary, runPushStep } from '../core/sync/push';
import { runUndoStep, type UndoResult } from '../core/sync/undo';
import { appsScriptClock, documentStore, userCacheStore } from '../gas/runtime';
import { SCHEMA_CACHE_KEY } from '../core/sync/context';
import { finishScheduledActivities, runActivityJobStep } from './activities';
import { syncDeps } from './connection';
import { forgetOpportunities } from '../core/report/opportunity-cache';
import { reportCache } from './report';
import { definitions, settingsWereNotHereText } from './definitions';
import { type ObjectKind, OBJECTS } from '../core/schema/objects';
import { type Followed, followSheets, registerSheet } from './sheet-identity';
import { currentName } from '../core/sync/sheet-identity';
import { reportProgress } from './progress';
import { failScheduledRun, finishScheduledRun } from './scheduled-run-outcome';
import { NO_BACKGROUND, planTimer, scheduleContinuation } from './time-trigger';
import type { JobOutcome } from '../shared/server-api';
import { activeWorkbook, sheetHabits } from '../gas/grid';
import { activeSpreadsheet } from './execution-state';
import { mergedCellsMessage } from '../core/sync/merged-cells';
import {
  type LockedAction,
  lockedOwnSheetMessage,
  lockedWritesMessage,
  protectedWriteMessage,
} from '../core/sync/locked-areas';
import { snapshotSheetName } from '../core/sync/snapshot';
import { type LoggedPush, PUSH_LOG_SHEET, readLastPush } from '../core/sync/push-log';
import { lockedUndoneMarks, undoSheetWrites } from '../core/sync/undo-writes';

export function jobStore(): JobStore {
  return new JobStore(documentStore());
}

export function runningJob(): SyncJob | null {
  return jobStore().load();
}

export function currentUser(): string {
  return Session.getActiveUser().getEmail() || 'another user';
}

const STEP_BUDGET_PROPERTY = 'closeSync.stepBudgetMs';

/**
 * How long a step may run: STEP_BUDGET_MS, or shorter when the script property closeSync.stepBudgetMs
 * says so (the local preview's tests use it to watch a job go through several steps in seconds). It
 * can only shorten a step, never lengthen one past the safe budget.
 */
export function stepBudget(): number {
  const set = Number(PropertiesService.getScriptProperties().getProperty(STEP_BUDGET_PROPERTY));
  return set > 0 ? Math.min(STEP_BUDGET_MS, Math.max(MIN_STEP_BUDGET_MS, set)) : STEP_BUDGET_MS;
}

/** Runs one step of the job and records where it got to. */
export function runJobStep(
  job: SyncJob,
  followed?: Followed,
):
  | JobOutcome<PullSummary>
  | JobOutcome<PushSummary>
  | JobOutcome<UndoResult>
  | JobOutcome<ActivityPullSummary> {
  const store = jobStore();
  // The sheet may have been renamed since the job started (or since its last step): its state followed
  // its id, and so does the job.
  const identity = followed ?? followSheets(job.sheetName);
  const { registry } = identity;
  const sheetNow = currentName(registry, job.sheetName);
  if (sheetNow !== job.sheetName) job = { ...job, sheetName: sheetNow };
  // Continuing is the answer to an earlier error: the job runs again as a healthy one.
  if (job.error) job = { ...job, error: undefined };
  // The job record leaves out what the sheet's last pull saw; the sheet's definition has it.
  if (job.kind !== 'activities' && !job.definition.seen) {
    const seen = definitions().get(job.sheetName)?.seen;
    if (seen) job = { ...job, definition: { ...job.definition, seen } } as SyncJob;
  }
  try {
    // The sheets just looked up by id are the job's: its workbook does not look them up again by name.
    const deps = syncDeps({ workbook: activeWorkbook(activeSpreadsheet(), identity.sheets) });
    if (job.steps === 0 && job.kind !== 'activities') refuseSheetHabits(job, identity, deps.workbook);
    const deadline = deadlineAfter(appsScriptClock, stepBudget());
    const step =
      job.kind === 'pull'
        ? runPullStep(deps, job, deadline, (message) => reportProgress('pull', message))
        : job.kind === 'push'
          ? runPushStep(deps, job, deadline)
          : job.kind === 'activities'
            ? runActivityJobStep(job, deadline)
            : (({ result, ...rest }) => ({ ...rest, summary: result }))(runUndoStep(deps, job, deadline));
    // A push or an undo may have changed opportunities: the report's session copy is no longer fresh.
    if (step.job.kind !== 'pull' && step.job.kind !== 'activities') forgetOpportunities(reportCache());
    // The sheet a pull writes to is known by its id from its first step on: renamed mid-pull, the pull
    // follows it.
    if (step.job.kind === 'pull' || step.job.kind === 'activities')
      registerSheet(step.job.sheetName, identity, () => deps.workbook.sheetId?.(step.job.sheetName) ?? null);
    if (step.done) {
      store.clear();
      // The pull saw the columns as they are now: the next one compares against that (schema drift).
      if (step.job.kind === 'pull') {
        settingsNotHere(step.job, step as { summary?: PullSummary; message: string });
        definitions().set(step.job.sheetName, step.job.definition);
        // The preview's cached schema may predate what this pull found.
        userCacheStore(60).delete(SCHEMA_CACHE_KEY);
      }
      if (step.job.kind === 'pull' && step.job.scheduled)
        afterJob(() => finishScheduledRun(step.job as PullJob, step.summary as PullSummary));
      if (step.job.kind === 'activities' && step.job.scheduled)
        afterJob(() =>
          finishScheduledActivities(step.job as ActivityJob, step.summary as ActivityPullSummary),
        );
      planTimer(null);
      reportProgress(job.kind, step.message, true);
      return { ...step.summary!, done: true } as
        | JobOutcome<PullSummary>
        | JobOutcome<PushSummary>
        | JobOutcome<ActivityPullSummary>;
    }
    store.save(step.job);
    // Without a trigger the job waits for the sidebar (or the rep's hourly schedule): the rep is told.
    const message = scheduleContinuation() ? step.message : `${step.message} ${NO_BACKGROUND}`;
    reportProgress(job.kind, message);
    return {
      done: false,
      kind: job.kind,
      sheetName: job.sheetName,
      steps: step.job.steps,
      message,
    };
  } catch (e) {
    // A job that had made progress stays, to be resumed (by the rep: it does not continue by itself);
    // one that failed on its first step is gone (starting again is the same thing).
    const raw = e instanceof Error ? e.message : String(e);
    const partial = (e as { job?: SyncJob }).job ?? (job.steps > 0 ? job : null);
    const locked = protectedWriteMessage(job.kind, job.sheetName, raw, partial !== null);
    const message = locked ?? raw;
    if (partial) store.save({ ...partial, error: message.slice(0, 500) });
    else store.clear();
    if ((job.kind === 'pull' || job.kind === 'activities') && job.scheduled)
      afterJob(() => failScheduledRun((partial ?? job) as PullJob | ActivityJob, e));
    planTimer(store.load());
    reportProgress(job.kind, `Stopped: ${message}`, true);
    if (e instanceof CloseAuthError)
      throw new Error(`${message} Then resume the ${job.kind}: nothing is lost.`);
    if (locked) throw new Error(locked);
    throw e;
  }
}

/**
 * A pull, push or undo whose sheet has, where the job writes, a protected range the rep cannot edit or
 * merged cells is refused before anything is written or sent (core/sync/locked-areas.ts,
 * merged-cells.ts). So are protections on the add-on's own sheets that the job writes. Three calls for the
 * sheet (its handle comes from followSheets), three for each of those (a lookup, its content, canEdit), on
 * a job's first step only; an undo's check, should a protection be there, reads the push log and the
 * Lead ID column too, to know where the undo would write.
 */
function refuseSheetHabits(job: SyncJob, identity: Followed, workbook: Workbook): void {
  if (job.kind === 'activities') return;
  const undoOf = job.kind === 'undo' ? job.definition.kind : undefined;
  const refused = sheetHabitsRefusal(job.kind, job.sheetName, identity, workbook, false, undoOf);
  if (refused) throw new Error(refused);
}

/**
 * Why a pull, push or undo of `sheetName` would be refused for what a rep did to its sheets (protections,
 * merges), or null. The preview asks it for a push's merges only (`mergesOnly`): read through a merge,
 * a merged-away cell is empty and would be listed as cleared, so it says what the push would say; a
 * protection leaves what it lists true (the edits wait in the sheet), and the push names it.
 */
export function sheetHabitsRefusal(
  kind: LockedAction,
  sheetName: string,
  identity: Followed,
  /** The job's workbook: the check reuses its spreadsheet and sheet handles (grid.ts sheetHabits). */
  workbook: Workbook,
  mergesOnly = false,
  /**
   * An undo's: the kind of object its sheet holds. With it, an undo is refused only
   * for a protection over cells it would write (undo-writes.ts), read only when there is one.
   */
  undoOf?: ObjectKind,
): string | null {
  let push: LoggedPush | null | undefined;
  const lastPush = (book: Workbook) => {
    push = push === undefined ? readLastPush(book) : push;
    return push;
  };
  // A sheet no pull went into yet is made without looking it up first (grid.ts): nothing to look at,
  // and a sheet of that name made by hand is met by Sheets' refusal, which runJobStep's catch words.
  if (!identity.ids.has(sheetName)) return null;
  const habits = sheetHabits(sheetName, workbook);
  if (habits) {
    const { locked, merged, managed, headerRow, creates, lastColumn, lastRow } = habits;
    const grid = workbook.sheet(sheetName);
    const rowsOf =
      undoOf && grid && locked.length > 0
        ? undoSheetWrites(lastPush(workbook), grid, undoOf, managed, headerRow)
        : undefined;
    const message =
      (mergesOnly
        ? null
        : lockedWritesMessage(kind, sheetName, locked, managed, headerRow, creates, rowsOf)) ??
      mergedCellsMessage(kind, sheetName, merged, managed, headerRow, lastColumn, lastRow);
    if (message) return message;
  }
  if (mergesOnly) return null;
  const own = [snapshotSheetName(sheetName), ...(kind === 'pull' ? [] : [PUSH_LOG_SHEET])];
  for (const name of own) {
    const locked = sheetHabits(name, workbook, false)?.locked ?? [];
    // An undo writes only the push log's Undone marks of the push it undoes.
    const meets =
      undoOf && name === PUSH_LOG_SHEET && locked.length > 0
        ? lockedUndoneMarks(lastPush(workbook), locked)
        : locked;
    const refused = lockedOwnSheetMessage(kind, sheetName, name, meets);
    if (refused) return refused;
  }
  return null;
}

/**
 * A pull that ran the defaults (nothing saved, nothing chosen) over rows of an earlier pull, in a sheet the
 * state sheet knows but the document properties do not: a copy of the spreadsheet. Its summary says so.
 * The state sheet is read only then (a first pull into a new sheet adds none of its rows).
 */
function settingsNotHere(job: PullJob, step: { summary?: PullSummary; message: string }): void {
  if (job.definition.lost !== 'settings' || !step.summary || step.summary.refreshed === 0) return;
  if (!definitions().recordedOnlyInStateSheet(job.sheetName)) return;
  const text = settingsWereNotHereText(job.sheetName, OBJECTS[job.definition.kind].noun);
  step.summary.message += text;
  step.message += text;
}

/** Logging a scheduled run must not turn a finished pull into a failed one. */
function afterJob(record: () => void): void {
  try {
    record();
  } catch (e) {
    console.error(
      `Close Sync could not record the scheduled refresh: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
