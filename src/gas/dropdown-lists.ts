// Dropdown rules, and the hidden sheet that holds lists too long for one. Sheets refuses an in-cell list
// of more than 500 items ("The data validation rule has more items than the limit of 500. Use the "List
// from a range" criteria instead."), which a big organization's users, statuses or a field's choices can
// pass. Such a list is kept in a column of one hidden sheet the add-on owns, "Close Sync lists" (row 1
// names the list, the items below it, as plain text so none becomes a number or a formula), and the
// dropdown is "List from a range" over that column, open-ended so that a longer list next time still
// fits. Columns showing the same list, in any sheet, share its column; rewriting it updates them all.
import { columnLetter } from './grid';

export const LIST_SHEET = 'Close Sync lists';
/** The most items Sheets allows in a "List of items" rule. */
export const MAX_LIST_ITEMS = 500;

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/**
 * A dropdown of `values` (other values allowed, and flagged): an in-cell list up to 500 items, else a
 * list from the range where `list` is kept. Null when a long list has no name to keep it under.
 */
export function dropdownRule(
  values: string[],
  list: string | undefined,
): GoogleAppsScript.Spreadsheet.DataValidation | null {
  const builder = SpreadsheetApp.newDataValidation();
  if (values.length <= MAX_LIST_ITEMS)
    return builder.requireValueInList(values, true).setAllowInvalid(true).build();
  if (!list) return null;
  return builder.requireValueInRange(keepList(list, values), true).setAllowInvalid(true).build();
}

/** The add-on's list sheet, made (hidden, last, without leaving the rep on it) the first time. */
function listSheet(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet): Sheet {
  const found = spreadsheet.getSheetByName(LIST_SHEET);
  if (found) return found;
  const active = spreadsheet.getActiveSheet();
  // insertSheet makes the new sheet the active one.
  const sheet = spreadsheet.insertSheet(LIST_SHEET, spreadsheet.getNumSheets());
  sheet.hideSheet();
  active.activate();
  return sheet;
}

/** Writes `values` into the list's column (replacing what it held) and returns the column below row 1. */
function keepList(list: string, values: string[]): GoogleAppsScript.Spreadsheet.Range {
  const sheet = listSheet(SpreadsheetApp.getActiveSpreadsheet());
  const width = sheet.getLastColumn();
  const names = width > 0 ? sheet.getRange(1, 1, 1, width).getValues()[0].map(String) : [];
  const at = names.indexOf(list);
  const column = at >= 0 ? at + 1 : names.length + 1;
  const maxColumns = sheet.getMaxColumns();
  if (column > maxColumns) sheet.insertColumnsAfter(maxColumns, column - maxColumns);
  let rows = sheet.getMaxRows();
  if (values.length + 1 > rows) {
    sheet.insertRowsAfter(rows, values.length + 1 - rows);
    rows = values.length + 1;
  }
  const whole = sheet.getRange(1, column, rows, 1);
  whole.clearContent();
  // Plain text first: an item like "00123" or "=1+1" stays as Close has it.
  whole.setNumberFormat('@');
  sheet.getRange(1, column, values.length + 1, 1).setValues([[list], ...values.map((v) => [v])]);
  const letter = columnLetter(column);
  return sheet.getRange(`${letter}2:${letter}`);
}
