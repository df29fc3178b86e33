/** The value strings of one body, made as cheaply as the body allows. */
import { utf8Slice } from '../core/bytes.js';

const NO_BYTES = new Uint8Array(0);

/**
 * The whole of `buf` as text when every byte decodes to exactly one UTF-16 unit (ASCII, or a
 * lone invalid byte becoming U+FFFD), so byte offsets are string offsets; otherwise undefined.
 * Any other sequence yields fewer units than bytes. Because the key/value delimiters are ASCII
 * and UTF-8 decoding resynchronises at every ASCII byte, `substring(start, end)` of the result
 * equals decoding `[start, end)` alone: one native decode replaces one decode per value.
 */
export function sameLengthText(buf: Uint8Array): string | undefined {
  const text = utf8Slice(buf, 0, buf.length);
  return text.length === buf.length ? text : undefined;
}

const fromCharCode = String.fromCharCode;
const SHORT_VALUE = 8;

/** The ASCII bytes `b[start, start + length)`, `length` at most SHORT_VALUE, as a string. */
function shortAscii(b: Uint8Array, start: number, length: number): string {
  switch (length) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[start]!);
    case 2:
      return fromCharCode(b[start]!, b[start + 1]!);
    case 3:
      return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!);
    case 4:
      return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!);
    case 5:
      return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!, b[start + 4]!);
    case 6:
      return fromCharCode(b[start]!, b[start + 1]!, b[start + 2]!, b[start + 3]!, b[start + 4]!, b[start + 5]!);
    case 7:
      return fromCharCode(
        b[start]!,
        b[start + 1]!,
        b[start + 2]!,
        b[start + 3]!,
        b[start + 4]!,
        b[start + 5]!,
        b[start + 6]!,
      );
    default:
      return fromCharCode(
        b[start]!,
        b[start + 1]!,
        b[start + 2]!,
        b[start + 3]!,
        b[start + 4]!,
        b[start + 5]!,
        b[start + 6]!,
        b[start + 7]!,
      );
  }
}

/**
 * Makes the value strings of one body. A short ASCII value can be built straight from its bytes
 * (cheaper than a decoder call); any other value needs one decode of the whole body, after which
 * every value is a slice of it (see {@link sameLengthText}; values are decoded one by one when the
 * body's bytes and characters do not line up). Which way is cheaper depends on the body, so each
 * body is read the way the previous one needed: bodies of one kind look alike.
 */
export class ValueText {
  private _b: Uint8Array = NO_BYTES;
  private _text: string | undefined = undefined;
  private _decoded = false;
  /** Some value of this body needs the decoder. */
  private _needed = false;
  /** Decode the whole body up front (the previous body needed it). */
  private _eager = false;

  /** Starts on the body `b`. */
  start(b: Uint8Array): void {
    this._b = b;
    this._needed = false;
    this._decoded = this._eager;
    this._text = this._eager ? sameLengthText(b) : undefined;
  }

  /** Ends the body, letting go of it. */
  finish(): void {
    this._eager = this._needed;
    this._b = NO_BYTES;
    this._text = undefined;
  }

  /** The text of `[start, end)`; `ascii` says the caller saw only ASCII bytes there. */
  value(start: number, end: number, ascii: boolean): string {
    const short = ascii && end - start <= SHORT_VALUE;
    if (!this._decoded) {
      if (short) return shortAscii(this._b, start, end - start);
      this._text = sameLengthText(this._b);
      this._decoded = true;
    }
    if (!short) this._needed = true;
    return this._text !== undefined ? this._text.substring(start, end) : utf8Slice(this._b, start, end);
  }
}
