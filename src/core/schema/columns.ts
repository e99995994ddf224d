// The column model: one Column per managed sheet column. A column is bound to a Close field by its key
// (stored on the sheet column itself), never by header text or position.
import type { CustomField, Lead } from '../close/types';
import { kindOfCustomField, type ValueKind } from './kinds';

export type { ValueKind } from './kinds';

export interface Column {
  /** Binding key: the Close field (`name`, `status_id`, `custom.cf_…`) or a derived key (`contact.email`). */
  key: string;
  header: string;
  kind: ValueKind;
  editable: boolean;
  choices?: string[];
  /** The Close field type (custom fields), so a type change in Close is noticed. */
  fieldType?: string;
  /** Why edits in this column cannot be pushed now (its type changed in Close since the pull). */
  blocked?: string;
  /**
   * What an emptied cell sends when Close takes no null for the field: a value Close accepts instead, or
   * a refusal (the rep is told what to do). Without it an empty cell sends null.
   */
  whenCleared?: { send: unknown } | { refuse: string };
  /** The API value this column shows, from the row's object (a lead, contact or opportunity). */
  extract(object: Lead): unknown;
}

/** The column that records each row's last push result; not a Close field. */
export const SYNC_STATUS_KEY = '_sync';
export const LEAD_ID_KEY = 'id';

const field = (key: string) => (lead: Lead) => lead[key] ?? null;

type Contact = { name?: string; emails?: Array<{ email?: string }>; phones?: Array<{ phone?: string }> };
type Opportunity = { value?: number | null };

function firstContact(lead: Lead): Contact | undefined {
  const contacts = lead.contacts;
  return Array.isArray(contacts) ? (contacts[0] as Contact | undefined) : undefined;
}

function opportunities(lead: Lead): Opportunity[] {
  return Array.isArray(lead.opportunities) ? (lead.opportunities as Opportunity[]) : [];
}

export const STANDARD_COLUMNS: Column[] = [
  { key: LEAD_ID_KEY, header: 'Lead ID', kind: 'text', editable: false, extract: field('id') },
  { key: 'name', header: 'Name', kind: 'text', editable: true, extract: field('name') },
  { key: 'status_id', header: 'Status', kind: 'status', editable: true, extract: field('status_id') },
  { key: 'description', header: 'Description', kind: 'text', editable: true, extract: field('description') },
  { key: 'url', header: 'URL', kind: 'text', editable: true, extract: field('url') },
  {
    key: 'date_created',
    header: 'Created',
    kind: 'datetime',
    editable: false,
    extract: field('date_created'),
  },
  {
    key: 'date_updated',
    header: 'Updated',
    kind: 'datetime',
    editable: false,
    extract: field('date_updated'),
  },
  {
    key: 'contact.name',
    header: 'Primary contact',
    kind: 'text',
    editable: false,
    extract: (lead) => firstContact(lead)?.name ?? null,
  },
  {
    key: 'contact.email',
    header: 'Contact email',
    kind: 'text',
    editable: false,
    extract: (lead) => firstContact(lead)?.emails?.[0]?.email ?? null,
  },
  {
    key: 'contact.phone',
    header: 'Contact phone',
    kind: 'text',
    editable: false,
    extract: (lead) => firstContact(lead)?.phones?.[0]?.phone ?? null,
  },
  {
    key: 'opportunities.count',
    header: 'Opportunities',
    kind: 'number',
    editable: false,
    extract: (lead) => opportunities(lead).length,
  },
  {
    key: 'opportunities.value',
    header: 'Opportunity value',
    kind: 'money',
    editable: false,
    // Close sends integer cents; the sheet shows currency units.
    extract: (lead) => opportunities(lead).reduce((sum, o) => sum + (o.value ?? 0), 0),
  },
];

export const SYNC_STATUS_COLUMN: Column = {
  key: SYNC_STATUS_KEY,
  header: 'Sync status',
  kind: 'text',
  editable: false,
  extract: () => null,
};

export function customFieldColumn(f: CustomField): Column {
  const key = `custom.${f.id}`;
  return {
    key,
    header: f.name,
    ...kindOfCustomField(f),
    choices: f.choices ?? undefined,
    fieldType: `${f.type}${f.accepts_multiple_values ? '[]' : ''}`,
    extract: field(key),
  };
}

/** Every column of a lead sheet, in order: standard, custom fields in Close's display order, status. */
export function leadColumns(fields: CustomField[]): Column[] {
  return [...STANDARD_COLUMNS, ...fields.map(customFieldColumn), SYNC_STATUS_COLUMN];
}

/** The `_fields` a pull requests: just what the columns show. */
export function leadFieldsParam(columns: Column[]): string[] {
  return leadFieldsOf(columns.map((c) => c.key));
}

/** The lead fields that columns of these keys are filled from. */
export function leadFieldsOf(columnKeys: string[]): string[] {
  const fields = new Set<string>(['id']);
  for (const key of columnKeys) {
    if (key === SYNC_STATUS_KEY) continue;
    if (key.startsWith('contact.')) fields.add('contacts');
    else if (key.startsWith('opportunities.')) fields.add('opportunities');
    else fields.add(key);
  }
  return [...fields];
}

const readOnly = (key: string, header: string, kind: ValueKind = 'text'): Column => ({
  key,
  header,
  kind,
  editable: false,
  extract: field(key),
});
const editable = (key: string, header: string, kind: ValueKind, choices?: string[]): Column => ({
  key,
  header,
  kind,
  editable: true,
  choices,
  extract: field(key),
});

/** One row per contact: its lead for context, then what can be edited through PUT /contact/{id}/. */
export function contactColumns(fields: CustomField[]): Column[] {
  return [
    readOnly(LEAD_ID_KEY, 'Contact ID'),
    readOnly('lead_id', 'Lead ID'),
    readOnly('lead_name', 'Lead'),
    editable('name', 'Name', 'text'),
    editable('title', 'Title', 'text'),
    editable('emails', 'Emails', 'emails'),
    editable('phones', 'Phones', 'phones'),
    ...fields.map(customFieldColumn),
    SYNC_STATUS_COLUMN,
  ];
}

export const VALUE_PERIODS = ['one_time', 'monthly', 'annual'];

/** One row per opportunity: value in currency units (Close stores cents), status by label. */
export function opportunityColumns(fields: CustomField[]): Column[] {
  return [
    readOnly(LEAD_ID_KEY, 'Opportunity ID'),
    readOnly('lead_id', 'Lead ID'),
    readOnly('lead_name', 'Lead'),
    editable('status_id', 'Status', 'opportunity_status'),
    readOnly('pipeline_name', 'Pipeline'),
    editable('value', 'Value', 'money'),
    readOnly('value_currency', 'Currency'),
    // Close's OpenAPI Opportunity schema types confidence (integer), user_id (string) and value_period
    // (an enum) without null, where value, date_won and note may be null (opportunity-fields in README).
    {
      ...editable('value_period', 'Value period', 'choice', VALUE_PERIODS),
      whenCleared: { refuse: `Close needs a value period: choose ${VALUE_PERIODS.join(', ')}` },
    },
    { ...editable('confidence', 'Confidence', 'number'), whenCleared: { send: 0 } },
    {
      ...editable('user_id', 'Owner', 'user'),
      whenCleared: { refuse: 'Close needs an owner for every opportunity: choose a user' },
    },
    editable('date_won', 'Close date', 'date'),
    // A string is accepted whatever Close makes of null; an empty note is "".
    { ...editable('note', 'Note', 'text'), whenCleared: { send: '' } },
    ...fields.map(customFieldColumn),
    SYNC_STATUS_COLUMN,
  ];
}
