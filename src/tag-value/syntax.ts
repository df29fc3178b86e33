/**
 * What one tag=value header protocol (fix, nvfix, or either with other separators) is made of:
 * its name, its two separator bytes, its limits, and the tag lookup built from the field table.
 */
import { optionsObject } from '../core/arguments.js';
import { utf8Slice } from '../core/bytes.js';
import { CommandException } from '../core/errors.js';
import { FIELDS } from '../core/fields.js';
import type { ValueCodec } from '../core/message.js';
import { separatorByte } from './pairs.js';

/** Options of a tag=value header protocol (`createFixProtocol`, `createNvfixProtocol`). */
export interface TagValueProtocolOptions {
  /** The byte after each header field: a one-character string or a byte value (default `\x01`). */
  readonly fieldSeparator?: string | number;
  /** The byte that ends the header (default `\x02`). */
  readonly headerSeparator?: string | number;
  /** Most fields one header may hold, known and unknown (default 4096). */
  readonly maxFields?: number;
}

/** A tag=value protocol's resolved settings. @internal */
export interface TagValueSyntax {
  readonly name: string;
  readonly fieldSeparator: number;
  readonly headerSeparator: number;
  readonly maxFields: number;
  /** Marks Messages this protocol decoded; its values are never escaped. */
  readonly codec: ValueCodec;
}

const DEFAULT_MAX_FIELDS = 4096;

/** The lowest AMPS header tag; tags below it, or past the table, are unknown. @internal */
export const FIRST_TAG = 20000;

/** Field id by `tag - FIRST_TAG`, -1 where no field has the tag (fix tags and their aliases). @internal */
export const FIELD_BY_TAG: Int8Array = (() => {
  let last = FIRST_TAG;
  for (const f of FIELDS) for (const t of [f.fixTag ?? FIRST_TAG, ...f.fixAliases]) last = Math.max(last, t);
  const table = new Int8Array(last - FIRST_TAG + 1).fill(-1);
  for (const f of FIELDS) {
    for (const t of f.fixTag === undefined ? f.fixAliases : [f.fixTag, ...f.fixAliases]) table[t - FIRST_TAG] = f.id;
  }
  return table;
})();

/** Resolves and checks a protocol's options. @internal */
export function tagValueSyntax(name: string, options: TagValueProtocolOptions): TagValueSyntax {
  options = optionsObject(options, `create ${name} protocol`);
  const fieldSeparator = separatorByte(options.fieldSeparator ?? 0x01, 'fieldSeparator', true, false);
  const headerSeparator = separatorByte(options.headerSeparator ?? 0x02, 'headerSeparator', true, false);
  if (fieldSeparator === headerSeparator) throw new CommandException('fieldSeparator and headerSeparator must differ');
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
  if (!Number.isInteger(maxFields) || maxFields < 1)
    throw new CommandException(`maxFields must be a positive integer, got ${maxFields}`);
  // Each protocol instance gets its own codec object, so its encoder can tell which Messages it
  // decoded itself (and may copy their unknown tags verbatim).
  const codec: ValueCodec = Object.freeze({ name, unescape: utf8Slice });
  return Object.freeze({ name, fieldSeparator, headerSeparator, maxFields, codec });
}
