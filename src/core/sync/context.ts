// What every pull and push starts from: the org's schema turned into columns and codecs, once.
import type { CloseCall, CloseClient, CloseReply } from '../close/client';
import { type KeyOwner, loadOrgContext, type SendBy } from '../close/org';
import type { OrgContext } from '../close/types';
import type { Clock, Store, Workbook } from '../ports';
import type { SheetCost } from '../sheet-cost';
import { type CodecEnv, makeCodec } from '../schema/codecs';
import type { Column } from '../schema/columns';
import { opportunityStatusLookup, statusLookup, userLookup } from '../schema/lookups';
import { OBJECTS, type ObjectSpec } from '../schema/objects';
import type { BoundColumn } from './changes';
import { type PullDefinition, selectColumns } from './pull-definition';

export interface SyncDeps {
  client: CloseClient;
  workbook: Workbook;
  clock: Clock;
  /**
   * A short-lived cache of the org's schema (the live preview asks every 20 s; 8 requests each time
   * would be waste). Pulls and pushes leave it out: they must see schema changes at once.
   */
  schemaCache?: Store;
  /** Whose key this is, when known (saved at connect): saves a GET /me/. */
  owner?: KeyOwner;
  /**
   * What the spreadsheet's service costs (per call, cell, byte), to size a step's writes; the published
   * figures when left out (sheet-cost.ts).
   */
  sheetCost?: SheetCost;
}

export const SCHEMA_CACHE_KEY = 'closeSync.orgContext';

function orgContextOf(
  deps: SyncDeps,
  alongside: CloseCall[],
  by?: SendBy,
): { org: OrgContext; replies: CloseReply[] } {
  const cached = deps.schemaCache?.get(SCHEMA_CACHE_KEY);
  if (cached)
    return {
      org: JSON.parse(cached) as OrgContext,
      replies: alongside.length > 0 ? deps.client.callAll(alongside, by?.stopAt, by?.firstBy) : [],
    };
  const loaded = loadOrgContext(deps.client, deps.owner, alongside, by);
  try {
    deps.schemaCache?.set(SCHEMA_CACHE_KEY, JSON.stringify(loaded.org));
  } catch {
    // Too big for the cache (a very large organization): it is loaded each time.
  }
  return loaded;
}

export interface SyncContext {
  org: OrgContext;
  timeZone: string;
  spec: ObjectSpec;
  env: CodecEnv;
  columns: Column[];
  byKey: Map<string, BoundColumn>;
  /** Replies to the `alongside` calls, in order. */
  replies: CloseReply[];
}

export const DEFAULT_SHEET = 'Close Leads';

/**
 * Loads the org's schema and builds the sheet's columns. A definition narrows them to its fields; a
 * field whose Close type changed since the sheet was pulled is blocked (not pushed with the wrong type)
 * until the next pull rewrites it.
 */
export function loadSyncContext(
  deps: SyncDeps,
  definition: Pick<PullDefinition, 'kind' | 'fields' | 'seen' | 'zone'> = { kind: 'lead', fields: null },
  alongside: CloseCall[] = [],
  /** A step's deadline for the schema's requests: past it, SchemaNotInTime (close/org.ts). */
  by?: SendBy,
): SyncContext {
  const { org, replies } = orgContextOf(deps, alongside, by);
  // The time zone is read when first needed (decoding cells, stamps): a pull into a new sheet never
  // needs it, and each read is a service call.
  const { workbook } = deps;
  const env: CodecEnv = {
    get timeZone() {
      return workbook.timeZone();
    },
    get dateTimeZone() {
      return definition.zone ?? workbook.timeZone();
    },
    statuses: statusLookup(org.statuses),
    users: userLookup(org.members),
    opportunityStatuses: opportunityStatusLookup(org.opportunityStatuses, org.pipelines),
  };
  const spec = OBJECTS[definition.kind];
  const columns = selectColumns(spec.columns(org), definition.fields).map((c) => {
    const before = definition.seen?.[c.key];
    return before && c.fieldType && before.type && before.type !== c.fieldType
      ? {
          ...c,
          blocked: `Its type changed in Close (${before.type} → ${c.fieldType}) since your pull: pull again first`,
        }
      : c;
  });
  const byKey = new Map<string, BoundColumn>();
  for (const column of columns) byKey.set(column.key, { column, codec: makeCodec(column, env) });
  return {
    org,
    get timeZone() {
      return workbook.timeZone();
    },
    spec,
    env,
    columns,
    byKey,
    replies,
  };
}
