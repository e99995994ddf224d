// Carries out core/sync/sheet-identity.ts at the start of every run: the spreadsheet's sheets (ids and
// names) are compared with the registry, and a renamed sheet's state (definition, hidden snapshot
// sheet, schedule, a job under way, the report's source) moves to its new name; a deleted sheet's state
// is freed (its schedule removed, with a row in the Close Sync Log saying so). Everything here is
// rare: on an ordinary run the comparison finds nothing and nothing is written.
import { ActivityDefinitionStore } from '../core/activities/definition';
import { activityProgressKey } from '../core/activities/pull';
import { appendRunLog } from '../core/schedule/run-log';
import { ScheduleStore } from '../core/schedule/due-times';
import type { DefinitionStore } from '../core/sync/pull-definition';
import { JobStore } from '../core/sync/job';
import {
  type IdentityPlan,
  loadRegistry,
  planIdentity,
  type SheetInfo,
  type SheetRegistry,
  saveRegistry,
} from '../core/sync/sheet-identity';
import { snapshotSheetName } from '../core/sync/snapshot';
import { readBindings } from '../core/sync/column-binding';
import { activeWorkbook } from '../gas/grid';
import { documentStore } from '../gas/runtime';
import { activeSpreadsheet } from './execution-state';
import { definitions as definitionStore, sheetToPush } from './definitions';

const REPORT_SOURCE_KEY = 'closeSync.report.source';

export interface Followed {
  registry: SheetRegistry;
  /** Sheet name → id of the registered sheets (by their names now) and the run's target if looked up. */
  ids: Map<string, number>;
  /**
   * The same sheets' handles, as looked up here: a job's workbook takes them (grid.ts activeWorkbook)
   * rather than looking its sheet up again by name. Only sheets nothing renames later in the run (the
   * snapshot sheets moveRenamed renames are not among them).
   */
  sheets: Map<string, GoogleAppsScript.Spreadsheet.Sheet>;
}

/**
 * Moves state to follow sheet ids (see the file comment). Each registered sheet is looked up by its id
 * (two calls a sheet: a pulled sheet or two); `target`, the sheet this run is about, is looked up by
 * name only when state from before ids were kept is under its name (to claim it).
 */
export function followSheets(target?: string): Followed {
  const store = documentStore();
  const definitions = definitionStore();
  const activities = new ActivityDefinitionStore(store);
  const hasState = (name: string) => definitions.get(name) !== null || activities.get(name) !== null;
  const registry = loadRegistry(store);
  // Looked up only when needed: a first pull, with no sheet registered yet, makes no call here.
  const sheets: SheetInfo[] = [];
  const handles = new Map<string, GoogleAppsScript.Spreadsheet.Sheet>();
  for (const key of Object.keys(registry)) {
    const sheet = activeSpreadsheet().getSheetById(Number(key));
    if (!sheet) continue;
    const name = sheet.getName();
    sheets.push({ id: Number(key), name });
    handles.set(name, sheet);
  }
  const names = new Set(Object.values(registry).map((r) => r.name));
  if (target && !names.has(target) && !sheets.some((s) => s.name === target) && hasState(target)) {
    const sheet = activeSpreadsheet().getSheetByName(target);
    if (sheet) {
      sheets.push({ id: sheet.getSheetId(), name: target });
      handles.set(target, sheet);
    }
  }
  const plan = planIdentity(registry, sheets, hasState);
  const ids = new Map(sheets.map((s) => [s.name, s.id]));
  if (plan.renamed.length === 0 && plan.deleted.length === 0 && plan.claimed.length === 0)
    return { registry, ids, sheets: handles };
  refuseLockedSnapshots(plan);
  freeDeleted(plan, definitions, activities);
  moveRenamed(plan, definitions, activities);
  saveRegistry(store, plan.registry);
  return { registry: plan.registry, ids, sheets: handles };
}

/**
 * A renamed sheet's hidden snapshot is renamed with it, a deleted sheet's snapshot deleted. Sheets
 * refuses both when a colleague protected the snapshot and the rep is not among its editors (renaming a
 * sheet protected whole, deleting one with any protected cell: dev/gas-fakes/protection.ts). Met half-way
 * that would leave the definition moved and the snapshot not, so it is checked before anything moves.
 */
function refuseLockedSnapshots(plan: IdentityPlan): void {
  const changes = [
    ...plan.renamed.map((r) => ({ from: r.from, to: r.to as string | null })),
    ...plan.deleted.map((d) => ({ from: d.name, to: null })),
  ];
  if (changes.length === 0) return;
  const spreadsheet = activeSpreadsheet();
  const { SHEET, RANGE } = SpreadsheetApp.ProtectionType;
  for (const { from, to } of changes) {
    const snapshot = spreadsheet.getSheetByName(snapshotSheetName(from));
    if (!snapshot) continue;
    const locked = [
      ...snapshot.getProtections(SHEET),
      ...(to === null ? snapshot.getProtections(RANGE) : []),
    ];
    // Warning-only (the add-on's own protection) lets the rename or delete through whatever canEdit()
    // answers for it (grid.ts sheetHabits).
    if (locked.every((p) => p.isWarningOnly() || p.canEdit())) continue;
    const what = to === null ? `the sheet "${from}" was deleted` : `the sheet "${from}" was renamed "${to}"`;
    const must = to === null ? 'deleted with it' : 'renamed with it';
    const undo = to === null ? '' : ` Or rename "${to}" back to "${from}".`;
    throw new Error(
      `Close Sync cannot follow its sheets: ${what}, and its record sheet "${snapshotSheetName(from)}" is protected and you are not among the editors, so it cannot be ${must}. Nothing was changed. Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to remove that protection: Close Sync's own sheets are already protected with a warning.${undo}`,
    );
  }
}

function freeDeleted(plan: IdentityPlan, definitions: DefinitionStore, activities: ActivityDefinitionStore) {
  const store = documentStore();
  const schedules = new ScheduleStore(store);
  const spreadsheet = activeSpreadsheet();
  for (const { name } of plan.deleted) {
    definitions.delete(name);
    activities.delete(name);
    // An activities pull cut short (cancelled, or its sheet deleted mid-way) left its progress.
    store.delete(activityProgressKey(name));
    const snapshot = spreadsheet.getSheetByName(snapshotSheetName(name));
    if (snapshot) spreadsheet.deleteSheet(snapshot);
    const schedule = schedules.remove(name);
    if (schedule) {
      const now = Date.now();
      appendRunLog(activeWorkbook(spreadsheet), [
        {
          startedAt: now,
          finishedAt: now,
          sheetName: name,
          by: schedule.setBy,
          outcome: 'skipped',
          leads: null,
          message: `The sheet "${name}" was deleted: its scheduled refresh is removed (set a new one in the sidebar).`,
        },
      ]);
    }
    if (store.get(REPORT_SOURCE_KEY) === name) store.delete(REPORT_SOURCE_KEY);
  }
}

function moveRenamed(plan: IdentityPlan, definitions: DefinitionStore, activities: ActivityDefinitionStore) {
  if (plan.renamed.length === 0) return;
  const store = documentStore();
  const spreadsheet = activeSpreadsheet();
  // Two phases, so that two sheets whose names were swapped swap their state too.
  const saved = plan.renamed.map((r) => ({ ...r, definition: definitions.get(r.from) }));
  for (const r of saved) definitions.delete(r.from);
  for (const r of saved) if (r.definition) definitions.set(r.to, r.definition);
  const savedActivities = plan.renamed.map((r) => ({ ...r, definition: activities.get(r.from) }));
  for (const r of savedActivities) activities.delete(r.from);
  for (const r of savedActivities) if (r.definition) activities.set(r.to, r.definition);
  // An activities pull under way continues where it was in the renamed sheet (the job follows too).
  const progress = plan.renamed.map((r) => ({ ...r, saved: store.get(activityProgressKey(r.from)) }));
  for (const r of progress) if (r.saved !== null) store.delete(activityProgressKey(r.from));
  for (const r of progress) if (r.saved !== null) store.set(activityProgressKey(r.to), r.saved);
  const moving = plan.renamed.flatMap((r) => {
    const sheet = spreadsheet.getSheetByName(snapshotSheetName(r.from));
    return sheet ? [{ r, sheet }] : [];
  });
  for (const m of moving) m.sheet.setName(`${snapshotSheetName('')}~${m.r.id}`);
  for (const m of moving) {
    // A snapshot already named for the new name belongs to no sheet any more (its sheet is gone).
    const stale = spreadsheet.getSheetByName(snapshotSheetName(m.r.to));
    if (stale) spreadsheet.deleteSheet(stale);
    m.sheet.setName(snapshotSheetName(m.r.to));
  }
  const newName = new Map(plan.renamed.map((r) => [r.from, r.to]));
  const schedules = new ScheduleStore(store);
  const moved = schedules.all().filter((s) => newName.has(s.sheetName));
  for (const s of moved) schedules.remove(s.sheetName);
  for (const s of moved) schedules.put({ ...s, sheetName: newName.get(s.sheetName)! });
  const jobs = new JobStore(store);
  const job = jobs.load();
  if (job && newName.has(job.sheetName)) jobs.save({ ...job, sheetName: newName.get(job.sheetName)! });
  const source = store.get(REPORT_SOURCE_KEY);
  if (source && newName.has(source)) store.set(REPORT_SOURCE_KEY, newName.get(source)!);
}

/** Records the sheet a pull just went into under its id (a rename right after is then followed). */
export function registerSheet(name: string, followed?: Followed, idOf?: () => number | null): void {
  const store = documentStore();
  const registry = loadRegistry(store);
  const known = followed?.ids.get(name);
  if (known !== undefined && registry[String(known)]?.name === name) return;
  let sheetId = known ?? idOf?.() ?? undefined;
  if (sheetId !== undefined && registry[String(sheetId)]?.name === name) return;
  if (sheetId === undefined) {
    const sheet = activeSpreadsheet().getSheetByName(name);
    if (!sheet) return;
    sheetId = sheet.getSheetId();
  }
  const id = String(sheetId);
  if (registry[id]?.name === name) return;
  for (const [key, record] of Object.entries(registry)) if (record.name === name) delete registry[key];
  registry[id] = { ...registry[id], name };
  saveRegistry(store, registry);
}

/**
 * Why Preview and Push refuse a sheet that holds Close Sync columns but has no state of its own: a copy
 * (its header notes came along, its record did not), or a sheet whose state was lost.
 */
export function unpulledCopyMessage(name: string): string {
  return `"${name}" holds Close Sync columns but nothing was pulled into it: it looks like a copy of a pulled sheet (Sheets copies the columns' notes, not Close Sync's record of the pull), so your edits in it cannot be told from older values and nothing is pushed from it. Push from the original sheet, or pull into "${name}" first: that pull keeps every cell that differs from Close and marks its row in Sync status; check those cells, then push.`;
}

/** Whether a sheet has no record of its own but carries Close Sync's column notes (a copy). */
export function isUnpulledCopy(name: string, { ids }: Followed): boolean {
  // Every registered sheet is in `ids` by its name now: a name not there has no record.
  if (ids.has(name)) return false;
  const workbook = activeWorkbook(activeSpreadsheet());
  const grid = workbook.sheet(name);
  if (grid === null || readBindings(grid).bindings.length === 0) return false;
  // Its own snapshot (kept before ids were recorded) says it was pulled: not a copy.
  return workbook.sheet(snapshotSheetName(name)) === null;
}

/**
 * The sheet Preview and Push work on (see definitions.sheetToPush), after state has followed the sheet
 * ids: the active sheet also when it is a copy of a pulled sheet, so that a copy is never reported as
 * its original; a copy is then refused with what to do.
 */
export function pushTarget(sheetName?: string): ReturnType<typeof sheetToPush> & { followed: Followed } {
  const active = sheetName ? '' : activeSpreadsheet().getActiveSheet().getName();
  const followed = followSheets(sheetName || active);
  let name = sheetName;
  if (
    !name &&
    (followed.ids.has(active) || definitionsStore().get(active) || isUnpulledCopy(active, followed))
  )
    name = active;
  if (name && isUnpulledCopy(name, followed)) throw new Error(unpulledCopyMessage(name));
  return { ...sheetToPush(name), followed };
}

function definitionsStore(): DefinitionStore {
  return definitionStore();
}
