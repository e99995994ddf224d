// Which rows of the hidden snapshot a write touches: a changed row near other changed rows is rewritten in
// place (short gaps with it), a scattered one is appended below the last row (a lead's last row is its
// record), and stale rows are compacted away once they are a quarter of the rows.
import { readSnapshot, Snapshot, snapshotSheetName, writeSnapshot } from '../../src/core/sync/snapshot';
import { memoryWorkbook } from './memory-workbook';

const SHEET = 'Close Leads';
const SNAP = snapshotSheetName(SHEET);
const id = (i: number) => `lead_${String(i).padStart(5, '0')}`;
/** The Lead ID of a snapshot row (format 4: the ID and the values share the first cell). */
const idOf = (row: unknown[]) => String(row[0]).split('^')[0];

/** A snapshot of `n` leads as a first pull writes it, read back (rows 2..n+1, lead i on row i+2). */
function pulled(n: number) {
  const book = memoryWorkbook();
  const first = new Snapshot();
  for (let i = 0; i < n; i++) first.set(id(i), { name: `Lead ${i}`, description: '' }, 'job_1');
  writeSnapshot(book, SHEET, first);
  book.calls.length = 0;
  return book;
}

const writes = (book: ReturnType<typeof memoryWorkbook>) =>
  book.calls
    .filter((c) => c.sheet === SNAP && c.op === 'write')
    .map((c) => (c.op === 'write' ? { row: c.row, rows: c.values.length } : null));

test('scattered changed rows are appended below the last row in one block; the last row is the record', () => {
  const book = pulled(5_000);
  const snapshot = readSnapshot(book, SHEET);
  // Every 100th lead changed in Close, plus one new lead.
  for (let i = 0; i < 5_000; i += 100) snapshot.set(id(i), { name: `Lead ${i}`, description: `new ${i}` });
  snapshot.set('lead_new', { name: 'New', description: '' }, 'job_2');
  writeSnapshot(book, SHEET, snapshot);
  // One block of 51 rows below row 5,001 (and the header, which names the new generation): nothing else.
  expect(writes(book)).toEqual([
    { row: 1, rows: 1 },
    { row: 5_002, rows: 51 },
  ]);
  const rows = book.grid(SNAP).dump();
  expect(rows[5_001]).toEqual(['lead_new^0:("New"),', '~2']);
  expect(idOf(rows[5_002])).toBe(id(0));
  expect(idOf(rows[5_051])).toBe(id(4_900));
  // Read back: each lead's last row wins; the stale rows above change nothing.
  const again = readSnapshot(book, SHEET);
  expect(again.size).toBe(5_001);
  expect(again.get(id(100))).toEqual({ name: 'Lead 100', description: 'new 100' });
  expect(again.get(id(101))).toEqual({ name: 'Lead 101', description: '' });
  expect(again.generationOf(id(100))).toBe('job_1');
  expect(again.generationOf('lead_new')).toBe('job_2');
  // Changed again: written where it now is (its last row), not appended a second time.
  book.calls.length = 0;
  for (let i = 0; i < 5_000; i += 100) again.set(id(i), { name: `Lead ${i}`, description: `newer ${i}` });
  writeSnapshot(book, SHEET, again);
  expect(writes(book)).toEqual([{ row: 5_003, rows: 50 }]);
  expect(readSnapshot(book, SHEET).get(id(4_900))).toEqual({ name: 'Lead 4900', description: 'newer 4900' });
});

test('a run of nearby changed rows is rewritten in place, the unchanged rows between along', () => {
  const book = pulled(1_000);
  const snapshot = readSnapshot(book, SHEET);
  // Ten changed rows 20 apart: one block from the first to the last.
  for (let i = 100; i < 300; i += 20) snapshot.set(id(i), { name: `Renamed ${i}`, description: '' });
  writeSnapshot(book, SHEET, snapshot);
  expect(writes(book)).toEqual([{ row: 102, rows: 181 }]);
  const again = readSnapshot(book, SHEET);
  expect(again.size).toBe(1_000);
  expect(again.get(id(280))).toEqual({ name: 'Renamed 280', description: '' });
  expect(again.get(id(281))).toEqual({ name: 'Lead 281', description: '' });
  expect(book.grid(SNAP).dump()).toHaveLength(1_001);
});

test('once stale rows pass a quarter of the rows (and 100), the snapshot is rewritten compactly', () => {
  const book = pulled(2_000);
  // Clusters of 7 changed rows, 60 rows apart: each too small for a call of its own, so appended.
  const change = (from: number, text: string) => {
    const snapshot = readSnapshot(book, SHEET);
    for (let c = from; c < 2_000; c += 60)
      for (let i = c; i < c + 7 && i < 2_000; i++)
        snapshot.set(id(i), { name: `Lead ${i}`, description: text });
    book.calls.length = 0;
    writeSnapshot(book, SHEET, snapshot);
  };
  change(0, 'a');
  expect(writes(book)).toEqual([{ row: 2_002, rows: 238 }]);
  change(20, 'b');
  // 469 stale rows of 2,470: still under a quarter.
  expect(writes(book)).toEqual([{ row: 2_240, rows: 231 }]);
  change(40, 'c');
  // 700 would pass a quarter: every lead once, from row 2 down in row order (a moved lead where it
  // moved to), the header with them; the rows below are emptied.
  expect(writes(book)).toEqual([{ row: 1, rows: 2_001 }]);
  const rows = book.grid(SNAP).dump();
  expect(rows).toHaveLength(2_001);
  expect(new Set(rows.slice(1).map(idOf)).size).toBe(2_000);
  expect(idOf(rows[1])).toBe(id(7));
  expect(idOf(rows[2_000])).toBe(id(1_946));
  const again = readSnapshot(book, SHEET);
  expect(again.get(id(0))).toEqual({ name: 'Lead 0', description: 'a' });
  expect(again.get(id(26))).toEqual({ name: 'Lead 26', description: 'b' });
  expect(again.get(id(46))).toEqual({ name: 'Lead 46', description: 'c' });
  expect(again.get(id(1_999))).toEqual({ name: 'Lead 1999', description: '' });
});

// The limits of one setValues call: 20,000 rows, or about 12 million characters (a block of about
// 600,000 cells). The snapshots are built bare (one short layout, rows placed by setPacked/load), so a
// test of 20,001 rows costs a fraction of a second, not a 20,001-lead pull.

test('a write of more than 20,000 rows goes in blocks of 20,000', () => {
  const book = memoryWorkbook();
  const snapshot = new Snapshot();
  const layout = snapshot.layoutOf(['name']);
  for (let i = 0; i < 20_001; i++) snapshot.setPacked(id(i), [layout, 'A'], 'job_1');
  writeSnapshot(book, SHEET, snapshot);
  // The header (row 1) and 20,001 rows below it: 20,002 consecutive rows.
  expect(writes(book)).toEqual([
    { row: 1, rows: 20_000 },
    { row: 20_001, rows: 2 },
  ]);
  const rows = book.grid(SNAP).dump();
  expect([rows.length, rows[20_000], rows[20_001]]).toEqual([
    20_002,
    [`${id(19_999)}^0:("A")`, '~1'],
    [`${id(20_000)}^0:("A")`, '~1'],
  ]);
});

test('a restamp of more than 20,000 rows writes their generations in blocks of 20,000', () => {
  const book = memoryWorkbook();
  book.createSheet(SNAP).ensureSize(20_002, 2);
  book.calls.length = 0;
  const snapshot = new Snapshot();
  snapshot.loadLayouts([['name']], { '1': 'job_1' });
  for (let i = 0; i < 20_001; i++) snapshot.load(id(i), '^0:("A")', '~1', i + 2);
  // A later pull finds every lead unchanged: only the generation column moves.
  for (let i = 0; i < 20_001; i++) snapshot.setPacked(id(i), [0, 'A'], 'job_2');
  writeSnapshot(book, SHEET, snapshot);
  const generations = book.calls.flatMap((c) =>
    c.op === 'write' && c.column === 2 ? [{ row: c.row, rows: c.values.length, last: c.values.at(-1) }] : [],
  );
  expect(generations).toEqual([
    { row: 2, rows: 20_000, last: ['~2'] },
    { row: 20_002, rows: 1, last: ['~2'] },
  ]);
  expect(book.grid(SNAP).dump()[20_001][1]).toBe('~2');
});

test('a write of more than 12 million characters goes in blocks of at most that many', () => {
  // An existing snapshot (its header unchanged by what follows) and 301 new leads of 40,000 characters
  // a row each (the ID and values, then the generation `~1`): 300 rows are exactly 12,000,000.
  const book = memoryWorkbook();
  const first = new Snapshot();
  const layout = first.layoutOf(['description']);
  first.setPacked(id(0), [layout, 'short'], 'job_1');
  writeSnapshot(book, SHEET, first);
  book.calls.length = 0;
  const snapshot = readSnapshot(book, SHEET);
  const text = 'z'.repeat(40_000 - `${id(1)}^0:("")~1`.length);
  for (let i = 1; i <= 301; i++) snapshot.setPacked(id(i), [0, text], 'job_1');
  writeSnapshot(book, SHEET, snapshot);
  expect(writes(book)).toEqual([
    { row: 3, rows: 300 },
    { row: 303, rows: 1 },
  ]);
  const rows = book.grid(SNAP).dump();
  expect([rows.length, rows[2].join('').length, rows[302]]).toEqual([
    303,
    40_000,
    [`${id(301)}^0:("${text}")`, '~1'],
  ]);
});
