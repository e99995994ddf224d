// What the snapshot keeps of each pulled value (src/core/sync/pulled-value.ts), kind by kind, and how a
// cell or Close's value is recognised against it: an untouched cell is no edit, a changed or emptied one
// is, and Close still holding the pulled value is no conflict. Written from the mutation run's survivors
// (test/mutation-survivors.md); every expected value is written out.
import { contactColumns, leadColumns, opportunityColumns } from '../../src/core/schema/columns';
import { fieldChange } from '../../src/core/sync/changes';
import { multiDelta } from '../../src/core/sync/multi-value';
import {
  canonical,
  Hashed,
  hashText,
  Interned,
  readOnlyDigest,
  sameAsDigest,
  sameAsPulled,
  showsPulled,
} from '../../src/core/sync/pulled-value';
import { bindColumns } from './bound-columns';

const { bound, token: kept } = bindColumns([
  ...leadColumns([
    { id: 'cf_when', name: 'When', type: 'datetime' },
    { id: 'cf_size', name: 'Size', type: 'number' },
    { id: 'cf_pick', name: 'Pick', type: 'choices', choices: ['S', 'ab', 'Platinum'] },
    { id: 'cf_owners', name: 'Owners', type: 'user', accepts_multiple_values: true },
  ]),
  ...opportunityColumns([]).filter((c) => c.key === 'value'),
  ...contactColumns([]).filter((c) => c.key === 'emails'),
]);
const hashed = (text: string) => new Hashed(hashText(text));
const noEdit = {};
const MAY_1 = Date.UTC(2024, 4, 1, 10, 0, 0, 123);

test('canonical: the text each value is hashed as (snapshots already written must keep matching)', () => {
  expect(canonical('2024-05-01T10:00:00.123000+00:00', 'datetime')).toBe(`t${MAY_1}`);
  // A datetime Close sends that is no instant is compared as the text it is.
  expect(canonical('soon', 'datetime')).toBe('ssoon');
  // Only a datetime field's values are instants: a text that looks like one is text.
  expect(canonical('2024-05-01T10:00:00.123Z', 'text')).toBe('s2024-05-01T10:00:00.123Z');
  expect(canonical(123456, 'number')).toBe('n123456');
  expect(canonical('0.00', 'number')).toBe('n0');
  expect(canonical(123456, 'money')).toBe('n123456');
  expect(canonical('Platinum', 'choice')).toBe('sPlatinum');
  // Values of a type the kind does not have are compared as JSON (not as text: 12345 is not "12345").
  expect(canonical(12345, 'text')).toBe('j12345');
  expect(canonical(true, 'text')).toBe('jtrue');
});

test('what a pull keeps, kind by kind: short values and values whose cell reads back otherwise stay whole', () => {
  // Choices, users and statuses: interned when longer than 2 characters; shorter or empty, as they are.
  expect(kept('custom.cf_pick', 'Platinum')).toEqual(new Interned('Platinum'));
  expect(kept('custom.cf_pick', 'S')).toBe('S');
  expect(kept('custom.cf_pick', 'ab')).toBe('ab');
  expect(kept('status_id', null)).toBeNull();
  const none: string[] = [];
  expect(kept('custom.cf_owners', none)).toBe(none);
  // A text that just fits a cell is hashed; one character more and it is kept whole (never pushed).
  const fits = 'x'.repeat(50_000);
  expect(kept('description', fits)).toEqual(hashed(`s${fits}`));
  // A datetime Close sends that is no instant: its cell shows the text, which reads back as no instant.
  expect(kept('custom.cf_when', 'soon')).toBe('soon');
  // Numbers: Close may send one as text ("number: JSON number [?]", close-api.md); it is hashed as the
  // number it reads as, unless its cell does not read back as that number.
  expect(kept('custom.cf_size', '123456')).toEqual(hashed('n123456'));
  expect(kept('custom.cf_size', '0.00')).toEqual(hashed('n0'));
  expect(kept('custom.cf_size', '12,345')).toBe('12,345');
  expect(kept('custom.cf_size', 'lots')).toBe('lots');
  // A number in a text field is kept as the number (its text cell reads back as text).
  expect(kept('description', 123456)).toBe(123456);
  // Amounts (cents) are hashed as numbers; four digits or fewer stay as they are.
  expect(kept('value', 123456)).toEqual(hashed('n123456'));
  expect(kept('value', 1234)).toBe(1234);
  // Emails are kept whole: a push keeps each address's type from the pulled value.
  const emails = [{ email: 'ann.lee@example.test', type: 'office' }];
  expect(kept('emails', emails)).toBe(emails);
});

test('an untouched cell is no edit, whatever form of its value Close sent; an emptied one is', () => {
  const size = bound('custom.cf_size');
  // "0.00" is the number 0: the cell (text as written, or 0 once Sheets reads it as a number) is no
  // edit, and clearing it is one — an empty cell is not 0.
  const zero = kept('custom.cf_size', '0.00');
  expect(fieldChange(size, '0.00', zero)).toEqual(noEdit);
  expect(fieldChange(size, 0, zero)).toEqual(noEdit);
  expect(fieldChange(size, '', zero)).toEqual({
    edit: { key: 'custom.cf_size', header: 'Size', old: zero, value: null },
  });
  expect(sameAsPulled(null, zero, 'number')).toBe(false);
  expect(sameAsPulled('', zero, 'number')).toBe(false);
  // Values kept whole because their cells read back otherwise: untouched, they are no edit either.
  expect(fieldChange(size, 'lots', kept('custom.cf_size', 'lots'))).toEqual(noEdit);
  expect(fieldChange(size, '12,345', kept('custom.cf_size', '12,345'))).toEqual(noEdit);
  expect(fieldChange(bound('custom.cf_when'), 'soon', kept('custom.cf_when', 'soon'))).toEqual(noEdit);
  expect(fieldChange(bound('description'), '123456', kept('description', 123456))).toEqual(noEdit);
  // An amount: the cell shows currency units (1234.56), the snapshot the hash of the cents.
  const value = bound('value');
  const amount = kept('value', 123456);
  expect(showsPulled(value, 1234.56, amount)).toBe(true);
  expect(fieldChange(value, 1234.56, amount)).toEqual(noEdit);
  expect(showsPulled(value, 1234.57, amount)).toBe(false);
  expect(fieldChange(value, 1234.57, amount)).toEqual({
    edit: { key: 'value', header: 'Value', old: amount, value: 123457 },
  });
  // Retyped as text, the same number is still the pulled one.
  expect(showsPulled(size, '123,456', kept('custom.cf_size', 123456))).toBe(true);
});

test("Close still holding the pulled value is no conflict, even where it looks like another kind's", () => {
  // A text field holding what looks like an instant is compared as text.
  const text = '2024-05-01T10:00:00.123Z';
  const pulled = kept('description', text);
  expect(pulled).toEqual(hashed(`s${text}`));
  expect(sameAsPulled(text, pulled, 'text')).toBe(true);
  expect(sameAsPulled('2024-05-01T10:00:00.123+00:00', pulled, 'text')).toBe(false);
  expect(sameAsPulled(123456, kept('value', 123456), 'money')).toBe(true);
});

test('a cell still showing the pulled value as written is no edit after its field changed type in Close', () => {
  // Pulled as text, the field is a number now: the text cell, untouched, is no edit (a typed one is).
  const longText = kept('description', 'A long description');
  expect(fieldChange(bound('custom.cf_size'), 'A long description', longText)).toEqual(noEdit);
  expect(fieldChange(bound('custom.cf_size'), 'A longer description', longText)).toEqual({
    problem: {
      key: 'custom.cf_size',
      header: 'Size',
      cell: 'A longer description',
      message: '"A longer description" is not a number',
    },
  });
  // Pulled as a number, now text: the number cell is no edit; another number is one.
  const number = kept('custom.cf_size', 123456);
  expect(fieldChange(bound('description'), 123456, number)).toEqual(noEdit);
  expect(fieldChange(bound('description'), 123457, number)).toEqual({
    edit: { key: 'description', header: 'Description', old: number, value: '123457' },
  });
  // Pulled as a datetime, now text: the Date cell of the instant is no edit.
  const when = kept('custom.cf_when', '2024-05-01T10:00:00.123000+00:00');
  expect(fieldChange(bound('description'), new Date(MAY_1), when)).toEqual(noEdit);
  expect(showsPulled(bound('description'), new Date(MAY_1 + 1), when)).toBe(false);
});

test('a list in a field of a single-value kind is kept whole: its cell (the JSON) never reads back as the list', () => {
  // Close sends lists only for multi-value choices and users (interned) and contact emails and phones
  // (kept whole); a list in any other kind (a field whose type changed in Close, say) shows as its JSON
  // in a text cell, which decodes to one text or not at all: nothing about it can be hashed.
  const { token } = bindColumns(
    leadColumns([
      { id: 'cf_text', name: 'Text', type: 'text' },
      { id: 'cf_number', name: 'Number', type: 'number' },
      { id: 'cf_date', name: 'Date', type: 'date' },
      { id: 'cf_when', name: 'When', type: 'datetime' },
    ]).concat(opportunityColumns([]).filter((c) => c.key === 'value')),
  );
  const lists = [
    ['A long value'],
    ['12345678'],
    [12345678],
    ['2024-01-01'],
    ['2024-05-01T10:00:00+00:00'],
    ['ab', 'cdefgh'],
  ];
  for (const key of ['custom.cf_text', 'custom.cf_number', 'custom.cf_date', 'custom.cf_when', 'value'])
    for (const list of lists) expect(token(key, list)).toBe(list);
});

test('pulled lists kept as hashes compare as sets with the values now (either may be a single value)', () => {
  const h = (value: string) => hashed(`s${value}`);
  const [ann, bob] = [h('user_ann'), h('user_bob')];
  // In either order of the pulled elements (one of the two is not the order their keys sort in).
  expect(sameAsPulled(['user_ann', 'user_bob'], [ann, bob], 'users')).toBe(true);
  expect(sameAsPulled(['user_ann', 'user_bob'], [bob, ann], 'users')).toBe(true);
  expect(sameAsPulled(['user_ann', 'user_cat'], [ann, bob], 'users')).toBe(false);
  expect(sameAsPulled(['user_cat', 'user_bob'], [ann, bob], 'users')).toBe(false);
  // Short elements are kept as themselves and compared as such.
  expect(sameAsPulled(['AB', 'user_ann'], ['AB', ann], 'users')).toBe(true);
  expect(sameAsPulled(['CD', 'user_ann'], ['AB', ann], 'users')).toBe(false);
  // A field made multi-value (or single-value) since the pull: one value is a one-value list.
  expect(sameAsPulled(['Platinum'], h('Platinum'), 'choices')).toBe(true);
  expect(sameAsPulled('Platinum', [h('Platinum')], 'choices')).toBe(true);
  expect(sameAsPulled('Gold', [h('Platinum')], 'choices')).toBe(false);
});

test('remove only, with hashed pulled elements: each is named by the value Close has for it, no other', () => {
  const h = (value: string) => hashed(`s${value}`);
  const removeAll = {
    key: 'custom.cf_tags',
    header: 'Tags',
    old: ['AB', h('Choice 2'), h('Choice 3')],
    value: [],
  };
  // Close has Choice 4 too (a colleague added it): only Choice 2 is removed, never Choice 4.
  expect(multiDelta(removeAll, 'remove', ['Choice 2', 'Choice 4'])).toEqual(['Choice 2']);
  // Close's value a single value (the field made single-value since): it still names the element.
  expect(multiDelta(removeAll, 'remove', 'Choice 3')).toEqual(['Choice 3']);
});

test('a read-only field Close sends as an empty list is no change from no value (the refresh rewrites nothing)', () => {
  const none = readOnlyDigest(null, 'users');
  expect(none).toEqual(readOnlyDigest([], 'users'));
  expect(sameAsDigest([], none, 'users')).toBe(true);
  expect(sameAsDigest(['user_ann'], none, 'users')).toBe(false);
  // A hidden field's values (any scalar): true and false are different values.
  expect(sameAsDigest(false, readOnlyDigest(true, 'text'), 'text')).toBe(false);
});
