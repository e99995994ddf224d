// The Pull section's form: what to pull (leads, contacts, opportunities) into which sheet, which leads
// (all, a Smart View, a query) and which fields. A sheet's saved definition is preselected, with a
// one-line summary of what a refresh re-runs.
//
// Loads are lazy: the Smart Views only when the rep picks "Smart View" (or the sheet's definition
// has one), the fields only when "All fields" is unchecked. Each list is fetched once (a Refresh / Try
// again fetches it again), so at most a couple of calls are in flight for this form.
import './pull-form.css';
import { fill, h, plural, show } from '../dom';
import { smartViews } from '../smart-views';
import { createFieldPicker } from './pull-field-picker';
import {
  call,
  type FieldGroups,
  type JobOutcome,
  type ObjectKind,
  type PullDefinition,
  type PullRequestOptions,
  type PullSummary,
  type SmartView,
} from '../server-calls';
import { isKind, KIND_ORDER, KINDS, type SheetRegistry } from '../sheet-registry';

type SourceType = 'all' | 'smart_view' | 'query';

/** A pull the form asks for, ready to start. */
export interface PullPlan {
  kind: ObjectKind;
  sheetName: string;
  options: PullRequestOptions;
}

export interface PullForm {
  /** What the form asks for, or the problem to fix first (the offending control gets focus). */
  plan(): PullPlan | { error: string; focus: () => void };
  /** Starts a pull (the first step; the sidebar drives the rest with continueSync). */
  start(plan: PullPlan, discardEdits: boolean): Promise<JobOutcome<PullSummary>>;
  /** A pull finished into this sheet: remember it and show its (new) saved definition. */
  pulled(plan: PullPlan, sheetName: string): void;
  setConnected(on: boolean): void;
  setDisabled(disabled: boolean): void;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const LOOKUP_DELAY_MS = 400;

/** A query, shortened for the one-line summary. */
function shortQuery(query: string): string {
  const one = query.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

export function mountPullForm(container: HTMLElement, sheets: SheetRegistry): PullForm {
  // ------------------------------------------------------------ markup
  const what = h(
    'select',
    { id: 'pull-what' },
    ...KIND_ORDER.map((k) => h('option', { attrs: { value: k } }, KINDS[k].label)),
  );
  const sheetList = h('datalist', { id: 'pull-sheets' });
  const sheet = h('input', {
    id: 'pull-sheet',
    attrs: { type: 'text', list: 'pull-sheets', autocomplete: 'off', spellcheck: 'false' },
  });
  sheet.value = KINDS.lead.sheet;
  const saved = h('p', {
    id: 'pull-definition',
    className: 'hint definition-line',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });

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
  const sourceHint = h('p', { className: 'hint', attrs: { hidden: true } });

  const allFields = h('input', { id: 'pull-all-fields', attrs: { type: 'checkbox' } });
  allFields.checked = true;
  const fieldsNote = h('p', { className: 'hint', attrs: { hidden: true } });
  let touched = 0;
  const picker = createFieldPicker('pull-field', () => {
    touched++;
  });
  show(picker.element, false);

  fill(
    container,
    h(
      'div',
      { className: 'pull-row' },
      h('div', { className: 'stack' }, h('label', { attrs: { for: 'pull-what' } }, 'What'), what),
      h(
        'div',
        { className: 'stack' },
        h('label', { attrs: { for: 'pull-sheet' } }, 'Sheet'),
        sheet,
        sheetList,
      ),
    ),
    saved,
    h(
      'fieldset',
      { id: 'pull-source', className: 'group' },
      h('legend', {}, 'Which leads'),
      sourceHint,
      all.label,
      smart.label,
      viewRow,
      query.label,
      queryRow,
    ),
    h(
      'fieldset',
      { id: 'pull-fields', className: 'group' },
      h('legend', {}, 'Fields'),
      h('label', { className: 'check' }, allFields, h('span', {}, 'All fields')),
      fieldsNote,
      picker.element,
    ),
  );

  // ------------------------------------------------------------ state
  let kind: ObjectKind = 'lead';
  let connected = false;
  let disabled = true;
  let views: SmartView[] | null = null;
  let viewsLoading = false;
  /** A Smart View to select once the list is there (from the sheet's definition). */
  let wantedView: string | null = null;
  /** Each kind's fields, and the sheet whose remembered choice came with them. */
  const fieldGroups = new Map<ObjectKind, { groups: FieldGroups; sheet: string }>();
  let fieldsLoading: ObjectKind | null = null;
  let pickerKind: ObjectKind | null = null;
  /** The sheet whose saved definition is shown, and that definition. */
  let known: { sheet: string; def: PullDefinition | null } | null = null;
  let lookupSeq = 0;
  /** The sheet a lookup is on its way for (a second one for it is not sent). */
  let asking: string | null = null;
  let lookupTimer = 0 as ReturnType<typeof setTimeout> | 0;

  const source = (): SourceType =>
    smart.input.checked ? 'smart_view' : query.input.checked ? 'query' : 'all';
  const sheetName = () => sheet.value.trim() || KINDS[kind].sheet;

  function renderSheets(): void {
    fill(sheetList, ...sheets.list().map((name) => h('option', { attrs: { value: name } })));
  }
  sheets.onChange(renderSheets);
  renderSheets();

  function update(): void {
    const off = disabled || !connected;
    for (const el of [what, sheet, all.input, smart.input, query.input, queryText, allFields])
      el.disabled = off;
    viewSelect.disabled = off || viewsLoading || !views;
    viewRefresh.disabled = off || viewsLoading;
    picker.setDisabled(off || fieldsLoading !== null);
    show(viewRow, smart.input.checked);
    show(queryRow, query.input.checked);
    show(picker.element, !allFields.checked);
    const nouns = KINDS[kind].nouns;
    sourceHint.textContent = kind === 'lead' ? '' : `The ${nouns} of these leads, one row each.`;
    show(sourceHint, kind !== 'lead');
  }

  // ------------------------------------------------------------ the saved definition

  function viewName(id: string): string | null {
    return views?.find((v) => v.id === id)?.name ?? null;
  }

  function describe(def: PullDefinition): string {
    const s = def.source;
    let what: string;
    if (s.type === 'smart_view') {
      const name = viewName(s.id) ?? s.name;
      what = name ? `Smart View “${name}”` : 'a Smart View';
    } else if (s.type === 'query') what = `query “${shortQuery(s.query)}”`;
    else what = 'all leads';
    if (isKind(def.kind) && def.kind !== 'lead') what = `${KINDS[def.kind].nouns} of ${what}`;
    const fields = def.fields ? plural(def.fields.length, 'field') : 'all fields';
    return `Refresh re-runs: ${what}, ${fields}.`;
  }

  function renderSaved(): void {
    if (!known) saved.textContent = '';
    else if (known.def) saved.textContent = describe(known.def);
    else saved.textContent = `No pull saved for “${known.sheet}” yet: Pull remembers this choice for it.`;
    show(saved, saved.textContent !== '');
  }

  /** Preselects a saved definition's kind, source and fields. */
  function applyDefinition(def: PullDefinition): void {
    allFields.checked = !def.fields;
    if (isKind(def.kind) && def.kind !== kind) setKind(def.kind, true);
    const s = def.source;
    all.input.checked = s.type === 'all';
    smart.input.checked = s.type === 'smart_view';
    query.input.checked = s.type === 'query';
    if (s.type === 'smart_view') {
      wantedView = s.id;
      renderViews();
      void loadViews(false);
    }
    if (s.type === 'query') queryText.value = s.query;
    if (def.fields) {
      chooseFields(def.fields);
      void loadFields();
    } else chooseFields([]);
    update();
  }

  /** Asks for the saved definition of the sheet named now (the latest answer wins). */
  async function lookup(force = false): Promise<void> {
    clearTimeout(lookupTimer);
    if (!connected) return;
    const name = sheetName();
    if (!force && (known?.sheet === name || asking === name)) return;
    const seq = ++lookupSeq;
    asking = name;
    const touchedBefore = touched;
    known = null;
    renderSaved();
    let def: PullDefinition | null;
    try {
      def = await call('getPullDefinition', name);
    } catch (e) {
      if (seq !== lookupSeq) return;
      asking = null;
      saved.textContent = `Could not read the saved pull of “${name}”: ${messageOf(e)}`;
      show(saved, true);
      return;
    }
    if (seq !== lookupSeq) return;
    asking = null;
    known = { sheet: name, def };
    if (def && isKind(def.kind)) sheets.add(name, def.kind);
    // The rep's own choices made while this was on its way win over the saved ones.
    if (def && touched === touchedBefore) applyDefinition(def);
    renderSaved();
  }

  function lookupSoon(): void {
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(() => void lookup(), LOOKUP_DELAY_MS);
  }

  // ------------------------------------------------------------ Smart Views

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
    if (wantedView && !views.some((v) => v.id === wantedView))
      options.push(h('option', { attrs: { value: wantedView } }, 'A Smart View Close no longer lists'));
    fill(viewSelect, ...options);
    viewSelect.value = wantedView ?? '';
  }

  async function loadViews(force: boolean): Promise<void> {
    if (!connected || viewsLoading || (views && !force)) return;
    viewsLoading = true;
    fill(viewSelect, h('option', { attrs: { value: '' } }, 'Loading Smart Views…'));
    fill(viewStatus);
    update();
    try {
      views = await smartViews(force);
    } catch (e) {
      fill(viewStatus, h('p', { className: 'error' }, messageOf(e)));
      if (!views) fill(viewSelect, h('option', { attrs: { value: '' } }, 'Smart Views not loaded'));
    } finally {
      viewsLoading = false;
      renderViews();
      update();
      renderSaved();
    }
  }

  // ------------------------------------------------------------ fields

  /** Checks these fields; once the fields are there, names that match none are listed. */
  function chooseFields(wanted: string[]): void {
    const unknown = picker.choose(wanted);
    fieldsNote.textContent = unknown.length ? `Not in Close any more, left out: ${unknown.join(', ')}.` : '';
    show(fieldsNote, unknown.length > 0);
  }

  function showFields(groups: FieldGroups, chosenFor: string): void {
    const before = picker.chosen();
    picker.setGroups(groups);
    pickerKind = groups.kind;
    // The rep's choice so far, else the sheet's remembered choice (matched by key or by name).
    const remembered =
      known?.sheet === sheetName() && known.def?.kind === kind
        ? known.def.fields
        : chosenFor === sheetName()
          ? groups.chosen
          : null;
    chooseFields(before.length ? before : (remembered ?? []));
  }

  async function loadFields(): Promise<void> {
    if (!connected || allFields.checked) return;
    const cached = fieldGroups.get(kind);
    if (cached) {
      if (pickerKind !== kind || !picker.loaded()) showFields(cached.groups, cached.sheet);
      return;
    }
    if (fieldsLoading === kind) return;
    const asked = kind;
    fieldsLoading = asked;
    picker.setLoading('Loading fields from Close…');
    update();
    try {
      const forSheet = sheetName();
      const groups = await call('listFields', asked, forSheet);
      fieldGroups.set(asked, { groups, sheet: forSheet });
      if (kind === asked) showFields(groups, forSheet);
    } catch (e) {
      if (kind === asked) picker.setError(messageOf(e), () => void loadFields());
    } finally {
      if (fieldsLoading === asked) fieldsLoading = null;
      update();
    }
    // The kind changed while loading: load the new one.
    if (kind !== asked) void loadFields();
  }

  // ------------------------------------------------------------ kind

  function setKind(next: ObjectKind, keepSheet: boolean): void {
    if (next === kind) return;
    const current = sheet.value.trim();
    const holds = sheets.kindOf(current) ?? (known?.sheet === current ? known.def?.kind : undefined);
    kind = next;
    what.value = next;
    picker.reset();
    pickerKind = null;
    fieldsNote.textContent = '';
    show(fieldsNote, false);
    if (!keepSheet && (current === '' || (holds !== undefined && holds !== next))) {
      sheet.value = KINDS[next].sheet;
      void lookup();
    }
    if (!allFields.checked) void loadFields();
    update();
  }

  // ------------------------------------------------------------ events

  what.addEventListener('change', () => {
    touched++;
    if (isKind(what.value)) setKind(what.value, false);
  });
  sheet.addEventListener('input', lookupSoon);
  sheet.addEventListener('change', () => void lookup());
  for (const r of [all, smart, query])
    r.input.addEventListener('change', () => {
      touched++;
      update();
      if (smart.input.checked) void loadViews(false);
    });
  viewSelect.addEventListener('change', () => {
    touched++;
    wantedView = viewSelect.value || null;
  });
  viewRefresh.addEventListener('click', () => void loadViews(true));
  queryText.addEventListener('input', () => {
    touched++;
  });
  allFields.addEventListener('change', () => {
    touched++;
    update();
    if (!allFields.checked) {
      void loadFields();
      picker.focus();
    }
  });

  update();

  // ------------------------------------------------------------ the form's answer

  return {
    plan() {
      const name = sheetName();
      const options: PullRequestOptions = { sheetName: name };
      const src = source();
      if (src === 'smart_view') {
        const id = viewSelect.value || wantedView || '';
        if (!id)
          return {
            error: 'Choose a Smart View to pull, or pick All leads.',
            focus: () => (views ? viewSelect.focus() : smart.input.focus()),
          };
        options.smartViewId = id;
      } else if (src === 'query') {
        const q = queryText.value.trim();
        if (!q) return { error: 'Type a query to pull, or pick All leads.', focus: () => queryText.focus() };
        options.query = q;
      }
      if (!allFields.checked) {
        const chosen = picker.chosen();
        if (chosen.length === 0)
          return {
            error: 'Choose at least one field, or check All fields.',
            focus: () => (picker.loaded() ? picker.focus() : allFields.focus()),
          };
        options.fields = chosen;
      }
      // All leads and every field, said explicitly: a sheet that pulled a Smart View, a query or some
      // fields before goes back to everything (omitting both would re-run its saved definition).
      if (src === 'all' && allFields.checked) options.query = '';
      return { kind, sheetName: name, options };
    },
    start(plan, discardEdits) {
      const options = discardEdits ? { ...plan.options, discardEdits: true } : plan.options;
      if (plan.kind === 'contact') return call('pullContacts', options);
      if (plan.kind === 'opportunity') return call('pullOpportunities', options);
      return call('pullLeads', options);
    },
    pulled(plan, name) {
      sheets.add(name, plan.kind);
      if (sheetName() === name) void lookup(true);
    },
    setConnected(on) {
      const was = connected;
      connected = on;
      update();
      if (!on && was) {
        // Another key may be another organization: its Smart Views and fields are fetched again.
        views = null;
        fieldGroups.clear();
        picker.reset();
        pickerKind = null;
        known = null;
        asking = null;
        lookupSeq++;
        renderSaved();
      }
      if (on && !was) {
        void lookup(true);
        if (smart.input.checked) void loadViews(false);
        if (!allFields.checked) void loadFields();
      }
    },
    setDisabled(d) {
      disabled = d;
      update();
    },
  };
}
