// Close's documented limits on the push side: rate limits per key and per organization, single-value
// `.add`/`.remove`, custom-field subsets announced for leads only, URLs under 2,000 characters, and
// opportunity fields that take no null.
import { buildBulkOrg, buildSampleOrg, SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld, runToEnd } from './harness';
import { STAMP, batchedRead, cell, edit, sent } from './sheet';

const interest = `custom.${SAMPLE_FIELDS.interest}`;
const wayne = `/lead/${WAYNE_LEAD_ID}/`;

describe('Add only / Remove only: one value per .add / .remove, however many the rep changed', () => {
  test('three values added: three PUTs one after another, each single-valued; a colleague’s removal survives', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3; Choice 4; Choice 5');
    // Meanwhile a colleague removes Choice 2 in Close.
    w.close.touchLead(WAYNE_LEAD_ID, { [interest]: ['Choice 1'] });
    expect(w.app.previewChanges({ multiValue: 'add' }).items).toMatchObject([
      {
        field: 'Product Interest',
        old: 'Choice 1; Choice 2',
        new: '+Choice 3; +Choice 4; +Choice 5',
        state: 'send',
        message: '',
      },
    ]);
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({ multiValue: 'add' })).toMatchObject({ updated: 1, conflicts: 0, failed: 0 });
    const toLead = sent(w).filter((r) => r.path.startsWith('/lead/') || r.path === '/data/search/');
    expect(toLead.map((r) => [r.method, r.path.split('?')[0], r.body])).toEqual([
      ['POST', '/data/search/', batchedRead([WAYNE_LEAD_ID], [interest]).body],
      ['PUT', wayne, { [`${interest}.add`]: 'Choice 3' }],
      ['PUT', wayne, { [`${interest}.add`]: 'Choice 4' }],
      ['PUT', wayne, { [`${interest}.add`]: 'Choice 5' }],
    ]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![interest]).toEqual([
      'Choice 1',
      'Choice 3',
      'Choice 4',
      'Choice 5',
    ]);
    expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
    // The push log keeps Close's value before the push (the colleague's removal included): undo puts it back.
    expect(w.app.previewUndo().items).toMatchObject([
      {
        leadId: WAYNE_LEAD_ID,
        field: 'Product Interest',
        current: 'Choice 1; Choice 3; Choice 4; Choice 5',
        restore: 'Choice 1',
        state: 'restore',
      },
    ]);
  });

  test('two values removed: two PUTs with one .remove each; Close ends with exactly the rest', () => {
    const w = connectedWorld();
    w.close.touchLead(WAYNE_LEAD_ID, {
      [interest]: ['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4', 'Choice 5'],
    });
    w.app.pullLeads({});
    edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 3; Choice 5');
    expect(w.app.previewChanges({ multiValue: 'remove' }).items).toMatchObject([
      { new: '−Choice 2; −Choice 4', state: 'send' },
    ]);
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({ multiValue: 'remove' })).toMatchObject({ updated: 1, failed: 0 });
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: wayne, body: { [`${interest}.remove`]: 'Choice 2' } },
      { method: 'PUT', path: wayne, body: { [`${interest}.remove`]: 'Choice 4' } },
    ]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![interest]).toEqual(['Choice 1', 'Choice 3', 'Choice 5']);
    // A second push has nothing left to send.
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({ multiValue: 'remove' })).toMatchObject({ updated: 0 });
    expect(sent(w, 'PUT')).toEqual([]);
  });

  test('a value a colleague already added is not sent again: the field is already up to date', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 4');
    w.close.touchLead(WAYNE_LEAD_ID, { [interest]: ['Choice 1', 'Choice 2', 'Choice 4'] });
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({ multiValue: 'add' })).toMatchObject({ updated: 1, conflicts: 0 });
    expect(sent(w, 'PUT')).toEqual([]);
    expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`already up to date in Close · ${STAMP}`);
  });
});

describe('rate limits per key and per organization', () => {
  test('a push of 2,000 edits while colleagues spend most of the org budget keeps 429s under 5%', () => {
    const w = connectedWorld({
      org: buildBulkOrg({ leads: 2_000, customFields: 4 }),
      gas: { fetchLatencyMs: 250 },
    });
    runToEnd(w, w.app.pullLeads({}));
    // Other keys of the organization use 400 of its 480 PUTs and GETs per 8-second window: the rep's
    // key (160 of its own) meets the organization's limit first, and Close's 429 announces limit=480.
    w.close.setOrgLoad('PUT /lead/{id}/', 460);
    w.close.setOrgLoad('GET /lead/{id}/', 460);
    const book = w.runtime.spreadsheet;
    const header = book.read('Close Leads', '1:1')[0];
    const col = header.indexOf('Description') + 1;
    for (let r = 2; r < 2 + 2_000; r++) book.userEdit('Close Leads', [r, col], `Edited on row ${r}`);
    w.close.log.length = 0;
    const { outcome } = runToEnd(w, w.app.pushChanges({}));
    expect(outcome).toMatchObject({ done: true, updated: 2_000, failed: 0 });
    const requests = w.close.log.length;
    const throttled = w.close.log.filter((e) => e.status === 429).length;
    const puts = w.close.log.filter((e) => e.method === 'PUT' && e.status === 200);
    expect(new Set(puts.map((p) => p.path)).size).toBe(2_000);
    expect(puts).toHaveLength(2_000);
    // The first window after the org's limit is met costs one burst per group; later windows fit.
    expect(throttled / requests).toBeLessThan(0.05);
  });
});

describe('conflict checks that hold whatever Close does with custom-field subsets', () => {
  const CONTACTS = 'Close Contacts';
  const BRUCE = 'cont_o0kP3Nqyq0wxr5DLWIEm8mVr6ZpI0AhonKLDG0V5Qjh';

  test.each([
    ['ignores `custom.cf_…` for contacts (the fake by default)', [] as Array<'contact'>],
    ['honours them', ['contact' as const]],
  ])('a contact edit is checked right when Close %s', (_, customSubsetsOn) => {
    const w = connectedWorld({ close: { customSubsetsOn } });
    const role = `custom.${w.close.org.contactCustomFields.find((f) => f.name === 'Decision Role')!.id}`;
    const contacts = [...w.close.leads.values()].flatMap((l) => l.contacts);
    const other = contacts.find((c) => c.id !== BRUCE && typeof c[role] === 'string')!;
    w.app.pullContacts({});
    // Bruce's role is unchanged in Close; the other contact's role a colleague changed since the pull.
    edit(w, BRUCE, 'Decision Role', 'Chairman', CONTACTS);
    edit(w, other.id, 'Decision Role', 'Champion', CONTACTS);
    expect(other[role]).toBe('CEO');
    other[role] = 'Economic Buyer';
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({ sheetName: CONTACTS })).toMatchObject({ updated: 1, conflicts: 1, failed: 0 });
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/contact/${BRUCE}/`, body: { [role]: 'Chairman' } },
    ]);
    expect(contacts.find((c) => c.id === BRUCE)![role]).toBe('Chairman');
    expect(other[role]).toBe('Economic Buyer');
    expect(cell(w, BRUCE, 'Sync status', CONTACTS)).toBe(`updated · ${STAMP}`);
    expect(cell(w, other.id, 'Sync status', CONTACTS)).toBe(
      // The pulled role is kept as a hash (pulled-value.ts): the message cannot show it.
      `conflict: Decision Role changed in Close since your pull: Close has "Economic Buyer", you have "Champion". Not sent. · ${STAMP}`,
    );
  });

  test('undo of a contact push reads the contact whole too', () => {
    const w = connectedWorld();
    const role = `custom.${w.close.org.contactCustomFields.find((f) => f.name === 'Decision Role')!.id}`;
    w.app.pullContacts({});
    edit(w, BRUCE, 'Decision Role', 'Chairman', CONTACTS);
    w.app.pushChanges({ sheetName: CONTACTS });
    expect(w.app.previewUndo().items).toMatchObject([
      { leadId: BRUCE, field: 'Decision Role', current: 'Chairman', restore: 'CEO', state: 'restore' },
    ]);
    w.runtime.requests.length = 0;
    expect(w.app.undoLastPush({ confirmed: true })).toMatchObject({ restored: 1, failed: 0 });
    expect(sent(w).filter((r) => r.path.startsWith('/contact/'))).toEqual([
      { method: 'GET', path: `/contact/${BRUCE}/`, body: undefined },
      { method: 'PUT', path: `/contact/${BRUCE}/`, body: { [role]: 'CEO' } },
    ]);
  });
});

describe('URLs under 2,000 characters', () => {
  test('a lead with 40 edited custom fields is checked and pushed; every URL stays under 2,000 characters', () => {
    const org = buildSampleOrg();
    const text = org.customFields.find((f) => f.type === 'text')!;
    const extra = Array.from({ length: 40 }, (_, i) => ({
      ...text,
      // Close's ids are cf_ and 43 characters.
      id: `cf_${String(i).padStart(2, '0')}${'x'.repeat(41)}`,
      name: `Extra ${i + 1}`,
    }));
    org.customFields.push(...extra);
    const w = connectedWorld({ org });
    w.app.pullLeads({});
    for (const f of extra) edit(w, WAYNE_LEAD_ID, f.name, `Value of ${f.name}`);
    w.runtime.requests.length = 0;
    expect(w.app.previewChanges({}).counts).toMatchObject({ fields: 40, conflicts: 0, errors: 0 });
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1, failed: 0, conflicts: 0 });
    const urls = w.runtime.requests.map((r) => r.url);
    expect(urls.filter((u) => u.length >= 2_000)).toEqual([]);
    expect(w.close.log.filter((e) => e.status === 414)).toEqual([]);
    // The check (preview, then push) is one search naming the 40 fields in its body, not in a URL.
    const search = batchedRead(
      [WAYNE_LEAD_ID],
      extra.map((f) => `custom.${f.id}`),
    );
    expect(sent(w).filter((r) => r.method !== 'GET' || r.path.startsWith(wayne))).toEqual([
      search,
      search,
      {
        method: 'PUT',
        path: wayne,
        body: Object.fromEntries(extra.map((f) => [`custom.${f.id}`, `Value of ${f.name}`])),
      },
    ]);
    const lead = w.close.leads.get(WAYNE_LEAD_ID)!;
    expect(extra.map((f) => lead[`custom.${f.id}`])).toEqual(extra.map((f) => `Value of ${f.name}`));
    expect(cell(w, WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
    // A colleague's change to one of them is still seen through `custom`.
    edit(w, WAYNE_LEAD_ID, 'Extra 1', 'Mine again');
    for (const f of extra.slice(1)) edit(w, WAYNE_LEAD_ID, f.name, `Second ${f.name}`);
    w.close.touchLead(WAYNE_LEAD_ID, { [`custom.${extra[0].id}`]: 'Theirs' });
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({})).toMatchObject({ updated: 1, conflicts: 1 });
    // The push a moment ago is not in Close's search index yet (dev/fake-close/search-index.ts): the search
    // shows the values from before it, not the pulled ones, so the lead is read again with a GET, which asks
    // for every custom field at once instead of 40 by name.
    expect(sent(w, 'GET').filter((r) => r.path.startsWith(wayne))).toEqual([
      { method: 'GET', path: `${wayne}?_fields=id%2Ccustom`, body: undefined },
    ]);
    expect(lead[`custom.${extra[0].id}`]).toBe('Theirs');
    expect(lead[`custom.${extra[1].id}`]).toBe('Second Extra 2');
  });
});

describe('clearing opportunity fields sends what Close accepts', () => {
  const OPPORTUNITIES = 'Close Opportunities';
  const BAT_CAVE = 'oppo_8eB77gAdf8FMy6GsNHEy84f7uoeEWv55slvUjKQZpJt';

  test('confidence goes to 0 and the note to "" (no null where Close takes none); owner and period say what to do', () => {
    const w = connectedWorld();
    w.app.pullOpportunities({});
    const opp = w.close.leads.get(WAYNE_LEAD_ID)!.opportunities.find((o) => o.id === BAT_CAVE)!;
    opp.note = 'Bring the batmobile';
    const owner = opp.user_id;
    w.app.pullOpportunities({});
    for (const header of ['Confidence', 'Note', 'Value', 'Owner', 'Value period'])
      edit(w, BAT_CAVE, header, '', OPPORTUNITIES);
    w.runtime.requests.length = 0;
    expect(w.app.pushChanges({ sheetName: OPPORTUNITIES })).toMatchObject({
      updated: 1,
      invalid: 1,
      failed: 0,
    });
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/opportunity/${BAT_CAVE}/`, body: { value: null, confidence: 0, note: '' } },
    ]);
    expect(opp).toMatchObject({ confidence: 0, note: '', value_period: 'one_time' });
    expect(opp.user_id).toBe(owner);
    expect(cell(w, BAT_CAVE, 'Sync status', OPPORTUNITIES)).toBe(
      'updated; invalid: Value period: Close needs a value period: choose one_time, monthly, annual; ' +
        `invalid: Owner: Close needs an owner for every opportunity: choose a user · ${STAMP}`,
    );
  });
});
