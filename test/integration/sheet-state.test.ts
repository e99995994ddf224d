// What reps do to the sheets themselves: rename them, copy them, delete Close Sync's hidden snapshot or
// damage it, pull into the add-on's own sheet names. State follows the sheet id; missing or damaged
// state is explained, never resolved against the rep's edits.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import type { World } from './harness';
import {
  SHEET,
  STAMP,
  cell,
  cf,
  edit,
  pulled,
  sent,
  sheetIds,
  sheetOf,
  view,
  withoutDuration,
} from './sheet';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const SNAPSHOT = `Close Sync snapshot · ${SHEET}`;

const app = (w: World) =>
  (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp).getActiveSpreadsheet();
const sheetNames = (w: World) => w.runtime.spreadsheet.sheets.map((s) => s.name).sort();
/** The message of what a call threw (across the sandbox it arrives as "Error: …"). */
const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^Error: /, '');
  }
  throw new Error('expected an error');
};

test('a renamed sheet: Push works, a pull into it keeps the unpushed edit, and the hourly schedule refreshes it (no new "Close Leads")', () => {
  const w = pulled();
  w.app.setSchedule({ every: 'hour', hours: 1 });
  sheetOf(w).setName('My Leads');
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software', 'My Leads');

  expect(w.app.previewChanges({ sheetName: 'My Leads' }).counts).toMatchObject({ leads: 1, fields: 1 });
  expect(w.app.pushChanges({ sheetName: 'My Leads' })).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
  expect(sheetNames(w)).toEqual([
    'Close Sync Push Log',
    'Close Sync snapshot · My Leads',
    'Close Sync state',
    'My Leads',
    'Sheet1',
  ]);

  // Renamed again, then an edit, then a pull into it by its new name: the edit is kept.
  sheetOf(w, 'My Leads').setName('Q4 Leads');
  edit(w, WAYNE_LEAD_ID, 'Description', 'Typed, not pushed', 'Q4 Leads');
  const summary = w.app.pullLeads({ sheetName: 'Q4 Leads' });
  expect(summary).toMatchObject({ done: true, added: 0, keptEdits: 1 });
  expect(cell(w, WAYNE_LEAD_ID, 'Description', 'Q4 Leads')).toBe('Typed, not pushed');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status', 'Q4 Leads')).toBe(`kept 1 unpushed edit · ${STAMP}`);
  expect(sheetIds(w, 'Q4 Leads')).toHaveLength(300);

  // The schedule set for "Close Leads" now refreshes "Q4 Leads".
  expect(w.app.getSchedule().schedules.map((s: { sheetName: string }) => s.sheetName)).toEqual(['Q4 Leads']);
  w.close.touchLead(WAYNE_LEAD_ID, { url: 'https://wayne.example.com' });
  w.clock.advance(HOUR);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  expect(cell(w, WAYNE_LEAD_ID, 'URL', 'Q4 Leads')).toBe('https://wayne.example.com');
  expect(cell(w, WAYNE_LEAD_ID, 'Description', 'Q4 Leads')).toBe('Typed, not pushed');
  expect(w.runtime.spreadsheet.dumpDisplay('Close Sync Log')[1].slice(2, 6)).toEqual([
    'Q4 Leads',
    'rep@example.com',
    '1',
    'ok',
  ]);
  expect(sheetNames(w)).toEqual([
    'Close Sync Log',
    'Close Sync Push Log',
    'Close Sync snapshot · Q4 Leads',
    'Close Sync state',
    'Q4 Leads',
    'Sheet1',
  ]);
});

test('a copied sheet: Preview and Push refuse it (never the original), and a pull into it keeps every cell that differs from Close', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  app(w).getSheetByName(SHEET)!.activate();
  const copy = app(w).duplicateActiveSheet();
  expect(copy.getName()).toBe(`Copy of ${SHEET}`);
  expect(copy.getSheetId()).not.toBe(app(w).getSheetByName(SHEET)!.getSheetId());
  const COPY = `Copy of ${SHEET}`;
  edit(w, WAYNE_LEAD_ID, 'Description', 'Edited in the copy', COPY);

  const refusal = `"${COPY}" holds Close Sync columns but nothing was pulled into it: it looks like a copy of a pulled sheet (Sheets copies the columns' notes, not Close Sync's record of the pull), so your edits in it cannot be told from older values and nothing is pushed from it. Push from the original sheet, or pull into "${COPY}" first: that pull keeps every cell that differs from Close and marks its row in Sync status; check those cells, then push.`;
  // The copy is the active sheet: the menu's Preview and Push are about it, and refuse.
  expect(errorOf(() => w.app.previewChanges({}))).toBe(refusal);
  expect(errorOf(() => w.app.pushChanges({ sheetName: COPY }))).toBe(refusal);
  expect(sent(w, 'PUT')).toEqual([]);

  const summary = w.app.pullLeads({ sheetName: COPY });
  expect(summary).toMatchObject({ done: true, added: 0, keptEdits: 0, discardedEdits: 0 });
  expect(withoutDuration(summary.message)).toBe(
    `Pulled 300 leads into "${COPY}" (0 new) in …s. Kept 2 cells that differ from Close in 1 row with no record of the last pull into this sheet (a copied sheet, or Close Sync's hidden snapshot was deleted or damaged), so Close Sync cannot tell your edits from older values: check the rows marked in Sync status. Push sends those cells; pull with "discard edits" takes Close's values.`,
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Industry', COPY)).toBe('Software');
  expect(cell(w, WAYNE_LEAD_ID, 'Description', COPY)).toBe('Edited in the copy');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status', COPY)).toBe(
    `kept 2 cells that differ from Close: no record of your last pull here, so check them (Push sends them) · ${STAMP}`,
  );
  expect(sheetIds(w, COPY)).toHaveLength(300);
  // Now the copy has its own record: its push sends its cells; the original keeps its own edit.
  expect(w.app.pushChanges({ sheetName: COPY })).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    {
      method: 'PUT',
      path: `/lead/${WAYNE_LEAD_ID}/`,
      body: { description: 'Edited in the copy', [cf('industry')]: 'Software' },
    },
  ]);
  // The original was never touched: its own Industry edit is still there, and Close now holds it. (Looked at
  // a little later: Close's search index shows a PUT only seconds after it, and until then the conflict
  // check's search still shows the value from before it — see README, Batched conflict checks.)
  w.clock.advance(10_000);
  expect(
    w.app
      .previewChanges({ sheetName: SHEET })
      .items.map((i: { field: string; state: string; new: string }) => [i.field, i.new, i.state]),
  ).toEqual([['Industry', 'Software', 'already']]);
  expect(cell(w, WAYNE_LEAD_ID, 'Description')).toBe('');
});

test('a deleted snapshot: Push refuses with why; a pull keeps every cell that differs from Close, says so, and then Push sends them', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  app(w).deleteSheet(app(w).getSheetByName(SNAPSHOT)!);

  const why = `Close Sync has no record of what was pulled into "${SHEET}" (its hidden snapshot sheet was deleted, or "${SHEET}" is a copy of another sheet), so it cannot tell your edits from older values and pushes nothing. Pull into "${SHEET}" first: the pull keeps every cell that differs from Close and marks its row in Sync status. Check those cells, then push.`;
  expect(errorOf(() => w.app.pushChanges({}))).toBe(why);
  expect(errorOf(() => w.app.previewChanges({}))).toBe(why);
  expect(sent(w, 'PUT')).toEqual([]);

  const summary = w.app.pullLeads({});
  expect(summary).toMatchObject({ done: true, added: 0, keptEdits: 0 });
  expect(summary.message).toContain(
    'Kept 1 cell that differ from Close in 1 row with no record of the last pull',
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Industry')).toBe('Software');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `kept 1 cell that differs from Close: no record of your last pull here, so check it (Push sends it) · ${STAMP}`,
  );
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
});

test('one corrupt snapshot cell affects that row only: preview, push and pulls (discardEdits too) go on for every other lead', () => {
  const w = pulled();
  const other = w.close.org.leads.find((l) => l.id !== WAYNE_LEAD_ID)!;
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  edit(w, other.id, 'Description', 'Other edit');
  // Wayne's record (its last row: format 4 keeps the ID and the values in the first cell) made unreadable.
  const damage = (text: string) => {
    const snapshot = w.runtime.spreadsheet.dump(SNAPSHOT);
    const at = snapshot.map((r) => String(r[0]).split('^')[0]).lastIndexOf(WAYNE_LEAD_ID) + 1;
    w.runtime.spreadsheet.userEdit(SNAPSHOT, [at, 1], `${WAYNE_LEAD_ID}${text}`);
  };
  damage('^3:("garbage');

  const preview = w.app.previewChanges({});
  expect(
    preview.items
      .filter((i: { state: string }) => i.state === 'send')
      .map((i: { leadId: string }) => i.leadId),
  ).toEqual([other.id]);
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1, failed: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${other.id}/`, body: { description: 'Other edit' } },
  ]);
  expect(String(cell(w, WAYNE_LEAD_ID, 'Sync status'))).toBe(
    `error: Close Sync's record of what was pulled for this lead is damaged, so its edits cannot be told from older values: not pushed. Pull again (cells that differ from Close are kept and marked), check them, then push · ${STAMP}`,
  );

  // A pull keeps the damaged row's differing cell and repairs its record.
  expect(w.app.pullLeads({})).toMatchObject({ done: true, added: 0 });
  expect(cell(w, WAYNE_LEAD_ID, 'Industry')).toBe('Software');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(
    `kept 1 cell that differs from Close: no record of your last pull here, so check it (Push sends it) · ${STAMP}`,
  );
  // Damaged again: discardEdits takes Close's values, for that row too.
  damage('^0:{not json');
  expect(w.app.pullLeads({ discardEdits: true })).toMatchObject({ done: true, discardedEdits: 1 });
  expect(cell(w, WAYNE_LEAD_ID, 'Industry')).toBe(w.close.leads.get(WAYNE_LEAD_ID)![cf('industry')] ?? '');
  expect(w.app.previewChanges({}).items).toEqual([]);
});

test("a pull into a sheet named like the add-on's own sheets is refused, and nothing is written", () => {
  const w = pulled();
  const names = sheetNames(w);
  const before = w.runtime.spreadsheet.dump(SHEET);
  for (const name of [
    SNAPSHOT,
    'Close Sync Push Log',
    'Close Sync Log',
    'Close Sync Lists',
    'close report',
    'Close Activity Report',
  ]) {
    expect(errorOf(() => w.app.pullLeads({ sheetName: name }))).toBe(
      `"${name}" is a name Close Sync uses for its own sheets (snapshots, logs, lists, the report), so nothing is pulled into it: pull into another sheet (for example "Close Leads"), or rename this one first.`,
    );
  }
  expect(sheetNames(w)).toEqual(names);
  expect(w.runtime.spreadsheet.dump(SHEET)).toEqual(before);
  expect(sent(w)).toEqual([]);
  expect(errorOf(() => w.app.setSchedule({ every: 'hour', hours: 1, sheetName: SNAPSHOT }))).toContain(
    'is a name Close Sync uses for its own sheets',
  );
});

test("a deleted sheet's state is freed: its definition, hidden snapshot and schedule go, with a log row saying so", () => {
  const w = pulled();
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.app.pullLeads({ sheetName: 'Second', fields: ['Industry'] });
  const props = () =>
    Object.keys(w.runtime.documentProperties.toObject()).filter((k) => k.startsWith('closeSync.definition.'));
  expect(props()).toEqual(
    expect.arrayContaining(['closeSync.definition.Close Leads', 'closeSync.definition.Second']),
  );
  app(w).deleteSheet(app(w).getSheetByName(SHEET)!);
  expect(w.app.getSchedule().schedules).toEqual([]);
  expect(props().filter((k) => k.startsWith('closeSync.definition.Close Leads'))).toEqual([]);
  expect(props()).toContain('closeSync.definition.Second');
  expect(sheetNames(w)).toEqual([
    'Close Sync Log',
    'Close Sync snapshot · Second',
    'Close Sync state',
    'Second',
    'Sheet1',
  ]);
  expect(w.runtime.spreadsheet.dumpDisplay('Close Sync Log')[1].slice(2)).toEqual([
    SHEET,
    'rep@example.com',
    '',
    'skipped',
    `The sheet "${SHEET}" was deleted: its scheduled refresh is removed (set a new one in the sidebar).`,
  ]);
  expect(view(w, 'Second').header).toContain('Industry');
});

test('a title row inserted above the header: the header is found where it moved, a pull adds no lead twice and keeps the edit, push sends it', () => {
  const w = pulled();
  sheetOf(w).insertRowsBefore(1, 1);
  w.runtime.spreadsheet.userEdit(SHEET, [1, 1], 'Q4 pipeline');
  const rows = () => w.runtime.spreadsheet.dump(SHEET);
  const header = rows()[1] as string[];
  const idAt = header.indexOf('Lead ID');
  const rowOfWayne = rows().findIndex((r) => r[idAt] === WAYNE_LEAD_ID) + 1;
  w.runtime.spreadsheet.userEdit(SHEET, [rowOfWayne, header.indexOf('Industry') + 1], 'Software');
  const statusBefore = rows()[rowOfWayne - 1][header.indexOf('Sync status')];

  // An incremental refresh: Close changed no lead, so no row is read or written (the edit stays as is).
  expect(w.app.pullLeads({})).toMatchObject({ done: true, added: 0, keptEdits: 0 });
  const after = rows();
  expect(after[0][0]).toBe('Q4 pipeline');
  expect(after[1]).toEqual(header);
  const ids = after
    .slice(2)
    .map((r) => r[idAt])
    .filter((id) => id !== '');
  expect(ids).toHaveLength(300);
  expect(new Set(ids).size).toBe(300);
  expect(after[rowOfWayne - 1][header.indexOf('Industry')]).toBe('Software');
  expect(after[rowOfWayne - 1][header.indexOf('Sync status')]).toBe(statusBefore);
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
  expect(rows()[rowOfWayne - 1][header.indexOf('Sync status')]).toBe(`updated · ${STAMP}`);
  // Row numbers in results count from the header: the sidebar's "select row" lands on the lead's row.
  w.app.selectRow(SHEET, rowOfWayne - 1);
  expect(app(w).getActiveRange()!.getRow()).toBe(rowOfWayne);
});

test('a deleted header row: the pull writes it back where it was, adds no lead twice, keeps the edit, and push sends it', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  const header = view(w).header;
  const rowOfWayne = view(w).row(WAYNE_LEAD_ID);
  const statusBefore = view(w).cell(WAYNE_LEAD_ID, 'Sync status');
  sheetOf(w).deleteRow(1);
  // An incremental refresh: Close changed no lead, so no row is rewritten (the edit stays as is).
  const summary = w.app.pullLeads({});
  expect(summary).toMatchObject({ done: true, added: 0, keptEdits: 0 });
  expect(withoutDuration(summary.message)).toBe(
    `Refreshed "${SHEET}" from Close: 0 leads changed since the last pull (0 new) in …s. The header row of "${SHEET}" was missing (deleted?): Close Sync wrote it back in row 1, where the last pull had it, so every lead kept its row and no lead was added twice.`,
  );
  const after = view(w);
  expect(after.header).toEqual(header);
  const ids = sheetIds(w);
  expect(ids).toHaveLength(300);
  expect(new Set(ids).size).toBe(300);
  expect(after.row(WAYNE_LEAD_ID)).toBe(rowOfWayne);
  expect(after.cell(WAYNE_LEAD_ID, 'Industry')).toBe('Software');
  expect(after.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(statusBefore);
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
});

test('a deleted header row and the ID column moved since: the pull says what happened and changes nothing', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  const header = view(w).header;
  sheetOf(w).deleteRow(1);
  // A column inserted at the left: the ids are no longer where the last pull put them.
  sheetOf(w).insertColumnsBefore(1, 1);
  const before = w.runtime.spreadsheet.dump(SHEET);
  const letter = String.fromCharCode(64 + header.indexOf('Lead ID') + 2);
  expect(errorOf(() => w.app.pullLeads({}))).toBe(
    `"${SHEET}" holds Close ids (column ${letter}) but no header row Close Sync can read: the header was deleted, or its notes were cleared. A pull now would add every lead again below the rows already there, so nothing was changed. Bring the header row back (Edit › Undo), or pull into a new sheet.`,
  );
  expect(w.runtime.spreadsheet.dump(SHEET)).toEqual(before);
  expect(before.filter((r) => r[header.indexOf('Lead ID') + 1] === WAYNE_LEAD_ID)).toHaveLength(1);
});

test('a push logged before its sheet was renamed is undone in the renamed sheet', () => {
  const w = pulled();
  edit(w, WAYNE_LEAD_ID, 'Description', 'Pushed, then undone');
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
  sheetOf(w).setName('Q4 Leads');
  w.runtime.requests.length = 0;
  const result = w.app.undoLastPush({ confirmed: true });
  expect(result).toMatchObject({ sheetName: 'Q4 Leads', restored: 1, failed: 0, keptEdits: 0 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { description: '' } },
  ]);
  expect(cell(w, WAYNE_LEAD_ID, 'Description', 'Q4 Leads')).toBe('');
  expect(w.app.previewChanges({ sheetName: 'Q4 Leads' }).items).toEqual([]);
  expect(sheetNames(w)).not.toContain(SHEET);
});

test('state kept by name before sheet ids were recorded is claimed on first touch, and then follows a rename', () => {
  const w = pulled();
  // A spreadsheet pulled by an earlier version: a definition and a snapshot by name, no registry.
  w.runtime.documentProperties.delete('closeSync.sheets');
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  expect(w.app.previewChanges({}).counts).toMatchObject({ leads: 1, fields: 1 });
  expect(Object.values(JSON.parse(w.runtime.documentProperties.get('closeSync.sheets')!))).toEqual([
    { name: SHEET },
  ]);
  sheetOf(w).setName('Renamed later');
  expect(w.app.pushChanges({ sheetName: 'Renamed later' })).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
});

test('an activities sheet follows its id too: renamed, its saved pull and schedule go with it; add-on names are refused', () => {
  const w = pulled();
  w.app.pullActivities({ types: ['call'] });
  w.app.setSchedule({ sheetName: 'Close Activities', every: 'hour', hours: 1 });
  sheetOf(w, 'Close Activities').setName('Calls');
  w.clock.advance(HOUR);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  const props = w.runtime.documentProperties;
  expect(props.get('closeSync.activities.Close Activities')).toBeNull();
  expect(JSON.parse(props.get('closeSync.activities.Calls')!)).toMatchObject({ types: ['call'] });
  expect(w.app.getSchedule().schedules.map((s: { sheetName: string }) => s.sheetName)).toEqual(['Calls']);
  const log = w.runtime.spreadsheet.dumpDisplay('Close Sync Log');
  expect(log.slice(1).map((r) => [r[2], r[5]])).toEqual([['Calls', 'ok']]);
  expect(sheetNames(w)).not.toContain('Close Activities');
  expect(errorOf(() => w.app.pullActivities({ sheetName: 'Close Sync Log' }))).toBe(
    `"Close Sync Log" is a name Close Sync uses for its own sheets (snapshots, logs, lists, the report), so nothing is pulled into it: pull into another sheet (for example "Close Leads"), or rename this one first.`,
  );
});
