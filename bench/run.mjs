#!/usr/bin/env node
// amps-wire benchmarks: every case of bench/cases (amps-wire against its baseline, interleaved,
// time and allocation per op) and throughput mode (synthetic streams split → decoded → read).
// A full run writes bench/results/<date>.json, the table in bench/README.md and the charts in
// bench/charts; --quick (CI) and filtered runs write only to a temporary folder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listCases } from './lib/cases.mjs';
import { ALLOCATION_NODE_FLAGS } from './lib/measure.mjs';
import { machineInfo } from './lib/machine.mjs';
import { allocationSites, selfTime } from './lib/profile.mjs';
import { formatCount, formatRatio, textReport, verdict } from './lib/report.mjs';
import { CASE_SETTINGS, THROUGHPUT_SETTINGS } from './lib/settings.mjs';
import { STREAM_PROTOCOLS } from './lib/stream.mjs';
import { renderOutputs, writeResults } from './lib/outputs.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const DIST = join(ROOT, 'dist', 'esm', 'index.js');

/**
 * The copy of dist/esm, bench/cases and bench/lib that a run measures (see freeze()); every
 * measuring process loads the library and the cases from here.
 */
let SNAP = ROOT;
const snapWorker = () => join(SNAP, 'bench', 'lib', 'worker.mjs');

const USAGE = `usage: node bench/run.mjs [options]
  --quick            short runs (seconds), goals not judged, nothing in the tree rewritten
  --case TEXT        only cases whose name contains TEXT (an exact name: that case alone);
                     repeatable; no throughput unless --stream too; writes to a temp folder
  --stream NAME      throughput mode in protocol NAME only (repeatable); no cases unless --case
                     too; writes to a temp folder
  --no-cases         skip the cases
  --no-throughput    skip throughput mode
  --benny            also time every case with benny (benchmark.js), one contender after the other
  --profile [WHO]    profile time and allocation of one case (with --case) running WHO alone:
                     ours (default) or baseline; or of one --stream's mixed traffic
  --out DIR          write results, README section and charts to DIR instead
  --strict           exit 1 when a judged goal is not met
  --no-build         use dist/ as it is (otherwise built when missing or older than src/)
  --render FILE      redraw the README section and charts from a results JSON, measuring nothing
                     (into the tree only if FILE is a complete full run and no --out is given)`;

function parseArgs(argv) {
  const o = {
    quick: false,
    cases: true,
    throughput: true,
    benny: false,
    profile: undefined,
    filters: [],
    streams: [],
    out: undefined,
    render: undefined,
    strict: false,
    build: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--case') o.filters.push(argv[++i] ?? '');
    else if (a === '--stream') o.streams.push(argv[++i] ?? '');
    else if (a === '--no-cases') o.cases = false;
    else if (a === '--no-throughput') o.throughput = false;
    else if (a === '--benny') o.benny = true;
    else if (a === '--profile') o.profile = argv[i + 1] === 'baseline' || argv[i + 1] === 'ours' ? argv[++i] : 'ours';
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--strict') o.strict = true;
    else if (a === '--render') o.render = argv[++i];
    else if (a === '--no-build') o.build = false;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`unknown option ${a}\n${USAGE}`);
      process.exit(2);
    }
  }
  // Naming cases or streams narrows the run to what was named.
  if (o.filters.length && !o.streams.length) o.throughput = false;
  if (o.streams.length && !o.filters.length) o.cases = false;
  return o;
}

/** Newest modification time of any file under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the library when dist/ is missing or older than src/, so the bench never measures stale code. */
function ensureBuilt() {
  const why = !existsSync(DIST)
    ? 'dist/ is missing'
    : newestMtime(join(ROOT, 'src')) > statSync(DIST).mtimeMs
      ? 'src/ is newer than dist/'
      : undefined;
  if (!why) return;
  console.error(`bench: ${why}; building (npm run build)...`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(DIST)) {
    console.error(
      `bench: the build ${r.status !== 0 ? 'failed' : 'left no dist/esm/index.js (another build running at the same time?)'}; fix it or pass --no-build to measure dist/ as it is`,
    );
    process.exit(1);
  }
}

/**
 * Copies the built library and the bench code into a temporary folder laid out like the repo, so
 * the whole run measures one build even while something else rebuilds dist/ or edits a case.
 * Returns the SHA-256 of the copied dist/esm, recorded with the results.
 */
function freeze() {
  if (!existsSync(DIST)) {
    console.error('bench: dist/esm/index.js is missing; run npm run build (or drop --no-build)');
    process.exit(1);
  }
  SNAP = mkdtempSync(join(os.tmpdir(), 'amps-wire-bench-run-'));
  cpSync(join(ROOT, 'dist', 'esm'), join(SNAP, 'dist', 'esm'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(SNAP, 'package.json')); // "type": "module" for dist/esm
  for (const dir of ['cases', 'lib']) cpSync(join(BENCH, dir), join(SNAP, 'bench', dir), { recursive: true });
  cpSync(join(BENCH, 'package.json'), join(SNAP, 'bench', 'package.json'));
  if (existsSync(join(BENCH, 'node_modules')))
    symlinkSync(join(BENCH, 'node_modules'), join(SNAP, 'bench', 'node_modules'), 'dir');
  process.on('exit', () => rmSync(SNAP, { recursive: true, force: true }));
  const hash = createHash('sha256');
  const add = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) add(p);
      else hash.update(relative(SNAP, p)).update(readFileSync(p));
    }
  };
  add(join(SNAP, 'dist', 'esm'));
  return hash.digest('hex');
}

/**
 * Node flags of every measuring process: gc() for the allocation figures, and optimizing
 * compilation on the main thread, so code is optimized after warm-up even when a loaded machine
 * starves V8's background compiler thread (the optimized code is the same either way).
 */
const WORKER_NODE_FLAGS = ['--expose-gc', '--no-concurrent-recompilation'];

/** Longest a measuring process may run before it is stopped and reported as an error. */
let workerTimeoutMs = 30 * 60_000;

/** Runs lib/worker.mjs in a fresh node (`quiet` drops its stdout); returns its result or `{ error }`. */
function work(args, nodeFlags = [], { quiet = false } = {}) {
  const r = spawnSync(process.execPath, [...WORKER_NODE_FLAGS, ...nodeFlags, snapWorker(), ...args], {
    cwd: SNAP,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit', 'pipe'],
    maxBuffer: 64 << 20,
    timeout: workerTimeoutMs,
  });
  const text = r.output?.[3]?.toString() ?? '';
  if (r.error?.code === 'ETIMEDOUT')
    return { error: `worker ${args.slice(0, 3).join(' ')} stopped after ${workerTimeoutMs / 1000} s` };
  if (!text) return { error: `worker exited with ${r.status ?? r.signal} and no result` };
  const msg = JSON.parse(text);
  return msg.ok ? { result: msg.result } : { error: msg.error };
}

/** Protocols the library knows (each codec once, under its first name) that a stream can be written in. */
async function streamProtocols() {
  const lib = await import(pathToFileURL(join(SNAP, 'dist', 'esm', 'index.js')).href);
  const seen = new Set();
  const names = [];
  for (const name of lib.protocolNames ?? ['amps', 'json', 'fix', 'nvfix', 'xml']) {
    let codec;
    try {
      codec = lib.protocol(name);
    } catch {
      continue;
    }
    if (seen.has(codec) || !STREAM_PROTOCOLS.includes(name)) continue;
    seen.add(codec);
    names.push(name);
  }
  return names;
}

/**
 * Timing (interleaved, default heap) and allocation (own process, large young generation) of one
 * case; --quick does both in one process to stay within seconds.
 */
function measureCase(c, mode) {
  if (mode === 'quick') {
    const both = work(['both', c.file, c.name, mode], ALLOCATION_NODE_FLAGS);
    return both.error ? both : { result: both.result };
  }
  const timing = work(['case', c.file, c.name, mode]);
  if (timing.error) return timing;
  const ns = Object.fromEntries(Object.entries(timing.result.nsPerOp).map(([who, s]) => [who, s.median]));
  const alloc = work(['alloc', c.file, c.name, mode, JSON.stringify(ns)], ALLOCATION_NODE_FLAGS);
  if (alloc.error) return alloc;
  return { result: { timing: timing.result, alloc: alloc.result } };
}

function progressLine(c) {
  if (c.error) return `  ${c.name}: ERROR ${c.error.split('\n')[0]}`;
  const t = c.result.timing;
  return `  ${c.name}: ${formatRatio(t.ratio.baseline.median)} (${Math.round(t.nsPerOp.ours.median)} vs ${Math.round(t.nsPerOp.baseline.median)} ns/op), alloc ${Math.round(c.result.alloc.ours.bytesPerOp)} vs ${Math.round(c.result.alloc.baseline.bytesPerOp)} B/op`;
}

/**
 * Where a workload spends its time (--cpu-prof) and its allocations (sampling heap profile),
 * running alone: one contender of a case, or throughput mode's mixed stream in one protocol.
 */
async function profile(target, label, quick) {
  const dir = join(BENCH, 'profiles');
  mkdirSync(dir, { recursive: true });
  const base = label.replace(/[^\w.-]+/g, '_');
  const seconds = quick ? 1 : 5;
  const kinds = [
    {
      flags: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${base}.cpuprofile`],
      args: [],
      file: `${base}.cpuprofile`,
      summarise: selfTime,
      title: 'Self time',
    },
    {
      flags: [],
      args: [join(dir, `${base}.heapprofile`)],
      file: `${base}.heapprofile`,
      summarise: allocationSites,
      title: 'Bytes allocated',
    },
  ];
  for (const k of kinds) {
    console.error(`bench: profiling ${label} (${seconds} s, ${k.title.toLowerCase()})...`);
    const r = work(['profile', JSON.stringify(target), String(seconds), ...k.args], k.flags);
    if (r.error) throw new Error(r.error);
    const file = join(dir, k.file);
    console.log(
      `${k.title} of ${label}, ${formatCount(r.result.opsPerSecond)} ${target.stream ? 'frames' : 'ops'}/s while profiled:`,
    );
    for (const row of k.summarise(file, SNAP, 15)) {
      console.log(`  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.fn}  ${row.where}`);
      for (const l of row.lines ?? [])
        console.log(`         ${(l.share * 100).toFixed(1).padStart(5)}%  line ${l.line}`);
    }
    console.log(`  profile: ${relative(process.cwd(), file)}\n`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.render) {
    const run = JSON.parse(readFileSync(opts.render, 'utf8'));
    const publish = run.complete === true && opts.out === undefined;
    console.log(textReport(run));
    renderOutputs(run, publish ? BENCH : (opts.out ?? mkdtempSync(join(os.tmpdir(), 'amps-wire-bench-'))), publish);
    return;
  }
  if (opts.build) ensureBuilt();
  const mode = opts.quick ? 'quick' : 'full';
  if (opts.quick) workerTimeoutMs = 2 * 60_000;
  const command = `node bench/run.mjs${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`;
  const publish =
    !opts.quick &&
    opts.filters.length === 0 &&
    opts.streams.length === 0 &&
    opts.out === undefined &&
    opts.cases &&
    opts.throughput &&
    !opts.profile;

  const distSha256 = freeze();
  const listed = await listCases(join(SNAP, 'bench', 'cases'));
  // A filter that names a case exactly selects that case alone; otherwise it matches substrings.
  const matches = (f, c) => (listed.cases.some((x) => x.name === f) ? c.name === f : c.name.includes(f));
  const selected = listed.cases.filter((c) => opts.filters.length === 0 || opts.filters.some((f) => matches(f, c)));

  if (opts.profile) {
    if (opts.streams.length === 1) {
      await profile({ stream: opts.streams[0] }, `stream-${opts.streams[0]}`, opts.quick);
    } else if (selected.length === 1 && opts.filters.length) {
      const c = selected[0];
      await profile({ file: c.file, name: c.name, who: opts.profile }, `${c.name}.${opts.profile}`, opts.quick);
    } else {
      console.error(
        `bench: --profile needs --case matching exactly one case (matched ${selected.map((c) => c.name).join(', ') || 'none'}) or one --stream`,
      );
      process.exit(2);
    }
    return;
  }

  const run = {
    date: new Date().toISOString(),
    command: publish ? 'npm run bench' : command,
    quick: opts.quick,
    machine: machineInfo(ROOT),
    distSha256,
    settings: { cases: CASE_SETTINGS[mode], throughput: THROUGHPUT_SETTINGS[mode] },
    cases: [],
    throughput: [],
    broken: listed.broken.map((b) => ({ ...b, file: relative(SNAP, b.file) })),
  };
  for (const b of run.broken) console.error(`bench: BROKEN ${b.file}: ${b.error}`);

  if (opts.cases) {
    console.error(`bench: ${selected.length} cases (${mode})`);
    for (const c of selected) {
      const entry = { ...c, file: relative(SNAP, c.file), ...measureCase(c, mode) };
      if (opts.benny && !entry.error) {
        const b = work(['benny', c.file, c.name, mode], [], { quiet: true }); // benny reports progress on stdout
        entry.benny = b.error ? { error: b.error } : b.result;
      }
      run.cases.push(entry);
      console.error(progressLine(entry));
    }
  }

  if (opts.throughput) {
    let names = [];
    try {
      names = (await streamProtocols()).filter((n) => opts.streams.length === 0 || opts.streams.includes(n));
    } catch (err) {
      run.throughput.push({ protocol: '(all)', error: `cannot load the library: ${err?.message ?? err}` });
    }
    console.error(`bench: throughput (${mode}) in ${names.join(', ') || 'no protocol'}`);
    for (const name of names) {
      const r = work(['throughput', name, mode]);
      run.throughput.push(r.error ? { protocol: name, error: r.error } : r.result);
      console.error(
        r.error
          ? `  ${name}: ERROR ${r.error.split('\n')[0]}`
          : `  ${name}: ${formatCount(r.result.mixed.pipeline.messagesPerSecond)} msg/s, ${r.result.mixed.pipeline.mbPerSecond.toFixed(0)} MB/s`,
      );
    }
  }
  run.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);

  console.log(textReport(run));
  if (opts.benny) printBenny(run);
  // A run with a broken case or stream never replaces the published figures.
  const failed = run.broken.length > 0 || run.cases.some((c) => c.error) || run.throughput.some((p) => p.error);
  if (publish && failed) console.error('bench: errors above; the published results are left as they were');
  run.complete = publish && !failed;
  const dir = run.complete ? BENCH : (opts.out ?? mkdtempSync(join(os.tmpdir(), 'amps-wire-bench-')));
  writeResults(run, dir);
  renderOutputs(run, dir, run.complete);

  const unmet = run.cases.filter((c) => {
    const v = verdict(c, !opts.quick);
    return v.judged && !v.met;
  });
  if (unmet.length) console.log(`goals not met: ${unmet.map((c) => c.name).join(', ')}`);
  process.exitCode = failed || (opts.strict && unmet.length) ? 1 : 0;
}

function printBenny(run) {
  console.log('\nCross-check with benny (benchmark.js; contenders run one after the other, not interleaved):');
  for (const c of run.cases) {
    if (!c.benny) continue;
    if (c.benny.error) {
      console.log(`  ${c.name}: benny error ${c.benny.error.split('\n')[0]}`);
      continue;
    }
    const ops = Object.fromEntries(c.benny.results.map((r) => [r.name, r]));
    const ratio = ops.ours.ops / ops.baseline.ops;
    console.log(
      `  ${c.name}: benny ${formatRatio(ratio)} (${formatCount(ops.ours.ops)} vs ${formatCount(ops.baseline.ops)} ops/s, ±${ops.ours.margin}% / ±${ops.baseline.margin}%)` +
        `; interleaved ${formatRatio(c.result.timing.ratio.baseline.median)}`,
    );
  }
}

await main();
