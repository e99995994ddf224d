import { type CloseCall, type CloseClient, type CloseReply, NOT_SENT } from './client';
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
export const ME_CALL: CloseCall = { method: 'get', path: '/me/' };

/**
 * `by`: a step's deadline (loadOrgContext's): a GET /me/ that Close makes wait past it is not waited for
 * (SchemaNotInTime), as the schema's requests after it are not. Any other failure is request's own
 * (CloseApiError, CloseAuthError), as for every single call.
 */
export function fetchMe(client: CloseClient, by?: SendBy): Me {
  try {
    return client.request<Me>(ME_CALL, by?.stopAt, by?.firstBy);
  } catch (e) {
    if (by && e instanceof CloseApiError && e.status === NOT_SENT)
      throw new SchemaNotInTime('who the key belongs to');
    throw e;
  }
}

/** Who the key belongs to, as saved when it was connected: it spares a GET /me/ per run. */
export interface KeyOwner {
  organizationId: string;
  organizationName: string;
  userName: string;
  userEmail: string;
  /** The key's user (`user_…`); absent in owners saved before it was kept. */
  userId?: string;
  /**
   * How many leads the organization had when the key was connected (when Close said): a first pull
   * sizes its first wave of pages by it instead of waiting for its count.
   */
  leadCount?: number;
}

export function keyOwner(me: Me): KeyOwner {
  const org = me.organizations?.[0];
  if (!org) throw new Error('This Close user belongs to no organization.');
  return {
    organizationId: org.id,
    organizationName: org.name,
    userName: userDisplayName(me),
    userEmail: me.email,
    userId: me.id,
  };
}

/**
 * The schema could not be asked for before the step's deadline (Close's rate limit or a retry's wait
 * would run past it): the step ends without doing anything, and the next one loads it.
 */
export class SchemaNotInTime extends Error {
  /** `what`: what the step could not load ('the fields'; who the key belongs to; Close's Event Log). */
  constructor(readonly what = 'the fields') {
    super(`Close asked to wait longer than this step had left before it could load ${what}`);
    this.name = 'SchemaNotInTime';
  }
}

/**
 * What a pull, push, undo or activities pull step says when SchemaNotInTime ended it (any other error is
 * thrown on): the next step starts it again.
 */
export function endedBeforeSchema(
  e: unknown,
  what: 'pull' | 'push' | 'undo' | 'activities pull',
  step: number,
): string {
  if (!(e instanceof SchemaNotInTime)) throw e;
  return `${e.message}: the ${what} goes on in the next step (step ${step})…`;
}

/** When a step's requests may go at the latest (client.ts callAll: `stopAt`, and `firstBy`). */
export interface SendBy {
  stopAt: number;
  firstBy?: number;
}

/**
 * Loads the schema a pull or push needs: custom fields (in display order), statuses and members, in
 * one wave. `alongside`: calls that need no schema (a pull's first count), sent in the same wave; their
 * replies come back in `replies`. `by`: a step's deadline for them, and for the
 * GET /me/ when the key's owner is not saved: past it, SchemaNotInTime.
 */
export function loadOrgContext(
  client: CloseClient,
  owner?: KeyOwner,
  alongside: CloseCall[] = [],
  by: SendBy = { stopAt: Number.POSITIVE_INFINITY },
): { org: OrgContext; replies: CloseReply[] } {
  const who = owner ?? keyOwner(fetchMe(client, by));
  const schemaCalls: CloseCall[] = [
    { method: 'get', path: '/custom_field_schema/lead/' },
    { method: 'get', path: '/status/lead/' },
    {
      method: 'get',
      path: `/organization/${who.organizationId}/`,
      query: { _fields: 'id,name,memberships,inactive_memberships' },
    },
    { method: 'get', path: '/custom_field_schema/contact/' },
    { method: 'get', path: '/custom_field_schema/opportunity/' },
    { method: 'get', path: '/status/opportunity/' },
    { method: 'get', path: '/pipeline/' },
  ];
  const all = client.callAll([...schemaCalls, ...alongside], by.stopAt, by.firstBy);
  const schemaReplies = all.slice(0, schemaCalls.length);
  const replies = all.slice(schemaCalls.length);
  const [schema, statuses, organization, contactSchema, opportunitySchema, opportunityStatuses, pipelines] =
    schemaReplies;
  if (schemaReplies.some((r) => !r.ok && r.status === NOT_SENT)) throw new SchemaNotInTime();
  const orgData = unwrap<{ name?: string; memberships?: Member[]; inactive_memberships?: Member[] }>(
    organization,
    'the organization',
  );
  const org: OrgContext = {
    organizationId: who.organizationId,
    organizationName: orgData.name ?? who.organizationName,
    userName: who.userName,
    userEmail: who.userEmail,
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
  return { org, replies };
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
