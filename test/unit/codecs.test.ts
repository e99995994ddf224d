// The codecs: a Close value to its cell and back, per kind, with the exact cells, values and messages.
// Each test builds its codecs (beforeEach or inline), never the describe block: a mutant in a codec's
// construction is only applied while a test runs (StrykerJS), so codecs built at load time would hide it.
import { type Codec, makeCodec, MULTI_VALUE_SEPARATOR, apiValuesEqual } from '../../src/core/schema/codecs';
import {
  contactColumns,
  customFieldColumn,
  opportunityColumns,
  STANDARD_COLUMNS,
} from '../../src/core/schema/columns';
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
  let text: Codec;
  beforeEach(() => {
    text = codecFor('text');
  });
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
  let number: Codec;
  beforeEach(() => {
    number = codecFor('number');
  });
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
  let date: Codec;
  beforeEach(() => {
    date = codecFor('date');
  });
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
  let date: Codec;
  let datetime: Codec;
  beforeEach(() => {
    date = codecFor('date');
    datetime = codecFor('datetime');
  });
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
  let datetime: Codec;
  beforeEach(() => {
    datetime = codecFor('datetime');
  });
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
  let single: Codec;
  let multi: Codec;
  beforeEach(() => {
    single = codecFor('choices', { choices: ['Software', 'Retail, online', 'A; B'] });
    multi = codecFor('choices', { choices: ['Choice 1', 'Choice 2', 'A; B'], accepts_multiple_values: true });
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
  let user: Codec;
  let users: Codec;
  beforeEach(() => {
    user = codecFor('user');
    users = codecFor('user', { accepts_multiple_values: true });
  });
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
  let status: Codec;
  beforeEach(() => {
    status = makeCodec(STANDARD_COLUMNS.find((c) => c.key === 'status_id')!, env);
  });
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

describe('contact emails and phones', () => {
  let emails: Codec;
  let phones: Codec;
  beforeEach(() => {
    const contact = contactColumns([]);
    emails = makeCodec(contact.find((c) => c.key === 'emails')!, env);
    phones = makeCodec(contact.find((c) => c.key === 'phones')!, env);
  });
  test('shown as the addresses joined; typed addresses go back as a list, new ones of type office', () => {
    expect(
      emails.encode([{ email: 'a@x.test', type: 'home' }, { type: 'office' }, { email: 'b@x.test' }]),
    ).toBe('a@x.test; b@x.test');
    expect(emails.encode(null)).toBe('');
    expect(emails.decode(' a@x.test ;; c@x.test ')).toEqual({
      ok: true,
      value: [
        { email: 'a@x.test', type: 'office' },
        { email: 'c@x.test', type: 'office' },
      ],
    });
    expect(phones.decode('+1 (650) 333-4444 ext. 12')).toEqual({
      ok: true,
      value: [{ phone: '+1 (650) 333-4444 ext. 12', type: 'office' }],
    });
    expect(emails.isLossy([{ email: 'a@x.test' }])).toBe(false);
  });
  test('an address that stays keeps its type in Close', () => {
    const typed = emails.decode('a@x.test; b@x.test; c@x.test');
    expect(typed.ok).toBe(true);
    const value = (typed as { value: unknown }).value;
    expect(emails.reconcile!(value, [{ email: 'a@x.test', type: 'home' }, { email: 'b@x.test' }])).toEqual([
      { email: 'a@x.test', type: 'home' },
      { email: 'b@x.test', type: 'office' },
      { email: 'c@x.test', type: 'office' },
    ]);
    expect(emails.reconcile!(value, null)).toEqual(value);
  });
  test('text that is not an address is named, and nothing is sent', () => {
    expect(emails.decode('a@x.test; not an email')).toEqual({
      ok: false,
      error: '"not an email" is not an email address',
    });
    expect(phones.decode('+16503334444; 12')).toEqual({ ok: false, error: '"12" is not a phone number' });
  });
  test('the same addresses in the same order are the same value, whatever their types', () => {
    const ab = [
      { email: 'a@x.test', type: 'home' },
      { email: 'b@x.test', type: 'office' },
    ];
    expect(apiValuesEqual(ab, [{ email: 'a@x.test' }, { email: 'b@x.test' }], 'emails')).toBe(true);
    expect(apiValuesEqual(ab, [{ email: 'b@x.test' }, { email: 'a@x.test' }], 'emails')).toBe(false);
    expect(apiValuesEqual(ab, [{ email: 'a@x.test' }], 'emails')).toBe(false);
    expect(apiValuesEqual([{ phone: '+1' }], [{ phone: '+2' }], 'phones')).toBe(false);
    expect(apiValuesEqual([{ phone: '+1' }], [{ phone: '+1', type: 'mobile' }], 'phones')).toBe(true);
  });
});

describe('opportunity fields Close takes no null for', () => {
  const opp = opportunityColumns([]);
  const codec = (key: string) =>
    makeCodec(opp.find((c) => c.key === key)!, {
      ...env,
      opportunityStatuses: statusLookup([
        { id: 'stat_active', label: 'Active' },
        { id: 'stat_won', label: 'Won' },
      ]),
    });
  test('an emptied cell sends what Close accepts instead, or says what to choose', () => {
    expect(codec('confidence').decode('')).toEqual({ ok: true, value: 0 });
    expect(codec('note').decode('')).toEqual({ ok: true, value: '' });
    expect(codec('value_period').decode('')).toEqual({
      ok: false,
      error: 'Close needs a value period: choose one_time, monthly, annual',
    });
    expect(codec('user_id').decode('  ')).toEqual({
      ok: false,
      error: 'Close needs an owner for every opportunity: choose a user',
    });
  });
  test('a filled cell of such a field is read as usual, and a bad one still says why', () => {
    expect(codec('confidence').decode('75')).toEqual({ ok: true, value: 75 });
    expect(codec('confidence').decode('high')).toEqual({ ok: false, error: '"high" is not a number' });
    expect(codec('value_period').decode('Monthly')).toEqual({ ok: true, value: 'monthly' });
  });
  test('an opportunity status by label; an unknown one lists the statuses', () => {
    const status = codec('status_id');
    expect(status.encode('stat_won')).toBe('Won');
    expect(status.encode(null)).toBe('');
    expect(status.decode('won')).toEqual({ ok: true, value: 'stat_won' });
    expect(status.decode('Lost')).toEqual({
      ok: false,
      error: '"Lost" is not an opportunity status: use one of Active, Won',
    });
  });
  test('value is money: cents in Close, currency units in the cell', () => {
    const value = codec('value');
    expect(value.encode(123456)).toBe(1234.56);
    expect(value.encode(null)).toBe('');
    expect(value.decode(12.345)).toEqual({ ok: true, value: 1235 });
    expect(value.decode('')).toEqual({ ok: true, value: null });
    expect(value.decode('ten')).toEqual({ ok: false, error: '"ten" is not a number' });
  });
});

describe('cells as Sheets hands them back', () => {
  test('a checkbox or a date typed into a text column is read as the text it shows', () => {
    const text = codecFor('text');
    expect(text.decode(true)).toEqual({ ok: true, value: 'TRUE' });
    expect(text.decode(false)).toEqual({ ok: true, value: 'FALSE' });
    expect(text.decode(new Date(Date.UTC(2024, 2, 10, 5)))).toEqual({ ok: true, value: '2024-03-10' });
    expect(text.decode(12.5)).toEqual({ ok: true, value: '12.5' });
    expect(text.encode(12)).toBe('12');
    expect(text.encode(false)).toBe('false');
    expect(text.encode({ a: 1 })).toBe('{"a":1}');
    expect(text.encode([])).toBe('');
  });
  test('a cell shows the value when Sheets gives back the same number, give or take rounding', () => {
    const number = codecFor('number');
    expect(number.shows(0.1 + 0.2, 0.3)).toBe(true);
    expect(number.shows(1e12 + 0.0001, 1e12)).toBe(true);
    expect(number.shows(1.001, 1)).toBe(false);
    expect(number.shows(-5, 5)).toBe(false);
    expect(number.shows('5', 5)).toBe(false);
    const datetime = codecFor('datetime');
    const at = Date.UTC(2024, 0, 2, 17);
    expect(datetime.shows(new Date(at), new Date(at))).toBe(true);
    expect(datetime.shows(new Date(at), new Date(at + 1000))).toBe(false);
    expect(datetime.shows(new Date(at), at)).toBe(false);
    expect(datetime.shows(at, new Date(at))).toBe(false);
  });
  test('numbers typed as text: signs, thousands separators, fractions and exponents', () => {
    const number = codecFor('number');
    expect(number.decode('+5')).toEqual({ ok: true, value: 5 });
    expect(number.decode('.5')).toEqual({ ok: true, value: 0.5 });
    expect(number.decode('1,234,567')).toEqual({ ok: true, value: 1234567 });
    expect(number.decode('2E3')).toEqual({ ok: true, value: 2000 });
    expect(number.decode('  ')).toEqual({ ok: true, value: null });
    for (const bad of ['1,23', '5.', '-', '1.2.3', '12,3456'])
      expect(number.decode(bad)).toEqual({ ok: false, error: `${JSON.stringify(bad)} is not a number` });
    expect(number.decode(true)).toEqual({ ok: false, error: '"true" is not a number' });
    expect(number.decode(new Date(Date.UTC(2024, 0, 2)))).toEqual({
      ok: false,
      error: '"2024-01-02T00:00:00.000Z" is not a number',
    });
    expect(number.decode('-1,5 %')).toEqual({
      ok: false,
      error: '"-1,5 %" is not a number: type it without % (12% as 0.12 or 12, as the field counts it)',
    });
    expect(number.encode('n/a')).toBe('n/a');
    expect(number.encode(null)).toBe('');
  });
  test('dates: a day serial or trimmed text is the day; an empty cell clears it', () => {
    const date = codecFor('date');
    expect(date.decode(45293)).toEqual({ ok: true, value: '2024-01-02' });
    expect(date.decode(45293.75)).toEqual({ ok: true, value: '2024-01-02' });
    expect(date.decode(' 2024-01-02 ')).toEqual({ ok: true, value: '2024-01-02' });
    expect(date.decode('')).toEqual({ ok: true, value: null });
    expect(date.decode('2024-1-2')).toEqual({
      ok: false,
      error: '"2024-1-2" is not a date (use YYYY-MM-DD)',
    });
    expect(date.encode('soon')).toBe('soon');
    expect(date.encode(null)).toBe('');
    expect(date.isLossy('2024-01-02')).toBe(false);
  });
  test('datetimes typed as text are read as UTC unless they say otherwise; a Date is its instant', () => {
    const datetime = codecFor('datetime');
    expect(datetime.decode('2024-01-02 10:30')).toEqual({
      ok: true,
      value: '2024-01-02T10:30:00.000000+00:00',
    });
    expect(datetime.decode(' 2024-01-02T10:30:00-05:00 ')).toEqual({
      ok: true,
      value: '2024-01-02T15:30:00.000000+00:00',
    });
    expect(datetime.decode('')).toEqual({ ok: true, value: null });
    expect(datetime.decode('tomorrow 10am')).toEqual({
      ok: false,
      error: '"tomorrow 10am" is not a date and time (use YYYY-MM-DD HH:MM)',
    });
    expect(datetime.decode(new Date(Date.UTC(2024, 0, 2, 15, 30, 0, 7)))).toEqual({
      ok: true,
      value: '2024-01-02T15:30:00.007000+00:00',
    });
    expect(datetime.decode(-1)).toEqual({ ok: true, value: '1899-12-29T05:00:00.000000+00:00' });
    expect(datetime.decode(2_958_466)).toEqual({
      ok: false,
      error: '"2958466" is not a date and time (use YYYY-MM-DD HH:MM)',
    });
    expect(datetime.encode(null)).toBe('');
    expect(datetime.encode(5)).toBe('5');
  });
  test('a choice list longer than twelve is cut in the message, with the count', () => {
    const many = Array.from({ length: 14 }, (_, i) => `C${i + 1}`);
    expect(codecFor('choices', { choices: many }).decode('Nope')).toEqual({
      ok: false,
      error:
        '"Nope" is not one of the choices: C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, … (14 in all)',
    });
    expect(
      codecFor('choices', { choices: many, accepts_multiple_values: true }).decode('Nope; C1; Zip'),
    ).toEqual({
      ok: false,
      error:
        '"Nope", "Zip" are not among the choices: C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, … (14 in all)',
    });
  });
  test('multi-values: a value typed twice is sent once; an empty cell or separators alone clear nothing', () => {
    const multi = codecFor('choices', { choices: ['Choice 1', 'Choice 2'], accepts_multiple_values: true });
    expect(multi.decode('Choice 1; choice 1; Choice 2')).toEqual({
      ok: true,
      value: ['Choice 1', 'Choice 2'],
    });
    expect(multi.decode(' ; ')).toEqual({ ok: true, value: [] });
    expect(multi.decode('')).toEqual({ ok: true, value: null });
    expect(multi.encode('Choice 1')).toBe('Choice 1');
    expect(multi.encode(null)).toBe('');
    expect(multi.isLossy(['Choice 1'])).toBe(false);
    const users = codecFor('user', { accepts_multiple_values: true });
    expect(users.encode(null)).toBe('');
    expect(users.encode('user_gone')).toBe('user_gone');
    expect(users.decode('Ann Lee; ann@acme.test;')).toEqual({ ok: true, value: ['user_ann'] });
    expect(users.decode('')).toEqual({ ok: true, value: null });
    expect(users.isLossy(['user_ann'])).toBe(false);
  });
  test('Close values compare by kind: numbers as numbers, a single value as a one-value list', () => {
    expect(apiValuesEqual('12', 12, 'number')).toBe(true);
    expect(apiValuesEqual('12', 12, 'money')).toBe(true);
    expect(apiValuesEqual('12', 12, 'text')).toBe(false);
    expect(apiValuesEqual('A', ['A'], 'choices')).toBe(true);
    expect(apiValuesEqual(['A', 'B'], ['A'], 'choices')).toBe(false);
    expect(apiValuesEqual(['A', 'B'], ['A', 'C'], 'choices')).toBe(false);
    expect(apiValuesEqual('', null, 'text')).toBe(true);
    expect(apiValuesEqual('x', null, 'text')).toBe(false);
    expect(apiValuesEqual(null, 'x', 'text')).toBe(false);
    expect(apiValuesEqual('2021-07-13T11:39:03Z', '2021-07-13T11:39:04Z', 'datetime')).toBe(false);
    expect(apiValuesEqual('soon', 'soon', 'datetime')).toBe(true);
    expect(apiValuesEqual('soon', '2021-07-13T11:39:03Z', 'datetime')).toBe(false);
  });
});

describe('edges of each codec a rep or Close meets', () => {
  test('a text of exactly 50,000 characters fits its cell whole and is pushed; one more is cut', () => {
    const text = codecFor('text');
    const full = 'x'.repeat(50_000);
    expect(text.encode(full)).toBe(full);
    expect(text.isLossy(full)).toBe(false);
    const over = `${full}y`;
    expect(text.encode(over)).toBe(`${'x'.repeat(50_000 - 28)} …[truncated: edit in Close]`);
    expect(text.isLossy(over)).toBe(true);
  });
  test('a long text of emoji is cut between two emoji, never inside one (a surrogate pair)', () => {
    const text = codecFor('text');
    // 😀 is two UTF-16 units: the cut at 49,972 units would fall inside the 24,986th of them.
    const odd = `x${'😀'.repeat(25_000)}`;
    expect(text.encode(odd)).toBe(`x${'😀'.repeat(24_985)} …[truncated: edit in Close]`);
    const even = '😀'.repeat(25_001);
    expect(text.encode(even)).toBe(`${'😀'.repeat(24_986)} …[truncated: edit in Close]`);
  });
  test('a field absent from the lead (undefined) shows as an empty cell, whatever its kind', () => {
    expect(codecFor('text').encode(undefined)).toBe('');
    expect(codecFor('user').encode(undefined)).toBe('');
    expect(codecFor('user', { accepts_multiple_values: true }).encode(undefined)).toBe('');
    expect(makeCodec(STANDARD_COLUMNS.find((c) => c.key === 'status_id')!, env).encode(undefined)).toBe('');
  });
  test('cells of spaces alone clear the field (a status says it cannot be empty); typed text is quoted trimmed', () => {
    const single = codecFor('choices', { choices: ['Software'] });
    const multi = codecFor('choices', { choices: ['Software'], accepts_multiple_values: true });
    expect(single.decode('   ')).toEqual({ ok: true, value: null });
    expect(single.decode(' Hardware ')).toEqual({
      ok: false,
      error: '"Hardware" is not one of the choices: Software',
    });
    expect(multi.decode('   ')).toEqual({ ok: true, value: null });
    expect(codecFor('datetime').decode('   ')).toEqual({ ok: true, value: null });
    const status = makeCodec(STANDARD_COLUMNS.find((c) => c.key === 'status_id')!, env);
    expect(status.decode('   ')).toEqual({ ok: false, error: 'Status cannot be empty' });
    expect(status.decode(' Won ')).toEqual({
      ok: false,
      error: '"Won" is not a lead status: use one of Potential, Customer',
    });
  });
  test('a status column is never lossy: every status cell is pushed', () => {
    const status = makeCodec(STANDARD_COLUMNS.find((c) => c.key === 'status_id')!, env);
    expect(status.isLossy('stat_customer')).toBe(false);
  });
  test('twelve choices are named whole in the message; a field without choices says so', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `C${i + 1}`);
    expect(codecFor('choices', { choices: twelve }).decode('Nope')).toEqual({
      ok: false,
      error: '"Nope" is not one of the choices: C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12',
    });
    expect(codecFor('choices', {}).decode('Gold')).toEqual({
      ok: false,
      error: '"Gold" is not one of the choices: (none)',
    });
    expect(codecFor('choices', { accepts_multiple_values: true }).decode('Gold')).toEqual({
      ok: false,
      error: '"Gold" is not among the choices: (none)',
    });
  });
  test('choices match whatever their case, but not another spelling; ";" splits values, never joins them', () => {
    const single = codecFor('choices', { choices: ['Straße'] });
    expect(single.decode('STRASSE')).toEqual({
      ok: false,
      error: '"STRASSE" is not one of the choices: Straße',
    });
    expect(single.decode('straße')).toEqual({ ok: true, value: 'Straße' });
    const multi = codecFor('choices', { choices: ['A', 'B', 'AB'], accepts_multiple_values: true });
    expect(multi.decode('A; B')).toEqual({ ok: true, value: ['A', 'B'] });
    expect(multi.decode('ab')).toEqual({ ok: true, value: ['AB'] });
  });
  test('a number column: text that only contains a percent is not a number, and says so plainly', () => {
    const number = codecFor('number');
    expect(number.decode('about 12%')).toEqual({ ok: false, error: '"about 12%" is not a number' });
    expect(number.decode('12% off')).toEqual({ ok: false, error: '"12% off" is not a number' });
  });
  test('an emptied number or amount is not 0: clearing a 0 is an edit', () => {
    expect(apiValuesEqual(null, 0, 'number')).toBe(false);
    expect(apiValuesEqual(0, '', 'money')).toBe(false);
    expect(apiValuesEqual(0, 0, 'number')).toBe(true);
  });
  test('a list and its one value are the same, either way round', () => {
    expect(apiValuesEqual(['A'], 'A', 'choices')).toBe(true);
    expect(apiValuesEqual(['A', 'B'], 'A', 'choices')).toBe(false);
  });
  test('addresses: one more, or another in the same place, is a different value', () => {
    const a = { email: 'a@x.test', type: 'home' };
    expect(apiValuesEqual([a], [a, { email: 'b@x.test' }], 'emails')).toBe(false);
    expect(apiValuesEqual([a, { email: 'b@x.test' }], [a, { email: 'c@x.test' }], 'emails')).toBe(false);
  });
  test('datetimes that are no instants compare as text; half a millisecond agrees in every spelling', () => {
    expect(apiValuesEqual('soon', 'later', 'datetime')).toBe(false);
    expect(apiValuesEqual('2021-07-13T11:39:03.500500', '2021-07-13T11:39:03.500500+00:00', 'datetime')).toBe(
      true,
    );
    expect(codecFor('datetime').decode('2021-07-13 11:39:03.500500')).toEqual({
      ok: true,
      value: '2021-07-13T11:39:03.501000+00:00',
    });
  });
  test("a datetime serial on Sheets' last day is sent; past it, refused", () => {
    const datetime = codecFor('datetime');
    expect(datetime.decode(2_958_465)).toEqual({ ok: true, value: '9999-12-31T05:00:00.000000+00:00' });
  });
  test('a cell that changed kind is an edit: a date in a number column, a number in a text column', () => {
    // 2024-03-10 is serial 45361; midnight in New York is 05:00 UTC.
    const march10 = new Date(Date.UTC(2024, 2, 10, 5));
    expect(codecFor('number').shows(march10, 45361)).toBe(false);
    expect(codecFor('date').shows(march10, 45361)).toBe(true);
    expect(codecFor('text').shows(5, '5.0')).toBe(false);
    expect(codecFor('number').shows(5, '5')).toBe(false);
  });
  test('the first day of Sheets typed into an empty date cell is an edit', () => {
    const date = makeCodec(customFieldColumn({ id: 'cf_x', name: 'X', type: 'date' }), {
      ...env,
      timeZone: 'UTC',
    });
    const dayZero = new Date(Date.UTC(1899, 11, 30));
    expect(date.shows(dayZero, date.encode(null))).toBe(false);
    expect(date.shows(dayZero, date.encode('1899-12-30'))).toBe(true);
  });
});
