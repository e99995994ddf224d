// undo-writes.ts: where an undo of the last push would write, for its protection check — the restored
// fields' columns and Sync status over the rows of the leads it undoes (counted from a header that may
// sit below a title), and the push log's Undone column over the push's rows.
import type { CellValue } from '../../src/core/ports';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../../src/core/schema/columns';
import type { LockedArea } from '../../src/core/sync/locked-areas';
import type { LoggedField, LoggedPush } from '../../src/core/sync/push-log';
import { lockedUndoneMarks, undoSheetWrites } from '../../src/core/sync/undo-writes';

const field = (row: number, leadId: string, key: string, more: Partial<LoggedField> = {}): LoggedField => ({
  pushId: 'p1',
  user: 'rep@example.com',
  sheetName: 'Leads',
  leadId,
  leadName: leadId,
  key,
  header: key,
  before: null,
  after: null,
  object: 'lead',
  row,
  unreadable: false,
  undone: '',
  undoneCell: '',
  ...more,
});

const push = (fields: LoggedField[]): LoggedPush => ({
  pushId: 'p1',
  at: 0,
  user: 'rep@example.com',
  sheetName: 'Leads',
  firstRow: fields[0].row,
  fields,
});

/** A sheet whose header is on row 3 (a title above it): data rows hold these Lead IDs. */
function grid(ids: string[]) {
  const reads: Array<[number, number, number, number]> = [];
  let header = 1;
  return {
    reads,
    header: () => header,
    setHeaderRow: (row: number) => {
      header = row;
    },
    lastRow: () => ids.length + 1,
    read: (row: number, column: number, rows: number, columns: number): CellValue[][] => {
      reads.push([row, column, rows, columns]);
      return ids.slice(row - 2, row - 2 + rows).map((id) => [id]);
    },
  };
}

const managed = [
  { column: 1, key: LEAD_ID_KEY },
  { column: 3, key: 'industry' },
  { column: 4, key: 'employees' },
  { column: 5, key: SYNC_STATUS_KEY },
];

test("the restored fields' columns and Sync status, from the first to the last row of the leads undone", () => {
  const g = grid(['lead_a', ' lead_b ', 'lead_c', 'lead_b', 'lead_d']);
  const fields = [
    field(20, 'lead_c', 'employees'),
    field(21, 'lead_b', 'employees'),
    // Undone already: not written again.
    field(22, 'lead_a', 'industry', { undone: 'restored by …' }),
    // A created lead: no value, no status.
    field(23, 'lead_d', ''),
    // Not kept in the log: nothing restored, a status said.
    field(24, 'lead_a', 'industry', { unreadable: true }),
  ];
  const spans = undoSheetWrites(push(fields), g, 'lead', managed, 3);
  expect(g.header()).toBe(3);
  expect(g.reads).toEqual([[2, 1, 5, 1]]);
  // Data row i is sheet row 4 + i: lead_a 4, lead_b 5 (its first row), lead_c 6.
  expect([...spans]).toEqual([
    [4, [5, 6]],
    [5, [4, 6]],
  ]);
});

test('fields of another kind restore nothing but get a status; without a Lead ID column nothing is read', () => {
  const g = grid(['lead_a', 'lead_b']);
  const fields = [field(2, 'lead_b', 'employees', { object: 'contact' })];
  expect([...undoSheetWrites(push(fields), g, 'lead', managed, 1)]).toEqual([[5, [3, 3]]]);
  const none = grid(['lead_a']);
  expect([...undoSheetWrites(push(fields), none, 'lead', managed.slice(1), 1)]).toEqual([]);
  expect(none.reads).toEqual([]);
});

test("the push log's protections met: over the Undone column's rows of the fields not undone, or the whole sheet", () => {
  const fields = [
    field(10, 'lead_a', 'employees', { undone: 'restored by …' }),
    field(11, 'lead_b', 'employees'),
    field(12, 'lead_c', 'employees'),
  ];
  const area = (a1: string, rows: [number, number] | null, columns: [number, number] | null): LockedArea => ({
    a1,
    description: '',
    rows,
    columns,
  });
  const areas = [
    area('K1:K10', [1, 10], [11, 11]),
    area('K12', [12, 12], [11, 11]),
    area('A1:J1000', [1, 1000], [1, 10]),
    area('L1:L1000', [1, 1000], [12, 12]),
    area('Close Sync Push Log', null, null),
  ];
  expect(lockedUndoneMarks(push(fields), areas).map((a) => a.a1)).toEqual(['K12', 'Close Sync Push Log']);
  expect(lockedUndoneMarks(push(fields.slice(0, 1)), areas)).toEqual([]);
});
