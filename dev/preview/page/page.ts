// The preview page: a spreadsheet grid of the in-memory workbook, the add-on menu onOpen built, and the
// real dist/ sidebar in a 300 px frame. State comes from the preview server (GET /api/state, pushed
// changes over /api/events); edits and menu clicks are POSTed back. All cell text goes in as text.
import './page.css';
import type { MenuView, SheetView, UiEventView, WorkbookView } from '../protocol';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const el = {
  docName: $('doc-name'),
  backend: $('backend'),
  extensions: $<HTMLButtonElement>('extensions'),
  menu: $('extensions-menu'),
  cellName: $('cell-name'),
  formula: $<HTMLInputElement>('formula-input'),
  scroll: $('grid-scroll'),
  grid: $<HTMLTableElement>('grid'),
  editor: $<HTMLInputElement>('cell-editor'),
  tabs: $('tabs'),
  sidebar: $('sidebar'),
  sidebarTitle: $('sidebar-title'),
  sidebarClose: $<HTMLButtonElement>('sidebar-close'),
  sidebarFrame: $<HTMLIFrameElement>('sidebar-frame'),
  toasts: $('toasts'),
  modal: $<HTMLDialogElement>('modal'),
  modalTitle: $('modal-title'),
  modalBody: $('modal-body'),
  ask: $<HTMLDialogElement>('ask'),
  askTitle: $('ask-title'),
  askMessage: $('ask-message'),
  askText: $<HTMLInputElement>('ask-text'),
  askButtons: $('ask-buttons'),
};

// The grid scrolls and takes the arrow keys, so it must be focusable.
el.scroll.tabIndex = 0;

const ROW_HEIGHT = 21;
const HEADER_HEIGHT = 21;

const state = {
  view: null as WorkbookView | null,
  tab: '',
  sel: { r: 2, c: 1 },
  active: null as { sheet: string; range: string } | null,
  editing: null as { sheet: string; r: number; c: number } | null,
};

export function columnLetter(c: number): string {
  let s = '';
  for (let n = c; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function a1(r: number, c: number): string {
  return `${columnLetter(c)}${r}`;
}

function parseA1(range: string): { r1: number; c1: number; r2: number; c2: number } | null {
  const cell = (s: string) => {
    const m = /^([A-Z]+)(\d+)$/.exec(s.replace(/\$/g, '').toUpperCase());
    if (!m) return null;
    let c = 0;
    for (const ch of m[1]) c = c * 26 + (ch.charCodeAt(0) - 64);
    return { r: Number(m[2]), c };
  };
  const [a, b = a] = range.split('!').pop()!.split(':');
  const p = cell(a);
  const q = cell(b);
  if (!p || !q) return null;
  return { r1: Math.min(p.r, q.r), c1: Math.min(p.c, q.c), r2: Math.max(p.r, q.r), c2: Math.max(p.c, q.c) };
}

function currentSheet(): SheetView | undefined {
  return state.view?.sheets.find((s) => s.name === state.tab);
}

function cellText(sheet: SheetView, r: number, c: number): string {
  return sheet.values[r - 1]?.[c - 1] ?? '';
}

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

// ------------------------------------------------------------------ toasts and dialogs

function toast(text: string, ms = 5000): void {
  const t = document.createElement('div');
  t.className = 'toast';
  t.textContent = text;
  el.toasts.appendChild(t);
  setTimeout(() => t.remove(), ms);
}

const pendingModals: UiEventView[] = [];

function showNextModal(): void {
  if (el.modal.open) return;
  const next = pendingModals.shift();
  if (!next) return;
  el.modalTitle.textContent = next.title || 'Close Sync';
  el.modalBody.replaceChildren();
  if (next.html !== undefined) {
    const frame = document.createElement('iframe');
    frame.className = 'dialog-frame';
    frame.title = next.title || 'Dialog';
    frame.setAttribute('sandbox', '');
    frame.srcdoc = next.html;
    el.modalBody.appendChild(frame);
  } else {
    const p = document.createElement('p');
    p.className = 'alert-text';
    p.textContent = next.message ?? '';
    el.modalBody.appendChild(p);
  }
  el.modal.showModal();
}

el.modal.addEventListener('close', () => setTimeout(showNextModal, 0));

function onUiEvent(event: UiEventView): void {
  if (event.kind === 'toast')
    toast(event.title ? `${event.title}: ${event.message ?? ''}` : (event.message ?? ''));
  else if (event.kind === 'sidebar') {
    el.sidebarTitle.textContent = event.title || 'Close Sync';
    el.sidebar.hidden = false;
    el.sidebarFrame.src = `/sidebar?t=${Date.now()}`;
  } else {
    pendingModals.push(event);
    showNextModal();
  }
}

// ------------------------------------------------------------------ questions (Ui.alert / Ui.prompt)

interface Question {
  id: number;
  kind: 'alert' | 'prompt';
  title: string;
  message: string;
  buttons: string;
}

const BUTTONS: Record<string, Array<[string, string]>> = {
  OK: [['OK', 'OK']],
  OK_CANCEL: [
    ['Cancel', 'CANCEL'],
    ['OK', 'OK'],
  ],
  YES_NO: [
    ['No', 'NO'],
    ['Yes', 'YES'],
  ],
  YES_NO_CANCEL: [
    ['Cancel', 'CANCEL'],
    ['No', 'NO'],
    ['Yes', 'YES'],
  ],
};

let asking: Question | null = null;

function answerQuestion(button: string): void {
  const q = asking;
  if (!q) return;
  asking = null;
  if (el.ask.open) el.ask.close();
  void api('/api/answer', {
    id: q.id,
    button,
    text: q.kind === 'prompt' ? el.askText.value : undefined,
  }).catch((e: unknown) => toast(String(e)));
}

/** The add-on's script is waiting in Ui.alert/prompt: ask the person, like Sheets' own dialog. */
function onQuestion(q: Question): void {
  asking = q;
  el.askTitle.textContent = q.title || 'Close Sync';
  el.askMessage.textContent = q.message;
  el.askText.hidden = q.kind !== 'prompt';
  el.askText.value = '';
  el.askButtons.replaceChildren();
  const buttons = BUTTONS[q.buttons] ?? BUTTONS.OK;
  buttons.forEach(([label, value], i) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = i === buttons.length - 1 ? 'primary' : 'secondary';
    b.textContent = label;
    b.addEventListener('click', () => answerQuestion(value));
    el.askButtons.appendChild(b);
  });
  if (el.modal.open) el.modal.close();
  if (!el.ask.open) el.ask.showModal();
  (q.kind === 'prompt' ? el.askText : (el.askButtons.lastElementChild as HTMLElement | null))?.focus();
}

el.ask.addEventListener('cancel', (e) => {
  e.preventDefault();
  answerQuestion('CLOSE');
});

// ------------------------------------------------------------------ menu

function closeMenu(focusButton = false): void {
  el.menu.hidden = true;
  el.extensions.setAttribute('aria-expanded', 'false');
  if (focusButton) el.extensions.focus();
}

function renderMenu(menus: MenuView[]): void {
  el.menu.replaceChildren();
  if (menus.length === 0) {
    const p = document.createElement('p');
    p.className = 'menu-empty';
    p.textContent = 'onOpen added no menu.';
    el.menu.appendChild(p);
  }
  for (const menu of menus) {
    const head = document.createElement('div');
    head.className = 'menu-title';
    head.setAttribute('role', 'presentation');
    head.textContent = menu.name;
    el.menu.appendChild(head);
    for (const item of menu.items) {
      if (!item) {
        const sep = document.createElement('div');
        sep.className = 'menu-sep';
        sep.setAttribute('role', 'separator');
        el.menu.appendChild(sep);
        continue;
      }
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'menuitem');
      b.className = 'menu-item';
      b.textContent = item.caption;
      b.dataset.function = item.functionName;
      b.addEventListener('click', () => {
        closeMenu();
        void runMenu(item.functionName, item.caption);
      });
      el.menu.appendChild(b);
    }
  }
}

let menuRuns = 0;

async function runMenu(functionName: string, caption: string): Promise<void> {
  toast(`Running “${caption}”…`, 2500);
  try {
    const result = await api<{ ok: boolean; message?: string }>('/api/menu', { functionName });
    if (!result.ok)
      pendingModals.push({ kind: 'alert', title: 'Script error', message: result.message ?? '' });
    showNextModal();
  } catch (e) {
    toast(String(e));
  } finally {
    // For tests and curious people: how many menu runs have finished.
    document.body.dataset.menuRuns = String(++menuRuns);
  }
}

el.extensions.addEventListener('click', () => {
  const open = el.menu.hidden;
  el.menu.hidden = !open;
  el.extensions.setAttribute('aria-expanded', String(open));
  if (open) el.menu.querySelector<HTMLButtonElement>('button')?.focus();
});

el.menu.addEventListener('keydown', (e) => {
  const items = Array.from(el.menu.querySelectorAll<HTMLButtonElement>('button'));
  const i = items.indexOf(document.activeElement as HTMLButtonElement);
  if (e.key === 'Escape') closeMenu(true);
  else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
  else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
  else return;
  e.preventDefault();
});

document.addEventListener('click', (e) => {
  if (!el.menu.hidden && !(e.target as Element).closest('.menu-wrap')) closeMenu();
});

// ------------------------------------------------------------------ sidebar

el.sidebarClose.addEventListener('click', () => {
  el.sidebar.hidden = true;
});

window.addEventListener('message', (e) => {
  if (e.source === el.sidebarFrame.contentWindow && e.data?.type === 'close-sidebar')
    el.sidebar.hidden = true;
});

// ------------------------------------------------------------------ tabs

function renderTabs(view: WorkbookView): void {
  el.tabs.replaceChildren();
  for (const sheet of view.sheets) {
    if (sheet.hidden) continue;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'tab';
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-selected', String(sheet.name === state.tab));
    b.textContent = sheet.name;
    b.addEventListener('click', () => {
      state.tab = sheet.name;
      state.sel = { r: 1, c: 1 };
      render();
    });
    el.tabs.appendChild(b);
  }
}

// ------------------------------------------------------------------ grid

function renderGrid(sheet: SheetView | undefined): void {
  const table = el.grid;
  table.replaceChildren();
  if (!sheet) return;
  table.setAttribute('aria-label', `Sheet ${sheet.name}`);
  table.dataset.sheet = sheet.name;
  const hidden = new Set(sheet.hiddenColumns);
  const cols: number[] = [];
  for (let c = 1; c <= sheet.columns; c++) if (!hidden.has(c)) cols.push(c);

  const colgroup = document.createElement('colgroup');
  const rowHead = document.createElement('col');
  rowHead.style.width = '46px';
  colgroup.appendChild(rowHead);
  let total = 46;
  for (const c of cols) {
    const col = document.createElement('col');
    const width = Math.max(30, Math.min(sheet.widths[c - 1] ?? 100, 320));
    col.style.width = `${width}px`;
    total += width;
    colgroup.appendChild(col);
  }
  table.appendChild(colgroup);
  table.style.width = `${total}px`;

  const thead = document.createElement('thead');
  const hr = document.createElement('tr');
  const corner = document.createElement('th');
  corner.className = 'corner';
  hr.appendChild(corner);
  for (const c of cols) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = columnLetter(c);
    hr.appendChild(th);
  }
  thead.appendChild(hr);
  table.appendChild(thead);

  const active = state.active && state.active.sheet === sheet.name ? parseA1(state.active.range) : null;
  const hiddenRows = new Set(sheet.hiddenRows);
  const tbody = document.createElement('tbody');
  const frag = document.createDocumentFragment();
  let frozenTop = HEADER_HEIGHT;
  for (let r = 1; r <= sheet.rows; r++) {
    if (hiddenRows.has(r)) continue;
    const tr = document.createElement('tr');
    if (r <= sheet.frozenRows) {
      tr.className = r === sheet.frozenRows ? 'frozen frozen-last' : 'frozen';
      tr.style.setProperty('--top', `${frozenTop}px`);
      frozenTop += ROW_HEIGHT;
    }
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = String(r);
    tr.appendChild(th);
    for (const c of cols) {
      const td = document.createElement('td');
      const text = cellText(sheet, r, c);
      if (text !== '') td.textContent = text;
      td.dataset.cell = a1(r, c);
      const f = sheet.formats[`${r},${c}`];
      if (f) {
        if (f.bg) td.style.background = f.bg;
        if (f.color) td.style.color = f.color;
        if (f.bold) td.style.fontWeight = '700';
        if (f.italic) td.style.fontStyle = 'italic';
        if (f.align) td.style.textAlign = f.align;
      }
      const note = sheet.notes[`${r},${c}`];
      if (note) {
        td.classList.add('has-note');
        td.title = note;
      }
      if (active && r >= active.r1 && r <= active.r2 && c >= active.c1 && c <= active.c2)
        td.classList.add('in-range');
      if (r === state.sel.r && c === state.sel.c) {
        td.classList.add('sel');
        td.setAttribute('aria-selected', 'true');
      }
      tr.appendChild(td);
    }
    frag.appendChild(tr);
  }
  tbody.appendChild(frag);
  table.appendChild(tbody);
}

function cellElement(r: number, c: number): HTMLTableCellElement | null {
  return el.grid.querySelector<HTMLTableCellElement>(`td[data-cell="${a1(r, c)}"]`);
}

function select(r: number, c: number, scroll = true): void {
  const sheet = currentSheet();
  if (!sheet) return;
  r = Math.max(1, Math.min(sheet.rows, r));
  c = Math.max(1, Math.min(sheet.columns, c));
  cellElement(state.sel.r, state.sel.c)?.classList.remove('sel');
  cellElement(state.sel.r, state.sel.c)?.removeAttribute('aria-selected');
  state.sel = { r, c };
  const td = cellElement(r, c);
  td?.classList.add('sel');
  td?.setAttribute('aria-selected', 'true');
  el.cellName.textContent = a1(r, c);
  el.formula.value = cellText(sheet, r, c);
  if (scroll && td) scrollIntoView(td);
}

function scrollIntoView(td: HTMLElement): void {
  const sheet = currentSheet();
  const box = el.scroll.getBoundingClientRect();
  const rect = td.getBoundingClientRect();
  const top = HEADER_HEIGHT + (sheet?.frozenRows ?? 0) * ROW_HEIGHT;
  if (rect.top < box.top + top) el.scroll.scrollTop -= box.top + top - rect.top;
  else if (rect.bottom > box.bottom - 14) el.scroll.scrollTop += rect.bottom - box.bottom + 14;
  if (rect.left < box.left + 46) el.scroll.scrollLeft -= box.left + 46 - rect.left;
  else if (rect.right > box.right - 14) el.scroll.scrollLeft += rect.right - box.right + 14;
}

function startEdit(initial?: string): void {
  const sheet = currentSheet();
  const td = cellElement(state.sel.r, state.sel.c);
  if (!sheet || !td) return;
  scrollIntoView(td);
  const box = el.scroll.getBoundingClientRect();
  const rect = td.getBoundingClientRect();
  state.editing = { sheet: sheet.name, r: state.sel.r, c: state.sel.c };
  el.editor.hidden = false;
  el.editor.style.left = `${rect.left - box.left + el.scroll.scrollLeft}px`;
  el.editor.style.top = `${rect.top - box.top + el.scroll.scrollTop}px`;
  el.editor.style.minWidth = `${rect.width}px`;
  el.editor.style.height = `${rect.height}px`;
  el.editor.setAttribute('aria-label', `Edit cell ${a1(state.sel.r, state.sel.c)}`);
  el.editor.value = initial ?? cellText(sheet, state.sel.r, state.sel.c);
  el.editor.focus();
  if (initial === undefined) el.editor.select();
}

async function commitEdit(sheetName: string, r: number, c: number, value: string): Promise<void> {
  const sheet = state.view?.sheets.find((s) => s.name === sheetName);
  if (sheet) {
    while (sheet.values.length < r) sheet.values.push([]);
    const row = sheet.values[r - 1];
    while (row.length < c) row.push('');
    row[c - 1] = value;
    const td = cellElement(r, c);
    if (td && state.tab === sheetName) {
      td.textContent = value;
      td.classList.add('pending');
    }
  }
  try {
    const result = await api<{ ok: boolean; message?: string }>('/api/edit', {
      sheet: sheetName,
      row: r,
      column: c,
      value,
    });
    if (!result.ok) {
      pendingModals.push({ kind: 'alert', title: 'Edit rejected', message: result.message ?? '' });
      showNextModal();
    }
  } catch (e) {
    toast(String(e));
  }
  await refresh();
}

function finishEdit(commit: boolean, move: [number, number] = [1, 0]): void {
  const editing = state.editing;
  if (!editing) return;
  state.editing = null;
  el.editor.hidden = true;
  const value = el.editor.value;
  el.scroll.focus({ preventScroll: true });
  if (commit) {
    void commitEdit(editing.sheet, editing.r, editing.c, value);
    select(editing.r + move[0], editing.c + move[1]);
  }
}

el.editor.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') finishEdit(true, [1, 0]);
  else if (e.key === 'Tab') finishEdit(true, [0, e.shiftKey ? -1 : 1]);
  else if (e.key === 'Escape') finishEdit(false);
  else return;
  e.preventDefault();
});
el.editor.addEventListener('blur', () => {
  if (state.editing) finishEdit(true, [0, 0]);
});

el.grid.addEventListener('click', (e) => {
  const td = (e.target as Element).closest('td');
  if (!td?.dataset.cell) return;
  const range = parseA1(td.dataset.cell)!;
  select(range.r1, range.c1, false);
  el.scroll.focus({ preventScroll: true });
});

el.grid.addEventListener('dblclick', (e) => {
  if ((e.target as Element).closest('td')) startEdit();
});

el.scroll.addEventListener('keydown', (e) => {
  if (state.editing || e.target !== el.scroll) return;
  const { r, c } = state.sel;
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
    Tab: [0, e.shiftKey ? -1 : 1],
  };
  if (moves[e.key]) select(r + moves[e.key][0], c + moves[e.key][1]);
  else if (e.key === 'Enter' || e.key === 'F2') startEdit();
  else if (e.key === 'Delete' || e.key === 'Backspace') {
    if (state.tab) void commitEdit(state.tab, r, c, '');
  } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) startEdit(e.key);
  else return;
  e.preventDefault();
});

el.formula.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && state.tab) {
    e.preventDefault();
    void commitEdit(state.tab, state.sel.r, state.sel.c, el.formula.value);
    el.scroll.focus({ preventScroll: true });
  } else if (e.key === 'Escape') {
    select(state.sel.r, state.sel.c, false);
    el.scroll.focus({ preventScroll: true });
  }
});

// ------------------------------------------------------------------ state

function render(): void {
  const view = state.view;
  if (!view) return;
  el.docName.textContent = view.name;
  document.title = `${view.name} — Close Sync preview`;
  if (!view.sheets.some((s) => s.name === state.tab && !s.hidden))
    state.tab =
      view.sheets.find((s) => s.name === view.activeSheet && !s.hidden)?.name ??
      view.sheets.find((s) => !s.hidden)?.name ??
      '';
  renderTabs(view);
  renderMenu(view.menus);
  renderGrid(currentSheet());
  select(state.sel.r, state.sel.c, false);
}

let refreshing: Promise<void> | null = null;
let refreshAgain = false;

/** Fetches the server's view; one fetch at a time (a request during one runs once after it). */
function refresh(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = load()
    .catch((e: unknown) => toast(String(e)))
    .finally(() => {
      refreshing = null;
      if (refreshAgain) {
        refreshAgain = false;
        void refresh();
      }
    });
  return refreshing;
}

async function load(): Promise<void> {
  const view = await api<WorkbookView>('/api/state');
  if (state.view && view.version === state.view.version) return;
  if (state.view && view.version < state.view.version) return;
  const previous = state.active;
  state.view = view;
  state.active = view.activeRange ? { sheet: view.activeSheet, range: view.activeRange } : null;
  const moved =
    state.active &&
    (!previous || previous.sheet !== state.active.sheet || previous.range !== state.active.range);
  if (moved && state.active) {
    state.tab = state.active.sheet;
    const range = parseA1(state.active.range);
    if (range) state.sel = { r: range.r1, c: range.c1 };
  }
  render();
  if (moved) {
    const td = cellElement(state.sel.r, state.sel.c);
    if (td) scrollIntoView(td);
  }
  document.body.dataset.version = String(view.version);
}

function listen(): void {
  const events = new EventSource('/api/events');
  events.addEventListener('state', (e) => {
    const version = Number((e as MessageEvent).data);
    if (!state.view || version > state.view.version) void refresh();
  });
  events.addEventListener('ui', (e) => onUiEvent(JSON.parse((e as MessageEvent).data) as UiEventView));
  events.addEventListener('ask', (e) => onQuestion(JSON.parse((e as MessageEvent).data) as Question));
  events.addEventListener('answered', (e) => {
    if (asking && String(asking.id) === (e as MessageEvent).data) {
      asking = null;
      if (el.ask.open) el.ask.close();
    }
  });
  events.addEventListener('info', (e) => {
    el.backend.textContent = String((e as MessageEvent).data);
  });
}

listen();
void refresh();
