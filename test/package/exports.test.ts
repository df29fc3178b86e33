// Every public name of every entry point, ESM and CommonJS, through the package's own exports
// map: a rename or a leak shows up as a diff of test/fixtures/exports.json.
// Regenerate after an intended change: UPDATE_EXPORTS=1 npx vitest run test/package/exports.test.ts
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const fixture = new URL('../fixtures/exports.json', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
  typesVersions: { '*': Record<string, string[]> };
};
const entries = Object.keys(pkg.exports).filter((e) => e !== './package.json');
const require = createRequire(import.meta.url);

async function namesOf(entry: string): Promise<{ esm: string[]; cjs: string[] }> {
  const specifier = entry === '.' ? 'amps-wire' : `amps-wire/${entry.slice(2)}`;
  const esm = Object.keys(await import(specifier))
    .filter((n) => n !== 'default')
    .sort();
  const cjs = Object.keys(require(specifier) as object)
    .filter((n) => n !== '__esModule')
    .sort();
  return { esm, cjs };
}

describe('package exports', () => {
  it('lists the same public names for ESM and CommonJS, as recorded', async () => {
    const actual: Record<string, string[]> = {};
    for (const entry of entries) {
      const { esm, cjs } = await namesOf(entry);
      expect(cjs, `${entry}: CommonJS and ESM differ`).toEqual(esm);
      actual[entry] = esm;
    }
    if (process.env['UPDATE_EXPORTS'] === '1') writeFileSync(fixture, JSON.stringify(actual, null, 2) + '\n');
    expect(actual).toEqual(JSON.parse(readFileSync(fixture, 'utf8')));
  });

  it('ships types for every entry point', () => {
    for (const entry of entries) {
      const target = pkg.exports[entry] as { import: { types: string }; require: { types: string } };
      expect(() => readFileSync(new URL(`../../${target.import.types}`, import.meta.url)), entry).not.toThrow();
      expect(() => readFileSync(new URL(`../../${target.require.types}`, import.meta.url)), entry).not.toThrow();
    }
  });

  it('maps every subpath in typesVersions, for resolvers that ignore exports (node10)', () => {
    const subpaths = entries.filter((e) => e !== '.').map((e) => e.slice(2));
    expect(Object.keys(pkg.typesVersions['*']).sort()).toEqual([...subpaths].sort());
    for (const sub of subpaths) {
      const target = pkg.exports[`./${sub}`] as { import: { types: string } };
      expect(pkg.typesVersions['*'][sub]).toEqual([`./${target.import.types.replace(/^\.\//, '')}`]);
    }
  });
});
