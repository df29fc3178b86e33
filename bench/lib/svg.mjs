// The two charts of bench/README.md as plain SVG text: speed-up per case (bars on a log axis,
// with each goal marked) and throughput against body size (one line per protocol, log axes).
// Plain SVG with a white background renders the same on GitHub in light and dark themes.

const FONT = 'font-family="-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial,sans-serif"';
const COLORS = { met: '#2da44e', unmet: '#cf222e', none: '#57606a', axis: '#8c959f', grid: '#eaeef2', text: '#24292f' };
const LINE_COLORS = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#cf222e'];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n1 = (x) => Math.round(x * 10) / 10;

function text(x, y, s, { size = 12, anchor = 'start', color = COLORS.text, weight = 'normal' } = {}) {
  return `<text x="${n1(x)}" y="${n1(y)}" font-size="${size}" text-anchor="${anchor}" fill="${color}" font-weight="${weight}">${esc(s)}</text>`;
}

const line = (x1, y1, x2, y2, color, extra = '') =>
  `<line x1="${n1(x1)}" y1="${n1(y1)}" x2="${n1(x2)}" y2="${n1(y2)}" stroke="${color}" ${extra}/>`;

function document(width, height, body) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A log10 scale from [lo, hi] onto [a, b]. */
function logScale(lo, hi, a, b) {
  const l0 = Math.log10(lo);
  const span = Math.log10(hi) - l0;
  return (v) => a + ((Math.log10(v) - l0) / span) * (b - a);
}

/** Powers of `base` within [lo, hi]. */
function ticks(lo, hi, base) {
  const out = [];
  for (let v = base ** Math.floor(Math.log(lo) / Math.log(base)); v <= hi * 1.0001; v *= base)
    if (v >= lo * 0.9999) out.push(v);
  return out;
}

/**
 * Speed-up per case: `rows` = `[{ name, ratio, goal?, met? }]` (met undefined when no goal).
 */
export function ratioChart(rows, title) {
  // Room for the longest case name at about 7 px per character of 12 px text.
  const left = 24 + 7 * Math.max(20, ...rows.map((r) => r.name.length));
  const right = 70;
  const width = left + 610;
  const top = 48;
  const rowH = 26;
  const height = top + rows.length * rowH + 44;
  const values = rows.flatMap((r) => [r.ratio, r.goal ?? 1]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 2 ** Math.floor(Math.log2(Math.min(0.5, ...values)));
  const hi = 2 ** Math.ceil(Math.log2(Math.max(2, ...values) * 1.15));
  const x = logScale(lo, hi, left, width - right);
  const body = [text(16, 26, title, { size: 15, weight: 'bold' })];
  const axisY = top + rows.length * rowH + 6;
  for (const t of ticks(lo, hi, 2)) {
    body.push(
      line(x(t), top - 6, x(t), axisY, t === 1 ? COLORS.axis : COLORS.grid, t === 1 ? 'stroke-width="1.5"' : ''),
    );
    body.push(
      text(x(t), axisY + 16, `${t < 1 ? t : Math.round(t)}×`, { size: 11, anchor: 'middle', color: COLORS.none }),
    );
  }
  body.push(
    text(
      (left + width - right) / 2,
      axisY + 34,
      'speed-up over the baseline, log scale (1× = as fast; black tick = goal; green met, red not met, grey no goal)',
      {
        size: 11,
        anchor: 'middle',
        color: COLORS.none,
      },
    ),
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    body.push(text(left - 10, y + 16, r.name, { anchor: 'end' }));
    if (!Number.isFinite(r.ratio)) {
      body.push(text(left + 6, y + 16, 'error', { color: COLORS.unmet }));
      return;
    }
    const color = r.met === undefined ? COLORS.none : r.met ? COLORS.met : COLORS.unmet;
    const x0 = Math.min(x(1), x(r.ratio));
    const w = Math.max(1, Math.abs(x(r.ratio) - x(1)));
    body.push(`<rect x="${n1(x0)}" y="${y + 4}" width="${n1(w)}" height="${rowH - 10}" fill="${color}" rx="2"/>`);
    // The figure goes right of the bar, and right of the goal tick when the tick is in the way.
    let tx = Math.max(x(1), x(r.ratio)) + 6;
    if (r.goal !== undefined && x(r.goal) >= tx - 8 && x(r.goal) < tx + 40) tx = x(r.goal) + 6;
    body.push(text(tx, y + 16, `${r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)}×`, { size: 11 }));
    if (r.goal !== undefined)
      body.push(line(x(r.goal), y + 1, x(r.goal), y + rowH - 3, COLORS.text, 'stroke-width="2.5"'));
  });
  return document(width, height, body);
}

/** One log-log panel of lines: `series` = `[{ name, points: [[x, y]] }]`. */
function panel(series, { x0, y0, w, h, yLabel, ceiling, xFormat, yFormat }) {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).concat(ceiling ? [ceiling.value] : []);
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const x = logScale(xLo, xHi, x0, x0 + w);
  const y = logScale(yLo, yHi, y0 + h, y0);
  const body = [];
  for (const t of ticks(yLo, yHi, 10)) {
    body.push(line(x0, y(t), x0 + w, y(t), COLORS.grid));
    body.push(text(x0 - 6, y(t) + 4, yFormat(t), { size: 11, anchor: 'end', color: COLORS.none }));
  }
  for (const t of ticks(xLo, xHi, 4)) {
    body.push(line(x(t), y0, x(t), y0 + h, COLORS.grid));
    body.push(text(x(t), y0 + h + 16, xFormat(t), { size: 11, anchor: 'middle', color: COLORS.none }));
  }
  body.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="${COLORS.axis}"/>`);
  body.push(text(x0 + w / 2, y0 + h + 34, 'body size (log scale)', { size: 11, anchor: 'middle', color: COLORS.none }));
  body.push(text(x0, y0 - 10, yLabel, { size: 12, weight: 'bold' }));
  if (ceiling) {
    body.push(line(x0, y(ceiling.value), x0 + w, y(ceiling.value), COLORS.text, 'stroke-dasharray="5,4"'));
    body.push(text(x0 + w - 4, y(ceiling.value) - 5, ceiling.label, { size: 11, anchor: 'end', color: COLORS.text }));
  }
  series.forEach((s, i) => {
    const color = LINE_COLORS[i % LINE_COLORS.length];
    const pts = s.points.map(([px, py]) => `${n1(x(px))},${n1(y(py))}`);
    body.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of pts) {
      const [cx, cy] = p.split(',');
      body.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
  });
  return body;
}

/**
 * Throughput against body size, per protocol: MB/s and messages/s side by side.
 * `protocols` = `[{ name, series: [{ bodySize, mbPerSecond, messagesPerSecond }] }]`.
 */
/** A power of ten as a short label: 100, 1 k, 10 M. */
function tenPower(v, unit = '') {
  const [div, suffix] = v >= 1e9 ? [1e9, ' G'] : v >= 1e6 ? [1e6, ' M'] : v >= 1e3 ? [1e3, ' k'] : [1, ' '];
  return `${Math.round(v / div)}${suffix}${unit}`.trim();
}

export function throughputChart(protocols, { title, ceilingMBps, formatSize }) {
  const width = 900;
  const height = 430;
  const body = [text(16, 26, title, { size: 15, weight: 'bold' })];
  const common = { y0: 100, w: 340, h: 250, xFormat: formatSize };
  body.push(
    ...panel(
      protocols.map((p) => ({ name: p.name, points: p.series.map((s) => [s.bodySize, s.mbPerSecond]) })),
      {
        ...common,
        x0: 80,
        yLabel: 'MB/s end to end',
        yFormat: (v) => tenPower(v * 1e6, 'B/s'),
        ceiling: ceilingMBps ? { value: ceilingMBps, label: 'memcpy of the same chunks' } : undefined,
      },
    ),
    ...panel(
      protocols.map((p) => ({ name: p.name, points: p.series.map((s) => [s.bodySize, s.messagesPerSecond]) })),
      { ...common, x0: 520, yLabel: 'messages/s', yFormat: (v) => tenPower(v) },
    ),
  );
  protocols.forEach((p, i) => {
    const lx = 80 + i * 110;
    body.push(line(lx, 54, lx + 22, 54, LINE_COLORS[i % LINE_COLORS.length], 'stroke-width="3"'));
    body.push(text(lx + 28, 58, p.name, { size: 12 }));
  });
  return document(width, height, body);
}
