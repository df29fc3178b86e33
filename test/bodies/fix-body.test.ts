import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXBuilder, FIXCursor, FIXShredder, Message, NVFIXShredder } from '../../src/index.js';
import { expectCommandError, expectStreamError, perSeparator, text, textWithout, utf8 } from './helpers.js';

const SOH = '\x01';

describe('FIXBuilder', () => {
  it('writes tag=value<SOH> per append and chains', () => {
    const b = new FIXBuilder();
    expect(b.append(35, 'D').append(55, 'IBM').append(44, '101.25')).toBe(b);
    expect(b.getString()).toBe(`35=D${SOH}55=IBM${SOH}44=101.25${SOH}`);
    expect([...b.getBytes()]).toEqual([...utf8(`35=D${SOH}55=IBM${SOH}44=101.25${SOH}`)]);
  });

  it('writes tags of every width exactly', () => {
    const b = new FIXBuilder('|');
    for (const tag of [1, 9, 10, 99, 100, 20000, 2 ** 31, Number.MAX_SAFE_INTEGER]) b.append(tag, 'v');
    expect(b.getString()).toBe('1=v|9=v|10=v|99=v|100=v|20000=v|2147483648=v|9007199254740991=v|');
  });

  it('slices string values by UTF-16 offset and length (length defaulting to the rest)', () => {
    const b = new FIXBuilder('|');
    b.append(55, 'xxIBMyy', 2, 3).append(56, 'xxIBM', 2).append(57, 'abc', 3, 0).append(58, 'abc', 0);
    expect(b.getString()).toBe('55=IBM|56=IBM|57=|58=abc|');
  });

  it('writes bytes values as they are, sliced by byte offset and length', () => {
    const raw = Uint8Array.from([0x61, 0x62, 0xff, 0x63, 0x64]);
    const b = new FIXBuilder('|').append(1, raw, 1, 3).append(2, raw.subarray(3)).append(3, raw, 5);
    expect([...b.getBytes()]).toEqual([...utf8('1=b'), 0xff, ...utf8('c|2=cd|3=|')]);
  });

  it('writes text as UTF-8 (a lone surrogate as U+FFFD) and accepts "=" in values', () => {
    const b = new FIXBuilder().append(58, 'café=😀').append(59, '\ud800');
    expect([...b.getBytes()]).toEqual([...utf8(`58=café=😀${SOH}59=\ufffd${SOH}`)]);
  });

  it('getBytes is a view of the builder buffer; reset keeps that buffer for the next body', () => {
    const b = new FIXBuilder();
    b.append(35, 'D').append(55, 'IBM');
    const first = b.getBytes();
    expect(b.getBytes().buffer).toBe(first.buffer);
    expect(b.reset()).toBe(b);
    expect(b.getString()).toBe('');
    expect(b.getBytes().length).toBe(0);
    b.append(35, 'F');
    expect(b.getBytes().buffer).toBe(first.buffer);
    expect(b.getString()).toBe(`35=F${SOH}`);
    // The earlier view now shows the new body's bytes: it was only valid until the next append.
    expect(text(first.subarray(0, 5))).toBe(`35=F${SOH}`);
  });

  it('grows past its initial buffer without losing pairs', () => {
    const b = new FIXBuilder();
    const expected: string[] = [];
    for (let i = 1; i <= 500; i++) {
      const value = 'x'.repeat(i % 37) + 'é'.repeat(i % 5);
      b.append(i, value);
      expected.push(`${i}=${value}${SOH}`);
    }
    b.append(501, 'y'.repeat(5000));
    expected.push(`501=${'y'.repeat(5000)}${SOH}`);
    expect(b.getString()).toBe(expected.join(''));
  });

  it('refuses tags that are not positive integers (AMPS_INVALID_ARGUMENT) and keeps the body', () => {
    const b = new FIXBuilder().append(35, 'D');
    for (const tag of [0, -1, 1.5, NaN, Infinity, 2 ** 53, '35', 35n, null, undefined]) {
      expectCommandError(() => b.append(tag as number, 'x'), 'AMPS_INVALID_ARGUMENT');
    }
    expect(b.getString()).toBe(`35=D${SOH}`);
  });

  it('refuses a value containing the separator (AMPS_UNENCODABLE) and drops the whole pair', () => {
    const b = new FIXBuilder().append(35, 'D');
    expectCommandError(() => b.append(58, `a${SOH}b`), 'AMPS_UNENCODABLE');
    expectCommandError(() => b.append(58, Uint8Array.from([0x61, 0x01])), 'AMPS_UNENCODABLE');
    expectCommandError(() => b.append(58, `xx${SOH}`, 1), 'AMPS_UNENCODABLE');
    const pipe = new FIXBuilder('|');
    expectCommandError(() => pipe.append(58, 'a|b'), 'AMPS_UNENCODABLE');
    pipe.append(58, `a${SOH}b`); // only the chosen separator is special
    expect(pipe.getString()).toBe(`58=a${SOH}b|`);
    expect(b.getString()).toBe(`35=D${SOH}`);
    b.append(55, 'IBM');
    expect(b.getString()).toBe(`35=D${SOH}55=IBM${SOH}`);
  });

  it('refuses slices outside the value and values of other types (AMPS_INVALID_ARGUMENT)', () => {
    const b = new FIXBuilder().append(35, 'D');
    const bad: [unknown, number | undefined, number | undefined][] = [
      ['abc', 4, undefined],
      ['abc', -1, 1],
      ['abc', 1, 3],
      ['abc', 0.5, 1],
      ['abc', 0, -1],
      ['abc', undefined, 4],
      [new Uint8Array(3), 2, 2],
      [new Uint8Array(3), 4, undefined],
      [42, undefined, undefined],
      [null, undefined, undefined],
      [[1, 2], undefined, undefined],
    ];
    for (const [value, offset, length] of bad) {
      expectCommandError(() => b.append(58, value as string, offset, length), 'AMPS_INVALID_ARGUMENT');
    }
    expect(b.getString()).toBe(`35=D${SOH}`);
  });

  it('accepts only a single ASCII separator that is not "=" or a digit', () => {
    for (const sep of ['', '||', '=', '0', '7', 'é', '\u0080', 1 as unknown as string]) {
      expectCommandError(() => new FIXBuilder(sep), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => new FIXShredder(sep), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => new FIXCursor(sep), 'AMPS_INVALID_ARGUMENT');
    }
    for (const sep of ['\x00', '\x01', '|', ';', '^', 'a', '\x7f'])
      expect(new FIXBuilder(sep).append(1, 'x').getString()).toBe(`1=x${sep}`);
  });
});

describe('FIXShredder', () => {
  const order = utf8(`8=FIX.4.2${SOH}35=D${SOH}55=IBM${SOH}54=1${SOH}38=100${SOH}44=101.25${SOH}`);

  it('forEach stops when the visitor returns false', () => {
    const seen: number[] = [];
    new FIXShredder().forEach(order, (tag) => {
      seen.push(tag);
      return tag !== 55;
    });
    expect(seen).toEqual([8, 35, 55]);
  });

  it('forEach checks only the fields it reached', () => {
    const bad = utf8(`35=D${SOH}x=1`);
    const seen: number[] = [];
    new FIXShredder().forEach(bad, (tag) => {
      seen.push(tag);
      return false;
    });
    expect(seen).toEqual([35]);
    expectStreamError(() => new FIXShredder().forEach(bad, () => undefined), 5, 'fix-body');
  });

  it('forEach may call back into the same shredder', () => {
    const s = new FIXShredder();
    const inner = utf8(`1=a${SOH}2=b${SOH}`);
    const seen: string[] = [];
    s.forEach(order, (tag, vs, ve, bytes) => {
      s.forEach(inner, (t) => {
        seen.push(`${tag}/${t}`);
      });
      expect(s.toMap(inner).get(2)).toBe('b');
      expect(s.get(order, 55)).toBe('IBM');
      seen.push(`${tag}=${text(bytes.subarray(vs, ve))}`);
    });
    expect(seen.slice(0, 3)).toEqual(['8/1', '8/2', '8=FIX.4.2']);
    expect(seen).toHaveLength(18);
    // After a visitor threw, the shredder's own cursor is free again.
    expect(() =>
      s.forEach(order, () => {
        throw new Error('stop');
      }),
    ).toThrow('stop');
    const tags: number[] = [];
    s.forEach(inner, (t) => void tags.push(t));
    expect(tags).toEqual([1, 2]);
  });

  it('cursor() hands out the shredder own cursor, restarted on each body', () => {
    const s = new FIXShredder();
    const c = s.cursor(order);
    expect(s.cursor(order)).toBe(c);
    expect(c.next() && c.tag).toBe(8);
    expect(c.next() && c.tag).toBe(35);
    s.cursor(utf8('9=x'));
    expect(c.next() && c.tag).toBe(9);
    expect(c.value()).toBe('x');
    expect(c.next()).toBe(false);
    expect(c.next()).toBe(false);
  });

  it('a cursor finds the route field by tag without making strings', () => {
    const c = new FIXCursor().reset(order);
    let symbol: Uint8Array | undefined;
    while (c.next()) if (c.tag === 55) symbol = c.valueBytes();
    expect(text(symbol!)).toBe('IBM');
    expect(symbol!.buffer).toBe(order.buffer);
    expect(symbol!.byteOffset).toBe(18); // after "8=FIX.4.2|35=D|55="
  });

  it('reads the body of a Message', () => {
    const m = new Message().setData(order);
    expect(new FIXShredder().get(m, 44)).toBe('101.25');
    expect(new FIXShredder().toMap(m).size).toBe(6);
    expect(new FIXShredder().toMap(new Message()).size).toBe(0);
  });

  it('refuses a body that is not bytes, text or a Message (AMPS_INVALID_ARGUMENT)', () => {
    const s = new FIXShredder();
    for (const body of [42, null, undefined, {}, [1, 2], { getData: 1 }]) {
      expectCommandError(() => s.toMap(body as Uint8Array), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => s.get(body as Uint8Array, 1), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => s.forEach(body as Uint8Array, () => undefined), 'AMPS_INVALID_ARGUMENT');
    }
  });

  it('reads values the same whichever way the previous body needed', () => {
    // Short ASCII values are built from their bytes, others sliced from one decode of the body;
    // a shredder picks the way from the previous body, so alternate the kinds of body.
    const s = new FIXShredder('|');
    const short = '1=a|2=bcdefghi|3=|';
    const long = '1=' + 'x'.repeat(30) + '|2=café|3=ab|';
    const invalid = Uint8Array.from([...utf8('1=a|2='), 0xff, ...utf8('|3=abcdefghijk|')]);
    const expected = new Map<string, [number, string][]>([
      [
        short,
        [
          [1, 'a'],
          [2, 'bcdefghi'],
          [3, ''],
        ],
      ],
      [
        long,
        [
          [1, 'x'.repeat(30)],
          [2, 'café'],
          [3, 'ab'],
        ],
      ],
    ]);
    for (const body of [short, long, short, short, long, long, short])
      expect([...s.toMap(body)]).toEqual(expected.get(body));
    for (let i = 0; i < 3; i++) {
      expect([...s.toMap(invalid)]).toEqual([
        [1, 'a'],
        [2, '\ufffd'],
        [3, 'abcdefghijk'],
      ]);
      expect([...s.toMap(short)]).toEqual(expected.get(short));
    }
  });

  it('refuses a visitor that is not a function and a cursor body of the wrong type', () => {
    expectCommandError(() => new FIXShredder().forEach(order, 42 as unknown as () => void), 'AMPS_INVALID_ARGUMENT');
    expectCommandError(() => new FIXCursor().reset(null as unknown as Uint8Array), 'AMPS_INVALID_ARGUMENT');
    const c = new FIXCursor().reset('35=D');
    expect(c.next() && c.value()).toBe('D');
    expect(c.reset().bytes.length).toBe(0);
  });

  it('get with a tag that cannot occur finds nothing', () => {
    const s = new FIXShredder();
    for (const tag of [0, -35, 35.5, NaN]) expect(s.get(order, tag)).toBeUndefined();
  });
});

// ---- properties -----------------------------------------------------------------------------

const separators = fc.constantFrom('\x01', '|', ';', '^', '\x00');
const tag = fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
const pairsAndSep = separators.chain((sep) =>
  fc.tuple(fc.constant(sep), fc.array(fc.tuple(tag, textWithout(20, sep)), { maxLength: 15 })),
);

describe('FIX body properties', () => {
  const shredder = perSeparator((sep) => new FIXShredder(sep));

  it('toMap(build(pairs)) is the pairs, a repeated tag keeping its last value', () => {
    fc.assert(
      fc.property(pairsAndSep, ([sep, pairs]) => {
        const b = new FIXBuilder(sep);
        for (const [t, v] of pairs) b.append(t, v);
        const expected = new Map(pairs);
        const s = shredder(sep);
        expect(s.toMap(b.getBytes())).toEqual(expected);
        expect(s.toMap(b.getString())).toEqual(expected);
        // The last separator is optional.
        if (pairs.length > 0) expect(s.toMap(b.getBytes().subarray(0, -1))).toEqual(expected);
        for (const [t, v] of expected) expect(s.get(b.getBytes(), t)).toBe(v);
        const visited: [number, string][] = [];
        s.forEach(b.getBytes(), (t, vs, ve, bytes) => void visited.push([t, text(bytes.subarray(vs, ve))]));
        expect(visited).toEqual(pairs);
      }),
      { numRuns: 150 },
    );
  });

  it('the same pairs from bytes values build the same body', () => {
    fc.assert(
      fc.property(pairsAndSep, ([sep, pairs]) => {
        const fromText = new FIXBuilder(sep);
        const fromBytes = new FIXBuilder(sep);
        for (const [t, v] of pairs) {
          fromText.append(t, v);
          fromBytes.append(t, utf8(`<${v}>`), 1, utf8(v).length);
        }
        expect(fromBytes.getBytes()).toEqual(fromText.getBytes());
      }),
      { numRuns: 100 },
    );
  });
});

describe('lookups by a key of the wrong type', () => {
  it('refuse it (AMPS_INVALID_ARGUMENT)', () => {
    const fixBody = utf8(`35=D${SOH}`);
    const nvBody = utf8(`=empty${SOH}35=D${SOH}`);
    for (const key of ['35', undefined, null, {}]) {
      expectCommandError(() => new FIXShredder().get(fixBody, key as number), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => new FIXShredder().getBytes(fixBody, key as number), 'AMPS_INVALID_ARGUMENT');
    }
    for (const key of [35, undefined, null, {}]) {
      expectCommandError(() => new NVFIXShredder().get(nvBody, key as string), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => new NVFIXShredder().getBytes(nvBody, key as string), 'AMPS_INVALID_ARGUMENT');
    }
  });
});
