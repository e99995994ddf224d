// The far side of the synchronous HTTP bridge (see sync-http.ts). It runs in its own thread with a
// free event loop, performs each batch of requests concurrently with fetch(), posts the answers on the
// shared MessagePort and then wakes the waiting thread through the shared Int32Array.
import { type MessagePort, workerData } from 'node:worker_threads';
import type { BridgeRequest, BridgeResponse } from './sync-http';

interface Init {
  signal: SharedArrayBuffer;
  port: MessagePort;
  timeoutMs: number;
  /** Added before every request: a slow network, to watch progress in the preview. */
  delayMs: number;
}

const { signal, port, timeoutMs, delayMs } = workerData as Init;
const flag = new Int32Array(signal);

async function perform(request: BridgeRequest): Promise<BridgeResponse> {
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  try {
    const res = await fetch(request.url, {
      method: request.method.toUpperCase(),
      headers: request.headers,
      body: request.body === undefined || request.method.toLowerCase() === 'get' ? undefined : request.body,
      redirect: request.followRedirects === false ? 'manual' : 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: res.status, headers, body: await res.text() };
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return {
      status: 0,
      error: timedOut ? `Timeout: ${request.url}` : `Address unavailable: ${request.url} (${reason})`,
    };
  }
}

port.on('message', (message: { id: number; requests: BridgeRequest[] }) => {
  void Promise.all(message.requests.map(perform)).then((responses) => {
    port.postMessage({ id: message.id, responses });
    Atomics.store(flag, 0, message.id);
    Atomics.notify(flag, 0);
  });
});
