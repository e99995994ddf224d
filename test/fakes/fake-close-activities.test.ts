// The fake Close's activity lists: per-type endpoints, filters, newest-first order, paging and its caps.
import { buildSampleOrg, FakeClose, type FakeCloseOptions, type JsonObject } from '../../dev/fake-close';

const KEY = 'api_test_key_1';
const BASE = 'https://api.close.com/api/v1';

function setup(opts: FakeCloseOptions = {}) {
  const org = buildSampleOrg({ leads: 40 });
  const fake = new FakeClose(org, { now: () => Date.UTC(2025, 5, 1), ...opts });
  const get = (path: string) => {
    const res = fake.handle({
      method: 'GET',
      url: `${BASE}${path}`,
      headers: { Authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` },
      body: '',
    });
    return { status: res.status, json: JSON.parse(res.body) as JsonObject };
  };
  return { org, fake, get, all: (org.activities ?? []) as JsonObject[] };
}

const rows = (r: { json: JsonObject }) => r.json.data as JsonObject[];

describe('activity lists', () => {
  test('each type endpoint lists only its type, newest first, with has_more', () => {
    const { get, all } = setup();
    const calls = all.filter((a) => a._type === 'Call');
    expect(calls.length).toBeGreaterThan(5);
    const page = get('/activity/call/?_limit=5');
    expect(page.status).toBe(200);
    expect(rows(page).map((a) => a.id)).toEqual(calls.slice(0, 5).map((a) => a.id));
    expect(page.json.has_more).toBe(true);
    const rest = get(`/activity/call/?_limit=100&_skip=5`);
    expect(rows(rest).map((a) => a.id)).toEqual(calls.slice(5).map((a) => a.id));
    expect(rest.json.has_more).toBe(false);
    for (const [path, type] of [
      ['email', 'Email'],
      ['meeting', 'Meeting'],
      ['sms', 'SMS'],
      ['note', 'Note'],
      ['status_change/lead', 'LeadStatusChange'],
      ['status_change/opportunity', 'OpportunityStatusChange'],
    ]) {
      const r = get(`/activity/${path}/?_limit=100`);
      expect(r.status).toBe(200);
      expect(new Set(rows(r).map((a) => a._type))).toEqual(new Set([type]));
      expect(rows(r).length).toBe(all.filter((a) => a._type === type).length);
    }
  });

  test('lead_id, user_id and date_created__gt/__lt filter; dates may be dates or date-times', () => {
    const { get, all } = setup();
    const call = all.find((a) => a._type === 'Call')!;
    const sameLead = all.filter((a) => a._type === 'Call' && a.lead_id === call.lead_id);
    expect(rows(get(`/activity/call/?lead_id=${call.lead_id}`)).map((a) => a.id)).toEqual(
      sameLead.map((a) => a.id),
    );
    const byUser = all.filter((a) => a._type === 'Email' && a.user_id === call.user_id);
    expect(rows(get(`/activity/email/?user_id=${call.user_id}&_limit=100`)).map((a) => a.id)).toEqual(
      byUser.map((a) => a.id),
    );
    const inJan = all.filter(
      (a) =>
        a._type === 'Note' && String(a.date_created) > '2024-01-01' && String(a.date_created) < '2024-02-01',
    );
    expect(
      rows(get('/activity/note/?date_created__gt=2024-01-01&date_created__lt=2024-02-01&_limit=100')).map(
        (a) => a.id,
      ),
    ).toEqual(inJan.map((a) => a.id));
    // A boundary at the exact microsecond: __gt leaves the activity out, __gte keeps it.
    const stamp = encodeURIComponent(String(call.date_created));
    expect(
      rows(get(`/activity/call/?lead_id=${call.lead_id}&date_created__gt=${stamp}`)).map((a) => a.id),
    ).not.toContain(call.id);
    expect(
      rows(get(`/activity/call/?lead_id=${call.lead_id}&date_created__gte=${stamp}`)).map((a) => a.id),
    ).toContain(call.id);
  });

  test('GET /activity/ refuses user_id and _type without a single lead_id; bad dates, _limit and _skip get a 400', () => {
    const { get, all } = setup({ maxSkip: 50 });
    expect(get('/activity/?user_id=user_x').status).toBe(400);
    expect(get('/activity/?_type=Call').status).toBe(400);
    const lead = String(all[0].lead_id);
    expect(
      rows(get(`/activity/?lead_id=${lead}&_type=Call`)).every(
        (a) => a._type === 'Call' && a.lead_id === lead,
      ),
    ).toBe(true);
    const bad = get('/activity/call/?date_created__gt=last-week');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ errors: [], 'field-errors': { date_created__gt: 'Not a valid datetime.' } });
    expect(get('/activity/call/?_limit=101').status).toBe(400);
    expect(get('/activity/call/?_skip=51').status).toBe(400);
  });

  test('activities of a deleted lead are gone from the lists', () => {
    const { get, all, fake } = setup();
    const lead = String(all.find((a) => a._type === 'Note')!.lead_id);
    fake.store.remove(lead);
    expect(rows(get('/activity/note/?_limit=100')).some((a) => a.lead_id === lead)).toBe(false);
  });
});
