// startFakeCloseServer: the fake over real HTTP (node:http on 127.0.0.1) for the local preview. Paths are the
// real host's (/api/v1/...). A fault that makes handle() throw resets the connection, like a network failure.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { FakeClose } from './fake-close';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export interface FakeCloseServer {
  port: number;
  /** Base URL of the API, e.g. http://127.0.0.1:4010/api/v1 */
  url: string;
  close(): Promise<void>;
}

export function startFakeCloseServer(fake: FakeClose, port = 0): Promise<FakeCloseServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => {
        const address = server.address();
        const actualPort = typeof address === 'object' && address ? address.port : port;
        let out: ReturnType<FakeClose['handle']>;
        try {
          out = fake.handle({
            method: (req.method ?? 'GET').toUpperCase(),
            url: `http://127.0.0.1:${actualPort}${req.url ?? '/'}`,
            headers: headerRecord(req),
            body,
          });
        } catch {
          req.socket.destroy();
          return;
        }
        res.writeHead(out.status, { ...out.headers, 'Content-Length': Buffer.byteLength(out.body) });
        res.end(out.body);
      })
      .catch(() => req.socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        port: actual,
        url: `http://127.0.0.1:${actual}/api/v1`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((err) => (err ? fail(err) : done()));
          }),
      });
    });
  });
}
