import { makeCodec } from '../../src/core/schema/codecs';
import { leadColumns } from '../../src/core/schema/columns';
import { statusLookup, userLookup } from '../../src/core/schema/lookups';
import type { CellValue, Grid } from '../../src/core/ports';
import {
  type BoundColumn,
  computeChanges,
  DAMAGED_ROW_MESSAGE,
  requireSnapshot,
} from '../../src/core/sync/changes';
import type { SheetTable } from '../../src/core/sync/lead-sheet';
import { Snapshot } from '../../src/core/sync/snapshot';

const env = {
  timeZone: 'Europe/Berlin',
  statuses: statusLookup([
    { id: 'stat_p', label: 'Potential' },
    { id: 'stat_c', label: 'Customer' },
  ]),
  opportunityStatuses: statusLookup([]),
  users: userLookup([{ user_id: 'user_a', user_full_name: 'Ann Lee', user_email: 'ann@x.test' }]),
};
const columns = leadColumns([
  { id: 'cf_industry', name: 'Industry', type: 'choices', choices: ['Software', 'Retail'] },
  { id: 'cf_size', name: 'Deal size', type: 'number' },
  { id: 'cf_close', name: 'Close date', type: 'date' },
]);
const bound: BoundColumn[] = columns.map((column) => ({ column, codec: makeCodec(column, env) }));
const keys = ['id', 'name', 'status_id', 'custom.cf_industry', 'custom.cf_size', 'custom.cf_close', '_sync'];

/** A sheet whose columns are bound in a shuffled order, as after the rep moved them. */
function table(rows: CellValue[][], order = keys): SheetTable {
  const columnOf = new Map(order.map((k, i) => [k, i + 1]));
  return { grid: {} as Grid, header: order, rows, width: order.length, columnOf };
}

function snapshot(): Snapshot {
  const snap = new Snapshot();
  snap.set('lead_1', {
    name: 'Acme',
    status_id: 'stat_p',
    'custom.cf_industry': 'Software',
    'custom.cf_size': 1200,
    'custom.cf_close': '2024-05-01',
  });
  snap.set('lead_2', {
    name: 'Globex',
    status_id: 'stat_c',
    'custom.cf_industry': null,
    'custom.cf_size': null,
  });
  return snap;
}

// Cells as Sheets hands them back after a pull: the date as a Date at local midnight in Berlin.
const mayFirst = new Date(Date.UTC(2024, 3, 30, 22, 0, 0));
const pulledRows = (): CellValue[][] => [
  ['lead_1', 'Acme', 'Potential', 'Software', 1200, mayFirst, 'updated'],
  ['lead_2', 'Globex', 'Customer', '', '', '', ''],
];

test('a freshly pulled sheet has no changes (dates and labels round-trip)', () => {
  const changes = computeChanges(table(pulledRows()), bound, snapshot());
  expect(changes).toEqual({ updates: [], creates: [], rowErrors: [], unchangedRows: [2, 3] });
});

test('edits are found by Lead ID and field, whatever the row and column order', () => {
  const order = [
    'custom.cf_size',
    'id',
    '_sync',
    'name',
    'custom.cf_industry',
    'status_id',
    'custom.cf_close',
  ];
  const reorder = (r: CellValue[]) => order.map((k) => r[keys.indexOf(k)]);
  const rows = pulledRows().reverse().map(reorder);
  rows[1][order.indexOf('status_id')] = 'customer';
  rows[1][order.indexOf('custom.cf_size')] = '';
  rows[0][order.indexOf('custom.cf_industry')] = 'Retail';
  const changes = computeChanges(table(rows, order), bound, snapshot());
  expect(changes.updates).toEqual([
    {
      row: 2,
      leadId: 'lead_2',
      leadName: 'Globex',
      edits: [{ key: 'custom.cf_industry', header: 'Industry', old: null, value: 'Retail' }],
      problems: [],
    },
    {
      row: 3,
      leadId: 'lead_1',
      leadName: 'Acme',
      edits: [
        { key: 'status_id', header: 'Status', old: 'stat_p', value: 'stat_c' },
        { key: 'custom.cf_size', header: 'Deal size', old: 1200, value: null },
      ],
      problems: [],
    },
  ]);
});

test('invalid values are reported per field; valid edits on the same row still count', () => {
  const rows = pulledRows();
  rows[0][3] = 'Hardware';
  rows[0][4] = 1500;
  rows[0][5] = 'next week';
  const [change] = computeChanges(table(rows), bound, snapshot()).updates;
  expect(change.edits).toEqual([{ key: 'custom.cf_size', header: 'Deal size', old: 1200, value: 1500 }]);
  expect(change.problems).toEqual([
    {
      key: 'custom.cf_industry',
      header: 'Industry',
      cell: 'Hardware',
      message: '"Hardware" is not one of the choices: Software, Retail',
    },
    {
      key: 'custom.cf_close',
      header: 'Close date',
      cell: 'next week',
      message: '"next week" is not a date (use YYYY-MM-DD)',
    },
  ]);
});

test('read-only columns are never diffed', () => {
  const rows = pulledRows();
  rows[0][6] = 'I typed here';
  const t = table(rows);
  t.columnOf.set('date_created', 8);
  for (const r of rows) r.push('whatever');
  t.width = 8;
  expect(computeChanges(t, bound, snapshot()).updates).toEqual([]);
});

test('new rows with a Name become creates; nameless rows and duplicates are row errors', () => {
  const rows = pulledRows();
  rows.push(['', 'Initech', 'Customer', 'Software', 50, '', '']);
  rows.push(['', '', '', 'Retail', '', '', '']);
  rows.push(['lead_1', 'Acme copy', 'Potential', 'Software', 1200, mayFirst, '']);
  rows.push(['lead_9', 'Typed by hand', 'Potential', '', '', '', '']);
  rows.push(['', '', '', '', '', '', '']);
  const changes = computeChanges(table(rows), bound, snapshot());
  expect(changes.creates).toEqual([
    {
      row: 4,
      leadId: '',
      leadName: 'Initech',
      edits: [
        { key: 'name', header: 'Name', old: null, value: 'Initech' },
        { key: 'status_id', header: 'Status', old: null, value: 'stat_c' },
        { key: 'custom.cf_industry', header: 'Industry', old: null, value: 'Software' },
        { key: 'custom.cf_size', header: 'Deal size', old: null, value: 50 },
      ],
      problems: [],
    },
  ]);
  expect(changes.rowErrors).toEqual([
    {
      row: 2,
      leadId: 'lead_1',
      kind: 'duplicate',
      message:
        'Duplicate Lead ID (also on row 6) with different values: not pushed from any of them. Delete the copy you do not want, then push again',
    },
    { row: 5, leadId: '', message: 'No Lead ID and no Name: type a Name to create a lead' },
    {
      row: 6,
      leadId: 'lead_1',
      kind: 'duplicate',
      message:
        'Duplicate Lead ID (also on row 2) with different values: not pushed from any of them. Delete the copy you do not want, then push again',
    },
    { row: 7, leadId: 'lead_9', message: 'This Lead ID was not pulled into this sheet: pull first' },
  ]);
  expect(changes.unchangedRows).toEqual([3]);
});

test('a row copied whole (same Lead ID, same values) is pushed once, from the first row', () => {
  const rows = pulledRows();
  rows[0][2] = 'Customer';
  rows.push([...rows[0]]);
  const changes = computeChanges(table(rows), bound, snapshot());
  expect(changes.updates.map((u) => [u.row, u.leadId, u.edits.map((e) => e.key)])).toEqual([
    [2, 'lead_1', ['status_id']],
  ]);
  expect(changes.rowErrors).toEqual([
    {
      row: 4,
      leadId: 'lead_1',
      kind: 'duplicate',
      message: 'Duplicate Lead ID (also on row 2), same values: pushed once, from row 2',
    },
  ]);
});

test("a Lead ID pasted over another lead's ID: the row showing that lead whole says so; the lead's own row is a duplicate", () => {
  const rows = pulledRows();
  // Globex's row now has Acme's ID: two rows of lead_1, one of them Globex whole.
  rows[1][0] = 'lead_1';
  const changes = computeChanges(table(rows), bound, snapshot());
  expect([changes.updates, changes.creates, changes.unchangedRows]).toEqual([[], [], []]);
  expect(changes.rowErrors).toEqual([
    {
      row: 2,
      leadId: 'lead_1',
      kind: 'duplicate',
      message:
        'Duplicate Lead ID (also on row 3) with different values: not pushed from any of them. Delete the copy you do not want, then push again',
    },
    {
      row: 3,
      leadId: 'lead_1',
      kind: 'moved',
      message:
        "Looks like this row's values belong to lead lead_2 (Globex), whose ID is no longer in the sheet — this row's ID may have been pasted over. Not sent. Use Edit › Undo, or put lead_2 back in its ID cell, then push again.",
    },
  ]);
});

test('a lead pulled without a name, on a row whose Name is empty, is named by nothing', () => {
  const snap = snapshot();
  snap.set('lead_3', { name: null, status_id: 'stat_p', 'custom.cf_industry': null, 'custom.cf_size': null });
  const rows = pulledRows();
  rows.push(['lead_3', '', 'Customer', '', '', '', '']);
  const changes = computeChanges(table(rows), bound, snap);
  expect(changes.updates).toEqual([
    {
      row: 4,
      leadId: 'lead_3',
      leadName: '',
      edits: [{ key: 'status_id', header: 'Status', old: 'stat_p', value: 'stat_c' }],
      problems: [],
    },
  ]);
  expect([changes.rowErrors, changes.unchangedRows]).toEqual([[], [2, 3]]);
});

test('a pulled row cleared from its Name on (its Lead ID left) is held back; cleared but for its Name and Status, it goes', () => {
  const rows = pulledRows();
  rows[0] = ['lead_1', '', '', '', '', '', 'updated'];
  const changes = computeChanges(table(rows), bound, snapshot());
  expect(changes).toEqual({
    updates: [],
    creates: [],
    rowErrors: [
      {
        row: 2,
        leadId: 'lead_1',
        message:
          'Every value of this row was cleared, its Name too: not sent, as that would empty lead lead_1 (Acme) in Close. To take it off this sheet, delete the row (Close keeps it). To empty these fields in Close, type its Name back, push, then clear the Name',
      },
    ],
    unchangedRows: [3],
  });
  rows[0] = ['lead_1', 'Acme', 'Potential', '', '', '', 'updated'];
  const kept = computeChanges(table(rows), bound, snapshot());
  expect(kept.updates.map((u) => [u.row, u.edits.map((e) => [e.key, e.value])])).toEqual([
    [
      2,
      [
        ['custom.cf_industry', null],
        ['custom.cf_size', null],
        ['custom.cf_close', null],
      ],
    ],
  ]);
  expect(kept.rowErrors).toEqual([]);
});

test('a lead marked gone by the last pull is not pushed', () => {
  const snap = snapshot();
  snap.setField('lead_2', '__gone', true);
  const rows = pulledRows();
  rows[1][1] = 'Globex Corp';
  expect(computeChanges(table(rows), bound, snap).rowErrors).toEqual([
    {
      row: 3,
      leadId: 'lead_2',
      message: 'This lead is not in Close any more (deleted or merged): not pushed',
    },
  ]);
});

describe('cells that cannot be sent as they are', () => {
  test('a filled cell that reads as no value (separators alone) is a problem, never a cleared field', () => {
    const multi = leadColumns([
      { id: 'cf_tags', name: 'Tags', type: 'choices', choices: ['A', 'B'], accepts_multiple_values: true },
    ]);
    const withTags: BoundColumn[] = multi.map((column) => ({ column, codec: makeCodec(column, env) }));
    const snap = new Snapshot();
    snap.set('lead_1', { name: 'Acme', status_id: 'stat_p', 'custom.cf_tags': ['A'] });
    const order = ['id', 'name', 'status_id', 'custom.cf_tags', '_sync'];
    const changes = computeChanges(
      table([['lead_1', 'Acme', 'Potential', ' ; ', '']], order),
      withTags,
      snap,
    );
    expect(changes.updates).toEqual([
      {
        row: 2,
        leadId: 'lead_1',
        leadName: 'Acme',
        edits: [],
        problems: [
          {
            key: 'custom.cf_tags',
            header: 'Tags',
            cell: ' ; ',
            message: '" ; " could not be read as a value for this column',
          },
        ],
      },
    ]);
  });

  test('a column whose field changed type in Close says why, and only for the cells the rep changed', () => {
    const blocked = bound.map((b) =>
      b.column.key === 'custom.cf_size'
        ? { ...b, column: { ...b.column, blocked: 'Deal size is no longer a number in Close: pull first' } }
        : b,
    );
    const rows = pulledRows();
    rows[1][4] = 7;
    const changes = computeChanges(table(rows), blocked, snapshot());
    expect(changes.updates).toEqual([
      {
        row: 3,
        leadId: 'lead_2',
        leadName: 'Globex',
        edits: [],
        problems: [
          {
            key: 'custom.cf_size',
            header: 'Deal size',
            cell: '7',
            message: 'Deal size is no longer a number in Close: pull first',
          },
        ],
      },
    ]);
    expect(changes.unchangedRows).toEqual([2]);
  });

  test('a Close value too long for a cell is shown cut, and an edit of it is refused', () => {
    const snap = snapshot();
    const long = 'x'.repeat(60_000);
    snap.setField('lead_2', 'name', long);
    const rows = pulledRows();
    rows[1][1] = makeCodec(columns.find((c) => c.key === 'name')!, env).encode(long);
    expect(computeChanges(table(rows), bound, snap).unchangedRows).toEqual([2, 3]);
    rows[1][1] = 'Globex';
    const changes = computeChanges(table(rows), bound, snap);
    expect(changes.updates).toEqual([
      {
        row: 3,
        leadId: 'lead_2',
        leadName: 'Globex',
        edits: [],
        problems: [
          {
            key: 'name',
            header: 'Name',
            cell: 'Globex',
            message: 'The Close value is too long for a cell; edit it in Close',
          },
        ],
      },
    ]);
  });

  test('a date typed into a number column is quoted as the instant Sheets holds', () => {
    const rows = pulledRows();
    rows[0][4] = new Date(Date.UTC(2024, 0, 2, 23));
    const [change] = computeChanges(table(rows), bound, snapshot()).updates;
    expect(change.problems).toEqual([
      {
        key: 'custom.cf_size',
        header: 'Deal size',
        cell: '2024-01-02T23:00:00.000Z',
        message: '"2024-01-02T23:00:00.000Z" is not a number',
      },
    ]);
  });
});

describe('cells typed another way than pulled', () => {
  test('the same value typed differently is no edit; spaces in a number cell clear the field', () => {
    const rows = pulledRows();
    rows[0][4] = ' 1,200 ';
    rows[0][3] = 'software';
    expect(computeChanges(table(rows), bound, snapshot()).unchangedRows).toEqual([2, 3]);
    rows[0][4] = '   ';
    expect(computeChanges(table(rows), bound, snapshot()).updates).toEqual([
      {
        row: 2,
        leadId: 'lead_1',
        leadName: 'Acme',
        edits: [{ key: 'custom.cf_size', header: 'Deal size', old: 1200, value: null }],
        problems: [],
      },
    ]);
  });

  test('values typed into a multi-value cell are one edit of the list', () => {
    const multi = leadColumns([
      { id: 'cf_tags', name: 'Tags', type: 'choices', choices: ['A', 'B'], accepts_multiple_values: true },
    ]);
    const withTags: BoundColumn[] = multi.map((column) => ({ column, codec: makeCodec(column, env) }));
    const snap = new Snapshot();
    snap.set('lead_1', { name: 'Acme', status_id: 'stat_p', 'custom.cf_tags': ['A'] });
    const order = ['id', 'name', 'status_id', 'custom.cf_tags', '_sync'];
    const changes = computeChanges(
      table([['lead_1', 'Acme', 'Potential', 'A; B', '']], order),
      withTags,
      snap,
    );
    expect(changes.updates.map((u) => u.edits)).toEqual([
      [{ key: 'custom.cf_tags', header: 'Tags', old: ['A'], value: ['A', 'B'] }],
    ]);
  });

  test('a new row with an invalid value is created with the problem named, and no empty entries', () => {
    const rows = pulledRows();
    rows.push(['', 'Initech', 'Customer', '', 'lots', '', '']);
    const changes = computeChanges(table(rows), bound, snapshot());
    expect(changes.creates).toStrictEqual([
      {
        row: 4,
        leadId: '',
        leadName: 'Initech',
        edits: [
          { key: 'name', header: 'Name', old: null, value: 'Initech' },
          { key: 'status_id', header: 'Status', old: null, value: 'stat_c' },
        ],
        problems: [
          { key: 'custom.cf_size', header: 'Deal size', cell: 'lots', message: '"lots" is not a number' },
        ],
      },
    ]);
  });
});

describe('rows that are not pushed', () => {
  test('on a sheet that creates nothing (opportunities), a new row says where to add it', () => {
    const rows = pulledRows();
    rows.push(['', 'Initech', 'Customer', '', '', '', '']);
    const changes = computeChanges(table(rows), bound, snapshot(), { noun: 'opportunity', allowed: false });
    expect(changes.creates).toEqual([]);
    expect(changes.rowErrors).toEqual([
      {
        row: 4,
        leadId: '',
        message:
          'New opportunity rows are not created from this sheet: add the opportunity to its lead in Close, then pull',
      },
    ]);
  });

  test('a row whose snapshot record is damaged is held back with what to do; the others go on', () => {
    const snap = snapshot();
    snap.load('lead_3', '{"name": "Hooli", broken', 'g1', 4);
    const rows = pulledRows();
    rows[0][2] = 'Customer';
    rows.push(['lead_3', 'Hooli', 'Potential', '', '', '', '']);
    const changes = computeChanges(table(rows), bound, snap);
    expect(changes.rowErrors).toEqual([{ row: 4, leadId: 'lead_3', message: DAMAGED_ROW_MESSAGE }]);
    expect(changes.updates.map((u) => u.leadId)).toEqual(['lead_1']);
  });

  test('a Lead ID on four rows with different values names the other three on each', () => {
    const rows = pulledRows();
    rows.push(['lead_2', 'Globex', 'Potential', '', '', '', '']);
    rows.push(['lead_2', 'Globex', 'Customer', 'Retail', '', '', '']);
    rows.push(['lead_2', 'Globex', 'Customer', 'Software', '', '', '']);
    const changes = computeChanges(table(rows), bound, snapshot());
    const message = (others: string) =>
      `Duplicate Lead ID (also on rows ${others}) with different values: not pushed from any of them. Delete the copy you do not want, then push again`;
    expect(changes.rowErrors.map((e) => [e.row, e.kind, e.message])).toEqual([
      [3, 'duplicate', message('4, 5 and 6')],
      [4, 'duplicate', message('3, 5 and 6')],
      [5, 'duplicate', message('3, 4 and 6')],
      [6, 'duplicate', message('3, 4 and 5')],
    ]);
    expect(changes.updates).toEqual([]);
  });

  test('two rows of one Lead ID that differ only in the Name are not pushed from either', () => {
    const rows = pulledRows();
    rows.push(['lead_2', 'Globex Inc', 'Customer', '', '', '', '']);
    const changes = computeChanges(table(rows), bound, snapshot());
    expect(changes.rowErrors.map((e) => [e.row, e.kind])).toEqual([
      [3, 'duplicate'],
      [4, 'duplicate'],
    ]);
    expect(changes.updates).toEqual([]);
  });

  test('a row with only spaces as its Name and no Lead ID creates nothing', () => {
    const rows = pulledRows();
    rows.push(['', '   ', 'Customer', '', '', '', '']);
    const changes = computeChanges(table(rows), bound, snapshot());
    expect(changes.creates).toEqual([]);
    expect(changes.rowErrors).toEqual([
      { row: 4, leadId: '', message: 'No Lead ID and no Name: type a Name to create a lead' },
    ]);
  });

  test("a row whose Name was emptied is still named by the lead's pulled name", () => {
    const rows = pulledRows();
    rows[0][1] = '';
    rows[0][2] = 'Customer';
    const [change] = computeChanges(table(rows), bound, snapshot()).updates;
    expect(change.leadName).toBe('Acme');
  });
});

describe('a sheet without its snapshot', () => {
  test('pulled rows and no snapshot: nothing is pushed, and the rep is told to pull first', () => {
    expect(() => requireSnapshot('Leads', table(pulledRows()), new Snapshot())).toThrow(
      'Close Sync has no record of what was pulled into "Leads" (its hidden snapshot sheet was deleted, or "Leads" is a copy of another sheet), so it cannot tell your edits from older values and pushes nothing. Pull into "Leads" first: the pull keeps every cell that differs from Close and marks its row in Sync status. Check those cells, then push.',
    );
  });
  test('a sheet of new rows only, or with its snapshot, can be pushed', () => {
    expect(() =>
      requireSnapshot('Leads', table([['', 'Initech', '', '', '', '', '']]), new Snapshot()),
    ).not.toThrow();
    expect(() => requireSnapshot('Leads', table(pulledRows()), snapshot())).not.toThrow();
    const mixed = [['', 'Initech', '', '', '', '', ''], ...pulledRows()];
    expect(() => requireSnapshot('Leads', table(mixed), new Snapshot())).toThrow(/^Close Sync has no record/);
  });
});
