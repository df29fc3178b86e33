// Memory a capture can make the decoder hold: bytes held across directions stay within a budget,
// and a pcapng section cannot describe interfaces without end.
import { describe, expect, it } from 'vitest';
import { CaptureDecoder } from '../../src/capture/capture-decoder.js';
import { FrameStream } from '../../src/capture/frame-stream.js';
import { PcapngReader } from '../../src/capture/pcapng.js';
import { frames } from '../../src/cli/synthetic/traffic.js';
import {
  concat,
  frameOf,
  pcapOf,
  PcapngWriter,
  readPackets,
  Recorder,
  TcpConversation,
  type SegmentSpec,
} from '../helpers/pcap-writer.js';

const conn = (i: number) =>
  new TcpConversation({ client: '10.0.0.1', clientPort: 40000 + i, server: '10.0.0.2', serverPort: 9007 });

/** `n` connections, each sending the first `partial` bytes of a 100 KB frame, then each finishing it. */
function partialFrames(n: number, partial: number): { file: Uint8Array; whole: Uint8Array } {
  const whole = frameOf(`{"c":"publish","t":"t"}${'x'.repeat(100_000)}`);
  const convs = Array.from({ length: n }, (_, i) => conn(i));
  const segments: SegmentSpec[] = [];
  for (const c of convs)
    segments.push(...c.handshake(), ...c.send('client', whole.subarray(0, partial), { mss: 1460 }));
  for (const c of convs) segments.push(...c.send('client', whole.subarray(partial), { mss: 1460 }));
  return { file: pcapOf(segments), whole };
}

function run(file: Uint8Array, maxBufferedBytes: number) {
  const recorder = new Recorder();
  const decoder = new CaptureDecoder(recorder, { maxBufferedBytes });
  let most = 0;
  for (let p = 0; p < file.length; p += 1500) {
    decoder.push(file.slice(p, p + 1500));
    most = Math.max(most, decoder.bufferedBytes);
  }
  decoder.end();
  return { recorder, most };
}

describe('bytes held across directions', () => {
  it('within the budget, every frame arrives and nothing is set aside', () => {
    const { recorder, most } = run(partialFrames(5, 50_000).file, 1_000_000);
    expect(recorder.of('frame')).toHaveLength(5);
    expect(recorder.of('notice').filter((e) => e.notice.kind === 'evicted')).toEqual([]);
    expect(most).toBeGreaterThanOrEqual(5 * 50_000);
  });

  it('past it, the least recently active directions holding bytes are set aside, with a notice', () => {
    const { recorder, most } = run(partialFrames(10, 50_000).file, 200_000);
    expect(most).toBeLessThanOrEqual(200_000 + 1460); // one segment over, then shed
    const evicted = recorder.of('notice').filter((e) => e.notice.kind === 'evicted');
    expect(evicted.length).toBeGreaterThanOrEqual(6);
    expect(evicted[0]!.conn).toBe('10.0.0.1:40000->10.0.0.2:9007');
    expect(evicted[0]!.notice.message).toMatch(
      /^more than 200000 bytes held across connection directions: this one, the least recently active holding any \(\d+ bytes\), is set aside/,
    );
    // The frames set aside are reported cut off; the others arrive whole.
    const truncated = recorder.of('truncated');
    expect(truncated.length + recorder.of('frame').length).toBe(10);
    expect(truncated.every((t) => t.frameLength === 100_023 && t.bytesPresent <= 50_000)).toBe(true);
  });
});

describe('an ended stream', () => {
  it('holds nothing, though its peer may keep it referenced', () => {
    const recorder = new Recorder();
    const stream = new FrameStream('a->b', recorder);
    stream.begin(true);
    stream.data(frameOf('x'.repeat(10_000)).subarray(0, 5000), true);
    expect(stream.bufferedBytes).toBe(4996);
    stream.end('eof');
    expect(stream.bufferedBytes).toBe(0);
    expect(recorder.of('truncated')).toEqual([
      { kind: 'truncated', conn: 'a->b', index: 0, frameLength: 10_000, bytesPresent: 5000 },
    ]);
  });
});

describe('pcapng interfaces', () => {
  it('a section describing more than 65536 interfaces is refused', () => {
    const w = new PcapngWriter();
    const iface = w.interface({ linkType: 1 });
    const parts = [w.section()];
    for (let i = 0; i <= 65536; i++) parts.push(iface);
    const { error } = readPackets(PcapngReader, concat(...parts));
    expect(error?.code).toBe('AMPS_BAD_CAPTURE');
    expect(error?.message).toBe(
      `pcapng: more than 65536 interfaces in one section at byte ${parts[0]!.length + 65536 * iface.length}`,
    );
  });

  it('a new section starts the count again', () => {
    const w = new PcapngWriter();
    const iface = w.interface({ linkType: 1 });
    const section = () => concat(w.section(), ...Array.from({ length: 40_000 }, () => iface));
    const conv = conn(0);
    const packets = conv.handshake().concat(conv.send('client', frames('{"c":"ack"}')));
    expect(readPackets(PcapngReader, concat(section(), section())).error).toBeUndefined();
    expect(packets.length).toBe(4);
  });
});
