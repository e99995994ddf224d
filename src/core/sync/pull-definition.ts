// What a sheet pulls, saved per sheet (several sheets can each hold their own pull): the kind of
// object, which leads (all, a Smart View, a query) and which fields. A refresh re-runs it. The
// columns it last wrote (header and Close type) are kept too, so schema drift is noticed.
import type { Column } from '../schema/columns';
import { LEAD_ID_KEY, SYNC_STATUS_KEY } from '../schema/columns';
import { OBJECTS, type ObjectKind } from '../schema/objects';
import { type Store, StoreFullError } from '../ports';
import { splitUtf8 } from '../utf8';
import type { RefreshMark } from './incremental';
import type { LeadSource } from './lead-pager';

export interface PullDefinition {
  kind: ObjectKind;
  source: LeadSource;
  /** Column keys chosen by the rep, or null for every field. */
  fields: string[] | null;
  /**
   * Per column key: the header and Close type it had when last pulled, a fingerprint of its
   * dropdown's choices (so a pull rewrites a dropdown only when Close's choices changed), and the sheet
   * column it was in (so a deleted header row can be written back: lost-header.ts).
   */
  seen?: Record<string, { header: string; type: string; list?: string; column?: number }>;
  /**
   * The spreadsheet's time zone when the sheet was first pulled: its date-time cells show wall-clock
   * time there. Sheets keeps a date-time cell's wall clock when the spreadsheet's zone changes (a cell
   * holds a day serial, read "relative to … the time zone set in the spreadsheet"), so after a change
   * the cells still mean instants in this zone; reading them in the new one would push every date-time
   * shifted. Absent for sheets pulled before it was kept: the current zone is taken.
   */
  zone?: string;
  /** Where the sheet's last complete pull leaves off: an incremental refresh starts there (incremental.ts). */
  refresh?: RefreshMark;
  /**
   * Read only, never saved: the part kept in the hidden state sheet was not there (the sheet or its row
   * deleted) or could not be read (edited), so the chosen fields and the columns seen are unknown. The
   * pull's summary says so (pull-summary.ts). 'settings': nothing at all was saved for the sheet in this
   * spreadsheet's document properties and the pull was given no options, so it runs the defaults — a
   * first pull, or a pull in a copy of the spreadsheet (File › Make a copy takes the sheets, hidden ones
   * too, but not document properties: "All users of an add-on in the open document", Properties guide);
   * the job runner's summary speaks only when the pull found rows of an earlier pull in the sheet and the
   * state sheet has the sheet's row (a copied spreadsheet, not a sheet duplicated within it).
   */
  lost?: 'missing' | 'damaged' | 'settings';
}

export interface PullRequest {
  sheetName?: string;
  smartViewId?: string;
  query?: string;
  /** Field keys, ids (`cf_…`) or names (`Industry`, `Status`). */
  fields?: string[];
}

const PREFIX = 'closeSync.definition.';
/**
 * A property holds 9 KB, counted in bytes of UTF-8: what a pull saw of a big organization's columns
 * (headers in any script, three bytes a character in Japanese) is kept in parts of at most 8,000 bytes.
 */
const PART_BYTES = 8_000;

/**
 * What the rep reads when the state cannot be saved: the document's properties are full (500 KB per
 * spreadsheet), or the spreadsheet itself (10 million cells) has no room for the state sheet's row.
 */
export function definitionStoreFullMessage(sheetName: string): string {
  return (
    `Close Sync could not save what "${sheetName}" pulls: this spreadsheet has no room left for Close Sync's ` +
    'settings (Google keeps 500 KB of settings and 10 million cells per spreadsheet). Delete the sheets Close ' +
    `Sync pulled into that you no longer need (their settings go with them), or pull fewer fields into "${sheetName}", then pull again.`
  );
}

/**
 * Pull definitions by sheet name. The small part (kind and source) is a document property; what grows
 * with the organization (the chosen fields, what the last pull saw of every column) goes to `large`, the
 * add-on's hidden state sheet (sheet-store.ts), where no 500 KB cliff is. Definitions saved before
 * kept that part in properties (`#seen0`, `#seen1` …): the first read moves it to the sheet and frees
 * the properties. Without `large` (a caller that has no spreadsheet) everything stays in properties.
 */
export class DefinitionStore {
  constructor(
    private readonly store: Store,
    private readonly large?: Store,
  ) {}

  /**
   * The hidden state sheet has the sheet's row but the document properties have no definition: the
   * spreadsheet is a copy (File › Make a copy copies sheets, not document properties), or its
   * properties were cleared. Reads the state sheet: call it only when `get` found nothing.
   */
  recordedOnlyInStateSheet(sheetName: string): boolean {
    return this.store.get(PREFIX + sheetName) === null && Boolean(this.large?.get(PREFIX + sheetName));
  }

  get(sheetName: string): PullDefinition | null {
    const saved = this.store.get(PREFIX + sheetName);
    if (!saved) return null;
    const { seenParts, inSheet, ...definition } = JSON.parse(saved) as PullDefinition & {
      seenParts?: number;
      inSheet?: boolean;
    };
    if (inSheet) {
      const grown = this.large?.get(PREFIX + sheetName);
      if (grown) {
        try {
          const { fields, seen } = JSON.parse(grown) as Pick<PullDefinition, 'fields' | 'seen'>;
          if (fields !== undefined && !Array.isArray(fields) && fields !== null) throw new Error('fields');
          definition.fields = fields ?? null;
          if (seen) definition.seen = seen;
        } catch {
          // Damaged: the next pull shows every field, notices no drift and says so; then saves it again.
          definition.lost = 'damaged';
        }
      } else if (this.large) definition.lost = 'missing';
      definition.fields ??= null;
      return definition;
    }
    if (seenParts) {
      let json = '';
      for (let i = 0; i < seenParts; i++) json += this.store.get(`${PREFIX}${sheetName}#seen${i}`) ?? '';
      try {
        definition.seen = JSON.parse(json) as PullDefinition['seen'];
      } catch {
        // A part went missing: without it the next pull simply notices no schema drift.
      }
    }
    // Saved before the state sheet: moved there now, its properties freed.
    if (this.large) this.set(sheetName, definition);
    return definition;
  }

  /** Frees a sheet's definition (its sheet was deleted), parts included. */
  delete(sheetName: string): void {
    const before = this.store.get(PREFIX + sheetName);
    if (before === null) return;
    let parts = 0;
    try {
      parts = (JSON.parse(before) as { seenParts?: number }).seenParts ?? 0;
    } catch {
      // Damaged: only the main property is known.
    }
    for (let i = 0; i < parts; i++) this.store.delete(`${PREFIX}${sheetName}#seen${i}`);
    this.large?.delete(PREFIX + sheetName);
    this.store.delete(PREFIX + sheetName);
  }

  set(sheetName: string, definition: PullDefinition): void {
    try {
      this.write(sheetName, definition);
    } catch (e) {
      if (e instanceof StoreFullError) throw new Error(definitionStoreFullMessage(sheetName));
      throw e;
    }
  }

  private write(sheetName: string, definition: PullDefinition): void {
    const before = this.store.get(PREFIX + sheetName);
    let had = 0;
    try {
      had = before ? ((JSON.parse(before) as { seenParts?: number }).seenParts ?? 0) : 0;
    } catch {
      // Damaged: overwritten below.
    }
    if (this.large) {
      const { seen, fields, lost: _lost, ...rest } = definition;
      this.large.set(PREFIX + sheetName, JSON.stringify({ fields, ...(seen ? { seen } : {}) }));
      this.store.set(PREFIX + sheetName, JSON.stringify({ ...rest, inSheet: true }));
      for (let i = 0; i < had; i++) this.store.delete(`${PREFIX}${sheetName}#seen${i}`);
      return;
    }
    const { seen, lost: _lost, ...rest } = definition;
    const parts = seen ? splitUtf8(JSON.stringify(seen), PART_BYTES) : [];
    for (const [i, part] of parts.entries()) this.store.set(`${PREFIX}${sheetName}#seen${i}`, part);
    for (let i = parts.length; i < had; i++) this.store.delete(`${PREFIX}${sheetName}#seen${i}`);
    this.store.set(
      PREFIX + sheetName,
      JSON.stringify({ ...rest, ...(parts.length ? { seenParts: parts.length } : {}) }),
    );
  }
}

/** The definition a pull runs: what the options say, else what the sheet saved, else everything. */
export function definitionFor(
  kind: ObjectKind,
  options: PullRequest,
  saved: PullDefinition | null,
): PullDefinition {
  if (options.smartViewId && options.query) throw new Error('Pull a Smart View or a query, not both.');
  const given =
    options.smartViewId !== undefined || options.query !== undefined || options.fields !== undefined;
  if (saved && saved.kind !== kind)
    throw new Error(
      `This sheet holds ${OBJECTS[saved.kind].noun} rows; pull ${OBJECTS[kind].noun}s into another sheet.`,
    );
  if (!given && saved) return saved;
  const source: LeadSource = options.smartViewId
    ? { type: 'smart_view', id: options.smartViewId }
    : options.query?.trim()
      ? { type: 'query', query: options.query }
      : given || !saved
        ? { type: 'all' }
        : saved.source;
  const fields = options.fields ?? (given ? null : (saved?.fields ?? null));
  return {
    kind,
    source,
    fields: fields && fields.length > 0 ? [...fields] : null,
    seen: saved?.seen,
    // Kept whatever the options: a refresh compares what it pulls with what the mark was made for.
    ...(saved?.refresh ? { refresh: saved.refresh } : {}),
    // Kept too: the sheet's date-time cells stay in that zone whatever is pulled into them next.
    ...(saved?.zone ? { zone: saved.zone } : {}),
  };
}

const norm = (text: string) => text.trim().toLowerCase();

/**
 * The columns a definition shows: the id and Sync status always, then the chosen fields in the
 * model's order. Fields are matched by key, custom field id or header; an unknown one is an error.
 */
export function selectColumns(all: Column[], fields: string[] | null): Column[] {
  if (!fields) return all;
  const wanted = new Set<Column>();
  for (const f of fields) {
    const n = norm(f);
    const match = all.find((c) => norm(c.key) === n || norm(c.key) === `custom.${n}` || norm(c.header) === n);
    if (!match) throw new Error(`Unknown field "${f}": listFields() shows the fields you can pull.`);
    wanted.add(match);
  }
  return all.filter((c) => c.key === LEAD_ID_KEY || c.key === SYNC_STATUS_KEY || wanted.has(c));
}
