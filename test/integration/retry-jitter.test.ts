// The retry backoff's jitter comes from the Random port: the Apps Script shell passes Math.random, which
// the fake runtime seeds (dev/gas-fakes/runtime.ts loadBundle), so a test that meets a server error sees
// the same waits every run — and another seed, as another execution in production would, other waits.
import { VirtualClock } from '../../dev/gas-fakes';
import { buildBulkOrg } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { edit } from './sheet';

/**
 * A pulled sheet with one edit whose PUT Close answers with a 503 three times (a server error: the
 * official client retries 503s, shared/reference/close-api.md §4) before taking it. Returns the clock
 * time of each attempt, relative to the first.
 */
function attempts(randomSeed?: number): number[] {
  const clock = new VirtualClock();
  const times: number[] = [];
  let failures = 3;
  const w = connectedWorld({
    org: buildBulkOrg({ leads: 3, customFields: 1 }),
    gas: { clock, ...(randomSeed === undefined ? {} : { randomSeed }) },
    intercept: (req) => {
      if (req.method !== 'PUT') return undefined;
      times.push(clock.now());
      return failures-- > 0 ? { status: 503, headers: {}, body: '' } : undefined;
    },
  });
  w.app.pullLeads({});
  const [id] = w.close.leads.keys();
  edit(w, id, 'Name', 'Renamed');
  expect(w.app.pushChanges({})).toMatchObject({ done: true, updated: 1, failed: 0 });
  expect(w.close.leads.get(id)!.name).toBe('Renamed');
  return times.map((t) => t - times[0]);
}

test('a PUT retried after 503s waits the same jittered backoffs in every run; another seed waits others', () => {
  // Each retry goes one wave's latency (250 ms) plus its backoff after the last: 1 s, 2 s, 4 s, each
  // scaled by 0.5 + the bundle's next Math.random (0.991, 0.969, 0.284: job and execution ids draw the
  // numbers before), whole milliseconds (Utilities.sleep takes an integer).
  const first = attempts();
  expect(first).toEqual(attempts());
  expect(first).toEqual([0, 1741, 4928, 8312]);
  const other = attempts(2);
  expect(other).toHaveLength(4);
  expect(other).not.toEqual(first);
});
