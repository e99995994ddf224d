// `npm run bench`: compiles bench/run.ts with esbuild into .cache/bench and runs it (with --expose-gc so
// each scenario starts from a collected heap). Arguments pick scenarios: pull10k pull50k push1k push5k repull50k undo5k;
// --readme rewrites the README's benchmark section.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.cache/bench/run.js');
await esbuild.build({
  entryPoints: [join(root, 'bench/run.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  external: ['gas-local'],
  logLevel: 'warning',
});
const run = spawnSync(
  process.execPath,
  ['--expose-gc', '--max-old-space-size=8192', '--max-semi-space-size=64', outfile, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    cwd: root,
  },
);
process.exit(run.status ?? 1);
