/** Writing frames: the 4-byte big-endian length prefix of docs/wire-format.md section 1. */
import { writeUint32BE } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { describe } from './splitter.js';

/** The largest payload a 4-byte length prefix can declare. */
const MAX_PAYLOAD = 0xffffffff;

/**
 * `payload` with its 4-byte big-endian length prefix, as one new array (the payload is copied).
 * Throws CommandException when `payload` is not bytes or is longer than 2^32-1 bytes.
 */
export function frame(payload: Uint8Array): Uint8Array {
  if (!(payload instanceof Uint8Array))
    throw new CommandException(`frame() takes a Uint8Array, got ${describe(payload)}`);
  if (payload.length > MAX_PAYLOAD) {
    throw new CommandException(
      `a frame payload holds at most ${MAX_PAYLOAD} bytes, got ${payload.length}`,
      'AMPS_VALUE_TOO_LONG',
    );
  }
  const out = new Uint8Array(4 + payload.length);
  writeUint32BE(out, 0, payload.length);
  out.set(payload, 4);
  return out;
}
