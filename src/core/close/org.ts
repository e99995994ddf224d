import type { CloseClient, CloseReply } from './client';
import { CloseApiError } from './errors';
import type { CustomField, LeadStatus, Me, Member, OrgContext } from './types';

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
  const [schema, statuses, organization] = client.callAll([
    { method: 'get', path: '/custom_field_schema/lead/' },
    { method: 'get', path: '/status/lead/' },
    {
      method: 'get',
      path: `/organization/${org.id}/`,
      query: { _fields: 'id,name,memberships,inactive_memberships' },
    },
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
    statuses: unwrap<{ data: LeadStatus[] }>(statuses, 'the lead statuses').data,
    members: [...(orgData.memberships ?? []), ...(orgData.inactive_memberships ?? [])],
  };
}
