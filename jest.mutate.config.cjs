// Jest config for mutation testing (npm run mutate): only the unit tests, which import src/ directly.
// The integration tests load the esbuild bundle in dist/, which Stryker cannot mutate, so running
// them per mutant would only cost time and kill nothing.
const base = require('./jest.config.cjs');

/** @type {import('jest').Config} */
module.exports = { ...base, roots: ['<rootDir>/test/unit'] };
