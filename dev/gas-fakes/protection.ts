// Who may write where: protected ranges and sheets that a colleague set, enforced on a script's writes.
// A script runs as its user ("Scripts … run as the user who triggered them"), so what the user may not
// edit by hand, the script may not write either. The facades call assertEditable before every change.
import type { GridBox } from './a1';
import type { FakeSheet, FakeSpreadsheet, ProtectionRecord } from './model';
import type { SheetsSession } from './session';

/**
 * The exception Sheets raises when a script writes into a range its user cannot edit. Google's reference
 * does not print it; this is the text Sheets gives (recorded in public repositories: Apps Script logs
 * and the Sheets API's 400 "You are trying to edit a protected cell or object. Please contact the
 * spreadsheet owner to remove protection if you need to edit.", the same words the Sheets UI pops up).
 */
export const PROTECTED_MESSAGE =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';

/**
 * reference/spreadsheet/protection#canEdit: "Determines whether the user has permission to edit the
 * protected range or sheet. The spreadsheet owner is always able to edit protected ranges and sheets."
 * Warning-only protection: "every user can edit data in the area, except editing prompts a warning"
 * (setWarningOnly) — a script gets no prompt, so it writes. Domain editing (setDomainEdit) is not
 * modelled as a grant: the fake has no domains (the harsher reading: only a listed editor or the owner).
 */
export function canEditProtection(book: FakeSpreadsheet, rec: ProtectionRecord, user: string): boolean {
  if (rec.warningOnly) return true;
  return isEditorOf(book, rec, user);
}

/**
 * What canEdit() answers (Protection's and Range's). For a warning-only protection the Apps Script
 * reference is silent on whether canEdit() says true or reports the editor list. The Sheets REST API's
 * ProtectedRange.warningOnly leans to true ("every user can edit data in the protected range … if this
 * field is true, then editors are ignored"), but that is another API's field: the harsher reading is the
 * editor list, so a colleague's warning-only protection answers false for a rep who is not among its
 * editors, while the rep's writes still go through. The add-on must treat it as editable either way
 * (isWarningOnly() first: src/gas/grid.ts sheetHabits).
 */
export function isEditorOf(book: FakeSpreadsheet, rec: ProtectionRecord, user: string): boolean {
  if (book.owner !== undefined && book.owner === user) return true;
  return rec.editors.includes(user);
}

/** The rows and columns (0-based, half-open) a protection covers now. */
function spans(rec: ProtectionRecord): { rows: [number, number]; cols: [number, number] } {
  if (rec.type === 'SHEET') return { rows: [0, rec.sheet.maxRows], cols: [0, rec.sheet.maxCols] };
  return { rows: rec.rows, cols: rec.cols };
}

const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

/** The first protection the user may not edit that covers a cell of the box (1-based box). */
export function blockingProtection(
  book: FakeSpreadsheet,
  sheet: FakeSheet,
  box: GridBox,
  user: string,
): ProtectionRecord | undefined {
  const rows: [number, number] = [box.row - 1, box.row - 1 + box.numRows];
  const cols: [number, number] = [box.col - 1, box.col - 1 + box.numCols];
  return book.protections.find((p) => {
    if (p.sheet !== sheet || canEditProtection(book, p, user)) return false;
    const s = spans(p);
    return overlaps(s.rows, rows) && overlaps(s.cols, cols);
  });
}

/** Whether canEdit() answers true for the box: every protection over it lists the user (isEditorOf). */
export function reportsEditable(
  book: FakeSpreadsheet,
  sheet: FakeSheet,
  box: GridBox,
  user: string,
): boolean {
  const rows: [number, number] = [box.row - 1, box.row - 1 + box.numRows];
  const cols: [number, number] = [box.col - 1, box.col - 1 + box.numCols];
  return !book.protections.some((p) => {
    if (p.sheet !== sheet || isEditorOf(book, p, user)) return false;
    const s = spans(p);
    return overlaps(s.rows, rows) && overlaps(s.cols, cols);
  });
}

/** Throws Sheets' exception when the box holds a cell the session's user may not edit. */
export function assertEditable(s: SheetsSession, sheet: FakeSheet, box: GridBox): void {
  if (blockingProtection(s.book, sheet, box, s.env.userEmail)) throw s.env.fail(PROTECTED_MESSAGE);
}

/**
 * Changing a protection itself (its editors, description, warning mode, domain edit, range, unprotected
 * ranges, or removing it). reference/spreadsheet/protection: "Remove all range protections in the
 * spreadsheet that the user has permission to edit" guards `protection.remove()` with
 * `if (protection.canEdit())`, and "Ensure the current user is an editor before removing others.
 * Otherwise, if the user's edit permission comes from a group, the script throws an exception upon
 * removing the group": a user who cannot edit a protection cannot change it. Google does not print the
 * exception's text; the fake gives Sheets' protected-object message (the harsher reading: the call
 * fails whole, nothing changed). A warning-only protection is guarded by its editor list too, as its
 * canEdit() answers (isEditorOf): Google is silent on who may change or remove one, and the reference's
 * own guard is canEdit() (the harsher reading).
 */
export function assertProtectionEditable(s: SheetsSession, rec: ProtectionRecord): void {
  if (!isEditorOf(s.book, rec, s.env.userEmail)) throw s.env.fail(PROTECTED_MESSAGE);
}

/**
 * Sheet-wide properties (the name, frozen rows and columns, hidden or shown, tab colour) on a sheet a
 * colleague protected whole. Google's pages say only that a protected sheet is protected "from being
 * edited except by users who have permission" (Sheet#protect) and are silent on which sheet properties
 * that covers; the fake counts every one as an edit of the sheet (the harsher reading). A protected
 * range does not stop them: it protects cells, not the sheet.
 */
export function assertSheetEditable(s: SheetsSession, sheet: FakeSheet): void {
  const blocked = s.book.protections.some(
    (p) => p.sheet === sheet && p.type === 'SHEET' && !canEditProtection(s.book, p, s.env.userEmail),
  );
  if (blocked) throw s.env.fail(PROTECTED_MESSAGE);
}

/**
 * Hiding, showing or resizing rows or columns (1-based start, count). Google's pages are silent on
 * whether a protection stops them; the fake refuses when the sheet is protected whole, or a protected
 * range takes in any of those rows (columns) in any column (row): the harsher reading, since a hidden
 * or narrowed row or column hides the protected cells in it.
 */
export function assertDimensionEditable(
  s: SheetsSession,
  sheet: FakeSheet,
  axis: 'ROW' | 'COLUMN',
  start: number,
  n: number,
): void {
  const span: [number, number] = [start - 1, start - 1 + n];
  const blocked = s.book.protections.some((p) => {
    if (p.sheet !== sheet || canEditProtection(s.book, p, s.env.userEmail)) return false;
    if (p.type === 'SHEET') return true;
    return overlaps(axis === 'ROW' ? p.rows : p.cols, span);
  });
  if (blocked) throw s.env.fail(PROTECTED_MESSAGE);
}

/**
 * Inserting rows or columns inside a protected span would grow it (spanAfterInsert), which is an edit
 * of the protected area; Google's pages are silent, so the fake refuses (the harsher reading). Adding
 * after the last row or column of a protected span, or anywhere in a sheet without protections the user
 * may not edit, goes through.
 */
export function assertInsertable(
  s: SheetsSession,
  sheet: FakeSheet,
  axis: 'ROW' | 'COLUMN',
  at0: number,
): void {
  const blocked = s.book.protections.some((p) => {
    if (p.sheet !== sheet || canEditProtection(s.book, p, s.env.userEmail)) return false;
    if (p.type === 'SHEET') return true;
    const [start, end] = axis === 'ROW' ? p.rows : p.cols;
    return at0 > start && at0 < end;
  });
  if (blocked) throw s.env.fail(PROTECTED_MESSAGE);
}

/**
 * A colleague protects part of a sheet (Data › Protect sheets and ranges, "Restrict who can edit this
 * range": only themselves). `a1` is a range such as 'C:C' or '1:1', or null for the whole sheet.
 */
export function colleagueProtects(
  book: FakeSpreadsheet,
  sheet: FakeSheet,
  box: GridBox | null,
  by: string,
  description: string,
): ProtectionRecord {
  const rec: ProtectionRecord = {
    id: book.nextProtectionId++,
    type: box ? 'RANGE' : 'SHEET',
    sheet,
    rows: box ? [box.row - 1, box.row - 1 + box.numRows] : [0, 0],
    cols: box ? [box.col - 1, box.col - 1 + box.numCols] : [0, 0],
    description,
    warningOnly: false,
    editors: [by],
    domainEdit: false,
  };
  book.protections.push(rec);
  return rec;
}
