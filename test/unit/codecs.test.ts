import { makeCodec, MULTI_VALUE_SEPARATOR, apiValuesEqual } from '../../src/core/schema/codecs';
import { customFieldColumn, STANDARD_COLUMNS } from '../../src/core/schema/columns';
import { statusLookup, userLookup } from '../../src/core/schema/lookups';

const env = {
  timeZone: 'America/New_York',
  statuses: statusLookup([
    { id: 'stat_potential', label: 'Potential' },
    { id: 'stat_customer', label: 'Customer' },
  ]),
  opportunityStatuses: statusLookup([]),
  users: userLookup([
    { user_id: 'user_ann', user_full_name: 'Ann Lee', user_email: 'ann@acme.test' },
    { user_id: 'user_sam1', user_full_name: 'Sam Hill', user_email: 'sam@acme.test' },
    { user_id: 'user_sam2', user_full_name: 'Sam Hill', user_email: 'sam.hill@acme.test' },
  ]),
};

const codecFor = (type: string, extra: object = {}) =>
  makeCodec(customFieldColumn({ id: 'cf_x', name: 'X', type, ...extra }), env);

describe('text', () => {
  const text = codecFor('text');
  test.each([
    '+16503334444',
    '00123',
    '2024-01-02',
    'TRUE',
    '=1+1',
    '-5',
    '@handle',
    'Close (Example\u00a0Lead)',
  ])('%j goes to the cell and back unchanged', (value) => {
    const cell = text.encode(value);
    expect(cell).toBe(value);
    expect(text.decode(cell)).toEqual({ ok: true, value });
  });
  test('an empty cell clears the field', () => {
    expect(text.encode(null)).toBe('');
    expect(text.decode('')).toEqual({ ok: true, value: null });
  });
  test('a value longer than a cell is truncated visibly and marked lossy', () => {
    const long = 'x'.repeat(60_000);
    const cell = text.encode(long) as string;
    expect(cell.length).toBe(50_000);
    expect(cell.endsWith(' …[truncated: edit in Close]')).toBe(true);
    expect(text.isLossy(long)).toBe(true);
    expect(text.isLossy('short')).toBe(false);
  });
});

describe('number', () => {
  const number = codecFor('number');
  test('numbers stay numbers', () => {
    expect(number.encode(1234.5)).toBe(1234.5);
    expect(number.decode(42)).toEqual({ ok: true, value: 42 });
  });
  test('numeric text typed into a plain cell is accepted', () => {
    expect(number.decode(' 1,234.50 ')).toEqual({ ok: true, value: 1234.5 });
    expect(number.decode('-7')).toEqual({ ok: true, value: -7 });
  });
  test('other text is invalid with a message that quotes it', () => {
    expect(number.decode('12 apples')).toEqual({ ok: false, error: '"12 apples" is not a number' });
    expect(number.decode('12abc')).toEqual({ ok: false, error: '"12abc" is not a number' });
  });
  test('text past a double (1e400 would be Infinity, sent as JSON null) is refused, never read as a number', () => {
    expect(number.decode('1e400')).toEqual({ ok: false, error: '"1e400" is too large a number' });
    expect(number.decode('-1e400')).toEqual({ ok: false, error: '"-1e400" is too large a number' });
    expect(number.decode('1e300')).toEqual({ ok: true, value: 1e300 });
  });
  test('NaN and Infinity cells are not numbers', () => {
    expect(number.decode(Number.NaN)).toEqual({ ok: false, error: '"NaN" is not a number' });
    expect(number.decode(Number.POSITIVE_INFINITY)).toEqual({
      ok: false,
      error: '"Infinity" is not a number',
    });
  });
  test('a percent typed as text says how to type it', () => {
    expect(number.decode('12%')).toEqual({
      ok: false,
      error: '"12%" is not a number: type it without % (12% as 0.12 or 12, as the field counts it)',
    });
  });
  test('an amount whose cents overflow is refused', () => {
    const money = makeCodec(STANDARD_COLUMNS.find((c) => c.kind === 'money')!, env);
    expect(money.decode('12.5')).toEqual({ ok: true, value: 1250 });
    expect(money.decode('1e307')).toEqual({ ok: false, error: '"1e307" is too large an amount' });
  });
});

describe('date', () => {
  const date = codecFor('date');
  test('a Close date becomes a day serial (time-zone free)', () => {
    expect(date.encode('2024-01-02')).toBe(45293);
    expect(date.encode('1899-12-30')).toBe(0);
  });
  test('a Date from the sheet is read as the day it shows in the spreadsheet zone', () => {
    // Midnight 2024-03-10 in New York is 05:00 UTC.
    expect(date.decode(new Date(Date.UTC(2024, 2, 10, 5, 0, 0)))).toEqual({ ok: true, value: '2024-03-10' });
  });
  test('the Date Sheets hands back for a written serial shows it; another time or day does not', () => {
    const serial = date.encode('2024-03-10');
    expect(date.shows(new Date(Date.UTC(2024, 2, 10, 5, 0, 0)), serial)).toBe(true);
    // Midnight 2024-07-01 in New York is 04:00 UTC (daylight time).
    expect(date.shows(new Date(Date.UTC(2024, 6, 1, 4, 0, 0)), date.encode('2024-07-01'))).toBe(true);
    expect(date.shows(new Date(Date.UTC(2024, 2, 10, 17, 0, 0)), serial)).toBe(false);
    expect(date.shows(new Date(Date.UTC(2024, 2, 11, 4, 0, 0)), serial)).toBe(false);
    expect(date.shows(serial, serial)).toBe(true);
    expect(date.shows('2024-03-10', serial)).toBe(false);
  });
  test('typed text must be YYYY-MM-DD and a real day', () => {
    expect(date.decode('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(date.decode('2023-02-29')).toEqual({
      ok: false,
      error: '"2023-02-29" is not a date (use YYYY-MM-DD)',
    });
  });
});

describe('dates that are not dates', () => {
  const date = codecFor('date');
  const datetime = codecFor('datetime');
  test('text in a date column is reported, not sent', () => {
    expect(date.decode('next tuesday')).toEqual({
      ok: false,
      error: '"next tuesday" is not a date (use YYYY-MM-DD)',
    });
    expect(date.decode('2024-02-30')).toEqual({
      ok: false,
      error: '"2024-02-30" is not a date (use YYYY-MM-DD)',
    });
  });
  test('an Invalid Date or a serial past year 9999 is not a date', () => {
    expect(date.decode(new Date(Number.NaN))).toEqual({
      ok: false,
      error: '"Invalid Date" is not a date (use YYYY-MM-DD)',
    });
    expect(date.decode(1e9)).toEqual({ ok: false, error: '"1000000000" is not a date (use YYYY-MM-DD)' });
    expect(date.decode(Number.NaN)).toEqual({ ok: false, error: '"NaN" is not a date (use YYYY-MM-DD)' });
    expect(datetime.decode(new Date(Number.NaN))).toEqual({
      ok: false,
      error: '"Invalid Date" is not a date and time (use YYYY-MM-DD HH:MM)',
    });
    expect(datetime.decode(1e12)).toEqual({
      ok: false,
      error: '"1000000000000" is not a date and time (use YYYY-MM-DD HH:MM)',
    });
  });
});

describe('datetime', () => {
  const datetime = codecFor('datetime');
  test('Close instants become Dates and come back in Close form', () => {
    const cell = datetime.encode('2021-07-13T11:39:03.315000+00:00') as Date;
    expect(cell.toISOString()).toBe('2021-07-13T11:39:03.315Z');
    expect(datetime.decode(cell)).toEqual({ ok: true, value: '2021-07-13T11:39:03.315000+00:00' });
  });
  test('offset-less and fraction-less forms are read as UTC', () => {
    expect((datetime.encode('2021-07-13T11:36:04.983404') as Date).toISOString()).toBe(
      '2021-07-13T11:36:04.983Z',
    );
    expect((datetime.encode('2022-11-12T18:00:00+00:00') as Date).toISOString()).toBe(
      '2022-11-12T18:00:00.000Z',
    );
  });
  test.each([
    ['2021-07-13T11:39:03.315999+00:00', '2021-07-13T11:39:03.316Z'],
    ['1999-12-31T23:59:59.000500+00:00', '1999-12-31T23:59:59.001Z'],
    ['2021-07-13T11:39:03+00:00', '2021-07-13T11:39:03.000Z'],
    ['2021-07-13T11:39:03.315+02:00', '2021-07-13T09:39:03.315Z'],
    ['2021-07-13 11:39:03Z', '2021-07-13T11:39:03.000Z'],
  ])('%s is the instant %s', (text, iso) => {
    expect((datetime.encode(text) as Date).toISOString()).toBe(iso);
  });
  test.each(['2021-07-13T1x:39:03.315000+00:00', '2021-07-13X11:39:03+00:00', 'soon'])(
    '%s is no datetime: shown as it is',
    (text) => {
      expect(datetime.encode(text)).toBe(text);
    },
  );
  test('a serial number is wall-clock time in the spreadsheet zone', () => {
    // 2024-01-02 12:00 in New York (EST, UTC-5) = 17:00 UTC.
    expect(datetime.decode(45293.5)).toEqual({ ok: true, value: '2024-01-02T17:00:00.000000+00:00' });
  });
  test('equal instants in different spellings are the same value', () => {
    expect(apiValuesEqual('2021-07-13T11:39:03.315000+00:00', '2021-07-13T11:39:03.315Z', 'datetime')).toBe(
      true,
    );
  });
});

describe('choices', () => {
  const single = codecFor('choices', { choices: ['Software', 'Retail, online', 'A; B'] });
  const multi = codecFor('choices', {
    choices: ['Choice 1', 'Choice 2', 'A; B'],
    accepts_multiple_values: true,
  });
  test('single choice must be one of the choices; case is forgiven', () => {
    expect(single.decode('software')).toEqual({ ok: true, value: 'Software' });
    expect(single.decode('Retail, online')).toEqual({ ok: true, value: 'Retail, online' });
    expect(single.decode('Hardware')).toEqual({
      ok: false,
      error: '"Hardware" is not one of the choices: Software, Retail, online, A; B',
    });
  });
  test(`multi-values share one cell, joined by "${MULTI_VALUE_SEPARATOR}"`, () => {
    expect(multi.encode(['Choice 1', 'Choice 2'])).toBe('Choice 1; Choice 2');
    expect(multi.decode('Choice 1; Choice 2')).toEqual({ ok: true, value: ['Choice 1', 'Choice 2'] });
    expect(multi.decode('Choice 2;Choice 1;')).toEqual({ ok: true, value: ['Choice 2', 'Choice 1'] });
  });
  test('a choice containing the separator round-trips whole', () => {
    const cell = multi.encode(['A; B', 'Choice 1']);
    expect(cell).toBe('A; B; Choice 1');
    expect(multi.decode(cell)).toEqual({ ok: true, value: ['A; B', 'Choice 1'] });
  });
  test('unknown values are named', () => {
    expect(multi.decode('Choice 1; Nope')).toEqual({
      ok: false,
      error: '"Nope" is not among the choices: Choice 1, Choice 2, A; B',
    });
  });
  test('arrays compare as sets', () => {
    expect(apiValuesEqual(['Choice 2', 'Choice 1'], ['Choice 1', 'Choice 2'], 'choices')).toBe(true);
    expect(apiValuesEqual([], null, 'choices')).toBe(true);
  });
});

describe('users', () => {
  const user = codecFor('user');
  const users = codecFor('user', { accepts_multiple_values: true });
  test('shown by name; two people with one name are told apart by email', () => {
    expect(user.encode('user_ann')).toBe('Ann Lee');
    expect(user.encode('user_sam2')).toBe('Sam Hill (sam.hill@acme.test)');
    expect(users.encode(['user_ann', 'user_sam1'])).toBe('Ann Lee; Sam Hill (sam@acme.test)');
  });
  test('typed names, labels and emails map back to ids', () => {
    expect(user.decode('ann lee')).toEqual({ ok: true, value: 'user_ann' });
    expect(user.decode('sam.hill@acme.test')).toEqual({ ok: true, value: 'user_sam2' });
    expect(user.decode('Sam Hill (sam@acme.test)')).toEqual({ ok: true, value: 'user_sam1' });
    expect(users.decode('Ann Lee; sam@acme.test')).toEqual({ ok: true, value: ['user_ann', 'user_sam1'] });
  });
  test('an ambiguous bare name is refused rather than guessed, and said to be shared', () => {
    expect(user.decode('Sam Hill')).toEqual({
      ok: false,
      error: '2 users are named "Sam Hill": use their email',
    });
    expect(users.decode('Ann Lee; sam hill')).toEqual({
      ok: false,
      error: '2 users are named "sam hill": use their email',
    });
    expect(user.decode('Sam Hall')).toEqual({
      ok: false,
      error: '"Sam Hall" is not a user of this Close organization',
    });
  });
});

describe('status', () => {
  const status = makeCodec(STANDARD_COLUMNS.find((c) => c.key === 'status_id')!, env);
  test('label in the sheet, id on the wire', () => {
    expect(status.encode('stat_customer')).toBe('Customer');
    expect(status.decode('customer')).toEqual({ ok: true, value: 'stat_customer' });
  });
  test('unknown or empty labels are invalid', () => {
    expect(status.decode('Won')).toEqual({
      ok: false,
      error: '"Won" is not a lead status: use one of Potential, Customer',
    });
    expect(status.decode('')).toEqual({ ok: false, error: 'Status cannot be empty' });
  });
});

describe('read-only context columns', () => {
  const byKey = Object.fromEntries(STANDARD_COLUMNS.map((c) => [c.key, c]));
  const lead = {
    id: 'lead_1',
    contacts: [{ name: 'Bruce Wayne', emails: [{ email: 'b@w.test' }], phones: [{ phone: '+16503334444' }] }],
    opportunities: [{ value: 50000 }, { value: 5000 }],
  };
  test('primary contact and opportunity totals are derived from the lead', () => {
    expect(byKey['contact.name'].extract(lead)).toBe('Bruce Wayne');
    expect(byKey['contact.phone'].extract(lead)).toBe('+16503334444');
    expect(byKey['opportunities.count'].extract(lead)).toBe(2);
    expect(
      makeCodec(byKey['opportunities.value'], env).encode(byKey['opportunities.value'].extract(lead)),
    ).toBe(550);
  });
});
