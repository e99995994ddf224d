// google.script.run for the preview: injected into dist/sidebar.html before the add-on's own script.
// It behaves like the real client library where the add-on could notice the difference:
// - each withSuccessHandler / withFailureHandler / withUserObject returns a NEW runner (immutable chain);
// - only the bundle's callable global functions exist on the runner (names ending in "_" are private);
// - arguments must be primitives, null, arrays and plain objects: a Date, function or DOM node fails the
//   call ("Failed due to illegal value in property: …"), and everything is JSON round-tripped, so the
//   server gets copies;
// - handlers always run asynchronously, with (value, userObject) / (error, userObject);
// - a call without a failure handler logs the error to the console.
// Calls are POSTed to the preview server, which runs them in the bundle's thread.

type Handler = ((value: unknown, userObject: unknown) => void) | null;

interface ShimWindow extends Window {
  __GAS_FUNCTIONS__?: string[];
  google?: unknown;
}

const w = window as ShimWindow;
const functionNames = (w.__GAS_FUNCTIONS__ ?? []).filter((n) => !n.endsWith('_'));

function illegal(value: unknown, path: string, seen: Set<unknown>): string | null {
  if (value === null || value === undefined) return null;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean') return null;
  if (t !== 'object') return path;
  if (seen.has(value)) return path;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return path;
  seen.add(value);
  for (const [k, v] of Object.entries(value as object)) {
    const bad = illegal(v, path === '' ? k : `${path}.${k}`, seen);
    if (bad !== null) return bad;
  }
  seen.delete(value);
  return null;
}

function later(fn: () => void): void {
  setTimeout(fn, 0);
}

function fail(failure: Handler, userObject: unknown, error: Error): void {
  later(() => {
    if (failure) failure(error, userObject);
    else console.error(error);
  });
}

function invoke(
  name: string,
  args: unknown[],
  success: Handler,
  failure: Handler,
  userObject: unknown,
): void {
  for (let i = 0; i < args.length; i++) {
    const bad = illegal(args[i], String(i), new Set());
    if (bad !== null) {
      fail(failure, userObject, new Error(`Failed due to illegal value in property: ${bad}`));
      return;
    }
  }
  const body = JSON.stringify({ name, args: args.map((a) => (a === undefined ? null : a)) });
  fetch('/api/run', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    .then((res) => res.json() as Promise<{ ok: boolean; value?: unknown; message?: string; name?: string }>)
    .then(
      (result) => {
        if (result.ok) {
          later(() => {
            if (success) success(result.value === undefined ? undefined : result.value, userObject);
          });
        } else {
          const error = new Error(result.message ?? 'Unknown error');
          error.name = result.name ?? 'ScriptError';
          fail(failure, userObject, error);
        }
      },
      () => fail(failure, userObject, new Error('NetworkError: Connection failure due to HTTP 0')),
    );
}

interface Runner {
  withSuccessHandler(fn: Handler): Runner;
  withFailureHandler(fn: Handler): Runner;
  withUserObject(o: unknown): Runner;
  [name: string]: unknown;
}

function runner(success: Handler, failure: Handler, userObject: unknown): Runner {
  const r: Runner = {
    withSuccessHandler: (fn) => runner(fn, failure, userObject),
    withFailureHandler: (fn) => runner(success, fn, userObject),
    withUserObject: (o) => runner(success, failure, o),
  };
  for (const name of functionNames) {
    r[name] = (...args: unknown[]) => {
      invoke(name, args, success, failure, userObject);
    };
  }
  return r;
}

w.google = {
  script: {
    run: runner(null, null, undefined),
    host: {
      origin: location.origin,
      close: () => window.parent.postMessage({ type: 'close-sidebar' }, '*'),
      setHeight: () => undefined,
      setWidth: () => undefined,
      editor: { focus: () => undefined },
    },
    url: {
      getLocation: (cb: (l: unknown) => void) => later(() => cb({ hash: '', parameter: {}, parameters: {} })),
    },
  },
};
