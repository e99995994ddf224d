// The conflict check's GET of one object's current values (src/core/sync/current-values.ts) as Close
// receives it: the exact URL for a lead's edited fields, for a lead with so many edited custom fields that
// naming them would pass Close's 2,000 characters, and for contacts and opportunities (whole objects).
import { CloseClient } from '../../src/core/close/client';
import type { Http, HttpRequest } from '../../src/core/ports';
import { type ObjectKind, OBJECTS } from '../../src/core/schema/objects';
import { currentValuesCall } from '../../src/core/sync/conflicts';

const BASE = 'https://api.close.com/api/v1';
/** Close's ids are a prefix and 43 characters. */
const LEAD = `lead_${'L'.repeat(43)}`;

/** The one request the client sends for the check of `keys` on object `id` (URL, method, body). */
function checkSent(
  kind: ObjectKind,
  id: string,
  keys: string[],
): Pick<HttpRequest, 'method' | 'url' | 'body'> {
  const sent: HttpRequest[] = [];
  const http: Http = {
    fetchAll: (requests) =>
      requests.map((r) => {
        sent.push(r);
        return { status: 200, headers: {}, body: '{}' };
      }),
  };
  const change = {
    row: 2,
    leadId: id,
    leadName: 'Wayne Enterprises',
    edits: keys.map((key) => ({ key, header: key, old: null, value: 'x' })),
    problems: [],
  };
  new CloseClient(http, { now: () => 0, sleep: () => {} }, 'api_k').callAll([
    currentValuesCall(change, OBJECTS[kind]),
  ]);
  expect(sent).toHaveLength(1);
  const { method, url, body } = sent[0];
  return { method, url, body };
}

/** `n` custom-field keys as Close names them (`custom.` and a 43-character `cf_` id). */
const customKeys = (n: number) =>
  Array.from({ length: n }, (_, i) => `custom.cf_${String(i).padStart(2, '0')}${'x'.repeat(38)}`);

test('a lead: only id and the edited fields, each once, in the order edited', () => {
  expect(checkSent('lead', LEAD, ['name', 'custom.cf_a', 'name', 'id'])).toEqual({
    method: 'get',
    url: `${BASE}/lead/${LEAD}/?_fields=id%2Cname%2Ccustom.cf_a`,
    body: undefined,
  });
});

test('contacts and opportunities: the whole object, no `_fields` (subsets are documented for leads only)', () => {
  expect(checkSent('contact', 'cont_1', ['title', 'custom.cf_role'])).toEqual({
    method: 'get',
    url: `${BASE}/contact/cont_1/`,
    body: undefined,
  });
  expect(checkSent('opportunity', 'oppo_1', ['note', 'custom.cf_stage'])).toEqual({
    method: 'get',
    url: `${BASE}/opportunity/oppo_1/`,
    body: undefined,
  });
});

describe("a lead's edited fields against the 2,000-character URL", () => {
  /** Keys whose field list makes the subset URL exactly `length` characters (commas encoded as %2C). */
  const keysForUrl = (length: number) => {
    const keys = ['name', ...customKeys(34), 'description'];
    const url = (ks: string[]) =>
      `${BASE}/lead/${LEAD}/?_fields=${encodeURIComponent(['id', ...ks].join(','))}`;
    const short = length - url(keys).length;
    expect(short).toBeGreaterThan(0);
    // Pad one key so the URL (with its encoded commas) is exactly `length` characters.
    keys[1] = `${keys[1]}${'y'.repeat(short)}`;
    expect(url(keys)).toHaveLength(length);
    return keys;
  };

  test('a URL of exactly 2,000 characters names each field', () => {
    const keys = keysForUrl(2_000);
    const fields = ['id', ...keys].join('%2C');
    expect(checkSent('lead', LEAD, keys)).toEqual({
      method: 'get',
      url: `${BASE}/lead/${LEAD}/?_fields=${fields}`,
      body: undefined,
    });
  });

  test('one character more (counted with its commas encoded): the standard fields by name, every custom field as `custom`', () => {
    const keys = keysForUrl(2_001);
    // Unencoded, the list would fit: the commas' encoding is what passes the limit.
    expect(`${BASE}/lead/${LEAD}/?_fields=${['id', ...keys].join(',')}`.length).toBeLessThan(2_000);
    expect(checkSent('lead', LEAD, keys)).toEqual({
      method: 'get',
      url: `${BASE}/lead/${LEAD}/?_fields=id%2Cname%2Cdescription%2Ccustom`,
      body: undefined,
    });
  });

  test('40 edited custom fields: one short GET of `custom`', () => {
    expect(checkSent('lead', LEAD, customKeys(40))).toEqual({
      method: 'get',
      url: `${BASE}/lead/${LEAD}/?_fields=id%2Ccustom`,
      body: undefined,
    });
  });
});
