// State that grows with the organization (what each pull saw of every column, the chosen fields) lives
// in the hidden "Close Sync state" sheet, not in document properties (500 KB for the whole spreadsheet):
// properties keep the small part; what was saved there before moves on first read; a deleted sheet's
// row is freed.
import type { World } from './harness';
import { SHEET, pulled, view } from './sheet';

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
    inSheet: true,
  });
  expect(Object.keys(props(w)).filter((k) => k.includes('#seen'))).toEqual([]);
  expect(app(w).getSheetByName(STATE)!.isSheetHidden()).toBe(true);
  const [header, row] = stateRows(w);
  expect(header).toEqual(['Key', 'Value (Close Sync keeps its settings here: do not edit)']);
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
  });
});

test('a definition saved in properties before moves to the state sheet on first read, its properties freed', () => {
  const w = pulled();
  const whole = w.app.getPullDefinition(SHEET);
  // As an earlier version saved it: the seen columns in parts beside the main property.
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
