import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frames } from '../../src/cli/synthetic/traffic.js';
import { concat, frameOf, pcapngOf, pcapOf, TcpConversation } from '../helpers/pcap-writer.js';
import { jsonLines, runCli, tempDir, tempFile } from './run-cli.js';

const SAMPLE = join(__dirname, '../../examples/sample.pcap');

function twoConnections(): Uint8Array {
  const a = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
  const b = new TcpConversation({ client: '10.0.0.3', clientPort: 52000, server: '10.0.0.2', serverPort: 9004 });
  return pcapOf([
    ...a.handshake(),
    ...a.send(
      'client',
      frames(
        '{"c":"publish","t":"orders/east","cid":"1"}{"q":1}',
        '{"c":"publish","t":"trades","cid":"2"}x',
        '{"c":"sow","t":"orders/west","query_id":"q"}',
      ),
    ),
    ...b.handshake(),
    ...b.send('client', frames('20000=publish\x0120005=orders/north\x01\x0255=IBM\x01')),
  ]);
}

describe('decode', () => {
  it('human output: time, conn, index, protocol, command, topic, fields and a body preview', async () => {
    const { stdout, code } = await runCli(['decode', tempFile('two.pcap', twoConnections())]);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      '-- 2023-11-14 (times in UTC)',
      '22:13:20.003000  10.0.0.1:51000->10.0.0.2:9007  #0  amps  publish  orders/east  CommandId=1  [7 B] {"q":1}',
      '22:13:20.003000  10.0.0.1:51000->10.0.0.2:9007  #1  amps  publish  trades  CommandId=2  [1 B] x',
      '22:13:20.003000  10.0.0.1:51000->10.0.0.2:9007  #2  amps  sow  orders/west  QueryID=q',
      '22:13:20.007000  10.0.0.3:52000->10.0.0.2:9004  #0  fix  publish  orders/north  [7 B] 55=IBM|',
      '',
    ]);
  });

  it('colour only when stdout is a terminal and NO_COLOR is not set', async () => {
    const file = tempFile('two.pcap', twoConnections());
    expect((await runCli(['decode', file], { stdoutTTY: true })).stdout).toContain(
      '\x1b[36m10.0.0.1:51000->10.0.0.2:9007\x1b[39m',
    );
    expect((await runCli(['decode', file], { stdoutTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
    expect((await runCli(['decode', file, '--no-color'], { stdoutTTY: true })).stdout).not.toContain('\x1b[');
    expect((await runCli(['decode', file])).stdout).not.toContain('\x1b[');
  });

  it('--command, --topic (with *) and --conn filter what is shown; the summary still counts everything', async () => {
    const file = tempFile('two.pcap', twoConnections());
    const topics = async (...args: string[]) =>
      jsonLines((await runCli(['decode', file, '-f', 'jsonl', ...args])).stdout).map(
        (l) => (l['fields'] as Record<string, string>)['Topic'],
      );
    expect(await topics('--command', 'sow')).toEqual(['orders/west']);
    expect(await topics('--command', 'sow,publish', '--topic', 'orders/*')).toEqual([
      'orders/east',
      'orders/west',
      'orders/north',
    ]);
    expect(await topics('--topic', '*s*', '--topic', 'x')).toEqual([
      'orders/east',
      'trades',
      'orders/west',
      'orders/north',
    ]);
    expect(await topics('--topic', '*/n*')).toEqual(['orders/north']);
    expect(await topics('--conn', ':9004')).toEqual(['orders/north']);
    const { stderr } = await runCli(['decode', file, '--command', 'sow']);
    expect(stderr).toContain('  frames    4: amps 3, fix 1 (1 shown)');
  });

  it('--protocol overrides detection; --port names the protocol per port', async () => {
    const file = tempFile('two.pcap', twoConnections());
    const nv = jsonLines((await runCli(['decode', file, '-f', 'jsonl', '--port', '9004=nvfix'])).stdout);
    expect(nv.map((l) => l['protocol'])).toEqual(['amps', 'amps', 'amps', 'nvfix']);
    const forced = await runCli(['decode', file, '-f', 'jsonl', '--protocol', 'xml']);
    expect(forced.code).toBe(1);
    expect(jsonLines(forced.stdout).every((l) => (l['error'] as { code: string }).code === 'AMPS_BAD_XML')).toBe(true);
  });

  it('notices appear inline in human output and on stderr for jsonl', async () => {
    const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    conv.handshake();
    const file = tempFile(
      'mid.pcap',
      pcapOf([
        ...conv.send('client', frameOf('{"c":"ack"}').subarray(6)),
        ...conv.send('client', frames('{"c":"ack"}', '{"c":"ack"}')),
      ]),
    );
    const human = await runCli(['decode', file]);
    expect(human.stdout).toContain(
      '10.0.0.1:51000->10.0.0.2:9007  -- joined: the capture joined this connection mid-stream: 9 bytes skipped before the first trusted frame boundary',
    );
    const jsonl = await runCli(['decode', file, '-f', 'jsonl']);
    expect(jsonLines(jsonl.stdout)).toHaveLength(2);
    expect(jsonl.stderr).toContain('amps-wire: 10.0.0.1:51000->10.0.0.2:9007: joined: the capture joined');
    expect(jsonl.stderr).toContain('1 stream joined mid-way');
    const quiet = await runCli(['decode', file, '-f', 'jsonl', '-q']);
    expect(quiet.stderr).toBe('');
  });

  it('reads pcapng, raw frame files and stdin', async () => {
    const conv = new TcpConversation({ client: '::1', clientPort: 1, server: '::1', serverPort: 2 });
    const ng = tempFile('c.pcapng', pcapngOf([...conv.handshake(), ...conv.send('client', frames('{"c":"ack"}'))]));
    expect(jsonLines((await runCli(['decode', ng, '-f', 'jsonl'])).stdout)).toEqual([
      {
        conn: '[::1]:1->[::1]:2',
        index: 0,
        transport: 'tcp',
        time: '2023-11-14T22:13:20.003000000Z',
        protocol: 'amps',
        frameLength: 11,
        fields: { Command: 'ack' },
        bodyLength: 0,
        body: '',
      },
    ]);
    const raw = frames('20000=ack\x01\x02', '20000=publish\x01\x02body');
    const bin = tempFile('frames.bin', raw);
    expect(jsonLines((await runCli(['decode', bin, '-f', 'jsonl', '--no-body'])).stdout)).toEqual([
      {
        conn: bin,
        index: 0,
        transport: 'tcp',
        protocol: 'fix',
        frameLength: 11,
        fields: { Command: 'ack' },
        bodyLength: 0,
      },
      {
        conn: bin,
        index: 1,
        transport: 'tcp',
        protocol: 'fix',
        frameLength: 19,
        fields: { Command: 'publish' },
        bodyLength: 4,
      },
    ]);
    const stdin = await runCli(['decode', '-', '-f', 'jsonl', '-p', 'nvfix'], { stdin: raw });
    expect(jsonLines(stdin.stdout).map((l) => [l['conn'], l['protocol']])).toEqual([
      ['stdin', 'nvfix'],
      ['stdin', 'nvfix'],
    ]);
    // A capture on stdin is told by its magic number too.
    const piped = await runCli(['decode', '-', '-f', 'jsonl'], { stdin: readFileSync(SAMPLE) });
    expect(jsonLines(piped.stdout)).toEqual(jsonLines((await runCli(['decode', SAMPLE, '-f', 'jsonl'])).stdout));
  });

  it('a raw stream cut mid-frame reports the truncated frame', async () => {
    const cut = concat(frameOf('{"c":"ack"}'), frameOf('{"c":"ack"}').subarray(0, 6));
    const { stdout, code } = await runCli(['decode', '-', '-f', 'jsonl'], { stdin: cut });
    expect(code).toBe(1);
    expect(jsonLines(stdout)[1]).toEqual({
      conn: 'stdin',
      index: 1,
      transport: 'tcp',
      truncated: true,
      frameLength: 11,
      bytesPresent: 6,
    });
  });

  it('exit codes: 2 for a missing file, a directory, a .pcap that is not one, and bad usage', async () => {
    const missing = await runCli(['decode', join(tempDir(), 'nope.pcap')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.pcap: no such file/);
    expect((await runCli(['decode', tempDir()])).code).toBe(2);
    const notPcap = await runCli(['decode', tempFile('x.pcap', 'hello there')]);
    expect(notPcap.code).toBe(2);
    expect(notPcap.stderr).toContain(
      'x.pcap: capture: not a pcap or pcapng file (it starts with 68 65 6c 6c) at byte 0',
    );
    for (const argv of [
      ['decode'],
      ['decode', 'f', '--format', 'xml'],
      ['decode', 'f', '--bogus'],
      ['decode', 'f', '--port', '9007'],
      ['decode', 'f', '--port', '99999=amps'],
      ['decode', 'f', '--protocol', 'soap'],
      ['frobnicate'],
      [],
    ]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    }
    const usage = await runCli(['decode', 'f', '--format', 'xml']);
    expect(usage.stderr).toBe(
      'amps-wire decode: --format takes one of human, jsonl; got "xml"\nRun \'amps-wire decode --help\' for usage.\n',
    );
    expect((await runCli(['decode', 'f', '--bogus'])).stderr).toContain("amps-wire decode: Unknown option '--bogus'");
  });

  it('exit code 1 and a message for a capture corrupt after its first packets; frames before it are decoded', async () => {
    const file = twoConnections();
    const cut = file.slice(0, file.length - 5);
    const r = await runCli(['decode', tempFile('cut.pcap', cut), '-f', 'jsonl']);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)).toHaveLength(3);
    expect(r.stderr).toMatch(
      /amps-wire: .*cut\.pcap: pcap: the file ends inside a record of \d+ bytes \(\d+ bytes present\) at byte \d+/,
    );
    expect(r.stderr).toContain('1 corrupt capture file');
  });

  it('the summary counts packets, frames per protocol and command, SOW batches and problems', async () => {
    const { stderr, code } = await runCli(['decode', SAMPLE, '-f', 'jsonl']);
    expect(code).toBe(0);
    const lines = stderr.split('\n');
    expect(lines[0]).toMatch(/^amps-wire: 1 input, 7\.0 KiB in \d+\.\d\d s/);
    expect(lines.slice(1)).toEqual([
      '  packets   50 (50 TCP, 0 other), 6 connection directions',
      '  frames    23: amps 11, fix 6, xml 6',
      '  commands  ack 7, sow 5, publish 4, logon 3, group_begin 1, group_end 1, heartbeat 1, sow_and_subscribe 1',
      '  SOW       3 batches, 7 records',
      '  problems  76 B retransmitted, 1 out-of-order segment',
      '',
    ]);
  });

  it('several files in one run', async () => {
    const file = tempFile('two.pcap', twoConnections());
    const { stdout, stderr } = await runCli(['decode', file, SAMPLE, '-f', 'jsonl']);
    expect(jsonLines(stdout)).toHaveLength(27);
    expect(stderr).toMatch(/^amps-wire: 2 inputs/);
  });

  it('a progress bar only when stderr is a terminal and stdout is not; never in the output', async () => {
    const big = tempFile(
      'big.bin',
      frames(...Array.from({ length: 5000 }, (_, i) => `{"c":"p","t":"t","s":${i}}${'x'.repeat(200)}`)),
    );
    const r = await runCli(['decode', big, '-f', 'jsonl', '--no-body'], { stderrTTY: true });
    expect(jsonLines(r.stdout)).toHaveLength(5000);
    expect(r.stdout).not.toContain('\r');
    const tty = await runCli(['decode', big, '-f', 'jsonl'], { stderrTTY: true, stdoutTTY: true });
    expect(tty.stderr).not.toContain('\r');
  });

  it('--help for every subcommand, and help COMMAND', async () => {
    for (const command of ['decode', 'encode', 'bench']) {
      const r = await runCli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: amps-wire ${command}`));
      expect((await runCli(['help', command])).stdout).toBe(r.stdout);
    }
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('Exit codes: 0 decoded, 1 decode errors found, 2 bad usage or unreadable file.');
  });

  it('npm start decodes the shipped sample without errors', async () => {
    expect(readFileSync(SAMPLE).subarray(0, 4)).toEqual(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]));
    const { code, stdout } = await runCli(['decode', SAMPLE]);
    expect(code).toBe(0);
    expect(stdout).toContain('#3  amps  sow  orders  QueryID=2 BatchSize=3  [234 B in 3 records]');
    expect(stdout).toContain('    record 1  MessageLength=35 SowKey=MSFT  [35 B] 11=2|55=NVDA|54=1|38=508|44=861.05|');
    expect(stdout).toContain(
      '[2001:db8::10]:9005->[2001:db8::20]:50300  #1  xml  sow  prices  QueryID=2 BatchSize=2  [150 B in 2 records]',
    );
  });
});

describe('decode on damaged input', () => {
  it('a corrupted sample capture gives exit 0, 1 or 2 and never throws, in both formats', async () => {
    const sample = new Uint8Array(readFileSync(SAMPLE));
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.nat(sample.length),
        fc.constantFrom('human', 'jsonl'),
        async (edits, cut, format) => {
          const bad = sample.slice(0, Math.max(cut, 24));
          for (const [at, value] of edits) if (at < bad.length) bad[at] = value;
          const path = join(dir, `damaged-${n++}.pcap`);
          writeFileSync(path, bad);
          const r = await runCli(['decode', path, '-f', format]);
          expect([0, 1, 2]).toContain(r.code);
          if (format === 'jsonl') jsonLines(r.stdout); // every line parses
        },
      ),
      { numRuns: 120 },
    );
  });
});
