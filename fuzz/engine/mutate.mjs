/**
 * Mutation operators. Each operator takes the random source, the input and a context
 * (dictionary, another corpus entry for splicing, maximum length) and returns a new
 * Uint8Array, or `undefined` when it does not apply to this input. `Mutator.mutate` stacks a
 * few of them, the way AFL's havoc stage does.
 */

const ascii = (text) => Array.from(text, (c) => c.charCodeAt(0));

/**
 * Bytes that change how our decoders branch: JSON, FIX and XML punctuation, the FIX
 * separators, digits, and bytes that start, continue or break UTF-8 sequences.
 */
export const INTERESTING_BYTES = Uint8Array.from([
  ...ascii('{}"\\:,=<>&;][/!?#xu-+.eE \t\r\n0123456789'),
  0x00,
  0x01,
  0x02,
  0x7f,
  0x80,
  0xbf,
  0xc0,
  0xc2,
  0xdf,
  0xe0,
  0xed,
  0xef,
  0xf0,
  0xf4,
  0xf5,
  0xf8,
  0xff,
]);

/** Decimal texts at the edges of the integer types the decoders care about. */
export const INTERESTING_NUMBERS = [
  '0',
  '1',
  '00',
  '01',
  '-1',
  '-0',
  '9',
  '10',
  '127',
  '128',
  '255',
  '256',
  '1000',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999999',
  '1.5',
  '1e3',
  '1E-2',
  '0x10',
  '',
].map((s) => Uint8Array.from(ascii(s)));

/** 32-bit values for big-endian length prefixes (frames, composite parts). */
export const INTERESTING_U32 = [
  0, 1, 2, 3, 4, 5, 8, 16, 127, 128, 255, 256, 4096, 65535, 65536, 0x00ffffff, 0x01000000, 0x04000000, 0x04000001,
  0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];

function isDigit(c) {
  return c >= 0x30 && c <= 0x39;
}

/** `input` with `insert` placed at `at` and `removeCount` bytes removed there. */
export function splice(input, at, removeCount, insert) {
  const out = new Uint8Array(input.length - removeCount + insert.length);
  out.set(input.subarray(0, at), 0);
  out.set(insert, at);
  out.set(input.subarray(at + removeCount), at + insert.length);
  return out;
}

/** The big-endian bytes of a 32-bit unsigned value. */
export function u32be(v) {
  return Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

/** The runs of ASCII digits in `input`, as [start, end) pairs. */
export function digitRuns(input) {
  const runs = [];
  for (let i = 0; i < input.length; i++) {
    if (!isDigit(input[i])) continue;
    const start = i;
    while (i < input.length && isDigit(input[i])) i++;
    runs.push([start, i]);
  }
  return runs;
}

function copyWith(input, mutateInPlace) {
  const out = input.slice();
  mutateInPlace(out);
  return out;
}

/** The operators by name; the names appear in statistics and tests. */
export const OPERATORS = {
  flipBit(rng, input) {
    if (input.length === 0) return undefined;
    return copyWith(input, (b) => {
      b[rng.below(b.length)] ^= 1 << rng.below(8);
    });
  },
  interestingByte(rng, input) {
    if (input.length === 0) return undefined;
    return copyWith(input, (b) => {
      b[rng.below(b.length)] = rng.pick(INTERESTING_BYTES);
    });
  },
  randomByte(rng, input) {
    if (input.length === 0) return undefined;
    return copyWith(input, (b) => {
      b[rng.below(b.length)] = rng.below(256);
    });
  },
  arithmetic(rng, input) {
    if (input.length === 0) return undefined;
    return copyWith(input, (b) => {
      const i = rng.below(b.length);
      b[i] = (b[i] + (rng.oneIn(2) ? 1 : -1) * rng.between(1, 35)) & 0xff;
    });
  },
  insertInteresting(rng, input) {
    const n = rng.smallLength(16);
    const bytes = new Uint8Array(n);
    // Either a run of one byte (long digit strings, deep nesting) or a mix.
    if (rng.oneIn(2)) bytes.fill(rng.pick(INTERESTING_BYTES));
    else for (let i = 0; i < n; i++) bytes[i] = rng.pick(INTERESTING_BYTES);
    return splice(input, rng.below(input.length + 1), 0, bytes);
  },
  deleteRange(rng, input) {
    if (input.length === 0) return undefined;
    const at = rng.below(input.length);
    return splice(input, at, rng.smallLength(input.length - at), new Uint8Array(0));
  },
  duplicateRange(rng, input) {
    if (input.length === 0) return undefined;
    const from = rng.below(input.length);
    const piece = input.slice(from, from + rng.smallLength(input.length - from));
    const copies = rng.oneIn(4) ? rng.between(2, 32) : 1;
    const repeated = new Uint8Array(piece.length * copies);
    for (let i = 0; i < copies; i++) repeated.set(piece, i * piece.length);
    return splice(input, rng.below(input.length + 1), 0, repeated);
  },
  overwriteRange(rng, input) {
    if (input.length < 2) return undefined;
    const from = rng.below(input.length);
    const to = rng.below(input.length);
    const n = Math.min(rng.smallLength(input.length - from), input.length - to);
    return copyWith(input, (b) => b.copyWithin(to, from, from + n));
  },
  insertToken(rng, input, ctx) {
    if (ctx.dictionary.length === 0) return undefined;
    return splice(input, rng.below(input.length + 1), 0, rng.pick(ctx.dictionary));
  },
  overwriteToken(rng, input, ctx) {
    if (ctx.dictionary.length === 0 || input.length === 0) return undefined;
    const token = rng.pick(ctx.dictionary);
    const at = rng.below(input.length);
    return splice(input, at, Math.min(token.length, input.length - at), token);
  },
  spliceOther(rng, input, ctx) {
    const other = ctx.other;
    if (other === undefined || other.length === 0) return undefined;
    if (rng.oneIn(2)) {
      // Crossover: a prefix of this input, then a suffix of the other.
      const a = rng.below(input.length + 1);
      const b = rng.below(other.length);
      return splice(input, a, input.length - a, other.subarray(b));
    }
    const from = rng.below(other.length);
    const piece = other.subarray(from, from + rng.smallLength(other.length - from));
    return splice(input, rng.below(input.length + 1), 0, piece);
  },
  replaceNumber(rng, input) {
    const runs = digitRuns(input);
    const [start, end] = runs.length > 0 ? rng.pick(runs) : [rng.below(input.length + 1), -1];
    // Lengths that land on, just before or just past the end of the input are what bounds
    // checks on MessageLength, len="..." and record counts get wrong.
    const text = rng.oneIn(2)
      ? rng.pick(INTERESTING_NUMBERS)
      : Uint8Array.from(ascii(String(Math.max(0, input.length - (end < 0 ? start : end) + rng.between(-2, 2)))));
    return splice(input, start, end < 0 ? 0 : end - start, text);
  },
  lengthPrefix(rng, input) {
    const v = rng.oneIn(2)
      ? rng.pick(INTERESTING_U32)
      : Math.max(0, input.length - rng.below(input.length + 1) + rng.between(-2, 2));
    const at = rng.below(input.length + 1);
    return splice(input, at, rng.oneIn(2) ? Math.min(4, input.length - at) : 0, u32be(v));
  },
  truncate(rng, input) {
    if (input.length === 0) return undefined;
    return input.slice(0, rng.below(input.length));
  },
};

const OPERATOR_NAMES = Object.keys(OPERATORS);

/** Stacks random operators over corpus entries. */
export class Mutator {
  /**
   * @param {import('./random.mjs').Random} rng
   * @param {{ dictionary?: Uint8Array[], maxLength?: number }} options
   */
  constructor(rng, { dictionary = [], maxLength = 4096 } = {}) {
    this.rng = rng;
    this.dictionary = dictionary;
    this.maxLength = maxLength;
    /** How many times each operator produced an input. */
    this.uses = Object.fromEntries(OPERATOR_NAMES.map((n) => [n, 0]));
  }

  /**
   * A mutant of `input`: 1, 2, 4 or 8 stacked operators; `other` is a second corpus entry for
   * splicing. Never longer than maxLength.
   */
  mutate(input, other) {
    const rng = this.rng;
    const ctx = { dictionary: this.dictionary, other };
    const rounds = 1 << rng.below(4);
    let out = input;
    for (let r = 0; r < rounds; r++) {
      const name = rng.pick(OPERATOR_NAMES);
      const next = OPERATORS[name](rng, out, ctx);
      if (next === undefined) continue;
      this.uses[name]++;
      out = next.length > this.maxLength ? next.subarray(0, this.maxLength) : next;
    }
    return out === input ? OPERATORS.insertInteresting(rng, input, ctx).subarray(0, this.maxLength) : out;
  }
}
