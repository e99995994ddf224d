// Apps Script's permission errors, in words a rep can act on. Apps Script refuses a call whose OAuth
// scope the rep has not granted ("You do not have permission to call Session.getActiveUser. Required
// permissions: https://www.googleapis.com/auth/userinfo.email" — an authorization from before an
// update added the scope, or a scope left unticked on Google's consent screen) or that the manifest
// does not list ("Specified permissions are not sufficient to call …", a fault of the add-on itself).

const PERMISSION_ERROR =
  /(You do not have permission|Specified permissions are not sufficient) to call ([\w.]+)\.\s*Required permissions: \(?([^)]*?)\)?(?:\.\s|\.?$)/;

/** What each scope lets Close Sync do, as Google's consent screen would put it. */
const WHAT: Record<string, string> = {
  'userinfo.email': 'see your email address (to show who started a sync or set a schedule)',
  'script.external_request': 'connect to Close',
  'script.scriptapp': 'run in the background (long syncs and scheduled refreshes)',
  'script.container.ui': 'show its sidebar and dialogs',
  'spreadsheets.currentonly': 'see and edit this spreadsheet',
  spreadsheets: 'see and edit this spreadsheet',
};

/** A permission error explained (what is missing, what to do), or null for any other message. */
export function explainPermissionError(message: string): string | null {
  const m = PERMISSION_ERROR.exec(message);
  if (!m) return null;
  const scopes = m[3].split('||').map((s) => s.trim().replace('https://www.googleapis.com/auth/', ''));
  const what = WHAT[scopes[0]] ?? scopes.join(' or ');
  if (m[1].startsWith('Specified'))
    return `This version of Close Sync does not ask Google for a permission it needs (to ${what}). Please report it to whoever installed Close Sync. (${m[2]} needs ${scopes.join(' or ')}.)`;
  return `Close Sync needs your permission to ${what}. Reload the spreadsheet, open Extensions → Close Sync and allow it when Google asks. (${m[2]} needs ${scopes.join(' or ')}.)`;
}
