// The core must run where Node's Buffer and node:* modules do not exist (browsers, Deno, Bun).
// These tests run against the built package (CI builds before testing).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const esm = join(root, 'dist/esm');

// Comments may mention Buffer; code may not.
const NODE_ONLY =
  /\bBuffer\b|from ['"]node:|require\(['"]node:|\bprocess\.(env|argv|stdout|stderr|stdin|exit|cwd|platform|versions?|hrtime|cpuUsage|memoryUsage|nextTick)\b/;

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('portability of the built core', () => {
  it('has been built', () => {
    expect(existsSync(join(esm, 'index.js')), 'run `npm run build` before the tests').toBe(true);
  });

  it('uses no Node-only API outside dist/esm/node and dist/esm/cli', () => {
    const offenders = files(esm)
      .filter((f) => f.endsWith('.js') && !f.startsWith(join(esm, 'node')) && !f.startsWith(join(esm, 'cli')))
      .filter((f) => NODE_ONLY.test(withoutComments(readFileSync(f, 'utf8'))));
    expect(offenders).toEqual([]);
  });

  it('decodes and encodes with Buffer removed from globalThis', () => {
    const script = `
      delete globalThis.Buffer;
      const w = await import(${JSON.stringify(join(esm, 'index.js'))});
      const payload = new TextEncoder().encode('{"c":"p","t":"orders","s":18446744073709551615}{"id":1}');
      const m = w.amps.decode(payload);
      const again = w.amps.decode(w.amps.encode(new w.Command('publish').setTopic(m.getTopic()).setSequence(m.getSequence()).setData(m.getData())));
      console.log(typeof Buffer, again.getTopic(), String(again.getSequence()), new TextDecoder().decode(again.getData()));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('undefined orders 18446744073709551615 {"id":1}');
  });
});
