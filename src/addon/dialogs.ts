// What the menu items show: confirmation before a push, the preview as a table, summaries.
import type { Preview } from '../core/sync/preview';
import type { PushSummary } from '../core/sync/push';
import { escapeHtml } from './escape-html';

const STATE_LABELS: Record<string, string> = {
  send: 'will send',
  create: 'new lead',
  invalid: 'invalid: not sent',
  conflict: 'conflict: not sent',
  already: 'already in Close',
  error: 'error',
  moved: 'moved from another lead: not sent',
};

export function previewCountsText(preview: Preview): string {
  const c = preview.counts;
  const parts = [
    `${c.fields} field${c.fields === 1 ? '' : 's'} on ${c.leads} lead${c.leads === 1 ? '' : 's'}`,
  ];
  if (c.creates) parts.push(`${c.creates} new lead${c.creates === 1 ? '' : 's'}`);
  const held = [];
  if (c.invalid) held.push(`${c.invalid} invalid value${c.invalid === 1 ? '' : 's'}`);
  if (c.conflicts) held.push(`${c.conflicts} conflict${c.conflicts === 1 ? '' : 's'}`);
  if (c.errors) held.push(`${c.errors} row error${c.errors === 1 ? '' : 's'}`);
  return `${parts.join(', ')}.${held.length ? ` Not sent: ${held.join(', ')}.` : ''}${movedWarning(preview)}`;
}

/**
 * What is unusual about a push, said before it is confirmed: rows whose values look like another
 * lead's are never sent, and the rep should know the sheet is scrambled before anything else.
 */
export function movedWarning(preview: Preview): string {
  const n = preview.counts.moved;
  if (!n) return '';
  return ` ${n} row${n === 1 ? '' : 's'} look${n === 1 ? 's' : ''} moved from other leads and will not be sent: the sheet may have been sorted without its Lead ID column (Edit › Undo puts it back).`;
}

export function previewHtml(preview: Preview): string {
  const rows = preview.items
    .map(
      (i) =>
        `<tr class="${escapeHtml(i.state)}"><td>${i.row}</td><td>${escapeHtml(i.leadName)}</td><td>${escapeHtml(i.field)}</td>` +
        `<td>${escapeHtml(i.old)}</td><td>${escapeHtml(i.new)}</td><td>${escapeHtml(STATE_LABELS[i.state] ?? i.state)}` +
        `${i.message ? `<div class="msg">${escapeHtml(i.message)}</div>` : ''}</td></tr>`,
    )
    .join('');
  return `<!DOCTYPE html><html><head><style>
body{font:13px Arial,sans-serif;color:#202124;margin:0 8px}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e0e0e0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f4}.invalid td,.conflict td,.error td,.moved td{background:#fce8e6}.msg{color:#5f6368;font-size:12px}
</style></head><body><p>${escapeHtml(previewCountsText(preview))}</p>
<table><thead><tr><th>Row</th><th>Lead</th><th>Field</th><th>Old</th><th>New</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">Nothing to push: the sheet matches what was pulled.</td></tr>'}</tbody></table></body></html>`;
}

export function pushSummaryText(summary: PushSummary): string {
  const problems = summary.results
    .filter((r) => r.outcome !== 'updated' && r.outcome !== 'created')
    .slice(0, 10)
    .map((r) => `Row ${r.row}: ${r.message}`);
  return [summary.message, ...problems].join('\n');
}
