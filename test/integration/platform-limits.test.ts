// Apps Script's documented limits the add-on meets in big or non-Latin organizations: property values of
// 9 KB counted in bytes (a Japanese or Cyrillic field name takes 2–3 bytes a character), a full property
// store, and list dropdowns of at most 500 items.
import { buildBulkOrg, buildSampleOrg, SAMPLE_FIELDS } from '../../dev/fake-close';
import type { FakeOrg } from '../../dev/fake-close/types';
import { connectedWorld, type World } from './harness';
import { SHEET, view } from './sheet';

jest.setTimeout(60_000);

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** 150 custom fields named in Japanese and Cyrillic: 20 characters, 40–60 bytes each. */
const NAMES = (i: number) =>
  i % 2 === 0
    ? `顧客の年間売上高と契約更新予定日の確認${String(i).padStart(3, '0')}`
    : `Годовой доход клиента и дата продления ${String(i).padStart(3, '0')}`;

describe('150 custom fields named in Japanese and Cyrillic', () => {
  const w = connectedWorld({ org: buildBulkOrg({ leads: 300, customFields: 150, fieldName: NAMES }) });

  test('the pull completes, and every document property is under 9,000 bytes of UTF-8', () => {
    const outcome = w.app.pullLeads({});
    expect(outcome).toMatchObject({ done: true, leads: 300, columns: 150 + 13 });
    const props = w.runtime.spreadsheet.documentProperties.toObject();
    expect(Object.entries(props).filter(([, v]) => utf8(v) > 9_000)).toEqual([]);
    // What grows with the columns is in the hidden state sheet, not in properties (500 KB in all): they
    // keep the kind, source, refresh mark and the zone of the first pull, whatever the columns.
    expect(Object.keys(props).filter((k) => k.includes('#seen'))).toEqual([]);
    expect(utf8(props[`closeSync.definition.${SHEET}`])).toBeLessThan(250);
    const state = w.runtime.spreadsheet.dump('Close Sync state');
    const row = state.find((r) => r[0] === `closeSync.definition.${SHEET}`)!;
    expect(utf8(row.slice(1).join(''))).toBeGreaterThan(9_000);
  });

  test('the saved columns come back whole: a second pull sees no drift and keeps the headers', () => {
    const seen = w.app.getPullDefinition(SHEET).seen;
    expect(Object.keys(seen)).toHaveLength(150 + 13);
    expect(Object.values(seen).map((s) => (s as { header: string }).header)).toContain(NAMES(148));
    const header = w.runtime.spreadsheet.read(SHEET, '1:1')[0];
    expect(header).toContain(NAMES(149));
    w.runtime.startExecution();
    expect(w.app.pullLeads({})).toMatchObject({ done: true, added: 0 });
    expect(w.runtime.spreadsheet.read(SHEET, '1:1')[0]).toEqual(header);
  });
});

test('a full document store: the pull says which sheet could not be saved and what to delete', () => {
  const w = connectedWorld();
  // Other sheets' saved pulls (and whatever else) have filled the 500 KB the document may keep.
  const store = w.runtime.documentProperties;
  for (let i = 0; store.sizeBytes() < 499_990; i++)
    store.set(
      `closeSync.definition.Old sheet ${i}#seen0`,
      'x'.repeat(Math.min(9_000, 499_990 - store.sizeBytes())),
    );
  expect(() => w.app.pullLeads({})).toThrow(
    `Close Sync could not save its settings ("closeSync.sheets"): this spreadsheet's Close Sync settings are full (Google keeps 500 KB of them per spreadsheet). Delete the sheets Close Sync pulled into that you no longer need (their settings go with them), then try again.`,
  );
  // From the menu the same words come in an alert, not Apps Script's quota message.
  w.runtime.openDocument(w.app, 'FULL');
  w.runtime.clickMenu(w.app, 'Pull leads');
  expect(w.runtime.ui.alerts.at(-1)?.message).toMatch(/^Close Sync could not save its settings/);
});

describe('dropdowns past the 500 items Sheets allows in a list', () => {
  const LISTS = 'Close Sync lists';
  /** The sample organization with a 600-choice Industry field and 700 more users. */
  function bigOrg(): FakeOrg {
    const org = buildSampleOrg();
    const industry = org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!;
    const known = industry.choices as string[];
    industry.choices = [
      ...known,
      ...Array.from({ length: 600 - known.length }, (_, i) => `Industry ${i + 1}`),
    ];
    const model = org.users[0];
    const member = org.organization.memberships[0];
    for (let i = 1; i <= 700; i++) {
      const id = `user_big${String(i).padStart(4, '0')}`;
      const [first, last, email] = ['Rep', `Number ${i}`, `rep${i}@acme.test`];
      org.users.push({ ...model, id, first_name: first, last_name: last, email });
      org.organization.memberships.push({
        ...member,
        id: `mem_big${i}`,
        user_id: id,
        user_full_name: `${first} ${last}`,
        user_first_name: first,
        user_last_name: last,
        user_email: email,
      });
    }
    return org;
  }
  const w = connectedWorld({ org: bigOrg() });
  const book = w.runtime.spreadsheet;
  const rule = (world: World, header: string) =>
    world.runtime.spreadsheet.cellInfo(SHEET, [2, view(world).col(header)]).validation;
  /** The list sheet's columns: name → items. */
  const lists = () => {
    const rows = book.dump(LISTS) as string[][];
    return Object.fromEntries(
      rows[0].map((name, c) => [
        name,
        rows
          .slice(1)
          .map((r) => r[c])
          .filter((v) => v !== '' && v !== undefined),
      ]),
    );
  };
  const industries = () => w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.choices;

  test('the pull succeeds; long lists become "List from a range" over one hidden sheet, short ones stay lists', () => {
    expect(w.app.pullLeads({})).toMatchObject({ done: true });
    const org = w.close.org.organization;
    const userNames = org.memberships.length + org.inactive_memberships.length;
    expect(userNames).toBeGreaterThan(700);
    expect(lists()[`custom.${SAMPLE_FIELDS.industry}`]).toEqual(industries());
    expect(lists()['Close users']).toHaveLength(userNames);
    expect(lists()['Close users']).toContain('Rep Number 700');
    const columnOf = (name: string) => String.fromCharCode(65 + Object.keys(lists()).indexOf(name));
    const industryCol = columnOf(`custom.${SAMPLE_FIELDS.industry}`);
    expect(rule(w, 'Industry')).toMatchObject({
      criteria: 'VALUE_IN_RANGE',
      values: [{ sheet: LISTS, range: `${industryCol}2:${industryCol}` }, true],
      allowInvalid: true,
    });
    const usersCol = columnOf('Close users');
    expect(rule(w, 'Account Owner')).toMatchObject({
      criteria: 'VALUE_IN_RANGE',
      values: [{ sheet: LISTS, range: `${usersCol}2:${usersCol}` }, true],
    });
    // A short list is still an in-cell list.
    expect(rule(w, 'Status')).toMatchObject({
      criteria: 'VALUE_IN_LIST',
      values: [w.close.org.leadStatuses.map((s) => s.label), true],
    });
    // Copied down to the last row; the list sheet is hidden and the rep stays on their sheet.
    const last = view(w).rows.length;
    expect(book.cellInfo(SHEET, [last, view(w).col('Industry')]).validation).toEqual(rule(w, 'Industry'));
    expect(book.requireSheet(LISTS).hidden).toBe(true);
    expect(book.cellInfo(LISTS, 'A2').numberFormat).toBe('@');
    expect(
      (w.runtime.globals.SpreadsheetApp as { getActiveSheet(): { getName(): string } })
        .getActiveSheet()
        .getName(),
    ).toBe(SHEET);
  });

  test('a re-pull rewrites a list only when Close changed it', () => {
    const industryKey = `custom.${SAMPLE_FIELDS.industry}`;
    const col = Object.keys(lists()).indexOf(industryKey) + 1;
    // Mark the list column: a rewrite would wipe the mark.
    book.userEdit(LISTS, [700, col], 'mark');
    w.runtime.startExecution();
    expect(w.app.pullLeads({})).toMatchObject({ done: true });
    expect(book.dump(LISTS)[699][col - 1]).toBe('mark');
    // A choice added in Close: the list is rewritten whole, the dropdown points at it again.
    w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.choices!.push('Space Mining');
    w.runtime.startExecution();
    expect(w.app.pullLeads({})).toMatchObject({ done: true });
    expect(lists()[industryKey]).toEqual(industries());
    expect(lists()[industryKey]).toHaveLength(601);
    expect(lists()[industryKey]).not.toContain('mark');
    expect(rule(w, 'Industry')).toMatchObject({ criteria: 'VALUE_IN_RANGE' });
    expect(Object.keys(lists())).toHaveLength(2);
  });
});

describe('state past 9 KB a property: an activities pull of a long Japanese query, over several steps', () => {
  const ACTIVITIES = 'Close Activities';
  const PROGRESS = `closeSync.activities.progress.${ACTIVITIES}`;
  const part = (key: string, slot: string, i: number) => `closeSync.part.${slot}${i}:${key}`;
  /** Every lead named in Japanese; Close lets this key read one page of calls every 2.5 minutes. */
  function world(): World {
    const org = buildSampleOrg();
    org.leads.forEach((lead, i) => {
      lead.display_name = `株式会社サンプル商事 第${String(i).padStart(3, '0')}営業所`;
      lead.name = lead.display_name;
    });
    return connectedWorld({
      org,
      close: { rateLimits: { 'GET /activity/call/': { limit: 1, windowMs: 150_000 } } },
    });
  }
  // Close's filter UI, "Lead name is any of" 200 names pasted in: 10 KB of UTF-8 in one query.
  const names = (w: World) => w.close.org.leads.slice(0, 200).map((l) => String(l.display_name));
  const query = (w: World) =>
    JSON.stringify({
      query: {
        type: 'and',
        queries: [
          { type: 'object_type', object_type: 'lead' },
          {
            type: 'field_condition',
            field: { type: 'regular_field', object_type: 'lead', field_name: 'display_name' },
            condition: { type: 'term', values: names(w) },
          },
        ],
      },
    });

  test('the job, its progress and the saved pull are kept in parts under 9,000 bytes, and freed at the end', () => {
    const w = world();
    expect(utf8(query(w))).toBeGreaterThan(10_000);
    w.runtime.startExecution();
    const first = w.app.pullActivities({ types: ['call'], query: query(w) });
    expect(first).toMatchObject({ done: false, kind: 'activities', sheetName: ACTIVITIES, steps: 1 });
    const props = w.runtime.documentProperties.toObject() as Record<string, string>;
    expect(Object.entries(props).filter(([, v]) => utf8(v) > 9_000)).toEqual([]);
    // The progress: a head naming its parts (slot a, 2 parts, nothing stale), the parts in order.
    expect(props[PROGRESS]).toBe('\u0001parts:a:2:0');
    const progress = JSON.parse(props[part(PROGRESS, 'a', 0)] + props[part(PROGRESS, 'a', 1)]);
    expect(JSON.parse(progress.definition).source).toEqual({ type: 'query', query: query(w) });
    expect(progress.pagers).toMatchObject([{ type: 'call', done: false, pages: 2 }]);
    // The job record and the saved pull carry the query too.
    expect(props['closeSync.job']).toBe('\u0001parts:a:2:0');
    expect(props[`closeSync.activities.${ACTIVITIES}`]).toBe('\u0001parts:a:2:0');
    let outcome = first;
    for (let steps = 1; !outcome.done && steps < 5; steps++) {
      w.clock.advance(1_000);
      w.runtime.startExecution();
      outcome = w.app.continueSync();
    }
    const leads = new Set(w.close.org.leads.slice(0, 200).map((l) => l.id));
    const calls = (w.close.org.activities as Array<Record<string, unknown>>).filter(
      (a) => a._type === 'Call' && leads.has(String(a.lead_id)),
    );
    expect(outcome).toMatchObject({ done: true, added: calls.length, refreshed: 0 });
    const rows = w.runtime.spreadsheet.dump(ACTIVITIES).slice(1);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(calls.map((a) => a.id)));
    const lead0 = w.close.org.leads[0];
    const row0 = rows.find((r) => r[5] === lead0.id);
    expect(row0?.[4]).toBe('株式会社サンプル商事 第000営業所');
    // The job and its progress are gone with their parts; the saved pull stays, saved again by the
    // second step in the other slot (the first slot's parts freed).
    const after = w.runtime.documentProperties.toObject() as Record<string, string>;
    expect(Object.keys(after).filter((k) => k.includes('progress') || k.includes('closeSync.job'))).toEqual(
      [],
    );
    const saved = `closeSync.activities.${ACTIVITIES}`;
    expect(after[saved]).toBe('\u0001parts:b:2:2');
    expect(Object.keys(after).filter((k) => k.startsWith('closeSync.part.'))).toEqual([
      part(saved, 'b', 0),
      part(saved, 'b', 1),
    ]);
    expect(JSON.parse(after[part(saved, 'b', 0)] + after[part(saved, 'b', 1)]).source.query).toBe(query(w));
  });

  test("a cancelled pull's progress is freed with its sheet, parts and all", () => {
    const w = world();
    w.runtime.startExecution();
    expect(w.app.pullActivities({ types: ['call'], query: query(w) })).toMatchObject({ done: false });
    expect(w.app.cancelSync()).toMatchObject({ cancelled: true });
    const keys = () => Object.keys(w.runtime.documentProperties.toObject());
    expect(keys().filter((k) => k.includes(PROGRESS))).toEqual([
      part(PROGRESS, 'a', 0),
      part(PROGRESS, 'a', 1),
      PROGRESS,
    ]);
    const book = (
      w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp
    ).getActiveSpreadsheet();
    book.deleteSheet(book.getSheetByName(ACTIVITIES)!);
    w.runtime.startExecution();
    w.app.getSchedule();
    expect(keys().filter((k) => k.includes(ACTIVITIES))).toEqual([]);
  });
});
