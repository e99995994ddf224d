// The add-on's global functions: menu items, sidebar calls (google.script.run) and triggers call these
// by name. Each wires the Apps Script adapters to the core and nothing more.
//
// A function called from the menu gets no options; the sidebar and scripts always pass an object.
// That is how a menu call knows to ask for confirmation and show dialogs.
import { type PullOptions, pullLeads as runPull } from '../core/sync/pull';
import {
  type Preview,
  type PushOptions,
  type PushSummary,
  previewPush,
  pushChanges as runPush,
} from '../core/sync/push';
import type { SyncDeps } from '../core/sync/context';
import { activeWorkbook } from '../gas/grid';
import { appsScriptClock } from '../gas/runtime';
import {
  type Connection,
  clientFor,
  connect,
  currentConnection,
  disconnect as forget,
  requireApiKey,
} from './connection';
import { previewCountsText, previewHtml, pushSummaryText } from './dialogs';
import { readProgress, reportProgress, type SyncProgress } from './progress';
import { withSyncLock } from './sync-lock';

type Options<T> = T | undefined;

function isMenuCall(options: unknown): boolean {
  return options === undefined || options === null || typeof options !== 'object' || 'authMode' in options;
}

function syncDeps(): SyncDeps {
  return { client: clientFor(requireApiKey()), workbook: activeWorkbook(), clock: appsScriptClock };
}

/** Runs an action; from the menu, errors become an alert instead of a red "script error" toast. */
function reportErrors<T>(fromMenu: boolean, run: () => T): T | undefined {
  if (!fromMenu) return run();
  try {
    return run();
  } catch (e) {
    SpreadsheetApp.getUi().alert(
      'Close Sync',
      e instanceof Error ? e.message : String(e),
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
    return undefined;
  }
}

export function onOpen(_e?: unknown): void {
  // Runs in AuthMode.NONE for an add-on not yet used in this document: only the menu, no services.
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Open sidebar', 'showSidebar')
    .addSeparator()
    .addItem('Pull leads', 'pullLeads')
    .addItem('Preview changes', 'previewChanges')
    .addItem('Push changes', 'pushChanges')
    .addToUi();
}

export function onInstall(e?: unknown): void {
  onOpen(e);
}

export function showSidebar(): void {
  const html = HtmlService.createHtmlOutputFromFile('sidebar').setTitle('Close Sync');
  SpreadsheetApp.getUi().showSidebar(html);
}

export function saveApiKey(key: string): Connection {
  return connect(key);
}

export function disconnect(): Connection {
  return forget();
}

export function getConnection(): Connection {
  return currentConnection();
}

export function pullLeads(options?: Options<PullOptions>) {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    const given = fromMenu ? {} : (options ?? {});
    reportProgress('pull', 'Loading fields and statuses from Close…');
    const summary = withSyncLock('pull', () =>
      runPull(syncDeps(), { ...given, onProgress: (message) => reportProgress('pull', message) }),
    );
    reportProgress('pull', summary.message, true);
    if (fromMenu) SpreadsheetApp.getActiveSpreadsheet().toast(summary.message, 'Close Sync', 10);
    return summary;
  });
}

export function previewChanges(options?: Options<PushOptions>): Preview | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () => {
    const preview = previewPush(syncDeps(), fromMenu ? {} : (options ?? {}));
    if (fromMenu) {
      const output = HtmlService.createHtmlOutput(previewHtml(preview)).setWidth(720).setHeight(480);
      SpreadsheetApp.getUi().showModalDialog(output, 'Changes a push would send');
    }
    return preview;
  });
}

export function pushChanges(options?: Options<PushOptions>): PushSummary | undefined {
  const fromMenu = isMenuCall(options);
  return reportErrors(fromMenu, () =>
    withSyncLock('push', () => {
      const deps = syncDeps();
      if (fromMenu) {
        const ui = SpreadsheetApp.getUi();
        const preview = previewPush(deps, {});
        if (preview.counts.fields === 0 && preview.counts.creates === 0) {
          ui.alert('Close Sync', `Nothing to push. ${previewCountsText(preview)}`, ui.ButtonSet.OK);
          return undefined;
        }
        const answer = ui.alert('Push changes to Close?', previewCountsText(preview), ui.ButtonSet.YES_NO);
        if (answer !== ui.Button.YES) return undefined;
      }
      const summary = runPush(deps, fromMenu ? {} : (options ?? {}));
      if (fromMenu)
        SpreadsheetApp.getUi().alert(
          'Close Sync',
          pushSummaryText(summary),
          SpreadsheetApp.getUi().ButtonSet.OK,
        );
      return summary;
    }),
  );
}

export function getSyncProgress(): SyncProgress | null {
  return readProgress();
}

/** Selects a row of a sheet (the sidebar's error list links to the row an error belongs to). */
export function selectRow(sheetName: string, row: number): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(String(sheetName));
  if (!sheet) throw new Error(`There is no sheet named "${sheetName}".`);
  const r = Math.max(1, Math.floor(Number(row)));
  sheet.activate();
  sheet.getRange(r, 1, 1, Math.max(1, sheet.getLastColumn())).activate();
}
