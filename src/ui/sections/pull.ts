// The Pull section in one place: the form (what, which sheet, which leads, which fields:
// pull-form.ts), its Pull button and Cancel, the progress line, an unfinished pull to continue, and the
// summary of the last pull — with the offer to overwrite unpushed edits it kept.
import { type Child, fill, h, line, plural, section, setBusy, show, statusBox } from '../dom';
import { driveJob, runJob, unfinishedJobBox } from '../jobs';
import { call, type JobOutcome, type PullSummary } from '../server-calls';
import type { SheetRegistry } from '../sheet-registry';
import type { SidebarState } from '../sidebar-state';
import { mountPullForm, type PullPlan } from './pull-form';

export interface PullHost {
  /** A pull into this sheet finished: the Changes section looks at it, the schedule lists it. */
  pulled(sheetName: string): void;
  /** A pull ended (finished, failed or cancelled): the Changes list looks again. */
  ended(): void;
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** The pull summary: leads, columns, time, and what changed. */
export function pullSummaryNodes(summary: PullSummary): Child[] {
  const detail: string[] = [];
  if (summary.added > 0) detail.push(`${summary.added} new`);
  if (summary.refreshed > 0) detail.push(`${summary.refreshed} refreshed`);
  if (summary.gone > 0) detail.push(`${summary.gone} no longer in Close`);
  if (summary.discardedEdits > 0) detail.push(`${plural(summary.discardedEdits, 'edit')} overwritten`);
  return [
    h(
      'p',
      { className: 'summary-line' },
      h('strong', {}, plural(summary.leads, 'lead')),
      ` · ${plural(summary.columns, 'column')} · ${seconds(summary.seconds)}`,
    ),
    h(
      'p',
      { className: 'hint' },
      `Into sheet “${summary.sheetName}”${detail.length ? `: ${detail.join(', ')}` : ''}.`,
    ),
  ];
}

export function mountPull(app: HTMLElement, state: SidebarState, sheets: SheetRegistry, host: PullHost) {
  const formBox = h('div', { id: 'pull-form', className: 'pull-form' });
  const button = h('button', { id: 'pull-button', className: 'primary', attrs: { type: 'button' } }, 'Pull');
  const cancel = h(
    'button',
    { id: 'pull-cancel', className: 'secondary', attrs: { type: 'button', hidden: true } },
    'Cancel',
  );
  const status = statusBox('pull-status');
  const jobBox = h('div', { id: 'pull-job', className: 'notice', attrs: { hidden: true } });
  const summaryBox = h('div', { id: 'pull-summary', className: 'summary', attrs: { hidden: true } });
  const root = section(
    'pull',
    'Pull',
    h(
      'div',
      { className: 'stack' },
      formBox,
      h('div', { className: 'buttons' }, button, cancel),
      status,
      jobBox,
      summaryBox,
    ),
  );
  app.appendChild(root);
  const form = mountPullForm(formBox, sheets);

  /** The pull last started: "Discard edits and pull again" repeats it, whatever the form says since. */
  let lastPull: PullPlan | null = null;

  const renderJob = unfinishedJobBox(jobBox, 'pull', state, {
    status,
    continueJob: () => void pullWith(() => call('continueSync') as Promise<JobOutcome<PullSummary> | null>),
    cancelled: () => {
      host.ended();
      button.focus();
    },
  });

  function update(): void {
    const busy = state.busy();
    const blocked = busy || !state.connected() || state.pendingJob !== null;
    form.setDisabled(blocked);
    button.disabled = blocked;
    show(cancel, state.action === 'pull');
    cancel.disabled = state.cancelRequested;
    cancel.textContent = state.cancelRequested ? 'Cancelling…' : 'Cancel';
    for (const b of Array.from(root.querySelectorAll<HTMLButtonElement>('.job-action')))
      b.disabled = busy || !state.connected();
    setBusy(root, state.action === 'pull');
    renderJob();
  }

  async function onPull(discardEdits = false): Promise<void> {
    if (!state.connected() || state.action) return;
    const plan = discardEdits && lastPull ? lastPull : form.plan();
    if ('error' in plan) {
      fill(status, line('error', plan.error));
      plan.focus();
      return;
    }
    lastPull = plan;
    await pullWith(() => form.start(plan, discardEdits), plan);
  }

  async function pullWith(
    start: () => Promise<JobOutcome<PullSummary> | null>,
    plan: PullPlan | null = null,
  ): Promise<void> {
    if (!state.connected() || state.action) return;
    await runJob(
      state,
      'pull',
      { button, busyLabel: 'Pulling…', idleLabel: 'Pull', status, summaryBox },
      {
        progress: 'pull',
        starting: 'Starting the pull…',
        noun: 'pull',
        cancelled: 'What it wrote stays in the sheet.',
        drive: (note) => driveJob<PullSummary>(state, start, note),
        summary: (summary) => {
          if (plan) form.pulled(plan, summary.sheetName);
          host.pulled(summary.sheetName);
          const nodes = pullSummaryNodes(summary);
          if (summary.keptEdits > 0)
            nodes.push(keptEditsNotice(summary.keptEdits, summary.keptEditsIn === 'changed rows'));
          return nodes;
        },
      },
    );
    host.ended();
  }

  /**
   * Unpushed edits survived the pull; offer to overwrite them, behind an explicit confirmation. When the
   * count covers only the rows Close changed (an incremental refresh), the offer names no number: a
   * discarding pull replaces every edit in the sheet.
   */
  function keptEditsNotice(kept: number, inChangedRows = false): HTMLElement {
    const box = h('div', { className: 'notice', attrs: { role: 'group', 'aria-label': 'Unpushed edits' } });
    const ask = () => {
      const yes = h(
        'button',
        { className: 'danger job-action', attrs: { type: 'button' }, onClick: () => void onPull(true) },
        inChangedRows ? 'Overwrite every edit' : `Overwrite ${plural(kept, 'edit')}`,
      );
      fill(
        box,
        h(
          'p',
          {},
          inChangedRows
            ? "Replace every unpushed edit in this sheet with Close's current values? This cannot be undone."
            : `Replace your ${plural(kept, 'unpushed edit')} with Close's current values? This cannot be undone.`,
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
        h(
          'p',
          {},
          inChangedRows
            ? `${plural(kept, 'unpushed edit')} kept in the rows Close changed (your edits in other rows were not touched): your values stay in the sheet until you push them.`
            : `${plural(kept, 'unpushed edit')} kept: your values stay in the sheet until you push them.`,
        ),
        h('div', { className: 'buttons' }, again),
      );
      if (box.isConnected) again.focus();
    };
    initial();
    return box;
  }

  button.addEventListener('click', () => void onPull(false));
  cancel.addEventListener('click', () => state.requestCancel());
  state.onConnection((on) => {
    form.setConnected(on);
    if (!on) fill(status, state.connection ? line('hint', 'Connect your Close account to pull leads.') : '');
    else if (status.querySelector('.hint')) fill(status);
  });
  state.onChange(update);
  update();

  return {
    focus: () => button.focus(),
    /** The rep disconnected: the last summary was about the old key's organization. */
    clear(): void {
      fill(summaryBox);
      show(summaryBox, false);
    },
  };
}
