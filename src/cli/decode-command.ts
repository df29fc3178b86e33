/** `amps-wire decode FILE...`: captured or raw AMPS traffic to readable text or JSON lines. */
import type { CaptureDecoderOptions } from '../capture/capture-decoder.js';
import { protocolNames } from '../protocols.js';
import {
  listOption,
  parseCommandLine,
  sizeOption,
  stringOption,
  UsageError,
  type OptionSpec,
  type ParsedArgs,
} from './args.js';
import type { Format } from './format.js';
import { DECODE_HELP } from './help.js';
import { COLOURS, HumanFormat, PLAIN } from './human.js';
import { FILTER_OPTIONS, FrameFilter } from './filters.js';
import { feedInput, type FeedHooks } from './feed-input.js';
import { frameSinkFor, PcapFrameSink, type FrameSink } from './frame-writer.js';
import { describeFileError } from './input.js';
import { Every, parseInterval } from './interval.js';
import type { CliIo } from './io.js';
import { JsonlFormat } from './jsonl.js';
import { ProtocolChooser } from './protocol-choice.js';
import { FrameReporter } from './reporter.js';
import { KEYLOG_OPTION, transportOptions } from './transport-options.js';

/** Options shared by decode and bench: which protocol decodes what. */
export const PROTOCOL_OPTIONS: Record<string, OptionSpec> = {
  protocol: { type: 'string', short: 'p', choices: ['auto', ...protocolNames] },
  port: { type: 'string', multiple: true },
  'max-frame-length': { type: 'string' },
  ...KEYLOG_OPTION,
};

const OPTIONS: Record<string, OptionSpec> = {
  ...PROTOCOL_OPTIONS,
  format: { type: 'string', short: 'f', choices: ['human', 'jsonl'] },
  'no-body': { type: 'boolean' },
  write: { type: 'string', short: 'w' },
  'stats-interval': { type: 'string' },
  ...FILTER_OPTIONS,
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** The protocol chooser and pipeline options from --protocol, --port, --max-frame-length and --keylog. */
export function pipelineOptions(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>> = {},
): { chooser: ProtocolChooser; options: CaptureDecoderOptions } {
  const ports = new Map<number, string>();
  for (const rule of listOption(args, 'port')) {
    const eq = rule.indexOf('=');
    const port = Number(rule.slice(0, eq));
    const name = rule.slice(eq + 1);
    if (eq < 0 || !Number.isInteger(port) || port < 1 || port > 65535 || !protocolNames.includes(name)) {
      throw new UsageError(
        `--port takes PORT=PROTOCOL with a port from 1 to 65535 and one of ${protocolNames.join(', ')}; got ${JSON.stringify(rule)}`,
      );
    }
    ports.set(port, name);
  }
  const maxFrameLength = sizeOption(args, 'max-frame-length', 64 * 1024 * 1024);
  if (maxFrameLength > 0xffffffff) throw new UsageError('--max-frame-length is at most 4G');
  return {
    chooser: new ProtocolChooser(stringOption(args, 'protocol'), ports),
    options: { maxFrameLength, ...transportOptions(args, env) },
  };
}

/** Runs `decode`; resolves to the exit code. */
export async function decodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv, OPTIONS);
  if (args.values['help'] === true) {
    io.stdout.write(DECODE_HELP);
    return 0;
  }
  if (args.positionals.length === 0) throw new UsageError('name at least one FILE (or - for stdin)');
  const { chooser, options } = pipelineOptions(args, io.env);
  const withBody = args.values['no-body'] !== true;
  const quiet = args.values['quiet'] === true;
  const colour = io.stdout.isTTY && !io.env['NO_COLOR'] && args.values['no-color'] !== true;
  const jsonl = stringOption(args, 'format') === 'jsonl' ? new JsonlFormat(withBody) : undefined;
  const format: Format =
    jsonl ??
    new HumanFormat({
      withBody,
      palette: colour ? COLOURS : PLAIN,
      previewWidth: io.stdout.isTTY ? Math.max(30, Math.min(100, io.stdout.columns - 60)) : 80,
    });
  const filters = FrameFilter.fromArgs(args);
  const writeTo = stringOption(args, 'write');
  let sink: FrameSink | undefined;
  try {
    sink = writeTo === undefined ? undefined : frameSinkFor(writeTo);
  } catch (err) {
    io.stderr.write(`amps-wire: ${describeFileError(writeTo!, err)}\n`);
    return 2;
  }
  const reporter = new FrameReporter({
    format,
    chooser,
    filters,
    stdout: io.stdout,
    stderr: io.stderr,
    quiet,
    ...(sink === undefined ? {} : { sink }),
  });
  const clock = io.clock ?? Date.now;
  const started = clock();
  const interval = stringOption(args, 'stats-interval');
  const every = interval === undefined ? undefined : new Every(parseInterval(interval, 'stats-interval'), clock);
  // The summary so far, on stderr, for long live runs.
  const tick =
    every === undefined || quiet
      ? undefined
      : (bytes: number): void => {
          if (!every.due()) return;
          // The input being read counts its bytes at its end: add what it has read so far, for now.
          const stats = reporter.stats;
          stats.bytes += bytes;
          io.stderr.write(stats.summary((clock() - started) / 1000, filters.active));
          stats.bytes -= bytes;
          io.stderr.push();
        };
  let unreadable = false;
  for (const path of args.positionals) {
    if (io.stdout.closed || io.interrupt?.requested === true) break;
    if (jsonl !== undefined && args.positionals.length > 1) jsonl.file = path;
    const problem = await decodeOne(path, reporter, options, io, {
      progress: !quiet && io.stderr.isTTY && !io.stdout.isTTY,
      ...(tick === undefined ? {} : { tick }),
    });
    if (problem !== undefined) {
      unreadable = true;
      io.stderr.write(`amps-wire: ${problem}\n`);
    }
  }
  if (sink !== undefined) {
    sink.close();
    if (sink instanceof PcapFrameSink && sink.skipped.size > 0) {
      io.stderr.write(
        `amps-wire: frames of ${[...sink.skipped].join(', ')} are not in ${writeTo!}: a pcap needs addresses (write a raw stream with -w FILE.bin)\n`,
      );
    }
  }
  await io.stdout.flush();
  // Ctrl-C and a reader gone away (`| head`) end the run as the end of the input would: summary included.
  const stats = reporter.stats;
  if (!quiet) io.stderr.write(stats.summary((clock() - started) / 1000, filters.active));
  if (io.stdout.closed) return 0;
  return unreadable ? 2 : stats.failed ? 1 : 0;
}

/** Decodes one input; returns why it could not be read at all, if so. Corrupt captures are counted, not returned. */
async function decodeOne(
  path: string,
  reporter: FrameReporter,
  options: CaptureDecoderOptions,
  io: CliIo,
  hooks: Omit<FeedHooks, 'onCapture'>,
): Promise<string | undefined> {
  reporter.stats.inputs++;
  const result = await feedInput(path, reporter, options, io, {
    ...hooks,
    onCapture: (capture) => (reporter.clock = capture),
  });
  if ('unreadable' in result) {
    reporter.stats.inputs--;
    return result.unreadable;
  }
  // The reader of stdout went away (`| head`): the rest is not wanted.
  if ('stopped' in result) return undefined;
  const { decoder, failure } = result;
  reporter.clock = undefined;
  reporter.stats.bytes += decoder.bytes;
  if (decoder.capture !== undefined) reporter.stats.addCapture(decoder.capture.stats);
  if (failure !== undefined) {
    // A capture with not one readable packet is unreadable; one that breaks later is corrupt.
    if (decoder.capture?.stats.packets === 0) return `${result.name}: ${failure.message}`;
    reporter.stats.captureErrors++;
    if (!reporter.quiet) io.stderr.write(`amps-wire: ${result.name}: ${failure.message}\n`);
  }
  return undefined;
}
