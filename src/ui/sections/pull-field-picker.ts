// The Pull section's field picker: one checkbox per field, grouped under Standard / Custom — <type> /
// Related, with a filter box and a count of the chosen fields. Field names come from Close (untrusted):
// they go in as text only.
import { fill, h, plural, show } from '../dom';
import type { FieldGroups, FieldInfo } from '../server-calls';

const norm = (text: string) => text.trim().toLowerCase();

/** Does `wanted` (a key, a custom field id or a name, as a definition may hold) name this field? */
export function fieldMatches(field: FieldInfo, wanted: string): boolean {
  const n = norm(wanted);
  const key = norm(field.key);
  return key === n || key === `custom.${n}` || norm(field.name) === n;
}

/** The groups in the order they are shown, empty ones left out. */
export function orderedGroups(groups: FieldGroups): Array<{ title: string; fields: FieldInfo[] }> {
  return [
    { title: 'Standard', fields: groups.standard },
    ...Object.entries(groups.custom).map(([type, fields]) => ({ title: `Custom — ${type}`, fields })),
    { title: 'Related', fields: groups.related },
  ].filter((g) => g.fields.length > 0);
}

export interface FieldPicker {
  element: HTMLElement;
  /** Shows a kind's fields; the pending choice (if any) is applied to them. */
  setGroups(groups: FieldGroups): void;
  setLoading(text: string): void;
  /** Forgets the fields and any pending choice (another kind of object). */
  reset(): void;
  setError(message: string, retry: () => void): void;
  loaded(): boolean;
  /**
   * Checks exactly these fields (keys, ids or names, case-insensitive). Before the fields are loaded the
   * choice waits for them. Returns the ones that name no field.
   */
  choose(wanted: string[]): string[];
  /** The chosen field keys in the order shown (or the pending choice, before the fields are loaded). */
  chosen(): string[];
  /** Names of the chosen fields, for messages. */
  chosenNames(): string[];
  setDisabled(disabled: boolean): void;
  focus(): void;
}

export function createFieldPicker(idPrefix: string, onChange: () => void): FieldPicker {
  const filter = h('input', {
    id: `${idPrefix}-filter`,
    attrs: { type: 'search', placeholder: 'Filter fields', autocomplete: 'off', spellcheck: 'false' },
  });
  const count = h('p', {
    id: `${idPrefix}-count`,
    className: 'hint field-count',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  const list = h('div', { id: `${idPrefix}-list`, className: 'field-list' });
  const noMatch = h('p', { className: 'hint no-match', attrs: { hidden: true } });
  const element = h(
    'div',
    { className: 'field-picker stack' },
    h('label', { className: 'visually-hidden', attrs: { for: filter.id } }, 'Filter fields'),
    filter,
    count,
    list,
    noMatch,
    h('p', { className: 'hint' }, 'The ID and Sync status columns are always in the sheet.'),
  );

  let fields: FieldInfo[] = [];
  let boxes: Array<{ field: FieldInfo; box: HTMLInputElement; item: HTMLElement }> = [];
  let groupEls: Array<{ el: HTMLElement; items: HTMLElement[] }> = [];
  let pending: string[] | null = null;
  let disabled = false;

  function renderCount(): void {
    if (!boxes.length) {
      count.textContent = '';
      return;
    }
    const n = boxes.filter((b) => b.box.checked).length;
    count.textContent =
      n === 0 ? 'No field chosen yet.' : `${plural(n, 'field')} chosen, of ${boxes.length}.`;
  }

  function applyFilter(): void {
    const q = norm(filter.value);
    let shown = 0;
    for (const b of boxes) {
      const match = !q || norm(b.field.name).includes(q);
      show(b.item, match);
      if (match) shown++;
    }
    for (const g of groupEls)
      show(
        g.el,
        g.items.some((i) => !i.hidden),
      );
    noMatch.textContent = q && shown === 0 ? `No field matches “${filter.value.trim()}”.` : '';
    show(noMatch, q !== '' && shown === 0);
  }

  filter.addEventListener('input', applyFilter);
  // Escape in the filter clears it (a search box's usual behaviour, also where the browser has none).
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && filter.value) {
      e.preventDefault();
      filter.value = '';
      applyFilter();
    }
  });

  function check(wanted: string[]): string[] {
    const unknown = wanted.filter((w) => !fields.some((f) => fieldMatches(f, w)));
    for (const b of boxes) b.box.checked = wanted.some((w) => fieldMatches(b.field, w));
    renderCount();
    return unknown;
  }

  return {
    element,
    setGroups(groups) {
      const ordered = orderedGroups(groups);
      fields = ordered.flatMap((g) => g.fields);
      boxes = [];
      groupEls = [];
      const nodes = ordered.map((g, i) => {
        const headingId = `${idPrefix}-group-${i}`;
        const items = g.fields.map((field) => {
          const box = h('input', { attrs: { type: 'checkbox', value: field.key } });
          box.disabled = disabled;
          box.addEventListener('change', () => {
            renderCount();
            onChange();
          });
          const item = h(
            'li',
            {},
            h(
              'label',
              { className: 'check' },
              box,
              h('span', { className: 'field-label' }, field.name),
              field.editable ? null : h('span', { className: 'tag' }, 'read-only'),
            ),
          );
          boxes.push({ field, box, item });
          return item;
        });
        const el = h(
          'div',
          { className: 'field-group', attrs: { role: 'group', 'aria-labelledby': headingId } },
          h('h3', { id: headingId }, g.title),
          h('ul', {}, ...items),
        );
        groupEls.push({ el, items });
        return el;
      });
      fill(list, ...nodes);
      if (pending) check(pending);
      pending = null;
      renderCount();
      applyFilter();
    },
    setLoading(text) {
      fields = [];
      boxes = [];
      groupEls = [];
      fill(
        list,
        h(
          'p',
          { className: 'status' },
          h('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }),
          h('span', {}, text),
        ),
      );
      renderCount();
    },
    reset() {
      fields = [];
      boxes = [];
      groupEls = [];
      pending = null;
      filter.value = '';
      fill(list);
      show(noMatch, false);
      renderCount();
    },
    setError(message, retry) {
      fill(
        list,
        h('p', { className: 'error' }, message),
        h(
          'div',
          { className: 'buttons' },
          h(
            'button',
            { className: 'secondary small', attrs: { type: 'button' }, onClick: retry },
            'Try again',
          ),
        ),
      );
      renderCount();
    },
    loaded: () => boxes.length > 0,
    choose(wanted) {
      if (boxes.length === 0) {
        pending = [...wanted];
        return [];
      }
      return check(wanted);
    },
    chosen() {
      if (boxes.length === 0) return pending ? [...pending] : [];
      return boxes.filter((b) => b.box.checked).map((b) => b.field.key);
    },
    chosenNames() {
      if (boxes.length === 0) return pending ? [...pending] : [];
      return boxes.filter((b) => b.box.checked).map((b) => b.field.name);
    },
    setDisabled(d) {
      disabled = d;
      filter.disabled = d;
      for (const b of boxes) b.box.disabled = d;
      for (const b of Array.from(list.querySelectorAll('button'))) b.disabled = d;
    },
    focus() {
      filter.focus();
    },
  };
}
