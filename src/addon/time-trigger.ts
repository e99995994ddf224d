// The add-on's one time-driven trigger. Editor add-ons may keep one time-based trigger per user per
// document, and it serves two purposes: continuing a long pull or push a minute after a step ends, and
// the rep's scheduled refreshes. The "timer plan" decides which one is installed now:
//
// 1. a job is under way (and did not stop on an error) → a one-off run in a minute, to continue it;
// 2. else, one of the rep's schedules is due → a one-off run in a minute, to run it;
// 3. else, the rep has schedules → the recurring trigger they need (everyHours(n), or atHour(h) every
//    day in the spreadsheet's time zone; one hourly trigger when their schedules differ);
// 4. else → no trigger.
//
// Google lets an add-on's time-driven trigger run at most hourly and does not say whether a one-off run
// in a minute (`after(60000)`) counts. Where Apps Script refuses it, nothing breaks: the step that asked
// still ends cleanly, the rep's recurring schedule trigger (hourly at most, which is allowed) is put back
// (and continues a job of theirs when it fires), and the step's message says to keep the sidebar open,
// since the sidebar continues a job right away.
//
// It is re-planned whenever a step ends, a job is cancelled, or a schedule changes; so the schedule's
// trigger comes back by itself after a job that needed the one-off. Which trigger is installed (its id and
// kind) is noted in the rep's UserProperties, per document, so onSyncTimer knows what fired and an
// unchanged recurring trigger is not recreated.
import { isDue, ScheduleStore, type TimerSpec, timerKey, timerSpec } from '../core/schedule/due-times';
import type { SyncJob } from '../core/sync/job';
import { documentStore, userStore } from '../gas/runtime';
import { myEmail } from './user';

export const TIMER_HANDLER = 'onSyncTimer';
const CONTINUE_AFTER_MS = 60_000;
export const ONE_OFF = 'once';

interface InstalledTimer {
  id: string;
  key: string;
}

export function ourTriggers(): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()).filter(
    (t) => t.getHandlerFunction() === TIMER_HANDLER,
  );
}

/** The document's id: one execution (one bundle instance) only ever sees its own document. */
let documentId: string | null = null;

function recordKey(): string {
  documentId ??= SpreadsheetApp.getActiveSpreadsheet().getId();
  return `closeSync.timer.${documentId}`;
}

/** The trigger this rep has installed in this document, as last noted. */
export function installedTimer(): InstalledTimer | null {
  const saved = userStore().get(recordKey());
  return saved ? (JSON.parse(saved) as InstalledTimer) : null;
}

/**
 * The document also notes, per rep, that a trigger is noted: a sync that ends with nothing to plan
 * then knows there is nothing to remove without the document's id (two service calls).
 */
function hintKey(me: string): string {
  return `closeSync.hasTimer.${me}`;
}

function note(trigger: GoogleAppsScript.Script.Trigger, key: string): void {
  userStore().set(recordKey(), JSON.stringify({ id: trigger.getUniqueId(), key }));
  const me = myEmail();
  if (me) documentStore().set(hintKey(me), '1');
}

export function removeTimer(): void {
  for (const t of ourTriggers()) ScriptApp.deleteTrigger(t);
  userStore().delete(recordKey());
  const me = myEmail();
  if (me) documentStore().delete(hintKey(me));
}

/** What a step says when Apps Script would not let it continue in the background. */
export const NO_BACKGROUND =
  'Google Sheets did not let Close Sync continue in the background here: keep the sidebar open until it finishes.';

function mySchedules(me: string) {
  return new ScheduleStore(documentStore()).all().filter((s) => s.setBy === me && !s.paused);
}

/**
 * A one-off run of the handler in about a minute, to continue a job (or run a due schedule). False when
 * Apps Script refused it; the rep's recurring schedule trigger, if they have one, is installed instead.
 */
export function scheduleContinuation(): boolean {
  removeTimer();
  try {
    note(ScriptApp.newTrigger(TIMER_HANDLER).timeBased().after(CONTINUE_AFTER_MS).create(), ONE_OFF);
    return true;
  } catch (e) {
    console.warn(`Close Sync: no one-off trigger (${e instanceof Error ? e.message : String(e)})`);
    const spec = timerSpec(mySchedules(myEmail()));
    if (spec) installRecurring(spec);
    return false;
  }
}

/** Whether a one-off trigger is installed to continue (the menu's toast says so only then). */
export function continuesInBackground(): boolean {
  return installedTimer()?.key === ONE_OFF;
}

function installRecurring(spec: TimerSpec): void {
  const key = timerKey(spec);
  const installed = installedTimer();
  const triggers = ourTriggers();
  if (installed?.key === key && triggers.length === 1 && triggers[0].getUniqueId() === installed.id) return;
  removeTimer();
  const builder = ScriptApp.newTrigger(TIMER_HANDLER).timeBased();
  const trigger =
    spec.kind === 'hours'
      ? builder.everyHours(spec.hours).create()
      : builder
          .atHour(spec.atHour)
          .everyDays(1)
          .inTimezone(SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone())
          .create();
  note(trigger, key);
}

/**
 * Installs the trigger this rep needs now (see the plan above). `job`: the job record, if any.
 * `thorough`: called by the trigger itself or for a schedule change, which then also sweeps
 * triggers nobody noted.
 */
export function planTimer(job: SyncJob | null, thorough = false): void {
  const me = myEmail();
  // A refused one-off (see above) has already put the recurring trigger back.
  if (job && !job.error && job.startedBy === me) {
    scheduleContinuation();
    return;
  }
  const now = Date.now();
  const mine = mySchedules(me);
  const tz = mine.length > 0 ? SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone() : 'UTC';
  if (mine.some((s) => isDue(s, now, tz))) {
    scheduleContinuation();
    return;
  }
  const spec = timerSpec(mine);
  if (spec) installRecurring(spec);
  // Every trigger this add-on creates is noted as soon as it exists (see note()), so without a note
  // (or its hint) there is nothing to remove; a stray one fires, finds nothing to do, and is swept by
  // the thorough plan its handler asks for.
  else if (thorough) {
    if (installedTimer() || ourTriggers().length > 0) removeTimer();
  } else if ((!me || documentStore().get(hintKey(me)) !== null) && installedTimer()) removeTimer();
}

/** What fired: the one-off (continue a job, run a due schedule) or the recurring schedule trigger. */
export function firedTimer(event: unknown): 'once' | 'schedule' {
  const uid = (event as { triggerUid?: unknown } | null | undefined)?.triggerUid;
  const installed = installedTimer();
  if (!installed) return 'once';
  if (uid !== undefined && String(uid) !== installed.id)
    return installed.key === ONE_OFF ? 'schedule' : 'once';
  return installed.key === ONE_OFF ? 'once' : 'schedule';
}
