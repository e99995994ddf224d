// Shared by the preview and browser tests: builds what they need (once, even with parallel Jest
// workers), launches Debian's Chromium, and starts the preview server.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';
import { type PreviewOptions, type PreviewServer, startPreview } from '../../dev/preview/server';

export const ROOT = join(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

function mtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function withLock<T>(run: () => T): T {
  const lock = join(ROOT, '.cache', 'test-build.lock');
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than a minute belongs to a run that died.
      if (Date.now() - mtime(lock) > 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    return run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds dist/ and compiles the preview into .cache/preview when their sources are newer. */
export function ensureBuilt(): void {
  withLock(() => {
    const sources = Math.max(newest(join(ROOT, 'src')), mtime(join(ROOT, 'scripts', 'build.mjs')));
    const dist = Math.min(mtime(join(ROOT, 'dist', 'Code.js')), mtime(join(ROOT, 'dist', 'sidebar.html')));
    if (dist < sources) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    const previewSources = Math.max(
      newest(join(ROOT, 'dev')),
      newest(join(ROOT, 'src')),
      mtime(join(ROOT, 'scripts', 'preview.mjs')),
    );
    const compiled = ['server.js', 'gas-worker.js', 'fetch-worker.js', 'page.js', 'page.css', 'shim.js']
      .map((f) => mtime(join(ROOT, '.cache', 'preview', f)))
      .reduce((a, b) => Math.min(a, b));
    if (compiled < previewSources)
      execFileSync(process.execPath, ['scripts/preview.mjs', '--compile-only'], { cwd: ROOT, stdio: 'pipe' });
  });
}

/** A preview on a free port whose workbook lives in a temporary folder. */
export async function startTestPreview(
  opts: PreviewOptions = {},
): Promise<PreviewServer & { dir: string; logs: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'close-sync-preview-'));
  const logs: string[] = [];
  const preview = await startPreview({
    port: 0,
    workbookFile: join(dir, 'workbook.json'),
    userPropertiesFile: join(dir, 'user-properties.json'),
    log: (line) => logs.push(line),
    ...opts,
  });
  return Object.assign(preview, { dir, logs });
}

/** Debian's Chromium, headless. Fails (never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}. The browser tests need it: run \`apt-get update && apt-get install -y chromium\` (CI's .ci/run does), or set CHROMIUM_PATH.`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Opened {
  page: Page;
  sidebar: FrameLocator;
  errors: string[];
  dialogs: string[];
}

/** Opens the preview page; records page errors and JavaScript dialogs (an XSS would open one). */
export async function openPreview(browser: Browser, url: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  return { page, sidebar: page.frameLocator('#sidebar-frame'), errors, dialogs };
}

/** Types a value into a grid cell the way a person does: double-click, type, Enter. */
export async function editCell(page: Page, a1: string, value: string): Promise<void> {
  const before = Number(await page.locator('body').getAttribute('data-version'));
  await page.locator(`td[data-cell="${a1}"]`).dblclick();
  const editor = page.locator('#cell-editor');
  await editor.fill(value);
  await editor.press('Enter');
  // The page shows the server's view once the edit went through.
  await page.waitForFunction((v) => Number(document.body.dataset.version) > v, before);
}

/** The sidebar's frame in the preview page, for checks that need its document (focus, layout). */
export function frameOf(opened: Opened) {
  const frame = opened.page.frame({ url: /\/sidebar/ });
  if (!frame) throw new Error('no sidebar frame');
  return frame;
}

/**
 * Every text an element of the sidebar shows from now on, in order, kept in the sidebar's window: a
 * status line's notes last only until the next one replaces them (a step's note until the next progress
 * poll, a progress note until the summary), so a check made after the fact may come too late to see
 * one. Returns a wait for a text matching `pattern` among all it has shown.
 */
export async function watchTexts(
  opened: Opened,
  id: string,
): Promise<(pattern: RegExp, timeout?: number) => Promise<void>> {
  const frame = frameOf(opened);
  await frame.evaluate((elementId) => {
    const w = window as unknown as { texts?: Record<string, string[]> };
    const texts: string[] = [];
    w.texts = { ...w.texts, [elementId]: texts };
    const box = document.getElementById(elementId);
    if (!box) throw new Error(`no #${elementId}`);
    new MutationObserver(() => texts.push(box.textContent ?? '')).observe(box, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  }, id);
  return async (pattern, timeout = 20_000) => {
    await frame.waitForFunction(
      ([elementId, source, flags]) =>
        (window as unknown as { texts: Record<string, string[]> }).texts[elementId].some((t) =>
          new RegExp(source, flags).test(t),
        ),
      [id, pattern.source, pattern.flags] as const,
      { timeout },
    );
  };
}

/** A sheet of the preview's workbook read by header: column letters, a lead's row by Name, cells. */
export function sheetInfoOf(preview: PreviewServer, name: string) {
  const sheet = preview.view().sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const header = sheet.values[0];
  const col = (title: string) => {
    const i = header.indexOf(title);
    if (i < 0) throw new Error(`no column ${title} in ${header.join(', ')}`);
    return String.fromCharCode(65 + i);
  };
  const rowOf = (lead: string) => sheet.values.findIndex((r) => r[header.indexOf('Name')] === lead) + 1;
  const cell = (row: number, title: string) => sheet.values[row - 1][header.indexOf(title)];
  return { sheet, col, rowOf, cell };
}

export interface PreviewSession {
  preview: PreviewServer;
  browser: Browser;
  ui: Opened;
}

/**
 * One preview, browser and opened page for a test file: started (then `setup`) before its tests,
 * checked after each (no page errors, no stray dialogs), closed after all.
 */
export function previewSession(setup: (session: PreviewSession) => Promise<void> | void): void {
  let session: PreviewSession | undefined;
  beforeAll(async () => {
    ensureBuilt();
    const [preview, browser] = await Promise.all([startTestPreview(), launchChromium()]);
    session = { preview, browser, ui: await openPreview(browser, preview.url) };
    await setup(session);
  });
  afterAll(async () => {
    await session?.browser.close();
    await session?.preview.close();
  });
  afterEach(() => {
    expect(session?.ui.errors).toEqual([]);
    expect(session?.ui.dialogs).toEqual([]);
  });
}
