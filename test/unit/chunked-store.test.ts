// Values past one property's 9 KB are kept in parts: exact keys and heads, bytes not characters, the
// old value whole until the head switches, nothing left behind, and a full store rolled back.
import { ChunkedStore, partKey } from '../../src/core/chunked-store';
import { type Store, StoreFullError } from '../../src/core/ports';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A property store with Apps Script's limits: 9,000 bytes a value, `total` bytes in all. */
function properties(total = 500_000) {
  const data = new Map<string, string>();
  const size = () => [...data].reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
  const store: Store = {
    get: (k) => data.get(k) ?? null,
    set: (k, v) => {
      if (bytes(v) > 9_000 || size() - bytes(data.get(k) ?? '') + bytes(v) > total)
        throw new StoreFullError(k);
      data.set(k, v);
    },
    delete: (k) => {
      data.delete(k);
    },
  };
  return { data, store };
}

// 3,000 Japanese characters: 9,000 bytes (over a property), though only 3,000 characters.
const JAPANESE = '顧客名'.repeat(1_000);

test('a value over 8,000 bytes goes in parts named by a head; a short one stays one property', () => {
  const { data, store } = properties();
  const chunked = new ChunkedStore(store);
  chunked.set('k', JAPANESE);
  expect([...data.keys()]).toEqual([partKey('k', 'a', 0), partKey('k', 'a', 1), 'k']);
  expect(data.get('k')).toBe('\u0001parts:a:2:0');
  expect(partKey('k', 'a', 1)).toBe('closeSync.part.a1:k');
  expect(bytes(data.get(partKey('k', 'a', 0))!)).toBe(7_998);
  expect(chunked.get('k')).toBe(JAPANESE);
  // Rewritten: the other slot, then the head, then the old parts freed.
  chunked.set('k', `${JAPANESE}!`);
  expect([...data.keys()].sort()).toEqual([partKey('k', 'b', 0), partKey('k', 'b', 1), 'k']);
  expect(data.get('k')).toBe('\u0001parts:b:2:2');
  expect(chunked.get('k')).toBe(`${JAPANESE}!`);
  // Short again: one property, every part freed.
  chunked.set('k', 'small');
  expect(Object.fromEntries(data)).toEqual({ k: 'small' });
  chunked.set('k', JAPANESE);
  chunked.delete('k');
  expect(data.size).toBe(0);
  // A value that looks like a head is kept in parts, so it reads back as itself.
  chunked.set('k', '\u0001parts:a:9:0');
  expect(chunked.get('k')).toBe('\u0001parts:a:9:0');
  expect(data.get('k')).toBe('\u0001parts:a:1:0');
});

test('a run that died before freeing the old parts: the next write frees them, the value reads whole', () => {
  const { data, store } = properties();
  const chunked = new ChunkedStore(store);
  chunked.set('k', JAPANESE.repeat(2));
  // As if the run died right after writing the head of a shorter value in slot b.
  chunked.set('k', JAPANESE);
  for (let i = 0; i < 3; i++) data.set(partKey('k', 'a', i), 'left behind');
  expect(data.get('k')).toBe('\u0001parts:b:2:3');
  expect(chunked.get('k')).toBe(JAPANESE);
  chunked.set('k', 'x'.repeat(8_001));
  expect([...data.keys()].sort()).toEqual([partKey('k', 'a', 0), partKey('k', 'a', 1), 'k']);
  expect(chunked.get('k')).toBe('x'.repeat(8_001));
});

test('a full store: the parts written are taken back, the old value stays, the error names the key', () => {
  const { data, store } = properties(20_000);
  const chunked = new ChunkedStore(store);
  chunked.set('k', 'old');
  let error: unknown = null;
  try {
    chunked.set('k', JAPANESE.repeat(3));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StoreFullError);
  expect((error as StoreFullError).key).toBe('k');
  expect(Object.fromEntries(data)).toEqual({ k: 'old' });
});

test('a part deleted by hand: the value reads as missing, never half', () => {
  const { data, store } = properties();
  const chunked = new ChunkedStore(store);
  chunked.set('k', JAPANESE);
  data.delete(partKey('k', 'a', 1));
  expect(chunked.get('k')).toBeNull();
});
