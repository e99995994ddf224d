// ScriptApp: auth modes, OAuth token, installable triggers with the add-on limits.
import { createHash } from 'node:crypto';
import { enumKey, type Env, type GasEnumValue } from './env';
import { AuthMode, AuthorizationStatus, EventType, TriggerSource, WeekDay } from './enums';
import type { FakeSpreadsheet } from './model';

export interface FakeTrigger {
  uniqueId: string;
  handlerFunction: string;
  eventType: 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT';
  source: 'CLOCK' | 'SPREADSHEETS';
  sourceId: string | null;
  /** The document the add-on created it in. */
  documentId: string;
  userEmail: string;
  createdAt: number;
  schedule: {
    everyMinutes?: number;
    everyHours?: number;
    everyDays?: number;
    everyWeeks?: number;
    atHour?: number;
    nearMinute?: number;
    onWeekDay?: string;
    afterMs?: number;
    at?: number;
  };
}

export const MAX_TRIGGERS_PER_USER = 20;
/** The fake's wording (Google's is not on record) for a time-based trigger an add-on may not have. */
export const ADDON_HOURLY_ONLY =
  'Add-ons may only create time-based triggers that run at most once per hour.';
export const TOO_MANY_ADDON_TRIGGERS =
  'This add-on has created too many time-based triggers in this document for this Google user account.';
export const TOO_MANY_TRIGGERS =
  'This script has too many triggers. Triggers must be deleted from the script before more can be added.';
const SCRIPTAPP_SCOPE = 'https://www.googleapis.com/auth/script.scriptapp';
const HOUR_MS = 3_600_000;

let triggerCounter = 0;

export class TriggerApi {
  constructor(readonly _rec: FakeTrigger) {}
  getHandlerFunction(): string {
    return this._rec.handlerFunction;
  }
  getUniqueId(): string {
    return this._rec.uniqueId;
  }
  getEventType(): GasEnumValue {
    return EventType[this._rec.eventType];
  }
  getTriggerSource(): GasEnumValue {
    return TriggerSource[this._rec.source];
  }
  getTriggerSourceId(): string | null {
    return this._rec.sourceId;
  }
}

interface TriggerContext {
  env: Env;
  book: FakeSpreadsheet;
  triggers: FakeTrigger[];
}

function create(
  ctx: TriggerContext,
  draft: Omit<FakeTrigger, 'uniqueId' | 'createdAt' | 'userEmail' | 'documentId'>,
): TriggerApi {
  const { env, book, triggers } = ctx;
  env.checkBudget();
  env.requireScopes('ScriptApp.newTrigger');
  env.requireAuth('ScriptApp.newTrigger', SCRIPTAPP_SCOPE);
  if (triggers.length >= MAX_TRIGGERS_PER_USER) throw env.fail(TOO_MANY_TRIGGERS);
  if (env.addon) {
    // "add-ons can only use a time-driven trigger once an hour at most" (guides/triggers/installable,
    // "Time-driven triggers"; the add-on restrictions in workspace/add-ons/concepts/editor-triggers say
    // the same).
    if (draft.eventType === 'CLOCK' && draft.schedule.everyMinutes !== undefined) {
      throw env.fail(ADDON_HOURLY_ONLY);
    }
    // Whether a one-off trigger due sooner than an hour (`after(60000)`, `at(in five minutes)`) counts
    // as running more often than hourly is NOT documented. The fake takes the harsher reading and
    // refuses it, with the same (plausible, unrecorded) text; the add-on must cope with both readings,
    // so tests can ask for the lenient one (runtime option addonOneOffTriggers: 'allow').
    const { afterMs, at } = draft.schedule;
    const dueIn = afterMs ?? (at === undefined ? undefined : at - env.clock.now());
    if (
      draft.eventType === 'CLOCK' &&
      dueIn !== undefined &&
      dueIn < HOUR_MS &&
      env.addonOneOffTriggers === 'refuse'
    ) {
      throw env.fail(ADDON_HOURLY_ONLY);
    }
    // One trigger of each event type per user per document ("Each add-on can only have one trigger of
    // each type, per user, per document" — editor add-on trigger restrictions). The message is recorded
    // from real executions: "Exception: This add-on has created too many time-based triggers in this
    // document for this Google user account." (logged 2024-10-25 in a public add-on's source).
    if (triggers.some((t) => t.eventType === draft.eventType && t.documentId === book.id)) {
      throw env.fail(
        draft.eventType === 'CLOCK'
          ? TOO_MANY_ADDON_TRIGGERS
          : TOO_MANY_ADDON_TRIGGERS.replace(
              'time-based',
              draft.eventType.slice(3).toLowerCase().replace('_', ' '),
            ),
      );
    }
  }
  const rec: FakeTrigger = {
    ...draft,
    uniqueId: String(1_000_000 + ++triggerCounter),
    createdAt: env.clock.now(),
    userEmail: env.userEmail,
    documentId: book.id,
  };
  triggers.push(rec);
  return new TriggerApi(rec);
}

class ClockTriggerBuilderApi {
  private readonly schedule: FakeTrigger['schedule'] = {};
  constructor(
    private readonly ctx: TriggerContext,
    private readonly fn: string,
  ) {}
  private bad(method: string, value: unknown, allowed: string): Error {
    return this.ctx.env.fail(`Invalid argument: ${value}. ${method} accepts ${allowed}.`);
  }
  everyMinutes(n: number): ClockTriggerBuilderApi {
    if (![1, 5, 10, 15, 30].includes(n)) throw this.bad('everyMinutes', n, '1, 5, 10, 15 or 30');
    this.schedule.everyMinutes = n;
    return this;
  }
  everyHours(n: number): ClockTriggerBuilderApi {
    if (![1, 2, 4, 6, 8, 12].includes(n)) throw this.bad('everyHours', n, '1, 2, 4, 6, 8 or 12');
    this.schedule.everyHours = n;
    return this;
  }
  everyDays(n: number): ClockTriggerBuilderApi {
    if (!(Number.isInteger(n) && n >= 1)) throw this.bad('everyDays', n, 'a positive integer');
    this.schedule.everyDays = n;
    return this;
  }
  everyWeeks(n: number): ClockTriggerBuilderApi {
    if (!(Number.isInteger(n) && n >= 1)) throw this.bad('everyWeeks', n, 'a positive integer');
    this.schedule.everyWeeks = n;
    return this;
  }
  atHour(hour: number): ClockTriggerBuilderApi {
    if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23)) throw this.bad('atHour', hour, '0 to 23');
    this.schedule.atHour = hour;
    return this;
  }
  nearMinute(minute: number): ClockTriggerBuilderApi {
    this.schedule.nearMinute = minute;
    return this;
  }
  onWeekDay(day: unknown): ClockTriggerBuilderApi {
    const k = enumKey(day, WeekDay);
    if (!k)
      throw this.ctx.env.fail(
        "The parameters don't match the method signature for ScriptApp.ClockTriggerBuilder.onWeekDay.",
      );
    this.schedule.onWeekDay = k;
    return this;
  }
  after(durationMilliseconds: number): ClockTriggerBuilderApi {
    this.schedule.afterMs = Number(durationMilliseconds);
    return this;
  }
  at(date: Date): ClockTriggerBuilderApi {
    this.schedule.at = Date.prototype.getTime.call(date);
    return this;
  }
  inTimezone(_timezone: string): ClockTriggerBuilderApi {
    return this;
  }
  create(): TriggerApi {
    return create(this.ctx, {
      handlerFunction: this.fn,
      eventType: 'CLOCK',
      source: 'CLOCK',
      sourceId: null,
      schedule: { ...this.schedule },
    });
  }
}

class SpreadsheetTriggerBuilderApi {
  private eventType: FakeTrigger['eventType'] = 'ON_OPEN';
  constructor(
    private readonly ctx: TriggerContext,
    private readonly fn: string,
    private readonly sourceId: string,
  ) {}
  onOpen(): SpreadsheetTriggerBuilderApi {
    this.eventType = 'ON_OPEN';
    return this;
  }
  onEdit(): SpreadsheetTriggerBuilderApi {
    this.eventType = 'ON_EDIT';
    return this;
  }
  onChange(): SpreadsheetTriggerBuilderApi {
    this.eventType = 'ON_CHANGE';
    return this;
  }
  onFormSubmit(): SpreadsheetTriggerBuilderApi {
    this.eventType = 'ON_FORM_SUBMIT';
    return this;
  }
  create(): TriggerApi {
    return create(this.ctx, {
      handlerFunction: this.fn,
      eventType: this.eventType,
      source: 'SPREADSHEETS',
      sourceId: this.sourceId,
      schedule: {},
    });
  }
}

export function createScriptApp(env: Env, book: FakeSpreadsheet, triggers: FakeTrigger[]) {
  const ctx: TriggerContext = { env, book, triggers };
  const guard = (method: string): void => {
    env.checkBudget();
    env.requireScopes(`ScriptApp.${method}`);
    env.requireAuth(`ScriptApp.${method}`, SCRIPTAPP_SCOPE);
  };
  return {
    AuthMode,
    AuthorizationStatus,
    EventType,
    TriggerSource,
    WeekDay,
    newTrigger(functionName: string) {
      guard('newTrigger');
      if (typeof functionName !== 'string') {
        throw env.fail("The parameters don't match the method signature for ScriptApp.newTrigger.");
      }
      return {
        timeBased: () => new ClockTriggerBuilderApi(ctx, functionName),
        forSpreadsheet: (ss: unknown) => {
          const id =
            typeof ss === 'string'
              ? ss
              : String((ss as { getId?: () => string } | null)?.getId?.() ?? book.id);
          return new SpreadsheetTriggerBuilderApi(ctx, functionName, id);
        },
      };
    },
    getProjectTriggers(): TriggerApi[] {
      guard('getProjectTriggers');
      return triggers.map((t) => new TriggerApi(t));
    },
    getUserTriggers(spreadsheet: unknown): TriggerApi[] {
      guard('getUserTriggers');
      const id = String((spreadsheet as { getId?: () => string } | null)?.getId?.() ?? '');
      return triggers.filter((t) => t.documentId === id).map((t) => new TriggerApi(t));
    },
    deleteTrigger(trigger: unknown): void {
      guard('deleteTrigger');
      const id = (trigger as { getUniqueId?: () => string } | null)?.getUniqueId?.();
      const i = triggers.findIndex((t) => t.uniqueId === id);
      if (i >= 0) triggers.splice(i, 1);
    },
    getOAuthToken(): string {
      env.checkBudget();
      return `ya29.fake-${createHash('sha256').update(env.userEmail).digest('hex').slice(0, 24)}`;
    },
    getScriptId(): string {
      return 'fake-script-id';
    },
    // reference/script/authorization-info: getAuthorizationStatus "indicates whether the user needs to
    // authorize this script to use one or more services"; getAuthorizationUrl: "If no authorization is
    // required, this method returns null"; getAuthorizedScopes: "Gets a list of authorized scopes for the
    // script. If authorization information is requested for a specified list of scopes, returns the
    // authorized scopes from the specified list." (the two-argument getAuthorizationInfo(authMode,
    // oAuthScopes)). What the rep granted is env.grantedScopes (default: every scope the manifest declares,
    // as after accepting the authorization screen; scopes.ts). The URL's form is not documented: this
    // one is opaque.
    getAuthorizationInfo(_authMode: unknown, oAuthScopes?: unknown) {
      env.checkBudget();
      const declared = [...(env.declaredScopes ?? [])];
      // Granted: what the rep accepted, else everything declared (without oauthScopes, Apps Script asks for
      // what it detects in the code, so nothing is missing).
      const isGranted = (scope: string) =>
        env.grantedScopes
          ? env.grantedScopes.has(scope)
          : env.declaredScopes
            ? env.declaredScopes.has(scope)
            : true;
      const required = declared.some((scope) => !isGranted(scope));
      const list = Array.isArray(oAuthScopes) ? oAuthScopes.map(String) : null;
      return {
        getAuthorizationStatus: () =>
          required ? AuthorizationStatus.REQUIRED : AuthorizationStatus.NOT_REQUIRED,
        getAuthorizationUrl: (): string | null =>
          required ? 'https://script.google.com/macros/d/fake-script-id/authorize' : null,
        getAuthorizedScopes: (): string[] =>
          list ? list.filter(isGranted) : env.grantedScopes ? [...env.grantedScopes] : declared,
      };
    },
    invalidateAuth(): void {},
  };
}

/** The event object a time-driven trigger receives. */
export function clockEvent(env: Env, trigger: FakeTrigger): Record<string, unknown> {
  const d = new Date(env.clock.now());
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    authMode: AuthMode.FULL,
    triggerUid: trigger.uniqueId,
    'day-of-month': d.getUTCDate(),
    'day-of-week': d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    month: d.getUTCMonth() + 1,
    second: d.getUTCSeconds(),
    timezone: 'UTC',
    'week-of-year': Math.ceil(((d.getTime() - start) / 86_400_000 + 1) / 7),
    year: d.getUTCFullYear(),
  };
}
