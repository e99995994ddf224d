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
import { deadlineAfter } from '../core/sync/job';
import { appsScriptClock, documentStore } from '../gas/runtime';
import { syncDeps } from './connection';
import { definitions } from './definitions';
import { stepBudget } from './jobs';
import { reportProgress } from './progress';
import { isAuthFailure, recordRun, schedules } from './scheduled-runs';
import { withSyncLock } from './sync-lock';

export type { ActivityPullSummary, ActivityRequest };

export function activityDefinitions(): ActivityDefinitionStore {
  return new ActivityDefinitionStore(documentStore());
}

/** The activity pull a sheet holds, or null. */
export function activityDefinition(sheetName: string): ActivityDefinition | null {
  return activityDefinitions().get(sheetName);
}

export function pullActivitiesInto(options: ActivityRequest): ActivityPullSummary {
  const sheetName = options.sheetName?.trim() || ACTIVITIES_SHEET;
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
    recordRun(sheetName, by, {
      startedAt,
      outcome: 'ok',
      leads: null,
      message: summary.message,
    });
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
