// A rep merges cells in the lead sheet (Format › Merge cells): a merge keeps only its top-left cell's
// value and the others read as empty (dev/gas-fakes/merges.ts has the sources). Pushed, those empty
// cells would clear the lead's fields in Close, though the rep only meant to format; pulled into, the
// values written there would be lost. So a pull, push or undo is refused while such a merge is there.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { cf, edit, SHEET, sheetOf, table, view, writes } from './sheet';

describe("a rep merges two field cells of a lead's row", () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  const v = view(w);
  // A lead whose Industry and Employees both have values.
  const lead = String(
    v.rows.find(
      (r) => r[v.col('Industry') - 1] !== '' && r[v.col('Employees') - 1] !== '' && r !== v.rows[0],
    )![0],
  );
  const row = v.row(lead);
  const name = v.cell(lead, 'Name');
  const employees = v.cell(lead, 'Employees');
  const industry = v.cell(lead, 'Industry') === 'Software' ? 'Education' : 'Software';
  w.runtime.spreadsheet.userEdit(SHEET, [row, v.col('Industry')], industry);
  sheetOf(w).getRange(row, v.col('Industry'), 1, 2).mergeAcross();
  const before = table(w);
  w.runtime.requests.length = 0;

  const pushRefused = `Close Sync cannot push "Close Leads": C${row}:D${row} (Industry and Employees) is merged (Format › Merge cells), and a merge shows only its top-left cell's value: the others read as empty, so pushed, the empty ones would clear those fields in Close. Nothing was sent to Close. Take the merge back with Edit › Undo (it brings the hidden values back), or unmerge it (Format › Merge cells › Unmerge) and type the values again, then push.`;

  test('the preview lists no cleared Employees: it says what the push would say', () => {
    expect(() => w.app.previewChanges({})).toThrow(pushRefused);
    expect(w.runtime.requests).toEqual([]);
  });

  test('the merged-away cell reads as empty, and a push sends nothing (not a cleared Employees) and says what to do', () => {
    expect(typeof employees).toBe('number');
    expect(before[row - 1]).toEqual([lead, name, industry, '', '']);
    expect(() => w.app.pushChanges({})).toThrow(pushRefused);
    expect(writes(w)).toEqual([]);
    expect(w.app.getSyncStatus().job).toBeNull();
  });

  test('a pull changes nothing while the merge is there', () => {
    w.close.touchLead(WAYNE_LEAD_ID, { name: 'Wayne Holdings' });
    expect(() => w.app.pullLeads({})).toThrow(
      `Close Sync cannot pull "Close Leads": C${row}:D${row} (Industry and Employees) is merged (Format › Merge cells), and a merge shows only its top-left cell's value: the others read as empty, so what a pull wrote into the others would be lost. Nothing was changed. Unmerge it (Format › Merge cells › Unmerge), then pull. To merge a title, insert a row above the header and merge that.`,
    );
    expect(table(w)).toEqual(before);
  });

  test('unmerged and the value typed again, the push sends only the real edit', () => {
    sheetOf(w).getRange(row, v.col('Industry'), 1, 2).breakApart();
    // Unmerging does not bring the hidden value back.
    expect(table(w)[row - 1][v.col('Employees') - 1]).toBe('');
    edit(w, lead, 'Employees', employees);
    w.runtime.requests.length = 0;
    const outcome = w.app.pushChanges({});
    expect(outcome).toMatchObject({ updated: 1 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${lead}/`, body: { [cf('industry')]: industry } },
    ]);
  });
});

describe('a rep merges a title row inserted above the header', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Employees'] });
  const v = view(w);
  sheetOf(w).insertRowsBefore(1, 1);
  w.runtime.spreadsheet.userEdit(SHEET, 'A1', 'Q4 accounts');
  sheetOf(w).getRange('A1:D1').merge();
  w.runtime.spreadsheet.userEdit(SHEET, [v.row(WAYNE_LEAD_ID) + 1, v.col('Employees')], 9);
  w.runtime.requests.length = 0;

  test('pushes and pulls as before: the title is the rep’s own', () => {
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1 });
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('employees')]: 9 } },
    ]);
    expect(w.app.pullLeads({})).toMatchObject({ done: true });
    expect(table(w)[0]).toEqual(['Q4 accounts', '', '', '']);
  });
});
