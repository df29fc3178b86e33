import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frames } from '../../src/cli/synthetic/traffic.js';
import { jsonLines, runCli, tempDir, tempFile } from './run-cli.js';

const SAMPLE = join(__dirname, '../../examples/sample.pcap');

const keep = (l: Record<string, unknown>) => ({
  conn: l['conn'],
  time: l['time'],
  protocol: l['protocol'],
  fields: l['fields'],
  body: l['body'],
  records: l['records'],
});

describe('decode -w', () => {
  it('FILE.pcap holds the frames that passed the filters, with their connections, directions and times', async () => {
    const out = join(tempDir(), 'cut.pcap');
    const filters = ['--conn', ':9007', '--command', 'p,sow,ack'];
    const r = await runCli(['decode', SAMPLE, ...filters, '-w', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('(7 shown)');
    const expected = jsonLines((await runCli(['decode', SAMPLE, ...filters, '-f', 'jsonl'])).stdout);
    const cut = await runCli(['decode', out, '-f', 'jsonl']);
    expect(cut.code).toBe(0);
    expect(cut.stderr).toContain('problems  none');
    expect(jsonLines(cut.stdout).map(keep)).toEqual(expected.map(keep));
    expect(expected).toHaveLength(7);
  });

  it('keeps every protocol and IPv6; nanosecond captures stay nanosecond', async () => {
    const out = join(tempDir(), 'all.pcap');
    expect((await runCli(['decode', SAMPLE, '-w', out])).code).toBe(0);
    const expected = jsonLines((await runCli(['decode', SAMPLE, '-f', 'jsonl'])).stdout);
    expect(jsonLines((await runCli(['decode', out, '-f', 'jsonl'])).stdout).map(keep)).toEqual(expected.map(keep));
    expect([...readFileSync(out).subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]); // microseconds, as the sample
  });

  it('FILE.bin holds the frames as a raw stream', async () => {
    const out = join(tempDir(), 'cut.bin');
    expect((await runCli(['decode', SAMPLE, '--conn', '9004->', '-w', out])).code).toBe(0);
    const expected = jsonLines((await runCli(['decode', SAMPLE, '--conn', '9004->', '-f', 'jsonl'])).stdout);
    const back = jsonLines((await runCli(['decode', out, '-f', 'jsonl'])).stdout);
    expect(back.map((l) => [l['fields'], l['body'], l['records']])).toEqual(
      expected.map((l) => [l['fields'], l['body'], l['records']]),
    );
  });

  it('a raw stream cannot go into a pcap (no addresses): said on stderr; an unwritable file exits 2', async () => {
    const raw = tempFile('in.bin', frames('{"c":"ack"}'));
    const out = join(tempDir(), 'x.pcap');
    const r = await runCli(['decode', raw, '-w', out]);
    expect(r.stderr).toContain(`frames of ${raw} are not in ${out}: a pcap needs addresses`);
    const bad = await runCli(['decode', SAMPLE, '-w', join(tempDir(), 'no/such/x.pcap')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no such file');
  });
});
