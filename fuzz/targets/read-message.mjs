/**
 * Reads everything a decoded Message offers, the way a gateway would, and checks that the ways
 * of reading one value agree: `get` and `getBytes`, `getInt`/`getBigInt` against the digits of
 * `get`, `has`, `fields()`, `toObject()`, and the records of a SOW batch. Returns a summary
 * (field values, body, a count and digest of the records) for differential targets to compare.
 *
 * This runs on every input, so descriptions of failures are built only when one happens.
 */
import { Finding, expectSame, expectStreamException, stable } from '../engine/oracles.mjs';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true }); // keeps a leading U+FEFF: it is part of the value
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** `text` as its UTF-8 would read back: lone surrogates become U+FFFD, as in every encoder. */
export function wellFormed(text) {
  return text === undefined ? undefined : text.toWellFormed();
}

function isDigits(text) {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** A lazily read value that failed: the StreamException's code (checked to be one). */
function readError(lib, err, length, where) {
  expectStreamException(lib, err, length, where);
  return { error: err.code };
}

/**
 * Reads every field of `msg` (decoded from `length` bytes) and its records; throws Finding on
 * any disagreement. `depth` limits recursion into records.
 * @returns {{ fields: Record<string, string | { error: string }>, data: Uint8Array, records: unknown[], readable: boolean }}
 */
export function readMessage(lib, msg, length, depth = 0) {
  const fields = {};
  let readable = true;
  let present = 0;
  for (const f of lib.FIELDS) {
    let text;
    try {
      text = msg.get(f.id);
    } catch (err) {
      fields[f.name] = readError(lib, err, length, () => `get(${f.name})`);
      readable = false;
      continue;
    }
    if (text === undefined) {
      if (msg.has(f.id)) throw new Finding('mismatch', `has(${f.name}) is true but get gives undefined`);
      if (msg.getBytes(f.id) !== undefined)
        throw new Finding('mismatch', `getBytes(${f.name}) of an absent field is not undefined`);
      if (msg.getBigInt(f.id) !== undefined || msg.getInt(f.id) !== undefined)
        throw new Finding('mismatch', `getInt/getBigInt(${f.name}) of an absent field is not undefined`);
      continue;
    }
    if (typeof text !== 'string') throw new Finding('contract', `get(${f.name}) returned ${typeof text}`);
    if (!msg.has(f.id)) throw new Finding('mismatch', `has(${f.name}) is false but get gives ${JSON.stringify(text)}`);
    fields[f.name] = text;
    present++;
    // getBytes may hand out the raw wire bytes (invalid UTF-8 included); read as text they are get's string.
    const bytes = msg.getBytes(f.id);
    const asText = bytes instanceof Uint8Array ? utf8.decode(bytes) : bytes;
    if (asText !== text && asText !== wellFormed(text))
      expectSame(() => `getBytes(${f.name}) read as UTF-8 vs get`, asText, wellFormed(text));
    if (f.type === 'int' || isDigits(text)) checkIntegers(lib, msg, f, text, length);
  }
  if (readable) checkWholeMessage(lib, msg, fields, present, length);

  const data = msg.getData();
  if (!(data instanceof Uint8Array)) throw new Finding('contract', 'getData() did not return a Uint8Array');
  if (msg.dataLength !== undefined && msg.dataLength !== data.length)
    expectSame('dataLength vs getData().length', msg.dataLength, data.length);

  const records = depth === 0 ? readRecords(lib, msg, length) : NO_RECORDS;
  return { fields, data, records, readable };
}

const NO_RECORDS = Object.freeze({ count: 0, digest: 0 });

/**
 * Reads each record of a SOW batch and sums them up as their count and a digest of each one's
 * fields and body length, in order: comparing two batches compares these. No record is kept, so
 * a batch of many tiny records costs the harness no more per byte as it grows than it costs the
 * decoder.
 */
function readRecords(lib, msg, length) {
  let count = 0;
  let digest = 2166136261;
  for (const record of msg.records()) {
    const r = readMessage(lib, record, length, 1);
    const text = stable([r.fields, r.data.length]);
    for (let i = 0; i < text.length; i++) digest = Math.imul(digest ^ text.charCodeAt(i), 16777619);
    count++;
  }
  return count === 0 ? NO_RECORDS : { count, digest: digest >>> 0 };
}

/** toObject(), fields() and getSequence() against the values read one by one. */
function checkWholeMessage(lib, msg, fields, present, length) {
  const object = msg.toObject();
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null)
    throw new Finding('contract', 'toObject() returned an object with an unexpected prototype');
  let count = 0;
  for (const key of Object.keys(object)) {
    if (key === 'data') continue;
    count++;
    if (object[key] !== fields[key]) expectSame(() => `toObject().${key} vs get`, object[key], fields[key]);
  }
  if (count !== present)
    expectSame(
      'toObject() field names vs the fields present',
      Object.keys(object)
        .filter((k) => k !== 'data')
        .sort(),
      Object.keys(fields).sort(),
    );
  let listed = 0;
  for (const id of msg.fields()) {
    listed++;
    if (fields[lib.FIELDS[id].name] === undefined)
      throw new Finding('mismatch', `fields() lists ${lib.FIELDS[id].name}, which get says is absent`);
  }
  if (listed !== present) throw new Finding('mismatch', `fields() lists ${listed} fields; get finds ${present}`);
  if (typeof msg.getSequence === 'function' && fields.Sequence !== undefined) {
    let seq;
    try {
      seq = msg.getSequence();
    } catch (err) {
      readError(lib, err, length, 'getSequence()');
      // A Sequence is 64-bit: refused exactly when it is no unsigned integer or exceeds 2^64-1.
      let big;
      try {
        big = msg.getBigInt(lib.Field.Sequence);
      } catch {
        return;
      }
      if (big < 1n << 64n) throw new Finding('mismatch', `getSequence() refused ${big}, which getBigInt reads`);
      return;
    }
    expectSame('getSequence() vs getBigInt(Sequence)', seq, msg.getBigInt(lib.Field.Sequence));
  }
}

/**
 * getInt and getBigInt against a reference: they succeed exactly when `get` is a non-empty run
 * of ASCII digits, getBigInt then equals those digits, and getInt equals them when at most
 * 2^53-1 and throws otherwise.
 */
function checkIntegers(lib, msg, f, text, length) {
  let big;
  let int;
  try {
    big = msg.getBigInt(f.id);
  } catch (err) {
    big = readError(lib, err, length, () => `getBigInt(${f.name})`);
  }
  try {
    int = msg.getInt(f.id);
  } catch (err) {
    int = readError(lib, err, length, () => `getInt(${f.name})`);
  }
  if (!isDigits(text)) {
    if (typeof big !== 'object')
      throw new Finding('mismatch', `getBigInt(${f.name}) accepted ${JSON.stringify(text)} as ${big}`);
    if (typeof int !== 'object')
      throw new Finding('mismatch', `getInt(${f.name}) accepted ${JSON.stringify(text)} as ${int}`);
    return;
  }
  const expected = BigInt(text);
  if (big !== expected) expectSame(() => `getBigInt(${f.name}) of ${JSON.stringify(text)}`, big, expected);
  if (expected <= MAX_SAFE) {
    if (int !== Number(expected))
      expectSame(() => `getInt(${f.name}) of ${JSON.stringify(text)}`, int, Number(expected));
  } else if (typeof int !== 'object')
    throw new Finding('mismatch', `getInt(${f.name}) returned ${int} for ${text}, beyond 2^53-1`);
}

/** The field values of a summary as UTF-8 would carry them, for comparing across an encode. */
export function comparableFields(summary) {
  const out = {};
  for (const [name, value] of Object.entries(summary.fields))
    out[name] = typeof value === 'string' ? wellFormed(value) : value;
  return out;
}
