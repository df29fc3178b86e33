/**
 * TLS key schedules from logged secrets (WIRE.md section 8): HKDF-Expand-Label for TLS 1.3
 * (RFC 8446 section 7.1) and the PRF's key expansion for TLS 1.2 (RFC 5246 section 5, 6.3), both
 * over the HMAC a {@link CaptureCrypto} provides. HKDF-Expand is written out because the logged
 * secrets are already pseudorandom keys: an HKDF that always extracts first would be wrong here.
 */
import { concatBytes } from '../core/bytes.js';
import type { AeadCipher, CaptureCrypto, TlsHash } from './transport-support.js';

/** A cipher suite this decoder reads. */
export interface CipherSuite {
  readonly name: string;
  readonly tls13: boolean;
  readonly cipher: AeadCipher;
  readonly keyLength: number;
  /** TLS 1.2: the implicit IV's length (4 for GCM, 12 for ChaCha20); TLS 1.3: always 12. */
  readonly ivLength: number;
  readonly hash: TlsHash;
}

function suite(name: string, tls13: boolean, cipher: AeadCipher, hash: TlsHash): CipherSuite {
  const keyLength = cipher === 'aes-128-gcm' ? 16 : 32;
  const ivLength = tls13 || cipher === 'chacha20-poly1305' ? 12 : 4;
  return { name, tls13, cipher, keyLength, ivLength, hash };
}

/** Cipher suites by their code. */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map([
  [0x1301, suite('TLS_AES_128_GCM_SHA256', true, 'aes-128-gcm', 'sha256')],
  [0x1302, suite('TLS_AES_256_GCM_SHA384', true, 'aes-256-gcm', 'sha384')],
  [0x1303, suite('TLS_CHACHA20_POLY1305_SHA256', true, 'chacha20-poly1305', 'sha256')],
  [0xc02b, suite('ECDHE-ECDSA-AES128-GCM-SHA256', false, 'aes-128-gcm', 'sha256')],
  [0xc02c, suite('ECDHE-ECDSA-AES256-GCM-SHA384', false, 'aes-256-gcm', 'sha384')],
  [0xc02f, suite('ECDHE-RSA-AES128-GCM-SHA256', false, 'aes-128-gcm', 'sha256')],
  [0xc030, suite('ECDHE-RSA-AES256-GCM-SHA384', false, 'aes-256-gcm', 'sha384')],
  [0xcca8, suite('ECDHE-RSA-CHACHA20-POLY1305', false, 'chacha20-poly1305', 'sha256')],
  [0xcca9, suite('ECDHE-ECDSA-CHACHA20-POLY1305', false, 'chacha20-poly1305', 'sha256')],
  [0x009c, suite('AES128-GCM-SHA256', false, 'aes-128-gcm', 'sha256')],
  [0x009d, suite('AES256-GCM-SHA384', false, 'aes-256-gcm', 'sha384')],
  [0x009e, suite('DHE-RSA-AES128-GCM-SHA256', false, 'aes-128-gcm', 'sha256')],
  [0x009f, suite('DHE-RSA-AES256-GCM-SHA384', false, 'aes-256-gcm', 'sha384')],
  [0xccaa, suite('DHE-RSA-CHACHA20-POLY1305', false, 'chacha20-poly1305', 'sha256')],
]);

const encoder = new TextEncoder();

const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

/** HKDF-Expand (RFC 5869 section 2.3): T(1) | T(2) | ... cut to `length`. */
export function hkdfExpand(
  crypto: CaptureCrypto,
  hash: TlsHash,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let at = 0, i = 1; at < length; i++) {
    t = crypto.hmac(hash, prk, concat(t, info, Uint8Array.of(i)));
    out.set(t.subarray(0, Math.min(t.length, length - at)), at);
    at += t.length;
  }
  return out;
}

/** HKDF-Expand-Label(secret, label, context, length) of TLS 1.3. */
export function hkdfExpandLabel(
  crypto: CaptureCrypto,
  hash: TlsHash,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const full = encoder.encode('tls13 ' + label);
  const info = concat(
    Uint8Array.of(length >> 8, length & 0xff, full.length),
    full,
    Uint8Array.of(context.length),
    context,
  );
  return hkdfExpand(crypto, hash, secret, info, length);
}

/** The TLS 1.2 PRF: P_hash(secret, label + seed) cut to `length`. */
export function prf(
  crypto: CaptureCrypto,
  hash: TlsHash,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const labelSeed = concat(encoder.encode(label), seed);
  const out = new Uint8Array(length);
  let a = labelSeed;
  for (let at = 0; at < length; ) {
    a = crypto.hmac(hash, secret, a);
    const block = crypto.hmac(hash, secret, concat(a, labelSeed));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/** One direction's record protection: key, IV, and the sequence number of its next record. */
export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/** TLS 1.3 traffic key and IV from a traffic secret. */
export function tls13Keys(crypto: CaptureCrypto, s: CipherSuite, secret: Uint8Array): TrafficKeys {
  const none = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(crypto, s.hash, secret, 'key', none, s.keyLength),
    iv: hkdfExpandLabel(crypto, s.hash, secret, 'iv', none, 12),
  };
}

/** The next TLS 1.3 application traffic secret after a KeyUpdate. */
export function nextTrafficSecret(crypto: CaptureCrypto, s: CipherSuite, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(crypto, s.hash, secret, 'traffic upd', new Uint8Array(0), s.hash === 'sha384' ? 48 : 32);
}

/** TLS 1.2 client and server write keys and IVs from the master secret. */
export function tls12Keys(
  crypto: CaptureCrypto,
  s: CipherSuite,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { client: TrafficKeys; server: TrafficKeys } {
  // AEAD suites have no MAC keys: the block is client key, server key, client IV, server IV.
  const k = s.keyLength;
  const v = s.ivLength;
  const block = prf(crypto, s.hash, master, 'key expansion', concat(serverRandom, clientRandom), 2 * k + 2 * v);
  return {
    client: { key: block.slice(0, k), iv: block.slice(2 * k, 2 * k + v) },
    server: { key: block.slice(k, 2 * k), iv: block.slice(2 * k + v, 2 * k + 2 * v) },
  };
}
