/**
 * Where the command line reads and writes: stdout, stderr, stdin and the environment, behind a
 * small interface so the commands run the same under test (in memory) as in a terminal.
 */
import { once } from 'node:events';
import { concatBytes } from '../core/bytes.js';

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
}

// Text is gathered into strings of about this size before each write.
const WRITE_SIZE = 4 * 1024;

/** An {@link Output} over a Node writable stream (process.stdout, process.stderr). */
export class StreamOutput implements Output {
  private pending = '';
  private behind = false;
  private gone = false;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {
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
    this.pending += text;
    if (this.pending.length >= WRITE_SIZE) this.push();
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.pending.length > 0) this.push();
    if (this.gone) return;
    if (!this.stream.write(bytes)) this.behind = true;
  }

  async flush(): Promise<void> {
    if (this.pending.length > 0) this.push();
    if (this.behind && !this.gone) {
      await Promise.race([once(this.stream, 'drain'), once(this.stream, 'close'), once(this.stream, 'error')]).catch(() => undefined);
      this.behind = false;
    }
  }

  private push(): void {
    const text = this.pending;
    this.pending = '';
    if (this.gone) return;
    if (!this.stream.write(text)) this.behind = true;
  }
}

/** An {@link Output} that keeps everything in memory, for tests and for capturing text. */
export class MemoryOutput implements Output {
  readonly chunks: (string | Uint8Array)[] = [];
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
  };
}
