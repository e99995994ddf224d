// The sidebar's Help: a "Help" link at the top opens a Help section at the bottom — a few lines on how
// Close Sync works, and the diagnostics (getDiagnostics) with a "Copy report" button. The add-on menu's
// Help item opens the sidebar on this panel (takeHelpRequest). Everything shown is text nodes (dom.ts):
// sheet names and Close's messages are untrusted.
import './help.css';
import { busyLine, fill, h, messageOf, section, show, statusBox } from '../dom';
import { call, type DiagnosticRow, type Diagnostics } from '../server-calls';

const LEVEL_TEXT: Record<DiagnosticRow['level'], string> = {
  ok: 'OK',
  warn: 'Check',
  error: 'Problem',
  info: 'Info',
};

function reportNodes(report: Diagnostics): HTMLElement[] {
  const head = h('p', { className: 'hint' }, `Version ${report.version} · ${report.generatedAt}`);
  const sections = report.sections.map((section) =>
    h(
      'section',
      { className: 'diag-section' },
      h('h3', {}, section.title),
      h(
        'ul',
        { className: 'diag-rows' },
        ...section.rows.map((row) =>
          h(
            'li',
            { className: `diag-row level-${row.level}` },
            h('span', { className: `diag-level level-${row.level}` }, LEVEL_TEXT[row.level]),
            h('span', { className: 'diag-label' }, row.label),
            h('span', { className: 'diag-value' }, row.value),
            row.action ? h('p', { className: 'diag-action' }, `What to do: ${row.action}`) : null,
          ),
        ),
      ),
    ),
  );
  return [head, ...sections];
}

/** Copies through the Clipboard API, else a selected text area (execCommand, or the rep's own Ctrl+C). */
async function copyText(
  text: string,
  area: HTMLTextAreaElement,
): Promise<'clipboard' | 'selected' | 'manual'> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      show(area, false);
      return 'clipboard';
    }
  } catch {
    // An Apps Script sidebar is a sandboxed frame that may not be allowed the clipboard: fall back.
  }
  area.value = text;
  show(area, true);
  area.focus();
  area.select();
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  return copied ? 'selected' : 'manual';
}

const COPIED: Record<Awaited<ReturnType<typeof copyText>>, string> = {
  clipboard: 'Copied the report to the clipboard.',
  selected: 'Copied the report (it is also below).',
  manual:
    'Your browser did not let the sidebar copy: the report is selected below — press Ctrl+C (⌘C on a Mac).',
};

export function mountHelp(app: HTMLElement): { open(): void } {
  const run = h(
    'button',
    { id: 'diagnostics-run', className: 'secondary', attrs: { type: 'button' } },
    'Run diagnostics',
  );
  const copy = h(
    'button',
    { id: 'diagnostics-copy', className: 'secondary', attrs: { type: 'button' } },
    'Copy report',
  );
  const status = statusBox('diagnostics-status');
  const results = h('div', { id: 'diagnostics', className: 'diagnostics' });
  const area = h('textarea', {
    id: 'diagnostics-text',
    className: 'diagnostics-text',
    attrs: { readonly: true, rows: 8, 'aria-label': 'Diagnostics report as text', spellcheck: 'false' },
  });
  const title = h('h2', { id: 'help-title', attrs: { tabindex: '-1' } }, 'Help');
  const panel = section(
    'help',
    title,
    h(
      'div',
      { className: 'stack' },
      h(
        'p',
        { className: 'hint' },
        'Connect with your Close API key (Close → Settings → Developer → API Keys). Pull brings leads into a sheet; edit the cells; Changes shows what a push would send; Push sends only your edits, and never over a newer change made in Close.',
      ),
      h(
        'p',
        { className: 'hint' },
        'Something not working? Run the diagnostics and send the report to whoever looks after Close Sync for your team. The report never contains your API key or lead data.',
      ),
      h('div', { className: 'buttons' }, run, copy),
      status,
      results,
      area,
    ),
  );
  const link = h(
    'button',
    {
      id: 'help-link',
      className: 'link',
      attrs: { type: 'button', 'aria-controls': 'help', 'aria-expanded': 'false' },
    },
    'Help',
  );
  app.insertBefore(h('div', { className: 'help-bar' }, link), app.firstChild);
  app.appendChild(panel);
  show(panel, false);
  show(area, false);
  copy.disabled = true;

  let report: Diagnostics | null = null;
  let running = false;

  const runDiagnostics = async () => {
    if (running) return;
    running = true;
    run.disabled = true;
    copy.disabled = true;
    fill(status, ...busyLine('Checking Google, Close and this spreadsheet…'));
    try {
      report = await call('getDiagnostics');
      fill(results, ...reportNodes(report));
      const problems = report.sections.flatMap((s) => s.rows).filter((r) => r.level === 'error').length;
      fill(
        status,
        h(
          'p',
          { className: problems ? 'error' : 'done' },
          problems
            ? `${problems} problem${problems === 1 ? '' : 's'} found: see “What to do”.`
            : 'No problems found.',
        ),
      );
    } catch (e) {
      fill(
        status,
        h(
          'p',
          { className: 'error' },
          `The diagnostics could not run: ${messageOf(e)} Reload the spreadsheet and try again.`,
        ),
      );
    } finally {
      running = false;
      run.disabled = false;
      copy.disabled = report === null;
    }
  };

  const open = () => {
    show(panel, true);
    link.setAttribute('aria-expanded', 'true');
    panel.scrollIntoView?.({ block: 'start' });
    title.focus();
  };

  link.addEventListener('click', () => {
    if (panel.hidden) open();
    else {
      show(panel, false);
      link.setAttribute('aria-expanded', 'false');
    }
  });
  run.addEventListener('click', () => void runDiagnostics());
  copy.addEventListener('click', async () => {
    if (!report) return;
    const how = await copyText(report.text, area);
    fill(status, h('p', { className: how === 'manual' ? 'error' : 'done' }, COPIED[how]));
  });

  // Opened from the menu's Help item: show the panel and run the diagnostics right away.
  call('takeHelpRequest')
    .then((asked) => {
      if (!asked) return;
      open();
      void runDiagnostics();
    })
    .catch(() => {
      // Not knowing only means the panel stays closed.
    });

  return { open };
}
