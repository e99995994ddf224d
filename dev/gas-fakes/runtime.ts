// Assembles the fakes into one "runtime" (one user running the add-on in one spreadsheet) and loads the
// built bundle into a vm context with gas-local.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import gasLocal from 'gas-local';
import { parseA1, resolveA1 } from './a1';
import { createCacheService } from './cache';
import { ChartType } from './charts';
import { VirtualClock } from './clock';
import { type AuthModeName, Env, type GasStats, type RecordedRequest, type VolumeCost } from './env';
import { AuthMode } from './enums';
import { createHtmlService } from './html';
import { createLockService } from './lock';
import { FakeSpreadsheet } from './model';
import { createPropertiesService, FakePropertiesStore } from './properties';
import { clockEvent, createScriptApp, type FakeTrigger, TriggerApi } from './script-app';
import { createSheetsSession, createSpreadsheetApp } from './spreadsheet';
import type { Manifest } from './scopes';
import { FakeUi, UiApi } from './ui';
import { createUrlFetchApp, type FakeHttpHandler } from './urlfetch';
import type { CellRef } from './workbook-io';
import { createLogger, createSession, createUtilities } from './utilities';
import { seededRandom } from '../../src/core/seeded-random';

export interface GasRuntimeOptions {
  http: FakeHttpHandler;
  clock?: VirtualClock;
  /** Used when the runtime creates the workbook (or when given explicitly). Default 'America/New_York'. */
  spreadsheetTimeZone?: string;
  scriptTimeZone?: string;
  userEmail?: string;
  /** Virtual time per fetch() and per fetchAll() wave of up to 100 requests. */
  fetchLatencyMs?: number;
  /** Virtual time per Spreadsheet-service call. */
  spreadsheetCallMs?: number;
  /**
   * Virtual time per cell and per byte moved by the value methods (the benchmark's cost model; 0 by
   * default, so tests see only the per-call time).
   */
  spreadsheetVolumeCost?: VolumeCost;
  /** Service calls after this much virtual time since startExecution() throw 'Exceeded maximum execution time'. */
  maxExecutionMs?: number;
  userProperties?: FakePropertiesStore;
  /** Share one workbook between runtimes (two users). Default: a new one with a 'Sheet1'. */
  spreadsheet?: FakeSpreadsheet;
  /** Default: the workbook's own document properties (so runtimes sharing it share them). */
  documentProperties?: FakePropertiesStore;
  /** Default: the workbook's script-properties store (shared by runtimes on it). */
  scriptProperties?: FakePropertiesStore;
  /** Silence Logger/console output (lines are still kept in runtime.logs). */
  quiet?: boolean;
  /** Apply editor add-on rules (one time-based trigger per user per document, at most hourly). Default true. */
  addon?: boolean;
  /**
   * Whether an add-on may create a one-off time-based trigger due within the hour (`after(60000)`).
   * Google does not document it; the default is the harsher reading, 'refuse' (see script-app.ts).
   */
  addonOneOffTriggers?: 'refuse' | 'allow';
  /** Title of the add-on menu (createAddonMenu). */
  addonTitle?: string;
  /** Folder HtmlService reads files from before loadBundle sets it. Default <repo>/dist. */
  htmlDir?: string;
  /**
   * The manifest whose `oauthScopes` the services enforce (see scopes.ts). Default: the appsscript.json
   * loadBundle finds beside the bundle, so tests run with the scopes the add-on really ships.
   */
  manifest?: Manifest;
  /** The scopes the rep granted on the consent screen. Default: all the manifest lists. */
  grantedScopes?: string[];
  /** Seed of the bundle's Math.random (see loadBundle). Default 1. */
  randomSeed?: number;
}

export interface GasRuntime {
  globals: Record<string, unknown>;
  spreadsheet: FakeSpreadsheet;
  ui: FakeUi;
  clock: VirtualClock;
  stats: GasStats;
  requests: RecordedRequest[];
  logs: string[];
  /** The virtual-clock Date class the bundle sees as `Date`. */
  Date: DateConstructor;
  readonly authMode: AuthModeName;
  startExecution(): void;
  setAuthMode(mode: AuthModeName): void;
  /** The manifest's scopes in force (null: none listed, nothing refused). */
  readonly declaredScopes: string[] | null;
  /** The rep grants (or, with a list, narrows) their authorization: null = every declared scope. */
  setGrantedScopes(scopes: string[] | null): void;
  /** Every scoped method the code called so far ("Session.getActiveUser"), with the scopes that allow it. */
  scopedCalls(): Record<string, string[]>;
  userProperties: FakePropertiesStore;
  scriptProperties: FakePropertiesStore;
  documentProperties: FakePropertiesStore;
  triggers: FakeTrigger[];
  /** Runs a trigger's handler like Apps Script would: new execution, AuthMode.FULL, no Ui. */
  fireTrigger(ctx: Record<string, unknown>, trigger: FakeTrigger | TriggerApi | string): unknown;
  /** The user clicks a menu item: a new execution of the function the caption names. */
  clickMenu(ctx: Record<string, unknown>, caption: string): unknown;
  /** The user opens the document: onOpen({ authMode }) in a new execution (default LIMITED). */
  openDocument(ctx: Record<string, unknown>, authMode?: AuthModeName): unknown;
  /** The user types into a cell, then the onEdit simple trigger runs (if the bundle has one). */
  userEdit(ctx: Record<string, unknown> | null, sheetName: string, cell: CellRef, value: unknown): unknown;
}

const envs = new WeakMap<GasRuntime, Env>();

function defaultDistDir(): string {
  return typeof __dirname === 'string' ? join(__dirname, '..', '..', 'dist') : join(process.cwd(), 'dist');
}

function quietConsole(env: Env): Console {
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      env.log(`[${level}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
    };
  const c = {
    log: record('log'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
    time: (): void => {},
    timeEnd: (): void => {},
  };
  return c as unknown as Console;
}

export function createGasRuntime(opts: GasRuntimeOptions): GasRuntime {
  const clock = opts.clock ?? new VirtualClock();
  const env = new Env({
    clock,
    userEmail: opts.userEmail ?? 'rep@example.com',
    scriptTimeZone: opts.scriptTimeZone ?? 'Etc/UTC',
    fetchLatencyMs: opts.fetchLatencyMs ?? 0,
    spreadsheetCallMs: opts.spreadsheetCallMs ?? 0,
    volumeCost: opts.spreadsheetVolumeCost,
    maxExecutionMs: opts.maxExecutionMs,
    quiet: opts.quiet ?? false,
    addon: opts.addon ?? true,
    addonOneOffTriggers: opts.addonOneOffTriggers ?? 'refuse',
  });
  if (opts.htmlDir) env.htmlDir = opts.htmlDir;
  if (opts.manifest) applyManifest(env, opts.manifest);
  if (opts.grantedScopes) env.grantedScopes = new Set(opts.grantedScopes);
  const book =
    opts.spreadsheet ?? new FakeSpreadsheet({ timeZone: opts.spreadsheetTimeZone ?? 'America/New_York' });
  if (opts.spreadsheet && opts.spreadsheetTimeZone) book.timeZone = opts.spreadsheetTimeZone;
  book.now = () => clock.now();

  const ui = new FakeUi(opts.addonTitle);
  const userProperties = opts.userProperties ?? new FakePropertiesStore();
  const scriptProperties = opts.scriptProperties ?? book.scriptProperties;
  const documentProperties = opts.documentProperties ?? book.documentProperties;
  const triggers: FakeTrigger[] = [];
  const session = createSheetsSession(env, book, (message, title, timeoutSeconds) =>
    ui.toasts.push({ message, title, timeoutSeconds }),
  );
  const uiApi = new UiApi(env, ui);
  const print = opts.quiet ? (): void => {} : (line: string): void => console.log(line);

  const globals: Record<string, unknown> = {
    SpreadsheetApp: createSpreadsheetApp(session, () => uiApi),
    UrlFetchApp: createUrlFetchApp(env, opts.http),
    PropertiesService: createPropertiesService(env, {
      user: userProperties,
      script: scriptProperties,
      document: documentProperties,
    }),
    CacheService: createCacheService(env, book),
    LockService: createLockService(env, book),
    HtmlService: createHtmlService(env, defaultDistDir()),
    Utilities: createUtilities(env),
    Session: createSession(env),
    ScriptApp: createScriptApp(env, book, triggers),
    Charts: { ChartType },
    Logger: createLogger(env, print),
    console: opts.quiet ? quietConsole(env) : console,
    Date: env.Date,
  };

  const newExecution = <T>(authMode: AuthModeName, inTrigger: boolean, run: () => T): T => {
    env.startExecution();
    const prevMode = env.authMode;
    const prevTrigger = env.inTrigger;
    env.authMode = authMode;
    env.inTrigger = inTrigger;
    try {
      return run();
    } finally {
      env.authMode = prevMode;
      env.inTrigger = prevTrigger;
    }
  };

  const callGlobal = (ctx: Record<string, unknown>, name: string, arg?: unknown): unknown => {
    const fn = ctx[name];
    if (typeof fn !== 'function') throw env.fail(`Script function not found: ${name}`);
    return arg === undefined ? fn.call(ctx) : fn.call(ctx, arg);
  };

  const runtime: GasRuntime = {
    globals,
    spreadsheet: book,
    ui,
    clock,
    stats: env.stats,
    requests: env.requests,
    logs: env.logs,
    Date: env.Date,
    get authMode() {
      return env.authMode;
    },
    startExecution: () => env.startExecution(),
    setAuthMode: (mode) => {
      env.authMode = mode;
    },
    get declaredScopes() {
      return env.declaredScopes ? [...env.declaredScopes] : null;
    },
    setGrantedScopes: (scopes) => {
      env.grantedScopes = scopes ? new Set(scopes) : null;
    },
    scopedCalls: () => Object.fromEntries([...env.scopedCalls].map(([m, s]) => [m, [...s]])),
    userProperties,
    scriptProperties,
    documentProperties,
    triggers,
    fireTrigger(ctx, trigger) {
      const id =
        typeof trigger === 'string'
          ? trigger
          : trigger instanceof TriggerApi
            ? trigger._rec.uniqueId
            : trigger.uniqueId;
      const rec = triggers.find((t) => t.uniqueId === id);
      if (!rec) throw new Error(`fireTrigger: no trigger ${id} for ${env.userEmail}`);
      const event =
        rec.eventType === 'CLOCK'
          ? clockEvent(env, rec)
          : { authMode: AuthMode.FULL, triggerUid: rec.uniqueId };
      return newExecution('FULL', true, () => callGlobal(ctx, rec.handlerFunction, event));
    },
    clickMenu(ctx, caption) {
      const fnName = ui.functionFor(caption);
      if (!fnName) throw new Error(`clickMenu: no menu item "${caption}"`);
      return newExecution('FULL', false, () => callGlobal(ctx, fnName));
    },
    openDocument(ctx, authMode = 'LIMITED') {
      return newExecution(authMode, false, () =>
        callGlobal(ctx, 'onOpen', { authMode: AuthMode[authMode], source: session.spreadsheetApi() }),
      );
    },
    userEdit(ctx, sheetName, cell, value) {
      const sheet = book.requireSheet(sheetName);
      const before = book.cellInfo(sheetName, cell);
      book.userEdit(sheetName, cell, value);
      if (!ctx || typeof ctx.onEdit !== 'function') return undefined;
      const info = book.cellInfo(sheetName, cell);
      let box = { row: 0, col: 0, numRows: 1, numCols: 1 };
      if (Array.isArray(cell)) box = { row: cell[0], col: cell[1], numRows: 1, numCols: 1 };
      else {
        const parsed = parseA1(cell);
        if (parsed) box = { ...resolveA1(parsed, sheet.maxRows, sheet.maxCols), numRows: 1, numCols: 1 };
      }
      return newExecution('LIMITED', false, () => {
        const range = session.rangeApi(sheet, box);
        const event: Record<string, unknown> = {
          authMode: AuthMode.LIMITED,
          range,
          source: session.spreadsheetApi(),
          user: { getEmail: () => env.userEmail },
          value: info.display,
        };
        if (before.display !== '') event.oldValue = before.display;
        return callGlobal(ctx, 'onEdit', event);
      });
    },
  };
  envs.set(runtime, env);
  manifestGiven.set(env, opts.manifest !== undefined);
  randomSeeds.set(runtime, opts.randomSeed ?? 1);
  return runtime;
}

const randomSeeds = new WeakMap<GasRuntime, number>();

const manifestGiven = new WeakMap<Env, boolean>();

function applyManifest(env: Env, manifest: Manifest): void {
  env.declaredScopes = Array.isArray(manifest.oauthScopes) ? new Set(manifest.oauthScopes) : null;
}

/** The manifest shipped with the bundle: Apps Script needs one, so a bundle without it is refused. */
function readManifest(distDir: string): Manifest {
  const file = join(distDir, 'appsscript.json');
  if (!existsSync(file)) throw new Error(`loadBundle: no appsscript.json in ${distDir} (run npm run build)`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/**
 * Loads the built bundle (every .js under distDir) into a fresh vm context whose globals are the
 * runtime's services. Service errors are then made in that context's realm (`e instanceof Error`
 * holds in the bundle, as in Apps Script).
 */
// biome-ignore lint/suspicious/noExplicitAny: the bundle's global functions are untyped by nature.
export function loadBundle(runtime: GasRuntime, distDir: string = defaultDistDir()): Record<string, any> {
  const env = envs.get(runtime);
  if (!env) throw new Error('loadBundle: not a runtime made by createGasRuntime');
  const globals: Record<string, unknown> = { ...runtime.globals };
  vm.createContext(globals);
  env.realmError = vm.runInContext('Error', globals) as ErrorConstructor;
  // Math.random "returns a floating-point, pseudo-random number … with approximately uniform distribution
  // over that range … The implementation selects the initial seed to the random number generation
  // algorithm; it cannot be chosen or reset by the user" (MDN, Math.random; Apps Script runs V8, and
  // documents no seed of its own). The fake is such an implementation with a seed of its choosing, so
  // the shell's retry jitter (src/gas/runtime.ts appsScriptRandom) is the same in every run of a test
  // or the benchmark, while production still jitters.
  (vm.runInContext('Math', globals) as Math).random = seededRandom(randomSeeds.get(runtime) ?? 1);
  env.htmlDir = distDir;
  if (!manifestGiven.get(env)) applyManifest(env, readManifest(distDir));
  return gasLocal.require(distDir, globals);
}
