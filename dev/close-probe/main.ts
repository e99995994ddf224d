// `npm run probe` entry (compiled by scripts/probe.mjs): runs the probe with the process's environment.
import { runProbe } from './probe';

runProbe(process.env, { log: (l) => console.log(l), error: (l) => console.error(l) }, { root: process.cwd() })
  .then((code) => process.exit(code))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
