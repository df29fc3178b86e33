import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newSegment, TcpFlag, type TcpSegment } from '../../src/capture/ip.js';
import { TcpDirection, type EndReason, type ReassemblyLimits, type StreamSink } from '../../src/capture/tcp.js';

type Event = ['begin', boolean] | ['data', string, boolean] | ['gap', number] | ['end', EndReason];

class Sink implements StreamSink {
  events: Event[] = [];
  begin(fromStart: boolean): void {
    this.events.push(['begin', fromStart]);
  }
  data(bytes: Uint8Array, segmentStart: boolean): void {
    this.events.push(['data', new TextDecoder().decode(bytes), segmentStart]);
  }
  gap(missing: number): void {
    this.events.push(['gap', missing]);
  }
  end(reason: EndReason): void {
    this.events.push(['end', reason]);
  }
  /** The stream as text, gaps as `#n#`. */
  stream(): string {
    return this.events.map((e) => (e[0] === 'data' ? e[1] : e[0] === 'gap' ? `#${e[1]}#` : '')).join('');
  }
}

function seg(seq: number, text: string, flags: number = TcpFlag.ACK): TcpSegment {
  const s = newSegment();
  s.seq = seq >>> 0;
  s.flags = flags;
  s.payload = new TextEncoder().encode(text);
  s.wireLength = s.payload.length;
  return s;
}

function run(
  segments: TcpSegment[],
  limits?: ReassemblyLimits,
  finish: EndReason | null = 'eof',
): { sink: Sink; dir: TcpDirection } {
  const sink = new Sink();
  const dir = new TcpDirection(sink, limits);
  for (const s of segments) dir.segment(s);
  if (finish !== null) dir.finish(finish);
  return { sink, dir };
}

describe('TcpDirection', () => {
  it('delivers in order from the SYN and ends at the FIN', () => {
    const { sink } = run(
      [seg(100, '', TcpFlag.SYN), seg(101, 'hello '), seg(107, 'world'), seg(112, '', TcpFlag.FIN | TcpFlag.ACK)],
      {},
      null,
    );
    expect(sink.events).toEqual([
      ['begin', true],
      ['data', 'hello ', true],
      ['data', 'world', true],
      ['end', 'fin'],
    ]);
  });

  it('takes data carried on the SYN itself (TCP fast open)', () => {
    const { sink } = run([seg(100, 'abc', TcpFlag.SYN), seg(104, 'def')]);
    expect(sink.stream()).toBe('abcdef');
  });

  it('joins a connection already open: starts at the first segment seen', () => {
    const { sink } = run([seg(5000, 'later'), seg(5005, ' bytes')]);
    expect(sink.events[0]).toEqual(['begin', false]);
    expect(sink.stream()).toBe('later bytes');
  });

  it('reorders out-of-order segments and drops duplicates', () => {
    const { sink, dir } = run([
      seg(0, '', TcpFlag.SYN),
      seg(5, 'fgh'),
      seg(1, 'abcd'),
      seg(1, 'abcd'),
      seg(5, 'fgh'),
      seg(8, 'ij'),
    ]);
    expect(sink.stream()).toBe('abcdfghij');
    expect(dir.outOfOrderSegments).toBe(1);
    expect(dir.retransmittedBytes).toBe(7);
    expect(sink.events).toContainEqual(['data', 'fgh', true]);
  });

  it('keeps the first copy where overlapping segments disagree', () => {
    // Delivered bytes are never replaced, and between held segments the earlier arrival wins.
    const { sink } = run([
      seg(0, '', TcpFlag.SYN),
      seg(1, 'AB'),
      seg(2, 'xCD'),
      seg(7, 'HI'),
      seg(6, 'yyzz'),
      seg(5, 'EF'),
    ]);
    expect(sink.stream()).toBe('ABCDEyHIz');
  });

  it('marks a piece that does not begin its segment', () => {
    const { sink } = run([seg(0, '', TcpFlag.SYN), seg(1, 'AB'), seg(2, 'BCD')]);
    expect(sink.events).toContainEqual(['data', 'CD', false]);
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const { sink } = run(
      [
        seg(0xfffffffd, '', TcpFlag.SYN),
        seg(0xfffffffe, 'ab'),
        seg(2, 'ef'),
        seg(0, 'cd'),
        seg(4, '', TcpFlag.FIN | TcpFlag.ACK),
      ],
      {},
      null,
    );
    expect(sink.events).toEqual([
      ['begin', true],
      ['data', 'ab', true],
      ['data', 'cd', true],
      ['data', 'ef', true],
      ['end', 'fin'],
    ]);
  });

  it('waits for data before a FIN that arrives early', () => {
    const { sink } = run([seg(0, '', TcpFlag.SYN), seg(4, 'def', TcpFlag.FIN | TcpFlag.ACK), seg(1, 'abc')], {}, null);
    expect(sink.events.slice(1)).toEqual([
      ['data', 'abc', true],
      ['data', 'def', true],
      ['end', 'fin'],
    ]);
  });

  it('reports a hole as a gap once the receiver acknowledges past it', () => {
    const sink = new Sink();
    const dir = new TcpDirection(sink);
    dir.segment(seg(0, '', TcpFlag.SYN));
    dir.segment(seg(1, 'abc'));
    dir.segment(seg(10, 'jkl'));
    dir.acknowledged(4); // only what was delivered
    expect(sink.stream()).toBe('abc');
    dir.acknowledged(13);
    expect(sink.stream()).toBe('abc#6#jkl');
    expect([dir.gaps, dir.gapBytes]).toEqual([1, 6]);
  });

  it('gives up on a hole when held segments exceed their limits', () => {
    const bytes = run(
      [seg(0, '', TcpFlag.SYN), seg(1, 'a'), seg(5, 'eeee'), seg(20, 'tttt'), seg(30, 'dddd')],
      { maxHeldBytes: 8 },
      null,
    );
    expect(bytes.sink.stream()).toBe('a#3#eeee');
    const count = run([seg(0, '', TcpFlag.SYN), seg(3, 'c'), seg(5, 'e'), seg(7, 'g')], { maxHeldSegments: 2 }, null);
    expect(count.sink.stream()).toBe('#2#c');
  });

  it('on RST: delivers what it holds with the gaps between, then ends', () => {
    const { sink } = run([seg(0, '', TcpFlag.SYN), seg(1, 'ab'), seg(6, 'fg'), seg(3, '', TcpFlag.RST)], {}, null);
    expect(sink.events.slice(1)).toEqual([
      ['data', 'ab', true],
      ['gap', 3],
      ['data', 'fg', true],
      ['end', 'rst'],
    ]);
  });

  it('at the end of the capture: flushes held data with gaps and ends with eof', () => {
    const { sink } = run([seg(0, '', TcpFlag.SYN), seg(1, 'ab'), seg(9, 'ij')]);
    expect(sink.events.slice(1)).toEqual([
      ['data', 'ab', true],
      ['gap', 6],
      ['data', 'ij', true],
      ['end', 'eof'],
    ]);
  });

  it('ignores segments after it ended, counting them as retransmissions', () => {
    const { sink, dir } = run(
      [seg(0, '', TcpFlag.SYN), seg(1, 'ab'), seg(3, '', TcpFlag.FIN | TcpFlag.ACK), seg(1, 'ab')],
      {},
      null,
    );
    expect(sink.stream()).toBe('ab');
    expect(dir.closed).toBe(true);
    expect(dir.retransmittedBytes).toBe(2);
  });

  it('tells a SYN of a new connection from a retransmitted one', () => {
    const { dir } = run([seg(100, '', TcpFlag.SYN), seg(101, 'x')], {}, null);
    expect(dir.isNewConnection(100)).toBe(false);
    expect(dir.isNewConnection(9999)).toBe(true);
  });

  it('any arrival order, duplication or overlap of complete data gives the original stream', () => {
    const text = 'The quick brown fox jumps over the lazy dog, 0123456789 times.';
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 1, max: 12 })), { maxLength: 30 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (extra, isn, order) => {
          // Cover the text with consecutive pieces, then add arbitrary overlapping copies.
          const pieces: [number, number][] = [];
          for (let p = 0; p < text.length; p += 7) pieces.push([p, Math.min(text.length, p + 7)]);
          for (const [start, len] of extra) pieces.push([start, Math.min(text.length, start + len)]);
          const shuffled = pieces.slice();
          order.forEach((k, i) => {
            const a = i % shuffled.length;
            const b = k % shuffled.length;
            [shuffled[a], shuffled[b]] = [shuffled[b]!, shuffled[a]!];
          });
          const segments = [seg(isn, '', TcpFlag.SYN), ...shuffled.map(([s, e]) => seg(isn + 1 + s, text.slice(s, e)))];
          const { sink } = run(segments, { maxHeldSegments: 1000 });
          expect(sink.stream()).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
