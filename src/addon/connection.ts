// The rep's Close connection: the API key lives in their own UserProperties only, and is checked
// against GET /me/ before it is stored.
import { CloseClient } from '../core/close/client';
import { CloseApiError } from '../core/close/errors';
import { type KeyOwner, ME_CALL, keyOwner, userDisplayName } from '../core/close/org';
import type { Me } from '../core/close/types';
import { countCall, newPagerState } from '../core/sync/lead-pager';
import type { Store } from '../core/ports';
import type { SyncDeps } from '../core/sync/context';
import { activeWorkbook } from '../gas/grid';
import { urlFetchHttp } from '../gas/http';
import { appsScriptClock, appsScriptRandom, userCacheStore, userStore } from '../gas/runtime';
import type { Connection } from '../shared/server-api';
import { sheetCost } from './sheet-speed';
import { activeSpreadsheet } from './execution-state';

const KEY_PROPERTY = 'closeSync.apiKey';
const CONNECTION_PROPERTY = 'closeSync.connection';
const OWNER_PROPERTY = 'closeSync.keyOwner';

/** Close's rate budgets are remembered for the rep's next runs (6 hours, CacheService's longest). */
const BUDGET_CACHE_SECONDS = 21_600;

export function clientFor(apiKey: string): CloseClient {
  return new CloseClient(urlFetchHttp(), appsScriptClock, apiKey, {
    budgetStore: userCacheStore(BUDGET_CACHE_SECONDS),
    random: appsScriptRandom,
  });
}

export function connect(key: string, store: Store = userStore()): Connection {
  const apiKey = String(key ?? '').trim();
  if (!apiKey) throw new Error('Paste your Close API key (Close → Settings → Developer → API Keys).');
  let me: Me;
  let leadCount: number | undefined;
  try {
    // The organization's lead count rides along (a first pull sizes its pages by it).
    const [meReply, countReply] = clientFor(apiKey).callAll([ME_CALL, countCall(newPagerState())!]);
    if (!meReply.ok) throw new CloseApiError(meReply.status, meReply.message, meReply.fieldErrors);
    me = meReply.data as Me;
    const total = countReply.ok ? (countReply.data as { total_results?: unknown }).total_results : undefined;
    if (typeof total === 'number') leadCount = total;
  } catch (e) {
    if (e instanceof CloseApiError || (e instanceof Error && e.name === 'CloseAuthError'))
      throw new Error(
        e.name === 'CloseAuthError'
          ? 'Close rejected this API key. Check that you copied the whole key and that it has not been deleted.'
          : `Could not check the key with Close: ${e.message}`,
      );
    throw e;
  }
  const connection: Connection = {
    connected: true,
    user: userDisplayName(me),
    email: me.email,
    organization: me.organizations?.[0]?.name ?? '',
  };
  store.set(KEY_PROPERTY, apiKey);
  store.set(CONNECTION_PROPERTY, JSON.stringify(connection));
  if (me.organizations?.[0]) store.set(OWNER_PROPERTY, JSON.stringify({ ...keyOwner(me), leadCount }));
  else store.delete(OWNER_PROPERTY);
  return connection;
}

export function disconnect(store: Store = userStore()): Connection {
  store.delete(KEY_PROPERTY);
  store.delete(CONNECTION_PROPERTY);
  store.delete(OWNER_PROPERTY);
  return { connected: false };
}

export function currentConnection(store: Store = userStore()): Connection {
  const saved = store.get(CONNECTION_PROPERTY);
  if (!store.get(KEY_PROPERTY) || !saved) return { connected: false };
  return JSON.parse(saved) as Connection;
}

export function requireApiKey(store: Store = userStore()): string {
  const key = store.get(KEY_PROPERTY);
  if (!key) throw new Error('Connect your Close account first: open the sidebar and paste your API key.');
  return key;
}

/** Whose key is connected, as saved at connect (absent for a key saved by an older version). */
export function savedOwner(store: Store = userStore()): KeyOwner | undefined {
  const saved = store.get(OWNER_PROPERTY);
  return saved ? (JSON.parse(saved) as KeyOwner) : undefined;
}

/** What a pull, push or preview runs on: the rep's Close key, the active spreadsheet, the clock. */
export function syncDeps(extra: Partial<SyncDeps> = {}): SyncDeps {
  const store = userStore();
  return {
    client: clientFor(requireApiKey(store)),
    workbook: activeWorkbook(activeSpreadsheet()),
    clock: appsScriptClock,
    owner: savedOwner(store),
    sheetCost: sheetCost(),
    ...extra,
  };
}
