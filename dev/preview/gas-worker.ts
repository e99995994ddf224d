// The preview's Apps Script thread: one in-memory runtime (the same fakes the tests use) with the real
// dist/ bundle loaded by gas-local. It runs one call at a time, like one user's executions, and tells
// the main thread about everything the page shows: the workbook view, UI events and sync progress.
//
// UrlFetchApp goes over real HTTP, synchronously (sync-http.ts). Time is real: `new Date()` is now and
// Utilities.sleep really sleeps (the Close client paces itself against rate limits with it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  createGasRuntime,
  FakePropertiesStore,
  FakeSpreadsheet,
  type FakeHttpRequest,
  type FakeHttpResponse,
  type FakeTrigger,
  type GasRuntime,
  loadBundle,
  VirtualClock,
} from '../gas-fakes';
import type { CellFormat, MenuView, SheetView, UiEventView, WorkbookView } from './protocol';
import { createSyncHttp } from './sync-http';

export interface GasWorkerData {
  distDir: string;
  /** Where the workbook is saved after every call and edit (null: not saved). */
  workbookFile: string | null;
  /** Where the user's properties (the connection) are saved (null: not saved). */
  userPropertiesFile: string | null;
  /** Base URL that replaces https://api.close.com/api/v1 (the fake server); null = the real API. */
  closeBaseUrl: string | null;
  timeZone: string;
  userEmail: string;
  /** Extra latency per HTTP request (ms). */
  latencyMs: number;
  /** A shorter step for pulls and pushes (the script property the add-on reads), or null. */
  stepBudgetMs: number | null;
  /** Whether a one-off trigger a minute ahead is allowed (see GasRuntimeOptions.addonOneOffTriggers). */
  oneOffTriggers: 'allow' | 'refuse';
  /** Ui.alert/prompt questions go to the page: the answer comes back on askPort, askSignal wakes us. */
  askSignal: SharedArrayBuffer;
  askPort: MessagePort;
}

/** A Ui.alert or Ui.prompt waiting for the person at the page. */
export interface UiQuestion {
  kind: 'alert' | 'prompt';
  title: string;
  message: string;
  /** A ButtonSet name: OK, OK_CANCEL, YES_NO, YES_NO_CANCEL. */
  buttons: string;
}

export interface UiAnswerMessage {
  /** OK, CANCEL, YES, NO or CLOSE; null when nobody is at the page (the fake's default applies). */
  button: string | null;
  text?: string;
}

export type WorkerRequest =
  | { type: 'run'; id: number; name: string; args: unknown[] }
  | { type: 'menu'; id: number; functionName: string }
  | { type: 'edit'; id: number; sheet: string; row: number; column: number; value: string }
  | { type: 'open'; id: number }
  /** The main thread's clock tick while idle: fires time-driven triggers that are due. */
  | { type: 'tick'; id: number };

export type WorkerMessage =
  | { type: 'ready'; functions: string[]; view: WorkbookView }
  | {
      type: 'done';
      id: number;
      ok: boolean;
      value?: unknown;
      message?: string;
      name?: string;
      view: WorkbookView | null;
      ui: UiEventView[];
      warnings: string[];
    }
  | { type: 'progress'; value: unknown }
  | { type: 'ask'; question: UiQuestion }
  | { type: 'log'; line: string };

const CLOSE_API = 'https://api.close.com/api/v1';
const config = workerData as GasWorkerData;
const port = parentPort!;

/** Real time for the fakes: now() is the wall clock and advance() (Utilities.sleep, lock waits) sleeps. */
class RealClock extends VirtualClock {
  private readonly nap = new Int32Array(new SharedArrayBuffer(4));
  now(): number {
    return Date.now();
  }
  advance(ms: number): void {
    if (ms > 0) Atomics.wait(this.nap, 0, 0, ms);
  }
}

const syncHttp = createSyncHttp({ timeoutMs: 60_000, delayMs: config.latencyMs });

function http(req: FakeHttpRequest): FakeHttpResponse {
  const url =
    config.closeBaseUrl && req.url.startsWith(CLOSE_API)
      ? config.closeBaseUrl + req.url.slice(CLOSE_API.length)
      : req.url;
  const [res] = syncHttp.fetchAll([
    { method: req.method, url, headers: req.headers, body: req.body, followRedirects: false },
  ]);
  // A transport failure: UrlFetchApp throws (the fake turns this into an Apps Script Exception).
  if (res.error !== undefined) throw new Error(res.error);
  return { status: res.status, headers: res.headers, body: res.body };
}

function readJson(file: string | null): unknown {
  if (!file || !existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    port.postMessage({ type: 'log', line: `Could not read ${file} (${String(e)}); starting fresh.` });
    return null;
  }
}

function writeJson(file: string | null, data: unknown): void {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

const savedBook = readJson(config.workbookFile);
let spreadsheet: FakeSpreadsheet;
try {
  spreadsheet = savedBook
    ? FakeSpreadsheet.fromJSON(savedBook as Parameters<typeof FakeSpreadsheet.fromJSON>[0])
    : new FakeSpreadsheet({ name: 'Close Sync preview', timeZone: config.timeZone });
} catch (e) {
  port.postMessage({
    type: 'log',
    line: `The saved workbook could not be loaded (${String(e)}); starting fresh.`,
  });
  spreadsheet = new FakeSpreadsheet({ name: 'Close Sync preview', timeZone: config.timeZone });
}
const savedProps = readJson(config.userPropertiesFile) as Record<string, string> | null;

const runtime: GasRuntime = createGasRuntime({
  http,
  clock: new RealClock(),
  spreadsheet,
  userEmail: config.userEmail,
  userProperties: new FakePropertiesStore(savedProps ?? undefined),
  maxExecutionMs: 6 * 60_000,
  htmlDir: config.distDir,
  addonOneOffTriggers: config.oneOffTriggers,
});
// Saved with the workbook: a later start without the option must not keep short steps.
if (config.stepBudgetMs) runtime.scriptProperties.set('closeSync.stepBudgetMs', String(config.stepBudgetMs));
else runtime.scriptProperties.delete('closeSync.stepBudgetMs');

// Progress: every write to the document cache may be a progress note of a running pull or push. The
// page's polls cannot reach this thread while it runs the pull, so after each write the worker asks
// the bundle's own getSyncProgress() and posts the answer; the main thread serves polls from it.
// biome-ignore lint/suspicious/noExplicitAny: the bundle's globals are untyped.
let ctx: Record<string, any> = {};
let reporting = false;
type CacheLike = { put(key: string, value: string, ttl?: number): void };
const cacheService = runtime.globals.CacheService as { getDocumentCache(): CacheLike | null };
runtime.globals.CacheService = {
  ...cacheService,
  getDocumentCache(): CacheLike | null {
    const cache = cacheService.getDocumentCache();
    if (!cache) return cache;
    return new Proxy(cache, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop !== 'put' && prop !== 'putAll') return value.bind(target);
        return (...args: unknown[]) => {
          const out = value.apply(target, args);
          reportProgress();
          return out;
        };
      },
    });
  },
};

function reportProgress(): void {
  if (reporting || typeof ctx.getSyncProgress !== 'function') return;
  reporting = true;
  try {
    port.postMessage({ type: 'progress', value: toTransferable(ctx.getSyncProgress()).value });
  } catch {
    // Progress is best effort.
  } finally {
    reporting = false;
  }
}

ctx = loadBundle(runtime, config.distDir);

// Ui.alert and Ui.prompt block the script until the person answers. The fake takes scripted answers;
// here the question goes to the page and this thread waits for the click (Atomics.wait), then hands the
// answer to the fake. With no page open, the fake's default answer applies.
const askFlag = new Int32Array(config.askSignal);
/** Indexes in runtime.ui.alerts of questions the person answered (not replayed to the page). */
const answeredAtPage = new Set<number>();

function askPage(question: UiQuestion): UiAnswerMessage {
  Atomics.store(askFlag, 0, 0);
  port.postMessage({ type: 'ask', question });
  Atomics.wait(askFlag, 0, 0, 15 * 60_000);
  const received = receiveMessageOnPort(config.askPort);
  return received ? (received.message as UiAnswerMessage) : { button: 'CLOSE' };
}

function parseQuestion(kind: UiQuestion['kind'], a: unknown, b?: unknown, c?: unknown): UiQuestion {
  if (c !== undefined) return { kind, title: String(a), message: String(b), buttons: String(c) };
  if (b !== undefined) return { kind, title: '', message: String(a), buttons: String(b) };
  return { kind, title: '', message: String(a), buttons: 'OK' };
}

try {
  // biome-ignore lint/suspicious/noExplicitAny: patching the fake Ui's methods.
  const uiApi = (runtime.globals.SpreadsheetApp as any).getUi();
  for (const kind of ['alert', 'prompt'] as const) {
    const original = uiApi[kind] as (...args: unknown[]) => unknown;
    uiApi[kind] = function (this: unknown, ...args: unknown[]) {
      const question = parseQuestion(kind, args[0], args[1], args[2]);
      if (['OK', 'OK_CANCEL', 'YES_NO', 'YES_NO_CANCEL'].includes(question.buttons)) {
        const answer = askPage(question);
        if (answer.button) {
          runtime.ui.answers.unshift({ button: answer.button, text: answer.text ?? '' });
          answeredAtPage.add(runtime.ui.alerts.length);
        }
      }
      return original.apply(this, args);
    };
  }
} catch (e) {
  port.postMessage({ type: 'log', line: `Alerts will not be interactive: ${errorMessage(e)}` });
}
const functions = Object.keys(ctx).filter(
  (k) => typeof ctx[k] === 'function' && /^[A-Za-z_$][\w$]*$/.test(k),
);
// Only the bundle's top-level functions: the services we put into the context are objects, and
// Apps Script's own globals are not callable through google.script.run.
const callable = new Set(functions.filter((n) => !n.endsWith('_') && n !== 'Date' && n !== '__app'));

// ------------------------------------------------------------------ values across the boundary

function isDateLike(v: unknown): boolean {
  return Object.prototype.toString.call(v) === '[object Date]';
}

function containsDate(v: unknown, seen = new Set<unknown>()): boolean {
  if (isDateLike(v)) return true;
  if (v === null || typeof v !== 'object' || seen.has(v)) return false;
  seen.add(v);
  return Object.values(v as object).some((x) => containsDate(x, seen));
}

/** What google.script.run would deliver: a Date anywhere makes the whole value null. */
function toTransferable(value: unknown): { value: unknown; warning?: string } {
  if (value === undefined) return { value: undefined };
  if (containsDate(value))
    return {
      value: null,
      warning: 'returned a Date: google.script.run delivers null for a value containing a Date',
    };
  return { value: JSON.parse(JSON.stringify(value)) };
}

// ------------------------------------------------------------------ the page's view of the workbook

let version = 0;

function sheetView(book: FakeSpreadsheet, index: number): SheetView {
  const s = book.sheets[index];
  const lastRow = s.lastRow();
  const lastCol = s.lastColumn();
  // Hidden sheets have no tab in the page: their content is not sent.
  const values = lastRow && lastCol && !s.hidden ? book.dumpDisplay(s.name) : [];
  const formats: Record<string, CellFormat> = {};
  const notes: Record<string, string> = {};
  s.rows.forEach((row, r) => {
    if (s.hidden) return;
    row?.forEach((cell, c) => {
      if (!cell) return;
      const f: CellFormat = {};
      if (cell.bg && cell.bg.toLowerCase() !== '#ffffff') f.bg = cell.bg;
      if (cell.fc && cell.fc.toLowerCase() !== '#000000') f.color = cell.fc;
      if (cell.fw === 'bold') f.bold = true;
      if (cell.fs === 'italic') f.italic = true;
      if (cell.ha && cell.ha !== 'general' && cell.ha !== 'left') f.align = cell.ha;
      if (Object.keys(f).length > 0) formats[`${r + 1},${c + 1}`] = f;
      if (cell.note) notes[`${r + 1},${c + 1}`] = cell.note;
    });
  });
  const hiddenRows: number[] = [];
  s.rowDims.forEach((d, i) => {
    if (d?.hidden) hiddenRows.push(i + 1);
  });
  const hiddenColumns: number[] = [];
  const widths: number[] = [];
  const columns = Math.min(s.maxCols, Math.max(lastCol + 3, 14));
  for (let c = 1; c <= columns; c++) {
    const d = s.colDims[c - 1];
    if (d?.hidden) hiddenColumns.push(c);
    widths.push(d?.size ?? 100);
  }
  return {
    name: s.name,
    hidden: s.hidden,
    frozenRows: s.frozenRows,
    frozenColumns: s.frozenCols,
    rows: Math.min(s.maxRows, Math.max(lastRow + 25, 60)),
    columns,
    values,
    formats,
    notes,
    hiddenRows,
    hiddenColumns,
    widths,
  };
}

function menuViews(): MenuView[] {
  return runtime.ui.menus.map((m) => ({
    name: m.title,
    items: [
      ...m.items.map(([caption, functionName]) => (caption === '---' ? null : { caption, functionName })),
      ...m.subMenus.flatMap((sub) =>
        sub.items.map(([caption, functionName]) =>
          caption === '---' ? null : { caption: `${sub.title} ▸ ${caption}`, functionName },
        ),
      ),
    ],
  }));
}

function activeSelection(): { sheet: string; range: string | null } {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the fake SpreadsheetApp is untyped here.
    const app = runtime.globals.SpreadsheetApp as any;
    const ss = app.getActiveSpreadsheet();
    const sheet = ss.getActiveSheet();
    const range = ss.getActiveRange();
    return { sheet: sheet.getName(), range: range ? range.getA1Notation() : null };
  } catch {
    return { sheet: spreadsheet.sheets[0]?.name ?? '', range: null };
  }
}

function workbookView(): WorkbookView {
  version++;
  const active = activeSelection();
  return {
    version,
    name: spreadsheet.name,
    activeSheet: active.sheet,
    activeRange: active.range,
    sheets: spreadsheet.sheets.map((_, i) => sheetView(spreadsheet, i)),
    menus: menuViews(),
  };
}

// ------------------------------------------------------------------ UI events

function uiMark() {
  const ui = runtime.ui;
  return {
    alerts: ui.alerts.length,
    dialogs: ui.dialogs.length,
    sidebars: ui.sidebars.length,
    toasts: ui.toasts.length,
  };
}

function uiSince(mark: ReturnType<typeof uiMark>): UiEventView[] {
  const ui = runtime.ui;
  const out: UiEventView[] = [];
  ui.alerts.forEach((a, i) => {
    if (i < mark.alerts || answeredAtPage.has(i)) return;
    const answered = a.buttons !== 'OK' ? `\n\n(The preview answered ${a.answer}.)` : '';
    out.push({ kind: 'alert', title: a.title || 'Close Sync', message: `${a.message}${answered}` });
  });
  for (const d of ui.dialogs.slice(mark.dialogs)) out.push({ kind: 'dialog', title: d.title, html: d.html });
  for (const s of ui.sidebars.slice(mark.sidebars)) out.push({ kind: 'sidebar', title: s.title });
  for (const t of ui.toasts.slice(mark.toasts))
    out.push({ kind: 'toast', title: t.title, message: t.message });
  return out;
}

// ------------------------------------------------------------------ running requests

function save(): void {
  try {
    writeJson(config.workbookFile, spreadsheet.toJSON());
    writeJson(config.userPropertiesFile, runtime.userProperties.toObject());
  } catch (e) {
    port.postMessage({ type: 'log', line: `Could not save the workbook: ${String(e)}` });
  }
}

// Errors thrown by the bundle come from the vm context's realm: `instanceof Error` is false here.
function errorName(e: unknown): string {
  return typeof e === 'object' && e !== null && 'name' in e ? String((e as Error).name) : 'Error';
}

function errorMessage(e: unknown): string {
  return typeof e === 'object' && e !== null && 'message' in e ? String((e as Error).message) : String(e);
}

// ------------------------------------------------------------------ time-driven triggers

const lastFired = new Map<string, number>();

function periodMs(schedule: FakeTrigger['schedule']): number | null {
  if (schedule.everyMinutes) return schedule.everyMinutes * 60_000;
  if (schedule.everyHours) return schedule.everyHours * 3_600_000;
  if (schedule.everyDays) return schedule.everyDays * 86_400_000;
  if (schedule.everyWeeks) return schedule.everyWeeks * 7 * 86_400_000;
  return null;
}

/** Runs the time-driven triggers that are due, like Apps Script would (roughly: at most one a tick). */
function fireDueTriggers(): boolean {
  const now = Date.now();
  for (const trigger of runtime.triggers) {
    if (trigger.eventType !== 'CLOCK') continue;
    const { schedule } = trigger;
    const oneOffAt =
      schedule.at ?? (schedule.afterMs !== undefined ? trigger.createdAt + schedule.afterMs : undefined);
    const period = periodMs(schedule);
    const due =
      oneOffAt !== undefined
        ? !lastFired.has(trigger.uniqueId) && oneOffAt <= now
        : period !== null && now - (lastFired.get(trigger.uniqueId) ?? trigger.createdAt) >= period;
    if (!due) continue;
    lastFired.set(trigger.uniqueId, now);
    port.postMessage({ type: 'log', line: `Time-driven trigger: ${trigger.handlerFunction}()` });
    try {
      runtime.fireTrigger(ctx, trigger);
    } catch (e) {
      port.postMessage({ type: 'log', line: `${trigger.handlerFunction} failed: ${errorMessage(e)}` });
    }
    return true;
  }
  return false;
}

function handle(request: WorkerRequest): WorkerMessage {
  const mark = uiMark();
  const warnings: string[] = [];
  let ok = true;
  let value: unknown;
  let message: string | undefined;
  let name: string | undefined;
  let changed = true;
  try {
    if (request.type === 'run') {
      if (!callable.has(request.name)) throw new Error(`Script function not found: ${request.name}`);
      runtime.startExecution();
      runtime.setAuthMode('FULL');
      const out = toTransferable(ctx[request.name](...request.args));
      value = out.value;
      if (out.warning) warnings.push(`${request.name} ${out.warning}`);
      changed = !['getSyncProgress', 'getConnection', 'getSyncStatus'].includes(request.name);
    } else if (request.type === 'menu') {
      if (!callable.has(request.functionName))
        throw new Error(`Script function not found: ${request.functionName}`);
      runtime.startExecution();
      runtime.setAuthMode('FULL');
      ctx[request.functionName]();
    } else if (request.type === 'edit') {
      runtime.userEdit(ctx, request.sheet, [request.row, request.column], request.value);
    } else if (request.type === 'tick') {
      changed = fireDueTriggers();
    } else {
      runtime.openDocument(ctx, 'LIMITED');
    }
  } catch (e) {
    ok = false;
    message = errorMessage(e);
    name = errorName(e);
  }
  if (changed) save();
  return {
    type: 'done',
    id: request.id,
    ok,
    value,
    message,
    name,
    view: changed ? workbookView() : null,
    ui: uiSince(mark),
    warnings,
  };
}

port.on('message', (request: WorkerRequest) => {
  port.postMessage(handle(request));
});

port.postMessage({ type: 'ready', functions: [...callable].sort(), view: workbookView() });
