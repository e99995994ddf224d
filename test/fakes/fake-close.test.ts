// The fake Close API must be at least as strict and quirky as production: these tests pin its behaviour.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildBulkOrg,
  buildSampleOrg,
  FakeClose,
  type FakeCloseOptions,
  type FakeResponse,
  INDUSTRY_CHOICES,
  type JsonObject,
  type Lead,
  NBSP_NAME,
  RATE_LIMIT_MESSAGE,
  SAMPLE_API_KEY,
  SAMPLE_FIELDS,
  startFakeCloseServer,
  TRICKY_TEXT_VALUES,
  UNAUTHORIZED_MESSAGE,
  WAYNE_LEAD_ID,
  XSS_NAME,
} from '../../dev/fake-close';

const BASE = 'https://api.close.com/api/v1';
const KEY = 'api_test_key_1';
const START = Date.UTC(2025, 5, 1, 12, 0, 0);
const ID_RE = /^lead_[0-9A-Za-z]{43}$/;
const CLOSE_DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

/** The List Leads sample response, parsed out of the stored docs page (lines are prefixed by their number). */
function seedResponse(): { data: JsonObject[]; has_more: boolean } {
  const text = readFileSync(join('/work/shared/seeds', '000_29e620de6702ad5b.txt'), 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('1{'));
  const json: string[] = [];
  for (let n = 1; start + n - 1 < lines.length; n++) {
    const line = lines[start + n - 1];
    if (!line.startsWith(String(n))) break;
    json.push(line.slice(String(n).length));
  }
  return JSON.parse(json.join('\n'));
}

function basic(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: JsonObject;
}

function parse(res: FakeResponse): Reply {
  let json: JsonObject = {};
  try {
    json = res.body ? JSON.parse(res.body) : {};
  } catch {
    json = {};
  }
  return { ...res, json };
}

function api(fake: FakeClose, key = KEY) {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    parse(
      fake.handle({
        method,
        url: `${BASE}${path}`,
        headers: { Authorization: basic(key), ...headers },
        body: body === undefined ? '' : JSON.stringify(body),
      }),
    );
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    put: (path: string, body: unknown) => call('PUT', path, body),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    del: (path: string) => call('DELETE', path),
  };
}

function setup(opts: FakeCloseOptions = {}) {
  let now = START;
  const fake = new FakeClose(buildSampleOrg(), { now: () => now, ...opts });
  return {
    fake,
    c: api(fake),
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const data = (r: Reply) => r.json.data as JsonObject[];
const cf = (id: string) => `custom.${id}`;

describe('seed data', () => {
  test('the Wayne lead is served exactly as in the seed (values and key order)', () => {
    const seedLead = seedResponse().data[0];
    const { c } = setup();
    const r = c.get(`/lead/${WAYNE_LEAD_ID}/`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual(seedLead);
    expect(r.body).toBe(JSON.stringify(seedLead));
    expect(buildSampleOrg().leads[0]).toEqual(seedLead);
  });

  test('the sample org is deterministic, ~300 leads, Close-shaped ids and datetimes', () => {
    const a = buildSampleOrg();
    expect(JSON.stringify(buildSampleOrg())).toBe(JSON.stringify(a));
    expect(JSON.stringify(buildSampleOrg({ seed: 2 }))).not.toBe(JSON.stringify(a));
    expect(a.leads.length).toBe(300);
    for (const lead of a.leads) {
      expect(lead.id).toMatch(ID_RE);
      expect(lead.date_created).toMatch(CLOSE_DATE_RE);
      expect(lead.date_updated).toMatch(CLOSE_DATE_RE);
      for (const contact of lead.contacts) expect(contact.id).toMatch(/^cont_[0-9A-Za-z]{43}$/);
    }
    expect(a.leads.some((l) => !l.date_created.includes('.'))).toBe(true);
    expect(a.pipelines[0].id).toMatch(/^pipe_[0-9A-Za-z]{22}$/);
    expect(a.pipelines[0].date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/); // no offset
  });

  test('the schema covers every custom field type, single and multi', () => {
    const org = buildSampleOrg();
    const types = org.customFields.map((f) => `${f.type}${f.accepts_multiple_values ? '*' : ''}`);
    for (const t of [
      'text',
      'textarea',
      'number',
      'date',
      'datetime',
      'choices',
      'choices*',
      'user',
      'user*',
    ]) {
      expect(types).toContain(t);
    }
    expect(types).toContain('contact');
    expect(types).toContain('hidden');
    const source = org.customFields.find((f) => f.id === 'cf_ORxgoOQ5YH1p7lDQzFJ88b4z0j7PLLTRaG66m8bmcKv');
    expect(source?.type).toBe('text');
    const multi = org.customFields.find((f) => f.id === 'cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks');
    expect(multi).toMatchObject({ type: 'choices', accepts_multiple_values: true });
    expect(multi?.choices).toEqual(['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4', 'Choice 5']);
  });

  test('tricky values are present', () => {
    const org = buildSampleOrg();
    const names = org.leads.map((l) => l.display_name);
    expect(names).toContain(XSS_NAME);
    expect(names).toContain(NBSP_NAME);
    expect(names.some((n) => /\p{Extended_Pictographic}/u.test(n))).toBe(true);
    const refs = org.leads.map((l) => l[cf(SAMPLE_FIELDS.referenceCode)]);
    for (const v of TRICKY_TEXT_VALUES) expect(refs).toContain(v);
    const industries = org.leads.map((l) => l[cf(SAMPLE_FIELDS.industry)]);
    expect(industries).toContain('Retail, Wholesale');
    expect(industries).toContain('Health; Wellness');
    expect(INDUSTRY_CHOICES).toContain('Retail, Wholesale');
    expect(org.leads.some((l) => l.description.length > 2000)).toBe(true);
    expect(org.leads.some((l) => l.description === '')).toBe(true);
    expect(org.leads.some((l) => l.url === null)).toBe(true);
    expect(org.leads.some((l) => l.contacts.length === 0 && l.opportunities.length === 0)).toBe(true);
    const revenue = org.leads.map((l) => l[cf(SAMPLE_FIELDS.revenue)]).filter((v) => typeof v === 'number');
    expect(revenue.some((v) => !Number.isInteger(v))).toBe(true);
    const employees = org.leads
      .map((l) => l[cf(SAMPLE_FIELDS.employees)])
      .filter((v) => typeof v === 'number');
    expect(employees.every((v) => Number.isInteger(v))).toBe(true);
    const fullNames = org.organization.memberships.map((m) => m.user_full_name);
    const dup = fullNames.find((n, i) => fullNames.indexOf(n) !== i);
    expect(dup).toBeDefined();
    const dupEmails = org.organization.memberships
      .filter((m) => m.user_full_name === dup)
      .map((m) => m.user_email);
    expect(new Set(dupEmails).size).toBe(2);
  });
});

describe('auth', () => {
  test('Basic KEY: and Bearer work; anything else is a 401 with the error body', () => {
    const { fake, c } = setup();
    expect(c.get('/me/').status).toBe(200);
    const bearer = parse(
      fake.handle({
        method: 'GET',
        url: `${BASE}/me/`,
        headers: { authorization: `Bearer ${KEY}` },
        body: '',
      }),
    );
    expect(bearer.status).toBe(200);
    for (const authorization of [
      basic('api_wrong'),
      `Basic ${Buffer.from(KEY).toString('base64')}`,
      '',
      'Token x',
    ]) {
      const r = parse(
        fake.handle({ method: 'GET', url: `${BASE}/lead/`, headers: { authorization }, body: '' }),
      );
      expect(r.status).toBe(401);
      expect(r.json).toEqual({ error: UNAUTHORIZED_MESSAGE });
      expect(r.headers.RateLimit).toMatch(/^limit=\d+, remaining=\d+, reset=[\d.]+$/);
    }
  });

  test('a revoked key gets 401 from then on', () => {
    const { fake, c } = setup();
    expect(c.get('/lead/?_limit=1').status).toBe(200);
    fake.revokeKey(KEY);
    expect(c.get('/lead/?_limit=1').status).toBe(401);
  });

  test('/me/ has organizations as objects, /user/ as id strings; people who left have none', () => {
    const { fake, c } = setup();
    const me = c.get('/me/').json;
    expect(me.id).toBe(fake.userIdForKey(KEY));
    const orgs = me.organizations as JsonObject[];
    expect(orgs[0].id).toBe(fake.org.organization.id);
    expect(typeof orgs[0].name).toBe('string');
    const users = data(c.get('/user/'));
    expect(users.length).toBe(fake.org.users.length);
    expect(users[0].organizations).toEqual([fake.org.organization.id]);
    expect(users.some((u) => Array.isArray(u.organizations) && u.organizations.length === 0)).toBe(true);
    expect(fake.org.organization.inactive_memberships.length).toBe(1);
  });
});

describe('GET /lead/', () => {
  test('default page of 100, newest first, has_more; _skip/_limit walk returns every lead once', () => {
    const { fake, c } = setup();
    const first = c.get('/lead/');
    expect(data(first).length).toBe(100);
    expect(first.json.has_more).toBe(true);
    expect(first.json.total_results).toBeUndefined();
    const seen: string[] = [];
    for (let skip = 0; ; skip += 70) {
      const r = c.get(`/lead/?_skip=${skip}&_limit=70&_fields=id,date_created`);
      seen.push(...data(r).map((l) => String(l.id)));
      if (!r.json.has_more) break;
    }
    expect(seen.length).toBe(fake.leads.size);
    expect(new Set(seen).size).toBe(fake.leads.size);
    const created = seen.map((id) => Date.parse(String(fake.leads.get(id)?.date_created)));
    for (let i = 1; i < created.length; i++) expect(created[i - 1]).toBeGreaterThanOrEqual(created[i]);
    expect(seen[seen.length - 1]).toBe(WAYNE_LEAD_ID); // the 2013 seed lead is the oldest
  });

  test('_limit over the max and _skip over the cap are 400s with a message', () => {
    const { c } = setup({ maxSkip: 250 });
    const tooMany = c.get('/lead/?_limit=201');
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error).toBe('Invalid _limit: the maximum for this resource is 200.');
    expect(c.get('/lead/?_limit=200').status).toBe(200);
    expect(c.get('/lead/?_skip=250&_limit=10').status).toBe(200);
    const deep = c.get('/lead/?_skip=251');
    expect(deep.status).toBe(400);
    // Close's own words (airbytehq/airbyte issue #20959): the text names "skip", never `_skip`.
    expect(deep.json.error).toBe(
      'The skip you set is larger than the maximum skip for this resource (max_skip = 250). Please refine your search query.',
    );
    expect(c.get('/lead/?_limit=ten').status).toBe(400);
  });

  test('_fields: plain keys, custom, custom.cf_X subsets, _all', () => {
    const { c } = setup();
    const wayne = `/lead/${WAYNE_LEAD_ID}/`;
    expect(Object.keys(c.get(`${wayne}?_fields=id,display_name,nope`).json)).toEqual(['id', 'display_name']);
    expect(c.get(`${wayne}?_fields=id,custom`).json).toEqual({
      id: WAYNE_LEAD_ID,
      'custom.cf_ORxgoOQ5YH1p7lDQzFJ88b4z0j7PLLTRaG66m8bmcKv': 'Website contact form',
      'custom.cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks': ['Choice 1', 'Choice 2'],
    });
    expect(c.get(`${wayne}?_fields=custom.cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks`).json).toEqual({
      'custom.cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks': ['Choice 1', 'Choice 2'],
    });
    const all = c.get(`${wayne}?_fields=_all`).json;
    expect(all.name).toBe('Wayne Enterprises (Sample Lead)');
    expect(all.num_contacts).toBe(1);
    expect(all.primary_email).toMatchObject({ email: 'thedarkknight@close.com' });
    const page = data(c.get('/lead/?_limit=5&_fields=id,custom'));
    for (const lead of page)
      for (const k of Object.keys(lead)) expect(k === 'id' || k.startsWith('custom.cf_')).toBe(true);
  });

  test('smart_view_id is ignored; legacy query filters, sorts and adds total_results', () => {
    const { fake, c } = setup();
    const view = fake.org.savedSearches[0].id;
    expect(c.get(`/lead/?_limit=50&smart_view_id=${view}`).body).toBe(c.get('/lead/?_limit=50').body);
    const r = c.get(
      '/lead/?_limit=200&_fields=id,date_updated&query=sort:updated date_updated > "2024-01-01"',
    );
    expect(r.status).toBe(200);
    const rows = data(r);
    const bound = Date.UTC(2024, 0, 1);
    expect(r.json.total_results).toBe(
      [...fake.leads.values()].filter((l) => Date.parse(l.date_updated) > bound).length,
    );
    for (const row of rows) expect(Date.parse(String(row.date_updated))).toBeGreaterThan(bound);
    for (let i = 1; i < rows.length; i++) {
      expect(Date.parse(String(rows[i].date_updated))).toBeGreaterThanOrEqual(
        Date.parse(String(rows[i - 1].date_updated)),
      );
    }
    expect(c.get(`/lead/?query=id:${WAYNE_LEAD_ID}`).json.total_results).toBe(1);
    expect(c.get('/lead/?query=foo:bar').status).toBe(400);
  });

  test('404, missing trailing slash, unknown route, wrong method', () => {
    const { c } = setup();
    const missing = c.get('/lead/lead_doesnotexist/');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'Empty query: Lead matching query does not exist.' });
    expect(c.put('/lead/lead_doesnotexist/', { name: 'x' }).status).toBe(404);
    const noSlash = c.get('/lead?_limit=1');
    expect(noSlash.status).toBe(308);
    expect(noSlash.headers.Location).toBe(`${BASE}/lead/?_limit=1`);
    expect(c.get('/leads/').status).toBe(404);
    const wrong = c.del('/lead/');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.Allow).toContain('GET');
  });
});

describe('writes', () => {
  test('PUT is partial: untouched fields survive; date_updated and updated_by change', () => {
    const { fake, c, advance, now } = setup();
    const before = c.get(`/lead/${WAYNE_LEAD_ID}/`).json;
    advance(5000);
    const r = c.put(`/lead/${WAYNE_LEAD_ID}/`, { name: 'Wayne Tech' });
    expect(r.status).toBe(200);
    expect(r.json.name).toBe('Wayne Tech');
    expect(r.json.display_name).toBe('Wayne Tech');
    expect(r.json.date_updated).toBe(new Date(now()).toISOString().replace('Z', '000+00:00'));
    expect(r.json.updated_by).toBe(fake.userIdForKey(KEY));
    const { name, display_name, date_updated, updated_by, opportunities, ...rest } = r.json;
    const {
      name: n0,
      display_name: d0,
      date_updated: u0,
      updated_by: b0,
      opportunities: o0,
      ...rest0
    } = before;
    expect(rest).toEqual(rest0);
    expect((opportunities as JsonObject[])[0].lead_name).toBe('Wayne Tech');
    expect(c.get(`/lead/${WAYNE_LEAD_ID}/`).json).toEqual(r.json);
  });

  test('custom values: null clears, arrays replace, .add/.remove, numeric strings, datetimes normalised', () => {
    const { c } = setup();
    const url = `/lead/${WAYNE_LEAD_ID}/`;
    const source = 'custom.cf_ORxgoOQ5YH1p7lDQzFJ88b4z0j7PLLTRaG66m8bmcKv';
    const multi = 'custom.cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks';
    let lead = c.put(url, { [source]: null }).json;
    expect(source in lead).toBe(false);
    expect(lead[multi]).toEqual(['Choice 1', 'Choice 2']);
    lead = c.put(url, { [multi]: ['Choice 3'] }).json;
    expect(lead[multi]).toEqual(['Choice 3']);
    lead = c.put(url, { [`${multi}.add`]: 'Choice 5', [`${multi}.remove`]: 'Choice 3' }).json;
    expect(lead[multi]).toEqual(['Choice 5']);
    lead = c.put(url, { [`${multi}.remove`]: 'Choice 5' }).json;
    expect(multi in lead).toBe(false);
    // `.add` / `.remove` take a single value (the docs); a list is refused, nothing applied.
    const list = c.put(url, { [`${multi}.add`]: ['Choice 1', 'Choice 2'] });
    expect(list.status).toBe(400);
    expect(list.json).toEqual({
      errors: [],
      'field-errors': {
        [`${multi}.add`]: 'Not a valid value: .add and .remove take a single value, not a list.',
      },
    });
    expect(multi in c.get(url).json).toBe(false);
    lead = c.put(url, {
      [cf(SAMPLE_FIELDS.employees)]: '42',
      [cf(SAMPLE_FIELDS.revenue)]: 1234.5,
      [cf(SAMPLE_FIELDS.lastDemo)]: '2024-03-04T10:00:00-05:00',
      [cf(SAMPLE_FIELDS.contractStart)]: '2024-02-29',
      [cf(SAMPLE_FIELDS.referenceCode)]: '=1+1',
    }).json;
    expect(lead[cf(SAMPLE_FIELDS.employees)]).toBe(42);
    expect(lead[cf(SAMPLE_FIELDS.revenue)]).toBe(1234.5);
    expect(lead[cf(SAMPLE_FIELDS.lastDemo)]).toBe('2024-03-04T15:00:00+00:00');
    expect(lead[cf(SAMPLE_FIELDS.contractStart)]).toBe('2024-02-29');
    expect(lead[cf(SAMPLE_FIELDS.referenceCode)]).toBe('=1+1');
  });

  test('validation errors: shape, messages, and nothing is written', () => {
    const { fake, c } = setup();
    const url = `/lead/${WAYNE_LEAD_ID}/`;
    const before = JSON.stringify(fake.leads.get(WAYNE_LEAD_ID));
    const r = c.put(url, {
      name: 'Should not stick',
      'custom.cf_NOPE': 'x',
      [cf(SAMPLE_FIELDS.industry)]: 'Foo',
      [cf(SAMPLE_FIELDS.employees)]: 'many',
      [cf(SAMPLE_FIELDS.contractStart)]: '2024-02-30',
      [cf(SAMPLE_FIELDS.owner)]: 'user_nobody',
      [cf(SAMPLE_FIELDS.industry.replace('cf_', 'cf_'))]: 'Foo',
    });
    expect(r.status).toBe(400);
    expect(r.json.errors).toEqual([]);
    expect(r.json['field-errors']).toEqual({
      'custom.cf_NOPE': 'The Custom Field "cf_NOPE" does not exist.',
      [cf(SAMPLE_FIELDS.industry)]: "Invalid choice: 'Foo'",
      [cf(SAMPLE_FIELDS.employees)]: "Invalid number: 'many'",
      [cf(SAMPLE_FIELDS.contractStart)]: "Invalid date: '2024-02-30'. Use the YYYY-MM-DD format.",
      [cf(SAMPLE_FIELDS.owner)]: "Invalid user: 'user_nobody'",
    });
    expect(JSON.stringify(fake.leads.get(WAYNE_LEAD_ID))).toBe(before);
    const arr = c.put(url, { [cf(SAMPLE_FIELDS.industry)]: ['Software'] });
    expect(arr.json['field-errors']).toEqual({
      [cf(SAMPLE_FIELDS.industry)]: 'This field does not accept multiple values.',
    });
    const add = c.put(url, { [`${cf(SAMPLE_FIELDS.industry)}.add`]: 'Software' });
    expect(add.status).toBe(400);
    const contacts = c.put(url, { contacts: [] });
    expect(contacts.status).toBe(400);
    expect(Object.keys(contacts.json['field-errors'] as JsonObject)).toEqual(['contacts']);
  });

  test('status label or status_id, never both', () => {
    const { fake, c } = setup();
    const url = `/lead/${WAYNE_LEAD_ID}/`;
    const qualified = fake.org.leadStatuses.find((s) => s.label === 'Qualified');
    expect(c.put(url, { status: 'Qualified' }).json).toMatchObject({
      status_id: qualified?.id,
      status_label: 'Qualified',
    });
    expect(c.put(url, { status_id: fake.org.leadStatuses[0].id }).json.status_label).toBe('Potential');
    const both = c.put(url, { status: 'Qualified', status_id: qualified?.id });
    expect(both.status).toBe(400);
    expect(both.json.errors).toEqual(["Provide either 'status' or 'status_id', not both."]);
    const unknown = c.put(url, { status: 'Nope' });
    expect(unknown.json['field-errors']).toEqual({
      status:
        'Not a valid choice. Please go to Customizations in your organization settings and add "Nope" to the list of lead statuses.',
    });
  });

  test('addresses are replaced whole; read-only keys are ignored', () => {
    const { c } = setup();
    const url = `/lead/${WAYNE_LEAD_ID}/`;
    c.put(url, {
      addresses: [
        { label: 'business', city: 'Gotham' },
        { label: 'mailing', city: 'Bludhaven' },
      ],
    });
    const lead = c.put(url, {
      addresses: [{ label: 'business', city: 'Metropolis' }],
      id: 'lead_x',
      date_created: 'x',
    }).json;
    expect(lead.addresses).toEqual([{ label: 'business', city: 'Metropolis' }]);
    expect(lead.id).toBe(WAYNE_LEAD_ID);
    expect(lead.date_created).toBe('2013-02-01T00:54:51.333000+00:00');
  });

  test('POST /lead/ creates a full lead (first status by default, nested contacts) listed first; DELETE', () => {
    const { fake, c } = setup();
    const r = c.post('/lead/', {
      name: 'New Co',
      contacts: [
        { name: 'Ann Lee', emails: [{ email: 'ann@new.co' }], phones: [{ phone: '(650) 333-4444' }] },
      ],
      [cf(SAMPLE_FIELDS.industry)]: 'Retail, Wholesale',
    });
    expect(r.status).toBe(200);
    const lead = r.json as Lead;
    expect(lead.id).toMatch(ID_RE);
    expect(lead.status_label).toBe('Potential');
    expect(lead.created_by).toBe(fake.userIdForKey(KEY));
    expect(lead.html_url).toBe(`https://app.close.com/lead/${lead.id}/`);
    expect(lead.contacts[0].phones[0]).toEqual({
      phone: '+16503334444',
      type: 'office',
      phone_formatted: '+1 650-333-4444',
    });
    expect(lead.contact_ids).toEqual([lead.contacts[0].id]);
    expect(data(c.get('/lead/?_limit=1&_fields=id'))[0].id).toBe(lead.id);
    expect(
      c.post('/lead/', { name: 'X', status: 'Potential', status_id: fake.org.leadStatuses[0].id }).status,
    ).toBe(400);
    const badPhone = c.post('/lead/', { contacts: [{ name: 'B', phones: [{ phone: 'call me' }] }] });
    expect(badPhone.json['field-errors']).toEqual({
      contacts: {
        errors: {
          '0': {
            errors: [],
            'field-errors': {
              phones: { errors: { '0': { errors: [], 'field-errors': { phone: 'Invalid phone number.' } } } },
            },
          },
        },
      },
    });
    expect(c.del(`/lead/${lead.id}/`).json).toEqual({});
    expect(c.get(`/lead/${lead.id}/`).status).toBe(404);
    expect(fake.leads.has(lead.id)).toBe(false);
  });

  test('contacts and opportunities: partial PUT, cents, status label', () => {
    const { fake, c } = setup();
    const wayne = fake.leads.get(WAYNE_LEAD_ID) as Lead;
    const contactId = wayne.contacts[0].id;
    const contact = c.put(`/contact/${contactId}/`, { title: 'Batman' }).json;
    expect(contact).toMatchObject({ title: 'Batman', name: 'Bruce Wayne', lead_id: WAYNE_LEAD_ID });
    expect(data(c.get(`/contact/?lead_id=${WAYNE_LEAD_ID}`)).length).toBe(1);
    const oppId = wayne.opportunities[0].id;
    const opp = c.put(`/opportunity/${oppId}/`, { value: 123456, status: 'Won' }).json;
    expect(opp).toMatchObject({
      value: 123456,
      value_formatted: '$1,234.56',
      status_type: 'won',
      pipeline_name: 'Sales',
    });
    expect(c.put(`/opportunity/${oppId}/`, { value: 12.5 }).status).toBe(400);
    // Fields the OpenAPI schema types without null refuse it; the others take it.
    const nulls = c.put(`/opportunity/${oppId}/`, { confidence: null, user_id: null, value_period: null });
    expect(nulls.status).toBe(400);
    expect(nulls.json).toEqual({
      errors: [],
      'field-errors': {
        confidence: 'Field may not be null.',
        user_id: 'Field may not be null.',
        value_period: 'Field may not be null.',
      },
    });
    expect(c.put(`/opportunity/${oppId}/`, { note: null, date_won: null }).json).toMatchObject({
      note: '',
      date_won: null,
    });
    expect(c.get('/opportunity/nope/').json).toEqual({
      error: 'Empty query: Opportunity matching query does not exist.',
    });
  });

  test('touchLead: a colleague edits in Close', () => {
    const { fake, advance, now } = setup();
    advance(60_000);
    fake.touchLead(WAYNE_LEAD_ID, { description: 'Edited in Close' });
    const lead = fake.leads.get(WAYNE_LEAD_ID) as Lead;
    expect(lead.description).toBe('Edited in Close');
    expect(Date.parse(lead.date_updated)).toBe(now());
    expect(lead.updated_by).not.toBe(fake.userIdForKey(KEY));
  });

  test('x-http-method-override: GET with _params in a POST body', () => {
    const { c } = setup();
    const r = c.post(
      '/lead/',
      { _params: { _limit: 3, _fields: 'id' } },
      { 'X-HTTP-Method-Override': 'GET' },
    );
    expect(r.status).toBe(200);
    expect(data(r).length).toBe(3);
  });
});

describe('rate limits', () => {
  const tight = { 'GET /lead/{id}/': { limit: 3, windowMs: 1000 } };

  test('per endpoint group: 429 with Retry-After, RateLimit remaining=0 and the error body; window resets', () => {
    const { c, advance } = setup({ rateLimits: tight });
    const url = `/lead/${WAYNE_LEAD_ID}/?_fields=id`;
    expect(c.get(url).headers.RateLimit).toBe('limit=3, remaining=2, reset=1');
    advance(400);
    expect(c.get(url).headers.RateLimit).toBe('limit=3, remaining=1, reset=0.6');
    expect(c.get(url).status).toBe(200);
    const limited = c.get(url);
    expect(limited.status).toBe(429);
    expect(limited.headers['Retry-After']).toBe('1');
    expect(limited.headers.RateLimit).toBe('limit=3, remaining=0, reset=0.6');
    expect(limited.json.error).toBe(RATE_LIMIT_MESSAGE);
    expect(c.get('/lead/?_limit=1').status).toBe(200); // another group
    advance(600);
    expect(c.get(url).status).toBe(200);
  });

  test('semicolon separator and legacy headers/body', () => {
    const { c } = setup({ rateLimits: tight, rateLimitSeparator: ';', legacyRateLimit: true });
    const url = `/lead/${WAYNE_LEAD_ID}/`;
    const ok = c.get(url);
    expect(ok.headers.RateLimit).toBe('limit=3; remaining=2; reset=1');
    expect(ok.headers['X-Rate-Limit-Limit']).toBe('3');
    expect(ok.headers['X-Rate-Limit-Remaining']).toBe('2');
    expect(ok.headers['X-Rate-Limit-Reset']).toBe('1.000000');
    c.get(url);
    c.get(url);
    const limited = c.get(url);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({
      message: RATE_LIMIT_MESSAGE,
      rate_limit: 3,
      rate_limit_type: 'key',
      rate_reset: '1.000000',
      rate_window: 1,
    });
    expect(typeof limited.json.rate_endpoint_group).toBe('string');
  });

  test('the org limit is 3x the key limit, shared by all keys', () => {
    const keys = ['api_k1', 'api_k2', 'api_k3', 'api_k4'];
    let now = START;
    const fake = new FakeClose(buildSampleOrg({ leads: 5 }), {
      now: () => now,
      apiKeys: keys,
      rateLimits: { 'GET /me/': { limit: 2, windowMs: 8000 } },
    });
    for (const key of keys.slice(0, 3)) {
      expect(api(fake, key).get('/me/').status).toBe(200);
      expect(api(fake, key).get('/me/').status).toBe(200);
      expect(api(fake, key).get('/me/').status).toBe(429);
    }
    const orgLimited = api(fake, 'api_k4').get('/me/');
    expect(orgLimited.status).toBe(429);
    expect(orgLimited.json.rate_limit_type).toBe('organization');
    expect(orgLimited.headers.RateLimit).toMatch(/^limit=6, remaining=0, reset=8$/);
    now += 8000;
    expect(api(fake, 'api_k4').get('/me/').status).toBe(200);
  });

  test('/data/search/ has a much smaller bucket than GET /lead/', () => {
    const { c } = setup();
    expect(c.get('/lead/?_limit=1').headers.RateLimit).toBe('limit=320, remaining=319, reset=8');
    expect(c.post('/data/search/', { _limit: 1 }).headers.RateLimit).toBe('limit=16, remaining=15, reset=8');
  });
});

describe('URL length and custom-field subsets', () => {
  test('a URL past 2,000 characters is refused with 414 before the API; _params through the override works', () => {
    const { c, fake } = setup();
    const fields = [
      'id',
      ...Array.from({ length: 40 }, (_, i) => `custom.cf_${String(i).padStart(43, 'x')}`),
    ];
    const url = `/lead/${WAYNE_LEAD_ID}/?_fields=${encodeURIComponent(fields.join(','))}`;
    expect(`${BASE}${url}`.length).toBeGreaterThan(2000);
    const refused = c.get(url);
    expect(refused.status).toBe(414);
    expect(refused.headers).toEqual({ 'Content-Type': 'text/html' });
    expect(refused.body).toContain('414 Request-URI Too Large');
    expect(fake.log.at(-1)).toMatchObject({ method: 'GET', status: 414 });
    const viaBody = c.post(
      `/lead/${WAYNE_LEAD_ID}/`,
      { _params: { _fields: fields.join(',') } },
      {
        'X-HTTP-Method-Override': 'GET',
      },
    );
    expect(viaBody.status).toBe(200);
    expect(viaBody.json).toEqual({ id: WAYNE_LEAD_ID });
  });

  test('contacts ignore `custom.cf_…` in _fields unless customSubsetsOn names them; leads honour them', () => {
    const roleOf = (f: FakeClose) => `custom.${f.org.contactCustomFields[0].id}`;
    const bruce = 'cont_o0kP3Nqyq0wxr5DLWIEm8mVr6ZpI0AhonKLDG0V5Qjh';
    const strict = setup();
    const role = roleOf(strict.fake);
    expect(strict.c.get(`/contact/${bruce}/?_fields=id,${role}`).json).toEqual({ id: bruce });
    expect(strict.c.get(`/contact/${bruce}/?_fields=id,custom`).json).toEqual({ id: bruce, [role]: 'CEO' });
    const lenient = setup({ customSubsetsOn: ['contact'] });
    expect(lenient.c.get(`/contact/${bruce}/?_fields=id,${role}`).json).toEqual({ id: bruce, [role]: 'CEO' });
    const source = `custom.${SAMPLE_FIELDS.source}`;
    expect(strict.c.get(`/lead/${WAYNE_LEAD_ID}/?_fields=id,${source}`).json).toEqual({
      id: WAYNE_LEAD_ID,
      [source]: strict.fake.leads.get(WAYNE_LEAD_ID)![source],
    });
  });

  test('colleagues on other keys spend the org budget: the rep meets the org limit first, announced as such', () => {
    const { c, fake } = setup({ rateLimits: { 'GET /me/': { limit: 5, windowMs: 8000 } } });
    fake.setOrgLoad('GET /me/', 13);
    expect(c.get('/me/').headers.RateLimit).toBe('limit=15, remaining=1, reset=8');
    expect(c.get('/me/').headers.RateLimit).toBe('limit=15, remaining=0, reset=8');
    const refused = c.get('/me/');
    expect(refused.status).toBe(429);
    expect(refused.headers.RateLimit).toBe('limit=15, remaining=0, reset=8');
    expect(refused.headers['Retry-After']).toBe('8');
    expect(refused.json.rate_limit_type).toBe('organization');
  });
});

describe('POST /data/search/', () => {
  const leadQuery = { type: 'and', queries: [{ type: 'object_type', object_type: 'lead' }] };

  test('a cursor walk returns every lead once, stable under edits and deletes', () => {
    const { fake, c } = setup();
    const total = fake.leads.size;
    const seen: string[] = [];
    let cursor: unknown = null;
    let pages = 0;
    let deleted = '';
    do {
      const r = c.post('/data/search/', {
        query: leadQuery,
        _fields: { lead: ['id', 'display_name', 'custom'] },
        _limit: 40,
        cursor,
        include_counts: true,
      });
      expect(r.status).toBe(200);
      expect((r.json.count as JsonObject).total).toBe(total);
      for (const rec of data(r)) {
        expect(rec.__object_type).toBe('lead');
        seen.push(String(rec.id));
      }
      if (pages === 0) {
        const order = fake.store.ordered();
        fake.touchLead(order[total - 1].id, { name: 'Moved by an edit' });
        deleted = order[total - 2].id;
        expect(c.del(`/lead/${deleted}/`).status).toBe(200);
        c.post('/lead/', { name: 'Created mid-walk' });
      }
      cursor = r.json.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(total / 40));
    expect(seen.length).toBe(total - 1); // the snapshot skips the deleted lead and ignores the new one
    expect(new Set(seen).size).toBe(total - 1);
    expect(seen).not.toContain(deleted);
    const wayne = c.post('/data/search/', {
      query: {
        type: 'field_condition',
        field: { type: 'regular_field', object_type: 'lead', field_name: 'id' },
        condition: { type: 'term', values: [WAYNE_LEAD_ID] },
      },
      _fields: { lead: ['id', 'custom'] },
    });
    expect(data(wayne)).toEqual([
      {
        __object_type: 'lead',
        id: WAYNE_LEAD_ID,
        'custom.cf_ORxgoOQ5YH1p7lDQzFJ88b4z0j7PLLTRaG66m8bmcKv': 'Website contact form',
        'custom.cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks': ['Choice 1', 'Choice 2'],
      },
    ]);
    expect(wayne.json.cursor).toBeNull();
  });

  test('saved_search runs the view query; conditions text, moment_range, custom term; sort', () => {
    const { fake, c } = setup();
    const potential = fake.org.savedSearches.find((s) => s.name === 'Potential leads');
    const r = c.post('/data/search/', {
      query: { type: 'saved_search', saved_search_id: potential?.id },
      _fields: { lead: ['id', 'status_label'] },
      _limit: 200,
      include_counts: true,
    });
    const expected = [...fake.leads.values()].filter((l) => l.status_label === 'Potential').length;
    expect((r.json.count as JsonObject).total).toBe(expected);
    expect(data(r).every((l) => l.status_label === 'Potential')).toBe(true);

    const since = c.post('/data/search/', {
      query: {
        type: 'and',
        queries: [
          { type: 'object_type', object_type: 'lead' },
          {
            type: 'field_condition',
            field: { type: 'regular_field', object_type: 'lead', field_name: 'date_updated' },
            condition: {
              type: 'moment_range',
              on_or_after: { type: 'fixed_utc', value: '2024-06-01T00:00:00+00:00' },
              before: { type: 'fixed_local_date', value: '2024-12-31', which: 'end' },
            },
          },
        ],
      },
      sort: [
        {
          direction: 'asc',
          field: { type: 'regular_field', object_type: 'lead', field_name: 'date_updated' },
        },
      ],
      _fields: { lead: ['id', 'date_updated'] },
      _limit: 200,
    });
    const rows = data(since).map((l) => Date.parse(String(l.date_updated)));
    expect(rows.length).toBeGreaterThan(0);
    for (const t of rows) {
      expect(t).toBeGreaterThanOrEqual(Date.UTC(2024, 5, 1));
      expect(t).toBeLessThan(Date.UTC(2025, 0, 1));
    }
    expect([...rows].sort((a, b) => a - b)).toEqual(rows);

    const text = c.post('/data/search/', {
      query: {
        type: 'field_condition',
        field: { type: 'regular_field', object_type: 'lead', field_name: 'display_name' },
        condition: { type: 'text', mode: 'phrase', value: 'Sample Lead' },
      },
      _fields: { lead: ['id'] },
    });
    expect(data(text).map((l) => l.id)).toEqual([WAYNE_LEAD_ID]);

    const industry = c.post('/data/search/', {
      query: {
        type: 'field_condition',
        field: { type: 'custom_field', custom_field_id: SAMPLE_FIELDS.industry },
        condition: { type: 'term', values: ['Health; Wellness'] },
      },
      _limit: 200,
    });
    expect(data(industry).length).toBe(
      [...fake.leads.values()].filter((l) => l[cf(SAMPLE_FIELDS.industry)] === 'Health; Wellness').length,
    );
    expect(Object.keys(data(industry)[0])).toEqual(['__object_type', 'id']);
  });

  test('limits and cursor errors', () => {
    const { c, advance } = setup();
    expect(c.post('/data/search/', { _limit: 201 }).status).toBe(400);
    const first = c.post('/data/search/', { _limit: 5 });
    expect(data(first).length).toBe(5);
    expect(c.post('/data/search/', { cursor: 'garbage' }).status).toBe(400);
    advance(31 * 60_000);
    const expired = c.post('/data/search/', { cursor: first.json.cursor, _limit: 5 });
    expect(expired.status).toBe(400);
    expect(c.post('/data/search/', { query: { type: 'whatever' } }).status).toBe(400);
  });
});

describe('faults', () => {
  test('only matching requests consume a fault (pathPrefix may include /api/v1)', () => {
    const { fake, c } = setup();
    fake.injectFaults([
      { status: 502, match: { method: 'PUT', pathPrefix: '/api/v1/lead/' } },
      { status: 401, match: { pathPrefix: '/me/' } },
    ]);
    expect(c.get('/lead/?_limit=1').status).toBe(200);
    const r = c.put(`/lead/${WAYNE_LEAD_ID}/`, { name: 'x' });
    expect(r.status).toBe(502);
    expect(r.body).toContain('502 Bad Gateway');
    expect(r.headers.RateLimit).toBeDefined();
    expect(c.put(`/lead/${WAYNE_LEAD_ID}/`, { name: 'x' }).status).toBe(200);
    expect(c.get('/me/').json).toEqual({ error: UNAUTHORIZED_MESSAGE });
    expect(c.get('/me/').status).toBe(200);
  });

  test('5xx bodies are not JSON; throwError makes handle() throw; times repeats', () => {
    const { fake, c } = setup();
    fake.injectFaults([
      { status: 503, match: { pathPrefix: '/lead/' } },
      { throwError: 'Timeout', match: { method: 'GET', pathPrefix: '/me/' } },
      { status: 504, times: 2, match: { method: 'PUT' } },
      { status: 500 },
    ]);
    const r503 = c.get('/lead/?_limit=1');
    expect(r503.status).toBe(503);
    expect(r503.headers['Content-Type']).toContain('text/html');
    expect(() => JSON.parse(r503.body)).toThrow();
    expect(() => c.get('/me/')).toThrow('Timeout');
    expect(c.put(`/lead/${WAYNE_LEAD_ID}/`, { name: 'x' }).status).toBe(504);
    const again = c.put(`/lead/${WAYNE_LEAD_ID}/`, { name: 'x' });
    expect(again.status).toBe(504);
    expect(again.body).toBe('');
    expect(c.get('/status/lead/').status).toBe(500);
    expect(c.put(`/lead/${WAYNE_LEAD_ID}/`, { name: 'x' }).status).toBe(200);
    expect(fake.log.map((e) => e.status)).toEqual([503, 0, 504, 504, 500, 200]);
  });

  test('afterApply: the request is carried out, then answered with the fault (a POST that created its lead)', () => {
    const { fake, c } = setup();
    const before = fake.leads.size;
    fake.injectFaults([{ status: 504, afterApply: true, match: { method: 'POST', pathPrefix: '/lead/' } }]);
    const r = c.post('/lead/', { name: 'Applied Anyway' });
    expect(r.status).toBe(504);
    expect(r.body).toBe('');
    expect(fake.leads.size).toBe(before + 1);
    expect([...fake.leads.values()].filter((l) => l.name === 'Applied Anyway')).toHaveLength(1);
    fake.injectFaults([{ throwError: 'Timeout', afterApply: true, match: { method: 'PUT' } }]);
    expect(() => c.put(`/lead/${WAYNE_LEAD_ID}/`, { description: 'sent' })).toThrow('Timeout');
    expect(fake.leads.get(WAYNE_LEAD_ID)!.description).toBe('sent');
  });

  test('random faults are deterministic for a seed', () => {
    const run = () => {
      const { fake, c } = setup();
      fake.setRandomFaults({ seed: 42, rate429: 0.2, rate5xx: 0.2, rateThrow: 0.1 });
      const out: number[] = [];
      for (let i = 0; i < 60; i++) {
        try {
          out.push(c.get('/lead/?_limit=1&_fields=id').status);
        } catch {
          out.push(0);
        }
      }
      return out;
    };
    const a = run();
    expect(run()).toEqual(a);
    for (const s of [0, 200, 429]) expect(a).toContain(s);
    expect(a.some((s) => s >= 500)).toBe(true);
  });
});

describe('reference data endpoints', () => {
  test('organization (_fields), statuses, pipelines, custom field schema, saved searches', () => {
    const { fake, c } = setup();
    const orgId = fake.org.organization.id;
    const org = c.get(`/organization/${orgId}/?_fields=lead_statuses,pipelines,memberships,currency`).json;
    expect(Object.keys(org).sort()).toEqual(['currency', 'lead_statuses', 'memberships', 'pipelines']);
    expect(org.currency).toBe('USD');
    expect(data(c.get('/status/lead/')).map((s) => s.label)).toEqual([
      'Potential',
      'Bad Fit',
      'Qualified',
      'Customer',
      'Interested',
      'Not Interested',
      'Canceled',
    ]);
    const oppStatuses = data(c.get('/status/opportunity/'));
    expect(new Set(oppStatuses.map((s) => s.type))).toEqual(new Set(['active', 'won', 'lost']));
    expect((data(c.get('/pipeline/'))[0].statuses as JsonObject[]).length).toBeGreaterThan(0);
    const schema = c.get('/custom_field_schema/lead/').json.fields as JsonObject[];
    expect(schema.map((f) => f.id)).toEqual(fake.org.customFields.map((f) => f.id));
    expect(Object.keys(schema[0])).toEqual([
      'id',
      'name',
      'description',
      'type',
      'choices',
      'accepts_multiple_values',
      'editable_with_roles',
      'is_shared',
      'referenced_custom_type_id',
      'back_reference_is_visible',
      'organization_id',
      'created_by',
      'updated_by',
      'date_created',
      'date_updated',
    ]);
    expect(data(c.get('/custom_field/lead/?_limit=2')).length).toBe(2);
    expect(c.get('/custom_field/lead/cf_nope/').json).toEqual({
      error: 'Empty query: LeadCustomField matching query does not exist.',
    });
    const views = data(c.get('/saved_search/'));
    expect(views.every((v) => v.type === 'lead')).toBe(true);
    expect(data(c.get('/saved_search/?type=contact')).length).toBe(1);
    const view = c.get(`/saved_search/${views[0].id}/`).json;
    expect(view.s_query).toMatchObject({ query: expect.any(Object), sort: expect.any(Array) });
  });
});

describe('http server and performance', () => {
  test('real HTTP round trip on an ephemeral port', async () => {
    const fake = new FakeClose(buildSampleOrg({ leads: 10 }), { apiKeys: [SAMPLE_API_KEY] });
    const server = await startFakeCloseServer(fake, 0);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/api/v1`);
      const res = await fetch(`${server.url}/lead/?_limit=2&_fields=id`, {
        headers: { Authorization: basic(SAMPLE_API_KEY) },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toMatch(/^limit=320, remaining=319, reset=/);
      const body = (await res.json()) as { data: unknown[]; has_more: boolean };
      expect(body.data.length).toBe(2);
      expect(body.has_more).toBe(true);
    } finally {
      await server.close();
    }
  });

  // Generous bounds that catch an accidental O(n²), not a slow or busy CI machine: they are on the CPU
  // time this process spent, which other processes on a loaded machine do not stretch as they stretch
  // the wall clock (12.7 s of wall clock to build, under a load of 13 on 2 cores, failed a 10 s bound).
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  test('50,000 leads × 40 custom fields: fast to build and to walk in pages of 200', () => {
    const t0 = cpuMs();
    const org = buildBulkOrg({ leads: 50_000, customFields: 40 });
    const built = cpuMs() - t0;
    expect(org.leads.length).toBe(50_000);
    expect(org.customFields.length).toBe(40);
    expect(built).toBeLessThan(10_000);
    let now = START;
    const fake = new FakeClose(org, {
      now: () => now,
      maxSkip: 100_000,
      rateLimits: { 'GET /lead/': { limit: 1_000_000, windowMs: 1000 } },
    });
    const c = api(fake);
    const t1 = cpuMs();
    let count = 0;
    for (let skip = 0; ; skip += 200) {
      const r = c.get(`/lead/?_skip=${skip}&_limit=200`);
      count += data(r).length;
      now += 10;
      if (!r.json.has_more) break;
    }
    expect(count).toBe(50_000);
    expect(cpuMs() - t1).toBeLessThan(30_000);
  });
});

describe('fields limited to roles (editable_with_roles)', () => {
  test("a user without the role is refused the whole write, with a field-error on that field's key", () => {
    const org = buildSampleOrg();
    org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.editable_with_roles = ['admin'];
    // Key 3 belongs to the third active member, Alex Kim (role "user"); key 1 to John Doe (admin).
    const fake = new FakeClose(org, { now: () => START, apiKeys: [KEY, 'api_k2', 'api_k3'] });
    const as = (key: string) => api(fake, key);
    const before = fake.leads.get(WAYNE_LEAD_ID)!.description;
    const refused = as('api_k3').put(`/lead/${WAYNE_LEAD_ID}/`, {
      description: 'not applied',
      [`custom.${SAMPLE_FIELDS.industry}`]: 'Education',
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({
      errors: [],
      'field-errors': {
        [`custom.${SAMPLE_FIELDS.industry}`]:
          'You don\'t have permission to edit the Custom Field "Industry".',
      },
    });
    expect(fake.leads.get(WAYNE_LEAD_ID)!.description).toBe(before);
    expect(
      as(KEY).put(`/lead/${WAYNE_LEAD_ID}/`, { [`custom.${SAMPLE_FIELDS.industry}`]: 'Education' }).status,
    ).toBe(200);
  });
});
