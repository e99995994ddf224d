// Undo last push: the preview (what would be restored, what is a conflict) and the undo itself, a job like
// a push (it writes to Close, the snapshot and the sheet, under the document lock, in steps that the
// sidebar or the trigger continue past Apps Script's 6-minute limit).
import { newUndoJob, type UndoPreview, type UndoResult, previewUndo } from '../core/sync/undo';
import { syncDeps } from './connection';
import { definitions } from './definitions';
import { currentUser, runJobStep, runningJob } from './job-runner';
import type { JobOutcome } from '../shared/server-api';
import { withSyncLock } from './sync-lock';
import { followSheets } from './sheet-identity';
import { currentName } from '../core/sync/sheet-identity';

function deps() {
  return syncDeps();
}

const definitionOf = (sheetName: string) => definitions().get(sheetName);

/** A push logged under a sheet's old name is undone in that sheet, by its id (see sheet-identity). */
const nameNow = (logged: string) => currentName(followSheets().registry, logged);

export function undoPreview(): UndoPreview {
  return previewUndo(deps(), definitionOf, nameNow);
}

/** Starts the undo of the last push and runs its first step (a long undo goes on in later steps). */
export function undoNow(): JobOutcome<UndoResult> {
  return withSyncLock('undo', () => {
    const job = runningJob();
    if (job)
      throw new Error(
        `A ${job.kind} of "${job.sheetName}" is unfinished: continue or cancel it in the sidebar before undoing a push.`,
      );
    const undo = newUndoJob(deps(), currentUser(), definitionOf, nameNow);
    if (!undo) return { done: true, ...undoPreview(), restored: 0, failed: 0, keptEdits: 0 };
    return runJobStep(undo) as JobOutcome<UndoResult>;
  });
}

const MAX_LINES = 12;

/** The preview as the menu's Yes/No question shows it: the summary, then one line per field. */
export function undoText(preview: UndoPreview): string {
  const lines = preview.items.slice(0, MAX_LINES).map((i) => {
    const who = i.leadName || i.leadId;
    if (i.state === 'restore' || i.state === 'restored')
      return `• ${who} — ${i.field}: "${i.current}" → "${i.restore}"`;
    return `• ${who} — ${i.field}: ${i.message}`;
  });
  if (preview.items.length > MAX_LINES) lines.push(`… and ${preview.items.length - MAX_LINES} more.`);
  return [preview.message, ...lines].join('\n');
}
