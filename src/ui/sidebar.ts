// The Close Sync sidebar: connect, pull, preview the changes a push would send, push, see results.
// Everything the server returns is rendered as text; no call blocks the page, and one section's call
// never freezes the others (progress polls keep going while a pull runs).
import './sidebar.css';
import { byId, fill, h, plural, setBusy, show } from './dom';
import {
  canPush,
  previewCountsText,
  previewNodes,
  pullSummaryNodes,
  pushCountsText,
  pushQuestion,
  resultNodes,
} from './render';
import { type Connection, call, type Preview, type PushSummary } from './server';

/** How often the Changes list refreshes itself while the sidebar is visible and idle. */
const AUTO_REFRESH_MS = 20_000;
/** How often a running pull is asked for progress. */
const PROGRESS_POLL_MS = 1_000;

type Action = 'connect' | 'disconnect' | 'pull' | 'push';

const ui = {
  connection: byId('connection'),
  form: byId<HTMLFormElement>('connect-form'),
  apiKey: byId<HTMLInputElement>('api-key'),
  apiKeyError: byId('api-key-error'),
  connect: byId<HTMLButtonElement>('connect'),
  connected: byId('connected'),
  connectedAs: byId('connected-as'),
  connectedEmail: byId('connected-email'),
  disconnect: byId<HTMLButtonElement>('disconnect'),
  connectionStatus: byId('connection-status'),
  connectionChecking: byId('connection-checking'),
  pull: byId('pull'),
  pullWhat: byId<HTMLSelectElement>('pull-what'),
  pullButton: byId<HTMLButtonElement>('pull-button'),
  pullStatus: byId('pull-status'),
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
  pushStatus: byId('push-status'),
  results: byId('results'),
  resultsTitle: byId('results-title'),
  resultsSummary: byId('results-summary'),
  resultsList: byId<HTMLUListElement>('results-list'),
};

const state = {
  connection: null as Connection | null,
  action: null as Action | null,
  preview: null as Preview | null,
  previewError: '',
  previewRunning: null as Promise<void> | null,
  previewAgain: false,
  confirming: false,
  sheetName: 'Leads',
  autoTimer: 0 as ReturnType<typeof setTimeout> | 0,
};

const connected = () => !!state.connection?.connected;

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
  ui.connect.disabled = busy;
  ui.apiKey.readOnly = state.action === 'connect';
  ui.disconnect.disabled = busy;
  ui.pullWhat.disabled = busy || !on;
  ui.pullButton.disabled = busy || !on;
  ui.refresh.disabled = busy || !on || state.previewRunning !== null;
  ui.pushButton.disabled = busy || !on || state.previewRunning !== null || !canPush(state.preview);
  ui.confirmYes.disabled = busy;
  ui.confirmNo.disabled = busy;
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('.discard-edits')))
    b.disabled = busy || !on;
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
  updateControls();
  try {
    return await work();
  } finally {
    state.action = null;
    updateControls();
  }
}

// ---------------------------------------------------------------- connection

function renderConnection(): void {
  const c = state.connection;
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
      ui.pullButton.focus();
      void refreshPreview();
    } catch (e) {
      showKeyError(messageOf(e));
      ui.apiKey.focus();
      ui.apiKey.select();
    } finally {
      ui.connect.textContent = 'Connect';
    }
  });
  updateControls();
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
      ui.apiKey.focus();
    } catch (e) {
      ui.connectionStatus.textContent = '';
      fill(ui.pushStatus, errorLine(messageOf(e)));
    } finally {
      ui.disconnect.textContent = 'Disconnect';
    }
  });
  updateControls();
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

// ---------------------------------------------------------------- pull

async function onPull(discardEdits = false): Promise<void> {
  if (!connected() || state.action) return;
  state.confirming = false;
  const started = Date.now();
  ui.pullButton.textContent = 'Pulling…';
  fill(ui.pullStatus, ...busyLine('Starting the pull…'));
  show(ui.pullSummary, false);
  let polling = true;
  let lastMessage = '';
  let wake: () => void = () => undefined;
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const poll = async (): Promise<void> => {
    while (polling) {
      await nap(PROGRESS_POLL_MS);
      if (!polling) break;
      try {
        const p = await call('getSyncProgress');
        if (polling && p && !p.done && p.action === 'pull' && p.message) lastMessage = p.message;
      } catch {
        // A missed poll is not worth a message; the next one may work.
      }
      if (!polling) break;
      const secs = Math.round((Date.now() - started) / 1000);
      fill(ui.pullStatus, ...busyLine(`${lastMessage || 'Pulling leads from Close…'} · ${secs} s`));
    }
  };
  const stopPolling = () => {
    polling = false;
    wake();
  };
  await run('pull', async () => {
    const polled = poll();
    try {
      const summary = await call('pullLeads', discardEdits ? { discardEdits: true } : {});
      stopPolling();
      state.sheetName = summary.sheetName || state.sheetName;
      // The box shows the summary; the live region announces the server's one-line version.
      fill(ui.pullStatus, h('span', { className: 'visually-hidden' }, summary.message || 'Pull finished.'));
      const nodes = pullSummaryNodes(summary);
      if (summary.keptEdits > 0) nodes.push(keptEditsNotice(summary.keptEdits));
      fill(ui.pullSummary, ...nodes);
      show(ui.pullSummary, true);
    } catch (e) {
      stopPolling();
      const message = messageOf(e);
      fill(ui.pullStatus, errorLine(message));
      void recheckConnection(message);
    } finally {
      stopPolling();
      ui.pullButton.textContent = 'Pull';
      await polled;
    }
  });
  void refreshPreview();
}

/** Unpushed edits survived the pull; offer to overwrite them, behind an explicit confirmation. */
function keptEditsNotice(kept: number): HTMLElement {
  const box = h('div', { className: 'notice', attrs: { role: 'group', 'aria-label': 'Unpushed edits' } });
  const ask = () => {
    const yes = h(
      'button',
      {
        className: 'danger discard-edits',
        attrs: { type: 'button' },
        onClick: () => void onPull(true),
      },
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
      { className: 'secondary discard-edits', attrs: { type: 'button' }, onClick: ask },
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

function renderPreview(): void {
  const p = state.preview;
  if (!connected()) {
    fill(ui.counts, 'Connect to Close to see the changes a push would send.');
    fill(ui.list);
  } else if (state.previewError) {
    const firstPull = /pull leads first|pull leads into it first/i.test(state.previewError);
    fill(ui.counts, firstPull ? 'Pull leads first: then edit cells and the changes show here.' : '');
    fill(
      ui.list,
      ...(firstPull ? [] : [h('li', { className: 'error-item' }, errorLine(state.previewError))]),
    );
  } else if (!p) {
    fill(ui.counts, state.previewRunning ? 'Checking your edits against Close…' : '');
    fill(ui.list);
  } else {
    fill(ui.counts, previewCountsText(p));
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
      const preview = await call('previewChanges', {});
      state.preview = preview;
      state.previewError = '';
      state.sheetName = preview.sheetName || state.sheetName;
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
  ui.confirmText.textContent = pushQuestion(p);
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
  await run('push', async () => {
    ui.confirmYes.textContent = 'Pushing…';
    fill(ui.pushStatus, ...busyLine('Pushing your changes to Close…'));
    try {
      const summary = await call('pushChanges', {});
      state.confirming = false;
      fill(ui.pushStatus);
      renderResults(summary);
    } catch (e) {
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
  if (connected()) void refreshPreview();
}

void start();
