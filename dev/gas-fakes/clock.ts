// Virtual time: every fake reads "now" from a VirtualClock, and the bundle gets a Date class whose
// no-argument constructor and Date.now() read the same clock.

export const DEFAULT_START_MS = Date.UTC(2026, 10, 28, 9, 0, 0);

export class VirtualClock {
  private ms: number;

  constructor(startMs: number = DEFAULT_START_MS) {
    this.ms = startMs;
  }

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`VirtualClock.advance: ms must be >= 0 (got ${ms})`);
    this.ms += ms;
  }
}

/**
 * A Date constructor for the bundle's globals. `new Date()` and `Date.now()` read the virtual clock;
 * every other form behaves like the host Date. It shares the host Date.prototype, so dates built by
 * the fakes (host Dates) pass the bundle's `instanceof Date` and vice versa. `Date()` called without
 * `new` returns a string, like the real one.
 */
export function makeVirtualDate(clock: VirtualClock): DateConstructor {
  const HostDate = Date;
  function VirtualDate(this: unknown, first?: unknown): unknown {
    if (!new.target) return new HostDate(clock.now()).toString();
    // The common `new Date(ms)` as cheaply as the real one (the benchmark charges this to the bundle):
    // no rest array, no Reflect.
    // biome-ignore lint/complexity/noArguments: the argument count decides, as in the real Date.
    const count = arguments.length;
    if (new.target === VirtualDate && count === 1) return new HostDate(first as number);
    // biome-ignore lint/complexity/noArguments: every other form is passed through as it came.
    const ctorArgs = count === 0 ? [clock.now()] : Array.from(arguments);
    return Reflect.construct(HostDate, ctorArgs, new.target);
  }
  Object.setPrototypeOf(VirtualDate, HostDate);
  VirtualDate.prototype = HostDate.prototype;
  Object.defineProperty(VirtualDate, 'now', { value: () => clock.now(), writable: true, configurable: true });
  Object.defineProperty(VirtualDate, 'name', { value: 'Date' });
  return VirtualDate as unknown as DateConstructor;
}

/** True for a Date from any realm (the bundle's vm context has its own Date). */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** Milliseconds of a Date from any realm. */
export function dateMs(v: Date): number {
  return Date.prototype.getTime.call(v);
}
