// Time and allocation of one operation, measured side by side.
//
// Every contender gets a loop compiled for it alone (new Function), so its call site stays
// monomorphic and V8 may inline the operation the way it would in a user's own loop. Contenders
// run in interleaved rounds (A B, then B A, ...) so machine noise lands on all of them alike; the
// ratio is the median of the per-round ratios. Time is the CPU time of the process (user +
// system, from getrusage), so time the OS gives to other processes on a shared machine does not
// count; wall time is kept beside it. Allocation is a heap delta between two gc()'d points with
// no collection in between (checked through the 'gc' performance entries).
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** A loop of `n` calls of `fn` with its own call site; returns the last result. */
function compileLoop() {
  return new Function('fn', 'n', "'use strict'; let r; for (let i = 0; i < n; i++) r = fn(); return r;");
}

/** Sink for results so no loop's work is dead. */
export let sink;

const now = () => process.hrtime.bigint();

/** CPU time this process has used, in nanoseconds (microsecond resolution). */
export function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** A contender: `{ name, fn }` plus its own loop and the op count that fills one sample. */
function prepare(name, fn) {
  return { name, fn, loop: compileLoop(), n: 1 };
}

/** Runs `c.n` ops; returns `{ cpu, wall }` nanoseconds per op. */
function sample(c) {
  const c0 = cpuNs();
  const t0 = now();
  sink = c.loop(c.fn, c.n);
  const t1 = now();
  const c1 = cpuNs();
  return { cpu: (c1 - c0) / c.n, wall: Number(t1 - t0) / c.n };
}

/** Grows `c.n` until one sample uses about `targetNs` of CPU time. */
function calibrate(c, targetNs) {
  c.n = 1;
  for (;;) {
    const c0 = cpuNs();
    sink = c.loop(c.fn, c.n);
    const took = cpuNs() - c0;
    if (took >= targetNs / 8 || c.n >= 1 << 30) {
      c.n = Math.max(1, Math.round((c.n * targetNs) / Math.max(took, 1000)));
      return;
    }
    c.n *= took < targetNs / 1000 ? 16 : 2;
  }
}

/** Value at quantile `q` (0..1) of an ascending array, interpolated. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median and quartiles of `values`. */
export function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), min: s[0], max: s[s.length - 1] };
}

/**
 * Times contenders in interleaved rounds.
 * @param contenders `[{ name, fn }]`; the first is the one every ratio is relative to ("ours").
 * @param opts `{ warmupMs, sampleMs, rounds }`
 * @returns `{ nsPerOp, wallNsPerOp, ratio, opsPerSample }`: per contender a summary of CPU
 * and wall nanoseconds per op, and for every other contender the summary of its per-round ratio
 * of CPU time to ours (the speed-up when above 1).
 */
export function timeInterleaved(contenders, { warmupMs, sampleMs, rounds }) {
  const cs = contenders.map(({ name, fn }) => prepare(name, fn));
  const targetNs = sampleMs * 1e6;
  // Warm up every contender in turn (so all get optimized under the same conditions), then
  // calibrate each to the sample length.
  const warmEnd = cpuNs() + warmupMs * 1e6;
  for (const c of cs) calibrate(c, targetNs / 4);
  while (cpuNs() < warmEnd) for (const c of cs) sample(c);
  for (const c of cs) calibrate(c, targetNs);

  const per = cs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    // Rotate the starting contender each round so no one always runs first after the other.
    for (let k = 0; k < cs.length; k++) {
      const i = (r + k) % cs.length;
      per[i].push(sample(cs[i]));
    }
  }
  const nsPerOp = {};
  const wallNsPerOp = {};
  const ratio = {};
  cs.forEach((c, i) => {
    nsPerOp[c.name] = summary(per[i].map((t) => t.cpu));
    wallNsPerOp[c.name] = summary(per[i].map((t) => t.wall));
    if (i > 0) ratio[c.name] = summary(per[i].map((t, r) => t.cpu / per[0][r].cpu));
  });
  return { nsPerOp, wallNsPerOp, ratio, opsPerSample: Object.fromEntries(cs.map((c) => [c.name, c.n])) };
}

// ---- allocation ------------------------------------------------------------------------------

const gcMarks = [];
let observer;

function watchGc() {
  if (observer !== undefined) return;
  observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMarks.push(e.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** Lets queued performance entries reach the observer. */
const flushEntries = () => new Promise((resolve) => setTimeout(resolve, 0));

function heapBytes() {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Bytes allocated by `n` calls through `loop`, and whether a collection ran meanwhile (which
 * frees memory, so the delta would under-count).
 */
async function allocSample(loop, fn, n) {
  globalThis.gc();
  globalThis.gc();
  const t0 = performance.now();
  const before = heapBytes();
  sink = loop(fn, n);
  const after = heapBytes();
  const t1 = performance.now();
  await flushEntries();
  const collected = gcMarks.some((t) => t > t0 && t < t1);
  gcMarks.length = 0;
  return { bytes: after - before, collected };
}

/**
 * V8 flags for the process that measures allocation: a fixed 64 MiB semi-space, so a batch of up
 * to BATCH_BYTES allocates without triggering a scavenge and its heap delta is exact.
 */
export const ALLOCATION_NODE_FLAGS = ['--min-semi-space-size=64', '--max-semi-space-size=64'];
const BATCH_BYTES = 16 << 20;

/** Runs `loop(fn, chunk)` for `ms` of CPU time, so the op is optimized before it is measured. */
function warm(loop, fn, ms, nsPerOp) {
  const chunk = Math.max(1, Math.floor(2e6 / nsPerOp));
  const end = cpuNs() + ms * 1e6;
  do sink = loop(fn, chunk);
  while (cpuNs() < end);
}

/**
 * Bytes allocated per call of `fn` (on the V8 heap plus ArrayBuffer backing stores), as the
 * median over `samples` collection-free batches minus what the measuring itself allocates.
 * A batch holds up to `maxOps` calls (10^6 proves "zero" to a millionth of a byte per op) and
 * lasts at most about `batchMs` given the op's time `nsPerOp`.
 * Run it in a process started with ALLOCATION_NODE_FLAGS and --expose-gc.
 * @returns `{ bytesPerOp, ops, samples, exact }` — `exact` is false if every batch saw a
 * collection, which makes the figure a lower bound.
 */
export async function allocationPerOp(
  fn,
  { samples = 5, maxOps = 1_000_000, nsPerOp = 1000, batchMs = 200, warmupMs = 300 } = {},
) {
  if (typeof globalThis.gc !== 'function') throw new Error('allocation measurement needs node --expose-gc');
  watchGc();
  const loop = compileLoop();
  const idle = compileLoop();
  const nothing = () => 0;
  warm(loop, fn, warmupMs, nsPerOp);
  warm(idle, nothing, 10, 1);

  // What a batch costs with no work in it (process.memoryUsage allocates its result object).
  const overheads = [];
  for (let i = 0; i < samples; i++) {
    const b = await allocSample(idle, nothing, 1000);
    if (!b.collected) overheads.push(b.bytes);
  }
  const overhead = overheads.length ? summary(overheads).median : 0;

  // Size the batch from a probe so it stays under BATCH_BYTES and batchMs; the probe allows for
  // a few KiB of noise so that an op allocating nothing gets the longest batch.
  const byTime = Math.max(1, Math.floor((batchMs * 1e6) / nsPerOp));
  let n = Math.min(1000, byTime);
  const probe = await allocSample(loop, fn, n);
  const estimate = probe.collected ? BATCH_BYTES : Math.max(0, probe.bytes - overhead - 4096) / n;
  n = Math.max(1, Math.min(maxOps, byTime, Math.floor(BATCH_BYTES / Math.max(estimate, BATCH_BYTES / maxOps))));

  const per = [];
  let last;
  for (let tries = 0; per.length < samples && tries < samples * 4; tries++) {
    last = await allocSample(loop, fn, n);
    if (!last.collected) per.push(Math.max(0, last.bytes - overhead) / n);
    else if (n > 1) n = Math.max(1, n >> 2);
  }
  if (per.length === 0) {
    // Every batch saw a collection (one op allocates more than the young generation holds, or
    // its external memory pressure forces one): the delta is then only a lower bound.
    return { bytesPerOp: Math.max(0, last.bytes - overhead) / n, ops: n, samples: 1, exact: false };
  }
  return { bytesPerOp: summary(per).median, ops: n, samples: per.length, exact: true };
}
