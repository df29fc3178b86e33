/** Whole FIX and NVFIX bodies to a Map in one pass: the shredders' `toMap`. */
import type { NameCache } from './name-cache.js';
import { type PairScan, skipEmpty, tagEnd, valueEnd } from './pairs.js';
import type { ValueText } from './value-text.js';

/**
 * Every pair of a body with decimal tags as tag → value text; a repeated tag keeps its last
 * value. Throws StreamException (`AMPS_BAD_BODY`) for a malformed pair.
 */
export function shredTags(
  b: Uint8Array,
  sep: number,
  protocol: string,
  values: ValueText,
  scan: PairScan,
): Map<number, string> {
  const map = new Map<number, string>();
  const n = b.length;
  values.start(b);
  let i = 0;
  for (;;) {
    i = skipEmpty(b, i, sep);
    if (i >= n) break;
    const eq = tagEnd(b, i, sep, protocol, scan);
    const end = valueEnd(b, eq + 1, sep, scan);
    map.set(scan.tag, values.value(eq + 1, end, scan.ascii));
    i = end + 1;
  }
  values.finish();
  return map;
}

/**
 * Every pair of a body with named keys as name → value text; a repeated name keeps its last
 * value. Throws StreamException (`AMPS_BAD_BODY`) for a malformed pair.
 */
export function shredNames(
  b: Uint8Array,
  sep: number,
  protocol: string,
  names: NameCache,
  values: ValueText,
  scan: PairScan,
): Map<string, string> {
  const map = new Map<string, string>();
  const n = b.length;
  values.start(b);
  let i = 0;
  for (let field = 0; ; field++) {
    i = skipEmpty(b, i, sep);
    if (i >= n) break;
    const name = names.name(field, b, i, sep, protocol);
    const eq = names.end;
    const end = valueEnd(b, eq + 1, sep, scan);
    map.set(name, values.value(eq + 1, end, scan.ascii));
    i = end + 1;
  }
  values.finish();
  return map;
}
