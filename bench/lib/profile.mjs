// Summaries of the two profiles --profile records: where the CPU time goes (a .cpuprofile from
// node --cpu-prof) and where the bytes are allocated (a sampling heap profile).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function where(frame, root) {
  if (!frame.url) return '(native)';
  let file = frame.url;
  try {
    if (file.startsWith('file:')) file = relative(root, fileURLToPath(file));
  } catch {
    // keep the URL as it is
  }
  return `${file}:${frame.lineNumber + 1}`;
}

/**
 * `[frame, amount]` pairs summed per function, heaviest first: `[{ fn, where, share }]` with
 * `share` the fraction of the total amount.
 */
function perFunction(pairs, root, top) {
  const rows = new Map();
  let total = 0;
  for (const [frame, amount] of pairs) {
    const fn = frame.functionName || '(anonymous)';
    const at = where(frame, root);
    const key = `${fn} ${at}`;
    const row = rows.get(key) ?? { fn, where: at, amount: 0 };
    row.amount += amount;
    rows.set(key, row);
    total += amount;
  }
  return [...rows.values()]
    .sort((a, b) => b.amount - a.amount)
    .slice(0, top)
    .map((r) => ({ fn: r.fn, where: r.where, share: total ? r.amount / total : 0 }));
}

/**
 * Self time per function in a .cpuprofile; (idle), (program), (garbage collector) as V8 names
 * them. The three heaviest functions also get `lines`: their hottest source lines (1-based, in
 * the file named by `where`) with each line's share of all samples.
 */
export function selfTime(profileFile, root, top = 15) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const rows = perFunction(
    profile.samples.map((id) => [frameOf.get(id), 1]),
    root,
    top,
  );
  const total = profile.samples.length;
  for (const row of rows.slice(0, 3)) {
    const ticks = new Map();
    for (const n of profile.nodes) {
      if ((n.callFrame.functionName || '(anonymous)') !== row.fn || where(n.callFrame, root) !== row.where) continue;
      for (const t of n.positionTicks ?? []) ticks.set(t.line, (ticks.get(t.line) ?? 0) + t.ticks);
    }
    row.lines = [...ticks]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([line, n]) => ({ line, share: n / total }));
  }
  return rows;
}

/** Bytes allocated per function in a sampling heap profile (HeapProfiler.stopSampling's result). */
export function allocationSites(profileFile, root, top = 15) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const pairs = [];
  const visit = (node) => {
    if (node.selfSize > 0) pairs.push([node.callFrame, node.selfSize]);
    for (const child of node.children ?? []) visit(child);
  };
  visit(profile.head);
  return perFunction(pairs, root, top);
}
