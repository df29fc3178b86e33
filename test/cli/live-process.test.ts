// The real executable reading a pipe (bin/amps-wire.js over dist/: `npm run build` first): the
// first frames come out while stdin is still open. No timing is asserted: the test waits for the
// line itself (without live output it would never come, and the test times out).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const bin = join(root, 'bin/amps-wire.js');
const sample = readFileSync(join(root, 'examples/sample.pcap'));

describe('bin/amps-wire.js decode - from a pipe', () => {
  it('writes the first frames before stdin ends, and the summary after', async () => {
    if (!existsSync(join(root, 'dist/esm/cli/main.js')))
      throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests');
    const child = spawn(process.execPath, [bin, 'decode', '-', '-f', 'jsonl'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.write(sample.subarray(0, 1200));
    let stdout = '';
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      child.on('exit', () => reject(new Error('exited before writing a line')));
    });
    // stdin is still open here: the line came from the first 1200 bytes alone.
    expect(JSON.parse(firstLine)).toMatchObject({ index: 0, fields: { Command: 'logon' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.end(sample.subarray(1200));
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(23);
    expect(stderr).toContain('frames    23: amps 11, fix 6, xml 6');
  });
});
