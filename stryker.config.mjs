// StrykerJS: mutation testing of the code that decides what reaches Close and what stays in the sheet
// (npm run mutate; one module: npm run mutate -- --mutate src/core/schema/codecs.ts). Runs the unit
// tests (jest.mutate.config.cjs) against each mutant; survivors that cannot be killed are explained in
// test/mutation-survivors.md. No TypeScript checker: TypeScript here is 7 (the native compiler), which
// has no JavaScript compiler API for @stryker-mutator/typescript-checker to call.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { configFile: 'jest.mutate.config.cjs', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) would each rerun every unit test: hours on this machine.
  ignoreStatic: true,
  mutate: [
    // The push plan and the conflict check.
    'src/core/sync/plan.ts',
    'src/core/sync/batched-read.ts',
    'src/core/sync/push.ts',
    'src/core/sync/conflicts.ts',
    'src/core/sync/multi-value.ts',
    'src/core/sync/current-values.ts',
    // The diff of cells against the snapshot, and the snapshot.
    'src/core/sync/changes.ts',
    'src/core/sync/snapshot.ts',
    'src/core/sync/snapshot-row.ts',
    'src/core/sync/pulled-value.ts',
    'src/core/schema/codecs.ts',
    'src/core/schema/kinds/*.ts',
    'src/core/schema/dates.ts',
    // The pagers' windows and caps.
    'src/core/sync/lead-pager.ts',
    'src/core/sync/search-pager.ts',
    // The rate budget.
    'src/core/close/rate-limit-headers.ts',
    'src/core/close/retry-policy.ts',
    'src/core/close/budget.ts',
  ],
  // The machine is small and shared.
  concurrency: 2,
  incrementalFile: '.cache/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.cache/stryker-tmp',
  // .cache and .stryker-tmp-* (--tempDirName) hold other runs' sandboxes (runs of single modules may go
  // side by side): copied into this run's sandbox, one deleted meanwhile stopped this run.
  ignorePatterns: ['dist', 'docs', 'bench', 'reports', '.cache', '.stryker-tmp-*', '.preview', 'test/browser', 'test/integration',
    // Stryker rewrites tsconfig.json with the TypeScript 5 API, which TypeScript 7 lacks; the esbuild
    // transform of the tests never reads it.
    'tsconfig.json',
  ],
  thresholds: { high: 90, low: 85, break: null },
  // The machine is shared: a test may run at half speed without looping forever.
  timeoutFactor: 3,
  timeoutMS: 5000,
};
