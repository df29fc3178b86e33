/**
 * `stats --html FILE`: the report as one self-contained page (inline SVG and CSS, no script, no
 * network): a response-time histogram per (command, ack type), messages per second per topic,
 * and the tables.
 */
import { bucketRange, PERCENTILE_ERROR, type DurationHistogram } from './histogram.js';
import type { StatsCollector, StatsReport } from './collector.js';
import type { Timeline } from './timeline.js';
import { escapeControls } from '../text.js';

// Topics drawn on the timeline (the busiest); table rows listed before the page says "more".
const TIMELINE_TOPICS = 12;
const TABLE_ROWS = 200;
const COLOURS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
  '#393b79',
  '#637939',
];

/** The page for a report (and the histograms and timeline the collector kept). */
export function statsPage(r: StatsReport, c: StatsCollector): string {
  const parts: string[] = [];
  parts.push(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>amps-wire stats</title><style>${STYLE}</style></head><body>`,
  );
  parts.push(
    `<h1>amps-wire stats</h1><p class="lead">${num(r.messages)} messages on ${num(r.connections)} connection${r.connections === 1 ? '' : 's'} over ${ms(r.durationMs)} ms of capture</p>`,
  );

  parts.push('<h2>Response times, command to ack</h2>');
  parts.push(
    `<p class="note">Capture time from the packet that completed a command to the packet that completed each ack with its CommandId. Log scale; percentiles within ${(PERCENTILE_ERROR * 100).toFixed(1)} %.</p>`,
  );
  const histograms = c.histograms();
  if (histograms.length === 0) parts.push('<p class="none">No command was answered by an ack with its CommandId.</p>');
  parts.push('<div class="grid">');
  for (const h of histograms)
    parts.push(
      `<figure><figcaption>${esc(h.command)} → ${esc(h.ackType)} <span>${num(h.histogram.count)}</span></figcaption>${histogramSvg(h.histogram)}</figure>`,
    );
  parts.push('</div>');

  parts.push('<h2>Messages per second by topic</h2>');
  parts.push(timelineSvg(c.timeline, r));

  parts.push('<h2>Messages per command</h2>');
  parts.push(
    htmlTable(
      ['command', 'messages'],
      Object.entries(r.commands).map(([k, n]) => [k, num(n)]),
      'lr',
    ),
  );
  parts.push(
    '<h2>Topics</h2><p class="note">published: publish and delta_publish sent towards the server; delivered: publish and oof sent to clients; bytes: bodies of both.</p>',
  );
  parts.push(
    htmlTable(
      ['topic', 'published', 'delivered', 'bytes'],
      Object.entries(r.topics).map(([t, s]) => [t, num(s.published), num(s.delivered), num(s.bytes)]),
      'lrrr',
    ),
  );
  parts.push('<h2>Response times (ms)</h2>');
  parts.push(
    htmlTable(
      ['command', 'ack', 'count', 'min', 'p50', 'p90', 'p99', 'max'],
      r.responses.map((x) => [
        x.command,
        x.ackType,
        num(x.count),
        ms(x.minMs),
        ms(x.p50Ms),
        ms(x.p90Ms),
        ms(x.p99Ms),
        ms(x.maxMs),
      ]),
      'llrrrrrr',
    ),
  );
  parts.push('<h2>Unanswered commands</h2>');
  parts.push(
    htmlTable(
      ['conn', 'command', 'commandId', 'missing acks'],
      r.unanswered.map((u) => [u.conn, u.command, u.commandId, u.missing.join(', ')]),
      'llll',
    ),
  );
  parts.push('<h2>SOW queries</h2>');
  parts.push(
    htmlTable(
      ['conn', 'queryId', 'command', 'topic', 'records', 'batches', 'first record (ms)', 'done (ms)'],
      r.queries.map((q) => [
        q.conn,
        q.queryId,
        q.command,
        q.topic ?? '',
        num(q.records),
        num(q.batches),
        q.firstRecordMs === null ? '–' : ms(q.firstRecordMs),
        q.ms === null ? 'not done' : ms(q.ms),
      ]),
      'llllrrrr',
    ),
  );
  parts.push('</body></html>\n');
  return parts.join('\n');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd}
.lead{font-size:15px;margin:0 0 12px}.note{color:#666;margin:2px 0 8px}.none{color:#888}
.grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #e3e3e3;padding:6px 8px;border-radius:4px}
figcaption{font-weight:600;font-family:ui-monospace,monospace}figcaption span{color:#888;font-weight:400}
table{border-collapse:collapse;font-family:ui-monospace,monospace;font-size:12.5px}
td,th{padding:2px 10px;border-bottom:1px solid #eee;white-space:nowrap}th{text-align:left;background:#f6f6f6}
td.r,th.r{text-align:right}svg text{font:11px system-ui,sans-serif;fill:#444}`;

const HW = 360;
const HH = 150;
const BARS = 36;

// Bars over a log scale of durations from the fastest to the slowest, with p50/p90/p99 marked.
function histogramSvg(h: DurationHistogram): string {
  const pad = { l: 36, r: 8, t: 8, b: 30 };
  const w = HW - pad.l - pad.r;
  const hgt = HH - pad.t - pad.b;
  // A margin either side, so the fastest and slowest bars (and a single value) stand clear of the edges.
  const lo = Math.max(1, h.min) / 1.25;
  const hi = Math.max(1, h.max) * 1.25;
  const logLo = Math.log(lo);
  const span = Math.log(hi) - logLo;
  const x = (v: number): number => pad.l + (w * (Math.log(Math.min(hi, Math.max(lo, v))) - logLo)) / span;
  const bars = new Float64Array(BARS);
  for (let i = 0; i < h.counts.length; i++) {
    const n = h.counts[i]!;
    if (n === 0) continue;
    const [low, width] = bucketRange(i);
    const v = Math.min(hi, Math.max(lo, low + (width - 1) / 2));
    const bar = Math.min(BARS - 1, Math.floor((BARS * (Math.log(v) - logLo)) / span));
    bars[bar] = (bars[bar] ?? 0) + n;
  }
  const top = Math.max(...bars);
  const out: string[] = [`<svg width="${HW}" height="${HH}" viewBox="0 0 ${HW} ${HH}" role="img">`];
  const bw = w / BARS;
  bars.forEach((n, i) => {
    if (n === 0) return;
    const bh = Math.max(1, (hgt * n) / top);
    out.push(
      `<rect x="${f(pad.l + i * bw + 0.5)}" y="${f(pad.t + hgt - bh)}" width="${f(bw - 1)}" height="${f(bh)}" fill="#4e79a7"><title>${num(n)}</title></rect>`,
    );
  });
  out.push(`<line x1="${pad.l}" y1="${pad.t + hgt}" x2="${pad.l + w}" y2="${pad.t + hgt}" stroke="#999"/>`);
  // Labels on rows of their own, so close percentiles stay readable.
  (
    [
      [0.5, '#2ca02c'],
      [0.9, '#ff7f0e'],
      [0.99, '#d62728'],
    ] as const
  ).forEach(([q, colour], row) => {
    const px = x(h.percentile(q));
    const right = px > pad.l + w - 30;
    out.push(
      `<line x1="${f(px)}" y1="${pad.t}" x2="${f(px)}" y2="${pad.t + hgt}" stroke="${colour}" stroke-dasharray="3,2"/><text x="${f(right ? px - 2 : px + 2)}" y="${pad.t + 9 + row * 11}" text-anchor="${right ? 'end' : 'start'}" style="fill:${colour}">p${q * 100}</text>`,
    );
  });
  for (const v of logTicks(lo, hi))
    out.push(
      `<line x1="${f(x(v))}" y1="${pad.t + hgt}" x2="${f(x(v))}" y2="${pad.t + hgt + 4}" stroke="#999"/><text x="${f(x(v))}" y="${pad.t + hgt + 15}" text-anchor="middle">${msLabel(v)}</text>`,
    );
  out.push(
    `<text x="${pad.l + w}" y="${HH - 2}" text-anchor="end">ms</text><text x="${pad.l - 4}" y="${pad.t + 9}" text-anchor="end">${num(top)}</text>`,
  );
  out.push('</svg>');
  return out.join('');
}

// Ticks at 1, 2, 5 × powers of ten between lo and hi (nanoseconds), at most about six.
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  if (ticks.length > 6) return ticks.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  if (ticks.length < 2) return [lo, hi];
  return ticks;
}

const TW = 1100;
const TH = 300;

// One line per busy topic: messages per second in each bin of the capture.
function timelineSvg(t: Timeline, r: StatsReport): string {
  const topics = Object.keys(r.topics)
    .filter((k) => t.series.has(k))
    .slice(0, TIMELINE_TOPICS);
  if (topics.length === 0 || t.used === 0) return '<p class="none">No publishes with capture times.</p>';
  const pad = { l: 56, r: 170, t: 10, b: 32 };
  const w = TW - pad.l - pad.r;
  const h = TH - pad.t - pad.b;
  const bins = Math.max(2, t.used);
  const seconds = t.widthNs / 1e9;
  let top = 0;
  for (const k of topics) for (const n of t.series.get(k)!.subarray(0, bins)) top = Math.max(top, n / seconds);
  const x = (i: number): number => pad.l + (w * i) / (bins - 1);
  const y = (rate: number): number => pad.t + h - (h * rate) / top;
  const out: string[] = [`<svg width="${TW}" height="${TH}" viewBox="0 0 ${TW} ${TH}" role="img">`];
  for (let k = 0; k <= 4; k++) {
    const rate = (top * k) / 4;
    out.push(
      `<line x1="${pad.l}" y1="${f(y(rate))}" x2="${pad.l + w}" y2="${f(y(rate))}" stroke="#eee"/><text x="${pad.l - 4}" y="${f(y(rate) + 4)}" text-anchor="end">${rateLabel(rate)}</text>`,
    );
  }
  const totalS = bins * seconds;
  for (let k = 0; k <= 5; k++) {
    const i = ((bins - 1) * k) / 5;
    out.push(
      `<text x="${f(x(i))}" y="${pad.t + h + 16}" text-anchor="middle">${timeLabel(i * seconds, totalS)}</text>`,
    );
  }
  out.push(
    `<text x="${pad.l + w}" y="${TH - 2}" text-anchor="end">time since the first message · bins of ${timeLabel(seconds, seconds)} · messages/s</text>`,
  );
  topics.forEach((k, n) => {
    const colour = COLOURS[n % COLOURS.length]!;
    const series = t.series.get(k)!;
    let d = '';
    for (let i = 0; i < bins; i++) d += `${i === 0 ? 'M' : 'L'}${f(x(i))},${f(y(series[i]! / seconds))}`;
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    out.push(
      `<rect x="${pad.l + w + 12}" y="${pad.t + n * 18}" width="10" height="10" fill="${colour}"/><text x="${pad.l + w + 26}" y="${pad.t + n * 18 + 9}">${esc(short(k))}</text>`,
    );
  });
  out.push(`<line x1="${pad.l}" y1="${pad.t + h}" x2="${pad.l + w}" y2="${pad.t + h}" stroke="#999"/>`);
  out.push('</svg>');
  if (Object.keys(r.topics).length > topics.length)
    out.push(`<p class="note">The ${topics.length} busiest topics are drawn.</p>`);
  return out.join('');
}

function htmlTable(header: readonly string[], rows: readonly (readonly string[])[], align: string): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const cls = (i: number): string => (align[i] === 'r' ? ' class="r"' : '');
  const head = `<tr>${header.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows
    .slice(0, TABLE_ROWS)
    .map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join('')}</tr>`);
  const more =
    rows.length > TABLE_ROWS ? `<p class="note">${num(rows.length - TABLE_ROWS)} more rows: see stats --json.</p>` : '';
  return `<table>${head}${body.join('')}</table>${more}`;
}

/** Text for HTML: control characters (from the wire) as `\xNN`, markup characters as entities. */
function esc(text: string): string {
  return escapeControls(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function short(text: string): string {
  return text.length > 24 ? text.slice(0, 23) + '…' : text;
}

function f(n: number): string {
  return n.toFixed(1);
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function ms(v: number): string {
  return v.toFixed(3);
}

// A tick label for nanoseconds, in ms.
function msLabel(nanos: number): string {
  const v = nanos / 1e6;
  return v >= 1 ? String(Number(v.toPrecision(3))) : String(Number(v.toPrecision(2)));
}

function rateLabel(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(1)}M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)}k`;
  return rate.toFixed(0);
}

function timeLabel(s: number, scale: number): string {
  if (scale >= 1) return `${Number(s.toFixed(1))} s`;
  return `${Number((s * 1e3).toFixed(2))} ms`;
}
