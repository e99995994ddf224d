// Pull activities: the Apps Script side of core/activities — options from the menu, sidebar or a script,
// the sheet's saved definition, the document lock, and the step's time budget.
import {
  ACTIVITIES_SHEET,
  type ActivityDefinition,
  ActivityDefinitionStore,
  type ActivityRequest,
  activityDefinitionFor,
} from '../core/activities/definition';
import { type ActivityPullSummary, runActivityPull } from '../core/activities/pull';
import {
  type ActivityReportOptions,
  type ActivityReportSummary,
  activityReportFollowing,
  buildActivityReport,
} from '../core/activities/rollup';
import { activeWorkbook } from '../gas/grid';
import { reportCanvas } from '../gas/report-canvas';
import { deadlineAfter } from '../core/sync/job';
import { appsScriptClock, documentStore } from '../gas/runtime';
import { syncDeps } from './connection';
import { definitions } from './definitions';
import { stepBudget } from './job-runner';
import { reportProgress } from './progress';
import { isAuthFailure, recordRun, schedules } from './scheduled-run-outcome';
import { withSyncLock } from './sync-lock';
import { followSheets, registerSheet } from './sheet-identity';
import { requirePullTarget } from '../core/sync/sheet-identity';

export type { ActivityPullSummary, ActivityReportOptions, ActivityReportSummary, ActivityRequest };

export function activityDefinitions(): ActivityDefinitionStore {
  return new ActivityDefinitionStore(documentStore());
}

/** The activity pull a sheet holds, or null. */
export function activityDefinition(sheetName: string): ActivityDefinition | null {
  return activityDefinitions().get(sheetName);
}

export function pullActivitiesInto(options: ActivityRequest): ActivityPullSummary {
  const sheetName = options.sheetName?.trim() || ACTIVITIES_SHEET;
  // State follows sheet ids: a renamed activities sheet keeps its saved pull and schedule.
  const followed = followSheets(sheetName);
  requirePullTarget(sheetName);
  if (definitions().get(sheetName))
    throw new Error(`"${sheetName}" holds a lead pull: pull activities into another sheet.`);
  const definition = activityDefinitionFor(options, activityDefinition(sheetName));
  return withSyncLock('activities pull', () => {
    reportProgress('pull', 'Loading activities from Close…');
    const deps = syncDeps();
    const summary = runActivityPull(
      {
        client: deps.client,
        workbook: deps.workbook,
        clock: appsScriptClock,
        store: documentStore(),
        owner: deps.owner,
        deadline: deadlineAfter(appsScriptClock, stepBudget()),
        progress: (message) => reportProgress('pull', message),
      },
      sheetName,
      definition,
    );
    registerSheet(sheetName, followed, () => deps.workbook.sheetId?.(sheetName) ?? null);
    reportProgress('pull', summary.message, summary.done);
    return summary;
  });
}

/**
 * A scheduled refresh of an activities sheet: the same pull, logged in the Close Sync Log like a lead
 * sheet's. A rejected key pauses the schedule (as for leads); other failures leave it on.
 */
export function runScheduledActivities(sheetName: string, by: string, startedAt: number): void {
  try {
    const summary = pullActivitiesInto({ sheetName });
    let message = summary.message;
    // The activity report built from this sheet follows it, with the options it was built with.
    const follows = activityReportFollowing(documentStore(), sheetName);
    if (follows && summary.done) {
      try {
        buildActivityReportNow(follows);
        message += ' Activity report refreshed.';
      } catch (e) {
        message += ` Activity report not refreshed: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    recordRun(sheetName, by, { startedAt, outcome: 'ok', leads: null, message });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pause = isAuthFailure(e) ? `Close rejected ${by}'s API key.` : null;
    recordRun(sheetName, by, {
      startedAt,
      outcome: 'failed',
      leads: null,
      message: pause
        ? `${message} The schedule is paused until ${by} connects again in the sidebar.`
        : `${message} The schedule stays on: the next run tries again.`,
    });
    if (pause) schedules().update(sheetName, (s) => ({ ...s, paused: pause }));
  }
}

export function buildActivityReportNow(options: ActivityReportOptions): ActivityReportSummary {
  return buildActivityReport(
    { workbook: activeWorkbook(), canvas: reportCanvas, store: documentStore() },
    options,
  );
}
