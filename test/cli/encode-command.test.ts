import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { amps, fix, xml } from '../../src/index.js';
import { jsonLines, runCli, tempDir, tempFile } from './run-cli.js';

const DESCRIPTION = {
  Command: 'publish',
  Topic: 'orders',
  CommandId: 'c1',
  Sequence: '18446744073709551615',
  AckType: 'processed',
  Expiration: 30,
};

describe('encode', () => {
  it('writes a length-prefixed frame of the description, command first', async () => {
    const { code, stdoutBytes } = await runCli([
      'encode',
      JSON.stringify({ Topic: 'orders', Command: 'publish' }),
      '--data',
      '{"id":1}',
    ]);
    expect(code).toBe(0);
    const text = '{"c":"publish","t":"orders"}{"id":1}';
    expect([...stdoutBytes.subarray(0, 4)]).toEqual([0, 0, 0, text.length]);
    expect(new TextDecoder().decode(stdoutBytes.subarray(4))).toBe(text);
  });

  for (const name of ['amps', 'json', 'fix', 'nvfix', 'xml']) {
    it(`${name}: decode of its output gives the same fields and body back`, async () => {
      const encoded = await runCli(['encode', JSON.stringify(DESCRIPTION), '--protocol', name, '--data', 'body bytes']);
      expect(encoded.code).toBe(0);
      const decoded = await runCli(['decode', '-', '-f', 'jsonl', '-p', name], { stdin: encoded.stdoutBytes });
      const [line] = jsonLines(decoded.stdout);
      const fields = Object.fromEntries(Object.entries(DESCRIPTION).map(([k, v]) => [k, String(v)]));
      expect(line!['fields']).toEqual(fields);
      expect(line!['body']).toBe('body bytes');
    });
  }

  it('accepts amps/json keys as field names', async () => {
    const { stdoutBytes } = await runCli(['encode', '{"c":"sow","t":"orders","query_id":"q1","bs":10}', '--payload']);
    expect(new TextDecoder().decode(stdoutBytes)).toBe('{"c":"sow","t":"orders","query_id":"q1","bs":10}');
  });

  it('--payload, --hex, --data-file and --output', async () => {
    const dir = tempDir();
    const data = tempFile('body.bin', new Uint8Array([0, 1, 2, 255]));
    const out = join(dir, 'frame.bin');
    const r = await runCli([
      'encode',
      '{"Command":"publish","Topic":"t"}',
      '--protocol',
      'fix',
      '--data-file',
      data,
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const bytes = readFileSync(out);
    expect(fix.decode(bytes.subarray(4)).getData()).toEqual(new Uint8Array([0, 1, 2, 255]));
    const hex = await runCli(['encode', '{"Command":"ack"}', '--payload', '--hex']);
    expect(hex.stdout).toBe(Buffer.from('{"c":"ack"}').toString('hex') + '\n');
  });

  it('on a terminal, writes hex and says so', async () => {
    const r = await runCli(['encode', '{"Command":"ack"}'], { stdoutTTY: true });
    expect(r.stdout).toBe('0000000b' + Buffer.from('{"c":"ack"}').toString('hex') + '\n');
    expect(r.stderr).toContain('stdout is a terminal');
  });

  it('JSON lines from stdin, including decode --format jsonl output, re-encode traffic', async () => {
    const sample = join(__dirname, '../../examples/sample.pcap');
    const decoded = await runCli(['decode', sample, '-f', 'jsonl', '--conn', ':50300->']);
    const plain = jsonLines(decoded.stdout);
    const input = plain.map((l) => JSON.stringify(l)).join('\n') + '\n{"Command":"ack","data":"x","protocol":"xml"}\n';
    const encoded = await runCli(['encode', '-'], { stdin: input });
    expect(encoded.code).toBe(0);
    const again = jsonLines((await runCli(['decode', '-', '-f', 'jsonl'], { stdin: encoded.stdoutBytes })).stdout);
    // One stream holds one protocol: xml, told from the first frame's bytes.
    expect(again.map((l) => l['fields'])).toEqual([...plain.map((l) => l['fields']), { Command: 'ack' }]);
    expect(again.map((l) => l['body'])).toEqual([...plain.map((l) => l['body']), 'x']);
    expect(xml.decode(encoded.stdoutBytes.subarray(4, 4 + (again[0]!['frameLength'] as number))).get('Command')).toBe(
      'logon',
    );
  });

  it('bodyBase64 and dataBase64 carry binary bodies', async () => {
    const r = await runCli(['encode', '{"Command":"publish","dataBase64":"AAH/"}', '--payload']);
    expect(amps.decode(r.stdoutBytes).getData()).toEqual(new Uint8Array([0, 1, 255]));
  });

  it('refuses what it cannot encode, with exit 2 and a reason', async () => {
    const cases: [string[], string][] = [
      [['encode'], 'give one description'],
      [['encode', '{nope'], 'the description is not valid JSON'],
      [['encode', '[1]'], 'a description is a JSON object'],
      [['encode', '{"Colour":"red"}'], '"Colour" is not a header field'],
      [['encode', '{"Sequence":1.5}'], 'Sequence must be an unsigned integer below 2^53, or a string'],
      [['encode', '{"Topic":{"a":1}}'], 'Topic must be a string, an integer or a boolean'],
      [['encode', '{"Command":"p","Topic":"a\\u0001b"}', '-p', 'fix'], 'cannot be encoded in fix'],
      [['encode', '{"Command":"p","SkipN":1}', '-p', 'xml'], 'cannot be encoded in xml'],
      [['encode', '{"Command":"p"}', '--data', 'a', '--data-file', 'b'], 'not both'],
      [['encode', '{"fields":{"Command":"sow"},"records":{}}'], '"records" must be an array'],
      [['encode', '{"Command":"p","data":"a","dataBase64":"YQ=="}'], 'as text or as base64, not both'],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
    expect((await runCli(['encode', '-', '--data', 'x'], { stdin: '{}' })).stderr).toContain(
      '--data and --data-file go with a single description',
    );
    expect((await runCli(['encode', '-', '--data', 'x'], { stdin: '{}' })).code).toBe(2);
    expect((await runCli(['encode', '{"Command":"ack"}', '--split', tempDir()])).stderr).toContain(
      '--conn and --split go with -',
    );
    expect((await runCli(['encode', '{"Command":"p"}', '--data-file', join(tempDir(), 'missing')])).code).toBe(2);
  });
});
