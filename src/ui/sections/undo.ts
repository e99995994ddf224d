// The sidebar's "Undo last push": a preview first (per lead and field: Close's value now → the value the
// undo puts back, conflicts marked), then an explicit confirmation, then what happened.
import { busyLine, type Child, fill, h, line, messageOf, plural, section, show, statusBox } from '../dom';
import { unfinishedJobBox } from '../jobs';
import { call, type JobOutcome, type UndoItem, type UndoPreview, type UndoResult } from '../server-calls';
import type { SidebarState } from '../sidebar-state';

export interface UndoHost {
  /** The undo changed the sheet: the Changes list should look again. */
  changed(): void;
}

/** Badge text and class per state (a field that will be restored needs none). */
const BADGE: Partial<Record<UndoItem['state'], [string, string]>> = {
  conflict: ['Conflict', 'conflict'],
  already: ['Already', 'already'],
  created: ['Not undone', 'skipped'],
  unavailable: ['Not undone', 'skipped'],
  error: ['Error', 'error'],
  restored: ['Restored', 'restored'],
};

function value(text: string, className: string, prefix: string): HTMLElement {
  return h(
    'span',
    { className: `${className}${text === '' ? ' empty' : ''}` },
    h('span', { className: 'visually-hidden' }, prefix),
    text === '' ? '(empty)' : text,
  );
}

function itemNode(item: UndoItem): HTMLElement {
  const state = item.state === 'restore' ? 'send' : item.state;
  const badge = BADGE[item.state];
  const children: Child[] = [
    h(
      'div',
      { className: 'field-head' },
      h('span', { className: 'field-name' }, item.field),
      badge ? h('span', { className: `badge badge-${badge[1]}` }, badge[0]) : null,
    ),
  ];
  if (item.state === 'restore' || item.state === 'restored' || item.state === 'conflict')
    children.push(
      h(
        'div',
        { className: 'diff' },
        value(item.current, 'old', `${item.field} in Close now: `),
        h('span', { className: 'arrow', attrs: { 'aria-hidden': 'true' } }, ' → '),
        value(item.restore, 'new', item.state === 'conflict' ? ' the push replaced: ' : ' restored to: '),
      ),
    );
  if (item.message) children.push(h('p', { className: 'message' }, item.message));
  return h('li', { className: `field state-${state}` }, ...children);
}

/** One entry per lead, its fields below. */
export function undoNodes(items: UndoItem[]): HTMLElement[] {
  const groups: Array<{ leadId: string; name: string; items: UndoItem[] }> = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && last.leadId === item.leadId) last.items.push(item);
    else groups.push({ leadId: item.leadId, name: item.leadName || item.leadId, items: [item] });
  }
  return groups.map((g) => {
    const marks = new Set(g.items.map((i) => i.state));
    const cls = marks.has('conflict') || marks.has('error') ? 'lead has-conflict' : 'lead';
    return h(
      'li',
      { className: cls },
      h('div', { className: 'lead-head' }, h('span', { className: 'lead-name' }, g.name)),
      h(
        'ul',
        { className: 'fields', attrs: { 'aria-label': `Undo for ${g.name}` } },
        ...g.items.map(itemNode),
      ),
    );
  });
}

export function mountUndo(parent: HTMLElement, state: SidebarState, host: UndoHost) {
  const open = h(
    'button',
    { id: 'undo-preview', className: 'secondary', attrs: { type: 'button' } },
    'Undo last push…',
  );
  const status = statusBox('undo-status');
  const question = h('p', { id: 'undo-question' });
  const list = h('ul', {
    id: 'undo-list',
    className: 'changes',
    attrs: { 'aria-label': 'What the undo would do' },
  });
  const yes = h('button', { id: 'undo-yes', className: 'danger', attrs: { type: 'button' } }, 'Undo push');
  const no = h('button', { id: 'undo-no', className: 'secondary', attrs: { type: 'button' } }, 'Cancel');
  const confirm = h(
    'fieldset',
    { id: 'undo-confirm', className: 'confirm', attrs: { 'aria-labelledby': 'undo-question', hidden: true } },
    question,
    list,
    h('div', { className: 'buttons' }, yes, no),
  );
  const result = h('div', { id: 'undo-result', className: 'summary', attrs: { hidden: true } });
  const jobBox = h('div', { id: 'undo-job', className: 'notice', attrs: { hidden: true } });
  parent.appendChild(
    section(
      'undo',
      'Undo last push',
      h(
        'p',
        { className: 'hint' },
        'Puts back the values Close had before the last push, where nobody has changed them since.',
      ),
      h('div', { className: 'buttons' }, open),
      status,
      jobBox,
      confirm,
      result,
    ),
  );

  let busy = false;
  let preview: UndoPreview | null = null;

  function update(): void {
    const on = state.connected();
    const blocked = busy || state.busy();
    open.disabled = blocked || !on || state.pendingJob !== null;
    yes.disabled = blocked || !on;
    no.disabled = blocked;
    for (const b of Array.from(jobBox.querySelectorAll<HTMLButtonElement>('.job-action')))
      b.disabled = blocked || !on;
    renderJob();
  }

  const renderJob = unfinishedJobBox(jobBox, 'undo', state, {
    status,
    continueJob: () => void undoWith(() => call('continueSync') as Promise<JobOutcome<UndoResult> | null>),
    cancelled: () => {
      host.changed();
      open.focus();
    },
  });

  function close(): void {
    preview = null;
    show(confirm, false);
    fill(list);
  }

  async function run<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    if (busy) return undefined;
    busy = true;
    update();
    fill(status, ...busyLine(label));
    try {
      return await work();
    } catch (e) {
      fill(status, line('error', messageOf(e)));
      return undefined;
    } finally {
      busy = false;
      update();
    }
  }

  open.addEventListener('click', async () => {
    close();
    show(result, false);
    const p = await run('Checking the last push against Close…', () => call('previewUndo'));
    if (!p) return;
    fill(status);
    if (p.counts.restore === 0) {
      fill(status, line('hint', p.message));
      if (p.items.length > 0) {
        fill(
          result,
          h('ul', { className: 'changes', attrs: { 'aria-label': 'The last push' } }, ...undoNodes(p.items)),
        );
        show(result, true);
      }
      open.focus();
      return;
    }
    preview = p;
    question.textContent = p.message;
    fill(list, ...undoNodes(p.items));
    yes.textContent = `Undo ${plural(p.counts.restore, 'field')}`;
    show(confirm, true);
    yes.focus();
  });

  /** Runs the undo, a job: a long one goes on in steps (continueSync) until it is done. */
  async function undoWith(start: () => Promise<JobOutcome<UndoResult> | null>): Promise<void> {
    if (!state.connected() || state.action) return;
    state.pendingJob = null;
    let r: UndoResult | null = null;
    await state.run('undo', async () => {
      fill(status, ...busyLine('Undoing the push…'));
      try {
        let outcome = await start();
        while (outcome && !outcome.done) {
          fill(status, ...busyLine(`${outcome.message} (step ${outcome.steps})`));
          outcome = (await call('continueSync')) as JobOutcome<UndoResult> | null;
        }
        r = outcome;
        if (!r)
          fill(status, line('hint', 'The undo is no longer under way (finished or cancelled elsewhere).'));
      } catch (e) {
        fill(status, line('error', messageOf(e)));
        void state.recheck(e);
      }
    });
    await state.refreshJobStatus();
    const done = r as UndoResult | null;
    if (!done) return;
    close();
    fill(status, line(done.failed > 0 ? 'error' : 'done', done.message));
    fill(
      result,
      h(
        'ul',
        { className: 'changes', attrs: { 'aria-label': 'What the undo did' } },
        ...undoNodes(done.items),
      ),
    );
    show(result, true);
    host.changed();
    open.focus();
  }

  yes.addEventListener('click', () => {
    if (preview) void undoWith(() => call('undoLastPush', { confirmed: true }));
  });

  no.addEventListener('click', () => {
    close();
    fill(status, line('hint', 'Nothing was undone.'));
    open.focus();
  });
  confirm.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') no.click();
  });

  state.onConnection((on) => {
    if (!on) {
      close();
      fill(status);
      show(result, false);
    }
  });
  state.onChange(update);
  update();
  return {
    /** A new push: an open preview is stale. */
    pushed(): void {
      close();
      fill(status);
      show(result, false);
    },
  };
}
