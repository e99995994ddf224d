// Property sizes are bytes of UTF-8: the counting and cutting the definitions store relies on.
import { splitUtf8, utf8Length } from '../../src/core/utf8';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

test('utf8Length counts like UTF-8: 1, 2, 3 and 4 bytes a character', () => {
  for (const s of ['abc', 'Годовой', '顧客の年間', '😀 emoji 𝄞', '']) expect(utf8Length(s)).toBe(bytes(s));
});

test('splitUtf8 cuts into pieces of at most N bytes, never inside a character, and joins back whole', () => {
  const text = `{"h":"顧客の年間売上高😀Годовой доход"}`.repeat(40);
  const parts = splitUtf8(text, 100);
  expect(parts.join('')).toBe(text);
  for (const p of parts) {
    expect(bytes(p)).toBeLessThanOrEqual(100);
    // No lone surrogate at either end (half an emoji would not survive storage).
    expect(p).toBe(Buffer.from(p, 'utf8').toString('utf8'));
  }
  // Only a character that would straddle the cut moves to the next piece: each is nearly full.
  for (const p of parts.slice(0, -1)) expect(bytes(p)).toBeGreaterThan(96);
  expect(splitUtf8('', 100)).toEqual([]);
  expect(splitUtf8('abc', 100)).toEqual(['abc']);
});
