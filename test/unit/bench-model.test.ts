// The benchmark's lower bound and cost model (bench/model.ts) on tiny cases, worked by hand: a wrong
// bound would make every ratio in the README's table wrong, so it fails here first.
import {
  calibrated,
  dailyUse,
  formulaReadMs,
  modelFromEnv,
  PUBLISHED,
  perRunMs,
  quotaShare,
  requestBoundMs,
  runsOf,
  scatteredColumnMs,
  scatteredWrites,
  scenarioBound,
  spanMs,
  volumeMs,
} from '../../bench/model';

const model = { ...PUBLISHED, latencyMs: 250, concurrency: 100 };
const rule = { limit: 160, windowMs: 8000 };

test('requests inside one window go at once: one latency per wave of 100, no pacing', () => {
  expect(requestBoundMs(1, rule, model)).toBe(250);
  expect(requestBoundMs(100, rule, model)).toBe(250);
  expect(requestBoundMs(101, rule, model)).toBe(500);
  // The whole burst of 160 in the first window: two waves, not 160 / 20 per second = 8 s.
  expect(requestBoundMs(160, rule, model)).toBe(500);
});

test('past the burst, each further window opens a window length after the one before', () => {
  // 161: window 1 (160) then window 2 opens at 8 s with 1 request: 8 s + one wave.
  expect(requestBoundMs(161, rule, model)).toBe(8250);
  // 5,000 PUTs: 32 windows, the last with 5,000 − 31 × 160 = 40 requests: 31 × 8 s + 250 ms.
  expect(requestBoundMs(5000, rule, model)).toBe(248_250);
  // A window whose own waves outlast it: 1,000 a window, 10 waves of 250 ms = 2.5 s > 2 s.
  expect(requestBoundMs(1500, { limit: 1000, windowMs: 2000 }, model)).toBe(2500 + 5 * 250);
});

test('dependent waves come before, one latency each; no requests leaves only them', () => {
  expect(requestBoundMs(50, rule, model, 2)).toBe(750);
  expect(requestBoundMs(0, rule, model, 1)).toBe(250);
});

test('the Spreadsheet charge: per call, per cell and per byte, written and read', () => {
  const v = { cellsWritten: 1000, bytesWritten: 20_000, cellsRead: 2000, bytesRead: 40_000 };
  // 1000 × 40 µs + 20,000 × 1 µs + 2000 × 30 µs + 40,000 × 0.25 µs = 40 + 20 + 60 + 10 ms.
  expect(volumeMs(PUBLISHED, v)).toBe(130);
  const bound = scenarioBound(
    { requests: 50, rule: { limit: 320, windowMs: 8000 }, group: 'GET /lead/', dependentWaves: 0 },
    { calls: 2, volume: v },
    model,
  );
  expect(bound).toEqual({
    ms: 250 + 2 * 30 + 130,
    note: '50 × GET /lead/ in 320/8s bursts + 0 waves before: 0.3 s; Sheets 0.2 s',
  });
});

test('the diagnostics measurement calibrates the call and cell charges (per cell split between write and read)', () => {
  const m = calibrated(PUBLISHED, { callMs: 120, perCellUs: 90 });
  expect(m).toMatchObject({
    sheetCallMs: 120,
    cellWriteUs: 45,
    cellReadUs: 45,
    byteWriteUs: 1,
    byteReadUs: 0.25,
  });
  expect(modelFromEnv('call=120,cell=90')).toEqual(m);
  expect(modelFromEnv(undefined)).toBe(PUBLISHED);
  expect(() => modelFromEnv('fast')).toThrow('BENCH_CALIBRATE: expected "call=<ms>,cell=<µs>", got "fast"');
});

test('daily quota use beside the consumer and Workspace quotas', () => {
  expect(dailyUse({ requests: 12, modelledMs: 30_000 }, 24)).toEqual({
    urlFetchCalls: 288,
    triggerMinutes: 12,
  });
  expect(quotaShare(10_000, 'urlFetchCalls')).toBe(
    "10,000 (50% of consumer's 20,000; 10% of Workspace's 100,000)",
  );
  expect(quotaShare(45, 'triggerMinutes')).toBe("45 (50% of consumer's 90; 13% of Workspace's 360)");
});

test('runs of adjacent rows: each run is one rectangle, so one write', () => {
  expect(runsOf([])).toBe(0);
  expect(runsOf([7])).toBe(1);
  expect(runsOf([2, 3, 4, 10, 12, 13])).toBe(3);
});

test('scattered cells of one column: a write each, or the span read and rewritten, whichever is cheaper', () => {
  // A write each is a getRange and a setValues (model.ts CALLS): 3 × 2 × 30 ms + 3 cells × 40 µs + 3 × 4
  // bytes × 1 µs.
  expect(perRunMs(PUBLISHED, 3, 3, 4)).toBeCloseTo(180.132, 9);
  // The span of 1,000 rows through one Range: getRange, getValues, setValues (3 × 30 ms), 1,000 cells ×
  // (30 + 40) µs, 4,000 bytes × (0.25 + 1) µs.
  expect(spanMs(PUBLISHED, 1000, 4)).toBeCloseTo(90 + 70 + 5, 9);
  // Two cells over 1,000 rows: two writes (120.088 ms) beat the span (165 ms); three (180.132 ms) do not.
  expect(scatteredColumnMs(PUBLISHED, 2, 1000, 4)).toBeCloseTo(120.088, 9);
  expect(scatteredColumnMs(PUBLISHED, 3, 1000, 4)).toBeCloseTo(165, 9);
  expect(scatteredColumnMs(PUBLISHED, 0, 1000, 4)).toBe(0);
});

test('columns changed in the same rows share their calls; a one-value column is a RangeList or rides in those runs', () => {
  const at = [2, 102, 202];
  // Two columns on the same three rows: three writes serve both (6 calls × 30 ms + 6 cells × 40 µs),
  // cheaper than spanning each (2 × (90 ms + 201 rows × 70 µs) = 208.14 ms) or pricing each column alone.
  const both = scatteredWrites(PUBLISHED, [
    { name: 'A', rows: at, bytesPerCell: 0 },
    { name: 'B', rows: at, bytesPerCell: 0 },
  ]);
  expect(both.ms).toBeCloseTo(180.24, 9);
  expect(both).toMatchObject({ spanned: [], runCalls: 6 });
  expect(2 * scatteredColumnMs(PUBLISHED, 3, 201, 0)).toBeCloseTo(208.14, 9);
  // A mark on three other rows, one value for all: alone it is a RangeList (getRangeList, setValue: 60 ms)
  // and 3 cells…
  const marks = { name: 'M', rows: [50, 150, 250], bytesPerCell: 0, oneValue: true };
  expect(scatteredWrites(PUBLISHED, [marks]).ms).toBeCloseTo(60.12, 9);
  // …and beside A's rows (not next to them), A spanned (90 ms + 201 rows × 70 µs) plus that RangeList:
  // 164.19 ms, less than three writes and the RangeList (240.24 ms) or six writes (360.24 ms).
  const withA = scatteredWrites(PUBLISHED, [{ name: 'A', rows: at, bytesPerCell: 0 }, marks]);
  expect(withA.ms).toBeCloseTo(104.07 + 60.12, 9);
  expect(withA).toMatchObject({ spanned: ['A'], runCalls: 2 });
  // Marks right below A's rows ride in A's runs (rows 2–3, 1,002–1,003, 2,002–2,003): 3 writes, 6 cells,
  // where A's span (90 ms + 2,001 rows × 70 µs, and the RangeList: 290.19 ms) costs more.
  const far = [2, 1002, 2002];
  const below = { ...marks, rows: [3, 1003, 2003] };
  const riding = scatteredWrites(PUBLISHED, [{ name: 'A', rows: far, bytesPerCell: 0 }, below]);
  expect(riding.ms).toBeCloseTo(180.24, 9);
  expect(riding).toMatchObject({ spanned: [], runCalls: 6 });
  expect(scatteredWrites(PUBLISHED, [])).toEqual({ ms: 0, spanned: [], runCalls: 0 });
});

test('many scattered rows: the span is read and rewritten, and the bound says so', () => {
  // 500 rows every 100th over rows 2–49,902 of an empty column (0 bytes): 500 writes = 1,000 calls = 30 s;
  // the span costs 90 ms + 49,901 rows × 70 µs = 3,583.07 ms. A mark on 100 rows: a RangeList (two calls)
  // and 100 cells × 40 µs.
  const changed = Array.from({ length: 500 }, (_, i) => 2 + 100 * i);
  const deleted = Array.from({ length: 100 }, (_, i) => 3 + 100 * i);
  const scattered = [
    { name: 'Description', rows: changed, bytesPerCell: 0 },
    { name: 'Sync status', rows: deleted, bytesPerCell: 0, oneValue: true },
  ];
  const w = scatteredWrites(PUBLISHED, scattered);
  expect(w).toMatchObject({ spanned: ['Description'], runCalls: 2 });
  expect(w.ms).toBeCloseTo(3583.07 + 64, 9);
  const bound = scenarioBound(
    { requests: 4, rule: { limit: 320, windowMs: 8000 }, group: 'GET /lead/', dependentWaves: 0 },
    { calls: 1, volume: { cellsWritten: 0, bytesWritten: 0, cellsRead: 0, bytesRead: 0 }, scattered },
    model,
  );
  expect(bound.ms).toBeCloseTo(250 + 30 + 3647.07, 9);
  expect(bound.note).toBe(
    '4 × GET /lead/ in 320/8s bursts + 0 waves before: 0.3 s; Sheets 3.7 s, of it 3.6 s for cells in scattered ' +
      'rows (Description rows 2–49,902 read and rewritten; 100 Sync status cells in 2 calls)',
  );
});

test("a column whose formulas are kept (a Close field's): every way of writing it reads the formulas of the cells it covers first", () => {
  // The span through one Range: getRange, values, formulas and the write, 4 × 30 ms; 1,000 cells ×
  // (40 + 2 × 30) µs; 4,000 bytes × (1 + 0.25) µs.
  expect(spanMs(PUBLISHED, 1000, 4, true)).toBeCloseTo(120 + 100 + 5, 9);
  // The formulas of 3 cells over 1,000 rows: a getFormulas per run through the write's Range (90.09 ms)
  // or one over the span, its own getRange and getFormulas (60 + 30 ms).
  expect(formulaReadMs(PUBLISHED, 3, 3, 1, 1000)).toBeCloseTo(90, 9);
  expect(formulaReadMs(PUBLISHED, 1, 1, 1, 1000)).toBeCloseTo(30.03, 9);
  expect(formulaReadMs(PUBLISHED, 0, 0, 1, 1000)).toBe(0);
  // Two cells: two writes (120.088 ms) and their formulas (60.06 ms) beat the span (225 ms); three
  // (180.132 + 90 ms) do not.
  expect(scatteredColumnMs(PUBLISHED, 2, 1000, 4, true)).toBeCloseTo(180.148, 9);
  expect(scatteredColumnMs(PUBLISHED, 3, 1000, 4, true)).toBeCloseTo(225, 9);
  // Two kept columns on the same three rows: 3 writes (6 calls, 180.24 ms) and their formulas read through
  // the same Ranges (3 calls and 6 cells: 90.18 ms), cheaper than a getFormulas over each column's span
  // (4 calls and 402 cells: 132.06 ms) or any span.
  const at = [2, 102, 202];
  const both = scatteredWrites(PUBLISHED, [
    { name: 'A', rows: at, bytesPerCell: 0, formulasKept: true },
    { name: 'B', rows: at, bytesPerCell: 0, formulasKept: true },
  ]);
  expect(both.ms).toBeCloseTo(180.24 + 90.18, 9);
  expect(both).toMatchObject({ spanned: [], runCalls: 6 });
  // The 50,000-lead refresh's Description: 500 rows every 100th over rows 2–49,902, its span read with
  // its formulas: 120 ms + 49,901 × 100 µs = 5,110.1 ms (1,527.03 ms more than without the formulas).
  const changed = Array.from({ length: 500 }, (_, i) => 2 + 100 * i);
  const description = { name: 'Description', rows: changed, bytesPerCell: 0, formulasKept: true };
  const w = scatteredWrites(PUBLISHED, [description]);
  expect(w).toMatchObject({ spanned: ['Description'], runCalls: 0 });
  expect(w.ms).toBeCloseTo(5110.1, 9);
  const bound = scenarioBound(
    { requests: 4, rule: { limit: 320, windowMs: 8000 }, group: 'GET /lead/', dependentWaves: 0 },
    {
      calls: 0,
      volume: { cellsWritten: 0, bytesWritten: 0, cellsRead: 0, bytesRead: 0 },
      scattered: [description],
    },
    model,
  );
  expect(bound.note).toBe(
    '4 × GET /lead/ in 320/8s bursts + 0 waves before: 0.3 s; Sheets 5.1 s, of it 5.1 s for cells in scattered ' +
      'rows (Description rows 2–49,902 read (values and formulas) and rewritten)',
  );
});
