/** `amps-wire stats` for people: aligned tables on stdout. */
import { PERCENTILE_ERROR } from './histogram.js';
import type { StatsReport } from './collector.js';
import { escapeControls } from '../text.js';

// Rows shown per table; --json lists everything.
const ROWS = 40;

/** The report as text tables. */
export function statsTables(r: StatsReport): string {
  const out: string[] = [];
  out.push(
    `${num(r.messages)} messages on ${num(r.connections)} connection${r.connections === 1 ? '' : 's'} over ${fixed(r.durationMs)} ms of capture`,
  );

  out.push('', 'Messages per command');
  out.push(
    ...table(
      ['command', 'messages'],
      Object.entries(r.commands).map(([c, n]) => [c, num(n)]),
      'lr',
    ),
  );

  out.push('', 'Topics (published towards the server, delivered to clients; bytes of bodies)');
  const topics = Object.entries(r.topics);
  out.push(
    ...table(
      ['topic', 'published', 'delivered', 'bytes'],
      topics.map(([t, s]) => [t, num(s.published), num(s.delivered), num(s.bytes)]),
      'lrrr',
      topics.length,
    ),
  );

  out.push('', `Response times, command to ack (ms; percentiles within ${(PERCENTILE_ERROR * 100).toFixed(1)} %)`);
  out.push(
    ...table(
      ['command', 'ack', 'count', 'min', 'p50', 'p90', 'p99', 'max'],
      r.responses.map((x) => [
        x.command,
        x.ackType,
        num(x.count),
        fixed(x.minMs),
        fixed(x.p50Ms),
        fixed(x.p90Ms),
        fixed(x.p99Ms),
        fixed(x.maxMs),
      ]),
      'llrrrrrr',
    ),
  );

  out.push('', 'Unanswered commands (requested acks not seen)');
  out.push(
    ...table(
      ['conn', 'command', 'commandId', 'missing'],
      r.unanswered.map((u) => [u.conn, u.command, u.commandId, u.missing.join(',')]),
      'llll',
      r.unanswered.length,
    ),
  );

  out.push('', 'SOW queries (ms from the command)');
  out.push(
    ...table(
      ['conn', 'queryId', 'command', 'topic', 'records', 'batches', 'first record', 'done'],
      r.queries.map((q) => [
        q.conn,
        q.queryId,
        q.command,
        q.topic ?? '',
        num(q.records),
        num(q.batches),
        q.firstRecordMs === null ? '-' : fixed(q.firstRecordMs),
        q.ms === null ? 'not done' : fixed(q.ms),
      ]),
      'llllrrrr',
      r.queries.length,
    ),
  );
  return out.join('\n') + '\n';
}

/** Rows under a header, columns padded to their widest cell (`align`: l or r per column). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: string,
  total = rows.length,
): string[] {
  if (rows.length === 0) return ['  (none)'];
  const shown = rows.slice(0, ROWS).map((row) => row.map(escapeControls));
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    '  ' +
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [line(header.map((h) => h.toUpperCase())), ...shown.map(line)];
  if (total > shown.length) lines.push(`  ... ${num(total - shown.length)} more (--json lists all)`);
  return lines;
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

// Milliseconds to the microsecond, or to the nanosecond below a microsecond's worth of digits.
function fixed(ms: number): string {
  return ms.toFixed(3);
}
