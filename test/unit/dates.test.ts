import { parseCloseDateTime } from '../../src/core/schema/dates';

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
