// buildSampleOrg: a deterministic ~300-lead org for tests and the local preview. The seed's Wayne lead comes
// first, verbatim; the rest are generated with a seeded PRNG and include deliberately awkward values.

import { generateActivities } from './activities';
import { closeId, createRng, formatCloseDate, formatDateOnly, pick, type Rng, randInt } from './ids';
import {
  CITIES,
  COMPANY_STEMS,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  LAST_NAMES,
  NOTE_SNIPPETS,
  SOURCES,
  slug,
  TITLES,
} from './names';
import { activeUsers, buildSkeleton, customField } from './org';
import { makeContact, makeEmail, makeLead, makeOpportunity, makePhone, OrgIndex } from './model';
import { SEED_CF_CHOICES, SEED_CF_SOURCE, SEED_CONTACT_CF, SEED_USER_ID, wayneLead } from './seed-lead';
import type {
  Address,
  Contact,
  CustomField,
  FakeOrg,
  JsonValue,
  Lead,
  Opportunity,
  SavedSearch,
} from './types';

/** The key `npm start` prints for the local preview (format of a real key: `api_` + 22 + `.` + 22 characters). */
export const SAMPLE_API_KEY = 'api_LocalPreviewSampleKey1.FakeCloseNotARealKey00';

/** Tricky text values that spreadsheets love to reinterpret. */
export const TRICKY_TEXT_VALUES = [
  '+16503334444',
  '00123',
  '2024-01-02',
  'TRUE',
  '=1+1',
  '-5',
  '@handle',
] as const;
export const XSS_NAME = '<img src=x onerror=alert(1)>';
export const NBSP_NAME = 'Close (Example\u00a0Lead)';
export const INDUSTRY_CHOICES = [
  'Software',
  'Manufacturing',
  'Retail, Wholesale',
  'Health; Wellness',
  'Financial Services',
  'Education',
  'Non-profit',
];

export interface SampleFieldIds {
  source: string;
  interest: string;
  industry: string;
  employees: string;
  revenue: string;
  contractStart: string;
  lastDemo: string;
  owner: string;
  collaborators: string;
  primaryContact: string;
  notes: string;
  referenceCode: string;
  legacyId: string;
}

function sampleFieldIds(): SampleFieldIds {
  const rng = createRng(0xc105e);
  const id = () => closeId('cf', rng);
  return {
    source: SEED_CF_SOURCE,
    interest: SEED_CF_CHOICES,
    industry: id(),
    employees: id(),
    revenue: id(),
    contractStart: id(),
    lastDemo: id(),
    owner: id(),
    collaborators: id(),
    primaryContact: id(),
    notes: id(),
    referenceCode: id(),
    legacyId: id(),
  };
}

/** The sample org's lead custom field ids, by role (stable across seeds). */
export const SAMPLE_FIELDS: SampleFieldIds = sampleFieldIds();

function sampleCustomFields(count: number): CustomField[] {
  const f = SAMPLE_FIELDS;
  const all: CustomField[] = [
    customField(f.source, 'Lead Source', 'text', { description: 'Where the lead first came from' }),
    customField(f.interest, 'Product Interest', 'choices', {
      choices: ['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4', 'Choice 5'],
      multiple: true,
    }),
    customField(f.industry, 'Industry', 'choices', { choices: INDUSTRY_CHOICES }),
    customField(f.employees, 'Employees', 'number'),
    customField(f.revenue, 'Annual Revenue', 'number', { description: 'USD, may have cents' }),
    customField(f.contractStart, 'Contract Start', 'date'),
    customField(f.lastDemo, 'Last Demo At', 'datetime'),
    customField(f.owner, 'Account Owner', 'user'),
    customField(f.collaborators, 'Collaborators', 'user', { multiple: true }),
    customField(f.primaryContact, 'Primary Contact', 'contact'),
    customField(f.notes, 'Notes', 'textarea'),
    customField(f.referenceCode, 'Reference Code', 'text'),
    customField(f.legacyId, 'Legacy Sync ID', 'hidden', { roles: ['admin'] }),
  ];
  return all.slice(0, Math.max(2, Math.min(count, all.length)));
}

function contactCustomFields(): CustomField[] {
  const rng = createRng(0xc0ffee);
  return [
    customField(SEED_CONTACT_CF, 'Decision Role', 'text'),
    customField(closeId('cf', rng), 'Preferred Channel', 'choices', { choices: ['Email', 'Phone', 'SMS'] }),
  ];
}

function companyName(rng: Rng): string {
  return `${pick(rng, COMPANY_STEMS)} ${pick(rng, COMPANY_SUFFIXES)}`;
}

const LONG_DESCRIPTION = Array.from(
  { length: 40 },
  (_, i) =>
    `Paragraph ${i + 1}: the customer asked for a detailed rollout plan covering onboarding, data migration, ` +
    'training and a quarterly business review.',
).join('\n');

function saneDate(rng: Rng, base: number, wholeSeconds: boolean): string {
  if (wholeSeconds)
    return formatCloseDate(Math.floor(base / 1000) * 1000, { micros: 0, omitZeroFraction: true });
  return formatCloseDate(base + Math.floor(rng() * 1000));
}

interface GenContext {
  rng: Rng;
  index: OrgIndex;
  orgId: string;
  activeIds: string[];
  allUserIds: string[];
  inactiveId: string;
  fields: CustomField[];
}

function genContacts(ctx: GenContext, company: string, count: number, created: string, by: string | null) {
  const contacts: Contact[] = [];
  const domain = `${slug(company) || 'example'}.example.com`;
  for (let c = 0; c < count; c++) {
    const first = pick(ctx.rng, FIRST_NAMES);
    const last = pick(ctx.rng, LAST_NAMES);
    const custom: Record<string, JsonValue> = {};
    if (ctx.rng() < 0.4)
      custom[SEED_CONTACT_CF] = pick(ctx.rng, ['CEO', 'Champion', 'Gatekeeper', 'Budget holder']);
    const phones = [];
    if (ctx.rng() < 0.8)
      phones.push(makePhone(`+1${randInt(ctx.rng, 201, 989)}${randInt(ctx.rng, 2000000, 9999999)}`));
    if (ctx.rng() < 0.15) phones.push(makePhone(`+4420${randInt(ctx.rng, 10000000, 99999999)}`, 'mobile'));
    contacts.push(
      makeContact({
        id: closeId('cont', ctx.rng),
        name: `${first} ${last}`,
        title: pick(ctx.rng, TITLES),
        emails: ctx.rng() < 0.9 ? [makeEmail(`${slug(first)}.${slug(last)}@${domain}`)] : [],
        phones,
        created,
        createdBy: by,
        orgId: ctx.orgId,
        custom,
      }),
    );
  }
  return contacts;
}

function genOpportunities(ctx: GenContext, leadId: string, leadName: string, count: number, created: number) {
  const opps: Opportunity[] = [];
  for (let o = 0; o < count; o++) {
    const status = pick(ctx.rng, ctx.index.org.opportunityStatuses);
    const createdMs = created + randInt(ctx.rng, 0, 90) * 86_400_000;
    const closed = formatDateOnly(createdMs + randInt(ctx.rng, 5, 60) * 86_400_000);
    const cents = ctx.rng() < 0.2 ? randInt(ctx.rng, 1, 9_999_999) : randInt(ctx.rng, 1, 2000) * 5000;
    opps.push(
      makeOpportunity(
        {
          id: closeId('oppo', ctx.rng),
          leadId,
          leadName,
          statusId: status.id,
          value: cents,
          period: pick(ctx.rng, ['one_time', 'one_time', 'monthly', 'annual']),
          confidence: pick(ctx.rng, [0, 10, 25, 50, 75, 90, 100]),
          note: pick(ctx.rng, NOTE_SNIPPETS),
          userId: pick(ctx.rng, ctx.activeIds),
          contactId: null,
          created: formatCloseDate(createdMs),
          createdBy: pick(ctx.rng, ctx.activeIds),
          dateWon: status.type === 'won' ? closed : null,
          dateLost: status.type === 'lost' ? closed : null,
          orgId: ctx.orgId,
        },
        ctx.index,
      ),
    );
  }
  return opps;
}

function genCustomValue(
  ctx: GenContext,
  field: CustomField,
  contacts: Contact[],
  createdMs: number,
): JsonValue {
  const rng = ctx.rng;
  switch (field.type) {
    case 'text':
      return field.id === SEED_CF_SOURCE ? pick(rng, SOURCES) : `REF-${randInt(rng, 1000, 99999)}`;
    case 'textarea':
      return pick(rng, [
        'Met at the booth.\nInterested in the API.',
        'Call back in spring.',
        'Prefers email 📧',
      ]);
    case 'number':
      return field.name === 'Employees'
        ? randInt(rng, 1, 5000)
        : Math.round(rng() * 50_000_000 + (rng() < 0.5 ? 0 : 50)) / 100;
    case 'date':
      return formatDateOnly(createdMs + randInt(rng, -400, 400) * 86_400_000);
    case 'datetime': {
      const ms = createdMs + randInt(rng, 0, 300) * 86_400_000 + randInt(rng, 0, 86_399) * 1000;
      return rng() < 0.5
        ? formatCloseDate(ms - (ms % 1000), { micros: 0, omitZeroFraction: true })
        : formatCloseDate(ms);
    }
    case 'choices': {
      const choices = field.choices ?? [];
      if (!field.accepts_multiple_values) return pick(rng, choices);
      const picked = choices.filter(() => rng() < 0.4);
      return picked.length > 0 ? picked : [choices[0]];
    }
    case 'user':
      if (!field.accepts_multiple_values) return pick(rng, ctx.activeIds);
      return ctx.activeIds.filter(() => rng() < 0.3).slice(0, 3);
    case 'contact':
      return contacts.length > 0 ? contacts[0].id : null;
    case 'hidden':
      return rng() < 0.5 ? `legacy-${randInt(rng, 100000, 999999)}` : randInt(rng, 1, 99999);
  }
}

function applySpecials(lead: Lead, i: number, ctx: GenContext): void {
  const f = SAMPLE_FIELDS;
  const set = (id: string, v: JsonValue) => {
    if (ctx.fields.some((x) => x.id === id)) lead[`custom.${id}`] = v;
  };
  const rename = (name: string | null) => {
    lead.name = name;
    lead.display_name = name ?? (lead.contacts[0]?.name || '');
    for (const o of lead.opportunities) o.lead_name = lead.display_name;
  };
  if (i === 1) rename(XSS_NAME);
  if (i === 2) rename(NBSP_NAME);
  if (i >= 3 && i < 3 + TRICKY_TEXT_VALUES.length) set(f.referenceCode, TRICKY_TEXT_VALUES[i - 3]);
  if (i === 10) set(f.industry, 'Retail, Wholesale');
  if (i === 11) set(f.industry, 'Health; Wellness');
  if (i === 12) {
    rename('Rocket 🚀 Labs');
    set(f.notes, 'Loves emoji 🎉👍 and ünïcödé.');
  }
  if (i === 13) lead.description = LONG_DESCRIPTION;
  if (i === 14) {
    lead.contacts = [];
    lead.contact_ids = [];
    lead.opportunities = [];
    delete lead[`custom.${f.primaryContact}`];
  }
  if (i === 15 && lead.contacts.length > 0) rename(null);
  if (i === 16 || i === 17) rename('Acme Corporation');
  if (i === 18) {
    lead.description = 'Line one\nLine two\tTabbed';
    set(f.referenceCode, '  padded value  ');
  }
  if (i === 19) set(f.owner, ctx.inactiveId);
  if (i === 20) {
    set(f.employees, 0);
    set(f.revenue, -1250.75);
  }
  if (i === 21) {
    set(f.interest, ['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4', 'Choice 5']);
    set(
      f.collaborators,
      ctx.allUserIds.filter((_, k) => k === 2 || k === 3),
    );
  }
  if (i === 22) set(f.revenue, 1234567.89);
  if (i === 23) lead.url = 'https://www.example.com/path?q=1&r=2';
}

export function buildSampleOrg(
  opts: { leads?: number; seed?: number; customFieldCount?: number; activitiesPerLead?: number } = {},
): FakeOrg {
  const total = opts.leads ?? 300;
  const rng = createRng(opts.seed ?? 20240601);
  const skeleton = buildSkeleton(rng, 'Wayne Enterprises Sales (Fake)');
  const fields = sampleCustomFields(opts.customFieldCount ?? 13);
  const org: FakeOrg = {
    ...skeleton,
    customFields: fields,
    contactCustomFields: contactCustomFields(),
    savedSearches: [],
    leads: [],
  };
  const index = new OrgIndex(org);
  const active = activeUsers(org);
  const ctx: GenContext = {
    rng,
    index,
    orgId: org.organization.id,
    activeIds: active.map((u) => u.id),
    allUserIds: org.users.map((u) => u.id),
    inactiveId: org.users.find((u) => u.organizations.length === 0)?.id ?? SEED_USER_ID,
    fields,
  };
  if (total > 0) org.leads.push(wayneLead());

  const start = Date.UTC(2019, 0, 7, 9, 0, 0);
  const step = Math.floor((Date.UTC(2025, 4, 1) - start) / Math.max(1, total));
  for (let i = 1; i < total; i++) {
    const createdMs = start + i * step + randInt(rng, 0, step - 1);
    const updatedMs = createdMs + Math.floor(rng() * (Date.UTC(2025, 4, 20) - createdMs));
    const whole = rng() < 0.06;
    const created = saneDate(rng, createdMs, whole);
    const updated = saneDate(rng, updatedMs, whole && rng() < 0.5);
    const name = companyName(rng);
    const leadId = closeId('lead', rng);
    const createdBy = rng() < 0.1 ? null : pick(rng, ctx.activeIds);
    const contacts = genContacts(ctx, name, rng() < 0.1 ? 0 : randInt(rng, 1, 3), created, createdBy);
    const opps = genOpportunities(ctx, leadId, name, rng() < 0.4 ? 0 : randInt(rng, 1, 2), createdMs);
    const statusIdx = Math.min(
      Math.floor(rng() * rng() * org.leadStatuses.length),
      org.leadStatuses.length - 1,
    );
    const status = org.leadStatuses[statusIdx];
    const custom: Record<string, JsonValue> = {};
    for (const field of fields) {
      if (rng() < 0.65) custom[field.id] = genCustomValue(ctx, field, contacts, createdMs);
    }
    const addresses: Address[] = [];
    if (rng() < 0.3) {
      const [city, state, country] = pick(rng, CITIES);
      addresses.push({
        label: 'business',
        address_1: `${randInt(rng, 1, 999)} Market St`,
        address_2: rng() < 0.3 ? `Suite ${randInt(rng, 100, 900)}` : '',
        city,
        state,
        zipcode: String(randInt(rng, 10000, 99999)),
        country,
      });
    }
    const lead = makeLead({
      id: leadId,
      name,
      description: rng() < 0.6 ? '' : pick(rng, NOTE_SNIPPETS),
      url: rng() < 0.7 ? null : `https://www.${slug(name)}.example.com`,
      statusId: status.id,
      statusLabel: status.label,
      created,
      updated,
      createdBy,
      updatedBy: rng() < 0.1 ? null : pick(rng, ctx.activeIds),
      orgId: ctx.orgId,
      contacts,
      opportunities: opps,
      addresses,
      custom,
    });
    applySpecials(lead, i, ctx);
    org.leads.push(lead);
  }
  org.savedSearches = sampleSavedSearches(org);
  // Activities come from their own seeded generator, so the leads above are the same with or without them.
  org.activities = generateActivities(org, { perLead: opts.activitiesPerLead ?? 5 });
  return org;
}

function regular(fieldName: string, objectType = 'lead') {
  return { type: 'regular_field', object_type: objectType, field_name: fieldName };
}

function sampleSavedSearches(org: FakeOrg): SavedSearch[] {
  const rng = createRng(0x5a7ed);
  const potential = org.leadStatuses[0].id;
  const base = (
    name: string,
    type: 'lead' | 'contact',
    query: SavedSearch['s_query']['query'],
    i: number,
  ) => {
    const date = formatCloseDate(Date.UTC(2024, 0, 10 + i, 12, 0, 0) + i * 1234);
    const view: SavedSearch = {
      id: closeId('save', rng),
      name,
      type,
      query: '',
      s_query: {
        query,
        sort: [{ direction: 'desc', field: regular('date_updated', type) }],
        results_limit: null,
      },
      selected_fields: ['display_name', 'status_label', 'date_updated'],
      is_shared: i % 2 === 0,
      shared_with: [],
      user_id: SEED_USER_ID,
      organization_id: org.organization.id,
      created_by: SEED_USER_ID,
      updated_by: SEED_USER_ID,
      date_created: date,
      date_updated: date,
    };
    return view;
  };
  const leadType = { type: 'object_type', object_type: 'lead' };
  const views: SavedSearch[] = [
    base(
      'Potential leads',
      'lead',
      {
        type: 'and',
        queries: [
          leadType,
          {
            type: 'field_condition',
            field: regular('status_id'),
            condition: { type: 'reference', reference_type: 'status.lead', object_ids: [potential] },
            negate: false,
          },
        ],
      },
      0,
    ),
    base(
      'Software & Retail',
      'lead',
      {
        type: 'and',
        queries: [
          leadType,
          {
            type: 'field_condition',
            field: { type: 'custom_field', custom_field_id: SAMPLE_FIELDS.industry },
            condition: { type: 'term', values: ['Software', 'Retail, Wholesale'] },
            negate: false,
          },
        ],
      },
      1,
    ),
    base(
      'Updated since 2024',
      'lead',
      {
        type: 'and',
        queries: [
          leadType,
          {
            type: 'field_condition',
            field: regular('date_updated'),
            condition: {
              type: 'moment_range',
              on_or_after: { type: 'fixed_local_date', value: '2024-01-01', which: 'start' },
              before: null,
            },
            negate: false,
          },
        ],
      },
      2,
    ),
    base(
      'Labs companies',
      'lead',
      {
        type: 'and',
        queries: [
          leadType,
          {
            type: 'field_condition',
            field: regular('display_name'),
            condition: { type: 'text', mode: 'full_words', value: 'Labs' },
            negate: false,
          },
        ],
      },
      3,
    ),
    base(
      'CEOs',
      'contact',
      {
        type: 'and',
        queries: [
          { type: 'object_type', object_type: 'contact' },
          {
            type: 'field_condition',
            field: regular('title', 'contact'),
            condition: { type: 'text', mode: 'full_words', value: 'CEO' },
            negate: false,
          },
        ],
      },
      4,
    ),
  ];
  return views;
}
