import { API_KEY, connectedWorld, makeWorld } from './harness';
import { SHEET, edit, sent, withoutDuration } from './sheet';
import { WAYNE_LEAD_ID } from '../../dev/fake-close';

test('onOpen builds the add-on menu in AuthMode.NONE without touching authorized services', () => {
  const w = makeWorld();
  w.runtime.setAuthMode('NONE');
  w.runtime.openDocument(w.app, 'NONE');
  expect(w.runtime.ui.menus).toHaveLength(1);
  expect(w.runtime.ui.menus[0].items.filter(([caption]) => caption !== '---')).toEqual([
    ['Open sidebar', 'showSidebar'],
    ['Pull leads', 'pullLeads'],
    ['Pull activities', 'pullActivities'],
    ['Preview changes', 'previewChanges'],
    ['Push changes', 'pushChanges'],
    ['Undo last push', 'undoLastPush'],
    ['Build report', 'buildReport'],
    ['Help', 'showHelp'],
  ]);
  expect(w.runtime.requests).toEqual([]);
});

describe('connecting', () => {
  test('a bad key is rejected with a clear message and nothing is stored', () => {
    const w = makeWorld();
    expect(() => w.app.saveApiKey('api_wrong')).toThrow(
      'Close rejected this API key. Check that you copied the whole key and that it has not been deleted.',
    );
    expect(() => w.app.saveApiKey('  ')).toThrow(
      'Paste your Close API key (Close → Settings → Developer → API Keys).',
    );
    expect(w.runtime.userProperties.keys()).toEqual([]);
    expect(w.app.getConnection()).toEqual({ connected: false });
  });

  test("a good key is checked with GET /me/ (the leads counted alongside) and kept in the rep's own UserProperties only", () => {
    const w = makeWorld();
    const connection = w.app.saveApiKey(` ${API_KEY} `);
    // The key belongs to the org's first active member (the fake's rule for key 1).
    const owner = w.close.org.users.find((u) => u.id === w.close.userIdForKey(API_KEY))!;
    expect(connection).toEqual({
      connected: true,
      user: `${owner.first_name} ${owner.last_name}`,
      email: owner.email,
      organization: w.close.org.organization.name,
    });
    expect(sent(w)).toEqual([
      { method: 'GET', path: '/me/', body: undefined },
      { method: 'GET', path: '/lead/?query=sort%3Acreated&_limit=1&_fields=id', body: undefined },
    ]);
    expect(w.runtime.stats.fetchAllCalls).toBe(1);
    expect(JSON.parse(w.runtime.userProperties.get('closeSync.keyOwner')!)).toMatchObject({
      organizationName: w.close.org.organization.name,
      leadCount: w.close.leads.size,
    });
    expect(w.runtime.userProperties.get('closeSync.apiKey')).toBe(API_KEY);
    expect(w.app.getConnection()).toEqual(connection);
    w.app.pullLeads({});
    const everywhere = JSON.stringify([
      w.runtime.documentProperties.toObject(),
      w.runtime.scriptProperties.toObject(),
      w.runtime.spreadsheet.toJSON(),
      w.runtime.logs,
    ]);
    expect(everywhere).not.toContain(API_KEY);
  });

  test('disconnecting forgets the key', () => {
    const w = connectedWorld();
    expect(w.app.disconnect()).toEqual({ connected: false });
    expect(w.runtime.userProperties.keys()).toEqual([]);
    expect(() => w.app.pullLeads({})).toThrow(
      'Connect your Close account first: open the sidebar and paste your API key.',
    );
  });
});

describe('from the menu', () => {
  const openedWorld = (connected = true) => {
    const w = connected ? connectedWorld() : makeWorld();
    w.runtime.openDocument(w.app);
    return w;
  };

  test('Push changes asks for confirmation first, and sends nothing when the rep says No', () => {
    const w = openedWorld();
    w.app.pullLeads({});
    edit(w, WAYNE_LEAD_ID, 'Description', 'from the menu');
    w.runtime.requests.length = 0;
    w.runtime.ui.answers.push('NO');
    w.runtime.clickMenu(w.app, 'Push changes');
    expect(w.runtime.ui.alerts.at(-1)).toMatchObject({
      title: 'Push changes to Close?',
      message: '1 field on 1 lead.',
    });
    expect(sent(w, 'PUT')).toEqual([]);

    w.runtime.ui.answers.push('YES');
    w.runtime.clickMenu(w.app, 'Push changes');
    expect(sent(w, 'PUT')).toHaveLength(1);
    expect(w.runtime.ui.alerts.at(-1)?.message).toBe(
      'Pushed: 1 updated, 0 created, 0 failed, 0 with conflicts, 0 with invalid values, 299 unchanged.',
    );
  });

  test('Preview changes shows the edits in a dialog, escaping lead data', () => {
    const w = openedWorld();
    w.app.pullLeads({});
    edit(w, WAYNE_LEAD_ID, 'Name', '<img src=x onerror=alert(1)>');
    w.runtime.clickMenu(w.app, 'Preview changes');
    const dialog = w.runtime.ui.dialogs.at(-1)!;
    expect(dialog.title).toBe('Changes a push would send');
    expect(dialog.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(dialog.html).not.toContain('<img');
  });

  test('errors become an alert, not a script error', () => {
    const w = openedWorld(false);
    w.runtime.clickMenu(w.app, 'Pull leads');
    expect(w.runtime.ui.alerts.at(-1)?.message).toBe(
      'Connect your Close account first: open the sidebar and paste your API key.',
    );
  });

  test('Pull leads shows its summary as a toast', () => {
    const w = openedWorld();
    w.runtime.clickMenu(w.app, 'Pull leads');
    expect(withoutDuration(w.runtime.ui.toasts.at(-1)!.message)).toBe(
      'Pulled 300 leads into "Close Leads" (300 new) in …s.',
    );
    expect(w.runtime.spreadsheet.sheet(SHEET)).toBeDefined();
  });
});

test("the live preview reuses the org's schema for a while; pulls and pushes always load it", () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const schemaCalls = () =>
    w.runtime.requests.filter((r) => r.url.includes('/custom_field_schema/lead/')).length;
  const before = schemaCalls();
  w.app.previewChanges({});
  w.app.previewChanges({});
  expect(schemaCalls()).toBe(before + 1);
  w.app.pushChanges({});
  expect(schemaCalls()).toBe(before + 2);
  w.clock.advance(121_000);
  w.app.previewChanges({});
  expect(schemaCalls()).toBe(before + 3);
});
