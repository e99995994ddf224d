// The pipeline report, computed from the pulled sheet alone (pure: rows in, tables out).
//
// What the sheet has per lead: its status (by label), how many opportunities it has and their total
// value (in currency units), and its custom fields. So:
// - "by status" is by the LEAD's status; an opportunity's value counts under its lead's status;
// - "by owner" uses the lead's first single-user custom field in the sheet (e.g. Account Owner): Close
//   leads have no owner field of their own. Without such a field there is no owner table (the summary
//   says so);
// - averages are per opportunity (total value ÷ number of opportunities);
// - choice fields count leads per value; a multi-choice lead counts once under each of its values.
// Rows without a Lead ID (new rows not pushed yet) and leads no longer in Close are left out.
import type { CellValue } from '../ports';
import { LEAD_ID_KEY } from '../schema/columns';
import { KINDS } from '../schema/kinds';
import { splitValues } from '../schema/kinds/choice';
import type { ReportField, ReportSchema } from './schema';

export const STATUS_KEY = 'status_id';
export const COUNT_KEY = 'opportunities.count';
export const VALUE_KEY = 'opportunities.value';
export const NO_VALUE = '(empty)';
export const NO_STATUS = '(no status)';
export const NO_OWNER = '(no owner)';

export interface ReportInput {
  sheetName: string;
  rows: CellValue[][];
  /** Field key → 1-based column of the sheet. */
  columnOf: Map<string, number>;
  schema: ReportSchema;
  /** Lead IDs a pull found gone from Close. */
  gone: Set<string>;
  builtAt: number;
}

export interface ReportTable {
  title: string;
  header: string[];
  rows: CellValue[][];
  /** Number format per column of the data rows. */
  formats: string[];
  chart?: { kind: 'pie' | 'column' | 'bar'; title: string; valueColumn: number };
}

export interface SummaryLine {
  label: string;
  value: CellValue;
  format: string;
}

export interface PipelineReport {
  sheetName: string;
  currency: string;
  leads: number;
  opportunities: number;
  value: number;
  /** Leads per status label, in table order (for the history). */
  byStatus: Array<{ status: string; leads: number }>;
  summary: SummaryLine[];
  tables: ReportTable[];
  notes: string[];
}

const SYMBOLS: Record<string, string> = {
  USD: '$',
  EUR: '€',
  GBP: '£',
  JPY: '¥',
  INR: '₹',
  CAD: 'CA$',
  AUD: 'A$',
};

/** A Sheets number format showing the currency: `"$"#,##0.00`, or `#,##0.00 "CHF"`. */
export function moneyFormat(currency: string): string {
  const symbol = SYMBOLS[currency];
  const decimals = currency === 'JPY' ? '#,##0' : '#,##0.00';
  return symbol ? `"${symbol}"${decimals}` : `${decimals} "${currency.replace(/"/g, '')}"`;
}

export const TEXT = '@';
export const COUNT = '0';
export const SHARE = '0.0%';
export const WHEN = 'yyyy-mm-dd hh:mm';

function num(cell: CellValue | undefined): number {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : 0;
  if (typeof cell !== 'string' || cell.trim() === '') return 0;
  const n = Number(cell.replace(/,/g, ''));
  return Number.isFinite(n) ? n : 0;
}

const cents = (n: number) => Math.round(n * 100) / 100;

function text(cell: CellValue | undefined): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'object') return (cell as Date).toISOString();
  return String(cell).trim();
}

/** A field whose cell may hold several values (a lead then counts under each). */
const isMulti = (f: ReportField) => KINDS[f.kind].multiValue !== null;

interface Bucket {
  leads: number;
  opportunities: number;
  value: number;
}

class Buckets {
  private readonly map = new Map<string, Bucket>();
  constructor(initial: string[] = []) {
    for (const k of initial) this.get(k);
  }
  get(key: string): Bucket {
    let b = this.map.get(key);
    if (!b) {
      b = { leads: 0, opportunities: 0, value: 0 };
      this.map.set(key, b);
    }
    return b;
  }
  add(key: string, opportunities: number, value: number): void {
    const b = this.get(key);
    b.leads++;
    b.opportunities += opportunities;
    b.value += value;
  }
  entries(): Array<[string, Bucket]> {
    return [...this.map.entries()];
  }
}

/** Known values first (Close's order), then others by count, the empty bucket last. */
function ordered(buckets: Buckets, known: string[], empty: string): Array<[string, Bucket]> {
  const knownSet = new Set(known);
  const entries = buckets.entries();
  const first = known.map((k) => entries.find(([key]) => key === k)!).filter(Boolean);
  const rest = entries
    .filter(([k]) => !knownSet.has(k) && k !== empty)
    .sort((a, b) => b[1].leads - a[1].leads || (a[0] < b[0] ? -1 : 1));
  const none = entries.filter(([k]) => k === empty && !knownSet.has(k) && buckets.get(k).leads > 0);
  return [...first, ...rest, ...none];
}

function valueRows(entries: Array<[string, Bucket]>): CellValue[][] {
  return entries.map(([label, b]) => [
    label,
    b.opportunities,
    cents(b.value),
    b.opportunities > 0 ? cents(b.value / b.opportunities) : '',
  ]);
}

export function pipelineReport(input: ReportInput): PipelineReport {
  const { schema, columnOf } = input;
  const money = moneyFormat(schema.currency);
  const cur = schema.currency;
  const col = (key: string) => columnOf.get(key);
  const idCol = col(LEAD_ID_KEY);
  const statusCol = col(STATUS_KEY);
  const countCol = col(COUNT_KEY);
  const valueCol = col(VALUE_KEY);
  const hasOpportunities = countCol !== undefined && valueCol !== undefined;
  const owner = schema.fields.find((f) => KINDS[f.kind].report === 'owner' && columnOf.has(f.key));
  const choiceFields = schema.fields.filter(
    (f) => KINDS[f.kind].report === 'by value' && columnOf.has(f.key),
  );

  const byStatus = new Buckets(schema.statuses);
  const byOwner = new Buckets();
  const byChoice = choiceFields.map((f) => new Buckets(f.choices ?? []));
  let leads = 0;
  let opportunities = 0;
  let value = 0;
  let goneRows = 0;
  let unsaved = 0;
  for (const row of input.rows) {
    const id = idCol ? text(row[idCol - 1]) : '';
    if (!id) {
      if (row.some((c) => text(c) !== '')) unsaved++;
      continue;
    }
    if (input.gone.has(id)) {
      goneRows++;
      continue;
    }
    const opps = hasOpportunities ? num(row[countCol - 1]) : 0;
    const amount = hasOpportunities ? num(row[valueCol - 1]) : 0;
    leads++;
    opportunities += opps;
    value += amount;
    byStatus.add((statusCol && text(row[statusCol - 1])) || NO_STATUS, opps, amount);
    if (owner) byOwner.add(text(row[col(owner.key)! - 1]) || NO_OWNER, opps, amount);
    choiceFields.forEach((f, i) => {
      const cell = text(row[col(f.key)! - 1]);
      const values = isMulti(f) ? splitValues(cell, f.choices) : cell ? [cell] : [];
      if (values.length === 0) byChoice[i].add(NO_VALUE, opps, amount);
      for (const v of values) byChoice[i].add(v, opps, amount);
    });
  }

  const tables: ReportTable[] = [];
  const statusEntries = ordered(byStatus, schema.statuses, NO_STATUS);
  tables.push({
    title: 'Leads by status',
    header: ['Status', 'Leads', 'Share of leads'],
    rows: statusEntries.map(([label, b]) => [label, b.leads, leads > 0 ? b.leads / leads : 0]),
    formats: [TEXT, COUNT, SHARE],
    chart: { kind: 'pie', title: 'Leads by status', valueColumn: 1 },
  });
  const notes: string[] = [];
  if (hasOpportunities) {
    tables.push({
      title: 'Opportunity value by lead status',
      header: ['Status', 'Opportunities', `Total value (${cur})`, `Average value (${cur})`],
      rows: valueRows(statusEntries),
      formats: [TEXT, COUNT, money, money],
      chart: { kind: 'column', title: `Opportunity value by lead status (${cur})`, valueColumn: 2 },
    });
    if (owner) {
      const ownerEntries = byOwner
        .entries()
        .filter(([k]) => k !== NO_OWNER)
        .sort((a, b) => b[1].value - a[1].value || (a[0] < b[0] ? -1 : 1));
      if (byOwner.entries().some(([k]) => k === NO_OWNER))
        ownerEntries.push([NO_OWNER, byOwner.get(NO_OWNER)]);
      tables.push({
        title: `Opportunity value by owner (${owner.name})`,
        header: ['Owner', 'Opportunities', `Total value (${cur})`, `Average value (${cur})`],
        rows: valueRows(ownerEntries),
        formats: [TEXT, COUNT, money, money],
        chart: { kind: 'bar', title: `Opportunity value by owner (${cur})`, valueColumn: 2 },
      });
    } else
      notes.push(
        'No owner table: Close leads have no owner field, and this sheet has no single-user custom field (such as "Account Owner") to use as one.',
      );
  } else notes.push('No opportunity tables: the sheet has no Opportunities / Opportunity value columns.');
  choiceFields.forEach((f: ReportField, i) => {
    const entries = ordered(byChoice[i], f.choices ?? [], NO_VALUE);
    tables.push({
      title: isMulti(f) ? `${f.name} (a lead counts once per value)` : f.name,
      header: [f.name, 'Leads', `Opportunity value (${cur})`],
      rows: entries.map(([label, b]) => [label, b.leads, cents(b.value)]),
      formats: [TEXT, COUNT, money],
      chart: { kind: 'bar', title: `Leads by ${f.name}`, valueColumn: 1 },
    });
  });
  if (goneRows)
    notes.push(`${goneRows} row${goneRows === 1 ? '' : 's'} of leads no longer in Close left out.`);
  if (unsaved)
    notes.push(`${unsaved} row${unsaved === 1 ? '' : 's'} without a Lead ID (not pushed yet) left out.`);
  if (!schema.currencyKnown)
    notes.push("Close did not say the organization's currency: amounts are shown as USD.");

  const summary: SummaryLine[] = [
    { label: 'Sheet', value: input.sheetName, format: TEXT },
    { label: 'Built', value: new Date(input.builtAt), format: WHEN },
    { label: 'Leads', value: leads, format: COUNT },
    { label: 'Opportunities', value: opportunities, format: COUNT },
    { label: `Total opportunity value (${cur})`, value: cents(value), format: money },
    {
      label: `Average per opportunity (${cur})`,
      value: opportunities > 0 ? cents(value / opportunities) : '',
      format: money,
    },
    { label: 'Owner', value: owner ? `${owner.name} (a user field of the lead)` : 'none', format: TEXT },
    ...notes.map((n) => ({ label: 'Note', value: n, format: TEXT })),
  ];
  return {
    sheetName: input.sheetName,
    currency: cur,
    leads,
    opportunities,
    value: cents(value),
    byStatus: statusEntries.map(([status, b]) => ({ status, leads: b.leads })),
    summary,
    tables,
    notes,
  };
}
