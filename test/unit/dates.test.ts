import { runInNewContext } from 'node:vm';
import {
  checkPeriodDates,
  dateCellToSerial,
  dateCellToYmd,
  formatCloseDateTime,
  formatStamp,
  isDate,
  isYmd,
  parseCloseDateTime,
  parseDateTimeText,
  serialToInstant,
  serialToYmd,
  tzOffsetHours,
  ymdToSerial,
} from '../../src/core/schema/dates';

test("Close's datetimes parse to the instant, with or without a fraction, in every form Close writes", () => {
  const at = Date.UTC(2021, 6, 13, 11, 39, 3, 315);
  expect(parseCloseDateTime('2021-07-13T11:39:03.315000+00:00')).toBe(at);
  expect(parseCloseDateTime('2021-07-13T11:39:03.315499+00:00')).toBe(at);
  expect(parseCloseDateTime('2021-07-13T11:39:03.315500+00:00')).toBe(at + 1);
  expect(parseCloseDateTime('2021-07-13T11:39:03+00:00')).toBe(at - 315);
  expect(parseCloseDateTime('2021-07-13T11:39:03.315Z')).toBe(at);
  expect(parseCloseDateTime('2021-07-13T11:39:03.315')).toBe(at);
  expect(parseCloseDateTime('2021-07-13T13:39:03.315+02:00')).toBe(at);
  expect(parseCloseDateTime('2021-07-13 11:39')).toBe(Date.UTC(2021, 6, 13, 11, 39));
});

test('text that only looks like a datetime from its length is not one', () => {
  // The fast path's shape: 32 and 25 characters ending in +00:00.
  expect(parseCloseDateTime('2021-07-13T11:39:03.3x5000+00:00')).toBeNull();
  expect(parseCloseDateTime('2021-07-13X11:39:03.315000+00:00')).toBeNull();
  expect(parseCloseDateTime('2021/07/13T11:39:03.315000+00:00')).toBeNull();
  expect(parseCloseDateTime('2021-07-1aT11:39:03+00:00')).toBeNull();
  expect(parseCloseDateTime('abcdefghijklmnopqrstuvwxy+00:00')).toBeNull();
  expect(parseCloseDateTime('not a date')).toBeNull();
});

describe('calendar days', () => {
  test('a day serial counts days from 1899-12-30, and only real calendar days have one', () => {
    expect(ymdToSerial('1899-12-30')).toBe(0);
    expect(ymdToSerial('2024-01-02')).toBe(45293);
    expect(ymdToSerial('2024-02-29')).toBe(45351);
    expect(ymdToSerial('2000-02-29')).toBe(36585);
    expect(ymdToSerial('2024-12-31')).toBe(45657);
    expect(ymdToSerial('2024-01-31')).toBe(45322);
    expect(ymdToSerial('2024-06-30')).toBe(45473);
    for (const notADay of [
      '2023-02-29',
      '1900-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-06-31',
      '2024-09-31',
      '2024-11-31',
      '2024-01-32',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      'a024-01-01',
      '2024/01/01',
      '2024-01/01',
      '2024-1a-01',
      '2024-01-1x',
      '2024-01-011',
      '2024-1-01',
      // One wrong character each, where a reading of the digits alone would still make a day.
      '2024/01-01',
      '202/-01-01',
      '2024-1/-01',
      '2024-0:-01',
      '2024-01-1/',
      '2024-01-0:',
    ])
      expect([notADay, ymdToSerial(notADay)]).toEqual([notADay, null]);
    expect(isYmd('2024-01-02')).toBe(true);
    expect(isYmd(' 2024-01-02')).toBe(false);
    expect(isYmd('2024-02-30')).toBe(false);
  });

  test('a serial with a time of day is its day; before 1899-12-30 too', () => {
    expect(serialToYmd(45293)).toBe('2024-01-02');
    expect(serialToYmd(45293.99)).toBe('2024-01-02');
    expect(serialToYmd(-0.5)).toBe('1899-12-29');
    expect(serialToYmd(2_958_465)).toBe('9999-12-31');
  });

  test("a report's since and until must be empty or a day written YYYY-MM-DD", () => {
    expect(() => checkPeriodDates({ since: '2024-01-01', until: '' })).not.toThrow();
    expect(() => checkPeriodDates({})).not.toThrow();
    expect(() => checkPeriodDates({ since: '2024-1-1' })).toThrow(
      'since must be a date written YYYY-MM-DD (got "2024-1-1").',
    );
    expect(() => checkPeriodDates({ since: '2024-01-01', until: '2024-02-30' })).toThrow(
      'until must be a date written YYYY-MM-DD (got "2024-02-30").',
    );
  });

  test('Dates from another realm (Apps Script hands over its own) are dates; other objects are not', () => {
    expect(isDate(runInNewContext('new Date(0)'))).toBe(true);
    expect(isDate(new Date(0))).toBe(true);
    expect(isDate({ getTime: () => 0 })).toBe(false);
    expect(isDate(null)).toBe(false);
    expect(isDate('2024-01-02')).toBe(false);
    expect(isDate(45293)).toBe(false);
  });
});

describe('the spreadsheet zone', () => {
  const NY = 'America/New_York';
  test('a date cell is the day and serial it shows in the zone, to the second', () => {
    // 2024-01-02 23:59:59.9 in New York (UTC-5) is 04:59:59.9 UTC on the 3rd.
    const late = new Date(Date.UTC(2024, 0, 3, 4, 59, 59, 900));
    expect(dateCellToYmd(late, NY)).toBe('2024-01-02');
    expect(dateCellToYmd(new Date(Date.UTC(2024, 0, 3, 5)), NY)).toBe('2024-01-03');
    expect(dateCellToSerial(new Date(Date.UTC(2024, 0, 2, 17)), NY)).toBe(45293.5);
    // Before 1970 (negative ms with a fraction of a second).
    expect(dateCellToYmd(new Date(Date.UTC(1960, 0, 2, 4, 59, 59, 900)), NY)).toBe('1960-01-01');
    expect(dateCellToYmd(new Date(Date.UTC(1960, 0, 2, 5, 0, 0, 100)), NY)).toBe('1960-01-02');
  });

  test('wall-clock serials become instants, across the change to daylight time', () => {
    expect(serialToInstant(45293.5, NY)).toBe(Date.UTC(2024, 0, 2, 17));
    // A time of day with milliseconds keeps them.
    expect(serialToInstant(45293.5 + 250 / 86_400_000, NY)).toBe(Date.UTC(2024, 0, 2, 17, 0, 0, 250));
    // 2024-03-10 03:30 in New York is daylight time (UTC-4), an hour after the change.
    const serial = (ymdToSerial('2024-03-10') as number) + 3.5 / 24;
    expect(serialToInstant(serial, NY)).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(serialToInstant((ymdToSerial('2024-07-01') as number) + 0.5, NY)).toBe(Date.UTC(2024, 6, 1, 16));
  });

  test('status stamps are minutes in the zone', () => {
    expect(formatStamp(Date.UTC(2026, 10, 28, 9, 5, 59), NY)).toBe('2026-11-28 04:05');
    expect(formatStamp(Date.UTC(2024, 6, 1, 3, 7), NY)).toBe('2024-06-30 23:07');
    expect(formatStamp(Date.UTC(2024, 6, 1, 3, 7), 'Asia/Kathmandu')).toBe('2024-07-01 08:52');
  });

  test("X-TZ-Offset is the zone's offset in hours at the instant", () => {
    expect(tzOffsetHours(Date.UTC(2024, 0, 2), NY)).toBe('-5');
    expect(tzOffsetHours(Date.UTC(2024, 6, 2), NY)).toBe('-4');
    expect(tzOffsetHours(Date.UTC(2024, 6, 2), 'America/St_Johns')).toBe('-2.5');
    expect(tzOffsetHours(Date.UTC(2024, 6, 2), 'Asia/Kathmandu')).toBe('5.75');
    expect(tzOffsetHours(Date.UTC(2024, 6, 2), 'UTC')).toBe('0');
    expect(tzOffsetHours(Date.UTC(1960, 6, 2, 0, 0, 0, 500) - 1000, NY)).toBe('-4');
  });
});

describe('datetimes in their general form', () => {
  test('a fraction is rounded to the nearest millisecond for display, and down for a window anchor', () => {
    const at = Date.UTC(2021, 6, 13, 11, 39, 3, 315);
    expect(parseDateTimeText('2021-07-13T11:39:03.315999+00:00', 'nearest')).toBe(at + 1);
    expect(parseDateTimeText('2021-07-13T11:39:03.315999+00:00', 'down')).toBe(at);
    expect(parseDateTimeText('2021-07-13T11:39:03.3', 'down')).toBe(at - 15);
    expect(parseDateTimeText('2021-07-13T11:39:03.3', 'nearest')).toBe(at - 15);
    expect(parseDateTimeText('2021-07-13T11:39:03', 'down')).toBe(at - 315);
    expect(parseDateTimeText(' 2021-07-13 11:39 ', 'down')).toBe(Date.UTC(2021, 6, 13, 11, 39));
  });
  test('offsets with or without a colon, east and west of UTC', () => {
    const at = Date.UTC(2021, 6, 13, 11, 39);
    expect(parseDateTimeText('2021-07-13T06:09-0530', 'nearest')).toBe(at);
    expect(parseDateTimeText('2021-07-13T17:09+05:30', 'nearest')).toBe(at);
    expect(parseDateTimeText('2021-07-13T11:39Z', 'nearest')).toBe(at);
    expect(parseDateTimeText('2021-07-13T11:39+0000', 'nearest')).toBe(at);
  });
  test('text that is not a datetime, or a day that does not exist, is none', () => {
    expect(parseDateTimeText('2021-07-13', 'nearest')).toBeNull();
    expect(parseDateTimeText('2021-07-13T11:39:03+00:00 later', 'nearest')).toBeNull();
    expect(parseDateTimeText('x2021-07-13T11:39', 'nearest')).toBeNull();
    expect(parseDateTimeText('2021-07-13T11:39:03.+00:00', 'nearest')).toBeNull();
  });
  test("Close's own form: six fraction digits and +00:00", () => {
    expect(formatCloseDateTime(Date.UTC(2024, 0, 2, 3, 4, 5, 6))).toBe('2024-01-02T03:04:05.006000+00:00');
    expect(formatCloseDateTime(Date.UTC(2024, 11, 31, 23, 59, 59, 999))).toBe(
      '2024-12-31T23:59:59.999000+00:00',
    );
  });
  test('the fast path reads every digit of a Close datetime', () => {
    expect(parseCloseDateTime('1987-11-29T23:48:57.654321+00:00')).toBe(
      Date.UTC(1987, 10, 29, 23, 48, 57, 654),
    );
    expect(parseCloseDateTime('1987-11-29T23:48:57+00:00')).toBe(Date.UTC(1987, 10, 29, 23, 48, 57));
    expect(parseCloseDateTime('1987-11-29T23:48:57.65432x+00:00')).toBeNull();
    expect(parseCloseDateTime('1987-11-29T23:48:57x654321+00:00')).toBeNull();
    expect(parseCloseDateTime('1987-11-29T23-48:57+00:00')).toBeNull();
    expect(parseCloseDateTime('1987-11-29T23:48-57+00:00')).toBeNull();
    expect(parseCloseDateTime('1987-11-29T23:48:57.6543+00:00')).toBe(
      Date.UTC(1987, 10, 29, 23, 48, 57, 654),
    );
    expect(parseCloseDateTime('1987-11-29T23:48:57-00:00')).toBe(Date.UTC(1987, 10, 29, 23, 48, 57));
    // Microseconds round to the nearest millisecond, half a millisecond up.
    expect(parseCloseDateTime('1987-11-29T23:48:57.000501+00:00')).toBe(
      Date.UTC(1987, 10, 29, 23, 48, 57, 1),
    );
    expect(parseCloseDateTime('1987-11-29T23:48:57.654521+00:00')).toBe(
      Date.UTC(1987, 10, 29, 23, 48, 57, 655),
    );
  });
  test("Close's lengths with another offset, or one wrong character, are not read as Close's UTC form", () => {
    const at = Date.UTC(2021, 6, 13, 11, 39, 3);
    // 25 and 32 characters, like `…:03+00:00` and `…:03.315000+00:00`, but two hours east of UTC.
    expect(parseCloseDateTime('2021-07-13T13:39:03+02:00')).toBe(at);
    expect(parseCloseDateTime('2021-07-13T13:39:03.315000+02:00')).toBe(at + 315);
    for (const notOne of [
      '2021-07-13T11:39:03+123456+00:00',
      '2021/07-13T11:39:03+00:00',
      '2021-07/13T11:39:03+00:00',
      '2021-07-13T11:39:0/+00:00',
      '2021-07-13T11:39:03.31500/+00:00',
    ])
      expect([notOne, parseCloseDateTime(notOne)]).toEqual([notOne, null]);
  });
  test('half a millisecond rounds up in every spelling of an instant (0.5005 s is 501 ms)', () => {
    const at = Date.UTC(2021, 6, 13, 11, 39, 3, 501);
    expect(parseCloseDateTime('2021-07-13T11:39:03.500500+00:00')).toBe(at);
    expect(parseCloseDateTime('2021-07-13T11:39:03.500500')).toBe(at);
    expect(parseCloseDateTime('2021-07-13T11:39:03.500500Z')).toBe(at);
    expect(parseDateTimeText('2021-07-13T11:39:03.5005', 'nearest')).toBe(at);
    expect(parseDateTimeText('2021-07-13T11:39:03.500500', 'down')).toBe(at - 1);
  });
});
