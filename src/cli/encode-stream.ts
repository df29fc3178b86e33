/**
 * `amps-wire encode -`: JSON lines from stdin to frames, one line at a time (so a replay starts
 * at once and takes any length of input), keeping connections apart. A line that cannot be
 * encoded is skipped with a message on stderr; the others go on.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AMPSException } from '../core/errors.js';
import type { Message } from '../core/message.js';
import { protocol } from '../protocols.js';
import { UsageError } from './args.js';
import { describeFileError } from './input.js';
import type { CliIo } from './io.js';

/** What the line stream does with its frames. */
export interface EncodeStreamOptions {
  /** `--protocol`: every frame in this protocol; otherwise each line's own (default amps). */
  protocol: string | undefined;
  /** `--conn`: only lines whose conn contains this text. */
  conn: string | undefined;
  /** `--split`: one file per connection direction and protocol in this directory. */
  split: string | undefined;
  payloadOnly: boolean;
  hex: boolean;
  /** `-o`: a file instead of stdout. */
  output: string | undefined;
}

/** One description read from a line: the message, the protocol it asks for, the direction it came from. */
export interface LineDescription {
  message: Message;
  protocol: string | undefined;
  conn: string | undefined;
}

// Files kept open at once by --split; past it the least recent is closed (and reopened to append).
const OPEN_FILES = 64;
// A line longer than this is refused (it would be a frame of more than the usual limit).
const MAX_LINE = 256 * 1024 * 1024;

/** Reads stdin line by line and writes frames; resolves to the exit code (1 when lines were skipped). */
export async function encodeLines(
  io: CliIo,
  options: EncodeStreamOptions,
  describe: (line: string, where: string) => LineDescription,
): Promise<number> {
  let sink: Sink;
  try {
    sink =
      options.split !== undefined
        ? new SplitSink(options.split)
        : options.output !== undefined
          ? new FileSink(options.output)
          : new StdoutSink(io);
  } catch (err) {
    if (!isFileError(err)) throw err;
    io.stderr.write(`amps-wire: ${describeFileError(options.split ?? options.output!, err)}\n`);
    return 2;
  }
  const decoder = new TextDecoder();
  let pending = '';
  let lineNumber = 0;
  let skipped = 0;
  let chosenConn: string | undefined;
  const refusedConns = new Set<string>();
  const skip = (where: string, why: string): void => {
    skipped++;
    io.stderr.write(`amps-wire: ${where}: ${why} (skipped)\n`);
  };
  const take = (line: string): void => {
    lineNumber++;
    if (line.trim() === '') return;
    const where = `stdin line ${lineNumber}`;
    let d: LineDescription;
    try {
      d = describe(line, where);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      skipped++;
      io.stderr.write(`amps-wire: ${err.message} (skipped)\n`);
      return;
    }
    if (d.conn !== undefined) {
      if (options.conn !== undefined && !d.conn.includes(options.conn)) return;
      // One output holds one direction: a second one would not decode back.
      if (options.split === undefined) {
        chosenConn ??= d.conn;
        if (d.conn !== chosenConn) {
          if (!refusedConns.has(d.conn)) {
            refusedConns.add(d.conn);
            io.stderr.write(
              `amps-wire: ${where}: lines of ${d.conn} are left out: the output holds ${chosenConn} only (pick one with --conn, or write each to its own file with --split DIR)\n`,
            );
          }
          return;
        }
      }
    }
    const p = protocol(options.protocol ?? d.protocol ?? 'amps');
    let bytes: Uint8Array;
    try {
      bytes = options.payloadOnly ? p.encode(d.message) : p.encodeFrame(d.message);
    } catch (err) {
      if (!(err instanceof AMPSException)) throw err;
      skip(where, `cannot be encoded in ${p.name}: ${err.message}`);
      return;
    }
    sink.write(d.conn, p.name, options.hex ? new TextEncoder().encode(toHex(bytes) + '\n') : bytes);
  };
  try {
    for await (const chunk of io.stdin) {
      pending += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        take(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
      if (pending.length > MAX_LINE)
        throw new UsageError(`stdin line ${lineNumber + 1} is longer than ${MAX_LINE} characters`);
      await sink.flush();
      if (io.stdout.closed) return 0;
    }
    pending += decoder.decode();
    if (pending !== '') take(pending);
    await sink.flush();
  } catch (err) {
    if (isFileError(err)) {
      io.stderr.write(`amps-wire: ${describeFileError(options.split ?? options.output ?? 'stdout', err)}\n`);
      return 2;
    }
    throw err;
  } finally {
    sink.close();
  }
  if (skipped > 0) io.stderr.write(`amps-wire: ${skipped} line${skipped === 1 ? '' : 's'} skipped\n`);
  return skipped > 0 ? 1 : 0;
}

// An error of the file system (ENOENT, EACCES, ...), not of the codecs.
function isFileError(err: unknown): err is Error {
  return (
    err instanceof Error && !(err instanceof AMPSException) && typeof (err as { code?: unknown }).code === 'string'
  );
}

interface Sink {
  write(conn: string | undefined, protocolName: string, bytes: Uint8Array): void;
  flush(): Promise<void>;
  close(): void;
}

class StdoutSink implements Sink {
  constructor(private readonly io: CliIo) {}
  write(_conn: string | undefined, _protocol: string, bytes: Uint8Array): void {
    this.io.stdout.writeBytes(bytes);
  }
  async flush(): Promise<void> {
    await this.io.stdout.flush();
  }
  close(): void {}
}

class FileSink implements Sink {
  private readonly fd: number;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(_conn: string | undefined, _protocol: string, bytes: Uint8Array): void {
    writeSync(this.fd, bytes);
  }
  async flush(): Promise<void> {}
  close(): void {
    closeSync(this.fd);
  }
}

/** `--split DIR`: `DIR/<conn>.<protocol>.bin` per direction and protocol (`stdin.<protocol>.bin` for lines without a conn). */
export class SplitSink implements Sink {
  private readonly open = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write(conn: string | undefined, protocolName: string, bytes: Uint8Array): void {
    const name = `${splitName(conn ?? 'stdin')}.${protocolName}.bin`;
    let fd = this.open.get(name);
    if (fd === undefined) {
      fd = openSync(join(this.dir, name), this.seen.has(name) ? 'a' : 'w');
      this.seen.add(name);
      if (this.open.size >= OPEN_FILES) {
        const [oldest, oldFd] = this.open.entries().next().value!;
        closeSync(oldFd);
        this.open.delete(oldest);
      }
    } else {
      this.open.delete(name);
    }
    this.open.set(name, fd);
    writeSync(fd, bytes);
  }

  async flush(): Promise<void> {}

  close(): void {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
  }
}

/** A conn as a file name: `10.0.0.1:51000->10.0.0.2:9007` → `10.0.0.1_51000-10.0.0.2_9007`. */
export function splitName(conn: string): string {
  return conn.replace(/->/g, '-').replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}
