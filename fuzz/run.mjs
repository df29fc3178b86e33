#!/usr/bin/env node
/**
 * amps-wire's coverage-guided fuzzer (no native dependency: coverage comes from V8 through
 * node:inspector). Usage: see `node fuzz/run.mjs --help` and fuzz/README.md.
 *
 * Each target runs in a worker thread; this thread watches the workers' heartbeats (an input
 * that never returns is a finding too), saves findings and prints the figures.
 *
 * Exit code: 0 no open finding; 1 a finding (new in this run, or a saved one that still
 * fails); 2 a usage or setup error (unknown target, library not built, worker failure, or with
 * --require-all a target whose exports do not exist).
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { built, loadLibrary, snapshotLibrary } from './engine/library.mjs';
import { minimize } from './engine/minimize.mjs';
import { ROOT, isFile, promoteFinding, saveCorpus, saveFinding, savedFindings } from './engine/store.mjs';
import { escapeBytes } from './engine/text.mjs';
import { TARGETS, missingExports, targetByName } from './targets/index.mjs';

const HELP = `usage: node fuzz/run.mjs [--target NAME[,NAME...] | --all] [options]

  --target NAME      json (alias amps), fix, nvfix, xml, fix-shredder, nvfix-shredder,
                     composite, frame, differential; comma-separated for several
  --all              every target (the default when no --target is given)
  --seconds N        fuzzing time per target (default 60)
  --jobs N           targets fuzzed in parallel (default 1)
  --seed N           PRNG seed (default: from the clock); printed so a run can be repeated
  --max-len N        longest input generated (default 4096)
  --slow-ms N        an input taking longer is a finding (default 50)
  --hang-ms N        an input still running after this long is a hang (default 5000)
  --save-corpus      write each target's final corpus to fuzz/corpus/<target>.json (seeds later runs)
  --report FILE      also write the figures as JSON
  --require-all      exit 2 when a target's exports are missing from the library
  --build            run \`npm run build\` first
  --replay FILE      run one saved input through --target and print the outcome
  --promote          move saved findings that no longer fail to test/fixtures/regressions/
  --list             list the targets and whether the built library has their exports
  --uncovered        list the blocks of each target's code that no input reached
  --quiet            only the final table

Exit code: 0 no open finding, 1 findings, 2 usage or setup error.`;

const { values: opts } = parseArgs({
  options: {
    target: { type: 'string' },
    all: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    jobs: { type: 'string', default: '1' },
    seed: { type: 'string' },
    'max-len': { type: 'string', default: '4096' },
    'slow-ms': { type: 'string', default: '50' },
    'hang-ms': { type: 'string', default: '5000' },
    'save-corpus': { type: 'boolean', default: false },
    report: { type: 'string' },
    'require-all': { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    replay: { type: 'string' },
    promote: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    uncovered: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message) {
  console.error(`fuzz: ${message}`);
  process.exit(2);
}

if (opts.help) {
  console.log(HELP);
  process.exit(0);
}

const seconds = Number(opts.seconds);
const jobs = Math.max(1, Number(opts.jobs) | 0);
const maxLength = Number(opts['max-len']);
const slowMs = Number(opts['slow-ms']);
const hangMs = Number(opts['hang-ms']);
const baseSeed = opts.seed !== undefined ? Number(opts.seed) : Date.now() % 2147483647;
if (![seconds, maxLength, slowMs, hangMs, baseSeed].every(Number.isFinite))
  fail('numeric options take numbers\n' + HELP);

if (opts.build) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

// Someone may be rebuilding right now (the build deletes dist first): wait a little for it.
for (let waited = 0; !built() && waited < 60; waited++) await new Promise((r) => setTimeout(r, 1000));
if (!built()) fail('dist/esm/index.js is missing: run `npm run build` first (or pass --build)');
// The copy may catch a build half-written: retry until the copy loads.
let snapshot;
let lib;
for (let attempt = 1; lib === undefined; attempt++) {
  snapshot = snapshotLibrary();
  try {
    lib = await loadLibrary(snapshot.dir);
  } catch (err) {
    snapshot.dispose();
    if (attempt === 5)
      fail(`cannot load the library built in dist/esm (${err.message}); rebuild with \`npm run build\``);
    await new Promise((r) => setTimeout(r, 5000));
  }
}
process.on('exit', snapshot.dispose);

const selected =
  opts.target === undefined
    ? TARGETS
    : opts.target
        .split(',')
        .map(
          (name) =>
            targetByName(name.trim()) ??
            fail(`unknown target ${name}; known: ${TARGETS.map((t) => t.name).join(', ')}`),
        );
const log = (line) => {
  if (!opts.quiet) console.log(line);
};

/** Runs `input` through `target` in a child process; `{ hang: true }` if it outlives the timeout. */
function runInChild(target, input, timeout = hangMs) {
  const child = spawnSync(
    process.execPath,
    [join(ROOT, 'fuzz', 'engine', 'exec.mjs'), target.name, '-', snapshot.dir],
    { input, timeout, encoding: 'utf8' },
  );
  if (child.error?.code === 'ETIMEDOUT' || child.signal === 'SIGTERM') return { hang: true };
  try {
    return JSON.parse(child.stdout.trim().split('\n').pop());
  } catch {
    return { crashed: true, status: child.status, stderr: child.stderr.slice(0, 2000) };
  }
}

if (opts.list) {
  for (const t of TARGETS) {
    const missing = missingExports(lib, t);
    console.log(
      `${t.name.padEnd(16)} ${missing.length === 0 ? 'available' : `unavailable (missing ${missing.join(', ')})`}`,
    );
  }
  process.exit(0);
}

if (opts.replay !== undefined) {
  if (selected.length !== 1) fail('--replay needs exactly one --target');
  if (!isFile(opts.replay)) fail(`no such file ${opts.replay}`);
  const { readFileSync } = await import('node:fs');
  const outcome = runInChild(selected[0], readFileSync(resolve(opts.replay)));
  console.log(JSON.stringify(outcome, null, 2));
  process.exit(outcome.ok === true ? 0 : 1);
}

if (opts.promote) {
  let moved = 0;
  for (const t of selected) {
    for (const { path } of savedFindings(t.name)) {
      const outcome = runInChild(t, (await import('node:fs')).readFileSync(path));
      if (outcome.ok !== true) {
        console.log(
          `${t.name}: ${relative(ROOT, path)} still fails (${outcome.kind ?? (outcome.hang ? 'hang' : 'crash')})`,
        );
        continue;
      }
      console.log(`${t.name}: ${relative(ROOT, path)} is fixed → ${relative(ROOT, promoteFinding(t.name, path))}`);
      moved++;
    }
  }
  console.log(`${moved} finding(s) moved to test/fixtures/regressions/`);
  process.exit(0);
}

v8.setFlagsFromString('--expose-gc'); // workers get a global gc() for the memory growth check

/** Fuzzes one target in a worker (restarted after a hang); resolves to its figures. */
async function fuzzTarget(target, index) {
  const missing = missingExports(lib, target);
  if (missing.length > 0) return { target: target.name, unavailable: missing };

  const saved = savedFindings(target.name);
  const result = {
    target: target.name,
    seed: baseSeed + index,
    executions: 0,
    seconds: 0,
    newFindings: [],
    open: [],
    fixed: [],
    hangs: 0,
  };
  // Saved hangs are checked here with a timeout; the worker replays the rest.
  for (const f of saved.filter((s) => s.meta.kind === 'hang')) {
    (runInChild(target, f.input).hang ? result.open : result.fixed).push(relative(ROOT, f.path));
  }
  const replay = saved.filter((s) => s.meta.kind !== 'hang').map(({ path, input }) => ({ path, input }));
  const corpus = [];
  const hung = []; // inputs that hung a worker: its successor must not run them again
  const started = performance.now();
  let restarts = 0;
  let nextStatus = 10;

  const onFinding = (finding) => {
    const path = saveFinding(target.name, finding);
    result.newFindings.push({
      path: relative(ROOT, path),
      kind: finding.kind,
      message: finding.error?.message,
      escaped: escapeBytes(finding.input),
    });
    console.log(
      `[${target.name}] FINDING ${finding.kind}: ${finding.error?.message ?? ''}\n  input (${finding.input.length} bytes, from ${finding.originalLength}): ${escapeBytes(finding.input).slice(0, 400)}\n  saved ${relative(ROOT, path)}`,
    );
  };

  for (;;) {
    const remaining = seconds - (performance.now() - started) / 1000;
    if (remaining <= 0.5 && restarts > 0) break;
    const shared = new SharedArrayBuffer(8 + maxLength);
    const state = new Int32Array(shared, 0, 2);
    const worker = new Worker(new URL('./engine/worker.mjs', import.meta.url), {
      workerData: {
        libraryDir: snapshot.dir,
        targetName: target.name,
        seconds: Math.max(0.5, remaining),
        seed: result.seed + restarts * 7919,
        maxLength,
        slowMs,
        shared,
        replay: restarts === 0 ? replay : [],
        extraSeeds: corpus,
        skip: hung,
      },
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    const outcome = await new Promise((resolveRun) => {
      let lastCount = -1;
      let lastChange = performance.now();
      let hungInput;
      const watchdog = setInterval(() => {
        const count = Atomics.load(state, 0);
        const now = performance.now();
        if (count !== lastCount) {
          lastCount = count;
          lastChange = now;
        } else if (count > 0 && now - lastChange > hangMs) {
          hungInput = new Uint8Array(shared, 8, Atomics.load(state, 1)).slice();
          worker.terminate();
        }
      }, 100);
      worker.on('message', (m) => {
        if (m.type === 'finding') onFinding(m.finding);
        else if (m.type === 'corpus') corpus.push(m.input);
        else if (m.type === 'replayed') {
          for (const r of m.replayed) (r.open ? result.open : result.fixed).push(relative(ROOT, r.path));
        } else if (m.type === 'seeded') {
          log(
            `[${target.name}] ${m.seeds} seeds (${m.seedFiles} fixture/corpus files) → corpus ${m.stats.corpus}, blocks ${m.stats.coverage.covered}/${m.stats.coverage.known}`,
          );
        } else if (m.type === 'status') {
          const s = m.stats;
          const t = (performance.now() - started) / 1000;
          if (t >= nextStatus) {
            nextStatus = t + 10;
            log(
              `[${target.name}] ${t.toFixed(0)}s ${result.executions + s.executions} execs corpus ${s.corpus} blocks ${s.coverage.covered}/${s.coverage.known} batch ${s.batchSize}`,
            );
          }
          Object.assign(result, { last: s });
        } else if (m.type === 'done') {
          Object.assign(result, {
            last: m.stats,
            neverRun: m.neverRun,
            uncovered: m.uncovered,
            operators: m.operators,
            finalCorpus: m.corpus,
          });
        }
      });
      worker.on('error', (err) => {
        clearInterval(watchdog);
        resolveRun({
          error: err,
          executions: Atomics.load(state, 0),
          input: new Uint8Array(shared, 8, Atomics.load(state, 1)).slice(),
        });
      });
      worker.on('exit', () => {
        clearInterval(watchdog);
        resolveRun({ hungInput });
      });
    });
    result.executions += Atomics.load(state, 0); // counts executions a terminated worker never reported

    if (outcome.error !== undefined && outcome.executions === 0) {
      result.error = `the worker failed before running any input: ${outcome.error.message}`;
      break;
    } else if (outcome.error !== undefined) {
      // Out of memory, or an error outside the fuzz loop's try/catch: the input at hand is a finding.
      onFinding({
        kind: 'fatal',
        signature: 'fatal',
        input: outcome.input,
        originalLength: outcome.input.length,
        error: { name: outcome.error.name, message: String(outcome.error.message), code: outcome.error.code },
      });
    } else if (outcome.hungInput !== undefined) {
      result.hangs++;
      hung.push(outcome.hungInput);
      log(`[${target.name}] an input ran for more than ${hangMs} ms; minimizing it in child processes`);
      const { input: small } = minimize(outcome.hungInput, (c) => runInChild(target, c).hang === true, {
        maxTries: 120,
      });
      onFinding({
        kind: 'hang',
        signature: 'hang',
        input: small,
        originalLength: outcome.hungInput.length,
        error: { name: 'Hang', message: `did not return within ${hangMs} ms` },
      });
    } else break;
    if (++restarts > 3) break;
  }
  result.seconds = (performance.now() - started) / 1000;
  if (opts['save-corpus'] && result.finalCorpus !== undefined)
    result.corpusDir = relative(ROOT, saveCorpus(target.name, result.finalCorpus));
  delete result.finalCorpus;
  return result;
}

log(`fuzzing ${selected.map((t) => t.name).join(', ')} for ${seconds}s each, seed ${baseSeed}, ${jobs} at a time`);
const results = new Array(selected.length);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, selected.length) }, async () => {
    while (next < selected.length) {
      const i = next++;
      results[i] = await fuzzTarget(selected[i], i);
    }
  }),
);

console.log(
  '\ntarget          execs/s  execs      corpus  blocks (target code)  blocks (all)  findings: new open fixed',
);
let failed = false;
let unavailable = false;
let broken = false;
for (const r of results) {
  if (r.error !== undefined) {
    broken = true;
    console.log(`${r.target.padEnd(15)} error: ${r.error}`);
    continue;
  }
  if (r.unavailable !== undefined) {
    unavailable = true;
    console.log(`${r.target.padEnd(15)} unavailable: the library has no ${r.unavailable.join(', ')}`);
    continue;
  }
  const s = r.last ?? { coverage: { covered: 0, known: 0 }, coverageAll: { covered: 0, known: 0 }, corpus: 0 };
  const rate = Math.round(r.executions / Math.max(r.seconds, 0.001));
  console.log(
    `${r.target.padEnd(15)} ${String(rate).padStart(7)}  ${String(r.executions).padEnd(9)}  ${String(s.corpus).padStart(6)}  ` +
      `${`${s.coverage.covered}/${s.coverage.known}`.padStart(20)}  ${`${s.coverageAll.covered}/${s.coverageAll.known}`.padStart(12)}  ` +
      `${String(r.newFindings.length).padStart(13)} ${String(r.open.length).padStart(4)} ${String(r.fixed.length).padStart(5)}`,
  );
  if (opts.uncovered) {
    for (const u of r.uncovered ?? []) console.log(`  not reached: ${u}`);
    for (const f of r.neverRun ?? []) console.log(`  never ran: ${f}`);
  }
  for (const p of r.open) console.log(`  open: ${p}`);
  for (const p of r.fixed) console.log(`  fixed (promote with --promote): ${p}`);
  if (r.newFindings.length > 0 || r.open.length > 0) failed = true;
}
if (opts.report !== undefined)
  writeFileSync(opts.report, JSON.stringify({ seed: baseSeed, seconds, results }, null, 2) + '\n');
if (failed) process.exit(1);
if (broken || (unavailable && opts['require-all'])) process.exit(2);
