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

/**
 * Apps Script's limits are on unless a test turns them off: an execution is killed 6 minutes in
 * ("Scripts … will stop executing if they exceed a maximum execution time of 6 min", Apps Script
 * quotas), and Close and Sheets take time to answer (the benchmark's cost model: 250 ms per fetchAll
 * wave, 30 ms per Spreadsheet call), so steps, deadlines and waits run in every test as they do live.
 */
export const DEFAULT_GAS_LIMITS = { fetchLatencyMs: 250, spreadsheetCallMs: 30, maxExecutionMs: 6 * 60_000 };

export function makeWorld(options: WorldOptions = {}): World {
  const clock = options.gas?.clock ?? new VirtualClock();
  const close = new FakeClose(options.org ?? buildSampleOrg(), { now: () => clock.now(), ...options.close });
  const http = (req: FakeRequest) => options.intercept?.(req) ?? close.handle(req);
  const runtime = createGasRuntime({ http, clock, quiet: true, ...DEFAULT_GAS_LIMITS, ...options.gas });
  const bundle = loadBundle(runtime);
  // Each call from the menu, the sidebar or a trigger is an execution of its own, with its own 6
  // minutes; a test that starts one itself (to use part of it up first) has its next call run in it.
  const start = runtime.startExecution;
  let started = false;
  runtime.startExecution = () => {
    started = true;
    start();
  };
  const app = new Proxy(bundle, {
    get(target, name) {
      const fn = target[name as string];
      if (typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        if (!started) start();
        started = false;
        return fn(...args);
      };
    },
  });
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
