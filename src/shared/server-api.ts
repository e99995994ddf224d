// The server API: every global function the sidebar calls through google.script.run, with its
// arguments and its result, and the shapes they carry. Written once: src/addon/main.ts is checked
// against it (its exports must satisfy ServerApi) and the sidebar's call() is typed from it, so a call
// with the wrong arguments, or a server function whose signature drifted, does not compile.
//
// This file is shared by two programs that never see each other's globals (tsconfig.gas.json and
// tsconfig.ui.json): it holds types only and imports only types from the core.
import type { ActivityRequest } from '../core/activities/definition';
import type { ActivityPullSummary } from '../core/activities/pull';
import type { ActivityReportOptions, ActivityReportSummary } from '../core/activities/rollup';
import type { SmartView } from '../core/close/types';
import type { Diagnostics } from '../core/diagnostics/report';
import type { ReportSummary } from '../core/report/build';
import type { Every, RunOutcome, ScheduleSpec } from '../core/schedule/due-times';
import type { ObjectKind } from '../core/schema/objects';
import type { MultiValueMode } from '../core/sync/conflicts';
import type { SyncJob } from '../core/sync/job';
import type { Preview } from '../core/sync/preview';
import type { PullDefinition } from '../core/sync/pull-definition';
import type { PullSummary } from '../core/sync/pull-summary';
import type { PushSummary } from '../core/sync/push';
import type { UndoPreview, UndoResult } from '../core/sync/undo';

/** The rep's Close connection as the sidebar shows it (never the API key). */
export interface Connection {
  connected: boolean;
  user?: string;
  email?: string;
  organization?: string;
}

/** A job that needs more steps (continueSync), or its summary once done. */
export interface JobProgress {
  done: false;
  kind: SyncJob['kind'];
  sheetName: string;
  steps: number;
  message: string;
}

export type JobOutcome<S> = ({ done: true } & S) | JobProgress;

/** Progress notes of a long pull or push, polled by the sidebar while it runs. */
export interface SyncProgress {
  action: string;
  message: string;
  done: boolean;
  at: number;
}

/** The job under way in this document, if any, and its last progress note. */
export interface SyncStatus {
  job: { kind: string; sheetName: string; steps: number; startedBy: string; startedAt: string } | null;
  progress: SyncProgress | null;
}

/** The Schedule section: every schedule of the document, as the rep looking at it reads it. */
export interface ScheduleInfo {
  sheetName: string;
  every: Every;
  hours: number;
  atHour: number;
  description: string;
  setBy: string;
  setAt: string;
  /** Set by the rep looking at the sidebar (only they can change what their trigger does). */
  mine: boolean;
  paused: string | null;
  last: {
    started: string;
    finished: string;
    outcome: RunOutcome;
    leads: number | null;
    message: string;
  } | null;
  /** About when the next refresh runs (a trigger fires within the hour after); null when paused. */
  next: string | null;
}

export interface ScheduleView {
  me: string;
  timeZone: string;
  defaultSheet: string;
  /** Sheets a schedule can refresh: the pulled ones (and any already scheduled). */
  sheets: string[];
  schedules: ScheduleInfo[];
}

/** The fields a kind can pull, for the pull form's field picker. */
export interface FieldInfo {
  key: string;
  name: string;
  kind: string;
  editable: boolean;
}

export interface FieldGroups {
  kind: ObjectKind;
  standard: FieldInfo[];
  /** Custom fields grouped by their Close type. */
  custom: Record<string, FieldInfo[]>;
  /** Read-only context from related objects (primary contact, opportunity totals). */
  related: FieldInfo[];
  /** The fields the sheet pulls now (null: all). */
  chosen: string[] | null;
}

/**
 * What a pull of any kind is given. Omitted source and fields mean the sheet's saved definition (all
 * leads and fields for a new sheet); a Smart View and a query together are refused.
 */
export interface PullRequestOptions {
  sheetName?: string;
  smartViewId?: string;
  /** Search-bar syntax (`status:"Potential"`) or JSON copied from Close's filters; '' = all leads. */
  query?: string;
  /** Field keys (or names) to pull; omitted = every field. */
  fields?: string[];
  /** Overwrite unpushed edits with Close's values (the rep confirmed it). */
  discardEdits?: boolean;
}

/** Which sheet preview and push work on (else the active sheet when it holds a pull, else "Close Leads"). */
export interface SheetOptions {
  sheetName?: string;
  /** How multi-value fields are sent: replaced whole (default), or only the values added / removed. */
  multiValue?: MultiValueMode;
}

/** The server functions the sidebar calls (global functions of the Apps Script bundle). */
export interface ServerApi {
  getConnection: () => Connection;
  saveApiKey: (key: string) => Connection;
  disconnect: () => Connection;
  /** Starts a pull; it may finish in this call or need continueSync calls (a long pull runs in steps). */
  pullLeads: (options: PullRequestOptions) => JobOutcome<PullSummary>;
  /** Contacts of the leads the definition selects, one row each (default sheet "Close Contacts"). */
  pullContacts: (options: PullRequestOptions) => JobOutcome<PullSummary>;
  /** Opportunities of the leads the definition selects (default sheet "Close Opportunities"). */
  pullOpportunities: (options: PullRequestOptions) => JobOutcome<PullSummary>;
  /**
   * Activities into a read-only sheet ("Close Activities"), refreshed in place by Activity ID; a job like a
   * lead pull: a long one needs continueSync calls.
   */
  pullActivities: (options: ActivityRequest) => JobOutcome<ActivityPullSummary>;
  /** Per user per day or week: calls, emails, meetings, SMS, notes and call minutes. */
  buildActivityReport: (options: ActivityReportOptions) => ActivityReportSummary;
  /** The organization's lead Smart Views. */
  listSmartViews: () => SmartView[];
  /** The fields a kind can pull, grouped; `chosen` is the sheet's remembered choice (null: all). */
  listFields: (kind: ObjectKind, sheetName: string) => FieldGroups;
  /** What the sheet pulls (its saved definition), or null when it has none. */
  getPullDefinition: (sheetName: string) => PullDefinition | null;
  pushChanges: (options: SheetOptions) => JobOutcome<PushSummary>;
  /** The next step of the job under way; null when none is. */
  continueSync: () =>
    | JobOutcome<PullSummary>
    | JobOutcome<PushSummary>
    | JobOutcome<UndoResult>
    | JobOutcome<ActivityPullSummary>
    | null;
  cancelSync: () => { cancelled: boolean; message: string };
  getSyncStatus: () => SyncStatus;
  getSyncProgress: () => SyncProgress | null;
  previewChanges: (options: SheetOptions) => Preview;
  selectRow: (sheetName: string, row: number) => void;
  getSchedule: () => ScheduleView;
  setSchedule: (options: ScheduleSpec) => ScheduleView;
  clearSchedule: (sheetName: string) => ScheduleView;
  previewUndo: () => UndoPreview;
  /** Starts the undo (a job: a long one needs continueSync calls, like a push). */
  undoLastPush: (options: { confirmed: true }) => JobOutcome<UndoResult>;
  buildReport: (options: { sheetName?: string }) => ReportSummary;
  /** The rep's environment for the Help panel: never the API key, never lead data. */
  getDiagnostics: () => Diagnostics;
  /** True once after the menu's Help item opened the sidebar. */
  takeHelpRequest: () => boolean;
}

export type ServerName = keyof ServerApi;
