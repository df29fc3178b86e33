// The shipped .d.ts files, as a consumer sees them: every entry point type-checks with the
// library's declarations checked too (skipLibCheck off), and internals (members and helpers
// marked @internal) are stripped, so the declarations carry only the public API.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
const specifiers = Object.keys(pkg.exports)
  .filter((e) => e !== './package.json')
  .map((e) => (e === '.' ? 'amps-wire' : `amps-wire/${e.slice(2)}`));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dir = mkdtempSync(join(tmpdir(), 'amps-wire-consumer-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function typeCheck(moduleKind: 'NodeNext' | 'Node16', source: string): string {
  writeFileSync(join(dir, 'consumer.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: moduleKind,
        moduleResolution: moduleKind,
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      },
      files: ['consumer.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

describe('published declarations', () => {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/amps-wire'), 'dir');

  it('type-check for a consumer of every entry point, declarations included', () => {
    const source = [
      ...specifiers.map((s, k) => `import * as entry${k} from '${s}';`),
      `const m = entry0.amps.decode(new Uint8Array(0));`,
      `const topic: string | undefined = m.getTopic();`,
      `const sequence: bigint | undefined = m.getSequence();`,
      `export { ${specifiers.map((_, k) => `entry${k}`).join(', ')}, topic, sequence };`,
    ].join('\n');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    expect(typeCheck('NodeNext', source)).toBe('');
  }, 60_000);

  it('leave internals out of the public types', () => {
    const source = [
      `import { Message } from 'amps-wire';`,
      `const m = new Message();`,
      `// @ts-expect-error internal storage is not declared`,
      `m._ent;`,
      `// @ts-expect-error internal lookups are not declared`,
      `m._find(0);`,
      `export { m };`,
    ].join('\n');
    expect(typeCheck('NodeNext', source)).toBe('');
    const declarations = readFileSync(join(root, 'dist/esm/core/message.d.ts'), 'utf8');
    expect(declarations).not.toMatch(/\b_(ent|find|buf|n|vals|append)\b/);
  }, 60_000);
});
