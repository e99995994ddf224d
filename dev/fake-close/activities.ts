// Activities in the fake Close: the list endpoints (GET /activity/ and one per type), their filters and
// paging, and a deterministic generator that gives every lead of a fake org calls, emails, meetings, SMS,
// notes and status changes. Shapes and filters follow Close's reference (developer.close.com/api/resources/
// activities/*, whose OpenAPI samples are stored in api-evangelist/close openapi/close-activities-*-api-
// openapi.yml) and Close's own exports (closeio/close-api-scripts scripts/export_calls.py,
// scripts/export_activities_to_json.py).

import { closeId, createRng, dateMs, formatCloseDate, parseDateTime, pick, randInt, type Rng } from './ids';
import { NOTE_SNIPPETS } from './names';
import { activeUsers, fullName } from './org';
import type { FakeOrg, JsonObject, Lead } from './types';
import { HttpError, validationError } from './writes';

/** One activity as Close lists it: `_type` says which (Call, Email, Meeting, SMS, Note, LeadStatusChange…). */
export type Activity = JsonObject & {
  _type: string;
  id: string;
  lead_id: string;
  date_created: string;
  user_id: string | null;
};

/** The list endpoints and the `_type` each one holds (the per-type reference pages, "List or filter all …"). */
export const ACTIVITY_ENDPOINTS: Readonly<Record<string, string>> = {
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
  sms: 'SMS',
  note: 'Note',
  'status_change/lead': 'LeadStatusChange',
  'status_change/opportunity': 'OpportunityStatusChange',
};

// ---- listing -------------------------------------------------------------------------------------------------

/** Microseconds since the epoch: Close's datetimes carry six fraction digits, so a boundary is that fine. */
function micros(s: string): number | null {
  const p = parseDateTime(s);
  return p ? p.ms * 1000 + (p.micros % 1000) : null;
}

const DATE_FILTERS: ReadonlyArray<
  [string, 'date_created' | 'activity_at', (a: number, b: number) => boolean]
> = [
  ['date_created__gt', 'date_created', (a, b) => a > b],
  ['date_created__gte', 'date_created', (a, b) => a >= b],
  ['date_created__lt', 'date_created', (a, b) => a < b],
  ['date_created__lte', 'date_created', (a, b) => a <= b],
  ['activity_at__gt', 'activity_at', (a, b) => a > b],
  ['activity_at__gte', 'activity_at', (a, b) => a >= b],
  ['activity_at__lt', 'activity_at', (a, b) => a < b],
  ['activity_at__lte', 'activity_at', (a, b) => a <= b],
];

/** Comma-separated id lists ("Filter by lead IDs (comma-separated)" in every activity list's parameters). */
function idList(params: URLSearchParams, ...names: string[]): Set<string> | null {
  const values = names.map((n) => params.get(n)).filter((v): v is string => v !== null && v.trim() !== '');
  if (values.length === 0) return null;
  return new Set(values.flatMap((v) => v.split(',').map((s) => s.trim())).filter((s) => s !== ''));
}

/**
 * The activities an activity list returns, newest first. Close does not document the default order; its
 * own export re-sorts by `date_created` descending after fetching days in parallel ("Sort all activities
 * by date_created to be in order because they were pulled in parallel", export_activities_to_json.py), so
 * the fake lists newest first (ties by id descending) and a client must page by date windows, not rely on
 * an ascending order.
 */
export function listActivities(all: Activity[], params: URLSearchParams, type: string | null): Activity[] {
  const leadIds = idList(params, 'lead_id');
  // "The following filtering parameters can only be used for listing activities on a single lead (using
  // the lead_id parameter): user_id, user_id__in, contact_id, contact_id__in, _type, _type__in."
  // (developer.close.com/api/resources/activities/list). The fake takes the harsher reading: a 400.
  if (type === null && (leadIds === null || leadIds.size !== 1)) {
    for (const name of ['user_id', 'user_id__in', 'contact_id', 'contact_id__in', '_type', '_type__in']) {
      if (params.get(name) !== null)
        throw validationError([`${name} can only be used when listing activities for a single lead_id.`], {});
    }
  }
  const userIds = idList(params, 'user_id', 'user_id__in');
  const contactIds = idList(params, 'contact_id', 'contact_id__in');
  const ids = idList(params, 'id__in');
  const types = idList(params, '_type', '_type__in');
  // GET /activity/status_change/opportunity/ also takes `opportunity_id` (one id: "Opportunity ID", anyOf
  // string/null, in close-activities-opportunity-status-changes-api-openapi.yml); the other lists do not.
  const opportunityId = type === 'OpportunityStatusChange' ? params.get('opportunity_id') : null;
  const bounds: Array<[string, (a: number, b: number) => boolean, number]> = [];
  for (const [name, field, cmp] of DATE_FILTERS) {
    const raw = params.get(name);
    if (raw === null) continue;
    const at = micros(raw.trim());
    // The filters take "date-time" or "date" (ActivityFilters_DateCreatedGtParam: anyOf format date-time,
    // format date); anything else is refused.
    if (at === null) throw validationError([], { [name]: 'Not a valid datetime.' });
    bounds.push([field, cmp, at]);
  }
  return all.filter((a) => {
    if (type !== null && a._type !== type) return false;
    if (leadIds && !leadIds.has(a.lead_id)) return false;
    if (userIds && !(a.user_id !== null && userIds.has(a.user_id))) return false;
    if (contactIds && !(typeof a.contact_id === 'string' && contactIds.has(a.contact_id))) return false;
    if (ids && !ids.has(a.id)) return false;
    if (types && !types.has(a._type)) return false;
    if (opportunityId !== null && a.opportunity_id !== opportunityId) return false;
    for (const [field, cmp, at] of bounds) {
      const v = micros(String(a[field] ?? ''));
      if (v === null || !cmp(v, at)) return false;
    }
    return true;
  });
}

/** Newest first, ties by id descending (see listActivities). */
export function sortActivities(list: Activity[]): Activity[] {
  return list.sort((a, b) => {
    const d = dateMs(b.date_created) - dateMs(a.date_created);
    if (d !== 0) return d;
    const m = (micros(b.date_created) ?? 0) - (micros(a.date_created) ?? 0);
    if (m !== 0) return m;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
}

/** A GET /activity/{id}/ style miss. */
export function activityNotFound(): HttpError {
  return new HttpError(404, { error: 'Empty query: Activity matching query does not exist.' });
}

// ---- generation ----------------------------------------------------------------------------------------------

const CALL_DISPOSITIONS = ['answered', 'answered', 'answered', 'no-answer', 'vm-left', 'busy'] as const;
const MEETING_TITLES = ['Discovery call', 'Demo', 'Pricing review', 'Kickoff'];
const EMAIL_SUBJECTS = ['Following up', 'Quick question', 'Re: Pricing', 'Intro', 'Proposal attached'];
/** Text that spreadsheets love to reinterpret: it must reach the sheet exactly as written. */
export const TRICKY_ACTIVITY_TEXTS = ['=1+1', '+16503334444', '00123', 'TRUE', '2024-01-02'];

interface GenEnv {
  rng: Rng;
  org: FakeOrg;
  userIds: string[];
  userName(id: string | null): string | null;
  end: number;
}

function base(env: GenEnv, lead: Lead, type: string, at: number, userId: string | null): Activity {
  const created = formatCloseDate(at);
  const contact = lead.contacts.length > 0 ? pick(env.rng, lead.contacts) : null;
  return {
    _type: type,
    activity_at: created,
    contact_id: contact ? contact.id : null,
    created_by: userId,
    date_created: created,
    date_updated: created,
    id: closeId('acti', env.rng),
    lead_id: lead.id,
    organization_id: env.org.organization.id,
    updated_by: userId,
    user_id: userId,
    users: [],
  };
}

/** `user_name` is in the Email, Meeting, SMS, Note and status-change samples but not in the Call list sample. */
function withUserName(env: GenEnv, a: Activity): Activity {
  a.user_name = env.userName(a.user_id);
  return a;
}

function genCall(env: GenEnv, lead: Lead, at: number, user: string, k: number): Activity {
  const rng = env.rng;
  const disposition = pick(rng, CALL_DISPOSITIONS);
  const a = base(env, lead, 'Call', at, user);
  const phone = `+1415555${String(1000 + (k % 9000))}`;
  const note =
    k % 7 === 3
      ? TRICKY_ACTIVITY_TEXTS[k % TRICKY_ACTIVITY_TEXTS.length]
      : rng() < 0.5
        ? ''
        : pick(rng, NOTE_SNIPPETS);
  // Keys of the "List or filter all Call activities" sample (close-activities-calls-api-openapi.yml).
  Object.assign(a, {
    call_method: 'regular',
    cost: '2',
    dialer_id: null,
    direction: rng() < 0.7 ? 'outbound' : 'inbound',
    disposition,
    duration: disposition === 'answered' ? randInt(rng, 15, 1800) : 0,
    local_phone: '+16505556666',
    note,
    note_html: `<body><p>${note}</p></body>`,
    outcome_id: null,
    phone,
    recording_url: null,
    remote_phone: phone,
    source: 'Close.io',
    status: 'completed',
    voicemail_duration: disposition === 'vm-left' ? randInt(rng, 5, 60) : null,
    voicemail_url: null,
  });
  return a;
}

function genEmail(env: GenEnv, lead: Lead, at: number, user: string, k: number): Activity {
  const rng = env.rng;
  const incoming = rng() < 0.4;
  const subject = k % 11 === 5 ? '=HYPERLINK("http://x.example")' : pick(rng, EMAIL_SUBJECTS);
  const a = withUserName(env, base(env, lead, 'Email', at, user));
  // "direction: outgoing" with "status: sent", "direction: incoming" with "status: inbox" (the Email list sample).
  Object.assign(a, {
    attachments: [],
    bcc: [],
    body_text: `${subject}\n\n${pick(rng, NOTE_SNIPPETS)}`,
    cc: [],
    date_sent: a.date_created,
    direction: incoming ? 'incoming' : 'outgoing',
    has_reply: false,
    sender: incoming ? 'buyer@example.com' : 'rep@example.com',
    status: incoming ? 'inbox' : 'sent',
    subject,
    template_id: null,
    thread_id: a.id,
    to: [incoming ? 'rep@example.com' : 'buyer@example.com'],
  });
  return a;
}

function genMeeting(env: GenEnv, lead: Lead, at: number, user: string): Activity {
  const rng = env.rng;
  const a = withUserName(env, base(env, lead, 'Meeting', at, user));
  const duration = pick(rng, [1800, 2700, 3600]);
  // The Meeting sample: `title`, `duration` in seconds, `starts_at`/`ends_at`, `status` (upcoming, in-progress…).
  Object.assign(a, {
    attendees: [],
    duration,
    ends_at: formatCloseDate(at + duration * 1000, { omitZeroFraction: true }),
    location: null,
    note: '',
    source: 'calendar',
    starts_at: a.date_created,
    status: at < env.end ? 'completed' : 'upcoming',
    title: pick(rng, MEETING_TITLES),
    user_note: null,
  });
  return a;
}

function genSms(env: GenEnv, lead: Lead, at: number, user: string, k: number): Activity {
  const rng = env.rng;
  const inbound = rng() < 0.4;
  const a = withUserName(env, base(env, lead, 'SMS', at, user));
  // The SMS sample: `direction` inbound/outbound, `status` inbox/sent, `text`.
  Object.assign(a, {
    attachments: [],
    direction: inbound ? 'inbound' : 'outbound',
    local_phone: '+16503334444',
    remote_phone: `+1818300${String(4000 + (k % 5000))}`,
    source: 'Close.io',
    status: inbound ? 'inbox' : 'sent',
    template_id: null,
    text: k % 5 === 2 ? '+16503334444' : 'Thanks, talk soon!',
  });
  return a;
}

function genNote(env: GenEnv, lead: Lead, at: number, user: string, k: number): Activity {
  const a = withUserName(env, base(env, lead, 'Note', at, user));
  const note =
    k % 3 === 0
      ? TRICKY_ACTIVITY_TEXTS[(k / 3) % TRICKY_ACTIVITY_TEXTS.length]
      : pick(env.rng, NOTE_SNIPPETS);
  // The Note sample: `note` (plain text), `note_html`, `title`, `pinned`.
  Object.assign(a, {
    attachments: [],
    note,
    note_html: `<body><p>${note}</p></body>`,
    pinned: false,
    title: null,
  });
  a.contact_id = null;
  return a;
}

/**
 * Status changes that end at the lead's current status: the lead was created in the org's first status and
 * moved through up to two others (the LeadStatusChange sample: old/new status id and label).
 */
function genLeadStatusChanges(env: GenEnv, lead: Lead, created: number): Activity[] {
  const statuses = env.org.leadStatuses;
  const current = statuses.findIndex((s) => s.id === lead.status_id);
  if (current <= 0) return [];
  const path = [0];
  if (current > 1 && env.rng() < 0.6) path.push(randInt(env.rng, 1, current - 1));
  path.push(current);
  const out: Activity[] = [];
  let at = created;
  for (let i = 1; i < path.length; i++) {
    at += randInt(env.rng, 1, 30) * 86_400_000 + randInt(env.rng, 0, 86_399_999);
    if (at > env.end) break;
    const [from, to] = [statuses[path[i - 1]], statuses[path[i]]];
    const a = withUserName(env, base(env, lead, 'LeadStatusChange', at, pick(env.rng, env.userIds)));
    a.contact_id = null;
    Object.assign(a, {
      new_status_id: to.id,
      new_status_label: to.label,
      old_status_id: from.id,
      old_status_label: from.label,
    });
    out.push(a);
  }
  return out;
}

/** One OpportunityStatusChange (the keys of the "List or filter all OpportunityStatusChange activities" sample). */
function oppStatusChange(
  env: GenEnv,
  lead: Lead,
  opp: Lead['opportunities'][number],
  at: number,
  from: { id: string; label: string; type: string },
  to: { id: string; label: string; type: string },
): Activity {
  const a = withUserName(env, base(env, lead, 'OpportunityStatusChange', at, opp.user_id));
  a.contact_id = null;
  Object.assign(a, {
    new_pipeline_id: opp.pipeline_id,
    new_pipeline_name: opp.pipeline_name,
    new_status_id: to.id,
    new_status_label: to.label,
    new_status_type: to.type,
    old_pipeline_id: opp.pipeline_id,
    old_pipeline_name: opp.pipeline_name,
    old_status_id: from.id,
    old_status_label: from.label,
    old_status_type: from.type,
    opportunity_confidence: opp.confidence,
    opportunity_date_won: opp.date_won,
    opportunity_id: opp.id,
    opportunity_value: opp.value,
    opportunity_value_currency: opp.value_currency,
    opportunity_value_formatted: opp.value_formatted,
    opportunity_value_period: opp.value_period,
  });
  return a;
}

/**
 * An opportunity's moves from its pipeline's first active status: a won or lost one moved to its final
 * status (on its close date), and some went through the pipeline's second active status first (e.g. Sales:
 * Active → Proposal Sent → Won); an active one in a later active status moved there. Those extra moves use
 * their own random stream (seeded by the opportunity's id), so the rest of the generated org is unchanged.
 */
function genOppStatusChanges(env: GenEnv, lead: Lead, created: number): Activity[] {
  const out: Activity[] = [];
  for (const opp of lead.opportunities) {
    const statuses = env.org.opportunityStatuses.filter((s) => s.pipeline_id === opp.pipeline_id);
    const actives = statuses.filter((s) => s.type === 'active');
    const first = actives[0];
    const current = statuses.find((s) => s.id === opp.status_id);
    if (!first || !current || current.id === first.id) continue;
    const own: GenEnv = { ...env, rng: createRng(seedOf(opp.id)) };
    const closed = opp.date_won ?? opp.date_lost;
    const at =
      opp.status_type === 'active'
        ? created + randInt(own.rng, 1, 20) * 86_400_000
        : closed
          ? Math.max(created + 3_600_000, dateMs(`${closed}`) + 15 * 3_600_000)
          : created + 86_400_000;
    if (at > env.end) continue;
    const second = actives[1];
    const via =
      second && current.type !== 'active' && own.rng() < 0.5 && at - created > 2 * 86_400_000 ? second : null;
    const step = (s: typeof first) => ({ id: s.id, label: s.label, type: s.type });
    if (via) {
      const middle = created + Math.floor((at - created) * (0.2 + 0.6 * own.rng()));
      out.push(oppStatusChange(own, lead, opp, middle, step(first), step(via)));
      out.push(oppStatusChange(env, lead, opp, at, step(via), step(current)));
    } else if (current.type === 'active')
      out.push(oppStatusChange(own, lead, opp, at, step(first), step(current)));
    else out.push(oppStatusChange(env, lead, opp, at, step(first), step(current)));
  }
  return out;
}

function seedOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Gives each lead `perLead` communication activities (calls, emails, meetings, SMS, notes, by turns) between
 * its creation and `endMs`, plus its status changes. Deterministic for a seed. Returned newest first.
 */
export function generateActivities(
  org: FakeOrg,
  opts: { perLead: number; seed?: number; endMs?: number },
): Activity[] {
  const rng = createRng(opts.seed ?? 0xac7);
  const users = activeUsers(org);
  const names = new Map(org.users.map((u) => [u.id, fullName(u)]));
  const env: GenEnv = {
    rng,
    org,
    userIds: users.map((u) => u.id),
    userName: (id) => (id ? (names.get(id) ?? null) : null),
    end: opts.endMs ?? Date.UTC(2025, 4, 20),
  };
  const out: Activity[] = [];
  let k = 0;
  for (const lead of org.leads) {
    const created = dateMs(lead.date_created);
    if (Number.isNaN(created) || created >= env.end) continue;
    for (let i = 0; i < opts.perLead; i++, k++) {
      const at = created + Math.floor(rng() * (env.end - created));
      const user = env.userIds[(k + i) % env.userIds.length];
      switch (k % 5) {
        case 0:
          out.push(genCall(env, lead, at, user, k));
          break;
        case 1:
          out.push(genEmail(env, lead, at, user, k));
          break;
        case 2:
          out.push(genMeeting(env, lead, at, user));
          break;
        case 3:
          out.push(genSms(env, lead, at, user, k));
          break;
        default:
          out.push(genNote(env, lead, at, user, k));
      }
    }
    if (opts.perLead > 0) {
      out.push(...genLeadStatusChanges(env, lead, created));
      out.push(...genOppStatusChanges(env, lead, created));
    }
  }
  return sortActivities(out);
}

/** For tests: the activity as the list endpoints return it (a copy). */
export function activityView(a: Activity): JsonObject {
  return JSON.parse(JSON.stringify(a)) as JsonObject;
}
