import { describe, expect, it } from 'vitest';
import { buildPacket, PcapngWriter, PcapWriter } from '../../src/cli/synthetic/capture-writer.js';
import { isoTime } from '../../src/cli/iso-time.js';
import { frames } from '../../src/cli/synthetic/traffic.js';
import { concat, TcpConversation } from '../helpers/pcap-writer.js';
import { jsonLines, runCli, tempFile } from './run-cli.js';

function conversation() {
  const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
  return [
    ...c.handshake(),
    ...c.send('client', frames('{"c":"publish","t":"a"}x', '{"c":"publish","t":"b"}y'), { sizes: [20] }),
  ];
}

describe('jsonl "time" and "file"', () => {
  it('a microsecond pcap gives 6 fraction digits, of the packet that completed the frame', async () => {
    const w = new PcapWriter({});
    const segs = conversation();
    const times = [0, 100, 200, 480_000, 1_000_480_000, 1_999_999_000];
    const file = concat(
      w.header(),
      ...segs.map((s, i) => w.record(buildPacket(s), 1_705_329_000 + Math.floor(times[i]! / 1e9), times[i]! % 1e9)),
    );
    const lines = jsonLines((await runCli(['decode', tempFile('t.pcap', file), '-f', 'jsonl'])).stdout);
    // 3 handshake packets, then the two frames (27 + 27 bytes) in 20-byte segments: frame 0 ends in the 2nd, frame 1 in the 3rd.
    expect(lines.map((l) => l['time'])).toEqual(['2024-01-15T14:30:01.000480Z', '2024-01-15T14:30:01.999999Z']);
    expect(lines.every((l) => !('file' in l))).toBe(true);
  });

  it('a nanosecond pcap and a pcapng with if_tsresol 9 give 9 digits', async () => {
    const segs = conversation();
    const w = new PcapWriter({ nanos: true });
    const pcap = concat(w.header(), ...segs.map((s, i) => w.record(buildPacket(s), 1_700_000_000, i * 7)));
    expect(
      jsonLines((await runCli(['decode', tempFile('n.pcap', pcap), '-f', 'jsonl'])).stdout).map((l) => l['time']),
    ).toEqual(['2023-11-14T22:13:20.000000028Z', '2023-11-14T22:13:20.000000035Z']);
    const g = new PcapngWriter({ littleEndian: true });
    const ng = concat(
      g.section(),
      g.interface({ linkType: 1, tsresol: 9 }),
      ...segs.map((s, i) => g.enhancedPacket(0, buildPacket(s), 1_700_000_000, i * 1000)),
    );
    expect(
      jsonLines((await runCli(['decode', tempFile('n.pcapng', ng), '-f', 'jsonl'])).stdout).map((l) => l['time']),
    ).toEqual(['2023-11-14T22:13:20.000004000Z', '2023-11-14T22:13:20.000005000Z']);
  });

  it('errors and truncated frames carry the time too; raw streams carry none', async () => {
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const segs = [
      ...c.handshake(),
      ...c.send('client', concat(frames('{"c":"publish","t":"a"'), new Uint8Array([0, 0, 0, 50, 0x7b]))),
    ];
    const w = new PcapWriter({});
    const file = concat(w.header(), ...segs.map((s, i) => w.record(buildPacket(s), 1_700_000_000, i * 1000)));
    const lines = jsonLines((await runCli(['decode', tempFile('e.pcap', file), '-f', 'jsonl'])).stdout);
    expect(lines.map((l) => [l['time'], 'error' in l, l['truncated'] === true])).toEqual([
      ['2023-11-14T22:13:20.000003Z', true, false],
      ['2023-11-14T22:13:20.000003Z', false, true],
    ]);
    const raw = jsonLines(
      (await runCli(['decode', tempFile('r.bin', frames('{"c":"publish"}')), '-f', 'jsonl'])).stdout,
    );
    expect(raw).toHaveLength(1);
    expect('time' in raw[0]!).toBe(false);
  });

  it('names the input in "file" when more than one is given', async () => {
    const a = tempFile('a.bin', frames('{"c":"publish","t":"a"}'));
    const b = tempFile('b.bin', frames('{"c":"publish","t":"b"}'));
    const lines = jsonLines((await runCli(['decode', a, b, '-f', 'jsonl'])).stdout);
    expect(lines.map((l) => l['file'])).toEqual([a, b]);
  });
});

describe('isoTime', () => {
  it('writes dates across the calendar, leap days and the extremes of the capture formats', () => {
    expect(isoTime({ seconds: 0, nanos: 0 })).toBe('1970-01-01T00:00:00.000000Z');
    expect(isoTime({ seconds: 951_782_400, nanos: 5, digits: 9 })).toBe('2000-02-29T00:00:00.000000005Z');
    expect(isoTime({ seconds: 4_294_967_295, nanos: 999_999_000 })).toBe('2106-02-07T06:28:15.999999Z');
    expect(isoTime({ seconds: -1, nanos: 0 })).toBe('1969-12-31T23:59:59.000000Z');
    expect(isoTime({ seconds: 253_402_300_800, nanos: 0 })).toBe('+010000-01-01T00:00:00.000000Z');
    // Past a JavaScript Date's range (8.64e12 s), still a date.
    expect(isoTime({ seconds: 2 ** 40 * 10, nanos: 0 })).toMatch(/^\+\d{6}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/);
    for (const s of [0, 86_399, 86_400, 1_705_329_000, 1_709_164_799, 4_102_444_800]) {
      expect(isoTime({ seconds: s, nanos: 0 })).toBe(new Date(s * 1000).toISOString().replace('.000Z', '.000000Z'));
    }
  });
});
