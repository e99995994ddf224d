// The snapshot's storage (format 3): row tokens, interned values, hashes, generation codes, and rows of
// the older formats read as they are. The hash is 36 bits: pulled-value.ts says why that is enough.
import { createGasRuntime, VirtualClock } from '../../dev/gas-fakes';
import { leadColumns } from '../../src/core/schema/columns';
import { fieldChange } from '../../src/core/sync/changes';
import {
  Digest,
  HASH_CHARS,
  Hashed,
  hashText,
  Interned,
  readOnlyDigest,
  sameAsDigest,
  sameAsPulled,
  showsPulled,
} from '../../src/core/sync/pulled-value';
import { readSnapshot, Snapshot, snapshotSheetName, writeSnapshot } from '../../src/core/sync/snapshot';
import { Dictionary, decodeRow, encodeRow, readableLayout } from '../../src/core/sync/snapshot-row';
import { activeWorkbook } from '../../src/gas/grid';
import { bindColumns } from './bound-columns';

const { bound, token } = bindColumns(
  leadColumns([
    { id: 'cf_when', name: 'When', type: 'datetime' },
    { id: 'cf_day', name: 'Day', type: 'date' },
    { id: 'cf_size', name: 'Size', type: 'number' },
    { id: 'cf_owners', name: 'Owners', type: 'user', accepts_multiple_values: true },
  ]),
);

test('hashText: 6 base64url characters (36 bits), the same for the same text', () => {
  expect(HASH_CHARS).toBe(6);
  expect(hashText('sAcme Corp')).toBe(hashText('sAcme Corp'));
  expect(hashText('sAcme Corp')).toMatch(/^[A-Za-z0-9_-]{6}$/);
  expect(hashText('sAcme Corp')).not.toBe(hashText('sAcme Corq'));
  // Fixed: a changed hash function would make every snapshot written before it look edited.
  expect(hashText('')).toBe('D2o7ag');
  expect(hashText('sAcme Corp')).toBe(hashText(`s${'Acme Corp'}`));
  // A prefix is hashed as if joined to the text (the pull hashes without joining).
  expect(hashText('Acme Corp', 's')).toBe(hashText('sAcme Corp'));
  expect(hashText('Acme Corp', 's')).not.toBe(hashText('Acme Corp'));
});

test('a row encodes every kind of token and decodes to the same values', () => {
  const dictionary = new Dictionary();
  const values = [
    null,
    '',
    7,
    'ab',
    'a)b(c\\)',
    true,
    new Hashed('Ab3-_9'),
    new Interned('stat_potential'),
    new Interned(['user_ann', 'user_bob']),
    [new Hashed('zzzzzz'), 'ok'],
  ];
  const text = encodeRow(2, values, dictionary);
  expect(text).toBe('^2:.,(7)("ab")("a\\u0029b(c\\\\\\u0029")(true)Ab3-_9*A[*B*C][zzzzzz("ok")]');
  expect(dictionary.values).toEqual(['stat_potential', 'user_ann', 'user_bob']);
  expect(decodeRow(text, dictionary)).toEqual([
    2,
    null,
    '',
    7,
    'ab',
    'a)b(c\\)',
    true,
    new Hashed('Ab3-_9'),
    'stat_potential',
    ['user_ann', 'user_bob'],
    [new Hashed('zzzzzz'), 'ok'],
  ]);
});

test('interned values: one index character for the first 64, two up to 4,160, then the value itself', () => {
  const dictionary = new Dictionary();
  for (let i = 0; i < 64; i++) dictionary.ref(`v${i}`);
  expect(dictionary.ref('v63')).toBe('*_');
  expect(dictionary.ref('v64')).toBe('{AA');
  expect(dictionary.ref('v65')).toBe('{AB');
  for (let i = 66; i < 64 + 4096; i++) dictionary.ref(`v${i}`);
  expect(dictionary.ref(`v${64 + 4095}`)).toBe('{__');
  expect(dictionary.ref('one too many')).toBeNull();
  expect(encodeRow(0, [new Interned('one too many')], dictionary)).toBe('^0:("one too many")');
  expect(decodeRow('^0:{AB*B', dictionary)).toEqual([0, 'v65', 'v1']);
  expect(decodeRow('^0:{BA{__', dictionary)).toEqual([0, 'v128', `v${64 + 4095}`]);
});

test('a row that cannot be read throws (the snapshot reports that lead as damaged)', () => {
  // Two values: an index read past a cut row's end must not find the second one either.
  const dictionary = new Dictionary(['only', 'second']);
  // Each a row damaged a different way: no layout number, no row mark, a list opened twice or closed
  // without being opened, a row cut inside an index (it once read as the first interned value).
  for (const bad of [
    '^0:(1',
    '^0:[*A',
    '^0:*C',
    '^0:abc',
    '^x:.',
    '^0:!',
    '0:.',
    '^:.',
    'x12:.',
    '^0:[*A[*A]',
    '^0:]',
    '^0:*',
    '^0:{A',
  ])
    expect(() => decodeRow(bad, dictionary)).toThrow();
  const snapshot = new Snapshot();
  snapshot.loadLayouts([['name']], {}, []);
  snapshot.load('lead_1', '^0:(1', '~1', 2);
  expect(snapshot.get('lead_1')).toBeUndefined();
  expect(snapshot.isDamaged('lead_1')).toBe(true);
});

test('what a pull keeps of each value: short and needed values whole, ids interned, the rest hashed', () => {
  expect(token('name', 'Acme Corporation')).toBe('Acme Corporation');
  expect(token('description', 'ab')).toBe('ab');
  expect(token('description', 'A long description')).toEqual(new Hashed(hashText('sA long description')));
  expect(token('description', 'x'.repeat(50_001))).toBe('x'.repeat(50_001));
  expect(token('status_id', 'stat_potential')).toEqual(new Interned('stat_potential'));
  expect(token('custom.cf_owners', ['user_ann', 'user_bob'])).toEqual(new Interned(['user_ann', 'user_bob']));
  expect(token('custom.cf_size', 1234)).toBe(1234);
  expect(token('custom.cf_size', 123456)).toEqual(new Hashed(hashText('n123456')));
  expect(token('custom.cf_day', '2024-05-01')).toEqual(new Hashed(hashText('s2024-05-01')));
  expect(token('custom.cf_day', 'not a date')).toBe('not a date');
  const when = '2024-05-01T10:00:00.123000+00:00';
  expect(token('custom.cf_when', when)).toEqual(
    new Hashed(hashText(`t${Date.UTC(2024, 4, 1, 10, 0, 0, 123)}`)),
  );
  expect(token('custom.cf_when', null)).toBeNull();
});

test('a hashed value is recognised exactly as apiValuesEqual would recognise the value', () => {
  const when = token('custom.cf_when', '2024-05-01T10:00:00.123000+00:00');
  // The same instant written differently is the same value; a millisecond later is not.
  expect(sameAsPulled('2024-05-01T10:00:00.123+00:00', when, 'datetime')).toBe(true);
  expect(sameAsPulled('2024-05-01T10:00:00.124+00:00', when, 'datetime')).toBe(false);
  expect(sameAsPulled(null, when, 'datetime')).toBe(false);
  const text = token('description', 'A long description');
  expect(sameAsPulled('A long description', text, 'text')).toBe(true);
  expect(sameAsPulled('A long description.', text, 'text')).toBe(false);
  // Multi-values compare as sets, element by element.
  const owners = [new Hashed(hashText('suser_ann')), new Hashed(hashText('suser_bob'))];
  expect(sameAsPulled(['user_bob', 'user_ann'], owners, 'users')).toBe(true);
  expect(sameAsPulled(['user_ann'], owners, 'users')).toBe(false);
});

test('a cell against a hashed pulled value: untouched is no edit, typing is an edit (with no "old" to show)', () => {
  const b = bound('description');
  const pulled = token('description', 'A long description');
  expect(showsPulled(b, 'A long description', pulled)).toBe(true);
  expect(fieldChange(b, 'A long description', pulled)).toEqual({});
  expect(fieldChange(b, 'A longer description', pulled)).toEqual({
    edit: { key: 'description', header: 'Description', old: pulled, value: 'A longer description' },
  });
  expect(fieldChange(b, '', pulled)).toEqual({
    edit: { key: 'description', header: 'Description', old: pulled, value: null },
  });
  // A Date cell of the pulled instant (as Sheets hands it back) is no edit.
  const w = bound('custom.cf_when');
  const when = token('custom.cf_when', '2024-05-01T10:00:00.123000+00:00');
  expect(fieldChange(w, new Date(Date.UTC(2024, 4, 1, 10, 0, 0, 123)), when)).toEqual({});
});

test('written and read back: values, hashes, interned ids and generation codes; the header names each code', () => {
  const clock = new VirtualClock();
  const runtime = createGasRuntime({
    http: () => ({ status: 500, headers: {}, body: '' }),
    clock,
    quiet: true,
  });
  Object.assign(globalThis, { SpreadsheetApp: runtime.globals.SpreadsheetApp });
  const workbook = activeWorkbook();
  const snapshot = new Snapshot();
  const layout = snapshot.layoutOf(['name', 'status_id', 'description']);
  const hashed = new Hashed(hashText('sA long description'));
  snapshot.setPacked('lead_1', [layout, 'Acme', new Interned('stat_potential'), hashed], 'job-first');
  snapshot.setPacked('lead_2', [layout, 'Beta', new Interned('stat_potential'), null], 'job-first');
  writeSnapshot(workbook, 'Leads', snapshot);
  const rows = runtime.spreadsheet.dump(snapshotSheetName('Leads')) as string[][];
  // Format 4: the header's JSON in the first cell; each lead's ID and values in one cell, then its
  // generation (two cells a lead).
  expect(rows[0][1]).toBe('');
  expect(JSON.parse(rows[0][0])).toEqual({
    format: 4,
    layouts: [['name', 'status_id', 'description']],
    generations: { '1': 'job-first' },
    values: ['stat_potential'],
  });
  expect(rows.slice(1)).toEqual([
    [`lead_1^0:("Acme")*A${hashed.hash}`, '~1'],
    ['lead_2^0:("Beta")*A.', '~1'],
  ]);

  const read = readSnapshot(workbook, 'Leads');
  expect(read.get('lead_1')).toEqual({ name: 'Acme', status_id: 'stat_potential', description: hashed });
  expect(read.generationOf('lead_2')).toBe('job-first');
  // A second pull restamps both rows: only the generation column and the header (a new code) are written.
  read.setPacked('lead_1', [0, 'Acme', new Interned('stat_potential'), hashed], 'job-second');
  read.setPacked('lead_2', [0, 'Beta', new Interned('stat_potential'), null], 'job-second');
  const before = runtime.stats.cellsWritten;
  writeSnapshot(workbook, 'Leads', read);
  expect(runtime.stats.cellsWritten - before).toBe(2 + 2);
  const again = runtime.spreadsheet.dump(snapshotSheetName('Leads')) as string[][];
  expect(again.slice(1).map((r) => r[1])).toEqual(['~2', '~2']);
  // Only the code in use is named (and the highest, so it is never handed out again).
  expect(JSON.parse(again[0][0]).generations).toEqual({ '2': 'job-second' });
  expect(readSnapshot(workbook, 'Leads').generationOf('lead_1')).toBe('job-second');
  // Read and written again unchanged: nothing is written, not even the header.
  const unchanged = runtime.stats.cellsWritten;
  writeSnapshot(workbook, 'Leads', readSnapshot(workbook, 'Leads'));
  expect(runtime.stats.cellsWritten).toBe(unchanged);
  // A later step of the same pull interns a value the header does not list yet: the header is written
  // with it, or the row would read as damaged.
  const later = readSnapshot(workbook, 'Leads');
  later.setPacked('lead_3', [0, 'Gamma', new Interned('stat_qualified'), null], 'job-second');
  writeSnapshot(workbook, 'Leads', later);
  expect(readSnapshot(workbook, 'Leads').get('lead_3')).toEqual({
    name: 'Gamma',
    status_id: 'stat_qualified',
    description: null,
  });
});

test('a snapshot written in format 2 (arrays, generations written out) and format 1 (objects) still reads', () => {
  const snapshot = new Snapshot();
  snapshot.loadLayouts([['name', 'status_id']]);
  snapshot.load('lead_1', '[0,"Acme","stat_potential"]', 'job-old', 2);
  snapshot.load('lead_2', '{"name":"Beta","status_id":null}', 'job-old', 3);
  expect(snapshot.get('lead_1')).toEqual({ name: 'Acme', status_id: 'stat_potential' });
  expect(snapshot.get('lead_2')).toEqual({ name: 'Beta', status_id: null });
  expect(snapshot.generationOf('lead_1')).toBe('job-old');
});

test('a string the header already lists is written as its index wherever it appears (a push keeps rows small)', () => {
  const dictionary = new Dictionary(['stat_potential', 'user_ann']);
  expect(
    encodeRow(
      0,
      ['stat_potential', ['user_ann', 'stat_potential'], ['user_ann', 'user_zed'], 'new value'],
      dictionary,
    ),
  ).toBe('^0:*A[*B*A](["user_ann","user_zed"])("new value")');
  expect(encodeRow(0, [['user_ann', 'stat_potential', 'user_ann'], undefined], dictionary)).toBe(
    '^0:[*B*A*B].',
  );
  // Nothing was added: only a pull interns (it knows which fields hold ids).
  expect(dictionary.values).toEqual(['stat_potential', 'user_ann']);
  expect(decodeRow('^0:*A[*B*A]', dictionary)).toEqual([0, 'stat_potential', ['user_ann', 'stat_potential']]);
});

test("read-only digests (3 characters each) end a row after `|`; a push's added field still goes before them", () => {
  const dictionary = new Dictionary();
  const text = encodeRow(1, [new Hashed('Ab3-_9'), null, new Digest('xY_'), new Digest('012')], dictionary);
  expect(text).toBe('^1:Ab3-_9.|xY_012');
  expect(decodeRow(text, dictionary)).toEqual([
    1,
    new Hashed('Ab3-_9'),
    null,
    new Digest('xY_'),
    new Digest('012'),
  ]);
  expect(() => encodeRow(1, [new Digest('xY_'), 'late'], dictionary)).toThrow(
    'a value after the read-only digests',
  );
  for (const bad of ['^1:Ab3-_9|xY', '^1:.|xY_0!2', '^1:[.|xY_]'])
    expect(() => decodeRow(bad, dictionary)).toThrow();
  expect(readOnlyDigest('2026-01-02T03:04:05.000000+00:00', 'datetime')).toEqual(
    readOnlyDigest('2026-01-02T03:04:05Z', 'datetime'),
  );
  expect(readOnlyDigest(null, 'text').hash).toBe(hashText('e').slice(0, 3));
  expect(readOnlyDigest('', 'text')).toEqual(readOnlyDigest(null, 'text'));
  expect(sameAsDigest('Acme', readOnlyDigest('Acme', 'text'), 'text')).toBe(true);
  expect(sameAsDigest('Acme', readOnlyDigest('Acmf', 'text'), 'text')).toBe(false);
  expect(sameAsDigest('Acme', undefined, 'text')).toBe(false);

  const snapshot = new Snapshot();
  snapshot.set('lead_a', { name: 'Acme', '#date_updated': new Digest('xY_') });
  // A push adds a field's value to the record: it is written before the digests, which end the row.
  snapshot.setField('lead_a', 'description', 'words');
  expect(snapshot.pack(snapshot.get('lead_a')!)).toBe('^0:("Acme")("words")|xY_');
  expect(snapshot.unpack('^0:("Acme")("words")|xY_')).toEqual({
    name: 'Acme',
    description: 'words',
    '#date_updated': new Digest('xY_'),
  });
});

test('readableLayout accepts exactly the rows decodeRow reads, without making their values', () => {
  const dictionary = new Dictionary(['stat_potential', 'user_ann']);
  const rows = [
    '^2:.,(7)Ab3-_9*A[*B("ok")]|xY_012',
    '^0:',
    '^5:[]',
    '^1:{AA',
    '^1:*C',
    '^1:("unfinished',
    '^1:(nope)',
    '^1:[*A',
    '^1:*A]',
    '^1:Ab3',
    '^1:.|xY',
    '^1:.|x!_',
    '^x:.',
    '[0,"format 2"]',
    '^1:.!',
  ];
  for (const text of rows) {
    let decoded = -1;
    try {
      decoded = decodeRow(text, dictionary)[0] as number;
    } catch {
      decoded = -1;
    }
    expect([text, readableLayout(text, dictionary.values.length)]).toEqual([text, decoded]);
  }
  expect(rows.map((t) => readableLayout(t, 2) >= 0)).toEqual([
    true,
    true,
    true,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
});

test('readableLayout and decodeRow: digit 0 is a digit, a character past ASCII is none, a two-digit index reads on', () => {
  const dictionary = new Dictionary(Array.from({ length: 70 }, (_, i) => `value_${i}`));
  // `A` is the digit 0 (a digest or an index may hold it); `é` and U+0080 are no digits at all.
  expect(decodeRow('^1:.|AAA', dictionary)).toEqual([1, null, new Digest('AAA')]);
  expect(decodeRow('^1:{AB.', dictionary)).toEqual([1, 'value_65', null]);
  for (const bad of ['^1:.|xé_', '^1:.|x\u0080_']) expect(() => decodeRow(bad, dictionary)).toThrow();
  expect(['^1:.|AAA', '^1:{AB.', '^1:.|xé_', '^1:.|x\u0080_'].map((t) => readableLayout(t, 70))).toEqual([
    1, 1, -1, -1,
  ]);
});

test('readableLayout and decodeRow at each check: a row damaged just past it is refused, a row just inside reads', () => {
  const listing = (n: number) => new Dictionary(Array.from({ length: n }, (_, i) => `value_${i}`));
  // [row, how many values the header lists]: what one check alone refuses, so a check weakened shows.
  const refused: [string, number][] = [
    ['x1:.', 1], // no row mark (the rest reads: `.` after a layout 1)
    ['^:.', 1], // no layout number (an empty one is Number('') = 0)
    ['^1:*!', 1], // a one-digit index that is no digit
    ['^1:{!A', 1], // a two-digit index whose first digit is none (it would be index 0)
    ['^1:{A!', 64], // … whose second digit is none (it would be index 63)
    ['^1:{AA', 64], // index 64 with 64 values listed
    ['^1:{AB', 65], // index 65 with 65 values listed
    ['^1:{BA', 65], // index 128 (its first digit counts 64 each)
    ['^1:[!', 1], // a list holding no token (it must not close the list)
    ['^1:!AAAAA', 1], // six characters that start with no digit are no hash
  ];
  for (const [text, listed] of refused) {
    expect([text, listed, readableLayout(text, listed)]).toEqual([text, listed, -1]);
    expect(() => decodeRow(text, listing(listed))).toThrow();
  }
  // Just inside: the first two-digit index (64, its second digit 0), and a hash that ends the row.
  expect([readableLayout('^1:{AA', 65), readableLayout('^1:AAAAAA', 0)]).toEqual([1, 1]);
  expect(decodeRow('^1:{AA', listing(65))).toEqual([1, 'value_64']);
  expect(decodeRow('^1:AAAAAA', listing(0))).toEqual([1, new Hashed('AAAAAA')]);
});

test('a hash is six digits, every one checked: a hash with any other character, or cut short, makes its row damaged', () => {
  const dictionary = new Dictionary(['value_0']);
  // Each damaged at one place of a hash: its 2nd to 6th character, inside a list, cut by the row's end.
  const damaged = [
    '^1:A!!!!!',
    '^1:AAAAA!',
    '^1:A!AAAA',
    '^1:AA AAA',
    '^1:AAAéAA',
    '^1:AAAA\u0080A',
    '^1:[Ab3-_9AAAA.A]',
    '^1:.Ab3-_',
  ];
  for (const text of damaged) {
    expect([text, readableLayout(text, 1)]).toEqual([text, -1]);
    expect(() => decodeRow(text, dictionary)).toThrow();
  }
  // Just inside: six digits of every kind (capital, small, figure, `-`, `_`), alone and in a list.
  expect(decodeRow('^1:Az9-_A[Ab3-_9]', dictionary)).toEqual([
    1,
    new Hashed('Az9-_A'),
    [new Hashed('Ab3-_9')],
  ]);
  expect(readableLayout('^1:Az9-_A[Ab3-_9]', 1)).toBe(1);
  // The snapshot holds such a row as damaged, as it holds any row it cannot read: no record, and a
  // refresh finds it unusable (so it pulls in full and repairs it); the row beside it is unharmed.
  const snap = new Snapshot();
  snap.loadLayouts([['name', 'description']]);
  snap.load('lead_ok', '^0:("Acme")Ab3-_9', 'job_1', 2);
  snap.load('lead_bad', '^0:("Globex")A!!!!!', 'job_1', 3);
  expect([snap.isUsable('lead_ok'), snap.isUsable('lead_bad')]).toEqual([true, false]);
  expect(snap.get('lead_ok')).toEqual({ name: 'Acme', description: new Hashed('Ab3-_9') });
  expect(snap.get('lead_bad')).toBeUndefined();
  expect([snap.isDamaged('lead_ok'), snap.isDamaged('lead_bad')]).toEqual([false, true]);
});
