// Scheduled refresh: the sidebar's Schedule section (set, turn off, show) and what the time-driven
// trigger does when it fires. A scheduled refresh is an ordinary pull job (discardEdits false: unpushed
// edits are kept), started as the rep who set the schedule, with their API key.
import { formatStamp } from '../core/schema/dates';
import type { ScheduleInfo, ScheduleView } from '../shared/server-api';
import {
  describeSchedule,
  isDue,
  nextRun,
  normalizeSpec,
  type Schedule,
  type ScheduleSpec,
} from '../core/schedule/due-times';
import { DEFAULT_SHEET } from '../core/sync/context';
import { definitions } from './definitions';
import { type ActivityJob, jobNoun, type PullJob, type SyncJob } from '../core/sync/job';
import { newPullJob } from '../core/sync/pull-step';
import { activityDefinition } from './activities';
import { newActivityJob } from '../core/activities/pull';
import { snapshotSheetName } from '../core/sync/snapshot';
import { requireApiKey } from './connection';
import { runJobStep, runningJob } from './job-runner';
import { failScheduledRun, recordRun, schedules } from './scheduled-run-outcome';
import { withSyncLock } from './sync-lock';
import { firedTimer, planTimer } from './time-trigger';
import { myEmail } from './user';
import { followSheets } from './sheet-identity';
import { requirePullTarget } from '../core/sync/sheet-identity';

function timeZone(): string {
  return SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
}

function info(s: Schedule, me: string, now: number, tz: string): ScheduleInfo {
  const next = nextRun(s, now, tz);
  return {
    sheetName: s.sheetName,
    every: s.every,
    hours: s.hours,
    atHour: s.atHour,
    description: describeSchedule(s),
    setBy: s.setBy,
    setAt: formatStamp(s.setAt, tz),
    mine: s.setBy === me,
    paused: s.paused,
    last: s.last
      ? {
          started: formatStamp(s.last.startedAt, tz),
          finished: formatStamp(s.last.finishedAt, tz),
          outcome: s.last.outcome,
          leads: s.last.leads,
          message: s.last.message,
        }
      : null,
    next: next === null ? null : formatStamp(next, tz),
  };
}

export function scheduleView(): ScheduleView {
  followSheets();
  const tz = timeZone();
  const me = myEmail();
  const all = schedules().all();
  const prefix = snapshotSheetName('');
  const pulled = SpreadsheetApp.getActiveSpreadsheet()
    .getSheets()
    .map((s) => s.getName())
    .filter((n) => n.startsWith(prefix))
    .map((n) => n.slice(prefix.length));
  const sheets = [...new Set([...pulled, ...all.map((s) => s.sheetName)])];
  if (sheets.length === 0) sheets.push(DEFAULT_SHEET);
  const now = Date.now();
  return {
    me,
    timeZone: tz,
    defaultSheet: DEFAULT_SHEET,
    sheets,
    schedules: all.map((s) => info(s, me, now, tz)),
  };
}

/** Sets (or replaces) the refresh schedule of a sheet; it runs as the rep who sets it. */
export function setSchedule(spec: ScheduleSpec): ScheduleView {
  const s = normalizeSpec(spec, DEFAULT_SHEET);
  requirePullTarget(s.sheetName);
  const me = myEmail();
  if (!me)
    throw new Error(
      'Google did not tell the add-on who you are, and a schedule runs as you: it cannot be set.',
    );
  requireApiKey();
  const previous = schedules().get(s.sheetName);
  withSyncLock('schedule', () => {
    schedules().put({
      sheetName: s.sheetName,
      every: s.every,
      hours: s.hours,
      atHour: s.atHour,
      setBy: me,
      setAt: Date.now(),
      paused: null,
      last: previous?.last ?? null,
    });
    planTimer(runningJob(), true);
  });
  return scheduleView();
}

/**
 * Turns a sheet's schedule off (anyone may). The trigger of the rep who set it goes away the next time
 * it fires and finds nothing of theirs to run (one rep cannot delete another's trigger).
 */
export function clearSchedule(sheetName?: string): ScheduleView {
  const name = sheetName || DEFAULT_SHEET;
  withSyncLock('schedule', () => {
    schedules().remove(name);
    planTimer(runningJob(), true);
  });
  return scheduleView();
}

/** After the rep connects again: their schedules paused by a rejected key run again. */
export function resumeSchedules(): void {
  const me = myEmail();
  const paused = schedules()
    .all()
    .filter((s) => s.setBy === me && s.paused);
  if (paused.length === 0) return;
  for (const s of paused) schedules().update(s.sheetName, (x) => ({ ...x, paused: null }));
  planTimer(runningJob());
}

function continueJob(job: SyncJob): void {
  withSyncLock(job.kind, () => {
    const current = runningJob();
    if (current) runJobStep(current);
  });
}

/** What the time-driven trigger does: continue a job, or run the schedule that is due. */
export function onTimer(event: unknown): void {
  try {
    // A schedule follows its sheet's id: after a rename it refreshes the renamed sheet. When it cannot
    // (a colleague protected a record sheet that must move with it), nothing moved: the run is logged
    // as failed with what to do, not thrown at the trigger where no rep sees it, every run.
    try {
      followSheets();
    } catch (e) {
      failDueRun(runningJob(), e);
      return;
    }
    const job = runningJob();
    const me = myEmail();
    if (job && !job.error && (firedTimer(event) === 'once' || job.startedBy === me)) {
      // A scheduled pull's failure is recorded in the log (by runJobStep), not thrown at the trigger.
      if (job.scheduled) attempt(() => continueJob(job));
      else continueJob(job);
    } else if (job?.scheduled && job.startedBy === me) {
      // A scheduled pull that stopped on an error (a quota, a timeout): this run retries it.
      attempt(() => continueJob(job));
    } else runDue(job);
  } finally {
    planTimer(runningJob(), true);
  }
}

function attempt(run: () => void): void {
  try {
    run();
  } catch {
    // Already recorded where it happened.
  }
}

/** The pull a scheduled refresh runs: the sheet's saved pull (kind, Smart View, fields), edits kept. */
function scheduledPullJob(sheetName: string, now: number, me: string): PullJob {
  const saved = definitions().get(sheetName) ?? undefined;
  return { ...newPullJob({ sheetName, discardEdits: false }, now, me, saved), scheduled: true };
}

/** An activities sheet's scheduled refresh: its saved activity pull, as a job like a lead pull. */
function scheduledJob(sheetName: string, now: number, me: string): PullJob | ActivityJob {
  const activities = activityDefinition(sheetName);
  if (activities) return { ...newActivityJob(sheetName, activities, now, me), scheduled: true };
  return scheduledPullJob(sheetName, now, me);
}

/** The rep's schedule most overdue now, if any is due. */
function firstDue(me: string, now: number): Schedule | undefined {
  const tz = timeZone();
  return schedules()
    .all()
    .filter((s) => s.setBy === me && isDue(s, now, tz))
    .sort((a, b) => (a.last?.startedAt ?? a.setAt) - (b.last?.startedAt ?? b.setAt))[0];
}

/** A timer run that could not start: logged against the rep's scheduled job under way, or the run due. */
function failDueRun(job: SyncJob | null, error: unknown): void {
  const me = myEmail();
  if (job?.scheduled && job.startedBy === me && (job.kind === 'pull' || job.kind === 'activities')) {
    failScheduledRun(job, error);
    return;
  }
  const now = Date.now();
  const s = firstDue(me, now);
  if (s) failScheduledRun(scheduledJob(s.sheetName, now, me), error);
}

function runDue(job: SyncJob | null): void {
  const me = myEmail();
  const now = Date.now();
  const s = firstDue(me, now);
  if (!s) return;
  const skip = (message: string) =>
    recordRun(s.sheetName, me, { startedAt: now, outcome: 'skipped', leads: null, message });
  if (job) {
    skip(
      `Not refreshed: ${jobNoun(job)} of "${job.sheetName}" started by ${job.startedBy} is unfinished. Continue or cancel it in the sidebar.`,
    );
    return;
  }
  const pull = scheduledJob(s.sheetName, now, me);
  try {
    requireApiKey();
  } catch (e) {
    failScheduledRun(pull, e, `${me} is not connected to Close.`);
    return;
  }
  try {
    withSyncLock('scheduled refresh', () => {
      const running = runningJob();
      if (running)
        throw new Error(
          `Not refreshed: ${jobNoun(running)} of "${running.sheetName}" started by ${running.startedBy} is under way.`,
        );
      return runJobStep(pull);
    });
  } catch (e) {
    // runJobStep records its own failures (the schedule's last run then starts with this pull).
    if (schedules().get(s.sheetName)?.last?.startedAt === pull.startedAt) return;
    const message = e instanceof Error ? e.message : String(e);
    if (/^A sync is running|^Not refreshed/.test(message)) skip(message);
    else failScheduledRun(pull, e);
  }
}
