// The Pull form's "Which leads": all leads, a Smart View (the organization's list, loaded when first
// needed: smart-views.ts), or a query (search-bar syntax, or JSON copied from Close's filters). Smart
// View names come from Close (untrusted): they go in as text only.
import { fill, h, line, messageOf, show } from '../dom';
import type { PullDefinition, SmartView } from '../server-calls';
import { smartViews } from '../smart-views';

type SourceType = PullDefinition['source']['type'];

export interface LeadSourcePicker {
  element: HTMLElement;
  type(): SourceType;
  /** Preselects a saved definition's source (its Smart View is selected once the list is there). */
  apply(source: PullDefinition['source']): void;
  /** What the pull is given for the source chosen, or the problem to fix first. */
  options(): { smartViewId?: string; query?: string } | { error: string; focus: () => void };
  /** A Smart View's name, once the list is loaded. */
  viewName(id: string): string | null;
  /** The hint over the choices ("The contacts of these leads, one row each"), or none for leads. */
  setHint(text: string): void;
  setEnabled(on: boolean): void;
  setConnected(on: boolean, was: boolean): void;
}

/**
 * `touched`: the rep changed a choice (a saved definition read meanwhile must not override it);
 * `viewsLoaded`: the Smart View list came (the saved definition's line can name its view).
 */
export function createLeadSourcePicker(touched: () => void, viewsLoaded: () => void): LeadSourcePicker {
  const radio = (value: SourceType, text: string) => {
    const input = h('input', {
      id: `pull-source-${value.replace('_', '-')}`,
      attrs: { type: 'radio', name: 'pull-source', value },
    });
    return { input, label: h('label', { className: 'check' }, input, h('span', {}, text)) };
  };
  const all = radio('all', 'All leads');
  const smart = radio('smart_view', 'Smart View');
  const query = radio('query', 'Query');
  all.input.checked = true;

  const viewSelect = h('select', { id: 'pull-view' });
  const viewRefresh = h(
    'button',
    {
      id: 'pull-view-refresh',
      className: 'secondary small',
      attrs: { type: 'button', 'aria-label': 'Refresh the Smart View list' },
    },
    'Refresh',
  );
  const viewStatus = h('div', { id: 'pull-view-status', className: 'status' });
  const viewRow = h(
    'div',
    { className: 'sub stack', attrs: { hidden: true } },
    h('label', { className: 'visually-hidden', attrs: { for: 'pull-view' } }, 'Which Smart View'),
    h('div', { className: 'inline-row' }, viewSelect, viewRefresh),
    viewStatus,
  );
  const queryText = h('textarea', {
    id: 'pull-query',
    attrs: { rows: 3, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'pull-query-help' },
  });
  const queryRow = h(
    'div',
    { className: 'sub stack', attrs: { hidden: true } },
    h('label', { className: 'visually-hidden', attrs: { for: 'pull-query' } }, 'Search query'),
    queryText,
    h(
      'p',
      { id: 'pull-query-help', className: 'hint' },
      'Search-bar syntax like ',
      h('code', {}, 'status:"Potential"'),
      ", or JSON copied from Close's filters.",
    ),
  );
  const hint = h('p', { className: 'hint', attrs: { hidden: true } });
  const element = h(
    'fieldset',
    { id: 'pull-source', className: 'group' },
    h('legend', {}, 'Which leads'),
    hint,
    all.label,
    smart.label,
    viewRow,
    query.label,
    queryRow,
  );

  let enabled = false;
  let connected = false;
  let views: SmartView[] | null = null;
  let loading = false;
  /** A Smart View to select once the list is there (from the sheet's definition). */
  let wanted: string | null = null;

  function update(): void {
    for (const el of [all.input, smart.input, query.input, queryText]) el.disabled = !enabled;
    viewSelect.disabled = !enabled || loading || !views;
    viewRefresh.disabled = !enabled || loading;
    show(viewRow, smart.input.checked);
    show(queryRow, query.input.checked);
  }

  /** The Smart View options, the wanted one selected (kept even when Close no longer lists it). */
  function renderViews(): void {
    if (!views) return;
    const options = [
      h(
        'option',
        { attrs: { value: '' } },
        views.length ? 'Choose a Smart View…' : 'No Smart Views in Close',
      ),
      ...views.map((v) => h('option', { attrs: { value: v.id } }, v.name)),
    ];
    if (wanted && !views.some((v) => v.id === wanted))
      options.push(h('option', { attrs: { value: wanted } }, 'A Smart View Close no longer lists'));
    fill(viewSelect, ...options);
    viewSelect.value = wanted ?? '';
  }

  async function loadViews(force: boolean): Promise<void> {
    if (!connected || loading || (views && !force)) return;
    loading = true;
    fill(viewSelect, h('option', { attrs: { value: '' } }, 'Loading Smart Views…'));
    fill(viewStatus);
    update();
    try {
      views = await smartViews(force);
    } catch (e) {
      fill(viewStatus, line('error', messageOf(e)));
      if (!views) fill(viewSelect, h('option', { attrs: { value: '' } }, 'Smart Views not loaded'));
    } finally {
      loading = false;
      renderViews();
      update();
      viewsLoaded();
    }
  }

  for (const r of [all, smart, query])
    r.input.addEventListener('change', () => {
      touched();
      update();
      if (smart.input.checked) void loadViews(false);
    });
  viewSelect.addEventListener('change', () => {
    touched();
    wanted = viewSelect.value || null;
  });
  viewRefresh.addEventListener('click', () => void loadViews(true));
  queryText.addEventListener('input', touched);
  update();

  return {
    element,
    type: () => (smart.input.checked ? 'smart_view' : query.input.checked ? 'query' : 'all'),
    apply(source) {
      all.input.checked = source.type === 'all';
      smart.input.checked = source.type === 'smart_view';
      query.input.checked = source.type === 'query';
      if (source.type === 'smart_view') {
        wanted = source.id;
        renderViews();
        void loadViews(false);
      }
      if (source.type === 'query') queryText.value = source.query;
      update();
    },
    options() {
      if (smart.input.checked) {
        const id = viewSelect.value || wanted || '';
        if (!id)
          return {
            error: 'Choose a Smart View to pull, or pick All leads.',
            focus: () => (views ? viewSelect.focus() : smart.input.focus()),
          };
        return { smartViewId: id };
      }
      if (query.input.checked) {
        const q = queryText.value.trim();
        if (!q) return { error: 'Type a query to pull, or pick All leads.', focus: () => queryText.focus() };
        return { query: q };
      }
      return {};
    },
    viewName: (id) => views?.find((v) => v.id === id)?.name ?? null,
    setHint(text) {
      hint.textContent = text;
      show(hint, text !== '');
    },
    setEnabled(on) {
      enabled = on;
      update();
    },
    setConnected(on, was) {
      connected = on;
      // Another key may be another organization: its Smart Views are fetched again.
      if (!on && was) views = null;
      if (on && !was && smart.input.checked) void loadViews(false);
      update();
    },
  };
}
