// What an add-only or remove-only edit of a multi-value field sends (multi-value.ts). The preview shows
// these values before any check has read Close (no current value); the push counts them against it.
import { multiDelta } from '../../src/core/sync/multi-value';
import { Hashed, hashText } from '../../src/core/sync/pulled-value';

const edit = (old: unknown, value: unknown) => ({ key: 'custom.cf_tags', header: 'Tags', old, value });

test('add only: the values the rep added; remove only: the values the rep removed', () => {
  const e = edit(['A', 'B'], ['B', 'C', 'D']);
  expect(multiDelta(e, 'add')).toEqual(['C', 'D']);
  expect(multiDelta(e, 'remove')).toEqual(['A']);
  expect(multiDelta(edit(null, ['A']), 'add')).toEqual(['A']);
  expect(multiDelta(edit(['A'], null), 'remove')).toEqual(['A']);
  // A field empty at the pull has nothing to remove: the preview names no value (not "null").
  expect(multiDelta(edit(null, ['A']), 'remove')).toEqual([]);
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

describe('a pulled list the snapshot kept partly as hashes (pulled-value.ts)', () => {
  // Elements longer than a hash are kept as one: the push names a removed one from Close's value.
  const h = (value: string) => new Hashed(hashText(`s${value}`));

  test('add only: the values no pulled element stands for; with Close read, those Close does not have', () => {
    const e = edit([h('Choice 1'), h('Choice 2')], ['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4']);
    expect(multiDelta(e, 'add')).toEqual(['Choice 3', 'Choice 4']);
    expect(multiDelta(e, 'add', ['Choice 1', 'Choice 4'])).toEqual(['Choice 3']);
  });

  test('remove only: a removed short value by itself, a removed hashed one unnamed until Close is read', () => {
    const e = edit(['AB', h('Choice 2'), h('Choice 3')], ['AB', 'Choice 2']);
    expect(multiDelta(e, 'remove')).toEqual(['']);
    expect(multiDelta(edit(['AB', h('Choice 2')], ['Choice 2']), 'remove')).toEqual(['AB']);
    // Close's value names the hashed element; one Close no longer has is removed already.
    expect(multiDelta(edit(['AB', h('Choice 2'), h('Choice 3')], []), 'remove', ['Choice 2'])).toEqual([
      'Choice 2',
    ]);
  });

  test('a single pulled value kept as a hash counts as a one-value list', () => {
    expect(multiDelta(edit(h('Gold; Silver'), ['Gold; Silver', 'Bronze']), 'add')).toEqual(['Bronze']);
  });
});
