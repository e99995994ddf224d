// One sync at a time per spreadsheet: two reps pushing at once would interleave writes to the same
// rows and snapshot. The document lock excludes them; a note in document properties says who holds it.
import { StoreFullError } from '../core/ports';
import { formatStamp } from '../core/schema/dates';
import { documentStore } from '../gas/runtime';

const RUNNING_PROPERTY = 'closeSync.running';

interface RunningSync {
  action: string;
  user: string;
  /** When it started (epoch ms), shown in the spreadsheet's time zone only if someone has to wait. */
  at: number;
}

export function withSyncLock<T>(action: string, run: () => T): T {
  const lock = LockService.getDocumentLock();
  const store = documentStore();
  if (!lock.tryLock(3000)) {
    const saved = store.get(RUNNING_PROPERTY);
    const running = saved ? (JSON.parse(saved) as RunningSync) : null;
    const at = () => formatStamp(running!.at, SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone());
    throw new Error(
      running
        ? `A sync is running (${running.action} started by ${running.user} at ${at()}). Try again when it has finished.`
        : 'A sync is running in this spreadsheet. Try again when it has finished.',
    );
  }
  try {
    const user = Session.getActiveUser().getEmail() || 'another user';
    const running: RunningSync = { action, user, at: Date.now() };
    try {
      store.set(RUNNING_PROPERTY, JSON.stringify(running));
    } catch (e) {
      // Only a courtesy note for whoever has to wait: a full store (500 KB) must not stop the sync, whose
      // own saves say what to do about it.
      if (!(e instanceof StoreFullError)) throw e;
    }
    return run();
  } finally {
    store.delete(RUNNING_PROPERTY);
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}
