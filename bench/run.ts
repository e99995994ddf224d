// `npm run bench`: the built bundle in the in-memory Apps Script runtime against the fake Close API,
// under a cost model: URL fetch latency per fetchAll wave, Close's rate limits (the fake's), a cost per
// Spreadsheet service call, and the bundle's own CPU time (measured, with the fakes' CPU subtracted).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { buildBulkOrg, DEFAULT_RATE_LIMITS } from '../dev/fake-close';
import type { FakeRequest } from '../dev/fake-close/types';
import { runToEnd, type World, makeWorld } from '../dev/world';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 250);
const SHEET_CALL_MS = Number(process.env.BENCH_SHEET_CALL_MS ?? 30);
const EXECUTION_LIMIT_MS = 6 * 60_000;
const PAGE = 200;
const FETCH_ALL_CONCURRENCY = 100;
const CUSTOM_FIELDS = 40;

interface Measure {
  scenario: string;
  requests: number;
  waves: number;
  throttled: number;
  sheetCalls: number;
  continuations: number;
  modelledMs: number;
  cpuMs: number;
  heapMb: number;
  boundMs: number;
  boundNote: string;
  check?: string;
  byMethod: Record<string, number>;
  cellsWritten: number;
  bytesWritten: number;
  cellsRead: number;
  bytesRead: number;
  bytesWrittenBySheet: Record<string, number>;
  /** Fastest and slowest CPU of the runs (the median run is reported). */
  cpuRange?: [number, number];
}

/** BENCH_PROFILE=dir: a V8 CPU profile of each scenario's measured run (not its setup), for DevTools. */
const profileTo = process.env.BENCH_PROFILE;

function startProfile(): Session {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  return session;
}

function stopProfile(session: Session, file: string): void {
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(file, JSON.stringify(result.profile));
    session.disconnect();
  });
}

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Close-side timings, so the bundle's CPU can be told apart from the fakes'. */
function instrumentedWorld(leads: number) {
  let closeMs = 0;
  let peakHeap = 0;
  let seen = 0;
  const holder: { world?: World } = {};
  const world = makeWorld({
    org: buildBulkOrg({ leads, customFields: CUSTOM_FIELDS }),
    gas: { fetchLatencyMs: LATENCY_MS, spreadsheetCallMs: SHEET_CALL_MS, maxExecutionMs: EXECUTION_LIMIT_MS },
    intercept: (req: FakeRequest) => {
      const t = performance.now();
      const res = holder.world!.close.handle(req);
      closeMs += performance.now() - t;
      if (++seen % 25 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      return res;
    },
  });
  holder.world = world;
  world.app.saveApiKey('api_test_key_1');
  return {
    world,
    closeMs: () => closeMs,
    peakHeap: () => Math.max(peakHeap, process.memoryUsage().heapUsed),
  };
}

function measure(
  scenario: string,
  setup: () => ReturnType<typeof instrumentedWorld>,
  run: (w: World) => { outcome: { done: boolean }; steps: number },
  bound: (w: World) => { ms: number; note: string },
  check?: (w: World) => string,
): Measure {
  const env = setup();
  const w = env.world;
  gc();
  const base = process.memoryUsage().heapUsed;
  const before = {
    requests: w.runtime.stats.requests,
    waves: w.runtime.stats.fetchAllCalls + w.runtime.stats.fetchCalls,
    calls: w.runtime.stats.spreadsheetCalls,
    byMethod: { ...w.runtime.stats.spreadsheetCallsByMethod },
    cellsWritten: w.runtime.stats.cellsWritten,
    bytesWritten: w.runtime.stats.bytesWritten,
    cellsRead: w.runtime.stats.cellsRead,
    bytesRead: w.runtime.stats.bytesRead,
    bySheet: { ...w.runtime.stats.bytesWrittenBySheet },
    sheetCpu: w.runtime.stats.spreadsheetCpuMs,
    closeMs: env.closeMs(),
    log: w.close.log.length,
    clock: w.clock.now(),
  };
  if (showTrace) w.runtime.stats.trace = [];
  w.runtime.startExecution();
  const profiler = profileTo ? startProfile() : null;
  const t0 = performance.now();
  const { steps } = run(w);
  const wall = performance.now() - t0;
  if (profiler) stopProfile(profiler, `${profileTo}/${scenario.replace(/\W+/g, '-')}.cpuprofile`);
  const cpuMs = wall - (env.closeMs() - before.closeMs) - (w.runtime.stats.spreadsheetCpuMs - before.sheetCpu);
  const throttled = w.close.log.slice(before.log).filter((e) => e.status === 429).length;
  const b = bound(w);
  if (showTrace) {
    const lines: string[] = [];
    for (const call of w.runtime.stats.trace ?? []) {
      const last = lines[lines.length - 1];
      const m = last?.match(/^(.*?)(?: ×(\d+))?$/);
      if (m && m[1] === call) lines[lines.length - 1] = `${call} ×${Number(m[2] ?? 1) + 1}`;
      else lines.push(call);
    }
    console.log(`\nTrace, ${scenario}:\n  ${lines.join('\n  ')}`);
    w.runtime.stats.trace = undefined;
  }
  return {
    scenario,
    requests: w.runtime.stats.requests - before.requests,
    waves: w.runtime.stats.fetchAllCalls + w.runtime.stats.fetchCalls - before.waves,
    throttled,
    sheetCalls: w.runtime.stats.spreadsheetCalls - before.calls,
    continuations: steps - 1,
    modelledMs: w.clock.now() - before.clock + cpuMs,
    cpuMs,
    heapMb: (env.peakHeap() - base) / 1e6,
    boundMs: b.ms,
    boundNote: b.note,
    check: check?.(w),
    cellsWritten: w.runtime.stats.cellsWritten - before.cellsWritten,
    bytesWritten: w.runtime.stats.bytesWritten - before.bytesWritten,
    cellsRead: w.runtime.stats.cellsRead - before.cellsRead,
    bytesRead: w.runtime.stats.bytesRead - before.bytesRead,
    bytesWrittenBySheet: Object.fromEntries(
      Object.entries(w.runtime.stats.bytesWrittenBySheet)
        .map(([m, n]) => [m, n - (before.bySheet[m] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
    byMethod: Object.fromEntries(
      Object.entries(w.runtime.stats.spreadsheetCallsByMethod)
        .map(([m, n]) => [m, n - (before.byMethod[m] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
  };
}

/** Requests at the maximum page size, paced at the group's sustained rate, plus one round trip. */
function pacedBound(requests: number, group: string): { ms: number; note: string } {
  const rule = DEFAULT_RATE_LIMITS[group] ?? DEFAULT_RATE_LIMITS.default;
  const perSecond = (rule.limit / rule.windowMs) * 1000;
  const ms = Math.max((requests / perSecond) * 1000, Math.ceil(requests / FETCH_ALL_CONCURRENCY) * LATENCY_MS) + LATENCY_MS;
  return { ms, note: `${requests} × ${group} at ${perSecond}/s` };
}

function pullScenario(leads: number): Measure {
  return measure(
    `pull ${leads.toLocaleString('en-US')} leads × ${CUSTOM_FIELDS} custom fields`,
    () => instrumentedWorld(leads),
    (w) => runToEnd(w, w.app.pullLeads({})),
    () => pacedBound(Math.ceil(leads / PAGE), 'GET /lead/'),
    (w) => {
      const sheet = w.runtime.spreadsheet.dump('Close Leads');
      const idAt = (sheet[0] as string[]).indexOf('Lead ID');
      const ids = sheet
        .slice(1)
        .map((r) => r[idAt])
        .filter((id) => id !== '');
      const unique = new Set(ids).size;
      const ordered = [...w.close.leads.values()]
        .sort((a, b) => (a.date_created < b.date_created ? -1 : a.date_created > b.date_created ? 1 : a.id < b.id ? -1 : 1))
        .map((l) => l.id);
      const inOrder = ids.every((id, i) => id === ordered[i]);
      return `${ids.length} rows, ${unique} unique, ${inOrder ? 'in Close order' : 'NOT in order'}`;
    },
  );
}

/** A pulled 10,000-lead sheet where `edited` leads have a new Description. */
function editedWorld(edited: number) {
  const env = instrumentedWorld(Math.max(10_000, edited));
  runToEnd(env.world, env.world.app.pullLeads({}));
  const book = env.world.runtime.spreadsheet;
  const header = book.read('Close Leads', '1:1')[0];
  const col = header.indexOf('Description') + 1;
  for (let r = 2; r < 2 + edited; r++) book.userEdit('Close Leads', [r, col], `Edited in the benchmark, row ${r}`);
  return env;
}

function pushScenario(edited: number): Measure {
  return measure(
    `push ${edited.toLocaleString('en-US')} edited leads`,
    () => editedWorld(edited),
    (w) => runToEnd(w, w.app.pushChanges({})),
    () => pacedBound(edited, 'PUT /lead/{id}/'),
    (w) => {
      const puts = w.close.log.filter((e) => e.method === 'PUT' && e.status === 200);
      const perLead = new Map<string, number>();
      for (const p of puts) perLead.set(p.path, (perLead.get(p.path) ?? 0) + 1);
      const once = [...perLead.values()].every((n) => n === 1);
      return `${perLead.size} leads updated, ${once ? 'each exactly once' : 'SOME TWICE'}`;
    },
  );
}

function repullScenario(): Measure {
  const leads = 10_000;
  return measure(
    're-pull 10,000 leads, 1% changed in Close',
    () => {
      const env = instrumentedWorld(leads);
      runToEnd(env.world, env.world.app.pullLeads({}));
      const ids = [...env.world.close.leads.keys()];
      for (let i = 0; i < leads / 100; i++) env.world.close.touchLead(ids[i * 100], { description: `changed ${i}` });
      return env;
    },
    (w) => runToEnd(w, w.app.pullLeads({})),
    () => pacedBound(Math.ceil(leads / PAGE), 'GET /lead/'),
  );
}

const showCalls = process.argv.includes('--calls');
const showTrace = process.argv.includes('--trace');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const scenarios: Array<[string, () => Measure]> = [
  ['pull10k', () => pullScenario(10_000)],
  ['pull50k', () => pullScenario(50_000)],
  ['push1k', () => pushScenario(1_000)],
  ['push5k', () => pushScenario(5_000)],
  ['repull', () => repullScenario()],
];

/**
 * CPU time is noisy (GC, JIT, a shared machine): each scenario runs BENCH_RUNS times (default 3); the
 * median run is reported, with the fastest and slowest CPU beside it.
 */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

const results: Measure[] = [];
for (const [name, run] of scenarios) {
  if (only.length > 0 && !only.includes(name)) continue;
  const runs: Measure[] = [];
  for (let i = 0; i < RUNS; i++) {
    process.stderr.write(`running ${name} (${i + 1}/${RUNS})…\n`);
    runs.push(run());
    gc();
  }
  runs.sort((a, b) => a.modelledMs - b.modelledMs);
  const cpus = runs.map((r) => r.cpuMs);
  results.push({ ...runs[Math.floor(runs.length / 2)], cpuRange: [Math.min(...cpus), Math.max(...cpus)] });
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `Median of ${RUNS} run${RUNS === 1 ? '' : 's'} per scenario. Cost model: URL fetch ${LATENCY_MS} ms per fetchAll wave (≤ ${FETCH_ALL_CONCURRENCY} concurrent), ` +
    `${SHEET_CALL_MS} ms per Spreadsheet call, Apps Script limit ${EXECUTION_LIMIT_MS / 60_000} min per execution; ` +
    `Close rate limits per key: ${Object.entries(DEFAULT_RATE_LIMITS)
      .map(([g, r]) => `${g} ${r.limit}/${r.windowMs / 1000}s`)
      .join(', ')}. Modelled time = virtual time (latency, waits, Sheets calls) + the bundle's CPU.\n`,
);
console.log('| scenario | requests | fetchAll waves | 429s | Sheets calls | continuations | modelled time | CPU | peak heap | lower bound | ratio | check |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of results)
  console.log(
    `| ${r.scenario} | ${r.requests} | ${r.waves} | ${r.throttled} | ${r.sheetCalls} | ${r.continuations} | ${s(r.modelledMs)} | ` +
      `${Math.round(r.cpuMs)} ms${r.cpuRange && RUNS > 1 ? ` (${Math.round(r.cpuRange[0])}–${Math.round(r.cpuRange[1])})` : ''} | ${Math.round(r.heapMb)} MB | ${s(r.boundMs)} (${r.boundNote}) | ${(r.modelledMs / r.boundMs).toFixed(2)} | ${r.check ?? ''} |`,
  );

console.log('\nTargets:');
const target = (ok: boolean, text: string) => console.log(`- [${ok ? 'x' : ' '}] ${text}`);
for (const r of results) target(r.modelledMs <= 1.5 * r.boundMs, `${r.scenario}: modelled time within 1.5× of the lower bound (${(r.modelledMs / r.boundMs).toFixed(2)}×)`);
const pulls = results.filter((r) => r.scenario.startsWith('pull'));
for (const r of pulls) {
  const leads = Number(r.scenario.match(/pull ([\d,]+)/)![1].replace(/,/g, ''));
  target(r.cpuMs / (leads / 10_000) < 2000, `${r.scenario}: CPU per 10,000 leads under 2 s (${Math.round(r.cpuMs / (leads / 10_000))} ms)`);
}
if (pulls.length === 2)
  target(
    Math.abs(pulls[0].sheetCalls - pulls[1].sheetCalls) <= 2 * (pulls[1].continuations + 1) * 20,
    `Sheets calls per pull O(chunks), not O(rows): ${pulls[0].sheetCalls} for 10,000 vs ${pulls[1].sheetCalls} for 50,000`,
  );
const big = results.find((r) => r.scenario.startsWith('pull 50,000'));
if (big) target(Boolean(big.check?.includes('50000 unique') && big.check.includes('in Close order')), `50,000-lead pull completes across continuations with every lead exactly once: ${big.check}`);

if (showCalls)
  for (const r of results) {
    const top = Object.entries(r.byMethod).sort((a, b) => b[1] - a[1]);
    console.log(`\nSheets calls, ${r.scenario}: ${top.map(([m, n]) => `${m} ${n}`).join(', ')}`);
  }
