// Shared per-runtime state of the fakes: the clock, counters, the execution budget, the auth mode,
// and how service errors are made (Apps Script's own errors are `Error`s named "Exception").
import { makeVirtualDate, type VirtualClock } from './clock';
import { notGrantedMessage, notInManifestMessage, scopesFor } from './scopes';

export interface GasStats {
  spreadsheetCalls: number;
  /** The same calls by facade method ("Range.setValues"), to see where a scenario's calls go. */
  spreadsheetCallsByMethod: Record<string, number>;
  /** When set to an array, every Spreadsheet call and fetchAll is appended to it in order (bench --trace). */
  trace?: string[];
  /**
   * When set to an array, every Range.setValues is appended to it: sheet, top-left cell (1-based) and
   * the values as the script passed them (tests assert exactly which cells a run rewrites).
   */
  writes?: Array<{ sheet: string; row: number; column: number; values: unknown[][] }>;
  /**
   * When set to an array, every Range.getValues/getDisplayValues/getFormulas is appended to it: sheet,
   * top-left cell (1-based) and size (tests assert exactly which cells a run reads); a getFormulas read
   * carries `formulas: true`.
   */
  reads?: Array<{
    sheet: string;
    row: number;
    column: number;
    rows: number;
    columns: number;
    formulas?: true;
  }>;
  /** When set to an array, every RangeList.setValue is appended to it: sheet, its ranges (A1) and the value. */
  listWrites?: Array<{ sheet: string; ranges: string[]; value: unknown }>;
  /** Real CPU time spent inside the fake Spreadsheet service (the benchmark subtracts it from the bundle's). */
  spreadsheetCpuMs: number;
  fetchCalls: number;
  fetchAllCalls: number;
  requests: number;
  sleeps: number;
  sleptMs: number;
  /**
   * Volume moved through the Range value methods (setValues/setValue/setFormulas; getValues/
   * getDisplayValues/getFormulas), for the benchmark's per-cell and per-byte charges. Bytes are the UTF-8 length of
   * each value as text (a number as its decimal digits, a Date as 8, an empty cell as 0).
   */
  cellsWritten: number;
  bytesWritten: number;
  cellsRead: number;
  bytesRead: number;
  /** Bytes written per sheet name (the benchmark compares the hidden snapshot with the visible sheet). */
  bytesWrittenBySheet: Record<string, number>;
  cellsWrittenBySheet: Record<string, number>;
  /** Cells read per sheet (stats only, like the rest: a test can pin what a step reads where). */
  cellsReadBySheet: Record<string, number>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type AuthModeName = 'NONE' | 'LIMITED' | 'FULL' | 'CUSTOM_FUNCTION';

/** An Apps Script enum value: an object (not a string) whose toString()/name() is its key. */
export class GasEnumValue {
  constructor(
    readonly enumName: string,
    private readonly key: string,
    private readonly index: number,
  ) {}
  toString(): string {
    return this.key;
  }
  name(): string {
    return this.key;
  }
  ordinal(): number {
    return this.index;
  }
  toJSON(): string {
    return this.key;
  }
}

export function makeEnum<K extends string>(
  enumName: string,
  keys: readonly K[],
): Readonly<Record<K, GasEnumValue>> {
  const out = {} as Record<K, GasEnumValue>;
  keys.forEach((k, i) => {
    out[k] = new GasEnumValue(enumName, k, i);
  });
  return Object.freeze(out);
}

/** The key of an enum value of the given enum, or null if `v` is not one of its values. */
export function enumKey<K extends string>(v: unknown, e: Readonly<Record<K, GasEnumValue>>): K | null {
  for (const k of Object.keys(e) as K[]) if (e[k] === v) return k;
  return null;
}

/** How Apps Script names an argument's type in "The parameters (...) don't match ..." messages. */
export function describeArg(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (Object.prototype.toString.call(v) === '[object Date]') return 'Date';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'Object[]';
    const inner = describeArg(v[0]);
    return `${inner === 'null' || inner === 'undefined' ? 'Object' : inner}[]`;
  }
  if (typeof v === 'function') return 'Function';
  return 'Object';
}

/** Virtual time per cell and per byte a value method moves (see GasRuntimeOptions.spreadsheetVolumeCost). */
export interface VolumeCost {
  cellWriteUs: number;
  cellReadUs: number;
  byteWriteUs: number;
  byteReadUs: number;
}

export interface EnvOptions {
  clock: VirtualClock;
  userEmail: string;
  scriptTimeZone: string;
  fetchLatencyMs: number;
  spreadsheetCallMs: number;
  volumeCost?: VolumeCost;
  maxExecutionMs?: number;
  quiet: boolean;
  addon: boolean;
  addonOneOffTriggers: 'refuse' | 'allow';
}

let executionCounter = 0;

export class Env {
  readonly clock: VirtualClock;
  readonly Date: DateConstructor;
  readonly stats: GasStats = {
    spreadsheetCalls: 0,
    spreadsheetCallsByMethod: {},
    spreadsheetCpuMs: 0,
    fetchCalls: 0,
    fetchAllCalls: 0,
    requests: 0,
    sleeps: 0,
    sleptMs: 0,
    cellsWritten: 0,
    bytesWritten: 0,
    cellsRead: 0,
    bytesRead: 0,
    bytesWrittenBySheet: {},
    cellsWrittenBySheet: {},
    cellsReadBySheet: {},
  };
  readonly requests: RecordedRequest[] = [];
  readonly logs: string[] = [];
  readonly userEmail: string;
  readonly scriptTimeZone: string;
  readonly fetchLatencyMs: number;
  readonly spreadsheetCallMs: number;
  readonly volumeCost: VolumeCost | undefined;
  readonly maxExecutionMs: number | undefined;
  readonly quiet: boolean;
  readonly addon: boolean;
  /** Whether an add-on may create a one-off time-based trigger due within the hour (see script-app.ts). */
  readonly addonOneOffTriggers: 'refuse' | 'allow';
  authMode: AuthModeName = 'FULL';
  /**
   * The manifest's `oauthScopes` (set by loadBundle from the bundle's appsscript.json, or given to the
   * runtime). null: the manifest lists none, so Apps Script detects what the code uses and refuses nothing.
   */
  declaredScopes: ReadonlySet<string> | null = null;
  /** What the rep authorized; null: every declared scope (the usual case after the consent screen). */
  grantedScopes: ReadonlySet<string> | null = null;
  /** Every scoped method called so far, with the scopes that allow it (tests check the manifest by it). */
  readonly scopedCalls = new Map<string, readonly string[]>();
  /** True while runtime.fireTrigger runs a handler: there is no user interface then. */
  inTrigger = false;
  /** Error constructor of the vm realm the bundle runs in (set by loadBundle). */
  realmError: ErrorConstructor | null = null;
  htmlDir: string | null = null;
  /** Nesting depth of Spreadsheet-facade calls (only the outermost one is counted). */
  facadeDepth = 0;
  /** Identifies the current execution; locks are held by an execution. */
  executionId = '';
  private executionStart: number;
  private killed = false;
  private readonly endHooks: Array<(endedExecutionId: string) => void> = [];

  constructor(opts: EnvOptions) {
    this.clock = opts.clock;
    this.Date = makeVirtualDate(opts.clock);
    this.userEmail = opts.userEmail;
    this.scriptTimeZone = opts.scriptTimeZone;
    this.fetchLatencyMs = opts.fetchLatencyMs;
    this.spreadsheetCallMs = opts.spreadsheetCallMs;
    this.volumeCost = opts.volumeCost;
    this.maxExecutionMs = opts.maxExecutionMs;
    this.quiet = opts.quiet;
    this.addon = opts.addon;
    this.addonOneOffTriggers = opts.addonOneOffTriggers;
    this.executionStart = this.clock.now();
    this.executionId = `exec-${++executionCounter}`;
  }

  /** An error like the ones Apps Script services throw, made in the bundle's realm when known. */
  fail(message: string): Error {
    const Ctor = this.realmError ?? Error;
    const e = new Ctor(message);
    e.name = 'Exception';
    return e;
  }

  /** Called when a new execution starts: the previous one ends (its locks are released). */
  startExecution(): void {
    const ended = this.executionId;
    for (const hook of this.endHooks) hook(ended);
    this.executionId = `exec-${++executionCounter}`;
    this.executionStart = this.clock.now();
    this.killed = false;
  }

  onExecutionEnd(hook: (endedExecutionId: string) => void): void {
    this.endHooks.push(hook);
  }

  elapsedMs(): number {
    return this.clock.now() - this.executionStart;
  }

  /**
   * Every service call goes through here. Past the execution budget the real script is killed
   * (uncatchably); the fake throws on this call and on every later one until startExecution().
   */
  checkBudget(): void {
    if (this.maxExecutionMs === undefined) return;
    if (this.killed || this.elapsedMs() >= this.maxExecutionMs) {
      this.killed = true;
      throw this.fail('Exceeded maximum execution time');
    }
  }

  /** One call on a Spreadsheet-service object. */
  spreadsheetCall(method = 'unknown'): void {
    this.checkBudget();
    this.stats.spreadsheetCalls++;
    this.stats.spreadsheetCallsByMethod[method] = (this.stats.spreadsheetCallsByMethod[method] ?? 0) + 1;
    this.stats.trace?.push(method);
    if (this.spreadsheetCallMs > 0) this.clock.advance(this.spreadsheetCallMs);
  }

  /** Throws like Apps Script when the current auth mode does not allow `method`. */
  requireAuth(method: string, scope: string | null, allowedIn: AuthModeName[] = ['FULL']): void {
    if (allowedIn.includes(this.authMode)) return;
    const suffix = scope ? ` Required permissions: ${scope}` : '';
    throw this.fail(`You do not have permission to call ${method}.${suffix}`);
  }

  /**
   * Throws like Apps Script when `method` ("Session.getActiveUser") needs a scope the manifest does not
   * list, or one the rep has not granted. In AuthMode.NONE nothing has been granted: "If you perform
   * actions that require authorization while the authorization mode is ScriptApp.AuthMode.NONE, it
   * results in an error" (workspace/add-ons/concepts/menus), so every scoped method throws then.
   */
  requireScopes(method: string): void {
    const scopes = scopesFor(method);
    if (scopes.length === 0) return;
    if (!this.scopedCalls.has(method)) this.scopedCalls.set(method, scopes);
    const declared = this.declaredScopes;
    if (declared && !scopes.some((s) => declared.has(s)))
      throw this.fail(notInManifestMessage(method, scopes));
    const granted = this.grantedScopes;
    if (this.authMode === 'NONE' || (granted && !scopes.some((s) => granted.has(s))))
      throw this.fail(notGrantedMessage(method, scopes));
  }

  log(line: string): void {
    this.logs.push(line);
  }
}
