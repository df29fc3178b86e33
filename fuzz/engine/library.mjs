/**
 * The library under test is the build in dist/esm. `npm run build` deletes and rewrites dist,
 * and others rebuild while a long fuzz run is going, so the run works on a private copy taken
 * at the start: every worker and child process loads the same snapshot, whatever happens to
 * dist afterwards.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './store.mjs';

export const DIST_ESM = join(ROOT, 'dist', 'esm');

/** Whether dist/esm holds a build (it is missing while a build is running). */
export function built() {
  return existsSync(join(DIST_ESM, 'index.js'));
}

/**
 * Copies dist/esm to a fresh temporary folder (marked as ESM, as the package root is) and
 * returns its path; `dispose()` removes it.
 */
export function snapshotLibrary() {
  const dir = mkdtempSync(join(tmpdir(), 'amps-wire-fuzz-'));
  const esm = join(dir, 'esm');
  cpSync(DIST_ESM, esm, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  if (!existsSync(join(esm, 'index.js'))) throw new Error('dist/esm changed while it was being copied');
  return { dir: esm, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The file URL prefix (ending in `/`) of a library folder, as V8 names its scripts. */
export function libraryUrl(dir) {
  return pathToFileURL(dir).href + '/';
}

/** Imports the library's root module from `dir` (default dist/esm). */
export async function loadLibrary(dir = DIST_ESM) {
  return import(libraryUrl(dir) + 'index.js');
}
