// The core's Http port answered by the fake Close in-process, as UrlFetchApp would (lower-case header
// names): unit tests of the pagers, the client and the push drive the core without the bundle.
import type { FakeClose } from '../../dev/fake-close';
import type { Http, HttpRequest } from '../../src/core/ports';

export function fakeCloseHttp(close: FakeClose, beforeEach?: (req: HttpRequest) => void): Http {
  return {
    fetchAll: (requests) =>
      requests.map((r) => {
        beforeEach?.(r);
        const res = close.handle({
          method: r.method.toUpperCase(),
          url: r.url,
          headers: r.headers,
          body: r.body ?? '',
        });
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v]));
        return { status: res.status, headers, body: res.body };
      }),
  };
}
