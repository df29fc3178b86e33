/** What an output format turns into text: decoded frames, failures, truncations and notices. */
import type { StreamNotice } from '../capture/frame-stream.js';
import type { AMPSException } from '../core/errors.js';
import type { Message } from '../core/message.js';
import type { Transport } from '../capture/transport-support.js';

/** Capture time of a frame (the packet that completed it). */
export interface FrameTime {
  seconds: number;
  nanos: number;
  /** Fraction digits the capture's clock resolves (6 when not given). */
  digits?: number | undefined;
}

/** One decoded frame, as handed to a format. */
export interface DecodedFrame {
  conn: string;
  index: number;
  protocol: string;
  /** Payload length (the frame's length prefix; over WebSocket, header + body of the AMPS message). */
  frameLength: number;
  message: Message;
  time: FrameTime | undefined;
  /** How the message travelled: `tcp`, `ws`, `tls` or `tls/ws`. */
  transport: Transport;
  /**
   * Where a frame whose text grows long (a SOW batch of many records) writes it in parts as it
   * goes, so that its text is never held whole; what `frame` returns is the rest.
   */
  write?: (text: string) => void;
}

/** Text length past which a format hands what it has so far to {@link DecodedFrame.write}. */
export const FLUSH_AT = 64 * 1024;

/** An output format. Each method returns the text to write to stdout (with its newline), or '' for nothing. */
export interface Format {
  /** May throw AMPSException: field values are decoded lazily, while formatting. */
  frame(frame: DecodedFrame): string;
  error(
    conn: string,
    index: number,
    protocol: string | undefined,
    frameLength: number | undefined,
    error: AMPSException,
    time: FrameTime | undefined,
    transport?: Transport,
  ): string;
  truncated(
    conn: string,
    index: number,
    frameLength: number | undefined,
    bytesPresent: number,
    time: FrameTime | undefined,
    transport?: Transport,
  ): string;
  /** A stream notice, when {@link noticesInline}. */
  notice(conn: string, notice: StreamNotice): string;
  /** Whether notices go into this output (human) or to stderr (jsonl, whose stdout holds frames only). */
  readonly noticesInline: boolean;
}
