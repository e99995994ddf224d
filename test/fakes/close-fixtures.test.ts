// The fake Close must answer like Close: every fixture — Close's documented samples (test/fixtures/close-docs)
// and the answers `npm run probe` recorded from api.close.com (test/fixtures/close-live, `recorded: "live"`) —
// is replayed against a fresh fake, which must send the same status, the same headers (format), the same keys
// with the same types, and, where marked exact, the same error text.

import { join } from 'node:path';
import { checkFixture } from '../../dev/close-probe/check';
import { type Fixture, readFixtures } from '../../dev/close-probe/fixture';
import {
  buildSampleOrg,
  FakeClose,
  type FakeRequest,
  type FakeResponse,
  SAMPLE_API_KEY,
} from '../../dev/fake-close';

const ROOT = join(__dirname, '..', '..');
const docs = readFixtures(join(ROOT, 'test/fixtures/close-docs'));
const live = readFixtures(join(ROOT, 'test/fixtures/close-live')).filter(
  (f) => f.fixture.recorded === 'live',
);
const all = [...docs, ...live];

/**
 * A replay sends a fixture's requests back to back, where the recording waited (e.g. for Close's search
 * index to show a PUT, question batched-read): the fake's index lag is a timing, not a shape, so it is off.
 */
function freshFake(): FakeClose {
  return new FakeClose(buildSampleOrg(), { apiKeys: [SAMPLE_API_KEY], searchIndexLagMs: 0 });
}

/** A fake whose every answer passes through `mutate` — a fake that drifted from Close. */
function driftedFake(mutate: (res: FakeResponse, req: FakeRequest) => FakeResponse): FakeClose {
  const fake = freshFake();
  const handle = fake.handle.bind(fake);
  fake.handle = (req) => mutate(handle(req), req);
  return fake;
}

function fixture(name: string): Fixture {
  const hit = docs.find((f) => f.fixture.question === name);
  if (!hit) throw new Error(`no docs fixture ${name}`);
  return hit.fixture;
}

function editBody(res: FakeResponse, edit: (body: Record<string, unknown>) => void): FakeResponse {
  const body = JSON.parse(res.body) as Record<string, unknown>;
  edit(body);
  return { ...res, body: JSON.stringify(body) };
}

test('the documented samples are all there, each with its source', () => {
  expect(docs.map((f) => f.fixture.question)).toEqual([
    'custom-field-schema',
    'data-search-ids',
    'data-search',
    'error-400-validation',
    'error-401',
    'error-404-lead',
    'get-me',
    'list-leads',
    'rate-limit-429',
  ]);
  for (const { fixture: f } of all) {
    expect(f.source).toMatch(
      /(https:\/\/developer\.close\.com\/|Recorded from Close|recording: npm run probe)/,
    );
    expect(f.exchanges.length).toBeGreaterThan(0);
  }
});

describe.each(all.map(({ file, fixture: f }) => [file.slice(ROOT.length + 1), f] as const))(
  '%s',
  (_file, f) => {
    test(`the fake answers like Close (${f.recorded})`, () => {
      expect(checkFixture(f, freshFake(), SAMPLE_API_KEY)).toEqual([]);
    });
  },
);

describe('the check fails when the fake drifts', () => {
  test('a dropped key and a changed type', () => {
    const dropped = driftedFake((res, req) =>
      req.method === 'GET' && new URL(req.url).pathname === '/api/v1/lead/'
        ? editBody(res, (b) => {
            delete b.has_more;
          })
        : res,
    );
    expect(checkFixture(fixture('list-leads'), dropped, SAMPLE_API_KEY)).toEqual([
      'GET /lead/ (list leads (the docs sample)): has_more: Close sends this key, the fake does not',
    ]);
    const retyped = driftedFake((res, req) =>
      new URL(req.url).pathname.startsWith('/api/v1/custom_field_schema/')
        ? editBody(res, (b) => {
            for (const f of b.fields as Array<Record<string, unknown>>) f.accepts_multiple_values = 'no';
          })
        : res,
    );
    expect(checkFixture(fixture('custom-field-schema'), retyped, SAMPLE_API_KEY)).toEqual([
      'GET /custom_field_schema/lead/ (the lead schema (the docs sample)): fields[].accepts_multiple_values: ' +
        'Close sends boolean, the fake sends string',
    ]);
  });

  test('a header in another format, and another error text', () => {
    const semicolons = driftedFake((res) =>
      res.status === 429
        ? { ...res, headers: { ...res.headers, RateLimit: 'limit=100; remaining=0; reset=1' } }
        : res,
    );
    expect(checkFixture(fixture('rate-limit-429'), semicolons, SAMPLE_API_KEY)).toEqual([
      'GET /lead/lead_abcdefghijklmnop/ (throttled (the fake is made to answer 429)): header ratelimit is ' +
        '"limit=100, remaining=0, reset=1" in the fixture, "limit=100; remaining=0; reset=1" from the fake (format differs)',
    ]);
    const reworded = driftedFake((res) =>
      res.status === 404 ? { ...res, body: JSON.stringify({ error: 'Lead not found.' }) } : res,
    );
    expect(checkFixture(fixture('error-404-lead'), reworded, SAMPLE_API_KEY)).toEqual([
      'GET /lead/wibble/ (a lead id that does not exist): body {"error":"Empty query: Lead matching query does ' +
        'not exist."} in the fixture, {"error":"Lead not found."} from the fake',
    ]);
  });

  test('a recorded answer (live) also holds the fake to Close’s keys and headers, not only the other way', () => {
    const recorded: Fixture = {
      question: 'me',
      recorded: 'live',
      source: 'recording: a test double of a live recording',
      exchanges: [
        {
          label: 'the key owner',
          request: { method: 'GET', path: '/me/' },
          response: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            shape: { types: 'object', keys: { id: 'string', email: 'string' } },
          },
        },
      ],
    };
    const diffs = checkFixture(recorded, freshFake(), SAMPLE_API_KEY);
    expect(diffs).toContain('GET /me/ (the key owner): the fake sends header ratelimit, Close did not');
    expect(diffs).toContain('GET /me/ (the key owner): first_name: the fake sends this key, Close does not');
  });

  test('a placeholder the fake org cannot bind is reported, not skipped', () => {
    const recorded: Fixture = {
      question: 'opportunity-subset',
      recorded: 'live',
      source: 'recording: a test double of a live recording',
      exchanges: [
        {
          label: 'one opportunity',
          request: {
            method: 'GET',
            path: '/opportunity/{opportunity:with-value}/',
            query: { _fields: 'id,custom.{cf:opportunity}' },
          },
          response: { status: 200, headers: {}, shape: { types: 'object', keys: { id: 'string' } } },
        },
      ],
    };
    expect(checkFixture(recorded, freshFake(), SAMPLE_API_KEY)).toEqual([
      'GET /opportunity/{opportunity:with-value}/ (one opportunity): the fake org cannot supply ' +
        '{opportunity:with-value}, {cf:opportunity}',
    ]);
  });
});
