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

describe('status-change lists', () => {
  // The keys of the list samples in Close's reference (close-activities-lead-status-changes-api-openapi.yml,
  // close-activities-opportunity-status-changes-api-openapi.yml), less `created_by_name`/`updated_by_name`.
  const LEAD_KEYS = [
    '_type',
    'activity_at',
    'contact_id',
    'created_by',
    'date_created',
    'date_updated',
    'id',
    'lead_id',
    'new_status_id',
    'new_status_label',
    'old_status_id',
    'old_status_label',
    'organization_id',
    'updated_by',
    'user_id',
    'user_name',
    'users',
  ];
  const OPP_KEYS = [
    ...LEAD_KEYS,
    'new_pipeline_id',
    'new_pipeline_name',
    'new_status_type',
    'old_pipeline_id',
    'old_pipeline_name',
    'old_status_type',
    'opportunity_confidence',
    'opportunity_date_won',
    'opportunity_id',
    'opportunity_value',
    'opportunity_value_currency',
    'opportunity_value_formatted',
    'opportunity_value_period',
  ];

  test("each change has the sample's keys; a lead's changes chain from status to status", () => {
    const { get, org } = setup();
    const lead = rows(get('/activity/status_change/lead/?_limit=100'));
    const opp = rows(get('/activity/status_change/opportunity/?_limit=100'));
    expect(lead.length).toBeGreaterThan(3);
    expect(opp.length).toBeGreaterThan(3);
    for (const a of lead) expect(Object.keys(a).sort()).toEqual([...LEAD_KEYS].sort());
    for (const a of opp) expect(Object.keys(a).sort()).toEqual([...OPP_KEYS].sort());
    for (const l of org.leads) {
      const mine = lead.filter((a) => a.lead_id === l.id).reverse();
      for (let i = 1; i < mine.length; i++) expect(mine[i].old_status_id).toBe(mine[i - 1].new_status_id);
      // The last change ends in the lead's status (a lead with no change has kept it: nothing to chain).
      expect(mine.at(-1)?.new_status_id ?? l.status_id).toBe(l.status_id);
    }
  });

  test('opportunity_id filters the opportunity list (documented there only)', () => {
    const { get, all } = setup();
    const two = all.filter(
      (a) => a._type === 'OpportunityStatusChange' && a.old_status_label === 'Proposal Sent',
    );
    expect(two.length).toBeGreaterThan(0);
    const id = String(two[0].opportunity_id);
    const r = get(`/activity/status_change/opportunity/?opportunity_id=${id}`);
    expect(rows(r).map((a) => [a.old_status_label, a.new_status_label])).toEqual([
      ['Proposal Sent', two[0].new_status_label],
      ['Active', 'Proposal Sent'],
    ]);
  });
});

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
