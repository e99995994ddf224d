// The sidebar's google.script.run wrapper: a small in-flight limit, arguments checked before they leave,
// failures as Errors with the server's message.
import { assertTransferable, call, MAX_IN_FLIGHT, pendingCalls } from '../../src/ui/server-calls';

type Handler = (v: unknown) => void;

interface Call {
  name: string;
  args: unknown[];
  ok: Handler;
  fail: Handler;
}

const calls: Call[] = [];

function fakeRunner(ok: Handler = () => undefined, fail: Handler = () => undefined): Record<string, unknown> {
  const r: Record<string, unknown> = {
    withSuccessHandler: (h: Handler) => fakeRunner(h, fail),
    withFailureHandler: (h: Handler) => fakeRunner(ok, h),
  };
  for (const name of ['getConnection', 'previewChanges', 'pullLeads', 'getSyncProgress'])
    r[name] = (...args: unknown[]) => calls.push({ name, args, ok, fail });
  return r;
}

beforeEach(() => {
  calls.length = 0;
  (globalThis as { google?: unknown }).google = { script: { run: fakeRunner() } };
});

afterAll(() => {
  delete (globalThis as { google?: unknown }).google;
});

const tick = () => new Promise((r) => setTimeout(r, 0));

test(`at most ${MAX_IN_FLIGHT} calls are in flight; the rest wait their turn`, async () => {
  const results = Array.from({ length: 5 }, () => call('getConnection'));
  await tick();
  expect(calls.length).toBe(MAX_IN_FLIGHT);
  expect(pendingCalls()).toEqual({ inFlight: MAX_IN_FLIGHT, waiting: 5 - MAX_IN_FLIGHT });
  calls[0].ok({ connected: false });
  await tick();
  expect(calls.length).toBe(MAX_IN_FLIGHT + 1);
  for (let i = 1; i < 5; i++) {
    await tick();
    calls[i]?.ok({ connected: true, user: String(i) });
  }
  await expect(Promise.all(results)).resolves.toHaveLength(5);
  expect(pendingCalls()).toEqual({ inFlight: 0, waiting: 0 });
});

test('a failure rejects with an Error carrying the server message', async () => {
  const p = call('previewChanges', {});
  await tick();
  calls[0].fail(new Error('Connect your Close account first: open the sidebar and paste your API key.'));
  await expect(p).rejects.toThrow('Connect your Close account first');
});

test('a permission Apps Script refused is explained: what is missing and what to do', async () => {
  const p = call('getConnection');
  await tick();
  calls[0].fail({
    name: 'Exception',
    message:
      'You do not have permission to call Session.getActiveUser. Required permissions: https://www.googleapis.com/auth/userinfo.email',
  });
  await expect(p).rejects.toThrow(
    'Close Sync needs your permission to see your email address (to show who started a sync or set a schedule). Reload the spreadsheet, open Extensions → Close Sync and allow it when Google asks. (Session.getActiveUser needs userinfo.email.)',
  );
});

test('arguments that cannot cross google.script.run are refused before sending', async () => {
  expect(() => assertTransferable({ discardEdits: true, list: [1, 'a', null] })).not.toThrow();
  expect(() => assertTransferable(new Date())).toThrow('is a Date');
  expect(() => assertTransferable({ when: new Date() })).toThrow('argument.when is a Date');
  expect(() => assertTransferable(() => 1)).toThrow('is a function');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(() => assertTransferable(cyclic)).toThrow('refers to itself');
  await expect(call('pullLeads', { when: new Date() } as never)).rejects.toThrow('is a Date');
  expect(calls).toHaveLength(0);
});

test('outside Apps Script the call fails with a clear message', async () => {
  delete (globalThis as { google?: unknown }).google;
  await expect(call('getConnection')).rejects.toThrow('opened from the Close Sync menu');
});
