// The push log: every field a push changed in Close, with the value before and the value after (as
// Close returned it), in a hidden sheet of the spreadsheet — not in properties, which are small and
// per-user. It is what "Undo last push" restores from. Each push step appends its fields in one write;
// a push's rows are consecutive (one sync runs at a time), so the last push is the block at the bottom.
import type { Lead } from '../close/types';
import type { CellValue, Grid, Workbook } from '../ports';
import { formatStamp, isDate } from '../schema/dates';
import { writeColumnChanges } from './column-write-back';
import type { FieldEdit, LeadChange } from './changes';
import type { SyncContext } from './context';
import type { PushJob } from './job';
import { isHashed } from './pulled-value';
import { PUSH_LOG_HEADER, TIME_COLUMN, UNDONE_COLUMN } from './push-log-header';
import { type LogShape, ONE_FIELD_LOG } from './step-writes';

export const PUSH_LOG_SHEET = 'Close Sync Push Log';
/** Re-exported: the log's readers and tests know the header as part of the push log. */
export { PUSH_LOG_HEADER };
/** Rows kept: the oldest pushes go first, never rows of the push being written. */
export const PUSH_LOG_MAX_ROWS = 20_000;
/** Values longer than this are not kept (a cell holds 50,000 characters); such a field cannot be undone. */
const MAX_VALUE_CHARS = 45_000;
export const VALUE_NOT_KEPT = '[not kept: too long for a cell]';

export interface PushLogEntry {
  pushId: string;
  /** The kind of Close object ('lead', or a contact or opportunity from a sheet of those). */
  object: string;
  user: string;
  sheetName: string;
  leadId: string;
  leadName: string;
  /** '' for a lead the push created. */
  key: string;
  header: string;
  before: unknown;
  after: unknown;
}

/** The fields of one lead that Close accepted in a PUT. */
export function editLogEntries(
  job: PushJob,
  ctx: SyncContext,
  change: LeadChange,
  sent: FieldEdit[],
  lead: Lead,
): PushLogEntry[] {
  const object = objectKind(ctx);
  return sent.map((e) => ({
    pushId: job.id,
    object,
    user: job.startedBy,
    sheetName: job.sheetName,
    leadId: change.leadId,
    leadName: change.leadName,
    key: e.key,
    header: e.header,
    before: loggableBefore(e),
    after: ctx.byKey.get(e.key)?.column.extract(lead) ?? null,
  }));
}

/**
 * The value an undo puts back. It must be a value: where the snapshot kept the pulled value as a hash
 * (pulled-value.ts), the push logs the value its check read from Close (loggedEdits); a push that sent
 * such an edit without reading Close would leave nothing to undo to, so it is stopped here, loudly.
 */
function loggableBefore(e: FieldEdit): unknown {
  if (isHashed(e.old))
    throw new Error(
      `Close Sync has no value to log as "${e.header}" before the push (internal error: the pushed field was not read from Close).`,
    );
  return e.old ?? null;
}

/** The Field of a created lead's entry when its ID went into no row (push.ts inNoRow): the log names it. */
export const UNPLACED_LOG_FIELD =
  'New lead, in no row of the sheet (its row was deleted or changed while Close created it)';

/** A lead the push created (logged so the undo can say it stays: undo never deletes leads). */
export function createLogEntry(job: PushJob, change: LeadChange, lead: Lead): PushLogEntry {
  return {
    pushId: job.id,
    object: 'lead',
    user: job.startedBy,
    sheetName: job.sheetName,
    leadId: lead.id,
    leadName: change.leadName,
    key: '',
    header: 'New lead',
    before: null,
    after: lead.name ?? change.leadName,
  };
}

/** Characters a Date cell counts (sheet-cost.ts: "a Date or number counts 8"). */
const DATE_CHARS = 8;

/**
 * The push-log rows the `changes` will add once Close takes them, priced before any is sent: one row a
 * field, of the characters appendPushLog writes. Close's value before is the pulled one (`old`; when the
 * snapshot kept only its hash, the value sent stands in for it), and after, the value sent.
 */
export function logShape(job: PushJob, changes: LeadChange[]): LogShape {
  let rows = 0;
  let chars = 0;
  const perRow = job.id.length + DATE_CHARS + job.startedBy.length + job.sheetName.length + 'lead'.length;
  for (const c of changes)
    for (const e of c.edits) {
      rows++;
      const before = isHashed(e.old) ? e.value : e.old;
      chars +=
        perRow +
        c.leadId.length +
        c.leadName.length +
        e.key.length +
        e.header.length +
        valueCell(before).length +
        valueCell(e.value).length;
    }
  if (changes.length === 0 || rows === 0) return ONE_FIELD_LOG;
  return { rowsPerLead: rows / changes.length, charsPerRow: chars / rows };
}

/** The object kind a context works on (lead sheets by default; other kinds say so in their context). */
function objectKind(ctx: SyncContext): string {
  return (ctx as { spec?: { kind?: string } }).spec?.kind ?? 'lead';
}

function valueCell(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  return json.length > MAX_VALUE_CHARS ? VALUE_NOT_KEPT : json;
}

function logSheet(workbook: Workbook): Grid {
  const existing = workbook.sheet(PUSH_LOG_SHEET);
  if (existing) return existing;
  const grid = workbook.createSheet(PUSH_LOG_SHEET, { hidden: true, columns: PUSH_LOG_HEADER.length });
  // Plain text before anything lands: ids, names and JSON must never be parsed by Sheets.
  grid.formatColumns(
    PUSH_LOG_HEADER.map((_, i) => i + 1).filter((c) => c !== TIME_COLUMN),
    '@',
  );
  grid.formatColumns([TIME_COLUMN], 'yyyy-mm-dd hh:mm:ss');
  grid.write(1, 1, [PUSH_LOG_HEADER]);
  return grid;
}

/** Appends a push step's fields in one write; trims the oldest pushes past `maxRows`. */
export function appendPushLog(
  workbook: Workbook,
  entries: PushLogEntry[],
  now: number,
  maxRows = PUSH_LOG_MAX_ROWS,
): void {
  if (entries.length === 0) return;
  const grid = logSheet(workbook);
  const at = Math.max(grid.lastRow(), 1) + 1;
  const rows: CellValue[][] = entries.map((e) => [
    e.pushId,
    new Date(now),
    e.user,
    e.sheetName,
    e.leadId,
    e.leadName,
    e.key,
    e.header,
    e.key ? valueCell(e.before) : '',
    valueCell(e.after),
    '',
    e.object,
  ]);
  grid.ensureSize(at + rows.length - 1, PUSH_LOG_HEADER.length);
  grid.write(at, 1, rows);
  const dataRows = at + rows.length - 2;
  if (dataRows <= maxRows) return;
  // Never trim the push being written (a big push may alone be longer than the cap).
  const ids = grid.read(2, 1, at - 2, 1).map((r) => String(r[0]));
  let firstOfPush = ids.length;
  while (firstOfPush > 0 && ids[firstOfPush - 1] === entries[0].pushId) firstOfPush--;
  const trim = Math.min(dataRows - maxRows, firstOfPush);
  if (trim > 0) grid.deleteRows(2, trim);
}

export interface LoggedField extends PushLogEntry {
  /** Sheet row of the log. */
  row: number;
  /** The value cells could not be read back (too long to keep, or edited by hand). */
  unreadable: boolean;
  /** What an undo did to it ('' when not undone), or what a hand typed there, as it shows (undoneText). */
  undone: string;
  /** The Undone cell as read: what an undo marking other fields writes back into it. */
  undoneCell: CellValue;
}

export interface LoggedPush {
  pushId: string;
  at: number;
  user: string;
  sheetName: string;
  firstRow: number;
  fields: LoggedField[];
}

function parseValue(cell: CellValue): { ok: boolean; value: unknown } {
  if (cell === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(String(cell)) };
  } catch {
    return { ok: false, value: null };
  }
}

/**
 * An Undone cell as the text it shows. An undo writes text there, and the column is plain text; but a
 * hand may type there too (a rep who undid a field in Close), into a cell a paste or Format › Number gave
 * another format, and then Sheets keeps a typed date as a Date (getValues: "Date" for a date cell) and a
 * typed number as a number. String() of a Date is JavaScript's `Mon Nov 30 2026 05:00:00 GMT+0000 …`,
 * not the day the cell shows: a Date reads as its day in the spreadsheet's zone (and its minute, when
 * it has a time of day), in the form the add-on's own stamps take. An unticked checkbox is no mark.
 */
function undoneText(cell: CellValue | undefined, timeZone: () => string): string {
  if (cell === undefined || cell === false) return '';
  if (!isDate(cell)) return String(cell);
  const stamp = formatStamp(cell.getTime(), timeZone());
  return stamp.endsWith(' 00:00') ? stamp.slice(0, 10) : stamp;
}

/** The last push in the log (its block of rows at the bottom), or null when nothing was pushed yet. */
export function readLastPush(workbook: Workbook): LoggedPush | null {
  const grid = workbook.sheet(PUSH_LOG_SHEET);
  const last = grid?.lastRow() ?? 0;
  if (!grid || last < 2) return null;
  const ids = grid.read(2, 1, last - 1, 1).map((r) => String(r[0]));
  const pushId = ids[ids.length - 1];
  let first = ids.length - 1;
  while (first > 0 && ids[first - 1] === pushId) first--;
  const firstRow = first + 2;
  const rows = grid.read(firstRow, 1, last - firstRow + 1, PUSH_LOG_HEADER.length);
  // Asked only when a Date is found (a service call).
  let zone: string | undefined;
  const timeZone = () => {
    zone ??= workbook.timeZone();
    return zone;
  };
  const fields = rows.map((r, i): LoggedField => {
    const key = String(r[6]);
    const before = parseValue(r[8]);
    const after = parseValue(r[9]);
    return {
      pushId,
      object: String(r[11] ?? '') || 'lead',
      user: String(r[2]),
      sheetName: String(r[3]),
      leadId: String(r[4]),
      leadName: String(r[5]),
      key,
      header: String(r[7]),
      before: before.value,
      after: after.value,
      row: firstRow + i,
      unreadable: !before.ok || !after.ok,
      undone: undoneText(r[10], timeZone),
      undoneCell: r[10] ?? '',
    };
  });
  const time = rows[0][1];
  return {
    pushId,
    at: isDate(time) ? time.getTime() : 0,
    user: fields[0].user,
    sheetName: fields[0].sheetName,
    firstRow,
    fields,
  };
}

/**
 * Records what an undo did to each field of the push ('' leaves a field to a later undo): the marks that
 * changed are written in one block from the first to the last, split around any formula or `=` text a
 * hand put between them (column-write-back.ts); the others are left as they are.
 */
export function markUndone(workbook: Workbook, push: LoggedPush, marks: string[]): void {
  const grid = workbook.sheet(PUSH_LOG_SHEET);
  if (!grid) return;
  const changes = new Map<number, CellValue>();
  marks.forEach((m, i) => {
    if (i < push.fields.length && m !== push.fields[i].undone) changes.set(i, m);
  });
  // The cells between are written back as they were read (a Date as that Date), never as their text.
  writeColumnChanges(grid, push.firstRow, UNDONE_COLUMN, (i) => push.fields[i].undoneCell, changes);
}
