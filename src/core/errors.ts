/**
 * The exception hierarchy. Every failure amps-wire reports for bad input or invalid use is one of
 * these, each with a stable `code` so callers match on a constant rather than on prose.
 */

import { escapeControls } from './controls.js';

/** Stable error codes carried by {@link AMPSException.code}. */
export type ErrorCode =
  | 'AMPS_ERROR'
  | 'AMPS_BAD_JSON'
  | 'AMPS_BAD_FIX'
  | 'AMPS_BAD_XML'
  | 'AMPS_BAD_BODY'
  | 'AMPS_BAD_INTEGER'
  | 'AMPS_TRUNCATED'
  | 'AMPS_TOO_DEEP'
  | 'AMPS_FRAME_TOO_LARGE'
  | 'AMPS_FRAME_TRUNCATED'
  | 'AMPS_BAD_SOW_BATCH'
  | 'AMPS_BAD_CAPTURE'
  | 'AMPS_UNENCODABLE'
  | 'AMPS_UNKNOWN_FIELD'
  | 'AMPS_BUFFER_TOO_SMALL'
  | 'AMPS_INVALID_ARGUMENT'
  | 'AMPS_UNKNOWN_PROTOCOL'
  | 'AMPS_TOO_MANY_FIELDS'
  | 'AMPS_VALUE_TOO_LONG'
  | 'AMPS_UNSUPPORTED';

/**
 * Base class of every error amps-wire throws. Its message may quote names and values from the
 * wire, with their control characters (C0, DEL, C1) written as `\xNN`, so it is safe to print.
 */
export class AMPSException extends Error {
  /** A stable identifier for the kind of failure, e.g. `AMPS_BAD_JSON`. */
  readonly code: ErrorCode;

  constructor(message: string, code: ErrorCode = 'AMPS_ERROR') {
    // Messages quote names and values from the wire: their control characters are escaped so a
    // message can be logged or printed as it is.
    super(escapeControls(message));
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Malformed or truncated bytes. `offset` is the position in the input where decoding failed;
 * `protocol` names the codec that was reading, when known.
 */
export class StreamException extends AMPSException {
  /** Byte offset into the input at which the problem was found. */
  readonly offset: number;
  /** The protocol being decoded (`amps`, `fix`, `nvfix`, `xml`, `frame`, ...), when known. */
  readonly protocol: string | undefined;

  constructor(message: string, code: ErrorCode, offset: number, protocol?: string) {
    super(protocol === undefined ? `${message} at byte ${offset}` : `${protocol}: ${message} at byte ${offset}`, code);
    this.offset = offset;
    this.protocol = protocol;
  }
}

/** Invalid use: a value the chosen protocol cannot carry, a buffer too small, a bad argument. */
export class CommandException extends AMPSException {
  /** For `AMPS_BUFFER_TOO_SMALL`, the number of bytes the encoding needs; otherwise undefined. */
  readonly needed: number | undefined;

  constructor(message: string, code: ErrorCode = 'AMPS_INVALID_ARGUMENT', needed?: number) {
    super(message, code);
    this.needed = needed;
  }
}

/** An unknown protocol or message type name. */
export class MessageTypeException extends AMPSException {
  constructor(message: string) {
    super(message, 'AMPS_UNKNOWN_PROTOCOL');
  }
}
