/** `amps-wire stats FILE...`: what an analyst asks of a capture, as tables, JSON or an HTML page. */
import { writeFile } from 'node:fs/promises';
import { parseCommandLine, stringOption, UsageError, type OptionSpec } from '../args.js';
import { pipelineOptions, PROTOCOL_OPTIONS } from '../decode-command.js';
import { feedInput } from '../feed-input.js';
import { FILTER_OPTIONS, FrameFilter } from '../filters.js';
import { STATS_HELP } from '../help.js';
import { describeFileError } from '../input.js';
import type { CliIo } from '../io.js';
import { StatsCollector } from './collector.js';
import { statsPage } from './page.js';
import { statsTables } from './tables.js';

const OPTIONS: Record<string, OptionSpec> = {
  ...PROTOCOL_OPTIONS,
  ...FILTER_OPTIONS,
  json: { type: 'boolean' },
  html: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

/** Runs `stats`; resolves to the exit code. */
export async function statsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv, OPTIONS);
  if (args.values['help'] === true) {
    io.stdout.write(STATS_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('name at least one FILE (or - for stdin)');
  const { chooser, options } = pipelineOptions(args, io.env);
  const filters = FrameFilter.fromArgs(args);
  const quiet = args.values['quiet'] === true;
  const html = stringOption(args, 'html');
  const collector = new StatsCollector(chooser, filters);
  let unreadable = false;
  let corrupt = 0;
  for (const path of args.positionals) {
    if (io.interrupt?.requested === true) break;
    const result = await feedInput(path, collector, options, io, {
      onCapture: (capture) => (collector.clock = capture),
      progress: !quiet && io.stderr.isTTY,
    });
    collector.clock = undefined;
    if ('unreadable' in result) {
      unreadable = true;
      io.stderr.write(`amps-wire: ${result.unreadable}\n`);
    } else if ('name' in result && result.failure !== undefined) {
      if (result.decoder.capture?.stats.packets === 0) unreadable = true;
      else corrupt++;
      io.stderr.write(`amps-wire: ${result.name}: ${result.failure.message}\n`);
    }
  }
  const report = collector.report();
  if (args.values['json'] === true) io.stdout.write(JSON.stringify(report) + '\n');
  else io.stdout.write(statsTables(report));
  if (html !== undefined) {
    try {
      await writeFile(html, statsPage(report, collector));
    } catch (err) {
      io.stderr.write(`amps-wire: ${describeFileError(html, err)}\n`);
      return 2;
    }
    if (!quiet) io.stderr.write(`amps-wire: wrote ${html}\n`);
  }
  if (!quiet) {
    const problems = problemsLine(collector, corrupt);
    if (problems !== '') io.stderr.write(`amps-wire: ${problems}\n`);
  }
  return unreadable ? 2 : collector.failed || corrupt > 0 ? 1 : 0;
}

function problemsLine(c: StatsCollector, corrupt: number): string {
  const parts: string[] = [];
  if (c.decodeErrors > 0) parts.push(`${c.decodeErrors} frames failed to decode`);
  if (c.frameErrors > 0) parts.push(`${c.frameErrors} impossible frame lengths`);
  if (c.truncatedFrames > 0) parts.push(`${c.truncatedFrames} truncated frames`);
  if (corrupt > 0) parts.push(`${corrupt} corrupt capture files`);
  if (c.warnings > 0) parts.push(`${c.warnings} packet warnings`);
  for (const [kind, n] of c.notices) parts.push(`${n} ${kind} notices`);
  if (c.forgottenCommands > 0)
    parts.push(`${c.forgottenCommands} commands stopped waiting for acks (too many open at once)`);
  if (c.droppedQueries > 0)
    parts.push(`${c.droppedQueries} SOW queries past the first ${c.report().queries.length} not reported`);
  return parts.join(', ');
}
