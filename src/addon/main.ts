// The add-on's global functions: menu items, sidebar calls (google.script.run) and triggers call these
// by name. Each wires the Apps Script adapters to the core and nothing more.
//
// A function called from the menu gets no options; the sidebar and scripts always pass an object.
// That is how a menu call knows to ask for confirmation and show dialogs.
import { explainPermissionError } from '../core/permissions';
import { formatStamp } from '../core/schema/dates';
import type { SmartView } from '../core/close/types';
import { OBJECTS, type ObjectKind } from '../core/schema/objects';
import type { PullDefinition, PullRequest } from '../core/sync/pull-definition';
import { jobNoun, type SyncJob } from '../core/sync/job';
import { type Preview, type PreviewOptions, previewPush } from '../core/sync/preview';
import { newPullJob, type PullOptions, type PullSummary } from '../core/sync/pull-step';
import { newPushJob, type PushOptions, type PushSummary } from '../core/sync/push';
import type { ReportSummary } from '../core/report/build';
import type { ScheduleSpec } from '../core/schedule/due-times';
import type { UndoPreview, UndoResult } from '../core/sync/undo';
import { userCacheStore } from '../gas/runtime';
import { activeWorkbook } from '../gas/grid';
import { readBindings } from '../core/sync/column-binding';
import { connect, currentConnection, disconnect as forget, syncDeps } from './connection';
import { previewCountsText, previewHtml, pushSummaryText } from './dialogs';
import { currentUser, jobStore, runJobStep, runningJob, sheetHabitsRefusal } from './job-runner';
import { definitions, fieldGroups, pullDefinition, smartViews } from './definitions';
import { type Followed, followSheets, pushTarget } from './sheet-identity';
import { requirePullTarget } from '../core/sync/sheet-identity';
import { readProgress, reportProgress } from './progress';
import { withSyncLock } from './sync-lock';
import type {
  Connection,
  FieldGroups,
  JobOutcome,
  ScheduleView,
  ServerApi,
  SyncProgress,
  SyncStatus,
} from '../shared/server-api';
import { type ReportOptions, buildReportFor, reportSheetFor } from './report';
import { cancelScheduledRun } from './scheduled-run-outcome';
import {
  clearSchedule as unschedule,
  onTimer,
  resumeSchedules,
  scheduleView,
  setSchedule as schedule,
} from './scheduled-refresh';
import { continuesInBackground, planTimer } from './time-trigger';
import { undoNow, undoPreview, undoText } from './undo';
import {
  type ActivityPullSummary,
  type ActivityReportOptions,
  type ActivityReportSummary,
  type ActivityRequest,
  activityJobFor,
  buildActivityReportNow,
} from './activities';
import { type Diagnostics, diagnostics } from './diagnostics';

// Called by every entry stub the build writes (scripts/build.mjs): each call starts an execution.
export { beginExecution_ } from './execution-state';

/** How long the live preview may reuse the org's schema (a pull refreshes it). */
const SCHEMA_CACHE_SECONDS = 120;

/**
 * What Apps Script passes a function run from the Close Sync menu: an event object, or nothing. The
 * menu's functions are the sidebar's too; from the menu they show their outcome (or error) in the
 * sheet and return nothing the caller reads, which their first overload says.
 */
type MenuCall = GoogleAppsScript.Events.AppsScriptEvent | undefined;

function isMenuCall(options: unknown): options is MenuCall {
  return options === undefined || options === null || typeof options !== 'object' || 'authMode' in options;
}

function ui() {
  return SpreadsheetApp.getUi();
}

/** Runs an action; from the menu, errors become an alert instead of a red "script error" toast. */
function reportErrors<T>(fromMenu: boolean, run: () => T): T | undefined {
  if (!fromMenu) return run();
  try {
    return run();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ui().alert('Close Sync', explainPermissionError(message) ?? message, ui().ButtonSet.OK);
    return undefined;
  }
}

function describeJob(job: SyncJob): string {
  const at = formatStamp(job.startedAt, SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone());
  const noun = jobNoun(job);
  return `${noun[0].toUpperCase()}${noun.slice(1)} of "${job.sheetName}" is in progress (started by ${job.startedBy} at ${at}, ${job.steps} step${job.steps === 1 ? '' : 's'} done). Continue it or cancel it in the sidebar.`;
}

/** Starts a job unless one is already under way (it would interleave with it). */
function startJob(job: SyncJob, followed?: Followed) {
  return withSyncLock(job.kind, () => {
    const running = runningJob();
    if (running) throw new Error(describeJob(running));
    return runJobStep(job, followed);
  });
}

function whenBackground(outcome: JobOutcome<unknown> | undefined): void {
  if (outcome && !outcome.done)
    SpreadsheetApp.getActiveSpreadsheet().toast(
      continuesInBackground()
        ? `${outcome.message} It continues in the background; the sidebar shows its progress.`
        : `${outcome.message} Open the sidebar (Extensions → Close Sync → Open sidebar) to finish it.`,
      'Close Sync',
      10,
    );
}

export function onOpen(_e?: unknown): void {
  // Runs in AuthMode.NONE for an add-on not yet used in this document: only the menu, no services.
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Open sidebar', 'showSidebar')
    .addSeparator()
    .addItem('Pull leads', 'pullLeads')
    .addItem('Pull activities', 'pullActivities')
    .addItem('Preview changes', 'previewChanges')
    .addItem('Push changes', 'pushChanges')
    .addSeparator()
    .addItem('Undo last push', 'undoLastPush')
    .addItem('Build report', 'buildReport')
    .addSeparator()
    .addItem('Help', 'showHelp')
    .addToUi();
}

export function onInstall(e?: unknown): void {
  onOpen(e);
}

export function showSidebar(): void {
  const html = HtmlService.createHtmlOutputFromFile('sidebar').setTitle('Close Sync');
  SpreadsheetApp.getUi().showSidebar(html);
}

/** The rep asked for Help (menu): the sidebar opens on its Help panel (it asks takeHelpRequest on load). */
const HELP_REQUEST_KEY = 'closeSync.openHelp';

export function showHelp(): void {
  CacheService.getUserCache()?.put(HELP_REQUEST_KEY, '1', 60);
  showSidebar();
}

/** Whether the sidebar was opened by the Help menu item (answered once). */
export function takeHelpRequest(): boolean {
  const cache = CacheService.getUserCache();
  if (!cache?.get(HELP_REQUEST_KEY)) return false;
  cache.remove(HELP_REQUEST_KEY);
  return true;
}

/**
 * The rep's environment, for the Help panel and for support: version, Google authorization, trigger and
 * schedules, property storage, Close connectivity and rate budgets, last sync errors, spreadsheet speed.
 * Never the API key, never lead data (see src/core/diagnostics/report.ts).
 */
export function getDiagnostics(): Diagnostics {
  return diagnostics();
}

export function saveApiKey(key: string): Connection {
  const connection = connect(key);
  resumeSchedules();
  return connection;
}

export function disconnect(): Connection {
  return forget();
}

export function getConnection(): Connection {
  return currentConnection();
}

export function pullLeads(menu?: MenuCall): void;
export function pullLeads(options: PullOptions & PullRequest): JobOutcome<PullSummary>;
export function pullLeads(
  options?: (PullOptions & PullRequest) | MenuCall,
): JobOutcome<PullSummary> | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    reportProgress('pull', 'Loading fields and statuses from Close…');
    const outcome = startPull('lead', fromMenu ? {} : (options ?? {}));
    if (fromMenu && outcome.done)
      SpreadsheetApp.getActiveSpreadsheet().toast(outcome.message, 'Close Sync', 10);
    if (fromMenu) whenBackground(outcome);
    return outcome as JobOutcome<PullSummary>;
  });
}

/** A pull of one kind, with its saved or given definition (the definition is saved for the sheet). */
function startPull(kind: ObjectKind, options: PullOptions & PullRequest) {
  // The definition is saved for the sheet when the pull completes (a failed one keeps the old).
  // State follows sheet ids first: a renamed sheet's definition and snapshot are under its new name.
  const target = options.sheetName ?? OBJECTS[kind].defaultSheet;
  const followed = followSheets(target);
  requirePullTarget(target);
  const { sheetName, definition } = pullDefinition(kind, options);
  return startJob(newPullJob({ ...options, sheetName }, Date.now(), currentUser(), definition), followed);
}

/** Contacts of the leads the definition selects, one row each, in "Close Contacts". */
export function pullContacts(options?: PullOptions & PullRequest): JobOutcome<PullSummary> {
  return startPull('contact', options ?? {}) as JobOutcome<PullSummary>;
}

/** Opportunities of the leads the definition selects, one row each, in "Close Opportunities". */
export function pullOpportunities(options?: PullOptions & PullRequest): JobOutcome<PullSummary> {
  return startPull('opportunity', options ?? {}) as JobOutcome<PullSummary>;
}

/**
 * Activities (calls, emails, meetings, SMS, notes) into "Close Activities", one row each, refreshed in
 * place by Activity ID; with no options, the sheet's saved definition runs again. Read-only. A job like a
 * lead pull: a long one continues in later steps (sidebar or trigger).
 */
export function pullActivities(menu?: MenuCall): void;
export function pullActivities(options: ActivityRequest): JobOutcome<ActivityPullSummary>;
export function pullActivities(
  options?: ActivityRequest | MenuCall,
): JobOutcome<ActivityPullSummary> | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    reportProgress('pull', 'Loading activities from Close…');
    const { job, followed } = activityJobFor(fromMenu ? {} : (options ?? {}), currentUser(), Date.now());
    const outcome = startJob(job, followed) as JobOutcome<ActivityPullSummary>;
    if (fromMenu && outcome.done)
      SpreadsheetApp.getActiveSpreadsheet().toast(outcome.message, 'Close Sync', 10);
    if (fromMenu) whenBackground(outcome);
    return outcome;
  });
}

/** Calls (in/out), emails (sent/received), meetings, SMS, notes and call minutes per user per day or week. */
export function buildActivityReport(menu?: MenuCall): void;
export function buildActivityReport(options: ActivityReportOptions): ActivityReportSummary;
export function buildActivityReport(
  options?: ActivityReportOptions | MenuCall,
): ActivityReportSummary | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    const summary = buildActivityReportNow(fromMenu ? {} : (options ?? {}));
    SpreadsheetApp.getActiveSpreadsheet().getSheetByName(summary.reportSheet)?.activate();
    if (fromMenu) SpreadsheetApp.getActiveSpreadsheet().toast(summary.message, 'Close Sync', 10);
    return summary;
  });
}

export function listSmartViews(): SmartView[] {
  return smartViews();
}

export function listFields(kind?: ObjectKind, sheetName?: string): FieldGroups {
  return fieldGroups(kind ?? 'lead', sheetName);
}

/** What a sheet pulls (for the sidebar to show the remembered choice). */
export function getPullDefinition(sheetName?: string): PullDefinition | null {
  followSheets(sheetName ?? OBJECTS.lead.defaultSheet);
  return definitions().get(sheetName ?? OBJECTS.lead.defaultSheet);
}

/**
 * What a push of the target would send. While the sheet's merges would refuse the push (job-runner.ts),
 * the preview is refused with the same message: read through a merge, a merged-away cell is empty and
 * would be listed as cleared, though the rep never cleared it. `confirming` (the menu's push, before
 * asking): whatever would refuse the push, a colleague's protection too, is said before the question.
 */
function previewFor(
  deps: ReturnType<typeof syncDeps>,
  target: ReturnType<typeof pushTarget>,
  given: PreviewOptions = {},
  confirming = false,
): Preview {
  const refused = sheetHabitsRefusal('push', target.sheetName, target.followed, deps.workbook, !confirming);
  if (refused) throw new Error(refused);
  return previewPush(deps, { ...given, sheetName: target.sheetName, definition: target.definition });
}

export function previewChanges(menu?: MenuCall): void;
export function previewChanges(options: PreviewOptions): Preview;
export function previewChanges(options?: PreviewOptions | MenuCall): Preview | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    const deps = syncDeps({ schemaCache: userCacheStore(SCHEMA_CACHE_SECONDS) });
    const given = fromMenu ? {} : (options ?? {});
    const preview = previewFor(deps, pushTarget(given.sheetName), given);
    if (fromMenu) {
      const output = HtmlService.createHtmlOutput(previewHtml(preview)).setWidth(720).setHeight(480);
      ui().showModalDialog(output, 'Changes a push would send');
    }
    return preview;
  });
}

export function pushChanges(menu?: MenuCall): void;
export function pushChanges(options: PushOptions): JobOutcome<PushSummary>;
export function pushChanges(options?: PushOptions | MenuCall): JobOutcome<PushSummary> | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    if (fromMenu) {
      const deps = syncDeps();
      const preview = previewFor(deps, pushTarget(), {}, true);
      if (preview.counts.fields === 0 && preview.counts.creates === 0) {
        ui().alert('Close Sync', `Nothing to push. ${previewCountsText(preview)}`, ui().ButtonSet.OK);
        return undefined;
      }
      const answer = ui().alert('Push changes to Close?', previewCountsText(preview), ui().ButtonSet.YES_NO);
      if (answer !== ui().Button.YES) return undefined;
    }
    const given = fromMenu ? {} : (options ?? {});
    const target = pushTarget(given.sheetName);
    const outcome = startJob(
      newPushJob({ ...given, sheetName: target.sheetName }, Date.now(), currentUser(), target.definition),
      target.followed,
    ) as JobOutcome<PushSummary>;
    if (fromMenu && outcome.done) ui().alert('Close Sync', pushSummaryText(outcome), ui().ButtonSet.OK);
    if (fromMenu) whenBackground(outcome);
    return outcome;
  });
}

/** Runs the next step of the job under way (the sidebar calls this until the job is done). */
export function continueSync():
  | JobOutcome<PullSummary>
  | JobOutcome<PushSummary>
  | JobOutcome<UndoResult>
  | JobOutcome<ActivityPullSummary>
  | null {
  const job = runningJob();
  if (!job) return null;
  return withSyncLock(job.kind, () => {
    const current = runningJob();
    return current ? runJobStep(current) : null;
  });
}

/** Stops the job under way. What it already wrote stays; the snapshot keeps it consistent. */
export function cancelSync(): { cancelled: boolean; message: string } {
  return withSyncLock('cancel', () => {
    const job = runningJob();
    jobStore().clear();
    if ((job?.kind === 'pull' || job?.kind === 'activities') && job.scheduled)
      cancelScheduledRun(job, currentUser());
    planTimer(null);
    if (!job) return { cancelled: false, message: 'Nothing was running.' };
    const message = `Cancelled the ${jobNoun(job, false)} of "${job.sheetName}" after ${job.steps} step${job.steps === 1 ? '' : 's'}.`;
    reportProgress(job.kind, message, true);
    return { cancelled: true, message };
  });
}

export function getSyncStatus(): SyncStatus {
  const job = runningJob();
  const tz = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
  return {
    job: job
      ? {
          kind: job.kind,
          sheetName: job.sheetName,
          steps: job.steps,
          startedBy: job.startedBy,
          startedAt: formatStamp(job.startedAt, tz),
        }
      : null,
    progress: readProgress(),
  };
}

export function getSyncProgress(): SyncProgress | null {
  return readProgress();
}

/** The time-driven trigger: continues a job left by an earlier step, or runs a scheduled refresh. */
export function onSyncTimer(e?: unknown): void {
  onTimer(e);
}

/** Selects a row of a sheet (the sidebar's error list links to the row an error belongs to). */
export function selectRow(sheetName: string, row: number): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(String(sheetName));
  if (!sheet) throw new Error(`There is no sheet named "${sheetName}".`);
  // Rows in results count from the header row; a title row the rep inserted above it shifts them.
  const { headerRow } = readBindings(activeWorkbook().sheet(String(sheetName))!);
  const r = Math.max(1, Math.floor(Number(row))) + headerRow - 1;
  sheet.activate();
  sheet.getRange(r, 1, 1, Math.max(1, sheet.getLastColumn())).activate();
}

// ---------------------------------------------------------------- scheduled refresh, undo, report

/** Refreshes a sheet's pull on a schedule, as the rep who calls this (see README: Scheduled refresh). */
export function setSchedule(options: ScheduleSpec): ScheduleView {
  return schedule(options);
}

export function clearSchedule(sheetName?: string): ScheduleView {
  return unschedule(typeof sheetName === 'string' ? sheetName : undefined);
}

/** The schedules, their last refresh (time, outcome) and next run, for the sidebar. */
export function getSchedule(): ScheduleView {
  return scheduleView();
}

/** What undoing the last push would restore, checked against Close now. Writes nothing. */
export function previewUndo(): UndoPreview {
  return undoPreview();
}

/**
 * Undoes the last push. From the menu: shows the preview and asks Yes/No. From the sidebar: with
 * `{ confirmed: true }` (after showing previewUndo); without it, only returns the preview.
 */
export function undoLastPush(menu?: MenuCall): void;
export function undoLastPush(options: { confirmed: true }): JobOutcome<UndoResult>;
export function undoLastPush(options: { confirmed?: false }): UndoPreview;
export function undoLastPush(
  options?: { confirmed?: boolean } | MenuCall,
): JobOutcome<UndoResult> | UndoPreview | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    if (!fromMenu) return options?.confirmed === true ? undoNow() : undoPreview();
    const preview = undoPreview();
    if (preview.counts.restore === 0) {
      ui().alert('Close Sync', undoText(preview), ui().ButtonSet.OK);
      return preview;
    }
    const answer = ui().alert('Undo last push?', undoText(preview), ui().ButtonSet.YES_NO);
    if (answer !== ui().Button.YES) return preview;
    const result = undoNow();
    if (result.done) ui().alert('Close Sync', undoText(result), ui().ButtonSet.OK);
    else whenBackground(result);
    return result;
  });
}

/** Builds or refreshes the `Close Report` sheet from the pulled sheet (no Close calls when cached). */
export function buildReport(menu?: MenuCall): void;
export function buildReport(options: ReportOptions): ReportSummary;
export function buildReport(options?: ReportOptions | MenuCall): ReportSummary | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    const summary = buildReportFor(
      reportSheetFor(fromMenu ? undefined : options),
      fromMenu ? {} : (options ?? {}),
    );
    SpreadsheetApp.getActiveSpreadsheet().getSheetByName(summary.reportSheet)?.activate();
    if (fromMenu) SpreadsheetApp.getActiveSpreadsheet().toast(summary.message, 'Close Sync', 10);
    return summary;
  });
}

// The sidebar calls these through google.script.run, typed from ServerApi (src/shared/server-api.ts).
// Here the compiler checks that each is exported with arguments the sidebar's call fits and a result
// the sidebar expects: a signature that drifts from the description no longer compiles.
void ({
  getConnection,
  saveApiKey,
  disconnect,
  pullLeads,
  pullContacts,
  pullOpportunities,
  pullActivities,
  buildActivityReport,
  listSmartViews,
  listFields,
  getPullDefinition,
  pushChanges,
  continueSync,
  cancelSync,
  getSyncStatus,
  getSyncProgress,
  previewChanges,
  selectRow,
  getSchedule,
  setSchedule,
  clearSchedule,
  previewUndo,
  undoLastPush,
  buildReport,
  getDiagnostics,
  takeHelpRequest,
} satisfies ServerApi);
