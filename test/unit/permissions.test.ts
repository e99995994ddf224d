// Apps Script's permission errors become messages that say what is missing and what to do.
import { explainPermissionError } from '../../src/core/permissions';

test('a scope the rep has not granted: reload and allow it', () => {
  expect(
    explainPermissionError(
      'You do not have permission to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    ),
  ).toBe(
    'Close Sync needs your permission to see your email address (to show who started a sync or set a schedule). Reload the spreadsheet, open Extensions → Close Sync and allow it when Google asks. (Session.getActiveUser needs userinfo.email.)',
  );
  // Alternatives in parentheses, and the newer wording with a link after it.
  expect(
    explainPermissionError(
      'You do not have permission to call SpreadsheetApp.getActiveSpreadsheet. Required permissions: (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets). For more information, see https://developers.google.com/apps-script/guides/support/troubleshooting#authorization-is',
    ),
  ).toBe(
    'Close Sync needs your permission to see and edit this spreadsheet. Reload the spreadsheet, open Extensions → Close Sync and allow it when Google asks. (SpreadsheetApp.getActiveSpreadsheet needs spreadsheets.currentonly or spreadsheets.)',
  );
});

test('a scope the manifest lacks is the add-on’s fault: report it', () => {
  expect(
    explainPermissionError(
      'Specified permissions are not sufficient to call UrlFetchApp.fetchAll. Required permissions: https://www.googleapis.com/auth/script.external_request',
    ),
  ).toBe(
    'This version of Close Sync does not ask Google for a permission it needs (to connect to Close). Please report it to whoever installed Close Sync. (UrlFetchApp.fetchAll needs script.external_request.)',
  );
});

test('any other message is left alone', () => {
  expect(explainPermissionError('Close rejected this API key.')).toBeNull();
});
