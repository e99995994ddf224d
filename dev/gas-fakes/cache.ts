// CacheService with expiry on the virtual clock and the documented limits.
import type { Env } from './env';
import type { FakeSpreadsheet } from './model';

export const CACHE_DEFAULT_TTL_S = 600;
export const CACHE_MAX_TTL_S = 21_600;
export const CACHE_MAX_ITEMS = 1000;
const MAX_KEY = 250;
const MAX_VALUE_BYTES = 100 * 1024;

export class FakeCacheStore {
  readonly entries = new Map<string, { value: string; expiresAt: number }>();
}

export class CacheApi {
  constructor(
    private readonly env: Env,
    private readonly store: FakeCacheStore,
  ) {}

  private live(key: string): string | null {
    const e = this.store.entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= this.env.clock.now()) {
      this.store.entries.delete(key);
      return null;
    }
    return e.value;
  }

  private putOne(key: string, value: unknown, ttl: number): void {
    const k = String(key);
    const v = String(value);
    if (k.length > MAX_KEY) throw this.env.fail('Argument too large: key');
    if (Buffer.byteLength(v, 'utf8') > MAX_VALUE_BYTES) throw this.env.fail('Argument too large: value');
    this.store.entries.delete(k);
    this.store.entries.set(k, { value: v, expiresAt: this.env.clock.now() + ttl * 1000 });
    while (this.store.entries.size > CACHE_MAX_ITEMS) {
      const oldest = this.store.entries.keys().next().value as string;
      this.store.entries.delete(oldest);
    }
  }

  private ttl(expirationInSeconds: unknown): number {
    if (expirationInSeconds === undefined) return CACHE_DEFAULT_TTL_S;
    return Math.min(CACHE_MAX_TTL_S, Math.max(1, Number(expirationInSeconds)));
  }

  get(key: string): string | null {
    this.env.checkBudget();
    return this.live(String(key));
  }
  getAll(keys: string[]): Record<string, string> {
    this.env.checkBudget();
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = this.live(String(k));
      if (v !== null) out[k] = v;
    }
    return out;
  }
  put(key: string, value: string, expirationInSeconds?: number): void {
    this.env.checkBudget();
    this.putOne(key, value, this.ttl(expirationInSeconds));
  }
  putAll(values: Record<string, string>, expirationInSeconds?: number): void {
    this.env.checkBudget();
    const ttl = this.ttl(expirationInSeconds);
    for (const [k, v] of Object.entries(values)) this.putOne(k, v, ttl);
  }
  remove(key: string): void {
    this.env.checkBudget();
    this.store.entries.delete(String(key));
  }
  removeAll(keys: string[]): void {
    this.env.checkBudget();
    for (const k of keys) this.store.entries.delete(String(k));
  }
}

function shared(book: FakeSpreadsheet, name: string): FakeCacheStore {
  let s = book.sharedCaches.get(name) as FakeCacheStore | undefined;
  if (!s) {
    s = new FakeCacheStore();
    book.sharedCaches.set(name, s);
  }
  return s;
}

export function createCacheService(env: Env, book: FakeSpreadsheet) {
  const user = shared(book, `user:${env.userEmail}`);
  return {
    getUserCache: (): CacheApi => new CacheApi(env, user),
    getDocumentCache: (): CacheApi => new CacheApi(env, shared(book, 'document')),
    getScriptCache: (): CacheApi => new CacheApi(env, shared(book, 'script')),
  };
}
