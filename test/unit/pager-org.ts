// The organization the pager tests walk (lead-pager.test.ts, search-pager.test.ts): `count` leads holding
// only what a pager reads (id, date_created), a few minutes apart with odd seconds and fractions.
// Generating thousands of sample leads whole (contacts, opportunities) takes seconds, and mutation testing
// runs these tests once per mutant.
import { buildSampleOrg } from '../../dev/fake-close';

/**
 * `micros(i)`: the three digits after lead i's milliseconds (Close's datetimes carry microseconds), the
 * same for every lead or varied, so that two spellings of one instant are told apart.
 */
export function pagerOrg(count: number, micros: (i: number) => string = () => '123') {
  const org = buildSampleOrg({ leads: 2 });
  const template = org.leads[1];
  const start = Date.UTC(2019, 0, 7, 9);
  org.leads = Array.from({ length: count }, (_, i) => ({
    ...template,
    id: `lead_${String(i).padStart(6, '0')}${template.id.slice(11)}`,
    date_created: new Date(start + i * 180_000 + ((i * 7919) % 60_000))
      .toISOString()
      .replace('Z', `${micros(i)}+00:00`),
    contacts: [],
    opportunities: [],
  }));
  return org;
}
