// Lookups over an org, and builders that give leads, contacts and opportunities Close's exact shape
// (derived fields such as display_name, status_label, value_formatted, pipeline_name, user_name).

import { annualize, flat, formatMoney, formatPhone } from './ids';
import { fullName } from './org';
import type {
  Contact,
  CustomField,
  Email,
  FakeOrg,
  JsonObject,
  JsonValue,
  Lead,
  LeadStatus,
  Opportunity,
  OpportunityStatus,
  Phone,
  Pipeline,
  User,
} from './types';

const { round } = Math;

export class OrgIndex {
  readonly leadStatusById = new Map<string, LeadStatus>();
  readonly oppStatusById = new Map<string, OpportunityStatus>();
  readonly pipelineById = new Map<string, Pipeline>();
  readonly userById = new Map<string, User>();
  readonly leadFieldById = new Map<string, CustomField>();
  readonly contactFieldById = new Map<string, CustomField>();

  constructor(readonly org: FakeOrg) {
    for (const s of org.leadStatuses) this.leadStatusById.set(s.id, s);
    for (const s of org.opportunityStatuses) this.oppStatusById.set(s.id, s);
    for (const p of org.pipelines) this.pipelineById.set(p.id, p);
    for (const u of org.users) this.userById.set(u.id, u);
    for (const f of org.customFields) this.leadFieldById.set(f.id, f);
    for (const f of org.contactCustomFields) this.contactFieldById.set(f.id, f);
  }

  leadStatusByLabel(label: string): LeadStatus | undefined {
    return this.org.leadStatuses.find((s) => s.label === label);
  }

  oppStatusByLabel(label: string): OpportunityStatus | undefined {
    return this.org.opportunityStatuses.find((s) => s.label === label);
  }

  userName(id: string | null): string {
    const u = id ? this.userById.get(id) : undefined;
    return u ? fullName(u) : '';
  }
}

interface TemplateNode {
  next: Map<string, TemplateNode>;
  template?: JsonObject;
}
const templateRoots = new Map<string, TemplateNode>();
let templateCount = 0;

/**
 * A fresh object whose keys are `baseKeys` then `customKeys` (all null), in V8's fast mode. Adding dozens of
 * computed keys one by one would turn an object into a slow dictionary (3× the memory, slower
 * JSON.stringify); cloning a cached template with the same keys keeps 50,000 leads × 40 fields cheap.
 * Callers then assign the values (stores to existing keys keep the fast shape and the key order).
 * Templates are found through a trie of the custom keys (no signature strings to build).
 */
function shaped(kind: string, baseKeys: readonly string[], customKeys: string[]): JsonObject {
  let node: TemplateNode = templateRoots.get(kind) ?? { next: new Map() };
  templateRoots.set(kind, node);
  for (const k of customKeys) {
    let child: TemplateNode | undefined = node.next.get(k);
    if (!child) {
      child = { next: new Map() };
      node.next.set(k, child);
    }
    node = child;
  }
  let template = node.template;
  if (!template) {
    const shape: JsonObject = {};
    for (const k of baseKeys) shape[k] = null;
    for (const k of customKeys) shape[k] = null;
    template = JSON.parse(JSON.stringify(shape)) as JsonObject;
    if (templateCount++ < 5000) node.template = template;
  }
  return { ...template };
}

const CONTACT_KEYS = [
  'created_by',
  'date_created',
  'date_updated',
  'display_name',
  'id',
  'name',
  'organization_id',
  'title',
  'updated_by',
  'emails',
  'phones',
] as const;

const LEAD_KEYS = [
  'contact_ids',
  'created_by',
  'date_created',
  'date_updated',
  'description',
  'html_url',
  'id',
  'name',
  'organization_id',
  'status_id',
  'updated_by',
  'url',
  'addresses',
  'display_name',
  'status_label',
  'tasks',
  'contacts',
  'opportunities',
] as const;

function splitCustom(custom: Record<string, JsonValue> | undefined): [string[], JsonValue[]] {
  const keys: string[] = [];
  const values: JsonValue[] = [];
  if (custom) {
    for (const [k, v] of Object.entries(custom)) {
      if (v === null || (Array.isArray(v) && v.length === 0)) continue;
      keys.push(`custom.${k}`);
      values.push(v);
    }
  }
  return [keys, values];
}

export function htmlUrl(leadId: string): string {
  return flat('https://app.close.com/lead/', leadId, '/');
}

/** Close shows the first contact's name when a lead has no name. */
export function displayNameOf(name: string | null, contacts: Contact[]): string {
  if (name) return name;
  return contacts.length > 0 ? contacts[0].name : '';
}

export function makeEmail(email: string, type = 'office'): Email {
  return { email, is_unsubscribed: false, type };
}

export function makePhone(phone: string, type = 'office'): Phone {
  return { phone, type, phone_formatted: formatPhone(phone) };
}

export interface ContactInit {
  id: string;
  name: string;
  title: string;
  emails: Email[];
  phones: Phone[];
  created: string;
  createdBy: string | null;
  orgId: string;
  custom?: Record<string, JsonValue>;
}

export function makeContact(c: ContactInit): Contact {
  const [keys, values] = splitCustom(c.custom);
  const contact = shaped('contact', CONTACT_KEYS, keys) as Contact;
  contact.created_by = c.createdBy;
  contact.date_created = c.created;
  contact.date_updated = c.created;
  contact.display_name = c.name;
  contact.id = c.id;
  contact.name = c.name;
  contact.organization_id = c.orgId;
  contact.title = c.title;
  contact.updated_by = c.createdBy;
  contact.emails = c.emails;
  contact.phones = c.phones;
  for (let i = 0; i < keys.length; i++) contact[keys[i]] = values[i];
  return contact;
}

export interface OpportunityInit {
  id: string;
  leadId: string;
  leadName: string;
  statusId: string;
  value: number;
  period: string;
  confidence: number;
  note: string;
  userId: string | null;
  contactId: string | null;
  created: string;
  createdBy: string | null;
  dateWon: string | null;
  dateLost: string | null;
  orgId: string;
}

export function makeOpportunity(o: OpportunityInit, index: OrgIndex): Opportunity {
  const opp: Opportunity = {
    annualized_expected_value: 0,
    annualized_value: 0,
    confidence: o.confidence,
    contact_id: o.contactId,
    created_by: o.createdBy,
    date_created: o.created,
    date_lost: o.dateLost,
    date_updated: o.created,
    date_won: o.dateWon,
    expected_value: 0,
    id: o.id,
    lead_id: o.leadId,
    note: o.note,
    organization_id: o.orgId,
    status_id: o.statusId,
    updated_by: o.createdBy,
    user_id: o.userId,
    value: o.value,
    value_period: o.period,
    lead_name: o.leadName,
    pipeline_id: '',
    pipeline_name: '',
    status_label: '',
    status_type: '',
    user_name: '',
    value_currency: index.org.organization.currency,
    value_formatted: '',
  };
  refreshOpportunity(opp, index);
  return opp;
}

/** Recomputes an opportunity's derived fields after its value, period, confidence, status or user changed. */
export function refreshOpportunity(opp: Opportunity, index: OrgIndex): void {
  const status = index.oppStatusById.get(opp.status_id);
  const pipeline = status ? index.pipelineById.get(status.pipeline_id) : undefined;
  const annual = annualize(opp.value, opp.value_period);
  opp.annualized_value = annual;
  opp.expected_value = round((opp.value * opp.confidence) / 100);
  opp.annualized_expected_value = round((annual * opp.confidence) / 100);
  opp.status_label = status?.label ?? '';
  opp.status_type = status?.type ?? '';
  opp.pipeline_id = pipeline?.id ?? '';
  opp.pipeline_name = pipeline?.name ?? '';
  opp.user_name = index.userName(opp.user_id);
  opp.value_formatted = formatMoney(opp.value, opp.value_period, index.org.organization.currency_symbol);
}

export interface LeadInit {
  id: string;
  name: string | null;
  description: string;
  url: string | null;
  statusId: string;
  created: string;
  updated: string;
  createdBy: string | null;
  updatedBy: string | null;
  orgId: string;
  statusLabel: string;
  contacts: Contact[];
  opportunities: Opportunity[];
  addresses?: Lead['addresses'];
  custom?: Record<string, JsonValue>;
  /** Faster alternative to `custom`: full `custom.cf_…` keys and their (non-empty) values. */
  customKeys?: string[];
  customValues?: JsonValue[];
}

/** A lead with Close's key order (as in the List Leads sample); custom values go last as `custom.cf_…` keys. */
export function makeLead(l: LeadInit): Lead {
  const [keys, values] =
    l.customKeys && l.customValues ? [l.customKeys, l.customValues] : splitCustom(l.custom);
  const lead = shaped('lead', LEAD_KEYS, keys) as Lead;
  lead.contact_ids = l.contacts.map((c) => c.id);
  lead.created_by = l.createdBy;
  lead.date_created = l.created;
  lead.date_updated = l.updated;
  lead.description = l.description;
  lead.html_url = htmlUrl(l.id);
  lead.id = l.id;
  lead.name = l.name;
  lead.organization_id = l.orgId;
  lead.status_id = l.statusId;
  lead.updated_by = l.updatedBy;
  lead.url = l.url;
  lead.addresses = l.addresses ?? [];
  lead.display_name = displayNameOf(l.name, l.contacts);
  lead.status_label = l.statusLabel;
  lead.tasks = [];
  lead.contacts = l.contacts;
  lead.opportunities = l.opportunities;
  for (let i = 0; i < keys.length; i++) lead[keys[i]] = values[i];
  return lead;
}
