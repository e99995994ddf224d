// Unit tests of the Apps Script fakes: each test pins a quirk of the real services that the fakes
// reproduce, so integration tests cannot pass on behaviour Google would not give us.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGasRuntime,
  type FakeHttpHandler,
  FakePropertiesStore,
  FakeSpreadsheet,
  type GasRuntime,
  type GasRuntimeOptions,
  loadBundle,
  VirtualClock,
} from '../../dev/gas-fakes';

// The services are untyped from the test's point of view, as they are for the bundle.
// biome-ignore lint/suspicious/noExplicitAny: test access to fake services by their Apps Script names.
type Svc = any;

const ok: FakeHttpHandler = () => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
});

function setup(opts: Partial<GasRuntimeOptions> = {}) {
  const rt = createGasRuntime({ http: ok, quiet: true, ...opts });
  const g = rt.globals as Record<string, Svc>;
  const ss = g.SpreadsheetApp.getActiveSpreadsheet();
  const sheet = ss.getSheets()[0];
  return { rt, g, ss, sheet };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('value coercion (USER_ENTERED)', () => {
  test('a phone number with + becomes a number, but stays text under plain-text format', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setValue('+16503334444');
    expect(sheet.getRange('A1').getValue()).toBe(16503334444);
    sheet.getRange('B1').setNumberFormat('@').setValue('+16503334444');
    expect(sheet.getRange('B1').getValue()).toBe('+16503334444');
  });

  test("'=1+1' is a formula unless the cell is plain text", () => {
    const { sheet } = setup();
    sheet.getRange('A1').setValue('=1+1');
    expect(sheet.getRange('A1').getFormula()).toBe('=1+1');
    expect(sheet.getRange('A1').getValue()).toBe(2);
    sheet.getRange('A2').setValue('=VLOOKUP(A1,B:C,2,FALSE)');
    expect(sheet.getRange('A2').getValue()).toBe('#NAME?');
    sheet.getRange('B1').setNumberFormat('@').setValue('=1+1');
    expect(sheet.getRange('B1').getValue()).toBe('=1+1');
    expect(sheet.getRange('B1').getFormula()).toBe('');
  });

  test('leading zeros, apostrophe, booleans, separators, percent, currency', () => {
    const { sheet } = setup();
    const inputs = [
      ['00123', "'00123", 'TRUE', 'false', '1,234.5', '5%', '$12', '-5', '1,2', '-', '@abc', ''],
    ];
    sheet.getRange(1, 1, 1, inputs[0].length).setValues(inputs);
    expect(sheet.getRange(1, 1, 1, inputs[0].length).getValues()).toEqual([
      [123, '00123', true, false, 1234.5, 0.05, 12, -5, '1,2', '-', '@abc', ''],
    ]);
    expect(sheet.getRange('G1').getNumberFormat()).toBe('"$"#,##0.00');
    expect(sheet.getRange('G1').getDisplayValue()).toBe('$12.00');
    expect(sheet.getRange('F1').getDisplayValue()).toBe('5%');
  });

  test('ISO and US dates become date cells; ISO with a T stays text', () => {
    const { sheet, rt } = setup();
    sheet
      .getRange('A1:D1')
      .setValues([['2024-01-02', '1/2/2024', '2024-01-02 13:45:00', '2024-01-02T13:45:00Z']]);
    const [iso, us, dt, withT] = sheet.getRange('A1:D1').getValues()[0];
    expect(iso).toBeInstanceOf(rt.Date);
    // Midnight in the spreadsheet's zone (New York, EST in January).
    expect((iso as Date).toISOString()).toBe('2024-01-02T05:00:00.000Z');
    expect((us as Date).getTime()).toBe((iso as Date).getTime());
    expect((dt as Date).toISOString()).toBe('2024-01-02T18:45:00.000Z');
    expect(withT).toBe('2024-01-02T13:45:00Z');
    expect(sheet.getRange('A1').getNumberFormat()).toBe('yyyy-mm-dd');
    expect(sheet.getRange('B1').getNumberFormat()).toBe('M/d/yyyy');
    expect(sheet.getRange('A1:C1').getDisplayValues()).toEqual([
      ['2024-01-02', '1/2/2024', '2024-01-02 13:45:00'],
    ]);
  });

  test('a fresh cell reports the automatic number format', () => {
    const { sheet } = setup();
    expect(sheet.getRange('C3').getNumberFormat()).toBe('0.###############');
  });

  test('null/undefined clear the cell; objects and arrays are written as their string', () => {
    const { sheet } = setup();
    sheet.getRange('A1:D1').setValues([['x', 'y', {}, [1, 2]]]);
    sheet.getRange('A1:B1').setValues([[null, undefined]]);
    expect(sheet.getRange('A1:D1').getValues()).toEqual([['', '', '[object Object]', '1,2']]);
    expect(sheet.getLastColumn()).toBe(4);
  });

  test('a JS Date round-trips through a non-UTC spreadsheet zone and gets a date-time format', () => {
    const { sheet, rt } = setup({ spreadsheetTimeZone: 'America/New_York' });
    const when = new Date(Date.UTC(2026, 6, 4, 16, 30, 15, 250));
    sheet.getRange('A1').setValue(when);
    const back = sheet.getRange('A1').getValue() as Date;
    expect(back).toBeInstanceOf(rt.Date);
    expect(back.getTime()).toBe(when.getTime());
    expect(sheet.getRange('A1').getNumberFormat()).toBe('M/d/yyyy H:mm:ss');
    expect(sheet.getRange('A1').getDisplayValue()).toBe('7/4/2026 12:30:15');
    // Stored as a serial of New York wall-clock time (EDT = UTC-4).
    sheet.getRange('B1').setNumberFormat('0.00000').setValue(when);
    expect(sheet.getRange('B1').getValue()).toBeCloseTo(46207.52101, 5);
  });

  test('a Date from another realm is recognised', () => {
    const { sheet } = setup();
    const foreign = require('node:vm').runInNewContext('new Date(Date.UTC(2025, 0, 15, 12))') as Date;
    sheet.getRange('A1').setValue(foreign);
    expect((sheet.getRange('A1').getValue() as Date).toISOString()).toBe('2025-01-15T12:00:00.000Z');
  });

  test('more than 50,000 characters in a cell throws', () => {
    const { sheet } = setup();
    expect(thrown(() => sheet.getRange('A1').setValue('x'.repeat(50_001))).message).toBe(
      'Your input contains more than the maximum of 50000 characters in a single cell.',
    );
  });

  test('a strict list validation rejects a script write; a warning rule does not', () => {
    const { g, sheet } = setup();
    const strict = g.SpreadsheetApp.newDataValidation()
      .requireValueInList(['Open', 'Won'])
      .setAllowInvalid(false)
      .build();
    sheet.getRange('A1:A2').setDataValidation(strict);
    sheet.getRange('A1').setValue('Won');
    expect(thrown(() => sheet.getRange('A1:A2').setValues([['Open'], ['Lost']])).message).toBe(
      'The data you entered in cell A2 violates the data validation rules set on this cell.',
    );
    // The whole write failed: A1 still holds the previous value.
    expect(sheet.getRange('A1').getValue()).toBe('Won');
    const lenient = g.SpreadsheetApp.newDataValidation().requireValueInList(['Open']).build();
    expect(lenient.getAllowInvalid()).toBe(true);
    sheet.getRange('B1').setDataValidation(lenient).setValue('Anything');
    expect(sheet.getRange('B1').getValue()).toBe('Anything');
  });

  test('a list rule holds at most 500 items; "List from a range" has no such cap', () => {
    const { g, rt, ss, sheet } = setup();
    const items = (n: number) => Array.from({ length: n }, (_, i) => `Item ${i}`);
    expect(
      thrown(() => g.SpreadsheetApp.newDataValidation().requireValueInList(items(501)).build()).message,
    ).toBe(
      'The data validation rule has more items than the limit of 500. Use the "List from a range" criteria instead.',
    );
    sheet
      .getRange('A1')
      .setDataValidation(g.SpreadsheetApp.newDataValidation().requireValueInList(items(500)).build());
    const lists = ss.insertSheet('Lists');
    lists.getRange(1, 1, 700, 1).setValues(items(700).map((v) => [v]));
    const rule = g.SpreadsheetApp.newDataValidation()
      .requireValueInRange(lists.getRange('A1:A'), true)
      .build();
    sheet.getRange('B1').setDataValidation(rule);
    expect(rt.spreadsheet.cellInfo('Sheet1', 'B1').validation).toEqual({
      criteria: 'VALUE_IN_RANGE',
      values: [{ sheet: 'Lists', range: 'A1:A' }, true],
      allowInvalid: true,
      helpText: null,
    });
    expect(thrown(() => g.SpreadsheetApp.newDataValidation().requireValueInRange(['A']).build()).name).toBe(
      'Exception',
    );
  });
});

describe('ranges and sheets', () => {
  test('setValues with the wrong shape throws the real messages', () => {
    const { sheet } = setup();
    const range = sheet.getRange(1, 1, 3, 2);
    expect(
      thrown(() =>
        range.setValues([
          [1, 2],
          [3, 4],
        ]),
      ).message,
    ).toBe(
      'The number of rows in the data does not match the number of rows in the range. The data has 2 but the range has 3.',
    );
    expect(thrown(() => range.setValues([[1, 2], [3], [5, 6]])).message).toBe(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    expect(thrown(() => sheet.getRange(1, 1, 1, 3).setValues([1, 2, 3])).message).toBe(
      "The parameters (number[]) don't match the method signature for SpreadsheetApp.Range.setValues.",
    );
    const e = thrown(() => range.setValues([]));
    expect(e.name).toBe('Exception');
  });

  test('getRange bounds: too small, zero rows, past the end; the sheet never grows by itself', () => {
    const { sheet } = setup();
    expect(sheet.getMaxRows()).toBe(1000);
    expect(sheet.getMaxColumns()).toBe(26);
    expect(thrown(() => sheet.getRange(0, 1)).message).toBe('The starting row of the range is too small.');
    expect(thrown(() => sheet.getRange(1, 0)).message).toBe('The starting column of the range is too small.');
    expect(thrown(() => sheet.getRange(1, 1, 0, 1)).message).toBe(
      'The number of rows in the range must be at least 1.',
    );
    expect(thrown(() => sheet.getRange(1, 1, 1, 0)).message).toBe(
      'The number of columns in the range must be at least 1.',
    );
    expect(thrown(() => sheet.getRange(999, 1, 5, 1)).message).toBe(
      'The coordinates of the range are outside the dimensions of the sheet.',
    );
    expect(thrown(() => sheet.getRange(1, 27)).message).toBe(
      'The coordinates of the range are outside the dimensions of the sheet.',
    );
    sheet.insertRowsAfter(1000, 10);
    sheet.getRange(1001, 1, 5, 1).setValues([[1], [2], [3], [4], [5]]);
    expect(sheet.getLastRow()).toBe(1005);
  });

  test('A1 forms: whole columns, open-ended rows, range end positions', () => {
    const { sheet } = setup();
    const col = sheet.getRange('C:C');
    expect([col.getRow(), col.getNumRows(), col.getColumn(), col.getA1Notation()]).toEqual([
      1,
      1000,
      3,
      'C:C',
    ]);
    const open = sheet.getRange('A2:C');
    expect([open.getRow(), open.getNumRows(), open.getNumColumns(), open.getA1Notation()]).toEqual([
      2,
      999,
      3,
      'A2:C',
    ]);
    // Range.getLastRow is the range's end, not the last row with content.
    expect(sheet.getRange('B2:D9').getLastRow()).toBe(9);
    expect(sheet.getLastRow()).toBe(0);
    expect(sheet.getDataRange().getA1Notation()).toBe('A1');
    expect(thrown(() => sheet.getRange('not a range')).message).toBe('Range not found');
  });

  test('insertSheet rejects a duplicate name (case-insensitively) and the workbook cell limit holds', () => {
    const { ss } = setup();
    ss.insertSheet('Leads');
    expect(thrown(() => ss.insertSheet('leads')).message).toBe(
      'A sheet with the name "leads" already exists. Please enter another name.',
    );
    const big = ss.insertSheet('Big');
    big.insertRowsAfter(1000, 9000); // 10,000 x 26 = 260,000 cells
    big.insertColumnsAfter(26, 900); // 10,000 x 926 = 9,260,000 cells
    expect(thrown(() => big.insertColumnsAfter(926, 100)).message).toBe(
      'This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
    big.insertColumnsAfter(926, 67); // 9,982,000 cells in the workbook
    expect(thrown(() => ss.insertSheet('One more')).message).toMatch(/above the limit of 10000000 cells/);
  });

  test('deleting every non-frozen row is refused; out-of-bounds deletes too', () => {
    const { sheet } = setup();
    sheet.setFrozenRows(1);
    expect(thrown(() => sheet.deleteRows(2, 999)).message).toBe(
      'Sorry, it is not possible to delete all non-frozen rows.',
    );
    expect(thrown(() => sheet.deleteRows(990, 20)).message).toBe('Those rows are out of bounds.');
    sheet.deleteRows(2, 998);
    expect(sheet.getMaxRows()).toBe(2);
  });

  test('sort moves whole rows (with their formats) below the frozen header', () => {
    const { sheet } = setup();
    sheet.getRange('A1:B4').setValues([
      ['Name', 'Score'],
      ['carol', 3],
      ['Alice', 1],
      ['bob', ''],
    ]);
    sheet.setFrozenRows(1);
    sheet.getRange('A2:B2').setBackground('#ff0000');
    sheet.sort(1);
    expect(sheet.getRange('A1:B4').getValues()).toEqual([
      ['Name', 'Score'],
      ['Alice', 1],
      ['bob', ''],
      ['carol', 3],
    ]);
    expect(sheet.getRange('A4:B4').getBackgrounds()).toEqual([['#ff0000', '#ff0000']]);
    sheet.sort(2, false);
    // Descending by score; the blank stays last.
    expect(sheet.getRange('A2:A4').getValues()).toEqual([['carol'], ['Alice'], ['bob']]);
  });

  test('insertRowsAfter copies the formatting of the row above (header style bleeds into new rows)', () => {
    const { sheet } = setup();
    sheet
      .getRange('A1:B1')
      .setValues([['H1', 'H2']])
      .setFontWeight('bold')
      .setBackground('#cccccc');
    sheet.insertRowsAfter(1, 2);
    expect(sheet.getRange('A2:B3').getFontWeights()).toEqual([
      ['bold', 'bold'],
      ['bold', 'bold'],
    ]);
    expect(sheet.getRange('A2').getValue()).toBe('');
  });
});

describe('copying and notes', () => {
  test('copyTo repeats a one-row source down a taller range: formats and validations by paste type', () => {
    const { g, sheet } = setup();
    const rule = g.SpreadsheetApp.newDataValidation().requireValueInList(['A', 'B'], true).build();
    const template = sheet.getRange('B2:C2');
    template.setNumberFormats([['@', 'yyyy-mm-dd']]).setBackgrounds([['#f1f3f4', null]]);
    template.setDataValidations([[rule, null]]);
    sheet.getRange('B5').setValue('kept');
    const below = sheet.getRange('B3:C10');
    template.copyTo(below, g.SpreadsheetApp.CopyPasteType.PASTE_FORMAT, false);
    expect(sheet.getRange('B10:C10').getNumberFormats()).toEqual([['@', 'yyyy-mm-dd']]);
    expect(sheet.getRange('B7').getBackground()).toBe('#f1f3f4');
    expect(sheet.getRange('B7').getDataValidation()).toBeNull();
    template.copyTo(below, g.SpreadsheetApp.CopyPasteType.PASTE_DATA_VALIDATION, false);
    expect(sheet.getRange('B10').getDataValidation().getCriteriaValues()).toEqual([['A', 'B'], true]);
    expect(sheet.getRange('C10').getDataValidation()).toBeNull();
    // Neither paste type touches values; a plain text format now keeps "+1650…" text.
    expect(sheet.getRange('B5').getValue()).toBe('kept');
    sheet.getRange('B6').setValue('+16503334444');
    expect(sheet.getRange('B6').getValue()).toBe('+16503334444');
  });

  test('copyTo into a range that is not a multiple of the source pastes the source once; past the sheet throws', () => {
    const { g, sheet } = setup();
    sheet.getRange('A1:A2').setValues([['x'], ['y']]);
    sheet.getRange('A1:A2').copyTo(sheet.getRange('B1:B3'));
    expect(sheet.getRange('B1:B3').getValues()).toEqual([['x'], ['y'], ['']]);
    sheet.getRange('A1').setFormula('=1+1');
    expect(thrown(() => sheet.getRange('A1').copyTo(sheet.getRange('D1'))).message).toMatch(/formulas/);
    expect(
      thrown(() =>
        sheet
          .getRange('A1:A2')
          .copyTo(sheet.getRange(sheet.getMaxRows(), 5), g.SpreadsheetApp.CopyPasteType.PASTE_VALUES, false),
      ).message,
    ).toBe('The coordinates of the target range are outside the dimensions of the sheet.');
  });

  test('notes, text styles and font styles are set cell by cell in one call each', () => {
    const { g, sheet, rt } = setup();
    const bold = g.SpreadsheetApp.newTextStyle().setBold(true).build();
    const italic = g.SpreadsheetApp.newTextStyle().setBold(true).setItalic(true).build();
    const calls = rt.stats.spreadsheetCalls;
    const r = sheet.getRange('A1:B1');
    r.setNotes([['first', null]]);
    r.setTextStyles([[bold, italic]]);
    expect(rt.stats.spreadsheetCalls - calls).toBe(3);
    expect(r.getNotes()).toEqual([['first', '']]);
    expect(r.getFontWeights()).toEqual([['bold', 'bold']]);
    expect(r.getFontStyles()).toEqual([['normal', 'italic']]);
    r.setFontStyles([['italic', null]]);
    expect(r.getFontStyles()).toEqual([['italic', 'normal']]);
    expect(thrown(() => r.setNotes([['one']])).message).toMatch(/number of columns/);
    expect(rt.stats.spreadsheetCallsByMethod['RangeApi.setTextStyles']).toBe(1);
  });
});

describe('sheet identity: rename, duplicate, copyTo', () => {
  test('a sheet keeps its id across a rename; duplicateActiveSheet and copyTo make "Copy of …" with a new id, cells and notes included', () => {
    const { g, ss, sheet } = setup();
    const id = sheet.getSheetId();
    sheet.getRange('A1:B2').setValues([
      ['Lead ID', 'Name'],
      ['lead_1', 'Acme'],
    ]);
    sheet.getRange('A1').setNote('Close Sync · id');
    sheet.setName('Leads');
    expect(sheet.getSheetId()).toBe(id);
    expect(ss.getSheetById(id).getName()).toBe('Leads');

    const dup = ss.duplicateActiveSheet();
    expect(dup.getName()).toBe('Copy of Leads');
    expect(ss.getActiveSheet().getName()).toBe('Copy of Leads');
    expect(ss.getSheets().map((s: Svc) => s.getName())).toEqual(['Leads', 'Copy of Leads']);
    expect(dup.getSheetId()).not.toBe(id);
    expect(dup.getRange('A1:B2').getValues()).toEqual([
      ['Lead ID', 'Name'],
      ['lead_1', 'Acme'],
    ]);
    expect(dup.getRange('A1').getNote()).toBe('Close Sync · id');
    // A copy is its own sheet: editing it leaves the original alone.
    dup.getRange('B2').setValue('Changed');
    expect(sheet.getRange('B2').getValue()).toBe('Acme');

    const copied = sheet.copyTo(ss);
    expect(copied.getName()).toBe('Copy of Leads 2');
    expect(new Set([id, dup.getSheetId(), copied.getSheetId()]).size).toBe(3);
    expect(ss.getActiveSheet().getName()).toBe('Copy of Leads');
    expect(
      g.SpreadsheetApp.getActiveSpreadsheet().getSheetByName('Copy of Leads 2').getRange('B2').getValue(),
    ).toBe('Acme');
  });
});

describe('developer metadata', () => {
  test('column metadata follows moveColumns and insertColumnsBefore and dies with its column', () => {
    const { g, sheet } = setup();
    sheet.getRange('A1:C1').setValues([['id', 'name', 'email']]);
    sheet.getRange('B:B').addDeveloperMetadata('field', 'name');
    sheet.getRange('C:C').addDeveloperMetadata('field', 'email');
    const where = (value: string): string =>
      sheet
        .createDeveloperMetadataFinder()
        .withKey('field')
        .withValue(value)
        .find()[0]
        .getLocation()
        .getColumn()
        .getA1Notation();
    expect(where('name')).toBe('B:B');

    // Move column C before column A: email lands in A, id in B, name in C.
    sheet.moveColumns(sheet.getRange('C1'), 1);
    expect(sheet.getRange('A1:C1').getValues()).toEqual([['email', 'id', 'name']]);
    expect(where('name')).toBe('C:C');
    expect(where('email')).toBe('A:A');

    sheet.insertColumnsBefore(1, 2);
    expect(where('email')).toBe('C:C');
    expect(where('name')).toBe('E:E');
    const loc = sheet.createDeveloperMetadataFinder().withValue('name').find()[0].getLocation();
    expect(loc.getLocationType()).toBe(g.SpreadsheetApp.DeveloperMetadataLocationType.COLUMN);
    expect(String(loc.getLocationType())).toBe('COLUMN');
    expect(loc.getLocationType()).not.toBe('COLUMN');

    sheet.deleteColumn(5);
    expect(sheet.createDeveloperMetadataFinder().withValue('name').find()).toEqual([]);
  });

  test('only whole rows and columns take metadata', () => {
    const { sheet } = setup();
    expect(thrown(() => sheet.getRange('B2:C3').addDeveloperMetadata('k', 'v')).message).toMatch(
      /^Adding developer metadata to arbitrary ranges is not currently supported\./,
    );
    sheet.getRange('4:4').addDeveloperMetadata('row', 'x');
    expect(sheet.getRange('4:4').getDeveloperMetadata()).toHaveLength(1);
    expect(sheet.getRange('C4').getDeveloperMetadata()).toHaveLength(0);
    sheet.insertRowsBefore(1, 1);
    expect(sheet.getRange('5:5').getDeveloperMetadata()[0].getValue()).toBe('x');
  });
});

describe('UrlFetchApp', () => {
  test('fetchAll sends every request and then throws if one had a transport error', () => {
    const http: FakeHttpHandler = (req) => {
      if (req.url.endsWith('/b')) throw new Error(`Address unavailable: ${req.url}`);
      return { status: 200, headers: {}, body: req.url };
    };
    const { g, rt } = setup({ http });
    const e = thrown(() =>
      g.UrlFetchApp.fetchAll([
        'https://api.close.com/a',
        'https://api.close.com/b',
        'https://api.close.com/c',
      ]),
    );
    expect(e.message).toBe('Address unavailable: https://api.close.com/b');
    expect(rt.requests.map((r) => r.url)).toEqual([
      'https://api.close.com/a',
      'https://api.close.com/b',
      'https://api.close.com/c',
    ]);
    expect(rt.stats).toMatchObject({ fetchAllCalls: 1, requests: 3 });
  });

  test('a 500 throws unless muteHttpExceptions', () => {
    const http: FakeHttpHandler = () => ({ status: 500, headers: {}, body: '{"error":"boom"}' });
    const { g } = setup({ http });
    expect(thrown(() => g.UrlFetchApp.fetch('https://api.close.com/api/v1/lead/?_limit=1')).message).toBe(
      'Request failed for https://api.close.com returned code 500. Truncated server response: {"error":"boom"} (use muteHttpExceptions option to examine full response)',
    );
    const res = g.UrlFetchApp.fetch('https://api.close.com/x', { muteHttpExceptions: true });
    expect(res.getResponseCode()).toBe(500);
    expect(res.getContentText()).toBe('{"error":"boom"}');
  });

  test('request shape: upper-case method, default form content type, object payloads are form-encoded', () => {
    const { g, rt } = setup();
    g.UrlFetchApp.fetch('https://api.close.com/a', {
      method: 'post',
      payload: '{"a":1}',
      headers: { Authorization: 'Basic xyz' },
    });
    g.UrlFetchApp.fetch('https://api.close.com/b', { method: 'put', payload: { a: 'x y', b: 2 } });
    g.UrlFetchApp.fetch('https://api.close.com/c', {
      method: 'post',
      payload: '{}',
      contentType: 'application/json',
    });
    expect(rt.requests).toEqual([
      {
        method: 'POST',
        url: 'https://api.close.com/a',
        headers: { Authorization: 'Basic xyz', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: '{"a":1}',
      },
      {
        method: 'PUT',
        url: 'https://api.close.com/b',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'a=x+y&b=2',
      },
      {
        method: 'POST',
        url: 'https://api.close.com/c',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      },
    ]);
  });

  test('virtual latency: one step per fetch, one per fetchAll wave of 100', () => {
    const clock = new VirtualClock(0);
    const { g } = setup({ clock, fetchLatencyMs: 300 });
    g.UrlFetchApp.fetch('https://api.close.com/a');
    expect(clock.now()).toBe(300);
    g.UrlFetchApp.fetchAll(Array.from({ length: 250 }, (_, i) => `https://api.close.com/${i}`));
    expect(clock.now()).toBe(300 + 3 * 300);
  });

  test('AuthMode.NONE forbids UrlFetchApp, PropertiesService and the document, but not menus', () => {
    const { g, rt } = setup();
    rt.setAuthMode('NONE');
    expect(thrown(() => g.UrlFetchApp.fetch('https://api.close.com/a')).message).toBe(
      'You do not have permission to call UrlFetchApp.fetch. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );
    expect(thrown(() => g.PropertiesService.getUserProperties()).message).toMatch(
      /^You do not have permission/,
    );
    expect(thrown(() => g.SpreadsheetApp.getActiveSpreadsheet()).message).toBe(
      'You do not have permission to call SpreadsheetApp.getActiveSpreadsheet. Required permissions: (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets)',
    );
    // Nothing is granted in AuthMode.NONE: the user's identity needs userinfo.email like any scope.
    expect(thrown(() => g.Session.getActiveUser()).message).toBe(
      'You do not have permission to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    );
    expect(g.Session.getTemporaryActiveUserKey()).toHaveLength(43);
    g.SpreadsheetApp.getUi().createAddonMenu().addItem('Start', 'start').addToUi();
    expect(rt.ui.menus).toHaveLength(1);
  });
});

describe('PropertiesService, CacheService, LockService', () => {
  test('values are strings; 9 KB per value and 500 KB per store', () => {
    const { g } = setup();
    const props = g.PropertiesService.getUserProperties();
    props.setProperty('n', 42);
    expect(props.getProperty('n')).toBe('42');
    expect(props.getProperty('missing')).toBeNull();
    const quota =
      'You have exceeded the property storage quota. Please remove some properties and try again.';
    // 9 KB a value, in bytes of UTF-8 (the harsher reading: 9,000 bytes).
    expect(thrown(() => props.setProperty('big', 'x'.repeat(9_001))).message).toBe(quota);
    props.setProperty('ascii', 'x'.repeat(9_000));
    expect(thrown(() => props.setProperty('kana', 'あ'.repeat(3_001))).message).toBe(quota);
    props.setProperty('kana', 'あ'.repeat(3_000));
    props.deleteProperty('ascii');
    props.deleteProperty('kana');
    // 500 KB a store, keys included.
    for (let i = 0; i < 55; i++) props.setProperty(`k${i}`, 'y'.repeat(9000));
    expect(thrown(() => props.setProperty('k99', 'y'.repeat(9000))).message).toBe(quota);
    expect(props.getProperty('k99')).toBeNull();
  });

  test('user properties are per runtime; document properties follow the shared workbook', () => {
    const book = new FakeSpreadsheet();
    const a = createGasRuntime({ http: ok, quiet: true, spreadsheet: book, userEmail: 'a@x.com' });
    const b = createGasRuntime({ http: ok, quiet: true, spreadsheet: book, userEmail: 'b@x.com' });
    const pa = a.globals.PropertiesService as Svc;
    const pb = b.globals.PropertiesService as Svc;
    pa.getUserProperties().setProperty('token', 'A');
    pa.getDocumentProperties().setProperty('schema', 'v1');
    expect(pb.getUserProperties().getProperty('token')).toBeNull();
    expect(pb.getDocumentProperties().getProperty('schema')).toBe('v1');
  });

  test('cache entries expire on the virtual clock', () => {
    const clock = new VirtualClock(0);
    const { g } = setup({ clock });
    const cache = g.CacheService.getUserCache();
    cache.put('k', 'v', 60);
    expect(cache.get('k')).toBe('v');
    clock.advance(60_000);
    expect(cache.get('k')).toBeNull();
  });

  test('the document lock is shared by two users until the holder’s execution ends', () => {
    const book = new FakeSpreadsheet();
    const clock = new VirtualClock(0);
    const a = createGasRuntime({ http: ok, quiet: true, spreadsheet: book, clock });
    const b = createGasRuntime({ http: ok, quiet: true, spreadsheet: book, userEmail: 'other@example.com' });
    const lockA = (a.globals.LockService as Svc).getDocumentLock();
    expect(lockA.tryLock(1000)).toBe(true);
    expect(lockA.hasLock()).toBe(true);
    const lockB = (b.globals.LockService as Svc).getDocumentLock();
    const before = b.clock.now();
    expect(lockB.tryLock(5000)).toBe(false);
    expect(b.clock.now() - before).toBe(5000);
    expect(thrown(() => lockB.waitLock(100)).message).toBe(
      'Lock timeout: another process was holding the lock for too long.',
    );
    a.startExecution(); // A's script ended: its locks are released.
    expect(lockB.tryLock(0)).toBe(true);
    expect(lockA.hasLock()).toBe(false);
  });
});

describe('runtime', () => {
  test('stats count each Spreadsheet-service call, and spreadsheetCallMs advances the clock', () => {
    const clock = new VirtualClock(0);
    const { rt, sheet } = setup({ clock, spreadsheetCallMs: 10 });
    const start = rt.stats.spreadsheetCalls;
    const range = sheet.getRange(1, 1, 100, 3);
    range.setValues(Array.from({ length: 100 }, (_, i) => [i, `n${i}`, true]));
    range.getValues();
    expect(rt.stats.spreadsheetCalls - start).toBe(3);
    rt.spreadsheet.dump('Sheet1');
    rt.spreadsheet.read('Sheet1', 'A1:C2');
    expect(rt.stats.spreadsheetCalls - start).toBe(3);
    sheet.insertRowAfter(1); // implemented on top of insertRowsAfter, still one call
    expect(rt.stats.spreadsheetCalls - start).toBe(4);
    expect(clock.now()).toBe(rt.stats.spreadsheetCalls * 10);
  });

  test('maxExecutionMs: every service call past the budget throws until the next execution', () => {
    const clock = new VirtualClock(0);
    const { rt, g, sheet } = setup({ clock, maxExecutionMs: 360_000 });
    rt.startExecution();
    g.Utilities.sleep(300_000);
    g.Utilities.sleep(60_000);
    expect(thrown(() => sheet.getRange('A1').getValue()).message).toBe('Exceeded maximum execution time');
    expect(thrown(() => g.PropertiesService.getUserProperties()).message).toBe(
      'Exceeded maximum execution time',
    );
    rt.startExecution();
    expect(sheet.getRange('A1').getValue()).toBe('');
    expect(rt.stats).toMatchObject({ sleeps: 2, sleptMs: 360_000 });
    expect(thrown(() => g.Utilities.sleep(300_001)).message).toMatch(/maximum sleep time/);
  });

  test('the bundle sees virtual time through Date', () => {
    const clock = new VirtualClock(Date.UTC(2030, 0, 1));
    const { rt } = setup({ clock });
    const D = rt.Date;
    expect(new D().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(D.now()).toBe(Date.UTC(2030, 0, 1));
    expect(new D(0).getTime()).toBe(0);
    expect(new Date(5) instanceof D).toBe(true);
  });

  test('loadBundle runs a hand-made bundle in a fresh context each time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gas-bundle-'));
    try {
      writeFileSync(
        join(dir, 'Code.js'),
        [
          'const GREETING = "hi";',
          'function hello() { return SpreadsheetApp.getActiveSpreadsheet().getName(); }',
          'function now() { return new Date().getTime(); }',
          'function failure() { try { SpreadsheetApp.getActiveSheet().getRange(0, 1); } catch (e) { return [e instanceof Error, e.name, e.message]; } }',
          'function sidebar() { SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile("sidebar").setTitle("Close Sync")); }',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'sidebar.html'), '<p>hello</p>');
      // Every Apps Script project has a manifest; without oauthScopes, Apps Script detects the scopes.
      writeFileSync(join(dir, 'appsscript.json'), '{"timeZone": "Etc/UTC"}');
      const clock = new VirtualClock(123_456);
      const rt = createGasRuntime({ http: ok, quiet: true, clock });
      rt.spreadsheet.name = 'Pipeline';
      const ctx = loadBundle(rt, dir);
      expect(ctx.hello()).toBe('Pipeline');
      expect(ctx.now()).toBe(123_456);
      expect(ctx.failure()).toEqual([true, 'Exception', 'The starting row of the range is too small.']);
      ctx.sidebar();
      expect(rt.ui.sidebars).toEqual([{ kind: 'sidebar', title: 'Close Sync', html: '<p>hello</p>' }]);
      // A second load (top-level const) does not clash.
      expect(loadBundle(rt, dir).hello()).toBe('Pipeline');
      expect(thrown(() => (rt.globals.HtmlService as Svc).createHtmlOutputFromFile('nope')).message).toBe(
        'No HTML file named nope was found.',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Ui, triggers, Utilities, persistence', () => {
  test('menus and scripted alert answers are recorded; no Ui inside a trigger', () => {
    const { g, rt } = setup();
    const ui = g.SpreadsheetApp.getUi();
    ui.createAddonMenu()
      .addItem('Pull leads', 'pullLeads')
      .addSeparator()
      .addItem('Push edits', 'pushEdits')
      .addToUi();
    expect(rt.ui.menus[0]).toMatchObject({
      title: 'Close Sync for Sheets',
      items: [
        ['Pull leads', 'pullLeads'],
        ['---', ''],
        ['Push edits', 'pushEdits'],
      ],
    });
    rt.ui.answers.push('NO');
    expect(ui.alert('Push?', 'Push 3 edits?', ui.ButtonSet.YES_NO)).toBe(ui.Button.NO);
    expect(ui.alert('Done')).toBe(ui.Button.OK);
    expect(rt.ui.alerts.map((a) => [a.title, a.message, a.buttons, a.answer])).toEqual([
      ['Push?', 'Push 3 edits?', 'YES_NO', 'NO'],
      ['', 'Done', 'OK', 'OK'],
    ]);
    const trigger = g.ScriptApp.newTrigger('sync').timeBased().everyHours(1).create();
    const ctx = { sync: () => g.SpreadsheetApp.getUi() };
    expect(thrown(() => rt.fireTrigger(ctx, trigger)).message).toBe(
      'Cannot call SpreadsheetApp.getUi() from this context.',
    );
  });

  test('an add-on may hold one time-based trigger per user per document', () => {
    const { g, rt } = setup();
    const t = g.ScriptApp.newTrigger('sync').timeBased().everyHours(1).create();
    expect(thrown(() => g.ScriptApp.newTrigger('other').timeBased().everyHours(4).create()).message).toBe(
      'This add-on has created too many time-based triggers in this document for this Google user account.',
    );
    expect(g.ScriptApp.getProjectTriggers().map((x: Svc) => x.getHandlerFunction())).toEqual(['sync']);
    expect(String(t.getEventType())).toBe('CLOCK');
    g.ScriptApp.deleteTrigger(t);
    expect(rt.triggers).toEqual([]);
  });

  test('an add-on trigger runs at most hourly; a one-off within the hour is refused unless allowed', () => {
    const { g, rt } = setup();
    const hourly = 'Add-ons may only create time-based triggers that run at most once per hour.';
    expect(thrown(() => g.ScriptApp.newTrigger('sync').timeBased().everyMinutes(30).create()).message).toBe(
      hourly,
    );
    // Undocumented: the harsher reading is the default.
    expect(thrown(() => g.ScriptApp.newTrigger('sync').timeBased().after(60_000).create()).message).toBe(
      hourly,
    );
    const soon = new rt.Date(rt.clock.now() + 5 * 60_000);
    expect(thrown(() => g.ScriptApp.newTrigger('sync').timeBased().at(soon).create()).message).toBe(hourly);
    expect(rt.triggers).toEqual([]);
    g.ScriptApp.newTrigger('sync').timeBased().after(3_600_000).create();
    expect(rt.triggers.map((t) => t.schedule)).toEqual([{ afterMs: 3_600_000 }]);

    const lenient = setup({ addonOneOffTriggers: 'allow' });
    lenient.g.ScriptApp.newTrigger('sync').timeBased().after(60_000).create();
    expect(lenient.rt.triggers.map((t) => t.schedule)).toEqual([{ afterMs: 60_000 }]);
    // A script that is not an add-on has no such limits.
    const bound = setup({ addon: false });
    bound.g.ScriptApp.newTrigger('sync').timeBased().everyMinutes(1).create();
    bound.g.ScriptApp.newTrigger('sync').timeBased().after(60_000).create();
    expect(bound.rt.triggers).toHaveLength(2);
  });

  test('Utilities: formatDate in a zone, signed bytes, digests', () => {
    const { g } = setup();
    const d = new Date(Date.UTC(2026, 0, 5, 14, 3, 9, 7));
    expect(g.Utilities.formatDate(d, 'America/New_York', "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")).toBe(
      '2026-01-05T09:03:09.007-05:00',
    );
    expect(g.Utilities.formatDate(d, 'Not/AZone', 'HH:mm Z')).toBe('14:03 +0000');
    expect(g.Utilities.base64Decode(g.Utilities.base64Encode('ÿ'))).toEqual([-61, -65]);
    expect(g.Utilities.base64Encode('user:')).toBe('dXNlcjo=');
    const md5 = g.Utilities.computeDigest(g.Utilities.DigestAlgorithm.MD5, 'abc');
    expect(md5.slice(0, 4)).toEqual([-112, 1, 80, -104]);
  });

  test('userEdit types like a person (respects plain text); toJSON/fromJSON keep everything', () => {
    const { rt, sheet } = setup();
    sheet.getRange('B:B').setNumberFormat('@').addDeveloperMetadata('field', 'phone');
    rt.spreadsheet.userEdit('Sheet1', 'A2', '00123');
    rt.spreadsheet.userEdit('Sheet1', [2, 2], '00123');
    rt.spreadsheet.userEdit('Sheet1', 'C2', '2024-03-04');
    sheet.hideColumns(3);
    expect(rt.spreadsheet.dump('Sheet1')).toEqual([
      ['', '', ''],
      [123, '00123', new Date('2024-03-04T05:00:00.000Z')],
    ]);
    const copy = FakeSpreadsheet.fromJSON(JSON.stringify(rt.spreadsheet.toJSON()));
    expect(copy.dump('Sheet1')).toEqual(rt.spreadsheet.dump('Sheet1'));
    expect(copy.metadataSummary()).toEqual([
      { key: 'field', value: 'phone', type: 'COLUMN', sheet: 'Sheet1', index: 2 },
    ]);
    expect(copy.cellInfo('Sheet1', 'B700').numberFormat).toBe('@');
    expect(copy.sheets[0].colDims[2]?.hidden).toBe(true);
  });

  test('two runtimes share one workbook but count their own calls', () => {
    const book = new FakeSpreadsheet({ sheets: ['Leads'] });
    const a: GasRuntime = createGasRuntime({
      http: ok,
      quiet: true,
      spreadsheet: book,
      userProperties: new FakePropertiesStore(),
    });
    const b: GasRuntime = createGasRuntime({ http: ok, quiet: true, spreadsheet: book });
    (a.globals.SpreadsheetApp as Svc)
      .getActiveSpreadsheet()
      .getSheetByName('Leads')
      .getRange('A1')
      .setValue('x');
    expect(
      (b.globals.SpreadsheetApp as Svc)
        .getActiveSpreadsheet()
        .getSheetByName('Leads')
        .getRange('A1')
        .getValue(),
    ).toBe('x');
    expect(a.stats.spreadsheetCalls).toBe(4);
    expect(b.stats.spreadsheetCalls).toBe(4);
  });
});

describe('user-level helpers and smaller services', () => {
  test('runtime.userEdit fires onEdit in a new LIMITED execution; clickMenu and openDocument run entry points', () => {
    const { rt, g } = setup();
    const seen: unknown[] = [];
    const ctx: Record<string, unknown> = {
      onOpen: (e: Svc) => {
        seen.push(['open', String(e.authMode)]);
        g.SpreadsheetApp.getUi().createAddonMenu().addItem('Pull', 'pull').addToUi();
      },
      onEdit: (e: Svc) =>
        seen.push(['edit', e.range.getA1Notation(), e.value, e.oldValue, String(e.authMode)]),
      pull: () => seen.push(['pull', rt.authMode]),
    };
    rt.openDocument(ctx, 'NONE');
    rt.userEdit(ctx, 'Sheet1', 'B3', 'hello');
    rt.userEdit(ctx, 'Sheet1', [3, 2], 'TRUE');
    rt.clickMenu(ctx, 'Pull');
    expect(seen).toEqual([
      ['open', 'NONE'],
      ['edit', 'B3', 'hello', undefined, 'LIMITED'],
      ['edit', 'B3', 'TRUE', 'hello', 'LIMITED'],
      ['pull', 'FULL'],
    ]);
    expect(rt.spreadsheet.cellInfo('Sheet1', 'B3').value).toBe(true);
  });

  test('redirects are followed by default (303 turns a POST into a GET) and not with followRedirects:false', () => {
    const http: FakeHttpHandler = (req) => {
      if (req.url.endsWith('/old'))
        return { status: 303, headers: { Location: '/new' } as Record<string, string>, body: '' };
      return { status: 200, headers: {}, body: `${req.method} ${req.url}` };
    };
    const { g, rt } = setup({ http });
    expect(
      g.UrlFetchApp.fetch('https://x.test/old', { method: 'post', payload: 'a=1' }).getContentText(),
    ).toBe('GET https://x.test/new');
    expect(rt.requests).toHaveLength(2);
    expect(g.UrlFetchApp.fetch('https://x.test/old', { followRedirects: false }).getResponseCode()).toBe(303);
  });

  test('quota: 20,000 fetches per day', () => {
    const { g } = setup();
    g.UrlFetchApp.fetchAll(Array.from({ length: 19_999 }, () => 'https://api.close.com/x'));
    g.UrlFetchApp.fetch('https://api.close.com/x');
    expect(thrown(() => g.UrlFetchApp.fetch('https://api.close.com/x')).message).toBe(
      'Service invoked too many times for one day: urlfetch.',
    );
  });

  test('RangeList applies one format to several ranges as one call', () => {
    const { rt, sheet } = setup();
    const before = rt.stats.spreadsheetCalls;
    sheet.getRangeList(['A2:A', 'C2:C']).setNumberFormat('@');
    expect(rt.stats.spreadsheetCalls - before).toBe(2);
    expect(sheet.getRange('A500').getNumberFormat()).toBe('@');
    expect(sheet.getRange('B500').getNumberFormat()).toBe('0.###############');
  });

  test('display formats: numbers, percent, thousands, dates', () => {
    const { sheet } = setup();
    sheet.getRange('A1:E1').setValues([[1234.5, 0.256, 1234567.891, 46000, 16503334444]]);
    sheet.getRange('A1:D1').setNumberFormats([['0.00', '0.0%', '#,##0.00', 'yyyy-mm-dd hh:mm']]);
    expect(sheet.getRange('A1:E1').getDisplayValues()).toEqual([
      ['1234.50', '25.6%', '1,234,567.89', '2025-12-09 00:00', '16503334444'],
    ]);
  });

  test('insertSheet activates the new sheet; hiding the last visible sheet or deleting the last sheet fails', () => {
    const { ss } = setup();
    const s2 = ss.insertSheet('Config', 0);
    expect(ss.getActiveSheet().getName()).toBe('Config');
    expect(s2.getIndex()).toBe(1);
    ss.getSheetByName('Sheet1').hideSheet();
    expect(thrown(() => s2.hideSheet()).message).toBe("You can't hide all the sheets in a document.");
    ss.deleteSheet(ss.getSheetByName('Sheet1'));
    expect(thrown(() => ss.deleteSheet(s2)).message).toBe("You can't remove all the sheets in a document.");
  });

  test('a sheet protection is reused; warning-only is recorded', () => {
    const { g, sheet } = setup();
    const p = sheet.protect().setDescription('Close Sync state').setWarningOnly(true);
    expect(sheet.protect().getDescription()).toBe('Close Sync state');
    expect(sheet.getProtections(g.SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(1);
    expect(p.isWarningOnly()).toBe(true);
    p.remove();
    expect(sheet.getProtections(g.SpreadsheetApp.ProtectionType.SHEET)).toHaveLength(0);
  });

  test('Logger and quiet console record lines', () => {
    const { g, rt } = setup();
    g.Logger.log('pulled %s leads', 12);
    (rt.globals.console as Console).warn('careful');
    expect(rt.logs).toEqual(['pulled 12 leads', '[warn] careful']);
  });
});

describe('OAuth scopes of the manifest', () => {
  const AUTH = 'https://www.googleapis.com/auth/';
  const manifest = (...scopes: string[]) => ({ manifest: { oauthScopes: scopes.map((s) => AUTH + s) } });

  test('a method is refused without its scope and allowed with it', () => {
    const without = createGasRuntime({ http: ok, quiet: true, ...manifest('spreadsheets.currentonly') });
    const g = without.globals as Record<string, Svc>;
    expect(thrown(() => g.Session.getActiveUser()).message).toBe(
      'Specified permissions are not sufficient to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    );
    expect(thrown(() => g.Session.getEffectiveUser()).name).toBe('Exception');
    expect(thrown(() => g.UrlFetchApp.fetchAll(['https://api.close.com/a'])).message).toBe(
      'Specified permissions are not sufficient to call UrlFetchApp.fetchAll. Required permissions: https://www.googleapis.com/auth/script.external_request',
    );
    expect(thrown(() => g.ScriptApp.getUserTriggers(g.SpreadsheetApp.getActive())).message).toBe(
      'Specified permissions are not sufficient to call ScriptApp.getUserTriggers. Required permissions: https://www.googleapis.com/auth/script.scriptapp',
    );
    const html = g.HtmlService.createHtmlOutput('<p>x</p>');
    expect(thrown(() => g.SpreadsheetApp.getUi().showSidebar(html)).message).toBe(
      'Specified permissions are not sufficient to call Ui.showSidebar. Required permissions: https://www.googleapis.com/auth/script.container.ui',
    );
    // Methods whose reference lists no scope need none.
    expect(g.Session.getTemporaryActiveUserKey()).toHaveLength(43);
    expect(g.Session.getScriptTimeZone()).toBe('Etc/UTC');
    g.SpreadsheetApp.getUi().alert('fine');
    g.PropertiesService.getUserProperties().setProperty('k', 'v');

    const withThem = createGasRuntime({
      http: ok,
      quiet: true,
      ...manifest(
        'spreadsheets.currentonly',
        'userinfo.email',
        'script.external_request',
        'script.scriptapp',
        'script.container.ui',
      ),
    });
    const h = withThem.globals as Record<string, Svc>;
    expect(h.Session.getActiveUser().getEmail()).toBe('rep@example.com');
    expect(h.UrlFetchApp.fetchAll(['https://api.close.com/a'])).toHaveLength(1);
    expect(h.ScriptApp.getUserTriggers(h.SpreadsheetApp.getActive())).toEqual([]);
    h.SpreadsheetApp.getUi().showSidebar(h.HtmlService.createHtmlOutput('<p>x</p>'));
    expect(withThem.ui.sidebars).toHaveLength(1);
    expect(withThem.scopedCalls()).toEqual({
      'Session.getActiveUser': [`${AUTH}userinfo.email`],
      'UrlFetchApp.fetchAll': [`${AUTH}script.external_request`],
      'SpreadsheetApp.getActive': [`${AUTH}spreadsheets.currentonly`, `${AUTH}spreadsheets`],
      // getUserTriggers asked the spreadsheet it was given for its id.
      'Spreadsheet.getId': [`${AUTH}spreadsheets.currentonly`, `${AUTH}spreadsheets`],
      'ScriptApp.getUserTriggers': [`${AUTH}script.scriptapp`],
      'Ui.showSidebar': [`${AUTH}script.container.ui`],
    });
  });

  test('Sheets methods list both Sheets scopes; openById only the broad one', () => {
    const none = createGasRuntime({ http: ok, quiet: true, ...manifest('userinfo.email') });
    expect(thrown(() => (none.globals.SpreadsheetApp as Svc).getActiveSpreadsheet()).message).toBe(
      'Specified permissions are not sufficient to call SpreadsheetApp.getActiveSpreadsheet. Required permissions: (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets)',
    );
    // `spreadsheets` is listed for every method that lists `spreadsheets.currentonly`.
    const broad = createGasRuntime({ http: ok, quiet: true, ...manifest('spreadsheets') });
    const sheet = (broad.globals.SpreadsheetApp as Svc).getActiveSpreadsheet().getSheets()[0];
    sheet.getRange('A1').setValue('x');
    expect(broad.spreadsheet.dump('Sheet1')).toEqual([['x']]);
    // …but the narrow one never stands in for the broad one.
    const narrow = createGasRuntime({ http: ok, quiet: true, ...manifest('spreadsheets.currentonly') });
    const ss = narrow.globals.SpreadsheetApp as Svc;
    expect(thrown(() => ss.openById(narrow.spreadsheet.id)).message).toBe(
      'Specified permissions are not sufficient to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets',
    );
  });

  test('a scope the manifest lists but the rep did not grant: "You do not have permission"', () => {
    const rt = createGasRuntime({
      http: ok,
      quiet: true,
      ...manifest('spreadsheets.currentonly', 'userinfo.email'),
      grantedScopes: [`${AUTH}spreadsheets.currentonly`],
    });
    const g = rt.globals as Record<string, Svc>;
    expect(thrown(() => g.Session.getActiveUser()).message).toBe(
      'You do not have permission to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    );
    rt.setGrantedScopes(null);
    expect(g.Session.getActiveUser().getEmail()).toBe('rep@example.com');
  });

  test('without oauthScopes in the manifest (scopes detected by Apps Script) nothing is refused', () => {
    const rt = createGasRuntime({ http: ok, quiet: true, manifest: { timeZone: 'Etc/UTC' } });
    expect(rt.declaredScopes).toBeNull();
    expect((rt.globals.Session as Svc).getActiveUser().getEmail()).toBe('rep@example.com');
  });
});
