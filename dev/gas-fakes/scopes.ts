// OAuth scopes per faked method, and how a call without them fails. When a manifest lists `oauthScopes`,
// Apps Script uses only those ("if you are setting your scopes explicitly you must manually add this
// scope to use UrlFetchApp" — reference/url-fetch/url-fetch-app), and a method whose reference page lists
// scopes under "Authorization" ("Scripts that use this method require authorization with one or more of
// the following scopes") throws when none of them is there. The runtime reads the manifest the bundle
// ships (dist/appsscript.json), so every integration test, the preview and the bench run with it.
//
// Two messages, both recorded from real executions:
// - the manifest does not list a covering scope:
//   "Specified permissions are not sufficient to call Session.getEffectiveUser. Required permissions:
//   https://www.googleapis.com/auth/userinfo.email" (reported live for Session.getActiveUser,
//   Session.getEffectiveUser, ScriptApp.getProjectTriggers, Ui.showModalDialog, DriveApp.createFolder);
// - the manifest lists it but the rep has not granted it (an authorization from before the scope was
//   added, a scope left unticked on the consent screen, or a simple trigger in AuthMode.NONE):
//   "You do not have permission to call SpreadsheetApp.getActiveSpreadsheet. Required permissions:
//   (https://www.googleapis.com/auth/spreadsheets.currentonly || https://www.googleapis.com/auth/spreadsheets)"
//   — several alternatives are listed in parentheses, joined by " || "; one scope is listed bare.
// Apps Script shows either as "Exception: <message>" (the fakes' errors are named "Exception").

const SCOPE = 'https://www.googleapis.com/auth/';
export const USERINFO_EMAIL = `${SCOPE}userinfo.email`;
export const EXTERNAL_REQUEST = `${SCOPE}script.external_request`;
export const SCRIPTAPP = `${SCOPE}script.scriptapp`;
export const CONTAINER_UI = `${SCOPE}script.container.ui`;
export const SPREADSHEETS_CURRENTONLY = `${SCOPE}spreadsheets.currentonly`;
export const SPREADSHEETS = `${SCOPE}spreadsheets`;

/**
 * Every Spreadsheet-service method that touches a spreadsheet lists both, narrower first ("Scripts that
 * use this method require authorization with one or more of the following scopes:
 * .../spreadsheets.currentonly, .../spreadsheets"); the recorded message above lists them the same way.
 * `spreadsheets` is the broader one, and it satisfies these methods only because Google lists it for
 * each of them: a broader scope never stands in for a narrower one unless the reference says so.
 */
const SHEETS = [SPREADSHEETS_CURRENTONLY, SPREADSHEETS] as const;

/**
 * The scopes Google's reference lists under "Authorization" for each faked method (any one suffices).
 * A method not here, and not covered by a class entry ("Range.*"), lists none: PropertiesService,
 * CacheService, LockService, Utilities, HtmlService, Logger, Session.getScriptTimeZone /
 * getTemporaryActiveUserKey / getActiveUserLocale, ScriptApp.getAuthorizationInfo / getOAuthToken /
 * getScriptId, Ui.alert / prompt / createAddonMenu / createMenu, SpreadsheetApp.getUi and the builders
 * (newDataValidation, newTextStyle), which touch no spreadsheet.
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  // reference/base/session: getActiveUser() and getEffectiveUser() — "Authorization ...
  // https://www.googleapis.com/auth/userinfo.email".
  'Session.getActiveUser': [USERINFO_EMAIL],
  'Session.getEffectiveUser': [USERINFO_EMAIL],
  // reference/url-fetch/url-fetch-app: "This service requires the
  // https://www.googleapis.com/auth/script.external_request scope." (fetch, fetchAll, getRequest).
  'UrlFetchApp.fetch': [EXTERNAL_REQUEST],
  'UrlFetchApp.fetchAll': [EXTERNAL_REQUEST],
  'UrlFetchApp.getRequest': [EXTERNAL_REQUEST],
  // reference/script/script-app: deleteTrigger, getProjectTriggers, getUserTriggers, newTrigger —
  // "https://www.googleapis.com/auth/script.scriptapp"; recorded: "Specified permissions are not
  // sufficient to call ScriptApp.getProjectTriggers. Required permissions: …/auth/script.scriptapp".
  'ScriptApp.newTrigger': [SCRIPTAPP],
  'ScriptApp.getProjectTriggers': [SCRIPTAPP],
  'ScriptApp.getUserTriggers': [SCRIPTAPP],
  'ScriptApp.deleteTrigger': [SCRIPTAPP],
  // reference/base/ui: showSidebar, showModalDialog, showModelessDialog — "Authorization ...
  // https://www.googleapis.com/auth/script.container.ui" (alert, prompt and the menus list none).
  'Ui.showSidebar': [CONTAINER_UI],
  'Ui.showModalDialog': [CONTAINER_UI],
  'Ui.showModelessDialog': [CONTAINER_UI],
  // reference/spreadsheet/spreadsheet-app: the methods that reach the open spreadsheet.
  'SpreadsheetApp.getActiveSpreadsheet': SHEETS,
  'SpreadsheetApp.getActive': SHEETS,
  'SpreadsheetApp.getActiveSheet': SHEETS,
  'SpreadsheetApp.getActiveRange': SHEETS,
  'SpreadsheetApp.flush': SHEETS,
  // openById reaches any spreadsheet: reference lists only .../auth/spreadsheets.
  'SpreadsheetApp.openById': [SPREADSHEETS],
  // Every method of these classes (reference/spreadsheet/<class>) lists both Sheets scopes.
  'Spreadsheet.*': SHEETS,
  'Sheet.*': SHEETS,
  'Range.*': SHEETS,
  'RangeList.*': SHEETS,
  'Protection.*': SHEETS,
  'DeveloperMetadata.*': SHEETS,
  'DeveloperMetadataFinder.*': SHEETS,
  'DeveloperMetadataLocation.*': SHEETS,
  'EmbeddedChart.*': SHEETS,
};

/** The scopes that let a script call `method` ("Class.method"); empty when the reference lists none. */
export function scopesFor(method: string): readonly string[] {
  const exact = METHOD_SCOPES[method];
  if (exact) return exact;
  const cls = method.slice(0, method.indexOf('.'));
  return METHOD_SCOPES[`${cls}.*`] ?? [];
}

/** "Required permissions: A" or "Required permissions: (A || B)", as Apps Script words it. */
export function requiredPermissions(scopes: readonly string[]): string {
  return scopes.length === 1 ? scopes[0] : `(${scopes.join(' || ')})`;
}

export function notInManifestMessage(method: string, scopes: readonly string[]): string {
  return `Specified permissions are not sufficient to call ${method}. Required permissions: ${requiredPermissions(scopes)}`;
}

export function notGrantedMessage(method: string, scopes: readonly string[]): string {
  return `You do not have permission to call ${method}. Required permissions: ${requiredPermissions(scopes)}`;
}

/** The manifest fields the fakes act on. */
export interface Manifest {
  oauthScopes?: string[];
  urlFetchWhitelist?: string[];
  timeZone?: string;
}
