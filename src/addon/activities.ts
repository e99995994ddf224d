// Pull activities: the Apps Script side of core/activities — options from the menu, sidebar or a script,
// the sheet's saved definition, one step of the job (jobs.ts drives it), and a scheduled refresh's end.
import {
  ACTIVITIES_SHEET,
  type ActivityDefinition,
  ActivityDefinitionStore,
  type ActivityRequest,
  activityDefinitionFor,
} from '../core/activities/definition';
import {
  type ActivityPullSummary,
  type ActivityStep,
  newActivityJob,
  runActivityStep,
} from '../core/activities/pull';
import {
  type ActivityReportOptions,
  type ActivityReportSummary,
  activityReportFollowing,
  buildActivityReport,
} from '../core/activities/rollup';
import { activeWorkbook } from '../gas/grid';
import { reportCanvas } from '../gas/report-canvas';
import type { ActivityJob, Deadline } from '../core/sync/job';
import { appsScriptClock, documentStore } from '../gas/runtime';
import { syncDeps } from './connection';
import { definitions } from './definitions';
import { reportProgress } from './progress';
import { recordRun } from './scheduled-run-outcome';
import { type Followed, followSheets } from './sheet-identity';
import { requirePullTarget } from '../core/sync/sheet-identity';

export type { ActivityPullSummary, ActivityReportOptions, ActivityReportSummary, ActivityRequest };

export function activityDefinitions(): ActivityDefinitionStore {
  return new ActivityDefinitionStore(documentStore());
}

/** The activity pull a sheet holds, or null. */
export function activityDefinition(sheetName: string): ActivityDefinition | null {
  return activityDefinitions().get(sheetName);
}

/**
 * The job a pull of activities runs (checked before anything is fetched): the options given, else the
 * sheet's saved definition. It runs in steps like a lead pull (jobs.ts), continued by the sidebar or the
 * one-off trigger across Apps Script's 6-minute limit.
 */
export function activityJobFor(
  options: ActivityRequest,
  startedBy: string,
  now: number,
): { job: ActivityJob; followed: Followed } {
  const sheetName = options.sheetName?.trim() || ACTIVITIES_SHEET;
  // State follows sheet ids: a renamed activities sheet keeps its saved pull and schedule.
  const followed = followSheets(sheetName);
  requirePullTarget(sheetName);
  if (definitions().get(sheetName))
    throw new Error(`"${sheetName}" holds a lead pull: pull activities into another sheet.`);
  const definition = activityDefinitionFor(options, activityDefinition(sheetName));
  return { job: newActivityJob(sheetName, definition, now, startedBy), followed };
}

/** One step of an activities job, with the rep's key and the step's deadline. */
export function runActivityJobStep(job: ActivityJob, deadline: Deadline): ActivityStep {
  const deps = syncDeps();
  return runActivityStep(
    {
      client: deps.client,
      workbook: deps.workbook,
      clock: appsScriptClock,
      store: documentStore(),
      owner: deps.owner,
      deadline,
      progress: (message) => reportProgress('pull', message),
      sheetCost: deps.sheetCost,
    },
    job,
  );
}

/**
 * The end of a scheduled refresh of an activities sheet: logged in the Close Sync Log like a lead sheet's,
 * and the activity report built from this sheet rebuilt with the options it was built with.
 */
export function finishScheduledActivities(job: ActivityJob, summary: ActivityPullSummary): void {
  let message = summary.message;
  const follows = activityReportFollowing(documentStore(), job.sheetName);
  if (follows) {
    try {
      buildActivityReportNow(follows);
      message += ' Activity report refreshed.';
    } catch (e) {
      message += ` Activity report not refreshed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  recordRun(job.sheetName, job.startedBy, { startedAt: job.startedAt, outcome: 'ok', leads: null, message });
}

export function buildActivityReportNow(options: ActivityReportOptions): ActivityReportSummary {
  return buildActivityReport(
    { workbook: activeWorkbook(), canvas: reportCanvas, store: documentStore() },
    options,
  );
}
