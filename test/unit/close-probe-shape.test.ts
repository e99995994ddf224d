// The rules by which a Close answer is reduced to its shape, compared with the fake's, and redacted
// (dev/close-probe/shape.ts): each rule that loosens the comparison is pinned here, with why.

import {
  compareShapes,
  decodeShape,
  encodeShape,
  headerSkeleton,
  Redactor,
  shapeOf,
} from '../../dev/close-probe/shape';

test('custom field keys collapse to one key (every org has other ids); the legacy custom dict keys to *', () => {
  const s = shapeOf({
    'custom.cf_AAAAAAAA': 'text',
    'custom.lcf_BBBBBBBB': ['a', 'b'],
    custom: { Industry: 'Software', 'Deal ID': 12 },
  });
  expect(encodeShape(s)).toEqual({
    types: 'object',
    keys: {
      'custom.cf_*': { types: 'array|string', items: 'string' },
      custom: { types: 'object', keys: { '*': 'number|string' } },
    },
  });
});

test('items merge: a key only some objects have is optional; encode/decode round-trips', () => {
  const s = shapeOf([{ id: 'a', url: null }, { id: 'b' }]);
  const encoded = encodeShape(s);
  expect(encoded).toEqual({
    types: 'array',
    items: { types: 'object', keys: { id: 'string', url: '?null' } },
  });
  expect(decodeShape(encoded)).toEqual(s);
});

describe('compareShapes (expected: Close, actual: the fake)', () => {
  test('a key Close always sent and the fake does not → reported; one Close sent only sometimes → not', () => {
    const close = shapeOf([{ id: 'a', note: 'x' }, { id: 'b' }]);
    expect(compareShapes(close, shapeOf([{ note: 'y' }]))).toEqual([
      '[].id: Close sends this key, the fake does not',
    ]);
    expect(compareShapes(close, shapeOf([{ id: 'c' }]))).toEqual([]);
  });

  test('types: another type is reported; null from the fake is not (harsher); a null-only sample says nothing', () => {
    const close = shapeOf({ value: 5, url: null });
    expect(compareShapes(close, shapeOf({ value: '5', url: 'https://x' }))).toEqual([
      'value: Close sends number, the fake sends string',
    ]);
    expect(compareShapes(close, shapeOf({ value: null, url: 3 }))).toEqual([]);
  });

  test('custom field values: presence compared, types not (they are the org’s field types)', () => {
    expect(compareShapes(shapeOf({ 'custom.cf_A': 'x' }), shapeOf({ 'custom.cf_B': 42 }))).toEqual([]);
    expect(compareShapes(shapeOf({ 'custom.cf_A': 'x' }), shapeOf({}))).toEqual([
      'custom.cf_*: Close sends this key, the fake does not',
    ]);
  });

  test('extra keys of the fake count only against recorded answers; notModelled paths are skipped', () => {
    const close = shapeOf({ id: 'a', phone_numbers: [{ number: '+1' }] });
    const fake = shapeOf({ id: 'a', extra: true, phone_numbers: [{}] });
    expect(compareShapes(close, fake)).toEqual([
      'phone_numbers[].number: Close sends this key, the fake does not',
    ]);
    expect(compareShapes(close, fake, { strictExtraKeys: true })).toEqual([
      'phone_numbers[].number: Close sends this key, the fake does not',
      'extra: the fake sends this key, Close does not',
    ]);
    expect(compareShapes(close, fake, { notModelled: { phone_numbers: 'why' } })).toEqual([]);
  });
});

test('header skeletons blank the numbers, keep the separators', () => {
  expect(headerSkeleton('limit=320, remaining=0, reset=0.596')).toBe('limit=N, remaining=N, reset=N');
  expect(headerSkeleton('limit=320; remaining=0; reset=8')).toBe('limit=N; remaining=N; reset=N');
});

test('redaction: the key, known values and any other Close id; placeholders survive', () => {
  const r = new Redactor('api_SECRET.key');
  r.add('lead_aaaaaaaaaaaaaaaaaaaa', '{lead:scratch}');
  r.add('Close Sync probe 2026-12-06T00:00:00.000Z', '{name:scratch}');
  expect(
    r.json({
      'custom.cf_ZZZZZZZZZZZZ': 'lead_aaaaaaaaaaaaaaaaaaaa and cont_bbbbbbbbbbbbbbbb',
      note: 'key api_SECRET.key, name Close Sync probe 2026-12-06T00:00:00.000Z, {cf:lead-multi} {cf:opportunity}',
    }),
  ).toEqual({
    'custom.{cf}': '{lead:scratch} and {cont}',
    note: 'key {api_key}, name {name:scratch}, {cf:lead-multi} {cf:opportunity}',
  });
});
