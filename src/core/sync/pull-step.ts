// Pull: Close → sheet. Existing leads keep their row (the rep's own columns stay beside the right lead),
// new leads are appended, leads gone from Close are marked, and unpushed edits are kept unless the rep
// says to discard them.
//
// A pull runs in steps (see job.ts): each step reads the sheet and snapshot, fetches pages until its
// deadline, writes the rows it touched and their snapshot entries, and only then records its progress.
// It takes a page only while everything it placed can still be written before its deadline
// (step-writes.ts): a step is never killed mid-write.
// A step that dies before recording is simply redone: rows are found by Lead ID, so nothing is written
// twice, and the pager re-reads the same pages, so nothing is skipped.
//
// This file is the step loop, read top to bottom; its parts are named modules: the sheet layout
// (pull-layout.ts), the first-page guess (first-page-guess.ts) and pager (lead-pager.ts), placing leads
// (place-leads.ts), writing back (pull-write.ts) and the summary (pull-summary.ts).
import { type CloseCall, type CloseReply, NOT_SENT } from '../close/client';
import { endedBeforeSchema, SchemaNotInTime, type SendBy } from '../close/org';
import type { Lead } from '../close/types';
import { leadFieldsParam } from '../schema/columns';
import { formatStamp } from '../schema/dates';
import { OBJECTS } from '../schema/objects';
import { loadSyncContext, type SyncContext, type SyncDeps } from './context';
import type { PullDefinition } from './pull-definition';
import { DirtyCells } from './dirty-cells';
import { coversFields, guessFirstPages } from './first-page-guess';
import { type Deadline, newJobId, type PullJob } from './job';
import {
  acceptCount,
  acceptWave,
  countCall,
  endStep,
  fetchNextWave,
  LEAD_PAGE_SIZE,
  newPagerState,
  nextWaveCalls,
  pagerMark,
  takeTzOffset,
} from './lead-pager';
import { SEARCH_PAGE_SIZE } from './search-pager';
import { PAST_BUDGET_MS, RECORD_MS, StepWrites } from './step-writes';
import { PUBLISHED_SHEET_COST, type SheetCost, writeMs } from '../sheet-cost';
import {
  closeTimeOf,
  deletionsCall,
  distrust,
  minuteText,
  planRefresh,
  refreshMark,
  walkDeletions,
} from './incremental';
import { columnsToRead, markDeleted, markGone, type Placing, placeLeads } from './place-leads';
import { layoutSheet, loadColumns, loadRows, loadSpans, prepareSheets, seenColumns } from './pull-layout';
import { type PullSummary, pullSummary } from './pull-summary';
import { writeSheet } from './pull-write';
import { keepFormulas } from './formula-cells';
import { readSnapshot, writeSnapshot } from './snapshot';

export type { PullSummary } from './pull-summary';

export interface PullOptions {
  sheetName?: string;
  /** Overwrite unpushed edits with Close's values (the rep said so). */
  discardEdits?: boolean;
  /**
   * Read every lead, not only those Close changed since the last pull (a re-pull is incremental when
   * it can be trusted: see incremental.ts).
   */
  full?: boolean;
}

export interface PullStep {
  job: PullJob;
  done: boolean;
  summary?: PullSummary;
  message: string;
}

/**
 * Calls a step's writes make whatever they hold (step-writes.ts): a first step sets up every column
 * (header, notes, formats, protection, dropdowns, frozen rows: about 20 calls in the benchmark's
 * first pull) and makes the snapshot; any step writes its header changes, dropdowns and job record.
 */
const SETUP_CALLS = 24;
const STEP_CALLS = 8;
/**
 * An incremental refresh of up to this many changed leads reads only the sheet's ID column, then the
 * columns its rows need (pull-layout.ts loadColumns), holding the leads until then; more, and the sheet
 * is read whole and the leads placed page by page, as a full pull does.
 */
const IDS_ONLY_MAX_LEADS = 5_000;

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
    ...(options.full ? { mode: { kind: 'full', why: 'you asked for a full pull' } as const } : {}),
  };
}

/** Runs one step of a pull: fetches until the deadline, writes, and says whether the pull is done. */
export function runPullStep(
  deps: SyncDeps,
  job: PullJob,
  deadline: Deadline,
  onProgress?: (message: string) => void,
): PullStep {
  const saved = job;
  // A copy: a step that fails leaves the saved job as it was (the pager's state nests).
  job = { ...job, steps: job.steps + 1, pager: JSON.parse(JSON.stringify(job.pager)) };
  const firstStep = job.pager.pages === 0;
  /** Nothing written yet: the step ends, and the next starts this one again (its refresh plan included). */
  const startAgain = (e: unknown): PullStep => ({
    job: { ...saved, steps: job.steps },
    done: false,
    message: endedBeforeSchema(e, 'pull', job.steps),
  });
  // Full or incremental is decided once, before the first request (see incremental.ts).
  const planning = job.mode === undefined;
  if (planning) {
    job.mode = planRefresh(job);
    if (job.mode.kind === 'incremental') job.pager.updatedSince = minuteText(job.mode.since);
  }
  const since = planning && job.mode?.kind === 'incremental' ? job.mode.since : null;
  takeTzOffset(job.pager, deps.clock.now(), () => deps.workbook.timeZone());
  const count = countCall(job.pager);
  // An incremental refresh asks for the deletions with the schema; a full one may guess its first pages.
  const guess = since === null && firstStep ? guessFirstPages(deps, job) : null;
  const side = since !== null ? [deletionsCall(since)] : (guess?.calls ?? []);
  // The first wave may be all the pages: say so before it goes.
  onProgress?.(
    guess
      ? `Fetching about ${guess.expected.toLocaleString('en-US')} leads from Close…`
      : since !== null
        ? 'Fetching the leads changed in Close since the last pull…'
        : `Fetching from Close (${job.pager.fetched} leads so far)…`,
  );
  // The zone the sheet's date-times are written in is the one of its first pull, kept (pull-definition.ts).
  if (!job.definition.zone) job.definition = { ...job.definition, zone: deps.workbook.timeZone() };
  let ctx: SyncContext;
  try {
    ctx = loadSyncContext(
      deps,
      { kind: job.definition.kind, fields: job.definition.fields, zone: job.definition.zone },
      [...(count ? [count] : []), ...side],
      schemaSendBy(deps.sheetCost ?? PUBLISHED_SHEET_COST, deadline, firstStep ? SETUP_CALLS : STEP_CALLS),
    );
    // An Event Log not asked for in time would read as one that could not be read: a full pull.
    if (since !== null && unsent(ctx.replies[count ? 1 : 0])) throw new SchemaNotInTime("Close's Event Log");
  } catch (e) {
    return startAgain(e);
  }
  job.closeStart ??= closeTimeOf(ctx.replies);
  if (count) acceptCount(job.pager, ctx.replies[0]);
  const fields = ctx.spec.kind === 'lead' ? leadFieldsParam(ctx.columns) : ctx.spec.leadFields;
  // Pages asked for with the last pull's fields are good when the sheet needs no field more (else a
  // field was added in Close since, and the pages are asked for again).
  let firstLeads: Lead[] = [];
  let guessed: CloseReply[] | null = null;
  let grownFrom = 0;
  // The writes this step has pending: it takes pages only while they can be written in time.
  const dirty = new DirtyCells();
  const writes = new StepWrites(deps.sheetCost ?? PUBLISHED_SHEET_COST, deadline, dirty, {
    rowCells: ctx.columns.length,
    snapshotValues: ctx.columns.filter((c) => c.editable).length,
    fixedCalls: firstStep ? SETUP_CALLS : STEP_CALLS,
  });
  if (guess && coversFields(guess.fields, fields)) {
    guessed = ctx.replies.slice(count ? 1 : 0);
    // Read as they are placed (below), unless their number is needed first.
    if (job.pager.windowTotal === null) {
      let ahead = 0;
      firstLeads = acceptWave(job.pager, guessed, undefined, (n) => {
        if (ahead > 0 && !writes.fits(ahead + n)) return false;
        ahead += n;
        return true;
      });
      guessed = null;
    }
  } else if (guess) job.pager.lastWave = undefined;
  // Check the leads fit before touching the spreadsheet: by the count, else by the first page's total.
  if (firstStep) {
    if (job.pager.windowTotal === null && job.pager.pages === 0) {
      const mark = pagerMark(job.pager);
      const pageSize = job.pager.search ? SEARCH_PAGE_SIZE : LEAD_PAGE_SIZE;
      firstLeads = fetchNextWave(deps.client, fields, job.pager, lastChance(writes, pageSize));
      // Close made the first page wait past that: nothing touched yet, the next step starts this one again.
      if (!job.pager.done && pagerMark(job.pager) === mark)
        return startAgain(new SchemaNotInTime('the first page of leads'));
    }
    grownFrom = prepareSheets(
      deps,
      ctx,
      job.sheetName,
      job.pager.windowTotal ?? firstLeads.length,
      !job.definition.seen,
    );
  }
  // An incremental refresh of a few leads reads the ID column now and the columns it needs later.
  const idsOnly = since !== null && (job.pager.windowTotal ?? 0) <= IDS_ONLY_MAX_LEADS;
  let layout = layoutSheet(deps, ctx, job.sheetName, job.definition.seen, idsOnly);
  if (layout.headerRestored) job.headerRestored = true;
  // An incremental refresh reads no generations (snapshot.ts readSnapshot); a full pull needs them.
  let snapshot = readSnapshot(deps.workbook, job.sheetName, !idsOnly);
  writes.writesTo(snapshot);
  const stepStart = deps.clock.now();
  let stampText: string | undefined;
  const stamp = () => {
    stampText ??= formatStamp(stepStart, ctx.timeZone);
    return stampText;
  };
  let deleted: Set<string> | null = null;
  if (since !== null) {
    // The checks that need Close's answers; then the deletions. Any doubt: every lead is read.
    const closeNow = closeTimeOf(ctx.replies);
    let why = distrust(job, ctx, layout, closeNow, snapshot);
    // The first pages of changed leads wait for nothing the deletions' further pages say: they go in the
    // wave of the second page, if the walk needs one (with only the ID column read, the leads are held
    // until the walk is done and the columns they need are read, so a walk that ends in a full pull
    // drops them unplaced). Sized as the loop below sizes its first wave.
    const alongside =
      layout.loaded && !job.pager.search && !job.pager.done
        ? () => nextWaveCalls(fields, job.pager, Math.max(LEAD_PAGE_SIZE, writes.leadsThatFit()))
        : undefined;
    // Nothing is placed yet: a further page of deletions may wait as a step's first page of leads may.
    const walkBy = (side: CloseCall[]): SendBy => {
      const leads = side.length * LEAD_PAGE_SIZE;
      return { stopAt: writes.stopAt(leads), firstBy: lastChance(writes, leads) };
    };
    const walk = why
      ? null
      : walkDeletions(deps.client, since, ctx.replies[count ? 1 : 0], alongside, walkBy);
    // Close made a further page wait past that: nothing written yet, the next step starts this one again.
    if (walk && 'late' in walk) return startAgain(new SchemaNotInTime("Close's Event Log"));
    if (walk && 'why' in walk) why = walk.why;
    else if (walk?.alongside) guessed = walk.alongside;
    if (why !== null) {
      job.mode = { kind: 'full', why, told: true };
      job.pager = newPagerState(job.definition.source);
      firstLeads = [];
      guessed = null;
      // The count only sizes the waves: one Close makes wait past the time that still leaves a page to
      // fetch and write is not sent (the pages then grow wave by wave, the first one waiting as above).
      const fullCount = countCall(job.pager);
      if (fullCount)
        acceptCount(job.pager, deps.client.callAll([fullCount], writes.stopAt(LEAD_PAGE_SIZE))[0]);
      if (layout.loaded) layout = layoutSheet(deps, ctx, job.sheetName, job.definition.seen);
      if (idsOnly) {
        snapshot = readSnapshot(deps.workbook, job.sheetName);
        writes.writesTo(snapshot);
      }
    } else if (walk && 'ids' in walk) deleted = walk.ids;
  }
  const placing: Placing = { job, layout, ctx, snapshot, stamp, dirty, replaced: new Map() };
  placing.incremental = job.mode?.kind === 'incremental';
  // With only the ID column read, the leads wait until the columns they need are read (below); when
  // more come than Close counted beforehand (or it did not say), the rest of the sheet is read then.
  let held: Lead[] | null = layout.loaded ? [] : null;
  const placeNow = (leads: Lead[]) => {
    placeLeads(placing, leads);
    writes.placed(leads.length);
  };
  const placeHeld = (read: { columns: number[]; rows: number[]; span?: [number, number] }) => {
    if (!held) return;
    loadColumns(layout, read.columns, read.span);
    loadRows(layout, read.rows);
    if (deleted) job.deleted = markDeleted(placing, deleted);
    placeNow(held);
    held = null;
  };
  if (deleted && !held) job.deleted = markDeleted(placing, deleted);
  const place = (leads: Lead[]) => {
    if (held && held.length + leads.length > IDS_ONLY_MAX_LEADS) {
      placeHeld({ columns: Array.from({ length: layout.width }, (_, i) => i + 1), rows: [] });
      layout.loaded = undefined;
    }
    if (!held) placeNow(leads);
    else for (const lead of leads) held.push(lead);
  };
  const report = () => onProgress?.(`Fetched ${job.pager.fetched} leads (${job.pager.pages} pages)`);
  place(firstLeads);
  if (guessed) acceptWave(job.pager, guessed, place, writes.admit);
  report();
  // Another page is fetched only while it, and everything placed so far, can be written in time.
  const pageSize = job.pager.search ? SEARCH_PAGE_SIZE : LEAD_PAGE_SIZE;
  // A step that has placed nothing yet takes one page whatever is left of its budget: else a step whose
  // setup spent the budget writes nothing, and so may every step after it. But it waits for that page
  // only while the page's writes still end before Apps Script's limit (lastChance): a wait Close asks for
  // past that (a 429's reset, a window another step spent) ends the step, and the next one fetches it.
  const onePage = { leads: pageSize, stopAt: (leads: number) => lastChance(writes, leads) };
  // Set when the step ends with nothing placed because Close made its first page wait past lastChance.
  let waitedOut = false;
  while (!job.pager.done && writes.admit(pageSize)) {
    const mark = pagerMark(job.pager);
    const room =
      writes.empty() && writes.leadsThatFit() < pageSize
        ? onePage
        : { leads: writes.leadsThatFit(), stopAt: (leads: number) => writes.stopAt(leads) };
    // Each page is placed as it is read: one page's objects in memory at a time.
    fetchNextWave(deps.client, fields, job.pager, room.stopAt(pageSize), place, room);
    // So does a step whose wave came back unsent although there was room: its first page had to wait
    // for Close's rate limit past the time that leaves room to write it (the previous step spent the
    // budget a moment ago). Else every step of a pull paced by the limit may end empty-handed, redoing
    // its setup each time (the preview's 2-second steps, 1 page a second: 39 steps placed nothing).
    if (room !== onePage && writes.empty() && pagerMark(job.pager) === mark)
      fetchNextWave(deps.client, fields, job.pager, onePage.stopAt(pageSize), place, onePage);
    report();
    // No page could be sent (or written) in time: the rest is the next step's.
    if (pagerMark(job.pager) === mark) {
      // (Leads held for the columns they need, with only the ID column read, are not placed yet.)
      waitedOut = writes.empty() && !held?.length;
      break;
    }
  }

  endStep(job.pager);
  if (held) placeHeld(columnsToRead(placing, held));
  // A refresh that read only the rows Close changed counted only their edits, and says so: the rep's
  // edits elsewhere were not read (nor touched), and a discarding pull would replace those too.
  if (placing.incremental) job.keptCountedInChangedRows = true;
  // A pull that could not read every lead marks none as gone: the ones it missed are still in Close.
  // An incremental refresh read only what changed: its gone rows are those the Event Log named.
  const gone =
    job.mode?.kind === 'incremental'
      ? (job.deleted ?? 0)
      : job.pager.done && !job.pager.incomplete
        ? markGone(placing)
        : 0;

  onProgress?.(`Writing ${dirty.rowCount} rows to "${job.sheetName}"…`);
  // The sheet grows for new rows before anything is written: its extent, read with the rows, still
  // holds then (after a write, the next size check asks Sheets for the last row again).
  // New rows go right after the last (writeSheet gives the rows added row 2's formats).
  const grownNow = layout.grid.ensureSize(layout.rows.length + 1, layout.width, true);
  loadSpans(layout, dirty, deps.sheetCost ?? PUBLISHED_SHEET_COST);
  // The rep's formulas among the cells about to be written are left alone (formula-cells.ts).
  const formulas = keepFormulas(placing);
  writeSheet(layout, ctx, job.definition.seen, dirty, grownFrom || grownNow, formulas);
  writeSnapshot(deps.workbook, job.sheetName, snapshot);

  const message = waitedOut
    ? endedBeforeSchema(new SchemaNotInTime('the next page of leads'), 'pull', job.steps)
    : `Pulled ${job.pager.fetched} leads so far (${job.pager.pages} pages, step ${job.steps})…`;
  if (!job.pager.done) return { job, done: false, message };
  // The next refresh starts where this one began, when it read everything it meant to and Close said
  // what time it was.
  const complete = !job.pager.incomplete && job.closeStart !== undefined;
  job.definition = {
    ...job.definition,
    seen: seenColumns(ctx, layout.columnOf),
    refresh: complete ? refreshMark(job, ctx, job.closeStart!, job.mode?.kind !== 'incremental') : undefined,
  };
  const seconds = Math.round((deps.clock.now() - job.startedAt) / 100) / 10;
  const summary = pullSummary(job, ctx, gone, seconds);
  return { job, done: true, summary, message: summary.message };
}

const unsent = (reply: CloseReply) => !reply.ok && reply.status === NOT_SENT;

/**
 * The latest a page of `leads` may wait to be sent by a step that has placed nothing yet: its writes,
 * and everything pending, end PAST_BUDGET_MS past the step's budget at the latest — Apps Script kills an
 * execution 1.5 minutes past a full budget (6 minutes), and the rest is kept for what ran before the
 * step's clock started. Not scaled down with a shorter budget (the preview's 2-second steps): the limit
 * it guards is Apps Script's 6 minutes, which a shorter step only leaves further away, and a quarter of
 * 2 s (0.5 s) left a preview's step under load no time to wait for its page — every step ended empty.
 */
function lastChance(writes: StepWrites, leads: number): number {
  return writes.stopAt(leads) + PAST_BUDGET_MS;
}

/**
 * When the requests at a step's start (GET /me/ when the key's owner is not saved, the schema, the count
 * and the deletions) may go at the latest: while the step's fixed writes still fit its budget; before any
 * is answered, while they still end a minute past it, as a push's first wave may (step-writes.ts
 * ResultWrites.firstStopAt). Past that, SchemaNotInTime: the step ends at once and the next loads them —
 * waiting whatever Close asks (a 429's long reset, slow replies) would get the step killed mid-way.
 */
function schemaSendBy(cost: SheetCost, deadline: Deadline, fixedCalls: number): SendBy {
  const writes = writeMs(cost, { calls: fixedCalls, cells: 0, bytes: 0 }) + deadline.reserve(RECORD_MS);
  return {
    stopAt: deadline.stopAt(writes),
    firstBy: deadline.stopAt(writes - deadline.reserve(PAST_BUDGET_MS)),
  };
}
