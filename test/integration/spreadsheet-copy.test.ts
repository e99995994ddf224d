// A rep makes a copy of the whole spreadsheet (File › Make a copy) and works in it. The copy takes every
// sheet, Close Sync's hidden ones too, but not the add-on's settings (document properties) nor its
// triggers (FakeSpreadsheet.makeCopy has the sources). So the copy pushes nothing until a pull has
// told Close Sync what its sheet holds, and that pull says the settings were not there.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { makeWorld } from '../../dev/world';
import { connectedWorld } from './harness';
import { cf, edit, table, view } from './sheet';

describe('File › Make a copy of a pulled spreadsheet, then work in the copy', () => {
  const original = connectedWorld();
  original.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  edit(original, WAYNE_LEAD_ID, 'Employees', 77);
  const book = original.runtime.spreadsheet.makeCopy('rep@example.com');
  // The same rep (their API key is a user property) opens the copy; Close is the same organization.
  const copy = makeWorld({
    gas: { spreadsheet: book, userProperties: original.runtime.userProperties },
    intercept: (req) => original.close.handle(req),
  });
  const sent = () =>
    copy.runtime.requests
      .filter((r) => r.method === 'PUT' || r.method === 'POST')
      .filter((r) => !r.url.endsWith('/data/search/'))
      .map((r) => ({
        method: r.method,
        path: r.url.replace('https://api.close.com/api/v1', ''),
        body: JSON.parse(r.body!),
      }));

  test('the copy has every sheet (hidden ones too, same ids) but no settings', () => {
    expect(book.sheets.map((s) => [s.name, s.hidden])).toEqual(
      original.runtime.spreadsheet.sheets.map((s) => [s.name, s.hidden]),
    );
    expect(book.sheets.map((s) => s.sheetId)).toEqual(
      original.runtime.spreadsheet.sheets.map((s) => s.sheetId),
    );
    expect(copy.runtime.documentProperties.toObject()).toEqual({});
  });

  test('preview and push send nothing and say to pull first', () => {
    const message =
      'Close Sync\'s settings for "Close Leads" are not in this spreadsheet: a copy made with File › Make a copy takes the sheets but not the add-on\'s settings, so Close Sync cannot tell what this sheet pulls. Nothing was sent. Pull into "Close Leads" first (Close Sync keeps the cells you changed), then preview or push.';
    expect(() => copy.app.previewChanges({})).toThrow(message);
    expect(() => copy.app.pushChanges({})).toThrow(message);
    expect(sent()).toEqual([]);
  });

  test('a pull says the settings were not there, keeps the typed edit, and then the push sends only it', () => {
    const summary = copy.app.pullLeads({});
    expect(summary.message).toContain(
      ` Close Sync's settings for "Close Leads" were not in this spreadsheet (a copy made with File › Make a copy takes the sheets but not the add-on's settings), so this pull brought every field of every lead into the rows of the earlier pull: if this sheet pulled a Smart View, a query or chosen fields, choose them again in the sidebar and pull.`,
    );
    expect(summary).toMatchObject({ added: 0, refreshed: 300, keptEdits: 1 });
    expect(view(copy).cell(WAYNE_LEAD_ID, 'Employees')).toBe(77);
    expect(copy.app.pushChanges({})).toMatchObject({ updated: 1, failed: 0 });
    expect(sent()).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 77 } },
    ]);
    // The original is untouched by the copy's work.
    expect(table(original)[0]).toEqual(['Lead ID', 'Name', 'Industry', 'Employees', 'Sync status']);
  });
});
