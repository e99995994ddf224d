// fillCreatedValues writes Close's values for a created lead only into the row that still holds that
// lead: the rep may insert or delete a row between the push's read of the results and this write.
import type { Lead } from '../../src/core/close/types';
import type { CellValue } from '../../src/core/ports';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../../src/core/schema/columns';
import type { SyncContext } from '../../src/core/sync/context';
import { fillCreatedValues } from '../../src/core/sync/created-values';

/** A sheet as rows (row 1 the header), with the three grid calls fillCreatedValues makes. */
const gridOf = (rows: CellValue[][]) => ({
  rows,
  read: (row: number, column: number, count: number, width: number) =>
    rows.slice(row - 1, row - 1 + count).map((r) => r.slice(column - 1, column - 1 + width)),
  formulas: (row: number, column: number, count: number, width: number) =>
    rows.slice(row - 1, row - 1 + count).map((r) => r.slice(column - 1, column - 1 + width).map(() => '')),
  write: (row: number, column: number, values: CellValue[][]) =>
    values.forEach((line, i) => {
      rows[row - 1 + i].splice(column - 1, line.length, ...line);
    }),
});

// Lead ID, Name, Status, Sync status.
const columnOf = new Map([
  [LEAD_ID_KEY, 1],
  ['name', 2],
  ['status', 3],
  [SYNC_STATUS_KEY, 4],
]);
const ctx = {
  columns: [LEAD_ID_KEY, 'name', 'status', SYNC_STATUS_KEY].map((key) => ({
    key,
    extract: (lead: Lead) =>
      (lead as unknown as Record<string, unknown>)[key === 'status' ? 'status_label' : key],
  })),
  byKey: new Map(['name', 'status'].map((key) => [key, { codec: { encode: (v: unknown) => v ?? '' } }])),
} as unknown as SyncContext;
const lead = { id: 'lead_new', name: 'Initech', status_label: 'Potential' } as unknown as Lead;

test("a created lead's empty Status is filled in its own row", () => {
  const grid = gridOf([
    ['Lead ID', 'Name', 'Status', 'Sync status'],
    ['lead_new', 'Initech', '', 'created'],
  ]);
  expect(fillCreatedValues(grid, columnOf, ctx, [{ index: 0, lead }])).toBe(1);
  expect(grid.rows[1]).toEqual(['lead_new', 'Initech', 'Potential', 'created']);
});

test('a row inserted above the created one since the results were read: nothing is written into it', () => {
  const grid = gridOf([
    ['Lead ID', 'Name', 'Status', 'Sync status'],
    ['', '', '', ''],
    ['lead_new', 'Initech', '', 'created'],
  ]);
  expect(fillCreatedValues(grid, columnOf, ctx, [{ index: 0, lead }])).toBe(0);
  expect(grid.rows).toEqual([
    ['Lead ID', 'Name', 'Status', 'Sync status'],
    ['', '', '', ''],
    ['lead_new', 'Initech', '', 'created'],
  ]);
});
