// Writes synthetic AMPS captures from dist/ (run `npm run build` first):
//   node scripts/make-sample-capture.mjs                 -> examples/sample.pcap (committed)
//   node scripts/make-sample-capture.mjs --size 256M --out /tmp/mixed.pcap
//       a large capture of mixed amps/json, fix and xml traffic for measuring decode speed
//       (never commit one of these).
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseSize } from '../dist/esm/cli/args.js';
import { mixedCapture, sampleCapture } from '../dist/esm/cli/synthetic/traffic.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' } },
  strict: true,
});

if (values.size === undefined) {
  const out = values.out ?? 'examples/sample.pcap';
  const bytes = sampleCapture();
  writeFileSync(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes)`);
} else {
  const size = parseSize(values.size);
  if (size === undefined || values.out === undefined) {
    console.error('usage: make-sample-capture.mjs --size SIZE --out FILE [--seed N]');
    process.exit(2);
  }
  const fd = openSync(values.out, 'w');
  let written = 0;
  let batch = [];
  let batchBytes = 0;
  const flush = () => {
    const all = new Uint8Array(batchBytes);
    let o = 0;
    for (const part of batch) {
      all.set(part, o);
      o += part.length;
    }
    writeSync(fd, all);
    written += batchBytes;
    batch = [];
    batchBytes = 0;
  };
  for (const part of mixedCapture(size, Number(values.seed ?? 1))) {
    batch.push(part);
    batchBytes += part.length;
    if (batchBytes >= 4 << 20) flush();
  }
  flush();
  closeSync(fd);
  console.log(`wrote ${values.out} (${written} bytes)`);
}
