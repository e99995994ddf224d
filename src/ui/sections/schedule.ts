// The sidebar's Schedule section: refresh a sheet's pull every hour / every N hours / daily at an hour,
// turn it off, and see the last refresh (time, outcome) and the next run. Built here, in its own module;
// sidebar.ts only mounts it and tells it when the connection changes.
import { busyLine, fill, h, line, messageOf, section, show, statusBox } from '../dom';
import { call, type ScheduleInfo, type ScheduleView } from '../server-calls';

export interface SectionHost {
  connected(): boolean;
  /** The sheets the server lists as pulled (every getSchedule answer). */
  sheetsListed?(sheets: string[]): void;
}

const HOURS = [1, 2, 4, 6, 8, 12];
const pad = (n: number) => String(n).padStart(2, '0');

export function mountSchedule(parent: HTMLElement, host: SectionHost) {
  const sheetSelect = h('select', { id: 'schedule-sheet' });
  const sheetRow = h(
    'div',
    { className: 'stack', attrs: { hidden: true } },
    h('label', { attrs: { for: 'schedule-sheet' } }, 'Sheet'),
    sheetSelect,
  );
  const every = h(
    'select',
    { id: 'schedule-every', attrs: { 'aria-describedby': 'schedule-help' } },
    h('option', { attrs: { value: 'off' } }, 'Off'),
    ...HOURS.map((n) =>
      h('option', { attrs: { value: String(n) } }, n === 1 ? 'Every hour' : `Every ${n} hours`),
    ),
    h('option', { attrs: { value: 'day' } }, 'Every day'),
  );
  const hour = h(
    'select',
    { id: 'schedule-hour' },
    ...Array.from({ length: 24 }, (_, i) => h('option', { attrs: { value: String(i) } }, `${pad(i)}:00`)),
  );
  hour.value = '6';
  const hourRow = h(
    'div',
    { className: 'stack', attrs: { hidden: true } },
    h('label', { attrs: { for: 'schedule-hour' } }, 'At'),
    hour,
  );
  const help = h('p', { id: 'schedule-help', className: 'hint' });
  const save = h(
    'button',
    { id: 'schedule-save', className: 'primary', attrs: { type: 'button' } },
    'Save schedule',
  );
  const off = h(
    'button',
    { id: 'schedule-off', className: 'secondary', attrs: { type: 'button', hidden: true } },
    'Turn off',
  );
  const status = statusBox('schedule-status');
  const info = h('div', { id: 'schedule-info', className: 'summary', attrs: { hidden: true } });
  const root = section(
    'schedule',
    'Scheduled refresh',
    h(
      'div',
      { className: 'stack' },
      sheetRow,
      h('label', { attrs: { for: 'schedule-every' } }, 'Refresh'),
      every,
      hourRow,
      help,
      h('div', { className: 'buttons' }, save, off),
      status,
      info,
    ),
  );
  parent.appendChild(root);

  let view: ScheduleView | null = null;
  let busy = false;

  const current = (): ScheduleInfo | undefined =>
    view?.schedules.find((s) => s.sheetName === sheetSelect.value);

  function update(): void {
    const on = host.connected();
    for (const el of [sheetSelect, every, hour, save]) el.disabled = busy || !on || !view;
    off.disabled = busy || !on;
    show(hourRow, every.value === 'day');
    show(off, !!current());
    const sheet = sheetSelect.value || view?.defaultSheet || 'the sheet';
    help.textContent = !on
      ? 'Connect your Close account to set or change a schedule (it runs as you, with your API key).'
      : view
        ? `Pulls “${sheet}” as you, with your Close API key. Unpushed edits are kept. Times are in ${view.timeZone}.`
        : '';
  }

  function renderInfo(): void {
    const s = current();
    if (!s) {
      fill(info);
      show(info, false);
      return;
    }
    const who = s.mine ? 'you' : s.setBy;
    const lines: HTMLElement[] = [
      h('p', { className: 'summary-line' }, h('strong', {}, s.description), ` · set by ${who}`),
    ];
    if (!s.mine)
      lines.push(
        h('p', { className: 'hint' }, `It runs as ${s.setBy}. Saving makes it yours (it then runs as you).`),
      );
    if (s.last) {
      const outcome = { ok: 'OK', failed: 'Failed', skipped: 'Skipped', cancelled: 'Cancelled' }[
        s.last.outcome
      ];
      lines.push(
        h(
          'p',
          {
            className: s.last.outcome === 'failed' ? 'error' : 'hint',
            attrs: { 'data-outcome': s.last.outcome },
          },
          `Last refresh: ${s.last.started} — ${outcome}. ${s.last.message}`,
        ),
      );
    } else lines.push(h('p', { className: 'hint' }, 'Not run yet.'));
    if (s.paused) lines.push(h('p', { className: 'error' }, `Paused: ${s.paused}`));
    else if (s.next) lines.push(h('p', { className: 'hint' }, `Next run: about ${s.next}`));
    fill(info, ...lines);
    show(info, true);
  }

  /** Shows the view: the sheets to choose from, and the chosen sheet's schedule in the controls. */
  function render(next: ScheduleView, keepSheet = true): void {
    view = next;
    host.sheetsListed?.(next.sheets);
    const chosen = keepSheet && sheetSelect.value ? sheetSelect.value : '';
    fill(sheetSelect, ...next.sheets.map((name) => h('option', { attrs: { value: name } }, name)));
    sheetSelect.value =
      chosen && next.sheets.includes(chosen)
        ? chosen
        : (next.schedules[0]?.sheetName ?? next.sheets[0] ?? '');
    show(sheetRow, next.sheets.length > 1);
    syncControls();
  }

  function syncControls(): void {
    const s = current();
    every.value = !s ? 'off' : s.every === 'day' ? 'day' : String(s.hours);
    if (s?.every === 'day') hour.value = String(s.atHour);
    renderInfo();
    update();
  }

  async function act(work: () => Promise<ScheduleView>, done: string): Promise<void> {
    if (busy) return;
    busy = true;
    update();
    fill(status, ...busyLine('Saving…'));
    try {
      render(await work());
      fill(status, line('done', done));
    } catch (e) {
      fill(status, line('error', messageOf(e)));
    } finally {
      busy = false;
      update();
    }
  }

  save.addEventListener('click', () => {
    const sheetName = sheetSelect.value || view?.defaultSheet || '';
    if (every.value === 'off') {
      void act(() => call('clearSchedule', sheetName), 'The schedule is off.');
      return;
    }
    const spec =
      every.value === 'day'
        ? { sheetName, every: 'day' as const, atHour: Number(hour.value) }
        : { sheetName, every: 'hour' as const, hours: Number(every.value) };
    void act(() => call('setSchedule', spec), 'Schedule saved.');
  });
  off.addEventListener('click', () => {
    void act(
      () => call('clearSchedule', sheetSelect.value || view?.defaultSheet || ''),
      'The schedule is off.',
    );
  });
  every.addEventListener('change', update);
  sheetSelect.addEventListener('change', syncControls);

  /** Anyone may look (a failed refresh is visible to the next person who opens the sidebar). */
  async function refresh(): Promise<void> {
    try {
      render(await call('getSchedule'));
    } catch (e) {
      fill(status, line('error', messageOf(e)));
    }
  }

  update();
  return {
    /** The connection changed (or became known): show the schedules; only a connected rep can change them. */
    setConnected(on: boolean): void {
      if (!on) fill(status);
      update();
      void refresh();
    },
    refresh,
  };
}
