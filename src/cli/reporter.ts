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
import type { FrameFilter } from './filters.js';
import type { FrameSink } from './frame-writer.js';
import type { ProtocolChooser } from './protocol-choice.js';
import { DecodeStats } from './stats.js';
import { escapeControls } from './text.js';

/** Options of a {@link FrameReporter}. */
export interface ReporterOptions {
  format: Format;
  chooser: ProtocolChooser;
  filters: FrameFilter;
  stdout: Output;
  stderr: Output;
  /** No notices or warnings on stderr. */
  quiet: boolean;
  /** `-w`: kept frames go to this file instead of stdout. */
  sink?: FrameSink;
}

// Past this many, notices and warnings on stderr are only counted.
const STDERR_LINES = 50;

/** Handles the frames of every input of one decode run. */
export class FrameReporter implements CaptureHandler {
  readonly stats = new DecodeStats();
  /** The capture time source of the current input, if it has one. */
  clock: FrameTime | undefined = undefined;
  private readonly message = new Message();
  private readonly time: FrameTime = { seconds: 0, nanos: 0, digits: 6 };
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
    if (!f.keepsConn(stream.conn)) return;
    const proto = this.o.chooser.choose(stream, payload);
    const time = this.now();
    if (!f.keepsTime(time)) return;
    if (proto === undefined) {
      stats.decodeErrors++;
      const error = new MessageTypeException(
        `cannot tell the protocol from the first bytes ${firstBytes(payload)}; name it with --protocol or --port`,
      );
      this.keep(stream, payload, time, () =>
        this.o.format.error(stream.conn, stream.index, undefined, payload.length, error, time, stream.transport),
      );
      return;
    }
    let text: () => string;
    try {
      const m = proto.decode(payload, this.message);
      const command = m.get(Field.Command);
      stats.decoded(proto.name, command, m.recordCount);
      stats.byTransport.set(stream.transport, (stats.byTransport.get(stream.transport) ?? 0) + 1);
      if (!this.o.filters.keepsMessage(m)) return;
      if (this.o.sink !== undefined) {
        this.keep(stream, payload, time, () => '');
        return;
      }
      const frameText = this.o.format.frame({
        conn: stream.conn,
        index: stream.index,
        protocol: proto.name,
        frameLength: payload.length,
        message: m,
        time,
        transport: stream.transport,
        write: this.writePart,
      });
      // A frame written whole in parts leaves no text, and is shown all the same.
      if (this.partial && frameText === '') this.stats.shown++;
      this.partial = false;
      text = () => frameText;
    } catch (err) {
      if (!(err instanceof AMPSException)) throw err;
      stats.decodeErrors++;
      // A frame whose text was partly written gets its line ended before the error's.
      const cut = this.partial ? '\n' : '';
      this.partial = false;
      text = () =>
        cut + this.o.format.error(stream.conn, stream.index, proto.name, payload.length, err, time, stream.transport);
    }
    this.keep(stream, payload, time, text);
  }

  // A frame that passed the filters: to the -w file when there is one, else its text to stdout.
  private keep(stream: FrameStream, payload: Uint8Array, time: FrameTime | undefined, text: () => string): void {
    if (this.o.sink === undefined) {
      this.emit(text());
      return;
    }
    this.stats.shown++;
    this.o.sink.frame(stream, payload, time);
  }

  truncated(stream: FrameStream, frameLength: number | undefined, bytesPresent: number): void {
    this.stats.truncated++;
    const time = this.now();
    if (!this.shows(stream, time)) return;
    this.emit(this.o.format.truncated(stream.conn, stream.index, frameLength, bytesPresent, time, stream.transport));
  }

  frameError(stream: FrameStream, error: StreamException, frameLength: number): void {
    this.stats.frameErrors++;
    const time = this.now();
    if (!this.shows(stream, time)) return;
    const proto = this.o.chooser.state(stream).protocol;
    this.emit(this.o.format.error(stream.conn, stream.index, proto?.name, frameLength, error, time, stream.transport));
  }

  notice(stream: FrameStream, notice: StreamNotice): void {
    this.stats.notices.set(notice.kind, (this.stats.notices.get(notice.kind) ?? 0) + 1);
    if (!this.o.filters.keepsConn(stream.conn)) return;
    // Other traffic in a capture can be many connections, and a TLS connection without keys
    // prints nothing on stdout: those notices stay on stderr, capped.
    if (
      this.o.format.noticesInline &&
      this.o.sink === undefined &&
      notice.kind !== 'not-amps' &&
      notice.kind !== 'no-keys'
    )
      this.emit(this.o.format.notice(stream.conn, notice));
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
      if (this.stderrLines === STDERR_LINES + 1)
        this.o.stderr.write('amps-wire: further notices and warnings are only counted in the summary\n');
      return;
    }
    this.o.stderr.write(`amps-wire: ${escapeControls(line)}\n`);
  }

  private emit(text: string): void {
    // With -w, stdout stays quiet: the frames go to the file, the rest to the summary.
    if (text === '' || this.o.sink !== undefined) return;
    this.stats.shown++;
    this.o.stdout.write(text);
  }

  private now(): FrameTime | undefined {
    const clock = this.clock;
    if (clock === undefined) return undefined;
    this.time.seconds = clock.seconds;
    this.time.nanos = clock.nanos;
    this.time.digits = clock.digits;
    return this.time;
  }

  private shows(stream: FrameStream, time: FrameTime | undefined): boolean {
    return this.o.filters.keepsConn(stream.conn) && this.o.filters.keepsTime(time);
  }
}

function firstBytes(payload: Uint8Array): string {
  const n = Math.min(8, payload.length);
  if (n === 0) return '(the frame is empty)';
  return Array.from(payload.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}
