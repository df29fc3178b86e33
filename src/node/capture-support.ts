/**
 * What the capture decoder's TLS and WebSocket layers need, over node:crypto and node:zlib:
 * AEAD record opening, HMAC, and a raw inflater that keeps its window between messages.
 */
import { createDecipheriv, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { constants, createInflateRaw, inflateRawSync } from 'node:zlib';
import type { AeadCipher, AeadOpen, CaptureCrypto, Inflater, TlsHash } from '../capture/transport-support.js';
import type { TransportOptions } from '../capture/transport.js';
import { ByteSlab } from '../capture/byte-slab.js';
import { concatBytes } from '../core/bytes.js';
import { KeyLog } from '../capture/key-log.js';

const TAG = 16;

/** AEAD and HMAC from node:crypto. */
export const nodeCaptureCrypto: CaptureCrypto = {
  hmac(hash: TlsHash, key: Uint8Array, data: Uint8Array): Uint8Array {
    return createHmac(hash, key).update(data).digest();
  },
  aead(cipher: AeadCipher, key: Uint8Array): AeadOpen {
    const secret: KeyObject = createSecretKey(key);
    return (nonce, aad, sealed) => {
      const length = sealed.length - TAG;
      if (length < 0) return undefined;
      // The cipher name is one of three AEAD names; node's typings only list them as literals.
      const decipher = createDecipheriv(cipher as 'aes-128-gcm', secret, nonce, { authTagLength: TAG });
      decipher.setAAD(aad, { plaintextLength: length });
      decipher.setAuthTag(sealed.subarray(length));
      const plain = decipher.update(sealed.subarray(0, length));
      try {
        decipher.final();
      } catch {
        return undefined;
      }
      return plain;
    };
  },
};

// zlib's handle, as Node's own synchronous zlib functions drive it. Node offers no public
// synchronous API that keeps an inflate context between calls, which permessage-deflate's
// context takeover needs; where the handle is missing, a slower public path keeps the window.
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number) => void;
}

// Output space asked for per zlib call: most messages fit, a larger one takes several calls.
const OUT_CHUNK = 16 * 1024;
const WINDOW = 32 * 1024;

/** A raw inflater with context takeover, from node:zlib. */
export function createNodeInflater(): Inflater {
  const stream = createInflateRaw() as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
  const handle = stream._handle;
  const state = stream._writeState;
  if (handle === undefined || typeof handle.writeSync !== 'function' || !(state instanceof Uint32Array))
    return new WindowInflater();
  return new HandleInflater(handle, state);
}

// Output goes straight into slab space, so a small message costs no allocation of its own.
class HandleInflater implements Inflater {
  private error: string | undefined = undefined;
  private readonly slab = new ByteSlab();
  private spent = false;

  constructor(
    private readonly handle: ZlibHandle,
    private readonly state: Uint32Array,
  ) {
    handle.onerror = (message) => {
      this.error = message;
    };
  }

  inflate(data: Uint8Array, maxLength: number): Uint8Array | string {
    if (this.spent) return 'the inflater failed before';
    const slab = this.slab;
    const handle = this.handle;
    // Most messages come out of one call: a larger one is gathered from several.
    let first: Uint8Array | undefined;
    let parts: Uint8Array[] | undefined;
    let total = 0;
    let inOff = 0;
    let inLen = data.length;
    for (;;) {
      const out = slab.reserve(OUT_CHUNK);
      const at = slab.offset;
      const room = out.length - at;
      handle.writeSync(constants.Z_SYNC_FLUSH, data, inOff, inLen, out, at, room);
      if (this.error !== undefined) return this.fail(`corrupt DEFLATE data (${this.error})`);
      const availOut = this.state[0]!;
      const availIn = this.state[1]!;
      const produced = room - availOut;
      total += produced;
      if (total > maxLength) return this.fail(`inflates to more than ${maxLength} bytes (the limit)`);
      const piece = slab.commit(produced);
      if (first === undefined) first = piece;
      else (parts ??= [first]).push(piece);
      inOff += inLen - availIn;
      inLen = availIn;
      if (availOut !== 0) break;
    }
    return parts === undefined ? first : concatBytes(parts, total);
  }

  private fail(why: string): string {
    this.spent = true;
    return why;
  }
}

// Each message inflated on its own with the last 32 KiB of output as its dictionary.
class WindowInflater implements Inflater {
  private window = new Uint8Array(0);

  inflate(data: Uint8Array, maxLength: number): Uint8Array | string {
    let message: Uint8Array;
    try {
      message = inflateRawSync(data, {
        dictionary: this.window.length > 0 ? this.window : undefined,
        finishFlush: constants.Z_SYNC_FLUSH,
        maxOutputLength: Math.max(1, maxLength),
      });
    } catch (err) {
      return (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
        ? `inflates to more than ${maxLength} bytes (the limit)`
        : `corrupt DEFLATE data (${(err as Error).message})`;
    }
    const joined = new Uint8Array(Math.min(WINDOW, this.window.length + message.length));
    const fromMessage = Math.min(message.length, joined.length);
    joined.set(this.window.subarray(this.window.length - (joined.length - fromMessage)), 0);
    joined.set(message.subarray(message.length - fromMessage), joined.length - fromMessage);
    this.window = joined;
    return message;
  }
}

/**
 * Transport options for the capture decoder on Node: decryption, inflation, and the secrets of
 * `keyLogText` (the content of an NSS key log file), when given.
 */
export function nodeTransportOptions(keyLogText?: string): TransportOptions {
  return {
    crypto: nodeCaptureCrypto,
    inflater: createNodeInflater,
    ...(keyLogText === undefined ? {} : { keyLog: KeyLog.parse(keyLogText) }),
  };
}
