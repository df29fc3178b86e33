/**
 * What the transport layers need from the platform, handed in rather than imported so this
 * folder stays portable: AEAD decryption and HMAC for TLS, raw inflate for permessage-deflate.
 * `amps-wire/node` provides both over node:crypto and node:zlib.
 */

/** The AEAD ciphers of the TLS suites read (WIRE.md section 8). */
export type AeadCipher = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** The hashes of HKDF (TLS 1.3) and the PRF (TLS 1.2). */
export type TlsHash = 'sha256' | 'sha384';

/**
 * Opens one sealed record: `sealed` is the ciphertext followed by its 16-byte tag. Returns the
 * plaintext, or undefined when the tag does not authenticate (wrong keys, damaged bytes).
 */
export type AeadOpen = (nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array) => Uint8Array | undefined;

/** The cryptography TLS decryption needs. */
export interface CaptureCrypto {
  /** HMAC of `data` under `key`. */
  hmac(hash: TlsHash, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** An opener for records sealed under `key` (made once per key, used for every record). */
  aead(cipher: AeadCipher, key: Uint8Array): AeadOpen;
}

/**
 * One direction's raw-DEFLATE decompressor, keeping its sliding window from message to message
 * (RFC 7692 context takeover).
 */
export interface Inflater {
  /**
   * Inflates `data`: a whole message's compressed bytes followed by `00 00 ff ff` (read during
   * the call only: the caller may reuse it). Returns the
   * message, or a sentence saying why not: output past `maxLength` (stopped as soon as it
   * passes, so no more is held) or corrupt data. After a failure the inflater is spent.
   */
  inflate(data: Uint8Array, maxLength: number): Uint8Array | string;
}

/** How AMPS messages of a direction reached the wire (API.md "Command line"). */
export type Transport = 'tcp' | 'ws' | 'tls' | 'tls/ws';
