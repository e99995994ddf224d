// The manifest's OAuth scopes against what the bundle calls. The fakes refuse a scoped method whose scope
// the shipped dist/appsscript.json does not list (as Apps Script does once a manifest lists oauthScopes),
// so every integration test already runs with them; this file runs a whole day of a rep's work and checks
// that each listed scope is needed by something the bundle called, so the list is both enough and minimal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import { API_KEY, makeWorld } from './harness';
import { SHEET, edit } from './sheet';

jest.setTimeout(60_000);

const AUTH = 'https://www.googleapis.com/auth/';
const SHIPPED = JSON.parse(readFileSync(join(__dirname, '../../dist/appsscript.json'), 'utf8')) as {
  oauthScopes: string[];
};

test('the bundle ships exactly these scopes, and the runtime enforces them', () => {
  expect(SHIPPED.oauthScopes).toEqual([
    `${AUTH}spreadsheets.currentonly`,
    `${AUTH}script.external_request`,
    `${AUTH}script.container.ui`,
    `${AUTH}script.scriptapp`,
    `${AUTH}userinfo.email`,
  ]);
  expect(makeWorld().runtime.declaredScopes).toEqual(SHIPPED.oauthScopes);
});

describe('a rep’s day under the shipped manifest', () => {
  const w = makeWorld();

  test('open (AuthMode.NONE), sidebar, connect, pull, push, schedule, undo, report: nothing is refused', () => {
    // The add-on's first open in a document: AuthMode.NONE, only the menu.
    w.runtime.openDocument(w.app, 'NONE');
    expect(w.runtime.ui.menus).toHaveLength(1);
    w.runtime.clickMenu(w.app, 'Open sidebar');
    expect(w.runtime.ui.sidebars).toHaveLength(1);
    expect(w.app.saveApiKey(API_KEY)).toMatchObject({ connected: true });
    expect(w.app.pullLeads({})).toMatchObject({ done: true });
    edit(w, WAYNE_LEAD_ID, 'Name', 'Wayne Enterprises');
    expect(w.app.previewChanges({}).counts).toMatchObject({ leads: 1, fields: 1 });
    expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1 });
    w.app.setSchedule({ every: 'hour', hours: 1 });
    expect(w.runtime.triggers).toHaveLength(1);
    w.clock.advance(3_600_000);
    w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
    expect(w.app.getSchedule().schedules[0].last).toMatchObject({ outcome: 'ok' });
    expect(w.app.undoLastPush({ confirmed: true })).toMatchObject({ restored: 1 });
    expect(w.app.buildReport({ sheetName: SHEET })).toMatchObject({
      sheetName: SHEET,
      reportSheet: 'Close Report',
    });
    w.app.clearSchedule(SHEET);
    expect(w.runtime.triggers).toEqual([]);
  });

  test('every shipped scope was needed by a method the bundle called', () => {
    const calls = w.runtime.scopedCalls();
    // The manifest scope each call relied on (all of them are covered, or the flow above had thrown).
    const used = new Set(
      Object.values(calls).map((scopes) => scopes.find((s) => SHIPPED.oauthScopes.includes(s))),
    );
    expect([...used].sort()).toEqual([...SHIPPED.oauthScopes].sort());
    expect(calls['Session.getActiveUser']).toEqual([`${AUTH}userinfo.email`]);
    expect(calls['UrlFetchApp.fetchAll']).toEqual([`${AUTH}script.external_request`]);
    expect(calls['ScriptApp.newTrigger']).toEqual([`${AUTH}script.scriptapp`]);
    expect(calls['Ui.showSidebar']).toEqual([`${AUTH}script.container.ui`]);
  });
});

describe('a missing scope fails the way Apps Script fails', () => {
  const withoutEmail = SHIPPED.oauthScopes.filter((s) => s !== `${AUTH}userinfo.email`);

  test('the manifest before this fix (no userinfo.email): connecting throws Apps Script’s message', () => {
    const w = makeWorld({ gas: { manifest: { oauthScopes: withoutEmail } } });
    let error: Error | undefined;
    try {
      w.app.saveApiKey(API_KEY);
    } catch (e) {
      error = e as Error;
    }
    expect(`${error?.name}: ${error?.message}`).toBe(
      'Exception: Specified permissions are not sufficient to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    );
  });

  test('a rep who did not grant userinfo.email (an older authorization): Apps Script’s other message', () => {
    const w = makeWorld({ gas: { grantedScopes: withoutEmail } });
    let error: Error | undefined;
    try {
      w.app.saveApiKey(API_KEY);
    } catch (e) {
      error = e as Error;
    }
    expect(`${error?.name}: ${error?.message}`).toBe(
      'Exception: You do not have permission to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
    );
    // From the menu, the rep reads what is missing and what to do, not Apps Script's words.
    w.runtime.openDocument(w.app, 'FULL');
    w.runtime.clickMenu(w.app, 'Pull leads');
    expect(w.runtime.ui.alerts.map((a) => a.message)).toEqual([
      'Close Sync needs your permission to see your email address (to show who started a sync or set a schedule). Reload the spreadsheet, open Extensions → Close Sync and allow it when Google asks. (Session.getActiveUser needs userinfo.email.)',
    ]);
  });
});
