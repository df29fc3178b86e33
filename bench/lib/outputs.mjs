// Where a run's figures go: results/<date>.json, the charts, and the section of README.md
// between its markers (or README-section.md beside the charts when the run is not published).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSize, markdownReport, replaceBetweenMarkers, verdict } from './report.mjs';
import { ratioChart, throughputChart } from './svg.mjs';

const BENCH = dirname(dirname(fileURLToPath(import.meta.url)));

/** Writes `dir/results/<date>[-quick].json` and records its name in `run.resultsFile`. */
export function writeResults(run, dir) {
  mkdirSync(join(dir, 'results'), { recursive: true });
  run.resultsFile = `${run.date.slice(0, 10)}${run.quick ? '-quick' : ''}.json`;
  writeFileSync(join(dir, 'results', run.resultsFile), JSON.stringify(run, null, 2) + '\n');
}

/**
 * Draws the charts into `dir/charts` and writes the Markdown section: into bench/README.md when
 * `publish`, else into `dir/README-section.md`.
 */
export function renderOutputs(run, dir, publish) {
  const chartsDir = join(dir, 'charts');
  mkdirSync(chartsDir, { recursive: true });
  const day = run.date.slice(0, 10);
  const links = {};
  if (run.cases.some((c) => !c.error)) {
    const rows = run.cases.map((c) => ({
      name: c.name,
      ratio: c.error ? NaN : c.result.timing.ratio.baseline.median,
      goal: c.goal,
      met: c.error || (c.goal === undefined && c.allocGoal === undefined) ? undefined : verdict(c, true).met,
    }));
    writeFileSync(
      join(chartsDir, 'ratios.svg'),
      ratioChart(rows, `amps-wire speed-up over each baseline (${day}, Node ${run.machine.node})`),
    );
    links.ratios = 'charts/ratios.svg';
  }
  const tp = run.throughput.filter((p) => !p.error);
  if (tp.length) {
    const chart = throughputChart(
      tp.map((p) => ({ name: p.protocol, series: p.series })),
      {
        title: `Publishes split → decoded → read, by body size (${day}, Node ${run.machine.node})`,
        ceilingMBps: tp.find((p) => p.mixed.memcpy)?.mixed.memcpy.mbPerSecond,
        formatSize,
      },
    );
    writeFileSync(join(chartsDir, 'throughput.svg'), chart);
    links.throughput = 'charts/throughput.svg';
  }
  const section = markdownReport(run, links);
  if (publish) {
    const readme = join(BENCH, 'README.md');
    writeFileSync(readme, replaceBetweenMarkers(readFileSync(readme, 'utf8'), section));
    console.error(`bench: wrote bench/README.md and bench/charts/ from results/${run.resultsFile}`);
  } else {
    writeFileSync(join(dir, 'README-section.md'), section + '\n');
    console.error(`bench: results in ${dir} (the tree is left as it was)`);
  }
}
