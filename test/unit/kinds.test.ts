// The field kinds (src/core/schema/kinds): every entry declares everything about its kind, the Close
// field types map to kinds in one place, and the report reads custom fields as the columns show them.
// A new kind fails here until it has its sample and its expectations below.
import type { CustomField } from '../../src/core/close/types';
import { reportKindOf } from '../../src/core/report/schema';
import { apiValuesEqual, makeCodec } from '../../src/core/schema/codecs';
import { type Column, customFieldColumn } from '../../src/core/schema/columns';
import { KINDS, kindOfCustomField, type ValueKind } from '../../src/core/schema/kinds';
import { choiceIndex, splitKnownValues, splitValues } from '../../src/core/schema/kinds/choice';
import { opportunityStatusLookup, statusLookup, userLookup } from '../../src/core/schema/lookups';
import { bindingNote } from '../../src/core/sync/column-binding';

const env = {
  timeZone: 'UTC',
  statuses: statusLookup([{ id: 'stat_potential', label: 'Potential' }]),
  opportunityStatuses: opportunityStatusLookup(
    [{ id: 'stat_won', label: 'Won', pipeline_id: 'pipe_1' }],
    [{ id: 'pipe_1', name: 'Sales' }],
  ),
  users: userLookup([{ user_id: 'user_ann', user_full_name: 'Ann Lee', user_email: 'ann@acme.test' }]),
};

/** Per kind: a Close value, the cell it encodes to, and the format and note text the kind declares. */
const SAMPLES: Record<ValueKind, { api: unknown; cell: unknown; format: string; takes: string }> = {
  text: { api: 'Acme', cell: 'Acme', format: '@', takes: 'text' },
  number: { api: 12.5, cell: 12.5, format: 'General', takes: 'a number' },
  money: { api: 123456, cell: 1234.56, format: '#,##0.00', takes: 'an amount' },
  date: { api: '2024-03-01', cell: 45352, format: 'yyyy-mm-dd', takes: 'a date (YYYY-MM-DD)' },
  datetime: {
    api: '2024-03-01T10:30:00.000000+00:00',
    cell: new Date('2024-03-01T10:30:00Z'),
    format: 'yyyy-mm-dd hh:mm',
    takes: 'a date and time',
  },
  choice: { api: 'Gold; Plus', cell: 'Gold; Plus', format: '@', takes: 'one of its choices (dropdown)' },
  choices: {
    api: ['Gold; Plus', 'Silver'],
    cell: 'Gold; Plus; Silver',
    format: '@',
    takes: 'some of its choices, separated by "; "',
  },
  user: { api: 'user_ann', cell: 'Ann Lee', format: '@', takes: 'a Close user (dropdown)' },
  users: { api: ['user_ann'], cell: 'Ann Lee', format: '@', takes: 'Close users, separated by "; "' },
  status: { api: 'stat_potential', cell: 'Potential', format: '@', takes: 'a lead status (dropdown)' },
  opportunity_status: {
    api: 'stat_won',
    cell: 'Won',
    format: '@',
    takes: 'an opportunity status (dropdown)',
  },
  emails: {
    api: [{ email: 'ann@acme.test', type: 'office' }],
    cell: 'ann@acme.test',
    format: '@',
    takes: 'email addresses, separated by "; "',
  },
  phones: {
    api: [{ phone: '+16503334444', type: 'office' }],
    cell: '+16503334444',
    format: '@',
    takes: 'phone numbers, separated by "; "',
  },
};

const column = (kind: ValueKind): Column => ({
  key: 'custom.cf_x',
  header: 'X',
  kind,
  editable: true,
  choices: ['Gold; Plus', 'Silver'],
  extract: () => null,
});

describe('every kind', () => {
  test.each(Object.keys(KINDS) as ValueKind[])('%s: a Close value goes to its cell and back', (kind) => {
    const { api, cell } = SAMPLES[kind];
    const codec = makeCodec(column(kind), env);
    expect(codec.encode(api)).toEqual(cell);
    expect(codec.decode(codec.encode(api))).toEqual({ ok: true, value: api });
  });

  test.each(Object.keys(KINDS) as ValueKind[])(
    '%s: declares its number format and header-note text',
    (kind) => {
      expect(KINDS[kind].numberFormat).toBe(SAMPLES[kind].format);
      expect(bindingNote({ key: 'custom.cf_x', kind, editable: true })).toBe(
        `Close Sync · custom.cf_x\nTakes ${SAMPLES[kind].takes}. Edits here are pushed to Close.\nKeep this note: it ties the column to its Close field, so you can rename or move the column.`,
      );
    },
  );

  test('the multi-value rule, the dropdown, Add/Remove and the display of each kind', () => {
    const declared = Object.fromEntries(
      Object.entries(KINDS).map(([kind, k]) => [
        kind,
        [k.multiValue, k.dropdown, k.addRemove, k.display, k.report].join(' | '),
      ]),
    );
    expect(declared).toEqual({
      text: ' |  | false | as the cell shows it | ',
      number: ' |  | false | as the cell shows it | ',
      money: ' |  | false | as the cell shows it | ',
      date: ' |  | false | as Close writes it | ',
      datetime: ' |  | false | as Close writes it | ',
      choice: ' | own choices | false | as the cell shows it | by value',
      choices: 'known values |  | true | as the cell shows it | by value',
      user: ' | users | false | as the cell shows it | owner',
      users: 'names |  | true | as the cell shows it | ',
      status: ' | lead statuses | false | as the cell shows it | ',
      opportunity_status: ' | opportunity statuses | false | as the cell shows it | ',
      emails: 'addresses |  | false | as the cell shows it | ',
      phones: 'addresses |  | false | as the cell shows it | ',
    });
  });

  test('a kind that holds several values in a cell offers no dropdown (a dropdown cell takes one value)', () => {
    for (const k of Object.values(KINDS)) if (k.multiValue !== null) expect(k.dropdown).toBeNull();
  });
});

/** Close's custom field types (custom-fields docs), single and multiple where Close offers both. */
const FIELD_TYPES: Array<[string, boolean, ValueKind, boolean]> = [
  ['text', false, 'text', true],
  ['textarea', false, 'text', true],
  ['number', false, 'number', true],
  ['date', false, 'date', true],
  ['datetime', false, 'datetime', true],
  ['choices', false, 'choice', true],
  ['choices', true, 'choices', true],
  ['user', false, 'user', true],
  ['user', true, 'users', true],
  ['contact', false, 'text', false],
  ['contact', true, 'text', false],
  ['custom_object', false, 'text', false],
  ['hidden', false, 'text', false],
  ['a_type_close_adds_later', false, 'text', false],
];

const field = (type: string, multiple: boolean): CustomField => ({
  id: 'cf_x',
  name: 'X',
  type,
  accepts_multiple_values: multiple,
  choices: ['Gold; Plus', 'Silver'],
});

describe('Close field types', () => {
  test.each(FIELD_TYPES)(
    '%s (multiple: %s) is a %s column, editable: %s',
    (type, multiple, kind, editable) => {
      expect(kindOfCustomField({ type, accepts_multiple_values: multiple })).toEqual({ kind, editable });
      const col = customFieldColumn(field(type, multiple));
      expect([col.kind, col.editable]).toEqual([kind, editable]);
    },
  );

  test.each(FIELD_TYPES)('the report reads %s (multiple: %s) as its column does', (type, multiple, kind) => {
    const expected = { choice: 'choice', choices: 'choices', user: 'user' } as Record<string, string>;
    expect(reportKindOf(field(type, multiple))).toBe(expected[kind] ?? null);
    expect(reportKindOf(field(type, multiple)) !== null).toBe(
      KINDS[customFieldColumn(field(type, multiple)).kind].report !== null,
    );
  });
});

describe('two Close values of a kind are the same value', () => {
  test.each<[ValueKind, unknown, unknown, boolean]>([
    ['number', 5, '5', true],
    ['money', 1250, 1250.0, true],
    ['money', 1250, 1251, false],
    ['datetime', '2024-03-01T10:30:00+00:00', '2024-03-01T10:30:00.000000+00:00', true],
    ['datetime', '2024-03-01T10:30:00+00:00', '2024-03-01T10:31:00+00:00', false],
    ['choices', ['Gold', 'Silver'], ['Silver', 'Gold'], true],
    ['users', ['user_a'], ['user_a', 'user_b'], false],
    ['emails', [{ email: 'a@x.test', type: 'office' }], [{ email: 'a@x.test', type: 'home' }], true],
    ['phones', [{ phone: '1' }, { phone: '2' }], [{ phone: '2' }, { phone: '1' }], false],
    ['text', 'Acme', 'acme', false],
    ['text', null, '', true],
  ])('%s: %j and %j → %s', (kind, a, b, same) => {
    expect(apiValuesEqual(a, b, kind)).toBe(same);
  });
});

describe('splitting a multi-choice cell by the field’s choices', () => {
  let known: Map<string, string>;
  beforeEach(() => {
    known = choiceIndex(['Gold; Plus', 'Silver']);
  });

  test('a choice containing ";" is kept whole, case and spaces aside; other tokens are unknown', () => {
    expect(splitKnownValues('gold ;plus; Bronze; silver', known)).toEqual([
      { value: 'Gold; Plus', known: true },
      { value: 'Bronze', known: false },
      { value: 'Silver', known: true },
    ]);
  });

  test('decoding refuses the unknown value; the report counts it as typed, each value once', () => {
    expect(makeCodec(column('choices'), env).decode('gold ;plus; Bronze; silver')).toEqual({
      ok: false,
      error: '"Bronze" is not among the choices: Gold; Plus, Silver',
    });
    expect(splitValues('gold ;plus; Bronze; silver; Silver', ['Gold; Plus', 'Silver'])).toEqual([
      'Gold; Plus',
      'Bronze',
      'Silver',
    ]);
  });

  test('the report counts no empty value for separators typed twice or left at the end', () => {
    expect(splitValues('Silver; ; gold ;plus;', ['Gold; Plus', 'Silver'])).toEqual(['Silver', 'Gold; Plus']);
  });
});
