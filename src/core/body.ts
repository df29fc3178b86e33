/** What the body helpers (FIX, NVFIX, composite) accept as a body, and its bytes. */
import { utf8Bytes } from './bytes.js';
import { CommandException } from './errors.js';
import type { Message } from './message.js';

/** What a body helper accepts as a body: bytes, text (encoded as UTF-8) or a message's body. */
export type BodyInput = Uint8Array | string | Pick<Message, 'getData'>;

/** The bytes of a body argument; throws CommandException for anything else. */
export function bodyBytes(body: BodyInput): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return utf8Bytes(body);
  if (body !== null && typeof body === 'object' && typeof body.getData === 'function') return body.getData();
  throw new CommandException('a body must be a Uint8Array, a string or a Message', 'AMPS_INVALID_ARGUMENT');
}
