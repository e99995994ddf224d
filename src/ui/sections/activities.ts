// The Activities section: which activity types (call, email, meeting, SMS, note), which days (from / to,
// in the spreadsheet's time zone, both included), optionally only the leads of a Smart View, and the
// sheet — then pullActivities fills it (one row per activity, refreshed in place by Activity ID), and
// buildActivityReport rolls it up per user per day or week. Summaries and errors are shown like the
// Pull section's; Smart View names and Close's messages go in as text (dom.ts).
import { busyLine, fill, h, line, messageOf, plural, section, setBusy, show, statusBox } from '../dom';
import { driveJob, runJob, unfinishedJobBox } from '../jobs';
import type { ActivityPullSummary, ActivityRequest, JobOutcome, SmartView } from '../server-calls';
import { call } from '../server-calls';
import type { SidebarState } from '../sidebar-state';
import { onSmartViews, smartViews } from '../smart-views';

export const ACTIVITIES_SHEET = 'Close Activities';

/**
 * What pullActivities answers: the summary of a run, or — as a job like a lead pull — the first step's
 * outcome, continued with continueSync. Both are handled, so the section works with either server.
 */
type ActivityOutcome = ActivityPullSummary | JobOutcome<ActivityPullSummary>;

const isJobStep = (o: ActivityOutcome): o is Extract<JobOutcome<ActivityPullSummary>, { done: false }> =>
  !o.done && 'steps' in o && !('byType' in o);

/** The types pullActivities takes, in Close's order, with what the sidebar calls them. */
const TYPES = [
  { type: 'call', label: 'Calls', one: 'call', many: 'calls' },
  { type: 'email', label: 'Emails', one: 'email', many: 'emails' },
  { type: 'meeting', label: 'Meetings', one: 'meeting', many: 'meetings' },
  { type: 'sms', label: 'SMS', one: 'SMS', many: 'SMS' },
  { type: 'note', label: 'Notes', one: 'note', many: 'notes' },
] as const;

type ActivityType = (typeof TYPES)[number]['type'];

/** "12 calls, 1 email" in the order of the checkboxes (types read none of are left out). */
export function typeCounts(byType: ActivityPullSummary['byType']): string {
  return TYPES.filter((t) => (byType[t.type] ?? 0) > 0)
    .map((t) => plural(byType[t.type] ?? 0, t.one, t.many))
    .join(', ');
}

/** The summary of a finished pull: how many, of which types, into which sheet, what changed. */
export function activitySummaryNodes(summary: ActivityPullSummary): HTMLElement[] {
  const total = summary.added + summary.refreshed;
  const counts = typeCounts(summary.byType);
  const leads = summary.leads === null ? '' : ` of ${plural(summary.leads, 'lead')}`;
  return [
    h(
      'p',
      { className: 'summary-line' },
      h('strong', {}, plural(total, 'activity', 'activities')),
      counts ? ` · ${counts}` : '',
    ),
    h(
      'p',
      { className: 'hint' },
      `Into sheet “${summary.sheetName}”${leads}: ${summary.added} new, ${summary.refreshed} refreshed.`,
    ),
  ];
}

export function mountActivities(app: HTMLElement, state: SidebarState) {
  // ------------------------------------------------------------ markup
  const checks = TYPES.map((t) => {
    const input = h('input', {
      id: `activities-type-${t.type}`,
      attrs: { type: 'checkbox', name: 'activities-type', value: t.type },
    });
    input.checked = true;
    return {
      type: t.type as ActivityType,
      input,
      label: h('label', { className: 'check' }, input, h('span', {}, t.label)),
    };
  });
  const since = h('input', {
    id: 'activities-since',
    attrs: { type: 'date', 'aria-describedby': 'activities-days-help' },
  });
  const until = h('input', {
    id: 'activities-until',
    attrs: { type: 'date', 'aria-describedby': 'activities-days-help' },
  });
  const onlyView = h('input', { id: 'activities-only-view', attrs: { type: 'checkbox' } });
  const viewSelect = h('select', { id: 'activities-view' });
  const viewStatus = h('div', { id: 'activities-view-status', className: 'status' });
  const viewRow = h(
    'div',
    { className: 'sub stack', attrs: { hidden: true } },
    h(
      'label',
      { className: 'visually-hidden', attrs: { for: 'activities-view' } },
      'Smart View of the activities',
    ),
    viewSelect,
    viewStatus,
  );
  const sheet = h('input', {
    id: 'activities-sheet',
    attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false' },
  });
  sheet.value = ACTIVITIES_SHEET;
  const pullButton = h(
    'button',
    { id: 'activities-pull', className: 'primary', attrs: { type: 'button' } },
    'Pull activities',
  );
  const cancel = h(
    'button',
    { id: 'activities-cancel', className: 'secondary', attrs: { type: 'button', hidden: true } },
    'Cancel',
  );
  const status = statusBox('activities-status');
  const jobBox = h('div', { id: 'activities-job', className: 'notice', attrs: { hidden: true } });
  const summaryBox = h('div', { id: 'activities-summary', className: 'summary', attrs: { hidden: true } });
  const by = h(
    'select',
    { id: 'activities-by' },
    h('option', { attrs: { value: 'day' } }, 'Per day'),
    h('option', { attrs: { value: 'week' } }, 'Per week'),
  );
  const reportButton = h(
    'button',
    { id: 'activities-report', className: 'secondary', attrs: { type: 'button' } },
    'Build activity report',
  );
  const reportStatus = statusBox('activities-report-status');
  const root = section(
    'activities',
    'Activities',
    h(
      'div',
      { className: 'stack' },
      h(
        'p',
        { className: 'hint' },
        'Calls, emails, meetings, SMS and notes into a read-only sheet, one row per activity. Pulling again refreshes it in place; a scheduled refresh of the sheet keeps it current.',
      ),
      h(
        'fieldset',
        { id: 'activities-types', className: 'group' },
        h('legend', {}, 'Types'),
        ...checks.map((c) => c.label),
      ),
      h(
        'fieldset',
        { id: 'activities-days', className: 'group' },
        h('legend', {}, 'Days'),
        h(
          'div',
          { className: 'pull-row' },
          h('div', { className: 'stack' }, h('label', { attrs: { for: 'activities-since' } }, 'From'), since),
          h('div', { className: 'stack' }, h('label', { attrs: { for: 'activities-until' } }, 'To'), until),
        ),
        h(
          'p',
          { id: 'activities-days-help', className: 'hint' },
          "In the spreadsheet's time zone, both days included. Empty: no limit.",
        ),
      ),
      h(
        'fieldset',
        { id: 'activities-leads', className: 'group' },
        h('legend', {}, 'Leads'),
        h('label', { className: 'check' }, onlyView, h('span', {}, 'Only the leads of a Smart View')),
        viewRow,
      ),
      h(
        'div',
        { className: 'stack' },
        h('label', { attrs: { for: 'activities-sheet' } }, 'Into sheet'),
        sheet,
      ),
      h('div', { className: 'buttons' }, pullButton, cancel),
      status,
      jobBox,
      summaryBox,
      h(
        'div',
        { className: 'inline-row' },
        h(
          'label',
          { className: 'visually-hidden', attrs: { for: 'activities-by' } },
          'Activity report period',
        ),
        by,
        reportButton,
      ),
      reportStatus,
    ),
  );
  app.appendChild(root);

  // ------------------------------------------------------------ state
  let views: SmartView[] | null = null;
  let viewsLoading = false;
  let reporting = false;

  function update(): void {
    const off = state.busy() || !state.connected();
    show(cancel, state.action === 'activities');
    cancel.disabled = state.cancelRequested;
    cancel.textContent = state.cancelRequested ? 'Cancelling…' : 'Cancel';
    for (const b of Array.from(jobBox.querySelectorAll<HTMLButtonElement>('.job-action'))) b.disabled = off;
    renderJob();
    for (const el of [...checks.map((c) => c.input), since, until, onlyView, sheet]) el.disabled = off;
    pullButton.disabled = off || state.pendingJob !== null;
    viewSelect.disabled = off || viewsLoading || !views;
    by.disabled = off || reporting;
    reportButton.disabled = off || reporting;
    show(viewRow, onlyView.checked);
    setBusy(root, state.action === 'activities' || reporting);
  }

  function renderViews(): void {
    if (!views) return;
    const chosen = viewSelect.value;
    fill(
      viewSelect,
      h(
        'option',
        { attrs: { value: '' } },
        views.length ? 'Choose a Smart View…' : 'No Smart Views in Close',
      ),
      ...views.map((v) => h('option', { attrs: { value: v.id } }, v.name)),
    );
    viewSelect.value = views.some((v) => v.id === chosen) ? chosen : '';
  }

  async function loadViews(): Promise<void> {
    if (!state.connected() || viewsLoading || views) return;
    viewsLoading = true;
    fill(viewSelect, h('option', { attrs: { value: '' } }, 'Loading Smart Views…'));
    fill(viewStatus);
    update();
    try {
      views = await smartViews();
    } catch (e) {
      fill(viewStatus, line('error', messageOf(e)));
      fill(viewSelect, h('option', { attrs: { value: '' } }, 'Smart Views not loaded'));
    } finally {
      viewsLoading = false;
      renderViews();
      update();
    }
  }

  // ------------------------------------------------------------ what the form asks for

  type Problem = { error: string; focus: () => void };

  /** The days asked for (either may be left out), or the problem to fix first. */
  function days(): { since?: string; until?: string } | Problem {
    // A date input's value is '' or YYYY-MM-DD; one the browser cannot read is '' but marked bad.
    if (since.validity.badInput || until.validity.badInput)
      return {
        error: 'Type the days as dates (or leave them empty).',
        focus: () => (since.validity.badInput ? since : until).focus(),
      };
    if (since.value && until.value && since.value > until.value)
      return { error: 'The From day is after the To day: swap them.', focus: () => since.focus() };
    return { ...(since.value ? { since: since.value } : {}), ...(until.value ? { until: until.value } : {}) };
  }

  const sheetName = () => sheet.value.trim() || ACTIVITIES_SHEET;

  /** The options of the pull, or the problem to fix first (its control gets focus). */
  function request(): ActivityRequest | Problem {
    const types = checks.filter((c) => c.input.checked).map((c) => c.type);
    if (types.length === 0)
      return { error: 'Choose at least one type of activity.', focus: () => checks[0].input.focus() };
    const period = days();
    if ('error' in period) return period;
    const options: ActivityRequest = { sheetName: sheetName(), types, ...period };
    if (onlyView.checked) {
      if (!viewSelect.value)
        return {
          error: 'Choose a Smart View, or uncheck “Only the leads of a Smart View”.',
          focus: () => (views ? viewSelect.focus() : onlyView.focus()),
        };
      options.smartViewId = viewSelect.value;
    }
    return options;
  }

  async function onPull(): Promise<void> {
    if (!state.connected() || state.action) return;
    const options = request();
    if ('error' in options) {
      fill(status, line('error', options.error));
      options.focus();
      return;
    }
    await pullWith(() => call('pullActivities', options) as Promise<ActivityOutcome>);
  }

  function pullWith(start: () => Promise<ActivityOutcome | null>): Promise<void> {
    return runJob<ActivityPullSummary>(
      state,
      'activities',
      { button: pullButton, busyLabel: 'Pulling…', idleLabel: 'Pull activities', status, summaryBox },
      {
        progress: ['pull', 'activities'],
        starting: 'Starting the activities pull…',
        noun: 'activities pull',
        cancelled: 'What it wrote stays in the sheet.',
        drive: async (note) => {
          const first = await start();
          // A job: its next steps, until done (or cancelled here, or finished or cancelled elsewhere).
          if (!first) return { stopped: 'gone' };
          return isJobStep(first)
            ? driveJob<ActivityPullSummary>(state, async () => first, note)
            : (first as ActivityPullSummary);
        },
        summary: (summary) => {
          const nodes = activitySummaryNodes(summary);
          // Time ran out before every type was read: the server says how to go on.
          if (!summary.done) nodes.push(h('div', { className: 'notice' }, h('p', {}, summary.message)));
          return nodes;
        },
      },
    );
  }

  const renderJob = unfinishedJobBox(jobBox, 'activities', state, {
    status,
    continueJob: () => void pullWith(() => call('continueSync') as Promise<ActivityOutcome | null>),
    cancelled: () => pullButton.focus(),
  });

  async function onReport(): Promise<void> {
    if (reporting || state.action) return;
    const period = days();
    if ('error' in period) {
      fill(reportStatus, line('error', period.error));
      period.focus();
      return;
    }
    reporting = true;
    update();
    reportButton.textContent = 'Building…';
    fill(reportStatus, ...busyLine('Building the activity report…'));
    try {
      const summary = await call('buildActivityReport', {
        sheetName: sheetName(),
        ...period,
        by: by.value === 'week' ? 'week' : 'day',
      });
      fill(reportStatus, line('done', summary.message));
    } catch (e) {
      fill(reportStatus, line('error', messageOf(e)));
      void state.recheck(e);
    } finally {
      reporting = false;
      reportButton.textContent = 'Build activity report';
      update();
    }
  }

  // ------------------------------------------------------------ events

  pullButton.addEventListener('click', () => void onPull());
  cancel.addEventListener('click', () => state.requestCancel());
  reportButton.addEventListener('click', () => void onReport());
  onlyView.addEventListener('change', () => {
    update();
    if (onlyView.checked) void loadViews();
  });
  onSmartViews((list) => {
    if (views) {
      views = list;
      renderViews();
    }
  });
  state.onConnection((on) => {
    if (!on) {
      views = null;
      fill(status);
      fill(reportStatus);
      fill(summaryBox);
      show(summaryBox, false);
    } else if (onlyView.checked) void loadViews();
  });
  state.onChange(update);
  update();
}
