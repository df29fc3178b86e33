// The fuzzer's own parts: PRNG, mutators, minimizer, byte renderings, coverage features,
// oracles and the loop's finding handling, each on small inputs whose answer is known.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoverageMap, bucketBit } from '../../fuzz/engine/coverage.mjs';
import { Fuzzer, signatureOf } from '../../fuzz/engine/fuzzer.mjs';
import { minimize } from '../../fuzz/engine/minimize.mjs';
import { INTERESTING_BYTES, Mutator, OPERATORS, digitRuns, splice, u32be } from '../../fuzz/engine/mutate.mjs';
import { Finding, PrototypeGuard, expectSame, expectStreamException, same } from '../../fuzz/engine/oracles.mjs';
import { Random } from '../../fuzz/engine/random.mjs';
import { grow, spanOf } from '../../fuzz/engine/scaling.mjs';
import { escapeBytes, fromHex, toHex, unescapeText } from '../../fuzz/engine/text.mjs';
import { AMPSException, CommandException, StreamException } from '../../src/index.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('scaling inputs', () => {
  it('grows an input by repeating the span between two equal bytes, fixed by the input', () => {
    const input = bytes('20000=p\x0220005=t\x02x');
    const span = spanOf(input);
    expect(spanOf(input)).toEqual(span);
    expect(span.end).toBeGreaterThan(span.start);
    expect(span.end === input.length || input[span.end] === input[span.start]).toBe(true);
    const grown = grow(input, span, 4);
    const unit = text(input.subarray(span.start, span.end));
    expect(text(grown)).toBe(text(input.subarray(0, span.start)) + unit.repeat(4) + text(input.subarray(span.end)));
    expect(grow(input, span, 1)).toEqual(input);
  });
});

describe('Random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps below(n) and between(lo, hi) inside their ranges', () => {
    const r = new Random(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.below(5);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(5);
      seen.add(v);
      const w = r.between(-2, 2);
      expect(w).toBeGreaterThanOrEqual(-2);
      expect(w).toBeLessThanOrEqual(2);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(r.below(1)).toBe(0);
  });
});

describe('mutation operators', () => {
  it('splice replaces a range and u32be writes big-endian', () => {
    expect(text(splice(bytes('abcdef'), 2, 2, bytes('XYZ')))).toBe('abXYZef');
    expect(text(splice(bytes('abc'), 3, 0, bytes('!')))).toBe('abc!');
    expect([...u32be(0x01020304)]).toEqual([1, 2, 3, 4]);
    expect([...u32be(0xffffffff)]).toEqual([255, 255, 255, 255]);
  });

  it('digitRuns finds every run of ASCII digits', () => {
    expect(digitRuns(bytes('{"s":42,"l":"7"}x123'))).toEqual([
      [5, 7],
      [13, 14],
      [17, 20],
    ]);
    expect(digitRuns(bytes('none'))).toEqual([]);
  });

  it('each operator returns new bytes or undefined, and leaves its input alone', () => {
    const rng = new Random(1);
    const ctx = { dictionary: [bytes('<![CDATA[')], other: bytes('20000=p\x01') };
    for (const [name, op] of Object.entries(OPERATORS)) {
      for (const input of [new Uint8Array(0), bytes('x'), bytes('{"c":"p","s":12}body')]) {
        const before = input.slice();
        for (let i = 0; i < 50; i++) {
          const out = op(rng, input, ctx);
          if (out !== undefined) expect(out, name).toBeInstanceOf(Uint8Array);
        }
        expect(input, name).toEqual(before);
      }
    }
  });

  it('the byte operators change exactly one byte to the kind of value they promise', () => {
    const rng = new Random(3);
    const input = new Uint8Array(16);
    for (let i = 0; i < 100; i++) {
      const flipped = OPERATORS.flipBit(rng, input)!;
      const changed = [...flipped].filter((b) => b !== 0);
      expect(changed).toHaveLength(1);
      expect(Math.log2(changed[0]!) % 1).toBe(0); // one bit
      const interesting = OPERATORS.interestingByte(rng, input)!;
      for (const b of interesting) if (b !== 0) expect(INTERESTING_BYTES).toContain(b);
    }
  });

  it('insertToken puts a whole dictionary token into the input', () => {
    const rng = new Random(5);
    for (let i = 0; i < 50; i++) {
      const out = OPERATORS.insertToken(rng, bytes('{}'), { dictionary: [bytes('"cid":')] })!;
      expect(text(out).replace('"cid":', '')).toBe('{}');
    }
    expect(OPERATORS.insertToken(rng, bytes('{}'), { dictionary: [] })).toBeUndefined();
  });

  it('replaceNumber swaps a digit run for another number', () => {
    const rng = new Random(9);
    for (let i = 0; i < 100; i++) {
      const out = text(OPERATORS.replaceNumber(rng, bytes('{"l":10}'))!);
      expect(out.startsWith('{"l":')).toBe(true);
      expect(out.endsWith('}')).toBe(true);
    }
  });

  it('Mutator never exceeds maxLength, always changes something, and is reproducible', () => {
    const run = (seed: number) => {
      const m = new Mutator(new Random(seed), { dictionary: [bytes('<Tpc>')], maxLength: 64 });
      const outs: string[] = [];
      let input = bytes('{"c":"p","t":"orders"}');
      for (let i = 0; i < 300; i++) {
        const out = m.mutate(input, bytes('20000=p\x01'));
        expect(out.length).toBeLessThanOrEqual(64);
        outs.push(toHex(out));
        if (out.length > 0) input = out;
      }
      return { outs, uses: m.uses };
    };
    const a = run(11);
    expect(run(11).outs).toEqual(a.outs);
    expect(new Set(a.outs).size).toBeGreaterThan(250);
    for (const [name, count] of Object.entries(a.uses)) expect(count, name).toBeGreaterThan(0);
  });
});

describe('minimize', () => {
  it('shrinks to the smallest input that still fails', () => {
    const fails = (c: Uint8Array) => text(c).includes('\\u');
    const { input } = minimize(bytes('{"c":"p","t":"a\\u00e9b","x":[1,2,3]}tail'), fails);
    expect(text(input)).toBe('\\u');
  });

  it('removes whole members that aligned chunks would cut through', () => {
    // Fails while the input still has a "bad" member and is a balanced object.
    const fails = (c: Uint8Array) => {
      const t = text(c);
      return t.startsWith('{') && t.endsWith('}') && t.includes('"bad":1');
    };
    const { input } = minimize(bytes('{"aaa":"x","bb":"y","bad":1,"c":"zz"}'), fails);
    expect(text(input)).toBe('{"bad":1}');
  });

  it('simplifies bytes it cannot remove', () => {
    const fails = (c: Uint8Array) => c.length === 3;
    expect(text(minimize(bytes('x!#'), fails).input)).toBe('000');
  });

  it('stops after maxTries predicate calls', () => {
    let calls = 0;
    const { tries } = minimize(
      new Uint8Array(500),
      () => {
        calls++;
        return false;
      },
      { maxTries: 25 },
    );
    expect(tries).toBe(25);
    expect(calls).toBe(25);
  });
});

describe('byte renderings', () => {
  it('escapes bytes readably and reads them back', () => {
    expect(escapeBytes(bytes('a\\b\x01\x02é'))).toBe('a\\\\b\\x01\\x02\\xc3\\xa9');
    expect(text(unescapeText('20000=p\\x01\\n\\t\\"é'))).toBe('20000=p\x01\n\t"é');
  });

  it('round-trips any bytes through escaped text and hex', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(unescapeText(escapeBytes(b))).toEqual(b);
        expect(fromHex(toHex(b))).toEqual(b);
      }),
      { numRuns: 200 },
    );
    expect(fromHex('0g')).toBeUndefined();
    expect(fromHex('0a 0b')).toEqual(Uint8Array.of(10, 11));
  });
});

describe('coverage', () => {
  it('buckets counts as AFL does', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 127, 128, 1e6].map(bucketBit)).toEqual([
      0, 1, 2, 4, 8, 8, 16, 16, 32, 32, 64, 64, 128, 128,
    ]);
  });

  it('counts a block reached by one input as new once, and a branch first taken later as new then', async () => {
    const source = `export function branch(x) { let n = 0; if (x === 1) { n = 1; } else if (x === 2) { n = 2; } for (let i = 0; i < x; i++) n++; return n; }`;
    const url = 'data:text/javascript,' + encodeURIComponent(source);
    const mod = await import(/* @vite-ignore */ url);
    const coverage = new CoverageMap((u: string) => u === url);
    coverage.start();
    try {
      mod.branch(1);
      expect(coverage.observeSingle(coverage.take())).toBeGreaterThan(0);
      mod.branch(1);
      expect(coverage.observeSingle(coverage.take())).toBe(0);
      mod.branch(2); // the `x === 2` block: reported as count 0 before, merged into its parent now
      expect(coverage.observeGroup(coverage.take())).toBeGreaterThan(0);
      mod.branch(2);
      expect(coverage.observeSingle(coverage.take())).toBeGreaterThan(0);
      mod.branch(2);
      expect(coverage.observeGroup(coverage.take())).toBe(0);
      mod.branch(40); // no new block, but the loop body runs in a higher count bucket
      const taken = coverage.take();
      expect(coverage.observeGroup(taken)).toBe(0);
      expect(coverage.observeSingle(taken)).toBeGreaterThan(0);
      const summary = coverage.summary();
      expect(summary.functions).toBe(1);
      expect(summary.covered).toBeGreaterThan(0);
      expect(summary.covered).toBeLessThanOrEqual(summary.known);
    } finally {
      coverage.stop();
    }
  });
});

describe('oracles', () => {
  it('same compares bytes, bigints, arrays and objects deeply', () => {
    expect(same({ a: [1n, Uint8Array.of(1, 2)], b: 'x' }, { a: [1n, Uint8Array.of(1, 2)], b: 'x' })).toBe(true);
    expect(same({ a: Uint8Array.of(1) }, { a: Uint8Array.of(2) })).toBe(false);
    expect(same([1], { 0: 1 })).toBe(false);
    expect(same({ a: undefined }, {})).toBe(false);
    expect(() => expectSame('topic', 'a', 'b')).toThrow(Finding);
    expect(() => expectSame(() => 'lazy', 1n, 1n)).not.toThrow();
  });

  it('accepts a StreamException with an offset in the input and nothing else', () => {
    const lib = { AMPSException, StreamException };
    expect(() =>
      expectStreamException(lib, new StreamException('bad', 'AMPS_BAD_JSON', 3, 'amps'), 10, 'decode'),
    ).not.toThrow();
    expect(() =>
      expectStreamException(lib, new StreamException('bad', 'AMPS_BAD_JSON', 11, 'amps'), 10, 'decode'),
    ).toThrow(/offset 11 outside/);
    expect(() => expectStreamException(lib, new CommandException('no'), 10, 'decode')).toThrow(
      /expected StreamException/,
    );
    const type = new TypeError('x is undefined');
    expect(() => expectStreamException(lib, type, 10, 'decode')).toThrow(type);
  });

  it('PrototypeGuard sees a polluted or replaced prototype member and puts it back', () => {
    const guard = new PrototypeGuard();
    expect(guard.changes()).toEqual([]);
    const proto = Object.prototype as Record<string, unknown>;
    proto['polluted'] = 1;
    const original = Number.prototype.toFixed;
    Number.prototype.toFixed = () => 'x';
    try {
      expect(guard.changes()).toEqual([
        'Object.prototype keys changed: added [polluted], removed []',
        'Number.prototype.toFixed was replaced',
      ]);
    } finally {
      guard.restore();
    }
    expect('polluted' in {}).toBe(false);
    expect(Number.prototype.toFixed).toBe(original);
    expect(guard.changes()).toEqual([]);
  });

  it('gives one signature to one bug whatever the values in its message', () => {
    const a = new Finding('mismatch', 'getBigInt(Topic) of "12": got 1n, expected 12n');
    const b = new Finding('mismatch', 'getBigInt(Sequence) of "99": got 2n, expected 99n');
    expect(signatureOf('mismatch', a)).toBe(signatureOf('mismatch', b));
    expect(signatureOf('mismatch', a)).not.toBe(signatureOf('contract', a));
    expect(signatureOf('slow', undefined)).toBe('slow');
  });
});

describe('Fuzzer findings', () => {
  const lib = { AMPSException };
  const noCoverage = { take: () => [], observeSingle: () => 0, observeGroup: () => 0 };

  // Memory is measured through a counter the toy targets move, so other tests' garbage (and
  // when V8 collects it) cannot make these tests pass or fail.
  let inUse = 0;
  // Time likewise: a toy target advances this clock instead of spinning on the real one.
  let clock = 0;

  function fuzzerFor(run: (lib: unknown, input: Uint8Array) => void, slowMs = 50, gc?: () => void) {
    const findings: { kind: string; input: Uint8Array; error?: { message: string } }[] = [];
    const fuzzer = new Fuzzer({
      lib,
      target: { name: 'toy', run },
      rng: new Random(1),
      mutator: new Mutator(new Random(1)),
      coverage: noCoverage as unknown as ConstructorParameters<typeof Fuzzer>[0]['coverage'],
      heartbeat: { record() {} },
      onFinding: (f: object) => {
        findings.push(f as (typeof findings)[number]);
      },
      slowMs,
      gc,
      memoryInUse: () => inUse,
      now: () => clock,
    });
    return { fuzzer, findings };
  }

  it('reports a crash once per signature, minimized, and lets AMPSException through', () => {
    const { fuzzer, findings } = fuzzerFor((_lib, input) => {
      const t = text(input);
      if (t.includes('!!')) throw new TypeError('cannot read properties of undefined');
      if (t.includes('?')) throw new StreamException('bad', 'AMPS_BAD_JSON', 0);
    });
    expect(fuzzer.addSeed(bytes('{"a":"?"}'))).toBeUndefined();
    fuzzer.addSeed(bytes('{"a":"x!!y"}'));
    fuzzer.addSeed(bytes('zz!!zz'));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.kind).toBe('crash');
    expect(text(findings[0]!.input)).toBe('!!');
    expect(findings[0]!.error!.message).toBe('cannot read properties of undefined');
  });

  it('reports a change to Object.prototype and restores it', () => {
    const { fuzzer, findings } = fuzzerFor((_lib, input) => {
      if (text(input).includes('__proto__')) (Object.prototype as Record<string, unknown>)['hacked'] = true;
    });
    fuzzer.addSeed(bytes('a=1\x01__proto__=x'));
    expect('hacked' in {}).toBe(false);
    expect(findings.map((f) => [f.kind, text(f.input)])).toEqual([['prototype', '__proto__']]);
  });

  it('reports an input that is slow every time, not one that was slow once', () => {
    let first = true;
    const { fuzzer, findings } = fuzzerFor((_lib, input) => {
      const wait = text(input).includes('slow') || first;
      first = false;
      clock += wait ? 40 : 1;
    }, 10);
    fuzzer.addSeed(bytes('once'));
    expect(findings).toEqual([]);
    fuzzer.addSeed(bytes('a slow one'));
    expect(findings.map((f) => [f.kind, text(f.input)])).toEqual([['slow', 'slow']]);
  });

  it('reports a mismatch thrown by a target as its own kind', () => {
    const { fuzzer, findings } = fuzzerFor((_lib, input) => {
      if (input.length > 3) throw new Finding('mismatch', 'decode vs reference: got 1, expected 2');
    });
    expect(fuzzer.replay(bytes('abcdef'))).toMatchObject({ kind: 'mismatch' });
    expect(fuzzer.replay(bytes('ab'))).toBeUndefined();
    fuzzer.addSeed(bytes('abcdef'));
    expect(findings).toEqual([]); // replay already counted this signature as known
  });

  it('reports one input that allocates more than 32 MiB', () => {
    const { fuzzer, findings } = fuzzerFor((_lib, input) => {
      inUse += text(input).includes('big') ? 40 * 1024 * 1024 : 1024;
    });
    fuzzer.addSeed(bytes('small'));
    fuzzer.addSeed(bytes('a big one'));
    expect(findings.map((f) => [f.kind, text(f.input)])).toEqual([['alloc', 'big']]);
  });

  it('scaling: reports an input whose time per byte grows with its size, not one whose time is linear', () => {
    const quadratic = (input: Uint8Array) => {
      const fields = text(input).split(',').length;
      clock += text(input).startsWith('q') ? fields * fields * 0.001 : input.length * 0.001;
    };
    // (The toy coverage keeps only a fuzzer's first seed in its corpus: one fuzzer per case.)
    const linear = fuzzerFor((_lib, input) => quadratic(input), 1e9);
    linear.fuzzer.addSeed(bytes('linear,a,b'));
    expect(linear.findings).toEqual([]);
    const { fuzzer, findings } = fuzzerFor((_lib, input) => quadratic(input), 1e9);
    fuzzer.addSeed(bytes('q,a,b,c,d'));
    expect(findings.map((f) => f.kind)).toEqual(['scaling']);
    expect(findings[0]!.error!.message).toMatch(
      /^time per input byte grows with the input: got \d+\.\d× at 4× the size and \d+\.\d× at 16× \(\d+ B: [\d.]+ ms, \d+ B: [\d.]+ ms, \d+ B: [\d.]+ ms\), expected at most 3× and 8×$/,
    );
    // Minimized to an input that still shows it, and a replay finds it again.
    expect(text(findings[0]!.input).startsWith('q')).toBe(true);
    expect(fuzzer.replay(findings[0]!.input)).toMatchObject({ kind: 'scaling' });
  });

  it('scaling: reports memory per byte that grows with the input', () => {
    const run = (_lib: unknown, input: Uint8Array) => {
      clock += 1;
      inUse += text(input).startsWith('m') ? input.length * input.length : input.length * 1000;
    };
    const linear = fuzzerFor(run, 1e9);
    linear.fuzzer.addSeed(bytes('plain text'));
    expect(linear.findings).toEqual([]);
    const { fuzzer, findings } = fuzzerFor(run, 1e9);
    fuzzer.addSeed(bytes('m,m,m,m'));
    expect(findings.map((f) => [f.kind, f.error!.message.split(':')[0]])).toEqual([
      ['scaling', 'memory per input byte grows with the input'],
    ]);
    inUse = 0;
  });

  it('scaling: does not report a cost that jumps once the input crosses a threshold, then stays level', () => {
    // Like a long declared frame that ends after some bytes, then many short frames: per byte,
    // the cost is low below the threshold and level above it.
    const run = (_lib: unknown, input: Uint8Array) => {
      clock += 1;
      inUse += text(input).startsWith('t') && input.length > 256 * 1024 ? input.length * 5000 : input.length * 10;
    };
    const { fuzzer, findings } = fuzzerFor(run, 1e9);
    fuzzer.addSeed(bytes('t,t,t,t'));
    expect(findings).toEqual([]);
    inUse = 0;
  });

  it('reports memory that keeps growing across iterations, measured after GC', () => {
    let collections = 0;
    const { fuzzer, findings } = fuzzerFor(
      () => {},
      50,
      () => collections++,
    );
    fuzzer._checkMemory(10_000, bytes('x'));
    fuzzer._checkMemory(12_000, bytes('x')); // too soon after the last check: skipped
    expect(collections).toBe(1);
    inUse += 80 * 1024 * 1024; // kept across iterations
    fuzzer._checkMemory(20_000, bytes('x'));
    expect(collections).toBe(2);
    expect(findings.map((f) => f.kind)).toEqual(['memory']);
    expect(findings[0]!.error!.message).toBe('memory in use grew by 80.0 MiB over the run (after GC)');
    inUse = 0;
    fuzzer._checkMemory(30_000, bytes('x')); // reported once, then measured from the new level
    expect(findings).toHaveLength(1);
  });
});
