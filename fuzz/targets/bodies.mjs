/**
 * Targets for message bodies: the FIX and NVFIX shredders and the composite parser, each
 * checked against a small reference written here from WIRE.md section 5, and each read every
 * way the API offers (whole map, one key, positions, a Message's body).
 */
import { Finding, expectSame, expectStreamException } from '../engine/oracles.mjs';

const SEP = 0x01;
const EQUALS = 0x3d;
const text = new TextDecoder('utf-8', { ignoreBOM: true }); // keeps a leading U+FEFF: it is part of the value

/**
 * The pairs of a `key=value<SEP>...` body: a trailing separator is optional, empty fields are
 * skipped, every other pair needs
 * an `=`, the value runs to the next separator (and may hold `=`), the last duplicate wins.
 * FIX keys are decimal tags (at most 2^53-1). Returns the map, or 'malformed'.
 */
export function referenceShred(bytes, numericKeys) {
  const map = new Map();
  let at = 0;
  while (at < bytes.length) {
    let end = bytes.indexOf(SEP, at);
    if (end < 0) end = bytes.length;
    if (end === at) {
      // An empty field (a lone, leading or doubled separator) is skipped, as 60East's clients do.
      at = end + 1;
      continue;
    }
    const eq = bytes.subarray(at, end).indexOf(EQUALS);
    if (eq < 0) return 'malformed';
    const keyBytes = bytes.subarray(at, at + eq);
    let key;
    if (numericKeys) {
      if (keyBytes.length === 0 || keyBytes.some((c) => c < 0x30 || c > 0x39)) return 'malformed';
      key = Number(text.decode(keyBytes));
      if (key > Number.MAX_SAFE_INTEGER) return 'malformed';
    } else {
      key = text.decode(keyBytes);
    }
    map.set(key, text.decode(bytes.subarray(at + eq + 1, end)));
    at = end + 1;
  }
  return map;
}

function shredderTarget(name, className) {
  let shredder;
  return {
    name,
    requires: [className, 'Message'],
    dictionary: 'body',
    code: [name.startsWith('fix') ? 'fix' : 'nvfix', 'tag-value', 'core'],
    fixtures: [name.startsWith('fix') ? 'fix-body' : 'nvfix-body', 'bodies'],
    run(lib, input) {
      shredder ??= new lib[className]();
      const numeric = className === 'FIXShredder';
      const expected = referenceShred(input, numeric);
      let map;
      try {
        map = shredder.toMap(input);
      } catch (err) {
        expectStreamException(lib, err, input.length, `${className}.toMap`);
        if (expected !== 'malformed')
          throw new Finding(
            'mismatch',
            `${className}.toMap rejected a well-formed body (${err.message}); expected ${describe(expected)}`,
          );
        return;
      }
      if (!(map instanceof Map)) throw new Finding('contract', `${className}.toMap did not return a Map`);
      if (expected === 'malformed')
        throw new Finding('mismatch', `${className}.toMap accepted a malformed body as ${describe(map)}`);
      expectSame(`${className}.toMap vs reference`, [...map], [...expected]);
      expectSame(
        `${className}.toMap(Message) vs toMap(bytes)`,
        [...shredder.toMap(new lib.Message().setData(input))],
        [...map],
      );

      for (const [key, value] of map) {
        // A name that was not valid UTF-8 reads as U+FFFD, and no lookup by that text can match its bytes.
        if (typeof key === 'string' && key.includes('\ufffd')) continue;
        if (typeof shredder.get === 'function')
          expectSame(`${className}.get(${JSON.stringify(key)})`, shredder.get(input, key), value);
        if (typeof shredder.getBytes === 'function') {
          const bytes = shredder.getBytes(input, key);
          expectSame(`${className}.getBytes(${JSON.stringify(key)}) as text`, text.decode(bytes), value);
          if (bytes.buffer !== input.buffer)
            throw new Finding('contract', `${className}.getBytes copied the value instead of viewing the body`);
        }
      }
      if (typeof shredder.forEach === 'function') {
        // FIX visitors get (tag, valueStart, valueEnd, bytes); NVFIX ones (keyStart, keyEnd, valueStart, valueEnd, bytes).
        const visited = new Map();
        shredder.forEach(input, (...args) => {
          const bytes = args[args.length - 1];
          const key = numeric ? args[0] : text.decode(bytes.subarray(args[0], args[1]));
          visited.set(key, text.decode(bytes.subarray(args[args.length - 3], args[args.length - 2])));
        });
        expectSame(`${className}.forEach vs toMap`, [...visited], [...map]);
      }
    },
  };
}

function describe(map) {
  const shown = JSON.stringify([...map]);
  return shown.length > 200 ? shown.slice(0, 200) + '...' : shown;
}

export const fixShredder = shredderTarget('fix-shredder', 'FIXShredder');
export const nvfixShredder = shredderTarget('nvfix-shredder', 'NVFIXShredder');

/** The parts of a composite body by WIRE.md section 5: a malformed length ends the list. */
export function referenceParts(bytes) {
  const parts = [];
  let at = 0;
  while (bytes.length - at >= 4) {
    const n = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
    if (n > bytes.length - at - 4) break;
    parts.push(bytes.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return parts;
}

let parser;

export const composite = {
  name: 'composite',
  requires: ['CompositeMessageParser', 'Message'],
  dictionary: 'binary',
  code: ['composite', 'core'],
  fixtures: ['composite', 'bodies'],
  run(lib, input) {
    parser ??= new lib.CompositeMessageParser();
    const expected = referenceParts(input);
    const count = parser.parse(input); // must not throw for any body (WIRE.md section 5)
    expectSame('CompositeMessageParser.parse count vs reference', count, expected.length);
    expectSame('size() vs parse()', parser.size(), count);
    for (let i = 0; i < count; i++) {
      expectSame(`getPartRaw(${i})`, parser.getPartRaw(i), expected[i]);
      expectSame(`getPart(${i})`, parser.getPart(i), text.decode(expected[i]));
    }
    for (const outside of [count, -1, 1.5, count + 1]) {
      expectSame(`getPartRaw(${outside}) past the parts`, parser.getPartRaw(outside), undefined);
      expectSame(`getPart(${outside}) past the parts`, parser.getPart(outside), undefined);
    }
    const viaMessage = parser.parse(new lib.Message().setData(input));
    expectSame('parse(Message) vs parse(bytes)', viaMessage, count);
  },
};
