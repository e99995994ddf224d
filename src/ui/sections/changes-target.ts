// The Changes section's two pickers: which sheet the preview and push are about, and how multi-value
// fields are sent (Replace / Add only / Remove only).
//
// Until the rep picks a sheet, the preview follows the server's choice (the active sheet when it holds
// a pull, else "Close Leads") and the picker shows it; a pull points it at the sheet just pulled.
// The sheets offered: the three default Close sheets, the pulled sheets getSchedule lists, and the
// sheets pulled in this session (see SheetRegistry).
import { h, show } from '../dom';
import type { MultiValueMode, SheetOptions } from '../server-calls';
import { KINDS, type SheetRegistry } from '../sheet-registry';

const MODES: Array<{ value: MultiValueMode; label: string; help: string }> = [
  { value: 'replace', label: 'Replace', help: '' },
  {
    value: 'add',
    label: 'Add only',
    help: 'Multi-value cells: only the values you added are sent (added in Close); nothing is removed.',
  },
  {
    value: 'remove',
    label: 'Remove only',
    help: 'Multi-value cells: only the values you removed are sent (removed in Close); nothing is added.',
  },
];

export interface ChangesTarget {
  /** What the next preview asks for. */
  previewOptions(): SheetOptions;
  /** What a push of the preview shown sends (its sheet, the mode it was previewed with). */
  pushOptions(previewSheet: string): SheetOptions;
  /** The preview answered for this sheet. */
  showing(sheetName: string): void;
  /** Point the preview at this sheet (a pull into it just finished). */
  target(sheetName: string): void;
  /** "lead" / "contact" / "opportunity" and plural, for the sheet shown. */
  noun(): { one: string; many: string };
  setDisabled(disabled: boolean): void;
}

export function mountChangesTarget(
  after: HTMLElement,
  sheets: SheetRegistry,
  changed: () => void,
): ChangesTarget {
  const sheetSelect = h('select', { id: 'changes-sheet' });
  const mode = h(
    'select',
    { id: 'changes-multi', attrs: { 'aria-describedby': 'changes-multi-help' } },
    ...MODES.map((m) => h('option', { attrs: { value: m.value } }, m.label)),
  );
  const help = h('p', { id: 'changes-multi-help', className: 'hint', attrs: { hidden: true } });
  const box = h(
    'div',
    { id: 'changes-target', className: 'changes-target' },
    h(
      'div',
      { className: 'pull-row changes-row' },
      h('div', { className: 'stack' }, h('label', { attrs: { for: 'changes-sheet' } }, 'Sheet'), sheetSelect),
      h(
        'div',
        { className: 'stack' },
        h('label', { attrs: { for: 'changes-multi' } }, 'Multi-value fields'),
        mode,
      ),
    ),
    help,
  );
  after.insertAdjacentElement('afterend', box);

  /** The sheet the rep (or a pull) picked; null: whatever the server previews. */
  let chosen: string | null = null;
  let shown = KINDS.lead.sheet;

  function render(): void {
    const names = sheets.list();
    const current = chosen ?? shown;
    if (!names.includes(current)) names.push(current);
    const same =
      sheetSelect.options.length === names.length &&
      names.every((n, i) => sheetSelect.options[i].value === n);
    if (!same) {
      while (sheetSelect.firstChild) sheetSelect.removeChild(sheetSelect.firstChild);
      for (const name of names) sheetSelect.appendChild(h('option', { attrs: { value: name } }, name));
    }
    sheetSelect.value = current;
    const m = MODES.find((x) => x.value === mode.value) ?? MODES[0];
    help.textContent = m.help;
    show(help, m.help !== '');
  }

  sheets.onChange(render);
  sheetSelect.addEventListener('change', () => {
    chosen = sheetSelect.value;
    render();
    changed();
  });
  mode.addEventListener('change', () => {
    render();
    changed();
  });
  render();

  const multiValue = () => (MODES.find((m) => m.value === mode.value) ?? MODES[0]).value;

  return {
    previewOptions() {
      return chosen ? { sheetName: chosen, multiValue: multiValue() } : { multiValue: multiValue() };
    },
    pushOptions(previewSheet) {
      return { sheetName: previewSheet, multiValue: multiValue() };
    },
    showing(sheetName) {
      if (!sheetName) return;
      shown = sheetName;
      sheets.add(sheetName);
      render();
    },
    target(sheetName) {
      chosen = sheetName;
      sheets.add(sheetName);
      render();
    },
    noun() {
      const k = KINDS[sheets.kindOf(shown) ?? 'lead'];
      return { one: k.noun, many: k.nouns };
    },
    setDisabled(disabled) {
      sheetSelect.disabled = disabled;
      mode.disabled = disabled;
    },
  };
}
