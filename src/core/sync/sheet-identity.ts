// Which sheet a pull definition, snapshot, schedule or push belongs to, by the sheet's id. A rep renames
// sheets, copies them and deletes them; the sheet id (Sheet.getSheetId(): "unique to the spreadsheet …
// assigned at sheet creation time", so it survives a rename and a copy gets a new one) is what stays.
//
// State is still stored under the sheet's name (document properties, the hidden "Close Sync snapshot ·
// <name>" sheet, schedules): names are what the rep and the sidebar see, and what state written before
// ids were recorded is keyed by. A small registry (sheet id → the name its state is under, and the
// snapshot sheet's own id) is compared with the spreadsheet's sheets at the start of every run, and
// the state follows the id: a renamed sheet's state moves to its new name, a deleted sheet's state is
// freed, and a sheet no id owns is a copy or a sheet never pulled. This file plans that; the Apps
// Script shell (addon/sheet-identity.ts) carries it out.
import type { Store } from '../ports';
import { snapshotSheetName } from './snapshot';

export interface SheetInfo {
  id: number;
  name: string;
}

export interface SheetRecord {
  /** The name the sheet's state is stored under (its name at the last run). */
  name: string;
  /** Names it had before (newest last, a few), so a push log row written under one still finds it. */
  formerNames?: string[];
}

/** Sheet id (as text) → record. */
export type SheetRegistry = Record<string, SheetRecord>;

export interface IdentityPlan {
  /** Registered sheets renamed since: their state moves from → to. */
  renamed: Array<{ id: number; from: string; to: string }>;
  /** Registered sheets that no longer exist: their state is freed. */
  deleted: Array<{ id: number; name: string }>;
  /** Sheets with state under their name but no record yet (state from before ids were kept). */
  claimed: SheetInfo[];
  /** The registry after the plan is carried out. */
  registry: SheetRegistry;
}

const FORMER_NAMES = 5;
export const REGISTRY_KEY = 'closeSync.sheets';

export function loadRegistry(store: Store): SheetRegistry {
  const saved = store.get(REGISTRY_KEY);
  if (!saved) return {};
  try {
    return JSON.parse(saved) as SheetRegistry;
  } catch {
    // A damaged registry is rebuilt from the names state is stored under (claimed on the next run).
    return {};
  }
}

export function saveRegistry(store: Store, registry: SheetRegistry): void {
  if (Object.keys(registry).length === 0) store.delete(REGISTRY_KEY);
  else store.set(REGISTRY_KEY, JSON.stringify(registry));
}

/**
 * Compares the registry with the sheets there are now. `hasState(name)`: whether state is stored under
 * a name (a definition, or a snapshot sheet of that name). A name owned by a registered sheet is never
 * claimed by another one: a new "Close Leads" made after the old one was renamed or deleted starts
 * empty.
 */
export function planIdentity(
  registry: SheetRegistry,
  sheets: SheetInfo[],
  hasState: (name: string) => boolean,
): IdentityPlan {
  const live = new Map(sheets.map((s) => [s.id, s]));
  const next: SheetRegistry = {};
  const renamed: IdentityPlan['renamed'] = [];
  const deleted: IdentityPlan['deleted'] = [];
  const owned = new Set<string>();
  for (const [key, record] of Object.entries(registry)) {
    const id = Number(key);
    owned.add(record.name);
    const sheet = live.get(id);
    if (!sheet) {
      deleted.push({ id, name: record.name });
      continue;
    }
    if (sheet.name !== record.name) {
      renamed.push({ id, from: record.name, to: sheet.name });
      const former = [...(record.formerNames ?? []).filter((n) => n !== record.name), record.name];
      next[key] = { name: sheet.name, formerNames: former.slice(-FORMER_NAMES) };
    } else next[key] = record;
  }
  const claimed: SheetInfo[] = [];
  for (const sheet of sheets) {
    if (registry[String(sheet.id)] || owned.has(sheet.name) || isAddonSheet(sheet.name)) continue;
    if (!hasState(sheet.name)) continue;
    claimed.push(sheet);
    next[String(sheet.id)] = { name: sheet.name };
  }
  return { renamed, deleted, claimed, registry: next };
}

/** The name a sheet goes by now, for a name written in the past (a push log row). */
export function currentName(registry: SheetRegistry, logged: string): string {
  const records = Object.values(registry);
  if (records.some((r) => r.name === logged)) return logged;
  const moved = records.find((r) => r.formerNames?.includes(logged));
  return moved ? moved.name : logged;
}

const ADDON_SHEETS = [
  'Close Sync Push Log',
  'Close Sync Log',
  'Close Report',
  'Close Report History',
  'Close Report Status History',
  'Close Activity Report',
];

/**
 * The add-on's own sheets (snapshots, logs, lists, report): never a pull's target, never a sheet whose
 * state follows an id. Anything named "Close Sync …" is reserved, lists sheets included.
 */
export function isAddonSheet(name: string): boolean {
  const n = name.trim().toLowerCase();
  return (
    n.startsWith(snapshotSheetName('').toLowerCase()) ||
    n.startsWith('close sync ') ||
    ADDON_SHEETS.some((s) => s.toLowerCase() === n)
  );
}

/** Refuses a pull into one of the add-on's own sheets, with what to do instead. */
export function requirePullTarget(name: string): void {
  if (!isAddonSheet(name)) return;
  throw new Error(
    `"${name.trim()}" is a name Close Sync uses for its own sheets (snapshots, logs, lists, the report), so nothing is pulled into it: pull into another sheet (for example "Close Leads"), or rename this one first.`,
  );
}
