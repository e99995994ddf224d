// How the hidden snapshot is laid out and read (format 4): a lead's ID and values share the first cell,
// its generation the second, so a refresh (readSnapshot without generations) reads one column — and the
// third column on only for the rows that go on there: rows of the older formats (the ID alone in the
// first cell, the values from the third), an older header, a row longer than a cell.
import type { CellValue } from '../../src/core/ports';
import { readSnapshot, Snapshot, snapshotSheetName, writeSnapshot } from '../../src/core/sync/snapshot';
import { memoryWorkbook } from './memory-workbook';

const SHEET = 'Close Leads';
const SNAP = snapshotSheetName(SHEET);

/** Every read of the snapshot sheet: [row, column, rows, columns]. */
function readsOf(book: ReturnType<typeof memoryWorkbook>) {
  const grid = book.grid(SNAP);
  const reads: number[][] = [];
  const read = grid.read.bind(grid);
  grid.read = (row, column, rows, columns) => {
    reads.push([row, column, rows, columns]);
    return read(row, column, rows, columns);
  };
  return reads;
}

test('format 4: the ID and values in one cell, the generation in the next; a refresh reads the first column alone', () => {
  const book = memoryWorkbook();
  const first = new Snapshot();
  first.set('lead_1', { name: 'Acme', description: '' }, 'job_1');
  first.set('lead_2', { name: 'Beta', description: null }, 'job_1');
  writeSnapshot(book, SHEET, first);
  const rows = book.grid(SNAP).dump();
  expect(rows).toEqual([
    [
      JSON.stringify({
        format: 4,
        layouts: [['name', 'description']],
        generations: { '1': 'job_1' },
        values: [],
      }),
      '',
    ],
    ['lead_1^0:("Acme"),', '~1'],
    ['lead_2^0:("Beta").', '~1'],
  ]);
  // A pull, push or preview reads both columns; a refresh the first alone (3 cells, not 6).
  const reads = readsOf(book);
  const whole = readSnapshot(book, SHEET);
  expect(reads).toEqual([[1, 1, 3, 2]]);
  expect(whole.get('lead_2')).toEqual({ name: 'Beta', description: null });
  expect(whole.generationOf('lead_2')).toBe('job_1');
  reads.length = 0;
  const refresh = readSnapshot(book, SHEET, false);
  expect(reads).toEqual([[1, 1, 3, 1]]);
  expect(refresh.get('lead_1')).toEqual({ name: 'Acme', description: '' });
  expect(refresh.isUsable('lead_2')).toBe(true);
  // The generation was not read: it is unknown, never written back.
  expect(refresh.generationOf('lead_1')).toBe('');
});

test('a row longer than a cell goes on from the third column; a refresh reads that column for that row only', () => {
  const book = memoryWorkbook();
  const first = new Snapshot();
  const long = 'x'.repeat(100_000);
  first.set('lead_1', { name: 'Acme', notes: 'short' }, 'job_1');
  first.set('lead_2', { name: 'Beta', notes: long }, 'job_1');
  first.set('lead_3', { name: 'Gamma', notes: 'short' }, 'job_1');
  writeSnapshot(book, SHEET, first);
  const rows = book.grid(SNAP).dump();
  // The first cell holds 45,000 characters, the rest goes on in the third and fourth.
  const text = `lead_2^0:("Beta")(${JSON.stringify(long)})`;
  expect(rows[2]).toEqual([text.slice(0, 45_000), '~1', text.slice(45_000, 90_000), text.slice(90_000)]);
  expect(rows[3]).toEqual(['lead_3^0:("Gamma")("short")', '~1', '', '']);
  // Those columns are plain text before the continuation lands (it could start with anything).
  expect(book.calls.filter((c) => c.op === 'format')).toEqual([
    { sheet: SNAP, op: 'format', columns: [3, 4], format: '@' },
  ]);
  const reads = readsOf(book);
  const refresh = readSnapshot(book, SHEET, false);
  expect(reads).toEqual([
    [1, 1, 4, 1],
    [3, 3, 1, 2],
  ]);
  expect(refresh.get('lead_2')).toEqual({ name: 'Beta', notes: long });
  expect(refresh.get('lead_3')).toEqual({ name: 'Gamma', notes: 'short' });
  expect(readSnapshot(book, SHEET).get('lead_2')).toEqual({ name: 'Beta', notes: long });
});

/** A snapshot sheet as format 3 left it: the header's JSON from the third column, [ID, generation, values]. */
function format3Book() {
  const book = memoryWorkbook();
  const grid = book.createSheet(SNAP, { hidden: true, columns: 3 });
  const header = JSON.stringify({
    format: 3,
    layouts: [['name', 'status_id']],
    generations: { '1': 'job_old' },
    values: ['stat_potential'],
  });
  const rows: CellValue[][] = [['Lead ID', 'Pull', header]];
  for (let i = 1; i <= 8; i++) rows.push([`lead_${i}`, '~1', `^0:("Lead ${i}")*A`]);
  grid.write(1, 1, rows);
  book.calls.length = 0;
  return book;
}

test('a format 3 snapshot still reads, whole or by a refresh (which then reads the third column too)', () => {
  const book = format3Book();
  const reads = readsOf(book);
  const whole = readSnapshot(book, SHEET);
  expect(whole.get('lead_4')).toEqual({ name: 'Lead 4', status_id: 'stat_potential' });
  expect(whole.generationOf('lead_4')).toBe('job_old');
  reads.length = 0;
  const refresh = readSnapshot(book, SHEET, false);
  // The IDs, then the values (and the header) from the first row that holds them to the last.
  expect(reads).toEqual([
    [1, 1, 9, 1],
    [1, 3, 9, 1],
  ]);
  expect(refresh.get('lead_6')).toEqual({ name: 'Lead 6', status_id: 'stat_potential' });
  expect(refresh.isUsable('lead_1')).toBe(true);
});

test('format 3 rows whose values change are rewritten in format 4, their third column emptied', () => {
  const book = format3Book();
  const snapshot = readSnapshot(book, SHEET);
  // Eight changed rows in a run: rewritten in place; and a new lead below.
  for (let i = 1; i <= 8; i++)
    snapshot.set(`lead_${i}`, { name: `Renamed ${i}`, status_id: 'stat_potential' }, 'job_new');
  snapshot.set('lead_9', { name: 'New', status_id: 'stat_potential' }, 'job_new');
  writeSnapshot(book, SHEET, snapshot);
  const rows = book.grid(SNAP).dump();
  // The header in format 4, every row rewritten as format 4, the third column emptied (the sheet's
  // content is two columns wide again): a refresh now reads the first column alone.
  expect(rows[0]).toHaveLength(2);
  expect(JSON.parse(String(rows[0][0]))).toMatchObject({ format: 4, generations: { '2': 'job_new' } });
  expect(rows.slice(1)).toEqual([
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => [`lead_${i}^0:("Renamed ${i}")*A`, '~2']),
    ['lead_9^0:("New")*A', '~2'],
  ]);
  const reads = readsOf(book);
  const refresh = readSnapshot(book, SHEET, false);
  expect(reads).toEqual([[1, 1, 10, 1]]);
  expect(refresh.get('lead_3')).toEqual({ name: 'Renamed 3', status_id: 'stat_potential' });
  expect(readSnapshot(book, SHEET).get('lead_9')).toEqual({ name: 'New', status_id: 'stat_potential' });
});

test('an unchanged format 2 row written along with changed ones keeps its shape, and reads the same', () => {
  const book = memoryWorkbook();
  const grid = book.createSheet(SNAP, { hidden: true, columns: 3 });
  const header = JSON.stringify({ format: 3, layouts: [['name']], generations: {}, values: [] });
  const rows: CellValue[][] = [['Lead ID', 'Pull', header]];
  for (let i = 1; i <= 9; i++)
    rows.push([`lead_${i}`, 'job_old', i === 5 ? '[0,"Kept"]' : `^0:("Lead ${i}")`]);
  grid.write(1, 1, rows);
  const snapshot = readSnapshot(book, SHEET);
  // Eight changed rows around row 6 (lead_5): one block, lead_5 written along as it was.
  for (const i of [1, 2, 3, 4, 6, 7, 8, 9]) snapshot.set(`lead_${i}`, { name: `Renamed ${i}` }, 'job_new');
  writeSnapshot(book, SHEET, snapshot);
  const after = book.grid(SNAP).dump();
  // (Its generation as a code the header maps to the job id.)
  expect(after[5]).toEqual(['lead_5', '~2', '[0,"Kept"]']);
  expect(after[4]).toEqual(['lead_4^0:("Renamed 4")', '~1', '']);
  const refresh = readSnapshot(book, SHEET, false);
  expect(refresh.get('lead_5')).toEqual({ name: 'Kept' });
  expect(refresh.get('lead_6')).toEqual({ name: 'Renamed 6' });
  expect(readSnapshot(book, SHEET).generationOf('lead_5')).toBe('job_old');
});
