// How the conflict check and undo ask Close for an object's current values.
//
// Leads: only the fields concerned (`_fields=id,name,custom.cf_…`): custom-field subsets are documented for
// the Leads API ("Returning single custom fields in the Leads API", changelog 2023-11-10). Edited custom
// fields are ~53 characters each in the URL, so past about 35 of them the URL would cross Close's
// recommended 2,000 characters (and UrlFetchApp's 2 KB): then every custom field is asked for with
// `custom` (also documented), which keeps the URL short whatever the count.
//
// Contacts and opportunities: subsets are not documented there, and a Close that ignored `custom.cf_…`
// would answer without the field, which reads as empty and decides the check wrongly (an unchanged field
// a conflict). So these GETs ask for the whole object, no `_fields` at all: it is small, and its custom
// values come back whether or not Close honours subsets.
import { CLOSE_API_BASE, MAX_URL_CHARS } from '../close/client';
import type { ObjectSpec } from '../schema/objects';

export function currentValuesQuery(
  spec: ObjectSpec,
  id: string,
  keys: string[],
): Record<string, string> | undefined {
  if (spec.kind !== 'lead') return undefined;
  const unique = [...new Set(['id', ...keys])];
  const fields = unique.join(',');
  const url = `${CLOSE_API_BASE}${spec.path(id)}?_fields=${encodeURIComponent(fields)}`;
  if (url.length <= MAX_URL_CHARS) return { _fields: fields };
  return { _fields: [...unique.filter((k) => !k.startsWith('custom.')), 'custom'].join(',') };
}
