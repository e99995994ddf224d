// The Event Log: `GET /api/v1/event/`, Close's record of object changes over the last 30 days. The fake
// records lead events (created, updated, deleted, merged) as the routes and test controls change leads.
//
// Sources (the endpoint is described in Close's OpenAPI export, stored as api-evangelist/close
// `openapi/close-openapi.yml`, path `/event/`, which copies developer.close.com/api/resources/events/list):
// - Filters: `date_updated` by range (`date_updated__gte=X&date_updated__lte=Y`, also `__gt`/`__lt`),
//   `object_type`, `object_id`, `action`, `lead_id`, `user_id`, `request_id`. "Only certain combinations
//   of filters are supported. `date_updated` can be optionally used with any allowed filter combination"
//   — the list is SUPPORTED_COMBINATIONS below. What Close answers to another combination is not
//   documented: the harsher reading is a 400.
// - Response: `data` (events), `cursor_next` ("events before the given ID (earlier date), or null"),
//   `cursor_previous` (later events, or null). "Events are always ordered by date (latest first), i.e. the
//   `date_updated` field."
// - Paging: `_cursor` (cursor_next or cursor_previous), "you still need to supply any other filters
//   (except for `date_updated`)"; `_limit` "capped at and defaulting to 50"; `_skip` is not supported.
//   Read harshly: with a cursor the `date_updated` filters are not applied (the walk goes on into older
//   events, so a client must stop by itself), and filters left out are simply not applied.
// - "The event log API allows you to access these events, up to 30 days back in history"
//   (developer.close.com/api/resources/events): older events are gone.
// - Event fields (same page): id, date_created, date_updated, organization_id, user_id, request_id,
//   api_key_id, object_type, object_id, lead_id, action, changed_fields, meta, data, previous_data. Event
//   dates carry no UTC offset in recorded payloads (`…14.670000`; see the fact sheet's quirk 2), and
//   event ids have 22 characters after `ev_`.
// - Lead actions (developer.close.com/api/resources/events/list-of-event-types): `created`, `updated`,
//   `deleted`, and `merged` ("`lead_id` and `data` contain the lead ID and data of the resulting
//   (destination) lead … you will also get `updated` and `deleted` events for the leads … involved in the
//   merge. All events related to the merge contain `merge_source_lead_id` and `merge_destination_lead_id`
//   in the `meta` field").
// - Close's own script (closeio/close-api-scripts `scripts/custom_field_change_report.py`) walks it with
//   `object_type=lead&action=updated&date_updated__gte=…`, `_cursor` from `cursor_next` until it is null.
import { closeId, createRng, dateMs, formatCloseDate, type Rng } from './ids';
import type { JsonObject, JsonValue, Lead } from './types';
import { HttpError } from './writes';

/** How far back the log reaches (Close: "up to 30 days back in history"). */
export const EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_LIMIT = 50;

/** The filter combinations Close lists as supported (`date_updated` may go with any of them). */
const SUPPORTED_COMBINATIONS = [
  ['object_type', 'object_id'],
  ['object_type', 'action'],
  ['object_id', 'action'],
  ['lead_id', 'object_type'],
  ['lead_id', 'object_type', 'action'],
  ['lead_id', 'user_id', 'object_type'],
  ['lead_id', 'user_id', 'object_type', 'action'],
  ['lead_id', 'user_id'],
  ['user_id', 'object_id'],
  ['user_id', 'object_id', 'action'],
  ['user_id', 'object_type'],
  ['user_id', 'object_type', 'action'],
  ['lead_id'],
  ['user_id'],
  ['request_id'],
  // No filter at all: the whole log (what the list's first example asks for).
  [],
].map((c) => [...c].sort().join(','));

const FILTERS = ['object_type', 'object_id', 'action', 'lead_id', 'user_id', 'request_id'];

export interface FakeEvent extends JsonObject {
  id: string;
  date_created: string;
  date_updated: string;
  organization_id: string;
  user_id: string | null;
  request_id: string;
  api_key_id: string | null;
  object_type: string;
  object_id: string;
  lead_id: string | null;
  action: string;
  changed_fields: string[];
  meta: JsonObject;
  data: JsonObject | null;
  previous_data: JsonObject | null;
}

/** An event's date as Close writes it: microseconds, no UTC offset. */
function eventDate(ms: number): string {
  return formatCloseDate(ms).replace('+00:00', '');
}

export class EventLog {
  /** Oldest first; `seq` orders events of the same millisecond. */
  private readonly events: Array<{ seq: number; ms: number; event: FakeEvent }> = [];
  private seq = 0;
  private readonly rng: Rng = createRng(0xe7e47);

  constructor(
    private readonly organizationId: string,
    private readonly now: () => number,
  ) {}

  record(e: {
    objectType: string;
    objectId: string;
    leadId: string | null;
    action: string;
    userId: string | null;
    changedFields?: string[];
    meta?: JsonObject;
    data?: JsonObject | null;
    previousData?: JsonObject | null;
  }): FakeEvent {
    const ms = this.now();
    const event: FakeEvent = {
      id: `ev_${closeId('x', this.rng).slice(2, 24)}`,
      date_created: eventDate(ms),
      date_updated: eventDate(ms),
      organization_id: this.organizationId,
      user_id: e.userId,
      request_id: `req_${closeId('x', this.rng).slice(2, 24)}`,
      api_key_id: null,
      object_type: e.objectType,
      object_id: e.objectId,
      lead_id: e.leadId,
      action: e.action,
      changed_fields: e.changedFields ?? [],
      meta: e.meta ?? {},
      data: e.data ?? null,
      previous_data: e.previousData ?? null,
    };
    this.events.push({ seq: ++this.seq, ms, event });
    return event;
  }

  /** Every event recorded (oldest first), for tests. */
  all(): FakeEvent[] {
    return this.events.map((e) => e.event);
  }

  list(params: URLSearchParams): JsonValue {
    const given = FILTERS.filter((f) => params.get(f));
    if (!SUPPORTED_COMBINATIONS.includes([...given].sort().join(',')))
      throw new HttpError(400, { error: `Unsupported combination of filters: ${given.join(', ')}.` });
    const raw = params.get('_limit');
    const limit = raw === null ? MAX_LIMIT : Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(raw, 10) || 0));
    const cursor = params.get('_cursor');
    let before = Number.POSITIVE_INFINITY;
    let after = 0;
    if (cursor) {
      const m = /^([np])(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!m) throw new HttpError(400, { error: 'Invalid cursor.' });
      if (m[1] === 'n') before = Number(m[2]);
      else after = Number(m[2]);
    }
    const bound = (name: string) => {
      const v = params.get(name);
      if (v === null || cursor) return null;
      const ms = dateMs(v);
      if (Number.isNaN(ms)) throw new HttpError(400, { error: `Invalid date for ${name}: ${v}` });
      return ms;
    };
    const [gte, gt, lte, lt] = ['__gte', '__gt', '__lte', '__lt'].map((s) => bound(`date_updated${s}`));
    const oldest = this.now() - EVENT_RETENTION_MS;
    const matches = this.events.filter(
      ({ ms, event }) =>
        ms >= oldest &&
        given.every((f) => event[f] === params.get(f)) &&
        (gte === null || ms >= gte) &&
        (gt === null || ms > gt) &&
        (lte === null || ms <= lte) &&
        (lt === null || ms < lt),
    );
    // Latest first. A cursor_next walk takes the events just before its cursor, a cursor_previous walk
    // those just after it.
    matches.reverse();
    const older = matches.filter((e) => e.seq < before && e.seq > after);
    const page = after > 0 ? older.slice(Math.max(0, older.length - limit)) : older.slice(0, limit);
    const encode = (s: string) => Buffer.from(s).toString('base64');
    const last = page[page.length - 1];
    const first = page[0];
    return {
      data: page.map((e) => e.event),
      cursor_next: last && matches.some((e) => e.seq < last.seq) ? encode(`n${last.seq}`) : null,
      cursor_previous: first && matches.some((e) => e.seq > first.seq) ? encode(`p${first.seq}`) : null,
    };
  }
}

/** A lead event as the routes record it: `data` is the lead after the change, `previous_data` before a deletion. */
export function leadEvent(
  lead: Lead,
  action: 'created' | 'updated' | 'deleted' | 'merged',
  userId: string | null,
  changedFields: string[] = [],
  meta: JsonObject = {},
): Parameters<EventLog['record']>[0] {
  const copy = JSON.parse(JSON.stringify(lead)) as JsonObject;
  // A field changed by `.add`/`.remove` is listed by its own key, once. (Close's docs list
  // `changed_fields` without its form; this is the reading the probe checks: dev/close-probe `event-log`.)
  const fields = [...new Set(changedFields.map((f) => f.replace(/\.(add|remove)$/, '')))];
  return {
    objectType: 'lead',
    objectId: lead.id,
    leadId: lead.id,
    action,
    userId,
    changedFields: fields,
    meta,
    data: action === 'deleted' ? null : copy,
    previousData: action === 'deleted' ? copy : null,
  };
}
