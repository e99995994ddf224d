// The layers the compiler holds (`npm run typecheck`): the core sees no Apps Script, DOM or Node global,
// the sidebar only the DOM, the Apps Script shell only Apps Script; and the server API described once in
// src/shared/server-api.ts binds both addon/main.ts and the sidebar's calls. Each test runs the real
// tsconfig files on a temporary copy with one offending line and expects exactly that line's error.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const LAYER_CONFIGS = ['tsconfig.core.json', 'tsconfig.gas.json', 'tsconfig.ui.json'];
const CONFIGS = ['tsconfig.base.json', ...LAYER_CONFIGS];

/** A scratch project: the repo's tsconfig files, node_modules linked, and the given sources. */
function project(files: Record<string, string>, copySrc = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const config of CONFIGS) cpSync(join(ROOT, config), join(dir, config));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (copySrc) cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The compiler's error lines (`file(line,col): error TSnnnn: message`), [] when the layer compiles. */
function errors(dir: string, config: string): string[] {
  const run = spawnSync(process.execPath, [TSC, '-p', config, '--pretty', 'false'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const lines = run.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  expect(run.status === 0).toBe(lines.length === 0);
  return lines.map((l) => l.replace(/\\/g, '/'));
}

const dirs: string[] = [];
function scratch(files: Record<string, string>, copySrc = false): string {
  const dir = project(files, copySrc);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('npm run typecheck checks every layer, and npm test runs the typecheck', () => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  for (const config of [...LAYER_CONFIGS, 'tsconfig.json']) expect(scripts.typecheck).toContain(config);
  expect(scripts.test.startsWith('npm run typecheck &&')).toBe(true);
});

/** One line per global, and the error a layer that does not have it reports on that line. */
const GLOBALS = [
  ['SpreadsheetApp', 'SpreadsheetApp.getActive()', "error TS2304: Cannot find name 'SpreadsheetApp'."],
  [
    'document',
    'document.title',
    "error TS2584: Cannot find name 'document'. Do you need to change your target library? Try changing the 'lib' compiler option to include 'dom'.",
  ],
  [
    'process',
    'process.env',
    "error TS2591: Cannot find name 'process'. Do you need to install type definitions for node? Try `npm i --save-dev @types/node` and then add 'node' to the types field in your tsconfig.",
  ],
] as const;
const PROBE = GLOBALS.map(([, use], i) => `export const use${i} = ${use};\n`).join('');
/** The column where each probe line's global starts. */
const COLUMN = 'export const use0 = '.length + 1;

test('a core file of plain ECMAScript compiles', () => {
  const clean = 'export const biggest = (xs: number[]): number => Math.max(...xs);\n';
  expect(errors(scratch({ 'src/core/probe.ts': clean }), 'tsconfig.core.json')).toEqual([]);
});

test.each([
  ['src/core', 'tsconfig.core.json', ['SpreadsheetApp', 'document', 'process']],
  ['src/ui', 'tsconfig.ui.json', ['SpreadsheetApp', 'process']],
  ['src/addon', 'tsconfig.gas.json', ['document', 'process']],
])('a file in %s (%s) does not compile when it uses %j', (dir, config, missing) => {
  const expected = GLOBALS.flatMap(([name, , error], i) =>
    missing.includes(name) ? [`${dir}/probe.ts(${i + 1},${COLUMN}): ${error}`] : [],
  );
  expect(errors(scratch({ [`${dir}/probe.ts`]: PROBE }), config)).toEqual(expected);
});

describe('the server API', () => {
  test('the sidebar calling a server function with the wrong arguments does not compile', () => {
    const probe = [
      "import { call } from './server-calls';",
      "export const right = () => call('selectRow', 'Close Leads', 3);",
      "export const wrong = () => call('selectRow', 'Close Leads', '3');",
      '',
    ].join('\n');
    expect(errors(scratch({ 'src/ui/probe.ts': probe }, true), 'tsconfig.ui.json')).toEqual([
      "src/ui/probe.ts(3,61): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.",
    ]);
  });

  test('addon/main.ts whose function drifted from the description does not compile', () => {
    const dir = scratch({}, true);
    const mainPath = join(dir, 'src/addon/main.ts');
    const main = readFileSync(mainPath, 'utf8');
    const signature = 'export function selectRow(sheetName: string, row: number): void {';
    expect(main).toContain(signature);
    writeFileSync(
      mainPath,
      main.replace(signature, 'export function selectRow(sheetName: string, row: string): void {'),
    );
    // The error is reported where main.ts checks its exports against ServerApi.
    const checkLine = main.split('\n').lastIndexOf('  selectRow,') + 1;
    expect(errors(dir, 'tsconfig.gas.json')).toEqual([
      `src/addon/main.ts(${checkLine},3): error TS2322: Type '(sheetName: string, row: string) => void' is not assignable to type '(sheetName: string, row: number) => void'.`,
    ]);
  });
});
