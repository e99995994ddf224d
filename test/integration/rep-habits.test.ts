// What sales reps really do to a pulled sheet, beyond editing cells: delete a column the add-on needs,
// change the spreadsheet's settings between a pull and a push. Each test drives the same global
// functions the menu and sidebar call and asserts the exact cells, requests and messages.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { previewCounts } from './moves';
import { cf, edit, pulled, sheetOf, table, view, writes } from './sheet';

describe('the rep deletes the Lead ID column (select column A, Delete column)', () => {
  // A sheet of a few fields: no column holds any other Close id, so nothing but the bound header tells
  // the pull that these rows are its own.
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  edit(w, WAYNE_LEAD_ID, 'Employees', 77);
  const v = view(w);
  sheetOf(w).deleteColumn(v.col('Lead ID'));
  const before = table(w);
  w.runtime.requests.length = 0;

  test('preview and push send nothing and say how to bring the column back', () => {
    const message =
      'The Lead ID column of "Close Leads" is gone (deleted?): Close Sync sends each row to the lead whose ID it holds, so nothing was sent. Bring the column back (Edit › Undo), or pull into a new sheet.';
    expect(() => w.app.previewChanges({})).toThrow(message);
    expect(() => w.app.pushChanges({})).toThrow(message);
    expect(writes(w)).toEqual([]);
  });

  test('a pull does not add every lead again below the rows already there (the next push would create them all)', () => {
    expect(() => w.app.pullLeads({})).toThrow(
      'The Lead ID column of "Close Leads" is gone (deleted?): Close Sync finds each lead\'s row by it, so a pull now would add every lead again below the rows already there: nothing was changed. Bring the column back (Edit › Undo), or pull into a new sheet.',
    );
    expect(table(w)).toEqual(before);
    expect(before[0]).toEqual(['Name', 'Industry', 'Employees', 'Sync status']);
    expect(before).toHaveLength(301);
    expect(before[v.row(WAYNE_LEAD_ID) - 1]).toEqual(['Wayne Enterprises (Sample Lead)', '', 77, '']);
    expect(writes(w)).toEqual([]);
  });
});

describe("the rep changes the spreadsheet's time zone (File › Settings) between a pull and a push", () => {
  // Sheets keeps a date-time cell's wall clock when the zone changes: it holds a day serial, kept
  // "relative to … the time zone set in the spreadsheet" (tmdean, "Working with time values in Google
  // Sheets Apps Script"; googlesheets4's "Dates and times": Sheets has no time zone per cell), so
  // getValues hands back another instant. The fake does the same (coercion.ts readValue).
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Employees', 'Last Demo At'] });
  const v = view(w);
  const demoed = v.rows.slice(1).filter((r) => r[v.col('Last Demo At') - 1] !== '');
  const [first, second] = demoed.map((r) => String(r[v.col('Lead ID') - 1]));
  const display = () => w.runtime.spreadsheet.dumpDisplay('Close Leads');
  const shownBefore = display();
  const spreadsheet = (
    w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp
  ).getActiveSpreadsheet();
  spreadsheet.setSpreadsheetTimeZone('Europe/Berlin');
  edit(w, first, 'Employees', 5);
  w.runtime.requests.length = 0;

  test("no date-time is pushed shifted by the zones' difference: only the typed edit goes", () => {
    expect(display()[v.row(first) - 1][v.col('Last Demo At') - 1]).toBe(
      shownBefore[v.row(first) - 1][v.col('Last Demo At') - 1],
    );
    expect(w.app.previewChanges({}).counts).toEqual(previewCounts({ leads: 1, fields: 1 }));
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1, unchanged: 299 });
    expect(writes(w)).toEqual([{ method: 'PUT', path: `/lead/${first}/`, body: { [cf('employees')]: 5 } }]);
  });

  test('a refresh writes a date-time Close changed in the same zone as the rest of the sheet (its row and column hidden), and keeps no edit', () => {
    // The rep has hidden that lead's row and the column (or a filter hides them): the refresh writes them all the same.
    sheetOf(w).hideRows(v.row(second));
    sheetOf(w).hideColumns(v.col('Last Demo At'));
    w.clock.advance(60 * 60_000);
    w.close.touchLead(second, { [cf('lastDemo')]: '2026-01-05T15:30:00+00:00' });
    w.runtime.requests.length = 0;
    // The rep pulls from the sidebar, the fields picked again (a new definition: the zone must stay).
    const summary = w.app.pullLeads({ fields: ['Name', 'Employees', 'Last Demo At'] });
    expect([
      sheetOf(w).isRowHiddenByUser(v.row(second)),
      sheetOf(w).isColumnHiddenByUser(v.col('Last Demo At')),
    ]).toEqual([true, true]);
    expect(summary).toMatchObject({ keptEdits: 0, refreshed: 2 });
    // 15:30 UTC is 10:30 in New York, the zone of the sheet's first pull.
    expect(display()[v.row(second) - 1][v.col('Last Demo At') - 1]).toBe('2026-01-05 10:30');
    expect(w.app.previewChanges({}).counts).toEqual(previewCounts({}));
  });

  test("a date-time typed after the change is read in the zone the sheet's other date-times show", () => {
    edit(w, second, 'Last Demo At', '2026-03-04 10:00');
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
    expect(writes(w)).toEqual([
      {
        method: 'PUT',
        path: `/lead/${second}/`,
        body: { [cf('lastDemo')]: '2026-03-04T15:00:00.000000+00:00' },
      },
    ]);
  });
});

describe('values typed in the forms reps use, one lead each, pushed once', () => {
  const w = pulled();
  const v = view(w);
  const ids = v.rows.slice(2, 12).map((r) => String(r[v.col('Lead ID') - 1]));
  const john = w.close.org.users.find((u) => u.email === 'john@example.com')!.id;
  // [header, what the rep types, the cell Sheets keeps]
  const typed: Array<[string, string, unknown]> = [
    // Sheets reads a currency amount and thousands separators as a number (the fake: coercion.ts).
    ['Employees', '$1,200', 1200],
    // Not a number in an en_US spreadsheet: Sheets keeps the text.
    ['Annual Revenue', '1.200,50', '1.200,50'],
    ['Industry', 'software ', 'software '],
    ['Product Interest', 'Choice 1, Choice 3', 'Choice 1, Choice 3'],
    ['Collaborators', 'John Doe, Jane Smith', 'John Doe, Jane Smith'],
    ['Account Owner', 'JOHN@example.com', 'JOHN@example.com'],
    // Text columns are plain text: a formula-like entry stays text, and goes to Close as typed.
    ['Lead Source', '=HYPERLINK("x")', '=HYPERLINK("x")'],
    ['Reference Code', '+00123', '+00123'],
    ['Notes', '😀 日本語 — naïve', '😀 日本語 — naïve'],
  ];
  for (const [i, [header, text]] of typed.entries()) edit(w, ids[i], header, text);
  // And one row cleared from its Name to the right edge (select B:Z, Delete), its Lead ID left.
  const emptied = ids[9];
  const emptiedName = v.cell(emptied, 'Name');
  sheetOf(w)
    .getRange(v.row(emptied), 2, 1, v.header.length - 1)
    .clearContent();
  const cells = typed.map(([header], i) =>
    w.runtime.spreadsheet.cellInfo('Close Leads', [v.row(ids[i]), v.col(header)]),
  );
  w.runtime.requests.length = 0;
  const summary = w.app.pushChanges({});

  test('Sheets keeps each as the rep typed it or as its number; none becomes a formula', () => {
    expect(cells.map((c) => c.value)).toEqual(typed.map(([, , kept]) => kept));
    expect(cells.map((c) => c.formula ?? '')).toEqual(typed.map(() => ''));
  });

  test('what Close takes is sent once, typed; the rest is reported on its row with what to type', () => {
    expect(summary).toMatchObject({ updated: 6, invalid: 3, failed: 1 });
    const puts = writes(w);
    expect(puts).toEqual(
      [
        [ids[0], { [cf('employees')]: 1200 }],
        [ids[2], { [cf('industry')]: 'Software' }],
        [ids[5], { [cf('owner')]: john }],
        [ids[6], { [cf('source')]: '=HYPERLINK("x")' }],
        [ids[7], { [cf('referenceCode')]: '+00123' }],
        [ids[8], { [cf('notes')]: '😀 日本語 — naïve' }],
      ]
        .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))
        .map(([id, body]) => ({ method: 'PUT', path: `/lead/${id}/`, body })),
    );
    const status = (i: number) => String(view(w).cell(ids[i], 'Sync status'));
    expect([1, 3, 4].map(status)).toEqual([
      'invalid: Annual Revenue: "1.200,50" is not a number · 2026-11-28 04:00',
      'invalid: Product Interest: "Choice 1, Choice 3" is not among the choices: Choice 1, Choice 2, Choice 3, Choice 4, Choice 5. To enter several, separate them with "; " (Choice 1; Choice 3) · 2026-11-28 04:00',
      'invalid: Collaborators: "John Doe, Jane Smith" is not a user of this Close organization. To enter several, separate them with "; " (John Doe; Jane Smith) · 2026-11-28 04:00',
    ]);
  });

  test('a row cleared from its Name on is not sent as null for every field: it says what to do instead', () => {
    expect(writes(w).filter((r) => r.path === `/lead/${emptied}/`)).toEqual([]);
    expect(view(w).cell(emptied, 'Sync status')).toBe(
      `error: Every value of this row was cleared, its Name too: not sent, as that would empty lead ${emptied} (${emptiedName}) in Close. To take it off this sheet, delete the row (Close keeps it). To empty these fields in Close, type its Name back, push, then clear the Name · 2026-11-28 04:00`,
    );
    expect(w.close.leads.get(emptied)!.name).toBe(emptiedName);
  });
});
