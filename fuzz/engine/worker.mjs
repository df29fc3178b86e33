/**
 * Worker thread running one target: loads the built library, replays saved findings, runs
 * the seeds, fuzzes until the deadline, and reports to the main thread (run.mjs). Before each
 * execution the input is copied into shared memory, so that if the target never returns, the
 * main thread can read which input hung and terminate the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { CoverageMap } from './coverage.mjs';
import { Fuzzer } from './fuzzer.mjs';
import { Mutator } from './mutate.mjs';
import { Random } from './random.mjs';
import { libraryUrl, loadLibrary } from './library.mjs';
import { diskSeeds } from './store.mjs';
import { toHex } from './text.mjs';
import { builtinSeeds } from '../targets/seeds.mjs';
import { dictionaries } from '../targets/dictionaries.mjs';
import { targetByName } from '../targets/index.mjs';

const { libraryDir, targetName, seconds, seed, maxLength, slowMs, shared, replay, extraSeeds, skip } = workerData;
const state = new Int32Array(shared, 0, 2); // [executions, length of the current input]
const current = new Uint8Array(shared, 8);

const heartbeat = {
  record(input) {
    const n = Math.min(input.length, current.length);
    current.set(n === input.length ? input : input.subarray(0, n));
    Atomics.store(state, 1, n);
    Atomics.add(state, 0, 1);
  },
};

const DIST = libraryUrl(libraryDir);
const lib = await loadLibrary(libraryDir);
const target = targetByName(targetName);
await target.prepare?.(DIST);

const coverage = new CoverageMap((url) => url.startsWith(DIST));
coverage.start();
const inScope = (url) => target.code.some((dir) => url.startsWith(DIST + dir + '/'));

const rng = new Random(seed);
const dictionary = dictionaries(lib)[target.dictionary] ?? [];
const fuzzer = new Fuzzer({
  lib,
  target,
  rng,
  mutator: new Mutator(rng, { dictionary, maxLength }),
  coverage,
  heartbeat,
  slowMs,
  gc: typeof globalThis.gc === 'function' ? globalThis.gc : tryGc(),
  onFinding: (finding) => parentPort.postMessage({ type: 'finding', finding }),
  onCorpus: (input) => parentPort.postMessage({ type: 'corpus', input }),
});

function tryGc() {
  try {
    return runInNewContext('gc');
  } catch {
    return undefined;
  }
}

const sources = new Map();

/** `file:line` of a script offset, the file relative to the library folder. */
function where(url, offset) {
  let text = sources.get(url);
  if (text === undefined) {
    text = readFileSync(fileURLToPath(url), 'utf8');
    sources.set(url, text);
  }
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return `${url.slice(DIST.length)}:${line}`;
}

function stats() {
  return {
    executions: fuzzer.executions,
    corpus: fuzzer.corpus.length,
    corpusBytes: fuzzer.corpusBytes,
    batchSize: fuzzer.batchSize,
    replays: fuzzer.replays,
    coverage: coverage.summary(inScope),
    coverageAll: coverage.summary(),
    memoryMiB: fuzzer.memory.last === undefined ? undefined : +(fuzzer.memory.last / 1048576).toFixed(1),
  };
}

// Saved findings first: each one either still fails (open) or not (fixed).
const replayed = [];
for (const { path, input } of replay) {
  const result = fuzzer.replay(input);
  replayed.push({ path, open: result !== undefined, kind: result?.kind, message: result?.error?.message });
}
coverage.take();
parentPort.postMessage({ type: 'replayed', replayed });

const disk = diskSeeds(target, maxLength);
const hung = new Set(skip.map(toHex));
const seeds = [...builtinSeeds(lib, target), ...disk.inputs, ...extraSeeds].filter((input) => !hung.has(toHex(input)));
coverage.take(); // building the seeds ran encoders: that coverage belongs to no input
for (const input of seeds) fuzzer.addSeed(input);
if (fuzzer.corpus.length === 0) fuzzer.addSeed(new Uint8Array(0));
parentPort.postMessage({ type: 'seeded', seeds: seeds.length, seedFiles: disk.files, stats: stats() });

// No stack traces while fuzzing: Fuzzer turns them back on to report a finding.
Error.stackTraceLimit = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  fuzzer.run(Math.min(end, performance.now() + 2000));
  parentPort.postMessage({ type: 'status', stats: stats() });
}
const neverRun = coverage.neverRun(inScope);
const uncovered = coverage
  .uncovered(inScope)
  .map(({ url, function: name, start }) => `${where(url, start)} in ${name || '(top level)'}`);
coverage.stop();
parentPort.postMessage({
  type: 'done',
  stats: stats(),
  neverRun,
  uncovered,
  operators: fuzzer.mutator.uses,
  corpus: fuzzer.corpus,
});
