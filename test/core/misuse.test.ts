// Misuse of the API is a CommandException that says what was expected, never a TypeError from
// inside a decoder or a complaint about bytes that were never bytes.
import { describe, expect, it } from 'vitest';
import {
  CommandException,
  FrameSplitter,
  Message,
  amps,
  createJsonProtocol,
  createXmlProtocol,
  createFixProtocol,
  fix,
  frame,
  nvfix,
  xml,
} from '../../src/index.js';
import { thrown } from '../helpers/decoding.js';

const invalid = (f: () => unknown, message: string) => {
  const e = thrown(f);
  expect(e).toBeInstanceOf(CommandException);
  expect((e as CommandException).code).toBe('AMPS_INVALID_ARGUMENT');
  expect((e as CommandException).message).toBe(message);
};

describe('protocol misuse', () => {
  for (const p of [amps, fix, nvfix, xml]) {
    it(`${p.name}: decode of anything but bytes, into anything but a Message`, () => {
      invalid(() => p.decode(null as never), 'decode takes a Uint8Array payload, got null');
      invalid(() => p.decode(undefined as never), 'decode takes a Uint8Array payload, got undefined');
      invalid(
        () => p.decode(new DataView(new ArrayBuffer(8)) as never),
        'decode takes a Uint8Array payload, got DataView',
      );
      invalid(() => p.decode('{"c":"publish"}' as never), 'decode takes a Uint8Array payload, got string');
      invalid(() => p.decode([0x7b, 0x7d] as never), 'decode takes a Uint8Array payload, got Array');
      invalid(() => p.decode(new Uint8Array(2), {} as never), 'decode can reuse a Message, got Object');
    });

    it(`${p.name}: encode, encodeInto and encodeFrame of anything but a Message`, () => {
      invalid(() => p.encode(null as never), 'encoding takes a Message, got null');
      invalid(() => p.encodeFrame({} as never), 'encoding takes a Message, got Object');
      invalid(() => p.encodeInto(new Message(), null as never), 'encodeInto writes into a Uint8Array, got null');
    });
  }

  it('setData of anything but bytes or text', () => {
    invalid(() => new Message().setData(null as never), 'setData takes a Uint8Array or a string');
    invalid(
      () => new Message().setData(new DataView(new ArrayBuffer(1)) as never),
      'setData takes a Uint8Array or a string',
    );
  });

  it('protocol factories take null as no options', () => {
    expect(createJsonProtocol(null as never).name).toBe('amps');
    expect(createXmlProtocol(null as never).name).toBe('xml');
    expect(createFixProtocol(null as never).name).toBe('fix');
    invalid(() => createJsonProtocol(5 as never), 'createJsonProtocol takes an options object, got number');
  });
});

describe('FrameSplitter misuse', () => {
  it('null options are no options; a missing callback is refused before any byte is taken', () => {
    const splitter = new FrameSplitter(null as never);
    expect(splitter.maxFrameLength).toBe(64 * 1024 * 1024);
    invalid(
      () => splitter.push(frame(new Uint8Array([1])), undefined as never),
      'FrameSplitter.push takes an onFrame function, got undefined',
    );
    expect(splitter.offset).toBe(0);
    invalid(() => new FrameSplitter('big' as never), 'FrameSplitter takes an options object, got string');
  });

  it('push and end from inside the callback are refused, and the stream goes on intact', () => {
    const splitter = new FrameSplitter();
    const seen: number[][] = [];
    const errors: unknown[] = [];
    const onFrame = (p: Uint8Array) => {
      seen.push([...p]);
      errors.push(thrown(() => splitter.push(frame(new Uint8Array([9])), onFrame)));
      errors.push(thrown(() => splitter.end()));
    };
    const stream = new Uint8Array([...frame(new Uint8Array([1, 2])), ...frame(new Uint8Array([3]))]);
    splitter.push(stream.subarray(0, 5), onFrame);
    splitter.push(stream.subarray(5), onFrame);
    splitter.push(frame(new Uint8Array([4, 5, 6])), onFrame);
    expect(seen).toEqual([[1, 2], [3], [4, 5, 6]]);
    expect(errors.map((e) => (e as Error).message)).toEqual(
      Array.from({ length: 3 }, () => [
        'FrameSplitter.push() cannot be called from inside an onFrame callback',
        'FrameSplitter.end() cannot be called from inside an onFrame callback',
      ]).flat(),
    );
    expect(errors.every((e) => e instanceof CommandException)).toBe(true);
    expect(splitter.offset).toBe(stream.length + 7);
    expect(() => splitter.end()).not.toThrow();
  });

  it('a callback that lets the refusal escape leaves the rest of the chunk for the next push', () => {
    const splitter = new FrameSplitter();
    const seen: number[] = [];
    let reenter = true;
    const onFrame = (p: Uint8Array) => {
      seen.push(p[0]!);
      if (reenter) {
        reenter = false;
        splitter.push(new Uint8Array(0), onFrame);
      }
    };
    const stream = new Uint8Array([...frame(new Uint8Array([1])), ...frame(new Uint8Array([2]))]);
    expect(thrown(() => splitter.push(stream, onFrame))).toBeInstanceOf(CommandException);
    splitter.push(new Uint8Array(0), onFrame);
    expect(seen).toEqual([1, 2]);
    expect(splitter.buffered).toBe(0);
  });
});
