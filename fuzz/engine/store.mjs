/**
 * Files the fuzzer reads and writes: seeds from test fixtures, saved corpora
 * (`fuzz/corpus/<target>.json`), findings
 * (`fuzz/findings/<target>/<kind>-<hash>.bin` with a `.json` beside it) and regression inputs
 * (`test/fixtures/regressions/<target>/*.bin`), which are fixed findings kept for good.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeBytes, fromHex, toHex, unescapeText } from './text.mjs';

/** The repository root (this file is fuzz/engine/store.mjs). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FINDINGS_DIR = join(ROOT, 'fuzz', 'findings');
export const CORPUS_DIR = join(ROOT, 'fuzz', 'corpus');
export const FIXTURES_DIR = join(ROOT, 'test', 'fixtures');
export const REGRESSIONS_DIR = join(FIXTURES_DIR, 'regressions');

/** Every file under `dir` (recursively), or none when it does not exist. */
export function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

// Keys of fixture JSON whose string values are inputs, and how each is spelled.
const INPUT_KEY = /payload|input|bytes|body|stream|frame|data|part|escaped|hex|base64/i;

/** Inputs held by a fixture JSON value: strings under input-like keys, decoded by the key's spelling. */
function inputsOfJson(value, key, out) {
  if (typeof value === 'string') {
    if (!INPUT_KEY.test(key)) return;
    if (/hex/i.test(key)) {
      const bytes = fromHex(value);
      if (bytes !== undefined) out.push(bytes);
    } else if (/base64/i.test(key)) out.push(new Uint8Array(Buffer.from(value, 'base64')));
    else if (/escaped/i.test(key)) out.push(unescapeText(value));
    else out.push(new TextEncoder().encode(value));
  } else if (Array.isArray(value)) {
    for (const item of value) inputsOfJson(item, key, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) inputsOfJson(v, k, out);
  }
}

/** The inputs a fixture file holds: raw for `.bin`, escaped text for `.txt`, hex for `.hex`, fields of `.json`. */
export function inputsOfFile(path) {
  const ext = extname(path);
  const raw = readFileSync(path);
  if (ext === '.bin' || ext === '.raw') return [new Uint8Array(raw)];
  if (ext === '.hex') return [fromHex(raw.toString('utf8'))].filter((x) => x !== undefined);
  if (ext === '.txt') return [unescapeText(raw.toString('utf8').replace(/\r?\n$/, ''))];
  if (ext === '.json') {
    const out = [];
    try {
      inputsOfJson(JSON.parse(raw.toString('utf8')), '', out);
    } catch {
      return []; // someone is writing it right now; the next run reads it
    }
    return out;
  }
  return [];
}

/**
 * Seeds of a target from disk: its fixture folders, its regression inputs and its saved
 * corpus. Duplicates and inputs over `maxLength` are dropped.
 */
export function diskSeeds(target, maxLength) {
  const files = [
    ...target.fixtures.flatMap((dir) => filesUnder(join(FIXTURES_DIR, dir))),
    ...filesUnder(join(REGRESSIONS_DIR, target.name)),
    ...[join(CORPUS_DIR, `${target.name}.json`)].filter((p) => existsSync(p)),
  ];
  const seen = new Set();
  const out = [];
  for (const file of files) {
    for (const input of inputsOfFile(file)) {
      const key = toHex(input);
      if (input.length > maxLength || seen.has(key)) continue;
      seen.add(key);
      out.push(input);
    }
  }
  return { inputs: out, files: files.length };
}

/** A short content hash naming a file. */
export function hashOf(bytes) {
  return createHash('sha1').update(bytes).digest('hex').slice(0, 12);
}

/**
 * Saves a finding as `<kind>-<hash>.bin` + `.json`; returns the .bin path. An identical input
 * already saved is not written again.
 */
export function saveFinding(targetName, finding) {
  const dir = join(FINDINGS_DIR, targetName);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${finding.kind}-${hashOf(finding.input)}`);
  writeFileSync(base + '.bin', finding.input);
  const meta = {
    target: targetName,
    kind: finding.kind,
    signature: finding.signature,
    error: finding.error,
    escaped: escapeBytes(finding.input),
    hex: toHex(finding.input),
    length: finding.input.length,
    originalLength: finding.originalLength,
    ms: finding.ms,
    found: new Date().toISOString(),
    reproduce: `node fuzz/run.mjs --target ${targetName} --replay ${relative(ROOT, base + '.bin')}`,
  };
  writeFileSync(base + '.json', JSON.stringify(meta, null, 2) + '\n');
  return base + '.bin';
}

/** Saved findings of a target: `{ path, input, meta }` per .bin file. */
export function savedFindings(targetName) {
  return filesUnder(join(FINDINGS_DIR, targetName))
    .filter((p) => p.endsWith('.bin'))
    .map((path) => {
      const metaPath = path.slice(0, -4) + '.json';
      let meta = {};
      if (existsSync(metaPath)) meta = JSON.parse(readFileSync(metaPath, 'utf8'));
      return { path, input: new Uint8Array(readFileSync(path)), meta };
    });
}

/**
 * Moves a fixed finding to the regression fixtures, keeping its description (the error it used
 * to cause) in a `.json` beside the input; the regression test replays every `.bin` there.
 */
export function promoteFinding(targetName, path) {
  const dir = join(REGRESSIONS_DIR, targetName);
  mkdirSync(dir, { recursive: true });
  const name = basename(path, '.bin');
  const metaPath = path.slice(0, -4) + '.json';
  renameSync(path, join(dir, name + '.bin'));
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    meta.fixed = new Date().toISOString();
    delete meta.reproduce;
    writeFileSync(join(dir, name + '.json'), JSON.stringify(meta, null, 2) + '\n');
    rmSync(metaPath);
  }
  return join(dir, name + '.bin');
}

/**
 * Writes a corpus to fuzz/corpus/<target>.json (one file per target, inputs as hex, shortest
 * first), replacing what was there. The next runs start from it.
 */
export function saveCorpus(targetName, inputs) {
  mkdirSync(CORPUS_DIR, { recursive: true });
  const path = join(CORPUS_DIR, `${targetName}.json`);
  const hex = [...new Set(inputs.map(toHex))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  writeFileSync(
    path,
    JSON.stringify({ target: targetName, count: hex.length, hex }, null, 0).replace(/","/g, '",\n"') + '\n',
  );
  return path;
}

/** Whether `path` is a file (for --replay). */
export function isFile(path) {
  return existsSync(path) && statSync(path).isFile();
}
