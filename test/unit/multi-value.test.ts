// What an add-only or remove-only edit of a multi-value field sends (multi-value.ts). The preview shows
// these values before any check has read Close (no current value); the push counts them against it.
import { multiDelta } from '../../src/core/sync/multi-value';

const edit = (old: unknown, value: unknown) => ({ key: 'custom.cf_tags', header: 'Tags', old, value });

test('add only: the values the rep added; remove only: the values the rep removed', () => {
  const e = edit(['A', 'B'], ['B', 'C', 'D']);
  expect(multiDelta(e, 'add')).toEqual(['C', 'D']);
  expect(multiDelta(e, 'remove')).toEqual(['A']);
  expect(multiDelta(edit(null, ['A']), 'add')).toEqual(['A']);
  expect(multiDelta(edit(['A'], null), 'remove')).toEqual(['A']);
});

test("with Close's current list: only what Close does not have yet, or still has", () => {
  const e = edit(['A', 'B'], ['B', 'C', 'D']);
  expect(multiDelta(e, 'add', ['A', 'B', 'D'])).toEqual(['C']);
  expect(multiDelta(e, 'remove', ['B', 'C'])).toEqual([]);
  expect(multiDelta(e, 'remove', ['A', 'B'])).toEqual(['A']);
  expect(multiDelta(e, 'add', null)).toEqual(['C', 'D']);
});

test('a single value where a list is expected (a field made multi-value in Close) counts as a one-value list', () => {
  expect(multiDelta(edit('A', ['A', 'B']), 'add')).toEqual(['B']);
  expect(multiDelta(edit(['A', 'B'], 'B'), 'remove')).toEqual(['A']);
  expect(multiDelta(edit(['A'], ['A', 'B']), 'add', 'B')).toEqual([]);
});
