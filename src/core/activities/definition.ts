// What an activities sheet pulls: which activity types, which days (in the spreadsheet's time zone) and
// which leads (all, a Smart View, a query). Checked here, so a bad option gets a message saying what to
// do before anything is fetched; saved per sheet (document properties), so a refresh or a schedule re-runs
// it.
import { type Store, StoreFullError } from '../ports';
import { isYmd, serialToInstant, ymdToSerial } from '../schema/dates';
import type { LeadSource } from '../sync/lead-pager';

/** The types a rep can pull, each with its Close list endpoint (developer.close.com/api/resources/activities). */
export const ACTIVITY_TYPES = {
  call: { path: '/activity/call/', label: 'Call', one: 'call', many: 'calls' },
  email: { path: '/activity/email/', label: 'Email', one: 'email', many: 'emails' },
  meeting: { path: '/activity/meeting/', label: 'Meeting', one: 'meeting', many: 'meetings' },
  sms: { path: '/activity/sms/', label: 'SMS', one: 'SMS', many: 'SMS' },
  note: { path: '/activity/note/', label: 'Note', one: 'note', many: 'notes' },
} as const;

export type ActivityType = keyof typeof ACTIVITY_TYPES;
export const ALL_ACTIVITY_TYPES = Object.keys(ACTIVITY_TYPES) as ActivityType[];

export const ACTIVITIES_SHEET = 'Close Activities';

export interface ActivityDefinition {
  kind: 'activities';
  types: ActivityType[];
  /** First day, `YYYY-MM-DD` in the spreadsheet's zone (inclusive), or null. */
  since: string | null;
  /** Last day (inclusive), or null. */
  until: string | null;
  source: LeadSource;
}

export interface ActivityRequest {
  sheetName?: string;
  types?: string[];
  since?: string;
  until?: string;
  smartViewId?: string;
  query?: string;
}

function checkDay(name: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (!isYmd(text)) throw new Error(`${name} must be a date written YYYY-MM-DD (got "${String(value)}").`);
  return text;
}

/** The definition a pull runs: what the options say, else what the sheet saved, else every type and day. */
export function activityDefinitionFor(
  options: ActivityRequest,
  saved: ActivityDefinition | null,
): ActivityDefinition {
  if (options.smartViewId && options.query)
    throw new Error('Pull activities of a Smart View or of a query, not both.');
  const given = (['types', 'since', 'until', 'smartViewId', 'query'] as const).some(
    (k) => options[k] !== undefined,
  );
  if (!given && saved) return saved;
  let types: ActivityType[] = ALL_ACTIVITY_TYPES;
  if (options.types !== undefined) {
    if (!Array.isArray(options.types) || options.types.length === 0)
      throw new Error(`Choose at least one activity type: ${ALL_ACTIVITY_TYPES.join(', ')}.`);
    const chosen = new Set<ActivityType>();
    for (const t of options.types) {
      const key = String(t).trim().toLowerCase();
      if (!(key in ACTIVITY_TYPES))
        throw new Error(`Unknown activity type "${String(t)}": use ${ALL_ACTIVITY_TYPES.join(', ')}.`);
      chosen.add(key as ActivityType);
    }
    types = ALL_ACTIVITY_TYPES.filter((t) => chosen.has(t));
  }
  const since = checkDay('since', options.since);
  const until = checkDay('until', options.until);
  if (since && until && since > until)
    throw new Error(`since (${since}) is after until (${until}): swap them.`);
  const source: LeadSource = options.smartViewId
    ? { type: 'smart_view', id: String(options.smartViewId) }
    : options.query?.trim()
      ? { type: 'query', query: options.query }
      : { type: 'all' };
  return { kind: 'activities', types, since, until, source };
}

/**
 * The instants the days mean in the spreadsheet's zone: `since` from its midnight, `until` up to the next
 * midnight (exclusive), as Close datetimes for `date_created__gte` / `date_created__lt`.
 */
export function dayBounds(
  definition: Pick<ActivityDefinition, 'since' | 'until'>,
  timeZone: string,
): { fromMs: number | null; toMs: number | null } {
  const at = (ymd: string | null, plus: number) =>
    ymd === null ? null : serialToInstant((ymdToSerial(ymd) as number) + plus, timeZone);
  return { fromMs: at(definition.since, 0), toMs: at(definition.until, 1) };
}

const PREFIX = 'closeSync.activities.';

/** Activity definitions live beside the lead pulls' (a different key: a sheet holds one or the other). */
export class ActivityDefinitionStore {
  constructor(private readonly store: Store) {}

  get(sheetName: string): ActivityDefinition | null {
    const saved = this.store.get(PREFIX + sheetName);
    return saved ? (JSON.parse(saved) as ActivityDefinition) : null;
  }

  set(sheetName: string, definition: ActivityDefinition): void {
    saveOrExplain(sheetName, () => this.store.set(PREFIX + sheetName, JSON.stringify(definition)));
  }

  /** Frees a sheet's definition (its sheet was deleted, or renamed: see sync/sheet-identity.ts). */
  delete(sheetName: string): void {
    this.store.delete(PREFIX + sheetName);
  }
}

/**
 * What the rep reads when an activities pull cannot be saved: the document's properties are full (500 KB
 * per spreadsheet, shared by every sheet's saved pull, schedule and a job's progress).
 */
export function activitiesStoreFullMessage(sheetName: string): string {
  return (
    `Close Sync could not save the activities pull of "${sheetName}": this spreadsheet has no room left for ` +
    "Close Sync's settings (Google keeps 500 KB of them per spreadsheet). Delete the sheets Close Sync pulled " +
    'into that you no longer need (their settings go with them), then pull activities again.'
  );
}

/** Runs a save of an activities sheet's state; a full store becomes what the rep can do about it. */
export function saveOrExplain(sheetName: string, save: () => void): void {
  try {
    save();
  } catch (e) {
    if (e instanceof StoreFullError) throw new Error(activitiesStoreFullMessage(sheetName));
    throw e;
  }
}

/** What a preview or push of an activities sheet says: activities are pulled, never pushed. */
export function activitiesReadOnly(sheetName: string): Error {
  return new Error(
    `"${sheetName}" holds Close activities, which are read-only here: they are pulled, never pushed. Edit activities in Close.`,
  );
}
