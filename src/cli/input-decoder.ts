/**
 * One input through the whole pipeline, chunk by chunk: a pcap or pcapng capture (told by its
 * magic number) goes through the CaptureDecoder, anything else is read as a raw stream of
 * frames, one direction named after the input.
 */
import {
  CaptureDecoder,
  captureFormat,
  type CaptureDecoderOptions,
  type CaptureHandler,
} from '../capture/capture-decoder.js';
import { FrameStream } from '../capture/frame-stream.js';
import { concatBytes } from '../core/bytes.js';
import { StreamException } from '../core/errors.js';

/** What an input turned out to be. */
export type InputKind = 'pcap' | 'pcapng' | 'frames';

/** Feeds one input to a handler. */
export class InputDecoder {
  /** Known once the first four bytes arrived. */
  kind: InputKind | undefined = undefined;
  /** The capture decoder, for a capture (its `seconds`/`nanos` tell the current packet's time). */
  capture: CaptureDecoder | undefined = undefined;
  /** Bytes taken so far. */
  bytes = 0;
  private raw: FrameStream | undefined = undefined;
  private head: Uint8Array[] = [];
  private headLength = 0;
  private failure: StreamException | undefined = undefined;

  constructor(
    private readonly name: string,
    private readonly handler: CaptureHandler,
    private readonly options: CaptureDecoderOptions,
    /** Refuse anything but a capture (the input is named like one). */
    private readonly requireCapture = false,
    /** Called when the input turns out to be a capture, before its first packet is read. */
    private readonly onCapture?: (capture: CaptureDecoder) => void,
  ) {}

  /** Takes the next chunk. A capture found corrupt stops taking bytes; {@link end} reports it. */
  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.failure !== undefined) return;
    if (this.kind === undefined) {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < 4) return;
      this.start();
      return;
    }
    this.feed(chunk);
  }

  /** Ends the input; returns the error that made a capture unreadable, if any. */
  end(): StreamException | undefined {
    if (this.kind === undefined) this.start();
    try {
      if (this.capture !== undefined) this.capture.end();
      else this.raw!.end('eof');
    } catch (err) {
      if (!(err instanceof StreamException)) throw err;
      this.failure ??= err;
    }
    return this.failure;
  }

  private start(): void {
    const head = this.head.length === 1 ? this.head[0]! : concatBytes(this.head, this.headLength);
    this.head = [];
    const format = captureFormat(head);
    if (format !== undefined || this.requireCapture) {
      // A CaptureDecoder refuses a file that is not a capture with a clear error.
      this.kind = format ?? 'pcap';
      this.capture = new CaptureDecoder(this.handler, this.options);
      this.onCapture?.(this.capture);
    } else {
      this.kind = 'frames';
      this.raw = new FrameStream(this.name, this.handler, this.options);
      this.raw.begin(true);
    }
    if (head.length > 0) this.feed(head);
  }

  private feed(chunk: Uint8Array): void {
    if (this.raw !== undefined) {
      this.raw.data(chunk, false);
      return;
    }
    try {
      this.capture!.push(chunk);
    } catch (err) {
      if (!(err instanceof StreamException)) throw err;
      this.failure = err;
    }
  }
}
