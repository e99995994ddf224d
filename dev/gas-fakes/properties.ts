// PropertiesService: string key/value stores with Apps Script's size limits.
import type { Env } from './env';

// Quotas page (guides/services/quotas, "Current limitations"): "Properties value size: 9 KB / val" and
// "Properties total storage: 500 KB / property store". The unit is not defined further: the fake takes
// the harsher reading, KB = 1,000 bytes, and counts bytes of UTF-8 (what is stored), not characters.
// Keys count toward the store's total (measured: tanaikech's 2023 study of PropertiesService limits).
export const MAX_PROPERTY_VALUE_BYTES = 9_000;
export const MAX_PROPERTY_STORE_BYTES = 500_000;

/**
 * Apps Script's message for both a full store and a value over 9 KB. Recorded from real executions:
 * "Exception: You have exceeded the property storage quota. Please remove some properties and try
 * again." — for a full store, and for one value too large (a JSON blob "exceeded Apps Script's per-value
 * storage quota, which started throwing 'exceeded the property storage quota'"; a 3-key object "saved
 * at once" failed with it, "because the property value size was exceeded", both in public add-ons'
 * source). "Argument too large: value" is CacheService's message, not this one.
 */
export const PROPERTY_QUOTA_MESSAGE =
  'You have exceeded the property storage quota. Please remove some properties and try again.';

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The data of one property store (user, script or document). Tests may read and seed it directly. */
export class FakePropertiesStore {
  private readonly data = new Map<string, string>();

  constructor(initial?: Record<string, string>) {
    if (initial) for (const [k, v] of Object.entries(initial)) this.data.set(k, String(v));
  }

  get(key: string): string | null {
    return this.data.has(key) ? (this.data.get(key) as string) : null;
  }
  set(key: string, value: string): void {
    this.data.set(key, value);
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  clear(): void {
    this.data.clear();
  }
  keys(): string[] {
    return [...this.data.keys()];
  }
  toObject(): Record<string, string> {
    return Object.fromEntries(this.data);
  }
  /** Bytes used (keys + values, UTF-8), the way the 500 KB quota is counted. */
  sizeBytes(): number {
    let n = 0;
    for (const [k, v] of this.data) n += utf8Length(k) + utf8Length(v);
    return n;
  }
  toJSON(): Record<string, string> {
    return this.toObject();
  }
}

/** The `Properties` object scripts get from PropertiesService.get*Properties(). */
export class PropertiesApi {
  constructor(
    private readonly env: Env,
    private readonly store: FakePropertiesStore,
  ) {}

  private checkValue(value: string): void {
    if (utf8Length(value) > MAX_PROPERTY_VALUE_BYTES) throw this.env.fail(PROPERTY_QUOTA_MESSAGE);
  }

  private checkTotal(changes: Record<string, string>, deleteAllOthers: boolean): void {
    let total = deleteAllOthers ? 0 : this.store.sizeBytes();
    for (const [k, v] of Object.entries(changes)) {
      const old = deleteAllOthers ? null : this.store.get(k);
      if (old !== null) total -= utf8Length(k) + utf8Length(old);
      total += utf8Length(k) + utf8Length(v);
    }
    if (total > MAX_PROPERTY_STORE_BYTES) {
      throw this.env.fail(PROPERTY_QUOTA_MESSAGE);
    }
  }

  getProperty(key: string): string | null {
    this.env.checkBudget();
    return this.store.get(String(key));
  }

  getProperties(): Record<string, string> {
    this.env.checkBudget();
    return this.store.toObject();
  }

  getKeys(): string[] {
    this.env.checkBudget();
    return this.store.keys();
  }

  setProperty(key: string, value: unknown): PropertiesApi {
    this.env.checkBudget();
    if (key === undefined || key === null) throw this.env.fail('Invalid argument: key');
    const v = String(value);
    this.checkValue(v);
    this.checkTotal({ [String(key)]: v }, false);
    this.store.set(String(key), v);
    return this;
  }

  setProperties(properties: Record<string, unknown>, deleteAllOthers = false): PropertiesApi {
    this.env.checkBudget();
    const changes: Record<string, string> = {};
    for (const [k, v] of Object.entries(properties ?? {})) {
      changes[k] = String(v);
      this.checkValue(changes[k]);
    }
    this.checkTotal(changes, deleteAllOthers);
    if (deleteAllOthers) this.store.clear();
    for (const [k, v] of Object.entries(changes)) this.store.set(k, v);
    return this;
  }

  deleteProperty(key: string): PropertiesApi {
    this.env.checkBudget();
    this.store.delete(String(key));
    return this;
  }

  deleteAllProperties(): PropertiesApi {
    this.env.checkBudget();
    this.store.clear();
    return this;
  }
}

export interface PropertyStores {
  user: FakePropertiesStore;
  script: FakePropertiesStore;
  document: FakePropertiesStore;
}

export function createPropertiesService(env: Env, stores: PropertyStores) {
  const guard = (method: string): void => {
    env.checkBudget();
    env.requireAuth(`PropertiesService.${method}`, null, ['FULL', 'LIMITED']);
  };
  return {
    getUserProperties(): PropertiesApi {
      guard('getUserProperties');
      return new PropertiesApi(env, stores.user);
    },
    getScriptProperties(): PropertiesApi {
      guard('getScriptProperties');
      return new PropertiesApi(env, stores.script);
    },
    getDocumentProperties(): PropertiesApi {
      guard('getDocumentProperties');
      return new PropertiesApi(env, stores.document);
    },
  };
}
