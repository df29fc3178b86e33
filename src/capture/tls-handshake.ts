/**
 * Handshake messages inside TLS records, read only as far as decryption needs them: the hello
 * messages' randoms, cipher suite and version, and where Finished and KeyUpdate end.
 *
 * Grammar (RFC 8446 section 4, RFC 5246 section 7.4):
 *   handshake    = msg-type(1) length(3) body(length)     ; may span records
 *   client-hello = legacy-version(2) random(32) ...
 *   server-hello = legacy-version(2) random(32) session-id<0..32> cipher-suite(2) compression(1)
 *                  [ extensions<0..2^16-1> ]                ; supported_versions (43) picks 1.3
 * Only hello bodies are held (at most {@link MAX_HELLO} bytes); other messages are skipped by
 * length, so memory stays constant whatever a certificate chain weighs.
 */
import { u16be } from './endian.js';
import { toHex } from './key-log.js';

export const CLIENT_HELLO = 1;
export const SERVER_HELLO = 2;
export const FINISHED = 20;
export const KEY_UPDATE = 24;

/** The longest hello message read. */
export const MAX_HELLO = 64 * 1024;

// The random of a HelloRetryRequest (RFC 8446 section 4.1.3), which is not the ServerHello that counts.
const RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/** Walks the handshake messages of one direction. */
export class HandshakeScanner {
  private readonly header = new Uint8Array(4);
  private headerHave = 0;
  private type = 0;
  private left = 0;
  private body: Uint8Array | undefined = undefined;
  private bodyHave = 0;

  /** `onMessage` gets each message's type when it ends, and its body for hellos. */
  constructor(private readonly onMessage: (type: number, body: Uint8Array | undefined) => void) {}

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      if (this.headerHave < 4) {
        this.header[this.headerHave++] = bytes[i++]!;
        if (this.headerHave < 4) continue;
        this.type = this.header[0]!;
        this.left = (this.header[1]! << 16) | (this.header[2]! << 8) | this.header[3]!;
        const hello = this.type === CLIENT_HELLO || this.type === SERVER_HELLO;
        this.body = hello && this.left <= MAX_HELLO ? new Uint8Array(this.left) : undefined;
        this.bodyHave = 0;
        if (this.left === 0) this.done();
        continue;
      }
      const take = Math.min(this.left, bytes.length - i);
      if (this.body !== undefined) this.body.set(bytes.subarray(i, i + take), this.bodyHave);
      this.bodyHave += take;
      this.left -= take;
      i += take;
      if (this.left === 0) this.done();
    }
  }

  private done(): void {
    const body = this.body;
    this.body = undefined;
    this.headerHave = 0;
    this.onMessage(this.type, body);
  }
}

/** What a ServerHello says. */
export interface ServerHello {
  random: Uint8Array;
  suite: number;
  /** 0x0304 for TLS 1.3, else the legacy version (0x0303 for TLS 1.2). */
  version: number;
  /** A HelloRetryRequest: another ServerHello follows. */
  retry: boolean;
}

/** The client random of a ClientHello body, or undefined when too short. */
export function clientRandom(body: Uint8Array): Uint8Array | undefined {
  return body.length >= 34 ? body.slice(2, 34) : undefined;
}

/** Reads a ServerHello body; undefined when it is malformed. */
export function serverHello(body: Uint8Array): ServerHello | undefined {
  if (body.length < 38) return undefined;
  let version = u16be(body, 0);
  const random = body.slice(2, 34);
  let at = 35 + body[34]!;
  if (at + 3 > body.length) return undefined;
  const suite = u16be(body, at);
  at += 3;
  if (at + 2 <= body.length) {
    const end = Math.min(body.length, at + 2 + u16be(body, at));
    at += 2;
    while (at + 4 <= end) {
      const type = u16be(body, at);
      const length = u16be(body, at + 2);
      if (type === 43 && length === 2 && at + 6 <= end) version = u16be(body, at + 4);
      at += 4 + length;
    }
  }
  return { random, suite, version, retry: toHex(random) === RETRY_RANDOM };
}
