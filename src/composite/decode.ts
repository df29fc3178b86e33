/**
 * Composite message bodies (message types such as `composite-json-binary`), docs/wire-format.md section 5:
 *
 *   body = *part
 *   part = length:uint32-big-endian  length*OCTET      ; a part may be empty
 *
 * No count, no trailer. A length running past the end of the body is malformed: parsing stops
 * there and the parts before it stay readable.
 */
import { readUint32BE, utf8Slice } from '../core/bytes.js';
import { type BodyInput, bodyBytes } from '../core/body.js';

const NO_BYTES = new Uint8Array(0);

/**
 * Splits a composite body into its parts, recording their positions only: `getPartRaw` hands out
 * views of the body and `getPart` decodes a part when asked. One parser can be reused for any
 * number of bodies; it keeps its position table between them. The body must stay unchanged
 * while its parts are read.
 */
export class CompositeMessageParser {
  private _body: Uint8Array = NO_BYTES;
  // The body's buffer and where the body starts in it, kept so a view costs one constructor call.
  private _buffer: ArrayBufferLike = NO_BYTES.buffer;
  private _base = 0;
  // Start and end of part i at [2i] and [2i + 1]; doubles so no body size overflows them.
  private _bounds = new Float64Array(16);
  private _count = 0;
  private _malformedAt = -1;

  /**
   * Parses a composite body (bytes, text encoded as UTF-8, or a `Message`'s `getData()`) and
   * returns the number of valid parts. Never throws for the body's contents: a part whose
   * declared length runs past the end (or 1 to 3 stray bytes where a length should start) ends
   * the parse, and {@link CompositeMessageParser.malformedOffset} tells where.
   */
  parse(body: BodyInput): number {
    const b = bodyBytes(body);
    const n = b.length;
    let bounds = this._bounds;
    let count = 0;
    let at = 0;
    this._malformedAt = -1;
    while (at < n) {
      if (n - at < 4) {
        this._malformedAt = at;
        break;
      }
      const start = at + 4;
      const end = start + readUint32BE(b, at);
      if (end > n) {
        this._malformedAt = at;
        break;
      }
      // Every part takes at least 4 bytes of the body, so the table never outgrows it.
      if (2 * count + 2 > bounds.length) {
        const grown = new Float64Array(bounds.length * 2);
        grown.set(bounds);
        this._bounds = bounds = grown;
      }
      bounds[2 * count] = start;
      bounds[2 * count + 1] = end;
      count++;
      at = end;
    }
    this._body = b;
    this._buffer = b.buffer;
    this._base = b.byteOffset;
    this._count = count;
    return count;
  }

  /** The number of parts the last `parse` found. */
  size(): number {
    return this._count;
  }

  /** Part `index` as UTF-8 text, or undefined when there is no such part. */
  getPart(index: number): string | undefined {
    if (!this._has(index)) return undefined;
    return utf8Slice(this._body, this._bounds[2 * index]!, this._bounds[2 * index + 1]!);
  }

  /** Part `index` as a zero-copy view of the parsed body, or undefined when there is no such part. */
  getPartRaw(index: number): Uint8Array | undefined {
    if (!this._has(index)) return undefined;
    const start = this._bounds[2 * index]!;
    return new Uint8Array(this._buffer, this._base + start, this._bounds[2 * index + 1]! - start);
  }

  /**
   * Where the last `parse` stopped early: the offset of the length prefix that ran past the end
   * of the body (or of the stray bytes too short to be one), or -1 when every byte was a part.
   */
  get malformedOffset(): number {
    return this._malformedAt;
  }

  private _has(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this._count;
  }
}
