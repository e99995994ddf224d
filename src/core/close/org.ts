import type { CloseClient, CloseReply } from './client';
import { CloseApiError } from './errors';
import type {
  CustomField,
  LeadStatus,
  Me,
  Member,
  OpportunityStatus,
  OrgContext,
  Pipeline,
  SmartView,
} from './types';

export function userDisplayName(me: Pick<Me, 'first_name' | 'last_name' | 'email'>): string {
  return [me.first_name, me.last_name].filter(Boolean).join(' ') || me.email;
}

function unwrap<T>(reply: CloseReply, what: string): T {
  if (!reply.ok) throw new CloseApiError(reply.status, `Could not load ${what} from Close: ${reply.message}`);
  return reply.data as T;
}

/** `GET /me/`: the cheap call that proves a key works and names its user and organization. */
export function fetchMe(client: CloseClient): Me {
  return client.request<Me>({ method: 'get', path: '/me/' });
}

/** Loads the schema a pull or push needs: custom fields (in display order), statuses and members. */
export function loadOrgContext(client: CloseClient): OrgContext {
  const me = fetchMe(client);
  const org = me.organizations?.[0];
  if (!org) throw new Error('This Close user belongs to no organization.');
  const [schema, statuses, organization, contactSchema, opportunitySchema, opportunityStatuses, pipelines] =
    client.callAll([
      { method: 'get', path: '/custom_field_schema/lead/' },
      { method: 'get', path: '/status/lead/' },
      {
        method: 'get',
        path: `/organization/${org.id}/`,
        query: { _fields: 'id,name,memberships,inactive_memberships' },
      },
      { method: 'get', path: '/custom_field_schema/contact/' },
      { method: 'get', path: '/custom_field_schema/opportunity/' },
      { method: 'get', path: '/status/opportunity/' },
      { method: 'get', path: '/pipeline/' },
    ]);
  const orgData = unwrap<{ name?: string; memberships?: Member[]; inactive_memberships?: Member[] }>(
    organization,
    'the organization',
  );
  return {
    organizationId: org.id,
    organizationName: orgData.name ?? org.name,
    userName: userDisplayName(me),
    userEmail: me.email,
    fields: unwrap<{ fields: CustomField[] }>(schema, 'the custom fields').fields,
    contactFields: unwrap<{ fields: CustomField[] }>(contactSchema, 'the contact custom fields').fields,
    opportunityFields: unwrap<{ fields: CustomField[] }>(opportunitySchema, 'the opportunity custom fields')
      .fields,
    statuses: unwrap<{ data: LeadStatus[] }>(statuses, 'the lead statuses').data,
    opportunityStatuses: unwrap<{ data: OpportunityStatus[] }>(
      opportunityStatuses,
      'the opportunity statuses',
    ).data,
    pipelines: unwrap<{ data: Pipeline[] }>(pipelines, 'the pipelines').data,
    members: [...(orgData.memberships ?? []), ...(orgData.inactive_memberships ?? [])],
  };
}

/** The rep's lead Smart Views (`/saved_search/`), for the picker. */
export function fetchSmartViews(client: CloseClient): SmartView[] {
  const views: SmartView[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = client.request<{ data: SmartView[]; has_more: boolean }>({
      method: 'get',
      path: '/saved_search/',
      query: { type: 'lead', _skip: skip, _limit: 100, _fields: 'id,name,type' },
    });
    views.push(...page.data);
    if (!page.has_more || page.data.length === 0) return views;
  }
}
