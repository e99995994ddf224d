// The Pull form's "Fields": every field, or the ones ticked in the picker (pull-field-picker.ts), loaded
// per kind of object when "All fields" is first unchecked and kept for the session. A sheet's remembered
// choice is ticked; names that no longer match a field are listed as left out.
import { h, show } from '../dom';
import { call, type FieldGroups, type ObjectKind } from '../server-calls';
import { createFieldPicker } from './pull-field-picker';

export interface FieldsContext {
  kind(): ObjectKind;
  sheetName(): string;
  /** The fields the sheet's saved definition chose, when it is this sheet's and kind's (else undefined). */
  savedFields(): string[] | null | undefined;
  /** The rep changed a choice. */
  touched(): void;
}

export interface FieldsChooser {
  element: HTMLElement;
  /** "All fields" is checked. */
  all(): boolean;
  /** Preselects a saved choice (null: every field). */
  apply(fields: string[] | null): void;
  /** Another kind of object: its own fields (loaded now unless `load` is false: a saved choice follows). */
  kindChanged(load?: boolean): void;
  /** The chosen field keys (undefined: every field), or the problem to fix first. */
  options(): { fields?: string[] } | { error: string; focus: () => void };
  setEnabled(on: boolean): void;
  setConnected(on: boolean, was: boolean): void;
}

export function createFieldsChooser(ctx: FieldsContext): FieldsChooser {
  const allFields = h('input', { id: 'pull-all-fields', attrs: { type: 'checkbox' } });
  allFields.checked = true;
  const note = h('p', { className: 'hint', attrs: { hidden: true } });
  const picker = createFieldPicker('pull-field', ctx.touched);
  show(picker.element, false);
  const element = h(
    'fieldset',
    { id: 'pull-fields', className: 'group' },
    h('legend', {}, 'Fields'),
    h('label', { className: 'check' }, allFields, h('span', {}, 'All fields')),
    note,
    picker.element,
  );

  let enabled = false;
  let connected = false;
  /** Each kind's fields, and the sheet whose remembered choice came with them. */
  const fieldGroups = new Map<ObjectKind, { groups: FieldGroups; sheet: string }>();
  let loading: ObjectKind | null = null;
  let pickerKind: ObjectKind | null = null;

  function update(): void {
    allFields.disabled = !enabled;
    picker.setDisabled(!enabled || loading !== null);
    show(picker.element, !allFields.checked);
  }

  /** Checks these fields; once the fields are there, names that match none are listed. */
  function choose(wanted: string[]): void {
    const unknown = picker.choose(wanted);
    note.textContent = unknown.length ? `Not in Close any more, left out: ${unknown.join(', ')}.` : '';
    show(note, unknown.length > 0);
  }

  function showGroups(groups: FieldGroups, chosenFor: string): void {
    const before = picker.chosen();
    picker.setGroups(groups);
    pickerKind = groups.kind;
    // The rep's choice so far, else the sheet's remembered choice (matched by key or by name).
    const saved = ctx.savedFields();
    const remembered = saved !== undefined ? saved : chosenFor === ctx.sheetName() ? groups.chosen : null;
    choose(before.length ? before : (remembered ?? []));
  }

  async function load(): Promise<void> {
    if (!connected || allFields.checked) return;
    const kind = ctx.kind();
    const cached = fieldGroups.get(kind);
    if (cached) {
      if (pickerKind !== kind || !picker.loaded()) showGroups(cached.groups, cached.sheet);
      return;
    }
    if (loading === kind) return;
    loading = kind;
    picker.setLoading('Loading fields from Close…');
    update();
    try {
      const forSheet = ctx.sheetName();
      const groups = await call('listFields', kind, forSheet);
      fieldGroups.set(kind, { groups, sheet: forSheet });
      if (ctx.kind() === kind) showGroups(groups, forSheet);
    } catch (e) {
      if (ctx.kind() === kind) picker.setError(e instanceof Error ? e.message : String(e), () => void load());
    } finally {
      if (loading === kind) loading = null;
      update();
    }
    // The kind changed while loading: load the new one.
    if (ctx.kind() !== kind) void load();
  }

  allFields.addEventListener('change', () => {
    ctx.touched();
    update();
    if (!allFields.checked) {
      void load();
      picker.focus();
    }
  });
  update();

  return {
    element,
    all: () => allFields.checked,
    apply(fields) {
      allFields.checked = !fields;
      if (fields) {
        choose(fields);
        void load();
      } else choose([]);
      update();
    },
    kindChanged(now = true) {
      picker.reset();
      pickerKind = null;
      note.textContent = '';
      show(note, false);
      if (now && !allFields.checked) void load();
      update();
    },
    options() {
      if (allFields.checked) return {};
      const chosen = picker.chosen();
      if (chosen.length === 0)
        return {
          error: 'Choose at least one field, or check All fields.',
          focus: () => (picker.loaded() ? picker.focus() : allFields.focus()),
        };
      return { fields: chosen };
    },
    setEnabled(on) {
      enabled = on;
      update();
    },
    setConnected(on, was) {
      connected = on;
      if (!on && was) {
        // Another key may be another organization: its fields are fetched again.
        fieldGroups.clear();
        picker.reset();
        pickerKind = null;
      }
      if (on && !was) void load();
      update();
    },
  };
}
