// The rep's formulas on dist/: a pull, a refresh, a push and an undo read cells with getValues (a
// formula's computed value) and write blocks back with setValues, so any cell they rewrite without
// looking would lose its formula. The rules (formula-cells.ts): a cell the add-on only rewrites (between
// changed cells) is left as it is; a Close field's cell holding a formula is the rep's, kept even where
// Close changed the field (only "discard edits" takes Close's value); a push sends the value a formula
// shows and leaves the formula in place; the rep's own columns are never written.
//
// The fake evaluates arithmetic only (dev/gas-fakes/coercion.ts): the formulas here are sums a rep could
// type; what matters is that getFormulas still returns them afterwards.
import { buildSampleOrg } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { cf, edit, SHEET, sheetIds, sheetOf, view, withoutDuration, writes } from './sheet';

const HOUR = 60 * 60_000;
const EMPLOYEES = cf('employees');

/**
 * Twelve leads pulled; rows 3 to 8 (sheet rows) have Employees 100, 200, … 600 in Close and in the
 * sheet; the rep inserted a column of their own after Employees ("My score"). Formulas the rep typed:
 * - row 4 Employees `=40+2` (42: not Close's 200, so an unpushed edit),
 * - row 6 Employees `=300+100` (400: what Close has, so no edit),
 * - row 4 and row 6 My score `=2*21`.
 */
function world(): { w: World; ids: string[]; col: (h: string) => number } {
  const w = connectedWorld({ org: buildSampleOrg({ leads: 12 }) });
  w.app.pullLeads({});
  const ids = sheetIds(w);
  for (let row = 3; row <= 8; row++) w.close.touchLead(ids[row - 2], { [EMPLOYEES]: (row - 2) * 100 });
  w.clock.advance(HOUR);
  w.app.pullLeads({ full: true });
  const s = sheetOf(w);
  const employees = view(w).col('Employees');
  s.insertColumnsAfter(employees, 1);
  w.runtime.spreadsheet.userEdit(SHEET, [1, employees + 1], 'My score');
  w.runtime.spreadsheet.userEdit(SHEET, [4, employees], '=40+2');
  w.runtime.spreadsheet.userEdit(SHEET, [6, employees], '=300+100');
  w.runtime.spreadsheet.userEdit(SHEET, [4, employees + 1], '=2*21');
  w.runtime.spreadsheet.userEdit(SHEET, [6, employees + 1], '=2*21');
  w.clock.advance(HOUR);
  return { w, ids, col: view(w).col };
}

/** Rows 3 to 8 of a column: [formula, value] each (formula '' where none). */
function cells(w: World, column: number): Array<[string, unknown]> {
  const range = sheetOf(w).getRange(3, column, 6, 1);
  const formulas = range.getFormulas();
  return range.getValues().map((r, i) => [formulas[i][0], r[0]]);
}

const row = (ids: string[], sheetRow: number) => ids[sheetRow - 2];

test("a full re-pull leaves the rep's formulas where they are: between changed cells, in a cell Close changed (kept, and said so), and in the rep's own column", () => {
  const { w, ids, col } = world();
  // Close changes rows 3, 5 and 6: the write of Employees spans rows 3 to 6.
  w.close.touchLead(row(ids, 3), { [EMPLOYEES]: 111 });
  w.close.touchLead(row(ids, 5), { [EMPLOYEES]: 333 });
  w.close.touchLead(row(ids, 6), { [EMPLOYEES]: 444 });
  const summary = w.app.pullLeads({ full: true });
  expect(withoutDuration(summary.message)).toBe(
    'Pulled 12 leads into "Close Leads" (0 new) in …s. Kept 1 unpushed edit: push them or pull with "discard edits". Kept your formula in 1 cell where Close changed the field (see Sync status): a pull never writes over a formula; pull with "discard edits" to take Close\'s values.',
  );
  expect(cells(w, col('Employees'))).toEqual([
    ['', 111],
    ['=40+2', 42],
    ['', 333],
    ['=300+100', 400],
    ['', 500],
    ['', 600],
  ]);
  expect(cells(w, col('My score'))).toEqual([
    ['', ''],
    ['=2*21', 42],
    ['', ''],
    ['=2*21', 42],
    ['', ''],
    ['', ''],
  ]);
  const v = view(w);
  expect(v.cell(row(ids, 4), 'Sync status')).toBe('kept 1 unpushed edit · 2026-11-28 06:00');
  expect(v.cell(row(ids, 6), 'Sync status')).toBe(
    'kept your formula in Employees (Close changed it: pull with "discard edits" to take Close\'s value) · 2026-11-28 06:00',
  );
  // The kept formula's record stays what the cell showed (400): a push does not send 400 back over
  // Close's 444. Row 4's formula (42) is an edit: a push sends it.
  const preview = w.app.previewChanges({});
  expect(preview.counts).toMatchObject({ fields: 1, conflicts: 0 });
  expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
  expect(writes(w)).toEqual([{ method: 'PUT', path: `/lead/${row(ids, 4)}/`, body: { [EMPLOYEES]: 42 } }]);
  expect(w.close.leads.get(row(ids, 6))![EMPLOYEES]).toBe(444);
  expect(cells(w, col('Employees'))[1]).toEqual(['=40+2', 42]);
});

test("a full re-pull with \"discard edits\" replaces a formula whose value differs from Close with Close's value, and keeps one that shows Close's value and those in the rep's own column", () => {
  const { w, ids, col } = world();
  // Close changes rows 5 and 7: the write of Employees spans rows 4 (discarded) to 7.
  w.close.touchLead(row(ids, 5), { [EMPLOYEES]: 333 });
  w.close.touchLead(row(ids, 7), { [EMPLOYEES]: 555 });
  const summary = w.app.pullLeads({ discardEdits: true });
  expect(withoutDuration(summary.message)).toBe(
    'Pulled 12 leads into "Close Leads" (0 new) in …s. Discarded 1 unpushed edit.',
  );
  expect(cells(w, col('Employees'))).toEqual([
    ['', 100],
    ['', 200],
    ['', 333],
    ['=300+100', 400],
    ['', 555],
    ['', 600],
  ]);
  expect(cells(w, col('My score'))[1]).toEqual(['=2*21', 42]);
  expect(cells(w, col('My score'))[3]).toEqual(['=2*21', 42]);
});

test('an incremental refresh rewrites the span between changed cells as it was: formulas stay formulas and text that starts with "=" stays text; a formula in a cell Close changed is kept', () => {
  const { w, ids, col } = world();
  // In Updated (read-only, not read by a refresh: its changed cells are joined by a span read and
  // rewritten), the rep typed a formula in row 5 and, with an apostrophe, the text "=1+1" in row 7.
  w.runtime.spreadsheet.userEdit(SHEET, [5, col('Updated')], '=1+1');
  w.runtime.spreadsheet.userEdit(SHEET, [7, col('Updated')], "'=1+1");
  // Close changes rows 3, 6 and 8: Updated changes in each; Employees in 3 and 6 (row 6 holds a formula
  // that showed the last pull's value).
  w.close.touchLead(row(ids, 3), { [EMPLOYEES]: 111 });
  w.close.touchLead(row(ids, 6), { [EMPLOYEES]: 444 });
  w.close.touchLead(row(ids, 8), { name: 'Renamed in Close' });
  w.runtime.stats.writes = [];
  const summary = w.app.pullLeads({});
  expect(summary.refresh).toEqual({ mode: 'incremental' });
  expect(summary.keptEdits).toBe(0);
  expect(withoutDuration(summary.message)).toContain(
    'Kept your formula in 1 cell where Close changed the field (see Sync status)',
  );
  const updated = sheetOf(w).getRange(3, col('Updated'), 6, 1);
  expect(updated.getFormulas().map((r) => r[0])).toEqual(['', '', '=1+1', '', '', '']);
  const values = updated.getValues().map((r) => r[0]);
  // The formula's value, 2, under the column's date-time format: 1900-01-01 00:00 in New York.
  expect((values[2] as Date).toISOString()).toBe('1900-01-01T05:00:00.000Z');
  expect(values[4]).toBe('=1+1');
  // The Updated span (rows 3 to 8) was written around row 5 and row 7, in pieces.
  const updatedWrites = (w.runtime.stats.writes ?? [])
    .filter((x) => x.sheet === SHEET && x.column === col('Updated'))
    .map((x) => [x.row, x.values.length]);
  expect(updatedWrites).toEqual([
    [3, 2],
    [6, 1],
    [8, 1],
  ]);
  expect(cells(w, col('Employees'))).toEqual([
    ['', 111],
    ['=40+2', 42],
    ['', 300],
    ['=300+100', 400],
    ['', 500],
    ['', 600],
  ]);
  expect(cells(w, col('My score'))[1]).toEqual(['=2*21', 42]);
  expect(view(w).cell(row(ids, 6), 'Sync status')).toBe(
    'kept your formula in Employees (Close changed it: pull with "discard edits" to take Close\'s value) · 2026-11-28 06:00',
  );
});

test('a push sends the value a formula shows and leaves the formula; an undo keeps the formula it would restore and those between the rows it restores', () => {
  const { w, ids, col } = world();
  // The rep types new values in rows 5 and 7 (around row 6's formula, which shows Close's value), and
  // pushes with row 4's formula (42, an edit).
  edit(w, row(ids, 5), 'Employees', 350);
  edit(w, row(ids, 7), 'Employees', 550);
  expect(w.app.pushChanges({})).toMatchObject({ updated: 3 });
  // (Sent in one wave: compared in row order.)
  const byRow = (path: string) => ids.indexOf(path.split('/')[2]);
  expect(
    writes(w)
      .map((r) => [r.method, r.path, r.body])
      .sort((a, b) => byRow(a[1] as string) - byRow(b[1] as string)),
  ).toEqual([
    ['PUT', `/lead/${row(ids, 4)}/`, { [EMPLOYEES]: 42 }],
    ['PUT', `/lead/${row(ids, 5)}/`, { [EMPLOYEES]: 350 }],
    ['PUT', `/lead/${row(ids, 7)}/`, { [EMPLOYEES]: 550 }],
  ]);
  expect(cells(w, col('Employees'))).toEqual([
    ['', 100],
    ['=40+2', 42],
    ['', 350],
    ['=300+100', 400],
    ['', 550],
    ['', 600],
  ]);
  // Undo restores rows 4, 5 and 7 in Close; the sheet's cells of rows 5 and 7 go back, row 4 keeps its
  // formula (the rep's: against the restored value it is an edit to push again), and row 6's, between
  // the rows written, is left as it is.
  w.clock.advance(HOUR);
  const undo = w.app.undoLastPush({ confirmed: true });
  expect(undo).toMatchObject({ restored: 3, keptEdits: 1 });
  expect(w.close.leads.get(row(ids, 4))![EMPLOYEES]).toBe(200);
  expect(cells(w, col('Employees'))).toEqual([
    ['', 100],
    ['=40+2', 42],
    ['', 300],
    ['=300+100', 400],
    ['', 500],
    ['', 600],
  ]);
  expect(cells(w, col('My score'))).toEqual([
    ['', ''],
    ['=2*21', 42],
    ['', ''],
    ['=2*21', 42],
    ['', ''],
    ['', ''],
  ]);
  expect(view(w).cell(row(ids, 4), 'Sync status')).toBe(
    'undone: Employees restored; kept your formula in Employees · 2026-11-28 07:00',
  );
  expect(w.app.previewChanges({}).counts).toMatchObject({ fields: 1, conflicts: 0 });
});

test("an activities pull rewrites the rows Close sent again and leaves the rep's formulas in the other rows", () => {
  const w = connectedWorld({ org: buildSampleOrg({ leads: 12 }) });
  const options = { since: '2024-01-01', until: '2024-06-30' };
  w.app.pullActivities({ types: ['call', 'note'], ...options });
  const s = sheetOf(w, 'Close Activities');
  const header = s.getRange(1, 1, 1, 13).getValues()[0];
  const type = header.indexOf('Type') + 1;
  const duration = header.indexOf('Duration (s)') + 1;
  const types = s
    .getRange(2, type, s.getLastRow() - 1, 1)
    .getValues()
    .map((r) => r[0]);
  // A call's row (not sent again by a pull of notes), and a note's.
  const callRow = types.indexOf('Call') + 2;
  const noteRow = types.indexOf('Note') + 2;
  w.runtime.spreadsheet.userEdit('Close Activities', [callRow, duration], '=60*2');
  w.runtime.spreadsheet.userEdit('Close Activities', [noteRow, duration], '=1+1');
  w.runtime.startExecution();
  expect(w.app.pullActivities({ types: ['note'], ...options })).toMatchObject({ done: true, added: 0 });
  const after = sheetOf(w, 'Close Activities');
  // The call's row keeps the formula; the note's row is Close's again (a note has no duration).
  expect(after.getRange(callRow, duration).getFormula()).toBe('=60*2');
  expect(after.getRange(callRow, duration).getValue()).toBe(120);
  expect(after.getRange(noteRow, duration).getFormula()).toBe('');
  expect(after.getRange(noteRow, duration).getValue()).toBe('');
});
