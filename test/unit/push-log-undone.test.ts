// The push log's Undone column as a hand may fill it (src/core/sync/push-log.ts): a rep who undid a
// field in Close themselves may type a date, a number or a note there. Its cells are plain text when the
// log makes them, but a paste from elsewhere (the log's own Time column, a cell of another sheet) or
// Format › Number › Automatic brings another format, and then Sheets parses what is typed: a date
// becomes a Date value (getValues: "Date" for a date cell). Such a cell must read as the date it shows,
// count as undone, and be left as it is when an undo rewrites the cells between its marks.
import { PUSH_LOG_SHEET, readLastPush } from '../../src/core/sync/push-log';
import { type CoreWorld, idsOf, pulledWorld } from './core-world';

const UNDONE = 11;

/** Formula, value and what the cell shows, of each Undone cell of log rows `from` to `to`. */
function undoneCells(w: CoreWorld, from: number, to: number): unknown[][] {
  return Array.from({ length: to - from + 1 }, (_, i) => {
    const info = w.runtime.spreadsheet.cellInfo(PUSH_LOG_SHEET, [from + i, UNDONE]);
    return [info.formula, info.value, info.display];
  });
}

/** `leads` leads' Description pushed: log rows 2 to `leads + 1`, one field each. */
function pushed(leads = 5): CoreWorld {
  const w = pulledWorld(leads);
  for (const id of idsOf(w)) w.edit(id, 'Description', `edit ${id}`);
  expect(w.push({})).toMatchObject({ updated: leads });
  return w;
}

/** The rep types into log rows 3 to 5's Undone cells, pasted over first with cells of the default format. */
function typeByHand(w: CoreWorld, typed: unknown[]): void {
  const book = w.runtime.spreadsheet;
  const log = (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp)
    .getActiveSpreadsheet()
    .getSheetByName(PUSH_LOG_SHEET)!;
  log.getRange(3, UNDONE, typed.length, 1).setNumberFormat('General');
  for (const [i, value] of typed.entries()) book.userEdit(PUSH_LOG_SHEET, [3 + i, UNDONE], value);
}

test('a date, a number and a note typed in Undone read as they show, and count as undone; an unticked box does not', () => {
  const w = pushed(6);
  typeByHand(w, ['2026-11-30', '7', 'done by hand', 'FALSE']);
  // As Sheets holds them: a Date (midnight of 30 November in the spreadsheet's New York) shown as typed,
  // a number, a text.
  const [date, ...others] = undoneCells(w, 3, 6);
  expect([date[0], (date[1] as Date).getTime(), date[2]]).toEqual([
    '',
    Date.UTC(2026, 10, 30, 5),
    '2026-11-30',
  ]);
  expect(others).toEqual([
    ['', 7, '7'],
    ['', 'done by hand', 'done by hand'],
    ['', false, 'FALSE'],
  ]);
  expect(readLastPush(w.deps.workbook)!.fields.map((f) => f.undone)).toEqual([
    '',
    '2026-11-30',
    '7',
    'done by hand',
    '',
    '',
  ]);
  // So an undo restores the first field and the unticked one, and leaves the three typed ones alone.
  expect(w.undo().result.restored).toBe(3);
});

test("a date and time typed in Undone reads as the day and minute it shows, in the form of the add-on's stamps", () => {
  const w = pushed();
  typeByHand(w, ['2026-11-30 14:05']);
  expect((undoneCells(w, 3, 3)[0][1] as Date).getTime()).toBe(Date.UTC(2026, 10, 30, 19, 5));
  expect(undoneCells(w, 3, 3).map((c) => c[2])).toEqual(['2026-11-30 14:05:00']);
  expect(readLastPush(w.deps.workbook)!.fields[1].undone).toBe('2026-11-30 14:05');
});

test('an undo marks the fields left open and rewrites the typed cells between its marks as they were: a date stays that Date', () => {
  const w = pushed();
  typeByHand(w, ['2026-11-30', '7', 'done by hand']);
  const typed = undoneCells(w, 3, 5);
  const { result } = w.undo();
  expect(result.restored).toBe(2);
  const mark = 'restored by rep@acme.test at 2026-11-28 04:00';
  // Rows 3 to 5 exactly as typed: the Date (not its text), the number, the note.
  expect(undoneCells(w, 2, 6)).toEqual([['', mark, mark], ...typed, ['', mark, mark]]);
  expect((undoneCells(w, 3, 3)[0][1] as Date).getTime()).toBe(Date.UTC(2026, 10, 30, 5));
});
