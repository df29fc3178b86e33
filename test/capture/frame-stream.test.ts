import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameStream, type FrameStreamOptions } from '../../src/capture/frame-stream.js';
import { concat, frameOf, Recorder } from '../helpers/pcap-writer.js';

type Piece = Uint8Array | number; // bytes of one segment, or a gap of that many bytes

function feed(pieces: readonly Piece[], options: FrameStreamOptions = {}, fromStart = true): Recorder {
  const recorder = new Recorder();
  const stream = new FrameStream('a->b', recorder, options);
  stream.begin(fromStart);
  for (const p of pieces) {
    if (typeof p === 'number') stream.gap(p);
    else stream.data(p, true);
  }
  stream.end('eof');
  return recorder;
}

function cut(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let p = 0, i = 0; p < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    out.push(bytes.slice(p, p + n));
    p += n;
  }
  return out;
}

const text = (n: number, seed: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + ((seed * 31 + i * 7) % 95));
  return s;
};

describe('FrameStream', () => {
  it('a gap inside a frame whose length is known, then another gap inside the dropped frame', () => {
    const a = frameOf(`{"a":1}${text(100, 1)}`);
    const b = frameOf('{"b":2}');
    const r = feed([a.slice(0, 10), 20, a.slice(30, 50), 5, concat(a.slice(55), b)]);
    expect(r.events.map((e) => e.kind)).toEqual(['truncated', 'notice', 'notice', 'frame']);
    expect(r.of('truncated')[0]).toMatchObject({ index: 0, frameLength: 107, bytesPresent: 10 });
    expect(r.of('frame')[0]).toMatchObject({ index: 1, text: '{"b":2}' });
  });

  it('a gap that ends exactly where the broken frame ends', () => {
    const a = frameOf('{"a":1}');
    const b = frameOf('{"b":2}');
    const r = feed([a.slice(0, 6), a.length - 6, b]);
    expect(r.frames()).toEqual(['{"b":2}']);
  });

  it('a gap between frames: no frame is dropped but the boundary must be proven again', () => {
    const frames = ['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}'].map(frameOf);
    const r = feed([frames[0]!, 40, frames[1]!, frames[2]!, frames[3]!]);
    expect(r.events.map((e) => e.kind)).toEqual(['frame', 'notice', 'notice', 'frame', 'frame', 'frame']);
    expect(r.of('truncated')).toEqual([]);
    expect(r.frames()).toEqual(['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}']);
  });

  it('while hunting, a segment start inside a frame is not trusted when its chain breaks', () => {
    // A segment starting inside frame X's body with bytes that look like a header whose length
    // does not land on another header.
    const fake = new Uint8Array([0, 0, 0, 3, 0x7b, 0x20, 0x20, 0x20, 0x20]);
    const x = frameOf(concat(new TextEncoder().encode('{"x":1}'), fake));
    const y = frameOf('{"y":2}');
    const z = frameOf('{"z":3}');
    const r = feed(
      [x.slice(0, 4), 2, x.slice(6, x.length - fake.length), x.slice(x.length - fake.length), y, z],
      {},
      true,
    );
    expect(r.frames()).toEqual(['{"y":2}', '{"z":3}']);
  });

  it('the hunt window drops old bytes: a frame larger than the window is skipped and the next boundary used', () => {
    const big = frameOf(`{"big":1}${text(3000, 2)}`);
    const small = ['{"s":1}', '{"s":2}'].map(frameOf);
    const r = feed([...cut(big, [500]), ...small], { huntWindow: 1024 }, false);
    expect(r.frames()).toEqual(['{"s":1}', '{"s":2}']);
    expect(r.of('notice')[0]!.notice).toMatchObject({ kind: 'joined', bytes: big.length });
  });

  it('gives up after the hunt limit and says how many bytes were not decoded', () => {
    const junk = new TextEncoder().encode(text(5000, 3));
    const r = feed(cut(junk, [100]), { huntLimit: 2048 }, false);
    expect(r.of('notice').map((e) => e.notice)).toEqual([
      {
        kind: 'unsynced',
        bytes: 2100,
        message: 'no trusted frame boundary in 2100 bytes: the rest of this stream is not decoded',
      },
    ]);
  });

  it('whatever segments are lost, every frame reported is one that was sent, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('{', '<', '2'), fc.integer({ min: 0, max: 300 })), {
          minLength: 1,
          maxLength: 25,
        }),
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        (specs, sizes, keep, fromStart) => {
          const sent = specs.map(([open, n], i) => open + text(n, i));
          const segments = cut(concat(...sent.map(frameOf)), sizes);
          const pieces: Piece[] = segments.map((s, i) => (keep[i % keep.length] ? s : s.length));
          const r = feed(pieces, { huntWindow: 512 }, fromStart);
          // Reported frames are a subsequence of those sent, with indexes increasing.
          let k = 0;
          for (const got of r.frames()) {
            while (k < sent.length && sent[k] !== got) k++;
            expect(k).toBeLessThan(sent.length);
            k++;
          }
          const indexes = r.events.flatMap((e) => ('index' in e ? [e.index] : []));
          expect(indexes).toEqual(indexes.map((_, i) => i));
          if (fromStart && keep.every(Boolean)) expect(r.frames()).toEqual(sent);
        },
      ),
      { numRuns: 400 },
    );
  });
});
