// Rule E of the row guards (sorted-column.ts): one column's values moved among rows on their own — a
// Data › Sort range over a single column, a column pasted one row off — is held back; a rep's own bulk
// edit of one column (a fill-down, typed values, two leads' values swapped by hand) goes.
import { makeCodec } from '../../src/core/schema/codecs';
import { leadColumns } from '../../src/core/schema/columns';
import { statusLookup, userLookup } from '../../src/core/schema/lookups';
import type { CellValue, Grid } from '../../src/core/ports';
import { type BoundColumn, computeChanges } from '../../src/core/sync/changes';
import type { SheetTable } from '../../src/core/sync/lead-sheet';
import { Hashed, hashText } from '../../src/core/sync/pulled-value';
import { Snapshot } from '../../src/core/sync/snapshot';

const env = {
  timeZone: 'UTC',
  statuses: statusLookup([
    { id: 'stat_p', label: 'Potential' },
    { id: 'stat_q', label: 'Qualified' },
  ]),
  opportunityStatuses: statusLookup([]),
  users: userLookup([]),
};
const INDUSTRIES = ['Energy', 'Finance', 'Health', 'Retail', 'Software'];
const columns = leadColumns([
  { id: 'cf_industry', name: 'Industry', type: 'choices', choices: INDUSTRIES },
  { id: 'cf_size', name: 'Deal size', type: 'number' },
  { id: 'cf_notes', name: 'Notes', type: 'textarea' },
]);
const bound: BoundColumn[] = columns.map((column) => ({ column, codec: makeCodec(column, env) }));
const keys = [
  'id',
  'name',
  'status_id',
  'description',
  'custom.cf_industry',
  'custom.cf_size',
  'custom.cf_notes',
];
const [NAME, STATUS, INDUSTRY, SIZE, NOTES] = [1, 2, 4, 5, 6];

/** Twelve leads: Industry repeats and has a blank, Deal size and Notes are long enough to be kept as hashes. */
const LEADS: Array<[string, string, string, string, number, string]> = [
  ['lead_a', 'Acme', 'Potential', 'Retail', 42000, 'Met at the Denver fair, wants a demo in spring'],
  ['lead_b', 'Bolt', 'Qualified', 'Software', 13000, 'Referred by Acme; budget approved'],
  ['lead_c', 'Cogs', 'Potential', 'Health', 87000, 'Called twice, no answer yet'],
  ['lead_d', 'Dyno', 'Potential', 'Software', 25000, 'Asked for the security questionnaire'],
  ['lead_e', 'Echo', 'Qualified', 'Energy', 61000, 'Pilot with two plants in Ohio'],
  ['lead_f', 'Flux', 'Potential', 'Retail', 33000, 'Prefers email, never calls back'],
  ['lead_g', 'Grit', 'Potential', 'Finance', 71000, 'Compliance review until March'],
  ['lead_h', 'Helm', 'Qualified', 'Health', 18000, 'New CFO since October'],
  ['lead_i', 'Iris', 'Potential', '', 55000, 'Found through the webinar'],
  ['lead_j', 'Jolt', 'Potential', 'Software', 47000, 'Wants annual billing'],
  ['lead_k', 'Kite', 'Qualified', 'Energy', 29000, 'Trial ends next Friday'],
  ['lead_l', 'Lumo', 'Potential', 'Retail', 90500, 'Champion left the company'],
];
const STATUS_ID: Record<string, string> = { Potential: 'stat_p', Qualified: 'stat_q' };

function snapshot(): Snapshot {
  const snap = new Snapshot();
  for (const [id, name, status, industry, size, notes] of LEADS)
    snap.set(id, {
      name,
      status_id: STATUS_ID[status],
      description: null,
      url: null,
      'custom.cf_industry': industry || null,
      // As a pull keeps them (pulled-value.ts): only their hashes.
      'custom.cf_size': new Hashed(hashText(`n${size}`)),
      'custom.cf_notes': new Hashed(hashText(`s${notes}`)),
    });
  return snap;
}

function table(rows: CellValue[][]): SheetTable {
  const columnOf = new Map(keys.map((k, i) => [k, i + 1]));
  return { grid: {} as Grid, header: keys, rows, width: keys.length, columnOf };
}

const pulledRows = (): CellValue[][] =>
  LEADS.map(([id, name, status, industry, size, notes]) => [id, name, status, '', industry, size, notes]);
const run = (rows: CellValue[][]) => computeChanges(table(rows), bound, snapshot());
const held = (rows: CellValue[][]) =>
  run(rows)
    .rowErrors.filter((e) => e.kind === 'moved')
    .map((e) => e.row);
const sent = (rows: CellValue[][]) => run(rows).updates.map((u) => [u.leadId, u.edits.map((e) => e.key)]);

/**
 * Sorts one column of rows [from, to) on its own, the way Sheets orders a sort: numbers before text,
 * text without regard to case, blanks last in both directions.
 */
function sortColumn(rows: CellValue[][], col: number, ascending: boolean, from = 0, to = rows.length): void {
  const collator = new Intl.Collator('en', { sensitivity: 'base' });
  const cls = (v: CellValue) => (v === '' ? 9 : typeof v === 'number' ? 0 : 1);
  const values = rows.slice(from, to).map((r) => r[col]);
  values.sort((a, b) => {
    if (cls(a) === 9 || cls(b) === 9) return cls(a) - cls(b);
    const r =
      cls(a) !== cls(b)
        ? cls(a) - cls(b)
        : typeof a === 'number'
          ? a - (b as number)
          : collator.compare(String(a), String(b));
    return ascending ? r : -r;
  });
  values.forEach((v, i) => {
    rows[from + i][col] = v;
  });
}

const ALL_ROWS = LEADS.map((_, i) => i + 2);
/** The sheet rows whose cell in a column no longer shows what was pulled for the row's lead. */
const changedIn = (rows: CellValue[][], col: number) =>
  ALL_ROWS.filter((row) => rows[row - 2][col] !== pulledRows()[row - 2][col]);

describe('held back', () => {
  test('Industry (a choice column) sorted A to Z on its own: every row it changed, none sent, the status says what happened', () => {
    const rows = pulledRows();
    sortColumn(rows, INDUSTRY, true);
    // Rows 7 and 11 kept their value (Retail, Software): they have nothing to send.
    expect(changedIn(rows, INDUSTRY)).toEqual([2, 3, 4, 5, 6, 8, 9, 10, 12, 13]);
    const changes = run(rows);
    expect(changes.updates).toEqual([]);
    expect(changes.unchangedRows).toEqual([7, 11]);
    expect(changes.rowErrors.map((e) => [e.row, e.leadId, e.kind])).toEqual(
      changedIn(rows, INDUSTRY).map((row) => [row, LEADS[row - 2][0], 'moved']),
    );
    // Row 3 (Bolt) now shows Energy, which two leads had; row 4 (Cogs) shows Finance, only Grit's.
    expect(changes.rowErrors[1].message).toBe(
      "Looks like this row's Industry belongs to other leads, not to this row's lead: Industry in rows 2–13 holds the values pulled for those same rows in another order (sorted A to Z): the column looks sorted on its own, without its ID column. Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. If you did mean to give these rows each other's values, change and push them two rows at a time.",
    );
    expect(rows[2][INDUSTRY]).toBe('Finance');
    expect(changes.rowErrors[2].message).toBe(
      "Looks like this row's Industry belongs to lead lead_g (Grit), not to this row's lead: Industry in rows 2–13 holds the values pulled for those same rows in another order (sorted A to Z): the column looks sorted on its own, without its ID column. Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. If you did mean to give these rows each other's values, change and push them two rows at a time.",
    );
  });

  test('Deal size (numbers the snapshot keeps as hashes) sorted Z to A over rows 4–11: the rows it changed are held, the rest go', () => {
    const rows = pulledRows();
    sortColumn(rows, SIZE, false, 2, 10);
    rows[0][NAME] = 'Acme Inc';
    // Rows 4 and 6 kept their own value (87,000 and 61,000 were already in place).
    expect(changedIn(rows, SIZE)).toEqual([5, 7, 8, 9, 10, 11]);
    expect(held(rows)).toEqual([5, 7, 8, 9, 10, 11]);
    expect(sent(rows)).toEqual([['lead_a', ['name']]]);
    expect(run(rows).rowErrors[0].message).toContain(
      'Deal size in rows 5–11 holds the values pulled for those same rows in another order (sorted Z to A)',
    );
  });

  test('Notes (long text kept as hashes) sorted A to Z, with one unpushed edit carried along by the sort', () => {
    const rows = pulledRows();
    rows[5][NOTES] = 'Prefers email; asked for a call on Monday';
    sortColumn(rows, NOTES, true);
    // The typed note sorted into row 10; row 12 kept its own note.
    expect(rows[8][NOTES]).toBe('Prefers email; asked for a call on Monday');
    expect(changedIn(rows, NOTES)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]);
    expect(held(rows)).toEqual(changedIn(rows, NOTES));
  });

  test('two single columns sorted one after the other: each row names both', () => {
    const rows = pulledRows();
    sortColumn(rows, INDUSTRY, true);
    sortColumn(rows, SIZE, true);
    expect(held(rows)).toEqual(ALL_ROWS);
    // Lumo's 90,500 stayed last: Deal size changed in rows 2–12 only.
    expect(run(rows).rowErrors[3].message).toBe(
      "Looks like this row's Industry and Deal size belong to other leads, not to this row's lead: Industry in rows 2–13 holds the values pulled for those same rows in another order (sorted A to Z): the column looks sorted on its own, without its ID column; Deal size in rows 2–12 holds the values pulled for those same rows in another order (sorted A to Z): the column looks sorted on its own, without its ID column. Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. If you did mean to give these rows each other's values, change and push them two rows at a time.",
    );
  });

  test('Notes copied and pasted one row down (rows 5–9 onto 6–10): the shifted rows are held and name the lead above', () => {
    const rows = pulledRows();
    const block = rows.slice(3, 8).map((r) => r[NOTES]);
    block.forEach((v, i) => {
      rows[4 + i][NOTES] = v;
    });
    expect(held(rows)).toEqual([6, 7, 8, 9, 10]);
    expect(run(rows).rowErrors[0].message).toBe(
      "Looks like this row's Notes belongs to lead lead_d (Dyno), not to this row's lead: Notes in rows 6–10 shows the values pulled for the row above each (pasted one row down, without its ID column). Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. If you did mean to give these rows each other's values, change and push them two rows at a time.",
    );
  });

  test('Deal size cut and pasted one row up (rows 8–12 onto 7–11): the shifted rows and the row left empty are held', () => {
    const rows = pulledRows();
    const block = rows.slice(6, 11).map((r) => r[SIZE]);
    rows[10][SIZE] = '';
    block.forEach((v, i) => {
      rows[5 + i][SIZE] = v;
    });
    const changes = run(rows);
    expect(changes.rowErrors.map((e) => e.row)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(changes.rowErrors[0].message).toContain(
      "Looks like this row's Deal size belongs to lead lead_g (Grit), not to this row's lead: Deal size in rows 7–11 shows the values pulled for the row below each (pasted one row up, without its ID column).",
    );
    expect(changes.rowErrors[5].message).toBe(
      "This row's Deal size was emptied when its value moved to the row above: Deal size in rows 7–11 shows the values pulled for the row below each (pasted one row up, without its ID column). Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again.",
    );
  });
});

describe('a rep’s own edits of one column go', () => {
  test('one value filled down over every row', () => {
    const rows = pulledRows();
    for (const r of rows) r[INDUSTRY] = 'Software';
    expect(held(rows)).toEqual([]);
    expect(sent(rows).map(([id]) => id)).toEqual(LEADS.filter((l) => l[3] !== 'Software').map(([id]) => id));
  });

  test('one value filled down over twenty rows (the Industry most of them had)', () => {
    const rows: CellValue[][] = [];
    const snap = new Snapshot();
    for (let i = 0; i < 20; i++) {
      const id = `lead_${String(i).padStart(2, '0')}`;
      const industry = i % 5 === 0 ? 'Health' : 'Retail';
      snap.set(id, { name: `Lead ${i}`, 'custom.cf_industry': industry, 'custom.cf_size': 1000 + i });
      rows.push([id, `Lead ${i}`, '', '', 'Retail', 1000 + i, '']);
    }
    const changes = computeChanges(table(rows), bound, snap);
    expect(changes.rowErrors).toEqual([]);
    expect(changes.updates.map((u) => u.leadId)).toEqual(['lead_00', 'lead_05', 'lead_10', 'lead_15']);
  });

  test('new values typed in order (distinct, sorted) into every row', () => {
    const rows = pulledRows();
    rows.forEach((r, i) => {
      r[SIZE] = 10000 + i * 1000;
      r[NOTES] = `Call ${String.fromCharCode(97 + i)}`;
    });
    expect(held(rows)).toEqual([]);
    expect(sent(rows)).toHaveLength(12);
  });

  test("two leads' values swapped by hand", () => {
    const rows = pulledRows();
    [rows[0][NOTES], rows[1][NOTES]] = [rows[1][NOTES], rows[0][NOTES]];
    [rows[4][SIZE], rows[5][SIZE]] = [rows[5][SIZE], rows[4][SIZE]];
    expect(held(rows)).toEqual([]);
    expect(sent(rows)).toEqual([
      ['lead_a', ['custom.cf_notes']],
      ['lead_b', ['custom.cf_notes']],
      ['lead_e', ['custom.cf_size']],
      ['lead_f', ['custom.cf_size']],
    ]);
  });

  test("three leads' Deal sizes rotated by hand, in an order that is not sorted", () => {
    const rows = pulledRows();
    [rows[0][SIZE], rows[1][SIZE], rows[2][SIZE]] = [rows[1][SIZE], rows[2][SIZE], rows[0][SIZE]];
    expect(rows.slice(0, 3).map((r) => r[SIZE])).toEqual([13000, 87000, 42000]);
    expect(held(rows)).toEqual([]);
  });

  test('the same column edited far apart (no run of three)', () => {
    const rows = pulledRows();
    rows[0][STATUS] = 'Qualified';
    rows[6][STATUS] = 'Qualified';
    rows[11][STATUS] = 'Qualified';
    expect(held(rows)).toEqual([]);
    expect(sent(rows).map(([id]) => id)).toEqual(['lead_a', 'lead_g', 'lead_l']);
  });
});
