// One measurement in a process of its own (started by ../run.mjs with --expose-gc), so no case
// inherits another's JIT state or heap. The result goes to file descriptor 3 as one JSON text;
// stdout and stderr stay free for whatever a case or benny prints.
//
//   worker.mjs case FILE NAME quick|full                (timing)
//   worker.mjs alloc FILE NAME quick|full NS_PER_OP_JSON (allocation; needs ALLOCATION_NODE_FLAGS)
//   worker.mjs both FILE NAME quick|full                (timing then allocation, one process)
//   worker.mjs throughput PROTOCOL quick|full
//   worker.mjs profile TARGET_JSON SECONDS [HEAPPROFILE]
//   worker.mjs benny FILE NAME quick|full
import { writeFileSync, writeSync } from 'node:fs';
import { allocationPerOp, cpuNs, sink, timeInterleaved } from './measure.mjs';
import { contendersOf, loadCase } from './cases.mjs';
import { CASE_SETTINGS, THROUGHPUT_SETTINGS } from './settings.mjs';
import { measureProtocol, streamPass } from './throughput.mjs';

async function runCase(file, name, mode) {
  const c = await loadCase(file, name);
  c.check?.();
  return timeInterleaved(contendersOf(c), CASE_SETTINGS[mode]);
}

/**
 * Allocation per op of each contender; `nsPerOp` (from the timing run) bounds each batch's
 * length. A short `warmupMs` will do when the ops are already warm in this process (only the
 * measuring loops are new).
 */
async function allocOf(c, mode, nsPerOp, warmupMs) {
  const s = CASE_SETTINGS[mode];
  const out = {};
  for (const { name: who, fn } of contendersOf(c)) {
    out[who] = await allocationPerOp(fn, {
      samples: s.allocSamples,
      maxOps: s.allocMaxOps,
      nsPerOp: nsPerOp[who],
      batchMs: s.allocBatchMs,
      warmupMs,
    });
  }
  return out;
}

async function runAlloc(file, name, mode, nsPerOp) {
  return allocOf(await loadCase(file, name), mode, nsPerOp, CASE_SETTINGS[mode].warmupMs);
}

/** Timing, then allocation of the now warm ops in the same process (--quick: one process, not judged). */
async function runBoth(file, name, mode) {
  const c = await loadCase(file, name);
  c.check?.();
  const timing = timeInterleaved(contendersOf(c), CASE_SETTINGS[mode]);
  const ns = Object.fromEntries(Object.entries(timing.nsPerOp).map(([who, t]) => [who, t.median]));
  return { timing, alloc: await allocOf(c, mode, ns, 10) };
}

async function runThroughput(protocolName, mode) {
  const lib = await import('../../dist/esm/index.js');
  return measureProtocol(lib, protocolName, { ...THROUGHPUT_SETTINGS[mode], withCeiling: protocolName === 'amps' });
}

/**
 * Runs one workload alone for `seconds`, for a CPU profile of it (node --cpu-prof around this
 * process) or, given `heapFile`, a sampling allocation profile that keeps the objects already
 * collected (node --heap-prof keeps only the survivors, which says nothing about garbage per op).
 * `target` is `{ file, name, who }` for one contender of a case, or `{ stream }` for a pass of
 * throughput mode's mixed stream in that protocol (ops are then frames).
 */
async function runProfile(target, seconds, heapFile) {
  let fn;
  let perCall = 1;
  if (target.stream) {
    const lib = await import('../../dist/esm/index.js');
    fn = streamPass(lib, target.stream, 32 << 20);
    perCall = fn();
  } else {
    const c = await loadCase(target.file, target.name);
    fn = target.who === 'baseline' ? c.baseline : c.ours;
  }
  let session;
  if (heapFile) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 64,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  const cpuStart = cpuNs();
  let calls = 0;
  let r;
  const batch = target.stream ? 1 : 1000; // reading the clock between ops would show in the profile
  while (process.hrtime.bigint() < end) {
    for (let i = 0; i < batch; i++) r = fn();
    calls += batch;
  }
  const took = (cpuNs() - cpuStart) / 1e9;
  if (session) {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(heapFile, JSON.stringify(profile));
    session.disconnect();
  }
  return { opsPerSecond: (calls * perCall) / took, last: typeof r }; // per CPU second
}

/** The same two contenders timed by benny (benchmark.js), one after the other, as a cross-check. */
async function runBenny(file, name, mode) {
  const { default: b } = await import('benny');
  const c = await loadCase(file, name);
  let keep;
  const maxTime = mode === 'quick' ? 0.5 : 3;
  const summary = await b.suite(
    name,
    ...contendersOf(c).map(({ name: who, fn }) => b.add(who, () => void (keep = fn()), { maxTime })),
    b.cycle(),
  );
  return {
    sink: typeof keep,
    results: summary.results.map((r) => ({ name: r.name, ops: r.ops, margin: r.margin, samples: r.samples })),
  };
}

const [mode, ...args] = process.argv.slice(2);
const jobs = {
  case: () => runCase(args[0], args[1], args[2]),
  alloc: () => runAlloc(args[0], args[1], args[2], JSON.parse(args[3])),
  both: () => runBoth(args[0], args[1], args[2]),
  throughput: () => runThroughput(args[0], args[1]),
  profile: () => runProfile(JSON.parse(args[0]), Number(args[1]), args[2]),
  benny: () => runBenny(args[0], args[1], args[2]),
};
try {
  const result = await jobs[mode]();
  writeSync(3, JSON.stringify({ ok: true, result, sink: typeof sink }));
} catch (err) {
  writeSync(3, JSON.stringify({ ok: false, error: String(err?.stack ?? err) }));
}
process.exit(0);
