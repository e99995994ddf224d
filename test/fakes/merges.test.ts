// The fakes' merged cells: a merge keeps only its top-left value (dev/gas-fakes/merges.ts has the sources).
import { createGasRuntime, FakeSpreadsheet } from '../../dev/gas-fakes';

// biome-ignore lint/suspicious/noExplicitAny: the fake services by their Apps Script names
type Svc = any;

function sheetOf(book = new FakeSpreadsheet({ sheets: ['Leads'] })): { book: FakeSpreadsheet; sheet: Svc } {
  const rt = createGasRuntime({
    http: () => ({ status: 200, headers: {}, body: '' }),
    quiet: true,
    spreadsheet: book,
  });
  const sheet = (rt.globals as Record<string, Svc>).SpreadsheetApp.getActiveSpreadsheet().getSheetByName(
    'Leads',
  );
  sheet.getRange('A1:C3').setValues([
    ['a1', 'b1', 'c1'],
    ['a2', 'b2', 'c2'],
    ['a3', 'b3', 'c3'],
  ]);
  return { book, sheet };
}

/** The merges that touch `a1`, in A1 notation. */
function mergedIn(sheet: Svc, a1: string): string[] {
  return sheet
    .getRange(a1)
    .getMergedRanges()
    .map((r: Svc) => r.getA1Notation());
}

describe('merged cells', () => {
  test('no write path keeps a value, note or formula in a merged-away cell', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('A1:B2').merge();
    sheet.getRange('B1').setNote('n');
    sheet.getRange('B2').setFormula('=1+1');
    sheet.getRangeList(['A2', 'C2']).setValue('x');
    sheet.getRange('C3').copyTo(sheet.getRange('B1'), { contentsOnly: true });
    expect(book.read('Leads', 'A1:C2')).toEqual([
      ['a1', '', 'c1'],
      ['', '', 'x'],
    ]);
    expect([sheet.getRange('B1').getNote(), sheet.getRange('B2').getFormula()]).toEqual(['', '']);
    sheet.getRange('A4:B4').merge();
    sheet.appendRow(['p', 'q']);
    expect(book.read('Leads', 'A4:B4')).toEqual([['p', '']]);
  });

  test('merge keeps the top-left value; the others read as empty and stay so when unmerged', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('A1:B2').merge();
    expect(book.read('Leads', 'A1:C2')).toEqual([
      ['a1', '', 'c1'],
      ['', '', 'c2'],
    ]);
    expect(mergedIn(sheet, 'B2:C3')).toEqual(['A1:B2']);
    expect([sheet.getRange('B2').isPartOfMerge(), sheet.getRange('C2').isPartOfMerge()]).toEqual([
      true,
      false,
    ]);
    sheet.getRange('A1:B2').breakApart();
    expect(book.read('Leads', 'A1:B2')).toEqual([
      ['a1', ''],
      ['', ''],
    ]);
    expect(sheet.getRange('A1:C3').getMergedRanges()).toEqual([]);
  });

  test('mergeAcross merges each row; a value written into a merged-away cell is not kept', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('B2:C3').mergeAcross();
    expect(mergedIn(sheet, 'A1:C3')).toEqual(['B2:C2', 'B3:C3']);
    sheet.getRange('A2:C2').setValues([['x', 'y', 'z']]);
    expect(book.read('Leads', 'A2:C2')).toEqual([['x', 'y', '']]);
  });

  test('a merge or unmerge that cuts through a merge, and a sort over one, are refused', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('A2:A3').mergeVertically();
    expect(() => sheet.getRange('A3:B3').merge()).toThrow(
      'You must select all cells in a merged range to merge or unmerge them.',
    );
    expect(() => sheet.getRange('A3').breakApart()).toThrow(
      'You must select all cells in a merged range to merge or unmerge them.',
    );
    expect(() => sheet.getRange('A1:C3').sort(2)).toThrow(
      "Sorry, you can't sort a range that contains merged cells. Unmerge them first.",
    );
    expect(book.read('Leads', 'B1:B3')).toEqual([['b1'], ['b2'], ['b3']]);
  });

  test('merges follow inserted and deleted rows', () => {
    const { sheet } = sheetOf();
    sheet.getRange('B2:C2').merge();
    sheet.insertRowsBefore(1, 2);
    expect(mergedIn(sheet, 'A1:C9')).toEqual(['B4:C4']);
    sheet.deleteRows(4, 1);
    expect(sheet.getRange('A1:C9').getMergedRanges()).toEqual([]);
  });

  test('a move that takes part of a merge, or lands inside one, is refused; a whole one moves', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('A2:A3').mergeVertically();
    const MOVE = "You can't move rows or columns that cut through merged cells. Unmerge them first.";
    expect(() => sheet.moveRows(sheet.getRange('3:3'), 1)).toThrow(MOVE);
    expect(() => sheet.moveRows(sheet.getRange('1:1'), 3)).toThrow(MOVE);
    expect(book.read('Leads', 'A1:B3')).toEqual([
      ['a1', 'b1'],
      ['a2', 'b2'],
      ['', 'b3'],
    ]);
    sheet.moveRows(sheet.getRange('2:3'), 1);
    expect(book.read('Leads', 'A1:B3')).toEqual([
      ['a2', 'b2'],
      ['', 'b3'],
      ['a1', 'b1'],
    ]);
    expect(mergedIn(sheet, 'A1:C9')).toEqual(['A1:A2']);
    sheet.getRange('B3:C3').merge();
    expect(() => sheet.moveColumns(sheet.getRange('C:C'), 1)).toThrow(MOVE);
  });

  test('an insert inside a merge is refused; before or after it, the merge moves whole', () => {
    const { sheet } = sheetOf();
    sheet.getRange('A2:A4').mergeVertically();
    const INSERT = "You can't insert rows or columns inside merged cells. Unmerge them first.";
    expect(() => sheet.insertRowsAfter(2, 1)).toThrow(INSERT);
    expect(() => sheet.insertRowsBefore(4, 1)).toThrow(INSERT);
    sheet.getRange('B6:D6').merge();
    expect(() => sheet.insertColumnsAfter(3, 1)).toThrow(INSERT);
    expect(sheet.getMaxRows()).toBe(1000);
    sheet.insertRowsAfter(4, 1);
    sheet.insertRowsBefore(2, 1);
    expect(mergedIn(sheet, 'A1:D9')).toEqual(['A3:A5', 'B8:D8']);
  });

  test('deleting a merge’s first row shrinks it, and its value goes with the row', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('A1:A3').mergeVertically();
    sheet.deleteRows(1, 1);
    expect(mergedIn(sheet, 'A1:C9')).toEqual(['A1:A2']);
    expect(book.read('Leads', 'A1:A2')).toEqual([[''], ['']]);
  });

  test('copyTo pastes merges with PASTE_NORMAL and PASTE_FORMAT, not with PASTE_VALUES', () => {
    const { book, sheet } = sheetOf();
    sheet.getRange('A1:B1').merge();
    sheet.getRange('A1:B1').copyTo(sheet.getRange('A5:B6'));
    sheet.getRange('A1:B1').copyTo(sheet.getRange('A8:B8'), { formatOnly: true });
    sheet.getRange('A1:B1').copyTo(sheet.getRange('A9:B9'), { contentsOnly: true });
    expect(mergedIn(sheet, 'A1:C9')).toEqual(['A1:B1', 'A5:B5', 'A6:B6', 'A8:B8']);
    expect(book.read('Leads', 'A5:B6')).toEqual([
      ['a1', ''],
      ['a1', ''],
    ]);
    // Unmerged cells pasted over a merge take its place; a paste that cuts through one is refused.
    sheet.getRange('C1:D1').copyTo(sheet.getRange('A6:B6'));
    expect(sheet.getRange('A6:B6').isPartOfMerge()).toBe(false);
    expect(() => sheet.getRange('C2').copyTo(sheet.getRange('B5'))).toThrow(
      'You must select all cells in a merged range to merge or unmerge them.',
    );
    expect(book.read('Leads', 'A6:B6')).toEqual([['c1', '']]);
  });
});
