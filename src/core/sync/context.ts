// What every pull and push starts from: the org's schema turned into columns and codecs, once.
import type { CloseClient } from '../close/client';
import { loadOrgContext } from '../close/org';
import type { OrgContext } from '../close/types';
import type { Clock, Workbook } from '../ports';
import { makeCodec } from '../schema/codecs';
import { type Column, leadColumns } from '../schema/columns';
import { statusLookup, userLookup } from '../schema/lookups';
import type { BoundColumn } from './changes';

export interface SyncDeps {
  client: CloseClient;
  workbook: Workbook;
  clock: Clock;
}

export interface SyncContext {
  org: OrgContext;
  timeZone: string;
  columns: Column[];
  byKey: Map<string, BoundColumn>;
}

export const DEFAULT_SHEET = 'Close Leads';

export function loadSyncContext(deps: SyncDeps): SyncContext {
  const org = loadOrgContext(deps.client);
  const timeZone = deps.workbook.timeZone();
  const env = { timeZone, statuses: statusLookup(org.statuses), users: userLookup(org.members) };
  const columns = leadColumns(org.fields);
  const byKey = new Map<string, BoundColumn>();
  for (const column of columns) byKey.set(column.key, { column, codec: makeCodec(column, env) });
  return { org, timeZone, columns, byKey };
}
