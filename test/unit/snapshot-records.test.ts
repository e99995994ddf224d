// What the snapshot says of each lead, as a pull, a refresh and a push ask it: whether a record is the
// same as before (so no snapshot row is written), gone from Close, readable, and which pull it came
// from — read back from the hidden sheet, never trusted from memory. The rows a write touches are in
// snapshot-writes.test.ts; how a row is spelt in snapshot-format.test.ts.
import { Digest, Hashed } from '../../src/core/sync/pulled-value';
import {
  GONE_KEY,
  readSnapshot,
  SNAPSHOT_COLUMNS,
  Snapshot,
  snapshotSheetName,
  writeSnapshot,
} from '../../src/core/sync/snapshot';
import { memoryWorkbook } from './memory-workbook';

const SHEET = 'Close Leads';
const SNAP = snapshotSheetName(SHEET);

/** The snapshot as written to a new workbook and read back from it. */
function written(snapshot: Snapshot, book = memoryWorkbook()) {
  writeSnapshot(book, SHEET, snapshot);
  book.calls.length = 0;
  return { book, read: readSnapshot(book, SHEET) };
}

const snapWrites = (book: ReturnType<typeof memoryWorkbook>) => book.calls.filter((c) => c.sheet === SNAP);

/** The snapshot sheet's calls: each write as [row, rows written], anything else as [op]. */
const rowsWritten = (book: ReturnType<typeof memoryWorkbook>) =>
  snapWrites(book).map((c) => (c.op === 'write' ? [c.row, c.values.length] : [c.op]));

test('a record set again with the same values writes nothing; any different value, list or key is a change', () => {
  const values = {
    name: 'Acme',
    tags: ['a', 'b'],
    description: new Hashed('Ab3-_9'),
    '#date_updated': new Digest('xY_'),
  };
  const first = new Snapshot();
  first.set('lead_a', values, 'job_1');
  const { book, read } = written(first);
  // Unpacked first (a push reads the record before it moves a field forward): compared value by value.
  expect(read.get('lead_a')).toEqual(values);
  read.set('lead_a', { ...values, tags: ['a', 'b'], description: new Hashed('Ab3-_9') });
  read.set('lead_a', { ...values, '#date_updated': new Digest('xY_') });
  expect(read.pendingRows).toBe(0);
  writeSnapshot(book, SHEET, read);
  expect(snapWrites(book)).toEqual([]);

  for (const changed of [
    { ...values, name: 'Acme Inc' },
    { ...values, tags: ['a', 'b', 'c'] },
    { ...values, tags: ['a', 'c'] },
    { ...values, tags: 'a' },
    { ...values, tags: 'ab' },
    { ...values, description: null },
    { ...values, '#date_updated': null },
    { ...values, description: new Hashed('Ab3-_8') },
    { ...values, '#date_updated': new Digest('xY-') },
    { ...values, industry: null },
  ]) {
    const again = readSnapshot(book, SHEET);
    again.get('lead_a');
    again.set('lead_a', changed);
    expect([changed, again.pendingRows]).toEqual([changed, 1]);
    // Never unpacked (a pull): the new values packed and compared as text.
    const unread = readSnapshot(book, SHEET);
    unread.set('lead_a', changed);
    expect([changed, unread.pendingRows]).toEqual([changed, 1]);
  }
  const unread = readSnapshot(book, SHEET);
  unread.set('lead_a', { ...values });
  expect(unread.pendingRows).toBe(0);
});

test('a record pulled again unchanged by a later pull moves only its generation; a refresh keeps the record as it is', () => {
  const first = new Snapshot();
  const layout = first.layoutOf(['name', 'description']);
  for (const id of ['lead_a', 'lead_b', 'lead_c']) first.setPacked(id, [layout, id, null], 'job_1');
  const { book, read } = written(first);
  // Only lead_b is pulled again (its values the same): its generation is written, nothing else.
  read.setPacked('lead_b', [0, 'lead_b', null], 'job_2');
  expect(read.pendingRows).toBe(0);
  writeSnapshot(book, SHEET, read);
  // The generation cell of lead_b's row, then the header (it names the new code).
  const cells = snapWrites(book).map((c) => (c.op === 'write' ? [c.row, c.column, c.values.length] : c.op));
  expect(cells).toEqual([
    [3, 2, 1],
    [1, 1, 1],
  ]);
  expect(snapWrites(book)[0]).toMatchObject({ values: [['~2']] });
  const after = readSnapshot(book, SHEET);
  expect(['lead_a', 'lead_b', 'lead_c'].map((id) => after.generationOf(id))).toEqual([
    'job_1',
    'job_2',
    'job_1',
  ]);
  // An incremental refresh (keepIfSame): a lead Close did not change is left as it is, generation and all.
  book.calls.length = 0;
  after.setPacked('lead_c', [0, 'lead_c', null], 'job_3', true);
  writeSnapshot(book, SHEET, after);
  expect(snapWrites(book)).toEqual([]);
  expect(readSnapshot(book, SHEET).generationOf('lead_c')).toBe('job_1');
  // Pulled again by a pull whose code the header has: the generation cell alone, no header.
  const last = readSnapshot(book, SHEET);
  last.setPacked('lead_a', [0, 'lead_a', null], 'job_2');
  writeSnapshot(book, SHEET, last);
  expect(snapWrites(book)).toEqual([{ sheet: SNAP, op: 'write', row: 2, column: 2, values: [['~2']] }]);
});

test('a lead a pull no longer found is gone, in every row format; no other lead is, nor an unknown one', () => {
  const first = new Snapshot();
  const plain = first.layoutOf(['name']);
  const marked = first.layoutOf(['name', GONE_KEY]);
  first.setPacked('lead_here', [plain, 'Here'], 'job_1');
  first.setPacked('lead_gone', [marked, 'Gone', true], 'job_1');
  first.setPacked('lead_back', [marked, 'Back', null], 'job_1');
  const answers = (s: Snapshot) =>
    ['lead_here', 'lead_gone', 'lead_back', 'lead_none'].map((id) => s.isGone(id));
  // As placed by the pull, and as read back from the sheet.
  expect(answers(first)).toEqual([false, true, false, false]);
  const { read } = written(first);
  expect(answers(read)).toEqual([false, true, false, false]);
  // Older rows: format 2 (an array in a layout) and format 1 (an object); a row of a layout the header
  // lacks is damaged, and no lead's record says it is gone.
  const old = new Snapshot();
  old.loadLayouts([['name'], ['name', GONE_KEY]]);
  old.load('lead_2', '[1,"Two",true]', 'job_old', 2);
  old.load('lead_2b', '[0,"Two b"]', 'job_old', 3);
  old.load('lead_1', `{"name":"One","${GONE_KEY}":true}`, 'job_old', 4);
  old.load('lead_x', '^7:("X")', 'job_old', 5);
  old.load('lead_y', '[x,"Y"]', 'job_old', 6);
  // An older row whose values cell was cleared: no record, and not gone.
  old.load('lead_blank', '', 'job_old', 7);
  expect(old.isGone('lead_blank')).toBe(false);
  expect(['lead_2', 'lead_2b', 'lead_1', 'lead_x', 'lead_y'].map((id) => old.isGone(id))).toEqual([
    true,
    false,
    true,
    false,
    false,
  ]);
  expect(old.isDamaged('lead_x')).toBe(true);
  expect(old.isDamaged('lead_y')).toBe(true);
});

test('a record that cannot be read is damaged and reads as no record; the others are unharmed', () => {
  const snap = new Snapshot();
  snap.loadLayouts([['name', 'description']]);
  snap.load('lead_ok', '^0:("Acme").', 'job_1', 2);
  snap.load('lead_layout', '^4:("Acme").', 'job_1', 3);
  snap.load('lead_garbage', '^0:("Acme', 'job_1', 4);
  snap.load('lead_json', '{"name": ', 'job_1', 5);
  snap.load('lead_old', '[3,"Acme",null]', 'job_1', 6);
  snap.load('lead_empty', '', 'job_1', 7);
  const ids = ['lead_ok', 'lead_layout', 'lead_garbage', 'lead_json', 'lead_old', 'lead_empty', 'lead_none'];
  // Whether each can be read, asked before anything is unpacked (an incremental refresh)…
  expect(ids.map((id) => snap.isUsable(id))).toEqual([true, false, false, false, false, true, false]);
  // …and after.
  expect(ids.map((id) => snap.get(id))).toEqual([
    { name: 'Acme', description: null },
    undefined,
    undefined,
    undefined,
    undefined,
    {},
    undefined,
  ]);
  expect(ids.map((id) => snap.isDamaged(id))).toEqual([false, true, true, true, true, false, false]);
  expect(ids.map((id) => snap.isUsable(id))).toEqual([true, false, false, false, false, true, false]);
  expect(ids.map((id) => snap.has(id))).toEqual([true, true, true, true, true, true, false]);
  expect(ids.map((id) => snap.isGone(id))).toEqual([false, false, false, false, false, false, false]);
  expect(() => snap.unpack('[3,"Acme",null]')).toThrow(
    "Close Sync's snapshot refers to a layout it does not have (3).",
  );
  // A record placed by a pull is usable before it is written.
  const pulled = new Snapshot();
  pulled.setPacked('lead_p', [pulled.layoutOf(['name']), 'P'], 'job_2');
  expect(pulled.isUsable('lead_p')).toBe(true);
});

test('generation codes: read from the header, never handed out twice, and an unknown code is no generation', () => {
  const snap = new Snapshot();
  snap.loadLayouts([['name']], { '9': 'job_nine', a: 'job_ten' });
  snap.load('lead_a', '^0:("A")', '~a', 2);
  snap.load('lead_b', '^0:("B")', '~9', 3);
  snap.load('lead_c', '^0:("C")', '~zz', 4);
  snap.load('lead_d', '^0:("D")', 'job_written_out', 5);
  expect(['lead_a', 'lead_b', 'lead_c', 'lead_d', 'lead_none'].map((id) => snap.generationOf(id))).toEqual([
    'job_ten',
    'job_nine',
    '',
    'job_written_out',
    undefined,
  ]);
  // The next code counts on from the highest (base 36: after `a` comes `b`).
  expect(snap.generationCell('job_ten')).toBe('~a');
  expect(snap.generationCell('job_new')).toBe('~b');
  expect(snap.generationCell('job_newer')).toBe('~c');
  expect(snap.generationCell('')).toBe('');
  // A header whose codes are not base 36 still hands out the next code from 1.
  const odd = new Snapshot();
  odd.loadLayouts([['name']], { '!': 'job_odd' });
  expect(odd.generationCell('job_new')).toBe('~1');
});

test('codes no row uses any more leave the header, but the highest stays, so none is given to another pull', () => {
  const first = new Snapshot();
  const layout = first.layoutOf(['name']);
  first.setPacked('lead_a', [layout, 'A'], 'job_1');
  first.setPacked('lead_b', [layout, 'B'], 'job_2');
  const { book, read } = written(first);
  // Both leads pulled again, unchanged, by job_3 (a new code: 3).
  read.setPacked('lead_a', [0, 'A'], 'job_3');
  read.setPacked('lead_b', [0, 'B'], 'job_3');
  writeSnapshot(book, SHEET, read);
  const again = readSnapshot(book, SHEET);
  expect(again.generationOf('lead_a')).toBe('job_3');
  // job_1 and job_2 are forgotten; the next code is 4 (not 1, which a row written before could still hold).
  expect(again.generationCell('job_1')).toBe('~4');
  // Every code unused: the highest is still kept.
  const only = new Snapshot();
  only.generationCell('job_x');
  only.generationCell('job_y');
  only.setPacked('lead_a', [only.layoutOf(['name']), 'A'], 'job_x');
  const { read: back } = written(only);
  expect(back.generationCell('job_z')).toBe('~3');
  expect(back.generationOf('lead_a')).toBe('job_x');
});

test("an incremental refresh reads no generations: it rewrites only changed rows, with its own, and keeps the others'", () => {
  const first = new Snapshot();
  const layout = first.layoutOf(['name']);
  for (let i = 0; i < 20; i++) first.setPacked(`lead_${i}`, [layout, `Lead ${i}`], 'job_1');
  const { book } = written(first);
  const refresh = readSnapshot(book, SHEET, false);
  expect(refresh.generationOf('lead_3')).toBe('');
  expect(refresh.get('lead_3')).toEqual({ name: 'Lead 3' });
  // Ten neighbouring rows changed in Close: appended below the last row (rewriting them in place would
  // write the unchanged rows between with generations it does not know), and one new lead.
  for (let i = 5; i < 15; i++) refresh.setPacked(`lead_${i}`, [0, `Lead ${i}!`], 'job_2', true);
  // Unchanged: left as it is; set again with another generation: rewritten whole, with it.
  refresh.setPacked('lead_1', [0, 'Lead 1'], 'job_2', true);
  // A lead new to the sheet: placed (appended after the others).
  refresh.setPacked('lead_new', [0, 'New'], 'job_2', true);
  refresh.set('lead_2', { name: 'Lead 2' }, 'job_2');
  writeSnapshot(book, SHEET, refresh);
  const rows = rowsWritten(book);
  expect(rows).toEqual([
    [1, 1],
    [22, 12],
  ]);
  const after = readSnapshot(book, SHEET);
  expect(after.size).toBe(21);
  expect(after.get('lead_5')).toEqual({ name: 'Lead 5!' });
  expect(after.get('lead_new')).toEqual({ name: 'New' });
  expect(
    ['lead_0', 'lead_1', 'lead_2', 'lead_5', 'lead_19', 'lead_new'].map((id) => after.generationOf(id)),
  ).toEqual(['job_1', 'job_1', 'job_2', 'job_2', 'job_1', 'job_2']);
});

test('no snapshot sheet, or one too narrow to hold a record, reads as an empty snapshot; a row without an id is skipped', () => {
  const book = memoryWorkbook();
  expect(readSnapshot(book, SHEET).size).toBe(0);
  const grid = book.createSheet(SNAP);
  expect(SNAP).toBe('Close Sync snapshot · Close Leads');
  expect(readSnapshot(book, SHEET).size).toBe(0);
  grid.write(1, 1, [['Lead ID', 'Pull']]);
  expect(readSnapshot(book, SHEET).size).toBe(0);
  const first = new Snapshot();
  first.set('lead_a', { name: 'A' }, 'job_1');
  first.set('lead_b', { name: 'B' }, 'job_1');
  const { book: full } = written(first);
  // The new sheet is hidden, two columns wide (the ID and values, the generation).
  expect([full.grid(SNAP).hidden, full.grid(SNAP).size.columns]).toEqual([true, SNAPSHOT_COLUMNS]);
  // lead_a's ID deleted from its cell by hand, its values left.
  const [cell] = full.grid(SNAP).read(2, 1, 1, 1)[0];
  full.grid(SNAP).write(2, 1, [[String(cell).replace('lead_a', '')]]);
  for (const generations of [true, false]) {
    const read = readSnapshot(full, SHEET, generations);
    expect([...read.ids()]).toEqual(['lead_b']);
    expect(read.get('lead_b')).toEqual({ name: 'B' });
  }
});

test('a damaged header makes every record in a layout damaged, and a pull can still write over it', () => {
  const first = new Snapshot();
  first.set('lead_a', { name: 'A' }, 'job_1');
  const { book } = written(first);
  const grid = book.grid(SNAP);
  const header = grid.dump()[0];
  grid.write(1, 1, [header.map((c) => String(c).replace('"layouts"', '"lay'))]);
  const read = readSnapshot(book, SHEET);
  expect(read.has('lead_a')).toBe(true);
  expect(read.isDamaged('lead_a')).toBe(true);
  expect(read.get('lead_a')).toBeUndefined();
  read.set('lead_a', { name: 'A2' }, 'job_2');
  writeSnapshot(book, SHEET, read);
  expect(readSnapshot(book, SHEET).get('lead_a')).toEqual({ name: 'A2' });
});

test('a record longer than a cell goes on in the next cells, as plain text, and a shorter one written over it leaves none behind', () => {
  const long = `${'x'.repeat(99_990)}=1+2`;
  const first = new Snapshot();
  first.set('lead_a', { name: 'A' }, 'job_1');
  first.set('lead_b', { description: long }, 'job_1');
  const { book, read } = written(first);
  expect(read.get('lead_b')).toEqual({ description: long });
  expect(read.get('lead_a')).toEqual({ name: 'A' });
  // An incremental refresh reads the first column, and the rest only of the rows that go on.
  const refresh = readSnapshot(book, SHEET, false);
  expect([refresh.get('lead_a'), refresh.get('lead_b')]).toEqual([{ name: 'A' }, { description: long }]);
  const grid = book.grid(SNAP);
  const width = grid.lastColumn();
  expect(width).toBeGreaterThan(SNAPSHOT_COLUMNS);
  // Every column past the first ones is plain text: a continuation may start with `=`.
  expect([...grid.formats]).toEqual(
    Array.from({ length: width - SNAPSHOT_COLUMNS }, (_, i) => [SNAPSHOT_COLUMNS + i + 1, '@']),
  );
  // A later pull finds lead_a unchanged: its generation moves, and the header (naming the new code) is
  // written as wide as the sheet.
  book.calls.length = 0;
  read.set('lead_a', { name: 'A' }, 'job_2');
  writeSnapshot(book, SHEET, read);
  const header = snapWrites(book).filter((c) => c.op === 'write' && c.row === 1);
  expect(header.map((c) => (c.op === 'write' ? c.values[0].length : c.op))).toEqual([width]);
  const restamped = readSnapshot(book, SHEET);
  expect(restamped.get('lead_b')).toEqual({ description: long });
  expect(restamped.generationOf('lead_a')).toBe('job_2');
  read.set('lead_b', { description: 'short' });
  read.set('lead_a', { name: 'A' });
  book.calls.length = 0;
  writeSnapshot(book, SHEET, read);
  // No continuation now: no column is formatted again.
  expect(snapWrites(book).filter((c) => c.op === 'format')).toEqual([]);
  const again = readSnapshot(book, SHEET);
  expect(again.get('lead_b')).toEqual({ description: 'short' });
  expect(grid.dump().every((row) => row.length === width)).toBe(true);
});

test('a run rewritten in place empties the stale row inside it (its lead moved below)', () => {
  const first = new Snapshot();
  for (let i = 0; i < 100; i++) first.set(`lead_${i}`, { name: `Lead ${i}` }, 'job_1');
  const { book, read } = written(first);
  // lead_50 alone changed: appended below (row 102), its row 52 now stale.
  read.set('lead_50', { name: 'Moved' });
  writeSnapshot(book, SHEET, read);
  const next = readSnapshot(book, SHEET);
  book.calls.length = 0;
  // Ten changed leads around it: one block from row 47 to 57, the stale row emptied in it.
  for (let i = 45; i < 56; i++) if (i !== 50) next.set(`lead_${i}`, { name: `Lead ${i}!` });
  writeSnapshot(book, SHEET, next);
  expect(rowsWritten(book)).toEqual([[47, 11]]);
  const rows = book.grid(SNAP).dump();
  expect(rows[51].every((c) => c === '')).toBe(true);
  const after = readSnapshot(book, SHEET);
  expect(after.size).toBe(100);
  expect(after.get('lead_50')).toEqual({ name: 'Moved' });
  expect(after.get('lead_55')).toEqual({ name: 'Lead 55!' });
});

test('records of different fields, one after another, each read back with exactly its own fields', () => {
  const first = new Snapshot();
  first.set('lead_a', { name: 'A', description: 'x' }, 'job_1');
  first.set('lead_b', { name: 'B' }, 'job_1');
  first.set('lead_c', { name: 'C', industry: 'y' }, 'job_1');
  first.set('lead_d', { name: 'D', description: 'z' }, 'job_1');
  // Only read-only digests (a sheet whose bound columns are all read-only).
  first.set('lead_e', { '#date_created': new Digest('abc'), '#date_updated': new Digest('def') }, 'job_1');
  const { read } = written(first);
  expect(['lead_a', 'lead_b', 'lead_c', 'lead_d', 'lead_e'].map((id) => read.get(id))).toStrictEqual([
    { name: 'A', description: 'x' },
    { name: 'B' },
    { name: 'C', industry: 'y' },
    { name: 'D', description: 'z' },
    { '#date_created': new Digest('abc'), '#date_updated': new Digest('def') },
  ]);
});

test('a snapshot written twice writes its header once: the second write is the changed row alone (appended)', () => {
  const snap = new Snapshot();
  snap.set('lead_a', { name: 'A' }, 'job_1');
  snap.set('lead_b', { name: 'B' }, 'job_1');
  const book = memoryWorkbook();
  writeSnapshot(book, SHEET, snap);
  book.calls.length = 0;
  snap.set('lead_b', { name: 'B2' }, 'job_1');
  writeSnapshot(book, SHEET, snap);
  expect(rowsWritten(book)).toEqual([[4, 1]]);
  expect(readSnapshot(book, SHEET).get('lead_b')).toEqual({ name: 'B2' });
});

test("a record read in an older format and set again unchanged is not rewritten; a push's new lead has no generation", () => {
  const snap = new Snapshot();
  snap.loadLayouts([['name']]);
  snap.load('lead_a', '[0,"Acme"]', 'job_old', 2);
  expect(snap.get('lead_a')).toEqual({ name: 'Acme' });
  snap.set('lead_a', { name: 'Acme' });
  expect(snap.pendingRows).toBe(0);
  expect(snap.generationOf('lead_a')).toBe('job_old');
  // A lead a push created: no pull has seen it yet.
  snap.set('lead_new', { name: 'New' });
  expect(snap.generationOf('lead_new')).toBe('');
  expect(snap.generationCell('')).toBe('');
  // A snapshot of such leads alone is one column wide, and reads back.
  const pushed = new Snapshot();
  pushed.set('lead_new', { name: 'New' });
  const { book, read } = written(pushed);
  expect(book.grid(SNAP).lastColumn()).toBe(1);
  expect(read.get('lead_new')).toEqual({ name: 'New' });
});

/** A snapshot read from a sheet where `leads` leads were written once and the first `moved` of them again below. */
function withStaleRows(leads: number, moved: number): Snapshot {
  const snap = new Snapshot();
  snap.loadLayouts([['name']], { '1': 'job_1' });
  for (let i = 0; i < leads; i++) snap.load(`lead_${i}`, '^0:("A")', '~1', i + 2);
  for (let i = 0; i < moved; i++) snap.load(`lead_${i}`, '^0:("A")', '~1', leads + i + 2);
  return snap;
}

test('stale rows are compacted only when rows are written, and only once they pass the threshold', () => {
  // 150 stale rows of 301, but only a generation moved: no rows are written, so none are compacted.
  const restamped = withStaleRows(150, 150);
  restamped.setPacked('lead_0', [0, 'A'], 'job_2');
  const book = memoryWorkbook();
  writeSnapshot(book, SHEET, restamped);
  expect(
    snapWrites(book).map((c) => (c.op === 'write' ? [c.row, c.column, c.values.length] : [c.op])),
  ).toEqual([
    [152, 2, 1],
    [1, 1, 1],
  ]);
  // 99 stale rows and the one changed row that moves down: 100, not past the threshold of 100 rows.
  const atThreshold = withStaleRows(201, 99);
  atThreshold.set('lead_150', { name: 'B' });
  const other = memoryWorkbook();
  writeSnapshot(other, SHEET, atThreshold);
  expect(rowsWritten(other)).toEqual([
    [1, 1],
    [302, 1],
  ]);
});

test('a later pull that adds a column writes the header naming its layout, so its rows read back', () => {
  const first = new Snapshot();
  first.setPacked('lead_a', [first.layoutOf(['name']), 'A'], 'job_1');
  const { book, read } = written(first);
  read.setPacked('lead_a', [read.layoutOf(['name', 'industry']), 'A', 'Retail'], 'job_1');
  writeSnapshot(book, SHEET, read);
  expect(readSnapshot(book, SHEET).get('lead_a')).toEqual({ name: 'A', industry: 'Retail' });
});

test('nearby changed rows set in any order are still one block rewritten in place', () => {
  const first = new Snapshot();
  for (let i = 0; i < 100; i++) first.set(`lead_${i}`, { name: `Lead ${i}` }, 'job_1');
  const { book, read } = written(first);
  for (let i = 60; i >= 15; i -= 5) read.set(`lead_${i}`, { name: `Lead ${i}!` });
  writeSnapshot(book, SHEET, read);
  expect(rowsWritten(book)).toEqual([[17, 46]]);
  expect(readSnapshot(book, SHEET).get('lead_60')).toEqual({ name: 'Lead 60!' });
});

test('eight changed rows 51 apart are the smallest run rewritten in place; the rows between go along', () => {
  const first = new Snapshot();
  for (let i = 0; i < 400; i++) first.set(`lead_${i}`, { name: `Lead ${i}` }, 'job_1');
  const { book, read } = written(first);
  for (let k = 0; k < 8; k++) read.set(`lead_${k * 51}`, { name: 'Changed' });
  writeSnapshot(book, SHEET, read);
  expect(rowsWritten(book)).toEqual([[2, 358]]);
});

test('rows moved down by one write count towards the compaction of the next write of the same snapshot', () => {
  // 95 stale rows of 296; five scattered changed rows move down: 100, not yet past the threshold.
  const snap = withStaleRows(201, 95);
  for (const i of [110, 130, 150, 170, 190]) snap.set(`lead_${i}`, { name: 'B' });
  const book = memoryWorkbook();
  writeSnapshot(book, SHEET, snap);
  expect(rowsWritten(book)).toEqual([
    [1, 1],
    [298, 5],
  ]);
  // One more: the 100 stale rows and it pass the threshold, so every lead is written once from row 2.
  book.calls.length = 0;
  snap.set('lead_120', { name: 'C' });
  writeSnapshot(book, SHEET, snap);
  expect(rowsWritten(book)).toEqual([[1, 202]]);
  expect(readSnapshot(book, SHEET).get('lead_120')).toEqual({ name: 'C' });
  // A lead added after the compaction goes below its last row.
  book.calls.length = 0;
  snap.set('lead_new', { name: 'N' }, 'job_1');
  writeSnapshot(book, SHEET, snap);
  expect(rowsWritten(book)).toEqual([[203, 1]]);
  const after = readSnapshot(book, SHEET);
  expect(after.size).toBe(202);
  expect(after.get('lead_200')).toEqual({ name: 'A' });
});

test('new leads do not count as stale rows: a snapshot near the threshold takes them without compacting', () => {
  const snap = withStaleRows(201, 95);
  for (let i = 0; i < 10; i++) snap.set(`lead_new_${i}`, { name: 'N' }, 'job_1');
  const book = memoryWorkbook();
  writeSnapshot(book, SHEET, snap);
  expect(rowsWritten(book)).toEqual([
    [1, 1],
    [298, 10],
  ]);
});

test('a snapshot with nothing to write creates no sheet; a restamp over a stale row empties its generation', () => {
  const book = memoryWorkbook();
  writeSnapshot(book, SHEET, new Snapshot());
  expect(book.sheet(SNAP)).toBeNull();
  const first = new Snapshot();
  for (let i = 0; i < 10; i++) first.set(`lead_${i}`, { name: `Lead ${i}` }, 'job_1');
  const { book: sheetBook, read } = written(first);
  read.set('lead_5', { name: 'Moved' });
  writeSnapshot(sheetBook, SHEET, read);
  // lead_5's row 7 is stale (its record is row 12); a later pull restamps every lead.
  const later = readSnapshot(sheetBook, SHEET);
  for (let i = 0; i < 10; i++) later.set(`lead_${i}`, { name: i === 5 ? 'Moved' : `Lead ${i}` }, 'job_2');
  sheetBook.calls.length = 0;
  writeSnapshot(sheetBook, SHEET, later);
  const generations = sheetBook.calls.find((c) => c.op === 'write' && c.column === 2);
  expect(generations).toEqual({
    sheet: SNAP,
    op: 'write',
    row: 2,
    column: 2,
    values: [['~2'], ['~2'], ['~2'], ['~2'], ['~2'], [''], ['~2'], ['~2'], ['~2'], ['~2'], ['~2']],
  });
});

test('rows of an older shape (the ID alone, the values from the third column) read, and are rewritten along as they are', () => {
  const book = memoryWorkbook();
  const grid = book.createSheet(SNAP);
  const header = JSON.stringify({ format: 3, layouts: [['name']], generations: { '1': 'job_1' } });
  grid.write(1, 1, [
    ['Lead ID', 'Pull', header],
    ...Array.from({ length: 16 }, (_, i) => [`lead_${i}`, '~1', `[0,"Lead ${i}"]`]),
  ]);
  for (const generations of [true, false]) {
    const read = readSnapshot(book, SHEET, generations);
    expect([read.size, read.get('lead_15'), read.generationOf('lead_15')]).toEqual([
      16,
      { name: 'Lead 15' },
      generations ? 'job_1' : '',
    ]);
  }
  // Eight leads changed two rows apart: rewritten in place, the unchanged rows between along, as they were.
  const read = readSnapshot(book, SHEET);
  for (let i = 0; i < 16; i += 2) read.set(`lead_${i}`, { name: `Lead ${i}!` });
  writeSnapshot(book, SHEET, read);
  const rows = book.grid(SNAP).dump();
  expect(rows[2]).toEqual(['lead_1', '~1', '[0,"Lead 1"]']);
  expect(rows[1]).toEqual(['lead_0^0:("Lead 0!")', '~1', '']);
  for (const generations of [true, false]) {
    const again = readSnapshot(book, SHEET, generations);
    expect([again.get('lead_0'), again.get('lead_1'), again.get('lead_14')]).toEqual([
      { name: 'Lead 0!' },
      { name: 'Lead 1' },
      { name: 'Lead 14!' },
    ]);
  }
});

test('a stale row emptied inside an in-place run is no longer counted: the next writes compact exactly past the threshold', () => {
  const first = new Snapshot();
  for (let i = 0; i < 150; i++) first.set(`lead_${i}`, { name: `Lead ${i}` }, 'job_1');
  const { book, read } = written(first);
  // lead_75 alone changed: appended below (row 152), its row 77 stale.
  read.set('lead_75', { name: 'Moved' });
  writeSnapshot(book, SHEET, read);
  const snap = readSnapshot(book, SHEET);
  const writesOf = (change: number[], text: string) => {
    book.calls.length = 0;
    for (const i of change) snap.set(`lead_${i}`, { name: `Lead ${i} ${text}` });
    writeSnapshot(book, SHEET, snap);
    return rowsWritten(book);
  };
  const leads = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => from + k).filter((i) => i !== 75);
  // Ten changed leads around row 77: one block from row 72 to 82, the stale row emptied in it (1 → 0).
  expect(writesOf(leads(70, 81), 'a')).toEqual([[72, 11]]);
  expect(
    book
      .grid(SNAP)
      .dump()[76]
      .every((c) => c === ''),
  ).toBe(true);
  // 100 changed rows and no stale row left: 100 is not past the threshold of 100, so in place (the
  // emptied row 77 written empty again, still no stale row).
  expect(writesOf(leads(0, 101), 'b')).toEqual([[2, 101]]);
  // 101 changed rows: past it, so every lead is written once from row 2 (the header with them).
  expect(writesOf(leads(0, 102), 'c')).toEqual([[1, 151]]);
  const after = readSnapshot(book, SHEET);
  expect([after.size, after.get('lead_75'), after.get('lead_101'), after.get('lead_149')]).toEqual([
    150,
    { name: 'Moved' },
    { name: 'Lead 101 c' },
    { name: 'Lead 149' },
  ]);
});

/** A snapshot sheet of `rows` leads in an older shape (the ID alone, the values from the third column). */
function olderShape(values: (i: number) => string[], rows: number) {
  const book = memoryWorkbook();
  const grid = book.createSheet(SNAP);
  const header = JSON.stringify({ format: 3, layouts: [['name']], generations: { '1': 'job_1' } });
  const cells = Array.from({ length: rows }, (_, i) => [`lead_${i}`, '~1', ...values(i)]);
  const width = Math.max(3, ...cells.map((r) => r.length));
  grid.write(
    1,
    1,
    [['Lead ID', 'Pull', header], ...cells].map((r) => [...r, ...Array(width - r.length).fill('')]),
  );
  book.calls.length = 0;
  return book;
}

test('older rows all rewritten in format 4 (no unchanged row between to widen the write) leave no third column behind', () => {
  const book = olderShape((i) => [`[0,"Lead ${i}"]`], 8);
  const read = readSnapshot(book, SHEET);
  for (let i = 0; i < 8; i++) read.set(`lead_${i}`, { name: `Lead ${i}!` });
  writeSnapshot(book, SHEET, read);
  expect(rowsWritten(book)).toEqual([[2, 8]]);
  const rows = book.grid(SNAP).dump();
  expect(rows.slice(1)).toEqual(
    Array.from({ length: 8 }, (_, i) => [`lead_${i}^0:("Lead ${i}!")`, '~1', '']),
  );
  const again = readSnapshot(book, SHEET);
  expect(Array.from({ length: 8 }, (_, i) => again.get(`lead_${i}`))).toEqual(
    Array.from({ length: 8 }, (_, i) => ({ name: `Lead ${i}!` })),
  );
});

test('an older row longer than a cell, written along unchanged, keeps its text cut into cells as it was', () => {
  const long = `[0,"${'y'.repeat(60_000)}"]`;
  const chunks = [long.slice(0, 45_000), long.slice(45_000)];
  const book = olderShape((i) => (i === 4 ? chunks : [`[0,"Lead ${i}"]`]), 9);
  const read = readSnapshot(book, SHEET);
  expect(read.get('lead_4')).toEqual({ name: 'y'.repeat(60_000) });
  // Every lead but lead_4 changed: one run in place, lead_4's row written along as it is.
  for (let i = 0; i < 9; i++) if (i !== 4) read.set(`lead_${i}`, { name: `Lead ${i}!` });
  writeSnapshot(book, SHEET, read);
  const write = snapWrites(book).find((c) => c.op === 'write');
  expect(write?.op === 'write' && [write.row, write.values.length, write.values[4]]).toEqual([
    2,
    9,
    ['lead_4', '~1', ...chunks],
  ]);
  const again = readSnapshot(book, SHEET);
  expect([again.get('lead_4'), again.get('lead_5')]).toEqual([
    { name: 'y'.repeat(60_000) },
    { name: 'Lead 5!' },
  ]);
});
