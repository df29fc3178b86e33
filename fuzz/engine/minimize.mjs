/**
 * Shrinks a failing input while a predicate keeps holding: first removing chunks (halves,
 * quarters, ... single bytes, as in delta debugging), then replacing bytes by simpler ones, until
 * a whole pass changes nothing or the budget of predicate calls runs out. Smaller findings are
 * easier to read in a report and to turn into a regression fixture.
 */

// Bytes tried in place of each byte, simplest first; punctuation is left to removal.
const SIMPLER = [0x30, 0x61, 0x20];

/**
 * @param {Uint8Array} input a failing input
 * @param {(candidate: Uint8Array) => boolean} fails true when the candidate still fails the same way
 * @param {{ maxTries?: number }} [options]
 * @returns {{ input: Uint8Array, tries: number }}
 */
export function minimize(input, fails, { maxTries = 4000 } = {}) {
  let best = input;
  let tries = 0;
  const attempt = (candidate) => {
    if (tries >= maxTries) return false;
    tries++;
    if (!fails(candidate)) return false;
    best = candidate;
    return true;
  };

  for (let changed = true; changed && tries < maxTries; ) {
    changed = false;
    for (let chunk = Math.max(1, best.length >> 1); chunk >= 1 && tries < maxTries; chunk >>= 1) {
      for (let at = 0; at + chunk <= best.length && tries < maxTries; ) {
        const candidate = new Uint8Array(best.length - chunk);
        candidate.set(best.subarray(0, at), 0);
        candidate.set(best.subarray(at + chunk), at);
        if (attempt(candidate)) changed = true;
        else at += chunk;
      }
    }
    // Ranges from one byte to a later equal byte: whole `,"key":value` members, `\x01`-ended
    // fields, `<tag>...<` elements, which aligned chunks cut through.
    for (let at = 0; at < best.length && tries < maxTries; at++) {
      for (let to = at + 1, found = 0; to < best.length && found < 4 && tries < maxTries; to++) {
        if (best[to] !== best[at]) continue;
        found++;
        const candidate = new Uint8Array(best.length - (to - at));
        candidate.set(best.subarray(0, at), 0);
        candidate.set(best.subarray(to), at);
        if (attempt(candidate)) {
          changed = true;
          to = at; // rescan from here on the shorter input
          found = 0;
        }
      }
    }
    for (let at = 0; at < best.length && tries < maxTries; at++) {
      for (const simple of SIMPLER) {
        if (best[at] === simple) break; // already this simple
        const candidate = best.slice();
        candidate[at] = simple;
        if (attempt(candidate)) {
          changed = true;
          break;
        }
      }
    }
  }
  return { input: best, tries };
}
