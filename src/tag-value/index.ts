/**
 * The tag=value header protocols (`fix`, `nvfix`): one implementation, instantiated by
 * src/fix and src/nvfix with their names and separators.
 */
import type { Message } from '../core/message.js';
import { encoders, type Protocol } from '../core/protocol.js';
import { TagValueReader } from './decode.js';
import { tagValueWriter } from './encode.js';
import { tagValueSyntax, type TagValueProtocolOptions } from './syntax.js';

export type { TagValueProtocolOptions } from './syntax.js';

/**
 * A tag=value header protocol named `name` with the given separators and limits.
 * Throws CommandException for separators that are not single bytes, are digits or `=`, or are
 * equal.
 * @internal
 */
export function createTagValueProtocol(name: string, options: TagValueProtocolOptions = {}): Protocol {
  const syntax = tagValueSyntax(name, options);
  const reader = new TagValueReader(syntax);
  return Object.freeze({
    name,
    decode: (payload: Uint8Array, into?: Message) => reader.decode(payload, into),
    ...encoders(tagValueWriter(syntax)),
  });
}
