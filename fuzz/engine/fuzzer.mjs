/**
 * The fuzz loop of one target: pick a corpus entry, mutate it, run it under the oracles, keep it
 * when it reaches new coverage. Synchronous on purpose (no await between inputs), so a hang
 * stays visible to the watchdog in the main thread through the shared heartbeat.
 */
import v8 from 'node:v8';
import { Finding, PrototypeGuard } from './oracles.mjs';
import { minimize } from './minimize.mjs';
import { checkScaling } from './scaling.mjs';

const MIN_BATCH = 8;
const MAX_BATCH = 256;
// One input in this many rounds runs alone, with its count buckets observed.
const SINGLE_EVERY = 16;

/** Heap plus ArrayBuffer memory, in bytes. */
function memoryInUse() {
  const h = v8.getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/** Where in the library an error was thrown: the first stack frame inside dist/ or src/. */
function libraryFrame(stack) {
  for (const line of String(stack ?? '')
    .split('\n')
    .slice(1)) {
    const m = /(?:dist\/esm|src)\/([^\s:)]+):(\d+)/.exec(line);
    if (m !== null) return `${m[1]}:${m[2]}`;
  }
  return '?';
}

/** A stable name for "the same bug": kind, error class, message without its variable parts, where. */
export function signatureOf(kind, error) {
  if (error === undefined) return kind;
  const message = String(error.message ?? error)
    .split(/: got |, expected /)[0]
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\([^()]*\)/g, '(…)')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
  return `${kind}|${error.name ?? typeof error}|${message}|${error instanceof Finding ? '' : libraryFrame(error.stack)}`;
}

/** A plain description of an error for reports and finding files. */
export function describeError(error) {
  if (error === undefined) return undefined;
  return {
    name: error.name,
    code: error.code,
    message: String(error.message ?? error),
    stack: String(error.stack ?? '')
      .split('\n')
      .slice(0, 12)
      .join('\n'),
  };
}

export class Fuzzer {
  /**
   * @param {object} o
   * @param {object} o.lib the library under test
   * @param {object} o.target a target of fuzz/targets
   * @param {import('./random.mjs').Random} o.rng
   * @param {import('./mutate.mjs').Mutator} o.mutator
   * @param {import('./coverage.mjs').CoverageMap} o.coverage
   * @param {{ record(input: Uint8Array): void }} o.heartbeat called before each execution
   * @param {(finding: object) => void} o.onFinding
   * @param {(input: Uint8Array) => void} [o.onCorpus]
   * @param {number} [o.slowMs] an input taking longer is a finding (50)
   * @param {number} [o.allocLimit] bytes one input may leave allocated (32 MiB)
   * @param {number} [o.growthLimit] growth of memory after GC over the run (64 MiB)
   * @param {() => void} [o.gc] a full garbage collection, for the memory growth check
   * @param {() => number} [o.memoryInUse] bytes in use (default: V8 heap plus ArrayBuffers)
   * @param {() => number} [o.now] milliseconds for timing one input (default: performance.now)
   * @param {number} [o.scalingShare] share of the run's time the scaling oracle may take (0.25; 0 turns it off)
   */
  constructor(o) {
    this.lib = o.lib;
    this.target = o.target;
    this.rng = o.rng;
    this.mutator = o.mutator;
    this.coverage = o.coverage;
    this.heartbeat = o.heartbeat;
    this.onFinding = o.onFinding;
    this.onCorpus = o.onCorpus ?? (() => {});
    this.slowMs = o.slowMs ?? 50;
    this.allocLimit = o.allocLimit ?? 32 * 1024 * 1024;
    this.growthLimit = o.growthLimit ?? 64 * 1024 * 1024;
    this.gc = o.gc;
    this.memoryInUse = o.memoryInUse ?? memoryInUse;
    this.now = o.now ?? (() => performance.now());
    this.scalingShare = o.scalingShare ?? 0.25;
    this.scaling = { ms: 0, since: undefined, running: false };
    this.guard = new PrototypeGuard();
    /** @type {Uint8Array[]} */
    this.corpus = [];
    this.corpusBytes = 0;
    this.signatures = new Set();
    this.executions = 0;
    this.batchSize = MIN_BATCH;
    this.replays = 0;
    this.memory = { baseline: undefined, last: undefined, checkedAt: 0 };
  }

  /**
   * Runs one input under the oracles. Returns undefined when all is well, else
   * `{ kind, error, ms }`.
   */
  execute(input) {
    this.heartbeat.record(input);
    this.executions++;
    const before = this.memoryInUse();
    const start = this.now();
    let error;
    let threw = false;
    try {
      this.target.run(this.lib, input);
    } catch (err) {
      error = err;
      threw = true;
    }
    const ms = this.now() - start;
    this.last = { ms, bytes: Math.max(0, this.memoryInUse() - before) };
    if (threw && !(error instanceof this.lib.AMPSException)) {
      return { kind: error instanceof Finding ? error.kind : 'crash', error, ms };
    }
    if (ms > this.slowMs) return { kind: 'slow', ms };
    if (this.memoryInUse() - before > this.allocLimit) return { kind: 'alloc', ms };
    return undefined;
  }

  /** Whether `input` still fails with `signature` (slow inputs are timed twice, the faster counts). */
  _failsAs(input, signature) {
    const r = this.execute(input);
    if (r === undefined) return false;
    if (r.kind === 'slow') {
      const again = this.execute(input);
      return again !== undefined && again.kind === 'slow' && signature === 'slow';
    }
    return signatureOf(r.kind, r.error) === signature;
  }

  _prototypeFails(input) {
    this.execute(input);
    const changed = this.guard.changes().length > 0;
    this.guard.restore();
    return changed;
  }

  /** Confirms, minimizes and reports a failing input (once per signature). */
  _report(input, result) {
    // The loop runs without stack traces (capturing one per AMPSException halves the speed on
    // bad input); a finding is run again with them, since its signature names the throwing line.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 20;
    try {
      this._reportWithStacks(
        input,
        result.kind === 'prototype' || result.kind === 'memory' || result.kind === 'scaling'
          ? result
          : this.execute(input),
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  _reportWithStacks(input, result) {
    if (result === undefined) return; // it passed when run again: nothing stable to report
    if (result.kind === 'slow') {
      // Compilation or a GC pause can make one run slow; a slow input is slow every time.
      const again = this.execute(input);
      if (again === undefined || again.kind !== 'slow') return;
    }
    const signature = result.kind === 'prototype' ? 'prototype' : signatureOf(result.kind, result.error);
    if (this.signatures.has(signature)) return;
    this.signatures.add(signature);
    const fails =
      result.kind === 'prototype'
        ? (c) => this._prototypeFails(c)
        : result.kind === 'scaling'
          ? (c) => this._scalingResult(c)?.kind === 'scaling'
          : (c) => this._failsAs(c, signature);
    const { input: small } = minimize(input, fails, {
      maxTries: result.kind === 'slow' || result.kind === 'scaling' ? 100 : 4000,
    });
    const final =
      result.kind === 'prototype' || result.kind === 'memory'
        ? result
        : result.kind === 'scaling'
          ? (this._scalingResult(small) ?? result)
          : (this.execute(small) ?? result);
    this.onFinding({
      kind: result.kind,
      signature,
      input: small,
      originalLength: input.length,
      error: describeError(final.error ?? result.error),
      ms: final.ms,
    });
  }

  /**
   * Runs a saved finding again: undefined when it no longer fails, else `{ kind, signature,
   * error }`. Its signature counts as reported, so the loop does not save it twice.
   */
  replay(input) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 20;
    try {
      return this._replay(input);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  _replay(input) {
    let result = this.execute(input);
    if (result?.kind === 'slow') result = this.execute(input);
    if (result === undefined && this.scalingShare > 0 && this.target.scalable !== false)
      result = this._scalingResult(input);
    const changes = this.guard.changes();
    if (changes.length > 0) {
      this.guard.restore();
      result = { kind: 'prototype', error: new Finding('contract', changes.join('; ')) };
    }
    if (result === undefined) return undefined;
    const signature = result.kind === 'prototype' ? 'prototype' : signatureOf(result.kind, result.error);
    this.signatures.add(signature);
    return { kind: result.kind, signature, error: describeError(result.error), ms: result.ms };
  }

  /** Runs a seed on its own; keeps it if it reaches new coverage. */
  addSeed(input) {
    const result = this.execute(input);
    const fresh = this.coverage.observeSingle(this.coverage.take());
    this._checkPrototypes([input]);
    if (result !== undefined) this._report(input, result);
    else if (fresh > 0 || this.corpus.length === 0) this._keep(input);
    return result;
  }

  _keep(input) {
    this.corpus.push(input);
    this.corpusBytes += input.length;
    this.onCorpus(input);
    this._checkScaling(input);
  }

  /**
   * The scaling oracle (engine/scaling.mjs) on a new corpus entry, within its share of the
   * run's time. A grown input that fails on its own is reported as what it is.
   */
  _checkScaling(input) {
    if (this.scalingShare <= 0 || this.target.scalable === false || this.scaling.running) return;
    const started = this.now();
    this.scaling.since ??= started;
    if (this.scaling.ms > this.scalingShare * (started - this.scaling.since) + 1000) return;
    this.scaling.running = true;
    try {
      const result = this._scalingResult(input);
      if (result !== undefined) this._report(input, result);
    } finally {
      this.scaling.running = false;
      this.scaling.ms += this.now() - started;
    }
    this._checkPrototypes([input]);
  }

  _scalingResult(input) {
    let failed;
    const measure = (x) => {
      const r = this.execute(x);
      if (r === undefined || r.kind === 'slow' || r.kind === 'alloc') return this.last;
      failed ??= { input: x, result: r };
      return undefined;
    };
    const grown = checkScaling(input, { measure, settle: this.gc });
    if (failed !== undefined) return failed.input === input ? failed.result : undefined;
    return grown === undefined ? undefined : { kind: 'scaling', error: new Finding('scaling', grown.message) };
  }

  _pick() {
    const c = this.corpus;
    if (this.rng.oneIn(3)) return c[c.length - 1 - this.rng.below(Math.min(16, c.length))];
    return c[this.rng.below(c.length)];
  }

  /** A prototype that changed during `inputs`: find the input, report it, restore the prototypes. */
  _checkPrototypes(inputs) {
    const changes = this.guard.changes();
    if (changes.length === 0) return;
    this.guard.restore();
    const culprit = inputs.find((input) => this._prototypeFails(input));
    if (culprit !== undefined)
      this._report(culprit, { kind: 'prototype', error: new Finding('contract', changes.join('; ')) });
  }

  /**
   * Every few seconds: full GC, then compare memory in use with the first measurement. The
   * corpus itself may grow; anything beyond it and the limit is a leak across iterations.
   */
  _checkMemory(now, recent) {
    if (this.gc === undefined || now - this.memory.checkedAt < 5000) return;
    this.memory.checkedAt = now;
    this.gc();
    const used = this.memoryInUse();
    this.memory.last = used;
    if (this.memory.baseline === undefined) {
      this.memory.baseline = used - this.corpusBytes;
      return;
    }
    const growth = used - this.corpusBytes - this.memory.baseline;
    if (growth > this.growthLimit) {
      this.memory.baseline = used - this.corpusBytes; // report once, then watch for more
      this._report(recent, {
        kind: 'memory',
        error: new Finding(
          'contract',
          `memory in use grew by ${(growth / 1048576).toFixed(1)} MiB over the run (after GC)`,
        ),
      });
    }
  }

  /** Runs `count` fresh mutants; returns them. */
  _runMutants(count) {
    const inputs = [];
    for (let i = 0; i < count; i++) {
      const input = this.mutator.mutate(this._pick(), this.corpus.length > 1 ? this._pick() : undefined);
      const result = this.execute(input);
      if (result !== undefined) this._report(input, result);
      inputs.push(input);
    }
    return inputs;
  }

  /**
   * A group reached a new block: run each half again and descend into the halves that still
   * do, down to the inputs, which are kept (with their count buckets recorded).
   */
  _bisect(group) {
    if (group.length === 1) {
      this.execute(group[0]);
      if (this.coverage.observeSingle(this.coverage.take()) > 0) this._keep(group[0]);
      return;
    }
    const middle = group.length >> 1;
    for (const half of [group.slice(0, middle), group.slice(middle)]) {
      for (const input of half) this.execute(input);
      if (this.coverage.observeGroup(this.coverage.take()) > 0) this._bisect(half);
    }
  }

  /** Fuzzes until `deadline` (a performance.now() value). */
  run(deadline) {
    while (performance.now() < deadline) {
      let inputs;
      if (this.rng.oneIn(SINGLE_EVERY)) {
        // One input on its own now and then, so count buckets (loops run more often) count too.
        inputs = this._runMutants(1);
        if (this.coverage.observeSingle(this.coverage.take()) > 0) this._keep(inputs[0]);
      } else {
        inputs = this._runMutants(this.batchSize);
        if (this.coverage.observeGroup(this.coverage.take()) > 0) {
          this.replays++;
          this._bisect(inputs);
          this.batchSize = Math.max(MIN_BATCH, this.batchSize >> 1);
        } else if (this.batchSize < MAX_BATCH) {
          this.batchSize <<= 1;
        }
      }
      this._checkPrototypes(inputs);
      this._checkMemory(performance.now(), inputs[inputs.length - 1]);
    }
  }
}
