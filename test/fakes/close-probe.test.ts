// `npm run probe` against the local fake Close (over real HTTP on a free loopback port): it answers every
// question, exits 0, writes fixtures with no key, no ids and no lead names, leaves the organization as it found
// it, and its recorded fixtures replay cleanly against a fresh fake. Without a key it prints how to run it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFixture } from '../../dev/close-probe/check';
import { readFixtures } from '../../dev/close-probe/fixture';
import { runProbe } from '../../dev/close-probe/probe';
import { eventLog, QUESTIONS } from '../../dev/close-probe/questions';
import {
  buildSampleOrg,
  FakeClose,
  type FakeCloseServer,
  SAMPLE_API_KEY,
  startFakeCloseServer,
} from '../../dev/fake-close';

const ROOT = join(__dirname, '..', '..');

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function probe(env: Record<string, string>): Promise<Run> {
  const run: Run = { code: -1, out: [], err: [] };
  run.code = await runProbe(
    env,
    { log: (l) => run.out.push(l), error: (l) => run.err.push(l) },
    { root: ROOT, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) },
  );
  return run;
}

describe('against the local fake Close', () => {
  let fake: FakeClose;
  let server: FakeCloseServer;
  let dir: string;
  let run: Run;
  let before: string;

  beforeAll(async () => {
    // The search index lags a PUT by 0.3 s here (real time: the server's clock is the wall clock), so the
    // probe sees it catch up within its 1-second poll.
    fake = new FakeClose(buildSampleOrg(), { apiKeys: [SAMPLE_API_KEY], searchIndexLagMs: 300 });
    before = JSON.stringify([...fake.leads.values()]);
    server = await startFakeCloseServer(fake, 0);
    dir = mkdtempSync(join(tmpdir(), 'close-probe-'));
    run = await probe({
      CLOSE_API_KEY: SAMPLE_API_KEY,
      CLOSE_BASE_URL: server.url,
      PROBE_OUT: dir,
      PROBE_CURSOR_WAIT_S: '0.2',
      PROBE_POLL_S: '1',
    });
    // The whole probe runs here over HTTP (about 5 s alone): on a loaded machine it outlasts Jest's
    // default 5 s for a hook.
  }, 60_000);

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('exits 0 and prints a table with an answer for every question', () => {
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const table = run.out.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('| '));
    expect(table[0]).toBe('| question | answer | evidence |');
    const rows = table.slice(1).map((l) => l.split(' | '));
    expect(rows.map((r) => r[0].slice(2).split(':')[0])).toEqual([
      ...[...QUESTIONS, eventLog].map((q) => q.id),
      'rate-limit-groups',
    ]);
    for (const r of rows) expect(r[1].trim().length).toBeGreaterThan(0);
    const answer = (id: string) => rows.find((r) => r[0].startsWith(`| ${id}:`))![1];
    expect(answer('skip-cap')).toMatch(new RegExp(`^max _skip = ${fake.maxSkip}; past it: 400 "`));
    expect(answer('lead-limit-max')).toMatch(/^200; past it: 400 "/);
    expect(answer('total-results')).toBe('without query=: no; with query=: yes');
    // The fake compares `date_created >=` at the minute (Stitch's tap: "precision to the minute"), the
    // harsher reading, so the probe finds the bound truncated.
    expect(answer('date-window')).toBe(
      'precision: coarser than 1 ms (bound truncated); offsets: honoured; sort:created ascending: yes',
    );
    expect(answer('multi-add')).toMatch(/^\.add one value → \[choice 0, choice 1\]; /);
    // The fake takes the harsher reading for contacts: subsets are announced for leads only.
    expect(answer('related-field-subsets')).toBe(
      'contact: dropped (the subset key is not recognised); opportunity: not answered: no opportunity custom field',
    );
    // The conflict check's batched read: the fake honours the id filter and the fields, and its index
    // shows a PUT only after the lag.
    expect(answer('batched-read')).toMatch(
      /^filter: honoured \(only the lead named\); _fields: honoured; a PUT shown after 0\.\d s \(\d+ searches\)$/,
    );
    expect(answer('smart-view-walk')).toMatch(/cursor works; .*cursor after 0\.2 s: still works$/);
    expect(answer('cursor-walk-cap')).toBe('not answered: 301 leads (needs more than 10,000)');
    // The fake's Event Log (dev/fake-close/events.ts) lists the scratch lead's updates and deletion.
    expect(answer('event-log')).toBe(
      'updates: 5 event(s) for the scratch lead, changed_fields [description, custom.{cf:lead-multi}]; deletion: listed',
    );
    expect(answer('rate-limit-header')).toBe('RateLimit: limit=N, remaining=N, reset=N (separator ",")');
    expect(answer('rate-limit-groups')).toMatch(
      /^GET \/me\/: limit 160; GET \/lead\/: limit 320; .*POST \/data\/search\/: limit 16/,
    );
    expect(answer('rate-limit-groups')).toContain('PUT /lead/{id}/: limit 160');
    expect(answer('rate-limit-groups')).toContain('GET /saved_search/: limit 160');
  });

  test('writes one fixture per answered question, with no key, no ids and no lead names', () => {
    const files = readFixtures(dir);
    expect(files.map((f) => f.fixture.question)).toEqual([...QUESTIONS.map((q) => q.id), 'event-log'].sort());
    const names = [...fake.leads.values()]
      .flatMap((l) => [l.name, l.display_name, ...l.contacts.map((c) => c.name)])
      .filter((n): n is string => typeof n === 'string' && n.length >= 4);
    expect(names.length).toBeGreaterThan(500);
    for (const { file, fixture } of files) {
      const text = readFileSync(file, 'utf8');
      expect(fixture.recorded).toBe('local');
      expect(text).not.toContain(SAMPLE_API_KEY);
      expect(text).not.toMatch(/\b(lead|cont|oppo|user|orga|stat|cf|save)_[A-Za-z0-9]{20,}/);
      expect(text).not.toMatch(/Close Sync probe \d/);
      expect(names.filter((n) => text.includes(n))).toEqual([]);
    }
  });

  test('deletes its scratch lead and touches nothing else', () => {
    expect(JSON.stringify([...fake.leads.values()])).toBe(before);
  });

  test('its fixtures replay cleanly against a fresh fake (the format the fixture test reads)', () => {
    for (const { fixture } of readFixtures(dir))
      expect(
        checkFixture(
          fixture,
          // A replay sends its requests back to back: no search index lag (a timing, not a shape).
          new FakeClose(buildSampleOrg(), { apiKeys: [SAMPLE_API_KEY], searchIndexLagMs: 0 }),
          SAMPLE_API_KEY,
        ),
      ).toEqual([]);
  });
});

test('a key Close rejects: says what to do, exits 1', async () => {
  const fake = new FakeClose(buildSampleOrg({ leads: 3 }), { apiKeys: [SAMPLE_API_KEY] });
  const server = await startFakeCloseServer(fake, 0);
  const dir = mkdtempSync(join(tmpdir(), 'close-probe-'));
  try {
    const run = await probe({ CLOSE_API_KEY: 'api_wrong', CLOSE_BASE_URL: server.url, PROBE_OUT: dir });
    expect(run.code).toBe(1);
    expect(run.err[0]).toMatch(/^Close rejected CLOSE_API_KEY \(401: The server could not verify/);
    expect(run.err[0]).toContain('Close → Settings → Developer → API Keys');
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreachable server: says what to check, exits 1', async () => {
  const run = await probe({
    CLOSE_API_KEY: SAMPLE_API_KEY,
    CLOSE_BASE_URL: 'http://127.0.0.1:9/api/v1',
    PROBE_OUT: tmpdir(),
  });
  expect(run.code).toBe(1);
  expect(run.err[0]).toMatch(
    /^Could not reach http:\/\/127\.0\.0\.1:9\/api\/v1 \(.+\)\. Check the network, or CLOSE_BASE_URL/,
  );
});

test('npm run probe without a key prints how to run it and exits 0', () => {
  const env = { ...process.env };
  delete env.CLOSE_API_KEY;
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts/probe.mjs')], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  expect(res.status).toBe(0);
  expect(res.stdout).toContain('CLOSE_API_KEY=api_… npm run probe');
  expect(res.stdout).toContain('PROBE_CURSOR_WAIT_S');
});
