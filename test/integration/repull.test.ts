import { SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { SHEET, cell, cf, createInClose, edit, sent, sheetOf, view, withoutDuration } from './sheet';

const STAMP = '2026-11-28 04:00';

test("re-pull refreshes in place: a rep's extra column stays beside the right lead, new leads are appended, gone leads are marked", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const s = sheetOf(w);
  // The rep adds "My notes" as column C, notes two leads, and sorts by Name.
  s.insertColumnsBefore(3, 1);
  book.userEdit(SHEET, [1, 3], 'My notes');
  const before = view(w);
  const doomed = before.rows[5][before.col('Lead ID') - 1] as string;
  book.userEdit(SHEET, [before.row(WAYNE_LEAD_ID), 3], 'call Bruce');
  book.userEdit(SHEET, [before.row(doomed), 3], 'was a good lead');
  s.sort(1, true);

  // Meanwhile in Close: a new lead, a deleted one, a renamed one.
  const created = createInClose(w, 'Brand New Co');
  w.close.handle({
    method: 'DELETE',
    url: `https://api.close.com/api/v1/lead/${doomed}/`,
    headers: { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` },
    body: '',
  });
  w.close.touchLead(WAYNE_LEAD_ID, { description: 'Updated in Close' });

  // An incremental refresh: the new lead and the renamed one are read, the deletion comes from the Event Log.
  const summary = w.app.pullLeads({});
  expect(summary).toMatchObject({
    leads: 2,
    added: 1,
    gone: 1,
    keptEdits: 0,
    refresh: { mode: 'incremental' },
  });
  const after = view(w);
  expect(after.cell(WAYNE_LEAD_ID, 'My notes')).toBe('call Bruce');
  expect(after.cell(WAYNE_LEAD_ID, 'Description')).toBe('Updated in Close');
  expect(after.cell(doomed, 'My notes')).toBe('was a good lead');
  expect(after.cell(doomed, 'Sync status')).toBe(`not in Close any more (deleted or merged?) · ${STAMP}`);
  expect(after.row(created.id)).toBe(after.rows.length);
  expect(after.cell(created.id, 'Name')).toBe('Brand New Co');
  expect(after.rows).toHaveLength(302);
  // The gone lead is never pushed.
  book.userEdit(SHEET, [after.row(doomed), after.col('Name')], 'Resurrect');
  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ failed: 1, updated: 0 });
  expect(sent(w, 'PUT')).toEqual([]);
});

test('a pull keeps unpushed edits (and still checks them against Close at push); discardEdits overwrites them', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software');
  edit(w, WAYNE_LEAD_ID, 'Employees', 'many');
  const kept = w.app.pullLeads({ full: true });
  expect(kept.keptEdits).toBe(2);
  expect(withoutDuration(kept.message)).toBe(
    'Pulled 300 leads into "Close Leads" (0 new) in …s. Kept 2 unpushed edits: push them or pull with "discard edits".',
  );
  expect(cell(w, WAYNE_LEAD_ID, 'Industry')).toBe('Software');
  expect(cell(w, WAYNE_LEAD_ID, 'Employees')).toBe('many');
  expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`kept 2 unpushed edits · ${STAMP}`);
  expect(w.app.previewChanges({}).counts).toMatchObject({ fields: 1, invalid: 1 });

  const discarded = w.app.pullLeads({ discardEdits: true });
  expect(discarded).toMatchObject({ keptEdits: 0, discardedEdits: 2 });
  expect(cell(w, WAYNE_LEAD_ID, 'Industry')).toBe('');
  expect(cell(w, WAYNE_LEAD_ID, 'Employees')).toBe('');
  expect(w.app.previewChanges({}).items).toEqual([]);
});

test('a kept edit whose field changed in Close meanwhile is reported as a conflict at push', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  edit(w, WAYNE_LEAD_ID, 'Lead Source', 'Mine');
  w.close.touchLead(WAYNE_LEAD_ID, { [`custom.${SAMPLE_FIELDS.source}`]: 'Theirs' });
  w.app.pullLeads({});
  expect(cell(w, WAYNE_LEAD_ID, 'Lead Source')).toBe('Mine');
  expect(w.app.pushChanges({})).toMatchObject({ conflicts: 1, updated: 0 });
  expect(w.close.leads.get(WAYNE_LEAD_ID)![`custom.${SAMPLE_FIELDS.source}`]).toBe('Theirs');
});

test('a column the rep renamed and moved stays bound by its note; one whose note was cleared is found by its header', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const s = sheetOf(w);
  const before = view(w);
  book.userEdit(SHEET, [1, before.col('Industry')], 'Sector');
  s.moveColumns(s.getRange(1, before.col('Industry'), 1, 1), 2);
  s.getRange(1, before.col('Employees')).clearNote();
  edit(w, WAYNE_LEAD_ID, 'Employees', 5000);
  w.close.touchLead(WAYNE_LEAD_ID, { [cf('industry')]: 'Software' });

  const summary = w.app.pullLeads({});
  expect(summary).toMatchObject({ keptEdits: 1, columns: before.header.length });
  const after = view(w);
  expect(after.header).toHaveLength(before.header.length);
  expect(after.header[1]).toBe('Sector');
  expect(after.cell(WAYNE_LEAD_ID, 'Sector')).toBe('Software');
  expect(after.cell(WAYNE_LEAD_ID, 'Employees')).toBe(5000);
  expect(book.cellInfo(SHEET, [1, after.col('Employees')]).note).toMatch(
    /^Close Sync · custom\.cf_\S+\nTakes a number\./,
  );
  expect(w.app.previewChanges({}).counts).toMatchObject({ fields: 1 });
});

test("a dropdown is rewritten only when Close's choices changed", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const calls = () => w.runtime.stats.spreadsheetCallsByMethod['RangeApi.setDataValidation'] ?? 0;
  const first = calls();
  w.app.pullLeads({});
  expect(calls()).toBe(first);

  w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.choices!.push('Aerospace');
  w.app.pullLeads({});
  expect(calls()).toBe(first + 1);
  const v = view(w);
  const rule = w.runtime.spreadsheet.cellInfo(SHEET, [v.rows.length, v.col('Industry')]).validation;
  expect((rule!.values[0] as string[]).slice(-1)).toEqual(['Aerospace']);
});

test('the snapshot keeps each lead compactly (format 4: the ID and its values in one cell, hashes, interned ids); rows of formats 2 and 1 still read', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const book = w.runtime.spreadsheet;
  const SNAP = `Close Sync snapshot · ${SHEET}`;
  const rows = book.dump(SNAP) as string[][];
  const header = JSON.parse(rows[0][0]);
  expect(header.format).toBe(4);
  expect(header.layouts).toHaveLength(1);
  const keys: string[] = header.layouts[0];
  expect(keys.slice(0, 3)).toEqual(['name', 'status_id', 'description']);
  const wayne = rows.find((r) => r[0].startsWith(`${WAYNE_LEAD_ID}^`))!;
  const lead = w.close.leads.get(WAYNE_LEAD_ID)! as Record<string, unknown>;
  // The Name whole, the status as an index into the header's values, the description as a hash.
  const status = (header.values as string[]).indexOf(lead.status_id as string);
  expect(status).toBeGreaterThanOrEqual(0);
  // (`)` inside a kept value is written \u0029, so a kept value ends at the first `)`.)
  const start = `^0:("Wayne Enterprises (Sample Lead\\u0029")*${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[status]}`;
  expect(wayne[0].slice(WAYNE_LEAD_ID.length, WAYNE_LEAD_ID.length + start.length)).toBe(start);
  expect(rows.every((r) => r.length === 2)).toBe(true);
  // The generation column holds a code the header maps to the pull's job id.
  expect(wayne[1]).toMatch(/^~[0-9a-z]+$/);
  expect(Object.keys(header.generations)).toEqual([wayne[1].slice(1)]);
  const at = rows.indexOf(wayne) + 1;
  const generation = header.generations[wayne[1].slice(1)] as string;

  // A row as format 2 wrote it (the ID alone in the first column, an array in a layout from the
  // third, the generation written out), then as format 1 wrote it (an object keyed by field): both
  // read, and no phantom edit appears.
  const values = keys.map((k) => lead[k] ?? null);
  book.sheet(SNAP)!.insertColumns(3, 1, null);
  book.userEdit(SNAP, [at, 1], WAYNE_LEAD_ID);
  book.userEdit(SNAP, [at, 2], generation);
  book.userEdit(SNAP, [at, 3], JSON.stringify([0, ...values]));
  expect(w.app.previewChanges({}).items).toEqual([]);
  book.userEdit(SNAP, [at, 3], JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, values[i]]))));
  expect(w.app.previewChanges({}).items).toEqual([]);
  edit(w, WAYNE_LEAD_ID, 'Description', 'Still found');
  expect(w.app.previewChanges({}).counts).toMatchObject({ fields: 1 });
  w.app.pushChanges({});
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('Still found');
  // Rewritten in the current form once it changed: as a push writes it (it knows no field kinds), values
  // whole but for strings the header lists, written as their index (the next pull hashes the rest again).
  // One changed row far from any other is appended below the last row: a lead's last row is its record.
  const dumped = book.dump(SNAP) as string[][];
  expect(dumped.filter((r) => r[0].split('^')[0] === WAYNE_LEAD_ID)).toHaveLength(2);
  const after = dumped[dumped.length - 1];
  const pushed = `${WAYNE_LEAD_ID}${start}("Still found")`;
  expect(after[0].slice(0, pushed.length)).toBe(pushed);
  expect(after[2]).toBe('');
  expect(after[1]).toMatch(/^~[0-9a-z]+$/);
});

test("a re-pull asks for its pages in the schema's wave, with its last pull's fields and the budget Close announced then", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const pages = (from: number) =>
    w.runtime.requests
      .slice(from)
      .filter((r) => r.method === 'GET' && /\/lead\/\?.*_skip=/.test(r.url))
      .map((r) => new URL(r.url).searchParams);
  const firstFields = pages(0)[0].get('_fields');
  const before = { waves: w.runtime.stats.fetchAllCalls, requests: w.runtime.requests.length };
  expect(w.app.pullLeads({ full: true })).toMatchObject({ done: true, leads: 300, added: 0 });
  // One fetchAll: the schema, the count, and the sheet's 300 rows' pages plus one.
  expect(w.runtime.stats.fetchAllCalls - before.waves).toBe(1);
  const again = pages(before.requests);
  expect(again.map((p) => p.get('_skip'))).toEqual(['0', '200', '400']);
  expect(again.every((p) => p.get('_fields') === firstFields)).toBe(true);
});
