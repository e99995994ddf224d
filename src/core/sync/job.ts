// Long pulls, pushes and undos run in steps that each end well before Apps Script's 6-minute limit. Between
// steps, a small job record (in document properties, under 9 KB) says what is done and what is next.
import type { ActivityDefinition } from '../activities/definition';
import { type Clock, type Store, StoreFullError } from '../ports';
import { definitionStoreFullMessage, type PullDefinition } from './pull-definition';
import type { RefreshMode } from './incremental';
import type { PagerState } from './lead-pager';

/** Apps Script kills an execution at 6 minutes; a step stops taking new work after this. */
export const STEP_BUDGET_MS = 4.5 * 60_000;

export interface Deadline {
  timeLeft(): number;
  /** Clock time after which no new request may wait to be sent, keeping `reserveMs` to write results. */
  stopAt(reserveMs: number): number;
  /** Time kept back to write results: `ms` in a full step, a quarter of a shorter one. */
  reserve(ms: number): number;
}

export function deadlineAfter(clock: Clock, budgetMs = STEP_BUDGET_MS): Deadline {
  const end = clock.now() + budgetMs;
  return {
    timeLeft: () => end - clock.now(),
    stopAt: (reserveMs) => end - reserveMs,
    reserve: (ms) => Math.min(ms, budgetMs / 4),
  };
}

/** The shortest step a configured budget may ask for (see stepBudget in src/addon/jobs.ts). */
export const MIN_STEP_BUDGET_MS = 2_000;

export interface JobBase {
  id: string;
  sheetName: string;
  startedAt: number;
  startedBy: string;
  steps: number;
  cancelled?: boolean;
  /** Started by the rep's scheduled refresh (its end is logged in the Close Sync Log). */
  scheduled?: boolean;
  /** Why the last step stopped; such a job waits for the rep instead of continuing by itself. */
  error?: string;
}

export interface PullJob extends JobBase {
  kind: 'pull';
  definition: PullDefinition;
  discardEdits: boolean;
  discarded: number;
  pager: PagerState;
  added: number;
  refreshed: number;
  keptEdits: number;
  /** Rows where unpushed edits were kept. */
  keptRows?: number;
  /**
   * An incremental refresh reads and rewrites only the rows Close changed: `keptEdits` counts the edits
   * in those rows; the rep's edits elsewhere were neither read nor touched.
   */
  keptCountedInChangedRows?: boolean;
  /**
   * Cells kept because they differ from Close on rows with no usable record of the last pull (the
   * snapshot was deleted or damaged, or the sheet is a copy): they may be edits or older values.
   */
  unverified?: number;
  unverifiedRows?: number;
  /** Cells whose formula (the rep's) was kept where Close changed the field (formula-cells.ts). */
  keptFormulas?: number;
  /** Full or incremental (incremental.ts), decided by the first step; `why` a full pull runs. */
  mode?: RefreshMode;
  /** Close's time when the first step's first answer came: the next refresh starts there. */
  closeStart?: number;
  /** Rows an incremental refresh marked gone from Close's Event Log. */
  deleted?: number;
  /** The sheet's header row was missing and was written back (lost-header.ts). */
  headerRestored?: boolean;
}

export interface PushTotals {
  updated: number;
  created: number;
  failed: number;
  conflicts: number;
  invalid: number;
  /**
   * Rows with nothing to send, counted (and marked) on the first step: by the last one, the leads
   * earlier steps updated look unchanged too.
   */
  unchanged?: number;
  /**
   * Leads Close created for new rows that were then deleted or changed, so their IDs went into no row
   * (push.ts inNoRow); counted, never among the failed: Close did create them.
   */
  unplaced?: number;
}

export interface PushJob extends JobBase {
  kind: 'push';
  definition: Pick<PullDefinition, 'kind' | 'fields' | 'seen' | 'zone'>;
  multiValue: 'replace' | 'add' | 'remove';
  /** Leads are pushed in Lead ID order; everything up to this id is done. */
  doneThrough: string;
  createsDone: boolean;
  totals: PushTotals;
  /** The first few of the leads counted in `totals.unplaced`, by ID, for the summary's message. */
  unplacedIds?: string[];
  /** The first rows needing attention, for the summary (the Sync status column has them all). */
  results: Array<{
    row: number;
    leadId: string;
    leadName: string;
    outcome: 'error' | 'conflict' | 'invalid';
    message: string;
  }>;
}

/** What an undo did so far, over its steps (the result's counts). */
export interface UndoTotals {
  restored: number;
  /** Leads with a field restored. */
  leads: number;
  conflicts: number;
  already: number;
  created: number;
  unavailable: number;
  failed: number;
  /** Of `failed`, the fields Close refused for lack of permission (undoing again cannot help). */
  denied?: number;
  /** The headers of the fields the key's user may not edit, each once. */
  deniedHeaders?: string[];
  keptEdits: number;
}

export interface UndoJob extends JobBase {
  kind: 'undo';
  /** What the sheet holds, so a contact or opportunity push is undone on its own kind. */
  definition: Pick<PullDefinition, 'kind' | 'fields' | 'seen' | 'zone'>;
  /** The push being undone: the last one in the push log when the undo started. */
  pushId: string;
  /** Leads are undone in Lead ID order; everything up to this id is done. */
  doneThrough: string;
  totals: UndoTotals;
}

/**
 * A pull of activities: its pagers' state is kept beside the sheet (core/activities/pull.ts), not in the
 * record, since one type's window can hold a hundred boundary ids.
 */
export interface ActivityJob extends JobBase {
  kind: 'activities';
  definition: ActivityDefinition;
}

export type SyncJob = PullJob | PushJob | UndoJob | ActivityJob;

/** What the rep calls a job in messages: "a pull", "a push", "an activities pull". */
export function jobNoun(job: Pick<SyncJob, 'kind'>, article = true): string {
  const noun = job.kind === 'activities' ? 'activities pull' : job.kind;
  return article ? `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}` : noun;
}

const JOB_KEY = 'closeSync.job';

export class JobStore {
  constructor(private readonly store: Store) {}

  load(): SyncJob | null {
    const saved = this.store.get(JOB_KEY);
    return saved ? (JSON.parse(saved) as SyncJob) : null;
  }

  /**
   * The record stays small (a property holds 9 KB): the columns a sheet's last pull saw (`seen`, a
   * few KB for a big organization) stay with the sheet's definition, and each step takes them from
   * there.
   */
  save(job: SyncJob): void {
    const definition = job.kind === 'activities' ? job.definition : { ...job.definition, seen: undefined };
    try {
      this.store.set(JOB_KEY, JSON.stringify({ ...job, definition }));
    } catch (e) {
      // Properties full (500 KB): Apps Script's own words say nothing a rep can act on.
      if (e instanceof StoreFullError) throw new Error(definitionStoreFullMessage(job.sheetName));
      throw e;
    }
  }

  clear(): void {
    this.store.delete(JOB_KEY);
  }
}

/**
 * Unique per job: two pulls in the same millisecond still differ (the pull generation relies on it).
 * It starts with a letter, so Sheets never reads it as a number or a date.
 */
export function newJobId(now: number, random: () => number = Math.random): string {
  return `j${now.toString(36)}-${Math.floor(random() * 36 ** 6).toString(36)}`;
}
