/** Body bytes as output text: UTF-8 when valid, base64 otherwise; short previews for people. */
import * as nodeBuffer from 'node:buffer';
import { isControl } from '../core/controls.js';

const { Buffer } = nodeBuffer;
const decoder = new TextDecoder();
const strict = new TextDecoder('utf-8', { fatal: true });

// buffer.isUtf8 arrived in Node 18.14; older versions check by decoding.
const isUtf8: (bytes: Uint8Array) => boolean =
  (nodeBuffer as { isUtf8?: (bytes: Uint8Array) => boolean }).isUtf8 ??
  ((bytes) => {
    try {
      strict.decode(bytes);
      return true;
    } catch {
      return false;
    }
  });

/** Whether `bytes` is valid UTF-8. */
export function isText(bytes: Uint8Array): boolean {
  return bytes.length === 0 || isUtf8(bytes);
}

/** `bytes` as a string (the caller checked it is UTF-8). */
export function asText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** `bytes` in base64. */
export function asBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/**
 * The first `max` characters of a body for one line of human output: the FIX field separator
 * shown as `|`, other control characters as `\xNN`, cut with `…`; a binary body as hex.
 */
export function preview(bytes: Uint8Array, max: number): string {
  if (bytes.length === 0) return '';
  if (!isText(bytes)) {
    const n = Math.min(bytes.length, Math.max(4, Math.floor(max / 3)));
    let hex = '';
    for (let i = 0; i < n; i++) hex += (i > 0 ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
    return `<binary ${hex}${n < bytes.length ? ' …' : ''}>`;
  }
  const text = decoder.decode(bytes.subarray(0, Math.min(bytes.length, max * 4)));
  let out = '';
  let shown = 0;
  for (const ch of text) {
    if (shown >= max) return out + '…';
    const c = ch.codePointAt(0)!;
    if (c === 0x01) out += '|';
    else if (isControl(c)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
    shown++;
  }
  return bytes.length > max * 4 ? out + '…' : out;
}

export { escapeControls, isControl } from '../core/controls.js';
