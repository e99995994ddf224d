// The Changes section: which sheet and multi-value mode (changes-target.ts), the live preview of what a
// push would send (refreshed on demand, when the sidebar becomes visible, and every 20 s while idle),
// the push behind an in-sidebar confirmation, a push left unfinished, and the "Last push" results below
// (rows that need attention, each selecting its row in the sheet).
import { busyLine, fill, h, line, messageOf, plural, section, setBusy, show, statusBox } from '../dom';
import { driveJob, pollProgress, stopped, stoppedLine, unfinishedJobBox } from '../jobs';
import { call, type JobOutcome, type Preview, type PushSummary } from '../server-calls';
import type { SheetRegistry } from '../sheet-registry';
import type { SidebarState } from '../sidebar-state';
import {
  canPush,
  previewCountsText,
  previewNodes,
  pushCountsText,
  pushQuestion,
  resultNodes,
} from './changes-list';
import { mountChangesTarget } from './changes-target';

/** How often the Changes list refreshes itself while the sidebar is visible and idle. */
const AUTO_REFRESH_MS = 20_000;

export interface ChangesHost {
  /** A push finished: an open undo preview is stale. */
  pushed(): void;
  /** Where focus goes after a cancelled job (the Pull button). */
  focusPull(): void;
}

export function mountChanges(
  app: HTMLElement,
  state: SidebarState,
  sheets: SheetRegistry,
  host: ChangesHost,
) {
  // ------------------------------------------------------------ markup
  const refreshButton = h(
    'button',
    { id: 'refresh', className: 'secondary small', attrs: { type: 'button' } },
    'Refresh',
  );
  const head = h(
    'div',
    { id: 'changes-head', className: 'title-row' },
    h('h2', { id: 'changes-title' }, 'Changes'),
    refreshButton,
  );
  const counts = h('p', {
    id: 'changes-counts',
    className: 'counts',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  const confirmText = h('p', { id: 'push-confirm-text' });
  const yes = h(
    'button',
    { id: 'push-confirm-yes', className: 'primary', attrs: { type: 'button' } },
    'Push to Close',
  );
  const no = h(
    'button',
    { id: 'push-confirm-no', className: 'secondary', attrs: { type: 'button' } },
    'Cancel',
  );
  const confirm = h(
    'fieldset',
    {
      id: 'push-confirm',
      className: 'confirm',
      attrs: { 'aria-labelledby': 'push-confirm-text', hidden: true },
    },
    confirmText,
    h('div', { className: 'buttons' }, yes, no),
  );
  const pushButton = h(
    'button',
    { id: 'push-button', className: 'primary', attrs: { type: 'button' } },
    'Push…',
  );
  const pushCancel = h(
    'button',
    { id: 'push-cancel', className: 'secondary', attrs: { type: 'button', hidden: true } },
    'Cancel',
  );
  const pushRow = h('div', { id: 'push-row', className: 'buttons' }, pushButton, pushCancel);
  const status = statusBox('push-status');
  const jobBox = h('div', { id: 'push-job', className: 'notice', attrs: { hidden: true } });
  const list = h('ul', {
    id: 'changes-list',
    className: 'changes',
    attrs: { 'aria-label': 'Changes a push would send' },
  });
  const root = section('changes', head, counts, confirm, pushRow, status, jobBox, list);
  const resultsTitle = h('h2', { id: 'results-title', attrs: { tabindex: '-1' } }, 'Last push');
  const resultsSummary = h('p', { id: 'results-summary', className: 'summary-line' });
  const resultsList = h('ul', {
    id: 'results-list',
    className: 'results',
    attrs: { 'aria-label': 'Rows that were not pushed' },
  });
  const results = section('results', resultsTitle, resultsSummary, resultsList);
  show(results, false);
  app.append(root, results);
  const target = mountChangesTarget(head, sheets, () => void refresh());

  // ------------------------------------------------------------ state
  let preview: Preview | null = null;
  let previewError = '';
  let running: Promise<void> | null = null;
  let again = false;
  let confirming = false;
  /** The sheet the rows of the list and the results are in (for selecting a row). */
  let sheetName = 'Leads';
  let autoTimer = 0 as ReturnType<typeof setTimeout> | 0;
  /** What the list shows now: unchanged answers are not re-rendered (focus and live regions stay). */
  let shown = '';

  function update(): void {
    // A pull or an activities pull started: the question asked before is stale.
    if (state.action && state.action !== 'push' && confirming) confirming = false;
    const busy = state.busy();
    const on = state.connected();
    const blocked = busy || !on || state.pendingJob !== null;
    target.setDisabled(busy || !on || confirming);
    refreshButton.disabled = busy || !on || running !== null;
    pushButton.disabled = blocked || running !== null || !canPush(preview);
    yes.disabled = busy;
    no.disabled = busy;
    for (const b of Array.from(root.querySelectorAll<HTMLButtonElement>('.job-action')))
      b.disabled = busy || !on;
    show(pushCancel, state.action === 'push');
    pushCancel.disabled = state.cancelRequested;
    pushCancel.textContent = state.cancelRequested ? 'Cancelling…' : 'Cancel';
    show(pushRow, !confirming);
    show(confirm, confirming);
    setBusy(root, state.action === 'push' || running !== null);
    list.classList.toggle('stale', running !== null);
    pushButton.textContent =
      canPush(preview) && preview
        ? `Push ${plural(preview.counts.fields + preview.counts.creates, 'change')}…`
        : 'Push…';
    renderJob();
  }

  const renderJob = unfinishedJobBox(jobBox, 'push', state, {
    status,
    continueJob: () => void pushWith(() => call('continueSync') as Promise<JobOutcome<PushSummary> | null>),
    cancelled: () => {
      void refresh();
      host.focusPull();
    },
  });

  function selectRow(row: number): void {
    call('selectRow', sheetName, row).catch((e) => {
      fill(status, line('error', messageOf(e)));
    });
  }

  // ------------------------------------------------------------ the preview

  function render(): void {
    const p = preview;
    const on = state.connected();
    const key = JSON.stringify([on, previewError, p, !p && running !== null]);
    if (key === shown) {
      update();
      return;
    }
    shown = key;
    if (!on) {
      fill(counts, 'Connect to Close to see the changes a push would send.');
      fill(list);
    } else if (previewError) {
      const firstPull = /pull leads first|pull (leads )?into it first/i.test(previewError);
      const sheet = target.previewOptions().sheetName;
      const first = sheet
        ? `Nothing pulled into “${sheet}” yet: pull, then edit cells and the changes show here.`
        : 'Pull leads first: then edit cells and the changes show here.';
      fill(counts, firstPull ? first : '');
      fill(list, ...(firstPull ? [] : [h('li', { className: 'error-item' }, line('error', previewError))]));
    } else if (!p) {
      fill(counts, running ? 'Checking your edits against Close…' : '');
      fill(list);
    } else {
      fill(
        counts,
        previewCountsText(p, target.noun()),
        p.conflictsChecked === false
          ? h(
              'span',
              { className: 'hint block-line' },
              'Too many edited leads to check for conflicts now: the push checks them.',
            )
          : null,
      );
      fill(list, ...previewNodes(p, selectRow));
      if (p.items.length === 0)
        fill(list, h('li', { className: 'empty-list' }, 'Edit cells in the sheet, then Refresh.'));
    }
    update();
  }

  /**
   * Refreshes the Changes list. Never two previews in flight: asked during one, it runs once more after
   * it, and the promise returned settles when the list is current.
   */
  function refresh(): Promise<void> {
    if (!state.connected()) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(autoTimer);
    refreshButton.textContent = 'Refreshing…';
    const asking = (async () => {
      try {
        const answer = await call('previewChanges', target.previewOptions());
        preview = answer;
        previewError = '';
        sheetName = answer.sheetName || sheetName;
        target.showing(answer.sheetName);
      } catch (e) {
        preview = null;
        previewError = messageOf(e);
        void state.recheck(e);
      } finally {
        running = null;
        refreshButton.textContent = 'Refresh';
        render();
      }
    })();
    const settled = asking.then((): Promise<void> | undefined => {
      if (again) {
        again = false;
        return refresh();
      }
      scheduleAutoRefresh();
      return undefined;
    });
    running = settled;
    render();
    return settled;
  }

  function scheduleAutoRefresh(): void {
    clearTimeout(autoTimer);
    autoTimer = setTimeout(() => {
      const idle = !state.action && !confirming && !running;
      if (state.connected() && idle && document.visibilityState === 'visible') void refresh();
      else scheduleAutoRefresh();
    }, AUTO_REFRESH_MS);
  }

  // ------------------------------------------------------------ the push

  async function onPushClick(): Promise<void> {
    if (state.action) return;
    fill(status, ...busyLine('Checking the changes against Close…'));
    await refresh();
    fill(status);
    const p = preview;
    if (!p || !canPush(p)) {
      fill(status, line('hint', 'Nothing to push.'));
      refreshButton.focus();
      return;
    }
    confirmText.textContent = pushQuestion(p, target.noun());
    confirming = true;
    update();
    yes.focus();
  }

  function onPushCancel(): void {
    confirming = false;
    update();
    pushButton.focus();
  }

  async function pushWith(start: () => Promise<JobOutcome<PushSummary> | null>): Promise<void> {
    if (!state.connected() || state.action) return;
    state.pendingJob = null;
    await state.run('push', async () => {
      yes.textContent = 'Pushing…';
      const progress = pollProgress('push', status, 'Pushing your changes to Close…');
      try {
        const summary = await driveJob<PushSummary>(state, start, progress.note);
        await progress.stop();
        confirming = false;
        if (stopped(summary)) {
          fill(status, stoppedLine(summary, 'push', 'What was sent stays sent.'));
          return;
        }
        fill(status);
        renderResults(summary);
        host.pushed();
      } catch (e) {
        await progress.stop();
        confirming = false;
        fill(status, line('error', messageOf(e)));
        void state.recheck(e);
      } finally {
        yes.textContent = 'Push to Close';
      }
    });
    if (!results.hidden) resultsTitle.focus();
    else pushButton.focus();
    await state.refreshJobStatus();
    void refresh();
  }

  function renderResults(summary: PushSummary): void {
    sheetName = summary.sheetName || sheetName;
    fill(resultsSummary, pushCountsText(summary));
    const nodes = resultNodes(summary, selectRow);
    fill(resultsList, ...nodes);
    show(resultsList, nodes.length > 0);
    show(results, true);
  }

  // ------------------------------------------------------------ events

  refreshButton.addEventListener('click', () => void refresh());
  pushButton.addEventListener('click', () => void onPushClick());
  yes.addEventListener('click', () => {
    const options = preview ? target.pushOptions(preview.sheetName) : target.previewOptions();
    void pushWith(() => call('pushChanges', options));
  });
  no.addEventListener('click', onPushCancel);
  pushCancel.addEventListener('click', () => state.requestCancel());
  confirm.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') onPushCancel();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.connected() && !state.action) void refresh();
  });
  state.onConnection((on) => {
    if (!on) {
      preview = null;
      previewError = '';
      render();
    } else void refresh();
  });
  state.onChange(update);
  render();

  return {
    refresh,
    /** Point the preview at this sheet (a pull into it just finished). */
    target: (name: string) => target.target(name),
    /** The rep disconnected: the last push's results and messages were about the old key. */
    clear(): void {
      show(results, false);
      fill(status);
      confirming = false;
    },
    showError: (message: string) => fill(status, line('error', message)),
  };
}
