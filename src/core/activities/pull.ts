// Pulling activities into a sheet, one row per activity, refreshed in place by Activity ID.
//
// How it reads Close:
// 1. Lead and contact names (activities carry only ids) come from one walk over the leads the definition
//    selects, asking for `id,display_name,contacts` only — the same walk as a lead pull (date windows of
//    GET /lead/, or Advanced Filtering for a Smart View or a JSON query). Close's own call export does the
//    same (closeio/close-api-scripts scripts/export_calls.py: leads with `_fields=id,contacts,display_name`,
//    then the calls). For a Smart View or query this walk is also the filter: activities of other leads are
//    dropped. (Fetching activities lead by lead would cost one request per lead and type; filtering the
//    type lists costs the org's activities in the chosen days — far fewer requests unless the view is tiny.)
// 2. Each chosen type's list in the chosen days (`date_created__gte` / `__lt`), pages in parallel waves,
//    past the `_skip` cap by date windows (pager.ts); all types ride in the same waves.
// 3. Rows are written once per execution: existing ones (found by Activity ID) in one block, new ones
//    appended below in another; text columns plain-text formatted first.
//
// Longer than one execution: a pull of activities is a job (core/sync/job.ts, kind 'activities') continued
// like a lead pull, by the sidebar or the one-off trigger. When a step's time runs out, the pagers' state is
// saved beside the sheet (document properties, in parts past 8,000 bytes) and the next step continues from there (the lead names are
// read again: that walk is cheap and its result too big to keep).
import { type CloseClient, NOT_SENT } from '../close/client';
import { CloseApiError } from '../close/errors';
import { endedBeforeSchema, fetchMe, type KeyOwner, SchemaNotInTime, type SendBy } from '../close/org';
import type { Member } from '../close/types';
import type { CellValue, Clock, Grid, Store, Workbook } from '../ports';
import { formatCloseDateTime } from '../schema/dates';
import { userLookup } from '../schema/lookups';
import { type ActivityJob, type Deadline, newJobId } from '../sync/job';
import { TableWrites } from '../sync/step-writes';
import { wouldBecomeFormula, writeColumns } from '../sync/write-managed-columns';
import { PUBLISHED_SHEET_COST, type SheetCost } from '../sheet-cost';
import { fetchNextWave, newPagerState, pagerMark, takeTzOffset } from '../sync/lead-pager';
import {
  ACTIVITY_TYPES,
  type ActivityDefinition,
  ActivityDefinitionStore,
  type ActivityType,
  dayBounds,
  saveOrExplain,
} from './definition';
import { acceptWave, type CloseActivity, newTypePager, type TypePager, waveCalls } from './pager';
import { ACTIVITY_COLUMNS, activityRow, DATE_COLUMN, ID_COLUMN, type Names } from './rows';

export interface ActivityPullDeps {
  client: CloseClient;
  workbook: Workbook;
  clock: Clock;
  /** Document properties: the sheet's definition and a long pull's progress. */
  store: Store;
  owner?: KeyOwner;
  deadline: Deadline;
  progress?: (message: string) => void;
  /** What the spreadsheet's service costs, to size a step's writes (published figures when left out). */
  sheetCost?: SheetCost;
}

export interface ActivityPullSummary {
  done: boolean;
  sheetName: string;
  /** Activities read from Close by this run, per type. */
  byType: Partial<Record<ActivityType, number>>;
  added: number;
  refreshed: number;
  /** Leads the Smart View or query selected (null for all leads). */
  leads: number | null;
  closeCalls: number;
  message: string;
}

interface Progress {
  definition: string;
  pagers: TypePager[];
  added: number;
  refreshed: number;
  byType: Partial<Record<ActivityType, number>>;
}

const PROGRESS_PREFIX = 'closeSync.activities.progress.';

/**
 * Where a long activities pull keeps its progress between steps: a document property, in parts when over
 * 8,000 bytes (the boundary ids of five types reach about 25 KB; see chunked-store.ts). Freed when the
 * pull ends, when a new pull of the sheet starts, and with the sheet (sheet-identity).
 */
export function activityProgressKey(sheetName: string): string {
  return PROGRESS_PREFIX + sheetName;
}

interface LeadInfo {
  name: string;
  contacts: Map<string, string>;
}

function loadLeads(
  deps: ActivityPullDeps,
  definition: ActivityDefinition,
  stopAt: number,
): Map<string, LeadInfo> | null {
  const state = newPagerState(definition.source);
  takeTzOffset(state, deps.clock.now(), () => deps.workbook.timeZone());
  const leads = new Map<string, LeadInfo>();
  while (!state.done) {
    const before = pagerMark(state);
    fetchNextWave(deps.client, ['id', 'display_name', 'contacts'], state, stopAt, (page) => {
      for (const lead of page) {
        const contacts = new Map<string, string>();
        for (const c of (lead.contacts as Array<{ id?: string; name?: string; display_name?: string }>) ?? [])
          if (c.id) contacts.set(c.id, c.name || c.display_name || '');
        leads.set(lead.id, { name: String(lead.display_name ?? lead.name ?? ''), contacts });
      }
    });
    // Nothing could be sent before the step's end: continue in the next run.
    if (pagerMark(state) === before && !state.done) return null;
    deps.progress?.(`Reading lead names: ${leads.size} leads…`);
  }
  return leads;
}

/**
 * The organization's members (the User column's names), and first who the key belongs to when its owner
 * was not saved. `by`: the step's deadline: a request Close makes wait past it is not waited for
 * (SchemaNotInTime: the step ends, and the next one loads them) — Apps Script would kill the step.
 */
function loadMembers(deps: ActivityPullDeps, by: SendBy): Member[] {
  const orgId = deps.owner?.organizationId ?? fetchMe(deps.client, by).organizations?.[0]?.id;
  if (!orgId) throw new Error('This Close user belongs to no organization.');
  type Org = { memberships?: Member[]; inactive_memberships?: Member[] };
  const call = {
    method: 'get',
    path: `/organization/${orgId}/`,
    query: { _fields: 'id,memberships,inactive_memberships' },
  } as const;
  let org: Org;
  try {
    org = deps.client.request<Org>(call, by.stopAt, by.firstBy);
  } catch (e) {
    if (e instanceof CloseApiError && e.status === NOT_SENT)
      throw new SchemaNotInTime("the organization's users");
    throw e;
  }
  return [...(org.memberships ?? []), ...(org.inactive_memberships ?? [])];
}

const HEADER = ACTIVITY_COLUMNS.map((c) => c.header);

/** The sheet, made and headed when new; refused when it holds something else. */
function activitySheet(workbook: Workbook, sheetName: string): { grid: Grid; rows: number } {
  const grid = workbook.sheet(sheetName) ?? workbook.createSheet(sheetName);
  const lastRow = grid.lastRow();
  if (lastRow === 0) {
    grid.ensureSize(2, HEADER.length);
    grid.write(1, 1, [HEADER]);
    grid.styleColumns(
      HEADER.map((_, i) => i + 1),
      [],
    );
    return { grid, rows: 0 };
  }
  const header = grid.read(1, 1, 1, HEADER.length)[0].map((v) => String(v));
  if (header.join('\u0000') !== HEADER.join('\u0000'))
    throw new Error(
      `"${sheetName}" does not hold pulled activities (its first row is not the activities header): pull activities into another sheet, or empty this one first.`,
    );
  return { grid, rows: lastRow - 1 };
}

/** Writes this run's rows: refreshed ones where their Activity ID is, new ones appended (newest first). */
function writeRows(
  grid: Grid,
  existingRows: number,
  fetched: Map<string, CellValue[]>,
): { added: number; refreshed: number } {
  const width = HEADER.length;
  const block = existingRows > 0 ? grid.read(2, 1, existingRows, width) : [];
  let refreshed = 0;
  const fromClose = new Set<number>();
  for (let i = 0; i < block.length; i++) {
    const id = String(block[i][ID_COLUMN - 1]).trim();
    const row = fetched.get(id);
    if (!row) continue;
    block[i] = row;
    fromClose.add(i);
    fetched.delete(id);
    refreshed++;
  }
  const fresh = [...fetched.values()].sort((a, b) => stamp(b[DATE_COLUMN - 1]) - stamp(a[DATE_COLUMN - 1]));
  const total = 1 + existingRows + fresh.length;
  grid.ensureSize(total, width);
  // Formats first, down to the last row, so no text ever lands in a cell that would read it as a formula.
  const byFormat = new Map<string, number[]>();
  ACTIVITY_COLUMNS.forEach((c, i) => {
    byFormat.set(c.format, [...(byFormat.get(c.format) ?? []), i + 1]);
  });
  for (const [format, columns] of byFormat) grid.formatColumns(columns, format);
  if (refreshed > 0) {
    // The rows Close did not send again are written back as read (one block): a formula the rep put in
    // one (getValues gave its value) or text starting with `=` (it would become one) is left out.
    let skip: ((row: number, column: number) => boolean) | undefined;
    if (refreshed < block.length) {
      const formulas = grid.formulas(2, 1, existingRows, width);
      skip = (row, column) => {
        const i = row - 2;
        if (fromClose.has(i)) return false;
        const value = block[i][column - 1];
        return formulas[i][column - 1] !== '' || wouldBecomeFormula(value);
      };
    }
    writeColumns(
      grid,
      2,
      block,
      HEADER.map((_, i) => i + 1),
      skip,
    );
  }
  if (fresh.length > 0) grid.write(2 + existingRows, 1, fresh);
  return { added: fresh.length, refreshed };
}

function stamp(cell: CellValue): number {
  return cell instanceof Date || Object.prototype.toString.call(cell) === '[object Date]'
    ? (cell as Date).getTime()
    : 0;
}

export function runActivityPull(
  deps: ActivityPullDeps,
  sheetName: string,
  definition: ActivityDefinition,
): ActivityPullSummary {
  const requestsBefore = deps.client.stats.requests;
  const progressKey = activityProgressKey(sheetName);
  const defJson = JSON.stringify(definition);
  const saved = deps.store.get(progressKey);
  const resumed = saved ? (JSON.parse(saved) as Progress) : null;
  const { grid, rows: existingRows } = activitySheet(deps.workbook, sheetName);
  const timeZone = deps.workbook.timeZone();
  const { fromMs, toMs } = dayBounds(definition, timeZone);
  const iso = (ms: number | null) => (ms === null ? null : formatCloseDateTime(ms));
  const progress: Progress =
    resumed && resumed.definition === defJson
      ? resumed
      : {
          definition: defJson,
          pagers: definition.types.map((t) => newTypePager(t, iso(fromMs), iso(toMs))),
          added: 0,
          refreshed: 0,
          byType: {},
        };
  // A wave is sent only while the rows fetched so far, and as many again, can still be written.
  const writes = new TableWrites(deps.sheetCost ?? PUBLISHED_SHEET_COST, deps.deadline, {
    rows: existingRows,
    width: HEADER.length,
  });
  let stopAt = writes.stopAt(0);
  // Saved at once: a run that stops early is continued by the next run of the sheet's definition.
  new ActivityDefinitionStore(deps.store).set(sheetName, definition);

  deps.progress?.('Reading users and lead names from Close…');
  // Before anything is fetched: while the step's writes still fit its budget (the lead names come next).
  const users = userLookup(loadMembers(deps, { stopAt }));
  const leads = loadLeads(deps, definition, stopAt);
  const filtered = definition.source.type !== 'all';
  const fetched = new Map<string, CellValue[]>();
  if (leads) {
    const names: Names = {
      user: (id, given) => {
        if (typeof id !== 'string' || id === '') return typeof given === 'string' ? given : '';
        const label = users.label(id);
        return label === id && typeof given === 'string' && given ? given : label;
      },
      lead: (id) => leads.get(id)?.name ?? '',
      contact: (leadId, contactId) =>
        typeof contactId === 'string' ? (leads.get(leadId)?.contacts.get(contactId) ?? '') : '',
    };
    let lastWave = 0;
    while (progress.pagers.some((p) => !p.done)) {
      if (fetched.size > 0 && !writes.fits(fetched.size + lastWave)) break;
      stopAt = writes.stopAt(fetched.size + lastWave);
      const before = fetched.size;
      const live = progress.pagers.filter((p) => !p.done);
      const calls = live.map((p) => waveCalls(p));
      const replies = deps.client.callAll(calls.flat(), stopAt);
      let at = 0;
      let read = 0;
      live.forEach((p, i) => {
        const mine = replies.slice(at, at + calls[i].length);
        at += calls[i].length;
        const pagesBefore = p.pages;
        const items = acceptWave(p, mine);
        read += p.pages - pagesBefore;
        // This pull's pagers walk only the definition's activity types.
        const type = p.type as ActivityType;
        for (const a of items) {
          const leadId = String(a.lead_id ?? '');
          if (filtered && !leads.has(leadId)) continue;
          fetched.set(a.id, activityRow(type, a as CloseActivity, names));
          progress.byType[type] = (progress.byType[type] ?? 0) + 1;
        }
      });
      lastWave = fetched.size - before;
      // No page could be sent before the step's end: the rest waits for the next run.
      if (read === 0) break;
      deps.progress?.(`Pulled ${fetched.size} activities…`);
    }
  }
  const written = writeRows(grid, existingRows, fetched);
  progress.added += written.added;
  progress.refreshed += written.refreshed;
  const done = leads !== null && progress.pagers.every((p) => p.done);
  const closeCalls = deps.client.stats.requests - requestsBefore;
  const counts = Object.entries(progress.byType)
    .map(
      ([t, n]) =>
        `${n} ${n === 1 ? ACTIVITY_TYPES[t as ActivityType].one : ACTIVITY_TYPES[t as ActivityType].many}`,
    )
    .join(', ');
  const total = progress.added + progress.refreshed;
  if (done) deps.store.delete(progressKey);
  else saveOrExplain(sheetName, () => deps.store.set(progressKey, JSON.stringify(progress)));
  return {
    done,
    sheetName,
    byType: progress.byType,
    added: progress.added,
    refreshed: progress.refreshed,
    leads: filtered && leads ? leads.size : null,
    closeCalls,
    message: done
      ? `Pulled ${total} activit${total === 1 ? 'y' : 'ies'}${counts ? ` (${counts})` : ''} into "${sheetName}": ${progress.added} new, ${progress.refreshed} refreshed.`
      : `Pulled ${counts || 'no activities'} into "${sheetName}" so far.`,
  };
}

/** A new pull of activities as a job: the first step starts afresh (progress left by a cancelled one is dropped). */
export function newActivityJob(
  sheetName: string,
  definition: ActivityDefinition,
  now: number,
  startedBy: string,
): ActivityJob {
  return {
    kind: 'activities',
    id: newJobId(now),
    sheetName,
    startedAt: now,
    startedBy,
    steps: 0,
    definition,
  };
}

export interface ActivityStep {
  job: ActivityJob;
  done: boolean;
  summary: ActivityPullSummary;
  message: string;
}

/** One step of an activities job: reads and writes until the step's deadline, then says whether it is done. */
export function runActivityStep(deps: ActivityPullDeps, job: ActivityJob): ActivityStep {
  if (job.steps === 0) deps.store.delete(activityProgressKey(job.sheetName));
  const next = { ...job, steps: job.steps + 1 };
  const requestsBefore = deps.client.stats.requests;
  let summary: ActivityPullSummary;
  try {
    summary = runActivityPull(deps, job.sheetName, job.definition);
  } catch (e) {
    // Close made the users' load wait past the step's time: nothing fetched or written, the next step loads them.
    const message = endedBeforeSchema(e, 'activities pull', next.steps);
    return {
      job: next,
      done: false,
      summary: {
        done: false,
        sheetName: job.sheetName,
        byType: {},
        added: 0,
        refreshed: 0,
        leads: null,
        closeCalls: deps.client.stats.requests - requestsBefore,
        message,
      },
      message,
    };
  }
  return {
    job: next,
    done: summary.done,
    summary,
    message: summary.done ? summary.message : `${summary.message.slice(0, -1)} (step ${next.steps})…`,
  };
}
