/**
 * Which transport carries a direction, told from its first bytes, and the layers that unwrap it
 * down to AMPS messages:
 *   TCP reassembly → [TLS records → decryption →] [HTTP upgrade → WebSocket frames → messages →]
 *   AMPS messages (a {@link FrameStream}: 4-byte frames, or whole messages from WebSocket)
 *
 * First bytes:  `16 03` a TLS handshake record / `GET ` or `HTTP` an HTTP upgrade (request or
 * answer) / anything else 4-byte frames. Inside TLS the plaintext is told the same way, minus TLS.
 * A direction joined mid-stream is read as 4-byte frames: TLS and WebSocket need their start.
 */
import type { FrameStream } from './frame-stream.js';
import { opensHttp, UpgradeReader, type UpgradeHead } from './http-upgrade.js';
import type { KeyLog } from './key-log.js';
import type { EndReason, StreamSink } from './tcp.js';
import { TlsRecords } from './tls-records.js';
import { TlsConnection, TlsDirection } from './tls-session.js';
import type { CaptureCrypto, Inflater } from './transport-support.js';
import { WebSocketFrames } from './websocket-frames.js';
import { WebSocketAmps } from './websocket-messages.js';
import { DEFAULT_MAX_FRAME_LENGTH } from '../frame/index.js';

/** What the TLS and WebSocket layers are given. */
export interface TransportOptions {
  /** Secrets for TLS connections (an NSS key log). Without them TLS connections are reported, not decoded. */
  keyLog?: KeyLog;
  /** AEAD and HMAC for TLS decryption (`amps-wire/node` has one over node:crypto). */
  crypto?: CaptureCrypto;
  /** Makes one direction's inflater for permessage-deflate (`amps-wire/node` has one over node:zlib). */
  inflater?: () => Inflater;
  /** Largest AMPS message, WebSocket message or inflated message accepted (default 64 MiB). */
  maxFrameLength?: number;
}

const DETECT = 0;
const FRAMES = 1;
const TLS = 2;
const HTTP = 3;
const WEBSOCKET = 4;
const OFF = 5;

/**
 * One direction's transport layers: a {@link StreamSink} for TCP reassembly that hands AMPS
 * messages to the direction's {@link FrameStream}, setting its `transport`.
 */
export class TransportSink implements StreamSink {
  /** The sink of the opposite direction, when there is one (a TLS connection's state is shared). */
  peer: TransportSink | undefined = undefined;
  /** This direction's TLS connection, once the direction turned out to be TLS. */
  tls: TlsConnection | undefined = undefined;

  private state = DETECT;
  private readonly held = new Uint8Array(4);
  private heldLength = 0;
  private records: TlsRecords | undefined = undefined;
  private inner: TransportSink | undefined = undefined;
  private upgrade: UpgradeReader | undefined = undefined;
  private frames: WebSocketFrames | undefined = undefined;
  private messages: WebSocketAmps | undefined = undefined;
  private readonly maxLength: number;

  /**
   * @param out the direction's frame stream, which every layer reports to
   * @param insideTls whether this sink reads the plaintext of a TLS direction
   */
  constructor(
    readonly out: FrameStream,
    private readonly options: TransportOptions = {},
    private readonly insideTls = false,
  ) {
    this.maxLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
  }

  begin(fromStart: boolean): void {
    if (fromStart) return;
    this.state = FRAMES;
    this.out.begin(false);
  }

  data(bytes: Uint8Array, segmentStart: boolean): void {
    switch (this.state) {
      case FRAMES:
        this.out.data(bytes, segmentStart);
        return;
      case TLS:
        this.records!.push(bytes);
        return;
      case HTTP:
        this.readUpgrade(bytes);
        return;
      case WEBSOCKET:
        this.frames!.push(bytes);
        return;
      case DETECT:
        this.detect(bytes, segmentStart);
        return;
      default:
    }
  }

  gap(missing: number): void {
    if (this.state === DETECT) this.choose(false);
    if (this.state === FRAMES) {
      this.out.gap(missing);
      return;
    }
    if (this.state === OFF) return;
    const layer = this.state === TLS ? 'TLS records' : 'a WebSocket connection';
    this.out.report(
      'unsynced',
      missing,
      `${missing} bytes missing from the capture inside ${layer}: the rest of this direction is not decoded`,
    );
    this.finishLayers();
    this.inner?.end('eof');
    this.inner = undefined;
    this.state = OFF;
  }

  end(reason: EndReason): void {
    if (this.state === DETECT) this.choose(false);
    if (this.state === FRAMES) {
      this.out.end(reason);
      this.state = OFF;
      return;
    }
    const inner = this.inner;
    this.finishLayers();
    this.state = OFF;
    if (inner !== undefined) inner.end(reason);
    else this.out.end(reason);
  }

  // ---- detection ------------------------------------------------------------------------

  private detect(bytes: Uint8Array, segmentStart: boolean): void {
    const take = Math.min(4 - this.heldLength, bytes.length);
    this.held.set(bytes.subarray(0, take), this.heldLength);
    this.heldLength += take;
    if (this.heldLength < 4 && !(this.heldLength >= 2 && this.opensTls())) return;
    this.choose(segmentStart);
    if (take < bytes.length) this.data(bytes.subarray(take), false);
  }

  private opensTls(): boolean {
    return !this.insideTls && this.held[0] === 0x16 && this.held[1] === 0x03;
  }

  // Picks the layers from the bytes held, and passes those bytes on.
  private choose(segmentStart: boolean): void {
    const h = this.held;
    const held = h.slice(0, this.heldLength);
    if (this.heldLength >= 2 && this.opensTls()) {
      this.state = TLS;
      this.out.transport = 'tls';
      const conn = (this.tls = this.peer?.tls ?? new TlsConnection(this.options.keyLog, this.options.crypto));
      this.inner = new TransportSink(this.out, this.options, true);
      this.records = new TlsRecords(new TlsDirection(conn, this.inner, this.out));
      this.records.push(held);
    } else if (this.heldLength === 4 && opensHttp(h[0]!, h[1]!, h[2]!, h[3]!)) {
      this.state = HTTP;
      this.out.transport = this.insideTls ? 'tls/ws' : 'ws';
      this.upgrade = new UpgradeReader();
      this.readUpgrade(held);
    } else {
      this.state = FRAMES;
      this.out.transport = this.insideTls ? 'tls' : 'tcp';
      this.out.begin(true);
      if (held.length > 0) this.out.data(held, segmentStart);
    }
  }

  // ---- WebSocket ------------------------------------------------------------------------

  private readUpgrade(bytes: Uint8Array): void {
    const upgrade = this.upgrade!;
    const used = upgrade.push(bytes);
    if (used === -1) return;
    if (used === -2) {
      this.notWebSocket(`an HTTP head longer than ${upgrade.heldBytes} bytes`);
      return;
    }
    const head = upgrade.head();
    this.upgrade = undefined;
    if (!isWebSocket(head)) {
      this.notWebSocket(
        head.status !== undefined
          ? `an HTTP answer with status ${head.status}, not a WebSocket upgrade`
          : 'an HTTP request that is not a WebSocket upgrade',
      );
      return;
    }
    this.state = WEBSOCKET;
    this.messages = new WebSocketAmps(this.out, this.maxLength);
    this.frames = new WebSocketFrames(this.messages, this.maxLength, this.options.inflater);
    if (used < bytes.length) this.frames.push(bytes.subarray(used));
  }

  private notWebSocket(what: string): void {
    this.out.report('not-amps', 0, `the connection opens with ${what}: not decoded`);
    this.upgrade = undefined;
    this.state = OFF;
  }

  // Ends the TLS or WebSocket layers, reporting what they were in the middle of.
  private finishLayers(): void {
    if (this.records !== undefined) {
      const cut = this.records.end();
      if (cut !== undefined && this.tls?.stopped !== true) this.out.cutOff(cut.length, cut.present);
      this.records = undefined;
    }
    if (this.frames !== undefined) {
      this.frames.end();
      this.messages!.end();
      this.frames = undefined;
      this.messages = undefined;
    }
  }
}

function isWebSocket(head: UpgradeHead): boolean {
  return head.status === 101 || (head.path !== undefined && head.upgrade);
}
