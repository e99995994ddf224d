// Jest transformer: TypeScript → CommonJS with esbuild (type-checking is `npm run typecheck`'s job).
const esbuild = require('esbuild');

module.exports = {
  process(source, sourcefile) {
    const { code, map } = esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile,
    });
    return { code, map };
  },
};
