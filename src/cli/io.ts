/**
 * Where the command line reads and writes: stdout, stderr, stdin and the environment, behind a
 * small interface so the commands run the same under test (in memory) as in a terminal.
 */
import { fstatSync } from 'node:fs';
import { concatBytes } from '../core/bytes.js';
import { Interrupt } from './interrupt.js';

/** A buffered text/bytes destination with backpressure. */
export interface Output {
  /** Appends text (buffered). */
  write(text: string): void;
  /** Appends bytes (after any buffered text). */
  writeBytes(bytes: Uint8Array): void;
  /** Whether the destination is behind: await {@link flush} before producing more. */
  readonly backlogged: boolean;
  /** Hands buffered output on and waits until the destination has taken it. */
  flush(): Promise<void>;
  /** Hands buffered output on now, without waiting (live use: after each piece of input). */
  push(): void;
  /** Live output: buffered text is handed on within 100 ms (set when the input is read live). */
  live: boolean;
  /** Whether it is a terminal. */
  readonly isTTY: boolean;
  /** Terminal width (80 when unknown). */
  readonly columns: number;
  /** Set when the reader went away (a closed pipe): stop producing. */
  readonly closed: boolean;
}

/** Everything a command touches besides files. */
export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: AsyncIterable<Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdin is a regular file (`< capture.pcap`) rather than a pipe or a terminal, which are read live. */
  stdinIsFile?: boolean;
  /** Set by Ctrl-C: stop reading and finish. */
  interrupt?: Interrupt;
  /** Milliseconds of wall time (Date.now when not given), for what is done every so often. */
  clock?: () => number;
}

// Text is gathered into strings of about this size before each write: fewer, larger writes
// cost measurably less CPU than 4 KiB ones (about 15 % of a jsonl decode).
const WRITE_SIZE = 64 * 1024;
/** Longest a live output keeps text before handing it on, in milliseconds. */
export const LIVE_DELAY_MS = 100;

/** An {@link Output} over a Node writable stream (process.stdout, process.stderr). */
export class StreamOutput implements Output {
  /**
   * Live output (the input is a pipe or a terminal): text is handed on within
   * {@link LIVE_DELAY_MS} of being written, not only once 64 KiB have gathered.
   */
  live = false;
  private pending = '';
  /** When the oldest pending text was written (live only). */
  private pendingSince = 0;
  private behind = false;
  private gone = false;
  // One waiter for the destination to drain, close or fail, shared by every flush.
  private waiting: Promise<void> | undefined = undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream & {
      isTTY?: boolean;
      columns?: number;
      readonly writableNeedDrain?: boolean;
    },
    private readonly now: () => number = Date.now,
  ) {
    stream.on('error', () => {
      // EPIPE and friends: the reader is gone; the command stops writing and ends quietly.
      this.gone = true;
      this.behind = false;
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }
  get columns(): number {
    return this.stream.columns ?? 80;
  }
  get closed(): boolean {
    return this.gone;
  }
  get backlogged(): boolean {
    return this.behind;
  }

  write(text: string): void {
    if (this.live && this.pending.length === 0) this.pendingSince = this.now();
    this.pending += text;
    if (this.pending.length >= WRITE_SIZE || (this.live && this.now() - this.pendingSince >= LIVE_DELAY_MS))
      this.push();
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.pending.length > 0) this.push();
    if (this.gone) return;
    if (!this.stream.write(bytes)) this.behind = true;
  }

  async flush(): Promise<void> {
    if (this.pending.length > 0) this.push();
    // The destination may have drained while the command waited for input or yielded to the
    // event loop: its 'drain' came before anyone listened, and waiting for another would leave
    // nothing keeping the process alive (it would end without its output or summary).
    if (this.behind && !this.gone && this.stream.writableNeedDrain !== false) await this.drained();
    this.behind = false;
  }

  push(): void {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    if (this.gone) return;
    if (!this.stream.write(text)) this.behind = true;
  }

  // Settles on the first of drain, close and error, then takes its listeners off again.
  private drained(): Promise<void> {
    this.waiting ??= new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        this.waiting = undefined;
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
    return this.waiting;
  }
}

/** An {@link Output} that keeps everything in memory, for tests and for capturing text. */
export class MemoryOutput implements Output {
  readonly chunks: (string | Uint8Array)[] = [];
  live = false;
  readonly backlogged = false;
  readonly closed = false;

  constructor(
    readonly isTTY = false,
    readonly columns = 80,
  ) {}

  write(text: string): void {
    if (text.length > 0) this.chunks.push(text);
  }
  writeBytes(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
  }
  async flush(): Promise<void> {}
  push(): void {}

  /** Everything written, text and bytes, as text. */
  text(): string {
    const decoder = new TextDecoder();
    return this.chunks.map((c) => (typeof c === 'string' ? c : decoder.decode(c))).join('');
  }
  /** Everything written, as bytes. */
  bytes(): Uint8Array {
    const encoder = new TextEncoder();
    return concatBytes(this.chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c)));
  }
}

/** The process's own stdout, stderr, stdin and environment. */
export function processIo(): CliIo {
  return {
    stdout: new StreamOutput(process.stdout),
    stderr: new StreamOutput(process.stderr),
    stdin: process.stdin,
    env: process.env,
    stdinIsFile: isFile(0),
    interrupt: new Interrupt(process),
  };
}

function isFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}
