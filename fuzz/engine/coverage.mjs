/**
 * Coverage feedback from V8's precise block coverage, read through `node:inspector` in the
 * current thread.
 *
 * `Profiler.takePreciseCoverage` returns, for every function that ran since the previous take,
 * its ranges with execution counts, and resets the counts. V8 leaves out a nested range whose
 * count equals its parent's, so a block that was reported as never run (count 0) by one input
 * simply disappears from the report of an input that runs it. We therefore remember every range
 * ever reported per function (the "known blocks") and give each known block the count of the
 * innermost reported range that contains it. A feature is (block, count bucket), with AFL's
 * buckets (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+) so that loops running more often count as
 * new behaviour too. An input is interesting when it sets a feature bit no earlier input set.
 *
 * Taking coverage costs a fixed 0.3-1 ms (V8 walks every function of every script), some ten
 * executions' worth, so the fuzzer mostly runs inputs in groups and takes coverage once per
 * group. Summed counts say nothing about one input's buckets, so a group is only asked whether
 * it reached a block no single input reached before; `observeGroup` answers that, and the
 * fuzzer then bisects the group to find the input, which `observeSingle` records with buckets.
 */
import { Session } from 'node:inspector';

/** AFL's hit-count buckets as one bit each. */
export function bucketBit(count) {
  if (count <= 0) return 0;
  if (count <= 3) return 1 << (count - 1);
  if (count <= 7) return 8;
  if (count <= 15) return 16;
  if (count <= 31) return 32;
  if (count <= 127) return 64;
  return 128;
}

/** The known blocks of one function: parallel arrays, plus the bucket bits seen per block. */
class FunctionBlocks {
  constructor(url, name) {
    this.url = url;
    this.name = name;
    this.starts = [];
    this.ends = [];
    /** Bucket bits reached by single inputs, per block (0: never reached). */
    this.seen = [];
  }

  /** Registers any range not known yet. */
  learn(ranges) {
    for (const r of ranges) {
      let known = false;
      for (let k = 0; k < this.starts.length; k++) {
        if (this.starts[k] === r.startOffset && this.ends[k] === r.endOffset) {
          known = true;
          break;
        }
      }
      if (known) continue;
      this.starts.push(r.startOffset);
      this.ends.push(r.endOffset);
      this.seen.push(0);
    }
  }

  /** The count of the innermost reported range holding block k (ranges are properly nested). */
  countOf(k, ranges) {
    const s = this.starts[k];
    const e = this.ends[k];
    let best = -1;
    let bestSize = Infinity;
    for (const r of ranges) {
      if (r.startOffset <= s && e <= r.endOffset && r.endOffset - r.startOffset < bestSize) {
        bestSize = r.endOffset - r.startOffset;
        best = r.count;
      }
    }
    return best;
  }
}

/**
 * Tracks which blocks of the scripts accepted by `include(url)` have been reached.
 */
export class CoverageMap {
  /** @param {(url: string) => boolean} include which scripts give feedback */
  constructor(include) {
    this.include = include;
    /** @type {Map<string, FunctionBlocks>} key: url + '#' + function start offset */
    this.functions = new Map();
    this.session = undefined;
  }

  /** Connects to the inspector and starts precise block coverage with counts. */
  start() {
    this.session = new Session();
    this.session.connect();
    this._post('Profiler.enable');
    this._post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    this.take(); // drop what ran while loading
  }

  stop() {
    if (this.session === undefined) return;
    this._post('Profiler.stopPreciseCoverage');
    this._post('Profiler.disable');
    this.session.disconnect();
    this.session = undefined;
  }

  // The same-thread session answers synchronously, which keeps the fuzz loop free of awaits.
  _post(method, params) {
    let error;
    let result;
    this.session.post(method, params, (err, res) => {
      error = err;
      result = res;
    });
    if (error) throw error;
    if (result === undefined) throw new Error(`inspector did not answer ${method} synchronously`);
    return result;
  }

  /** The functions of included scripts that ran since the previous take (counts reset). */
  take() {
    const out = [];
    for (const script of this._post('Profiler.takePreciseCoverage').result) {
      if (!this.include(script.url)) continue;
      for (const fn of script.functions) {
        if (fn.ranges[0].count > 0) out.push({ url: script.url, fn });
      }
    }
    return out;
  }

  _blocksOf(url, fn) {
    const key = url + '#' + fn.ranges[0].startOffset;
    let blocks = this.functions.get(key);
    if (blocks === undefined) {
      blocks = new FunctionBlocks(url, fn.functionName);
      this.functions.set(key, blocks);
    }
    blocks.learn(fn.ranges);
    return blocks;
  }

  /**
   * Merges the coverage of one input into the map; returns how many (block, bucket) features
   * were new.
   */
  observeSingle(taken) {
    let fresh = 0;
    for (const { url, fn } of taken) {
      const blocks = this._blocksOf(url, fn);
      const seen = blocks.seen;
      for (let k = 0; k < blocks.starts.length; k++) {
        const bit = bucketBit(blocks.countOf(k, fn.ranges));
        if (bit === 0 || (seen[k] & bit) !== 0) continue;
        fresh++;
        seen[k] |= bit;
      }
    }
    return fresh;
  }

  /** How many blocks the inputs run since the last take reached that no single input reached. */
  observeGroup(taken) {
    let fresh = 0;
    for (const { url, fn } of taken) {
      const blocks = this._blocksOf(url, fn);
      for (let k = 0; k < blocks.starts.length; k++) {
        if (blocks.seen[k] === 0 && blocks.countOf(k, fn.ranges) > 0) fresh++;
      }
    }
    return fresh;
  }

  /**
   * Blocks reached by at least one input, of the blocks known (those of every function that ran
   * at all), restricted to scripts accepted by `scope(url)`.
   */
  summary(scope = () => true) {
    let known = 0;
    let covered = 0;
    let functions = 0;
    const files = new Set();
    for (const blocks of this.functions.values()) {
      if (!scope(blocks.url)) continue;
      functions++;
      files.add(blocks.url);
      known += blocks.starts.length;
      for (const bits of blocks.seen) if (bits !== 0) covered++;
    }
    return { covered, known, functions, files: files.size };
  }

  /** The known blocks of scripts accepted by `scope(url)` that no input reached. */
  uncovered(scope = () => true) {
    const out = [];
    for (const blocks of this.functions.values()) {
      if (!scope(blocks.url)) continue;
      blocks.seen.forEach((bits, k) => {
        if (bits === 0)
          out.push({ url: blocks.url, function: blocks.name, start: blocks.starts[k], end: blocks.ends[k] });
      });
    }
    return out;
  }

  /**
   * Functions of scripts accepted by `scope(url)` that exist but never ran, from V8's
   * best-effort coverage (which lists every function still alive, run or not).
   */
  neverRun(scope = () => true) {
    const ran = new Set(this.functions.keys());
    const missing = [];
    for (const script of this._post('Profiler.getBestEffortCoverage').result) {
      if (!this.include(script.url) || !scope(script.url)) continue;
      for (const fn of script.functions) {
        const key = script.url + '#' + fn.ranges[0].startOffset;
        if (!ran.has(key) && fn.functionName !== '')
          missing.push(`${script.url.slice(script.url.lastIndexOf('/dist/') + 1)}:${fn.functionName}`);
      }
    }
    return missing;
  }
}
