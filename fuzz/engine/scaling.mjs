/**
 * The scaling oracle: an input that costs more time or memory per byte the larger it grows is a
 * finding even when each single run is quick (a quadratic loop over fields, a per-record
 * allocation that should be lazy). A corpus entry is grown by repeating one of its spans, a run
 * between two occurrences of the same byte (a field and its separator, an attribute and the
 * space before it, a record and its brace): large enough to measure, then four times that. Time
 * and memory per input byte must not grow by more than `maxRatio` between the two.
 */
import { Random } from './random.mjs';

/** The span of `input` that scaling repeats: fixed by the input's bytes, so a replay finds it again. */
export function spanOf(input) {
  let h = 2166136261;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input[i], 16777619);
  const rng = new Random(h >>> 0);
  const start = rng.below(input.length);
  const next = input.indexOf(input[start], start + 1);
  return { start, end: next < 0 ? input.length : next };
}

/** `input` with `span` repeated `times` times in place. */
export function grow(input, span, times) {
  const unit = input.subarray(span.start, span.end);
  const out = new Uint8Array(input.length + unit.length * (times - 1));
  out.set(input.subarray(0, span.start), 0);
  let o = span.start;
  for (let k = 0; k < times; k++, o += unit.length) out.set(unit, o);
  out.set(input.subarray(span.end), o);
  return out;
}

/**
 * Options: `measure(input)` runs the input once and returns `{ ms, bytes }` (undefined when the
 * run is a finding of its own); `settle()` a full garbage collection; `minMs` the time a base
 * run must reach to be timed (2), `maxBase` the largest base grown to (256 KiB), `minBytes` the
 * memory a grown run must take for memory to be judged (4 MiB); `maxConfirmMs` the longest the
 * sixteen-times run may be expected to take for a finding to be confirmed (1500).
 *
 * Growth counts only when it holds over two steps: per-byte cost more than 3× at four times the
 * size and more than 8× at sixteen times, and more than twice as much at sixteen times as at
 * four (a quadratic cost gives 4×, 16× and 4×), each the least of three runs. One step alone is noise on a busy machine: a collection, a compilation, a cache.
 * Returns undefined, or `{ what: 'time' | 'memory', message }`.
 */
export function checkScaling(input, o) {
  if (input.length === 0) return undefined;
  const span = spanOf(input);
  const minMs = o.minMs ?? 2;
  const maxBase = o.maxBase ?? 256 * 1024;
  const minBytes = o.minBytes ?? 4 * 1024 * 1024;
  const unit = span.end - span.start;
  // The base: the input grown until a run takes long enough to time.
  let times = 1;
  let base = input;
  let b = o.measure(base);
  while (b !== undefined && b.ms < minMs && base.length + unit * times * 3 <= maxBase) {
    times *= 4;
    base = grow(input, span, times);
    b = o.measure(base);
  }
  if (b === undefined) return undefined;
  const four = grow(input, span, times * 4);
  const g = o.measure(four);
  if (g === undefined) return undefined;
  // Screening on single runs: nothing to see unless one step looks superlinear.
  const perByte = (cost, x) => cost / x.length;
  const slower = b.ms >= minMs / 4 && g.ms >= minMs && perByte(g.ms, four) > 3 * perByte(b.ms, base);
  const bigger = g.bytes >= minBytes && perByte(g.bytes, four) > 3 * Math.max(perByte(b.bytes, base), 1);
  if (!slower && !bigger) return undefined;
  // Confirming takes three runs of each size, the largest sixteen times the base. When that
  // would take longer than a hang (the 4× run is already slow), the step is left unconfirmed:
  // a cost that jumps once the input crosses a threshold (a long declared frame that ends, then
  // many short ones) is not growth, and a real quadratic cost shows on smaller inputs too.
  if (g.ms * 4 * 3 > (o.maxConfirmMs ?? 1500)) return undefined;
  const sixteen = grow(input, span, times * 16);
  const best = (x) => {
    let ms = Infinity;
    let bytes = Infinity;
    for (let k = 0; k < 3; k++) {
      o.settle?.();
      const r = o.measure(x);
      if (r === undefined) return undefined;
      ms = Math.min(ms, r.ms);
      bytes = Math.min(bytes, r.bytes);
    }
    return { ms, bytes };
  };
  const runs = [best(base), best(four), best(sixteen)];
  if (runs.some((r) => r === undefined)) return undefined;
  const [r1, r4, r16] = runs;
  const sizes = `${base.length} B: %1, ${four.length} B: %4, ${sixteen.length} B: %16`;
  const judge = (what, cost, floor, show) => {
    const at1 = Math.max(perByte(cost(r1), base), floor);
    const g4 = perByte(cost(r4), four) / at1;
    const g16 = perByte(cost(r16), sixteen) / at1;
    // The second step must grow too: a cost that jumps once, where the input crosses a threshold
    // (a long declared frame that ends, then many short ones), and then stays level is not growth.
    if (g4 <= 3 || g16 <= 8 || g16 <= 2 * g4) return undefined;
    const detail = sizes
      .replace('%16', show(cost(r16)))
      .replace('%4', show(cost(r4)))
      .replace('%1', show(cost(r1)));
    return {
      what,
      message: `${what} per input byte grows with the input: got ${g4.toFixed(1)}× at 4× the size and ${g16.toFixed(1)}× at 16× (${detail}), expected at most 3× and 8×`,
    };
  };
  return (
    (slower
      ? judge(
          'time',
          (r) => r.ms,
          1e-9,
          (ms) => `${ms.toFixed(2)} ms`,
        )
      : undefined) ??
    (bigger && r16.bytes >= minBytes
      ? judge(
          'memory',
          (r) => r.bytes,
          1,
          (n) => `${n} B`,
        )
      : undefined)
  );
}
