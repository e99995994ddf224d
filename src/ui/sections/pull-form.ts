// The Pull section's form: what to pull (leads, contacts, opportunities) into which sheet, which leads
// (pull-source.ts) and which fields (pull-fields.ts). Naming a sheet that has a saved definition
// preselects its choices, with a one-line summary of what a refresh re-runs; the rep's own choices made
// while that definition was on its way win over it.
//
// Loads are lazy: the Smart Views only when the rep picks "Smart View" (or the sheet's definition has
// one), the fields only when "All fields" is unchecked. Each list is fetched once (a Refresh / Try again
// fetches it again), so at most a couple of calls are in flight for this form.
import './pull-form.css';
import { fill, h, messageOf, plural, show } from '../dom';
import {
  call,
  type JobOutcome,
  type ObjectKind,
  type PullDefinition,
  type PullRequestOptions,
  type PullSummary,
} from '../server-calls';
import { isKind, KIND_ORDER, KINDS, type SheetRegistry } from '../sheet-registry';
import { createFieldsChooser } from './pull-fields';
import { createLeadSourcePicker } from './pull-source';

/** A pull the form asks for, ready to start. */
export interface PullPlan {
  kind: ObjectKind;
  sheetName: string;
  options: PullRequestOptions;
}

export interface PullForm {
  /** What the form asks for, or the problem to fix first (the offending control gets focus). */
  plan(): PullPlan | { error: string; focus: () => void };
  /** Starts a pull (the first step; the Pull section drives the rest with continueSync). */
  start(plan: PullPlan, discardEdits: boolean): Promise<JobOutcome<PullSummary>>;
  /** A pull finished into this sheet: remember it and show its (new) saved definition. */
  pulled(plan: PullPlan, sheetName: string): void;
  setConnected(on: boolean): void;
  setDisabled(disabled: boolean): void;
}

const LOOKUP_DELAY_MS = 400;

/** A query, shortened for the one-line summary. */
function shortQuery(query: string): string {
  const one = query.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

export function mountPullForm(container: HTMLElement, sheets: SheetRegistry): PullForm {
  // ------------------------------------------------------------ state
  let kind: ObjectKind = 'lead';
  let connected = false;
  let disabled = true;
  /** The sheet whose saved definition is shown, and that definition. */
  let known: { sheet: string; def: PullDefinition | null } | null = null;
  let lookupSeq = 0;
  /** The sheet a lookup is on its way for (a second one for it is not sent). */
  let asking: string | null = null;
  let lookupTimer = 0 as ReturnType<typeof setTimeout> | 0;
  /** Counts the rep's changes: a saved definition read meanwhile does not override them. */
  let touched = 0;
  const touch = () => {
    touched++;
  };

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
  const sheetName = () => sheet.value.trim() || KINDS[kind].sheet;
  const source = createLeadSourcePicker(touch, () => renderSaved());
  const fields = createFieldsChooser({
    kind: () => kind,
    sheetName,
    savedFields: () =>
      known?.sheet === sheetName() && known.def?.kind === kind ? known.def.fields : undefined,
    touched: touch,
  });

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
    source.element,
    fields.element,
  );

  function renderSheets(): void {
    fill(sheetList, ...sheets.list().map((name) => h('option', { attrs: { value: name } })));
  }
  sheets.onChange(renderSheets);
  renderSheets();

  function update(): void {
    const on = !disabled && connected;
    what.disabled = !on;
    sheet.disabled = !on;
    source.setEnabled(on);
    fields.setEnabled(on);
    source.setHint(kind === 'lead' ? '' : `The ${KINDS[kind].nouns} of these leads, one row each.`);
  }

  // ------------------------------------------------------------ the saved definition

  function describe(def: PullDefinition): string {
    const s = def.source;
    let what: string;
    if (s.type === 'smart_view') {
      const name = source.viewName(s.id) ?? s.name;
      what = name ? `Smart View “${name}”` : 'a Smart View';
    } else if (s.type === 'query') what = `query “${shortQuery(s.query)}”`;
    else what = 'all leads';
    if (isKind(def.kind) && def.kind !== 'lead') what = `${KINDS[def.kind].nouns} of ${what}`;
    const chosen = def.fields ? plural(def.fields.length, 'field') : 'all fields';
    return `Refresh re-runs: ${what}, ${chosen}.`;
  }

  function renderSaved(): void {
    if (!known) saved.textContent = '';
    else if (known.def) saved.textContent = describe(known.def);
    else saved.textContent = `No pull saved for “${known.sheet}” yet: Pull remembers this choice for it.`;
    show(saved, saved.textContent !== '');
  }

  /** Preselects a saved definition's kind, source and fields. */
  function applyDefinition(def: PullDefinition): void {
    if (isKind(def.kind) && def.kind !== kind) setKind(def.kind, true);
    source.apply(def.source);
    fields.apply(def.fields);
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

  // ------------------------------------------------------------ kind

  /** `fromDefinition`: a saved definition's kind (its sheet stays, its fields follow). */
  function setKind(next: ObjectKind, fromDefinition: boolean): void {
    if (next === kind) return;
    const current = sheet.value.trim();
    const holds = sheets.kindOf(current) ?? (known?.sheet === current ? known.def?.kind : undefined);
    kind = next;
    what.value = next;
    fields.kindChanged(!fromDefinition);
    if (!fromDefinition && (current === '' || (holds !== undefined && holds !== next))) {
      sheet.value = KINDS[next].sheet;
      void lookup();
    }
    update();
  }

  what.addEventListener('change', () => {
    touch();
    if (isKind(what.value)) setKind(what.value, false);
  });
  sheet.addEventListener('input', lookupSoon);
  sheet.addEventListener('change', () => void lookup());
  update();

  // ------------------------------------------------------------ the form's answer

  return {
    plan() {
      const name = sheetName();
      const leads = source.options();
      if ('error' in leads) return leads;
      const chosen = fields.options();
      if ('error' in chosen) return chosen;
      const options: PullRequestOptions = { sheetName: name, ...leads, ...chosen };
      // All leads and every field, said explicitly: a sheet that pulled a Smart View, a query or some
      // fields before goes back to everything (omitting both would re-run its saved definition).
      if (source.type() === 'all' && fields.all()) options.query = '';
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
      source.setConnected(on, was);
      fields.setConnected(on, was);
      if (!on && was) {
        known = null;
        asking = null;
        lookupSeq++;
        renderSaved();
      }
      if (on && !was) void lookup(true);
      update();
    },
    setDisabled(d) {
      disabled = d;
      update();
    },
  };
}
