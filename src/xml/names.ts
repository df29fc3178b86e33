/**
 * Header element names (WIRE.md section 6, XML column) to field ids, built from the field table.
 * The decoder hashes a name while scanning it, so a lookup is one probe and a byte compare.
 */
import { asciiEquals } from '../core/bytes.js';
import { FIELDS } from '../core/fields.js';
import { UNKNOWN } from '../core/message.js';

const TABLE_BITS = 8;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const slots = new Int16Array(1 << TABLE_BITS).fill(-1);
const names: string[] = [];
const ids: number[] = [];

/** One step of the name hash; the decoder folds each name byte in with it. */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

function slotOf(h: number): number {
  return (h ^ (h >>> TABLE_BITS) ^ (h >>> 16)) & TABLE_MASK;
}

for (const f of FIELDS) {
  for (const name of f.xml === undefined ? f.xmlAliases : [f.xml, ...f.xmlAliases]) {
    let h = 0;
    for (let i = 0; i < name.length; i++) h = hashStep(h, name.charCodeAt(i));
    let s = slotOf(h);
    while (slots[s] !== -1) s = (s + 1) & TABLE_MASK;
    slots[s] = names.length;
    names.push(name);
    ids.push(f.id);
  }
}

/** The field id of the element named by `buf[start, end)` (whose hash is `h`), or UNKNOWN. */
export function elementField(buf: Uint8Array, start: number, end: number, h: number): number {
  for (let s = slotOf(h); ; s = (s + 1) & TABLE_MASK) {
    const k = slots[s]!;
    if (k === -1) return UNKNOWN;
    if (asciiEquals(buf, start, end, names[k]!)) return ids[k]!;
  }
}
