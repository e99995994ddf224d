// The shapes of Close objects this add-on reads. Close returns more; we name only what we use.

/** A lead as Close returns it: standard keys plus flat `custom.cf_…` keys (present only when set). */
export type Lead = { id: string } & Record<string, unknown>;

export type CustomFieldType =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'datetime'
  | 'choices'
  | 'user'
  | 'contact'
  | 'hidden'
  | 'custom_object'
  | string;

export interface CustomField {
  id: string;
  name: string;
  type: CustomFieldType;
  choices?: string[] | null;
  accepts_multiple_values?: boolean;
}

export interface LeadStatus {
  id: string;
  label: string;
}

export interface Member {
  user_id: string;
  user_full_name?: string;
  user_email?: string;
}

export interface Me {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  organizations: Array<{ id: string; name: string }>;
}

export interface OpportunityStatus {
  id: string;
  label: string;
  type?: 'active' | 'won' | 'lost' | string;
  pipeline_id?: string;
}

export interface Pipeline {
  id: string;
  name: string;
}

export interface SmartView {
  id: string;
  name: string;
  type?: string;
}

/** What a pull or push needs to know about the organization, loaded once per run. */
export interface OrgContext {
  organizationId: string;
  organizationName: string;
  userName: string;
  userEmail: string;
  /** Lead custom fields, in Close's display order. */
  fields: CustomField[];
  contactFields: CustomField[];
  opportunityFields: CustomField[];
  statuses: LeadStatus[];
  opportunityStatuses: OpportunityStatus[];
  pipelines: Pipeline[];
  /** Active and inactive members: a departed colleague can still own leads. */
  members: Member[];
}
