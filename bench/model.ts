// The benchmark's cost model and lower bounds, as plain functions (test/unit/bench-model.test.ts checks
// them on tiny cases, so a wrong bound fails a test rather than flattering a scenario).
//
// Time a scenario is charged (virtual time of the fakes, plus the bundle's own CPU):
// - URL fetch: LATENCY_MS per fetch() or per fetchAll() wave of up to 100 requests (the reported
//   fetchAll cap, shared/reference/apps-script.md), and Close's rate limits as the fake applies them;
// - Spreadsheet service: a charge per call, plus per cell and per byte moved by getValues/setValues.
//   Published measurements (cited beside PUBLISHED below) put a call at 80–275 ms and a cell at about
//   30 µs read, with writes and formatted sheets costing more; the diagnostics' "Spreadsheet speed"
//   measurement of a rep's own spreadsheet replaces them (calibrated()).
import { PUBLISHED_SHEET_COST } from '../src/core/sheet-cost';

/** One endpoint group's limit: `limit` requests per fixed window of `windowMs` (dev/fake-close/rate-limit.ts). */
export interface RateRule {
  limit: number;
  windowMs: number;
}

export interface CostModel {
  /** Virtual time per fetch() and per fetchAll() wave. */
  latencyMs: number;
  /** Requests per fetchAll() wave. */
  concurrency: number;
  /** Per Spreadsheet-service call. */
  sheetCallMs: number;
  cellWriteUs: number;
  cellReadUs: number;
  byteWriteUs: number;
  byteReadUs: number;
  /** Where the Spreadsheet charges come from, for the printout. */
  source: string;
}

/**
 * Spreadsheet charges from published measurements: the same figures a step sizes its writes by
 * (src/core/sheet-cost.ts, where each is cited), so the product and the benchmark agree.
 * Google's best-practices page says the same in words: "Using JavaScript operations within your script
 * is considerably faster than calling other services" and "Use batch operations"
 * (https://developers.google.com/apps-script/guides/support/best-practices).
 */
export const PUBLISHED: CostModel = {
  latencyMs: 250,
  concurrency: 100,
  sheetCallMs: PUBLISHED_SHEET_COST.callMs,
  cellWriteUs: PUBLISHED_SHEET_COST.cellWriteUs,
  cellReadUs: PUBLISHED_SHEET_COST.cellReadUs,
  byteWriteUs: PUBLISHED_SHEET_COST.byteWriteUs,
  byteReadUs: PUBLISHED_SHEET_COST.byteReadUs,
  source: 'published measurements',
};

/**
 * The model calibrated by the diagnostics' "Spreadsheet speed" measurement (src/core/diagnostics): one
 * call's time, and the per-cell time of a write plus read-back (split evenly between the two).
 */
export function calibrated(base: CostModel, measured: { callMs: number; perCellUs: number }): CostModel {
  return {
    ...base,
    sheetCallMs: measured.callMs,
    cellWriteUs: measured.perCellUs / 2,
    cellReadUs: measured.perCellUs / 2,
    source: `the diagnostics measurement (${measured.callMs} ms a call, ${measured.perCellUs} µs a cell written and read)`,
  };
}

/** Reads BENCH_CALIBRATE="call=120,cell=45" (the diagnostics' "One service call" and "Per cell"). */
export function modelFromEnv(text: string | undefined, base: CostModel = PUBLISHED): CostModel {
  if (!text) return base;
  const call = /call=(\d+(?:\.\d+)?)/.exec(text);
  const cell = /cell=(\d+(?:\.\d+)?)/.exec(text);
  if (!call || !cell) throw new Error(`BENCH_CALIBRATE: expected "call=<ms>,cell=<µs>", got "${text}"`);
  return calibrated(base, { callMs: Number(call[1]), perCellUs: Number(cell[1]) });
}

export interface Volume {
  cellsWritten: number;
  bytesWritten: number;
  cellsRead: number;
  bytesRead: number;
}

/** The per-cell and per-byte charge of a volume moved through the Spreadsheet service, in ms. */
export function volumeMs(model: CostModel, v: Volume): number {
  return (
    (v.cellsWritten * model.cellWriteUs +
      v.bytesWritten * model.byteWriteUs +
      v.cellsRead * model.cellReadUs +
      v.bytesRead * model.byteReadUs) /
    1000
  );
}

/**
 * The least time `requests` requests of one endpoint group can take under the fake's rate model: a
 * fixed window admits `limit` requests at once (the whole burst, not paced), the next window opens
 * `windowMs` after the first, and each window's requests go out in waves of `concurrency`, one
 * latency each. `dependentWaves` counts the waves that must come before them (each needs the answer of
 * the one before: the schema, a conflict check), each one latency.
 */
export function requestBoundMs(requests: number, rule: RateRule, model: CostModel, dependentWaves = 0): number {
  if (requests <= 0) return dependentWaves * model.latencyMs;
  const windows = Math.ceil(requests / rule.limit);
  const last = requests - (windows - 1) * rule.limit;
  const waves = (n: number) => Math.ceil(n / model.concurrency) * model.latencyMs;
  // Every window but the last lasts at least windowMs (and at least its own waves).
  const full = (windows - 1) * Math.max(rule.windowMs, waves(Math.min(rule.limit, requests)));
  return dependentWaves * model.latencyMs + full + waves(last);
}

/*
 * The calls no implementation avoids. The model charges every Spreadsheet-service method a script calls
 * (the fakes count each one, as `--trace` lists them: a Range handle is a call too), so a bound counts
 * each method its work cannot do without:
 * - reaching a sheet: SpreadsheetApp.getActiveSpreadsheet, then one lookup (getSheetByName, getSheetById,
 *   or insertSheet for a new one) — a scheduled run has no active sheet to rely on;
 * - reaching the sheet the rep has open (a push's, from the menu or sidebar): one call,
 *   SpreadsheetApp.getActiveSheet "Gets the active sheet in a spreadsheet … the sheet that is being
 *   displayed in the spreadsheet UI" (reference/spreadsheet/spreadsheet-app#getActiveSheet);
 * - writing a block: Sheet.getRange, then Range.setValues (no Sheet method writes a rectangle;
 *   appendRow writes one row);
 * - one value for scattered cells: Sheet.getRangeList, then RangeList.setValue;
 * - a span read and written back: one Range serves getValues, getFormulas and setValues, after getRange;
 * - reading a block alone can be one call: Sheet.getSheetValues(startRow, startColumn, numRows,
 *   numColumns) "Returns the rectangular grid of values for this range starting at the given
 *   coordinates" (https://developers.google.com/apps-script/reference/spreadsheet/sheet#getsheetvaluesstartrow,-startcolumn,-numrows,-numcolumns)
 *   — a bound counts that one, as if the block's size were known without asking.
 */
export const CALLS = {
  /** getActiveSpreadsheet and a sheet lookup. */
  sheet: 2,
  /** SpreadsheetApp.getActiveSheet. */
  activeSheet: 1,
  /** getRange and setValues. */
  write: 2,
  /** getSheetValues. */
  read: 1,
  /** getRangeList and setValue. */
  rangeList: 2,
} as const;

/**
 * The least Spreadsheet time of a scenario: the calls it cannot do without (CALLS above), and the cells
 * and bytes it must move (those the visible sheet shows; the snapshot and statuses are the
 * implementation's choice).
 */
export function sheetBoundMs(model: CostModel, calls: number, v: Volume): number {
  return calls * model.sheetCallMs + volumeMs(model, v);
}

/*
 * Scattered cells. SpreadsheetApp writes one rectangle per call: Range.setValues takes a grid that must
 * match the range's dimensions (shared/reference/apps-script.md), and RangeList — the only handle on
 * non-adjacent ranges — has setValue, which "Sets the value for each Range in the range list", one value
 * for all, and no setValues (https://developers.google.com/apps-script/reference/spreadsheet/range-list).
 * So changing k cells in scattered rows of a column takes one of two ways:
 * - a write per run of adjacent rows (k calls when no two are adjacent; cells in several columns of
 *   the same row can share a call, so a bound counts the runs of all such columns together), or
 * - one read and one write of the whole span from the first to the last row: the rows in between must be
 *   written back as they are, and what they hold now (the rep's edits, anything typed) is known only by
 *   reading them.
 * Cutting a span into pieces gains nothing when the rows are spread evenly (each piece costs a read and a
 * write call and saves only the gap it skips, at the span's price per row), so a bound takes the cheaper
 * of the two whole ways. A column whose cells all get one value (a "deleted" mark) is one
 * RangeList.setValue call whatever its rows. (The Sheets API's values.batchUpdate writes many ranges in
 * one request, but it is another service, priced by nothing in this model; the add-on uses SpreadsheetApp.)
 *
 * The rep's formulas. The brief makes them the rep's to keep: a cell of a Close field that holds a
 * formula is never written over (README, "Your formulas stay formulas"). getValues hands a script a
 * formula cell's computed value ("Returns the rectangular grid of values for this range"), so neither
 * way above can keep a formula without first learning which of the cells it writes hold one — a
 * rewritten span's cells between the changed ones included, and the changed cells themselves. The one
 * priced way is Range.getFormulas ("Entries in the 2D array are empty strings for cells with no
 * formula"): one more call and a read of every cell it covers. Google's TextFinder is no cheaper way
 * with a source: matchFormulaText(true) "configures the search to return matches that appear within
 * formula text; otherwise cells with formulas are considered based on their displayed value" — it
 * still matches plain cells by their text, so no documented search text matches formula cells alone —
 * and no published measurement prices its search of a span's cells (findAll's Range[] then costs a call
 * per match to locate) (https://developers.google.com/apps-script/reference/spreadsheet/text-finder).
 * So for a column whose formulas are kept (`formulasKept`), a bound charges that read too: for the per-run
 * way, the cheaper of a getFormulas per run or one over the column's span; for a span, its formulas read
 * with its values (a bound assumes no formulas there: no bytes). The add-on's own column (Sync status,
 * where a status replaces whatever is in its cell) has none to keep.
 */

/** A column whose cells must change in scattered rows. */
export interface ScatteredColumn {
  /** Its header, for the note. */
  name: string;
  /** Sheet rows whose cell changes, ascending. */
  rows: number[];
  /** Average bytes of its cells (written, and read back by a span). */
  bytesPerCell: number;
  /** Every changed cell gets the same value: one RangeList.setValue call. */
  oneValue?: boolean;
  /** A Close field's column: the rep's formulas in it are kept, so a write needs its cells' formulas first. */
  formulasKept?: boolean;
}

/** Runs of consecutive rows in an ascending list. */
export function runsOf(rows: number[]): number {
  let runs = 0;
  rows.forEach((row, i) => {
    if (i === 0 || row !== rows[i - 1] + 1) runs++;
  });
  return runs;
}

/** Writing `cells` cells of `bytesPerCell` as `rectangles` rectangles (getRange and setValues each). */
export function perRunMs(model: CostModel, rectangles: number, cells: number, bytesPerCell: number): number {
  const written = { cellsWritten: cells, bytesWritten: cells * bytesPerCell, cellsRead: 0, bytesRead: 0 };
  return rectangles * CALLS.write * model.sheetCallMs + volumeMs(model, written);
}

/**
 * Reading `spanRows` cells of one column and writing them back through one Range (getRange, getValues,
 * setValues); with `formulas`, their formulas read through it too (see "The rep's formulas" above).
 */
export function spanMs(model: CostModel, spanRows: number, bytesPerCell: number, formulas = false): number {
  const bytes = spanRows * bytesPerCell;
  const reads = formulas ? 2 : 1;
  const moved = { cellsWritten: spanRows, bytesWritten: bytes, cellsRead: reads * spanRows, bytesRead: bytes };
  return (CALLS.write + reads) * model.sheetCallMs + volumeMs(model, moved);
}

/**
 * Learning which of `cells` cells, in `runs` runs spread over spans of `spanRows` rows in all, hold
 * formulas: a getFormulas per run (through the Range the run's write uses: one call), or one per span
 * (`spans` of them, each its own getRange and getFormulas) over every row, whichever is cheaper.
 */
export function formulaReadMs(model: CostModel, runs: number, cells: number, spans: number, spanRows: number): number {
  if (cells <= 0) return 0;
  const read = (calls: number, n: number) => calls * model.sheetCallMs + (n * model.cellReadUs) / 1000;
  return Math.min(read(runs, cells), read(2 * spans, spanRows));
}

/**
 * The least time to change `rowsTouched` cells, no two in adjacent rows, spread over `spanRows` rows of
 * one column: a call each, or the span read and rewritten, whichever is cheaper — each with the read of
 * the cells' formulas when they are kept.
 */
export function scatteredColumnMs(
  model: CostModel,
  rowsTouched: number,
  spanRows: number,
  bytesPerCell: number,
  formulasKept = false,
): number {
  if (rowsTouched <= 0) return 0;
  const formulas = formulasKept ? formulaReadMs(model, rowsTouched, rowsTouched, 1, spanRows) : 0;
  return Math.min(
    perRunMs(model, rowsTouched, rowsTouched, bytesPerCell) + formulas,
    spanMs(model, spanRows, bytesPerCell, formulasKept),
  );
}

/**
 * The least time to change the cells of several scattered columns: each column either spanned (read and
 * rewritten from its first to its last row) or written with the others a run of rows at a time — runs
 * shared between columns, a one-value column either in those runs or in one call of its own —
 * whichever split is cheapest (every split is tried: a bound has a handful of columns).
 */
export function scatteredWrites(
  model: CostModel,
  columns: ScatteredColumn[],
): { ms: number; spanned: string[]; runCalls: number } {
  const cols = columns.filter((c) => c.rows.length > 0);
  if (cols.length > 12) throw new Error(`scatteredWrites: ${cols.length} columns, at most 12`);
  const union = (list: ScatteredColumn[]) => [...new Set(list.flatMap((c) => c.rows))].sort((a, b) => a - b);
  let best = { ms: Number.POSITIVE_INFINITY, spanned: [] as string[], runCalls: 0 };
  for (let mask = 0; mask < 1 << cols.length; mask++) {
    const spanned = cols.filter((_, i) => mask & (1 << i));
    const rest = cols.filter((_, i) => !(mask & (1 << i)));
    const many = rest.filter((c) => !c.oneValue);
    const one = rest.filter((c) => c.oneValue);
    // A run of rows is a rectangle (getRange, setValues); the one-value column rides in those runs or
    // goes as one RangeList (getRangeList, setValue).
    const calls =
      rest.length === 0
        ? 0
        : Math.min(
            runsOf(union(rest)) * CALLS.write,
            runsOf(union(many)) * CALLS.write + (one.length > 0 ? CALLS.rangeList : 0),
          );
    const spanOf = (c: ScatteredColumn) => c.rows[c.rows.length - 1] - c.rows[0] + 1;
    let ms = calls * model.sheetCallMs;
    for (const c of rest) ms += perRunMs(model, 0, c.rows.length, c.bytesPerCell);
    // The kept formulas of the cells written a run at a time: a read per run (shared by the columns of
    // those rows), or one over each column's span.
    const kept = rest.filter((c) => c.formulasKept);
    ms += formulaReadMs(
      model,
      runsOf(union(kept)),
      kept.reduce((n, c) => n + c.rows.length, 0),
      kept.length,
      kept.reduce((n, c) => n + spanOf(c), 0),
    );
    for (const c of spanned) ms += spanMs(model, spanOf(c), c.bytesPerCell, c.formulasKept);
    if (ms < best.ms) best = { ms, spanned: spanned.map((c) => c.name), runCalls: calls };
  }
  return cols.length === 0 ? { ms: 0, spanned: [], runCalls: 0 } : best;
}

export interface Bound {
  ms: number;
  note: string;
}

/** Requests bound plus Spreadsheet bound (they can overlap only across steps, which a bound ignores). */
export function scenarioBound(
  parts: { requests: number; rule: RateRule; group: string; dependentWaves: number },
  sheet: { calls: number; volume: Volume; scattered?: ScatteredColumn[] },
  model: CostModel,
): Bound {
  const net = requestBoundMs(parts.requests, parts.rule, model, parts.dependentWaves);
  const scattered = scatteredWrites(model, sheet.scattered ?? []);
  const sheetMs = sheetBoundMs(model, sheet.calls, sheet.volume) + scattered.ms;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const scatteredNote = () => {
    const cols = (sheet.scattered ?? []).filter((c) => c.rows.length > 0);
    const n = (x: number) => x.toLocaleString('en-US');
    const spans = cols
      .filter((c) => scattered.spanned.includes(c.name))
      .map(
        (c) =>
          `${c.name} rows ${n(c.rows[0])}–${n(c.rows[c.rows.length - 1])} read${c.formulasKept ? ' (values and formulas)' : ''} and rewritten`,
      );
    const rest = cols.filter((c) => !scattered.spanned.includes(c.name));
    const runs = rest.length > 0 ? [`${rest.map((c) => `${n(c.rows.length)} ${c.name}`).join(' and ')} cells in ${n(scattered.runCalls)} call${scattered.runCalls === 1 ? '' : 's'}`] : [];
    return `, of it ${s(scattered.ms)} for cells in scattered rows (${[...spans, ...runs].join('; ')})`;
  };
  return {
    ms: net + sheetMs,
    note:
      `${parts.requests} × ${parts.group} in ${parts.rule.limit}/${parts.rule.windowMs / 1000}s bursts + ${parts.dependentWaves} wave${parts.dependentWaves === 1 ? '' : 's'} before: ${s(net)}; Sheets ${s(sheetMs)}` +
      (scattered.ms > 0 ? scatteredNote() : ''),
  };
}

/** Daily quotas (shared/reference/apps-script.md §4.1, from developers.google.com/apps-script/guides/services/quotas). */
export const QUOTAS = {
  consumer: { urlFetchCalls: 20_000, triggerMinutes: 90 },
  workspace: { urlFetchCalls: 100_000, triggerMinutes: 6 * 60 },
} as const;

/** A scenario's daily use when it runs `perDay` times a day: UrlFetch calls and trigger minutes. */
export function dailyUse(run: { requests: number; modelledMs: number }, perDay: number) {
  return { urlFetchCalls: run.requests * perDay, triggerMinutes: (run.modelledMs * perDay) / 60_000 };
}

/** "4,800 (24% of consumer's 20,000; 5% of Workspace's 100,000)". */
export function quotaShare(used: number, quota: keyof (typeof QUOTAS)['consumer']): string {
  const pct = (q: number) => `${Math.round((100 * used) / q)}%`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `${n(used)} (${pct(QUOTAS.consumer[quota])} of consumer's ${n(QUOTAS.consumer[quota])}; ${pct(QUOTAS.workspace[quota])} of Workspace's ${n(QUOTAS.workspace[quota])})`;
}
