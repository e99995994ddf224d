// `npm run bench`: the built bundle in the in-memory Apps Script runtime against the fake Close API,
// under the cost model of bench/model.ts: URL fetch latency per fetchAll wave, Close's rate limits (the
// fake's), a charge per Spreadsheet call and per cell and byte moved (virtual time, so a step's deadline
// sees it as Apps Script would), and the bundle's own CPU time (measured, the fakes' CPU subtracted).
// Each scenario is set against its lower bound (model.ts) and the issue's targets. `-- --readme`
// rewrites the README's benchmark section (between its bench markers) with what it printed.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { buildBulkOrg, DEFAULT_RATE_LIMITS } from '../dev/fake-close';
import type { FakeRequest } from '../dev/fake-close/types';
import { makeWorld, runToEnd, type World } from '../dev/world';
import {
  type Bound,
  CALLS,
  dailyUse,
  modelFromEnv,
  PUBLISHED,
  QUOTAS,
  quotaShare,
  type RateRule,
  scenarioBound,
  volumeMs,
} from './model';

const MODEL = modelFromEnv(process.env.BENCH_CALIBRATE, {
  ...PUBLISHED,
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? PUBLISHED.latencyMs),
});
const EXECUTION_LIMIT_MS = 6 * 60_000;
const PAGE = 200;
const CUSTOM_FIELDS = 40;
const SHEET = 'Close Leads';
const SNAPSHOT = `Close Sync snapshot · ${SHEET}`;
const rule = (group: string): RateRule => DEFAULT_RATE_LIMITS[group] ?? DEFAULT_RATE_LIMITS.default;

interface Target {
  text: string;
  ok: boolean;
}

interface Measure {
  key: string;
  scenario: string;
  requests: number;
  throttled: number;
  sheetCalls: number;
  cellsWritten: number;
  bytesWritten: number;
  cellsRead: number;
  bytesRead: number;
  /** Bytes written into the visible sheet and into its hidden snapshot. */
  visibleBytes: number;
  snapshotBytes: number;
  continuations: number;
  modelledMs: number;
  cpuMs: number;
  heapMb: number;
  bound: Bound;
  check: string;
  targets: Target[];
  byMethod: Record<string, number>;
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

interface Env {
  world: World;
  closeMs: () => number;
  peakHeap: () => number;
  /** What the setup measured, for targets relative to it (a first pull's cells). */
  setup: {
    cellsWritten: number;
    /**
     * Where a re-pull must write in scattered rows, as the pulled sheet stood before Close changed: the
     * sheet rows of the changed and of the deleted leads, and the average bytes of the cells of the
     * columns written there (what a span rewrite reads and writes back).
     */
    scattered?: { changed: number[]; deleted: number[]; bytes: Record<string, number> };
  };
}

/** Close-side timings, so the bundle's CPU can be told apart from the fakes'. */
function instrumentedWorld(leads: number): Env {
  let closeMs = 0;
  let peakHeap = 0;
  let seen = 0;
  const holder: { world?: World } = {};
  const world = makeWorld({
    org: buildBulkOrg({ leads, customFields: CUSTOM_FIELDS }),
    gas: {
      fetchLatencyMs: MODEL.latencyMs,
      spreadsheetCallMs: MODEL.sheetCallMs,
      spreadsheetVolumeCost: MODEL,
      maxExecutionMs: EXECUTION_LIMIT_MS,
    },
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
    setup: { cellsWritten: 0 },
  };
}

/** A first pull as a scenario's setup, its cells written remembered. */
function pulledWorld(leads: number): Env {
  const env = instrumentedWorld(leads);
  runToEnd(env.world, env.world.app.pullLeads({}));
  env.setup.cellsWritten = env.world.runtime.stats.cellsWritten;
  return env;
}

type Measured = Omit<Measure, 'bound' | 'check' | 'targets' | 'cpuRange' | 'key' | 'scenario'>;

function measure(
  key: string,
  scenario: string,
  setup: () => Env,
  run: (w: World) => { steps: number; error?: string },
  judge: (w: World, m: Measured, env: Env, error?: string) => { bound: Bound; check: string; targets: Target[] },
): Measure {
  const env = setup();
  const w = env.world;
  const stats = w.runtime.stats;
  gc();
  const base = process.memoryUsage().heapUsed;
  const before = {
    requests: stats.requests,
    calls: stats.spreadsheetCalls,
    byMethod: { ...stats.spreadsheetCallsByMethod },
    sheetCpu: stats.spreadsheetCpuMs,
    cellsWritten: stats.cellsWritten,
    bytesWritten: stats.bytesWritten,
    cellsRead: stats.cellsRead,
    bytesRead: stats.bytesRead,
    bySheet: { ...stats.bytesWrittenBySheet },
    closeMs: env.closeMs(),
    log: w.close.log.length,
    clock: w.clock.now(),
  };
  if (showTrace) stats.trace = [];
  w.runtime.startExecution();
  const profiler = profileTo ? startProfile() : null;
  const t0 = performance.now();
  const { steps, error } = run(w);
  const wall = performance.now() - t0;
  if (profiler) stopProfile(profiler, `${profileTo}/${key}.cpuprofile`);
  const cpuMs = wall - (env.closeMs() - before.closeMs) - (stats.spreadsheetCpuMs - before.sheetCpu);
  if (showTrace) printTrace(scenario, stats.trace ?? []);
  stats.trace = undefined;
  const sheetBytes = (name: string) => (stats.bytesWrittenBySheet[name] ?? 0) - (before.bySheet[name] ?? 0);
  const m: Measured = {
    requests: stats.requests - before.requests,
    throttled: w.close.log.slice(before.log).filter((e) => e.status === 429).length,
    sheetCalls: stats.spreadsheetCalls - before.calls,
    cellsWritten: stats.cellsWritten - before.cellsWritten,
    bytesWritten: stats.bytesWritten - before.bytesWritten,
    cellsRead: stats.cellsRead - before.cellsRead,
    bytesRead: stats.bytesRead - before.bytesRead,
    visibleBytes: sheetBytes(SHEET),
    snapshotBytes: sheetBytes(SNAPSHOT),
    continuations: steps - 1,
    modelledMs: w.clock.now() - before.clock + cpuMs,
    cpuMs,
    heapMb: (env.peakHeap() - base) / 1e6,
    byMethod: Object.fromEntries(
      Object.entries(stats.spreadsheetCallsByMethod)
        .map(([k, n]) => [k, n - (before.byMethod[k] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    ),
  };
  const judged = judge(w, m, env, error);
  // With the trace, the run's exact split: the virtual part does not move with the machine's load.
  if (showTrace)
    console.log(
      `  ${m.sheetCalls} Sheets calls; virtual ${Math.round(m.modelledMs - m.cpuMs)} ms + CPU ${Math.round(m.cpuMs)} ms = ${Math.round(m.modelledMs)} ms; bound ${Math.round(judged.bound.ms)} ms; ratio ${(m.modelledMs / judged.bound.ms).toFixed(3)} (${((m.modelledMs - m.cpuMs) / judged.bound.ms).toFixed(3)} without the CPU)`,
    );
  return { key, scenario, ...m, ...judged };
}

function printTrace(scenario: string, trace: string[]): void {
  const lines: string[] = [];
  for (const call of trace) {
    const last = lines[lines.length - 1];
    const m = last?.match(/^(.*?)(?: ×(\d+))?$/);
    if (m && m[1] === call) lines[lines.length - 1] = `${call} ×${Number(m[2] ?? 1) + 1}`;
    else lines.push(call);
  }
  console.log(`\nTrace, ${scenario}:\n  ${lines.join('\n  ')}`);
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ratio = (m: { modelledMs: number }, b: Bound) => m.modelledMs / b.ms;
const within = (m: { modelledMs: number }, b: Bound, times: number): Target => ({
  text: `≤ ${times}× bound (${ratio(m, b).toFixed(2)}×)`,
  ok: ratio(m, b) <= times,
});

/** The visible sheet's ids, in sheet order. */
function sheetIds(w: World): string[] {
  const sheet = w.runtime.spreadsheet.dump(SHEET);
  const idAt = (sheet[0] as string[]).indexOf('Lead ID');
  return sheet
    .slice(1)
    .map((r) => String(r[idAt]))
    .filter((id) => id !== '');
}

/** A cell's bytes as the fake Spreadsheet charges them (dev/gas-fakes/range.ts valueBytes). */
function cellBytes(v: unknown): number {
  return typeof v === 'string' ? Buffer.byteLength(v) : v instanceof Date ? 8 : v === '' ? 0 : String(v).length;
}

function visibleVolume(w: World): { cells: number; bytes: number; rows: number; columns: number } {
  const sheet = w.runtime.spreadsheet.dump(SHEET);
  let bytes = 0;
  for (const row of sheet) for (const v of row) bytes += cellBytes(v);
  return { cells: sheet.length * (sheet[0]?.length ?? 0), bytes, rows: sheet.length, columns: sheet[0]?.length ?? 0 };
}

/** The average bytes of a visible column's data cells, by its header. */
function columnBytes(w: World, header: string): number {
  const [head, ...rows] = w.runtime.spreadsheet.dump(SHEET);
  const at = (head as string[]).indexOf(header);
  if (at < 0) throw new Error(`no column "${header}" in ${SHEET}`);
  return rows.reduce((sum, r) => sum + cellBytes(r[at]), 0) / Math.max(1, rows.length);
}

function pullScenario(leads: number): Measure {
  const label = leads.toLocaleString('en-US');
  return measure(
    `pull${leads / 1000}k`,
    `pull ${label} leads × ${CUSTOM_FIELDS} custom fields`,
    () => instrumentedWorld(leads),
    (w) => runToEnd(w, w.app.pullLeads({})),
    (w, m) => {
      const ids = sheetIds(w);
      const unique = new Set(ids).size;
      const ordered = [...w.close.leads.values()]
        .sort((a, b) => (a.date_created < b.date_created ? -1 : a.date_created > b.date_created ? 1 : a.id < b.id ? -1 : 1))
        .map((l) => l.id);
      const inOrder = ids.every((id, i) => id === ordered[i]);
      const visible = visibleVolume(w);
      // The least a first pull does: its pages, and the visible sheet's cells written in one block of a
      // new sheet (model.ts CALLS: the sheet made, the block written).
      const bound = scenarioBound(
        { requests: Math.ceil(leads / PAGE), rule: rule('GET /lead/'), group: 'GET /lead/', dependentWaves: 0 },
        { calls: CALLS.sheet + CALLS.write, volume: { cellsWritten: visible.cells, bytesWritten: visible.bytes, cellsRead: 0, bytesRead: 0 } },
        MODEL,
      );
      const cpuPer10k = m.cpuMs / (leads / 10_000);
      return {
        bound,
        check: `${n(ids.length)} rows, ${n(unique)} unique, ${inOrder ? 'in Close order' : 'NOT in order'}`,
        targets: [
          within(m, bound, 1.5),
          {
            text: `snapshot ≤ ½ visible bytes (${(m.snapshotBytes / 1e6).toFixed(1)} of ${(m.visibleBytes / 1e6).toFixed(1)} MB)`,
            ok: m.snapshotBytes <= m.visibleBytes / 2,
          },
          { text: `CPU < 2 s per 10,000 leads (${n(cpuPer10k)} ms)`, ok: cpuPer10k < 2000 },
          { text: 'every lead once, in order', ok: ids.length === leads && unique === leads && inOrder },
        ],
      };
    },
  );
}

/** A pulled sheet (10,000 leads, or as many as edited) where `edited` leads have a new Description. */
function editedWorld(edited: number): Env {
  const env = pulledWorld(Math.max(10_000, edited));
  const book = env.world.runtime.spreadsheet;
  const header = book.read(SHEET, '1:1')[0];
  const col = header.indexOf('Description') + 1;
  for (let r = 2; r < 2 + edited; r++) book.userEdit(SHEET, [r, col], `Edited in the benchmark, row ${r}`);
  return env;
}

/** Successful PUTs per lead path, from the fake Close's log since `from`. */
function putsPerLead(w: World, from: number): Map<string, number> {
  const perLead = new Map<string, number>();
  for (const e of w.close.log.slice(from))
    if (e.method === 'PUT' && e.status === 200) perLead.set(e.path, (perLead.get(e.path) ?? 0) + 1);
  return perLead;
}

/**
 * The least a push of `leads` edited leads does: one PUT each, after one wave that learns which of
 * them changed in Close (a batched check); read the sheet once, write one status cell per lead. A push
 * works on the sheet the rep has open (pushChanges without a sheet name: sheet-identity.ts pushTarget),
 * so reaching it can be one call (model.ts CALLS.activeSheet); an undo's sheet is the last push's,
 * whichever is open, so it is looked up (`reach` CALLS.sheet).
 */
function pushBound(w: World, leads: number, reach: number = CALLS.activeSheet): Bound {
  const visible = visibleVolume(w);
  return scenarioBound(
    { requests: leads, rule: rule('PUT /lead/{id}/'), group: 'PUT /lead/{id}/', dependentWaves: 1 },
    {
      calls: reach + CALLS.read + CALLS.write,
      volume: { cellsWritten: leads, bytesWritten: leads * 20, cellsRead: visible.cells, bytesRead: visible.bytes },
    },
    MODEL,
  );
}

function pushScenario(edited: number): Measure {
  let logFrom = 0;
  return measure(
    `push${edited / 1000}k`,
    `push ${edited.toLocaleString('en-US')} edited leads`,
    () => {
      const env = editedWorld(edited);
      logFrom = env.world.close.log.length;
      return env;
    },
    (w) => runToEnd(w, w.app.pushChanges({})),
    (w, m) => {
      const perLead = putsPerLead(w, logFrom);
      const once = [...perLead.values()].every((c) => c === 1);
      const bound = pushBound(w, edited);
      return {
        bound,
        check: `${n(perLead.size)} leads updated, ${once ? 'each exactly once' : 'SOME TWICE'}`,
        targets: [
          within(m, bound, edited >= 5000 ? 1.2 : 1.5),
          { text: `≤ 1.1 requests per lead (${(m.requests / edited).toFixed(2)})`, ok: m.requests <= 1.1 * edited },
          {
            text: `429s < 2% (${((100 * m.throttled) / Math.max(1, m.requests)).toFixed(1)}%)`,
            ok: m.throttled < 0.02 * m.requests,
          },
          { text: 'every lead updated once', ok: perLead.size === edited && once },
        ],
      };
    },
  );
}

/**
 * A pulled 50,000-lead sheet, then in Close: 1% of the leads changed (a colleague's Description), 0.2%
 * deleted and 0.2% new (through the API, so whatever Close records of them — date_updated, its event
 * log — the fake records too).
 */
function changedInClose(leads: number): Env {
  const env = pulledWorld(leads);
  const { close, clock } = env.world;
  const ids = [...close.leads.keys()];
  const auth = { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` };
  const call = (method: string, path: string, body?: unknown) => {
    const res = close.handle({
      method,
      url: `https://api.close.com/api/v1${path}`,
      headers: auth,
      body: body === undefined ? '' : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.body}`);
  };
  clock.advance(60_000);
  const changed = leads / 100;
  const step = Math.floor(leads / changed);
  const few = leads / 500;
  const rowOf = new Map(sheetIds(env.world).map((id, i) => [id, i + 2]));
  const rowsOf = (list: string[]) => list.map((id) => rowOf.get(id)!).sort((a, b) => a - b);
  const changedIds = Array.from({ length: changed }, (_, i) => ids[i * step]);
  const deletedIds = Array.from({ length: few }, (_, i) => ids[i * step + 1]);
  env.setup.scattered = {
    changed: rowsOf(changedIds),
    deleted: rowsOf(deletedIds),
    bytes: Object.fromEntries(
      ['Description', 'Updated'].map((h) => [h, columnBytes(env.world, h)]),
    ),
  };
  // A colleague's edits, a tenth of a second apart: each lead's date_updated (its Updated cell) differs,
  // as Close's do, so no implementation could write them all as one value.
  changedIds.forEach((id, i) => {
    clock.advance(100);
    close.touchLead(id, { description: `changed in Close ${i}` });
  });
  // Deleted and created in bursts of 100, a rate window apart (these are a colleague's requests).
  for (let i = 0; i < few; i++) {
    if (i % 100 === 0) clock.advance(10_000);
    call('DELETE', `/lead/${deletedIds[i]}/`);
  }
  for (let i = 0; i < few; i++) {
    if (i % 100 === 0) clock.advance(10_000);
    call('POST', '/lead/', { name: `New in Close ${i}` });
  }
  clock.advance(10_000);
  return env;
}

function repullScenario(leads: number): Measure {
  const changed = leads / 100;
  const few = leads / 500;
  return measure(
    `repull${leads / 1000}k`,
    `re-pull ${leads.toLocaleString('en-US')} leads: 1% changed, 0.2% deleted, 0.2% new in Close`,
    () => changedInClose(leads),
    (w) => runToEnd(w, w.app.pullLeads({})),
    (w, m, env) => {
      const visible = visibleVolume(w);
      const perRow = visible.cells / visible.rows;
      const bytesPerCell = visible.bytes / visible.cells;
      const where = env.setup.scattered!;
      // The least an incremental re-pull does: a page or so of changed and new leads, one request for
      // deletions. In Sheets: read the ID column (a lead's row is known only from it: the rep may have
      // sorted), append the new rows in one block, and change cells in scattered rows (model.ts
      // scatteredWrites: a call per run of rows, or a column's span read and rewritten, whichever is
      // cheaper), in the columns no implementation can leave alone: the changed field's (Description),
      // Updated (Close moved every changed lead's date_updated, and the sheet shows it) and a mark on
      // each deleted lead's row (one value for all, so one RangeList.setValue; deleting the rows instead
      // costs a call per run too). A status for each changed row is not charged: an updated row needs none.
      // Description and Updated are Close fields' columns, where the rep's formulas are kept: writing
      // their cells needs their formulas first (model.ts, "The rep's formulas"); Sync status is the add-on's.
      const bound = scenarioBound(
        {
          requests: Math.ceil((changed + few) / PAGE) + 1,
          rule: rule('GET /lead/'),
          group: 'GET /lead/',
          dependentWaves: 0,
        },
        {
          // The sheet reached, its ID column read, the new rows written in one block (model.ts CALLS).
          calls: CALLS.sheet + CALLS.read + CALLS.write,
          volume: {
            cellsRead: leads,
            bytesRead: leads * 48,
            cellsWritten: few * perRow,
            bytesWritten: few * perRow * bytesPerCell,
          },
          scattered: [
            {
              name: 'Description',
              rows: where.changed,
              bytesPerCell: where.bytes.Description,
              formulasKept: true,
            },
            { name: 'Updated', rows: where.changed, bytesPerCell: where.bytes.Updated, formulasKept: true },
            { name: 'Sync status', rows: where.deleted, bytesPerCell, oneValue: true },
          ],
        },
        MODEL,
      );
      const ids = sheetIds(w);
      const description = (w.runtime.spreadsheet.dump(SHEET)[0] as string[]).indexOf('Description');
      const rows = w.runtime.spreadsheet.dump(SHEET).slice(1);
      const changedShown = rows.filter((r) => String(r[description]).startsWith('changed in Close')).length;
      const share = m.cellsWritten / Math.max(1, env.setup.cellsWritten);
      return {
        bound,
        check: `${n(ids.length)} rows (${n(new Set(ids).size)} unique), ${n(changedShown)} changed values shown`,
        targets: [
          { text: `≤ 15 Close requests (${m.requests})`, ok: m.requests <= 15 },
          {
            text: `≤ 5% of a first pull's cells (${(100 * share).toFixed(1)}%)`,
            ok: share <= 0.05,
          },
          { text: `modelled < 15 s (${(m.modelledMs / 1000).toFixed(1)} s)`, ok: m.modelledMs < 15_000 },
          within(m, bound, 1.5),
          {
            text: 'changes, deletions and new leads all in the sheet',
            ok: changedShown === changed && ids.length === leads + few,
          },
        ],
      };
    },
  );
}

function undoScenario(pushed: number): Measure {
  let logFrom = 0;
  // The undo's own final message: when fields fail it says why (e.g. the day's UrlFetch quota).
  let undoMessage = '';
  let original = new Map<string, unknown>();
  return measure(
    `undo${pushed / 1000}k`,
    `undo of a ${pushed.toLocaleString('en-US')}-lead push`,
    () => {
      const env = editedWorld(pushed);
      const ids = sheetIds(env.world).slice(0, pushed);
      original = new Map(ids.map((id) => [id, env.world.close.leads.get(id)!.description]));
      runToEnd(env.world, env.world.app.pushChanges({}));
      env.world.runtime.startExecution();
      logFrom = env.world.close.log.length;
      return env;
    },
    (w) => {
      // Undo as the sidebar runs it; a job (once undo is resumable) is continued like a push.
      try {
        const first = w.app.undoLastPush({ confirmed: true });
        if (first && typeof first === 'object' && 'done' in first) {
          const end = runToEnd(w, first);
          undoMessage = String(end.outcome?.message ?? '');
          return end;
        }
        return { steps: 1 };
      } catch (e) {
        return { steps: 1, error: e instanceof Error ? e.message : String(e) };
      }
    },
    (w, m, _env, error) => {
      const perLead = putsPerLead(w, logFrom);
      const once = [...perLead.values()].every((c) => c === 1);
      let restored = 0;
      for (const [id, description] of original) if (w.close.leads.get(id)?.description === description) restored++;
      return {
        bound: pushBound(w, pushed, CALLS.sheet),
        check: error
          ? `stopped: ${error}`
          : `${n(restored)} of ${n(pushed)} restored, ${n(perLead.size)} PUT ${once ? 'once each' : 'SOME TWICE'}${
              restored < pushed ? ` (the undo said: "${undoMessage}"; requests to Close today: ${n(w.close.log.length)}, a consumer account's whole daily UrlFetch quota is 20,000)` : ''
            }`,
        targets: [
          { text: `completes, every field restored once (${n(restored)}/${n(pushed)})`, ok: !error && restored === pushed && once },
          within(m, pushBound(w, pushed, CALLS.sheet), 1.5),
        ],
      };
    },
  );
}

const showCalls = process.argv.includes('--calls');
const showTrace = process.argv.includes('--trace');
const toReadme = process.argv.includes('--readme');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const scenarios: Array<[string, () => Measure]> = [
  ['pull10k', () => pullScenario(10_000)],
  ['pull50k', () => pullScenario(50_000)],
  ['push1k', () => pushScenario(1_000)],
  ['push5k', () => pushScenario(5_000)],
  ['repull50k', () => repullScenario(50_000)],
  ['undo5k', () => undoScenario(5_000)],
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

const out: string[] = [];
const print = (line = '') => out.push(line);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
print(
  `Median of ${RUNS} run${RUNS === 1 ? '' : 's'} per scenario. Cost model (bench/model.ts, from ${MODEL.source}): ` +
    `URL fetch ${MODEL.latencyMs} ms per fetchAll wave (≤ ${MODEL.concurrency} requests); Spreadsheet service ` +
    `${MODEL.sheetCallMs} ms per call, ${MODEL.cellWriteUs} µs per cell and ${MODEL.byteWriteUs} µs per byte written, ` +
    `${MODEL.cellReadUs} µs per cell and ${MODEL.byteReadUs} µs per byte read; Apps Script limit ` +
    `${EXECUTION_LIMIT_MS / 60_000} min per execution; Close rate limits per key: ${Object.entries(DEFAULT_RATE_LIMITS)
      .map(([g, r]) => `${g} ${r.limit}/${r.windowMs / 1000}s`)
      .join(', ')}. Modelled time = virtual time (latency, rate waits, Sheets calls, cells and bytes) + the bundle's CPU.`,
);
print();
print(
  '| scenario | requests | 429s | Sheets calls | cells written | bytes written (snapshot) | cells read | steps | CPU | modelled time | lower bound | ratio | targets |',
);
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|');
for (const r of results) {
  const cpu = `${n(r.cpuMs)} ms${r.cpuRange && RUNS > 1 ? ` (${n(r.cpuRange[0])}–${n(r.cpuRange[1])})` : ''}`;
  const targets = r.targets.map((t) => `${t.ok ? '✅' : '❌'} ${t.text}`).join('<br>');
  print(
    `| ${r.scenario} | ${n(r.requests)} | ${n(r.throttled)} | ${n(r.sheetCalls)} | ${n(r.cellsWritten)} | ` +
      `${mb(r.bytesWritten)} (${mb(r.snapshotBytes)}) | ${n(r.cellsRead)} | ${r.continuations + 1} | ${cpu} | ` +
      `${s(r.modelledMs)} | ${s(r.bound.ms)} (${r.bound.note}) | ${ratio(r, r.bound).toFixed(2)} | ${targets} |`,
  );
}
print();
print('Checks: ' + results.map((r) => `${r.scenario}: ${r.check}`).join('; ') + '.');

// Daily quotas (UrlFetch calls and trigger minutes) of an hourly refresh and of a 5,000-lead push.
const repull = results.find((r) => r.key === 'repull50k');
const push5k = results.find((r) => r.key === 'push5k');
if (repull || push5k) {
  print();
  print(
    `Daily quota use (quotas: UrlFetch calls ${n(QUOTAS.consumer.urlFetchCalls)} consumer / ${n(QUOTAS.workspace.urlFetchCalls)} Workspace; ` +
      `triggers' total runtime ${QUOTAS.consumer.triggerMinutes} / ${QUOTAS.workspace.triggerMinutes} min):`,
  );
  print();
  print('| what | UrlFetch calls a day | trigger minutes a day |');
  print('|---|---|---|');
  if (repull) {
    const use = dailyUse(repull, 24);
    print(
      `| hourly refresh of 50,000 leads (the re-pull above, 24 times) | ${quotaShare(use.urlFetchCalls, 'urlFetchCalls')} | ${quotaShare(use.triggerMinutes, 'triggerMinutes')} |`,
    );
  }
  if (push5k) {
    const use = dailyUse(push5k, 1);
    print(
      `| one push of 5,000 edited leads | ${quotaShare(use.urlFetchCalls, 'urlFetchCalls')} | ${quotaShare(use.triggerMinutes, 'triggerMinutes')} (when a trigger runs it) |`,
    );
  }
}

print();
print(
  'How to read it. The lower bound (bench/model.ts) is the least a scenario can take under this model: ' +
    "Close's fixed rate windows admit a whole burst at once (the bound no longer paces requests at the sustained " +
    'rate), requests go in waves of up to 100 at one latency each, after the waves that must come first (a ' +
    "push's batched conflict check); plus the Spreadsheet work no implementation avoids — a first pull writes " +
    'the visible cells, a push reads the sheet and writes a status per lead, an incremental re-pull reads the ID ' +
    'column, appends the new rows and changes the cells Close changed. Those are scattered, and SpreadsheetApp ' +
    'writes one rectangle per call (RangeList sets one value for all its ranges, no setValues), so each such ' +
    'column costs a call per run of rows or a read and rewrite of its span, whichever is cheaper (model.ts ' +
    "scatteredWrites) — and in a Close field's column, where the rep's formulas are kept, either way first " +
    'reads the formulas of the cells it covers (getFormulas: no cheaper way has a source). The snapshot, the statuses of unchanged rows and every extra call are ' +
    "the implementation's own cost, and so is its CPU. Cells and bytes are charged as published measurements put " +
    'them (per cell and per byte, written and read), so a pull is no longer modelled at a couple of seconds.',
);
for (const r of results) {
  const volume = volumeMs(MODEL, r);
  const share = Math.round((100 * volume) / Math.max(1, r.modelledMs));
  print(
    `- ${r.scenario}: ${share}% of the modelled time is cells and bytes (${n(r.cellsWritten)} cells and ${mb(r.bytesWritten)} written` +
      `${r.snapshotBytes > 0 ? `, ${mb(r.snapshotBytes)} of it the snapshot` : ''}; ${n(r.cellsRead)} cells read); ` +
      `${ratio(r, r.bound).toFixed(2)}× its bound. ${r.check}.`,
  );
}

if (showCalls)
  for (const r of results) {
    const top = Object.entries(r.byMethod).sort((a, b) => b[1] - a[1]);
    print();
    print(`Sheets calls, ${r.scenario}: ${top.map(([k, c]) => `${k} ${c}`).join(', ')}`);
  }

const text = out.join('\n');
console.log(text);

/** README: everything between the two markers is the last `--readme` run's output. */
if (toReadme) {
  const BEGIN = '<!-- bench:begin (npm run bench -- --readme writes this part) -->';
  const END = '<!-- bench:end -->';
  const readme = readFileSync('README.md', 'utf8');
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error('README.md has no bench markers');
  writeFileSync('README.md', `${readme.slice(0, from + BEGIN.length)}\n${text}\n${readme.slice(to)}`);
  console.error('README.md: benchmark section rewritten.');
}
