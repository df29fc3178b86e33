/**
 * Decode targets for the header protocols (amps/json, fix, nvfix, xml): decode the input, read
 * everything the Message offers (read-message.mjs), and check two differentials that hold for any
 * input: decoding into a reused Message gives what a fresh decode gives, and a protocol variant
 * that differs only in limits or separators agrees with the default one.
 */
import { Finding, expectSame, expectStreamException } from '../engine/oracles.mjs';
import { readMessage } from './read-message.mjs';

/**
 * Decodes `input` with `protocol`; undefined when the decoder rejects it (properly).
 * @returns {{ msg: object, summary: ReturnType<typeof readMessage> } | undefined}
 */
export function decodeAndRead(lib, protocol, input, into) {
  let msg;
  try {
    msg = protocol.decode(input, into);
  } catch (err) {
    expectStreamException(lib, err, input.length, `${protocol.name}.decode`);
    return undefined;
  }
  if (!(msg instanceof lib.Message))
    throw new Finding('contract', `${protocol.name}.decode returned ${typeof msg}, not a Message`);
  return { msg, summary: readMessage(lib, msg, input.length) };
}

/** Outcome of a decode as plain data: the summary, or the error code and offset. */
function outcome(lib, protocol, input, into) {
  try {
    const msg = protocol.decode(input, into);
    return readMessage(lib, msg, input.length);
  } catch (err) {
    expectStreamException(lib, err, input.length, `${protocol.name}.decode`);
    return { error: err.code, offset: err.offset };
  }
}

/**
 * One decode target per protocol.
 * @param {object} spec
 * @param {string} spec.name target name
 * @param {string} spec.protocol the library export holding the protocol (`amps`, `fix`, ...)
 * @param {string} spec.dictionary which dictionary of dictionaries.mjs to mutate with
 * @param {string[]} spec.code folders of dist/esm counted as this target's code
 * @param {string[]} spec.fixtures folders of test/fixtures to take seeds from
 * @param {(lib: object) => object | undefined} [spec.strict] a variant protocol whose accepted
 *   inputs must decode as with the default one (tight limits only ever reject)
 * @param {(lib: object, input: Uint8Array) => [object, Uint8Array] | undefined} [spec.respelled]
 *   the same input in a variant's syntax (other separators), which must decode the same
 */
export function protocolTarget(spec) {
  let reused;
  let strict;
  return {
    name: spec.name,
    requires: [spec.protocol, 'Message', 'FIELDS'],
    dictionary: spec.dictionary,
    code: spec.code,
    fixtures: spec.fixtures,
    run(lib, input) {
      const protocol = lib[spec.protocol];
      const fresh = outcome(lib, protocol, input);
      // A Message filled by an earlier input must not leak anything into the next decode.
      reused ??= new lib.Message();
      expectSame(
        () => `${protocol.name}.decode into a reused Message vs a fresh one`,
        outcome(lib, protocol, input, reused),
        fresh,
      );

      if (spec.strict !== undefined) {
        strict ??= spec.strict(lib);
        if (strict !== undefined) {
          const tight = outcome(lib, strict, input);
          if (tight.error === undefined)
            expectSame(() => `${protocol.name} with tight limits vs default limits`, tight, fresh);
        }
      }
      if (spec.respelled !== undefined) {
        const variant = spec.respelled(lib, input);
        if (variant !== undefined) {
          const [other, bytes] = variant;
          // Bodies differ (their separators were respelled too), so compare fields and lengths.
          expectSame(
            () => `${protocol.name} with other separators vs default`,
            shape(outcome(lib, other, bytes)),
            shape(fresh),
          );
        }
      }
    },
  };
}

/** A decode outcome without body bytes: fields, body length, records; or the error code. */
function shape(result) {
  if (result.error !== undefined) return { error: result.error };
  return { fields: result.fields, dataLength: result.data.length, records: result.records };
}

let respellers;

/**
 * fix/nvfix: the input with `\x01` → `|` and `\x02` → `^`, decoded by a protocol using those
 * separators, when the input holds neither `|` nor `^` already.
 */
function respellTagValue(factoryName) {
  return (lib, input) => {
    const factory = lib[factoryName];
    if (typeof factory !== 'function') return undefined;
    respellers ??= new Map();
    let protocol = respellers.get(factoryName);
    if (protocol === undefined) {
      protocol = factory({ fieldSeparator: '|', headerSeparator: '^' });
      respellers.set(factoryName, protocol);
    }
    const out = new Uint8Array(input.length);
    for (let i = 0; i < input.length; i++) {
      const b = input[i];
      if (b === 0x7c || b === 0x5e) return undefined;
      out[i] = b === 0x01 ? 0x7c : b === 0x02 ? 0x5e : b;
    }
    return [protocol, out];
  };
}

/** A variant of a protocol made by `factoryName` with tight limits, when the library has the factory. */
function tight(factoryName, options) {
  return (lib) => (typeof lib[factoryName] === 'function' ? lib[factoryName](options) : undefined);
}

export const json = protocolTarget({
  name: 'json',
  protocol: 'amps',
  dictionary: 'json',
  code: ['json', 'core'],
  fixtures: ['json', 'amps'],
  strict: tight('createJsonProtocol', { maxDepth: 2, maxFields: 6 }),
});

/** fix and nvfix share one decoder and differ only in names. */
function tagValueTarget(name, factoryName) {
  return protocolTarget({
    name,
    protocol: name,
    dictionary: 'fix',
    code: [name, 'tag-value', 'core'],
    fixtures: [name],
    strict: tight(factoryName, { maxFields: 6 }),
    respelled: respellTagValue(factoryName),
  });
}

export const fix = tagValueTarget('fix', 'createFixProtocol');
export const nvfix = tagValueTarget('nvfix', 'createNvfixProtocol');

export const xml = protocolTarget({
  name: 'xml',
  protocol: 'xml',
  dictionary: 'xml',
  code: ['xml', 'core'],
  fixtures: ['xml'],
  strict: tight('createXmlProtocol', { maxFields: 6 }),
});
