// Data shapes of the fake Close organisation. They follow the payloads Close really returns (the List Leads
// sample in /work/shared/seeds, recorded fixtures quoted in /work/shared/reference/close-api.md).

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface Email extends JsonObject {
  email: string;
  is_unsubscribed: boolean;
  type: string;
}

export interface Phone extends JsonObject {
  phone: string;
  type: string;
  phone_formatted: string;
}

export type Address = JsonObject;

/** A contact as nested in a lead (no `lead_id`; `GET /contact/` adds it). Custom values are flat `custom.cf_…` keys. */
export interface Contact extends JsonObject {
  created_by: string | null;
  date_created: string;
  date_updated: string;
  display_name: string;
  id: string;
  name: string;
  organization_id: string;
  title: string;
  updated_by: string | null;
  emails: Email[];
  phones: Phone[];
}

/** An opportunity as nested in a lead. Money is integer cents (`value: 50000` → `value_formatted: "$500"`). */
export interface Opportunity extends JsonObject {
  annualized_expected_value: number;
  annualized_value: number;
  confidence: number;
  contact_id: string | null;
  created_by: string | null;
  date_created: string;
  date_lost: string | null;
  date_updated: string;
  date_won: string | null;
  expected_value: number;
  id: string;
  lead_id: string;
  note: string;
  organization_id: string;
  status_id: string;
  updated_by: string | null;
  user_id: string | null;
  value: number;
  value_period: string;
  lead_name: string;
  pipeline_id: string;
  pipeline_name: string;
  status_label: string;
  status_type: string;
  user_name: string;
  value_currency: string;
  value_formatted: string;
}

/**
 * A lead exactly as `GET /lead/{id}/` returns it (key order as in Close's sample). Custom values are flat
 * top-level `custom.cf_<id>` keys, present only when set.
 */
export interface Lead extends JsonObject {
  contact_ids: string[];
  created_by: string | null;
  date_created: string;
  date_updated: string;
  description: string;
  html_url: string;
  id: string;
  name: string | null;
  organization_id: string;
  status_id: string;
  updated_by: string | null;
  url: string | null;
  addresses: Address[];
  display_name: string;
  status_label: string;
  tasks: JsonValue[];
  contacts: Contact[];
  opportunities: Opportunity[];
}

export type CustomFieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'datetime'
  | 'choices'
  | 'user'
  | 'contact'
  | 'hidden';

export interface CustomField extends JsonObject {
  id: string;
  name: string;
  description: string | null;
  type: CustomFieldType;
  choices: string[] | null;
  accepts_multiple_values: boolean;
  editable_with_roles: string[];
  is_shared: boolean;
  referenced_custom_type_id: string | null;
  back_reference_is_visible: boolean;
  organization_id: string;
  created_by: string | null;
  updated_by: string | null;
  date_created: string;
  date_updated: string;
}

/** `GET /user/` shape: `organizations` holds organisation id strings (empty for people who left). */
export interface User extends JsonObject {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  image: string;
  organizations: string[];
  last_used_timezone: string;
  date_created: string;
  date_updated: string;
}

export interface Membership extends JsonObject {
  id: string;
  user_id: string;
  user_full_name: string;
  user_first_name: string;
  user_last_name: string;
  user_email: string;
  user_image: string;
  role_id: string;
  role: string;
}

export interface LeadStatus extends JsonObject {
  id: string;
  label: string;
  organization_id: string;
}

export interface OpportunityStatus extends JsonObject {
  id: string;
  label: string;
  type: 'active' | 'won' | 'lost';
  pipeline_id: string;
  organization_id: string;
}

export interface Pipeline extends JsonObject {
  id: string;
  name: string;
  organization_id: string;
  statuses: Array<{ id: string; label: string; type: 'active' | 'won' | 'lost' }>;
  created_by: string | null;
  updated_by: string | null;
  date_created: string;
  date_updated: string;
}

export interface SavedSearch extends JsonObject {
  id: string;
  name: string;
  type: 'lead' | 'contact';
  query: string;
  s_query: { query: JsonObject; sort: JsonObject[]; results_limit: number | null };
  selected_fields: string[];
  is_shared: boolean;
  shared_with: string[];
  user_id: string;
  organization_id: string;
  created_by: string;
  updated_by: string;
  date_created: string;
  date_updated: string;
}

/** `GET /organization/{id}/` shape (memberships inline, statuses and pipelines embedded). */
export interface Organization extends JsonObject {
  id: string;
  name: string;
  currency: string;
  currency_symbol: string;
  created_by: string;
  updated_by: string;
  date_created: string;
  date_updated: string;
  memberships: Membership[];
  inactive_memberships: Membership[];
  lead_statuses: Array<{ id: string; label: string }>;
  opportunity_statuses: Array<{ id: string; label: string; type: string; pipeline_id: string }>;
  pipelines: Pipeline[];
}

export interface FakeOrg {
  organization: Organization;
  /** Everyone who ever belonged to the org, including people who left (their `organizations` is empty). */
  users: User[];
  leadStatuses: LeadStatus[];
  pipelines: Pipeline[];
  opportunityStatuses: OpportunityStatus[];
  /** The lead custom field schema, in display order. */
  customFields: CustomField[];
  /** The contact custom field schema, in display order. */
  contactCustomFields: CustomField[];
  savedSearches: SavedSearch[];
  /** In creation order (oldest first). */
  leads: Lead[];
  /** Calls, emails, meetings, SMS, notes and status changes (dev/fake-close/activities.ts), newest first. */
  activities?: JsonObject[];
}

export interface FakeRequest {
  /** Upper-case. */
  method: string;
  url: string;
  /** Header names in any case. */
  headers: Record<string, string>;
  body: string;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
