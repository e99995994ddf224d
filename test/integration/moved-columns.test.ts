// Values moved between rows without their Name or ID: Data › Sort range over custom-field columns only,
// or such a block pasted one row off. Rule D of the row guards (moved-values.ts) holds those rows back
// before anything is sent; a copy of one lead's values onto another row (the source row kept) is an edit.
import { expectCloseAsPulled, expectMovedBeforePush, leadNow, pulledSheet } from './moves';
import { STAMP, cf, edit, sheetOf, view, writes } from './sheet';

/** The custom fields from Industry to Reference Code, the columns these tests move. */
const BLOCK_FIELDS = [
  'industry',
  'employees',
  'revenue',
  'contractStart',
  'lastDemo',
  'owner',
  'collaborators',
  'notes',
  'referenceCode',
] as const;

const SYNC = 'Sync status';

/** The cells of a lead's row from one header to another, as JSON (Dates as their instant). */
function blockOf(v: ReturnType<typeof view>, id: string, from: string, to: string): string {
  return JSON.stringify(v.rows[v.row(id) - 1].slice(v.col(from) - 1, v.col(to)));
}

describe('Data › Sort range over the custom-field columns only (Industry to Reference Code, no Name, no ID)', () => {
  const { w, v, ids, before } = pulledSheet();
  const pulledBlock = new Map(ids.map((id) => [id, blockOf(v, id, 'Industry', 'Reference Code')]));
  const first = v.col('Industry');
  sheetOf(w)
    .getRange(2, first, 40, v.col('Reference Code') - first + 1)
    .sort({ column: v.col('Employees'), ascending: true });
  // An ordinary edit further down still goes.
  edit(w, ids[60], 'Description', 'Called on Monday');
  const after = view(w);
  const changed = ids
    .slice(0, 40)
    .filter((id) => blockOf(after, id, 'Industry', 'Reference Code') !== pulledBlock.get(id));

  test('the preview counts them as moved and the menu confirmation says so, before anything is sent', () => {
    expect(changed).toHaveLength(39);
    expectMovedBeforePush(w, 39);
  });

  test('a push sends only the ordinary edit; every moved row says whose values it shows, and Close keeps the rest', () => {
    const summary = w.app.pushChanges({});
    expect(writes(w)).toEqual([
      { method: 'PUT', path: `/lead/${ids[60]}/`, body: { description: 'Called on Monday' } },
    ]);
    expect(summary).toMatchObject({ updated: 1, moved: 39 });
    const now = view(w);
    const named = changed.filter((id) =>
      String(now.cell(id, SYNC)).startsWith("error: Looks like this row's "),
    );
    expect(named).toHaveLength(38);
    for (const id of named) {
      const [, fields, owner] = /^error: Looks like this row's (.+) belong to lead (lead_\w+)/.exec(
        String(now.cell(id, SYNC)),
      )!;
      // The lead it names is the one whose pulled cells the row now shows.
      expect(pulledBlock.get(owner)).toBe(blockOf(now, id, 'Industry', 'Reference Code'));
      expect(now.cell(id, SYNC)).toBe(
        `error: Looks like this row's ${fields} belong to lead ${owner}${before.get(owner).name ? ` (${before.get(owner).name})` : ''}, not to this row's lead. Part of the sheet may have been sorted or pasted without its ID column, moving only these columns. Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. If you did mean to give it those values, enter and push them one field at a time. · ${STAMP}`,
      );
    }
    // The row that now shows an empty block (many leads have none) is held as part of the block.
    const [blank] = changed.filter((id) => !named.includes(id));
    expect(blockOf(now, blank, 'Industry', 'Reference Code')).toBe(
      JSON.stringify(Array(BLOCK_FIELDS.length).fill('')),
    );
    expect(now.cell(blank, SYNC)).toBe(
      `error: This row is inside a block that looks sorted or pasted without its ID column (rows 2–40, Industry to Reference Code): its values there may be another lead's. Not sent. Use Edit › Undo to put the values back, then push again. · ${STAMP}`,
    );
    expectCloseAsPulled(w, before, [ids[60]]);
  });
});

test('a block of custom-field columns pasted one row off: every shifted row is held back, the head of the block too', () => {
  const { w, v, ids, before } = pulledSheet();
  const first = v.col('Industry');
  const width = v.col('Reference Code') - first + 1;
  // Rows 12–16 copied and pasted at rows 13–17.
  const block = sheetOf(w).getRange(12, first, 5, width).getValues();
  sheetOf(w).getRange(13, first, 5, width).setValues(block);
  const summary = w.app.pushChanges({});
  expect(writes(w)).toEqual([]);
  expect(summary).toMatchObject({ updated: 0, moved: 5 });
  const now = view(w);
  for (let k = 11; k <= 15; k++) {
    const owner = ids[k - 1];
    expect(now.cell(ids[k], SYNC)).toMatch(
      new RegExp(`^error: Looks like this row's [^·]+ belong to lead ${owner} \\(`),
    );
  }
  expectCloseAsPulled(w, before);
});

test("one lead's values copied onto other leads' rows (the source rows kept) are edits, and go", () => {
  const { w, v, ids } = pulledSheet();
  const first = v.col('Industry');
  const width = v.col('Reference Code') - first + 1;
  const block = sheetOf(w).getRange(v.row(ids[20]), first, 1, width).getValues();
  sheetOf(w).getRange(v.row(ids[21]), first, 1, width).setValues(block);
  sheetOf(w).getRange(v.row(ids[22]), first, 1, width).setValues(block);
  const summary = w.app.pushChanges({});
  expect(summary).toMatchObject({ updated: 2, moved: 0, failed: 0 });
  expect(writes(w).map((r) => r.path)).toEqual([ids[21], ids[22]].sort().map((id) => `/lead/${id}/`));
  const source = leadNow(w, ids[20]);
  const keys = BLOCK_FIELDS.map(cf);
  for (const id of [ids[21], ids[22]])
    expect(keys.map((k) => [k, leadNow(w, id)[k] ?? null])).toEqual(keys.map((k) => [k, source[k] ?? null]));
});
