// Long pulls and pushes run as jobs of several steps (see the README, "Longer than 6 minutes"): the
// section that started one drives it here with continueSync until it is done, shows its progress (polled
// with getSyncProgress) and can cancel between steps; a job found unfinished is offered to continue or
// cancel in the section of its kind.
import { busyLine, type Child, fill, h, line, messageOf, plural, show } from './dom';
import { call, type JobOutcome } from './server-calls';
import type { JobKind, SidebarState } from './sidebar-state';

/** How often a running pull or push is asked for progress. */
const PROGRESS_POLL_MS = 1_000;

/** What a job of each kind is called in the sidebar's sentences. */
const JOB_NOUN: Record<UnfinishedKind, string> = {
  pull: 'pull',
  push: 'push',
  undo: 'undo',
  activities: 'activities pull',
};

/** The kinds of job a section offers to continue (a job's kind, as getSyncStatus names it). */
export type UnfinishedKind = JobKind | 'undo' | 'activities';

/**
 * Polls getSyncProgress while a job runs and shows its latest message (with the seconds so far). An
 * activities pull reports as 'pull' or as 'activities': `kind` may name both.
 */
export function pollProgress(
  kind: string | string[],
  target: HTMLElement,
  initial: string,
): { stop: () => Promise<void>; note: (m: string) => void } {
  const kinds = Array.isArray(kind) ? kind : [kind];
  const started = Date.now();
  let polling = true;
  let last = initial;
  let wake: () => void = () => undefined;
  const paint = () => {
    const secs = Math.round((Date.now() - started) / 1000);
    fill(target, ...busyLine(secs > 0 ? `${last} · ${secs} s` : last));
  };
  paint();
  const loop = (async () => {
    while (polling) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PROGRESS_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!polling) break;
      try {
        const p = await call('getSyncProgress');
        if (polling && p && !p.done && kinds.includes(p.action) && p.message) last = p.message;
      } catch {
        // A missed poll is not worth a message; the next one may work.
      }
      if (polling) paint();
    }
  })();
  return {
    note: (m) => {
      last = m;
      if (polling) paint();
    },
    stop: () => {
      polling = false;
      wake();
      return loop;
    },
  };
}

/**
 * How a job the sidebar drove ended, when it did not finish here: cancelled here (the server's message
 * says after how many steps), or no longer there (finished or cancelled elsewhere: by the trigger's
 * step, another rep, another sidebar).
 */
export type JobStopped = { stopped: 'cancelled'; message: string } | { stopped: 'gone' };

/** Whether a driven job ended without its summary (no summary has a `stopped` key). */
export function stopped<S extends object>(end: S | JobStopped): end is JobStopped {
  return 'stopped' in end;
}

/**
 * Drives a job to its end: the first step comes from `start`, then continueSync until done. Returns the
 * summary, or how it stopped short of one.
 */
export async function driveJob<S>(
  state: SidebarState,
  start: () => Promise<JobOutcome<S> | JobOutcome<unknown> | null>,
  note: (message: string) => void,
): Promise<({ done: true } & S) | JobStopped> {
  let outcome = await start();
  while (outcome && !outcome.done) {
    note(`${outcome.message} (step ${outcome.steps})`);
    if (state.cancelRequested) return { stopped: 'cancelled', message: (await call('cancelSync')).message };
    outcome = await call('continueSync');
  }
  return outcome ? (outcome as { done: true } & S) : { stopped: 'gone' };
}

/** What a section shows while its pull runs, and where the result goes. */
export interface JobView {
  button: HTMLButtonElement;
  /** The button's label while the job runs, and after. */
  busyLabel: string;
  idleLabel: string;
  status: HTMLElement;
  summaryBox: HTMLElement;
}

/** One run of a pull, from its first step to its summary. */
export interface JobRun<S extends { message: string }> {
  /** The progress kinds getSyncProgress reports it as, and the line shown before the first report. */
  progress: string | string[];
  starting: string;
  /** What the job's noun is (`pull`, `activities pull`): the line shown when it stopped short. */
  noun: string;
  /** Said after the server's "Cancelled the pull of … after 2 steps." (what stays). */
  cancelled: string;
  /** Runs the job to its end: the summary, or how it stopped short of one. */
  drive(note: (message: string) => void): Promise<S | JobStopped>;
  /** The summary box's contents (the section may also tell others the pull ended here). */
  summary(summary: S): Child[];
}

/**
 * The line shown when a job stopped short of its summary. Cancelled here: the server's message (how
 * many steps it did) and what stays, one line that remains until the next action — not a note the next
 * line replaces within the same moment. Gone: it was not this sidebar that ended it.
 */
export function stoppedLine(end: JobStopped, noun: string, stays: string): HTMLElement {
  return end.stopped === 'cancelled'
    ? line('hint', `${end.message} ${stays}`)
    : line('hint', `The ${noun} is no longer under way: it finished or was cancelled elsewhere.`);
}

/**
 * Runs a pull of a section (leads or activities) under `kind`: the busy button, the polled progress,
 * then the summary — or how it was cancelled, or the error (and a recheck of the connection, in case
 * the key was revoked). The live region announces the server's one-line summary; the box shows the rest.
 */
export async function runJob<S extends { message: string }>(
  state: SidebarState,
  kind: JobKind | 'activities',
  view: JobView,
  run: JobRun<S>,
): Promise<void> {
  if (!state.connected() || state.action) return;
  state.pendingJob = null;
  show(view.summaryBox, false);
  await state.run(kind, async () => {
    view.button.textContent = view.busyLabel;
    const progress = pollProgress(run.progress, view.status, run.starting);
    try {
      const end = await run.drive(progress.note);
      await progress.stop();
      if (stopped(end)) {
        fill(view.status, stoppedLine(end, run.noun, run.cancelled));
        return;
      }
      fill(view.status, h('span', { className: 'visually-hidden' }, end.message));
      fill(view.summaryBox, ...run.summary(end));
      show(view.summaryBox, true);
    } catch (e) {
      await progress.stop();
      fill(view.status, line('error', messageOf(e)));
      void state.recheck(e);
    } finally {
      view.button.textContent = view.idleLabel;
    }
  });
  await state.refreshJobStatus();
}

/**
 * The "A pull of … is unfinished" box of one kind of job, with Continue and Cancel. Returns its render,
 * to call when the shared state changed.
 */
export function unfinishedJobBox(
  box: HTMLElement,
  kind: UnfinishedKind,
  state: SidebarState,
  actions: { continueJob(): void; cancelled(): void; status: HTMLElement },
): () => void {
  let shown = '';
  const onCancel = async () => {
    await state.run(kind, async () => {
      try {
        const r = await call('cancelSync');
        fill(actions.status, line('hint', r.message));
      } catch (e) {
        fill(actions.status, line('error', messageOf(e)));
      }
    });
    await state.refreshJobStatus();
    actions.cancelled();
  };
  return () => {
    const job = state.pendingJob;
    const key = job && job.kind === kind && !state.action ? JSON.stringify(job) : '';
    if (key === shown) return;
    shown = key;
    if (!job || !key) {
      fill(box);
      show(box, false);
      return;
    }
    const steps = plural(job.steps, 'step');
    const noun = JOB_NOUN[kind];
    const a = /^[aeiou]/.test(noun) ? 'An' : 'A';
    fill(
      box,
      h(
        'p',
        {},
        `${a} ${noun} of “${job.sheetName}” is unfinished (started by ${job.startedBy} at ${job.startedAt}, ${steps} done).`,
      ),
      h(
        'div',
        { className: 'buttons' },
        h(
          'button',
          { className: 'primary job-action', attrs: { type: 'button' }, onClick: actions.continueJob },
          `Continue the ${noun}`,
        ),
        h(
          'button',
          { className: 'secondary job-action', attrs: { type: 'button' }, onClick: () => void onCancel() },
          'Cancel it',
        ),
      ),
    );
    show(box, true);
  };
}
