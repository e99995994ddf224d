// A colleague protects one of Close Sync's own hidden sheets whole (Data › Protect sheets and ranges,
// "Only you"). Sheets then refuses the rep's script not only writes there but renaming the sheet too
// (dev/gas-fakes/protection.ts: the harsher reading where Google is silent). When the rep renames a
// lead sheet, its hidden snapshot sheet is renamed to follow it: that is refused with a clear message
// before any of the sheet's state moves, not half-way with Sheets' raw exception.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { cf, edit, pulled, SHEET, STAMP, sent, sheetOf, view } from './sheet';

jest.setTimeout(60_000);

const SNAPSHOT = `Close Sync snapshot · ${SHEET}`;
const names = (w: ReturnType<typeof pulled>) => w.runtime.spreadsheet.sheets.map((s) => s.name).sort();

test('a renamed lead sheet whose snapshot a colleague protected: refused with what to do, nothing moved; once unprotected, the push goes', () => {
  const w = pulled();
  const protection = w.runtime.spreadsheet.protectAs('lee@example.com', SNAPSHOT, null, 'Locked');
  sheetOf(w).setName('My Leads');
  edit(w, WAYNE_LEAD_ID, 'Industry', 'Software', 'My Leads');
  const refusal = `Close Sync cannot follow its sheets: the sheet "${SHEET}" was renamed "My Leads", and its record sheet "${SNAPSHOT}" is protected and you are not among the editors, so it cannot be renamed with it. Nothing was changed. Ask the spreadsheet's owner (or whoever protected it: Data › Protect sheets and ranges) to remove that protection: Close Sync's own sheets are already protected with a warning. Or rename "My Leads" back to "${SHEET}".`;
  expect(() => w.app.pushChanges({ sheetName: 'My Leads' })).toThrow(refusal);
  expect(sent(w)).toEqual([]);
  // Asked again (the state did not half-move): the same refusal, not a pull-first or a default definition.
  expect(() => w.app.previewChanges({ sheetName: 'My Leads' })).toThrow(refusal);
  expect(names(w)).toEqual(['Close Sync snapshot · Close Leads', 'Close Sync state', 'My Leads', 'Sheet1']);

  w.runtime.spreadsheet.protections = w.runtime.spreadsheet.protections.filter((p) => p !== protection);
  expect(w.app.pushChanges({ sheetName: 'My Leads' })).toMatchObject({ done: true, updated: 1 });
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [cf('industry')]: 'Software' } },
  ]);
  expect(view(w, 'My Leads').cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  expect(names(w)).toEqual([
    'Close Sync Push Log',
    'Close Sync snapshot · My Leads',
    'Close Sync state',
    'My Leads',
    'Sheet1',
  ]);
});
