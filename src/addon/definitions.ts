// Which sheet a call is about, and what that sheet pulls: the per-sheet pull definitions live in
// document properties (shared by everyone working in the spreadsheet; they hold no secrets).
import { ActivityDefinitionStore, activitiesReadOnly } from '../core/activities/definition';
import { fetchSmartViews } from '../core/close/org';
import type { SmartView } from '../core/close/types';
import type { Column } from '../core/schema/columns';
import { OBJECTS, type ObjectKind } from '../core/schema/objects';
import {
  DefinitionStore,
  definitionFor,
  type PullDefinition,
  type PullRequest,
} from '../core/sync/pull-definition';
import { loadSyncContext } from '../core/sync/context';
import { documentStore } from '../gas/runtime';
import { clientFor, requireApiKey, syncDeps } from './connection';
import { stateStore } from './execution-state';
import type { FieldGroups, FieldInfo } from '../shared/server-api';

/**
 * Pull definitions: kind and source in document properties, what grows with the organization in the
 * hidden "Close Sync state" sheet (sheet-store.ts), read once per execution (execution-state.ts) and only
 * when a definition is.
 */
export function definitions(): DefinitionStore {
  return new DefinitionStore(documentStore(), stateStore());
}

function activityStore(): ActivityDefinitionStore {
  return new ActivityDefinitionStore(documentStore());
}

/** The definition a pull of this kind runs, from its options and what the sheet saved. */
export function pullDefinition(
  kind: ObjectKind,
  options: PullRequest,
): { sheetName: string; definition: PullDefinition } {
  const sheetName = options.sheetName ?? OBJECTS[kind].defaultSheet;
  if (activityStore().get(sheetName))
    throw new Error(
      `"${sheetName}" holds pulled activities: pull ${OBJECTS[kind].noun}s into another sheet.`,
    );
  const saved = definitions().get(sheetName);
  const definition = definitionFor(kind, options, saved);
  const given =
    options.smartViewId !== undefined || options.query !== undefined || options.fields !== undefined;
  // Nothing saved here and nothing chosen: the defaults run, and the summary says so if the sheet turns
  // out to hold an earlier pull (a copy of the spreadsheet: see PullDefinition.lost).
  if (!saved && !given) definition.lost = 'settings';
  return { sheetName, definition };
}

/**
 * What a pull in a copy of the spreadsheet adds to its summary: it ran the defaults (every field of
 * every lead) over the rows of the original's pull.
 */
export function settingsWereNotHereText(sheetName: string, noun: string): string {
  return ` Close Sync's settings for "${sheetName}" were not in this spreadsheet (a copy made with File › Make a copy takes the sheets but not the add-on's settings), so this pull brought every field of every ${noun} into the rows of the earlier pull: if this sheet pulled a Smart View, a query or chosen fields, choose them again in the sidebar and pull.`;
}

/**
 * What Preview and Push say in a copy of the spreadsheet (File › Make a copy): its sheets came along,
 * Close Sync's settings (document properties) did not, so what the sheet pulls (leads, contacts or
 * opportunities; which fields) is unknown.
 */
export function settingsNotHereMessage(sheetName: string): string {
  return `Close Sync's settings for "${sheetName}" are not in this spreadsheet: a copy made with File › Make a copy takes the sheets but not the add-on's settings, so Close Sync cannot tell what this sheet pulls. Nothing was sent. Pull into "${sheetName}" first (Close Sync keeps the cells you changed), then preview or push.`;
}

/**
 * Preview and push work on one sheet: the one named, else the active sheet when it holds a pull,
 * else "Close Leads".
 */
export function sheetToPush(sheetName?: string): { sheetName: string; definition: PullDefinition } {
  const store = definitions();
  let name = sheetName;
  if (!name) {
    const active = SpreadsheetApp.getActiveSpreadsheet().getActiveSheet().getName();
    if (activityStore().get(active)) throw activitiesReadOnly(active);
    name = store.get(active) ? active : OBJECTS.lead.defaultSheet;
  }
  if (activityStore().get(name)) throw activitiesReadOnly(name);
  const saved = store.get(name);
  if (!saved && store.recordedOnlyInStateSheet(name)) throw new Error(settingsNotHereMessage(name));
  return {
    sheetName: name,
    definition: saved ?? { kind: 'lead', source: { type: 'all' }, fields: null },
  };
}

export function smartViews(): SmartView[] {
  return fetchSmartViews(clientFor(requireApiKey()));
}

export function fieldGroups(kind: ObjectKind = 'lead', sheetName?: string): FieldGroups {
  const deps = syncDeps();
  const ctx = loadSyncContext(deps, { kind, fields: null });
  const info = (c: Column): FieldInfo => ({ key: c.key, name: c.header, kind: c.kind, editable: c.editable });
  const columns = ctx.columns.filter((c) => c.key !== 'id' && c.key !== '_sync');
  const custom: Record<string, FieldInfo[]> = {};
  for (const c of columns.filter((c) => c.key.startsWith('custom.'))) {
    const type = (c.fieldType ?? c.kind).replace('[]', ' (multiple)');
    custom[type] = [...(custom[type] ?? []), info(c)];
  }
  const related = (c: Column) => c.key.startsWith('contact.') || c.key.startsWith('opportunities.');
  return {
    kind,
    standard: columns.filter((c) => !c.key.startsWith('custom.') && !related(c)).map(info),
    custom,
    related: columns.filter(related).map(info),
    chosen: definitions().get(sheetName ?? OBJECTS[kind].defaultSheet)?.fields ?? null,
  };
}
