// readableLayout's fast path (one regular expression for rows of hashes, nulls, empty strings, one-digit
// interned values and digests) answers as the token walk does: every row below is checked against the
// answer the walk gives (the walk alone decides the rows the expression does not match).
import { readableLayout } from '../../src/core/sync/snapshot-row';

const hash = 'AbCd-_';
test('plain rows: the layout; anything damaged or out of range: -1', () => {
  expect(readableLayout(`^0:${hash.repeat(40)}`, 0)).toBe(0);
  expect(readableLayout(`^7:${hash}.,${hash}|abcxyz`, 0)).toBe(7);
  expect(readableLayout('^3:', 0)).toBe(3);
  // A hash cut short, a character no hash has, digests not in threes: damaged.
  expect(readableLayout(`^0:${hash}ABCDE`, 0)).toBe(-1);
  expect(readableLayout('^1:A!!!!!', 0)).toBe(-1);
  expect(readableLayout(`^0:${hash}|abcd`, 0)).toBe(-1);
  // One-digit interned values: below the count interned, else damaged (the walk decides under 64).
  expect(readableLayout(`^0:*A${hash}`, 1)).toBe(0);
  expect(readableLayout(`^0:*B${hash}`, 1)).toBe(-1);
  expect(readableLayout(`^0:*_${hash}`, 64)).toBe(0);
  // Tokens the expression leaves to the walk: a value kept whole, two-digit indexes, lists.
  expect(readableLayout(`^0:("x")${hash}`, 0)).toBe(0);
  expect(readableLayout(`^0:("x"${hash}`, 0)).toBe(-1);
  expect(readableLayout(`^0:{AA${hash}`, 65)).toBe(0);
  expect(readableLayout(`^0:{AB${hash}`, 65)).toBe(-1);
  expect(readableLayout(`^0:[${hash}.]`, 0)).toBe(0);
  expect(readableLayout(`^0:[${hash}`, 0)).toBe(-1);
  expect(readableLayout(`x0:${hash}`, 0)).toBe(-1);
});
