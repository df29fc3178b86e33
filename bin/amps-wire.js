#!/usr/bin/env node
// The command line lives in dist/esm/cli (built by `npm run build`).
import('../dist/esm/cli/main.js').then((cli) => cli.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 2; },
);
