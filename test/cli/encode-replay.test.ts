import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitName } from '../../src/cli/encode-stream.js';
import { jsonLines, runCli, tempDir } from './run-cli.js';

const SAMPLE = join(__dirname, '../../examples/sample.pcap');

// What a frame means, leaving out where it came from and the lengths a layout may recompute.
function meaning(line: Record<string, unknown>): unknown {
  const withoutLength = (fields: unknown) =>
    Object.fromEntries(Object.entries(fields as Record<string, string>).filter(([k]) => k !== 'MessageLength'));
  const records = line['records'] as Record<string, unknown>[] | undefined;
  return {
    fields: withoutLength(line['fields']),
    ...(records === undefined
      ? { body: line['body'] ?? line['bodyBase64'] }
      : { records: records.map((r) => ({ fields: withoutLength(r['fields']), body: r['body'] ?? r['bodyBase64'] })) }),
  };
}

async function decodeLines(...argv: string[]) {
  return jsonLines((await runCli(['decode', ...argv, '-f', 'jsonl'])).stdout);
}

describe('encode - (replay)', () => {
  const directions = ['192.168.1.10:9007->', '192.168.1.10:9004->', '[2001:db8::10]:9005->', '192.168.1.20:50112->'];
  for (const conn of directions) {
    for (const target of ['amps', 'fix', 'nvfix', 'xml']) {
      it(`decode --conn ${conn} | encode - --protocol ${target} decodes back to the same messages, SOW batches included`, async () => {
        const lines = await decodeLines(SAMPLE, '--conn', conn);
        expect(lines.length).toBeGreaterThan(2);
        const encoded = await runCli(['encode', '-', '--protocol', target], {
          stdin: lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
        });
        expect(encoded.stderr).toBe('');
        expect(encoded.code).toBe(0);
        const back = jsonLines(
          (await runCli(['decode', '-', '-f', 'jsonl', '-p', target], { stdin: encoded.stdoutBytes })).stdout,
        );
        expect(back.map(meaning)).toEqual(lines.map(meaning));
      });
    }
  }

  it('a bad line is skipped with a message on stderr; the rest is written (exit 1)', async () => {
    const input = [
      '{"Command":"ack","CommandId":"1"}',
      '{nope',
      '{"Bad":1}',
      '{"conn":"a","index":3,"truncated":true,"frameLength":9,"bytesPresent":2}',
      '',
      '{"Command":"ack","CommandId":"2"}',
    ].join('\n');
    const r = await runCli(['encode', '-'], { stdin: input });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('amps-wire: stdin line 2 is not valid JSON');
    expect(r.stderr).toContain('amps-wire: stdin line 3: "Bad" is not a header field');
    expect(r.stderr).toContain(
      'amps-wire: stdin line 4: a frame that failed to decode or was truncated cannot be re-encoded (skipped)',
    );
    expect(r.stderr).toContain('amps-wire: 3 lines skipped');
    const back = jsonLines((await runCli(['decode', '-', '-f', 'jsonl'], { stdin: r.stdoutBytes })).stdout);
    expect(back.map((l) => l['fields'])).toEqual([
      { Command: 'ack', CommandId: '1' },
      { Command: 'ack', CommandId: '2' },
    ]);
  });

  it('a line that cannot be encoded in the target protocol is skipped too', async () => {
    const r = await runCli(['encode', '-', '-p', 'fix'], {
      stdin: '{"Command":"p","Topic":"a\\u0001b"}\n{"Command":"ack"}\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stdin line 1: cannot be encoded in fix');
    expect(
      jsonLines((await runCli(['decode', '-', '-f', 'jsonl', '-p', 'fix'], { stdin: r.stdoutBytes })).stdout),
    ).toHaveLength(1);
  });

  it('keeps directions apart: lines of a second conn are left out with one notice; --conn picks one', async () => {
    const all = (await runCli(['decode', SAMPLE, '-f', 'jsonl'])).stdout;
    const r = await runCli(['encode', '-'], { stdin: all });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/are left out/g)).toHaveLength(5);
    const first = await decodeLines(SAMPLE, '--conn', '192.168.1.20:50112->');
    const back = jsonLines((await runCli(['decode', '-', '-f', 'jsonl'], { stdin: r.stdoutBytes })).stdout);
    expect(back.map(meaning)).toEqual(first.map(meaning));
    const picked = await runCli(['encode', '-', '--conn', '[2001:db8::10]:9005->'], { stdin: all });
    expect(picked.stderr).toBe('');
    const xmlBack = jsonLines((await runCli(['decode', '-', '-f', 'jsonl'], { stdin: picked.stdoutBytes })).stdout);
    expect(xmlBack.map(meaning)).toEqual((await decodeLines(SAMPLE, '--conn', '[2001:db8::10]:9005->')).map(meaning));
  });

  it('--split DIR writes one .bin per direction and protocol, each decoding back to its direction', async () => {
    const all = (await runCli(['decode', SAMPLE, '-f', 'jsonl'])).stdout;
    const dir = join(tempDir(), 'split');
    const r = await runCli(['encode', '-', '--split', dir], { stdin: all + '{"Command":"heartbeat"}\n' });
    expect(r.code).toBe(0);
    const conns = [...new Set(jsonLines(all).map((l) => `${l['conn'] as string}|${l['protocol'] as string}`))];
    expect(readdirSync(dir).sort()).toEqual(
      [...conns.map((c) => `${splitName(c.split('|')[0]!)}.${c.split('|')[1]!}.bin`), 'stdin.amps.bin'].sort(),
    );
    for (const c of conns) {
      const [conn, protocol] = c.split('|') as [string, string];
      const file = join(dir, `${splitName(conn)}.${protocol}.bin`);
      expect(existsSync(file)).toBe(true);
      const back = jsonLines(
        (await runCli(['decode', '-', '-f', 'jsonl', '-p', protocol], { stdin: readFileSync(file) })).stdout,
      );
      expect(back.map(meaning)).toEqual((await decodeLines(SAMPLE, '--conn', `${conn}`)).map(meaning));
    }
    expect(splitName('[2001:db8::20]:50300->[2001:db8::10]:9005')).toBe('_2001_db8__20__50300-_2001_db8__10__9005');
  });
});
