/** Copying byte ranges into an encoder's target. */

/**
 * Copies `src[start, end)` into `t` at `o`; returns the offset after it. Short ranges are
 * copied in a loop, which beats `set(subarray())` and its view allocation below ~32 bytes.
 * @internal
 */
export function copyBytes(src: Uint8Array, start: number, end: number, t: Uint8Array, o: number): number {
  if (end - start > 32) {
    t.set(src.subarray(start, end), o);
    return o + end - start;
  }
  for (let i = start; i < end; i++) t[o++] = src[i]!;
  return o;
}
