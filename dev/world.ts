// The world a test or benchmark runs in: a fake Close organization, the in-memory Apps Script services
// wired to it, and the built dist/ bundle loaded with gas-local.
import { FakeClose, type FakeCloseOptions, buildSampleOrg } from './fake-close';
import type { FakeOrg, FakeRequest, FakeResponse } from './fake-close/types';
import {
  createGasRuntime,
  type GasRuntime,
  type GasRuntimeOptions,
  loadBundle,
  VirtualClock,
} from './gas-fakes';

export const API_KEY = 'api_test_key_1';

export interface World {
  close: FakeClose;
  runtime: GasRuntime;
  // biome-ignore lint/suspicious/noExplicitAny: the bundle's global functions, called by name like Apps Script does
  app: Record<string, any>;
  clock: VirtualClock;
}

export interface WorldOptions {
  org?: FakeOrg;
  close?: FakeCloseOptions;
  gas?: Partial<GasRuntimeOptions>;
  /** Answers a request instead of the fake Close when it returns a response. */
  intercept?: (req: FakeRequest) => FakeResponse | undefined;
}

export function makeWorld(options: WorldOptions = {}): World {
  const clock = options.gas?.clock ?? new VirtualClock();
  const close = new FakeClose(options.org ?? buildSampleOrg(), { now: () => clock.now(), ...options.close });
  const http = (req: FakeRequest) => options.intercept?.(req) ?? close.handle(req);
  const runtime = createGasRuntime({ http, clock, quiet: true, ...options.gas });
  const app = loadBundle(runtime);
  return { close, runtime, app, clock };
}

/** A world whose rep has already connected. */
export function connectedWorld(options: WorldOptions = {}): World {
  const world = makeWorld(options);
  world.app.saveApiKey(API_KEY);
  return world;
}

/** Drives a pull or push to its end the way the sidebar does: each step a new execution. */
// biome-ignore lint/suspicious/noExplicitAny: outcomes are plain objects from the bundle
export function runToEnd(w: World, first: any): { outcome: any; steps: number } {
  let outcome = first;
  let steps = 1;
  while (outcome && !outcome.done) {
    w.runtime.startExecution();
    outcome = w.app.continueSync();
    steps++;
  }
  return { outcome, steps };
}
