// Status history: how leads and opportunities moved between statuses in a period, from Close's own
// status-change activities (GET /activity/status_change/lead/ and /activity/status_change/opportunity/,
// each a LeadStatusChange / OpportunityStatusChange with old and new status id and label, and for an
// opportunity its pipeline and `opportunity_id`). Two results:
// - transitions (from → to, count) per week or month of the period, by the change's `date_created` in the
//   spreadsheet's zone;
// - the median time spent in each status: a stay is measured from the change that moved the lead (or
//   opportunity) into a status to the change that moved it out, counted when it ended in the period. Its
//   start may lie before the period, so the lists are read from STATUS_LOOKBACK_DAYS before `since`; a stay
//   whose entering change is older (or is the object's creation, which no status change records) is not
//   measured.
// The lists are paged like the activities sheet's (core/activities/pager.ts: `_skip` waves, date windows
// past the cap), in one execution: a period too big for it is refused with what to do.
import { acceptWave, type CloseActivity, newTypePager, type PagedList, waveCalls } from '../activities/pager';
import { weekOf } from '../activities/rollup';
import type { CloseClient } from '../close/client';
import { SchemaNotInTime } from '../close/org';
import type { CellValue } from '../ports';
import {
  dateCellToYmd,
  formatCloseDateTime,
  parseCloseDateTime,
  serialToYmd,
  ymdToSerial,
} from '../schema/dates';
import { COUNT, type ReportTable, TEXT } from './pipeline';

export type HistoryBy = 'week' | 'month';
export const HISTORY_BY: readonly HistoryBy[] = ['week', 'month'];
/** How far before `since` status changes are read, to find when a stay that ended in the period began. */
export const STATUS_LOOKBACK_DAYS = 180;
export const DAY_MS = 86_400_000;
const DAYS = '0.0';

/** `by` as given: null when status history was not asked for. */
export function checkBy(by: unknown): HistoryBy | null {
  if (by === undefined || by === null || by === '') return null;
  if (!HISTORY_BY.includes(by as HistoryBy))
    throw new Error(`by must be "week" or "month" (got "${String(by)}").`);
  return by as HistoryBy;
}

/** The period (week: its Monday; month: YYYY-MM) a day falls in. */
export function periodOf(ymd: string, by: HistoryBy): string {
  return by === 'week' ? weekOf(ymd) : ymd.slice(0, 7);
}

/** First day of the period a day falls in (YYYY-MM-DD). */
export function periodStart(ymd: string, by: HistoryBy): string {
  return by === 'week' ? weekOf(ymd) : `${ymd.slice(0, 7)}-01`;
}

/** Last day of the period starting on `start`. */
function periodEnd(start: string, by: HistoryBy): string {
  if (by === 'week') return serialToYmd((ymdToSerial(start) as number) + 6);
  const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return serialToYmd((ymdToSerial(next) as number) - 1);
}

/** Every period from the one holding `since` to the one holding `until`, with its first and last day. */
export function periodsBetween(
  since: string,
  until: string,
  by: HistoryBy,
): Array<{ period: string; first: string; last: string }> {
  const out: Array<{ period: string; first: string; last: string }> = [];
  let first = periodStart(since, by);
  while (first <= until) {
    const last = periodEnd(first, by);
    out.push({ period: periodOf(first, by), first, last });
    first = serialToYmd((ymdToSerial(last) as number) + 1);
  }
  return out;
}

export interface StatusChange {
  object: 'Lead' | 'Opportunity';
  /** The lead's or the opportunity's id. */
  objectId: string;
  /** The opportunity's pipeline ('' for a lead). */
  pipeline: string;
  from: string;
  to: string;
  at: number;
  id: string;
}

/**
 * A change as Close lists it. Only the ids are required in Close's schema (LeadStatusChangeActivity:
 * `old_status_id`, `new_status_id`; the labels are in every sample but optional), so a missing label falls
 * back to the status's name from `labels`, then to its id.
 */
export function toStatusChange(
  list: 'lead_status' | 'opportunity_status',
  a: CloseActivity,
  labels: Map<string, string>,
): StatusChange | null {
  const at = parseCloseDateTime(String(a.date_created ?? ''));
  if (at === null) return null;
  const label = (l: unknown, id: unknown) =>
    typeof l === 'string' && l !== '' ? l : (labels.get(String(id ?? '')) ?? String(id ?? ''));
  const lead = list === 'lead_status';
  return {
    object: lead ? 'Lead' : 'Opportunity',
    objectId: String((lead ? a.lead_id : a.opportunity_id) ?? ''),
    pipeline: lead ? '' : String(a.new_pipeline_name ?? a.old_pipeline_name ?? ''),
    from: label(a.old_status_label, a.old_status_id),
    to: label(a.new_status_label, a.new_status_id),
    at,
    id: a.id,
  };
}

/**
 * Every lead and opportunity status change created in [fromMs, toMs), both lists paged together. Throws
 * when they cannot all be read before `stopAt` (a report is built in one execution).
 */
export function fetchStatusChanges(
  client: CloseClient,
  fromMs: number,
  toMs: number,
  stopAt: number,
  labels: Map<string, string> = new Map(),
): StatusChange[] {
  const lists: Array<'lead_status' | 'opportunity_status'> = ['lead_status', 'opportunity_status'];
  const pagers = lists.map((t: PagedList) =>
    newTypePager(t, formatCloseDateTime(fromMs), formatCloseDateTime(toMs)),
  );
  const out: StatusChange[] = [];
  while (pagers.some((p) => !p.done)) {
    const live = pagers.filter((p) => !p.done);
    const calls = live.map((p) => waveCalls(p));
    const replies = client.callAll(calls.flat(), stopAt);
    let at = 0;
    let read = 0;
    live.forEach((p, i) => {
      const mine = replies.slice(at, at + calls[i].length);
      at += calls[i].length;
      const before = p.pages;
      for (const a of acceptWave(p, mine)) {
        const change = toStatusChange(p.type as 'lead_status' | 'opportunity_status', a, labels);
        if (change) out.push(change);
      }
      read += p.pages - before;
    });
    // A list not begun: Close made its first page wait past the run's time (not a period too long).
    if (read === 0 && live.some((p) => p.pages === 0)) throw new SchemaNotInTime('the status changes');
    if (read === 0)
      throw new Error(
        'Close has more status changes in this period than one report build can read: choose a shorter period (since / until).',
      );
  }
  return out;
}

export interface Transition {
  period: string;
  object: 'Lead' | 'Opportunity';
  pipeline: string;
  from: string;
  to: string;
  count: number;
}

export interface StatusStay {
  object: 'Lead' | 'Opportunity';
  pipeline: string;
  status: string;
  stays: number;
  /** Median length of the stays, in days (to the hundredth). */
  medianDays: number;
}

export interface StatusHistory {
  by: HistoryBy;
  since: string;
  until: string;
  periods: Array<{ period: string; first: string; last: string }>;
  transitions: Transition[];
  stays: StatusStay[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Transitions per period and median stays, for changes in [sinceMs, untilMs). `order` gives each
 * object's statuses in Close's order (lead statuses; an opportunity's by pipeline), for the stay table.
 */
export function statusHistory(
  changes: StatusChange[],
  period: { since: string; until: string; sinceMs: number; untilMs: number },
  by: HistoryBy,
  timeZone: string,
  order: { lead: string[]; pipelines: Array<{ name: string; statuses: string[] }> } = {
    lead: [],
    pipelines: [],
  },
): StatusHistory {
  const within = (c: StatusChange) => c.at >= period.sinceMs && c.at < period.untilMs;
  const counts = new Map<string, Transition>();
  for (const c of changes) {
    if (!within(c)) continue;
    const p = periodOf(dateCellToYmd(new Date(c.at), timeZone), by);
    const key = JSON.stringify([p, c.object, c.pipeline, c.from, c.to]);
    const t = counts.get(key) ?? {
      period: p,
      object: c.object,
      pipeline: c.pipeline,
      from: c.from,
      to: c.to,
      count: 0,
    };
    t.count++;
    counts.set(key, t);
  }
  const transitions = [...counts.values()].sort(
    (a, b) =>
      byText(a.period, b.period) ||
      byText(a.object, b.object) ||
      byText(a.pipeline, b.pipeline) ||
      b.count - a.count ||
      byText(a.from, b.from) ||
      byText(a.to, b.to),
  );

  // Stays: consecutive changes of one lead or opportunity, the later one in the period.
  const perObject = new Map<string, StatusChange[]>();
  for (const c of changes) {
    const key = `${c.object}\u0000${c.objectId}`;
    perObject.set(key, [...(perObject.get(key) ?? []), c]);
  }
  const lengths = new Map<
    string,
    { object: StatusChange['object']; pipeline: string; status: string; ms: number[] }
  >();
  for (const list of perObject.values()) {
    list.sort((a, b) => a.at - b.at || byText(a.id, b.id));
    for (let i = 1; i < list.length; i++) {
      const [entered, left] = [list[i - 1], list[i]];
      // Only a stay whose entry and exit name the same status (a deleted change would pair two others).
      if (!within(left) || entered.to !== left.from || entered.pipeline !== left.pipeline) continue;
      const key = JSON.stringify([left.object, left.pipeline, left.from]);
      const s = lengths.get(key) ?? {
        object: left.object,
        pipeline: left.pipeline,
        status: left.from,
        ms: [],
      };
      s.ms.push(left.at - entered.at);
      lengths.set(key, s);
    }
  }
  const rank = (s: { object: string; pipeline: string; status: string }) => {
    if (s.object === 'Lead') return [0, 0, indexIn(order.lead, s.status)];
    const p = order.pipelines.findIndex((x) => x.name === s.pipeline);
    return [1, p < 0 ? order.pipelines.length : p, indexIn(order.pipelines[p]?.statuses ?? [], s.status)];
  };
  const stays = [...lengths.values()]
    .sort((a, b) => {
      const [x, y] = [rank(a), rank(b)];
      return (
        x[0] - y[0] ||
        x[1] - y[1] ||
        byText(a.pipeline, b.pipeline) ||
        x[2] - y[2] ||
        byText(a.status, b.status)
      );
    })
    .map((s) => ({
      object: s.object,
      pipeline: s.pipeline,
      status: s.status,
      stays: s.ms.length,
      medianDays: Math.round((median(s.ms) / DAY_MS) * 100) / 100,
    }));
  return {
    by,
    since: period.since,
    until: period.until,
    periods: periodsBetween(period.since, period.until, by),
    transitions,
    stays,
  };
}

function indexIn(list: string[], value: string): number {
  const i = list.indexOf(value);
  return i < 0 ? list.length : i;
}

/** The report's tables: lead transitions, opportunity transitions (per pipeline), median days in status. */
export function statusHistoryTables(h: StatusHistory): ReportTable[] {
  const span = `by ${h.by}, ${h.since} to ${h.until}`;
  const periodName = h.by === 'week' ? 'Week of' : 'Month';
  const lead = h.transitions.filter((t) => t.object === 'Lead');
  const opp = h.transitions.filter((t) => t.object === 'Opportunity');
  const stayLabel = (s: StatusStay) => (s.object === 'Lead' ? s.status : `${s.status} (${s.pipeline})`);
  return [
    {
      title: `Lead status changes ${span}`,
      header: [periodName, 'From', 'To', 'Changes'],
      rows: lead.map((t): CellValue[] => [t.period, t.from, t.to, t.count]),
      formats: [TEXT, TEXT, TEXT, COUNT],
    },
    {
      title: `Opportunity status changes ${span}`,
      header: [periodName, 'Pipeline', 'From', 'To', 'Changes'],
      rows: opp.map((t): CellValue[] => [t.period, t.pipeline, t.from, t.to, t.count]),
      formats: [TEXT, TEXT, TEXT, TEXT, COUNT],
    },
    {
      title: `Median days in status, stays that ended ${h.since} to ${h.until}`,
      header: ['Status', 'Of', 'Stays', 'Median days'],
      rows: h.stays.map((s): CellValue[] => [stayLabel(s), s.object, s.stays, s.medianDays]),
      formats: [TEXT, TEXT, COUNT, DAYS],
      chart: { kind: 'bar', title: 'Median days in status', valueColumn: 3 },
    },
  ];
}
