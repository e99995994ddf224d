// What an add-only or remove-only edit of a multi-value field sends (multi-value.ts), and what the row's
// status says when a later PUT of it fails. The preview shows the values before any check has read Close
// (no current value); the push counts them against it.
import type { Lead } from '../../src/core/close/types';
import { makeCodec } from '../../src/core/schema/codecs';
import { customFieldColumn, STANDARD_COLUMNS } from '../../src/core/schema/columns';
import { statusLookup, userLookup } from '../../src/core/schema/lookups';
import type { SyncContext } from '../../src/core/sync/context';
import { multiDelta, partialNote } from '../../src/core/sync/multi-value';
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

describe('the status of a row whose later add/remove PUT failed (partialNote)', () => {
  const env = {
    timeZone: 'UTC',
    statuses: statusLookup([]),
    opportunityStatuses: statusLookup([]),
    users: userLookup([]),
  };
  const multi = (id: string, name: string) =>
    customFieldColumn({ id, name, type: 'choices', accepts_multiple_values: true, choices: [] });
  const columns = [
    STANDARD_COLUMNS.find((c) => c.key === 'description')!,
    STANDARD_COLUMNS.find((c) => c.key === 'name')!,
    multi('cf_tags', 'Tags'),
    multi('cf_regions', 'Regions'),
    multi('cf_labels', 'Labels'),
    multi('cf_sizes', 'Sizes'),
  ];
  const ctx = () =>
    ({
      byKey: new Map(columns.map((column) => [column.key, { column, codec: makeCodec(column, env) }])),
    }) as unknown as SyncContext;
  const e = (key: string, header: string, old: unknown, value: unknown) => ({ key, header, old, value });

  test('each field says what Close took and what it did not, and what Close holds now', () => {
    const send = [
      e('description', 'Description', 'was', 'now'),
      e('name', 'Name', 'Acme', 'Acme Inc'),
      // Three values to add: Close took two (the first PUTs), not the third.
      e('custom.cf_tags', 'Tags', ['T1'], ['T1', 'T2', 'T3', 'T4']),
      // One value, taken whole by the first PUT.
      e('custom.cf_regions', 'Regions', null, ['East']),
      // Only a value removed: an add-only push has nothing of it to send, so the status leaves it out.
      e('custom.cf_labels', 'Labels', ['L1', 'L2'], ['L1']),
      // Taken, then gone again from what Close answered (a colleague at the same moment): not added.
      e('custom.cf_sizes', 'Sizes', null, ['S']),
    ];
    const current = {
      'custom.cf_tags': ['T1'],
      'custom.cf_regions': null,
      'custom.cf_labels': ['L1', 'L2'],
      'custom.cf_sizes': null,
    };
    const accepted = {
      id: 'lead_1',
      'custom.cf_tags': ['T1', 'T2', 'T3'],
      'custom.cf_regions': ['East'],
      'custom.cf_labels': ['L1', 'L2'],
      'custom.cf_sizes': ['M'],
    } as unknown as Lead;
    expect(partialNote(ctx(), { send, current }, 'add', accepted, 'Close had a server error (503)')).toBe(
      'only part of this row reached Close (Close had a server error (503)): updated Description, Name; ' +
        'Tags: added T2; T3, not added T4; Regions: added East; Sizes: not added S. ' +
        'Close now has Tags "T1; T2; T3", Regions "East", Sizes "M". Push again to send the rest',
    );
  });
});
