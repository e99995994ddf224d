// What sales reps really do to a pulled sheet, beyond editing cells: delete a column the add-on needs,
// change the spreadsheet's settings between a pull and a push. Each test drives the same global
// functions the menu and sidebar call and asserts the exact cells, requests and messages.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { edit, sheetOf, table, view, writes } from './sheet';

describe('the rep deletes the Lead ID column (select column A, Delete column)', () => {
  // A sheet of a few fields: no column holds any other Close id, so nothing but the bound header tells
  // the pull that these rows are its own.
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  edit(w, WAYNE_LEAD_ID, 'Employees', 77);
  const v = view(w);
  sheetOf(w).deleteColumn(v.col('Lead ID'));
  const before = table(w);
  w.runtime.requests.length = 0;

  test('preview and push send nothing and say how to bring the column back', () => {
    const message =
      'The Lead ID column of "Close Leads" is gone (deleted?): Close Sync sends each row to the lead whose ID it holds, so nothing was sent. Bring the column back (Edit › Undo), or pull into a new sheet.';
    expect(() => w.app.previewChanges({})).toThrow(message);
    expect(() => w.app.pushChanges({})).toThrow(message);
    expect(writes(w)).toEqual([]);
  });

  test('a pull does not add every lead again below the rows already there (the next push would create them all)', () => {
    expect(() => w.app.pullLeads({})).toThrow(
      'The Lead ID column of "Close Leads" is gone (deleted?): Close Sync finds each lead\'s row by it, so a pull now would add every lead again below the rows already there: nothing was changed. Bring the column back (Edit › Undo), or pull into a new sheet.',
    );
    expect(table(w)).toEqual(before);
    expect(before[0]).toEqual(['Name', 'Industry', 'Employees', 'Sync status']);
    expect(before).toHaveLength(301);
    expect(before[v.row(WAYNE_LEAD_ID) - 1]).toEqual(['Wayne Enterprises (Sample Lead)', '', 77, '']);
    expect(writes(w)).toEqual([]);
  });
});
