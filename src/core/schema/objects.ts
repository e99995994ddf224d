// The three kinds of Close object a sheet can hold. Contacts and opportunities come with their leads
// (a lead carries them nested), so every kind is pulled through the same lead sources; each kind says
// which rows a lead gives it, where one object is updated, and which columns it has.
import type { Lead, OrgContext } from '../close/types';
import { type Column, contactColumns, leadColumns, opportunityColumns } from './columns';

export type ObjectKind = 'lead' | 'contact' | 'opportunity';

export interface ObjectSpec {
  kind: ObjectKind;
  defaultSheet: string;
  /** What a row's id column is called in messages. */
  noun: string;
  /** Rows without an id create objects (leads only: contacts and opportunities belong to a lead). */
  canCreate: boolean;
  path(id: string): string;
  columns(org: OrgContext): Column[];
  /** The objects this kind shows for one pulled lead, each with its lead's id and name. */
  objectsOf(lead: Lead): Lead[];
  /** Lead `_fields` that carry this kind's objects. */
  leadFields: string[];
}

function nested(key: 'contacts' | 'opportunities') {
  return (lead: Lead): Lead[] => {
    const list = lead[key];
    if (!Array.isArray(list)) return [];
    const leadName = lead.display_name ?? lead.name ?? '';
    return (list as Lead[]).map((o) => ({ ...o, lead_id: lead.id, lead_name: o.lead_name ?? leadName }));
  };
}

export const OBJECTS: Record<ObjectKind, ObjectSpec> = {
  lead: {
    kind: 'lead',
    defaultSheet: 'Close Leads',
    noun: 'lead',
    canCreate: true,
    path: (id) => `/lead/${id}/`,
    columns: (org) => leadColumns(org.fields),
    objectsOf: (lead) => [lead],
    leadFields: [],
  },
  contact: {
    kind: 'contact',
    defaultSheet: 'Close Contacts',
    noun: 'contact',
    canCreate: false,
    path: (id) => `/contact/${id}/`,
    columns: (org) => contactColumns(org.contactFields),
    objectsOf: nested('contacts'),
    leadFields: ['id', 'display_name', 'date_created', 'contacts'],
  },
  opportunity: {
    kind: 'opportunity',
    defaultSheet: 'Close Opportunities',
    noun: 'opportunity',
    canCreate: false,
    path: (id) => `/opportunity/${id}/`,
    columns: (org) => opportunityColumns(org.opportunityFields),
    objectsOf: nested('opportunities'),
    leadFields: ['id', 'display_name', 'date_created', 'opportunities'],
  },
};
