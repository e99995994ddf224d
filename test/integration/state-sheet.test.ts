// State that grows with the organization (what each pull saw of every column, the chosen fields) lives
// in the hidden "Close Sync state" sheet, not in document properties (500 KB for the whole spreadsheet):
// properties keep the small part; what was saved there before moves on first read; a deleted sheet's
// row is freed.
import { RangeApi } from '../../dev/gas-fakes/range';
import { SpreadsheetApi } from '../../dev/gas-fakes/spreadsheet';
import type { World } from './harness';
import { edit, SHEET, pulled, view } from './sheet';

const STATE = 'Close Sync state';
const KEY = `closeSync.definition.${SHEET}`;
const props = (w: World) => w.runtime.documentProperties.toObject() as Record<string, string>;
const stateRows = (w: World) => w.runtime.spreadsheet.dump(STATE).filter((r) => r[0] !== '');
const app = (w: World) =>
  (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp).getActiveSpreadsheet();

test('a pull keeps kind and source in properties, and the columns it saw in the hidden state sheet', () => {
  const w = pulled();
  const { refresh } = w.app.getPullDefinition(SHEET);
  expect(JSON.parse(props(w)[KEY])).toEqual({
    kind: 'lead',
    source: { type: 'all' },
    refresh,
    zone: 'America/New_York',
    inSheet: true,
  });
  expect(Object.keys(props(w)).filter((k) => k.includes('#seen'))).toEqual([]);
  expect(app(w).getSheetByName(STATE)!.isSheetHidden()).toBe(true);
  const [header, row] = stateRows(w);
  expect(header).toEqual([
    'Key',
    'Value (Close Sync keeps its settings here: editing them makes it forget what your sheets pull)',
  ]);
  expect(row[0]).toBe(KEY);
  const saved = JSON.parse(String(row[1]));
  expect(saved.fields).toBeNull();
  expect(saved.seen.id).toEqual({ header: 'Lead ID', type: 'text', column: 1 });
  // The definition reads back whole.
  expect(w.app.getPullDefinition(SHEET)).toEqual({
    kind: 'lead',
    source: { type: 'all' },
    fields: null,
    seen: saved.seen,
    refresh,
    zone: 'America/New_York',
  });
});

test('a definition saved in properties before moves to the state sheet on first read, its properties freed', () => {
  const w = pulled();
  // As an earlier version saved it: without the zone of the first pull, the seen columns in parts beside
  // the main property.
  const { zone: _zone, ...whole } = w.app.getPullDefinition(SHEET);
  app(w).deleteSheet(app(w).getSheetByName(STATE)!);
  const store = w.runtime.documentProperties;
  const json = JSON.stringify(whole.seen);
  store.set(`${KEY}#seen0`, json.slice(0, 4000));
  store.set(`${KEY}#seen1`, json.slice(4000));
  const { refresh } = whole;
  store.set(
    KEY,
    JSON.stringify({ kind: 'lead', source: { type: 'all' }, fields: null, refresh, seenParts: 2 }),
  );
  expect(w.app.getPullDefinition(SHEET)).toEqual(whole);
  expect(Object.keys(props(w)).filter((k) => k.startsWith(KEY))).toEqual([KEY]);
  expect(JSON.parse(props(w)[KEY])).toEqual({
    kind: 'lead',
    source: { type: 'all' },
    refresh,
    inSheet: true,
  });
  expect(JSON.parse(String(stateRows(w)[1][1]))).toEqual({ fields: null, seen: whole.seen });
  // A pull after it sees no drift: the header stays as it was.
  const header = view(w).header;
  expect(w.app.pullLeads({})).toMatchObject({ done: true, added: 0 });
  expect(view(w).header).toEqual(header);
});

test("a deleted sheet's row in the state sheet is freed with its definition", () => {
  const w = pulled();
  w.app.pullLeads({ sheetName: 'Second', fields: ['Industry'] });
  expect(stateRows(w).map((r) => r[0])).toEqual(['Key', KEY, 'closeSync.definition.Second']);
  app(w).deleteSheet(app(w).getSheetByName(SHEET)!);
  w.app.previewChanges({ sheetName: 'Second' });
  expect(stateRows(w).map((r) => r[0])).toEqual(['Key', 'closeSync.definition.Second']);
  expect(props(w)[KEY]).toBeUndefined();
  expect(w.app.getPullDefinition('Second')).toMatchObject({ fields: ['Industry'] });
});

/** Counts, while `run` runs, the reads of the state sheet's values and the attempts to insert it. */
function stateSheetCalls(run: () => void): { reads: number; inserts: number } {
  const counts = { reads: 0, inserts: 0 };
  const getValues = RangeApi.prototype.getValues;
  const insertSheet = SpreadsheetApi.prototype.insertSheet;
  RangeApi.prototype.getValues = function (this: RangeApi) {
    if (this._sheet.name === STATE) counts.reads++;
    return getValues.call(this);
  };
  SpreadsheetApi.prototype.insertSheet = function (this: SpreadsheetApi, ...args: unknown[]) {
    if (args[0] === STATE) counts.inserts++;
    return insertSheet.apply(this, args as Parameters<typeof insertSheet>);
  };
  try {
    run();
  } finally {
    RangeApi.prototype.getValues = getValues;
    SpreadsheetApi.prototype.insertSheet = insertSheet;
  }
  return counts;
}

test('one execution reads the state sheet once: a re-pull reads its definition, saves it, and reads it again', () => {
  const w = pulled();
  const id = String(w.runtime.spreadsheet.dump(SHEET)[1][0]);
  edit(w, id, 'Name', 'Renamed by the rep');
  w.runtime.startExecution();
  // A re-pull: the sheet's definition is read (target, identity, the job's columns) and saved at the end.
  const calls = stateSheetCalls(() => {
    expect(w.app.pullLeads({})).toMatchObject({ done: true, added: 0 });
  });
  expect(calls).toEqual({ reads: 1, inserts: 0 });
  // What this execution saved is what the next one reads.
  const { seen } = JSON.parse(String(stateRows(w)[1][1]));
  w.runtime.startExecution();
  expect(stateSheetCalls(() => expect(w.app.getPullDefinition(SHEET).seen).toEqual(seen))).toEqual({
    reads: 1,
    inserts: 0,
  });
  // A new execution reads again: a row written by hand in between (as another execution would) is seen.
  const row = stateRows(w).findIndex((r) => r[0] === KEY) + 1;
  const changed = JSON.stringify({ fields: ['Industry'], seen });
  app(w).getSheetByName(STATE)!.getRange(row, 2).setValue(changed);
  w.runtime.startExecution();
  expect(w.app.getPullDefinition(SHEET).fields).toEqual(['Industry']);
});

const PROTECTION =
  "Close Sync keeps its settings here (what each sheet pulls and the columns it saw). Editing or deleting them makes Close Sync forget your sheets' pulls.";

/** The state sheet's protections, as a rep sees them in Data › Protect sheets and ranges. */
function protections(w: World) {
  const sheet = app(w).getSheetByName(STATE)!;
  const type = (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp)
    .ProtectionType;
  return sheet
    .getProtections(type.SHEET)
    .map((p) => ({ warningOnly: p.isWarningOnly(), description: p.getDescription() }));
}

test('the state sheet is protected with a warning when made; one made before is protected on its next write', () => {
  const w = pulled();
  expect(protections(w)).toEqual([{ warningOnly: true, description: PROTECTION }]);
  // As an earlier version left it: its own header, no protection.
  for (const p of app(w)
    .getSheetByName(STATE)!
    .getProtections(
      (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp).ProtectionType.SHEET,
    ))
    p.remove();
  app(w)
    .getSheetByName(STATE)!
    .getRange(1, 2)
    .setValue('Value (Close Sync keeps its settings here: do not edit)');
  w.runtime.startExecution();
  expect(w.app.pullLeads({})).toMatchObject({ done: true });
  expect(protections(w)).toEqual([{ warningOnly: true, description: PROTECTION }]);
  expect(stateRows(w)[0][1]).toBe(
    'Value (Close Sync keeps its settings here: editing them makes it forget what your sheets pull)',
  );
  // Protected once: the next write adds nothing.
  w.runtime.startExecution();
  w.app.pullLeads({});
  expect(protections(w)).toHaveLength(1);
});

const LOST = (how: string) =>
  `Close Sync's record of what "${SHEET}" pulls was ${how} (its hidden sheet "Close Sync state" was deleted or edited), so this pull brought every field: if you had chosen fields for this sheet, choose them again in the sidebar and pull.`;

test('a deleted or edited state sheet is explained by the next pull, which saves the record again', () => {
  const w = pulled();
  w.app.pullLeads({ fields: ['Industry'] });
  // The rep unhid the sheet and, past the warning, typed over the record.
  const row = stateRows(w).findIndex((r) => r[0] === KEY) + 1;
  app(w).getSheetByName(STATE)!.getRange(row, 2).setValue('oops');
  w.runtime.startExecution();
  expect(w.app.pullLeads({}).message).toContain(LOST('damaged'));
  expect(JSON.parse(String(stateRows(w)[1][1])).fields).toBeNull();
  // Then deleted it: the next pull says so and makes it again, protected.
  app(w).deleteSheet(app(w).getSheetByName(STATE)!);
  w.runtime.startExecution();
  expect(w.app.pullLeads({}).message).toContain(LOST('missing'));
  expect(protections(w)).toEqual([{ warningOnly: true, description: PROTECTION }]);
  w.runtime.startExecution();
  expect(w.app.pullLeads({}).message).not.toContain("Close Sync's record");
});
