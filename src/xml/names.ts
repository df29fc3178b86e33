/**
 * Header element names (docs/wire-format.md section 6, XML column) to field ids, built from the field table.
 * The decoder hashes a name while scanning it, so a lookup is one probe and a byte compare.
 */
import { FIELDS } from '../core/fields.js';
import { NameTable } from '../core/name-table.js';

export { hashStep } from '../core/name-table.js';

const ELEMENTS = new NameTable(
  FIELDS.flatMap((f) =>
    (f.xml === undefined ? f.xmlAliases : [f.xml, ...f.xmlAliases]).map((name) => [name, f.id] as const),
  ),
);

/** The field id of the element named by `buf[start, end)` (whose hash is `h`), or UNKNOWN. */
export function elementField(buf: Uint8Array, start: number, end: number, h: number): number {
  return ELEMENTS.lookup(buf, start, end, h);
}
