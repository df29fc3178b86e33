// Direct tests of internals that the codecs reach only along their common paths: every branch
// of parseBigUintBytes, internedSlice's cache slots, NameTable's probing past hash collisions,
// and the FieldSet the decoders mark fields in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internedSlice, parseBigUintBytes, utf8Slice } from '../../src/core/bytes.js';
import { FieldSet } from '../../src/core/field-set.js';
import { FIELD_COUNT } from '../../src/core/fields.js';
import { UNKNOWN } from '../../src/core/message.js';
import { NameTable, PACKED_MAX, hashStep, packHigh, packStep, packedSlot } from '../../src/core/name-table.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('parseBigUintBytes', () => {
  const cases: [string, bigint | undefined][] = [
    ['', undefined],
    ['0', 0n],
    ['7', 7n],
    ['0000000042', 42n], // 10 digits: one half only
    ['9007199254740991', 9007199254740991n], // 16 digits, 2^53-1: one conversion
    ['9007199254740993', 9007199254740993n], // 2^53+1: not a double, so high * 10^10 + low
    ['18446744073709551615', 18446744073709551615n], // 20 digits, 2^64-1
    ['123456789012345678901', 123456789012345678901n], // 21 digits: chunks of 10, a short last one
    ['1234567890123456789012345678901234567890', 1234567890123456789012345678901234567890n], // whole chunks
    ['00000000000000000000000001', 1n],
    ['12a', undefined], // a non-digit in the only half
    ['1234567890x2345', undefined], // in the low half
    ['12x4567890123', undefined], // in the high half
    ['1234567890123456789012x', undefined], // in a chunk
    ['-1', undefined],
    ['1.5', undefined],
  ];
  it.each(cases)('%j', (text, value) => {
    expect(parseBigUintBytes(ascii(text), 0, text.length)).toBe(value);
    // The same digits inside a larger buffer: only [start, end) counts.
    const framed = ascii(`x${text}y`);
    expect(parseBigUintBytes(framed, 1, 1 + text.length)).toBe(value);
  });

  it('agrees with BigInt() on any digit string', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,60}$/), (digits) => {
        expect(parseBigUintBytes(ascii(digits), 0, digits.length)).toBe(BigInt(digits));
      }),
    );
  });
});

describe('internedSlice', () => {
  it('gives the text of the bytes: short ASCII (cached), long, non-ASCII and empty', () => {
    const texts = ['publish', 'orders', '', 'x'.repeat(32), 'y'.repeat(33), 'café', '\u{1f600}'];
    for (let round = 0; round < 2; round++) {
      for (const t of texts) {
        const b = new TextEncoder().encode(`<${t}>`);
        expect(internedSlice(b, 1, b.length - 1)).toBe(t);
      }
    }
  });

  it('a slot taken over by other bytes never answers for the old ones', () => {
    // 3000 distinct names over 1024 slots: many share a slot, each read twice in turn.
    const names = Array.from({ length: 3000 }, (_, i) => `n${i}`);
    for (const n of names) expect(internedSlice(ascii(n), 0, n.length)).toBe(n);
    for (const n of names.reverse()) expect(internedSlice(ascii(n), 0, n.length)).toBe(n);
  });

  it('matches utf8Slice on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(internedSlice(b, 0, b.length)).toBe(utf8Slice(b, 0, b.length));
      }),
    );
  });
});

describe('NameTable', () => {
  const hash = (s: string): number => [...s].reduce((h, c) => hashStep(h, c.charCodeAt(0)), 0);

  it('tells apart names whose hashes collide', () => {
    // 'Aa', 'BB' and 'C#' share one hash (65*31+97 = 66*31+66 = 67*31+35).
    expect(hash('Aa')).toBe(hash('BB'));
    expect(hash('C#')).toBe(hash('Aa'));
    const table = new NameTable([
      ['Aa', 1],
      ['BB', 2],
      ['x', 3],
    ]);
    expect(table.lookup(ascii('Aa'), 0, 2, hash('Aa'))).toBe(1);
    expect(table.lookup(ascii('BB'), 0, 2, hash('BB'))).toBe(2);
    expect(table.lookup(ascii('C#'), 0, 2, hash('C#'))).toBe(UNKNOWN); // same hash and length, other bytes
    expect(table.lookup(ascii('A'), 0, 1, hash('A'))).toBe(UNKNOWN);
    expect(table.lookup(ascii('-x-'), 1, 2, hash('x'))).toBe(3);
    expect([table.get('Aa'), table.get('BB'), table.get('C#')]).toEqual([1, 2, UNKNOWN]);
  });

  it('finds every name of a table full of collisions', () => {
    // Every string of 'Aa'/'BB' blocks hashes alike: 64 names of length 12 in one probe chain.
    const names = Array.from({ length: 64 }, (_, i) =>
      Array.from({ length: 6 }, (_, k) => ((i >> k) & 1 ? 'BB' : 'Aa')).join(''),
    );
    expect(new Set(names.map(hash)).size).toBe(1);
    const table = new NameTable(names.map((n, i) => [n, i] as const));
    for (const [i, n] of names.entries()) expect(table.lookup(ascii(n), 0, n.length, hash(n))).toBe(i);
    expect(table.lookup(ascii('C#C#C#C#C#C#'), 0, 12, hash('C#C#C#C#C#C#'))).toBe(UNKNOWN);
  });

  it('find (bytes only, short names by their bytes) answers as lookup does, for any bytes', () => {
    const names = ['c', 't', 'bm', 'ts', 'Aa', 'BB', 'sub_id', 'cid', 'x'];
    const table = new NameTable(names.map((n, i) => [n, i] as const));
    const findOf = (b: Uint8Array): number => table.find(b, 0, b.length);
    const lookupOf = (b: Uint8Array): number =>
      table.lookup(
        b,
        0,
        b.length,
        b.reduce((h, c) => hashStep(h, c), 0),
      );
    for (const [i, n] of names.entries()) expect(findOf(ascii(n))).toBe(i);
    expect(findOf(ascii('-t-').subarray(1, 2))).toBe(1);
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 3 }), fc.constantFrom(...names).map(ascii)),
        (b) => findOf(b) === lookupOf(b),
      ),
      { numRuns: 3000 },
    );
  });

  it('findPacked answers as find does for any bytes up to eight long (table names are ASCII)', () => {
    // Names that differ only in a byte that falls out of one int32, or only in length by a
    // leading NUL, which packs to the same bits.
    const names = ['Cmd', 'Tpc', 'SubId', 'BkMrk', 'TxmTm', 'abcdefgh', 'xbcdefgh', 'a', '\0a'];
    const table = new NameTable(names.map((n, i) => [n, i] as const));
    const bytesOf = (n: string): Uint8Array => new TextEncoder().encode(n);
    const pack = (b: Uint8Array): [number, number] => {
      let lo = 0;
      let hi = 0;
      for (const c of b) {
        hi = packHigh(lo, hi);
        lo = packStep(lo, c);
      }
      return [lo, hi];
    };
    const packedOf = (b: Uint8Array): number => table.findPacked(...pack(b), b.length);
    for (const [i, n] of names.entries()) expect(packedOf(bytesOf(n))).toBe(i);
    expect(packedOf(ascii('\0\0a'))).toBe(UNKNOWN);
    // Two names that pack to the same words, differ only in length (leading NULs) and probe from
    // the same slot of a two-name table (16 slots): the one placed second is found only if the
    // length is compared too.
    let pair: [string, string] | undefined;
    for (let c = 0x61; pair === undefined; c++) {
      const core = String.fromCharCode(c);
      const [lo, hi] = pack(ascii(core));
      for (let a = 1; a < PACKED_MAX && pair === undefined; a++)
        for (let b = a + 1; b <= PACKED_MAX && pair === undefined; b++)
          if (((packedSlot(lo, hi, a) ^ packedSlot(lo, hi, b)) & 15) === 0)
            pair = ['\0'.repeat(a - 1) + core, '\0'.repeat(b - 1) + core];
    }
    const twins = new NameTable(pair.map((n, i) => [n, i] as const));
    for (const [i, n] of pair.entries()) expect(twins.findPacked(...pack(ascii(n)), n.length)).toBe(i);
    expect(packedOf(ascii('abcdefg'))).toBe(UNKNOWN);
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: PACKED_MAX }), fc.constantFrom(...names).map(bytesOf)),
        (b) => packedOf(b) === table.find(b, 0, b.length),
      ),
      { numRuns: 3000 },
    );
  });
});

describe('FieldSet', () => {
  it('holds every field id of the table (below 64)', () => {
    expect(FIELD_COUNT).toBeLessThanOrEqual(64);
    const s = new FieldSet();
    const ids = [0, 1, 31, 32, 33, 63];
    for (const id of ids) expect(s.has(id)).toBe(false);
    for (const id of ids) s.add(id);
    for (let id = 0; id < 64; id++) expect(s.has(id)).toBe(ids.includes(id));
    s.delete(31);
    s.delete(32);
    expect([s.has(30), s.has(31), s.has(32), s.has(33)]).toEqual([false, false, false, true]);
    s.clear();
    for (const id of ids) expect(s.has(id)).toBe(false);
  });
});
