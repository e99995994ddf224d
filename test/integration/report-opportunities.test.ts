// buildReport's pipeline by OPPORTUNITY: per pipeline by opportunity status (Close's order), by the
// opportunity's owner, and won/lost in a period — checked against the fake Close's own opportunities.
import { chartSummaries } from '../../dev/gas-fakes';
import { connectedWorld, type World } from './harness';

const REPORT = 'Close Report';
const cents = (n: number) => Math.round(n * 100) / 100;

function tableUnder(dump: unknown[][], title: string): { row: number; rows: unknown[][] } {
  const start = dump.findIndex((r) => r[0] === title);
  if (start < 0) throw new Error(`no table "${title}"`);
  const rows: unknown[][] = [];
  for (let i = start + 1; i < dump.length && dump[i].some((c) => c !== ''); i++)
    rows.push(dump[i].slice(0, 5));
  return { row: start + 1, rows };
}

function opportunities(w: World) {
  return w.close.org.leads.flatMap((l) => l.opportunities);
}

type Opp = ReturnType<typeof opportunities>[number];

function valueRow(label: string, list: Opp[]): unknown[] {
  if (list.length === 0) return [label, 0, 0, '', 0];
  const total = list.reduce((t, o) => t + o.value, 0) / 100;
  const expected = list.reduce((t, o) => t + (o.value * o.confidence) / 100, 0) / 100;
  return [label, list.length, cents(total), cents(total / list.length), cents(expected)];
}

describe('pipeline by opportunity status and owner', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  const summary = w.app.buildReport({ since: '2024-01-01', until: '2024-12-31' });
  const dump = w.runtime.spreadsheet.dump(REPORT);
  const all = opportunities(w);

  test('per pipeline: count, total, average and expected value (by confidence) per opportunity status, in dollars', () => {
    expect(w.close.org.pipelines.map((p) => p.name)).toEqual(['Sales', 'Renewals']);
    for (const p of w.close.org.pipelines) {
      const t = tableUnder(dump, `Opportunities by status · ${p.name}`);
      expect(t.rows).toEqual([
        ['Status', 'Opportunities', 'Total value', 'Average value', 'Expected value'],
        ...p.statuses.map((s) =>
          valueRow(
            s.label,
            all.filter((o) => o.pipeline_id === p.id && o.status_id === s.id),
          ),
        ),
      ]);
    }
    const sales = tableUnder(dump, 'Opportunities by status · Sales');
    expect(w.runtime.spreadsheet.dumpDisplay(REPORT)[sales.row + 1][2]).toMatch(/^\$[\d,]+\.\d\d$/);
  });

  test("by the opportunity's own owner (user_name), by name", () => {
    const owners = [...new Set(all.map((o) => o.user_name || '(no owner)'))].sort((a, b) =>
      a.localeCompare(b),
    );
    expect(tableUnder(dump, 'Opportunities by owner').rows).toEqual([
      ['Owner', 'Opportunities', 'Total value', 'Average value', 'Expected value'],
      ...owners.map((name) =>
        valueRow(
          name,
          all.filter((o) => (o.user_name || '(no owner)') === name),
        ),
      ),
    ]);
  });

  test('won and lost in the period, per pipeline', () => {
    const inYear = (d: string | null) =>
      d !== null && d.slice(0, 10) >= '2024-01-01' && d.slice(0, 10) <= '2024-12-31';
    const rows = w.close.org.pipelines.map((p) => {
      const mine = all.filter((o) => o.pipeline_id === p.id);
      const won = mine.filter((o) => o.status_type === 'won' && inYear(o.date_won));
      const lost = mine.filter((o) => o.status_type === 'lost' && inYear(o.date_lost));
      const sum = (l: Opp[]) => cents(l.reduce((t, o) => t + o.value, 0) / 100);
      return [p.name, won.length, sum(won), lost.length, sum(lost)];
    });
    expect(rows.some((r) => Number(r[1]) > 0)).toBe(true);
    expect(tableUnder(dump, 'Won and lost, 2024-01-01 to 2024-12-31').rows).toEqual([
      ['Pipeline', 'Won', 'Won value', 'Lost', 'Lost value'],
      ...rows,
    ]);
  });

  test('each with a native chart; the lead-status tables stay', () => {
    expect(summary).toMatchObject({ tables: 9, charts: 9 });
    const charts = chartSummaries(w.runtime.spreadsheet, REPORT).map((c) => ({
      title: c.title,
      type: c.type,
      ranges: c.ranges,
    }));
    const at = (title: string) => tableUnder(dump, title).row + 1;
    const range = (title: string, rows: number, col: string) =>
      `${col}${at(title)}:${col}${at(title) + rows}`;
    expect(charts.slice(5)).toEqual([
      {
        title: 'Sales: value by opportunity status (USD)',
        type: 'COLUMN',
        ranges: [
          range('Opportunities by status · Sales', 4, 'A'),
          range('Opportunities by status · Sales', 4, 'C'),
        ],
      },
      {
        title: 'Renewals: value by opportunity status (USD)',
        type: 'COLUMN',
        ranges: [
          range('Opportunities by status · Renewals', 3, 'A'),
          range('Opportunities by status · Renewals', 3, 'C'),
        ],
      },
      {
        title: 'Opportunity value by owner (USD)',
        type: 'BAR',
        ranges: [
          range('Opportunities by owner', tableUnder(dump, 'Opportunities by owner').rows.length - 1, 'A'),
          range('Opportunities by owner', tableUnder(dump, 'Opportunities by owner').rows.length - 1, 'C'),
        ],
      },
      {
        title: 'Won value by pipeline (USD)',
        type: 'COLUMN',
        ranges: [
          range('Won and lost, 2024-01-01 to 2024-12-31', 2, 'A'),
          range('Won and lost, 2024-01-01 to 2024-12-31', 2, 'C'),
        ],
      },
    ]);
    expect(tableUnder(dump, 'Leads by status').rows[0]).toEqual([
      'Status',
      'Leads',
      'Share of leads',
      '',
      '',
    ]);
  });
});

test('a bad period is refused with what to write, before anything is built', () => {
  const w = connectedWorld();
  w.app.pullLeads({});
  expect(() => w.app.buildReport({ since: '2024-02-30' })).toThrow(
    'since must be a date written YYYY-MM-DD (got "2024-02-30").',
  );
  expect(() => w.app.buildReport({ since: '2024-03-01', until: '2024-02-01' })).toThrow(
    'since (2024-03-01) is after until (2024-02-01): swap them.',
  );
  const SpreadsheetApp = w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  expect(SpreadsheetApp.getActiveSpreadsheet().getSheetByName(REPORT)).toBeNull();
});

describe('free of Close calls while the data is fresh (read less than 10 minutes ago, no push since)', () => {
  const wonLost = (w: World, since: string, until: string) =>
    w.close.org.pipelines.map((p) => {
      const within = (d: string | null) => d !== null && d.slice(0, 10) >= since && d.slice(0, 10) <= until;
      const mine = opportunities(w).filter((o) => o.pipeline_id === p.id);
      const won = mine.filter((o) => o.status_type === 'won' && within(o.date_won));
      const lost = mine.filter((o) => o.status_type === 'lost' && within(o.date_lost));
      const sum = (l: Opp[]) => cents(l.reduce((t, o) => t + o.value, 0) / 100);
      return [p.name, won.length, sum(won), lost.length, sum(lost)];
    });
  /** Listing requests: the first page, then waves of 2, 4, … pages sent together until one has no more. */
  const listing = (w: World) => {
    const needed = Math.max(1, Math.ceil(opportunities(w).length / 250));
    let sent = 1;
    for (let wave = 2; sent < needed; wave *= 2) sent += wave;
    return sent;
  };
  const paths = (w: World) => w.runtime.requests.map((r) => new URL(r.url).pathname.replace('/api/v1', ''));

  test('a rebuild for another period 9 minutes later sends no request, and its tables are what Close holds', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    w.runtime.requests.length = 0;
    const first = w.app.buildReport({ since: '2024-01-01', until: '2024-12-31' });
    // The report schema (a day in document properties) and the listing: 250 opportunities a page.
    const pages = listing(w);
    expect(pages).toBe(3);
    expect(paths(w)).toEqual([
      '/me/',
      '/custom_field_schema/lead/',
      '/status/lead/',
      `/organization/${w.close.org.organization.id}/`,
      '/pipeline/',
      ...new Array(pages).fill('/opportunity/'),
    ]);
    expect(first.closeCalls).toBe(5 + pages);
    const byStatus = tableUnder(w.runtime.spreadsheet.dump(REPORT), 'Opportunities by status · Sales').rows;
    w.runtime.requests.length = 0;
    w.clock.advance(9 * 60_000);
    const again = w.app.buildReport({ since: '2024-07-01', until: '2025-03-31' });
    expect(w.runtime.requests).toEqual([]);
    expect(again.closeCalls).toBe(0);
    const dump = w.runtime.spreadsheet.dump(REPORT);
    expect(tableUnder(dump, 'Opportunities by status · Sales').rows).toEqual(byStatus);
    const rows = wonLost(w, '2024-07-01', '2025-03-31');
    expect(rows.some((r) => Number(r[1]) > 0 && Number(r[3]) > 0)).toBe(true);
    expect(tableUnder(dump, 'Won and lost, 2024-07-01 to 2025-03-31').rows).toEqual([
      ['Pipeline', 'Won', 'Won value', 'Lost', 'Lost value'],
      ...rows,
    ]);
  });

  test('past 10 minutes the pipelines and the listing are read again (the schema stays cached for a day)', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    w.app.buildReport({});
    w.clock.advance(10 * 60_000);
    w.runtime.requests.length = 0;
    const again = w.app.buildReport({});
    const pages = listing(w);
    expect(paths(w)).toEqual(['/pipeline/', ...new Array(pages).fill('/opportunity/')]);
    expect(again.closeCalls).toBe(1 + pages);
  });

  test("a push makes the session's copy stale: the next build reads Close again", () => {
    const w = connectedWorld();
    w.app.pullOpportunities({});
    w.app.pullLeads({});
    w.app.buildReport({});
    const sheet = 'Close Opportunities';
    const header = w.runtime.spreadsheet.read(sheet, '1:1')[0];
    w.runtime.spreadsheet.userEdit(sheet, [2, header.indexOf('Confidence') + 1], 55);
    expect(w.app.pushChanges({ sheetName: sheet })).toMatchObject({ done: true, updated: 1 });
    w.runtime.requests.length = 0;
    w.app.buildReport({});
    expect(paths(w)[0]).toBe('/pipeline/');
  });
});
