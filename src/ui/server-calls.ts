// A typed, promise-based wrapper over google.script.run: the sidebar's only way to call the server.
//
// - Every call goes through one small queue: at most MAX_IN_FLIGHT calls are on the wire at once (Apps
//   Script allows 10 per page and queues the rest; staying well under keeps progress polls responsive).
// - Arguments are checked before they leave: only primitives, null, arrays and plain objects of those
//   cross the boundary (a Date, function or DOM node would fail on the server side).
// - Failures reject with an Error carrying the server's readable message.
import { explainPermissionError } from '../core/permissions';
import type { Preview } from '../core/sync/preview';
import type { PullSummary } from '../core/sync/pull-summary';
import type { PushSummary } from '../core/sync/push';
import type { ReportSummary } from '../core/report/build';
import type { ScheduleSpec } from '../core/schedule/due-times';
import type { UndoPreview, UndoResult } from '../core/sync/undo';
import type { SmartView } from '../core/close/types';
import type { ObjectKind } from '../core/schema/objects';
import type { PullDefinition } from '../core/sync/pull-definition';
import type { MultiValueMode } from '../core/sync/conflicts';
import type { DiagnosticRow, Diagnostics } from '../core/diagnostics/report';
import type {
  Connection,
  FieldGroups,
  FieldInfo,
  JobOutcome,
  PullRequestOptions,
  ScheduleInfo,
  ScheduleView,
  ServerApi,
  ServerName,
  SheetOptions,
  SyncProgress,
  SyncStatus,
} from '../shared/server-api';

export type { Connection, JobOutcome, Preview, PullSummary, PushSummary, SyncProgress, SyncStatus };
export type { ReportSummary, ScheduleSpec, ScheduleView, UndoPreview, UndoResult };
export type { FieldGroups, FieldInfo, MultiValueMode, ObjectKind, PullDefinition, SmartView };
export type { DiagnosticRow, Diagnostics };
export type { ActivityPullSummary } from '../core/activities/pull';
export type { ActivityRequest } from '../core/activities/definition';
export type { ActivityReportOptions, ActivityReportSummary } from '../core/activities/rollup';
export type { PullRequestOptions, ScheduleInfo, ServerApi, ServerName, SheetOptions };
export type { UndoItem } from '../core/sync/undo';
export type { PreviewItem } from '../core/sync/preview';
export type { RowResult } from '../core/sync/push';

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
  // A permission Apps Script refused is told in words the rep can act on.
  const explained = (message: string) => {
    const text = explainPermissionError(message);
    return text === null ? null : new Error(text);
  };
  if (e instanceof Error) return explained(e.message) ?? e;
  if (e && typeof e === 'object' && 'message' in e) {
    const message = String((e as { message: unknown }).message);
    return explained(message) ?? new Error(message);
  }
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
