// Statuses: a lead's status and an opportunity's status, by label in the cell and by id in Close. A
// status is never empty.
import type { NameLookup } from '../lookups';
import { bad, cellText, isEmpty, listForMessage, ok, quote } from './cells';
import type { FieldKind, KindCodec } from './kind';

function statusCodec(lookup: NameLookup, what: string, timeZone: string): KindCodec {
  return {
    encode: (v) => (isEmpty(v) ? '' : lookup.label(String(v))),
    isLossy: () => false,
    decode: (cell) => {
      const t = cellText(cell, timeZone).trim();
      if (t === '') return bad('Status cannot be empty');
      const id = lookup.resolve(t);
      return id ? ok(id) : bad(`${quote(t)} is not ${what}: use one of ${listForMessage(lookup.labels())}`);
    },
  };
}

const statusBase = {
  numberFormat: '@',
  multiValue: null,
  addRemove: false,
  display: 'as the cell shows it',
  report: null,
} as const;

export const status: FieldKind = {
  closeTypes: [], // statuses are standard fields, never custom ones
  codec: (_column, env) => statusCodec(env.statuses, 'a lead status', env.timeZone),
  takes: 'a lead status (dropdown)',
  dropdown: 'lead statuses',
  ...statusBase,
};

export const opportunityStatus: FieldKind = {
  closeTypes: [], // statuses are standard fields, never custom ones
  codec: (_column, env) => statusCodec(env.opportunityStatuses, 'an opportunity status', env.timeZone),
  takes: 'an opportunity status (dropdown)',
  dropdown: 'opportunity statuses',
  ...statusBase,
};
