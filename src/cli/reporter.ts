/**
 * The decode command's frame handler: chooses each stream's protocol, decodes each frame,
 * applies the filters, writes the chosen format to stdout, keeps the counters, and sends
 * notices and warnings where the format wants them.
 */
import type { CaptureHandler } from '../capture/capture-decoder.js';
import type { FrameStream, StreamNotice } from '../capture/frame-stream.js';
import { AMPSException, MessageTypeException, type StreamException } from '../core/errors.js';
import { Field } from '../core/fields.js';
import { Message } from '../core/message.js';
import type { Format, FrameTime } from './format.js';
import type { Output } from './io.js';
import type { ProtocolChooser } from './protocol-choice.js';
import { DecodeStats } from './stats.js';
import { escapeControls } from './text.js';

/** Which frames to show. */
export interface Filters {
  /** Shows directions whose `conn` contains this text. */
  conn: string | undefined;
  /** Shows frames whose Command is one of these. */
  commands: ReadonlySet<string> | undefined;
  /** Shows frames whose Topic matches one of these patterns (`*` matches any run of characters). */
  topics: readonly string[] | undefined;
}

/** Options of a {@link FrameReporter}. */
export interface ReporterOptions {
  format: Format;
  chooser: ProtocolChooser;
  filters: Filters;
  stdout: Output;
  stderr: Output;
  /** No notices or warnings on stderr. */
  quiet: boolean;
}

// Past this many, notices and warnings on stderr are only counted.
const STDERR_LINES = 50;

/** Handles the frames of every input of one decode run. */
export class FrameReporter implements CaptureHandler {
  readonly stats = new DecodeStats();
  /** The capture time source of the current input, if it has one. */
  clock: FrameTime | undefined = undefined;
  private readonly message = new Message();
  private readonly time: FrameTime = { seconds: 0, nanos: 0 };
  private stderrLines = 0;
  /** Whether part of the current frame's text has been written. */
  private partial = false;
  private readonly writePart = (text: string): void => {
    this.partial = true;
    this.o.stdout.write(text);
  };

  constructor(private readonly o: ReporterOptions) {}

  frame(stream: FrameStream, payload: Uint8Array): void {
    const stats = this.stats;
    stats.frames++;
    const f = this.o.filters;
    if (f.conn !== undefined && !stream.conn.includes(f.conn)) return;
    const proto = this.o.chooser.choose(stream, payload);
    const time = this.now();
    if (proto === undefined) {
      stats.decodeErrors++;
      const error = new MessageTypeException(`cannot tell the protocol from the first bytes ${firstBytes(payload)}; name it with --protocol or --port`);
      this.emit(this.o.format.error(stream.conn, stream.index, undefined, payload.length, error, time));
      return;
    }
    let text: string;
    try {
      const m = proto.decode(payload, this.message);
      const command = m.get(Field.Command);
      stats.decoded(proto.name, command, m.recordCount);
      if (!this.passes(command, m)) return;
      text = this.o.format.frame({ conn: stream.conn, index: stream.index, protocol: proto.name, frameLength: payload.length, message: m, time, write: this.writePart });
    } catch (err) {
      if (!(err instanceof AMPSException)) throw err;
      stats.decodeErrors++;
      // A frame whose text was partly written gets its line ended before the error's.
      text = (this.partial ? '\n' : '') + this.o.format.error(stream.conn, stream.index, proto.name, payload.length, err, time);
    }
    if (this.partial && text === '') this.stats.shown++;
    this.partial = false;
    this.emit(text);
  }

  truncated(stream: FrameStream, frameLength: number | undefined, bytesPresent: number): void {
    this.stats.truncated++;
    if (!this.showsConn(stream)) return;
    this.emit(this.o.format.truncated(stream.conn, stream.index, frameLength, bytesPresent, this.now()));
  }

  frameError(stream: FrameStream, error: StreamException, frameLength: number): void {
    this.stats.frameErrors++;
    if (!this.showsConn(stream)) return;
    const proto = this.o.chooser.state(stream).protocol;
    this.emit(this.o.format.error(stream.conn, stream.index, proto?.name, frameLength, error, this.now()));
  }

  notice(stream: FrameStream, notice: StreamNotice): void {
    this.stats.notices.set(notice.kind, (this.stats.notices.get(notice.kind) ?? 0) + 1);
    if (!this.showsConn(stream)) return;
    // Other traffic in a capture can be many connections: those notices stay on stderr, capped.
    if (this.o.format.noticesInline && notice.kind !== 'not-amps') this.emit(this.o.format.notice(stream.conn, notice));
    else this.toStderr(`${stream.conn}: ${notice.kind}: ${notice.message}`);
  }

  warning(error: StreamException): void {
    this.stats.warnings++;
    this.toStderr(`warning: ${error.message}`);
  }

  /** Whether notices, warnings and the summary stay off stderr. */
  get quiet(): boolean {
    return this.o.quiet;
  }

  /** Writes a line to stderr, unless quiet or past the limit. */
  toStderr(line: string): void {
    if (this.o.quiet) return;
    if (++this.stderrLines > STDERR_LINES) {
      if (this.stderrLines === STDERR_LINES + 1) this.o.stderr.write('amps-wire: further notices and warnings are only counted in the summary\n');
      return;
    }
    this.o.stderr.write(`amps-wire: ${escapeControls(line)}\n`);
  }

  private emit(text: string): void {
    if (text === '') return;
    this.stats.shown++;
    this.o.stdout.write(text);
  }

  private now(): FrameTime | undefined {
    const clock = this.clock;
    if (clock === undefined) return undefined;
    this.time.seconds = clock.seconds;
    this.time.nanos = clock.nanos;
    return this.time;
  }

  private showsConn(stream: FrameStream): boolean {
    const conn = this.o.filters.conn;
    return conn === undefined || stream.conn.includes(conn);
  }

  private passes(command: string | undefined, m: Message): boolean {
    const f = this.o.filters;
    if (f.commands !== undefined && (command === undefined || !f.commands.has(command))) return false;
    if (f.topics !== undefined) {
      const topic = m.get(Field.Topic);
      if (topic === undefined || !f.topics.some((p) => globMatch(p, topic))) return false;
    }
    return true;
  }
}

/** Whether `text` matches `pattern`, where `*` matches any run of characters (nothing else is special). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function firstBytes(payload: Uint8Array): string {
  const n = Math.min(8, payload.length);
  if (n === 0) return '(the frame is empty)';
  return Array.from(payload.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
