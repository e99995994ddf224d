// Jest config for mutation testing (npm run mutate): only the unit tests, which import src/ directly.
// The integration tests load the esbuild bundle in dist/, which Stryker cannot mutate, so running
// them per mutant would only cost time and kill nothing.
// MUTATE_TESTS=budget,rate-limit narrows a run to those test files (test/unit/<name>.test.ts): a run
// over one module need not pay for the dry run of every unit test.
const base = require('./jest.config.cjs');

const only = (process.env.MUTATE_TESTS ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/unit'],
  ...(only.length > 0 ? { testMatch: only.map((name) => `**/test/unit/${name}.test.ts`) } : {}),
};
