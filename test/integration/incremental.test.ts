// Incremental refresh on dist/: a re-pull asks Close only for the leads changed since the last pull and
// for the deletions in its Event Log, rewrites only the cells whose value changed, keeps the rep's
// unpushed edits, and falls back to reading every lead when the shortcut cannot be trusted.
import { buildSampleOrg } from '../../dev/fake-close';
import { connectedWorld, type World } from './harness';
import { edit, SHEET, sent, view, withoutDuration } from './sheet';

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
  const read = { ...w.runtime.stats.cellsReadBySheet };

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
  // Read: the header row, the ID column, and whole columns only where a changed lead's cell may differ —
  // Name (Close renamed two leads), the read-only columns (no record to compare with) and Sync status;
  // and the two rewritten rows whole (a few rows: a call each), so a's Description edit is found too.
  // Not the Description column: Close changed no lead's, and the rows it did not change are not read.
  const readOnly = [
    ...['Created', 'Updated', 'Primary contact', 'Contact email', 'Contact phone'],
    ...['Opportunities', 'Opportunity value', 'Primary Contact', 'Legacy Sync ID'],
  ];
  expect(readOnly.every((h) => after.header.includes(h))).toBe(true);
  const readNow = (w.runtime.stats.cellsReadBySheet[SHEET] ?? 0) - (read[SHEET] ?? 0);
  expect(readNow).toBe(after.header.length + 300 * (1 + 1 + readOnly.length + 1) + 2 * after.header.length);
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
  // Written: each changed column from its first changed row to its last — the rows between were read
  // just now, and rewriting a few hundred cells costs less than a call a row — and the new row; no other
  // column, nothing above the first changed row. a's Name is the rep's (kept), so Name starts at b.
  const written = (w.runtime.stats.writes ?? [])
    .filter((x) => x.sheet === SHEET)
    .map((x) => ({ row: x.row, column: x.column, rows: x.values.length, columns: x.values[0].length }));
  expect([col('Lead ID'), col('Name')]).toEqual([1, 2]);
  expect(written).toEqual([
    { row: 20, column: col('Updated'), rows: 283, columns: 1 },
    { row: 20, column: col('Sync status'), rows: 283, columns: 1 },
    { row: 150, column: col('Name'), rows: 153, columns: 1 },
    { row: 302, column: 1, rows: 1, columns: 1 },
    { row: 302, column: 3, rows: 1, columns: col('Updated') - 3 },
    { row: 302, column: col('Updated') + 1, rows: 1, columns: col('Sync status') - col('Updated') - 1 },
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
