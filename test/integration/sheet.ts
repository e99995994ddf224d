// Reading the fake workbook the way a rep looks at it: by header and Lead ID.
import { SAMPLE_FIELDS } from '../../dev/fake-close';
import type { FakeRequest } from '../../dev/fake-close/types';
import { columnLetter } from '../../src/gas/grid';
import { connectedWorld, type World, type WorldOptions } from './harness';
import { searchBody } from '../unit/core-world';

export const SHEET = 'Close Leads';

export function table(w: World, sheet = SHEET): unknown[][] {
  return w.runtime.spreadsheet.dump(sheet);
}

/** The sheet's Lead IDs, top to bottom, blank rows left out (a pull sizes the sheet for all its leads first). */
export function sheetIds(w: World, sheet = SHEET): string[] {
  const header = w.runtime.spreadsheet.read(sheet, '1:1')[0];
  const n = header.indexOf('Lead ID') + 1;
  if (n < 1) throw new Error(`no Lead ID column in ${sheet}`);
  const letters = columnLetter(n);
  return w.runtime.spreadsheet
    .read(sheet, `${letters}2:${letters}`)
    .map((r) => String(r[0]))
    .filter((id) => id !== '');
}

/** One read of a sheet, indexed by header and Lead ID. */
export function view(w: World, sheet = SHEET) {
  const rows = table(w, sheet);
  const header = rows[0] as string[];
  // The sheet's own id column: the first of Lead, Contact or Opportunity ID.
  const idColumn = header.findIndex((h) => /^(Lead|Contact|Opportunity) ID$/.test(h));
  const rowIndex = new Map(rows.map((r, i) => [r[idColumn], i]));
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column "${name}"`);
    return i + 1;
  };
  const row = (leadId: string) => {
    const i = rowIndex.get(leadId);
    if (i === undefined) throw new Error(`no row for ${leadId}`);
    return i + 1;
  };
  return {
    rows,
    header,
    col,
    row,
    cell: (leadId: string, name: string) => rows[row(leadId) - 1][col(name) - 1],
  };
}

/** The sheet as the rep's own Sheets UI reaches it (SpreadsheetApp of the fake runtime), to move or clear things. */
export function sheetOf(w: World, sheet = SHEET): GoogleAppsScript.Spreadsheet.Sheet {
  return (w.runtime.globals.SpreadsheetApp as GoogleAppsScript.Spreadsheet.SpreadsheetApp)
    .getActiveSpreadsheet()
    .getSheetByName(sheet)!;
}

/** The read-only columns a new lead sheet ends with (the sample org), after the editable ones (its Lead ID is column A). */
export const READ_ONLY_TAIL = [
  'Created',
  'Updated',
  'Primary contact',
  'Contact email',
  'Contact phone',
  'Opportunities',
  'Opportunity value',
  'Primary Contact',
  'Legacy Sync ID',
  'Sync status',
];

export const columnOf = (w: World, header: string, sheet = SHEET) => view(w, sheet).col(header);
export const rowOf = (w: World, leadId: string, sheet = SHEET) => view(w, sheet).row(leadId);
export const cell = (w: World, leadId: string, header: string, sheet = SHEET) =>
  view(w, sheet).cell(leadId, header);

/** The rep types into the cell of a lead's row under a header (Sheets' own coercion applies). */
export function edit(w: World, leadId: string, header: string, value: unknown, sheet = SHEET): void {
  const v = view(w, sheet);
  w.runtime.spreadsheet.userEdit(sheet, [v.row(leadId), v.col(header)], value);
}

/** The rep types a new row under the last one, a value under each header given; returns its row number. */
export function typeNewRow(w: World, values: Record<string, unknown>, sheet = SHEET): number {
  const v = view(w, sheet);
  const row = v.rows.length + 1;
  for (const [header, value] of Object.entries(values))
    w.runtime.spreadsheet.userEdit(sheet, [row, v.col(header)], value);
  return row;
}

/** Requests the bundle sent, with the API base cut off and the body parsed. */
export function sent(w: World, method?: string): Array<{ method: string; path: string; body: unknown }> {
  return w.runtime.requests
    .filter((r) => !method || r.method === method)
    .map((r) => ({
      method: r.method,
      path: r.url.replace('https://api.close.com/api/v1', ''),
      body: r.body ? JSON.parse(r.body) : undefined,
    }));
}

/** A custom field's key in Close's lead JSON. */
export const cf = (key: keyof typeof SAMPLE_FIELDS) => `custom.${SAMPLE_FIELDS[key]}`;

/** The virtual clock's 09:00 UTC as a status stamp in the sheet's zone (New York). */
export const STAMP = '2026-11-28 04:00';

/** A connected rep who has pulled (the sample organization by default); the requests log starts empty. */
export function pulled(options: WorldOptions = {}): World {
  const w = connectedWorld(options);
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  return w;
}

/**
 * A pulled world (the requests log empty) whose `during`, once set, runs once, as the rep's own action,
 * when the first request matching `when` arrives.
 */
export function pulledWithHook(when: (req: FakeRequest) => boolean) {
  let during: (() => void) | undefined;
  const w = connectedWorld({
    intercept: (req) => {
      if (during && when(req)) {
        const act = during;
        during = undefined;
        act();
      }
      return undefined;
    },
  });
  w.app.pullLeads({});
  w.runtime.requests.length = 0;
  return { w, setDuring: (f: () => void) => (during = f) };
}

/** The key's Basic authorization, as a colleague's integration sends it to Close. */
const AUTH = { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` };

/** A colleague creates a lead named `name` through Close's API; Close's answer, the new lead. */
export function createInClose(w: World, name: string) {
  return JSON.parse(
    w.close.handle({
      method: 'POST',
      url: 'https://api.close.com/api/v1/lead/',
      headers: AUTH,
      body: JSON.stringify({ name }),
    }).body,
  );
}

/**
 * A summary with its duration left out (`in …s.`): the duration is virtual time, 250 ms a fetchAll wave
 * and 30 ms a Spreadsheet call, so it moves with every call a change adds or saves.
 */
export const withoutDuration = (message: string) => message.replace(/ in \d+(\.\d)?s\./, ' in …s.');

/** What was written to Close: its reads (GETs, and the batched conflict check's searches) left out. */
export const writes = (w: World) => sent(w).filter((r) => r.method !== 'GET' && r.path !== '/data/search/');

/** The conflict check's one search for a batch of leads, as the fake Close records it (searchBody). */
export function batchedRead(ids: string[], fields: string[]) {
  return { method: 'POST', path: '/data/search/', body: searchBody(ids, fields) };
}
