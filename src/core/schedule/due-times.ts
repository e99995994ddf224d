// Scheduled refresh: when each sheet's pull should run again, as the rep who set it up.
//
// Schedules live in document properties (one small JSON list, never secrets): per sheet, how often, who
// set it, and how the last run went — so anyone who opens the sidebar sees it. The time-driven trigger
// that runs them belongs to the rep who set them (it uses their API key), and an editor add-on may keep
// only one time-based trigger per user per document: one trigger serves all of a rep's schedules (see
// timerSpec), and each firing runs whatever is due.
import { type Store, StoreFullError } from '../ports';
import { formatStamp, serialToInstant, ymdToSerial } from '../schema/dates';

export type Every = 'hour' | 'day';

/** What the sidebar sends. */
export interface ScheduleSpec {
  sheetName?: string;
  every: Every;
  /** With every: 'hour' — 1, 2, 4, 6, 8 or 12 (what Apps Script's everyHours accepts). Default 1. */
  hours?: number;
  /** With every: 'day' — the hour of day (0–23) in the spreadsheet's time zone. Default 6. */
  atHour?: number;
}

export type RunOutcome = 'ok' | 'failed' | 'skipped' | 'cancelled';

export interface ScheduleRun {
  startedAt: number;
  finishedAt: number;
  outcome: RunOutcome;
  leads: number | null;
  message: string;
}

export interface Schedule {
  sheetName: string;
  every: Every;
  hours: number;
  atHour: number;
  /** Email of the rep whose trigger (and API key) runs it. */
  setBy: string;
  setAt: number;
  /** Why the schedule stopped running (e.g. Close rejected the key); null while it runs. */
  paused: string | null;
  last: ScheduleRun | null;
}

/** Apps Script's ClockTriggerBuilder.everyHours accepts only these. */
export const HOUR_STEPS = [1, 2, 4, 6, 8, 12];
export const DEFAULT_AT_HOUR = 6;
const HOUR_MS = 3_600_000;
/** Triggers do not fire on the minute: a run this much early still counts as on time. */
const EARLY_SLACK_MS = 30 * 60_000;
const MAX_MESSAGE_CHARS = 300;

export function normalizeSpec(spec: unknown, defaultSheet: string): Required<ScheduleSpec> {
  if (!spec || typeof spec !== 'object')
    throw new Error('Say how often to refresh: every hour, or every day.');
  const s = spec as Record<string, unknown>;
  const sheetName = s.sheetName === undefined || s.sheetName === '' ? defaultSheet : String(s.sheetName);
  if (s.every === 'hour') {
    const hours = s.hours === undefined ? 1 : Number(s.hours);
    if (!HOUR_STEPS.includes(hours))
      throw new Error(`Refresh every 1, 2, 4, 6, 8 or 12 hours (not ${String(s.hours)}).`);
    return { sheetName, every: 'hour', hours, atHour: 0 };
  }
  if (s.every === 'day') {
    const atHour = s.atHour === undefined ? DEFAULT_AT_HOUR : Number(s.atHour);
    if (!(Number.isInteger(atHour) && atHour >= 0 && atHour <= 23))
      throw new Error(`The hour of a daily refresh is 0 to 23 (not ${String(s.atHour)}).`);
    return { sheetName, every: 'day', hours: 24, atHour };
  }
  throw new Error(`Refresh "every" must be 'hour' or 'day' (not ${JSON.stringify(s.every)}).`);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function describeSchedule(s: Pick<Schedule, 'every' | 'hours' | 'atHour'>): string {
  if (s.every === 'day') return `Every day at ${pad(s.atHour)}:00`;
  return s.hours === 1 ? 'Every hour' : `Every ${s.hours} hours`;
}

/** The instant of the day slot (atHour o'clock in the zone) on the calendar day `ymd`, plus `dayOffset` days. */
function slotOn(ymd: string, dayOffset: number, atHour: number, timeZone: string): number {
  return serialToInstant(ymdToSerial(ymd)! + dayOffset + atHour / 24, timeZone);
}

/** The latest daily slot at or before `now`. */
function currentSlot(now: number, atHour: number, timeZone: string): number {
  const ymd = formatStamp(now, timeZone).slice(0, 10);
  const today = slotOn(ymd, 0, atHour, timeZone);
  return today <= now ? today : slotOn(ymd, -1, atHour, timeZone);
}

function nextSlot(now: number, atHour: number, timeZone: string): number {
  const ymd = formatStamp(now, timeZone).slice(0, 10);
  const today = slotOn(ymd, 0, atHour, timeZone);
  return today > now ? today : slotOn(ymd, 1, atHour, timeZone);
}

/** Whether a firing of the trigger at `now` should run this schedule. */
export function isDue(s: Schedule, now: number, timeZone: string): boolean {
  if (s.paused) return false;
  const since = s.last?.startedAt ?? s.setAt;
  if (s.every === 'day') return since < currentSlot(now, s.atHour, timeZone);
  return now - since >= s.hours * HOUR_MS - EARLY_SLACK_MS;
}

/** When the schedule should run next (a trigger fires within the hour after); null when paused. */
export function nextRun(s: Schedule, now: number, timeZone: string): number | null {
  if (s.paused) return null;
  if (s.every === 'day') {
    const since = s.last?.startedAt ?? s.setAt;
    const slot = currentSlot(now, s.atHour, timeZone);
    return since < slot ? now : nextSlot(now, s.atHour, timeZone);
  }
  return Math.max(now, (s.last?.startedAt ?? s.setAt) + s.hours * HOUR_MS);
}

/** The one time-based trigger a rep needs for their schedules. */
export type TimerSpec = { kind: 'hours'; hours: number } | { kind: 'day'; atHour: number };

export function timerSpec(schedules: Schedule[]): TimerSpec | null {
  const running = schedules.filter((s) => !s.paused);
  if (running.length === 0) return null;
  const [first] = running;
  const same = running.every(
    (s) =>
      s.every === first.every && (s.every === 'day' ? s.atHour === first.atHour : s.hours === first.hours),
  );
  // Different cadences share an hourly trigger; each firing runs whichever schedules are due.
  if (!same) return { kind: 'hours', hours: 1 };
  return first.every === 'day'
    ? { kind: 'day', atHour: first.atHour }
    : { kind: 'hours', hours: first.hours };
}

export function timerKey(spec: TimerSpec): string {
  return spec.kind === 'day' ? `day@${spec.atHour}` : `every${spec.hours}h`;
}

export function shortMessage(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}

const SCHEDULES_KEY = 'closeSync.schedules';

/**
 * What the rep reads when a schedule cannot be saved. The list is one document property, kept in parts
 * past 8,000 bytes (chunked-store.ts: a few dozen sheets with their last runs' messages pass 9 KB), so
 * only the store's 500 KB in all can be full.
 */
export function scheduleStoreFullMessage(sheetName: string): string {
  return (
    `Close Sync could not save the refresh schedule of "${sheetName}": this spreadsheet has no room left for ` +
    "Close Sync's settings (Google keeps 500 KB of them per spreadsheet). Delete the sheets Close Sync pulled " +
    'into that you no longer need (their settings and schedules go with them), then try again.'
  );
}

/** The document's schedules, one per sheet. */
export class ScheduleStore {
  constructor(private readonly store: Store) {}

  all(): Schedule[] {
    const saved = this.store.get(SCHEDULES_KEY);
    return saved ? (JSON.parse(saved) as Schedule[]) : [];
  }

  get(sheetName: string): Schedule | undefined {
    return this.all().find((s) => s.sheetName === sheetName);
  }

  /** `sheetName`: the schedule being saved, named in the message when the store is full. */
  private save(list: Schedule[], sheetName: string): void {
    try {
      if (list.length === 0) this.store.delete(SCHEDULES_KEY);
      else this.store.set(SCHEDULES_KEY, JSON.stringify(list));
    } catch (e) {
      if (e instanceof StoreFullError) throw new Error(scheduleStoreFullMessage(sheetName));
      throw e;
    }
  }

  put(schedule: Schedule): void {
    const list = this.all().filter((s) => s.sheetName !== schedule.sheetName);
    list.push(schedule);
    list.sort((a, b) => (a.sheetName < b.sheetName ? -1 : a.sheetName > b.sheetName ? 1 : 0));
    this.save(list, schedule.sheetName);
  }

  /** Changes one schedule if it is still there (another rep may have removed it meanwhile). */
  update(sheetName: string, change: (s: Schedule) => Schedule): Schedule | undefined {
    const current = this.get(sheetName);
    if (!current) return undefined;
    const next = change(current);
    this.put(next);
    return next;
  }

  remove(sheetName: string): Schedule | undefined {
    const list = this.all();
    const found = list.find((s) => s.sheetName === sheetName);
    if (found)
      this.save(
        list.filter((s) => s !== found),
        sheetName,
      );
    return found;
  }
}
