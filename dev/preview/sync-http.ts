// Synchronous HTTP for the bundle's thread, the way UrlFetchApp is synchronous.
//
// The thread that runs the Apps Script bundle cannot await. It posts the batch to a helper worker over a
// MessagePort and blocks in Atomics.wait on a SharedArrayBuffer. The helper (fetch-worker.ts) performs
// the requests with fetch() on its own event loop, posts the answers back on the port, then stores the
// batch id into the shared Int32Array and notifies. The blocked thread wakes and takes the answer off
// the port synchronously with receiveMessageOnPort. Nothing in the bundle's thread ever needs its event
// loop, and the servers it talks to (the fake Close on the preview's main thread, or api.close.com)
// run elsewhere, so a blocking request cannot deadlock.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface BridgeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects?: boolean;
}

export type BridgeResponse =
  | { status: number; headers: Record<string, string>; body: string; error?: undefined }
  | { status: 0; error: string; headers?: undefined; body?: undefined };

export interface SyncHttp {
  /** Sends the requests concurrently and blocks until every one has an answer (or failed). */
  fetchAll(requests: BridgeRequest[]): BridgeResponse[];
  close(): Promise<void>;
}

/** Where the compiled helper worker lives (next to this file once compiled into .cache/preview). */
export function compiledFile(name: string): string {
  const here = join(__dirname, `${name}.js`);
  if (existsSync(here)) return here;
  return join(__dirname, '..', '..', '.cache', 'preview', `${name}.js`);
}

export function createSyncHttp(opts: { timeoutMs?: number; delayMs?: number } = {}): SyncHttp {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const delayMs = opts.delayMs ?? 0;
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(compiledFile('fetch-worker'), {
    workerData: { signal, port: port2, timeoutMs, delayMs },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  let nextId = 0;

  return {
    fetchAll(requests) {
      if (requests.length === 0) return [];
      const id = ++nextId;
      port1.postMessage({ id, requests });
      const deadline = Date.now() + timeoutMs + delayMs + 5_000;
      for (;;) {
        const seen = Atomics.load(flag, 0);
        if (seen === id) break;
        const left = deadline - Date.now();
        if (left <= 0) return requests.map((r) => ({ status: 0 as const, error: `Timeout: ${r.url}` }));
        Atomics.wait(flag, 0, seen, Math.min(left, 1_000));
      }
      // The answer was posted before the flag was set, so it is already queued on the port.
      for (;;) {
        const received = receiveMessageOnPort(port1);
        if (!received) throw new Error('sync-http: woken without an answer on the port');
        const message = received.message as { id: number; responses: BridgeResponse[] };
        if (message.id === id) return message.responses;
      }
    },
    async close() {
      port1.close();
      await worker.terminate();
    },
  };
}
