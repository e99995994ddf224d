// A typed, promise-based wrapper over google.script.run.
//
// - Every call goes through one small queue: at most MAX_IN_FLIGHT calls are on the wire at once (Apps
//   Script allows 10 per page and queues the rest; staying well under keeps progress polls responsive).
// - Arguments are checked before they leave: only primitives, null, arrays and plain objects of those
//   cross the boundary (a Date, function or DOM node would fail on the server side).
// - Failures reject with an Error carrying the server's readable message.
import type { Connection } from '../addon/connection';
import type { JobOutcome } from '../addon/jobs';
import type { SyncStatus } from '../addon/main';
import type { SyncProgress } from '../addon/progress';
import type { Preview } from '../core/sync/preview';
import type { PullSummary } from '../core/sync/pull';
import type { PushSummary } from '../core/sync/push';
import type { ReportSummary } from '../core/report/build';
import type { ScheduleSpec } from '../core/schedule/schedule';
import type { UndoPreview, UndoResult } from '../core/sync/undo';
import type { ScheduleView } from '../addon/schedule';

export type { Connection, JobOutcome, Preview, PullSummary, PushSummary, SyncProgress, SyncStatus };
export type { ReportSummary, ScheduleSpec, ScheduleView, UndoPreview, UndoResult };
export type { ScheduleInfo } from '../addon/schedule';
export type { UndoItem } from '../core/sync/undo';
export type { PreviewItem } from '../core/sync/preview';
export type { RowResult } from '../core/sync/push';

/** The server functions the sidebar calls (global functions of the Apps Script bundle). */
export interface ServerApi {
  getConnection(): Connection;
  saveApiKey(key: string): Connection;
  disconnect(): Connection;
  /** Starts a pull; it may finish in this call or need continueSync calls (a long pull runs in steps). */
  pullLeads(options: { discardEdits?: boolean }): JobOutcome<PullSummary>;
  pushChanges(options: Record<string, never>): JobOutcome<PushSummary>;
  /** The next step of the job under way; null when none is. */
  continueSync(): JobOutcome<PullSummary> | JobOutcome<PushSummary> | null;
  cancelSync(): { cancelled: boolean; message: string };
  getSyncStatus(): SyncStatus;
  getSyncProgress(): SyncProgress | null;
  previewChanges(options: Record<string, never>): Preview;
  selectRow(sheetName: string, row: number): void;
  getSchedule(): ScheduleView;
  setSchedule(options: ScheduleSpec): ScheduleView;
  clearSchedule(sheetName: string): ScheduleView;
  previewUndo(): UndoPreview;
  undoLastPush(options: { confirmed: true }): UndoResult;
  buildReport(options: { sheetName?: string }): ReportSummary;
}

export type ServerName = keyof ServerApi;

type Handler = (value: unknown, userObject?: unknown) => void;

interface ScriptRunner {
  withSuccessHandler(handler: Handler): ScriptRunner;
  withFailureHandler(handler: Handler): ScriptRunner;
  [name: string]: unknown;
}

interface GoogleScript {
  script?: { run?: ScriptRunner };
}

export const MAX_IN_FLIGHT = 3;

let inFlight = 0;
const waiting: Array<() => void> = [];

function runner(): ScriptRunner | undefined {
  return (globalThis as { google?: GoogleScript }).google?.script?.run;
}

/** Throws if `value` could not cross google.script.run (Dates, functions, DOM nodes, cycles, NaN keys…). */
export function assertTransferable(value: unknown, path = 'argument', seen: Set<object> = new Set()): void {
  if (value === null || value === undefined) return;
  const type = typeof value;
  if (type === 'string' || type === 'boolean') return;
  if (type === 'number') {
    if (!Number.isFinite(value as number)) throw new Error(`${path} is not a finite number`);
    return;
  }
  if (type !== 'object') throw new Error(`${path} is a ${type}: it cannot be sent to the server`);
  const obj = value as object;
  if (seen.has(obj)) throw new Error(`${path} refers to itself: it cannot be sent to the server`);
  const proto = Object.getPrototypeOf(obj);
  if (Array.isArray(obj)) {
    seen.add(obj);
    obj.forEach((v, i) => {
      assertTransferable(v, `${path}[${i}]`, seen);
    });
    seen.delete(obj);
    return;
  }
  if (proto !== Object.prototype && proto !== null)
    throw new Error(`${path} is a ${Object.prototype.toString.call(obj).slice(8, -1)}: send a plain value`);
  seen.add(obj);
  for (const [k, v] of Object.entries(obj)) assertTransferable(v, `${path}.${k}`, seen);
  seen.delete(obj);
}

function acquire(): Promise<void> {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight++;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    waiting.push(() => {
      inFlight++;
      resolve();
    });
  });
}

function release(): void {
  inFlight--;
  const next = waiting.shift();
  if (next) next();
}

function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (e && typeof e === 'object' && 'message' in e)
    return new Error(String((e as { message: unknown }).message));
  return new Error(String(e ?? 'The server call failed.'));
}

/** Calls a server function; resolves with its return value or rejects with its error. */
export async function call<K extends ServerName>(
  name: K,
  ...args: Parameters<ServerApi[K]>
): Promise<ReturnType<ServerApi[K]>> {
  args.forEach((a, i) => {
    assertTransferable(a, `${name} argument ${i + 1}`);
  });
  const run = runner();
  if (!run) throw new Error('This page must be opened from the Close Sync menu in Google Sheets.');
  await acquire();
  try {
    return await new Promise<ReturnType<ServerApi[K]>>((resolve, reject) => {
      const chained = run
        .withSuccessHandler((value) => resolve(value as ReturnType<ServerApi[K]>))
        .withFailureHandler((error) => reject(toError(error)));
      const fn = chained[name];
      if (typeof fn !== 'function') {
        reject(new Error(`The server has no function ${name}.`));
        return;
      }
      (fn as (...a: unknown[]) => void).apply(chained, args);
    });
  } finally {
    release();
  }
}

/** Calls in flight and waiting (for tests and diagnostics). */
export function pendingCalls(): { inFlight: number; waiting: number } {
  return { inFlight, waiting: waiting.length };
}
