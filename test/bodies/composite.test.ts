import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompositeMessageBuilder, CompositeMessageParser, Message } from '../../src/index.js';
import { expectCommandError, hex, offsetView, utf8 } from './helpers.js';

describe('CompositeMessageBuilder', () => {
  it('writes each part as a 4-byte big-endian length and its bytes, and chains', () => {
    const b = new CompositeMessageBuilder();
    expect(
      b
        .append('ab')
        .append(Uint8Array.from([1, 2, 3]))
        .append('')
        .append('é'),
    ).toBe(b);
    expect(b.getData()).toEqual(hex('00 00 00 02 61 62 00 00 00 03 01 02 03 00 00 00 00 00 00 00 02 c3 a9'));
  });

  it('writes lengths of 256 and more in big-endian order', () => {
    const data = new CompositeMessageBuilder(4).append(new Uint8Array(0x10203)).getData();
    expect([...data.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
    expect(data.length).toBe(4 + 0x10203);
  });

  it('clear keeps the buffer; getData is a view of it', () => {
    const b = new CompositeMessageBuilder().append('{"a":1}');
    const first = b.getData();
    expect(b.clear()).toBe(b);
    expect(b.getData().length).toBe(0);
    b.append('x');
    expect(b.getData().buffer).toBe(first.buffer);
    expect(b.getData()).toEqual(hex('00 00 00 01 78'));
  });

  it('grows from any initial capacity', () => {
    const b = new CompositeMessageBuilder(0);
    const parts = Array.from({ length: 50 }, (_, i) => 'p'.repeat(i * 7));
    for (const p of parts) b.append(p);
    const parser = new CompositeMessageParser();
    expect(parser.parse(b.getData())).toBe(50);
    expect(Array.from({ length: 50 }, (_, i) => parser.getPart(i))).toEqual(parts);
  });

  it('refuses a part that is neither text nor bytes (AMPS_INVALID_ARGUMENT)', () => {
    const b = new CompositeMessageBuilder().append('a');
    for (const part of [1, null, undefined, {}, [1]])
      expectCommandError(() => b.append(part as string), 'AMPS_INVALID_ARGUMENT');
    expect(b.getData()).toEqual(hex('00 00 00 01 61'));
  });
});

describe('CompositeMessageParser', () => {
  const body = hex('00 00 00 07 7b 22 61 22 3a 31 7d 00 00 00 00 00 00 00 03 ff 00 01');

  it('parses the parts and hands out text and zero-copy views', () => {
    const p = new CompositeMessageParser();
    const view = offsetView(body);
    expect(p.parse(view)).toBe(3);
    expect(p.size()).toBe(3);
    expect(p.getPart(0)).toBe('{"a":1}');
    expect(p.getPart(1)).toBe('');
    expect(p.getPart(2)).toBe('\ufffd\x00\x01');
    const raw = p.getPartRaw(2)!;
    expect([...raw]).toEqual([0xff, 0x00, 0x01]);
    expect(raw.buffer).toBe(view.buffer);
    expect(raw.byteOffset).toBe(view.byteOffset + 19);
    expect(p.getPartRaw(1)!.length).toBe(0);
    expect(p.malformedOffset).toBe(-1);
  });

  it('answers undefined for an index that is not a part', () => {
    const p = new CompositeMessageParser();
    p.parse(body);
    for (const i of [-1, 3, 4, 0.5, NaN, Infinity, '0' as unknown as number]) {
      expect(p.getPart(i)).toBeUndefined();
      expect(p.getPartRaw(i)).toBeUndefined();
    }
    expect(new CompositeMessageParser().getPart(0)).toBeUndefined();
    expect(new CompositeMessageParser().size()).toBe(0);
  });

  it('a length running past the end ends the parse without throwing; earlier parts stay readable', () => {
    const p = new CompositeMessageParser();
    const truncated = hex('00 00 00 01 41 00 00 00 05 42 43');
    expect(p.parse(truncated)).toBe(1);
    expect(p.size()).toBe(1);
    expect(p.getPart(0)).toBe('A');
    expect(p.getPart(1)).toBeUndefined();
    expect(p.malformedOffset).toBe(5);
    // 1 to 3 stray bytes cannot hold a length.
    expect(p.parse(hex('00 00 00 01 41 00 00'))).toBe(1);
    expect(p.malformedOffset).toBe(5);
    // A huge declared length is only compared, never allocated.
    expect(p.parse(hex('ff ff ff ff 00'))).toBe(0);
    expect(p.malformedOffset).toBe(0);
  });

  it('parse forgets the previous body', () => {
    const p = new CompositeMessageParser();
    expect(p.parse(body)).toBe(3);
    expect(p.parse(new Uint8Array(0))).toBe(0);
    expect(p.getPart(0)).toBeUndefined();
    expect(p.malformedOffset).toBe(-1);
  });

  it('parses a Message body and a string', () => {
    const data = new CompositeMessageBuilder().append('{"id":1}').append(new Uint8Array(256).fill(7)).getData().slice();
    const p = new CompositeMessageParser();
    expect(p.parse(new Message().setData(data))).toBe(2);
    expect(p.getPart(0)).toBe('{"id":1}');
    expect(p.getPartRaw(1)).toEqual(new Uint8Array(256).fill(7));
    expect(p.parse('\x00\x00\x00\x02hi')).toBe(1);
    expect(p.getPart(0)).toBe('hi');
  });

  it('keeps a part that starts with U+FEFF as it is', () => {
    const p = new CompositeMessageParser();
    p.parse(new CompositeMessageBuilder().append('\ufeff{}').getData());
    expect(p.getPart(0)).toBe('\ufeff{}');
  });

  it('refuses a body that is not bytes, text or a Message (AMPS_INVALID_ARGUMENT)', () => {
    for (const b of [1, null, {}, undefined])
      expectCommandError(() => new CompositeMessageParser().parse(b as Uint8Array), 'AMPS_INVALID_ARGUMENT');
  });
});

describe('composite properties', () => {
  const part = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.uint8Array({ maxLength: 40 }),
    fc.constant(''),
    fc.constant(new Uint8Array(0)),
  );
  const parser = new CompositeMessageParser();

  it('parse(build(parts)) = parts, empty parts included', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const data = parts.reduce((b, p) => b.append(p), new CompositeMessageBuilder(8)).getData();
        expect(parser.parse(data)).toBe(parts.length);
        parts.forEach((p, i) => {
          const bytes = typeof p === 'string' ? utf8(p) : p;
          expect(parser.getPartRaw(i)).toEqual(bytes);
          if (typeof p === 'string') expect(parser.getPart(i)).toBe(p);
        });
        expect(parser.getPartRaw(parts.length)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('a body cut anywhere yields exactly the parts that end before the cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (parts, cutSeed) => {
          const data = parts.reduce((b, p) => b.append(p), new CompositeMessageBuilder()).getData();
          const cut = cutSeed % (data.length + 1);
          const ends: number[] = [];
          let end = 0;
          for (const p of parts) ends.push((end += 4 + p.length));
          const whole = ends.filter((e) => e <= cut).length;
          expect(parser.parse(data.subarray(0, cut))).toBe(whole);
          expect(parser.malformedOffset).toBe(
            cut === 0 || ends.includes(cut) ? -1 : whole === 0 ? 0 : ends[whole - 1]!,
          );
          for (let i = 0; i < whole; i++) expect(parser.getPartRaw(i)).toEqual(parts[i]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
