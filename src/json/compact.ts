/**
 * The fast path of the header decoder, for the compact form AMPS servers and clients write: no
 * whitespace, no escapes, each key once, values strings or unsigned integers. It returns -1 at
 * the first thing outside that form and the full parser then decodes the header from its start,
 * so both paths accept the same headers into the same entries, and only the full parser reports
 * errors. Kept apart so the loop the JIT sees stays small.
 */
import { F_RAW, type Message, UNKNOWN } from '../core/message.js';
import type { NameTable } from '../core/name-table.js';

/**
 * Scans the string whose content starts at `i`; returns the index of its closing quote, or -1
 * at a backslash or the end of `buf`.
 */
function plainStringEnd(buf: Uint8Array, i: number): number {
  const end = buf.length;
  for (;;) {
    const c = buf[i]!;
    // One compare for the usual byte; past the end `c` is undefined and falls through.
    if (c > 0x22 && c !== 0x5c) {
      i++;
      continue;
    }
    if (c === 0x22) return i;
    if (c === 0x5c || i >= end) return -1;
    i++;
  }
}

/**
 * Decodes the compact header object at `pos` into `msg` (already reset); returns the index after
 * its closing brace, or -1 when the header is not in compact form (entries written so far are
 * then to be dropped).
 */
export function scanCompactHeader(
  buf: Uint8Array,
  pos: number,
  msg: Message,
  keys: NameTable,
  maxFields: number,
): number {
  if (buf[pos] !== 0x7b) return -1;
  let i = pos + 1;
  let c = buf[i];
  if (c === 0x7d) return i + 1;
  // Known fields seen so far, one bit per id: a repeated key goes to the full parser.
  let low = 0;
  let high = 0;
  let members = 0;
  for (;;) {
    if (c !== 0x22 || ++members > maxFields) return -1;
    const keyStart = i + 1;
    const keyEnd = plainStringEnd(buf, keyStart);
    if (keyEnd < 0) return -1;
    const id = keys.find(buf, keyStart, keyEnd);
    i = keyEnd + 1;
    if (buf[i] !== 0x3a) return -1;
    c = buf[++i];
    let start: number;
    let valueEnd: number;
    let flags = 0;
    if (c === 0x22) {
      start = i + 1;
      valueEnd = plainStringEnd(buf, start);
      if (valueEnd < 0) return -1;
      i = valueEnd + 1;
    } else if (c === 0x30) {
      start = i;
      valueEnd = ++i;
      if (id === UNKNOWN) flags = F_RAW;
    } else if (c !== undefined && c >= 0x31 && c <= 0x39) {
      start = i;
      while ((c = buf[++i]) !== undefined && c >= 0x30 && c <= 0x39);
      valueEnd = i;
      if (id === UNKNOWN) flags = F_RAW;
    } else {
      return -1;
    }
    if (id !== UNKNOWN) {
      if (id < 32) {
        if ((low & (1 << id)) !== 0) return -1;
        low |= 1 << id;
      } else {
        if ((high & (1 << (id - 32))) !== 0) return -1;
        high |= 1 << (id - 32);
      }
    }
    msg._append(id, start, valueEnd, flags, keyStart, keyEnd);
    c = buf[i];
    if (c === 0x2c) {
      c = buf[++i];
      continue;
    }
    // A digit after a lone 0, a fraction or an exponent lands here too.
    return c === 0x7d ? i + 1 : -1;
  }
}
