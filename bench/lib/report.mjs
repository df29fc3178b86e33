// Turning a run's results into text: the console table, and the Markdown that bench/README.md
// shows between its markers.

export const MARK_START = '<!-- bench:results:start (written by bench/run.mjs; edits here are overwritten) -->';
export const MARK_END = '<!-- bench:results:end -->';

/** "123 ns", "4.56 µs", "7.89 ms". */
export function formatNs(ns) {
  if (!Number.isFinite(ns)) return '—';
  if (ns < 1e3) return `${ns < 10 ? ns.toFixed(2) : ns < 100 ? ns.toFixed(1) : ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${(ns / 1e6).toPrecision(3)} ms`;
}

/** "12.3 M", "456 k", "789". */
export function formatCount(x) {
  if (!Number.isFinite(x)) return '—';
  if (x >= 1e9) return `${(x / 1e9).toPrecision(3)} G`;
  if (x >= 1e6) return `${(x / 1e6).toPrecision(3)} M`;
  if (x >= 1e3) return `${(x / 1e3).toPrecision(3)} k`;
  return x.toPrecision(3);
}

/** "9.4×". */
export const formatRatio = (r) => (Number.isFinite(r) ? `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×` : '—');

/** Bytes per op: "0 B", "212 B", "1.00 MiB"; "≥" when a collection made the figure a lower bound. */
export function formatAlloc(a) {
  if (a === undefined) return '—';
  const b = a.bytesPerOp;
  const text =
    b < 0.5
      ? '0 B'
      : b < 10240
        ? `${Math.round(b)} B`
        : b < 2 ** 20
          ? `${(b / 1024).toFixed(1)} KiB`
          : `${(b / 2 ** 20).toFixed(2)} MiB`;
  return a.exact ? text : `≥ ${text}`;
}

/** "64 B", "16 KiB", "1 MiB". */
export function formatSize(bytes) {
  if (bytes >= 2 ** 20) return bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20} MiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 1024) return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * A case's verdict against its goals: `{ judged, met, text }`. Speed: the median per-round
 * ratio must reach `goal`, and ours may take at most `ceilingGoal` × the floor's time; allocation: ours must allocate at most `allocGoal` bytes per op
 * (under half a byte counts as zero: any real allocation is at least 12 bytes).
 */
export function verdict(c, judged) {
  if (c.error) return { judged: false, met: false, text: 'error' };
  const parts = [];
  let met = true;
  if (c.goal !== undefined) {
    const r = c.result.timing.ratio.baseline.median;
    const ok = r >= c.goal;
    met &&= ok;
    parts.push(`${+c.goal.toFixed(2)}× ${ok ? 'met' : `not met (${formatRatio(r)})`}`);
  }
  if (c.ceilingGoal !== undefined && c.result.timing.ratio.ceiling) {
    // ratio.ceiling is the floor's time over ours: within k× of the floor means at least 1/k.
    const within = 1 / c.result.timing.ratio.ceiling.median;
    const ok = within <= c.ceilingGoal;
    met &&= ok;
    parts.push(`within ${+c.ceilingGoal.toFixed(2)}× of the floor ${ok ? 'met' : 'not met'} (${formatRatio(within)})`);
  }
  if (c.allocGoal !== undefined) {
    const b = c.result.alloc.ours.bytesPerOp;
    const ok = b <= c.allocGoal + 0.5;
    met &&= ok;
    parts.push(`≤ ${c.allocGoal} B/op ${ok ? 'met' : `not met (${formatAlloc(c.result.alloc.ours)})`}`);
  }
  if (parts.length === 0) return { judged: false, met: true, text: 'no goal' };
  if (!judged) return { judged: false, met, text: `${parts.join('; ')} (quick: not judged)` };
  return { judged: true, met, text: `${met ? '✅' : '❌'} ${parts.join('; ')}` };
}

/** Markdown (GitHub-flavoured) table from a header row and rows. */
function mdTable(header, rows, align) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Plain text table with aligned columns. */
function textTable(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r.map((v, i) => (align[i] === 'r' ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Case table columns; the ceiling column only when some case has a ceiling. */
function caseTable(run) {
  const judged = !run.quick;
  const withCeiling = run.cases.some((c) => c.labels?.ceiling);
  const header = [
    'case',
    'amps-wire /op',
    'baseline /op',
    'speed-up (IQR)',
    'alloc/op ours',
    'alloc/op baseline',
    ...(withCeiling ? ['ceiling /op'] : []),
    'goal',
  ];
  const align = ['l', 'r', 'l', 'r', 'r', 'r', ...(withCeiling ? ['l'] : []), 'l'];
  const rows = run.cases.map((c) => {
    if (c.error) return [c.name, 'error', c.error.split('\n')[0], '', '', '', ...(withCeiling ? [''] : []), ''];
    const t = c.result.timing;
    const ratio = t.ratio.baseline;
    const ours = t.nsPerOp.ours.median;
    const mbs = c.bytes ? ` (${formatCount((c.bytes / ours) * 1e9)}B/s)` : '';
    const ceiling = t.ratio.ceiling ? `${formatNs(t.nsPerOp.ceiling.median)} ${c.labels.ceiling}` : '';
    return [
      c.name,
      `${formatNs(ours)}${mbs}`,
      `${formatNs(t.nsPerOp.baseline.median)} ${c.labels.baseline}`,
      `${formatRatio(ratio.median)} (${formatRatio(ratio.p25)}–${formatRatio(ratio.p75)})`,
      formatAlloc(c.result.alloc.ours),
      formatAlloc(c.result.alloc.baseline),
      ...(withCeiling ? [ceiling] : []),
      verdict(c, judged).text,
    ];
  });
  return { header, rows, align };
}

function throughputRows(run) {
  return run.throughput.map((p) => {
    if (p.error) return [p.protocol, 'error', '', '', '', '', p.error.split('\n')[0]];
    const m = p.mixed;
    return [
      p.protocol,
      `${formatSize(m.bytes)}, ${formatCount(m.frames)} frames (${m.contents.publish} publishes, ${m.contents.sow} SOW batches / ${m.contents.records} records, ${m.contents.ack} acks)`,
      `${formatCount(m.pipeline.messagesPerSecond)}/s`,
      `${m.pipeline.mbPerSecond.toFixed(0)} MB/s`,
      `${m.splitOnly.mbPerSecond.toFixed(0)} MB/s`,
      m.memcpy ? `${m.memcpy.mbPerSecond.toFixed(0)} MB/s` : '',
      p.splitter,
    ];
  });
}

const TP_HEADER = [
  'protocol',
  'stream',
  'messages/s',
  'split+decode+read',
  'split only',
  'memcpy of the chunks',
  'splitter',
];
const TP_ALIGN = ['l', 'l', 'r', 'r', 'r', 'r', 'l'];

function seriesTable(run, render) {
  const ok = run.throughput.filter((p) => !p.error);
  if (ok.length === 0) return '';
  const sizes = ok[0].series.map((s) => s.bodySize);
  const header = ['body', ...ok.map((p) => `${p.protocol} msg/s`), ...ok.map((p) => `${p.protocol} MB/s`)];
  const rows = sizes.map((size, i) => [
    formatSize(size),
    ...ok.map((p) => formatCount(p.series[i].messagesPerSecond)),
    ...ok.map((p) => p.series[i].mbPerSecond.toFixed(0)),
  ]);
  return render(
    header,
    rows,
    header.map((_, i) => (i === 0 ? 'l' : 'r')),
  );
}

/** The console report. */
export function textReport(run) {
  const out = [];
  if (run.cases.length) {
    const t = caseTable(run);
    out.push(textTable(t.header, t.rows, t.align));
  }
  if (run.throughput.length) {
    out.push(
      '',
      'Throughput (64 KiB chunks → split → decode → read fields):',
      textTable(TP_HEADER, throughputRows(run), TP_ALIGN),
    );
    out.push('', 'Publishes by body size:', seriesTable(run, textTable));
  }
  for (const b of run.broken) out.push(`BROKEN ${b.file}: ${b.error}`);
  out.push('', `reproduce: ${run.command}`);
  return out.join('\n');
}

/** The Markdown that goes between the README markers. */
export function markdownReport(run, chartLinks) {
  const m = run.machine;
  const out = [
    `Measured ${run.date} with \`${run.command}\` at commit \`${m.commit ?? 'unknown'}\`${m.srcChangedSinceCommit ? ' (with uncommitted changes under src/)' : ''}` +
      (run.distSha256 ? ` (built dist/esm SHA-256 \`${run.distSha256.slice(0, 16)}…\`)` : '') +
      ` on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), ${m.os}, Node ${m.node} (V8 ${m.v8}).` +
      ` Load average at start ${m.loadAverage.join(' / ')}, at end ${run.loadAverageAtEnd.join(' / ')}` +
      ` — this machine is shared, so absolute figures carry that noise; ratios are measured side by side and are the figures to compare.`,
    `Raw figures: [\`results/${run.resultsFile}\`](results/${run.resultsFile}).`,
    '',
  ];
  if (run.cases.length) {
    const caseTableMd = caseTable(run);
    out.push(
      '### Cases',
      '',
      'Time per op is CPU time, the median over interleaved rounds; speed-up is baseline time ÷ amps-wire time, the median of the per-round ratios with its interquartile range; allocation is bytes per op on the V8 heap plus ArrayBuffer memory (see "How it measures" below).',
      '',
      mdTable(caseTableMd.header, caseTableMd.rows, caseTableMd.align),
      '',
    );
    const notes = run.cases.filter((c) => c.note).map((c) => `- \`${c.name}\`: ${c.note}`);
    if (notes.length) out.push(...notes, '');
    if (chartLinks.ratios) out.push(`![speed-up per case](${chartLinks.ratios})`, '');
  }
  if (run.throughput.length) {
    out.push(
      '### Throughput',
      '',
      'A synthetic stream written from the wire format (not by our encoders), cut into 64 KiB chunks as a socket delivers them, split into frames, each decoded into one reused Message and read: command; topic, subscription id, sequence (bigint) and body for publishes; key and body of each SOW record; command id and status for acks. Rates are per CPU second of the measuring process, median of the timed passes; MB = 10⁶ bytes, counted over the whole stream including frame prefixes. "memcpy of the chunks" copies the same chunks once into one buffer: what moving the bytes costs. A zero-copy pipeline never touches body bytes, so with large bodies it can pass that line.',
      '',
      mdTable(TP_HEADER, throughputRows(run), TP_ALIGN),
      '',
      'Publishes only, by body size:',
      '',
      seriesTable(run, mdTable),
      '',
    );
    if (chartLinks.throughput) out.push(`![throughput by body size](${chartLinks.throughput})`, '');
  }
  if (run.broken.length) out.push(...run.broken.map((b) => `- **broken case module** \`${b.file}\`: ${b.error}`), '');
  return out.join('\n');
}

/** `readme` with the text between the markers replaced by `body`. */
export function replaceBetweenMarkers(readme, body) {
  const a = readme.indexOf(MARK_START);
  const b = readme.indexOf(MARK_END);
  if (a < 0 || b < a) throw new Error('bench/README.md lacks the results markers');
  return `${readme.slice(0, a + MARK_START.length)}\n${body}\n${readme.slice(b)}`;
}
