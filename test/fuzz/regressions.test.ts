// Inputs the fuzzer once failed on, fixed since: test/fixtures/regressions/<target>/*.bin, each
// replayed through its fuzz target against the source, where it must pass every oracle (only an
// AMPSException may escape, and no differential may disagree). Also every target's built-in
// seeds, so a target that breaks with the library shows up here and not only in a fuzz run.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PrototypeGuard } from '../../fuzz/engine/oracles.mjs';
import { REGRESSIONS_DIR, filesUnder } from '../../fuzz/engine/store.mjs';
import { escapeBytes } from '../../fuzz/engine/text.mjs';
import { TARGETS } from '../../fuzz/targets/index.mjs';
import { builtinSeeds } from '../../fuzz/targets/seeds.mjs';
import * as lib from '../../src/index.js';

interface Target {
  name: string;
  run(library: unknown, input: Uint8Array): void;
  prepare?(base: string): Promise<void>;
}

// Targets that need more than the package root load it from the source.
beforeAll(async () => {
  for (const target of TARGETS as Target[])
    await target.prepare?.(pathToFileURL(join(__dirname, '../../src')).href + '/');
});

/** Runs `input` through `target`; returns what went wrong, or undefined when it passes. */
function outcome(target: Target, input: Uint8Array): string | undefined {
  const guard = new PrototypeGuard();
  try {
    target.run(lib, input);
  } catch (err) {
    if (!(err instanceof lib.AMPSException)) return `${(err as Error).name}: ${(err as Error).message}`;
  }
  const changes = guard.changes();
  guard.restore();
  return changes.length > 0 ? changes.join('; ') : undefined;
}

const regressions = TARGETS.flatMap((target: Target) =>
  filesUnder(join(REGRESSIONS_DIR, target.name))
    .filter((path: string) => path.endsWith('.bin'))
    .map((path: string) => ({ target, path })),
);

describe('fixed fuzz findings stay fixed', () => {
  it('every regression input belongs to a known target', () => {
    const dirs = filesUnder(REGRESSIONS_DIR).map((p: string) => basename(join(p, '..')));
    for (const dir of dirs) expect(TARGETS.map((t: Target) => t.name)).toContain(dir);
  });

  for (const { target, path } of regressions) {
    it(`${target.name}: ${basename(path)}`, () => {
      const input = new Uint8Array(readFileSync(path));
      expect(outcome(target, input), escapeBytes(input)).toBeUndefined();
    });
  }
});

describe('every fuzz target passes its built-in seeds', () => {
  for (const target of TARGETS as Target[]) {
    it(target.name, () => {
      const seeds = builtinSeeds(lib, target);
      expect(seeds.length).toBeGreaterThan(0);
      for (const input of seeds) expect(outcome(target, input), escapeBytes(input)).toBeUndefined();
    });
  }
});
