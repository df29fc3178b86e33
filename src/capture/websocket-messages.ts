/**
 * WebSocket messages to AMPS messages, one direction (WIRE.md section 7). Two framings:
 *
 * The JavaScript client's:
 *   direction   = [mode-word] *amps-message
 *   mode-word   = text message "text" / "binary"
 *   amps-message = count header [body]            ; client: count = binary, 4-byte LE message count
 *               / header [body]                    ; server: body after a publish (`p`,
 *               / sow-header 2*bs(record-header record-body)   `publish`, `delta_publish`)
 *   payload     = header + body (+ record headers and bodies): the payload of WIRE.md section 2
 *
 * Binary-framed: every message is binary and the messages of a direction, end to end, are the
 * 4-byte-framed byte stream of section 1 (a frame may span messages, a message hold several).
 *
 * A direction's first data message tells which: a binary message of 5 bytes or more opening
 * with a plausible big-endian length is binary-framed; anything else is the client's framing.
 */
import { Field } from '../core/fields.js';
import { Message } from '../core/message.js';
import { AMPSException } from '../core/errors.js';
import { amps } from '../json/index.js';
import { readUint32BE } from '../core/bytes.js';
import { ByteSlab } from './byte-slab.js';
import type { FrameStream } from './frame-stream.js';
import type { WebSocketMessageHandler } from './websocket-frames.js';

const UNKNOWN = 0;
const CLIENT_FRAMING = 1;
const BINARY_FRAMED = 2;
const STOPPED = 3;

/** Commands whose header the server follows with a body message. */
const WITH_BODY = new Set(['p', 'publish', 'delta_publish']);

/** AMPS messages from the WebSocket messages of one direction, handed to its {@link FrameStream}. */
export class WebSocketAmps implements WebSocketMessageHandler {
  private mode = UNKNOWN;
  /** Messages still to come of the AMPS message being gathered. */
  private expect = 0;
  /** Messages a count announced, before its header arrived. */
  private counted = 0;
  // Reused from message to message: it never leaves this object.
  private readonly parts: Uint8Array[] = [];
  /** Whether the parts so far lie one after the other in one buffer. */
  private adjacent = true;
  private length = 0;
  private readonly header = new Message();
  private readonly slab = new ByteSlab();

  constructor(
    private readonly out: FrameStream,
    private readonly maxLength: number,
  ) {}

  wsMessage(text: boolean, payload: Uint8Array): void {
    if (this.mode === BINARY_FRAMED) {
      this.out.data(payload, false);
      return;
    }
    if (this.mode === UNKNOWN) {
      if (!text && payload.length >= 5) {
        const length = readUint32BE(payload, 0);
        if (length > 0 && length <= this.maxLength) {
          this.mode = BINARY_FRAMED;
          this.out.begin(true);
          this.out.data(payload, false);
          return;
        }
      }
      this.mode = CLIENT_FRAMING;
    }
    if (this.mode !== CLIENT_FRAMING) return;
    if (this.expect > 0) {
      this.add(payload);
      if (--this.expect === 0) this.emit();
      return;
    }
    if (!text && payload.length === 4) {
      // The client's count of the messages that make the next AMPS message.
      this.counted = (payload[0]! | (payload[1]! << 8) | (payload[2]! << 16) | (payload[3]! << 24)) >>> 0;
      return;
    }
    if (text && this.counted === 0 && isModeWord(payload)) return;
    this.add(payload);
    this.expect = this.counted > 0 ? this.counted - 1 : this.followers(payload);
    this.counted = 0;
    if (this.expect === 0) this.emit();
  }

  wsProblem(message: string): void {
    this.out.report('ws-error', 0, `${message}; the rest of this direction is not decoded`);
    this.stop();
  }

  wsCutOff(frameLength: number | undefined, bytesPresent: number): void {
    // A message cut inside the framing of section 1 is the frame stream's to report.
    if (this.mode === BINARY_FRAMED) return;
    if (this.length > 0) this.out.cutOff(undefined, this.length + bytesPresent);
    else if (frameLength !== undefined || bytesPresent > 0) this.out.cutOff(frameLength, bytesPresent);
    this.clear();
  }

  /** The direction ended: an AMPS message still missing parts is reported cut off. */
  end(): void {
    if (this.mode === CLIENT_FRAMING && this.length > 0) this.out.cutOff(undefined, this.length);
    this.stop();
  }

  // How many messages follow a server's header: its body, or its batch's records.
  private followers(header: Uint8Array): number {
    // The server writes `{"c":"<command>"` first: the common commands are told without a parse.
    if (
      header.length > 7 &&
      header[0] === 0x7b &&
      header[1] === 0x22 &&
      header[2] === 0x63 &&
      header[3] === 0x22 &&
      header[4] === 0x3a &&
      header[5] === 0x22
    ) {
      const c = header[6];
      const end = header[7];
      if (c === 0x70 && end === 0x22) return 1; // "p"
      if (end !== 0x22 && c !== 0x70 && c !== 0x64 && c !== 0x73) return 0; // not publish, delta_publish, sow
    }
    try {
      const m = amps.decode(header, this.header);
      const command = m.get(Field.Command);
      if (command === undefined) return 0;
      if (WITH_BODY.has(command)) return 1;
      if (command === 'sow') {
        const bs = m.get(Field.BatchSize);
        const n = bs === undefined ? 0 : Number(bs);
        return Number.isSafeInteger(n) && n > 0 ? 2 * n : 0;
      }
    } catch (err) {
      // Not a header this layer can read: it goes on alone, and the decoder reports it.
      if (!(err instanceof AMPSException)) throw err;
    }
    return 0;
  }

  private add(payload: Uint8Array): void {
    if (this.length + payload.length > this.maxLength) {
      this.wsProblem(`AMPS message of more than ${this.maxLength} bytes (the limit) across WebSocket messages`);
      return;
    }
    const parts = this.parts;
    if (parts.length > 0) {
      const last = parts[parts.length - 1]!;
      if (payload.buffer !== last.buffer || payload.byteOffset !== last.byteOffset + last.length) this.adjacent = false;
    }
    parts.push(payload);
    this.length += payload.length;
  }

  private emit(): void {
    const parts = this.parts;
    if (parts.length === 0) return;
    let payload = parts[0]!;
    if (parts.length > 1 && this.adjacent) {
      // Inflated messages lie one after the other in the inflater's slab: no copy needed.
      payload = new Uint8Array(payload.buffer, payload.byteOffset, this.length);
    } else if (parts.length > 1) {
      payload = this.slab.alloc(this.length);
      let at = 0;
      for (const p of parts) {
        payload.set(p, at);
        at += p.length;
      }
    }
    this.clear();
    this.out.message(payload);
  }

  private clear(): void {
    this.parts.length = 0;
    this.length = 0;
    this.adjacent = true;
  }

  private stop(): void {
    this.mode = STOPPED;
    this.clear();
    this.expect = 0;
  }
}

// `text` or `binary`: the message type mode the JavaScript client announces first.
function isModeWord(p: Uint8Array): boolean {
  if (p.length === 4) return p[0] === 0x74 && p[1] === 0x65 && p[2] === 0x78 && p[3] === 0x74;
  return (
    p.length === 6 && p[0] === 0x62 && p[1] === 0x69 && p[2] === 0x6e && p[3] === 0x61 && p[4] === 0x72 && p[5] === 0x79
  );
}
