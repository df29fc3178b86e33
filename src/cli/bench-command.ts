/**
 * `amps-wire bench [FILE]`: decoding throughput on the user's own traffic. Each pass runs the
 * whole pipeline (capture reading, TCP reassembly, framing, decoding, every field read) with no
 * output; the best pass is reported, end to end and per protocol.
 */
import { cpus } from 'node:os';
import type { CaptureHandler } from '../capture/capture-decoder.js';
import type { FrameStream } from '../capture/frame-stream.js';
import { AMPSException } from '../core/errors.js';
import { Message } from '../core/message.js';
import { parseCommandLine, sizeOption, stringOption, UsageError, type OptionSpec } from './args.js';
import { pipelineOptions, PROTOCOL_OPTIONS } from './decode-command.js';
import { BENCH_HELP } from './help.js';
import { CHUNK_SIZE, describeFileError, openInput, readAll } from './input.js';
import { InputDecoder, type InputKind } from './input-decoder.js';
import type { CliIo } from './io.js';
import type { ProtocolChooser } from './protocol-choice.js';
import { bytes } from './stats.js';
import { mixedCapture } from './synthetic/traffic.js';

const OPTIONS: Record<string, OptionSpec> = {
  ...PROTOCOL_OPTIONS,
  passes: { type: 'string', short: 'n' },
  size: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

// Inputs up to this size are held in memory so passes measure decoding, not the disk.
const IN_MEMORY_LIMIT = 32 * 1024 * 1024;
// A pass repeats a small input until it has run this long.
const PASS_MS = 200;

interface ProtocolFigures {
  frames: number;
  payloadBytes: number;
  /** Milliseconds spent decoding and reading this protocol's frames. */
  ms: number;
}

/** Decodes every frame and reads every field, body and record, keeping per-protocol counters. */
class BenchHandler implements CaptureHandler {
  frames = 0;
  errors = 0;
  cutOff = 0;
  readonly protocols = new Map<string, ProtocolFigures>();
  /** Folded from everything read, so no read can be optimised away. */
  checksum = 0;
  private readonly message = new Message();

  constructor(private readonly chooser: ProtocolChooser) {}

  frame(stream: FrameStream, payload: Uint8Array): void {
    this.frames++;
    const p = this.chooser.choose(stream, payload);
    if (p === undefined) {
      this.errors++;
      return;
    }
    let figures = this.protocols.get(p.name);
    if (figures === undefined) this.protocols.set(p.name, (figures = { frames: 0, payloadBytes: 0, ms: 0 }));
    const t0 = performance.now();
    try {
      const m = p.decode(payload, this.message);
      let sum = this.readAll(m);
      for (const record of m.records()) sum += this.readAll(record);
      this.checksum = (this.checksum + sum) | 0;
    } catch (err) {
      if (!(err instanceof AMPSException)) throw err;
      this.errors++;
    }
    figures.ms += performance.now() - t0;
    figures.frames++;
    figures.payloadBytes += payload.length;
  }

  truncated(): void {
    this.cutOff++;
  }
  frameError(): void {
    this.errors++;
  }
  notice(): void {}
  warning(): void {}

  private readAll(m: Message): number {
    let sum = m.getData().length;
    for (const id of m.fields()) sum += m.get(id)!.length;
    return sum;
  }
}

interface PassFigures {
  seconds: number;
  inputBytes: number;
  frames: number;
  errors: number;
  protocols: Map<string, ProtocolFigures>;
}

/** Runs `bench`; resolves to the exit code. */
export async function benchCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv, OPTIONS);
  if (args.values['help'] === true) {
    io.stdout.write(BENCH_HELP);
    return 0;
  }
  if (args.positionals.length > 1) throw new UsageError('give at most one FILE');
  const passesText = stringOption(args, 'passes') ?? '5';
  const passes = Number(passesText);
  if (!Number.isInteger(passes) || passes < 1 || passes > 1000)
    throw new UsageError(`--passes takes a whole number from 1 to 1000; got ${JSON.stringify(passesText)}`);
  const { chooser, options } = pipelineOptions(args, io.env);
  const path = args.positionals[0];

  let name: string;
  let size: number;
  let chunks: Uint8Array[] | undefined;
  if (path === undefined) {
    size = sizeOption(args, 'size', 32 * 1024 * 1024);
    name = `synthetic mixed traffic`;
    chunks = coalesce(mixedCapture(size));
    size = chunks.reduce((n, c) => n + c.length, 0);
  } else {
    try {
      const input = openInput(path, io);
      name = input.name;
      size = input.size ?? Infinity;
      if (size <= IN_MEMORY_LIMIT || path === '-') {
        chunks = coalesce([await readAll(input.chunks, path === '-' ? IN_MEMORY_LIMIT : size + 1)]);
        size = chunks.reduce((n, c) => n + c.length, 0);
      } else {
        input.close(); // streamed again on every pass
      }
    } catch (err) {
      io.stderr.write(
        `amps-wire: ${err instanceof Error && err.message.startsWith('input larger') ? `${path}: stdin input is limited to ${bytes(IN_MEMORY_LIMIT)}` : describeFileError(path, err)}\n`,
      );
      return 2;
    }
  }

  let best: PassFigures | undefined;
  let kind: InputKind | undefined;
  for (let pass = 0; pass < passes; pass++) {
    const figures: PassFigures = { seconds: 0, inputBytes: 0, frames: 0, errors: 0, protocols: new Map() };
    const started = performance.now();
    do {
      const handler = new BenchHandler(chooser);
      const decoder = new InputDecoder(name, handler, options);
      if (chunks !== undefined) {
        for (const chunk of chunks) decoder.push(chunk);
      } else {
        const input = openInput(path!, io);
        for await (const chunk of input.chunks) decoder.push(chunk);
      }
      const failure = decoder.end();
      kind = decoder.kind;
      if (failure !== undefined && decoder.capture?.stats.packets === 0) {
        io.stderr.write(`amps-wire: ${name}: ${failure.message}\n`);
        return 2;
      }
      figures.inputBytes += decoder.bytes;
      figures.frames += handler.frames;
      figures.errors += handler.errors + (failure === undefined ? 0 : 1);
      for (const [p, f] of handler.protocols) {
        const into = figures.protocols.get(p) ?? { frames: 0, payloadBytes: 0, ms: 0 };
        into.frames += f.frames;
        into.payloadBytes += f.payloadBytes;
        into.ms += f.ms;
        figures.protocols.set(p, into);
      }
    } while (chunks !== undefined && performance.now() - started < PASS_MS);
    figures.seconds = (performance.now() - started) / 1000;
    if (best === undefined || figures.inputBytes / figures.seconds > best.inputBytes / best.seconds) best = figures;
  }
  io.stdout.write(
    args.values['json'] === true
      ? reportJson(name, kind, size, passes, best!)
      : reportText(name, kind, size, passes, best!),
  );
  return best!.errors > 0 ? 1 : 0;
}

// Regroups pieces into chunks of about CHUNK_SIZE, as a file read would give them.
function coalesce(pieces: Iterable<Uint8Array>): Uint8Array[] {
  const out: Uint8Array[] = [];
  let current = new Uint8Array(CHUNK_SIZE);
  let used = 0;
  for (let piece of pieces) {
    while (piece.length > 0) {
      const take = Math.min(piece.length, CHUNK_SIZE - used);
      current.set(piece.subarray(0, take), used);
      used += take;
      piece = piece.subarray(take);
      if (used === CHUNK_SIZE) {
        out.push(current);
        current = new Uint8Array(CHUNK_SIZE);
        used = 0;
      }
    }
  }
  if (used > 0) out.push(current.subarray(0, used));
  return out;
}

function machine(): string {
  return `Node ${process.version}, ${process.platform} ${process.arch}, ${cpus()[0]?.model ?? 'unknown CPU'}`;
}

function reportText(
  name: string,
  kind: InputKind | undefined,
  size: number,
  passes: number,
  best: PassFigures,
): string {
  const mbs = (n: number, s: number): string => (s > 0 ? (n / 1e6 / s).toFixed(1) : '-');
  const per = (n: number, s: number): string => (s > 0 ? Math.round(n / s).toLocaleString('en-US') : '-');
  const lines = [
    `amps-wire bench: ${name} (${kind ?? 'empty'}, ${bytes(size)}), best of ${passes} pass${passes === 1 ? '' : 'es'}`,
    `  end to end  ${mbs(best.inputBytes, best.seconds)} MB/s of input, ${per(best.frames, best.seconds)} frames/s` +
      `  (read, reassemble, split, decode, read every field)`,
  ];
  if (best.protocols.size > 0) {
    lines.push(
      `  ${'protocol'.padEnd(9)}${'frames'.padStart(12)}${'payload'.padStart(12)}${'decode MB/s'.padStart(14)}${'frames/s'.padStart(14)}`,
    );
    for (const [p, f] of [...best.protocols].sort((a, b) => b[1].payloadBytes - a[1].payloadBytes)) {
      const s = f.ms / 1000;
      lines.push(
        `  ${p.padEnd(9)}${f.frames.toLocaleString('en-US').padStart(12)}${bytes(f.payloadBytes).padStart(12)}${mbs(f.payloadBytes, s).padStart(14)}${per(f.frames, s).padStart(14)}`,
      );
    }
  }
  if (best.errors > 0)
    lines.push(`  ${best.errors.toLocaleString('en-US')} frames failed to decode (run amps-wire decode to see them)`);
  lines.push(`  ${machine()}`);
  return lines.join('\n') + '\n';
}

function reportJson(
  name: string,
  kind: InputKind | undefined,
  size: number,
  passes: number,
  best: PassFigures,
): string {
  const protocols: Record<string, unknown> = {};
  for (const [p, f] of best.protocols) {
    const s = f.ms / 1000;
    protocols[p] = {
      frames: f.frames,
      payloadBytes: f.payloadBytes,
      seconds: s,
      mbPerSecond: s > 0 ? f.payloadBytes / 1e6 / s : null,
      framesPerSecond: s > 0 ? f.frames / s : null,
    };
  }
  return (
    JSON.stringify({
      input: name,
      kind: kind ?? null,
      bytes: size,
      passes,
      best: {
        seconds: best.seconds,
        inputBytes: best.inputBytes,
        frames: best.frames,
        errors: best.errors,
        mbPerSecond: best.inputBytes / 1e6 / best.seconds,
        framesPerSecond: best.frames / best.seconds,
      },
      protocols,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpus()[0]?.model ?? null,
    }) + '\n'
  );
}
