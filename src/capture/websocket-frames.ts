/**
 * WebSocket frames to WebSocket messages, one direction (RFC 6455 section 5, RFC 7692).
 *
 * Grammar:
 *   frame   = b0 b1 [ext-len] [mask-key] payload
 *   b0      = FIN(1) RSV1(1) RSV2(1) RSV3(1) opcode(4)
 *   b1      = MASK(1) len7(7)            ; len7 126: 16-bit length follows, 127: 64-bit
 *   opcode  = 0 continuation / 1 text / 2 binary / 8 close / 9 ping / 10 pong
 *   message = first-frame(opcode 1|2, FIN 0) *continuation(FIN 0) continuation(FIN 1)
 *           / frame(opcode 1|2, FIN 1)
 * Control frames (opcode ≥ 8, at most 125 bytes, never fragmented) may come between the frames
 * of a message; they carry no AMPS and are skipped. Masked payloads are unmasked with their key.
 * RSV1 on a message's first frame means permessage-deflate: the message's payloads together are
 * raw DEFLATE without its final `00 00 ff ff`.
 *
 * Memory: one frame header (at most 14 bytes) and one partial message, which may not pass
 * `maxMessageLength` (compressed or inflated): a longer one is refused before it is held.
 */
import { ByteSlab } from './byte-slab.js';
import type { Inflater } from './transport-support.js';

/** Receives what a {@link WebSocketFrames} finds. */
export interface WebSocketMessageHandler {
  /** A whole data message, unmasked and inflated; its bytes stay valid after the call. */
  wsMessage(text: boolean, payload: Uint8Array): void;
  /** The frames cannot be read on (bad framing, a message too large, corrupt compression). */
  wsProblem(message: string): void;
  /**
   * The stream ended inside a message: `frameLength` is the payload length its one frame
   * declared (undefined when it spans frames or its header is cut), `bytesPresent` the bytes seen.
   */
  wsCutOff(frameLength: number | undefined, bytesPresent: number): void;
}

const HEAD = 0;
const PAYLOAD = 1;
const STOPPED = 2;

const DEFLATE_TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/** Reads one direction's WebSocket frames. */
export class WebSocketFrames {
  /** Data messages read. */
  messages = 0;
  private state = HEAD;
  private readonly head = new Uint8Array(14);
  private headHave = 0;
  private headNeed = 2;
  // The frame being read.
  private opcode = 0;
  private masked = false;
  private readonly mask = new Uint8Array(4);
  private frameLength = 0;
  private payloadLeft = 0;
  // The message being gathered (the list is reused from message to message: it never leaves this object).
  private readonly parts: Uint8Array[] = [];
  private messageLength = 0;
  private messageFrames = 0;
  private messageText = false;
  private compressed = false;
  private inMessage = false;
  private inflater: Inflater | undefined = undefined;
  private readonly slab = new ByteSlab();
  /** Compressed input gathered with its tail, reused from message to message. */
  private scratch = new Uint8Array(0);

  constructor(
    private readonly handler: WebSocketMessageHandler,
    private readonly maxMessageLength: number,
    private readonly newInflater: (() => Inflater) | undefined,
  ) {}

  /** The next bytes of the direction after its upgrade head. */
  push(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    while (i < n && this.state !== STOPPED) {
      if (this.state === HEAD) {
        // Fast path: a whole unmasked, unfragmented data frame inside this chunk is handed on as
        // a view, or inflated from the chunk when it is compressed.
        if (this.headHave === 0 && !this.inMessage && n - i >= 2) {
          const end = this.wholeFrame(bytes, i);
          if (end >= 0) {
            i = end;
            continue;
          }
        }
        while (i < n && this.headHave < this.headNeed) this.head[this.headHave++] = bytes[i++]!;
        if (this.headHave < this.headNeed) return;
        if (!this.headRead()) return;
        if (this.state === HEAD) continue;
      }
      const take = Math.min(this.payloadLeft, n - i);
      this.payload(bytes.subarray(i, i + take));
      i += take;
      this.payloadLeft -= take;
      if (this.payloadLeft === 0) this.frameDone();
    }
  }

  /**
   * Reads the frame at `i` when it is a whole data message (FIN set, unmasked, at most 64 KiB
   * and within the limit) inside `bytes`: returns where it ends, or -1 to read it the long way.
   */
  private wholeFrame(bytes: Uint8Array, i: number): number {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1]!;
    const opcode = b0 & 0x0f;
    // FIN, RSV2 and RSV3 clear, text or binary, no mask.
    if ((b0 & 0xb0) !== 0x80 || opcode === 0 || opcode > 2 || b1 > 126) return -1;
    let start = i + 2;
    let length = b1;
    if (b1 === 126) {
      if (bytes.length - i < 4) return -1;
      length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
      start = i + 4;
    }
    const end = start + length;
    if (end > bytes.length || length > this.maxMessageLength) return -1;
    let payload = bytes.subarray(start, end);
    if (b0 & 0x40) {
      const inflated = this.inflate(this.withTail(payload, length));
      if (inflated === undefined) return bytes.length;
      payload = inflated;
    }
    this.messages++;
    this.handler.wsMessage(opcode === 1, payload);
    return end;
  }

  /** The direction ended (or lost bytes): a message in the middle is reported cut off. */
  end(): void {
    if (this.state === STOPPED) return;
    const inData = this.state === PAYLOAD && (this.opcode & 0x0f) < 8;
    if (this.inMessage || this.headHave > 0) {
      // A message's one frame, cut in its payload, says how long it was meant to be.
      const single = inData && this.messageFrames === 0;
      this.handler.wsCutOff(single ? this.frameLength : undefined, this.messageLength + this.headHave);
    }
    this.stop();
  }

  /** Parses a complete header; false when it is bad (the direction stops). */
  private headRead(): boolean {
    const h = this.head;
    if (this.headNeed === 2) {
      const len7 = h[1]! & 0x7f;
      this.headNeed = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (h[1]! & 0x80 ? 4 : 0);
      if (this.headNeed > 2) return true;
    }
    const b0 = h[0]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const len7 = h[1]! & 0x7f;
    let at = 2;
    let length = len7;
    if (len7 === 126) {
      length = (h[2]! << 8) | h[3]!;
      at = 4;
    } else if (len7 === 127) {
      const high = ((h[2]! << 24) | (h[3]! << 16) | (h[4]! << 8) | h[5]!) >>> 0;
      const low = ((h[6]! << 24) | (h[7]! << 16) | (h[8]! << 8) | h[9]!) >>> 0;
      length = high * 2 ** 32 + low;
      at = 10;
    }
    this.masked = (h[1]! & 0x80) !== 0;
    if (this.masked) this.mask.set(h.subarray(at, at + 4));
    if (b0 & 0x30) return this.problem(`frame with reserved bits ${((b0 >> 4) & 7).toString(2).padStart(3, '0')} set`);
    if (opcode >= 8) {
      if (opcode > 10) return this.problem(`frame with unknown control opcode ${opcode}`);
      if (!fin || length > 125)
        return this.problem(
          `control frame (opcode ${opcode}) ${fin ? `of ${length} bytes, more than 125` : 'fragmented'}`,
        );
    } else if (opcode === 0) {
      if (!this.inMessage) return this.problem('continuation frame outside a message');
      if (b0 & 0x40) return this.problem('continuation frame with RSV1 set');
    } else if (opcode <= 2) {
      if (this.inMessage)
        return this.problem(`new ${opcode === 1 ? 'text' : 'binary'} message before the previous one ended`);
      this.inMessage = true;
      this.messageText = opcode === 1;
      this.compressed = (b0 & 0x40) !== 0;
      this.messageFrames = 0;
    } else {
      return this.problem(`frame with unknown data opcode ${opcode}`);
    }
    if (opcode < 8 && this.messageLength + length > this.maxMessageLength) {
      return this.problem(`message of more than ${this.maxMessageLength} bytes (the limit): not read`);
    }
    this.opcode = opcode;
    this.frameLength = length;
    this.payloadLeft = length;
    this.headHave = 0;
    this.headNeed = 2;
    // Data frames' FIN is kept in the opcode's high bit for frameDone.
    if (fin) this.opcode |= 0x80;
    this.state = PAYLOAD;
    if (length === 0) this.frameDone();
    return true;
  }

  private payload(piece: Uint8Array): void {
    if ((this.opcode & 0x0f) >= 8 || piece.length === 0) return;
    let bytes = piece;
    if (this.masked) {
      bytes = this.slab.alloc(piece.length);
      // The key's position continues from the bytes of this frame already read.
      let k = (this.frameLength - this.payloadLeft) & 3;
      const mask = this.mask;
      for (let j = 0; j < piece.length; j++) {
        bytes[j] = piece[j]! ^ mask[k]!;
        k = (k + 1) & 3;
      }
    }
    this.parts.push(bytes);
    this.messageLength += bytes.length;
  }

  private frameDone(): void {
    this.state = HEAD;
    const opcode = this.opcode & 0x0f;
    if (opcode >= 8) {
      if (opcode === 8) this.stop(); // close: nothing more is read in this direction
      return;
    }
    this.messageFrames++;
    if (!(this.opcode & 0x80)) return;
    const parts = this.parts;
    const text = this.messageText;
    let payload: Uint8Array | undefined;
    if (this.compressed) {
      payload = this.inflate(this.withTail(parts, this.messageLength));
      if (payload === undefined) return;
    } else {
      payload = parts.length === 1 ? parts[0]! : parts.length === 0 ? new Uint8Array(0) : this.join();
    }
    this.parts.length = 0;
    this.messageLength = 0;
    this.inMessage = false;
    this.messageFrames = 0;
    this.messages++;
    this.handler.wsMessage(text, payload);
  }

  private join(): Uint8Array {
    const out = this.slab.alloc(this.messageLength);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  // A compressed message inflated; undefined when it cannot be (the direction stops).
  private inflate(input: Uint8Array): Uint8Array | undefined {
    this.inflater ??= this.newInflater?.();
    if (this.inflater === undefined) {
      this.problem('compressed (permessage-deflate) message, and no inflater was given');
      return undefined;
    }
    const inflated = this.inflater.inflate(input, this.maxMessageLength);
    if (typeof inflated === 'string') {
      this.problem(`compressed message not inflated: ${inflated}`);
      return undefined;
    }
    return inflated;
  }

  // A message's compressed bytes (`length` in all) and the 00 00 ff ff its sender left off, in a
  // reused buffer: the inflater reads them during the call only.
  private withTail(parts: Uint8Array | readonly Uint8Array[], length: number): Uint8Array {
    const need = length + 4;
    if (this.scratch.length < need) this.scratch = new Uint8Array(Math.max(need, 2 * this.scratch.length, 4096));
    const scratch = this.scratch;
    if (parts instanceof Uint8Array) {
      scratch.set(parts, 0);
    } else {
      let at = 0;
      for (const p of parts) {
        scratch.set(p, at);
        at += p.length;
      }
    }
    scratch.set(DEFLATE_TAIL, length);
    return scratch.subarray(0, need);
  }

  private problem(message: string): false {
    this.handler.wsProblem(message);
    this.stop();
    return false;
  }

  private stop(): void {
    this.state = STOPPED;
    this.parts.length = 0;
    this.messageLength = 0;
    this.inMessage = false;
    this.inflater = undefined;
  }
}
