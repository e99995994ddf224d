// org.ts fetchMe: GET /me/ through CloseClient.request, whose error handling it shares — Close's refusal
// is the same CloseApiError with or without a step's deadline — and, with a deadline, a GET /me/ Close
// makes wait past it ends the step (SchemaNotInTime) instead of being waited for.
import { CloseClient } from '../../src/core/close/client';
import { CloseApiError } from '../../src/core/close/errors';
import { fetchMe, SchemaNotInTime } from '../../src/core/close/org';
import type { Clock, Http, HttpResponse } from '../../src/core/ports';

class TestClock implements Clock {
  t = 0;
  now() {
    return this.t;
  }
  sleep(ms: number) {
    this.t += ms;
  }
}

/** Answers GET /me/ with `answers` in turn, and counts what was sent. */
function client(...answers: HttpResponse[]) {
  const clock = new TestClock();
  const sent: string[] = [];
  const http: Http = {
    fetchAll: (requests) =>
      requests.map((r) => {
        sent.push(r.url);
        return answers.shift()!;
      }),
  };
  return { clock, sent, client: new CloseClient(http, clock, 'api_abc', { random: () => 0.5 }) };
}

const refused: HttpResponse = {
  status: 403,
  headers: {},
  body: JSON.stringify({ error: 'This API key has been revoked.' }),
};
const me = { id: 'user_1', email: 'rep@example.com', first_name: 'Rep', last_name: '', organizations: [] };
const ok: HttpResponse = { status: 200, headers: {}, body: JSON.stringify(me) };

test("Close's refusal is the same error with or without a step's deadline", () => {
  const errors = [undefined, { stopAt: 60_000 }].map((by) => {
    try {
      fetchMe(client(refused).client, by);
      return null;
    } catch (e) {
      return e;
    }
  });
  expect(errors[0]).toBeInstanceOf(CloseApiError);
  expect(errors[1]).toBeInstanceOf(CloseApiError);
  expect(errors.map((e) => [(e as CloseApiError).status, (e as Error).message])).toEqual([
    [403, 'This API key has been revoked.'],
    [403, 'This API key has been revoked.'],
  ]);
});

test('a GET /me/ Close makes wait past the step ends it; without a deadline it is waited for', () => {
  // The first GET /me/ spends the window: Close says none is left for 30 s.
  const spent: HttpResponse = { ...ok, headers: { ratelimit: 'limit=1, remaining=0, reset=30' } };
  const step = client(spent, ok);
  fetchMe(step.client);
  expect(() => fetchMe(step.client, { stopAt: 10_000 })).toThrow(
    new SchemaNotInTime('who the key belongs to'),
  );
  expect([step.sent.length, step.clock.t]).toEqual([1, 0]);
  expect(fetchMe(step.client)).toEqual(me);
  expect(step.sent.length).toBe(2);
  // It waited for the window's reset.
  expect(step.clock.t).toBe(30_000);
});
