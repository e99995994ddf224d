// A Store that keeps a value too big for one document property in several. Apps Script holds at most
// 9 KB a property value (counted in bytes of UTF-8: apps-script.md, "Properties value size"), and says
// only "You have exceeded the property storage quota" when a value is over it — the same words as for a
// full store, which is not what happened. Some state grows past 9 KB in ordinary use: an activities job's
// saved progress (the ids read at each type's window boundary, about 25 KB for a big pull), a job or a
// saved pull carrying a JSON query copied from Close's filters (a list of names in any script), the
// schedules of many sheets. What is left is the store's total (500 KB), shared by everything; a full
// store is still a StoreFullError, which callers turn into what the rep can do.
//
// A value of at most PART_BYTES stays one property, as before. A longer one is cut into parts of at most
// PART_BYTES (never inside a character) under keys of their own, and its own key holds a small head
// naming them. Parts go in one of two slots, the one the current head does not use, and the head is
// written last: a run that dies half-way leaves the old value whole (the head is the one write that
// switches), and the parts it wrote are overwritten or freed by the next write of that key.
import { type Store, StoreFullError } from './ports';
import { splitUtf8, utf8Length } from './utf8';

/** Under the 9 KB a property holds, whichever way "KB" is read (1,000 or 1,024 bytes). */
export const PART_BYTES = 8_000;
/** A head starts with a control character no saved value (JSON, a number, a name) starts with. */
const HEAD = '\u0001parts:';
/** Part keys start with a prefix no other key has, so no sheet name can collide with them. */
const PART_PREFIX = 'closeSync.part.';

interface Head {
  slot: 'a' | 'b';
  parts: number;
  /** Parts the value before this one kept in the other slot, freed after the head was written. */
  stale: number;
}

export function partKey(key: string, slot: 'a' | 'b', index: number): string {
  return `${PART_PREFIX}${slot}${index}:${key}`;
}

function readHead(raw: string | null): Head | null {
  if (raw === null || !raw.startsWith(HEAD)) return null;
  const [slot, parts, stale] = raw.slice(HEAD.length).split(':');
  return { slot: slot === 'b' ? 'b' : 'a', parts: Number(parts) || 0, stale: Number(stale) || 0 };
}

export class ChunkedStore implements Store {
  constructor(private readonly store: Store) {}

  get(key: string): string | null {
    const raw = this.store.get(key);
    const head = readHead(raw);
    if (!head) return raw;
    let value = '';
    for (let i = 0; i < head.parts; i++) {
      const part = this.store.get(partKey(key, head.slot, i));
      // A part gone (deleted by hand in the script editor): the value is lost, not half-read.
      if (part === null) return null;
      value += part;
    }
    return value;
  }

  set(key: string, value: string): void {
    try {
      this.write(key, value);
    } catch (e) {
      // The full store is named by the key the caller knows, not by one of its parts.
      if (e instanceof StoreFullError) throw new StoreFullError(key);
      throw e;
    }
  }

  private write(key: string, value: string): void {
    const old = readHead(this.store.get(key));
    if (utf8Length(value) <= PART_BYTES && !value.startsWith(HEAD)) {
      this.store.set(key, value);
      if (old) this.free(key, old);
      return;
    }
    const slot = old?.slot === 'a' ? 'b' : 'a';
    const pieces = splitUtf8(value, PART_BYTES);
    let written = 0;
    try {
      for (const [i, piece] of pieces.entries()) {
        this.store.set(partKey(key, slot, i), piece);
        written++;
      }
      this.store.set(key, `${HEAD}${slot}:${pieces.length}:${old?.parts ?? 0}`);
    } catch (e) {
      // No room: the parts written so far are taken back, the old value stays as it was.
      for (let i = 0; i < written; i++) this.store.delete(partKey(key, slot, i));
      throw e;
    }
    // This slot's parts past the new value's end, left by the value before the old one.
    for (let i = pieces.length; i < (old?.stale ?? 0); i++) this.store.delete(partKey(key, slot, i));
    if (old) for (let i = 0; i < old.parts; i++) this.store.delete(partKey(key, old.slot, i));
  }

  delete(key: string): void {
    const old = readHead(this.store.get(key));
    this.store.delete(key);
    if (old) this.free(key, old);
  }

  /** Frees every part a head names, in both slots. */
  private free(key: string, head: Head): void {
    for (let i = 0; i < head.parts; i++) this.store.delete(partKey(key, head.slot, i));
    const other = head.slot === 'a' ? 'b' : 'a';
    for (let i = 0; i < head.stale; i++) this.store.delete(partKey(key, other, i));
  }
}
