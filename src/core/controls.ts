/**
 * Control characters in text that came from the wire. Exception messages and the command line's
 * output quote such text; written raw, a C0 or C1 control could move a terminal's cursor, retitle
 * or clear it, or start a forged line in a log.
 */

/** Whether a character code is a control character: C0, DEL or C1 (a terminal may act on it). */
export function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/** `text` with every control character (C0, DEL, C1) written as `\xNN`. */
export function escapeControls(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isControl(c)) continue;
    out += `${text.slice(from, i)}\\x${c.toString(16).padStart(2, '0')}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
