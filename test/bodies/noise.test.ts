// Arbitrary bytes into every body reader: only AMPSException subclasses may escape, every path
// agrees on whether a body is malformed and where, and the Map's text equals decoding each slice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompositeMessageParser,
  FIXCursor,
  FIXShredder,
  NVFIXCursor,
  NVFIXShredder,
  StreamException,
} from '../../src/index.js';
import { onlyAmpsErrors, text } from './helpers.js';

// Plain noise, and noise drawn mostly from the bytes the grammar cares about.
const structural = fc.constantFrom(
  0x3d,
  0x01,
  0x7c,
  0x30,
  0x35,
  0x39,
  0x61,
  0x00,
  0xc3,
  0xa9,
  0xe9,
  0xff,
  0xef,
  0xbb,
  0xbf,
);
const noise = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(fc.oneof(structural, fc.integer({ min: 0, max: 255 })), { maxLength: 80 }).map((a) => Uint8Array.from(a)),
);

function badBodyOffset(err: unknown, length: number): number | undefined {
  if (err === undefined) return undefined;
  expect(err).toBeInstanceOf(StreamException);
  const e = err as StreamException;
  expect(e.code).toBe('AMPS_BAD_BODY');
  expect(e.offset).toBeGreaterThanOrEqual(0);
  expect(e.offset).toBeLessThanOrEqual(length);
  return e.offset;
}

describe('bodies from noise', () => {
  const fix = new FIXShredder();
  const fixPipe = new FIXShredder('|');
  const nvfix = new NVFIXShredder();
  const parser = new CompositeMessageParser();

  it('FIX: every reader fails the same way or agrees on the fields', () => {
    fc.assert(
      fc.property(noise, (bytes) => {
        for (const [s, sep] of [
          [fix, '\x01'],
          [fixPipe, '|'],
        ] as const) {
          let map: Map<number, string> | undefined;
          const at = badBodyOffset(
            onlyAmpsErrors(() => (map = s.toMap(bytes))),
            bytes.length,
          );
          expect(
            badBodyOffset(
              onlyAmpsErrors(() => s.get(bytes, 35)),
              bytes.length,
            ),
          ).toBe(at);
          expect(
            badBodyOffset(
              onlyAmpsErrors(() => s.forEach(bytes, () => undefined)),
              bytes.length,
            ),
          ).toBe(at);
          const walked = new Map<number, string>();
          const c = new FIXCursor(sep).reset(bytes);
          expect(
            badBodyOffset(
              onlyAmpsErrors(() => {
                while (c.next()) walked.set(c.tag, text(bytes.subarray(c.valueStart, c.valueEnd)));
              }),
              bytes.length,
            ),
          ).toBe(at);
          if (at === undefined) expect(map).toEqual(walked);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('NVFIX: every reader fails the same way or agrees on the fields', () => {
    fc.assert(
      fc.property(noise, (bytes) => {
        let map: Map<string, string> | undefined;
        const at = badBodyOffset(
          onlyAmpsErrors(() => (map = nvfix.toMap(bytes))),
          bytes.length,
        );
        expect(
          badBodyOffset(
            onlyAmpsErrors(() => nvfix.get(bytes, 'a')),
            bytes.length,
          ),
        ).toBe(at);
        expect(
          badBodyOffset(
            onlyAmpsErrors(() => nvfix.getBytes(bytes, '\ufffd')),
            bytes.length,
          ),
        ).toBe(at);
        expect(
          badBodyOffset(
            onlyAmpsErrors(() => nvfix.forEach(bytes, () => undefined)),
            bytes.length,
          ),
        ).toBe(at);
        const walked = new Map<string, string>();
        const c = new NVFIXCursor().reset(bytes);
        expect(
          badBodyOffset(
            onlyAmpsErrors(() => {
              while (c.next())
                walked.set(text(bytes.subarray(c.keyStart, c.keyEnd)), text(bytes.subarray(c.valueStart, c.valueEnd)));
            }),
            bytes.length,
          ),
        ).toBe(at);
        if (at === undefined) expect([...map!]).toEqual([...walked]);
      }),
      { numRuns: 400 },
    );
  });

  it('composite: parse never throws and every part lies inside the body', () => {
    fc.assert(
      fc.property(noise, (bytes) => {
        const n = parser.parse(bytes);
        expect(parser.size()).toBe(n);
        let covered = 0;
        for (let i = 0; i < n; i++) {
          const raw = parser.getPartRaw(i)!;
          expect(raw.byteOffset).toBe(bytes.byteOffset + covered + 4);
          covered += 4 + raw.length;
          expect(parser.getPart(i)).toBe(text(raw));
        }
        expect(covered).toBeLessThanOrEqual(bytes.length);
        expect(parser.malformedOffset).toBe(covered === bytes.length ? -1 : covered);
        expect(parser.getPart(n)).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });
});
