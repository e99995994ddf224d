// Every field kind, one entry each (the entries live in this folder, one module per family of kinds),
// and the one rule that maps a Close custom field to its kind.
import type { CustomField } from '../../close/types';
import { choice, choices } from './choice';
import { emails, phones } from './contact-point';
import { date, datetime } from './date';
import type { FieldKind, ValueKind } from './kind';
import { money, number } from './number';
import { opportunityStatus, status } from './status';
import { text } from './text';
import { user, users } from './user';

export type { CloseFieldType, FieldKind, KindCodec, ValueKind } from './kind';

export const KINDS: Record<ValueKind, FieldKind> = {
  text,
  number,
  money,
  date,
  datetime,
  choice,
  choices,
  user,
  users,
  status,
  opportunity_status: opportunityStatus,
  emails,
  phones,
};

const KIND_NAMES = Object.keys(KINDS) as ValueKind[];

/**
 * The kind a Close custom field is shown as, and whether it is written back. Types no kind declares
 * (contact, custom_object, hidden, and types Close adds later) are shown as text and never written.
 */
export function kindOfCustomField(f: Pick<CustomField, 'type' | 'accepts_multiple_values'>): {
  kind: ValueKind;
  editable: boolean;
} {
  const multiple = Boolean(f.accepts_multiple_values);
  const kind = KIND_NAMES.find((k) =>
    KINDS[k].closeTypes.some(
      (t) => t.type === f.type && (t.multiple === undefined || t.multiple === multiple),
    ),
  );
  return kind ? { kind, editable: true } : { kind: 'text', editable: false };
}
