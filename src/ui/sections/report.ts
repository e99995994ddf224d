// The sidebar's "Build report" button: builds or refreshes the `Close Report` sheet from the pulled data.
import { fill, h } from '../dom';
import { call } from '../server-calls';

export function mountReport(parent: HTMLElement, host: { connected(): boolean }) {
  const build = h(
    'button',
    { id: 'report-build', className: 'secondary', attrs: { type: 'button' } },
    'Build report',
  );
  const status = h('div', {
    id: 'report-status',
    className: 'status',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  parent.appendChild(
    h(
      'section',
      { id: 'report', className: 'block', attrs: { 'aria-labelledby': 'report-title' } },
      h('h2', { id: 'report-title' }, 'Pipeline report'),
      h(
        'p',
        { className: 'hint' },
        'Builds the “Close Report” sheet from the pulled leads: leads by status, opportunity value by status and by owner, choice fields, with charts. A scheduled refresh keeps it current.',
      ),
      h('div', { className: 'buttons' }, build),
      status,
    ),
  );
  let busy = false;
  const update = () => {
    build.disabled = busy || !host.connected();
  };
  build.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    update();
    build.textContent = 'Building…';
    fill(
      status,
      h('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      h('span', {}, 'Building the report…'),
    );
    try {
      const summary = await call('buildReport', {});
      fill(status, h('p', { className: 'done' }, summary.message));
    } catch (e) {
      fill(status, h('p', { className: 'error' }, e instanceof Error ? e.message : String(e)));
    } finally {
      busy = false;
      build.textContent = 'Build report';
      update();
    }
  });
  update();
  return {
    setConnected(on: boolean): void {
      if (!on) fill(status);
      update();
    },
  };
}
