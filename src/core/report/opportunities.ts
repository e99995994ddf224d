// The pipeline by OPPORTUNITY: in Close an opportunity has its own status (per pipeline), its own owner
// (`user_id` / `user_name`) and its own value — what Close's Opportunity Funnels and any sales manager mean
// by pipeline. The lead sheet only holds each lead's opportunity count and total, so these tables come from
// Close's opportunity listing (GET /opportunity/, `_limit` up to 250, `_skip` paging with `has_more`) and
// the pipelines (GET /pipeline/, each pipeline's statuses in Close's order), read in parallel waves.
import { type CloseCall, type CloseClient, NOT_SENT } from '../close/client';
import { CloseApiError } from '../close/errors';
import { SchemaNotInTime } from '../close/org';
import type { CellValue } from '../ports';
import { COUNT, type ReportTable, TEXT } from './pipeline';

export const OPPORTUNITY_PAGE = 250;
/** Close does not publish the opportunity list's `_skip` cap; past it the report says it read only part. */
const MAX_SKIP = 10_000;
const MAX_WAVE = 20;

export interface ReportOpportunity {
  pipelineId: string;
  pipeline: string;
  status: string;
  statusType: string;
  /** Currency units (Close sends integer cents). */
  value: number;
  confidence: number;
  owner: string;
  dateWon: string | null;
  dateLost: string | null;
}

export interface OpportunityData {
  pipelines: Array<{ id: string; name: string; statuses: string[] }>;
  opportunities: ReportOpportunity[];
  /** True when the listing stopped at the `_skip` cap (the tables then say so). */
  partial: boolean;
}

const FIELDS =
  'id,pipeline_id,pipeline_name,status_label,status_type,value,confidence,user_id,user_name,date_won,date_lost';

const pageCall = (skip: number): CloseCall => ({
  method: 'get',
  path: '/opportunity/',
  query: { _limit: OPPORTUNITY_PAGE, _skip: skip, _fields: FIELDS },
});

type RawOpp = Record<string, unknown>;

function toOpportunity(o: RawOpp): ReportOpportunity {
  const day = (v: unknown) => (typeof v === 'string' && v.length >= 10 ? v.slice(0, 10) : null);
  return {
    pipelineId: String(o.pipeline_id ?? ''),
    pipeline: String(o.pipeline_name ?? ''),
    status: String(o.status_label ?? ''),
    statusType: String(o.status_type ?? ''),
    value: typeof o.value === 'number' ? o.value / 100 : 0,
    confidence: typeof o.confidence === 'number' ? o.confidence : 0,
    owner: typeof o.user_name === 'string' && o.user_name ? o.user_name : '(no owner)',
    dateWon: day(o.date_won),
    dateLost: day(o.date_lost),
  };
}

/**
 * Every opportunity of the organization and its pipelines: the first page rides with the pipelines.
 * `stopAt`: the run's time; a page Close makes wait past it is not waited for (SchemaNotInTime).
 */
export function fetchOpportunityData(
  client: CloseClient,
  stopAt = Number.POSITIVE_INFINITY,
): OpportunityData {
  const fail = (r: { status: number; message: string }, what: string) =>
    r.status === NOT_SENT
      ? new SchemaNotInTime('the opportunities')
      : new CloseApiError(r.status, `Could not load ${what} from Close: ${r.message}`);
  const [pipes, first] = client.callAll([{ method: 'get', path: '/pipeline/' }, pageCall(0)], stopAt);
  if (!pipes.ok) throw fail(pipes, 'the pipelines');
  if (!first.ok) throw fail(first, 'the opportunities');
  const pipelines = ((pipes.data as { data?: RawOpp[] }).data ?? []).map((p) => ({
    id: String(p.id),
    name: String(p.name ?? ''),
    statuses: ((p.statuses as RawOpp[]) ?? []).map((s) => String(s.label ?? '')),
  }));
  const opportunities: ReportOpportunity[] = [];
  let page = first.data as { data?: RawOpp[]; has_more?: boolean };
  for (const o of page.data ?? []) opportunities.push(toOpportunity(o));
  let skip = OPPORTUNITY_PAGE;
  let more = page.has_more === true;
  let wave = 2;
  let partial = false;
  while (more) {
    const calls: CloseCall[] = [];
    for (let k = 0; k < wave && skip + k * OPPORTUNITY_PAGE <= MAX_SKIP; k++)
      calls.push(pageCall(skip + k * OPPORTUNITY_PAGE));
    if (calls.length === 0) {
      partial = true;
      break;
    }
    const replies = client.callAll(calls, stopAt);
    for (const r of replies) {
      if (!r.ok) {
        if (r.status === 400 && /skip/i.test(r.message)) {
          partial = true;
          more = false;
          break;
        }
        throw fail(r, 'the opportunities');
      }
      page = r.data as { data?: RawOpp[]; has_more?: boolean };
      for (const o of page.data ?? []) opportunities.push(toOpportunity(o));
      skip += OPPORTUNITY_PAGE;
      if (page.has_more !== true) {
        more = false;
        break;
      }
    }
    wave = Math.min(MAX_WAVE, wave * 2);
  }
  return { pipelines, opportunities, partial };
}

interface Sums {
  count: number;
  total: number;
  expected: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;

function add(map: Map<string, Sums>, key: string, o: ReportOpportunity): void {
  const s = map.get(key) ?? { count: 0, total: 0, expected: 0 };
  s.count++;
  s.total += o.value;
  s.expected += (o.value * o.confidence) / 100;
  map.set(key, s);
}

function valueRow(label: string, s: Sums | undefined): CellValue[] {
  if (!s || s.count === 0) return [label, 0, 0, '', 0];
  return [label, s.count, cents(s.total), cents(s.total / s.count), cents(s.expected)];
}

const HEADER = ['Opportunities', 'Total value', 'Average value', 'Expected value'];

/**
 * Tables: per pipeline, opportunities by status (Close's order); by owner; won and lost in the period
 * (`date_won` / `date_lost` between the period's days, inclusive).
 */
export function opportunityTables(
  data: OpportunityData,
  money: string,
  currency: string,
  period: { since: string; until: string },
): ReportTable[] {
  const formats = [TEXT, COUNT, money, money, money];
  const tables: ReportTable[] = [];
  const note = data.partial ? ' (first 10,000 only)' : '';
  for (const pipeline of data.pipelines) {
    const mine = data.opportunities.filter((o) => o.pipelineId === pipeline.id);
    const byStatus = new Map<string, Sums>();
    for (const o of mine) add(byStatus, o.status, o);
    const labels = [
      ...pipeline.statuses,
      ...[...byStatus.keys()].filter((s) => !pipeline.statuses.includes(s)),
    ];
    tables.push({
      title: `Opportunities by status · ${pipeline.name}${note}`,
      header: ['Status', ...HEADER],
      rows: labels.map((l) => valueRow(l, byStatus.get(l))),
      formats,
      chart: {
        kind: 'column',
        title: `${pipeline.name}: value by opportunity status (${currency})`,
        valueColumn: 2,
      },
    });
  }
  const byOwner = new Map<string, Sums>();
  for (const o of data.opportunities) add(byOwner, o.owner, o);
  tables.push({
    title: `Opportunities by owner${note}`,
    header: ['Owner', ...HEADER],
    rows: [...byOwner.keys()].sort((a, b) => a.localeCompare(b)).map((k) => valueRow(k, byOwner.get(k))),
    formats,
    chart: { kind: 'bar', title: `Opportunity value by owner (${currency})`, valueColumn: 2 },
  });
  const within = (d: string | null) => d !== null && d >= period.since && d <= period.until;
  tables.push({
    title: `Won and lost, ${period.since} to ${period.until}${note}`,
    header: ['Pipeline', 'Won', 'Won value', 'Lost', 'Lost value'],
    rows: data.pipelines.map((p) => {
      const mine = data.opportunities.filter((o) => o.pipelineId === p.id);
      const won = mine.filter((o) => o.statusType === 'won' && within(o.dateWon));
      const lost = mine.filter((o) => o.statusType === 'lost' && within(o.dateLost));
      const sum = (list: ReportOpportunity[]) => cents(list.reduce((t, o) => t + o.value, 0));
      return [p.name, won.length, sum(won), lost.length, sum(lost)];
    }),
    formats: [TEXT, COUNT, money, COUNT, money],
    chart: { kind: 'column', title: `Won value by pipeline (${currency})`, valueColumn: 2 },
  });
  return tables;
}
