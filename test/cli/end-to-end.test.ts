// Runs the real executable (bin/amps-wire.js over dist/, so `npm run build` must have run; CI
// builds before testing) to check what in-process tests cannot: the bin wiring, real stdout
// and stderr streams, pipes and exit codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const bin = join(root, 'bin/amps-wire.js');

function cli(args: string[], input?: Uint8Array) {
  if (!existsSync(join(root, 'dist/esm/cli/main.js')))
    throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests');
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, input, maxBuffer: 64 << 20 });
}

describe('bin/amps-wire.js', () => {
  it('decodes the sample capture as jsonl with exit code 0, summary on stderr', () => {
    const r = cli(['decode', 'examples/sample.pcap', '--format', 'jsonl']);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(23);
    expect(r.stderr.toString()).toContain('frames    23: amps 11, fix 6, xml 6');
  });

  it('encode piped into decode gives the fields back', () => {
    const frame = execFileSync(
      process.execPath,
      [bin, 'encode', '{"Command":"publish","Topic":"orders","Sequence":"7"}', '--data', '{"id":1}', '-p', 'xml'],
      { cwd: root },
    );
    const r = cli(['decode', '-', '--format', 'jsonl'], frame);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({
      conn: 'stdin',
      protocol: 'xml',
      fields: { Command: 'publish', Topic: 'orders', Sequence: '7' },
      body: '{"id":1}',
    });
  });

  it('exit codes: 2 for bad usage and unreadable files, 1 for decode errors', () => {
    expect(cli(['decode']).status).toBe(2);
    expect(cli(['decode', 'no/such/file.pcap']).status).toBe(2);
    expect(cli(['decode', '-'], new Uint8Array([0, 0, 0, 3, 0x7b, 0x7b, 0x7b])).status).toBe(1);
    expect(cli(['--version']).stdout.toString().trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
