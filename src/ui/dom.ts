// The sidebar's one way of building DOM: every section builds its markup with h() and updates it with
// fill() / show(). Lead data is untrusted, so nothing here ever parses HTML: text goes in as text nodes
// and attributes through setAttribute. Also the few lines every section shows the same way (a spinner
// with text, an error, a hint) and its frame (a <section> headed by its title).

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  id?: string;
  /** Any attribute (aria-*, role, type, for, title, …); `false`/null/undefined omits it. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  onClick?: (event: MouseEvent) => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.id) el.id = props.id;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  if (props.onClick) el.addEventListener('click', props.onClick as EventListener);
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(parent: Element, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`Sidebar markup is missing #${id}`);
  return el as T;
}

export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** Marks a section busy for assistive technology and styling. */
export function setBusy(el: HTMLElement, busy: boolean): void {
  if (busy) el.setAttribute('aria-busy', 'true');
  else el.removeAttribute('aria-busy');
}

/** "1 lead", "2 leads". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A spinner + text line (the spinner is decoration; the text is what the live region announces). */
export function busyLine(text: string): HTMLElement[] {
  return [h('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }), h('span', {}, text)];
}

/** A line of the given kind: 'error' (red), 'hint' (grey) or 'done' (green). */
export function line(kind: 'error' | 'hint' | 'done', text: string): HTMLParagraphElement {
  return h('p', { className: kind }, text);
}

/** A live region for a section's progress and outcome (screen readers announce what is put in it). */
export function statusBox(id: string): HTMLDivElement {
  return h('div', { id, className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
}

/**
 * A sidebar section: `<section id class="block">` labelled by its title, an `<h2 id="<id>-title">` made
 * from the text given (or given built, e.g. in a row with a button: it must hold that h2).
 */
export function section(id: string, title: string | HTMLElement, ...children: Child[]): HTMLElement {
  const heading = typeof title === 'string' ? h('h2', { id: `${id}-title` }, title) : title;
  return h(
    'section',
    { id, className: 'block', attrs: { 'aria-labelledby': `${id}-title` } },
    heading,
    ...children,
  );
}
