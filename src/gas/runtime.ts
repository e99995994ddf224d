// Clock and key-value store over Utilities and PropertiesService.
import { ChunkedStore } from '../core/chunked-store';
import { type Clock, type Random, type Store, StoreFullError } from '../core/ports';

/**
 * Apps Script's words when a property store is full, or a value is over 9 KB: "You have exceeded the
 * property storage quota. Please remove some properties and try again."
 */
const QUOTA_MESSAGE = /exceeded the property storage quota/i;

/** The platform's own randomness, for retry jitter: executions that met one outage retry apart. */
export const appsScriptRandom: Random = () => Math.random();

export const appsScriptClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => Utilities.sleep(Math.max(0, Math.min(Math.round(ms), 300_000))),
};

function propertiesStore(properties: GoogleAppsScript.Properties.Properties): Store {
  return {
    get: (key) => properties.getProperty(key),
    set: (key, value) => {
      try {
        properties.setProperty(key, value);
      } catch (e) {
        if (e instanceof Error && QUOTA_MESSAGE.test(e.message)) throw new StoreFullError(key);
        throw e;
      }
    },
    delete: (key) => {
      properties.deleteProperty(key);
    },
  };
}

/** The current rep's own store: their API key lives here and nowhere else. */
export function userStore(): Store {
  return propertiesStore(PropertiesService.getUserProperties());
}

/**
 * Shared by everyone in this spreadsheet: never secrets. A value over 8,000 bytes is kept in parts
 * (chunked-store.ts): a property holds 9 KB, and a job's progress or a long query grows past that.
 */
export function documentStore(): Store {
  return new ChunkedStore(propertiesStore(PropertiesService.getDocumentProperties()));
}

/**
 * The rep's own cache, for a few minutes (their key decides which organization the values are of).
 * Values over CacheService's 100 KB limit make `set` throw; callers treat that as "not cached".
 */
export function userCacheStore(ttlSeconds: number): Store {
  const cache = CacheService.getUserCache();
  return {
    get: (key) => cache?.get(key) ?? null,
    set: (key, value) => cache?.put(key, value, ttlSeconds),
    delete: (key) => cache?.remove(key),
  };
}
