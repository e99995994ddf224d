// Pull what the rep works on: Smart Views, queries, chosen fields — saved per sheet and re-run.
import { SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { READ_ONLY_TAIL, sent, sheetIds, view } from './sheet';

const idsIn = (w: World, sheet: string) => sheetIds(w, sheet);
const leadsWhere = (w: World, keep: (l: Record<string, unknown>) => boolean) =>
  [...w.close.leads.values()].filter(keep).map((l) => l.id);

test('listSmartViews lists the lead Smart Views by name', () => {
  const w = connectedWorld();
  expect(w.app.listSmartViews().map((v: { name: string }) => v.name)).toEqual(
    w.close.org.savedSearches.filter((v) => v.type === 'lead').map((v) => v.name),
  );
});

test("a Smart View pull holds exactly the view's leads, through the search API, and is remembered", () => {
  const w = connectedWorld();
  const view = w.close.org.savedSearches.find((v) => v.name === 'Potential leads')!;
  const potential = w.close.org.leadStatuses.find((s) => s.label === 'Potential')!.id;
  const summary = w.app.pullLeads({ sheetName: 'Potential', smartViewId: view.id });
  expect(summary).toMatchObject({ done: true, sheetName: 'Potential' });
  const expected = leadsWhere(w, (l) => l.status_id === potential);
  expect(expected.length).toBeGreaterThan(10);
  expect(new Set(idsIn(w, 'Potential'))).toEqual(new Set(expected));
  expect(idsIn(w, 'Potential')).toHaveLength(expected.length);
  const searches = sent(w, 'POST').filter((r) => r.path === '/data/search/');
  expect(searches[0].body).toMatchObject({
    query: { type: 'saved_search', saved_search_id: view.id },
    _limit: 200,
    include_counts: true,
  });
  // GET /lead/?smart_view_id= would ignore the view's filter; it is never used.
  expect(sent(w, 'GET').some((r) => r.path.includes('smart_view_id'))).toBe(false);
  expect(w.app.getPullDefinition('Potential')).toMatchObject({
    kind: 'lead',
    source: { type: 'smart_view', id: view.id },
    fields: null,
  });

  // A colleague qualifies one of them; the refresh re-runs the view and marks it gone from the view.
  const leaving = expected[0];
  w.close.touchLead(leaving, {
    status_id: w.close.org.leadStatuses.find((s) => s.label === 'Qualified')!.id,
  });
  w.runtime.requests.length = 0;
  expect(w.app.pullLeads({ sheetName: 'Potential' })).toMatchObject({ done: true, gone: 1 });
  expect(sent(w, 'POST')[0].body).toMatchObject({
    query: { type: 'saved_search', saved_search_id: view.id },
  });
  expect(view.name).toBe('Potential leads');
});

test('a search-bar query narrows the leads; a JSON query from Close filters goes to the search API', () => {
  const w = connectedWorld();
  const qualified = w.close.org.leadStatuses.find((s) => s.label === 'Qualified')!.id;
  w.app.pullLeads({ sheetName: 'Qualified', query: 'status:"Qualified"' });
  expect(new Set(idsIn(w, 'Qualified'))).toEqual(new Set(leadsWhere(w, (l) => l.status_id === qualified)));
  // (The first count, sent when the key was connected, is of every lead.)
  const pages = sent(w, 'GET').filter((r) => r.path.startsWith('/lead/?'));
  expect(new URL(`https://x${pages.at(-1)!.path}`).searchParams.get('query')).toBe(
    'status:"Qualified" sort:created',
  );

  const json = JSON.stringify({
    query: {
      type: 'and',
      queries: [
        { type: 'object_type', object_type: 'lead' },
        {
          type: 'field_condition',
          field: { type: 'custom_field', custom_field_id: SAMPLE_FIELDS.industry },
          condition: { type: 'term', values: ['Software'] },
        },
      ],
    },
  });
  w.app.pullLeads({ sheetName: 'Software', query: json });
  expect(new Set(idsIn(w, 'Software'))).toEqual(
    new Set(leadsWhere(w, (l) => l[`custom.${SAMPLE_FIELDS.industry}`] === 'Software')),
  );
  expect(() => w.app.pullLeads({ sheetName: 'Bad', query: '{"query": ' })).toThrow(
    "The query looks like JSON but is not valid JSON: copy it again from Close's filters.",
  );
});

test('a field subset shows and requests only those fields (by name, key or id), and is remembered', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Industry', 'status_id', SAMPLE_FIELDS.employees, 'contact email'] });
  expect(view(w).header).toEqual([
    'Lead ID',
    'Status',
    'Industry',
    'Employees',
    'Contact email',
    'Sync status',
  ]);
  const pages = sent(w, 'GET').filter(
    (r) => r.path.startsWith('/lead/?') && new URL(`https://x${r.path}`).searchParams.get('_limit') !== '1',
  );
  const fields = new URL(`https://x${pages[0].path}`).searchParams.get('_fields')!.split(',');
  expect(fields.sort()).toEqual(
    [
      'id',
      'status_id',
      'contacts',
      `custom.${SAMPLE_FIELDS.industry}`,
      `custom.${SAMPLE_FIELDS.employees}`,
      'date_created',
    ].sort(),
  );
  w.runtime.requests.length = 0;
  w.app.pullLeads({});
  expect(view(w).header).toEqual([
    'Lead ID',
    'Status',
    'Industry',
    'Employees',
    'Contact email',
    'Sync status',
  ]);
  expect(() => w.app.pullLeads({ fields: ['Shoe size'] })).toThrow(
    'Unknown field "Shoe size": listFields() shows the fields you can pull.',
  );
  const groups = w.app.listFields();
  expect(groups.chosen).toEqual(['Industry', 'status_id', SAMPLE_FIELDS.employees, 'contact email']);
  expect(groups.standard.map((f: { name: string }) => f.name)).toEqual([
    'Name',
    'Status',
    'Description',
    'URL',
    'Created',
    'Updated',
  ]);
  expect(groups.related.map((f: { name: string }) => f.name)).toEqual([
    'Primary contact',
    'Contact email',
    'Contact phone',
    'Opportunities',
    'Opportunity value',
  ]);
  expect(groups.custom.choices.map((f: { name: string }) => f.name)).toEqual(['Industry']);
  expect(groups.custom['choices (multiple)'].map((f: { name: string }) => f.name)).toEqual([
    'Product Interest',
  ]);
});

test('editable choice-like columns get dropdowns of Close choices, statuses and users; read-only columns are protected', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const v = view(w);
  const rule = (header: string) => book.cellInfo('Close Leads', [2, v.col(header)]).validation;
  expect(rule('Status')).toMatchObject({
    criteria: 'VALUE_IN_LIST',
    // requireValueInList(values, showDropdown): the fake records the builder's arguments.
    values: [w.close.org.leadStatuses.map((s) => s.label), true],
    allowInvalid: true,
  });
  expect(rule('Industry')).toMatchObject({
    values: [w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.choices, true],
  });
  expect((rule('Account Owner') as { values: string[][] }).values[0]).toContain('John Doe');
  expect(rule('Product Interest')).toBeNull();
  expect(rule('Name')).toBeNull();
  // Copied down to the last row.
  expect(book.cellInfo('Close Leads', [v.rows.length, v.col('Industry')]).validation).toEqual(
    rule('Industry'),
  );
  expect(book.cellInfo('Close Leads', [v.rows.length, v.col('Name')]).validation).toBeNull();
  // The Lead ID (column A), and the read-only columns and Sync status side by side after the editable
  // ones: warned, not blocked, in two protected ranges.
  const protections = book.protections
    .filter((p) => p.sheet.name === 'Close Leads')
    .map((p) => ({ cols: p.cols, warningOnly: p.warningOnly }));
  expect(protections).toEqual([
    { cols: [0, 1], warningOnly: true },
    { cols: [v.col('Created') - 1, v.col('Sync status')], warningOnly: true },
  ]);
  // Why they are read-only is said in their header notes.
  expect(book.cellInfo('Close Leads', [1, v.col('Updated')]).note).toContain(
    'Filled from Close on every pull and never pushed',
  );
  expect(book.cellInfo('Close Leads', [5, v.col('Updated')]).fontColor).toBe('#5f6368');
  expect(v.header[0]).toBe('Lead ID');
  expect(v.header.slice(v.col('Created') - 1)).toEqual(READ_ONLY_TAIL);
  expect(view(w).cell(WAYNE_LEAD_ID, 'Status')).toBe('Potential');
});

test("a re-pull with more fields than the sheet's last pull asks for its first pages again, with them", () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Industry'] });
  const before = w.runtime.requests.length;
  const waves = w.runtime.stats.fetchAllCalls;
  expect(w.app.pullLeads({ fields: ['Industry', 'Employees'] })).toMatchObject({ done: true, added: 0 });
  const pages = w.runtime.requests
    .slice(before)
    .filter((r) => r.method === 'GET' && /\/lead\/\?.*_skip=0/.test(r.url))
    .map((r) => new URL(r.url).searchParams.get('_fields')!.split(','));
  // First with the last pull's fields (in the schema's wave), then again with Employees.
  expect(pages).toHaveLength(2);
  expect(pages[0]).not.toContain(`custom.${SAMPLE_FIELDS.employees}`);
  expect(pages[1]).toContain(`custom.${SAMPLE_FIELDS.employees}`);
  expect(w.runtime.stats.fetchAllCalls - waves).toBe(2);
  const v = view(w);
  expect(v.cell(WAYNE_LEAD_ID, 'Employees')).toBe(
    w.close.leads.get(WAYNE_LEAD_ID)![`custom.${SAMPLE_FIELDS.employees}`] ?? '',
  );
});
