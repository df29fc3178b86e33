import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureFormat } from '../../src/capture/capture-decoder.js';
import { LinkType } from '../../src/capture/link.js';
import {
  buildPacket,
  concat,
  decodeCapture,
  frameOf,
  PcapngWriter,
  pcapngOf,
  pcapOf,
  PcapWriter,
  TcpConversation,
  type SegmentSpec,
} from '../helpers/pcap-writer.js';

const C2S = '10.0.0.1:51000->10.0.0.2:9007';
const S2C = '10.0.0.2:9007->10.0.0.1:51000';

function conversation(over: Partial<ConstructorParameters<typeof TcpConversation>[0]> = {}): TcpConversation {
  return new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007, ...over });
}

const PAYLOADS = [
  '{"c":"logon","cid":"1","client_name":"c1"}',
  '{"c":"publish","t":"orders","cid":"2"}{"id":1,"qty":300}',
  '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10}{"id":"a"}{"k":"11","l":10}{"id":"b"}',
  '20000=publish\x0120005=orders\x0120058=12\x01\x0255=IBM\x0154=1\x01',
  '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>publish</Cmd></SOAP-ENV:Header><SOAP-ENV:Body>x</SOAP-ENV:Body></SOAP-ENV:Envelope>',
];
const STREAM = concat(...PAYLOADS.map(frameOf));

describe('CaptureDecoder', () => {
  it('tells pcap and pcapng files by their magic numbers', () => {
    expect(captureFormat(new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1]))).toBe('pcap');
    expect(captureFormat(new Uint8Array([0xa1, 0xb2, 0x3c, 0x4d]))).toBe('pcap');
    expect(captureFormat(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a]))).toBe('pcapng');
    expect(captureFormat(new Uint8Array([0, 0, 0, 9]))).toBeUndefined();
    expect(captureFormat(new Uint8Array([0xd4]))).toBeUndefined();
  });

  it('decodes both directions of a connection into frames, each direction counting from 0', () => {
    const conv = conversation();
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', concat(frameOf(PAYLOADS[0]!), frameOf(PAYLOADS[1]!))),
      ...conv.send('server', frameOf('{"c":"ack","cid":"1","status":"success"}')),
      conv.fin('client'),
      conv.fin('server'),
    ];
    const { recorder, error, decoder } = decodeCapture(pcapOf(segs));
    expect(error).toBeUndefined();
    expect(recorder.events).toEqual([
      {
        kind: 'frame',
        conn: C2S,
        index: 0,
        text: PAYLOADS[0],
        length: PAYLOADS[0]!.length,
        seconds: 1_700_000_000,
        nanos: 3_000_000,
      },
      {
        kind: 'frame',
        conn: C2S,
        index: 1,
        text: PAYLOADS[1],
        length: PAYLOADS[1]!.length,
        seconds: 1_700_000_000,
        nanos: 3_000_000,
      },
      {
        kind: 'frame',
        conn: S2C,
        index: 0,
        text: '{"c":"ack","cid":"1","status":"success"}',
        length: 40,
        seconds: 1_700_000_000,
        nanos: 4_000_000,
      },
    ]);
    expect(decoder.stats).toMatchObject({ packets: 7, tcpPackets: 7, directions: 2, gaps: 0 });
  });

  const links: [string, number, SegmentSpec['src'], SegmentSpec['dst']][] = [
    ['Ethernet/IPv4', LinkType.Ethernet, '10.0.0.1', '10.0.0.2'],
    ['SLL/IPv6', LinkType.LinuxSll, '2001:db8::1', '2001:db8::2'],
    ['SLL2/IPv4', LinkType.LinuxSll2, '192.168.1.1', '192.168.1.2'],
    ['null loopback/IPv6', LinkType.Null, '::1', '::1'],
    ['raw/IPv4', LinkType.Raw, '127.0.0.1', '127.0.0.1'],
  ];
  for (const [name, linkType, client, server] of links) {
    it(`${name}: any segmentation of the stream gives the same frames (pcap, both byte orders)`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 12 }),
          fc.boolean(),
          (sizes, littleEndian) => {
            const conv = conversation({ client, server, clientPort: 40000, serverPort: 9007 });
            const segs = [...conv.handshake(), ...conv.send('client', STREAM, { sizes })];
            const { recorder, error } = decodeCapture(
              pcapOf(segs, { linkType, littleEndian, nanos: !littleEndian }),
              [333],
            );
            expect(error).toBeUndefined();
            expect(recorder.frames()).toEqual(PAYLOADS);
            const conn = client.includes(':')
              ? `[${client}]:40000->[${server}]:9007`
              : `${client}:40000->${server}:9007`;
            expect(recorder.of('frame').every((e) => e.conn === conn)).toBe(true);
          },
        ),
        { numRuns: 25 },
      );
    });
  }

  it('pcapng with interfaces of different link types interleaved', () => {
    const a = conversation();
    const b = conversation({ client: 'fd00::1', server: 'fd00::2', clientPort: 1, serverPort: 2 });
    const w = new PcapngWriter({ littleEndian: false });
    const parts = [
      w.section(),
      w.interface({ linkType: LinkType.Ethernet, tsresol: 6 }),
      w.interface({ linkType: LinkType.LinuxSll2, tsresol: 9 }),
    ];
    const segA = [...a.handshake(), ...a.send('client', STREAM, { sizes: [7, 100] })];
    const segB = [...b.handshake(), ...b.send('server', STREAM, { sizes: [50, 3] })];
    for (let i = 0; i < Math.max(segA.length, segB.length); i++) {
      if (i < segA.length)
        parts.push(
          w.enhancedPacket(
            0,
            buildPacket(segA[i]!, { linkType: LinkType.Ethernet, vlans: [100] }),
            1_700_000_000 + i,
            0,
          ),
        );
      if (i < segB.length)
        parts.push(w.enhancedPacket(1, buildPacket(segB[i]!, { linkType: LinkType.LinuxSll2 }), 1_700_000_000 + i, 1));
    }
    const { recorder, error } = decodeCapture(concat(...parts), [64]);
    expect(error).toBeUndefined();
    expect(recorder.frames(C2S)).toEqual(PAYLOADS);
    expect(recorder.frames('[fd00::2]:2->[fd00::1]:1')).toEqual(PAYLOADS);
  });

  it('reassembles out-of-order, duplicated and overlapping segments', () => {
    const conv = conversation();
    const hs = conv.handshake();
    const data = conv.send('client', STREAM, { sizes: [30] });
    const shuffled = [data[2]!, data[0]!, data[0]!, data[4]!, data[1]!, data[3]!, data[2]!, ...data.slice(5), data[1]!];
    const { recorder, error, decoder } = decodeCapture(pcapngOf([...hs, ...shuffled]));
    expect(error).toBeUndefined();
    expect(recorder.frames()).toEqual(PAYLOADS);
    expect(decoder.stats.outOfOrderSegments).toBeGreaterThan(0);
    expect(decoder.stats.retransmittedBytes).toBe(90);
  });

  it('a 100 KiB frame across many segments', () => {
    const big = `{"c":"publish","t":"big"}${'x'.repeat(100 * 1024)}`;
    const conv = conversation();
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', concat(frameOf(big), frameOf(PAYLOADS[0]!)), { mss: 1448 }),
    ];
    const { recorder } = decodeCapture(pcapOf(segs), [4096]);
    expect(recorder.frames()).toEqual([big, PAYLOADS[0]]);
  });

  it('a frame cut by FIN: reported truncated with its length and the bytes present', () => {
    const conv = conversation();
    const cut = concat(frameOf(PAYLOADS[0]!), frameOf(PAYLOADS[1]!).subarray(0, 20));
    const segs = [...conv.handshake(), ...conv.send('client', cut), conv.fin('client')];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.events).toEqual([
      expect.objectContaining({ kind: 'frame', index: 0 }),
      { kind: 'truncated', conn: C2S, index: 1, frameLength: PAYLOADS[1]!.length, bytesPresent: 20 },
    ]);
  });

  it('a frame cut by RST inside its length prefix: the length is unknown', () => {
    const conv = conversation();
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', concat(frameOf(PAYLOADS[0]!), new Uint8Array([0, 0]))),
      conv.rst('server'),
    ];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.events[1]).toEqual({
      kind: 'truncated',
      conn: C2S,
      index: 1,
      frameLength: undefined,
      bytesPresent: 2,
    });
  });

  it('a frame cut by the end of the capture', () => {
    const conv = conversation();
    const segs = [...conv.handshake(), ...conv.send('client', frameOf(PAYLOADS[2]!).subarray(0, 9))];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.events).toEqual([
      { kind: 'truncated', conn: C2S, index: 0, frameLength: PAYLOADS[2]!.length, bytesPresent: 9 },
    ]);
  });

  it('a gap inside a frame: that frame is dropped and the next one decodes, its boundary known', () => {
    const conv = conversation();
    const f1 = frameOf(PAYLOADS[2]!);
    const segs = [...conv.handshake(), ...conv.send('client', f1.subarray(0, 20))];
    conv.lose('client', 30);
    segs.push(...conv.send('client', concat(f1.subarray(50), frameOf(PAYLOADS[3]!)), { sizes: [10, 1000] }));
    segs.push(conv.fin('client'));
    const { recorder, decoder } = decodeCapture(pcapOf(segs));
    expect(recorder.events).toEqual([
      { kind: 'truncated', conn: C2S, index: 0, frameLength: PAYLOADS[2]!.length, bytesPresent: 20 },
      { kind: 'notice', conn: C2S, notice: expect.objectContaining({ kind: 'gap', bytes: 30 }) },
      expect.objectContaining({ kind: 'frame', index: 1, text: PAYLOADS[3] }),
    ]);
    expect(decoder.stats).toMatchObject({ gaps: 1, gapBytes: 30 });
  });

  it('a gap across frame boundaries: resyncs only at a proven boundary', () => {
    const conv = conversation();
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', frameOf(PAYLOADS[0]!)),
      ...conv.send('client', frameOf(PAYLOADS[1]!).subarray(0, 10)),
    ];
    conv.lose('client', frameOf(PAYLOADS[1]!).length - 10 + 5); // the rest of frame 1 and 5 bytes of frame 2
    // Frame 2's tail arrives in its own segment (no boundary at its start), then whole frames.
    segs.push(...conv.send('client', frameOf(PAYLOADS[2]!).subarray(5)));
    segs.push(...conv.send('client', frameOf(PAYLOADS[3]!)));
    segs.push(...conv.send('client', frameOf(PAYLOADS[4]!)));
    segs.push(conv.fin('client'));
    const { recorder } = decodeCapture(pcapOf(segs));
    const skipped = frameOf(PAYLOADS[2]!).length - 5;
    expect(recorder.events).toEqual([
      expect.objectContaining({ kind: 'frame', index: 0, text: PAYLOADS[0] }),
      { kind: 'truncated', conn: C2S, index: 1, frameLength: PAYLOADS[1]!.length, bytesPresent: 10 },
      { kind: 'notice', conn: C2S, notice: expect.objectContaining({ kind: 'gap' }) },
      { kind: 'notice', conn: C2S, notice: expect.objectContaining({ kind: 'resync', bytes: skipped }) },
      expect.objectContaining({ kind: 'frame', index: 2, text: PAYLOADS[3] }),
      expect.objectContaining({ kind: 'frame', index: 3, text: PAYLOADS[4] }),
    ]);
  });

  it('a connection already open when the capture starts: frames from the first trusted boundary, and a notice', () => {
    const conv = conversation();
    conv.handshake(); // not captured
    const earlier = frameOf(PAYLOADS[1]!);
    const segs = [
      ...conv.send('client', earlier.subarray(12)), // the tail of a frame whose start was not captured
      ...conv.send('client', concat(frameOf(PAYLOADS[0]!), frameOf(PAYLOADS[3]!))),
      ...conv.send('client', frameOf(PAYLOADS[4]!)),
    ];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.events).toEqual([
      {
        kind: 'notice',
        conn: C2S,
        notice: {
          kind: 'joined',
          bytes: earlier.length - 12,
          message: `the capture joined this connection mid-stream: ${earlier.length - 12} bytes skipped before the first trusted frame boundary`,
        },
      },
      expect.objectContaining({ kind: 'frame', index: 0, text: PAYLOADS[0] }),
      expect.objectContaining({ kind: 'frame', index: 1, text: PAYLOADS[3] }),
      expect.objectContaining({ kind: 'frame', index: 2, text: PAYLOADS[4] }),
    ]);
  });

  it('joined mid-stream with a single frame left: trusted when its length ends the stream exactly', () => {
    const conv = conversation();
    conv.handshake();
    const segs = [...conv.send('client', frameOf(PAYLOADS[1]!)), conv.fin('client')];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.frames()).toEqual([PAYLOADS[1]]);
  });

  it('a connection that does not open with an AMPS frame is skipped as other traffic', () => {
    const conv = conversation({ serverPort: 80 });
    const smtp = new TextEncoder().encode('EHLO example.com\r\n'.repeat(50));
    const segs = [...conv.handshake(), ...conv.send('client', smtp, { sizes: [3, 100] }), conv.fin('client')];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.events).toEqual([
      {
        kind: 'notice',
        conn: '10.0.0.1:51000->10.0.0.2:80',
        notice: {
          kind: 'not-amps',
          bytes: 0,
          message: 'the connection does not open with an AMPS frame (first bytes 45 48 4c 4f 20): not decoded',
        },
      },
    ]);
  });

  it('a connection whose first frame is cut before its header completes is still reported', () => {
    const conv = conversation();
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', frameOf(PAYLOADS[0]!).subarray(0, 4)),
      conv.fin('client'),
    ];
    expect(decodeCapture(pcapOf(segs)).recorder.events).toEqual([
      { kind: 'truncated', conn: C2S, index: 0, frameLength: PAYLOADS[0]!.length, bytesPresent: 4 },
    ]);
  });

  it('a stream joined mid-way that never shows a trusted boundary is reported, not misread', () => {
    const conv = conversation({ serverPort: 80 });
    conv.handshake();
    const http = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(50));
    const { recorder } = decodeCapture(
      pcapOf([...conv.send('client', http, { mss: 200 }), conv.fin('client')]),
      undefined,
      { huntLimit: 1000 },
    );
    expect(recorder.events).toEqual([
      {
        kind: 'notice',
        conn: '10.0.0.1:51000->10.0.0.2:80',
        notice: {
          kind: 'unsynced',
          bytes: 1200,
          message: 'no trusted frame boundary in 1200 bytes: the rest of this stream is not decoded',
        },
      },
    ]);
  });

  it('a length above the limit mid-stream: a frame error, then frames again from a proven boundary', () => {
    const conv = conversation();
    const bad = new Uint8Array([0x7f, 0, 0, 0, 0x7b, 1, 2, 3]);
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', frameOf(PAYLOADS[0]!)),
      ...conv.send('client', bad),
      ...conv.send('client', frameOf(PAYLOADS[1]!)),
      ...conv.send('client', frameOf(PAYLOADS[3]!)),
    ];
    const { recorder } = decodeCapture(pcapOf(segs), undefined, { maxFrameLength: 1 << 20 });
    const first = frameOf(PAYLOADS[0]!).length;
    expect(recorder.events).toEqual([
      expect.objectContaining({ kind: 'frame', index: 0 }),
      { kind: 'frameError', conn: C2S, index: 1, code: 'AMPS_FRAME_TOO_LARGE', frameLength: 0x7f000000, offset: first },
      { kind: 'notice', conn: C2S, notice: expect.objectContaining({ kind: 'resync', bytes: 4 }) },
      expect.objectContaining({ kind: 'frame', index: 2, text: PAYLOADS[1] }),
      expect.objectContaining({ kind: 'frame', index: 3, text: PAYLOADS[3] }),
    ]);
  });

  it('a new connection on the same ports continues the frame count', () => {
    const one = conversation();
    const two = conversation({ clientIsn: 777777 });
    const segs = [
      ...one.handshake(),
      ...one.send('client', frameOf(PAYLOADS[0]!)),
      one.fin('client'),
      one.fin('server'),
      ...two.handshake(),
      ...two.send('client', frameOf(PAYLOADS[1]!)),
    ];
    const { recorder } = decodeCapture(pcapOf(segs));
    expect(recorder.of('frame').map((e) => [e.index, e.text])).toEqual([
      [0, PAYLOADS[0]],
      [1, PAYLOADS[1]],
    ]);
  });

  it('past maxDirections, the least recently active direction is set aside and joined again later', () => {
    const a = conversation();
    const b = conversation({ client: '10.0.0.9', clientPort: 1234 });
    const f2 = frameOf(PAYLOADS[1]!);
    const segs = [
      ...a.handshake(),
      ...a.send('client', concat(frameOf(PAYLOADS[0]!), f2.subarray(0, 10))),
      ...a.send('server', frameOf('{"c":"ack"}')),
      ...b.handshake(), // a fourth direction: the client side of the first connection goes
      ...a.send('client', f2.subarray(10)),
      ...a.send('client', frameOf(PAYLOADS[3]!)),
      ...a.send('client', frameOf(PAYLOADS[4]!)),
    ];
    const { recorder } = decodeCapture(pcapOf(segs), undefined, { maxDirections: 3 });
    const mine = recorder.events.filter((e) => 'conn' in e && e.conn === C2S);
    expect(mine.map((e) => (e.kind === 'notice' ? e.notice.kind : `${e.kind} ${'index' in e ? e.index : ''}`))).toEqual(
      ['frame 0', 'evicted', 'truncated 1', 'joined', 'frame 2', 'frame 3'],
    );
    expect(recorder.frames(C2S)).toEqual([PAYLOADS[0], PAYLOADS[3], PAYLOADS[4]]);
  });

  it('a capture whose snaplen cut a packet: the missing bytes become a gap', () => {
    const conv = conversation();
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', frameOf(PAYLOADS[1]!)),
      ...conv.send('client', frameOf(PAYLOADS[0]!)),
      conv.fin('client'),
    ];
    const w = new PcapWriter();
    const packets = segs.map((s) => buildPacket(s));
    const cutAt = 3; // the first data packet, cut 10 bytes short
    const parts = [
      w.header(),
      ...packets.map((p, i) =>
        i === cutAt ? w.record(p.subarray(0, p.length - 10), 1, 0, p.length) : w.record(p, 1, 0),
      ),
    ];
    const { recorder } = decodeCapture(concat(...parts));
    expect(recorder.events[0]).toMatchObject({ kind: 'truncated', index: 0, frameLength: PAYLOADS[1]!.length });
    expect(recorder.frames()).toEqual([PAYLOADS[0]]);
  });

  it('skips packets that are not TCP and warns about fragments and unknown link types', () => {
    const conv = conversation();
    const segs = [...conv.handshake(), ...conv.send('client', frameOf(PAYLOADS[0]!))];
    const w = new PcapWriter();
    const arp = buildPacket(segs[0]!);
    arp.set([0x08, 0x06], 12);
    const fragment = buildPacket(segs[0]!, { ipv4Fragment: 0x2000 });
    const parts = [
      w.header(),
      w.record(arp, 1, 0),
      w.record(fragment, 1, 0),
      ...segs.map((s) => w.record(buildPacket(s), 1, 0)),
    ];
    const { recorder, decoder } = decodeCapture(concat(...parts));
    expect(recorder.frames()).toEqual([PAYLOADS[0]]);
    expect(recorder.of('warning')).toEqual([
      {
        kind: 'warning',
        code: 'AMPS_UNSUPPORTED',
        message:
          'capture: packet 2: IPv4 fragment (offset 0, more fragments): fragments are not reassembled at byte 94',
        offset: 94,
      },
    ]);
    expect(decoder.stats).toMatchObject({ packets: 6, otherPackets: 1, badPackets: 1, tcpPackets: 4 });

    const ng = new PcapngWriter();
    const head = concat(ng.section(), ng.interface({ linkType: 147 }));
    const unknown = concat(
      head,
      ng.enhancedPacket(0, new Uint8Array(40), 1, 0),
      ng.enhancedPacket(0, new Uint8Array(40), 1, 0),
    );
    const result = decodeCapture(unknown);
    expect(result.recorder.of('warning').map((e) => [e.code, e.message])).toEqual([
      ['AMPS_UNSUPPORTED', `capture: packets of link type 147 are not read at byte ${head.length}`],
    ]);
  });

  it('refuses a file that is not a capture, and an empty one', () => {
    expect(decodeCapture(new TextEncoder().encode('hello world')).error?.message).toBe(
      'capture: not a pcap or pcapng file (it starts with 68 65 6c 6c) at byte 0',
    );
    expect(decodeCapture(new Uint8Array(0)).error?.message).toBe('capture: the file is empty at byte 0');
    expect(decodeCapture(new Uint8Array([0xd4, 0xc3])).error?.message).toBe(
      'capture: the file ends after 2 bytes, before a capture header at byte 0',
    );
  });

  it('a capture cut at every byte: the frames before the cut, then a clear error; never a crash', () => {
    const conv = conversation();
    const segs = [...conv.handshake(), ...conv.send('client', STREAM, { sizes: [40] }), conv.fin('client')];
    for (const file of [pcapOf(segs.slice(0, 6)), pcapngOf(segs.slice(0, 6))]) {
      const whole = decodeCapture(file).recorder.frames();
      for (let cut = 0; cut < file.length; cut++) {
        const { recorder, error } = decodeCapture(file.slice(0, cut), [17]);
        const frames = recorder.frames();
        expect(whole.slice(0, frames.length)).toEqual(frames);
        if (error !== undefined) expect(error.code).toBe('AMPS_BAD_CAPTURE');
      }
    }
  });

  it('corrupt captures only ever raise AMPSException', () => {
    const conv = conversation();
    const file = pcapOf([...conv.handshake(), ...conv.send('client', STREAM, { sizes: [25] }), conv.rst('client')]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 200 }),
        (edits, chunk) => {
          const bad = file.slice();
          for (const [at, value] of edits) bad[at] = value;
          decodeCapture(bad, [chunk]); // rethrows anything that is not an AMPSException
        },
      ),
      { numRuns: 300 },
    );
  });
});
