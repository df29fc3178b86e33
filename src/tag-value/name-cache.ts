/** Field names of NVFIX bodies, kept as strings across bodies so most names cost no allocation. */
import { utf8Slice } from '../core/bytes.js';
import { EQUALS, nameEnd } from './pairs.js';

const NAME_SETS = 256;
const LONGEST_CACHED_NAME = 32;
const REMEMBERED_FIELDS = 64;

/**
 * The strings of recently seen ASCII names, found again by their bytes: field names repeat from
 * body to body, so most names need neither a new string nor a new hash in the Map. Bodies of one
 * kind list their fields in the same order, so the name at each position of the previous body is
 * tried first: one comparison both finds the `=` and proves the name. Otherwise a hash of the
 * name picks two slots (the newer first, so two names sharing a hash do not evict each other).
 * Fixed sizes, so memory stays bounded whatever the input.
 */
export class NameCache {
  private readonly _slots: string[] = new Array<string>(2 * NAME_SETS).fill('');
  private readonly _previous: string[] = new Array<string>(REMEMBERED_FIELDS).fill('');
  private _ascii = false;
  /** The offset of the `=` after the name returned by the last {@link NameCache.name} call. */
  end = 0;

  /**
   * The name of field number `field`, which starts at `b[start]`, leaving the offset of its `=`
   * in {@link NameCache.end}; throws StreamException when the field has no `=`.
   */
  name(field: number, b: Uint8Array, start: number, sep: number, protocol: string): string {
    if (field < REMEMBERED_FIELDS) {
      // A remembered name holds neither '=' nor the separator, so matching bytes then '=' is the
      // same answer nameEnd would give.
      const guess = this._previous[field]!;
      const eq = start + guess.length;
      if (guess.length > 0 && eq < b.length && b[eq] === EQUALS && sameAscii(guess, b, start, guess.length)) {
        this.end = eq;
        return guess;
      }
    }
    const eq = nameEnd(b, start, sep, protocol);
    this.end = eq;
    const name = this._lookup(b, start, eq);
    if (field < REMEMBERED_FIELDS) this._previous[field] = this._ascii ? name : '';
    return name;
  }

  /** The name in `b[start, end)` from the hash slots, or a new string kept there when ASCII. */
  private _lookup(b: Uint8Array, start: number, end: number): string {
    const len = end - start;
    this._ascii = false;
    if (len === 0 || len > LONGEST_CACHED_NAME) return utf8Slice(b, start, end);
    const slots = this._slots;
    // The length and the bytes at both ends tell most field names apart.
    const hash = Math.imul(len ^ (b[start]! << 8) ^ (b[start + (len >> 1)]! << 16) ^ (b[end - 1]! << 24), 0x9e3779b1);
    const slot = (hash >>> 24) << 1;
    const first = slots[slot]!;
    const second = slots[slot + 1]!;
    this._ascii = true;
    if (sameAscii(first, b, start, len)) return first;
    if (sameAscii(second, b, start, len)) return second;
    const fresh = utf8Slice(b, start, end);
    // Comparing char codes with bytes proves equality only for ASCII, so only ASCII is kept.
    let ascii = fresh.length === len;
    for (let j = 0; ascii && j < len; j++) ascii = b[start + j]! < 0x80;
    this._ascii = ascii;
    if (ascii) {
      slots[slot + 1] = first;
      slots[slot] = fresh;
    }
    return fresh;
  }
}

/** Whether the cached ASCII `name` spells the `len` bytes at `b[start]`. */
function sameAscii(name: string, b: Uint8Array, start: number, len: number): boolean {
  if (name.length !== len) return false;
  for (let j = 0; j < len; j++) if (name.charCodeAt(j) !== b[start + j]) return false;
  return true;
}
