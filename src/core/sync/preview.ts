// The preview: what a push would send, field by field, with invalid values and conflicts marked. It is
// the push plan (plan.ts) checked against Close and not sent: it only reads, and writes nothing.
import type { BoundColumn, LeadChange } from './changes';
import { computeChanges, requireSnapshot } from './changes';
import type { PullDefinition } from './pull-definition';
import { type CheckedChange, conflictMessage, type MultiValueMode, needsCheck, unchecked } from './conflicts';
import { checkPlan } from './plan';
import { DEFAULT_SHEET, type SyncDeps, loadSyncContext } from './context';
import { displayValue } from './readable-value';
import { readSheetTable } from './lead-sheet';
import { idHeader, lostIdColumn, lostIdColumnMessage } from './lost-id-column';
import { readSnapshot } from './snapshot';
import { multiDelta } from './multi-value';
import { isHashed } from './pulled-value';
import { LEAD_ID_KEY } from '../schema/columns';

/** `moved`: a row whose values look like another lead's (or a pulled row whose ID was cleared): not sent. */
export type ChangeState = 'send' | 'create' | 'invalid' | 'conflict' | 'already' | 'error' | 'moved';

/** One line of the preview: all strings, so it can cross google.script.run. */
export interface PreviewItem {
  row: number;
  leadId: string;
  leadName: string;
  field: string;
  key: string;
  old: string;
  new: string;
  state: ChangeState;
  message: string;
}

export interface Preview {
  sheetName: string;
  items: PreviewItem[];
  counts: {
    leads: number;
    fields: number;
    creates: number;
    invalid: number;
    conflicts: number;
    errors: number;
    /** Rows held back because their values look moved from other leads (row-guards.ts). */
    moved: number;
  };
  /** False when there were too many edited leads to check them all against Close now. */
  conflictsChecked: boolean;
}

export interface PreviewOptions {
  sheetName?: string;
  /** What the sheet holds (from its saved pull definition); leads with every field by default. */
  definition?: Pick<PullDefinition, 'kind' | 'fields' | 'seen'>;
  multiValue?: MultiValueMode;
  /**
   * Check at most this many edited objects against Close (leads: a search per 100, plan.ts; contacts and
   * opportunities: a GET each); more are checked at push.
   */
  maxConflictChecks?: number;
}

const DEFAULT_MAX_CHECKS = 200;

export function previewPush(deps: SyncDeps, options: PreviewOptions = {}): Preview {
  const sheetName = options.sheetName ?? DEFAULT_SHEET;
  const grid = deps.workbook.sheet(sheetName);
  if (!grid) throw new Error(`There is no sheet named "${sheetName}" yet: pull leads first.`);
  const ctx = loadSyncContext(deps, options.definition ?? { kind: 'lead', fields: null });
  const mode = options.multiValue ?? 'replace';
  const table = readSheetTable(grid);
  if (lostIdColumn(table, LEAD_ID_KEY))
    throw new Error(lostIdColumnMessage(sheetName, idHeader(ctx), ctx.spec.noun, 'push'));
  if (!table.columnOf.has(LEAD_ID_KEY))
    throw new Error(`"${sheetName}" has no ${idHeader(ctx)} column bound to Close: pull into it first.`);
  const snapshot = readSnapshot(deps.workbook, sheetName);
  requireSnapshot(sheetName, table, snapshot);
  const changes = computeChanges(table, [...ctx.byKey.values()], snapshot, {
    noun: ctx.spec.noun,
    allowed: ctx.spec.canCreate,
  });
  const withEdits = changes.updates.filter((c) => c.edits.length > 0);
  const check = withEdits.length <= (options.maxConflictChecks ?? DEFAULT_MAX_CHECKS);
  // The push plan's check stage, without sending (plan.ts).
  const checked = check ? checkPlan(deps.client, ctx, changes.updates, mode) : changes.updates.map(unchecked);

  const items: PreviewItem[] = [];
  const show = (bound: BoundColumn | undefined, v: unknown) =>
    bound ? displayValue(bound, v) : String(v ?? '');
  const add = (c: LeadChange, item: Omit<PreviewItem, 'row' | 'leadId' | 'leadName'>) =>
    items.push({ row: c.row, leadId: c.leadId, leadName: c.leadName, ...item });
  const editItem = (
    checked: CheckedChange,
    e: CheckedChange['send'][number],
    state: ChangeState,
    message: string,
  ) => {
    const c = checked.change;
    const bound = ctx.byKey.get(e.key);
    // In add/remove mode a multi-value field sends only the values added (+) or removed (−), and of those
    // only the ones Close does not have yet (has still), as the push will (one request per value).
    const delta =
      mode !== 'replace' && !needsCheck(ctx, e, mode)
        ? multiDelta(e, mode, state === 'send' ? checked.current?.[e.key] : undefined)
        : null;
    const sign = mode === 'add' ? '+' : '−';
    add(c, {
      field: e.header,
      key: e.key,
      // A hashed pulled value (pulled-value.ts) is shown as Close's value the check matched with it.
      old: !isHashed(e.old)
        ? show(bound, e.old)
        : state === 'send' && checked.current && e.key in checked.current
          ? show(bound, checked.current[e.key])
          : '',
      new: delta ? delta.map((v) => `${sign}${show(bound, v)}`).join('; ') : show(bound, e.value),
      state,
      message: delta && delta.length === 0 ? `Nothing to ${mode} in ${mode} mode: not sent` : message,
    });
  };
  for (const checkedChange of [...checked, ...changes.creates.map(unchecked)]) {
    const { change } = checkedChange;
    if (checkedChange.error) {
      add(change, { field: '', key: '', old: '', new: '', state: 'error', message: checkedChange.error });
      continue;
    }
    for (const e of checkedChange.send) editItem(checkedChange, e, change.leadId ? 'send' : 'create', '');
    for (const { edit, current } of checkedChange.already)
      editItem(
        checkedChange,
        edit,
        'already',
        `Close already has ${JSON.stringify(show(ctx.byKey.get(edit.key), current))}: nothing to send`,
      );
    for (const { edit, current } of checkedChange.conflicts)
      editItem(checkedChange, edit, 'conflict', conflictMessage(ctx.byKey.get(edit.key), edit, current));
    for (const p of change.problems)
      add(change, {
        field: p.header,
        key: p.key,
        old: '',
        new: p.cell,
        state: 'invalid',
        message: p.message,
      });
  }
  for (const e of changes.rowErrors)
    items.push({
      row: e.row,
      leadId: e.leadId,
      leadName: '',
      field: '',
      key: '',
      old: '',
      new: '',
      state: e.kind === 'moved' || e.kind === 'cleared-id' ? 'moved' : 'error',
      message: e.message,
    });
  items.sort((a, b) => a.row - b.row);
  const count = (s: ChangeState) => items.filter((i) => i.state === s).length;
  return {
    sheetName,
    items,
    counts: {
      leads: checked.filter((c) => c.send.length > 0).length,
      fields: count('send'),
      creates: changes.creates.length,
      invalid: count('invalid'),
      conflicts: count('conflict'),
      errors: count('error'),
      moved: count('moved'),
    },
    conflictsChecked: check,
  };
}
