// The frame target checks each payload as the splitter delivers it, holding none of them: it must
// still catch a splitter that alters, drops or adds a frame.
import { describe, expect, it } from 'vitest';
import { Finding } from '../../fuzz/engine/oracles.mjs';
import { frame } from '../../fuzz/targets/frame.mjs';
import * as lib from '../../src/index.js';

type OnFrame = (payload: Uint8Array) => void;

/** The library with its FrameSplitter's deliveries passed through `tamper`. */
function libWith(tamper: (payload: Uint8Array, deliver: OnFrame, index: number) => void): typeof lib {
  class TamperedSplitter extends lib.FrameSplitter {
    private delivered = 0;
    override push(chunk: Uint8Array, onFrame: OnFrame): void {
      super.push(chunk, (payload) => tamper(payload, onFrame, this.delivered++));
    }
  }
  return { ...lib, FrameSplitter: TamperedSplitter };
}

// Seed byte 3 (a few large chunks), maxFrameLength byte 7 (the default), then three frames.
const input = Uint8Array.from([3, 7, 0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 1, 0x63]);

function findingOf(l: typeof lib): string | undefined {
  try {
    frame.run(l, input);
    return undefined;
  } catch (err) {
    if (err instanceof Finding) return err.message;
    throw err;
  }
}

describe('fuzz target: frame', () => {
  it('passes the splitter as it is', () => {
    expect(findingOf(lib)).toBeUndefined();
  });

  it('catches an altered payload', () => {
    const altered = libWith((p, deliver, k) => deliver(k === 2 ? Uint8Array.of(0x64) : p));
    expect(findingOf(altered)).toMatch(
      /^frame 2 \(at byte 10\) vs reference split: got "bytes:64", expected "bytes:63"$/,
    );
  });

  it('catches a dropped frame', () => {
    const dropping = libWith((p, deliver, k) => (k === 1 ? undefined : deliver(p)));
    expect(findingOf(dropping)).toMatch(/vs reference split/);
  });

  it('catches an extra frame', () => {
    const doubling = libWith((p, deliver, k) => {
      deliver(p);
      if (k === 2) deliver(p);
    });
    expect(findingOf(doubling)).toBe('a frame delivered after the 3 of the reference split');
  });
});
