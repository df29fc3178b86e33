/**
 * Byte renderings for reports and fixture files: escaped text (printable ASCII as is, `\\`,
 * `\xNN` for everything else) and hex, each with its parser.
 */

/** Bytes as escaped text: printable ASCII kept, backslash doubled, everything else `\xNN`. */
export function escapeBytes(bytes) {
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * The bytes of escaped text: `\xNN`, `\\`, `\n`, `\r`, `\t`, `\0` and `\"`; other characters
 * as UTF-8. The inverse of {@link escapeBytes}, and lenient enough for hand-written fixtures.
 */
export function unescapeText(text) {
  const out = [];
  const enc = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 >= text.length) {
      const code = text.codePointAt(i);
      if (code < 0x80) out.push(code);
      else {
        const s = String.fromCodePoint(code);
        out.push(...enc.encode(s));
        i += s.length - 1;
      }
      continue;
    }
    const n = text[++i];
    if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'n') out.push(10);
    else if (n === 'r') out.push(13);
    else if (n === 't') out.push(9);
    else if (n === '0') out.push(0);
    else out.push(n.charCodeAt(0)); // `\\`, `\"`, and anything else: the character itself
  }
  return Uint8Array.from(out);
}

/** Bytes as lowercase hex. */
export function toHex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Hex (whitespace ignored) as bytes; undefined if it is not hex. */
export function fromHex(text) {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
