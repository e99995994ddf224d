// The fixture format: what `npm run probe` writes (test/fixtures/close-live/<question>.json) and what the
// fixture test reads to check the fake Close (test/fixtures/close-docs/ holds Close's documented samples in
// the same format). One file per question; each holds the exchanges, in order, that answered it.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompactShape, JsonValue } from './shape';

export interface FixtureRequest {
  method: string;
  /** Below /api/v1, with placeholders for ids (`/lead/{lead:scratch}/`). */
  path: string;
  query?: Record<string, string>;
  body?: JsonValue;
  /** `invalid`: sent with a key Close does not know (the 401 question). */
  auth?: 'invalid';
  /** Docs samples of throttling: the fake is made to answer this status (an injected fault). */
  fault?: 429;
}

export interface FixtureResponse {
  status: number;
  /** Only the headers that matter (shape.ts HEADERS_THAT_MATTER), names lower-cased, values as received. */
  headers: Record<string, string>;
  /** Recorded answers: the body's shape (keys and types only; shape.ts encodeShape). */
  shape?: CompactShape;
  /** Documented samples: the body verbatim (public docs data); its shape is what is compared. */
  body?: JsonValue;
  /** Error answers (status ≥ 400): Close's error body, ids redacted; compared exactly when `exact`. */
  errorBody?: JsonValue;
}

export interface Exchange {
  /** What this request asks, in a few words. */
  label: string;
  request: FixtureRequest;
  response: FixtureResponse;
  /** Compare `errorBody` (or a docs `body`) exactly, after the same redaction on the fake's side. */
  exact?: boolean;
  /** Paths whose subtree the fake does not model, each with why (see shape.ts compareShapes). */
  notModelled?: Record<string, string>;
  /** Keys Close sends only sometimes and the fake may leave out (its harsher reading), each with why. */
  optionalKeys?: Record<string, string>;
}

export interface Fixture {
  question: string;
  /** docs: Close's documented sample; live: recorded from api.close.com; local: recorded from another server. */
  recorded: 'docs' | 'live' | 'local';
  /** URL and sentence (docs), or how and when it was recorded. */
  source: string;
  recordedAt?: string;
  /** The probe's answer when it recorded this. */
  answer?: string;
  exchanges: Exchange[];
}

export function writeFixture(dir: string, fixture: Fixture): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${fixture.question}.json`);
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  return file;
}

export function readFixtures(dir: string): Array<{ file: string; fixture: Fixture }> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().map((n) => {
    const file = join(dir, n);
    return { file, fixture: JSON.parse(readFileSync(file, 'utf8')) as Fixture };
  });
}
