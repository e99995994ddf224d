import { SAMPLE_FIELDS, TRICKY_TEXT_VALUES, WAYNE_LEAD_ID, XSS_NAME } from '../../dev/fake-close';
import { FakeSpreadsheet as Book } from '../../dev/gas-fakes';
import { connectedWorld, makeWorld } from './harness';
import {
  READ_ONLY_TAIL,
  SHEET,
  cell,
  columnOf,
  edit,
  rowOf,
  sent,
  sheetOf,
  table,
  view,
  withoutDuration,
} from './sheet';

describe('pull', () => {
  const w = connectedWorld();
  const before = w.clock.now();
  const summary = w.app.pullLeads({});
  const pullMs = w.clock.now() - before;

  test('returns a summary', () => {
    expect(summary).toMatchObject({
      sheetName: SHEET,
      leads: 300,
      added: 300,
      gone: 0,
      columns: 26,
      keptEdits: 0,
    });
    expect(withoutDuration(summary.message)).toBe('Pulled 300 leads into "Close Leads" (300 new) in …s.');
    // The duration is the virtual time the pull took (Close's and Sheets' time), never 0.
    const seconds = Number(/ in ([\d.]+)s\.$/.exec(summary.message)![1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds * 1000).toBeLessThanOrEqual(pullMs + 50);
  });

  test('row 1 is a readable header: the Lead ID (frozen), editable fields (custom ones in Close order), read-only ones, Sync status', () => {
    expect(table(w)[0]).toEqual([
      'Lead ID',
      'Name',
      'Status',
      'Description',
      'URL',
      'Lead Source',
      'Product Interest',
      'Industry',
      'Employees',
      'Annual Revenue',
      'Contract Start',
      'Last Demo At',
      'Account Owner',
      'Collaborators',
      'Notes',
      'Reference Code',
      ...READ_ONLY_TAIL,
    ]);
    expect(table(w)).toHaveLength(301);
    // The ID stays in view beside every row, and any selection from the left edge takes it along.
    expect(sheetOf(w).getFrozenColumns()).toBe(1);
    expect(sheetOf(w).getFrozenRows()).toBe(1);
  });

  test("the seed's Wayne Enterprises lead is flattened into typed cells", () => {
    const row = table(w)[rowOf(w, WAYNE_LEAD_ID) - 1];
    const byHeader = Object.fromEntries((table(w)[0] as string[]).map((h, i) => [h, row[i]]));
    expect(byHeader).toMatchObject({
      'Lead ID': WAYNE_LEAD_ID,
      Name: 'Wayne Enterprises (Sample Lead)',
      Status: 'Potential',
      Description: '',
      URL: '',
      'Primary contact': 'Bruce Wayne',
      'Contact email': 'thedarkknight@close.com',
      'Contact phone': '+16503334444',
      Opportunities: 2,
      'Opportunity value': 550,
      'Lead Source': 'Website contact form',
      'Product Interest': 'Choice 1; Choice 2',
    });
    expect((byHeader.Created as Date).toISOString()).toBe('2013-02-01T00:54:51.333Z');
    expect((byHeader.Updated as Date).toISOString()).toBe('2013-02-06T20:53:01.977Z');
  });

  test('text that Sheets would coerce comes back exactly as Close has it, and no cell is a formula', () => {
    const refs = w.close.org.leads
      .filter((l) =>
        (TRICKY_TEXT_VALUES as readonly string[]).includes(
          l[`custom.${SAMPLE_FIELDS.referenceCode}`] as string,
        ),
      )
      .map((l) => [l.id, l[`custom.${SAMPLE_FIELDS.referenceCode}`]]);
    expect(refs.length).toBe(TRICKY_TEXT_VALUES.length);
    const v = view(w);
    for (const [id, value] of refs) expect(v.cell(id as string, 'Reference Code')).toBe(value);
    const sheet = w.runtime.spreadsheet;
    const formulas = table(w).flatMap((r, i) =>
      r.map((_, j) => sheet.cellInfo(SHEET, [i + 1, j + 1]).formula).filter((f) => f !== ''),
    );
    expect(formulas).toEqual([]);
    expect(cell(w, w.close.org.leads.find((l) => l.name === XSS_NAME)!.id, 'Name')).toBe(XSS_NAME);
  });

  test('users show by name, dates as real dates, numbers as numbers', () => {
    const users = w.close.org.users;
    const fullName = (u: (typeof users)[number]) => `${u.first_name} ${u.last_name}`;
    const uniqueName = (id: unknown) => {
      const u = users.find((x) => x.id === id);
      return u && users.filter((x) => fullName(x) === fullName(u)).length === 1;
    };
    const lead = w.close.org.leads.find(
      (l) =>
        uniqueName(l[`custom.${SAMPLE_FIELDS.owner}`]) &&
        l[`custom.${SAMPLE_FIELDS.contractStart}`] &&
        typeof l[`custom.${SAMPLE_FIELDS.employees}`] === 'number',
    )!;
    const owner = users.find((u) => u.id === lead[`custom.${SAMPLE_FIELDS.owner}`])!;
    expect(cell(w, lead.id, 'Account Owner')).toBe(fullName(owner));
    // Two members share this name, so each shows with an email to keep labels unambiguous.
    const twin = w.close.org.leads.find(
      (l) => l[`custom.${SAMPLE_FIELDS.owner}`] && !uniqueName(l[`custom.${SAMPLE_FIELDS.owner}`]),
    );
    if (twin) {
      const u = users.find((x) => x.id === twin[`custom.${SAMPLE_FIELDS.owner}`])!;
      expect(cell(w, twin.id, 'Account Owner')).toBe(`${fullName(u)} (${u.email})`);
    }
    expect(cell(w, lead.id, 'Employees')).toBe(lead[`custom.${SAMPLE_FIELDS.employees}`]);
    const info = w.runtime.spreadsheet.cellInfo(SHEET, [rowOf(w, lead.id), columnOf(w, 'Contract Start')]);
    expect(info.numberFormat).toBe('yyyy-mm-dd');
    expect(info.display).toBe(lead[`custom.${SAMPLE_FIELDS.contractStart}`]);
  });

  test("each column is bound to its Close field by its header's note; read-only ones look read-only", () => {
    const sheet = w.runtime.spreadsheet;
    const keep =
      'Keep this note: it ties the column to its Close field, so you can rename or move the column.';
    expect(sheet.cellInfo(SHEET, [1, columnOf(w, 'Industry')]).note).toBe(
      `Close Sync · custom.${SAMPLE_FIELDS.industry}\nTakes one of its choices (dropdown). Edits here are pushed to Close.\n${keep}`,
    );
    expect(sheet.cellInfo(SHEET, [1, columnOf(w, 'Created')]).note).toBe(
      `Close Sync · date_created\nFilled from Close on every pull and never pushed: edits here are overwritten.\n${keep}`,
    );
    expect(sheet.cellInfo(SHEET, [1, columnOf(w, 'Sync status')]).note).toBe(
      `Close Sync · _sync\nEach row's last pull or push result.\n${keep}`,
    );
    expect(sheet.cellInfo(SHEET, [2, columnOf(w, 'Name')]).note).toBe('');
    expect(sheet.cellInfo(SHEET, [2, columnOf(w, 'Created')]).background).toBe('#f1f3f4');
    expect(sheet.cellInfo(SHEET, [301, columnOf(w, 'Created')]).background).toBe('#f1f3f4');
    expect(sheet.cellInfo(SHEET, [301, columnOf(w, 'Created')]).numberFormat).toBe('yyyy-mm-dd hh:mm');
    expect(sheet.cellInfo(SHEET, [2, columnOf(w, 'Name')]).background).not.toBe('#f1f3f4');
    expect(sheet.cellInfo(SHEET, [1, columnOf(w, 'Lead ID')]).fontStyle).toBe('italic');
    expect(sheet.cellInfo(SHEET, [1, columnOf(w, 'Name')]).fontStyle).not.toBe('italic');
    expect(sheet.cellInfo(SHEET, [1, columnOf(w, 'Name')]).numberFormat).toBe('@');
  });

  test('asks Close only for the fields the columns show, in one wave: the schema, a count, and the pages the count taken at connect calls for', () => {
    const gets = sent(w, 'GET').map((r) => r.path);
    // GET /me/ only when the key was connected (with a count of the leads): its owner is saved, so a
    // pull starts with the schema.
    expect(gets.filter((p) => p === '/me/')).toHaveLength(1);
    expect(gets.slice(0, 2).map((p) => p.split('?')[0])).toEqual(['/me/', '/lead/']);
    expect(gets.slice(2, 10).map((p) => p.split('?')[0])).toEqual([
      '/custom_field_schema/lead/',
      '/status/lead/',
      expect.stringMatching(/^\/organization\/orga_/),
      '/custom_field_schema/contact/',
      '/custom_field_schema/opportunity/',
      '/status/opportunity/',
      '/pipeline/',
      '/lead/',
    ]);
    // Every custom field (`custom`: the sheet shows them all), the standard fields it shows, nothing more.
    const PAGE_FIELDS =
      'id,name,status_id,description,url,date_created,date_updated,contacts,opportunities,custom';
    const pages = gets.filter((p) => p.startsWith('/lead/?'));
    const params = pages.map((p) => new URL(`https://x${p}`).searchParams);
    // The connect's count said 300: the pages for them (and one more) come with the schema.
    expect(params.map((p) => [p.get('_skip'), p.get('_limit'), p.get('query'), p.get('_fields')])).toEqual([
      [null, '1', 'sort:created', 'id'],
      [null, '1', 'sort:created', 'id'],
      ['0', '200', 'sort:created', PAGE_FIELDS],
      ['200', '200', 'sort:created', PAGE_FIELDS],
      ['400', '200', 'sort:created', PAGE_FIELDS],
    ]);
    // One wave to connect, one to pull.
    expect(w.runtime.stats.fetchAllCalls).toBe(2);
  });
});

test('pulling twice changes nothing and a preview then lists no changes', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const first = table(w);
  // Nothing changed in Close: the refresh reads no lead at all.
  const again = w.app.pullLeads({});
  expect(again).toMatchObject({
    leads: 0,
    added: 0,
    refreshed: 0,
    gone: 0,
    refresh: { mode: 'incremental' },
  });
  expect(table(w)).toEqual(first);
  // Nor does a full pull, which reads every lead, change anything.
  const full = w.app.pullLeads({ full: true });
  expect(full).toMatchObject({
    leads: 300,
    added: 0,
    refreshed: 300,
    gone: 0,
    refresh: { mode: 'full', why: 'you asked for a full pull' },
  });
  expect(table(w)).toEqual(first);
  expect(w.app.previewChanges({}).items).toEqual([]);
});

test('Spreadsheet calls per pull do not grow with the number of leads', () => {
  const calls = (leads: number) => {
    const w = makeWorld({ org: require('../../dev/fake-close').buildSampleOrg({ leads }) });
    w.app.saveApiKey('api_test_key_1');
    const before = w.runtime.stats.spreadsheetCalls;
    w.app.pullLeads({});
    return w.runtime.stats.spreadsheetCalls - before;
  };
  expect(calls(40)).toBe(calls(600));
});

test('new sheets are sized on trust of the default 1000 × 26; a spreadsheet that makes them another size still gets every lead', () => {
  const { buildBulkOrg } = require('../../dev/fake-close');
  const pull = (newSheetSize?: { rows: number; columns: number }) => {
    const book = new Book({ timeZone: 'America/New_York', newSheetSize });
    const w = connectedWorld({
      org: buildBulkOrg({ leads: 1_500, customFields: 20 }),
      gas: { spreadsheet: book },
    });
    const calls = w.runtime.stats.spreadsheetCallsByMethod;
    const reads = () => (calls['SheetApi.getMaxRows'] ?? 0) + (calls['SheetApi.getMaxColumns'] ?? 0);
    const start = reads();
    expect(w.app.pullLeads({})).toMatchObject({ leads: 1_500, added: 1_500 });
    const size = (name: string) => {
      const sheet = book.requireSheet(name);
      return [sheet.maxRows, sheet.maxCols];
    };
    return {
      w,
      sizeReads: reads() - start,
      sheet: size(SHEET),
      snapshot: size(`Close Sync snapshot · ${SHEET}`),
    };
  };
  const usual = pull();
  const width = view(usual.w).header.length;
  expect(width).toBeGreaterThan(26);
  expect(usual).toMatchObject({ sizeReads: 0, sheet: [1_501, width], snapshot: [1_501, 2] });
  // Smaller than assumed: the first resize of each fails, its size is read, and it is done again.
  const small = pull({ rows: 100, columns: 10 });
  expect(small).toMatchObject({ sizeReads: 4, sheet: [1_501, width], snapshot: [1_501, 2] });
  expect(table(small.w)).toEqual(table(usual.w));
  // Bigger: the resizes work, and leave a few spare rows and columns.
  const big = pull({ rows: 2_000, columns: 30 });
  expect(big).toMatchObject({ sizeReads: 0, sheet: [2_501, width + 4], snapshot: [2_501, 6] });
  expect(table(big.w)).toEqual(table(usual.w));
});

test('a first pull makes its sheets without looking them up; a sheet or snapshot of that name already there is taken as it is', () => {
  const app = (w: ReturnType<typeof connectedWorld>) =>
    (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp).getActiveSpreadsheet();
  // A fresh spreadsheet: no getSheetByName at all.
  const fresh = connectedWorld();
  const calls = fresh.runtime.stats.spreadsheetCallsByMethod;
  expect(fresh.app.pullLeads({})).toMatchObject({ added: 300 });
  expect(calls['SpreadsheetApi.getSheetByName'] ?? 0).toBe(0);
  expect(app(fresh).getActiveSheet().getName()).toBe(SHEET);
  expect(app(fresh).getSheetByName(`Close Sync snapshot · ${SHEET}`)!.isSheetHidden()).toBe(true);

  // The rep made a "Close Leads" tab with a note of their own: the pull writes into it, leaves the
  // note, hides the new snapshot and leaves the rep on the sheet.
  const book = new Book({ timeZone: 'America/New_York', sheets: ['Sheet1', SHEET] });
  const w = connectedWorld({ gas: { spreadsheet: book } });
  book.userEdit(SHEET, [1, 2], 'My column');
  app(w).setActiveSheet(app(w).getSheetByName('Sheet1')!);
  expect(w.app.pullLeads({})).toMatchObject({ added: 300 });
  // (Where Sheets puts a new sheet among the tabs is its own business: the names are what count.)
  expect(book.sheets.map((s) => s.name).sort()).toEqual([
    'Close Leads',
    'Close Sync snapshot · Close Leads',
    'Close Sync state',
    'Sheet1',
  ]);
  expect(book.read(SHEET, 'B1')).toEqual([['My column']]);
  expect(view(w).rows).toHaveLength(301); // with the header
  expect(app(w).getActiveSheet().getName()).toBe(SHEET);
  expect(app(w).getSheetByName(`Close Sync snapshot · ${SHEET}`)!.isSheetHidden()).toBe(true);
  // Pulled again, nothing changes: the snapshot it wrote is the one it reads.
  expect(w.app.pullLeads({ full: true })).toMatchObject({ added: 0, refreshed: 300 });
  expect(w.app.previewChanges({}).items).toEqual([]);

  // A snapshot left by a deleted sheet of that name is used (and rewritten) by the new sheet.
  const orphan = new Book({
    timeZone: 'America/New_York',
    sheets: ['Sheet1', `Close Sync snapshot · ${SHEET}`],
  });
  const o = connectedWorld({ gas: { spreadsheet: orphan } });
  expect(o.app.pullLeads({})).toMatchObject({ added: 300 });
  expect(orphan.sheets.map((s) => s.name).sort()).toEqual([
    'Close Leads',
    'Close Sync snapshot · Close Leads',
    'Close Sync state',
    'Sheet1',
  ]);
  expect(orphan.read(`Close Sync snapshot · ${SHEET}`, 'A2:A').filter((r) => r[0] !== '')).toHaveLength(300);
  expect(app(o).getActiveSheet().getName()).toBe(SHEET);
  edit(o, WAYNE_LEAD_ID, 'Name', 'Wayne Enterprises');
  expect(o.app.previewChanges({}).items).toMatchObject([
    { leadId: WAYNE_LEAD_ID, field: 'Name', state: 'send' },
  ]);
});
