/**
 * Small copies that must outlive the chunk they came from (a message joined from WebSocket
 * messages, an inflated or unmasked payload), carved from shared slabs: one allocation per slab
 * instead of one per message, which is what bounds throughput on small messages. A slab is
 * never written twice, so every view handed out stays valid; it is freed when its views are.
 */

// 64 KiB: measured faster than 256 KiB on WebSocket captures (a block that size is recycled by
// the allocator rather than mapped fresh, and stays in cache while it is filled).
const SLAB = 64 * 1024;
// Larger copies get their own buffer: a slab kept alive by one small view should not be large.
const OWN_BUFFER = 16 * 1024;

/** Hands out fresh byte ranges. */
export class ByteSlab {
  private slab = new Uint8Array(0);
  private used = 0;

  /** `n` fresh bytes (zeroed). */
  alloc(n: number): Uint8Array {
    if (n > OWN_BUFFER) return new Uint8Array(n);
    if (this.used + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }

  /**
   * The current slab, with at least `atLeast` bytes free from {@link offset}: a writer fills it
   * in place (no view made for the free space) and {@link commit}s what it wrote.
   */
  reserve(atLeast: number): Uint8Array {
    if (this.used + atLeast > this.slab.length) {
      this.slab = new Uint8Array(Math.max(SLAB, atLeast));
      this.used = 0;
    }
    return this.slab;
  }

  /** Where the free space of the current slab starts. */
  get offset(): number {
    return this.used;
  }

  /** Takes the `n` bytes written at {@link offset} after {@link reserve}. */
  commit(n: number): Uint8Array {
    const out = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}
