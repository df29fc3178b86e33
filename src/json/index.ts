/**
 * The `amps` header protocol, also registered as `json` (docs/wire-format.md section 2).
 */
import { optionsObject } from '../core/arguments.js';
import type { Message } from '../core/message.js';
import { encoders, type Protocol } from '../core/protocol.js';
import { DEFAULT_LIMITS, decodeJson, type JsonDecodeLimits } from './decode.js';
import { jsonWriter } from './encode.js';

export type { JsonDecodeLimits } from './decode.js';

/** Options of {@link createJsonProtocol}. */
export interface JsonProtocolOptions extends Partial<JsonDecodeLimits> {
  /** The protocol's name (default `amps`). */
  readonly name?: string;
}

/**
 * An amps/json protocol with its own decoding limits (`maxDepth` of skipped nested values,
 * default 64; `maxFields` per header, default 4096).
 */
export function createJsonProtocol(options: JsonProtocolOptions = {}): Protocol {
  options = optionsObject(options, 'createJsonProtocol');
  const limits: JsonDecodeLimits = {
    maxDepth: options.maxDepth ?? DEFAULT_LIMITS.maxDepth,
    maxFields: options.maxFields ?? DEFAULT_LIMITS.maxFields,
  };
  return Object.freeze({
    name: options.name ?? 'amps',
    decode: (payload: Uint8Array, into?: Message) => decodeJson(payload, into, limits),
    ...encoders(jsonWriter),
  });
}

/** The `amps` protocol: JSON header followed by the body. */
export const amps: Protocol = createJsonProtocol();

/** The same codec as {@link amps}, under its other name. */
export const json: Protocol = createJsonProtocol({ name: 'json' });

/** The protocol name. */
export const name = 'amps';

/**
 * Decodes an amps/json payload (without the frame prefix) into a zero-copy Message; pass
 * `into` to reuse one. Throws StreamException on malformed input.
 */
export function decode(payload: Uint8Array, into?: Message): Message {
  return decodeJson(payload, into, DEFAULT_LIMITS);
}

/** The amps/json payload of `message`: Command first, then the other fields in the order set. */
export const encode: Protocol['encode'] = amps.encode;

/** Writes the payload into `target` at `offset`; returns bytes written (no allocation when it fits). */
export const encodeInto: Protocol['encodeInto'] = amps.encodeInto;

/** The payload with its 4-byte big-endian length prefix. */
export const encodeFrame: Protocol['encodeFrame'] = amps.encodeFrame;
