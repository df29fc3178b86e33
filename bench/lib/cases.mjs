// Finding, loading and checking the case modules of bench/cases (format: ../CASES.md).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The contender keys, in the order they are timed and reported; ratios are relative to 'ours'. */
export const CONTENDERS = ['ours', 'baseline', 'ceiling'];

/** Why `c` is not a usable case, or undefined. */
function problem(c) {
  if (c === null || typeof c !== 'object') return 'a case must be an object';
  if (typeof c.name !== 'string' || !/^[^/\s]+\/\S+$/.test(c.name))
    return `name ${JSON.stringify(c.name)} is not "kind/size"`;
  if (typeof c.ours !== 'function' || typeof c.baseline !== 'function')
    return `${c.name}: ours and baseline must be functions`;
  if (typeof c.baselineName !== 'string') return `${c.name}: baselineName must say what the baseline is`;
  if (c.ceiling !== undefined && typeof c.ceiling !== 'function') return `${c.name}: ceiling must be a function`;
  for (const k of ['goal', 'ceilingGoal', 'allocGoal', 'bytes']) {
    if (c[k] !== undefined && !(typeof c[k] === 'number' && c[k] >= 0))
      return `${c.name}: ${k} must be a non-negative number`;
  }
  if (c.check !== undefined && typeof c.check !== 'function') return `${c.name}: check must be a function`;
  return undefined;
}

/** The cases a module exports, each checked. */
async function casesOf(file) {
  const mod = await import(pathToFileURL(file).href);
  if (!Array.isArray(mod.default)) throw new Error(`${file}: the default export must be an array of cases`);
  for (const c of mod.default) {
    const why = problem(c);
    if (why) throw new Error(`${file}: ${why}`);
  }
  return mod.default;
}

/** One case by name from `file`. */
export async function loadCase(file, name) {
  const found = (await casesOf(file)).find((c) => c.name === name);
  if (!found) throw new Error(`${file} has no case ${name}`);
  return found;
}

/** What the report needs to know about a case without running it. */
function describe(file, c) {
  return {
    file,
    name: c.name,
    goal: c.goal,
    ceilingGoal: c.ceilingGoal,
    allocGoal: c.allocGoal,
    bytes: c.bytes,
    issue: c.issue,
    note: c.note,
    labels: {
      ours: c.oursName ?? 'amps-wire',
      baseline: c.baselineName,
      ceiling: c.ceiling ? (c.ceilingName ?? 'ceiling') : undefined,
    },
  };
}

/**
 * Every case in every `*.mjs` of `dir`, in file then declaration order; a module that fails to
 * load is reported in `broken` with its error instead of stopping the others.
 */
export async function listCases(dir) {
  const cases = [];
  const broken = [];
  const names = new Set();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.mjs'))
    .sort()) {
    const file = join(dir, f);
    try {
      for (const c of await casesOf(file)) {
        if (names.has(c.name)) throw new Error(`${file}: case ${c.name} is defined twice`);
        names.add(c.name);
        cases.push(describe(file, c));
      }
    } catch (err) {
      broken.push({ file, error: String(err?.message ?? err) });
    }
  }
  return { cases, broken };
}

/** `[{ name, fn }]` for the contenders a case has, ours first. */
export function contendersOf(c) {
  return CONTENDERS.filter((k) => typeof c[k] === 'function').map((k) => ({ name: k, fn: c[k] }));
}
