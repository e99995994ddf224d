// One activity → one sheet row. The columns are the same for every type; each type fills the ones it
// has (a note has no direction or duration). Text stays exactly as Close sent it: the text columns are
// plain-text formatted before anything is written, so a note "=1+1" is never a formula.
import type { CellValue } from '../ports';
import { parseCloseDateTime } from '../schema/dates';
import { ACTIVITY_TYPES, type ActivityType } from './definition';
import type { CloseActivity } from './pager';

export interface ActivityColumn {
  header: string;
  /** Number format below the header: '@' plain text. */
  format: string;
}

export const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

export const ACTIVITY_COLUMNS: ActivityColumn[] = [
  { header: 'Activity ID', format: '@' },
  { header: 'Type', format: '@' },
  { header: 'Date', format: DATE_FORMAT },
  { header: 'User', format: '@' },
  { header: 'Lead', format: '@' },
  { header: 'Lead ID', format: '@' },
  { header: 'Contact', format: '@' },
  { header: 'Direction', format: '@' },
  { header: 'Duration (s)', format: '0' },
  { header: 'Subject / Text', format: '@' },
  { header: 'Status', format: '@' },
  { header: 'Phone / Email', format: '@' },
  { header: 'Details', format: '@' },
];

export const ID_COLUMN = 1;
export const TYPE_COLUMN = 2;
export const DATE_COLUMN = 3;
export const USER_COLUMN = 4;
export const LEAD_ID_COLUMN = 6;
export const DIRECTION_COLUMN = 8;
export const DURATION_COLUMN = 9;

/** Sheets refuses cells over 50,000 characters; a long email body is cut visibly, never silently. */
const MAX_CELL = 50_000;
const TRUNCATED = '…[truncated: see it in Close]';

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : Array.isArray(value) ? value.join('; ') : String(value);
  return s.length > MAX_CELL ? s.slice(0, MAX_CELL - TRUNCATED.length) + TRUNCATED : s;
}

export interface Names {
  user(id: unknown, given: unknown): string;
  lead(id: string): string;
  contact(leadId: string, contactId: unknown): string;
}

/** The type's fields, by column: Close's keys per type (the list samples in its reference). */
function typeFields(
  type: ActivityType,
  a: CloseActivity,
): [string, CellValue, string, string, string, string] {
  // direction, duration, subject/text, status, phone/email, details
  switch (type) {
    case 'call':
      return [
        text(a.direction),
        typeof a.duration === 'number' ? a.duration : '',
        text(a.note),
        text(a.disposition ?? a.status),
        text(a.remote_phone ?? a.phone),
        a.voicemail_duration ? `voicemail ${String(a.voicemail_duration)} s` : '',
      ];
    case 'email':
      return [
        text(a.direction),
        '',
        text(a.subject),
        text(a.status),
        text(a.direction === 'incoming' ? a.sender : a.to),
        text(a.body_text),
      ];
    case 'meeting':
      return [
        '',
        typeof a.duration === 'number' ? a.duration : '',
        text(a.title),
        text(a.status),
        text(a.location),
        text(a.user_note || a.note),
      ];
    case 'sms':
      return [text(a.direction), '', text(a.text), text(a.status), text(a.remote_phone), ''];
    default:
      return ['', '', text(a.note), '', '', text(a.title)];
  }
}

export function activityRow(type: ActivityType, a: CloseActivity, names: Names): CellValue[] {
  const created = typeof a.date_created === 'string' ? parseCloseDateTime(a.date_created) : null;
  const leadId = text(a.lead_id);
  const [direction, duration, subject, status, address, details] = typeFields(type, a);
  return [
    a.id,
    ACTIVITY_TYPES[type].label,
    created === null ? text(a.date_created) : new Date(created),
    names.user(a.user_id, a.user_name),
    names.lead(leadId),
    leadId,
    names.contact(leadId, a.contact_id),
    direction,
    duration,
    subject,
    status,
    address,
    details,
  ];
}
