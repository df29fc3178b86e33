import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frames } from '../../src/cli/synthetic/traffic.js';
import { jsonLines, runCli, tempFile } from './run-cli.js';

const SAMPLE = join(__dirname, '../../examples/sample.pcap');

describe('bench', () => {
  it('measures a capture end to end and per protocol, counting the same frames decode finds', async () => {
    const r = await runCli(['bench', SAMPLE, '--passes', '1', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    const decoded = jsonLines((await runCli(['decode', SAMPLE, '-f', 'jsonl'])).stdout);
    expect(report).toMatchObject({ input: SAMPLE, kind: 'pcap', bytes: 7123, passes: 1, node: process.version });
    // A small input is repeated within the pass: whole repetitions of the sample's frames.
    const repeats = report['best'].inputBytes / 7123;
    expect(Number.isInteger(repeats) && repeats >= 1).toBe(true);
    expect(report['best'].frames).toBe(decoded.length * repeats);
    expect(report['best'].errors).toBe(0);
    expect(report['best'].mbPerSecond).toBeGreaterThan(0);
    const count = (p: string) => decoded.filter((l) => l['protocol'] === p).length * repeats;
    for (const p of ['amps', 'fix', 'xml']) expect(report['protocols'][p].frames).toBe(count(p));
  });

  it('human report for a raw frame file', async () => {
    const file = tempFile('f.bin', frames('{"c":"ack"}', '{"c":"p","t":"x"}body'));
    const r = await runCli(['bench', file, '-n', '2']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`amps-wire bench: ${file} (frames, 40 B), best of 2 passes`);
    expect(lines[1]).toMatch(/^ {2}end to end {2}[\d.]+ MB\/s of input, [\d,]+ frames\/s/);
    expect(lines[2]).toBe('  protocol       frames     payload   decode MB/s      frames/s');
    expect(lines[3]).toMatch(/^ {2}amps +[\d,]+ +[\d.]+ \w+ +[\d.]+ +[\d,]+$/);
  });

  it('without FILE, benchmarks a synthetic capture of mixed traffic', async () => {
    const r = await runCli(['bench', '--size', '256k', '-n', '1', '--json']);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(report['input']).toBe('synthetic mixed traffic');
    expect(report['kind']).toBe('pcap');
    expect(Object.keys(report['protocols']).sort()).toEqual(['amps', 'fix', 'xml']);
    expect(report['best'].errors).toBe(0);
  });

  it('exit 1 when frames fail to decode, 2 for bad usage or an unreadable file', async () => {
    const bad = tempFile('bad.bin', frames('{"c":', '{"c":"ack"}'));
    expect((await runCli(['bench', bad, '-n', '1'])).code).toBe(1);
    expect((await runCli(['bench', '-n', '0'])).code).toBe(2);
    expect((await runCli(['bench', 'a', 'b'])).code).toBe(2);
    expect((await runCli(['bench', '/nonexistent/x.pcap'])).stderr).toContain('/nonexistent/x.pcap: no such file');
  });
});
