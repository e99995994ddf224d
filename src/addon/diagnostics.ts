// getDiagnostics: gathers, for the rep's own environment, what the Help panel shows — version, Google
// authorization, trigger and schedules, property storage, Close connectivity and rate budgets, the last
// sync errors, and the spreadsheet's measured speed. The rows and the text are built in
// src/core/diagnostics; this module only asks Apps Script. One part failing (a missing scope, say)
// becomes an error row in its section, never a failed report.
import { CloseClient } from '../core/close/client';
import { BUDGETS_KEY } from '../core/close/client';
import {
  authorizationSection,
  type AuthorizationFacts,
  closeSection,
  propertyFacts,
  type SavedBudget,
  type ScheduleFacts,
  perCellUs,
  sheetCostSection,
  storageSection,
  type SyncErrorFacts,
  syncErrorsSection,
  timerSection,
  type TimerFacts,
} from '../core/diagnostics/checks';
import { checkClose, measureSheetCost } from '../core/diagnostics/probes';
import { saveSheetSpeed } from './sheet-speed';
import {
  type DiagnosticSection,
  type Diagnostics,
  diagnosticsText,
  redact,
} from '../core/diagnostics/report';
import { formatStamp } from '../core/schema/dates';
import { activeWorkbook } from '../gas/grid';
import { urlFetchHttp } from '../gas/http';
import { appsScriptClock, userCacheStore, userStore } from '../gas/runtime';
import { ADDON_VERSION, MANIFEST_SCOPES } from './build-info';
import { requireApiKey } from './connection';
import { runningJob } from './job-runner';
import { readProgress } from './progress';
import { scheduleView } from './scheduled-refresh';
import { installedTimer, ourTriggers } from './time-trigger';

export type { Diagnostics };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A section whose facts could not be gathered says so, and why, instead of failing the report. */
function safely(title: string, build: () => DiagnosticSection): DiagnosticSection {
  try {
    return build();
  } catch (e) {
    return {
      title,
      rows: [
        {
          label: 'Could not be checked',
          value: messageOf(e),
          level: 'error',
          action:
            'Reload the spreadsheet and try again; if it persists, send this report to your Close Sync admin.',
        },
      ],
    };
  }
}

// Not in @types/google-apps-script: the two-argument form and getAuthorizedScopes ("Gets a list of
// authorized scopes for the script. If authorization information is requested for a specified list of
// scopes, returns the authorized scopes from the specified list." — reference/script/authorization-info).
interface AuthorizationInfo {
  getAuthorizationStatus(): unknown;
  getAuthorizationUrl(): string | null;
  getAuthorizedScopes?(): string[] | null;
}

function authorizationFacts(): AuthorizationFacts {
  const expected = MANIFEST_SCOPES;
  try {
    const getInfo = ScriptApp.getAuthorizationInfo as unknown as (
      mode: GoogleAppsScript.Script.AuthMode,
      scopes?: string[],
    ) => AuthorizationInfo;
    const info = getInfo(ScriptApp.AuthMode.FULL, expected);
    const granted = typeof info.getAuthorizedScopes === 'function' ? info.getAuthorizedScopes() : null;
    return {
      expected,
      status: String(info.getAuthorizationStatus()),
      granted: Array.isArray(granted) ? granted.map(String) : null,
      url: info.getAuthorizationUrl() ?? null,
    };
  } catch (e) {
    return { expected, status: null, granted: null, url: null, error: messageOf(e) };
  }
}

function timerFacts(): TimerFacts {
  try {
    return { notedKey: installedTimer()?.key ?? null, triggers: ourTriggers().length };
  } catch (e) {
    return { notedKey: null, triggers: 0, error: messageOf(e) };
  }
}

function properties(read: () => GoogleAppsScript.Properties.Properties) {
  try {
    return propertyFacts(read().getProperties());
  } catch (e) {
    return messageOf(e);
  }
}

function savedBudgets(): Record<string, SavedBudget> | null {
  const saved = userCacheStore(60).get(BUDGETS_KEY);
  if (!saved) return null;
  try {
    return JSON.parse(saved) as Record<string, SavedBudget>;
  } catch {
    return null;
  }
}

/** The rep's key, or null (never shown: it only makes the client and is redacted from messages). */
function apiKey(): string | null {
  try {
    return requireApiKey(userStore());
  } catch {
    return null;
  }
}

export function diagnostics(): Diagnostics {
  // Without the spreadsheet (a scope not granted) the report still comes, in UTC, with nothing kept quoted.
  let tz = 'UTC';
  let sheetNames: string[] = [];
  try {
    const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
    tz = spreadsheet.getSpreadsheetTimeZone();
    sheetNames = spreadsheet.getSheets().map((s) => s.getName());
  } catch {
    // The sections that need the spreadsheet say why they could not be checked.
  }
  const key = apiKey();
  const clean = (message: string) => redact(message, sheetNames, key ? [key] : []);
  let view: ReturnType<typeof scheduleView> | null = null;
  let viewError: string | undefined;
  try {
    view = scheduleView();
  } catch (e) {
    viewError = messageOf(e);
  }

  const sections: DiagnosticSection[] = [];
  sections.push(safely('Google authorization', () => authorizationSection(authorizationFacts())));
  sections.push(
    safely('Background timer and schedules', () => {
      const schedules: ScheduleFacts[] = (view?.schedules ?? []).map((s) => ({
        sheetName: s.sheetName,
        description: s.description,
        setBy: s.setBy,
        paused: s.paused,
        last: s.last ? { outcome: s.last.outcome, finished: s.last.finished } : null,
        next: s.next,
      }));
      return timerSection(timerFacts(), schedules, viewError);
    }),
  );
  sections.push(
    safely('Property storage', () =>
      storageSection(
        properties(() => PropertiesService.getDocumentProperties()),
        properties(() => PropertiesService.getUserProperties()),
      ),
    ),
  );
  sections.push(
    safely('Close', () => {
      // Read before GET /me/ answers (that answer would replace them).
      const budgets = savedBudgets();
      const client = key
        ? new CloseClient(urlFetchHttp(), appsScriptClock, key, { maxRetries: 0, maxThrottleRetries: 0 })
        : null;
      const check = checkClose(client, appsScriptClock);
      if (check.kind === 'unreachable' || check.kind === 'failed') check.message = clean(check.message);
      return closeSection(check, budgets, Date.now());
    }),
  );
  sections.push(
    safely('Last sync errors', () => {
      const job = runningJob();
      const progress = readProgress();
      const facts: SyncErrorFacts = {
        job: job?.error
          ? { kind: job.kind, sheetName: job.sheetName, steps: job.steps, error: clean(job.error) }
          : null,
        stopped:
          progress?.done && progress.message.startsWith('Stopped:')
            ? { action: progress.action, message: clean(progress.message), at: formatStamp(progress.at, tz) }
            : null,
        scheduled: (view?.schedules ?? [])
          .filter((s) => s.last?.outcome === 'failed')
          .map((s) => ({
            sheetName: s.sheetName,
            finished: s.last!.finished,
            message: clean(s.last!.message),
          })),
      };
      return syncErrorsSection(facts);
    }),
  );
  sections.push(
    safely('Spreadsheet speed', () => {
      const scratch = `Close Sync diagnostics ${Date.now().toString(36)}`;
      const facts = measureSheetCost(activeWorkbook(), appsScriptClock, scratch);
      // Kept: later steps size their writes by it (sheet-speed.ts).
      if (facts.cost) saveSheetSpeed({ callMs: facts.cost.callMs, perCellUs: perCellUs(facts.cost) });
      return sheetCostSection(facts);
    }),
  );

  const report = {
    version: ADDON_VERSION,
    generatedAt: `${formatStamp(Date.now(), tz)} (${tz})`,
    sections,
  };
  return { ...report, text: diagnosticsText(report) };
}
