// The sidebar's "Build report" button: builds or refreshes the `Close Report` sheet from the pulled data.
import { busyLine, fill, h, line, messageOf, section, statusBox } from '../dom';
import { call } from '../server-calls';

export function mountReport(parent: HTMLElement, host: { connected(): boolean }) {
  const build = h(
    'button',
    { id: 'report-build', className: 'secondary', attrs: { type: 'button' } },
    'Build report',
  );
  const status = statusBox('report-status');
  parent.appendChild(
    section(
      'report',
      'Pipeline report',
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
    fill(status, ...busyLine('Building the report…'));
    try {
      const summary = await call('buildReport', {});
      fill(status, line('done', summary.message));
    } catch (e) {
      fill(status, line('error', messageOf(e)));
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
