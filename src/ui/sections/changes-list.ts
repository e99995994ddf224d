// The Changes section's lists, as DOM: the preview (per lead, field old → new, problems marked) and the
// push results. Every piece of lead data goes in as text (see ../dom.ts).
import { type Child, h, plural } from '../dom';
import type { Preview, PreviewItem, PushSummary, RowResult } from '../server-calls';

/** More rows than this are summarized instead of rendered (keeps the sidebar quick). */
export const MAX_PREVIEW_ITEMS = 250;
export const MAX_RESULT_ITEMS = 200;

const STATE_LABEL: Record<PreviewItem['state'], string> = {
  send: 'Will send',
  create: 'New lead',
  invalid: 'Invalid',
  conflict: 'Conflict',
  already: 'Already in Close',
  error: 'Error',
  moved: 'Moved: not sent',
};

const OUTCOME_LABEL: Record<RowResult['outcome'], string> = {
  updated: 'Updated',
  created: 'Created',
  error: 'Error',
  conflict: 'Conflict',
  invalid: 'Invalid',
  unchanged: 'Unchanged',
};

export function stateLabel(state: PreviewItem['state']): string {
  return STATE_LABEL[state] ?? state;
}

export function outcomeLabel(outcome: RowResult['outcome']): string {
  return OUTCOME_LABEL[outcome] ?? outcome;
}

export function leadLabel(leadName: string, leadId: string): string {
  if (leadName.trim()) return leadName;
  return leadId ? leadId : 'New lead';
}

/** What a sheet's rows are ("lead", "contact", "opportunity"), for counts. */
export interface Noun {
  one: string;
  many: string;
}

const LEAD: Noun = { one: 'lead', many: 'leads' };

/** "5 changes to 3 leads · 1 new lead · 2 invalid · 1 conflict" (empty parts left out). */
export function previewCountsText(preview: Preview, noun: Noun = LEAD): string {
  const c = preview.counts;
  const parts: string[] = [];
  if (c.fields > 0) parts.push(`${plural(c.fields, 'change')} on ${plural(c.leads, noun.one, noun.many)}`);
  if (c.creates > 0) parts.push(plural(c.creates, 'new lead'));
  if (parts.length === 0) parts.push('Nothing to push');
  if (c.invalid > 0) parts.push(`${c.invalid} invalid`);
  if (c.conflicts > 0) parts.push(plural(c.conflicts, 'conflict'));
  if (c.errors > 0) parts.push(plural(c.errors, 'error'));
  if (c.moved > 0) parts.push(`${plural(c.moved, 'row')} moved`);
  return parts.join(' · ');
}

export function canPush(preview: Preview | null): boolean {
  return !!preview && preview.counts.fields + preview.counts.creates > 0;
}

/** The question the in-sidebar confirmation asks. */
export function pushQuestion(preview: Preview, noun: Noun = LEAD): string {
  const c = preview.counts;
  const what: string[] = [];
  if (c.fields > 0) what.push(`${plural(c.fields, 'change')} on ${plural(c.leads, noun.one, noun.many)}`);
  if (c.creates > 0) what.push(plural(c.creates, 'new lead'));
  const skipped: string[] = [];
  if (c.invalid > 0) skipped.push(plural(c.invalid, 'invalid value'));
  if (c.conflicts > 0) skipped.push(plural(c.conflicts, 'conflict'));
  if (c.errors > 0) skipped.push(plural(c.errors, 'error'));
  const tail = skipped.length > 0 ? ` Not sent: ${skipped.join(', ')}.` : '';
  // Said first: the rows are scrambled, and Undo is the way back.
  const moved =
    c.moved > 0
      ? `${plural(c.moved, 'row')} look${c.moved === 1 ? 's' : ''} moved from other ${noun.many} and will not be sent (the sheet may have been sorted without its ID column: Edit › Undo puts it back). `
      : '';
  return `${moved}Push ${what.join(' and ')} to Close?${tail}`;
}

function valueText(value: string, className: string, srPrefix: string): HTMLElement {
  const empty = value === '';
  return h(
    'span',
    { className: `${className}${empty ? ' empty' : ''}` },
    h('span', { className: 'visually-hidden' }, srPrefix),
    empty ? '(empty)' : value,
  );
}

function itemNode(item: PreviewItem): HTMLElement {
  const children: Child[] = [];
  const head = h(
    'div',
    { className: 'field-head' },
    item.field ? h('span', { className: 'field-name' }, item.field) : null,
    item.state !== 'send'
      ? h('span', { className: `badge badge-${item.state}` }, stateLabel(item.state))
      : null,
  );
  children.push(head);
  if (item.state !== 'error' && (item.old !== '' || item.new !== '' || item.field)) {
    children.push(
      h(
        'div',
        { className: 'diff' },
        item.state === 'invalid' || item.state === 'create'
          ? null
          : valueText(item.old, 'old', `${item.field || 'Value'} was `),
        item.state === 'invalid' || item.state === 'create'
          ? null
          : h('span', { className: 'arrow', attrs: { 'aria-hidden': 'true' } }, ' → '),
        valueText(item.new, 'new', item.state === 'invalid' ? 'Cell has ' : ' now '),
      ),
    );
  }
  if (item.message) children.push(h('p', { className: 'message' }, item.message));
  return h('li', { className: `field state-${item.state}` }, ...children);
}

interface Group {
  row: number;
  leadId: string;
  leadName: string;
  items: PreviewItem[];
}

function groupByRow(items: PreviewItem[]): Group[] {
  const groups: Group[] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && last.row === item.row && last.leadId === item.leadId) last.items.push(item);
    else groups.push({ row: item.row, leadId: item.leadId, leadName: item.leadName, items: [item] });
  }
  return groups;
}

/** A "Row 12" button that selects the row in the sheet. */
export function rowButton(row: number, name: string, onSelect: (row: number) => void): HTMLButtonElement {
  return h(
    'button',
    {
      className: 'row-link',
      attrs: { type: 'button', 'aria-label': `Row ${row}, ${name}: select it in the sheet` },
      onClick: () => onSelect(row),
    },
    `Row ${row}`,
  );
}

/** The preview list: one entry per lead (row), its fields old → new, problems marked. */
export function previewNodes(preview: Preview, onSelect: (row: number) => void): HTMLElement[] {
  const shown = preview.items.slice(0, MAX_PREVIEW_ITEMS);
  const nodes = groupByRow(shown).map((group) => {
    const name = leadLabel(group.leadName, group.leadId);
    const marks = new Set(group.items.map((i) => i.state));
    const cls = ['lead'];
    if (marks.has('error')) cls.push('has-error');
    else if (marks.has('conflict')) cls.push('has-conflict');
    else if (marks.has('invalid')) cls.push('has-invalid');
    return h(
      'li',
      { className: cls.join(' ') },
      h(
        'div',
        { className: 'lead-head' },
        rowButton(group.row, name, onSelect),
        h('span', { className: 'lead-name' }, name),
      ),
      h(
        'ul',
        { className: 'fields', attrs: { 'aria-label': `Changes to ${name}` } },
        ...group.items.map(itemNode),
      ),
    );
  });
  if (preview.items.length > shown.length)
    nodes.push(
      h(
        'li',
        { className: 'more' },
        `${plural(preview.items.length - shown.length, 'more line')} not shown. The Sync status column in the sheet has every row.`,
      ),
    );
  return nodes;
}

export function pushCountsText(summary: PushSummary): string {
  const parts = [`${summary.updated} updated`, `${summary.created} created`, `${summary.failed} failed`];
  if (summary.conflicts > 0) parts.push(plural(summary.conflicts, 'conflict'));
  if (summary.invalid > 0) parts.push(`${summary.invalid} invalid`);
  if (summary.unchanged > 0) parts.push(`${summary.unchanged} unchanged`);
  return parts.join(' · ');
}

/** Rows that need the rep's attention after a push; each selects its row when clicked. */
export function resultNodes(summary: PushSummary, onSelect: (row: number) => void): HTMLElement[] {
  const problems = summary.results.filter((r) => r.outcome !== 'updated' && r.outcome !== 'created');
  const shown = problems.slice(0, MAX_RESULT_ITEMS);
  const nodes = shown.map((r) => {
    const name = leadLabel(r.leadName, r.leadId);
    return h(
      'li',
      { className: `result outcome-${r.outcome}` },
      h(
        'div',
        { className: 'lead-head' },
        rowButton(r.row, name, onSelect),
        h('span', { className: 'lead-name' }, name),
        h('span', { className: `badge badge-${r.outcome}` }, outcomeLabel(r.outcome)),
      ),
      h('p', { className: 'message' }, r.message),
    );
  });
  if (problems.length > shown.length)
    nodes.push(
      h('li', { className: 'more' }, `${plural(problems.length - shown.length, 'more row')} not shown.`),
    );
  return nodes;
}
