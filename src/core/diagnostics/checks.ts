// The diagnostics' sections, each built from plain facts the Apps Script shell gathered
// (src/addon/diagnostics.ts). Every row that is not fine says what to do. Facts carry counts, settings
// and messages only: never a cell value, never the API key.
import type { DiagnosticRow, DiagnosticSection } from './report';

const SCOPE_PREFIX = 'https://www.googleapis.com/auth/';

function shortScope(scope: string): string {
  return scope.startsWith(SCOPE_PREFIX) ? scope.slice(SCOPE_PREFIX.length) : scope;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const REAUTHORIZE =
  'Reload the spreadsheet, open Extensions › Close Sync › Open sidebar and accept the Google authorization screen.';

// ---------------------------------------------------------------- Google authorization

export interface AuthorizationFacts {
  /** The manifest's scopes (what the add-on asks for). */
  expected: string[];
  /** `REQUIRED` or `NOT_REQUIRED` (ScriptApp.AuthorizationStatus), or null when it could not be read. */
  status: string | null;
  /** Which of `expected` are granted; null when Apps Script does not say (getAuthorizedScopes is `String[]|null`). */
  granted: string[] | null;
  /** Where the rep grants them (Apps Script returns null when nothing is required). */
  url: string | null;
  error?: string;
}

export function authorizationSection(f: AuthorizationFacts): DiagnosticSection {
  const rows: DiagnosticRow[] = [];
  if (f.error !== undefined) {
    rows.push({
      label: 'Status',
      value: `Could not be read: ${f.error}`,
      level: 'error',
      action: REAUTHORIZE,
    });
  } else if (f.status === 'REQUIRED') {
    rows.push({
      label: 'Status',
      value: 'Close Sync needs your permission (again)',
      level: 'error',
      action: f.url ? `${REAUTHORIZE} Or open ${f.url}` : REAUTHORIZE,
    });
  } else {
    rows.push({
      label: 'Status',
      value: `Authorized (${plural(f.expected.length, 'scope')} asked for)`,
      level: 'ok',
    });
  }
  for (const scope of f.expected) {
    if (f.granted === null) {
      rows.push({ label: shortScope(scope), value: 'not reported by Google', level: 'info' });
    } else if (f.granted.includes(scope)) {
      rows.push({ label: shortScope(scope), value: 'granted', level: 'ok' });
    } else {
      rows.push({ label: shortScope(scope), value: 'not granted', level: 'error', action: REAUTHORIZE });
    }
  }
  return { title: 'Google authorization', rows };
}

// ---------------------------------------------------------------- timer and schedules

export interface TimerFacts {
  /** The trigger Close Sync noted for this rep in this document: `once`, `every4h`, `day@7`. */
  notedKey: string | null;
  /** The rep's triggers of Close Sync's handler in this document, as Apps Script lists them. */
  triggers: number;
  error?: string;
}

export interface ScheduleFacts {
  sheetName: string;
  description: string;
  setBy: string;
  paused: string | null;
  last: { outcome: string; finished: string } | null;
  next: string | null;
}

export function describeTimer(key: string): string {
  if (key === 'once')
    return 'One-off run in about a minute (continues a pull or push, or runs a due refresh)';
  const day = /^day@(\d+)$/.exec(key);
  if (day) return `Every day at ${day[1].padStart(2, '0')}:00 (scheduled refresh)`;
  const hours = /^every(\d+)h$/.exec(key);
  if (hours)
    return hours[1] === '1'
      ? 'Every hour (scheduled refresh)'
      : `Every ${hours[1]} hours (scheduled refresh)`;
  return key;
}

/** `schedulesError`: why the schedules could not be read (they are then not listed). */
export function timerSection(
  timer: TimerFacts,
  schedules: ScheduleFacts[],
  schedulesError?: string,
): DiagnosticSection {
  const rows: DiagnosticRow[] = [];
  if (timer.error !== undefined) {
    rows.push({
      label: 'Your trigger',
      value: `Could not be read: ${timer.error}`,
      level: 'error',
      action: REAUTHORIZE,
    });
  } else if (timer.notedKey && timer.triggers > 0) {
    rows.push({ label: 'Your trigger', value: describeTimer(timer.notedKey), level: 'ok' });
  } else if (timer.notedKey) {
    rows.push({
      label: 'Your trigger',
      value: `${describeTimer(timer.notedKey)}: noted, but Apps Script has no such trigger`,
      level: 'warn',
      action:
        'Set your schedule again in the sidebar (Scheduled refresh), or continue the job in the sidebar. Test deployments of an add-on cannot run triggers at all.',
    });
  } else if (timer.triggers > 0) {
    rows.push({
      label: 'Your trigger',
      value: `${plural(timer.triggers, 'trigger')} not noted by Close Sync (it removes itself the next time it fires)`,
      level: 'info',
    });
  } else {
    rows.push({
      label: 'Your trigger',
      value: 'None (no job to continue, no schedule of yours)',
      level: 'info',
    });
  }
  if (schedulesError !== undefined)
    rows.push({
      label: 'Schedules',
      value: `Could not be read: ${schedulesError}`,
      level: 'error',
      action: REAUTHORIZE,
    });
  else if (schedules.length === 0)
    rows.push({ label: 'Schedules', value: 'No sheet is refreshed on a schedule', level: 'info' });
  for (const s of schedules) {
    const parts = [`${s.description}, set by ${s.setBy}`];
    if (s.last) parts.push(`last run ${s.last.finished}: ${s.last.outcome}`);
    if (s.next) parts.push(`next about ${s.next}`);
    const row: DiagnosticRow = {
      label: `Schedule of "${s.sheetName}"`,
      value: parts.join('; '),
      level: 'ok',
    };
    if (s.paused) {
      row.value = `${row.value}; paused: ${s.paused}`;
      row.level = 'warn';
      row.action = `${s.setBy} connects again in the sidebar (the schedule then resumes by itself).`;
    } else if (s.last?.outcome === 'failed') {
      row.level = 'warn';
      row.action = 'The next run tries again; see "Last sync errors" below for why it failed.';
    }
    rows.push(row);
  }
  return { title: 'Background timer and schedules', rows };
}

// ---------------------------------------------------------------- property storage

/**
 * Apps Script's quotas page: "Properties value size 9kB / val", "Properties total storage 500kB /
 * property store". Whether kB means 1,000 or 1,024 bytes is not said; the report takes 1,000 (the
 * stricter reading), so it warns early. Bytes are counted in UTF-8, keys included.
 */
export const PROPERTY_STORE_QUOTA_BYTES = 500_000;
export const PROPERTY_VALUE_QUOTA_BYTES = 9_000;
const WARN_SHARE = 0.8;

export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte character.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export interface PropertyFacts {
  keys: number;
  bytes: number;
  largestValueBytes: number;
}

export function propertyFacts(properties: Record<string, string>): PropertyFacts {
  let bytes = 0;
  let largest = 0;
  const keys = Object.keys(properties);
  for (const key of keys) {
    const value = utf8Bytes(String(properties[key]));
    bytes += utf8Bytes(key) + value;
    largest = Math.max(largest, value);
  }
  return { keys: keys.length, bytes, largestValueBytes: largest };
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1).replace(/\.0$/, '')} kB`;
}

function storeRow(label: string, facts: PropertyFacts | string, action: string): DiagnosticRow {
  if (typeof facts === 'string')
    return { label, value: `Could not be read: ${facts}`, level: 'error', action: REAUTHORIZE };
  const share = facts.bytes / PROPERTY_STORE_QUOTA_BYTES;
  const valueShare = facts.largestValueBytes / PROPERTY_VALUE_QUOTA_BYTES;
  const value = `${kb(facts.bytes)} of ${kb(PROPERTY_STORE_QUOTA_BYTES)} (${Math.round(share * 100)}%) in ${plural(facts.keys, 'key')}; largest value ${kb(facts.largestValueBytes)} of ${kb(PROPERTY_VALUE_QUOTA_BYTES)}`;
  const full = share >= WARN_SHARE || valueShare >= WARN_SHARE;
  return full
    ? { label, value, level: share >= 1 ? 'error' : 'warn', action }
    : { label, value, level: 'ok' };
}

export function storageSection(
  document: PropertyFacts | string,
  user: PropertyFacts | string,
): DiagnosticSection {
  return {
    title: 'Property storage',
    rows: [
      storeRow(
        'Document properties',
        document,
        'Pull definitions, schedules and job records of this spreadsheet are kept here: turn off schedules and cancel jobs you no longer need, and send this report to your Close Sync admin.',
      ),
      storeRow(
        'Your user properties',
        user,
        'Your Close key and connection are kept here: disconnect and connect again in the sidebar, and send this report to your Close Sync admin.',
      ),
    ],
  };
}

// ---------------------------------------------------------------- Close

export type CloseCheck =
  | { kind: 'no-key' }
  | { kind: 'ok'; ms: number; user: string; email: string; organization: string }
  | { kind: 'rejected' }
  | { kind: 'rate-limited' }
  | { kind: 'server-error'; status: number }
  | { kind: 'unreachable'; message: string }
  | { kind: 'failed'; status: number; message: string };

/** A rate budget as the Close client keeps it between runs (`closeSync.rateBudgets` in the rep's cache). */
export interface SavedBudget {
  limit: number | null;
  remaining: number;
  resetAt: number;
}

export function closeConnectionRow(check: CloseCheck): DiagnosticRow {
  const label = 'Connection (GET /me/)';
  switch (check.kind) {
    case 'no-key':
      return {
        label,
        value: 'Not connected',
        level: 'warn',
        action: 'Open the sidebar and paste your Close API key (Close → Settings → Developer → API Keys).',
      };
    case 'ok':
      return {
        label,
        value: `Connected as ${check.user} (${check.email}) to ${check.organization}; answered in ${check.ms} ms`,
        level: 'ok',
      };
    case 'rejected':
      return {
        label,
        value: 'Close rejected the saved API key (401)',
        level: 'error',
        action:
          'The key was deleted or belongs to a user who left: make a new one in Close (Settings → Developer → API Keys) and connect again in the sidebar.',
      };
    case 'rate-limited':
      return {
        label,
        value: 'Close is rate limiting this key right now (429)',
        level: 'warn',
        action: 'Wait a minute and run the diagnostics again; pulls and pushes wait for Close by themselves.',
      };
    case 'server-error':
      return {
        label,
        value: `Close answered with a server error (${check.status})`,
        level: 'error',
        action:
          'The trouble is on Close’s side, not in your sheet or key: try again in a few minutes (Close posts outages at https://status.close.com).',
      };
    case 'unreachable':
      return {
        label,
        value: `Could not reach api.close.com: ${check.message}`,
        level: 'error',
        action:
          'Try again in a minute. If it keeps failing, your Google Workspace admin may restrict which sites Apps Script can reach: ask them to allow https://api.close.com/.',
      };
    case 'failed':
      return {
        label,
        value: `Close answered ${check.status}: ${check.message}`,
        level: 'error',
        action:
          check.status === 403
            ? 'Your Close user lacks a permission this needs: ask your Close admin.'
            : 'Run the diagnostics again; if it persists, send this report to your Close Sync admin.',
      };
  }
}

export function budgetRows(saved: Record<string, SavedBudget> | null, now: number): DiagnosticRow[] {
  // Entries as the client keeps them (core/close/budget.ts); one it could not read is left out, as it does.
  const groups = saved
    ? Object.keys(saved)
        .filter((g) => typeof saved[g]?.remaining === 'number' && typeof saved[g]?.resetAt === 'number')
        .sort()
    : [];
  if (groups.length === 0)
    return [
      {
        label: 'Rate budgets',
        value: 'None seen in the last 6 hours (learnt from Close’s answers on the next pull or push)',
        level: 'info',
      },
    ];
  return groups.map((group) => {
    const b = saved![group];
    const limit = b.limit === null ? 'unknown limit' : `${b.limit}`;
    const value =
      now < b.resetAt
        ? `${b.remaining} of ${limit} left, window resets in ${Math.ceil((b.resetAt - now) / 1000)} s`
        : `${limit} per window (window over: full again)`;
    return { label: `Rate budget ${group}`, value, level: 'info' as const };
  });
}

export function closeSection(check: CloseCheck, budgets: Record<string, SavedBudget> | null, now: number) {
  return { title: 'Close', rows: [closeConnectionRow(check), ...budgetRows(budgets, now)] };
}

// ---------------------------------------------------------------- last sync errors

export interface SyncErrorFacts {
  /** The unfinished job of this spreadsheet, when it stopped on an error. */
  job: { kind: string; sheetName: string; steps: number; error: string } | null;
  /** This rep's last pull or push message, when it was a stop (kept ten minutes). */
  stopped: { action: string; message: string; at: string } | null;
  /** Schedules whose last run failed. */
  scheduled: Array<{ sheetName: string; finished: string; message: string }>;
}

export function syncErrorsSection(f: SyncErrorFacts): DiagnosticSection {
  const rows: DiagnosticRow[] = [];
  if (f.job)
    rows.push({
      label: `Unfinished ${f.job.kind} of "${f.job.sheetName}"`,
      value: `stopped after ${plural(f.job.steps, 'step')}: ${f.job.error}`,
      level: 'error',
      action: `Continue or cancel it in the sidebar (the ${f.job.kind === 'pull' ? 'Pull' : 'Changes'} section). Nothing it wrote is lost.`,
    });
  if (f.stopped && !(f.job && f.stopped.message.includes(f.job.error)))
    rows.push({
      label: `Your last ${f.stopped.action}`,
      value: `${f.stopped.message} (${f.stopped.at})`,
      level: 'warn',
      action: 'Run it again; if it stops the same way, send this report to your Close Sync admin.',
    });
  for (const s of f.scheduled)
    rows.push({
      label: `Scheduled refresh of "${s.sheetName}"`,
      value: `failed ${s.finished}: ${s.message}`,
      level: 'warn',
      action: 'The next run tries again by itself; the Close Sync Log sheet lists every run.',
    });
  if (rows.length === 0) rows.push({ label: 'Errors', value: 'None recorded', level: 'ok' });
  return { title: 'Last sync errors', rows };
}

// ---------------------------------------------------------------- spreadsheet speed

export interface SheetCost {
  /** One service call: a one-cell read. */
  callMs: number;
  /** Cells written then read back. */
  cells: number;
  /** The write and the read-back of those cells, together. */
  writeReadMs: number;
}

export interface SheetCostFacts {
  cost: SheetCost | null;
  error?: string;
  /** The scratch sheet, when it could not be removed. */
  leftover?: string;
}

const SLOW_CALL_MS = 1000;
const SLOW_CELL_US = 500;
const SLOW =
  'This spreadsheet is slow to answer: pulls and pushes take longer and do less per step. Fewer or smaller sheets in this file (or a new spreadsheet for the pull) help.';

/** A cell's time, written and read back: two calls (the write and the read) carry the fixed cost. */
export function perCellUs({ callMs, cells, writeReadMs }: SheetCost): number {
  return Math.max(0, Math.round(((writeReadMs - 2 * callMs) * 1000) / cells));
}

export function sheetCostSection(f: SheetCostFacts): DiagnosticSection {
  const rows: DiagnosticRow[] = [];
  if (f.cost) {
    const { callMs, cells, writeReadMs } = f.cost;
    const perCell = perCellUs(f.cost);
    rows.push(
      callMs >= SLOW_CALL_MS
        ? { label: 'One service call', value: `${callMs} ms`, level: 'warn', action: SLOW }
        : { label: 'One service call', value: `${callMs} ms`, level: 'ok' },
    );
    const value = `${perCell} µs (${cells} cells written and read back in ${writeReadMs} ms)`;
    rows.push(
      perCell >= SLOW_CELL_US
        ? { label: 'Per cell', value, level: 'warn', action: SLOW }
        : { label: 'Per cell', value, level: 'ok' },
    );
  } else {
    rows.push({
      label: 'Measurement',
      value: `Could not be made: ${f.error ?? 'unknown error'}`,
      level: 'warn',
      action: 'Nothing is wrong with your data; run the diagnostics again later.',
    });
  }
  rows.push(
    f.leftover
      ? {
          label: 'Scratch sheet',
          value: `"${f.leftover}" could not be removed`,
          level: 'warn',
          action: `Delete the sheet "${f.leftover}" (it holds only test numbers).`,
        }
      : { label: 'Scratch sheet', value: 'Made, measured and removed', level: 'ok' },
  );
  return { title: 'Spreadsheet speed', rows };
}
