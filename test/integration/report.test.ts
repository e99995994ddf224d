// The pipeline report: built from the pulled sheet alone, checked cell by cell against it, with native
// charts; rebuilt in place (no duplicates), refreshed by the scheduled pull, and a history row per build.
import { SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { chartSummaries } from '../../dev/gas-fakes';
import { connectedWorld, type World } from './harness';
import { SHEET, edit, sent, view } from './sheet';

const REPORT = 'Close Report';
const HISTORY = 'Close Report History';
const MONEY = '"$"#,##0.00';
const cents = (n: number) => Math.round(n * 100) / 100;

function pulled(): World {
  const w = connectedWorld();
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  return w;
}

interface Bucket {
  leads: number;
  opportunities: number;
  value: number;
}

/** The numbers the report should show, worked out here from the lead sheet as a rep would. */
function expectedFrom(w: World) {
  const v = view(w);
  const rows = v.rows.slice(1).filter((r) => r[v.col('Lead ID') - 1] !== '');
  const at = (r: unknown[], header: string) => r[v.col(header) - 1];
  const group = (keyOf: (r: unknown[]) => string[]) => {
    const map = new Map<string, Bucket>();
    for (const r of rows)
      for (const k of keyOf(r)) {
        const b = map.get(k) ?? { leads: 0, opportunities: 0, value: 0 };
        b.leads++;
        b.opportunities += Number(at(r, 'Opportunities'));
        b.value += Number(at(r, 'Opportunity value'));
        map.set(k, b);
      }
    return map;
  };
  const statuses = w.close.org.leadStatuses.map((s) => s.label);
  const byStatus = group((r) => [String(at(r, 'Status'))]);
  const byOwner = group((r) => [String(at(r, 'Account Owner')) || '(no owner)']);
  const split = (cell: unknown) =>
    String(cell) === ''
      ? ['(empty)']
      : String(cell)
          .split('; ')
          .map((x) => x.trim());
  const byInterest = group((r) => split(at(r, 'Product Interest')));
  const byIndustry = group((r) => [String(at(r, 'Industry')) || '(empty)']);
  const totals = rows.reduce(
    (t, r) => ({
      opportunities: t.opportunities + Number(at(r, 'Opportunities')),
      value: t.value + Number(at(r, 'Opportunity value')),
    }),
    { opportunities: 0, value: 0 },
  );
  return { rows, statuses, byStatus, byOwner, byInterest, byIndustry, totals };
}

const zero: Bucket = { leads: 0, opportunities: 0, value: 0 };
const avg = (b: Bucket) => (b.opportunities > 0 ? cents(b.value / b.opportunities) : '');
const valueRow = (label: string, b: Bucket) => [label, b.opportunities, cents(b.value), avg(b)];

/** The table under a title in column A: its header and data rows, down to the first empty row. */
function tableUnder(dump: unknown[][], title: string): { row: number; rows: unknown[][] } {
  const start = dump.findIndex((r) => r[0] === title);
  if (start < 0) throw new Error(`no table "${title}"`);
  const rows: unknown[][] = [];
  for (let i = start + 1; i < dump.length && dump[i].some((c) => c !== ''); i++) rows.push(dump[i]);
  // As wide as its header (tables of different widths share the sheet's columns).
  const width = rows[0] ? rows[0].reduce<number>((w, c, i) => (c !== '' ? i + 1 : w), 0) : 0;
  return { row: start + 1, rows: rows.map((r) => r.slice(0, width)) };
}

const trim = (rows: unknown[][], width: number) => rows.map((r) => r.slice(0, width));

describe('build the report from the pulled sheet', () => {
  const w = pulled();
  const summary = w.app.buildReport({});
  const dump = w.runtime.spreadsheet.dump(REPORT);
  const e = expectedFrom(w);
  const industryChoices = w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.industry)!.choices!;

  test('the summary: leads, opportunities, total and average value in the org currency, and what owner means', () => {
    expect(summary).toEqual({
      sheetName: SHEET,
      reportSheet: REPORT,
      historySheet: HISTORY,
      leads: 300,
      opportunities: e.totals.opportunities,
      value: cents(e.totals.value),
      currency: 'USD',
      // Five lead tables; per pipeline (Sales, Renewals) opportunities by status, by owner, won and lost.
      tables: 9,
      charts: 9,
      // The cached schema's four, then the pipelines with the first page of opportunities, then two pages.
      closeCalls: 8,
      message: `Report "${REPORT}" built from "${SHEET}": 300 leads, 9 tables, 9 charts.`,
    });
    const shown = w.runtime.spreadsheet.dumpDisplay(REPORT);
    expect(trim(shown.slice(0, 8), 2)).toEqual([
      [`Pipeline report · ${SHEET}`, ''],
      ['Sheet', SHEET],
      ['Built', '2026-11-28 04:00'],
      ['Leads', '300'],
      ['Opportunities', String(e.totals.opportunities)],
      [
        'Total opportunity value (USD)',
        `$${cents(e.totals.value).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      ],
      [
        'Average per opportunity (USD)',
        `$${cents(e.totals.value / e.totals.opportunities).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
      ],
      ['Owner', 'Account Owner (a user field of the lead)'],
    ]);
  });

  test('leads by status, in Close’s status order, with each status’s share', () => {
    const t = tableUnder(dump, 'Leads by status');
    expect(trim(t.rows, 3)).toEqual([
      ['Status', 'Leads', 'Share of leads'],
      ...e.statuses.map((s) => {
        const b = e.byStatus.get(s) ?? zero;
        return [s, b.leads, b.leads / 300];
      }),
    ]);
    expect(w.runtime.spreadsheet.cellInfo(REPORT, [t.row + 2, 3]).numberFormat).toBe('0.0%');
  });

  test('opportunity value by lead status: count, total and average per opportunity, in dollars', () => {
    const t = tableUnder(dump, 'Opportunity value by lead status');
    expect(t.rows).toEqual([
      ['Status', 'Opportunities', 'Total value (USD)', 'Average value (USD)'],
      ...e.statuses.map((s) => valueRow(s, e.byStatus.get(s) ?? zero)),
    ]);
    for (const column of [3, 4])
      expect(w.runtime.spreadsheet.cellInfo(REPORT, [t.row + 2, column]).numberFormat).toBe(MONEY);
    expect(w.runtime.spreadsheet.cellInfo(REPORT, [t.row + 2, 1]).numberFormat).toBe('@');
  });

  test('opportunity value by owner (the Account Owner user field), largest first, no owner last', () => {
    const t = tableUnder(dump, 'Opportunity value by owner (Account Owner)');
    const owners = [...e.byOwner.entries()]
      .filter(([k]) => k !== '(no owner)')
      .sort((a, b) => b[1].value - a[1].value || (a[0] < b[0] ? -1 : 1));
    expect(t.rows).toEqual([
      ['Owner', 'Opportunities', 'Total value (USD)', 'Average value (USD)'],
      ...owners.map(([k, b]) => valueRow(k, b)),
      valueRow('(no owner)', e.byOwner.get('(no owner)')!),
    ]);
  });

  test('choice fields: leads and value per choice, in Close’s order; a multi-choice lead counts under each value', () => {
    const interest = tableUnder(dump, 'Product Interest (a lead counts once per value)');
    expect(trim(interest.rows, 3)).toEqual([
      ['Product Interest', 'Leads', 'Opportunity value (USD)'],
      ...['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4', 'Choice 5', '(empty)'].map((c) => {
        const b = e.byInterest.get(c) ?? zero;
        return [c, b.leads, cents(b.value)];
      }),
    ]);
    const industry = tableUnder(dump, 'Industry');
    expect(trim(industry.rows, 3)).toEqual([
      ['Industry', 'Leads', 'Opportunity value (USD)'],
      ...[...industryChoices, '(empty)'].map((c) => {
        const b = e.byIndustry.get(c) ?? zero;
        return [c, b.leads, cents(b.value)];
      }),
    ]);
    // Choices that contain ";" or "," are kept whole.
    expect(industry.rows.map((r) => r[0]).filter((label) => /[;,]/.test(String(label)))).toEqual([
      'Retail, Wholesale',
      'Health; Wellness',
    ]);
  });

  test('a native chart beside each table, on its labels and values', () => {
    const at = (title: string) => tableUnder(dump, title).row;
    const range = (row: number, rows: number, column: string) => `${column}${row + 1}:${column}${row + rows}`;
    const statusRows = e.statuses.length + 1;
    const owners = tableUnder(dump, 'Opportunity value by owner (Account Owner)').rows.length;
    const industries = industryChoices.length + 2;
    const chart = (type: string, title: string, row: number, rows: number, valueColumn: string) => ({
      type,
      title,
      ranges: [range(row, rows, 'A'), range(row, rows, valueColumn)],
      anchor: { row, column: 6 },
      numHeaders: 1,
    });
    expect(
      chartSummaries(w.runtime.spreadsheet, REPORT)
        .slice(0, 5)
        .map(({ id: _, options: __, ...c }) => c),
    ).toEqual([
      chart('PIE', 'Leads by status', at('Leads by status'), statusRows, 'B'),
      chart(
        'COLUMN',
        'Opportunity value by lead status (USD)',
        at('Opportunity value by lead status'),
        statusRows,
        'C',
      ),
      chart(
        'BAR',
        'Opportunity value by owner (USD)',
        at('Opportunity value by owner (Account Owner)'),
        owners,
        'C',
      ),
      chart(
        'BAR',
        'Leads by Product Interest',
        at('Product Interest (a lead counts once per value)'),
        7,
        'B',
      ),
      chart('BAR', 'Leads by Industry', at('Industry'), industries, 'B'),
    ]);
    // Charts never overlap: each table starts at least 20 rows after the one before.
    const anchors = chartSummaries(w.runtime.spreadsheet, REPORT).map((c) => c.anchor.row);
    for (let i = 1; i < anchors.length; i++) expect(anchors[i] - anchors[i - 1]).toBeGreaterThanOrEqual(20);
    expect(w.runtime.spreadsheet.requireSheet(REPORT).hidden).toBe(false);
  });

  test('a history row per build, for trends', () => {
    expect(w.runtime.spreadsheet.dumpDisplay(HISTORY)).toEqual([
      [
        'Date',
        'Sheet',
        'Leads',
        'Opportunities',
        'Total value',
        'Currency',
        ...e.statuses.map((s) => `Leads · ${s}`),
      ],
      [
        '2026-11-28 04:00',
        SHEET,
        '300',
        String(e.totals.opportunities),
        `$${cents(e.totals.value).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
        'USD',
        ...e.statuses.map((s) => String(e.byStatus.get(s)?.leads ?? 0)),
      ],
    ]);
  });

  test('rebuilding replaces the tables and charts (no duplicates); after a push, only the opportunity listing is read again', () => {
    edit(w, WAYNE_LEAD_ID, 'Status', 'Customer');
    w.app.pushChanges({});
    w.runtime.requests.length = 0;
    const again = w.app.buildReport({});
    expect(again).toMatchObject({ tables: 9, charts: 9, closeCalls: 4 });
    expect(sent(w).map((r) => r.path.split('?')[0])).toEqual([
      '/pipeline/',
      '/opportunity/',
      '/opportunity/',
      '/opportunity/',
    ]);
    expect(chartSummaries(w.runtime.spreadsheet, REPORT)).toHaveLength(9);
    const after = expectedFrom(w);
    const t = tableUnder(w.runtime.spreadsheet.dump(REPORT), 'Leads by status');
    expect(t.rows.find((r) => r[0] === 'Customer')![1]).toBe(after.byStatus.get('Customer')!.leads);
    expect(after.byStatus.get('Customer')!.leads).toBe((e.byStatus.get('Customer')?.leads ?? 0) + 1);
    expect(w.runtime.spreadsheet.dump(HISTORY)).toHaveLength(3);
  });
});

test('the scheduled refresh rebuilds the report when there is one', () => {
  const w = pulled();
  w.app.buildReport({});
  const before = tableUnder(w.runtime.spreadsheet.dump(REPORT), 'Leads by status');
  const customers = before.rows.find((r) => r[0] === 'Customer')![1] as number;
  const potential = w.close.org.leads.find((l) => l.status_label === 'Potential')!;
  w.close.touchLead(potential.id, {
    status_id: w.close.org.leadStatuses.find((s) => s.label === 'Customer')!.id,
  });
  w.app.setSchedule({ every: 'hour', hours: 1 });
  w.clock.advance(3_600_000);
  w.runtime.fireTrigger(w.app, w.runtime.triggers[0]);
  const after = tableUnder(w.runtime.spreadsheet.dump(REPORT), 'Leads by status');
  expect(after.rows.find((r) => r[0] === 'Customer')![1]).toBe(customers + 1);
  expect(chartSummaries(w.runtime.spreadsheet, REPORT)).toHaveLength(9);
  expect(w.runtime.spreadsheet.dumpDisplay('Close Sync Log')[1][6]).toBe(
    'Refreshed 1 changed lead (0 new). Report refreshed.',
  );
  expect(w.runtime.spreadsheet.dump(HISTORY)).toHaveLength(3);
});

test('leads no longer in Close and rows not pushed yet are left out, and the summary says so', () => {
  const w = pulled();
  // Removed behind the Event Log's back: only a full pull finds it missing.
  w.close.store.remove(WAYNE_LEAD_ID);
  w.app.pullLeads({ full: true });
  const v = view(w);
  w.runtime.spreadsheet.userEdit(SHEET, [v.rows.length + 1, v.col('Name')], 'Initech');
  expect(w.app.buildReport({})).toMatchObject({ leads: 299 });
  const shown = w.runtime.spreadsheet.dumpDisplay(REPORT);
  expect(trim(shown.slice(8, 10), 2)).toEqual([
    ['Note', '1 row of leads no longer in Close left out.'],
    ['Note', '1 row without a Lead ID (not pushed yet) left out.'],
  ]);
});

test('from the menu: the report is built, shown, and a toast says what it holds', () => {
  const w = pulled();
  w.runtime.openDocument(w.app);
  w.runtime.clickMenu(w.app, 'Build report');
  expect(w.runtime.ui.toasts.at(-1)).toMatchObject({
    message: `Report "${REPORT}" built from "${SHEET}": 300 leads, 9 tables, 9 charts.`,
  });
  const SpreadsheetApp = w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  expect(SpreadsheetApp.getActiveSheet().getName()).toBe(REPORT);
});

test('without a pulled sheet the report says to pull first', () => {
  const w = connectedWorld();
  expect(() => w.app.buildReport({})).toThrow('There is no sheet named "Close Leads" yet: pull leads first.');
});
