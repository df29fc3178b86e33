// The command line against inputs made to hurt it: impossible capture times, header values that
// would drive a terminal, inputs whose only frame is cut off.
import { describe, expect, it } from 'vitest';
import { frames } from '../../src/cli/synthetic/traffic.js';
import {
  buildPacket,
  concat,
  frameOf,
  PcapngWriter,
  TcpConversation,
  type PcapngInterface,
} from '../helpers/pcap-writer.js';
import { jsonLines, runCli, tempFile } from './run-cli.js';

const conversation = () =>
  new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });

/** A pcapng file of one connection carrying `payloads`, on an interface described by `iface`, every timestamp's high word set to `high`. */
function pcapngWithTime(iface: PcapngInterface, high: number, ...payloads: string[]): Uint8Array {
  const w = new PcapngWriter();
  const plain = new PcapngWriter();
  plain.section();
  plain.interface({ linkType: 1 });
  const conv = conversation();
  const parts = [w.section(), w.interface(iface)];
  for (const seg of [...conv.handshake(), ...conv.send('client', frames(...payloads))]) {
    const block = plain.enhancedPacket(0, buildPacket(seg), 1_700_000_000, 0);
    new DataView(block.buffer, block.byteOffset).setUint32(12, high, true);
    parts.push(block);
  }
  return concat(...parts);
}

describe('decode: capture times out of the calendar', () => {
  const cases: [string, PcapngInterface, number][] = [
    ['timestamp high word 0xFFFFFFFF', { linkType: 1 }, 0xffffffff],
    ['if_tsoffset 2^62', { linkType: 1, tsoffset: 2 ** 62 }, 0],
    ['if_tsoffset -2^62', { linkType: 1, tsoffset: -(2 ** 62) }, 0],
    ['if_tsresol 0 (seconds) with a large time', { linkType: 1, tsresol: 0 }, 0xffffffff],
  ];
  for (const [name, iface, high] of cases) {
    it(`${name}: both formats decode the frame, human output says the date is out of range`, async () => {
      const file = tempFile('t.pcapng', pcapngWithTime(iface, high, '{"c":"publish","t":"orders"}{}'));
      const human = await runCli(['decode', file]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(
        /^-- date out of range \(times in UTC\)\n\d\d:\d\d:\d\d\.\d{6} {2}10\.0\.0\.1:51000->10\.0\.0\.2:9007 {2}#0 {2}amps {2}publish {2}orders {2}\[2 B\] \{\}\n$/,
      );
      const jsonl = await runCli(['decode', file, '-f', 'jsonl']);
      expect(jsonl.code).toBe(0);
      expect(jsonLines(jsonl.stdout)).toHaveLength(1);
    });
  }
});

describe('decode: header values cannot drive the terminal', () => {
  const attack = '\x1b]0;owned\x07\x1b[2J';
  const sample = (human: string) => {
    // No control character reaches stdout except the newlines that end lines.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
    expect(human.replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  };

  it('escapes C0, DEL and C1 in the command, the topic, other fields and record fields', async () => {
    const topic = JSON.stringify(`t${attack}\x7f\u009b`);
    const payload = `{"c":"sow","t":${topic},"cid":"a\\u0085b","bs":"1"}{"c":"x","k":"\\u001b[31m","l":1}x`;
    const file = tempFile('attack.bin', frames(payload, `{"c":"p\\u001b[2J","t":"x"}`));
    const { stdout, code } = await runCli(['decode', file]);
    expect(code).toBe(0);
    sample(stdout);
    expect(stdout).toContain('sow  t\\x1b]0;owned\\x07\\x1b[2J\\x7f\\x9b  CommandId="a\\x85b" BatchSize=1');
    expect(stdout).toContain('SowKey="\\u001b[31m"');
    expect(stdout).toContain('p\\x1b[2J  x');
  });

  it('escapes control characters in error messages and in body previews (C1 included)', async () => {
    const body = await runCli(['decode', tempFile('body.bin', frames('{"c":"publish","t":"x"}a\u0085b'))]);
    sample(body.stdout);
    expect(body.stdout).toContain('[4 B] a\\x85b');
    const xml = await runCli([
      'decode',
      tempFile('xml.bin', frames('<SOAP-ENV:Envelope><SOAP-ENV:Header><C>p</C><\u009b2J>')),
    ]);
    expect(xml.code).toBe(1);
    sample(xml.stdout);
    expect(xml.stdout).toContain("error AMPS_TRUNCATED: xml: unexpected end of payload, expected '</\\x9b2J>'");
  });
});

describe('decode: problems found exit 1', () => {
  it('a raw stream whose only frame is cut off', async () => {
    const cut = frameOf('{"c":"publish","t":"orders"}body').subarray(0, 20);
    const r = await runCli(['decode', tempFile('cut.bin', cut), '-f', 'jsonl']);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)).toEqual([
      {
        conn: expect.stringContaining('cut.bin'),
        index: 0,
        transport: 'tcp',
        truncated: true,
        frameLength: 32,
        bytesPresent: 20,
      },
    ]);
  });

  it('random bytes read as a raw stream (a giant frame, cut off)', async () => {
    const bytes = new Uint8Array(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
    bytes.set([0x00, 0xff, 0x00, 0x00], 0); // declares 16 MiB
    const r = await runCli(['decode', tempFile('noise.bin', bytes), '-f', 'jsonl']);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)).toEqual([
      {
        conn: expect.stringContaining('noise.bin'),
        index: 0,
        transport: 'tcp',
        truncated: true,
        frameLength: 0xff0000,
        bytesPresent: 5000,
      },
    ]);
  });
});

describe('decode: counts that untrusted input grows are bounded', () => {
  it('past 64 distinct commands the summary counts the rest together; names are escaped and cut short', async () => {
    const payloads = Array.from({ length: 100 }, (_, i) => `{"c":"cmd${i}\\u001b[2J"}`);
    payloads.push(`{"c":"${'L'.repeat(100_000)}"}`);
    const r = await runCli(['decode', tempFile('many.bin', frames(...payloads)), '-f', 'jsonl']);
    expect(r.code).toBe(0);
    const line = r.stderr.split('\n').find((l) => l.startsWith('  commands  '))!;
    const entries = line.slice('  commands  '.length).split(', ');
    expect(entries).toHaveLength(65);
    expect(entries[0]).toBe('(other) 37');
    expect(entries).toContain('cmd0\\x1b[2J 1');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
    expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(line.length).toBeLessThan(2000);
  });
});
