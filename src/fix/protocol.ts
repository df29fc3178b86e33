/**
 * The `fix` header protocol (docs/wire-format.md section 3): `TAG=value` header fields separated by `\x01`,
 * the header ended by `\x02`, then the body (usually FIX `tag=value` data, see FIXBuilder).
 */
import type { Protocol } from '../core/protocol.js';
import { createTagValueProtocol, type TagValueProtocolOptions } from '../tag-value/index.js';

/** Options of {@link createFixProtocol}: the two separators and the header field limit. */
export type FixProtocolOptions = TagValueProtocolOptions;

/**
 * A `fix` protocol with other separators, e.g. `createFixProtocol({ fieldSeparator: '|',
 * headerSeparator: '^' })`. Each separator is one byte, given as a one-character string or a
 * number; neither may be a digit or `=`, and they must differ.
 */
export function createFixProtocol(options: FixProtocolOptions = {}): Protocol {
  return createTagValueProtocol('fix', options);
}

/** The `fix` protocol with the default separators (`\x01` after each field, `\x02` after the header). */
export const fix: Protocol = createFixProtocol();
