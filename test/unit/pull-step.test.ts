// Pull steps through the narrow ports alone: the Workbook and Grid in memory (memory-workbook.ts) and
// the Http port answered by the fake Close, with no bundle and no Apps Script fakes. Each test pins the
// exact cells a step writes, and which calls it makes on the sheet.
import { buildSampleOrg, FakeClose, NBSP_NAME, WAYNE_LEAD_ID, XSS_NAME } from '../../dev/fake-close';
import { VirtualClock } from '../../dev/gas-fakes';
import { API_KEY } from '../../dev/world';
import { CloseClient } from '../../src/core/close/client';
import type { Clock } from '../../src/core/ports';
import { SYNC_STATUS_KEY } from '../../src/core/schema/columns';
import { bindingNote } from '../../src/core/sync/column-binding';
import type { SyncDeps } from '../../src/core/sync/context';
import type { PullDefinition } from '../../src/core/sync/pull-definition';
import { deadlineAfter } from '../../src/core/sync/job';
import { hashText } from '../../src/core/sync/pulled-value';
import { newPullJob, type PullSummary, runPullStep } from '../../src/core/sync/pull-step';
import { fakeCloseHttp } from './fake-close-http';
import { type MemoryWorkbook, memoryWorkbook } from './memory-workbook';

const SHEET = 'Close Leads';
const SNAPSHOT = `Close Sync snapshot · ${SHEET}`;
/** The virtual clock's start (09:00 UTC) in the sheet's zone (New York). */
const STAMP = '2026-11-28 04:00';
const FOLLOW_UP = 'Follow up after the Q3 budget review.';

interface World {
  close: FakeClose;
  book: MemoryWorkbook;
  ids: string[];
  /** Runs a pull of Name and Description to its end; returns its summary. */
  pull(): PullSummary;
}

function world(): World {
  const clock = new VirtualClock();
  const close = new FakeClose(buildSampleOrg({ leads: 3 }), { now: () => clock.now() });
  const virtual: Clock = { now: () => clock.now(), sleep: (ms) => clock.advance(ms) };
  const book = memoryWorkbook();
  const deps: SyncDeps = {
    client: new CloseClient(fakeCloseHttp(close), virtual, API_KEY, { random: () => 0.5 }),
    workbook: book,
    clock: virtual,
  };
  let definition: PullDefinition = {
    kind: 'lead',
    source: { type: 'all' },
    fields: ['name', 'description'],
  };
  return {
    close,
    book,
    ids: [...close.leads.keys()],
    pull: () => {
      let job = newPullJob({}, clock.now(), 'rep@acme.test', definition);
      for (let steps = 0; steps < 5; steps++) {
        const step = runPullStep(deps, job, deadlineAfter(virtual));
        if (step.done) {
          definition = step.job.definition;
          return step.summary!;
        }
        job = step.job;
      }
      throw new Error('the pull did not end in 5 steps');
    },
  };
}

const writes = (book: MemoryWorkbook, sheet: string) =>
  book.calls.flatMap((c) => (c.sheet === sheet && c.op === 'write' ? [c] : []));

test('a first pull sets the columns up once and writes the header with the rows in one call, and a snapshot row per lead', () => {
  const w = world();
  const [wayne, xss, nbsp] = w.ids;
  expect(wayne).toBe(WAYNE_LEAD_ID);
  const summary = w.pull();
  expect(summary.message).toBe(`Pulled 3 leads into "${SHEET}" (3 new) in 0s.`);
  const rows = [
    ['Lead ID', 'Name', 'Description', 'Sync status'],
    [wayne, 'Wayne Enterprises (Sample Lead)', '', ''],
    [xss, XSS_NAME, FOLLOW_UP, ''],
    [nbsp, NBSP_NAME, '', ''],
  ];
  expect(w.book.calls.filter((c) => c.sheet === SHEET)).toEqual([
    { sheet: SHEET, op: 'setUp', columns: [1, 2, 3, 4] },
    { sheet: SHEET, op: 'write', row: 1, column: 1, values: rows },
  ]);
  expect(w.book.grid(SHEET).notes[0]).toEqual([
    bindingNote({ key: 'id', kind: 'text', editable: false }),
    bindingNote({ key: 'name', kind: 'text', editable: true }),
    bindingNote({ key: 'description', kind: 'text', editable: true }),
    bindingNote({ key: SYNC_STATUS_KEY, kind: 'text', editable: false }),
  ]);
  const snapshot = writes(w.book, SNAPSHOT);
  expect(snapshot).toHaveLength(1);
  // Format 4 (snapshot.ts): the header's JSON in the first cell; a lead's ID and its values (format 3
  // text, snapshot-row.ts: the Name kept whole, an empty Description as `,`, a long one as its hash) in
  // one cell, its generation in the next.
  const [header, ...leads] = snapshot[0].values;
  expect(header[1]).toBe('');
  const { generations, ...rest } = JSON.parse(String(header[0]));
  expect(rest).toEqual({ format: 4, layouts: [['name', 'description']], values: [] });
  expect(Object.keys(generations)).toEqual(['1']);
  const kept = (v: string) => `(${JSON.stringify(v).replace(/\)/g, '\\u0029')})`;
  expect(leads).toEqual([
    [`${wayne}^0:${kept('Wayne Enterprises (Sample Lead)')},`, '~1'],
    [`${xss}^0:${kept(XSS_NAME)}${hashText(`s${FOLLOW_UP}`)}`, '~1'],
    [`${nbsp}^0:${kept(NBSP_NAME)},`, '~1'],
  ]);
});

test("a re-pull keeps the rep's unpushed edit and takes Close's change beside it, writing only that cell", () => {
  const w = world();
  const [wayne, xss] = w.ids;
  w.pull();
  const grid = w.book.grid(SHEET);
  grid.cells[1][2] = 'my own words';
  grid.cells[2][2] = 'typed beside the rename';
  w.close.touchLead(xss, { name: 'Renamed in Close' });
  w.book.calls.length = 0;
  // Wayne's lead did not change in Close, so its row is neither read nor written: the edit stays as it
  // is (not counted: only the rows a refresh rewrites are compared with the snapshot). The renamed
  // lead's row is read whole: its edit is kept and counted.
  const summary = w.pull();
  expect(summary).toMatchObject({ added: 0, refreshed: 1, keptEdits: 1, gone: 0 });
  expect(grid.dump().slice(1, 3)).toEqual([
    [wayne, 'Wayne Enterprises (Sample Lead)', 'my own words', ''],
    [xss, 'Renamed in Close', 'typed beside the rename', `kept 1 unpushed edit · ${STAMP}`],
  ]);
  // The changed cells, and nothing else (the Description between them was not read: two writes).
  expect(writes(w.book, SHEET)).toEqual([
    { sheet: SHEET, op: 'write', row: 3, column: 2, values: [['Renamed in Close']] },
    { sheet: SHEET, op: 'write', row: 3, column: 4, values: [[`kept 1 unpushed edit · ${STAMP}`]] },
  ]);
});
test('the header row is found by its notes below a title row the rep inserted, and rows count from it', () => {
  const w = world();
  const [, xss] = w.ids;
  w.pull();
  const grid = w.book.grid(SHEET);
  grid.cells.unshift(['My leads']);
  grid.notes.unshift([]);
  w.close.touchLead(xss, { description: 'New words' });
  w.book.calls.length = 0;
  w.pull();
  expect(grid.cells[0]).toEqual(['My leads']);
  expect(grid.dump()[0]).toEqual(['Lead ID', 'Name', 'Description', 'Sync status']);
  expect(grid.dump()[2]).toEqual([xss, XSS_NAME, 'New words', '']);
  // Writes count from the header row (the grid adds the title row).
  expect(writes(w.book, SHEET).every((c) => c.row >= 2)).toBe(true);
});

test('a column whose note was cleared is found again by its header, and only its note is written back', () => {
  const w = world();
  w.pull();
  const grid = w.book.grid(SHEET);
  grid.notes[0][2] = '';
  w.book.calls.length = 0;
  w.pull();
  expect(w.book.calls.filter((c) => c.sheet === SHEET && c.op !== 'write')).toEqual([
    {
      sheet: SHEET,
      op: 'notes',
      notes: [{ column: 3, note: bindingNote({ key: 'description', kind: 'text', editable: true }) }],
    },
  ]);
  expect(grid.dump()[0]).toEqual(['Lead ID', 'Name', 'Description', 'Sync status']);
});

test('a re-pull writes only the cells whose value changed: one cell changed in Close is one cell written', () => {
  const w = world();
  const [, xss] = w.ids;
  w.pull();
  w.close.touchLead(xss, { description: 'New words' });
  w.book.calls.length = 0;
  const summary = w.pull();
  expect(summary).toMatchObject({ added: 0, refreshed: 1, gone: 0, refresh: { mode: 'incremental' } });
  expect(writes(w.book, SHEET)).toEqual([
    { sheet: SHEET, op: 'write', row: 3, column: 3, values: [['New words']] },
  ]);
  // Nothing changed since: a third pull writes no cell of the sheet.
  w.book.calls.length = 0;
  w.pull();
  expect(writes(w.book, SHEET)).toEqual([]);
});
