// The hidden "Close Sync state" sheet, read once per execution. Every definitions() call used to read it
// again (a lookup, its size and its values: four Sheets calls), and one pull or push asks for definitions
// several times (the sheet identity check, the target, the job's columns, the save at the end). Apps
// Script starts every execution (a menu item, a sidebar call, a trigger) with fresh globals, so a
// module-level store lives exactly one execution there; the build's entry stubs call beginExecution_
// first, so that holds as well where one loaded bundle serves many calls (the tests, the local preview).
//
// Writes go through the same store (sheet-store.ts updates what it read), so a step that saves and reads
// again sees its own write. Another execution (a colleague's push, the trigger) may write meanwhile: every
// write also sets a document property to a new version mark, and each use compares it with the mark the
// store was read at — one property read, no Sheets call — and reads the sheet again when they differ, so
// a row is never appended over one written meanwhile.
import type { Store } from '../core/ports';
import { SheetStore } from '../core/sheet-store';
import { activeWorkbook } from '../gas/grid';
import { documentStore } from '../gas/runtime';

const VERSION_KEY = 'closeSync.stateVersion';

let state: { store: SheetStore; version: string | null } | null = null;

/**
 * The active spreadsheet's handle, asked for once an execution (a service call each time: a pull asked
 * three times, for the state sheet, the sheet ids and the job's workbook). It names the document, not
 * a sheet, so nothing the execution does to sheets (growing, renaming, deleting them) makes it stale.
 */
let spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;

export function activeSpreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet {
  spreadsheet ??= SpreadsheetApp.getActiveSpreadsheet();
  return spreadsheet;
}

function newVersion(): string {
  return `${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
}

/** The state sheet's store for this execution: read on first use, again when another execution wrote. */
export function stateStore(): Store {
  const properties = documentStore();
  const version = properties.get(VERSION_KEY);
  if (!state || state.version !== version)
    state = { store: new SheetStore(activeWorkbook(activeSpreadsheet())), version };
  const current = state;
  const wrote = () => {
    current.version = newVersion();
    properties.set(VERSION_KEY, current.version);
  };
  return {
    get: (key) => current.store.get(key),
    set: (key, value) => {
      current.store.set(key, value);
      wrote();
    },
    delete: (key) => {
      current.store.delete(key);
      wrote();
    },
  };
}

/**
 * When this execution began (the clock's ms): Apps Script kills it 6 minutes later, whatever it does. A
 * run that does several things — a scheduled refresh's last pull step, then the report it rebuilds —
 * gives the later ones what is left of that, not a new budget of their own.
 */
let startedAt = Date.now();

export function executionStart(): number {
  return startedAt;
}

/** A new execution: nothing read yet (see the file comment), its clock started. */
export function beginExecution_(): void {
  state = null;
  startedAt = Date.now();
  spreadsheet = null;
}
