// The benchmark's lower bound and cost model (bench/model.ts) on tiny cases, worked by hand: a wrong
// bound would make every ratio in the README's table wrong, so it fails here first.
import {
  calibrated,
  dailyUse,
  modelFromEnv,
  PUBLISHED,
  quotaShare,
  requestBoundMs,
  scenarioBound,
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
