// The fakes' protected ranges: a script runs as its user, so a range a colleague protected without that
// user refuses its writes with Sheets' own exception (dev/gas-fakes/protection.ts has the sources).
import { createGasRuntime, FakeSpreadsheet } from '../../dev/gas-fakes';

// biome-ignore lint/suspicious/noExplicitAny: the fake services by their Apps Script names
type Svc = any;
const PROTECTED =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

function rep(book: FakeSpreadsheet, userEmail = 'rep@example.com') {
  const rt = createGasRuntime({
    http: () => ({ status: 200, headers: {}, body: '' }),
    quiet: true,
    spreadsheet: book,
    userEmail,
  });
  const app = (rt.globals as Record<string, Svc>).SpreadsheetApp;
  const sheet = app.getActiveSpreadsheet().getSheetByName('Leads');
  sheet.RANGE = app.ProtectionType.RANGE;
  return sheet;
}

describe('a range a colleague protected', () => {
  const book = new FakeSpreadsheet({ sheets: ['Leads'], owner: 'boss@example.com' });
  book.protectAs('lee@example.com', 'Leads', 'C:C', 'Managers only');

  test('refuses the rep’s writes, whole: values, formats, notes, clears, row deletes, pastes', () => {
    const sheet = rep(book);
    const attempts: Array<() => unknown> = [
      () => sheet.getRange('B2:C2').setValues([['x', 'y']]),
      () => sheet.getRange('C5').setNumberFormat('@'),
      () => sheet.getRange('C1').setNote('n'),
      () => sheet.getRange('A1:Z9').clearContent(),
      () => sheet.deleteRows(4, 1),
      () => sheet.getRange('A1').copyTo(sheet.getRange('C1')),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(PROTECTED);
    expect(book.read('Leads', 'B2:C2')).toEqual([['', '']]);
    expect(book.requireSheet('Leads').maxCols).toBe(26);
  });

  test('refuses a RangeList write that touches it, and writes none of its ranges', () => {
    const sheet = rep(book);
    expect(() => sheet.getRangeList(['A7', 'C7']).setValue('x')).toThrow(PROTECTED);
    expect(() => sheet.getRangeList(['A8', 'C8']).setNumberFormat('@')).toThrow(PROTECTED);
    expect(() => sheet.getRangeList(['A9', 'C9']).clearContent()).toThrow(PROTECTED);
    expect(book.read('Leads', 'A7:C7')).toEqual([['', '', '']]);
    expect(sheet.getRange('A8').getNumberFormat()).not.toBe('@');
  });

  test('lets the rep write around it, and add columns beside it (the protection moves along)', () => {
    const sheet = rep(book);
    sheet.getRange('B2').setValue('b');
    sheet.getRange('D2').setValue('d');
    sheet.insertColumnsAfter(3, 1);
    expect(book.read('Leads', 'B2:E2')).toEqual([['b', '', '', 'd']]);
    sheet.deleteColumns(4, 1);
    sheet.insertColumnsBefore(3, 1);
    expect(sheet.getRange('D2').canEdit()).toBe(false);
    sheet.deleteColumns(3, 1);
  });

  test('canEdit says who may write: the editor and the owner may, the rep may not', () => {
    const canEdit = (user: string) => {
      const sheet = rep(book, user);
      return [
        sheet.getRange('C2').canEdit(),
        sheet.getRange('B2').canEdit(),
        sheet.getProtections(sheet.RANGE)[0].canEdit(),
      ];
    };
    expect(canEdit('rep@example.com')).toEqual([false, true, false]);
    expect(canEdit('lee@example.com')).toEqual([true, true, true]);
    expect(canEdit('boss@example.com')).toEqual([true, true, true]);
    rep(book, 'boss@example.com').getRange('C2').setValue('by the owner');
    expect(book.read('Leads', 'C2')).toEqual([['by the owner']]);
  });

  test('a warning-only protection lets a script write (there is no one to confirm the warning)', () => {
    const p = book.protectAs('lee@example.com', 'Leads', 'F:F');
    p.warningOnly = true;
    rep(book).getRange('F3').setValue(1);
    expect(book.read('Leads', 'F3')).toEqual([[1]]);
  });

  test('a protected sheet refuses every change, and cannot be deleted', () => {
    const other = new FakeSpreadsheet({ sheets: ['Leads', 'Other'] });
    other.protectAs('lee@example.com', 'Leads', null);
    const sheet = rep(other);
    expect(() => sheet.getRange('Z1000').setValue(1)).toThrow(PROTECTED);
    expect(() => sheet.insertRowsAfter(1000, 5)).toThrow(PROTECTED);
    expect(() => sheet.getParent().deleteSheet(sheet)).toThrow(PROTECTED);
    expect(sheet.getDataRange().canEdit()).toBe(false);
  });
});

describe('changing a protection, and a protected sheet’s shape', () => {
  test('only a user who may edit a protection changes or removes it; the editor and owner may', () => {
    const book = new FakeSpreadsheet({ sheets: ['Leads'], owner: 'boss@example.com' });
    book.protectAs('lee@example.com', 'Leads', 'C:C', 'Managers only');
    const p = rep(book).getProtections(rep(book).RANGE)[0];
    const other = rep(book).getRange('E1:E5');
    const attempts: Array<() => unknown> = [
      () => p.setDescription('mine'),
      () => p.setWarningOnly(true),
      () => p.setDomainEdit(true),
      () => p.addEditor('rep@example.com'),
      () => p.addEditors(['rep@example.com']),
      () => p.removeEditor('lee@example.com'),
      () => p.removeEditors(['lee@example.com']),
      () => p.setRange(other),
      () => p.setUnprotectedRanges([other]),
      () => p.remove(),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(PROTECTED);
    expect(book.protections.map((x) => [x.description, x.warningOnly, x.editors, x.cols])).toEqual([
      ['Managers only', false, ['lee@example.com'], [2, 3]],
    ]);
    const asLee = rep(book, 'lee@example.com').getProtections(rep(book).RANGE)[0];
    asLee.setDescription('Lee’s').addEditor('rep@example.com');
    expect(book.protections[0].editors).toEqual(['lee@example.com', 'rep@example.com']);
    rep(book, 'boss@example.com').getProtections(rep(book).RANGE)[0].remove();
    expect(book.protections).toEqual([]);
  });

  test('removeEditors keeps the owner and the current user', () => {
    const book = new FakeSpreadsheet({ sheets: ['Leads'], owner: 'boss@example.com' });
    const p = book.protectAs('lee@example.com', 'Leads', 'C:C');
    p.editors.push('boss@example.com', 'kim@example.com');
    rep(book, 'lee@example.com')
      .getProtections(rep(book).RANGE)[0]
      .removeEditors(['lee@example.com', 'boss@example.com', 'kim@example.com']);
    expect(p.editors).toEqual(['lee@example.com', 'boss@example.com']);
  });

  test('a sheet protected whole refuses renaming, freezing, hiding, tab colour, sizing and hiding rows', () => {
    const book = new FakeSpreadsheet({ sheets: ['Leads', 'Other'] });
    book.protectAs('lee@example.com', 'Leads', null);
    const sheet = rep(book);
    const attempts: Array<() => unknown> = [
      () => sheet.setName('Mine'),
      () => sheet.setFrozenRows(1),
      () => sheet.setFrozenColumns(1),
      () => sheet.hideSheet(),
      () => sheet.setTabColor('#ff0000'),
      () => sheet.setColumnWidth(1, 50),
      () => sheet.setColumnWidths(1, 2, 50),
      () => sheet.setRowHeight(1, 50),
      () => sheet.autoResizeColumns(1, 2),
      () => sheet.hideColumns(1),
      () => sheet.hideColumn(sheet.getRange('A:A')),
      () => sheet.hideRows(3),
      () => sheet.showRows(3),
      () => sheet.insertColumnsAfter(26, 1),
      () => sheet.deleteColumns(1, 1),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(PROTECTED);
    const leads = book.requireSheet('Leads');
    expect([
      leads.name,
      leads.frozenRows,
      leads.frozenCols,
      leads.hidden,
      leads.tabColor,
      leads.maxCols,
    ]).toEqual(['Leads', 0, 0, false, null, 26]);
    expect([sheet.getColumnWidth(1), sheet.getRowHeight(1), sheet.isRowHiddenByUser(3)]).toEqual([
      100,
      21,
      false,
    ]);
    rep(book, 'lee@example.com').setName('Lee’s').setColumnWidth(1, 50);
    expect([leads.name, sheet.getColumnWidth(1)]).toEqual(['Lee’s', 50]);
  });

  test('a protected range refuses hiding or sizing its rows and columns, not the sheet’s name or frozen rows', () => {
    const book = new FakeSpreadsheet({ sheets: ['Leads'] });
    book.protectAs('lee@example.com', 'Leads', 'C5:D6');
    const sheet = rep(book);
    expect(() => sheet.setColumnWidth(3, 50)).toThrow(PROTECTED);
    expect(() => sheet.hideColumns(2, 2)).toThrow(PROTECTED);
    expect(() => sheet.setRowHeight(6, 50)).toThrow(PROTECTED);
    expect(() => sheet.hideRows(5)).toThrow(PROTECTED);
    sheet.setColumnWidth(5, 50).setRowHeight(7, 40).setName('Mine').setFrozenRows(1);
    sheet.hideRows(4);
    expect([sheet.getColumnWidth(5), sheet.getRowHeight(7), sheet.getName(), sheet.getFrozenRows()]).toEqual([
      50,
      40,
      'Mine',
      1,
    ]);
    expect([sheet.isRowHiddenByUser(4), sheet.isRowHiddenByUser(5)]).toEqual([true, false]);
  });
});
