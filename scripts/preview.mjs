// `npm start`: compiles the local preview (dev/preview, TypeScript) with esbuild into .cache/preview and
// runs it. `--compile-only` stops after compiling (the browser tests use that).
// Node 20 cannot run TypeScript, and the preview needs separate files for its worker threads.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache/preview');

export async function compilePreview() {
  await esbuild.build({
    entryPoints: {
      main: join(root, 'dev/preview/main.ts'),
      server: join(root, 'dev/preview/server.ts'),
      'gas-worker': join(root, 'dev/preview/gas-worker.ts'),
      'fetch-worker': join(root, 'dev/preview/fetch-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: out,
    sourcemap: 'inline',
    logLevel: 'warning',
    // The workers are loaded by path at run time, not bundled into their parents.
    external: ['gas-local'],
  });
  await esbuild.build({
    entryPoints: { page: join(root, 'dev/preview/page/page.ts') },
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    outdir: out,
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { shim: join(root, 'dev/preview/page/shim.ts') },
    bundle: true,
    platform: 'browser',
    target: 'es2019',
    format: 'iife',
    minify: true,
    outdir: out,
    logLevel: 'warning',
  });
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await compilePreview();
  if (!process.argv.includes('--compile-only')) await import(pathToFileURL(join(out, 'main.js')).href);
}
