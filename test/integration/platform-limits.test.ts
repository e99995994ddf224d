// Apps Script's documented limits the add-on meets in big or non-Latin organizations: property values of
// 9 KB counted in bytes (a Japanese or Cyrillic field name takes 2–3 bytes a character), a full property
// store, and list dropdowns of at most 500 items.
import { buildBulkOrg } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { SHEET } from './sheet';

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
    const parts = Object.keys(props).filter((k) => k.startsWith(`closeSync.definition.${SHEET}#seen`));
    // Counted in characters the parts would fit in fewer, and overflow 9 KB.
    expect(parts.length).toBeGreaterThan(2);
    for (const k of parts) expect(utf8(props[k])).toBeLessThanOrEqual(8_000);
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
  for (let i = 0; store.sizeBytes() < 499_000; i++)
    store.set(
      `closeSync.definition.Old sheet ${i}#seen0`,
      'x'.repeat(Math.min(9_000, 499_000 - store.sizeBytes())),
    );
  expect(() => w.app.pullLeads({})).toThrow(
    `Close Sync could not save what "${SHEET}" pulls: this spreadsheet's Close Sync settings are full (Google keeps 500 KB of them per spreadsheet). Delete the sheets Close Sync pulled into that you no longer need (their settings go with them), or pull fewer fields into "${SHEET}", then pull again.`,
  );
  // From the menu the same words come in an alert, not Apps Script's quota message.
  w.runtime.openDocument(w.app, 'FULL');
  w.runtime.clickMenu(w.app, 'Pull leads');
  expect(w.runtime.ui.alerts.at(-1)?.message).toMatch(/^Close Sync could not save what "Close Leads" pulls/);
});
