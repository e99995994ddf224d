// Builds dist/: the Apps Script bundle (Code.js), the sidebar (sidebar.html) and the manifest.
// Apps Script has no modules and google.script.run only sees top-level function declarations, so the
// bundle is an IIFE (global `__app`) followed by one delegating top-level function per export of the
// entry file. The export names come from a second, esm-format build's metafile.
import { existsSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const entry = join(root, 'src/addon/main.ts');
// Known at build time, read by the diagnostics (src/addon/build-info.ts): the version in package.json and
// the scopes the manifest asks for (to tell which of them the rep has granted).
const define = {
  __ADDON_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  __MANIFEST_SCOPES__: JSON.stringify(
    JSON.parse(readFileSync(join(root, 'appsscript.json'), 'utf8')).oauthScopes ?? [],
  ),
};

async function buildServer() {
  const probe = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    write: false,
    outfile: 'probe.js',
    metafile: true,
    logLevel: 'silent',
    define,
  });
  const exportsOf = Object.values(probe.metafile.outputs)[0].exports;
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: '__app',
    target: 'es2019',
    write: false,
    outfile: 'Code.js',
    legalComments: 'none',
    define,
  });
  // Names ending in "_" are private to Apps Script (google.script.run cannot call them). Each stub is
  // where an execution starts: beginExecution_ drops what an earlier call read (Apps Script gives every
  // execution fresh globals; one bundle loaded for many calls, as in the tests, needs it said).
  const stubs = exportsOf
    .filter((name) => !name.endsWith('_'))
    .map(
      (name) =>
        `function ${name}() { __app.beginExecution_(); return __app.${name}.apply(this, arguments); }`,
    )
    .join('\n');
  writeFileSync(join(dist, 'Code.js'), `${result.outputFiles[0].text}\n${stubs}\n`);
  return exportsOf;
}

async function buildSidebar() {
  const clientEntry = join(root, 'src/ui/sidebar.ts');
  const template = join(root, 'src/ui/sidebar.html');
  if (!existsSync(clientEntry) || !existsSync(template)) return false;
  const result = await esbuild.build({
    entryPoints: [clientEntry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    write: false,
    outdir: join(root, '.cache/sidebar'),
    legalComments: 'none',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  // Function replacers: the bundle may contain `$&`-like sequences that String.replace would expand.
  const html = readFileSync(template, 'utf8')
    .replace('/*INLINE_CSS*/', () => css)
    .replace('/*INLINE_JS*/', () => js.replace(/<\/script/gi, '<\\/script'));
  writeFileSync(join(dist, 'sidebar.html'), html);
  return true;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
copyFileSync(join(root, 'appsscript.json'), join(dist, 'appsscript.json'));
const names = await buildServer();
const sidebar = await buildSidebar();
console.log(
  `dist/: Code.js (${names.length} global functions)${sidebar ? ', sidebar.html' : ''}, appsscript.json`,
);
