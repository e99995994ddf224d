// `npm run probe`: compiles the live Close probe (dev/close-probe, TypeScript) with esbuild into .cache/probe
// and runs it. Node 20 cannot run TypeScript. See dev/close-probe/probe.ts (or run it without CLOSE_API_KEY)
// for what it asks and its options.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.cache/probe/main.js');
await esbuild.build({
  entryPoints: [join(root, 'dev/close-probe/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
