// One sync at a time per spreadsheet: two reps pushing at once would interleave writes to the same
// rows and snapshot. The document lock excludes them; a note in document properties says who holds it.
import { formatStamp } from '../core/schema/dates';
import { documentStore } from '../gas/runtime';

const RUNNING_PROPERTY = 'closeSync.running';

interface RunningSync {
  action: string;
  user: string;
  at: string;
}

export function withSyncLock<T>(action: string, run: () => T): T {
  const lock = LockService.getDocumentLock();
  const store = documentStore();
  if (!lock.tryLock(3000)) {
    const saved = store.get(RUNNING_PROPERTY);
    const running = saved ? (JSON.parse(saved) as RunningSync) : null;
    throw new Error(
      running
        ? `A sync is running (${running.action} started by ${running.user} at ${running.at}). Try again when it has finished.`
        : 'A sync is running in this spreadsheet. Try again when it has finished.',
    );
  }
  try {
    const tz = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
    const user = Session.getActiveUser().getEmail() || 'another user';
    store.set(RUNNING_PROPERTY, JSON.stringify({ action, user, at: formatStamp(Date.now(), tz) }));
    return run();
  } finally {
    store.delete(RUNNING_PROPERTY);
    SpreadsheetApp.flush();
    lock.releaseLock();
  }
}
