// Apps Script counts property sizes in bytes of UTF-8 (9 KB a value, 500 KB a store), not in characters:
// a field named in Japanese takes three bytes a character. These count and cut strings that way.

/** UTF-8 bytes of one UTF-16 code unit at `i` (a surrogate pair counts 4 on its first unit, 0 on its second). */
function unitBytes(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) return 4;
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  return 3;
}

/** The string's length in bytes of UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) n += unitBytes(s, i);
  return n;
}

/**
 * The string in pieces of at most `maxBytes` bytes of UTF-8 each, joined back by plain concatenation.
 * A surrogate pair is never split (half of one would not survive storage as UTF-8).
 */
export function splitUtf8(s: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const b = unitBytes(s, i);
    if (bytes + b > maxBytes) {
      parts.push(s.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += b;
  }
  if (start < s.length) parts.push(s.slice(start));
  return parts;
}
