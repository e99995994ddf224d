// The "Wayne Enterprises (Sample Lead)" lead, verbatim from Close's List Leads reference page
// (/work/shared/seeds/000_29e620de6702ad5b.txt). Do not edit: tests compare it with the seed byte for byte.

import type { Lead } from './types';

export const WAYNE_LEAD_ID = 'lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O';
export const SEED_ORG_ID = 'orga_RbREgmiiwcr1w2b4cOnCMQaQPSIFxMqAD2Dh243uxcH';
export const SEED_USER_ID = 'user_N6KhMpzHRCYQHdn4gRNIFNN5JExnsrprKA6ekxM63XA';
export const SEED_LEAD_STATUS_ID = 'stat_1ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk';
export const SEED_OPP_STATUS_ID = 'stat_4ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk';
export const SEED_PIPELINE_ID = 'pipe_04fC628PVB0HjK2Qq5EqEf';
export const SEED_CF_SOURCE = 'cf_ORxgoOQ5YH1p7lDQzFJ88b4z0j7PLLTRaG66m8bmcKv';
export const SEED_CF_CHOICES = 'cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks';
export const SEED_CONTACT_CF = 'cf_j0P7kHmgFTZZnYBFtyPSZ3uQw4dpW8xKcW7Krps8atj';

const WAYNE_JSON = {
  contact_ids: ['cont_o0kP3Nqyq0wxr5DLWIEm8mVr6ZpI0AhonKLDG0V5Qjh'],
  created_by: null,
  date_created: '2013-02-01T00:54:51.333000+00:00',
  date_updated: '2013-02-06T20:53:01.977000+00:00',
  description: '',
  html_url: 'https://app.close.com/lead/lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O/',
  id: 'lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O',
  name: 'Wayne Enterprises (Sample Lead)',
  organization_id: 'orga_RbREgmiiwcr1w2b4cOnCMQaQPSIFxMqAD2Dh243uxcH',
  status_id: 'stat_1ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk',
  updated_by: 'user_N6KhMpzHRCYQHdn4gRNIFNN5JExnsrprKA6ekxM63XA',
  url: null,
  addresses: [],
  display_name: 'Wayne Enterprises (Sample Lead)',
  status_label: 'Potential',
  tasks: [],
  contacts: [
    {
      created_by: null,
      date_created: '2013-02-01T00:54:51.331000+00:00',
      date_updated: '2013-02-06T20:53:01.954000+00:00',
      display_name: 'Bruce Wayne',
      id: 'cont_o0kP3Nqyq0wxr5DLWIEm8mVr6ZpI0AhonKLDG0V5Qjh',
      name: 'Bruce Wayne',
      organization_id: 'orga_RbREgmiiwcr1w2b4cOnCMQaQPSIFxMqAD2Dh243uxcH',
      title: 'The Dark Knight',
      updated_by: 'user_N6KhMpzHRCYQHdn4gRNIFNN5JExnsrprKA6ekxM63XA',
      emails: [
        {
          email: 'thedarkknight@close.com',
          is_unsubscribed: false,
          type: 'office',
        },
      ],
      phones: [
        {
          phone: '+16503334444',
          type: 'office',
          phone_formatted: '+1 650-333-4444',
        },
      ],
      'custom.cf_j0P7kHmgFTZZnYBFtyPSZ3uQw4dpW8xKcW7Krps8atj': 'CEO',
    },
  ],
  opportunities: [
    {
      annualized_expected_value: 37500,
      annualized_value: 50000,
      confidence: 75,
      contact_id: null,
      created_by: null,
      date_created: '2013-02-01T00:54:51.337000+00:00',
      date_lost: null,
      date_updated: '2013-02-01T00:54:51.337000+00:00',
      date_won: null,
      expected_value: 37500,
      id: 'oppo_8eB77gAdf8FMy6GsNHEy84f7uoeEWv55slvUjKQZpJt',
      lead_id: 'lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O',
      note: 'Bruce needs new software for the Bat Cave.',
      organization_id: 'orga_RbREgmiiwcr1w2b4cOnCMQaQPSIFxMqAD2Dh243uxcH',
      status_id: 'stat_4ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk',
      updated_by: null,
      user_id: 'user_N6KhMpzHRCYQHdn4gRNIFNN5JExnsrprKA6ekxM63XA',
      value: 50000,
      value_period: 'one_time',
      lead_name: 'Wayne Enterprises (Sample Lead)',
      pipeline_id: 'pipe_04fC628PVB0HjK2Qq5EqEf',
      pipeline_name: 'Sales',
      status_label: 'Active',
      status_type: 'active',
      user_name: 'John Doe',
      value_currency: 'USD',
      value_formatted: '$500',
    },
    {
      annualized_expected_value: 45000,
      annualized_value: 60000,
      confidence: 75,
      contact_id: null,
      created_by: null,
      date_created: '2013-02-01T00:54:51.337000+00:00',
      date_lost: null,
      date_updated: '2013-02-01T00:54:51.337000+00:00',
      date_won: null,
      expected_value: 3750,
      id: 'oppo_klajsdflf8FMy6GsNHEy84f7uoeEWv55slvUjKQZpJt',
      lead_id: 'lead_IIDHIStmFcFQZZP0BRe99V1MCoXWz2PGCm6EDmR9v2O',
      note: 'Bat Cave monthly maintenance cost',
      organization_id: 'orga_RbREgmiiwcr1w2b4cOnCMQaQPSIFxMqAD2Dh243uxcH',
      status_id: 'stat_4ZdiZqcSIkoGVnNOyxiEY58eTGQmFNG3LPlEVQ4V7Nk',
      updated_by: null,
      user_id: 'user_N6KhMpzHRCYQHdn4gRNIFNN5JExnsrprKA6ekxM63XA',
      value: 5000,
      value_period: 'monthly',
      lead_name: 'Wayne Enterprises (Sample Lead)',
      pipeline_id: 'pipe_04fC628PVB0HjK2Qq5EqEf',
      pipeline_name: 'Sales',
      status_label: 'Active',
      status_type: 'active',
      user_name: 'John Doe',
      value_currency: 'USD',
      value_formatted: '$50 monthly',
    },
  ],
  'custom.cf_ORxgoOQ5YH1p7lDQzFJ88b4z0j7PLLTRaG66m8bmcKv': 'Website contact form',
  'custom.cf_nenE344jkwrjyRRezwsf8b4V1MCoXWIDHIStmFavZks': ['Choice 1', 'Choice 2'],
};

/** A fresh copy each call, so one fake's edits never leak into another's. */
export function wayneLead(): Lead {
  return JSON.parse(JSON.stringify(WAYNE_JSON)) as Lead;
}
