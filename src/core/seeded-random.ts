// A seeded source of numbers in [0, 1) (the Random port): the same seed gives the same numbers, so a
// test or benchmark that injects it sees exact, repeatable retry waits. Not for anything secret.
import type { Random } from './ports';

/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator, public domain): a full 2^32 period from any seed, and
 * numbers spread evenly enough over [0, 1) for a backoff's jitter.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
