// buildBulkOrg: a large org for benchmarks (50,000 leads × 40 custom fields in well under 2 s). Values come from
// small pre-built pools so strings are shared and memory stays modest. The Wayne lead is not included.

import { generateActivities } from './activities';
import { closeId, createRng, flat, formatCloseDate, formatDateOnly, pick, randInt } from './ids';
import { COMPANY_STEMS, COMPANY_SUFFIXES, FIRST_NAMES, LAST_NAMES, slug } from './names';
import { activeUsers, buildSkeleton, customField } from './org';
import { makeContact, makeEmail, makeLead, makeOpportunity, makePhone, OrgIndex } from './model';
import type { CustomField, CustomFieldType, FakeOrg, JsonValue } from './types';

// Module constants for globals used per lead (global lookups are slow under jest's vm context).
const { floor } = Math;

const TYPE_CYCLE: Array<[CustomFieldType, boolean]> = [
  ['text', false],
  ['number', false],
  ['choices', false],
  ['date', false],
  ['textarea', false],
  ['datetime', false],
  ['choices', true],
  ['user', false],
  ['hidden', false],
  ['user', true],
];

/** `activitiesPerLead` (default 0, so the pull benchmarks keep their memory) seeds activities (activities.ts). */
export function buildBulkOrg(opts: {
  leads: number;
  customFields: number;
  seed?: number;
  activitiesPerLead?: number;
  /** The i-th custom field's name (default `Field 01 (text)`): e.g. names in Japanese. */
  fieldName?: (i: number, type: string) => string;
}): FakeOrg {
  const rng = createRng(opts.seed ?? 7);
  const skeleton = buildSkeleton(rng, 'Bulk Benchmark Org (Fake)');
  const fields: CustomField[] = [];
  for (let i = 0; i < opts.customFields; i++) {
    const [type, multiple] = TYPE_CYCLE[i % TYPE_CYCLE.length];
    fields.push(
      customField(
        closeId('cf', rng),
        opts.fieldName?.(i, type) ?? `Field ${String(i + 1).padStart(2, '0')} (${type})`,
        type,
        {
          choices: type === 'choices' ? ['Alpha', 'Beta', 'Gamma, Delta', 'Epsilon; Zeta', 'Eta'] : undefined,
          multiple,
        },
      ),
    );
  }
  const org: FakeOrg = {
    ...skeleton,
    customFields: fields,
    contactCustomFields: [],
    savedSearches: [],
    leads: [],
  };
  const index = new OrgIndex(org);
  const userIds = activeUsers(org).map((u) => u.id);
  const orgId = org.organization.id;

  // Pools: shared strings keep 2 million custom values cheap.
  const textPool = Array.from({ length: 997 }, (_, i) => `Value ${i} ${pick(rng, COMPANY_STEMS)}`);
  const datePool = Array.from({ length: 730 }, (_, i) =>
    formatDateOnly(Date.UTC(2023, 0, 1) + i * 86_400_000),
  );
  const dateTimePool = Array.from({ length: 500 }, (_, i) =>
    formatCloseDate(Date.UTC(2023, 0, 1) + i * 7_777_777, {
      micros: i % 3 === 0 ? 0 : 123000,
      omitZeroFraction: true,
    }),
  );
  const multiChoicePool: string[][] = [
    ['Alpha'],
    ['Beta', 'Gamma, Delta'],
    ['Epsilon; Zeta'],
    ['Alpha', 'Eta'],
  ];
  const multiUserPool: string[][] = [[userIds[0]], [userIds[1], userIds[2]], [userIds[3]]];
  const companyPool: string[] = [];
  for (const stem of COMPANY_STEMS)
    for (const suffix of COMPANY_SUFFIXES) companyPool.push(`${stem} ${suffix}`);
  const fieldKeys = fields.map((f) => `custom.${f.id}`);
  const firstSlugs = FIRST_NAMES.map(slug);
  const lastSlugs = LAST_NAMES.map(slug);
  const statuses = org.leadStatuses;
  const oppStatuses = org.opportunityStatuses;

  const start = Date.UTC(2018, 0, 1);
  const step = Math.max(1, Math.floor((Date.UTC(2025, 0, 1) - start) / Math.max(1, opts.leads)));
  for (let i = 0; i < opts.leads; i++) {
    const createdMs = start + i * step + floor(rng() * step);
    const created = formatCloseDate(createdMs);
    const updated = formatCloseDate(createdMs + floor(rng() * 200 * 86_400_000));
    const name = flat(companyPool[i % companyPool.length], ' #', `${i + 1}`);
    const leadId = closeId('lead', rng);
    const fi = i % FIRST_NAMES.length;
    const li = (i * 7) % LAST_NAMES.length;
    const first = FIRST_NAMES[fi];
    const last = LAST_NAMES[li];
    const by = userIds[i % userIds.length];
    const contact = makeContact({
      id: closeId('cont', rng),
      name: flat(first, ' ', last),
      title: 'Buyer',
      emails: [makeEmail(flat(firstSlugs[fi], '.', lastSlugs[li], `${i}`, '@example.com'))],
      phones: [makePhone(flat('+1415555', `${1000 + (i % 9000)}`))],
      created,
      createdBy: by,
      orgId,
    });
    const opportunities =
      i % 2 === 0
        ? [
            makeOpportunity(
              {
                id: closeId('oppo', rng),
                leadId,
                leadName: name,
                statusId: oppStatuses[i % oppStatuses.length].id,
                value: (i % 500) * 10_000,
                period: i % 3 === 0 ? 'monthly' : 'one_time',
                confidence: (i * 10) % 101,
                note: '',
                userId: by,
                contactId: null,
                created,
                createdBy: by,
                dateWon: null,
                dateLost: null,
                orgId,
              },
              index,
            ),
          ]
        : [];
    const customKeys: string[] = [];
    const customValues: JsonValue[] = [];
    for (let f = 0; f < fields.length; f++) {
      if ((i + f) % 4 === 3) continue; // about a quarter empty
      const field = fields[f];
      const k = i + f * 31;
      let v: JsonValue;
      switch (field.type) {
        case 'text':
        case 'textarea':
          v = textPool[k % textPool.length];
          break;
        case 'number':
          v = k % 5 === 0 ? (k % 1000) + 0.25 : k % 100000;
          break;
        case 'choices':
          v = field.accepts_multiple_values
            ? multiChoicePool[k % multiChoicePool.length]
            : (field.choices ?? [])[k % 5];
          break;
        case 'date':
          v = datePool[k % datePool.length];
          break;
        case 'datetime':
          v = dateTimePool[k % dateTimePool.length];
          break;
        case 'user':
          v = field.accepts_multiple_values
            ? multiUserPool[k % multiUserPool.length]
            : userIds[k % userIds.length];
          break;
        default:
          v = k;
      }
      customKeys.push(fieldKeys[f]);
      customValues.push(v);
    }
    const status = statuses[randInt(rng, 0, statuses.length - 1)];
    org.leads.push(
      makeLead({
        id: leadId,
        name,
        description: '',
        url: null,
        statusId: status.id,
        statusLabel: status.label,
        created,
        updated,
        createdBy: by,
        updatedBy: by,
        orgId,
        contacts: [contact],
        opportunities,
        customKeys,
        customValues,
      }),
    );
  }
  if (opts.activitiesPerLead) org.activities = generateActivities(org, { perLead: opts.activitiesPerLead });
  return org;
}
