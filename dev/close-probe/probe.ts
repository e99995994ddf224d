// `npm run probe`: asks a Close API the questions the add-on's design rests on (questions.ts), prints a table
// of answers, and writes one redacted fixture per question (fixture.ts). Without CLOSE_API_KEY it prints how
// to run it and exits 0. It creates one scratch lead ("Close Sync probe <time>") and deletes it; it touches
// nothing else.

import { resolve } from 'node:path';
import { ProbeClient, ProbeFailure, parseRateLimit } from './client';
import { type Fixture, writeFixture } from './fixture';
import {
  type Ctx,
  deleteScratch,
  eventLog,
  NotSupported,
  QUESTIONS,
  type Question,
  type Result,
} from './questions';
import { Recorder } from './recorder';
import { Redactor } from './shape';

export const REAL_CLOSE = 'https://api.close.com/api/v1';

export const USAGE = `Close Sync probe: asks a Close API the questions the add-on's design rests on.

  CLOSE_API_KEY=api_… npm run probe

Use a key of a SANDBOX organization: the probe creates one scratch lead ("Close Sync probe <time>"), edits
and deletes it, and only reads everything else. Options (environment variables):

  CLOSE_BASE_URL        API base (default ${REAL_CLOSE}); the local fake: http://127.0.0.1:<port>/api/v1
  PROBE_OUT             where the redacted answers go (default test/fixtures/close-live for the real API,
                        .cache/probe/fixtures otherwise)
  PROBE_CURSOR_WAIT_S   how long a /data/search/ cursor is left unused before it is tried (default 35)
  PROBE_POLL_S          how long to wait for the search index and the Event Log to see the scratch lead (default 30)

It prints a table (question, answer, evidence). The fixtures it writes hold the status, the headers that matter
and the body's shape — no ids, no lead data, never the key — and the fixture test checks the fake Close
against them (npx jest test/fakes/close-fixtures.test.ts).`;

export interface ProbeIo {
  log(line: string): void;
  error(line: string): void;
}

export interface ProbeDeps {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** The project root (fixtures paths are relative to it). */
  root: string;
}

export interface Row {
  id: string;
  ask: string;
  answer: string;
  evidence: string;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function table(rows: Row[]): string {
  const lines = ['| question | answer | evidence |', '|---|---|---|'];
  for (const r of rows)
    lines.push(`| ${cell(`${r.id}: ${r.ask}`)} | ${cell(r.answer)} | ${cell(r.evidence)} |`);
  return lines.join('\n');
}

export async function runProbe(env: NodeJS.ProcessEnv, io: ProbeIo, deps: ProbeDeps): Promise<number> {
  const key = (env.CLOSE_API_KEY ?? '').trim();
  if (!key) {
    io.log(USAGE);
    return 0;
  }
  const base = (env.CLOSE_BASE_URL ?? REAL_CLOSE).replace(/\/+$/, '');
  const live = /^https:\/\/api\.close\.com\//.test(`${base}/`);
  const out = resolve(
    deps.root,
    env.PROBE_OUT ?? (live ? 'test/fixtures/close-live' : '.cache/probe/fixtures'),
  );
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const num = (v: string | undefined, d: number) =>
    v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d;
  const redactor = new Redactor(key);
  const client = new ProbeClient(base, key, sleep);
  const ctx: Ctx = {
    client,
    redactor,
    sleep,
    now,
    cursorWaitS: num(env.PROBE_CURSOR_WAIT_S, 35),
    pollS: num(env.PROBE_POLL_S, 30),
    startedAt: now(),
    schema: {},
  };
  const recordedAt = new Date(now()).toISOString();
  const source = `recording: npm run probe against ${live ? REAL_CLOSE : base} on ${recordedAt}`;
  const rows: Row[] = [];
  const files: string[] = [];
  const save = (q: Question, rec: Recorder, answer: string) => {
    if (rec.exchanges.length === 0) return;
    const fixture: Fixture = {
      question: q.id,
      recorded: live ? 'live' : 'local',
      source,
      recordedAt,
      answer: redactor.string(answer),
      exchanges: rec.exchanges,
    };
    const text = JSON.stringify(fixture);
    if (text.includes(key)) throw new Error('refusing to write a fixture that contains the API key');
    files.push(writeFixture(out, fixture));
  };
  const ask = async (q: Question, rec = new Recorder(redactor)): Promise<Result> => {
    io.log(`… ${q.id}: ${q.ask}`);
    let result: Result;
    try {
      result = await q.run(ctx, rec);
    } catch (e) {
      if (!(e instanceof NotSupported)) throw e;
      result = { answer: 'not supported by this server', evidence: e.message };
    }
    rows.push({
      id: q.id,
      ask: q.ask,
      answer: redactor.string(result.answer),
      evidence: redactor.string(result.evidence),
    });
    if (q.id !== 'scratch-lead') save(q, rec, result.answer);
    return result;
  };

  io.log(`Asking ${base} (fixtures → ${out})`);
  const scratchRec = new Recorder(redactor);
  const scratchQ = QUESTIONS.find((q) => q.id === 'scratch-lead')!;
  let failure: unknown = null;
  try {
    for (const q of QUESTIONS) {
      await ask(q, q === scratchQ ? scratchRec : undefined);
      if (!ctx.me && q.id === 'me')
        throw new ProbeFailure('GET /me/ did not answer a user and an organization.');
    }
  } catch (e) {
    failure = e;
  } finally {
    if (ctx.scratch) {
      try {
        const deleted = await deleteScratch(ctx, scratchRec);
        const row = rows.find((r) => r.id === 'scratch-lead');
        if (row) row.answer += `; ${deleted}`;
      } catch (e) {
        io.error(
          `Could not delete the scratch lead "${ctx.scratch.name}": ${(e as Error).message}. Delete it in Close.`,
        );
      }
      save(scratchQ, scratchRec, rows.find((r) => r.id === 'scratch-lead')?.answer ?? '');
    }
  }
  if (!failure && ctx.scratch) {
    try {
      await ask(eventLog);
    } catch (e) {
      failure = e;
    }
  }
  // Close limits each endpoint group per key and, 3× higher, per organization; a 429 names which one was hit
  // (developer.close.com/api/overview/rate-limits). The probe stays under both, so it reports the limits seen.
  const groups = [...client.groups].map(([g, v]) => {
    const rl = parseRateLimit(v);
    return `${g}: limit ${rl.limit ?? '?'}`;
  });
  const types = client.throttled.map((r) => {
    const t =
      r.json && typeof r.json === 'object' && !Array.isArray(r.json) ? r.json.rate_limit_type : undefined;
    return typeof t === 'string' ? t : 'unnamed';
  });
  rows.push({
    id: 'rate-limit-groups',
    ask: 'The limit of each endpoint group asked (RateLimit); key or organization on a 429',
    answer: groups.length > 0 ? groups.join('; ') : 'no RateLimit headers',
    evidence:
      client.throttled.length > 0
        ? `${client.throttled.length} 429(s), limit type: ${[...new Set(types)].join(', ')}`
        : 'no 429 met (the probe waits when remaining reaches 1)',
  });
  if (client.throttled.length > 0) {
    const rec = new Recorder(redactor);
    for (const r of client.throttled) rec.record(`429 on ${r.method} ${r.path}`, r, { fault: 429 });
    save(
      { id: 'throttled', ask: '429s met', run: async () => ({ answer: '', evidence: '' }) },
      rec,
      `${client.throttled.length} 429s`,
    );
  }
  io.log('');
  io.log(table(rows));
  io.log('');
  io.log(
    `${client.requests} requests, ${client.throttled.length} answered 429; ${files.length} fixtures in ${out}`,
  );
  if (failure) {
    io.error(
      failure instanceof ProbeFailure
        ? failure.message
        : `The probe stopped: ${(failure as Error).stack ?? failure}`,
    );
    return 1;
  }
  return 0;
}
