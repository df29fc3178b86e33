#!/usr/bin/env node
// The command line lives in dist/esm/cli (built by `npm run build`).
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const argv = process.argv.slice(2);
if (argv[0] === '--version' || argv[0] === '-V') {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  console.log(pkg.version);
} else {
  // Decoding makes short-lived garbage at a high rate, for which V8 grows its young generation
  // to 32 MiB; held at its starting size, peak RSS on a 256 MiB capture drops from about 80 MB
  // to 68 MB at the same speed. This process only: the library sets no V8 flags.
  setFlagsFromString('--semi-space-growth-factor=1');
  import('../dist/esm/cli/main.js')
    .then((cli) => cli.main(argv))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        console.error(err);
        process.exitCode = 2;
      },
    );
}
