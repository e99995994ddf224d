// The batched read of the push plan's check (plan.ts): Close's current values of a batch's edited leads in
// ONE request — an Advanced Filtering search for exactly those lead ids, asking only for the fields the
// batch edits — instead of a GET per lead. A 5,000-lead push then costs its 5,000 PUTs and 50 searches,
// not 10,000 requests (a consumer account's UrlFetch quota is 20,000 a day, and an undo reads them again).
//
// What the request rests on, and where it comes from:
// - `POST /api/v1/data/search/` with `{"query": {"type": "and", "queries": [{"type": "object_type",
//   "object_type": "lead"}, …]}}` — Close's Advanced Filtering page (developer.close.com/api/resources/
//   advanced-filtering, its example), as the Smart View pull already sends it (search-pager.ts).
// - The id filter: fields are named "as a `regular_field`, with the `object_type` of the section they're
//   listed in … For `… ID` fields, use a `reference` condition with that ID type as the `reference_type`"
//   (developer.close.com/api/resources/advanced-filtering-fields). Close's own scripts batch ids that way:
//   `{"field_name": "lead_id"}` with `{"type": "reference", "reference_type": "lead", "object_ids":
//   lead_ids}`, chunks of ids per search, `_limit` 200 (close-api-scripts `scripts/CloseApiWrapper.py`, the
//   bariendo fork). That the lead's OWN `id` is filterable this way is not in the stored copy of the field
//   list: `npm run probe` checks it against a real organization (question `batched-read`).
// - `_fields` is a dict keyed by object type, `{"lead": ["id", "custom.cf_…", …]}`, as Close's scripts send
//   it; `custom.cf_…` subsets are documented for the Leads API (developer.close.com/api/resources/leads)
//   and the Smart View pull already relies on them in searches. The probe checks them too.
// - `_limit` 200 is the search's maximum (Airbyte's SEARCH_API_MAX_LIMIT; the probe's smart-view-walk), so
//   100 ids come back on one page, far from one cursor walk's 10,000 objects.
//
// Every misreading fails safe (plan.ts): a refused search sends the GETs as before; a lead the search does
// not return (an ignored filter returning others, a page cut short, a lead the index does not have yet) is
// read with a GET; a value the search shows that would stop the field (a conflict, "already there") is
// confirmed with a GET before anything is decided — which also covers a search index that lags a change
// just made (the add-on's own PUTs included: an undo right after its push).
import type { CloseCall, CloseReply } from '../close/client';
import type { Lead } from '../close/types';
import type { LeadChange } from './changes';

/** A search body: JSON only (the probe sends it as it is). */
export type SearchBody = { [key: string]: SearchJson };
type SearchJson = null | boolean | number | string | SearchJson[] | SearchBody;

/** Lead ids per search: one page (`_limit` 200 is the search's maximum) with room to spare. */
export const IDS_PER_SEARCH = 100;
const SEARCH_LIMIT = 200;

const leadField = (field_name: string): SearchBody => ({
  type: 'regular_field',
  object_type: 'lead',
  field_name,
});

/** The one search that reads these leads' edited fields (at most IDS_PER_SEARCH leads). */
export function batchedReadCall(changes: LeadChange[]): CloseCall {
  const fields = new Set<string>();
  for (const c of changes) for (const e of c.edits) fields.add(e.key);
  return {
    method: 'post',
    path: '/data/search/',
    body: batchedReadBody(
      changes.map((c) => c.leadId),
      [...fields],
    ),
  };
}

/**
 * The search's body: exactly these lead ids, and only `id` and these fields. The live probe
 * (dev/close-probe/questions.ts, `batched-read`) sends this same body to real Close.
 */
export function batchedReadBody(ids: string[], fields: string[]): SearchBody {
  return {
    query: {
      type: 'and',
      queries: [
        { type: 'object_type', object_type: 'lead' },
        {
          type: 'field_condition',
          field: leadField('id'),
          condition: { type: 'reference', reference_type: 'lead', object_ids: ids },
        },
      ],
    },
    _fields: { lead: ['id', ...fields.filter((f) => f !== 'id')] },
    _limit: SEARCH_LIMIT,
  };
}

/** The leads a search answered, by id (none when it was refused or its body is not a result page). */
export function leadsFound(reply: CloseReply): Map<string, Lead> {
  const found = new Map<string, Lead>();
  if (!reply.ok) return found;
  const data = (reply.data as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return found;
  for (const item of data) {
    const lead = item as Lead;
    if (lead && typeof lead.id === 'string') found.set(lead.id, lead);
  }
  return found;
}
