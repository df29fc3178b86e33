/**
 * The `nvfix` header protocol (docs/wire-format.md section 3): the same header layout as `fix`
 * (`TAG=value` fields, `\x01`, `\x02`); the body usually holds NVFIX `name=value` data
 * (see NVFIXBuilder).
 */
import type { Protocol } from '../core/protocol.js';
import { createTagValueProtocol, type TagValueProtocolOptions } from '../tag-value/index.js';

/** Options of {@link createNvfixProtocol}: the two separators and the header field limit. */
export type NvfixProtocolOptions = TagValueProtocolOptions;

/**
 * An `nvfix` protocol with other separators. Each separator is one byte, given as a
 * one-character string or a number; neither may be a digit or `=`, and they must differ.
 */
export function createNvfixProtocol(options: NvfixProtocolOptions = {}): Protocol {
  return createTagValueProtocol('nvfix', options);
}

/** The `nvfix` protocol with the default separators (`\x01` after each field, `\x02` after the header). */
export const nvfix: Protocol = createNvfixProtocol();
