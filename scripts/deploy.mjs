// `npm run deploy`: tests, then pushes dist/ to the rep's own Apps Script project with clasp (3.4.1).
//
// A fresh clone has no .clasp.json (it names one person's script and is git-ignored), so the first
// deploy creates the project: `clasp create-script --type sheets` makes a new spreadsheet with a bound
// script and writes .clasp.json (scriptId, parentId = the spreadsheet). It also pulls the new project's
// default files into dist/ — an appsscript.json without our scopes, and a Code.js — so dist/ is built
// again before the push, and our manifest is the one pushed (`push -f` overwrites the remote one).
//
// Each step stops the deploy with a message saying what to do. `clasp` and `npm` are looked up on
// PATH after node_modules/.bin (the tests put fakes there: test/unit/deploy.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projectFile = join(root, '.clasp.json');
const TITLE = 'Close Sync';
const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };

const API_HINT =
  'If clasp says the Apps Script API is not enabled: turn it on at https://script.google.com/home/usersettings, wait a minute, and run `npm run deploy` again.';
const LOGIN_HINT = 'Log in to Google first: `npx clasp login` (once), then run `npm run deploy` again.';

function stop(message) {
  console.error(`\nDeploy stopped: ${message}`);
  process.exit(1);
}

/** Runs a command with its output shown; returns its exit status (or stops when it cannot start). */
function run(command, args, { capture = false } = {}) {
  console.log(`\n> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.error)
    stop(
      result.error.code === 'ENOENT'
        ? `\`${command}\` was not found. Run \`npm ci\` first, and deploy with \`npm run deploy\`.`
        : result.error.message,
    );
  return { status: result.status ?? 1, stdout: result.stdout ?? '' };
}

function readProject() {
  try {
    return JSON.parse(readFileSync(projectFile, 'utf8'));
  } catch (e) {
    stop(`.clasp.json could not be read (${e.message}). Fix it or delete it to create a new project.`);
  }
}

// 1. The tests (type check, lint, build, Jest): nothing is pushed that fails them.
if (run('npm', ['test']).status !== 0)
  stop('the tests failed, so nothing was pushed. Fix them and deploy again.');

// 2. Logged in to Google? (`clasp push` would only say "No credentials found.")
const who = run('clasp', ['show-authorized-user', '--json'], { capture: true });
let loggedIn = false;
try {
  loggedIn = JSON.parse(who.stdout).loggedIn === true;
} catch {
  // Not JSON: treated as not logged in.
}
if (who.status !== 0)
  stop(`clasp could not check whether you are logged in (its message is above). ${LOGIN_HINT}`);
if (!loggedIn) stop(`clasp is not logged in to Google. ${LOGIN_HINT}`);

// 3. The project: created bound to a new spreadsheet on the first deploy.
let created = false;
if (existsSync(projectFile)) {
  const project = readProject();
  if (!project.scriptId || /REPLACE|YOUR/i.test(project.scriptId))
    stop(
      `.clasp.json has no real scriptId ("${project.scriptId ?? ''}"). Delete it to create a new project, or put your script's id in it (Apps Script editor › Project Settings › Script ID).`,
    );
  // Any other folder would push the repository's own .js files (tests, scripts) to Apps Script.
  if (project.rootDir !== 'dist')
    stop(
      `.clasp.json has "rootDir": ${JSON.stringify(project.rootDir ?? null)}; set it to "dist" (what the build writes).`,
    );
} else {
  const create = run('clasp', ['create-script', '--type', 'sheets', '--title', TITLE, '--rootDir', 'dist']);
  if (create.status !== 0 || !existsSync(projectFile))
    stop(`clasp could not create the Apps Script project. ${API_HINT}`);
  created = true;
  // create-script pulled the new project's default appsscript.json and Code.js into dist/: build again.
  if (run('npm', ['run', 'build']).status !== 0) stop('the build failed after the project was created.');
}

// 4. Push dist/ (with -f: our manifest replaces the remote one, scopes included).
if (run('clasp', ['push', '-f']).status !== 0)
  stop(`clasp push failed. If it says "No credentials found.": ${LOGIN_HINT} ${API_HINT}`);

// 5. Where to find it.
const { scriptId, parentId } = readProject();
const sheet = Array.isArray(parentId) ? parentId[0] : parentId;
console.log(`\nPushed dist/ to ${created ? 'the new' : 'your'} Apps Script project.`);
if (sheet) {
  console.log(`Open the spreadsheet: https://docs.google.com/spreadsheets/d/${sheet}/edit`);
  console.log('Reload it if it is open, then Extensions › Close Sync › Open sidebar.');
} else {
  console.log(
    'Open the spreadsheet the script is bound to and reload it, then Extensions › Close Sync › Open sidebar.',
  );
}
console.log(`The script: https://script.google.com/d/${scriptId}/edit (or \`npx clasp open-script\`).`);
