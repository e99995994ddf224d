// Where each row of a sheet read before Close answered is in the sheet read after (lead-sheet.ts
// rowFinder): by Lead ID, a new row by its Name, rows sharing those by their bound cells, then order.
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../../src/core/schema/columns';
import type { CellValue } from '../../src/core/ports';
import { rowFinder, type SheetTable } from '../../src/core/sync/lead-sheet';

const columnOf = new Map([
  [LEAD_ID_KEY, 1],
  ['name', 2],
  ['custom.cf_day', 3],
  [SYNC_STATUS_KEY, 4],
]);

const table = (rows: CellValue[][]): SheetTable => ({
  grid: null as never,
  header: ['Lead ID', 'Name', 'Day', 'Sync status'],
  rows,
  width: 4,
  columnOf,
});

/** Sheet row (1-based) of `before` → 0-based row of `after`, for every data row of `before`. */
const where = (before: SheetTable, after: SheetTable) => {
  const find = rowFinder(before, after);
  return before.rows.map((_, i) => find(i + 2));
};

const day = (d: number) => new Date(Date.UTC(2026, 10, d, 5));

test('new rows of one Name are told apart by their cells (a Date by its instant), then by order; Sync status is no part of them', () => {
  const before = table([
    ['lead_1', 'Globex', day(1), ''],
    ['', 'Acme', day(2), ''],
    ['', 'Acme', day(3), ''],
    ['', 'Acme', day(3), ''],
  ]);
  // Sorted by Day descending, statuses written meanwhile: each row by its Day, the two alike in order.
  const after = table([
    ['', 'Acme', day(3), 'creating…'],
    ['', 'Acme', day(3), 'creating…'],
    ['', 'Acme', day(2), 'creating…'],
    ['lead_1', 'Globex', day(1), 'updated'],
  ]);
  expect(where(before, after)).toEqual([3, 2, 0, 1]);
});

test('of rows sharing a Name, one deleted is gone, one changed is found only when it is the one row left on both sides', () => {
  const before = table([
    ['', 'Acme', day(2), ''],
    ['', 'Acme', day(3), ''],
    ['', 'Acme', day(4), ''],
  ]);
  // The first deleted: the others by their cells; the first is gone (never the row showing the second).
  expect(
    where(
      before,
      table([
        ['', 'Acme', day(3), ''],
        ['', 'Acme', day(4), ''],
      ]),
    ),
  ).toEqual([undefined, 0, 1]);
  // The first changed: the one row left on each side.
  expect(
    where(
      before,
      table([
        ['', 'Acme', day(9), ''],
        ['', 'Acme', day(3), ''],
        ['', 'Acme', day(4), ''],
      ]),
    ),
  ).toEqual([0, 1, 2]);
  // The first two changed: which is which, nothing tells.
  expect(
    where(
      before,
      table([
        ['', 'Acme', day(8), ''],
        ['', 'Acme', day(9), ''],
        ['', 'Acme', day(4), ''],
      ]),
    ),
  ).toEqual([undefined, undefined, 2]);
});
