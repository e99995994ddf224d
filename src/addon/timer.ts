// The add-on's one time-driven trigger. Editor add-ons may keep one time-based trigger per user per
// document, and it serves two purposes: continuing a long pull or push a minute after a step ends,
// and the scheduled refresh. Whichever is needed now is what is installed; the handler sorts it out.
export const TIMER_HANDLER = 'onSyncTimer';
const CONTINUE_AFTER_MS = 60_000;

function ourTriggers(): GoogleAppsScript.Script.Trigger[] {
  return ScriptApp.getUserTriggers(SpreadsheetApp.getActiveSpreadsheet()).filter(
    (t) => t.getHandlerFunction() === TIMER_HANDLER,
  );
}

export function removeTimer(): void {
  for (const t of ourTriggers()) ScriptApp.deleteTrigger(t);
}

/** A one-off run of the handler in about a minute, to continue a job. */
export function scheduleContinuation(): void {
  removeTimer();
  ScriptApp.newTrigger(TIMER_HANDLER).timeBased().after(CONTINUE_AFTER_MS).create();
}

export function hasTimer(): boolean {
  return ourTriggers().length > 0;
}
