// What a field kind declares, once: which Close field types it shows, how its values travel between
// Close JSON and a cell (its codec), the cell's number format, what the header note says the column
// takes, whether and how one cell holds several values, which dropdown it offers, and how the preview
// and the report show it. Columns, codecs, the report, the preview and the dropdowns read these entries;
// adding a Close field type is one entry here (and its tests in test/unit/kinds.test.ts).
import type { Codec, CodecEnv } from '../codecs';
import type { Column } from '../columns';

export type ValueKind =
  | 'text'
  | 'number'
  | 'money'
  | 'date'
  | 'datetime'
  | 'choice'
  | 'choices'
  | 'user'
  | 'users'
  | 'status'
  | 'opportunity_status'
  | 'emails'
  | 'phones';

/** A Close custom-field type; `multiple` unset matches the field whether or not it accepts several values. */
export interface CloseFieldType {
  type: string;
  multiple?: boolean;
}

/** The codec without `shows` (makeCodec adds it the same way for every kind). */
export type KindCodec = Omit<Codec, 'shows'>;

export interface FieldKind {
  /** The Close custom-field types shown as this kind (editable); none for kinds of standard fields only. */
  closeTypes: CloseFieldType[];
  /** encode (Close value → cell) and decode (cell → Close value, or why it is invalid). */
  codec(column: Column, env: CodecEnv): KindCodec;
  /** The column's Sheets number format: text kinds are plain text, so Sheets never coerces them. */
  numberFormat: string;
  /** The header note's "Takes …" for an editable column of this kind. */
  takes: string;
  /**
   * How one cell holds several values, separated by "; ": `known values` (split by the field's choices,
   * a choice containing ";" kept whole), `names` or `addresses`; null when the cell holds one value.
   */
  multiValue: 'known values' | 'names' | 'addresses' | null;
  /** Close takes `.add` / `.remove` of single values for the field (the Add only / Remove only modes). */
  addRemove: boolean;
  /** The dropdown an editable column offers, from the field's own choices or a list of the organization. */
  dropdown: 'own choices' | 'users' | 'lead statuses' | 'opportunity statuses' | null;
  /** The preview shows the value as Close writes it (dates), or as the cell shows it (labels, not ids). */
  display: 'as Close writes it' | 'as the cell shows it';
  /**
   * Whether two non-empty Close values of this kind are the same value, where that is more than
   * sameValues (multi-values as sets, else the same JSON value): numbers as numbers, instants as instants.
   */
  same?(a: unknown, b: unknown): boolean;
  /** The report counts leads by this field's values (choice kinds) or uses it as the owner (a user). */
  report: 'by value' | 'owner' | null;
}
