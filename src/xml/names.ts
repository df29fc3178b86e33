/**
 * Header element names (docs/wire-format.md section 6, XML column) to field ids, built from the field table.
 * The decoder packs a name's bytes while scanning it, so a lookup is one probe and three compares.
 */
import { FIELDS } from '../core/fields.js';
import { NameTable, PACKED_MAX } from '../core/name-table.js';

export { packHigh, packStep } from '../core/name-table.js';

const ELEMENTS = new NameTable(
  FIELDS.flatMap((f) =>
    (f.xml === undefined ? f.xmlAliases : [f.xml, ...f.xmlAliases]).map((name) => [name, f.id] as const),
  ),
);

/**
 * The field id of the element named by `buf[start, end)`, or UNKNOWN; `lo` and `hi` are its bytes
 * packed with packStep/packHigh while scanning, which name it when it is at most PACKED_MAX long.
 */
export function elementField(buf: Uint8Array, start: number, end: number, lo: number, hi: number): number {
  const length = end - start;
  return length <= PACKED_MAX ? ELEMENTS.findPacked(lo, hi, length) : ELEMENTS.find(buf, start, end);
}
