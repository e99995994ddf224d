import { makeCodec } from '../../src/core/schema/codecs';
import { contactColumns, leadColumns } from '../../src/core/schema/columns';
import { opportunityStatusLookup, statusLookup, userLookup } from '../../src/core/schema/lookups';
import { definitionFor, selectColumns } from '../../src/core/sync/pull-definition';

const fields = [
  { id: 'cf_industry', name: 'Industry', type: 'choices', choices: ['Software'] },
  { id: 'cf_size', name: 'Deal Size', type: 'number' },
];

describe('pull definitions', () => {
  const saved = {
    kind: 'lead' as const,
    source: { type: 'smart_view' as const, id: 'save_1' },
    fields: ['Industry'],
  };

  test('no options re-run what the sheet saved; options replace it', () => {
    expect(definitionFor('lead', {}, saved)).toBe(saved);
    expect(definitionFor('lead', { query: 'status:"Potential"' }, saved)).toEqual({
      kind: 'lead',
      source: { type: 'query', query: 'status:"Potential"' },
      fields: null,
      seen: undefined,
    });
    expect(definitionFor('lead', { fields: ['Deal Size'] }, null)).toMatchObject({
      source: { type: 'all' },
      fields: ['Deal Size'],
    });
  });

  test("new options keep the zone of the sheet's first pull: its date-time cells are still in it", () => {
    const zoned = { ...saved, zone: 'America/New_York' };
    expect(definitionFor('lead', { fields: ['Deal Size'] }, zoned)).toEqual({
      kind: 'lead',
      source: { type: 'all' },
      fields: ['Deal Size'],
      seen: undefined,
      zone: 'America/New_York',
    });
    expect(definitionFor('lead', { query: 'x' }, saved)).not.toHaveProperty('zone');
  });

  test('a sheet holds one kind of object; a view and a query at once make no sense', () => {
    expect(() => definitionFor('contact', {}, saved)).toThrow(
      'This sheet holds lead rows; pull contacts into another sheet.',
    );
    expect(() => definitionFor('lead', { smartViewId: 'save_1', query: 'x' }, null)).toThrow(
      'Pull a Smart View or a query, not both.',
    );
  });

  test('fields are matched by key, custom field id or header; id and Sync status always stay', () => {
    const all = leadColumns(fields);
    expect(selectColumns(all, ['deal size', 'cf_industry', 'STATUS_ID']).map((c) => c.header)).toEqual([
      'Lead ID',
      'Status',
      'Industry',
      'Deal Size',
      'Sync status',
    ]);
    expect(() => selectColumns(all, ['Shoe size'])).toThrow(
      'Unknown field "Shoe size": listFields() shows the fields you can pull.',
    );
  });
});

test('opportunity status labels that repeat across pipelines carry their pipeline', () => {
  const lookup = opportunityStatusLookup(
    [
      { id: 'stat_a1', label: 'Active', pipeline_id: 'pipe_sales' },
      { id: 'stat_a2', label: 'Active', pipeline_id: 'pipe_renewals' },
      { id: 'stat_won', label: 'Won', pipeline_id: 'pipe_sales' },
    ],
    [
      { id: 'pipe_sales', name: 'Sales' },
      { id: 'pipe_renewals', name: 'Renewals' },
    ],
  );
  expect(lookup.labels()).toEqual(['Active (Sales)', 'Active (Renewals)', 'Won']);
  expect(lookup.resolve('active (renewals)')).toBe('stat_a2');
  expect(lookup.resolve('Active')).toBeNull();
  expect(lookup.resolve('won')).toBe('stat_won');
});

test("a contact's emails are a list in one cell; an address that stays keeps its type", () => {
  const env = {
    timeZone: 'UTC',
    statuses: statusLookup([]),
    users: userLookup([]),
    opportunityStatuses: statusLookup([]),
  };
  const emails = makeCodec(contactColumns([]).find((c) => c.key === 'emails')!, env);
  const old = [{ email: 'bruce@wayne.example', type: 'home', is_unsubscribed: false }];
  expect(emails.encode(old)).toBe('bruce@wayne.example');
  const decoded = emails.decode('bruce@wayne.example; batman@cave.example');
  expect(decoded).toEqual({
    ok: true,
    value: [
      { email: 'bruce@wayne.example', type: 'office' },
      { email: 'batman@cave.example', type: 'office' },
    ],
  });
  expect(emails.reconcile!((decoded as { value: unknown }).value, old)).toEqual([
    { email: 'bruce@wayne.example', type: 'home' },
    { email: 'batman@cave.example', type: 'office' },
  ]);
  expect(emails.decode('bruce at wayne')).toEqual({
    ok: false,
    error: '"bruce at wayne" is not an email address',
  });
});
