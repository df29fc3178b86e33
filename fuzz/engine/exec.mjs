/**
 * Runs one input through one target in a process of its own and prints the outcome as JSON:
 * `node fuzz/engine/exec.mjs <target> <file | -> [library folder]` (`-` reads stdin; the
 * library defaults to dist/esm). Exit code 0 when the input
 * passes every oracle, 1 when it is a finding. The main thread uses it to minimize hangs, where
 * only a separate process with a timeout can tell that an input never returns.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Fuzzer } from './fuzzer.mjs';
import { DIST_ESM, libraryUrl, loadLibrary } from './library.mjs';
import { targetByName } from '../targets/index.mjs';

/** The outcome of `input` on `target`: undefined when it passes, else `{ kind, signature, error, ms }`. */
export function runOnce(lib, target, input, slowMs = 50) {
  const fuzzer = new Fuzzer({ lib, target, slowMs, heartbeat: { record() {} }, onFinding() {} });
  return fuzzer.replay(input);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [name, file, libraryDir] = process.argv.slice(2);
  const target = targetByName(name);
  if (target === undefined || file === undefined) {
    console.error('usage: node fuzz/engine/exec.mjs <target> <file | ->');
    process.exit(2);
  }
  const input = new Uint8Array(readFileSync(file === '-' ? 0 : file));
  const lib = await loadLibrary(libraryDir);
  await target.prepare?.(libraryUrl(libraryDir ?? DIST_ESM));
  const result = runOnce(lib, target, input);
  console.log(JSON.stringify(result ?? { ok: true }));
  process.exitCode = result === undefined ? 0 : 1;
}
