import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NVFIXBuilder, NVFIXCursor, NVFIXShredder } from '../../src/index.js';
import { expectCommandError, expectStreamError, hex, perSeparator, text, textWithout, utf8 } from './helpers.js';

const SOH = '\x01';

describe('NVFIXBuilder', () => {
  it('writes name=value<SOH> per append and chains', () => {
    const b = new NVFIXBuilder();
    expect(b.append('symbol', 'IBM').append('qty', '100').append('', 'anon')).toBe(b);
    expect(b.getString()).toBe(`symbol=IBM${SOH}qty=100${SOH}=anon${SOH}`);
    expect(b.getBytes()).toEqual(utf8(b.getString()));
  });

  it('slices values like FIXBuilder and writes non-ASCII names as UTF-8', () => {
    const b = new NVFIXBuilder('|')
      .append('名前', 'xx値yy', 2, 1)
      .append('raw', Uint8Array.from([0x41, 0x42, 0x43]), 1);
    expect([...b.getBytes()]).toEqual([...utf8('名前=値|raw=BC|')]);
  });

  it('refuses a name containing "=" or the separator (AMPS_UNENCODABLE), dropping the pair', () => {
    const b = new NVFIXBuilder().append('a', '1');
    expectCommandError(() => b.append('a=b', '1'), 'AMPS_UNENCODABLE');
    expectCommandError(() => b.append(`a${SOH}`, '1'), 'AMPS_UNENCODABLE');
    expectCommandError(() => b.append('b', `x${SOH}y`), 'AMPS_UNENCODABLE');
    expectCommandError(() => b.append(42 as unknown as string, '1'), 'AMPS_INVALID_ARGUMENT');
    expectCommandError(() => b.append('b', 'abc', 2, 5), 'AMPS_INVALID_ARGUMENT');
    expect(b.getString()).toBe(`a=1${SOH}`);
    const pipe = new NVFIXBuilder('|').append(`a${SOH}b`, 'c');
    expectCommandError(() => pipe.append('x|y', '1'), 'AMPS_UNENCODABLE');
    expect(pipe.getString()).toBe(`a${SOH}b=c|`);
  });

  it('reset keeps the buffer; getBytes is a view of it', () => {
    const b = new NVFIXBuilder().append('a', '1');
    const view = b.getBytes();
    b.reset().append('b', '2');
    expect(b.getBytes().buffer).toBe(view.buffer);
    expect(b.getString()).toBe(`b=2${SOH}`);
  });

  it('accepts only a single ASCII separator that is not "="', () => {
    for (const sep of ['', 'ab', '=', 'é']) {
      expectCommandError(() => new NVFIXBuilder(sep), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => new NVFIXShredder(sep), 'AMPS_INVALID_ARGUMENT');
      expectCommandError(() => new NVFIXCursor(sep), 'AMPS_INVALID_ARGUMENT');
    }
    expect(new NVFIXBuilder('5').append('a', 'b').getString()).toBe('a=b5');
  });
});

describe('NVFIXShredder', () => {
  const body = utf8(`symbol=IBM${SOH}side=buy${SOH}qty=100${SOH}名前=値${SOH}`);

  it('a shredded __proto__ or constructor is an ordinary key and leaves Object.prototype alone', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const map = new NVFIXShredder().toMap(
      `__proto__=polluted${SOH}constructor=x${SOH}polluted=yes${SOH}toString=1${SOH}`,
    );
    expect(Object.getPrototypeOf(map)).toBe(Map.prototype);
    expect([...map]).toEqual([
      ['__proto__', 'polluted'],
      ['constructor', 'x'],
      ['polluted', 'yes'],
      ['toString', '1'],
    ]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(typeof ({} as Record<string, unknown>)['toString']).toBe('function');
    expect(new NVFIXShredder().get(`__proto__=p${SOH}`, '__proto__')).toBe('p');
  });

  it('get and keyIs compare names by their UTF-8 bytes', () => {
    const s = new NVFIXShredder();
    expect(s.get(body, '名前')).toBe('値');
    expect(s.get(body, 'qty')).toBe('100');
    expect(s.get(body, 'Qty')).toBeUndefined();
    expect(s.get(body, 'qt')).toBeUndefined();
    expect(s.get(body, 'qty ')).toBeUndefined();
    const c = s.cursor(body);
    const found: string[] = [];
    while (c.next()) for (const n of ['side', '名前', 'symbol']) if (c.keyIs(n)) found.push(`${n}@${c.keyStart}`);
    expect(found).toEqual(['symbol@0', 'side@11', '名前@28']);
  });

  it('forEach hands out name and value positions and stops on false', () => {
    const seen: string[] = [];
    new NVFIXShredder().forEach(body, (ks, ke, vs, ve, bytes) => {
      seen.push(`${ks}-${ke}:${vs}-${ve}=${text(bytes.subarray(ks, ke))}`);
      return seen.length < 2;
    });
    expect(seen).toEqual(['0-6:7-10=symbol', '11-15:16-19=side']);
  });

  it('forEach may call back into the same shredder', () => {
    const s = new NVFIXShredder();
    let inner = 0;
    s.forEach(body, () => {
      s.forEach(body, () => void inner++);
      expect(s.toMap(body).get('side')).toBe('buy');
    });
    expect(inner).toBe(16);
  });

  it('the name cache never confuses a non-ASCII byte with the same char code', () => {
    const s = new NVFIXShredder();
    // 'é' is U+00E9; a lone 0xE9 byte is invalid UTF-8 and must read as U+FFFD, whatever was seen before.
    for (let round = 0; round < 3; round++) {
      expect([...s.toMap(utf8(`é=1${SOH}e=2${SOH}`))]).toEqual([
        ['é', '1'],
        ['e', '2'],
      ]);
      expect([...s.toMap(hex('e9 3d 31'))]).toEqual([['\ufffd', '1']]);
      expect([...s.toMap(utf8(`\ufffd=3`))]).toEqual([['\ufffd', '3']]);
    }
  });

  it('names remembered from earlier bodies never stand in for different bytes', () => {
    const s = new NVFIXShredder('|');
    const bodies: [string, [string, string][]][] = [
      [
        'ab=1|abc=2|x=3|',
        [
          ['ab', '1'],
          ['abc', '2'],
          ['x', '3'],
        ],
      ],
      [
        'abc=4|ab=5|x==6|',
        [
          ['abc', '4'],
          ['ab', '5'],
          ['x', '=6'],
        ],
      ],
      [
        'a=7|abx=8|xy=9',
        [
          ['a', '7'],
          ['abx', '8'],
          ['xy', '9'],
        ],
      ],
      [
        'ab=1|abc=2|x=3|',
        [
          ['ab', '1'],
          ['abc', '2'],
          ['x', '3'],
        ],
      ],
      ['ab', []],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [body, fields] of bodies) {
        if (fields.length === 0) expectStreamError(() => s.toMap(body), 2, 'nvfix-body');
        else expect([...s.toMap(body)]).toEqual(fields);
      }
    }
    // A field that was remembered but now lacks its '=' is still malformed.
    expect([...s.toMap('ab=1|')]).toEqual([['ab', '1']]);
    expectStreamError(() => s.toMap('ab|'), 2, 'nvfix-body');
    expectStreamError(() => s.toMap('ab'), 2, 'nvfix-body');
  });

  it('reports the offset of a field without "=" in the body given', () => {
    expectStreamError(
      () => new NVFIXShredder().toMap(`a=1${SOH}bc${SOH}d=1`),
      6,
      'nvfix-body',
      "nvfix-body: expected '=' after the name at byte 6",
    );
  });
});

// ---- properties -----------------------------------------------------------------------------

const separators = fc.constantFrom('\x01', '|', ';', '\x00');
const name = (sep: string) =>
  fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'symbol', 'side', ''),
    textWithout(12, sep, '='),
  );
const pairsAndSep = separators.chain((sep) =>
  fc.tuple(fc.constant(sep), fc.array(fc.tuple(name(sep), textWithout(20, sep)), { maxLength: 12 })),
);

describe('NVFIX body properties', () => {
  const shredder = perSeparator((sep) => new NVFIXShredder(sep));

  it('toMap(build(pairs)) is the pairs, a repeated name keeping its last value', () => {
    fc.assert(
      fc.property(pairsAndSep, ([sep, pairs]) => {
        const b = new NVFIXBuilder(sep);
        for (const [n, v] of pairs) b.append(n, v);
        const expected = new Map(pairs);
        const s = shredder(sep);
        const map = s.toMap(b.getBytes());
        expect([...map]).toEqual([...expected]);
        expect(Object.getPrototypeOf(map)).toBe(Map.prototype);
        if (pairs.length > 0) expect([...s.toMap(b.getBytes().subarray(0, -1))]).toEqual([...expected]);
        for (const [n, v] of expected) expect(s.get(b.getBytes(), n)).toBe(v);
        const c = s.cursor(b.getString());
        const walked: [string, string][] = [];
        while (c.next()) walked.push([c.key(), c.value()]);
        expect(walked).toEqual(pairs);
      }),
      { numRuns: 150 },
    );
  });
});
