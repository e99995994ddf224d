// The row guards' rules (row-guards.ts), one by one, and the ordinary edits they must let through.
import { makeCodec } from '../../src/core/schema/codecs';
import { leadColumns } from '../../src/core/schema/columns';
import { statusLookup, userLookup } from '../../src/core/schema/lookups';
import type { CellValue, Grid } from '../../src/core/ports';
import { type BoundColumn, computeChanges } from '../../src/core/sync/changes';
import type { SheetTable } from '../../src/core/sync/lead-sheet';
import { Snapshot } from '../../src/core/sync/snapshot';

const env = {
  timeZone: 'UTC',
  statuses: statusLookup([
    { id: 'stat_p', label: 'Potential' },
    { id: 'stat_q', label: 'Qualified' },
    { id: 'stat_c', label: 'Customer' },
  ]),
  opportunityStatuses: statusLookup([]),
  users: userLookup([]),
};
const columns = leadColumns([
  { id: 'cf_industry', name: 'Industry', type: 'choices', choices: ['Software', 'Retail', 'Health'] },
  { id: 'cf_size', name: 'Size', type: 'number' },
]);
const bound: BoundColumn[] = columns.map((column) => ({ column, codec: makeCodec(column, env) }));
const keys = ['id', 'name', 'status_id', 'description', 'custom.cf_industry', 'custom.cf_size'];

const LEADS: Array<[string, string, string, string, string, number]> = [
  ['lead_a', 'Acme', 'Potential', 'Anvils', 'Retail', 10],
  ['lead_b', 'Bolt', 'Qualified', 'Screws', 'Software', 20],
  ['lead_c', 'Cogs', 'Customer', 'Gears', 'Health', 30],
  ['lead_d', 'Dyno', 'Potential', 'Engines', 'Software', 40],
];
const STATUS_ID: Record<string, string> = { Potential: 'stat_p', Qualified: 'stat_q', Customer: 'stat_c' };

function snapshot(): Snapshot {
  const snap = new Snapshot();
  for (const [id, name, status, description, industry, size] of LEADS)
    snap.set(id, {
      name,
      status_id: STATUS_ID[status],
      description,
      url: null,
      'custom.cf_industry': industry,
      'custom.cf_size': size,
    });
  return snap;
}

function table(rows: CellValue[][]): SheetTable {
  const columnOf = new Map(keys.map((k, i) => [k, i + 1]));
  return { grid: {} as Grid, header: keys, rows, width: keys.length, columnOf };
}

const pulledRows = (): CellValue[][] => LEADS.map((l) => [...l]);
const run = (rows: CellValue[][]) => computeChanges(table(rows), bound, snapshot());
const moved = (rows: CellValue[][]) =>
  run(rows)
    .rowErrors.filter((e) => e.kind === 'moved' || e.kind === 'cleared-id')
    .map((e) => [e.row, e.leadId]);

test('A: a row showing another lead whole (a sort of the values without their IDs) is held back', () => {
  const rows = pulledRows();
  // Values of rows 2 and 3 swapped, IDs left in place.
  [rows[0], rows[1]] = [
    ['lead_a', ...rows[1].slice(1)],
    ['lead_b', ...rows[0].slice(1)],
  ];
  const changes = run(rows);
  expect(changes.updates).toEqual([]);
  expect(changes.rowErrors.map((e) => [e.row, e.leadId, e.kind])).toEqual([
    [2, 'lead_a', 'moved'],
    [3, 'lead_b', 'moved'],
  ]);
  expect(changes.rowErrors[0].message).toBe(
    "Looks like this row's values belong to lead lead_b (Bolt) — the sheet may have been sorted or pasted without its ID column. Not sent. Use Edit › Undo to put the rows back (sort with Data › Sort sheet, so each row keeps its ID), then push again.",
  );
});

test('A: still recognised with an unpushed edit of the other lead carried along', () => {
  const rows = pulledRows();
  rows[1][3] = 'Screws and bolts';
  [rows[0], rows[1]] = [
    ['lead_a', ...rows[1].slice(1)],
    ['lead_b', ...rows[0].slice(1)],
  ];
  expect(moved(rows)).toEqual([
    [2, 'lead_a'],
    [3, 'lead_b'],
  ]);
});

test('B: names permuted among rows whose other values barely differ', () => {
  const snap = new Snapshot();
  for (const [id, name] of [
    ['lead_a', 'Acme'],
    ['lead_b', 'Bolt'],
    ['lead_c', 'Cogs'],
  ])
    snap.set(id, { name, status_id: 'stat_p', description: null, url: null });
  const rows: CellValue[][] = [
    ['lead_a', 'Bolt', 'Potential', '', '', ''],
    ['lead_b', 'Cogs', 'Potential', '', '', ''],
    ['lead_c', 'Acme', 'Potential', '', '', ''],
  ];
  const changes = computeChanges(table(rows), bound, snap);
  expect(changes.updates).toEqual([]);
  expect(changes.rowErrors.map((e) => [e.row, e.kind])).toEqual([
    [2, 'moved'],
    [3, 'moved'],
    [4, 'moved'],
  ]);
});

test('C: a row whose every pulled value was replaced (a new row sorted into its place) is held back', () => {
  const rows = pulledRows();
  rows[2] = ['lead_c', 'Zeta Labs', 'Qualified', 'Lasers', 'Software', 99];
  const changes = run(rows);
  expect(changes.rowErrors.map((e) => [e.row, e.kind])).toEqual([[4, 'moved']]);
  expect(changes.rowErrors[0].message).toBe(
    'Every field of this row differs from what was pulled for lead lead_c (Cogs): its values may belong to another lead (a sort or a paste without the ID column). Not sent. Use Edit › Undo to put the rows back; if you did mean to change every field, push some of them first and the rest after.',
  );
});

test('a pulled row whose ID was cleared is not created again', () => {
  const rows = pulledRows();
  rows[3][0] = '';
  const changes = run(rows);
  expect(changes.creates).toEqual([]);
  expect(changes.rowErrors).toEqual([
    {
      row: 5,
      leadId: '',
      kind: 'cleared-id',
      message:
        'This row was pulled as lead lead_d (Dyno) and its ID was cleared: not created again. Put lead_d back in its ID cell (or use Edit › Undo), then push again.',
    },
  ]);
});

test('ordinary edits pass: three fields, a retyped name, a new name, a rename to a new lead name', () => {
  const rows = pulledRows();
  // Three fields of Acme.
  rows[0][2] = 'Qualified';
  rows[0][3] = 'Anvils and hammers';
  rows[0][5] = 11;
  // Bolt's name retyped.
  rows[1][1] = 'BOLT';
  // Cogs renamed and requalified, its description cleared.
  rows[2][1] = 'Cogs & Wheels';
  rows[2][2] = 'Qualified';
  rows[2][3] = '';
  rows[2][4] = 'Software';
  // A new row that shares a name with a lead still on its own row: a new lead.
  rows.push(['', 'Acme', 'Potential', '', '', '']);
  const changes = run(rows);
  expect(changes.rowErrors).toEqual([]);
  expect(changes.updates.map((u) => u.leadId)).toEqual(['lead_a', 'lead_b', 'lead_c']);
  expect(changes.creates.map((c) => c.leadName)).toEqual(['Acme']);
});

test("a lead renamed to another lead's name with one more field is an edit; with its values it is not", () => {
  const rows = pulledRows();
  rows[3][1] = 'Acme';
  rows[3][2] = 'Customer';
  expect(moved(rows)).toEqual([]);
  rows[3][2] = 'Potential';
  rows[3][3] = 'Anvils';
  rows[3][4] = 'Retail';
  expect(moved(rows)).toEqual([[5, 'lead_d']]);
});
