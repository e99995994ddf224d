// The local preview server (`npm start`): a page with the in-memory workbook's grid, the add-on menu and
// the real dist/ sidebar, whose google.script.run calls run the real bundle in Node.
//
// Threads: this (main) thread serves the page and, unless CLOSE_API_KEY is set, the fake Close API over
// real HTTP. The bundle runs in gas-worker.ts, one call at a time; its UrlFetchApp blocks on a third
// thread (fetch-worker.ts) that does the HTTP. While a long pull blocks the bundle's thread, this thread
// stays free: it answers getSyncProgress polls from the progress the worker posts.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import {
  buildSampleOrg,
  FakeClose,
  type FakeCloseServer,
  type RateLimitRule,
  SAMPLE_API_KEY,
  startFakeCloseServer,
} from '../fake-close';
import type { GasWorkerData, UiAnswerMessage, UiQuestion, WorkerMessage, WorkerRequest } from './gas-worker';
import type { RunResult, WorkbookView } from './protocol';
import { compiledFile } from './sync-http';

export interface PreviewOptions {
  /** Port of the page (0 = any free port). Default 8787. */
  port?: number;
  host?: string;
  /** Repository root (dist/ and .preview/ are found from it). */
  root?: string;
  distDir?: string;
  /** Where the workbook is kept across restarts; null = not kept. Default <root>/.preview/workbook.json. */
  workbookFile?: string | null;
  userPropertiesFile?: string | null;
  /** Talk to the real Close API (no fake server) — the value is not used here, only its presence. */
  realClose?: boolean;
  /** Port of the fake Close server (0 = any). */
  closePort?: number;
  /** Leads in the fake organization. */
  leads?: number;
  /** Extra latency per HTTP request to Close (ms): a slow network, to watch progress. */
  closeLatencyMs?: number;
  /** Steps of pulls and pushes this long (ms) instead of 4.5 minutes: to watch a job continue. */
  stepBudgetMs?: number;
  /**
   * Whether Apps Script lets the add-on make a one-off trigger a minute ahead (undocumented). Default
   * 'allow', so the preview shows a job continuing in the background; 'refuse' shows the harsh reading.
   */
  oneOffTriggers?: 'allow' | 'refuse';
  /** The fake Close's rate limits per endpoint group (default: its usual ones). */
  closeRateLimits?: Record<string, RateLimitRule>;
  timeZone?: string;
  userEmail?: string;
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  /** The fake Close API's base URL (…/api/v1), or null with the real API. */
  closeUrl: string | null;
  /** The fake Close itself (its state can be inspected), or null with the real API. */
  fake: FakeClose | null;
  sampleApiKey: string | null;
  /** The latest view of the workbook the page shows. */
  view(): WorkbookView;
  close(): Promise<void>;
}

type Pending = { resolve: (m: Extract<WorkerMessage, { type: 'done' }>) => void; request: WorkerRequest };

const REPO_ROOT = join(__dirname, '..', '..');

function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('Request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export async function startPreview(opts: PreviewOptions = {}): Promise<PreviewServer> {
  const root = opts.root ?? REPO_ROOT;
  const distDir = opts.distDir ?? join(root, 'dist');
  const log = opts.log ?? ((line: string) => console.log(line));
  const pageDir = existsSync(join(__dirname, 'page.js')) ? __dirname : join(root, '.cache', 'preview');
  const indexHtml = join(root, 'dev', 'preview', 'page', 'index.html');
  for (const file of [join(distDir, 'Code.js'), join(distDir, 'sidebar.html')])
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  for (const file of ['page.js', 'page.css', 'shim.js', 'gas-worker.js', 'fetch-worker.js'])
    if (!existsSync(join(pageDir, file)))
      throw new Error(
        `${join(pageDir, file)} is missing: run \`node scripts/preview.mjs --compile-only\` first.`,
      );

  // ---- Close: the fake over real HTTP (this thread), or the real API
  let fake: FakeClose | null = null;
  let closeServer: FakeCloseServer | null = null;
  if (!opts.realClose) {
    fake = new FakeClose(buildSampleOrg({ leads: opts.leads }), {
      apiKeys: [SAMPLE_API_KEY],
      rateLimits: opts.closeRateLimits,
    });
    closeServer = await startFakeCloseServer(fake, opts.closePort ?? 0);
  }

  // ---- the bundle's thread
  // Ui.alert/prompt: the worker blocks until the page answers (see gas-worker.ts).
  const askSignal = new SharedArrayBuffer(4);
  const askFlag = new Int32Array(askSignal);
  const { port1: askMain, port2: askPort } = new MessageChannel();
  const workerData: GasWorkerData = {
    askSignal,
    askPort,
    distDir,
    // The real Close gets its own workbook: its leads must not mix with the fake's.
    workbookFile:
      opts.workbookFile === undefined
        ? join(root, '.preview', opts.realClose ? 'workbook-real-close.json' : 'workbook.json')
        : opts.workbookFile,
    userPropertiesFile:
      opts.userPropertiesFile === undefined
        ? opts.realClose
          ? null
          : join(root, '.preview', 'user-properties.json')
        : opts.userPropertiesFile,
    closeBaseUrl: closeServer ? closeServer.url : null,
    timeZone: opts.timeZone ?? 'America/New_York',
    userEmail: opts.userEmail ?? 'rep@example.com',
    latencyMs: opts.closeLatencyMs ?? 0,
    stepBudgetMs: opts.stepBudgetMs ?? null,
    oneOffTriggers: opts.oneOffTriggers ?? 'allow',
  };
  const worker = new Worker(compiledFile('gas-worker'), { workerData, transferList: [askPort] });
  let functions: string[] = [];
  let view: WorkbookView;
  let viewJson = '';
  let progress: unknown = null;
  const queue: Pending[] = [];
  let running: Pending | null = null;
  let nextId = 0;
  let workerError: Error | null = null;

  let question: (UiQuestion & { id: number }) | null = null;
  let nextQuestionId = 0;
  const answer = (reply: UiAnswerMessage) => {
    const asked = question;
    question = null;
    askMain.postMessage(reply);
    Atomics.store(askFlag, 0, 1);
    Atomics.notify(askFlag, 0);
    if (asked) broadcast('answered', String(asked.id));
  };

  const clients = new Set<ServerResponse>();
  const broadcast = (event: string, data: string) => {
    for (const c of clients) c.write(`event: ${event}\ndata: ${data.replace(/\n/g, '\ndata: ')}\n\n`);
  };
  const setView = (v: WorkbookView) => {
    view = v;
    viewJson = JSON.stringify(v);
    broadcast('state', String(v.version));
  };

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        functions = m.functions;
        setView(m.view);
        resolve();
      } else if (m.type === 'ask') {
        question = { ...m.question, id: ++nextQuestionId };
        // Nobody at the page: the fake's default answer (OK / YES).
        if (clients.size === 0) answer({ button: null });
        else broadcast('ask', JSON.stringify(question));
      } else if (m.type === 'progress') {
        progress = m.value;
      } else if (m.type === 'log') {
        log(m.line);
      } else if (m.type === 'done') {
        if (m.view) setView(m.view);
        for (const e of m.ui) broadcast('ui', JSON.stringify(e));
        for (const w of m.warnings) log(`warning: ${w}`);
        const done = running;
        running = null;
        done?.resolve(m);
        pump();
      }
    });
    worker.on('error', (e) => {
      workerError = e;
      log(`The Apps Script worker failed: ${e.stack ?? e.message}`);
      reject(e);
      const failed = running;
      running = null;
      failed?.resolve({
        type: 'done',
        id: failed.request.id,
        ok: false,
        message: `The preview's Apps Script worker crashed: ${e.message}`,
        name: 'Error',
        view: null,
        ui: [],
        warnings: [],
      });
    });
  });

  function pump(): void {
    if (running || workerError) return;
    const next = queue.shift();
    if (!next) return;
    running = next;
    worker.postMessage(next.request);
  }

  type Req = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
  function enqueue(request: Req): Promise<Extract<WorkerMessage, { type: 'done' }>> {
    if (workerError) return Promise.reject(workerError);
    return new Promise((resolve) => {
      queue.push({ resolve, request: { ...request, id: ++nextId } as WorkerRequest });
      pump();
    });
  }

  await ready;
  const opened = await enqueue({ type: 'open' });
  if (!opened.ok) log(`onOpen failed: ${opened.message}`);
  // Time-driven triggers (e.g. the add-on continuing a long pull in the background) fire while idle.
  const ticker = setInterval(() => {
    if (!running && queue.length === 0 && !workerError) void enqueue({ type: 'tick' });
  }, 5_000);
  ticker.unref();

  // ---- the page's server
  const shimJs = () => readFileSync(join(pageDir, 'shim.js'), 'utf8');
  const backendInfo = closeServer ? `fake Close at ${closeServer.url}` : 'real Close API';

  async function onRun(body: string): Promise<RunResult> {
    let parsed: { name?: unknown; args?: unknown };
    try {
      parsed = JSON.parse(body);
    } catch {
      return { ok: false, message: 'Bad request', name: 'Error' };
    }
    const name = String(parsed.name ?? '');
    const args = Array.isArray(parsed.args) ? parsed.args : [];
    // While a long call holds the bundle's thread, progress polls are answered from what it posted.
    if (name === 'getSyncProgress' && running) return { ok: true, value: progress };
    const done = await enqueue({ type: 'run', name, args });
    if (name === 'getSyncProgress' && done.ok) progress = done.value;
    return done.ok ? { ok: true, value: done.value } : { ok: false, message: done.message, name: done.name };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) {
      return send(res, 200, 'text/html; charset=utf-8', readFileSync(indexHtml, 'utf8'));
    }
    if (req.method === 'GET' && path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
    if (req.method === 'GET' && path === '/page.js')
      return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(join(pageDir, 'page.js')));
    if (req.method === 'GET' && path === '/page.css')
      return send(res, 200, 'text/css; charset=utf-8', readFileSync(join(pageDir, 'page.css')));
    if (req.method === 'GET' && path === '/sidebar') {
      // The real dist/sidebar.html (read on every request, so a rebuild shows on reload) with the
      // google.script.run shim placed before the add-on's own script.
      const html = readFileSync(join(distDir, 'sidebar.html'), 'utf8');
      const inject = `<script>window.__GAS_FUNCTIONS__=${scriptJson(functions)};</script><script>${shimJs()}</script>`;
      const at = html.search(/<head[^>]*>/i);
      const out = at >= 0 ? html.replace(/<head[^>]*>/i, (m) => `${m}${inject}`) : `${inject}${html}`;
      return send(res, 200, 'text/html; charset=utf-8', out);
    }
    if (req.method === 'GET' && path === '/api/state')
      return send(res, 200, 'application/json; charset=utf-8', viewJson);
    if (req.method === 'GET' && path === '/api/events') {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(`retry: 1000\nevent: info\ndata: ${backendInfo}\n\nevent: state\ndata: ${view.version}\n\n`);
      if (question) res.write(`event: ask\ndata: ${JSON.stringify(question)}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (req.method === 'POST' && path === '/api/run')
      return sendJson(res, 200, await onRun(await readBody(req)));
    if (req.method === 'POST' && path === '/api/edit') {
      const b = JSON.parse(await readBody(req)) as {
        sheet: string;
        row: number;
        column: number;
        value: unknown;
      };
      const done = await enqueue({
        type: 'edit',
        sheet: String(b.sheet),
        row: Math.floor(Number(b.row)),
        column: Math.floor(Number(b.column)),
        value: String(b.value ?? ''),
      });
      return sendJson(res, 200, { ok: done.ok, message: done.message });
    }
    if (req.method === 'POST' && path === '/api/answer') {
      const b = JSON.parse(await readBody(req)) as { id: number; button: string; text?: string };
      if (!question || question.id !== Number(b.id))
        return sendJson(res, 409, { ok: false, message: 'Not asked' });
      answer({
        button: String(b.button).toUpperCase(),
        text: b.text === undefined ? undefined : String(b.text),
      });
      return sendJson(res, 200, { ok: true });
    }
    if (req.method === 'POST' && path === '/api/menu') {
      const b = JSON.parse(await readBody(req)) as { functionName: string };
      const done = await enqueue({ type: 'menu', functionName: String(b.functionName) });
      return sendJson(res, 200, { ok: done.ok, message: done.message });
    }
    send(res, 404, 'text/plain; charset=utf-8', 'Not found');
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      log(`${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, message: e instanceof Error ? e.message : String(e) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8787, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://localhost:${port}/`,
    port,
    closeUrl: closeServer?.url ?? null,
    fake,
    sampleApiKey: fake ? SAMPLE_API_KEY : null,
    view: () => view,
    async close() {
      clearInterval(ticker);
      if (question) answer({ button: null });
      for (const c of clients) c.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.terminate();
      await closeServer?.close();
    },
  };
}
