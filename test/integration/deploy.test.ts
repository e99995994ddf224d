// `npm run deploy` (scripts/deploy.mjs) run against fake `npm` and `clasp` commands on PATH: the exact
// commands in order, tests before anything is pushed, the project created on a fresh clone, our
// manifest pushed rather than the one clasp pulls, and a message saying what to do at each failure.
// Then the real clasp (3.4.1) offline: `clasp status --json` lists what a push would send.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const repo = join(__dirname, '..', '..');
const OUR_MANIFEST = readFileSync(join(repo, 'appsscript.json'), 'utf8');
/** What clasp's create-script pulls into rootDir: the new project's default manifest and code. */
const CLASP_DEFAULT_MANIFEST = '{"timeZone":"America/New_York","runtimeVersion":"V8"}';

// Both fakes append "<command> <args>" to $FAKE_LOG. `clasp push` also logs the manifest it would push.
const FAKE_NPM = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, 'npm ' + args.join(' ') + '\\n');
const build = () => {
  fs.rmSync('dist', { recursive: true, force: true });
  fs.mkdirSync('dist');
  fs.copyFileSync('appsscript.json', 'dist/appsscript.json');
  fs.writeFileSync('dist/Code.js', '// built');
};
if (args[0] === 'test') { if (process.env.FAKE_TEST_FAILS) process.exit(1); build(); }
if (args[0] === 'run' && args[1] === 'build') build();
`;

const FAKE_CLASP = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, 'clasp ' + args.join(' ') + '\\n');
if (args[0] === 'show-authorized-user') {
  console.log(JSON.stringify({ loggedIn: !process.env.FAKE_LOGGED_OUT }, null, 2));
} else if (args[0] === 'create-script') {
  if (fs.existsSync('.clasp.json')) { console.error('Project file already exists.'); process.exit(1); }
  if (process.env.FAKE_API_OFF) { console.error('User has not enabled the Apps Script API.'); process.exit(1); }
  fs.writeFileSync('.clasp.json', JSON.stringify({ scriptId: 'script_new_1', rootDir: 'dist', parentId: 'sheet_new_1' }));
  fs.writeFileSync('dist/appsscript.json', ${JSON.stringify(CLASP_DEFAULT_MANIFEST)});
  fs.writeFileSync('dist/Code.js', 'function myFunction() {}');
} else if (args[0] === 'push') {
  fs.appendFileSync(process.env.FAKE_LOG, 'pushed manifest ' + fs.readFileSync('dist/appsscript.json', 'utf8').length + ' chars' + (fs.readFileSync('dist/appsscript.json', 'utf8') === fs.readFileSync('appsscript.json', 'utf8') ? ' (ours)' : ' (not ours)') + '\\n');
  if (process.env.FAKE_PUSH_FAILS) { console.error('No credentials found.'); process.exit(1); }
}
`;

interface Run {
  status: number;
  log: string[];
  stdout: string;
  stderr: string;
  dir: string;
}

/** A scratch copy of the project (the deploy script and the manifest) with the fakes on PATH. */
function deploy(options: { claspJson?: object; env?: Record<string, string> } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(join(repo, 'scripts', 'deploy.mjs'), join(dir, 'scripts', 'deploy.mjs'));
  copyFileSync(join(repo, 'appsscript.json'), join(dir, 'appsscript.json'));
  if (options.claspJson) writeFileSync(join(dir, '.clasp.json'), JSON.stringify(options.claspJson));
  for (const [name, text] of [
    ['npm', FAKE_NPM],
    ['clasp', FAKE_CLASP],
  ]) {
    writeFileSync(join(dir, 'bin', name), text);
    chmodSync(join(dir, 'bin', name), 0o755);
  }
  const log = join(dir, 'commands.log');
  writeFileSync(log, '');
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'deploy.mjs')], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: [join(dir, 'bin'), process.env.PATH].join(delimiter),
      HOME: dir,
      FAKE_LOG: log,
      ...options.env,
    },
  });
  return {
    status: result.status ?? -1,
    log: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean),
    stdout: result.stdout,
    stderr: result.stderr,
    dir,
  };
}

describe('npm run deploy', () => {
  test('a fresh clone: tests, login check, create the bound script, build again, push; says where to open it', () => {
    const run = deploy();
    expect(run.log).toEqual([
      'npm test',
      'clasp show-authorized-user --json',
      'clasp create-script --type sheets --title Close Sync --rootDir dist',
      'npm run build',
      'clasp push -f',
      `pushed manifest ${OUR_MANIFEST.length} chars (ours)`,
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Pushed dist/ to the new Apps Script project.');
    expect(run.stdout).toContain(
      'Open the spreadsheet: https://docs.google.com/spreadsheets/d/sheet_new_1/edit',
    );
    expect(run.stdout).toContain('Reload it if it is open, then Extensions › Close Sync › Open sidebar.');
    expect(run.stdout).toContain('The script: https://script.google.com/d/script_new_1/edit');
  });

  test('with a .clasp.json: no create-script, no second build; pushes', () => {
    const run = deploy({ claspJson: { scriptId: 'script_mine', rootDir: 'dist', parentId: 'sheet_mine' } });
    expect(run.log).toEqual([
      'npm test',
      'clasp show-authorized-user --json',
      'clasp push -f',
      `pushed manifest ${OUR_MANIFEST.length} chars (ours)`,
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Pushed dist/ to your Apps Script project.');
    expect(run.stdout).toContain('https://docs.google.com/spreadsheets/d/sheet_mine/edit');
  });

  test('a failing test stops everything: clasp is never run', () => {
    const run = deploy({ env: { FAKE_TEST_FAILS: '1' } });
    expect(run.log).toEqual(['npm test']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Deploy stopped: the tests failed, so nothing was pushed. Fix them and deploy again.',
    );
  });

  test('not logged in: says to run `npx clasp login`, creates and pushes nothing', () => {
    const run = deploy({ env: { FAKE_LOGGED_OUT: '1' } });
    expect(run.log).toEqual(['npm test', 'clasp show-authorized-user --json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Deploy stopped: clasp is not logged in to Google. Log in to Google first: `npx clasp login` (once), then run `npm run deploy` again.',
    );
  });

  test('the Apps Script API turned off: create fails with the settings page to turn it on', () => {
    const run = deploy({ env: { FAKE_API_OFF: '1' } });
    expect(run.log).toEqual([
      'npm test',
      'clasp show-authorized-user --json',
      'clasp create-script --type sheets --title Close Sync --rootDir dist',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('turn it on at https://script.google.com/home/usersettings');
  });

  test('the old placeholder .clasp.json is refused with what to do, not pushed to', () => {
    const run = deploy({ claspJson: { scriptId: 'REPLACE_WITH_YOUR_SCRIPT_ID', rootDir: 'dist' } });
    expect(run.log).toEqual(['npm test', 'clasp show-authorized-user --json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      '.clasp.json has no real scriptId ("REPLACE_WITH_YOUR_SCRIPT_ID"). Delete it to create a new project',
    );
  });

  test('a .clasp.json whose rootDir is not dist is refused (it would push the repository)', () => {
    const run = deploy({ claspJson: { scriptId: 'script_mine' } });
    expect(run.log).toEqual(['npm test', 'clasp show-authorized-user --json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      '.clasp.json has "rootDir": null; set it to "dist" (what the build writes).',
    );
  });

  test('a failed push says so, with the login hint', () => {
    const run = deploy({
      claspJson: { scriptId: 'script_mine', rootDir: 'dist' },
      env: { FAKE_PUSH_FAILS: '1' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Deploy stopped: clasp push failed. If it says "No credentials found.": Log in',
    );
  });
});

describe('the real clasp, offline', () => {
  test('`clasp status --json` without credentials lists exactly the built files to push', () => {
    // dist/ as `npm run build` left it (the integration tests run after a build).
    const dir = mkdtempSync(join(tmpdir(), 'clasp-status-'));
    cpSync(join(repo, 'dist'), join(dir, 'dist'), { recursive: true });
    const example = JSON.parse(readFileSync(join(repo, '.clasp.json.example'), 'utf8'));
    expect(example.rootDir).toBe('dist');
    writeFileSync(join(dir, '.clasp.json'), JSON.stringify(example));
    const status = spawnSync(join(repo, 'node_modules', '.bin', 'clasp'), ['status', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
    });
    expect(status.status).toBe(0);
    const listed = JSON.parse(status.stdout);
    // In the order the directory lists them (not ours to fix).
    expect([...listed.filesToPush].sort()).toEqual([
      'dist/Code.js',
      'dist/appsscript.json',
      'dist/sidebar.html',
    ]);
    expect(listed.untrackedFiles).toEqual([]);
  });
});
