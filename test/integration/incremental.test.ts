// Incremental refresh on dist/: a re-pull asks Close only for the leads changed since the last pull and
// for the deletions in its Event Log, rewrites only the cells whose value changed, keeps the rep's
// unpushed edits, and falls back to reading every lead when the shortcut cannot be trusted.
import { buildSampleOrg } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { cf, edit, SHEET, sent, view, withoutDuration } from './sheet';

const AUTH = { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` };
/** A colleague's change made through Close's API (so Close logs it, as it would). */
const api = (w: World, method: string, path: string, body?: object) =>
  JSON.parse(
    w.close.handle({
      method,
      url: `https://api.close.com/api/v1${path}`,
      headers: AUTH,
      body: body ? JSON.stringify(body) : '',
    }).body,
  );
const HOUR = 60 * 60_000;
/** Requests about leads and events (the schema's left out), URL-decoded. */
const leadAndEventCalls = (w: World) =>
  sent(w)
    .map((r) => decodeURIComponent(r.path))
    .filter((p) => p.startsWith('/lead/') || p.startsWith('/event/'));

test('a refresh asks only for changes and deletions, reads the ID column and the columns Close changed, writes only the changed cells and keeps edits', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const before = view(w);
  const idAt = (row: number) => before.rows[row - 1][0] as string;
  const [a, b, c, untouched] = [idAt(20), idAt(150), idAt(280), idAt(60)];
  w.clock.advance(HOUR);
  // The rep edits two leads; Close changes one of them, another one, deletes a third and adds a fourth.
  edit(w, a, 'Name', 'My name for A');
  edit(w, a, 'Description', 'my words');
  edit(w, untouched, 'Description', 'also mine');
  w.close.touchLead(a, { name: 'A renamed' });
  w.close.touchLead(b, { name: 'B renamed' });
  api(w, 'DELETE', `/lead/${c}/`);
  const created = api(w, 'POST', '/lead/', { name: 'Brand New Co' });
  w.runtime.requests.length = 0;
  w.runtime.stats.writes = [];
  w.runtime.stats.reads = [];

  const summary = w.app.pullLeads({});
  expect(withoutDuration(summary.message)).toBe(
    'Refreshed "Close Leads" from Close: 3 leads changed since the last pull (1 new, 1 no longer in Close) in …s. Kept 2 unpushed edits in the rows Close changed (your edits in other rows were not touched): push them or pull with "discard edits".',
  );
  expect(summary).toMatchObject({
    leads: 3,
    added: 1,
    refreshed: 2,
    gone: 1,
    keptEdits: 2,
    keptEditsIn: 'changed rows',
    refresh: { mode: 'incremental' },
  });
  // The first pull began at 09:00:00 by Close's clock: the window starts five minutes earlier, on the minute.
  const calls = leadAndEventCalls(w);
  expect(calls.slice(0, 2)).toEqual([
    '/lead/?query=date_updated >= "2026-11-28T08:55:00+00:00" sort:created&_limit=1&_fields=id',
    '/event/?object_type=lead&action=deleted&date_updated__gte=2026-11-28T08:55:00.000Z&_limit=50',
  ]);
  expect(calls.slice(2).map((p) => p.replace(/&_fields=.*/, ''))).toEqual([
    '/lead/?query=date_updated >= "2026-11-28T08:55:00+00:00" sort:created&_limit=200&_skip=0',
  ]);
  expect(calls).toHaveLength(3);

  const after = view(w);
  const col = after.col;
  // Read: the header row, the ID column, and columns only where a changed lead's cell must be compared
  // before it is written — Name (Close renamed two leads), from the first changed lead's row to the
  // last (no other row of it is compared or written); and the two rewritten rows whole (a
  // few rows: a call each), so a's Description edit is found too. Not the Description column (Close
  // changed no lead's), not Updated (a read-only value Close changed: the snapshot's digest says so, and
  // it is written without reading), not Sync status (written, never compared), no other read-only column
  // (their digests match what Close sends), and no row Close did not change.
  const readOnly = [
    ...['Created', 'Updated', 'Primary contact', 'Contact email', 'Contact phone'],
    ...['Opportunities', 'Opportunity value', 'Primary Contact', 'Legacy Sync ID'],
  ];
  expect(readOnly.every((h) => after.header.includes(h))).toBe(true);
  const width = after.header.length;
  const reads = (w.runtime.stats.reads ?? [])
    .filter((x) => x.sheet === SHEET)
    .map((x) => ({
      row: x.row,
      column: x.column,
      rows: x.rows,
      columns: x.columns,
      ...(x.formulas ? { formulas: true } : {}),
    }));
  // Then, before writing, the spans of Updated and Sync status between their changed cells (values and
  // formulas: a rep's formula there is left out of the write, formula-cells.ts) and the formulas of
  // the Name cells written (a formula the rep put there is kept).
  expect(reads).toEqual([
    { row: 1, column: 1, rows: 1, columns: width },
    { row: 2, column: 1, rows: 300, columns: 1 },
    { row: 20, column: col('Name'), rows: 131, columns: 1 },
    { row: 20, column: 1, rows: 1, columns: width },
    { row: 150, column: 1, rows: 1, columns: width },
    { row: 20, column: col('Updated'), rows: 131, columns: 1 },
    { row: 20, column: col('Sync status'), rows: 261, columns: 1 },
    { row: 20, column: col('Updated'), rows: 131, columns: 1, formulas: true },
    { row: 20, column: col('Sync status'), rows: 261, columns: 1, formulas: true },
    { row: 150, column: col('Name'), rows: 1, columns: 1, formulas: true },
  ]);
  expect(after.cell(a, 'Name')).toBe('My name for A');
  expect(after.cell(a, 'Description')).toBe('my words');
  expect(after.cell(a, 'Updated')).not.toEqual(before.rows[19][col('Updated') - 1]);
  expect(after.cell(a, 'Sync status')).toBe(`kept 2 unpushed edits · 2026-11-28 05:00`);
  expect(after.cell(b, 'Name')).toBe('B renamed');
  expect(after.cell(c, 'Sync status')).toBe('not in Close any more (deleted or merged?) · 2026-11-28 05:00');
  // A lead Close did not change is not read: its edit stays as it is, its row untouched.
  expect(after.cell(untouched, 'Description')).toBe('also mine');
  expect(after.cell(untouched, 'Sync status')).toBe('');
  expect(after.row(created.id)).toBe(302);
  expect(after.cell(created.id, 'Name')).toBe('Brand New Co');
  // Written: a column that was read (Name) from its first changed row to its last — the rows between
  // were read just now, and rewriting a few hundred cells costs less than a call a row; the cells of
  // columns that were not read as one span each, read and rewritten with the rows between (each cell
  // written alone would cost a read of its formula and a write: dirty-cells.ts bridgeSpans) — a's to
  // b's Updated, a's to c's Sync status; and the new row whole, in one block (a column's run of existing
  // rows stops before the new rows, so it does not cut them in pieces). No other column, nothing above
  // the first changed row. a's Name is the rep's (kept), so Name is b's alone.
  const written = (w.runtime.stats.writes ?? [])
    .filter((x) => x.sheet === SHEET)
    .map((x) => ({ row: x.row, column: x.column, rows: x.values.length, columns: x.values[0].length }));
  expect([col('Lead ID'), col('Name')]).toEqual([1, 2]);
  expect(col('Sync status')).toBe(width);
  expect(written).toEqual([
    { row: 20, column: col('Updated'), rows: 131, columns: 1 },
    { row: 20, column: col('Sync status'), rows: 261, columns: 1 },
    { row: 150, column: col('Name'), rows: 1, columns: 1 },
    { row: 302, column: 1, rows: 1, columns: width },
  ]);
  // Every other row is as the first pull left it.
  const unchanged = (rows: unknown[][]) =>
    rows.filter((r) => ![a, b, c, untouched, created.id].includes(r[0] as string));
  expect(unchanged(after.rows).map((r) => r.join('|'))).toEqual(
    unchanged(before.rows).map((r) => r.join('|')),
  );
  // The kept edits are still changes to push; a's Name, which Close changed too, is a conflict.
  expect(w.app.previewChanges({}).counts).toMatchObject({ fields: 2, conflicts: 1 });
});

test('a full pull runs when the shortcut cannot be trusted, and the summary says why', () => {
  const w = connectedWorld({ org: buildSampleOrg({ leads: 12 }) });
  const first = w.app.pullLeads({});
  expect(first.refresh).toEqual({ mode: 'full', why: 'no record of a complete pull into this sheet' });
  expect(withoutDuration(first.message)).toBe('Pulled 12 leads into "Close Leads" (12 new) in …s.');

  // Past the Event Log's 30 days: a deletion could have been forgotten, so every lead is read (and the
  // deleted one is found missing, as a full pull finds it).
  const gone = [...w.close.leads.keys()][4];
  api(w, 'DELETE', `/lead/${gone}/`);
  w.clock.advance(30 * 24 * HOUR);
  w.runtime.requests.length = 0;
  const late = w.app.pullLeads({});
  const why = "the last pull is older than Close's Event Log reaches back (30 days)";
  expect(late).toMatchObject({ leads: 11, gone: 1, refresh: { mode: 'full', why } });
  expect(withoutDuration(late.message)).toBe(
    `Pulled 11 leads into "Close Leads" (0 new, 1 no longer in Close) in …s. Every lead was read: ${why}.`,
  );
  expect(leadAndEventCalls(w).map((p) => p.replace(/&_fields=.*/, ''))).toEqual([
    '/lead/?query=date_updated >= "2026-11-28T08:55:00+00:00" sort:created&_limit=1',
    '/event/?object_type=lead&action=deleted&date_updated__gte=2026-11-28T08:55:00.000Z&_limit=50',
    '/lead/?query=sort:created&_limit=1',
    '/lead/?query=sort:created&_limit=200&_skip=0',
  ]);

  // An hour later nothing changed: incremental, nothing read.
  w.clock.advance(HOUR);
  expect(w.app.pullLeads({})).toMatchObject({ leads: 0, gone: 0, refresh: { mode: 'incremental' } });
  expect(view(w).cell(gone, 'Sync status')).toBe(
    'not in Close any more (deleted or merged?) · 2026-12-28 04:00',
  );

  // A field renamed in Close renames a header: the columns changed, so every lead is read.
  w.clock.advance(HOUR);
  w.close.org.customFields[0].name = 'Renamed field';
  expect(w.app.pullLeads({}).refresh).toEqual({
    mode: 'full',
    why: "the sheet's columns or Close's fields changed since the last pull",
  });
  w.clock.advance(HOUR);
  expect(w.app.pullLeads({}).refresh).toEqual({ mode: 'incremental' });

  // A day after the last full pull: contacts' and opportunities' changes are caught by a full one.
  w.clock.advance(23 * HOUR);
  expect(w.app.pullLeads({}).refresh).toEqual({
    mode: 'full',
    why: 'the daily full pull (contacts and opportunities are not promised to mark their lead as updated)',
  });

  // A status renamed in Close changes cells of leads Close did not touch.
  w.clock.advance(HOUR);
  w.close.org.leadStatuses[0].label = 'Renamed status';
  expect(w.app.pullLeads({}).refresh).toEqual({
    mode: 'full',
    why: 'statuses or users were renamed, added or removed in Close',
  });

  // Asked for, or another source: always full (the rep knows why; the message does not repeat it).
  expect(w.app.pullLeads({ full: true }).refresh).toEqual({ mode: 'full', why: 'you asked for a full pull' });
  const query = w.app.pullLeads({ query: 'status:Potential' });
  expect(query.refresh).toEqual({
    mode: 'full',
    why: 'a lead can leave a query without being deleted, so every lead is read',
  });
  expect(query.message).not.toContain('Every lead was read');
});

test('a refresh reads and writes a read-only column only where Close changed its value (the snapshot keeps a digest of each); a record written before digests were kept reads them all, as before', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const before = view(w);
  const col = before.col;
  const idAt = (row: number) => before.rows[row - 1][0] as string;
  const [a, b] = [idAt(40), idAt(90)];
  const book = w.runtime.spreadsheet;
  const SNAP = `Close Sync snapshot · ${SHEET}`;
  const snap = book.dump(SNAP) as string[][];
  const header = JSON.parse(snap[0][0]);
  const keys: string[] = header.layouts[0];
  // Every read-only column but the ID keeps a digest, after the editable values.
  expect(keys.filter((k) => k.startsWith('#'))).toEqual([
    ...['#date_created', '#date_updated', '#contact.name', '#contact.email', '#contact.phone'],
    ...['#opportunities.count', '#opportunities.value', `#${cf('primaryContact')}`, `#${cf('legacyId')}`],
  ]);
  const rowB = snap.findIndex((r) => r[0].startsWith(`${b}^`));
  expect(snap[rowB][0]).toMatch(/\|[A-Za-z0-9_-]{27}$/);
  // b's record as a version that kept no digests wrote it: a layout of the editable keys only.
  header.layouts.push(keys.filter((k) => !k.startsWith('#')));
  book.userEdit(SNAP, [1, 1], JSON.stringify(header));
  book.userEdit(SNAP, [rowB + 1, 1], snap[rowB][0].replace(/\^0:/, '^1:').replace(/\|.*$/, ''));

  w.clock.advance(HOUR);
  w.close.touchLead(a, { [cf('legacyId')]: 'LEG-9' });
  w.runtime.stats.writes = [];
  w.runtime.stats.reads = [];
  expect(w.app.pullLeads({})).toMatchObject({ refreshed: 1, refresh: { mode: 'incremental' } });
  const width = before.header.length;
  const ranges = () =>
    (w.runtime.stats.reads ?? [])
      .filter((x) => x.sheet === SHEET)
      .map((x) => [x.row, x.column, x.rows, x.columns, ...(x.formulas ? ['formulas'] : [])]);
  // Read: the header, the IDs and a's row whole (one of a few rows Close changed). No column: the two
  // read-only values Close changed for a (Updated and Legacy Sync ID: their digests differ) are written
  // without reading their values (only their formulas: a rep's formula is never written over), and the
  // other read-only columns' digests match.
  expect(ranges()).toEqual([
    [1, 1, 1, width],
    [2, 1, 300, 1],
    [40, 1, 1, width],
    [40, col('Updated'), 1, 1, 'formulas'],
    [40, col('Legacy Sync ID'), 1, 1, 'formulas'],
  ]);
  // Written: those two cells of a's row, nothing else.
  const after = view(w);
  expect(w.runtime.stats.writes!.filter((x) => x.sheet === SHEET)).toEqual([
    { sheet: SHEET, row: 40, column: col('Updated'), values: [[after.cell(a, 'Updated')]] },
    { sheet: SHEET, row: 40, column: col('Legacy Sync ID'), values: [['LEG-9']] },
  ]);
  expect(after.cell(a, 'Updated')).not.toEqual(before.cell(a, 'Updated'));

  // b's record has no digests: every read-only column is read (nothing tells whether Close changed it),
  // over the changed leads' rows (a's, 40, to b's, 90), and only the cells that differ are written. Its new record keeps digests again. (a comes back
  // too — changed within five minutes of the last pull's start — and needs no column: nothing changed.)
  w.clock.advance(HOUR);
  w.close.touchLead(b, { name: 'B renamed' });
  w.runtime.stats.writes = [];
  w.runtime.stats.reads = [];
  expect(w.app.pullLeads({})).toMatchObject({ refreshed: 2, refresh: { mode: 'incremental' } });
  // The read-only columns are the nine before Sync status (the last column: written, never compared).
  expect(before.header.slice(col('Created') - 1)).toEqual([
    ...['Created', 'Updated', 'Primary contact', 'Contact email', 'Contact phone', 'Opportunities'],
    ...['Opportunity value', 'Primary Contact', 'Legacy Sync ID', 'Sync status'],
  ]);
  expect(ranges()).toEqual([
    [1, 1, 1, width],
    [2, 1, 300, 1],
    [40, col('Name'), 51, 1],
    [40, col('Created'), 51, 9],
    [40, 1, 1, width],
    [90, 1, 1, width],
    [90, col('Name'), 1, 1, 'formulas'],
    [90, col('Updated'), 1, 1, 'formulas'],
  ]);
  expect(w.runtime.stats.writes!.filter((x) => x.sheet === SHEET)).toEqual([
    { sheet: SHEET, row: 90, column: col('Name'), values: [['B renamed']] },
    { sheet: SHEET, row: 90, column: col('Updated'), values: [[view(w).cell(b, 'Updated')]] },
  ]);
  const last = view(w);
  expect(last.cell(b, 'Name')).toBe('B renamed');
  expect(last.cell(b, 'Updated')).toEqual(new Date(w.close.leads.get(b)!.date_updated as string));
  const record = (book.dump(SNAP) as string[][]).filter((r) => r[0].startsWith(`${b}^`)).pop()!;
  expect(record[0].slice(b.length)).toMatch(/^\^0:.*\|[A-Za-z0-9_-]{27}$/);
});

test('marks of deleted leads: one value, so one RangeList.setValue whatever their rows; nothing read', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const before = view(w);
  const idAt = (row: number) => before.rows[row - 1][0] as string;
  w.clock.advance(HOUR);
  for (const row of [10, 150, 290]) api(w, 'DELETE', `/lead/${idAt(row)}/`);
  w.runtime.stats.writes = [];
  w.runtime.stats.reads = [];
  w.runtime.stats.listWrites = [];
  expect(w.app.pullLeads({})).toMatchObject({ gone: 3, refresh: { mode: 'incremental' } });
  const status = before.col('Sync status');
  expect(
    (w.runtime.stats.reads ?? [])
      .filter((x) => x.sheet === SHEET)
      .map((x) => [x.row, x.column, x.rows, x.columns]),
  ).toEqual([
    [1, 1, 1, before.header.length],
    [2, 1, 300, 1],
  ]);
  const letter = String.fromCharCode(64 + status);
  expect(w.runtime.stats.listWrites).toEqual([
    {
      sheet: SHEET,
      ranges: [`${letter}10`, `${letter}150`, `${letter}290`],
      value: 'not in Close any more (deleted or merged?) · 2026-11-28 05:00',
    },
  ]);
  expect(w.runtime.stats.writes!.filter((x) => x.sheet === SHEET)).toEqual([]);
});

test('changed cells close together in a column that was not read: the span between them is read and written back exactly as it was', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const before = view(w);
  const idAt = (row: number) => before.rows[row - 1][0] as string;
  const updated = before.col('Updated');
  w.clock.advance(HOUR);
  // Close changes three leads a few rows apart, a second apart (their Updated values differ); the rep
  // typed in a read-only cell between them (warning-only protection).
  for (const row of [10, 12, 14]) {
    w.close.touchLead(idAt(row), { description: `changed ${row}` });
    w.clock.advance(1000);
  }
  edit(w, idAt(11), 'Updated', 'my note');
  w.runtime.stats.writes = [];
  w.runtime.stats.reads = [];
  expect(w.app.pullLeads({})).toMatchObject({ refreshed: 3, refresh: { mode: 'incremental' } });
  // Description is compared (read over the changed leads' rows, 10–14); Updated is not compared: three
  // writes would cost 270 ms of calls (each a read of the cell's formula and a write, through one
  // Range), a read of the five rows' values and formulas and a write through one Range 120 ms and
  // fifteen cells. The formulas of the Description cells written are read too.
  const reads = (w.runtime.stats.reads ?? []).filter((x) => x.sheet === SHEET);
  expect(reads.map((x) => [x.row, x.column, x.rows, x.columns, ...(x.formulas ? ['formulas'] : [])])).toEqual(
    [
      [1, 1, 1, before.header.length],
      [2, 1, 300, 1],
      [10, before.col('Description'), 5, 1],
      [10, 1, 1, before.header.length],
      [12, 1, 1, before.header.length],
      [14, 1, 1, before.header.length],
      [10, updated, 5, 1],
      [10, before.col('Description'), 5, 1, 'formulas'],
      [10, updated, 5, 1, 'formulas'],
    ],
  );
  const after = view(w);
  const at = (row: number) => new Date(w.close.leads.get(idAt(row))!.date_updated as string);
  expect(w.runtime.stats.writes!.filter((x) => x.sheet === SHEET && x.column === updated)).toEqual([
    {
      sheet: SHEET,
      row: 10,
      column: updated,
      values: [[at(10)], ['my note'], [at(12)], [before.cell(idAt(13), 'Updated')], [at(14)]],
    },
  ]);
  expect(after.cell(idAt(11), 'Updated')).toBe('my note');
});

test("a refresh reads the snapshot's first column (IDs and values) but not its generation column, and leaves every generation it did not write as it was", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const SNAP = `Close Sync snapshot · ${SHEET}`;
  const first = book.dump(SNAP) as string[][];
  const before = view(w);
  const b = before.rows[149][0] as string;
  w.clock.advance(HOUR);
  w.close.touchLead(b, { name: 'B renamed' });
  w.runtime.stats.reads = [];
  expect(w.app.pullLeads({})).toMatchObject({ refreshed: 1, refresh: { mode: 'incremental' } });
  expect(
    (w.runtime.stats.reads ?? [])
      .filter((x) => x.sheet === SNAP)
      .map((x) => [x.row, x.column, x.rows, x.columns]),
  ).toEqual([[1, 1, 301, 1]]);
  const after = book.dump(SNAP) as string[][];
  // b's new record is appended, with this refresh's generation code; every other row is as it was.
  expect(after.slice(1, 301)).toEqual(first.slice(1));
  expect(after).toHaveLength(302);
  expect(after[301][0]).toMatch(new RegExp(`^${b}\\^0:`));
  expect(after[301][1]).toBe('~2');
  const header = JSON.parse(after[0][0]);
  expect(Object.keys(header.generations)).toEqual(['1', '2']);
  // The next full pull reads them all again: every lead is of that pull.
  w.clock.advance(HOUR);
  expect(w.app.pullLeads({ full: true })).toMatchObject({ refreshed: 300, refresh: { mode: 'full' } });
  expect(new Set((book.dump(SNAP) as string[][]).slice(1).map((r) => r[1]))).toEqual(new Set(['~3', '']));
});

test('a damaged record in a row the refresh does not rewrite still makes the pull full (it repairs the row: a push refuses it until then)', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const SNAP = `Close Sync snapshot · ${SHEET}`;
  book.userEdit(SNAP, [60, 1], `${String(book.dump(SNAP)[59][0]).split('^')[0]}^0:("unfinished`);
  w.clock.advance(HOUR);
  const summary = w.app.pullLeads({});
  expect(summary.refresh).toEqual({
    mode: 'full',
    why: "some rows have no usable record of the last pull (Close Sync's hidden snapshot was deleted or damaged)",
  });
  expect(summary.leads).toBe(300);
});

test("more deletions than an Event Log page (50): the next page goes in the same wave as the changed leads' page; a walk that fails there drops that page and every lead is read", () => {
  // Close's answer to the Event Log's second page, when a test says so (a cursor Close no longer takes).
  let refuseCursor = false;
  const w = connectedWorld({
    intercept: (req) =>
      refuseCursor && req.url.includes('/event/') && req.url.includes('_cursor=')
        ? {
            status: 400,
            headers: { 'content-type': 'application/json' },
            body: '{"error": "Expired cursor"}',
          }
        : undefined,
  });
  w.app.pullLeads({});
  const before = view(w);
  const idAt = (row: number) => before.rows[row - 1][0] as string;
  w.clock.advance(HOUR);
  const deleted = Array.from({ length: 60 }, (_, i) => idAt(100 + i));
  for (const id of deleted) api(w, 'DELETE', `/lead/${id}/`);
  const changed = idAt(20);
  w.close.touchLead(changed, { name: 'Renamed in Close' });
  w.runtime.requests.length = 0;
  w.runtime.stats.trace = [];

  expect(w.app.pullLeads({})).toMatchObject({ leads: 1, gone: 60, refresh: { mode: 'incremental' } });
  // Waves: the schema's (with the count and the first page of deletions), then the second page of
  // deletions and the changed leads' page together: one wave where they were two.
  const waves = (w.runtime.stats.trace ?? []).filter((t) => t.startsWith('UrlFetchApp.fetchAll'));
  expect(waves.slice(1)).toEqual(['UrlFetchApp.fetchAll(2)']);
  const calls = leadAndEventCalls(w).map((p) =>
    p.replace(/&_fields=.*/, '').replace(/_cursor=[^&]+/, '_cursor=…'),
  );
  expect(calls.slice(2)).toEqual([
    '/event/?object_type=lead&action=deleted&date_updated__gte=2026-11-28T08:55:00.000Z&_limit=50&_cursor=…',
    '/lead/?query=date_updated >= "2026-11-28T08:55:00+00:00" sort:created&_limit=200&_skip=0',
  ]);
  const after = view(w);
  expect(after.cell(changed, 'Name')).toBe('Renamed in Close');
  expect(
    deleted.every(
      (id) =>
        after.cell(id, 'Sync status') === 'not in Close any more (deleted or merged?) · 2026-11-28 05:00',
    ),
  ).toBe(true);

  // The second page refused: the deletions cannot all be learnt, so the changed leads' page fetched with
  // it is dropped and every lead is read (each row written once, none added twice).
  w.clock.advance(HOUR);
  for (let i = 0; i < 55; i++) api(w, 'DELETE', `/lead/${idAt(200 + i)}/`);
  refuseCursor = true;
  w.runtime.requests.length = 0;
  const full = w.app.pullLeads({});
  expect(full).toMatchObject({
    gone: 115,
    refresh: { mode: 'full', why: `Close's Event Log could not be read (Expired cursor)` },
  });
  // The header and the same 300 leads, each once, in their rows.
  expect(view(w).rows.map((r) => r[0])).toEqual(before.rows.map((r) => r[0]));
});

test("a refresh's Sheets calls: the spreadsheet asked for once, the sheet found by id not looked up again, the snapshot's merges not asked, the state sheet read by its data range, blocks read once without a Range, a block read, its formulas read and written back through one Range, the sheet's rows alone asked", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const before = view(w);
  const idAt = (row: number) => before.rows[row - 1][0] as string;
  w.clock.advance(HOUR);
  for (const row of [10, 12, 14]) {
    w.close.touchLead(idAt(row), { description: `changed ${row}` });
    w.clock.advance(1000);
  }
  w.runtime.stats.trace = [];
  expect(w.app.pullLeads({})).toMatchObject({ refreshed: 3, refresh: { mode: 'incremental' } });
  // Each call, and what each read and write moved (without its cells and bytes).
  const trace = w.runtime.stats.trace.map((c) =>
    c
      .trim()
      .replace(/,? \d+ cells, \d+ bytes$/, '')
      .replace(/:$/, ''),
  );
  const count = (method: string) => trace.filter((c) => c === method).length;
  expect(count('SpreadsheetApp.getActiveSpreadsheet')).toBe(1);
  // Found by its id (sheet identity), the lead sheet is not looked up by name: the state sheet and the
  // snapshot are.
  expect(count('SpreadsheetApi.getSheetById')).toBe(1);
  expect(count('SpreadsheetApi.getSheetByName')).toBe(2);
  // Merges are looked for in the lead sheet only (the snapshot's refuse nothing).
  expect(count('RangeApi.canEdit')).toBe(2);
  expect(count('RangeApi.getMergedRanges')).toBe(1);
  // The state sheet: its lookup, its data range and its values, nothing else.
  const state = trace.indexOf('read Close Sync state R1C1 2×2');
  expect(trace.slice(state - 3, state)).toEqual([
    'SpreadsheetApi.getSheetByName',
    'SheetApi.getDataRange',
    'RangeApi.getValues',
  ]);
  // Description (read over the changed leads' rows, 10–14, to be compared) and Updated (not compared:
  // its span between the changed cells is read to be rewritten) are each read, their formulas read and
  // written back over rows 10–14: one getRange a column for all of it.
  const description = before.col('Description');
  const updated = before.col('Updated');
  const compared = trace.indexOf(`read Close Leads R10C${description} 5×1`);
  expect(trace.slice(compared - 2, compared)).toEqual(['SheetApi.getRange', 'RangeApi.getValues']);
  const span = trace.indexOf(`read Close Leads R10C${updated} 5×1`);
  expect(trace.slice(span - 2, span + 9)).toEqual([
    'SheetApi.getRange',
    'RangeApi.getValues',
    `read Close Leads R10C${updated} 5×1`,
    'RangeApi.getFormulas',
    `read Close Leads R10C${description} 5×1`,
    'RangeApi.getFormulas',
    `read Close Leads R10C${updated} 5×1`,
    'RangeApi.setValues',
    'wrote Close Leads: 5×1',
    'RangeApi.setValues',
    'wrote Close Leads: 5×1',
  ]);
  // Blocks read once (the header row, the ID column, the snapshot's first column) are one call each:
  // Sheet.getSheetValues, no Range.
  const once = (read: string) => trace.slice(trace.indexOf(read) - 1, trace.indexOf(read) + 1);
  expect(once('read Close Leads R1C1 1×26')).toEqual([
    'SheetApi.getSheetValues',
    'read Close Leads R1C1 1×26',
  ]);
  expect(once('read Close Leads R2C1 300×1')).toEqual([
    'SheetApi.getSheetValues',
    'read Close Leads R2C1 300×1',
  ]);
  expect(once(`read Close Sync snapshot · ${SHEET} R1C1 301×1`)).toEqual([
    'SheetApi.getSheetValues',
    `read Close Sync snapshot · ${SHEET} R1C1 301×1`,
  ]);
  // The sheets' columns hold content, so only their rows are asked when they may have to grow.
  expect(count('SheetApi.getMaxColumns')).toBe(0);
});

test("a refresh's new rows go right after the last row, the sheet's size not asked: the blank rows below stay below, and the new rows get row 2's formats and dropdowns", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const sheet = () => book.requireSheet(SHEET);
  // A first pull into a new sheet leaves it Sheets' 1,000 rows: 301 hold the leads, the rest are blank.
  expect(sheet().maxRows).toBe(1000);
  const width = view(w).header.length;
  const range = (row: number) =>
    (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp)
      .getActiveSpreadsheet()
      .getSheetByName(SHEET)!
      .getRange(row, 1, 1, width);
  // The rep formats the last lead's row their own way: a row inserted after it takes its formats (the
  // fake's insertRowsAfter, as Sheets'), so only the add-on's copy of row 2's gives the new row row 2's.
  range(301).setNumberFormat('0.000').clearDataValidations();
  w.clock.advance(HOUR);
  const created = api(w, 'POST', '/lead/', { name: 'Brand New Co' });
  w.runtime.stats.trace = [];
  expect(w.app.pullLeads({})).toMatchObject({ added: 1, refresh: { mode: 'incremental' } });
  const trace = w.runtime.stats.trace.map((c) => c.trim());
  expect(trace.filter((c) => c === 'SheetApi.getMaxRows')).toEqual([]);
  // One row in after row 301 of the sheet, one after row 301 of the snapshot (its new record).
  expect(trace.filter((c) => c === 'SheetApi.insertRowsAfter')).toHaveLength(2);
  expect(sheet().maxRows).toBe(1001);
  const after = view(w);
  expect(after.row(created.id)).toBe(302);
  expect(after.rows).toHaveLength(302);
  expect(range(301).getNumberFormats()).toEqual([Array(width).fill('0.000')]);
  expect(range(302).getNumberFormats()).toEqual(range(2).getNumberFormats());
  expect(
    range(302)
      .getDataValidations()
      .map((r) => r.map((v) => v !== null)),
  ).toEqual(
    range(2)
      .getDataValidations()
      .map((r) => r.map((v) => v !== null)),
  );
});
