// Pull: Close → sheet. Existing leads keep their row (the rep's own columns stay beside the right lead),
// new leads are appended, leads gone from Close are marked, and unpushed edits are kept unless the rep
// says to discard them.
//
// A pull runs in steps (see job.ts): each step reads the sheet and snapshot, fetches pages until its
// deadline, writes the rows it touched and their snapshot entries, and only then records its progress.
// A step that dies before recording is simply redone: rows are found by Lead ID, so nothing is written
// twice, and the pager re-reads the same pages, so nothing is skipped.
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { CellValue, Grid } from '../ports';
import { NUMBER_FORMATS, apiValuesEqual } from '../schema/codecs';
import {
  type Column,
  LEAD_ID_KEY,
  STANDARD_COLUMNS,
  SYNC_STATUS_KEY,
  leadFieldsOf,
  leadFieldsParam,
} from '../schema/columns';
import { bindingNote } from './binding';
import { formatStamp } from '../schema/dates';
import { writeColumns } from './blocks';
import { type BoundColumn, fieldChange } from './changes';
import { type SyncContext, type SyncDeps, loadSyncContext } from './context';
import type { PullDefinition } from './definition';
import { OBJECTS } from '../schema/objects';
import { type Deadline, type PullJob, newJobId } from './job';
import {
  acceptCount,
  acceptWave,
  countCall,
  endStep,
  fetchNextWave,
  guessedWave,
  newPagerState,
  takeTzOffset,
} from './lead-pager';
import { leadIdAt, readSheetTable } from './lead-sheet';
import {
  GONE_KEY,
  SNAPSHOT_COLUMNS,
  type Snapshot,
  readSnapshot,
  snapshotSheetName,
  writeSnapshot,
} from './snapshot';

export interface PullOptions {
  sheetName?: string;
  /** Overwrite unpushed edits with Close's values (the rep said so). */
  discardEdits?: boolean;
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
  steps: number;
  /** Why not every lead came back (nothing was then marked as gone). */
  incomplete?: string;
  message: string;
}

export interface PullStep {
  job: PullJob;
  done: boolean;
  summary?: PullSummary;
  message: string;
}

/** Sheets' limit on cells in one spreadsheet, and the size of a new sheet. */
export const MAX_SPREADSHEET_CELLS = 10_000_000;
const NEW_SHEET_ROWS = 1000;
const NEW_SHEET_COLUMNS = 26;
/** Cells per setValues call: big enough to be few calls, small enough to stay well inside Sheets' limits. */
const WRITE_CELLS = 600_000;
/** A step stops fetching with this much time left, to write what it has. */
const WRITE_RESERVE_MS = 60_000;

export function newPullJob(
  options: PullOptions,
  now: number,
  user: string,
  definition?: PullDefinition,
): PullJob {
  const def: PullDefinition = definition ?? { kind: 'lead', source: { type: 'all' }, fields: null };
  return {
    kind: 'pull',
    definition: def,
    id: newJobId(now),
    sheetName: options.sheetName ?? OBJECTS[def.kind].defaultSheet,
    discardEdits: Boolean(options.discardEdits),
    discarded: 0,
    startedAt: now,
    startedBy: user,
    steps: 0,
    pager: newPagerState(def.source),
    added: 0,
    refreshed: 0,
    keptEdits: 0,
  };
}

interface Layout {
  grid: Grid;
  rows: CellValue[][];
  width: number;
  columnOf: Map<string, number>;
  addedColumns: number[];
  /** Columns found by their header text after their binding note was lost: the note is written back. */
  rebound: number[];
  /** Rows the sheet had before this step (rows past them are new leads). */
  existingRows: number;
  /** Keys of the columns the sheet already had: only their cells can hold the rep's edits. */
  tracked: Set<string>;
  rowOfLead: Map<string, number>;
  /** Schema drift since the last pull: headers to rewrite and columns whose type changed. */
  headerUpdates: Array<{ column: number; text: string }>;
  retyped: number[];
}

export const DELETED_MARK = ' (deleted in Close)';

/**
 * Where new columns go: the row's ID first (frozen), then what the rep can edit (Name leads), then what
 * else is filled from Close, then Sync status. Rows are matched by ID, so the one mistake that writes to
 * the wrong lead is moving values without their ID: sorting a selected block (Data › Sort range) or
 * pasting rows beside the ID column. With the ID left of the editable block, any selection that starts
 * at the sheet's left edge or the row headers takes the ID along, and a frozen first column keeps it in
 * sight beside every row; with the ID in the middle of the read-only columns (the layout before), the
 * natural selection of "my columns" was exactly the editable block without it. What still gets past
 * the layout is caught at push (row-guards.ts). Sheets pulled before keep their order.
 */
function arrangeNewColumns(columns: Column[]): Column[] {
  const rank = (c: Column) =>
    c.key === LEAD_ID_KEY ? 0 : c.key === SYNC_STATUS_KEY ? 3 : c.editable ? 1 : 2;
  return columns
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c);
}

/** A short fingerprint of a dropdown's choices. */
function listFingerprint(values: string[]): string {
  let h = 0x811c9dc5;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return `${values.length}.${(h >>> 0).toString(36)}`;
}

/**
 * The name of the list a column's dropdown shows: one per custom field's choices, one for the users and
 * one per kind of status, so columns showing the same list (in any sheet) share it.
 */
function dropdownList(column: Column): string {
  switch (column.kind) {
    case 'user':
      return 'Close users';
    case 'status':
      return 'Lead statuses';
    case 'opportunity_status':
      return 'Opportunity statuses';
    default:
      return column.key;
  }
}

/** The choices a column's dropdown offers: single-valued choice-like columns only. */
function dropdownValues(column: Column, ctx: SyncContext): string[] | null {
  if (!column.editable) return null;
  switch (column.kind) {
    case 'choice':
      return column.choices && column.choices.length > 0 ? column.choices : null;
    case 'status':
      return ctx.env.statuses.labels();
    case 'opportunity_status':
      return ctx.env.opportunityStatuses.labels();
    case 'user':
      return ctx.env.users.labels();
    default:
      return null;
  }
}

function layoutSheet(
  deps: SyncDeps,
  ctx: SyncContext,
  sheetName: string,
  seen: PullDefinition['seen'],
): Layout {
  const grid = deps.workbook.sheet(sheetName) ?? deps.workbook.createSheet(sheetName);
  const table = readSheetTable(grid);
  const columnOf = new Map(table.columnOf);
  let width = table.width;
  const addedColumns: number[] = [];
  const rebound: number[] = [];
  const bound = new Set(columnOf.values());
  for (const column of arrangeNewColumns(ctx.columns.filter((c) => !columnOf.has(c.key)))) {
    // A column this sheet had at its last pull whose note was cleared is still recognised by its
    // header, if exactly one unbound header says it: its cells then count as the rep's edits.
    const header = seen?.[column.key]?.header;
    const sameHeader: number[] = [];
    if (header)
      table.header.forEach((h, i) => {
        if (!bound.has(i + 1) && String(h).trim() === header) sameHeader.push(i + 1);
      });
    if (sameHeader.length === 1) {
      columnOf.set(column.key, sameHeader[0]);
      table.columnOf.set(column.key, sameHeader[0]);
      bound.add(sameHeader[0]);
      rebound.push(sameHeader[0]);
    } else {
      columnOf.set(column.key, ++width);
      addedColumns.push(width);
    }
  }
  if (addedColumns.includes(columnOf.get(LEAD_ID_KEY)!)) refuseUnboundIds(sheetName, table, ctx);
  const rows = table.rows.map((r) =>
    r.length < width ? [...r, ...new Array<CellValue>(width - r.length).fill('')] : r,
  );
  const rowOfLead = new Map<string, number>();
  table.rows.forEach((_, i) => {
    const id = leadIdAt(table, i);
    if (id && !rowOfLead.has(id)) rowOfLead.set(id, i);
  });
  const { headerUpdates, retyped } = schemaDrift(ctx, table, seen);
  return {
    grid,
    rows,
    width,
    columnOf,
    addedColumns,
    rebound,
    existingRows: rows.length,
    tracked: new Set(table.columnOf.keys()),
    rowOfLead,
    headerUpdates,
    retyped,
  };
}

const CLOSE_ID = /^(lead|cont|oppo)_[A-Za-z0-9]+$/;

/**
 * A sheet with Close ids in it but no column bound to them: its header row was deleted (its notes went
 * with it) or its notes cleared. A pull would add every lead again beside the rows already there and
 * strand the rep's edits in them, so it stops and says how to get the header back.
 */
function refuseUnboundIds(
  sheetName: string,
  table: ReturnType<typeof readSheetTable>,
  ctx: SyncContext,
): void {
  for (const row of [table.header, ...table.rows]) {
    const at = row.findIndex((v) => typeof v === 'string' && CLOSE_ID.test(v.trim()));
    if (at < 0) continue;
    const letter = columnName(at + 1);
    throw new Error(
      `"${sheetName}" holds Close ids (column ${letter}) but no header row Close Sync can read: the header was deleted, or its notes were cleared. A pull now would add every ${ctx.spec.noun} again below the rows already there, so nothing was changed. Bring the header row back (Edit › Undo), or pull into a new sheet.`,
    );
  }
}

function columnName(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * What changed in Close's schema since the last pull: a renamed field gets its new name (unless the
 * rep renamed the header), a deleted field's column is kept and marked (never written or pushed), and
 * a field whose type changed is reformatted.
 */
function schemaDrift(
  ctx: SyncContext,
  table: ReturnType<typeof readSheetTable>,
  seen: PullDefinition['seen'],
) {
  const headerUpdates: Layout['headerUpdates'] = [];
  const retyped: number[] = [];
  const known = new Set(ctx.spec.columns(ctx.org).map((c) => c.key));
  for (const [key, column] of table.columnOf) {
    const shown = String(table.header[column - 1] ?? '');
    const model = ctx.byKey.get(key)?.column;
    if (!model) {
      if (key.startsWith('custom.') && !known.has(key) && !shown.endsWith(DELETED_MARK))
        headerUpdates.push({ column, text: `${shown}${DELETED_MARK}` });
      continue;
    }
    const before = seen?.[key];
    if (!before) continue;
    if (shown === before.header && model.header !== before.header)
      headerUpdates.push({ column, text: model.header });
    if (before.type !== (model.fieldType ?? model.kind)) retyped.push(column);
  }
  return { headerUpdates, retyped };
}

/**
 * Before anything is written, the sheet and its snapshot are made (the snapshot first, so the rep is
 * left on the sheet) and grown to hold the whole pull. Sheets refuses to grow a spreadsheet past 10
 * million cells; its refusal now, rather than halfway through, becomes a message that says what to do,
 * and the sheets this run made are taken back. Growing is the check: counting every sheet's cells
 * first would cost two service calls per sheet on every pull. Returns the first row the sheet grew by.
 */
function prepareSheets(
  deps: SyncDeps,
  ctx: SyncContext,
  sheetName: string,
  expectedLeads: number,
  likelyNew: boolean,
): number {
  const { workbook } = deps;
  const snapshotName = snapshotSheetName(sheetName);
  const specs = [{ name: snapshotName, hidden: true, columns: SNAPSHOT_COLUMNS }, { name: sheetName }];
  let created: string[] = [];
  let rows = expectedLeads + 1;
  let width = ctx.columns.length;
  try {
    if (likelyNew) {
      // No pull went into this sheet before: both are made without looking them up first.
      const made = workbook.ensureSheets(specs);
      created = specs.filter((_, i) => made[i].created).map((s) => s.name);
    } else {
      const missing = specs.filter((s) => !workbook.sheet(s.name));
      if (missing.length > 0) workbook.createSheets(missing);
      created = missing.map((s) => s.name);
    }
    const sheet = workbook.sheet(sheetName)!;
    width = Math.max(sheet.lastColumn(), width);
    rows = Math.max(sheet.lastRow(), rows);
    workbook.sheet(snapshotName)!.ensureSize(expectedLeads + 1, SNAPSHOT_COLUMNS);
    return sheet.ensureSize(rows, width);
  } catch (e) {
    for (const name of created) if (workbook.sheet(name)) workbook.deleteSheet(name);
    const needed =
      Math.max(rows, NEW_SHEET_ROWS) * Math.max(width, NEW_SHEET_COLUMNS) +
      Math.max(expectedLeads + 1, NEW_SHEET_ROWS) * SNAPSHOT_COLUMNS;
    const others = workbook.cellCount([sheetName, snapshotName]);
    if (needed + others <= MAX_SPREADSHEET_CELLS) throw e;
    const fmt = (n: number) => n.toLocaleString('en-US');
    throw new Error(
      `This pull does not fit in a spreadsheet: ${fmt(expectedLeads)} leads × ${width} columns need about ` +
        `${fmt(needed)} cells, and Google Sheets holds at most ${fmt(MAX_SPREADSHEET_CELLS)} (other sheets here use ` +
        `${fmt(others)}). Pull fewer fields, or a Smart View with fewer leads, or use a new spreadsheet. Nothing was changed.`,
    );
  }
}

/**
 * A pull's first pages, asked for before the schema and the count are known, so they ride in the
 * schema's wave: for a re-pull, as many as the sheet has rows (and one more); for a first pull of every
 * lead, as many as the organization had when the key was connected. A sheet of every field asks for
 * every custom field (`custom`); one of chosen fields, for the fields its last pull showed. Leads only
 * (a contact or opportunity sheet's rows do not count leads), and not Smart Views (they page by cursor).
 */
function guessFirstPages(
  deps: SyncDeps,
  job: PullJob,
): { calls: CloseCall[]; fields: Set<string>; expected: number } | null {
  const { seen, kind, fields: chosen } = job.definition;
  if (kind !== 'lead') return null;
  let expected: number;
  if (seen) expected = (deps.workbook.sheet(job.sheetName)?.lastRow() ?? 0) - 1;
  else if (chosen === null && !job.pager.filter && deps.owner?.leadCount !== undefined)
    expected = deps.owner.leadCount;
  else return null;
  // Every field: `custom` holds every custom field, those added in Close since included.
  const fields =
    chosen === null
      ? [...leadFieldsOf(STANDARD_COLUMNS.map((c) => c.key)), 'custom']
      : leadFieldsOf(Object.keys(seen ?? {}));
  const calls = guessedWave(job.pager, fields, expected);
  return calls ? { calls, fields: new Set(fields), expected } : null;
}

/** Whether pages asked for with `guessed` fields hold every field in `needed` (`custom` holds them all). */
function coversFields(guessed: Set<string>, needed: string[]): boolean {
  return needed.every((f) => guessed.has(f) || (f.startsWith('custom.') && guessed.has('custom')));
}

/** Runs one step of a pull: fetches until the deadline, writes, and says whether the pull is done. */
export function runPullStep(
  deps: SyncDeps,
  job: PullJob,
  deadline: Deadline,
  onProgress?: (message: string) => void,
): PullStep {
  // A copy: a step that fails leaves the saved job as it was (the pager's state nests).
  job = { ...job, steps: job.steps + 1, pager: JSON.parse(JSON.stringify(job.pager)) };
  const firstStep = job.pager.pages === 0;
  takeTzOffset(job.pager, deps.clock.now(), () => deps.workbook.timeZone());
  const count = countCall(job.pager);
  const guess = firstStep ? guessFirstPages(deps, job) : null;
  // The first wave may be all the pages: say so before it goes.
  onProgress?.(
    guess
      ? `Fetching about ${guess.expected.toLocaleString('en-US')} leads from Close…`
      : `Fetching from Close (${job.pager.fetched} leads so far)…`,
  );
  const ctx = loadSyncContext(deps, { kind: job.definition.kind, fields: job.definition.fields }, [
    ...(count ? [count] : []),
    ...(guess?.calls ?? []),
  ]);
  if (count) acceptCount(job.pager, ctx.replies[0]);
  const fields = ctx.spec.kind === 'lead' ? leadFieldsParam(ctx.columns) : ctx.spec.leadFields;
  // Pages asked for with the last pull's fields are good when the sheet needs no field more (else a
  // field was added in Close since, and the pages are asked for again).
  let firstLeads: Lead[] = [];
  let guessed: CloseReply[] | null = null;
  let grownFrom = 0;
  if (guess && coversFields(guess.fields, fields)) {
    guessed = ctx.replies.slice(count ? 1 : 0);
    // Read as they are placed (below), unless their number is needed first.
    if (job.pager.windowTotal === null) {
      firstLeads = acceptWave(job.pager, guessed);
      guessed = null;
    }
  } else if (guess) job.pager.lastWave = undefined;
  // Check the leads fit before touching the spreadsheet: by the count, else by the first page's total.
  if (firstStep) {
    if (job.pager.windowTotal === null && job.pager.pages === 0)
      firstLeads = fetchNextWave(deps.client, fields, job.pager);
    grownFrom = prepareSheets(
      deps,
      ctx,
      job.sheetName,
      job.pager.windowTotal ?? firstLeads.length,
      !job.definition.seen,
    );
  }
  const layout = layoutSheet(deps, ctx, job.sheetName, job.definition.seen);
  const snapshot = readSnapshot(deps.workbook, job.sheetName);
  const stepStart = deps.clock.now();
  let stampText: string | undefined;
  const stamp = () => {
    stampText ??= formatStamp(stepStart, ctx.timeZone);
    return stampText;
  };
  const statusColumn = layout.columnOf.get(SYNC_STATUS_KEY)!;
  let firstTouched = Number.POSITIVE_INFINITY;
  let lastTouched = -1;
  const touch = (index: number) => {
    firstTouched = Math.min(firstTouched, index);
    lastTouched = Math.max(lastTouched, index);
  };

  const place = (leads: Lead[]) => {
    for (const lead of ctx.spec.kind === 'lead' ? leads : leads.flatMap((l) => ctx.spec.objectsOf(l))) {
      // Already placed by this pull (read again after a step was redone, or past a window boundary).
      if (snapshot.generationOf(lead.id) === job.id) continue;
      let index = layout.rowOfLead.get(lead.id);
      if (index === undefined) {
        index = layout.rows.push(new Array<CellValue>(layout.width).fill('')) - 1;
        layout.rowOfLead.set(lead.id, index);
        job.added++;
      } else job.refreshed++;
      touch(index);
      const kept = placeLead(lead, index, layout, ctx, snapshot, job.discardEdits);
      job.discarded += kept.discarded;
      snapshot.setPacked(lead.id, kept.packed, job.id);
      if (kept.unverified > 0) {
        job.unverified = (job.unverified ?? 0) + kept.unverified;
        job.unverifiedRows = (job.unverifiedRows ?? 0) + 1;
        layout.rows[index][statusColumn - 1] =
          `kept ${cells(kept.unverified)} that differ${kept.unverified > 1 ? '' : 's'} from Close: no record of your last pull here, so check ${kept.unverified > 1 ? 'them' : 'it'} (Push sends ${kept.unverified > 1 ? 'them' : 'it'}) · ${stamp()}`;
      } else if (kept.count > 0) {
        job.keptEdits += kept.count;
        job.keptRows = (job.keptRows ?? 0) + 1;
        layout.rows[index][statusColumn - 1] =
          `kept ${kept.count} unpushed edit${kept.count > 1 ? 's' : ''} · ${stamp()}`;
      }
    }
  };
  const report = () => onProgress?.(`Fetched ${job.pager.fetched} leads (${job.pager.pages} pages)`);
  place(firstLeads);
  if (guessed) acceptWave(job.pager, guessed, place);
  report();
  const reserve = deadline.reserve(WRITE_RESERVE_MS);
  while (!job.pager.done && deadline.timeLeft() > reserve) {
    const pages = job.pager.pages;
    // Each page is placed as it is read: one page's objects in memory at a time.
    fetchNextWave(deps.client, fields, job.pager, deadline.stopAt(reserve), place);
    report();
    // No page could be sent before the deadline: the rest is the next step's.
    if (job.pager.pages === pages) break;
  }

  endStep(job.pager);
  let gone = 0;
  // A pull that could not read every lead marks none as gone: the ones it missed are still in Close.
  if (job.pager.done && !job.pager.incomplete) {
    for (const [id, index] of layout.rowOfLead) {
      if (!snapshot.has(id) || snapshot.generationOf(id) === job.id) continue;
      // A damaged record is rewritten with the mark alone (the row is not pushed either way).
      const before = snapshot.get(id) ?? {};
      gone++;
      touch(index);
      layout.rows[index][statusColumn - 1] = `not in Close any more (deleted or merged?) · ${stamp()}`;
      if (!before[GONE_KEY]) snapshot.set(id, { ...before, [GONE_KEY]: true });
    }
  }

  onProgress?.(
    `Writing ${lastTouched - Math.min(firstTouched, lastTouched) + 1} rows to "${job.sheetName}"…`,
  );
  writeSheet(layout, ctx, job.definition.seen, firstTouched, lastTouched, grownFrom);
  writeSnapshot(deps.workbook, job.sheetName, snapshot);

  const message = `Pulled ${job.pager.fetched} leads so far (${job.pager.pages} pages, step ${job.steps})…`;
  if (!job.pager.done) return { job, done: false, message };
  job.definition = { ...job.definition, seen: seenColumns(ctx) };
  const seconds = Math.round((deps.clock.now() - job.startedAt) / 100) / 10;
  const summary = pullSummary(job, ctx, gone, seconds);
  return { job, done: true, summary, message: summary.message };
}

/** Header, Close type and dropdown of each column as this pull wrote them: the next pull compares. */
function seenColumns(ctx: SyncContext): NonNullable<PullDefinition['seen']> {
  const seen: NonNullable<PullDefinition['seen']> = {};
  for (const c of ctx.columns) {
    const list = dropdownValues(c, ctx);
    seen[c.key] = {
      header: c.header,
      type: c.fieldType ?? c.kind,
      ...(list ? { list: listFingerprint(list) } : {}),
    };
  }
  return seen;
}

function pullSummary(job: PullJob, ctx: SyncContext, gone: number, seconds: number): PullSummary {
  const { noun } = ctx.spec;
  const objects = job.added + job.refreshed;
  const what =
    noun === 'lead'
      ? `${job.pager.fetched} leads`
      : `${objects} ${noun === 'opportunity' ? (objects === 1 ? 'opportunity' : 'opportunities') : `${noun}${objects === 1 ? '' : 's'}`} of ${job.pager.fetched} leads`;
  const parts = [`Pulled ${what} into "${job.sheetName}" (${job.added} new`];
  if (gone) parts.push(`, ${gone} no longer in Close`);
  parts.push(`) in ${seconds}s.`);
  if (job.keptEdits)
    parts.push(
      ` Kept ${job.keptEdits} unpushed edit${job.keptEdits > 1 ? 's' : ''}: push them or pull with "discard edits".`,
    );
  if (job.unverified)
    parts.push(
      ` Kept ${cells(job.unverified)} that differ from Close in ${job.unverifiedRows} row${job.unverifiedRows === 1 ? '' : 's'} with no record of the last pull into this sheet (a copied sheet, or Close Sync's hidden snapshot was deleted or damaged), so Close Sync cannot tell your edits from older values: check the rows marked in Sync status. Push sends those cells; pull with "discard edits" takes Close's values.`,
    );
  if (job.discarded) parts.push(` Discarded ${job.discarded} unpushed edit${job.discarded > 1 ? 's' : ''}.`);
  if (job.pager.incomplete)
    parts.push(
      ` Not every lead came back: ${job.pager.incomplete}, so no row was marked as gone from Close. ` +
        `Pull again; if this keeps happening, narrow the ${job.definition.source.type === 'smart_view' ? 'Smart View' : 'query'}.`,
    );
  return {
    sheetName: job.sheetName,
    leads: job.pager.fetched,
    added: job.added,
    refreshed: job.refreshed,
    gone,
    columns: ctx.columns.length,
    keptEdits: job.keptEdits,
    discardedEdits: job.discarded,
    seconds,
    steps: job.steps,
    ...(job.pager.incomplete ? { incomplete: job.pager.incomplete } : {}),
    message: parts.join(''),
  };
}

/**
 * Encodes a lead into its row and returns its snapshot values, in the step's layout (the editable
 * columns in order). A cell that does not show what Close has now is the rep's unpushed edit (or
 * invalid typing) when it also differs from what the last pull wrote: it is kept, unless the rep asked
 * to discard edits. The comparison with Close's new value comes first and settles nearly every cell,
 * so a re-pull decodes only the cells that differ.
 */
function placeLead(
  lead: Lead,
  index: number,
  layout: Layout,
  ctx: SyncContext,
  snapshot: Snapshot,
  discard: boolean,
): { packed: unknown[]; count: number; discarded: number; unverified: number } {
  const row = layout.rows[index];
  // Only a row this sheet already had, of a lead still in Close, holds edits. With a record of the last
  // pull, a cell is an edit when it differs from that record; without one (no snapshot, a damaged row,
  // a copied sheet), every cell that differs from Close is kept: it may be the rep's edit.
  const existing = index < layout.existingRows && !snapshot.isGone(lead.id);
  // Whether the row's record is usable is only found out (by unpacking it) when a cell differs.
  let mode: 'none' | 'edits' | 'unknown' = !existing ? 'none' : snapshot.has(lead.id) ? 'edits' : 'unknown';
  let before: ReturnType<Snapshot['get']>;
  const list = placements(layout, ctx);
  const packed = new Array<unknown>(list.editable + 1);
  packed[0] = snapshotLayout(list, snapshot);
  let k = 1;
  let count = 0;
  let discarded = 0;
  let unverified = 0;
  for (let i = 0; i < list.length; i++) {
    const { column, bound, at, watch } = list[i];
    const apiValue = column.extract(lead);
    const cell = bound.codec.encode(apiValue);
    if (watch && mode !== 'none' && !bound.codec.shows(row[at], cell)) {
      if (mode === 'edits') {
        before ??= snapshot.get(lead.id);
        if (!before) mode = 'unknown';
      }
      if (mode === 'unknown') {
        const { edit, problem } = fieldChange(bound, row[at], apiValue);
        if (problem || edit) {
          if (!discard) {
            // Recorded as Close has it now: a push sends the kept cell, checked against Close as usual.
            packed[k++] = apiValue;
            unverified++;
            continue;
          }
          discarded++;
        }
      } else {
        const { edit, problem } = fieldChange(bound, row[at], before![column.key]);
        // An edit that already equals Close's value is no edit any more (e.g. a step that wrote rows
        // and died before its snapshot): Close's value is taken.
        if (problem || (edit && !apiValuesEqual(edit.value, apiValue, column.kind))) {
          if (!discard) {
            packed[k++] = before![column.key] ?? null;
            count++;
            continue;
          }
          discarded++;
        }
      }
    }
    if (column.editable) packed[k++] = apiValue;
    row[at] = cell;
  }
  return { packed, count, discarded, unverified };
}

function cells(n: number): string {
  return `${n} cell${n === 1 ? '' : 's'}`;
}

type Placements = Array<{ column: Column; bound: BoundColumn; at: number; watch: boolean }> & {
  /** How many of the columns are editable (their values make the snapshot row). */
  editable: number;
  /** The snapshot layout of the editable columns' keys, once asked for. */
  layout?: number;
};

const placementCache = new WeakMap<Layout, Placements>();

/** Where each column's value goes in a row, worked out once per step rather than per lead. */
function placements(layout: Layout, ctx: SyncContext): Placements {
  let list = placementCache.get(layout);
  if (!list) {
    const found = ctx.columns
      .filter((c) => c.key !== SYNC_STATUS_KEY)
      .map((column) => ({
        column,
        bound: ctx.byKey.get(column.key)!,
        at: layout.columnOf.get(column.key)! - 1,
        // An editable column the sheet already had: its cells may hold the rep's edits.
        watch: column.editable && layout.tracked.has(column.key),
      }));
    list = Object.assign(found, { editable: found.filter((p) => p.column.editable).length });
    placementCache.set(layout, list);
  }
  return list;
}

function snapshotLayout(list: Placements, snapshot: Snapshot): number {
  list.layout ??= snapshot.layoutOf(list.filter((p) => p.column.editable).map((p) => p.column.key));
  return list.layout;
}

function writeSheet(
  layout: Layout,
  ctx: SyncContext,
  seen: PullDefinition['seen'],
  first: number,
  last: number,
  /** The first row this step grew the sheet by already, if it did (see prepareSheets). */
  grownBefore: number,
): void {
  const { grid, columnOf, addedColumns, width } = layout;
  const grownNow = grid.ensureSize(layout.rows.length + 1, width);
  const grownFrom = grownBefore > 0 ? grownBefore : grownNow;
  for (const { column, text } of layout.headerUpdates) grid.write(1, column, [[text]]);
  const columnAt = new Map(ctx.columns.map((c) => [columnOf.get(c.key)!, c]));
  if (layout.rebound.length > 0)
    grid.bindColumns(layout.rebound.map((at) => ({ column: at, note: bindingNote(columnAt.get(at)!) })));
  if (layout.retyped.length > 0) {
    const byFormat = new Map<string, number[]>();
    for (const at of layout.retyped) {
      const format = NUMBER_FORMATS[columnAt.get(at)!.kind];
      byFormat.set(format, [...(byFormat.get(format) ?? []), at]);
    }
    // Formats first: a text column must be plain text before values land, or Sheets coerces them.
    for (const [format, columns] of byFormat) grid.formatColumns(columns, format);
  }
  const added = new Set(addedColumns);
  const managed = ctx.columns.map((c) => columnOf.get(c.key)!);
  // A new sheet's header row goes with its first rows, in the same setValues.
  const headerWithRows =
    first === 0 && last >= first && addedColumns.length === width && managed.length === width;
  grid.setUpColumns(
    addedColumns.map((at) => {
      const column = columnAt.get(at)!;
      return {
        column: at,
        header: column.header,
        note: bindingNote(column),
        format: NUMBER_FORMATS[column.kind],
        readOnly: !column.editable,
        dropdown: dropdownValues(column, ctx),
        list: dropdownList(column),
      };
    }),
    {
      headersWrittenLater: headerWithRows,
      // A new sheet's ID column (first, see arrangeNewColumns) stays in view beside every row.
      freezeFirstColumn: addedColumns.includes(1) && columnAt.get(1)?.key === LEAD_ID_KEY,
    },
  );
  // Rows the sheet grew by (a later step, new leads) get the columns' formats and dropdowns; columns
  // set up just now have them down to the last row already.
  if (grownFrom > 0)
    grid.extendFormats(
      grownFrom,
      ctx.columns.map((c) => columnOf.get(c.key)!).filter((at) => !added.has(at)),
    );
  // Choices, statuses and users change in Close between pulls: a dropdown is rewritten when they did.
  for (const column of ctx.columns) {
    const at = columnOf.get(column.key)!;
    const values = dropdownValues(column, ctx);
    if (!values || added.has(at)) continue;
    const before = seen?.[column.key];
    if (
      !before?.list ||
      before.list !== listFingerprint(values) ||
      layout.retyped.includes(at) ||
      layout.rebound.includes(at)
    )
      grid.setDropdown(at, values, dropdownList(column));
  }
  if (last < first) return;
  const rowsPerCall = Math.max(1, Math.floor(WRITE_CELLS / Math.max(1, managed.length)));
  for (let start = first; start <= last; start += rowsPerCall) {
    const end = Math.min(last, start + rowsPerCall - 1);
    const rows = layout.rows.slice(start, end + 1);
    if (headerWithRows && start === 0) {
      const header = new Array<CellValue>(width).fill('');
      for (const c of ctx.columns) header[columnOf.get(c.key)! - 1] = c.header;
      writeColumns(grid, 1, [header, ...rows], managed);
    } else writeColumns(grid, start + 2, rows, managed);
  }
}
