// Pull: Close → sheet. Existing leads keep their row (the rep's own columns stay beside the right lead),
// new leads are appended, leads gone from Close are marked, and unpushed edits are kept unless the rep
// says to discard them.
import type { Lead } from '../close/types';
import type { CellValue } from '../ports';
import { NUMBER_FORMATS } from '../schema/codecs';
import { LEAD_ID_KEY, SYNC_STATUS_KEY, leadFieldsParam } from '../schema/columns';
import { formatStamp } from '../schema/dates';
import { writeColumns } from './blocks';
import { computeChanges } from './changes';
import { DEFAULT_SHEET, loadSyncContext, type SyncDeps } from './context';
import { fetchAllLeads } from './fetch-leads';
import { leadIdAt, readSheetTable } from './lead-sheet';
import { GONE_KEY, type LeadValues, Snapshot, readSnapshot, writeSnapshot } from './snapshot';

export interface PullOptions {
  sheetName?: string;
  /** Overwrite unpushed edits with Close's values (the rep said so). */
  discardEdits?: boolean;
  onProgress?: (message: string) => void;
}

export interface PullSummary {
  sheetName: string;
  leads: number;
  added: number;
  refreshed: number;
  gone: number;
  columns: number;
  keptEdits: number;
  discardedEdits: number;
  seconds: number;
  message: string;
}

const editKey = (leadId: string, key: string) => `${leadId}\u0000${key}`;

export function pullLeads(deps: SyncDeps, options: PullOptions = {}): PullSummary {
  const started = deps.clock.now();
  const sheetName = options.sheetName ?? DEFAULT_SHEET;
  const ctx = loadSyncContext(deps);
  const leads = fetchAllLeads(deps.client, leadFieldsParam(ctx.columns), (n, pages) =>
    options.onProgress?.(`Fetched ${n} leads (${pages} pages)`),
  );

  const grid = deps.workbook.sheet(sheetName) ?? deps.workbook.createSheet(sheetName);
  const table = readSheetTable(grid);
  const oldSnapshot = readSnapshot(deps.workbook, sheetName);

  // Unpushed edits and invalid values are the rep's typing: keep them (and their old snapshot values,
  // so the push still sees them as edits and checks them against Close) unless told to discard.
  const pending = computeChanges(table, [...ctx.byKey.values()], oldSnapshot);
  const kept = new Set<string>();
  const keptPerLead = new Map<string, number>();
  let pendingCount = 0;
  for (const change of pending.updates) {
    for (const f of [...change.edits, ...change.problems]) {
      pendingCount++;
      if (options.discardEdits) continue;
      kept.add(editKey(change.leadId, f.key));
      keptPerLead.set(change.leadId, (keptPerLead.get(change.leadId) ?? 0) + 1);
    }
  }

  // Columns: bound ones stay where the rep put them; new ones go to the end.
  const columnOf = new Map(table.columnOf);
  let width = table.width;
  const added: number[] = [];
  for (const column of ctx.columns) {
    if (!columnOf.has(column.key)) {
      columnOf.set(column.key, ++width);
      added.push(width);
    }
  }

  const rows: CellValue[][] = table.rows.map((r) => [
    ...r,
    ...new Array<CellValue>(width - r.length).fill(''),
  ]);
  const rowOfLead = new Map<string, number>();
  table.rows.forEach((_, i) => {
    const id = leadIdAt(table, i);
    if (id && !rowOfLead.has(id)) rowOfLead.set(id, i);
  });

  const stamp = formatStamp(deps.clock.now(), ctx.timeZone);
  const statusColumn = columnOf.get(SYNC_STATUS_KEY)!;
  const snapshot = new Snapshot();
  let addedLeads = 0;
  for (const lead of leads) {
    let index = rowOfLead.get(lead.id);
    if (index === undefined) {
      index = rows.push(new Array<CellValue>(width).fill('')) - 1;
      rowOfLead.set(lead.id, index);
      addedLeads++;
    }
    snapshot.set(lead.id, placeLead(lead, rows[index], columnOf, ctx, kept, oldSnapshot.get(lead.id)));
    const keptHere = keptPerLead.get(lead.id);
    if (keptHere)
      rows[index][statusColumn - 1] = `kept ${keptHere} unpushed edit${keptHere > 1 ? 's' : ''} · ${stamp}`;
  }

  const pulledIds = new Set(leads.map((l) => l.id));
  let gone = 0;
  for (const [id, index] of rowOfLead) {
    const before = oldSnapshot.get(id);
    if (pulledIds.has(id) || !before) continue;
    gone++;
    rows[index][statusColumn - 1] = `not in Close any more (deleted or merged?) · ${stamp}`;
    snapshot.set(id, { ...before, [GONE_KEY]: true });
  }

  options.onProgress?.(`Writing ${leads.length} leads to "${sheetName}"…`);
  writeSheet(grid, rows, width, columnOf, ctx, added);
  writeSnapshot(deps.workbook, sheetName, snapshot, snapshotKeys(ctx.columns.map((c) => c.key)));

  const seconds = Math.round((deps.clock.now() - started) / 100) / 10;
  const keptEdits = options.discardEdits ? 0 : pendingCount;
  const parts = [`Pulled ${leads.length} leads into "${sheetName}" (${addedLeads} new`];
  if (gone) parts.push(`, ${gone} no longer in Close`);
  parts.push(`) in ${seconds}s.`);
  if (keptEdits)
    parts.push(
      ` Kept ${keptEdits} unpushed edit${keptEdits > 1 ? 's' : ''}: push them or pull with "discard edits".`,
    );
  if (options.discardEdits && pendingCount) parts.push(` Discarded ${pendingCount} unpushed edits.`);
  return {
    sheetName,
    leads: leads.length,
    added: addedLeads,
    refreshed: leads.length - addedLeads,
    gone,
    columns: ctx.columns.length,
    keptEdits,
    discardedEdits: options.discardEdits ? pendingCount : 0,
    seconds,
    message: parts.join(''),
  };
}

function snapshotKeys(keys: string[]): string[] {
  return [...keys.filter((k) => k !== LEAD_ID_KEY && k !== SYNC_STATUS_KEY), GONE_KEY];
}

/** Encodes a lead into its row (skipping kept edits) and returns its snapshot values. */
function placeLead(
  lead: Lead,
  row: CellValue[],
  columnOf: Map<string, number>,
  ctx: ReturnType<typeof loadSyncContext>,
  kept: Set<string>,
  before: LeadValues | undefined,
): LeadValues {
  const values: LeadValues = {};
  for (const column of ctx.columns) {
    if (column.key === SYNC_STATUS_KEY) continue;
    const apiValue = column.extract(lead);
    if (kept.has(editKey(lead.id, column.key))) {
      values[column.key] = before?.[column.key] ?? null;
      continue;
    }
    values[column.key] = apiValue;
    row[columnOf.get(column.key)! - 1] = ctx.byKey.get(column.key)!.codec.encode(apiValue);
  }
  return values;
}

function writeSheet(
  grid: ReturnType<typeof readSheetTable>['grid'],
  rows: CellValue[][],
  width: number,
  columnOf: Map<string, number>,
  ctx: ReturnType<typeof loadSyncContext>,
  addedColumns: number[],
): void {
  grid.ensureSize(rows.length + 1, width);
  const byFormat = new Map<string, number[]>();
  for (const column of ctx.columns) {
    const format = NUMBER_FORMATS[column.kind];
    byFormat.set(format, [...(byFormat.get(format) ?? []), columnOf.get(column.key)!]);
  }
  // Formats first: a text column must be plain text before values land, or Sheets coerces them.
  for (const [format, columns] of byFormat) grid.formatColumns(columns, format);
  if (addedColumns.length > 0) {
    const header: CellValue[] = new Array<CellValue>(width).fill('');
    for (const column of ctx.columns) header[columnOf.get(column.key)! - 1] = column.header;
    writeColumns(grid, 1, [header], addedColumns);
    for (const column of ctx.columns) {
      const at = columnOf.get(column.key)!;
      if (addedColumns.includes(at)) grid.bindColumn(at, column.key);
    }
    grid.styleColumns(
      ctx.columns
        .filter((c) => !c.editable && addedColumns.includes(columnOf.get(c.key)!))
        .map((c) => columnOf.get(c.key)!),
      ctx.columns
        .filter((c) => c.editable && addedColumns.includes(columnOf.get(c.key)!))
        .map((c) => columnOf.get(c.key)!),
    );
  }
  writeColumns(
    grid,
    2,
    rows,
    ctx.columns.map((c) => columnOf.get(c.key)!),
  );
}
