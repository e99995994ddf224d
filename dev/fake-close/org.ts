// The organisation skeleton shared by the sample and bulk orgs: users (two with the same full name, one who
// left), lead statuses, pipelines with opportunity statuses, and helpers to build custom fields and leads.

import { closeId, formatCloseDate, type Rng } from './ids';
import {
  SEED_LEAD_STATUS_ID,
  SEED_OPP_STATUS_ID,
  SEED_ORG_ID,
  SEED_PIPELINE_ID,
  SEED_USER_ID,
} from './seed-lead';
import type {
  CustomField,
  CustomFieldType,
  FakeOrg,
  LeadStatus,
  Membership,
  OpportunityStatus,
  Organization,
  Pipeline,
  User,
} from './types';

const ORG_CREATED = '2013-01-31T23:10:04.120000+00:00';

interface UserSeed {
  id?: string;
  first: string;
  last: string;
  email: string;
  role: string;
  active: boolean;
  tz: string;
}

const USER_SEEDS: UserSeed[] = [
  {
    id: SEED_USER_ID,
    first: 'John',
    last: 'Doe',
    email: 'john@example.com',
    role: 'admin',
    active: true,
    tz: 'America/Los_Angeles',
  },
  {
    first: 'Jane',
    last: 'Smith',
    email: 'jane.smith@example.com',
    role: 'superuser',
    active: true,
    tz: 'America/New_York',
  },
  {
    first: 'Alex',
    last: 'Kim',
    email: 'alex.kim@example.com',
    role: 'user',
    active: true,
    tz: 'America/Chicago',
  },
  // Same full name as the previous user, different person: labels alone cannot tell them apart.
  {
    first: 'Alex',
    last: 'Kim',
    email: 'alex.kim@emea.example.com',
    role: 'user',
    active: true,
    tz: 'Europe/London',
  },
  {
    first: 'María',
    last: 'García-López',
    email: 'maria.garcia@example.com',
    role: 'restricteduser',
    active: true,
    tz: 'Europe/Madrid',
  },
  {
    first: 'Priya',
    last: 'Patel',
    email: 'priya.patel@example.com',
    role: 'user',
    active: true,
    tz: 'Asia/Kolkata',
  },
  // Left the company: still owns leads, listed in inactive_memberships, `organizations: []` on /user/.
  {
    first: 'Sam',
    last: "O'Neil",
    email: 'sam.oneil@example.com',
    role: 'user',
    active: false,
    tz: 'America/Denver',
  },
];

const LEAD_STATUS_LABELS = [
  'Potential',
  'Bad Fit',
  'Qualified',
  'Customer',
  'Interested',
  'Not Interested',
  'Canceled',
];

export interface OrgSkeleton {
  organization: Organization;
  users: User[];
  leadStatuses: LeadStatus[];
  pipelines: Pipeline[];
  opportunityStatuses: OpportunityStatus[];
}

function membership(user: User, seed: UserSeed, rng: Rng): Membership {
  return {
    id: closeId('memb', rng),
    user_id: user.id,
    user_full_name: `${user.first_name} ${user.last_name}`,
    user_first_name: user.first_name,
    user_last_name: user.last_name,
    user_email: user.email,
    user_image: `https://secure.gravatar.com/avatar/${user.id.slice(5, 37).toLowerCase()}`,
    role_id: seed.role,
    role: seed.role,
  };
}

export function buildSkeleton(rng: Rng, name: string): OrgSkeleton {
  const orgId = SEED_ORG_ID;
  const users: User[] = [];
  const memberships: Membership[] = [];
  const inactive: Membership[] = [];
  USER_SEEDS.forEach((seed, i) => {
    const created = Date.UTC(2013, 0, 31) + i * 86_400_000 * 37 + Math.floor(rng() * 86_400_000);
    const user: User = {
      id: seed.id ?? closeId('user', rng),
      first_name: seed.first,
      last_name: seed.last,
      email: seed.email,
      image: '',
      organizations: seed.active ? [orgId] : [],
      last_used_timezone: seed.tz,
      date_created: formatCloseDate(created),
      date_updated: formatCloseDate(created + 3_600_000 * 24 * 400),
    };
    user.image = `https://secure.gravatar.com/avatar/${user.id.slice(5, 37).toLowerCase()}`;
    users.push(user);
    (seed.active ? memberships : inactive).push(membership(user, seed, rng));
  });

  const leadStatuses: LeadStatus[] = LEAD_STATUS_LABELS.map((label, i) => ({
    id: i === 0 ? SEED_LEAD_STATUS_ID : closeId('stat', rng),
    label,
    organization_id: orgId,
  }));

  const pipelineSeeds: Array<{
    id: string;
    name: string;
    statuses: Array<[string, 'active' | 'won' | 'lost']>;
  }> = [
    {
      id: SEED_PIPELINE_ID,
      name: 'Sales',
      statuses: [
        ['Active', 'active'],
        ['Proposal Sent', 'active'],
        ['Won', 'won'],
        ['Lost', 'lost'],
      ],
    },
    {
      id: closeId('pipe', rng, 22),
      name: 'Renewals',
      statuses: [
        ['Renewal Due', 'active'],
        ['Renewed', 'won'],
        ['Churned', 'lost'],
      ],
    },
  ];
  const opportunityStatuses: OpportunityStatus[] = [];
  const pipelines: Pipeline[] = pipelineSeeds.map((p, pi) => {
    const statuses = p.statuses.map(([label, type], si) => {
      const id = pi === 0 && si === 0 ? SEED_OPP_STATUS_ID : closeId('stat', rng);
      opportunityStatuses.push({ id, label, type, pipeline_id: p.id, organization_id: orgId });
      return { id, label, type };
    });
    // Pipelines carry datetimes with NO offset at all (recorded quirk), and who created/updated them (the
    // docs' GET /me/ sample, developer.close.com/api/resources/users: organizations[].pipelines[].created_by).
    return {
      id: p.id,
      name: p.name,
      organization_id: orgId,
      statuses,
      created_by: SEED_USER_ID,
      updated_by: SEED_USER_ID,
      date_created: pi === 0 ? '2021-07-13T11:36:04.983404' : '2022-03-02T09:12:45.120771',
      date_updated: pi === 0 ? '2021-07-13T11:36:04.983404' : '2023-01-19T16:40:02.000312',
    };
  });

  const organization: Organization = {
    id: orgId,
    name,
    currency: 'USD',
    currency_symbol: '$',
    created_by: SEED_USER_ID,
    updated_by: SEED_USER_ID,
    date_created: ORG_CREATED,
    date_updated: '2024-05-14T08:21:37.512000+00:00',
    memberships,
    inactive_memberships: inactive,
    lead_statuses: leadStatuses.map((s) => ({ id: s.id, label: s.label })),
    opportunity_statuses: opportunityStatuses.map((s) => ({
      id: s.id,
      label: s.label,
      type: s.type,
      pipeline_id: s.pipeline_id,
    })),
    pipelines,
  };
  return { organization, users, leadStatuses, pipelines, opportunityStatuses };
}

export function customField(
  id: string,
  name: string,
  type: CustomFieldType,
  opts: {
    choices?: string[];
    multiple?: boolean;
    description?: string;
    roles?: string[];
    created?: string;
  } = {},
): CustomField {
  const created = opts.created ?? '2019-04-25T10:00:00.000000+00:00';
  return {
    id,
    name,
    description: opts.description ?? null,
    type,
    choices: type === 'choices' ? (opts.choices ?? []) : null,
    accepts_multiple_values: opts.multiple ?? false,
    editable_with_roles: opts.roles ?? [],
    is_shared: false,
    referenced_custom_type_id: null,
    back_reference_is_visible: false,
    organization_id: SEED_ORG_ID,
    created_by: SEED_USER_ID,
    updated_by: SEED_USER_ID,
    date_created: created,
    date_updated: created,
  };
}

export function activeUsers(org: Pick<FakeOrg, 'users'>): User[] {
  return org.users.filter((u) => u.organizations.length > 0);
}

export function fullName(user: User): string {
  return `${user.first_name} ${user.last_name}`;
}
