/**
 * Spellings to field ids for decoders that match names as bytes (json keys, xml element
 * names). A decoder hashes a name with {@link hashStep} while scanning it, so a lookup is one
 * probe and a byte compare, with no string made.
 */
import { UNKNOWN } from './message.js';

/** One step of the name hash; decoders fold each name byte in with it, starting from 0. */
export function hashStep(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
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

  constructor(entries: Iterable<readonly [name: string, id: number]>) {
    const list = [...entries];
    let bits = 4;
    while (1 << bits < list.length * 4) bits++;
    this.mask = (1 << bits) - 1;
    this.slots = new Int16Array(1 << bits).fill(-1);
    const size = list.reduce((n, [name]) => n + name.length, 0);
    this.bytes = new Uint8Array(size);
    for (const [name, id] of list) {
      let h = 0;
      const from = this.offsets[this.offsets.length - 1]!;
      for (let i = 0; i < name.length; i++) {
        h = hashStep(h, name.charCodeAt(i));
        this.bytes[from + i] = name.charCodeAt(i);
      }
      let s = this.slotOf(h);
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.slots[s] = this.ids.length;
      this.ids.push(id);
      this.offsets.push(from + name.length);
      this.byName.set(name, id);
      const c = name.charCodeAt(0);
      const d = name.charCodeAt(1);
      if (name.length === 1 && c < 0x80) this.one[c] = id;
      if (name.length === 2 && (c | d) < 0x80) this.two[(c << 7) | d] = id;
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
