/**
 * Spellings to field ids for decoders that match names as bytes (json keys, xml element
 * names). A decoder hashes a name with {@link hashStep} while scanning it, so a lookup is one
 * probe and a byte compare, or packs it with {@link packStep}, so a lookup of a short name is one
 * probe and three compares; no string is made.
 */
import { UNKNOWN } from './message.js';

/** One step of the name hash; decoders fold each name byte in with it, starting from 0. */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/** Longest name {@link NameTable.findPacked} takes: eight bytes fit in two int32. */
export const PACKED_MAX = 8;

/**
 * Packs a name's bytes as it is scanned: `hi = packHigh(lo, hi)` then `lo = packStep(lo, c)` per
 * byte, starting from 0, leaves its last eight bytes in `hi:lo`, which with its length name it
 * exactly when it is at most {@link PACKED_MAX} bytes long.
 */
export function packStep(lo: number, c: number): number {
  return (lo << 8) | c;
}

/** See {@link packStep}. */
export function packHigh(lo: number, hi: number): number {
  return (hi << 8) | (lo >>> 24);
}

/** The hash a packed name is probed from (exported for tests). @internal */
export function packedSlot(lo: number, hi: number, length: number): number {
  const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1) ^ length, 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** An open-addressing table of ASCII names, built once at module load. @internal */
export class NameTable {
  private readonly mask: number;
  private readonly slots: Int16Array;
  private readonly ids: number[] = [];
  // Every name's bytes back to back; name k is bytes[offsets[k], offsets[k + 1]).
  private readonly offsets: number[] = [0];
  private readonly bytes: Uint8Array;
  private readonly byName = new Map<string, number>();
  // Names of one and two ASCII bytes (most json keys) by their bytes alone: no hash, no compare.
  private readonly one = new Int16Array(0x80).fill(UNKNOWN);
  private readonly two = new Int16Array(0x80 * 0x80).fill(UNKNOWN);
  // Names of up to eight bytes by their bytes packed into two int32 (see packStep): a probe and
  // three compares, no byte loop.
  private readonly packedSlots: Int16Array;
  private readonly packed: Int32Array;

  constructor(entries: Iterable<readonly [name: string, id: number]>) {
    const list = [...entries];
    let bits = 4;
    while (1 << bits < list.length * 4) bits++;
    this.mask = (1 << bits) - 1;
    this.slots = new Int16Array(1 << bits).fill(-1);
    const size = list.reduce((n, [name]) => n + name.length, 0);
    this.bytes = new Uint8Array(size);
    this.packedSlots = new Int16Array(1 << bits).fill(-1);
    this.packed = new Int32Array(4 * list.length);
    for (const [name, id] of list) {
      const k = this.ids.length;
      let h = 0;
      let lo = 0;
      let hi = 0;
      const from = this.offsets[this.offsets.length - 1]!;
      for (let i = 0; i < name.length; i++) {
        h = hashStep(h, name.charCodeAt(i));
        hi = packHigh(lo, hi);
        lo = packStep(lo, name.charCodeAt(i));
        this.bytes[from + i] = name.charCodeAt(i);
      }
      let s = this.slotOf(h);
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.slots[s] = k;
      this.ids.push(id);
      this.offsets.push(from + name.length);
      this.byName.set(name, id);
      const c = name.charCodeAt(0);
      const d = name.charCodeAt(1);
      if (name.length === 1 && c < 0x80) this.one[c] = id;
      if (name.length === 2 && (c | d) < 0x80) this.two[(c << 7) | d] = id;
      if (name.length <= PACKED_MAX) {
        s = packedSlot(lo, hi, name.length) & this.mask;
        while (this.packedSlots[s] !== -1) s = (s + 1) & this.mask;
        this.packedSlots[s] = k;
        this.packed.set([lo, hi, name.length, id], 4 * k);
      }
    }
  }

  /**
   * The id of a name of at most {@link PACKED_MAX} bytes given packed: `lo` and `hi` folded with
   * {@link packHigh} and {@link packStep} over its bytes, from 0. UNKNOWN when not a name.
   */
  findPacked(lo: number, hi: number, length: number): number {
    const slots = this.packedSlots;
    const packed = this.packed;
    for (let s = packedSlot(lo, hi, length) & this.mask; ; s = (s + 1) & this.mask) {
      const k = slots[s]!;
      if (k === -1) return UNKNOWN;
      const p = 4 * k;
      if (packed[p] === lo && packed[p + 1] === hi && packed[p + 2] === length) return packed[p + 3]!;
    }
  }

  private slotOf(h: number): number {
    return (h ^ (h >>> 10) ^ (h >>> 20)) & this.mask;
  }

  /** The id of the name in `buf[start, end)`, whose hash is `h`; UNKNOWN when not a name. */
  lookup(buf: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const offsets = this.offsets;
    for (let s = this.slotOf(h); ; s = (s + 1) & this.mask) {
      const k = slots[s]!;
      if (k === -1) return UNKNOWN;
      const from = offsets[k]!;
      if (offsets[k + 1]! - from !== end - start) continue;
      let i = 0;
      while (start + i < end && this.bytes[from + i] === buf[start + i]) i++;
      if (start + i === end) return this.ids[k]!;
    }
  }

  /**
   * The id of the name in `buf[start, end)` (no hash computed while scanning): names of one or
   * two ASCII bytes are looked up by their bytes, any other hashed here.
   */
  find(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 1) {
      const c = buf[start]!;
      if (c < 0x80) return this.one[c]!;
    } else if (length === 2) {
      const c = buf[start]!;
      const d = buf[start + 1]!;
      if ((c | d) < 0x80) return this.two[(c << 7) | d]!;
    }
    let h = 0;
    for (let i = start; i < end; i++) h = hashStep(h, buf[i]!);
    return this.lookup(buf, start, end, h);
  }

  /** The id of a name given as a string (for names that had to be unescaped first). */
  get(name: string): number {
    return this.byName.get(name) ?? UNKNOWN;
  }
}
