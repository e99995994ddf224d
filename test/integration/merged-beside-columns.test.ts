// A rep merges a note box beside the lead columns (Format › Merge cells) that reaches past the last
// column with content: a pull that adds fields puts its new columns there. Sheets keeps no value in a
// merged-away cell, and refuses to paste row 2's formats down through part of a merge (CopyPasteType
// PASTE_FORMAT carries merges: dev/gas-fakes/merges.ts), so the pull would stop half-way with Sheets'
// raw exception, or lose the new fields' values. It is refused before anything is written instead.
import { connectedWorld } from './harness';
import { SHEET, createInClose, sheetOf, table } from './sheet';

test('a merge reaching past the last column refuses a pull before it writes, naming it; unmerged, the pull adds the columns', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  sheetOf(w).getRange('G3').setValue('my note');
  sheetOf(w).getRange('G3:H4').merge();
  const before = table(w);
  expect(() => w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees', 'Description'] })).toThrow(
    `Close Sync cannot pull "${SHEET}": G3:H4 (where a pull adds new columns) is merged (Format › Merge cells), and a merge shows only its top-left cell's value: the others read as empty, so what a pull wrote into the others would be lost. Nothing was changed. Unmerge it (Format › Merge cells › Unmerge), then pull. To merge a title, insert a row above the header and merge that.`,
  );
  expect(table(w)).toEqual(before);
  // A push writes no new columns: the merge beside them does not stop it.
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 0 });

  sheetOf(w).getRange('G3:H4').breakApart();
  expect(w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees', 'Description'] })).toMatchObject({
    done: true,
  });
  const after = table(w);
  expect(after[0]).toEqual([
    'Lead ID',
    'Name',
    'Industry',
    'Employees',
    'Sync status',
    '',
    '',
    'Description',
  ]);
  expect(after[2][6]).toBe('my note');
});

test('a merge beside the leads that takes in the last row and rows below it refuses a pull before it writes, naming it; unmerged, the new lead goes in after the last row', () => {
  const w = connectedWorld();
  w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] });
  const last = table(w).length;
  sheetOf(w).getRange(`G${last}`).setValue('my note');
  sheetOf(w)
    .getRange(`G${last}:G${last + 3}`)
    .merge();
  w.clock.advance(60 * 60_000);
  // A colleague adds a lead in Close: a refresh puts its row right after the last row, inside the merge.
  const created = createInClose(w, 'Brand New Co');
  const before = table(w);
  expect(() => w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] })).toThrow(
    `Close Sync cannot pull "${SHEET}": G${last}:G${last + 3} (where a pull adds new rows) is merged (Format › Merge cells), and a merge shows only its top-left cell's value: the others read as empty, so what a pull wrote into the others would be lost. Nothing was changed. Unmerge it (Format › Merge cells › Unmerge), then pull. To merge a title, insert a row above the header and merge that.`,
  );
  expect(table(w)).toEqual(before);

  sheetOf(w)
    .getRange(`G${last}:G${last + 3}`)
    .breakApart();
  expect(w.app.pullLeads({ fields: ['Name', 'Industry', 'Employees'] })).toMatchObject({
    done: true,
    added: 1,
  });
  const after = table(w);
  expect(after).toHaveLength(last + 1);
  expect(after[last].slice(0, 2)).toEqual([created.id, 'Brand New Co']);
  expect(after[last - 1][6]).toBe('my note');
});
