// The Close Sync sidebar: connect, pull, preview the changes a push would send, push, see results.
// Everything the server returns is rendered as text; no call blocks the page, and progress polls keep
// going while a pull or push runs. Long pulls and pushes run as jobs of several steps: the sidebar
// calls continueSync until the job is done, and can cancel between steps.
import './sidebar.css';
import { byId, fill, h, plural, setBusy, show } from './dom';
import { mountChangesTarget } from './sections/changes-target';
import { mountHelp } from './sections/help';
import { mountPullForm, type PullPlan } from './sections/pull-form';
import { mountReport } from './sections/report';
import { mountSchedule } from './sections/schedule';
import { mountUndo } from './sections/undo';
import {
  canPush,
  previewCountsText,
  previewNodes,
  pullSummaryNodes,
  pushCountsText,
  pushQuestion,
  resultNodes,
} from './sections/changes-list';
import {
  type Connection,
  call,
  type JobOutcome,
  type Preview,
  type PullSummary,
  type PushSummary,
  type SyncStatus,
} from './server-calls';
import { SheetRegistry } from './sheet-registry';

/** How often the Changes list refreshes itself while the sidebar is visible and idle. */
const AUTO_REFRESH_MS = 20_000;
/** How often a running pull or push is asked for progress. */
const PROGRESS_POLL_MS = 1_000;

type Kind = 'pull' | 'push';
type Action = 'connect' | 'disconnect' | Kind;

const ui = {
  connection: byId('connection'),
  connectionChecking: byId('connection-checking'),
  form: byId<HTMLFormElement>('connect-form'),
  apiKey: byId<HTMLInputElement>('api-key'),
  apiKeyError: byId('api-key-error'),
  connect: byId<HTMLButtonElement>('connect'),
  connected: byId('connected'),
  connectedAs: byId('connected-as'),
  connectedEmail: byId('connected-email'),
  disconnect: byId<HTMLButtonElement>('disconnect'),
  connectionStatus: byId('connection-status'),
  pull: byId('pull'),
  pullButton: byId<HTMLButtonElement>('pull-button'),
  pullCancel: byId<HTMLButtonElement>('pull-cancel'),
  pullStatus: byId('pull-status'),
  pullJob: byId('pull-job'),
  pullSummary: byId('pull-summary'),
  changes: byId('changes'),
  refresh: byId<HTMLButtonElement>('refresh'),
  counts: byId('changes-counts'),
  list: byId<HTMLUListElement>('changes-list'),
  confirm: byId('push-confirm'),
  confirmText: byId('push-confirm-text'),
  confirmYes: byId<HTMLButtonElement>('push-confirm-yes'),
  confirmNo: byId<HTMLButtonElement>('push-confirm-no'),
  pushRow: byId('push-row'),
  pushButton: byId<HTMLButtonElement>('push-button'),
  pushCancel: byId<HTMLButtonElement>('push-cancel'),
  pushStatus: byId('push-status'),
  pushJob: byId('push-job'),
  results: byId('results'),
  resultsTitle: byId('results-title'),
  resultsSummary: byId('results-summary'),
  resultsList: byId<HTMLUListElement>('results-list'),
};

const state = {
  connection: null as Connection | null,
  action: null as Action | null,
  cancelRequested: false,
  /** A job left unfinished (by an error, a closed sidebar or another rep): offered to continue or cancel. */
  pendingJob: null as SyncStatus['job'],
  preview: null as Preview | null,
  previewError: '',
  previewRunning: null as Promise<void> | null,
  previewAgain: false,
  confirming: false,
  sheetName: 'Leads',
  autoTimer: 0 as ReturnType<typeof setTimeout> | 0,
};

const connected = () => !!state.connection?.connected;

// The Close sheets known here; the Pull form (what, which leads, which fields: sections/pull-form.ts) and
// the Changes section's sheet and multi-value pickers (sections/changes-target.ts).
const sheets = new SheetRegistry();
const pullForm = mountPullForm(byId('pull-form'), sheets);
const target = mountChangesTarget(byId('changes-head'), sheets, () => void refreshPreview());

// Scheduled refresh, undo last push and the report: their own sections, below the push.
const schedule = mountSchedule(byId('app'), { connected, sheetsListed: (names) => sheets.addAll(names) });
const undo = mountUndo(byId('app'), { connected, changed: () => void refreshPreview() });
const report = mountReport(byId('app'), { connected });
const extras = {
  setConnected(on: boolean): void {
    schedule.setConnected(on);
    undo.setConnected(on);
    report.setConnected(on);
  },
  pushed: () => undo.pushed(),
  /** A pull finished (perhaps into a new sheet): the schedule's sheet list follows. */
  pulled(): void {
    if (connected()) void schedule.refresh();
  },
};

// Help and diagnostics: a link at the top, the panel last (sections/help.ts).
mountHelp(byId('app'));

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A spinner + text line (the spinner is decoration; the text is what the live region announces). */
function busyLine(text: string): HTMLElement[] {
  return [h('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }), h('span', {}, text)];
}

function errorLine(text: string): HTMLElement {
  return h('p', { className: 'error' }, text);
}

// ---------------------------------------------------------------- enabling / disabling

function updateControls(): void {
  const busy = state.action !== null;
  const on = connected();
  const blocked = busy || !on || state.pendingJob !== null;
  ui.connect.disabled = busy;
  ui.apiKey.readOnly = state.action === 'connect';
  ui.disconnect.disabled = busy;
  pullForm.setDisabled(blocked);
  target.setDisabled(busy || !on || state.confirming);
  ui.pullButton.disabled = blocked;
  ui.refresh.disabled = busy || !on || state.previewRunning !== null;
  ui.pushButton.disabled = blocked || state.previewRunning !== null || !canPush(state.preview);
  ui.confirmYes.disabled = busy;
  ui.confirmNo.disabled = busy;
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('.job-action')))
    b.disabled = busy || !on;
  show(ui.pullCancel, state.action === 'pull');
  show(ui.pushCancel, state.action === 'push');
  for (const b of [ui.pullCancel, ui.pushCancel]) {
    b.disabled = state.cancelRequested;
    b.textContent = state.cancelRequested ? 'Cancelling…' : 'Cancel';
  }
  show(ui.pushRow, !state.confirming);
  show(ui.confirm, state.confirming);
  setBusy(
    ui.connection,
    state.action === 'connect' || state.action === 'disconnect' || state.connection === null,
  );
  setBusy(ui.pull, state.action === 'pull');
  setBusy(ui.changes, state.action === 'push' || state.previewRunning !== null);
  ui.list.classList.toggle('stale', state.previewRunning !== null);
  ui.pushButton.textContent =
    canPush(state.preview) && state.preview
      ? `Push ${plural(state.preview.counts.fields + state.preview.counts.creates, 'change')}…`
      : 'Push…';
}

async function run<T>(action: Action, work: () => Promise<T>): Promise<T | undefined> {
  if (state.action) return undefined;
  state.action = action;
  state.cancelRequested = false;
  updateControls();
  try {
    return await work();
  } finally {
    state.action = null;
    state.cancelRequested = false;
    updateControls();
  }
}

// ---------------------------------------------------------------- connection

function renderConnection(): void {
  const c = state.connection;
  extras.setConnected(!!c?.connected);
  pullForm.setConnected(!!c?.connected);
  show(ui.form, !!c && !c.connected);
  show(ui.connected, !!c && c.connected);
  if (c?.connected) {
    const org = c.organization ? ` · ${c.organization}` : '';
    fill(ui.connectedAs, 'Connected as ', h('strong', {}, c.user || c.email || 'you'), org);
    fill(ui.connectedEmail, c.email && c.user ? c.email : '');
    show(ui.connectedEmail, !!(c.email && c.user));
  }
  if (!c?.connected) {
    state.preview = null;
    state.previewError = '';
    state.pendingJob = null;
    renderJob();
    renderPreview();
    fill(ui.pullStatus, c ? h('p', { className: 'hint' }, 'Connect your Close account to pull leads.') : '');
  } else if (ui.pullStatus.querySelector('.hint')) {
    fill(ui.pullStatus);
  }
  updateControls();
}

function showKeyError(text: string): void {
  ui.apiKeyError.textContent = text;
  show(ui.apiKeyError, text !== '');
  if (text) ui.apiKey.setAttribute('aria-invalid', 'true');
  else ui.apiKey.removeAttribute('aria-invalid');
}

async function onConnect(event: Event): Promise<void> {
  event.preventDefault();
  if (state.action) return;
  const key = ui.apiKey.value.trim();
  if (!key) {
    showKeyError('Paste your Close API key first.');
    ui.apiKey.focus();
    return;
  }
  showKeyError('');
  await run('connect', async () => {
    ui.connect.textContent = 'Connecting…';
    try {
      state.connection = await call('saveApiKey', key);
      ui.apiKey.value = '';
      renderConnection();
      ui.connectionStatus.textContent = ui.connectedAs.textContent ?? 'Connected';
      void refreshJobStatus();
      void refreshPreview();
    } catch (e) {
      showKeyError(messageOf(e));
    } finally {
      ui.connect.textContent = 'Connect';
    }
  });
  // Focus after the controls are enabled again.
  if (connected()) ui.pullButton.focus();
  else {
    ui.apiKey.focus();
    ui.apiKey.select();
  }
}

async function onDisconnect(): Promise<void> {
  await run('disconnect', async () => {
    ui.disconnect.textContent = 'Disconnecting…';
    try {
      state.connection = await call('disconnect');
      fill(ui.pullSummary);
      show(ui.pullSummary, false);
      show(ui.results, false);
      fill(ui.pushStatus);
      state.confirming = false;
      renderConnection();
      ui.connectionStatus.textContent = 'Disconnected from Close.';
    } catch (e) {
      ui.connectionStatus.textContent = '';
      fill(ui.pushStatus, errorLine(messageOf(e)));
    } finally {
      ui.disconnect.textContent = 'Disconnect';
    }
  });
  if (!connected()) ui.apiKey.focus();
}

/** A server error that means the key is gone or rejected: show the connect form again. */
async function recheckConnection(message: string): Promise<void> {
  if (!/connect your close account|api key/i.test(message)) return;
  try {
    state.connection = await call('getConnection');
    renderConnection();
  } catch {
    // The error shown where it happened is enough.
  }
}

// ---------------------------------------------------------------- jobs (pull and push)

/** Polls getSyncProgress while a job runs and shows its latest message. */
function pollProgress(
  kind: Kind,
  target: HTMLElement,
  initial: string,
): { stop: () => Promise<void>; note: (m: string) => void } {
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
        if (polling && p && !p.done && p.action === kind && p.message) last = p.message;
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
 * Drives a job to its end: the first step comes from `start`, then continueSync until done. Returns the
 * summary, or null when the job was cancelled here or is no longer there (finished or cancelled
 * elsewhere).
 */
async function driveJob<S>(
  start: () => Promise<JobOutcome<S> | JobOutcome<unknown> | null>,
  note: (message: string) => void,
): Promise<({ done: true } & S) | null> {
  let outcome = await start();
  while (outcome && !outcome.done) {
    note(`${outcome.message} (step ${outcome.steps})`);
    if (state.cancelRequested) {
      const cancelled = await call('cancelSync');
      note(cancelled.message);
      return null;
    }
    outcome = await call('continueSync');
  }
  return outcome ? (outcome as { done: true } & S) : null;
}

/** Asks the server whether a job is left unfinished, and offers to continue or cancel it. */
async function refreshJobStatus(): Promise<void> {
  if (!connected()) return;
  try {
    const status = await call('getSyncStatus');
    state.pendingJob = status.job;
  } catch {
    state.pendingJob = null;
  }
  renderJob();
  updateControls();
}

function renderJob(): void {
  const job = state.pendingJob;
  for (const [box, kind] of [
    [ui.pullJob, 'pull'],
    [ui.pushJob, 'push'],
  ] as const) {
    if (!job || job.kind !== kind || state.action) {
      fill(box);
      show(box, false);
      continue;
    }
    const steps = plural(job.steps, 'step');
    fill(
      box,
      h(
        'p',
        {},
        `A ${job.kind} of “${job.sheetName}” is unfinished (started by ${job.startedBy} at ${job.startedAt}, ${steps} done).`,
      ),
      h(
        'div',
        { className: 'buttons' },
        h(
          'button',
          {
            className: 'primary job-action',
            attrs: { type: 'button' },
            onClick: () => void onContinue(kind),
          },
          `Continue the ${kind}`,
        ),
        h(
          'button',
          { className: 'secondary job-action', attrs: { type: 'button' }, onClick: () => void onCancelJob() },
          'Cancel it',
        ),
      ),
    );
    show(box, true);
  }
}

async function onContinue(kind: Kind): Promise<void> {
  if (kind === 'pull') await pullWith(() => call('continueSync') as Promise<JobOutcome<PullSummary> | null>);
  else await pushWith(() => call('continueSync') as Promise<JobOutcome<PushSummary> | null>);
}

async function onCancelJob(): Promise<void> {
  const kind = state.pendingJob?.kind === 'push' ? 'push' : 'pull';
  const status = kind === 'pull' ? ui.pullStatus : ui.pushStatus;
  await run(kind, async () => {
    try {
      const r = await call('cancelSync');
      fill(status, h('p', { className: 'hint' }, r.message));
    } catch (e) {
      fill(status, errorLine(messageOf(e)));
    }
  });
  await refreshJobStatus();
  void refreshPreview();
  ui.pullButton.focus();
}

function onCancelRunning(): void {
  state.cancelRequested = true;
  updateControls();
}

// ---------------------------------------------------------------- pull

/** The pull last started: "Discard edits and pull again" repeats it, whatever the form says since. */
let lastPull: PullPlan | null = null;

async function onPull(discardEdits = false): Promise<void> {
  if (!connected() || state.action) return;
  const plan = discardEdits && lastPull ? lastPull : pullForm.plan();
  if ('error' in plan) {
    fill(ui.pullStatus, errorLine(plan.error));
    plan.focus();
    return;
  }
  lastPull = plan;
  await pullWith(() => pullForm.start(plan, discardEdits), plan);
}

async function pullWith(
  start: () => Promise<JobOutcome<PullSummary> | null>,
  plan: PullPlan | null = null,
): Promise<void> {
  if (!connected() || state.action) return;
  state.confirming = false;
  state.pendingJob = null;
  renderJob();
  show(ui.pullSummary, false);
  await run('pull', async () => {
    ui.pullButton.textContent = 'Pulling…';
    const progress = pollProgress('pull', ui.pullStatus, 'Starting the pull…');
    try {
      const summary = await driveJob<PullSummary>(start, progress.note);
      await progress.stop();
      if (!summary) {
        fill(
          ui.pullStatus,
          h('p', { className: 'hint' }, 'The pull was cancelled. What it wrote stays in the sheet.'),
        );
        return;
      }
      state.sheetName = summary.sheetName || state.sheetName;
      if (plan) pullForm.pulled(plan, summary.sheetName);
      target.target(summary.sheetName);
      extras.pulled();
      // The box shows the summary; the live region announces the server's one-line version.
      fill(ui.pullStatus, h('span', { className: 'visually-hidden' }, summary.message || 'Pull finished.'));
      const nodes = pullSummaryNodes(summary);
      if (summary.keptEdits > 0) nodes.push(keptEditsNotice(summary.keptEdits));
      fill(ui.pullSummary, ...nodes);
      show(ui.pullSummary, true);
    } catch (e) {
      await progress.stop();
      const message = messageOf(e);
      fill(ui.pullStatus, errorLine(message));
      void recheckConnection(message);
    } finally {
      ui.pullButton.textContent = 'Pull';
    }
  });
  await refreshJobStatus();
  void refreshPreview();
}

/** Unpushed edits survived the pull; offer to overwrite them, behind an explicit confirmation. */
function keptEditsNotice(kept: number): HTMLElement {
  const box = h('div', { className: 'notice', attrs: { role: 'group', 'aria-label': 'Unpushed edits' } });
  const ask = () => {
    const yes = h(
      'button',
      { className: 'danger job-action', attrs: { type: 'button' }, onClick: () => void onPull(true) },
      `Overwrite ${plural(kept, 'edit')}`,
    );
    fill(
      box,
      h(
        'p',
        {},
        `Replace your ${plural(kept, 'unpushed edit')} with Close's current values? This cannot be undone.`,
      ),
      h(
        'div',
        { className: 'buttons' },
        yes,
        h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: initial }, 'Cancel'),
      ),
    );
    yes.focus();
  };
  const initial = () => {
    const again = h(
      'button',
      { className: 'secondary job-action', attrs: { type: 'button' }, onClick: ask },
      'Discard edits and pull again…',
    );
    fill(
      box,
      h('p', {}, `${plural(kept, 'unpushed edit')} kept: your values stay in the sheet until you push them.`),
      h('div', { className: 'buttons' }, again),
    );
    if (box.isConnected) again.focus();
  };
  initial();
  return box;
}

// ---------------------------------------------------------------- changes (preview)

function selectRow(row: number): void {
  call('selectRow', state.sheetName, row).catch((e) => {
    fill(ui.pushStatus, errorLine(messageOf(e)));
  });
}

/** What the Changes list shows now: unchanged answers are not re-rendered (focus and live regions stay). */
let shownPreview = '';

function renderPreview(): void {
  const p = state.preview;
  const key = JSON.stringify([connected(), state.previewError, p, !p && state.previewRunning !== null]);
  if (key === shownPreview) {
    updateControls();
    return;
  }
  shownPreview = key;
  if (!connected()) {
    fill(ui.counts, 'Connect to Close to see the changes a push would send.');
    fill(ui.list);
  } else if (state.previewError) {
    const firstPull = /pull leads first|pull (leads )?into it first/i.test(state.previewError);
    const sheet = target.previewOptions().sheetName;
    const first = sheet
      ? `Nothing pulled into “${sheet}” yet: pull, then edit cells and the changes show here.`
      : 'Pull leads first: then edit cells and the changes show here.';
    fill(ui.counts, firstPull ? first : '');
    fill(
      ui.list,
      ...(firstPull ? [] : [h('li', { className: 'error-item' }, errorLine(state.previewError))]),
    );
  } else if (!p) {
    fill(ui.counts, state.previewRunning ? 'Checking your edits against Close…' : '');
    fill(ui.list);
  } else {
    fill(
      ui.counts,
      previewCountsText(p, target.noun()),
      p.conflictsChecked === false
        ? h(
            'span',
            { className: 'hint block-line' },
            'Too many edited leads to check for conflicts now: the push checks them.',
          )
        : null,
    );
    fill(ui.list, ...previewNodes(p, selectRow));
    if (p.items.length === 0)
      fill(ui.list, h('li', { className: 'empty-list' }, 'Edit cells in the sheet, then Refresh.'));
  }
  updateControls();
}

/**
 * Refreshes the Changes list. Never two previews in flight: asked during one, it runs once more after
 * it, and the promise returned settles when the list is current.
 */
function refreshPreview(): Promise<void> {
  if (!connected()) return Promise.resolve();
  if (state.previewRunning) {
    state.previewAgain = true;
    return state.previewRunning;
  }
  clearTimeout(state.autoTimer);
  ui.refresh.textContent = 'Refreshing…';
  const running = (async () => {
    try {
      const preview = await call('previewChanges', target.previewOptions());
      state.preview = preview;
      state.previewError = '';
      state.sheetName = preview.sheetName || state.sheetName;
      target.showing(preview.sheetName);
    } catch (e) {
      state.preview = null;
      state.previewError = messageOf(e);
      void recheckConnection(state.previewError);
    } finally {
      state.previewRunning = null;
      ui.refresh.textContent = 'Refresh';
      renderPreview();
    }
  })();
  const settled = running.then((): Promise<void> | undefined => {
    if (state.previewAgain) {
      state.previewAgain = false;
      return refreshPreview();
    }
    scheduleAutoRefresh();
    return undefined;
  });
  state.previewRunning = settled;
  renderPreview();
  return settled;
}

function scheduleAutoRefresh(): void {
  clearTimeout(state.autoTimer);
  state.autoTimer = setTimeout(() => {
    const idle = !state.action && !state.confirming && !state.previewRunning;
    if (connected() && idle && document.visibilityState === 'visible') void refreshPreview();
    else scheduleAutoRefresh();
  }, AUTO_REFRESH_MS);
}

// ---------------------------------------------------------------- push

async function onPushClick(): Promise<void> {
  if (state.action) return;
  fill(ui.pushStatus, ...busyLine('Checking the changes against Close…'));
  await refreshPreview();
  fill(ui.pushStatus);
  const p = state.preview;
  if (!p || !canPush(p)) {
    fill(ui.pushStatus, h('p', { className: 'hint' }, 'Nothing to push.'));
    ui.refresh.focus();
    return;
  }
  ui.confirmText.textContent = pushQuestion(p, target.noun());
  state.confirming = true;
  updateControls();
  ui.confirmYes.focus();
}

function onPushCancel(): void {
  state.confirming = false;
  updateControls();
  ui.pushButton.focus();
}

async function onPushConfirm(): Promise<void> {
  const options = state.preview ? target.pushOptions(state.preview.sheetName) : target.previewOptions();
  await pushWith(() => call('pushChanges', options));
}

async function pushWith(start: () => Promise<JobOutcome<PushSummary> | null>): Promise<void> {
  if (!connected() || state.action) return;
  state.pendingJob = null;
  renderJob();
  await run('push', async () => {
    ui.confirmYes.textContent = 'Pushing…';
    const progress = pollProgress('push', ui.pushStatus, 'Pushing your changes to Close…');
    try {
      const summary = await driveJob<PushSummary>(start, progress.note);
      await progress.stop();
      state.confirming = false;
      if (!summary) {
        fill(
          ui.pushStatus,
          h('p', { className: 'hint' }, 'The push was cancelled. What was sent stays sent.'),
        );
        return;
      }
      fill(ui.pushStatus);
      renderResults(summary);
      extras.pushed();
    } catch (e) {
      await progress.stop();
      state.confirming = false;
      const message = messageOf(e);
      fill(ui.pushStatus, errorLine(message));
      void recheckConnection(message);
    } finally {
      ui.confirmYes.textContent = 'Push to Close';
    }
  });
  if (!ui.results.hidden) ui.resultsTitle.focus();
  else ui.pushButton.focus();
  await refreshJobStatus();
  void refreshPreview();
}

function renderResults(summary: PushSummary): void {
  state.sheetName = summary.sheetName || state.sheetName;
  fill(ui.resultsSummary, pushCountsText(summary));
  const nodes = resultNodes(summary, selectRow);
  fill(ui.resultsList, ...nodes);
  show(ui.resultsList, nodes.length > 0);
  show(ui.results, true);
}

// ---------------------------------------------------------------- start

async function start(): Promise<void> {
  ui.form.addEventListener('submit', (e) => void onConnect(e));
  ui.apiKey.addEventListener('input', () => {
    if (!ui.apiKeyError.hidden) showKeyError('');
  });
  ui.disconnect.addEventListener('click', () => void onDisconnect());
  ui.pullButton.addEventListener('click', () => void onPull(false));
  ui.pullCancel.addEventListener('click', onCancelRunning);
  ui.pushCancel.addEventListener('click', onCancelRunning);
  ui.refresh.addEventListener('click', () => void refreshPreview());
  ui.pushButton.addEventListener('click', () => void onPushClick());
  ui.confirmYes.addEventListener('click', () => void onPushConfirm());
  ui.confirmNo.addEventListener('click', onPushCancel);
  ui.confirm.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') onPushCancel();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && connected() && !state.action) void refreshPreview();
  });

  show(ui.form, false);
  updateControls();
  try {
    state.connection = await call('getConnection');
    ui.connectionStatus.textContent = state.connection.connected ? '' : 'Not connected to Close.';
  } catch (e) {
    state.connection = { connected: false };
    showKeyError(messageOf(e));
  }
  show(ui.connectionChecking, false);
  renderConnection();
  if (connected()) {
    void refreshJobStatus();
    void refreshPreview();
  }
}

void start();
