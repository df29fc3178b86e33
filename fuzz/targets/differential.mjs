/**
 * The differential target: for every header protocol that accepts the input, re-encode the
 * decoded Message with every protocol and decode it again; the header field values must be the
 * ones first decoded. An encoder may refuse a value it cannot carry (CommandException), never
 * write bytes its own decoder rejects or reads differently, nor drop a field silently.
 */
import { Finding, expectSame } from '../engine/oracles.mjs';
import { comparableFields, readMessage } from './read-message.mjs';
import { decodeAndRead } from './protocols.mjs';

const PROTOCOLS = ['amps', 'fix', 'nvfix', 'xml'];

function present(lib) {
  return PROTOCOLS.filter((name) => lib[name] !== undefined && typeof lib[name].decode === 'function');
}

export const differential = {
  name: 'differential',
  requires: ['amps', 'Message', 'FIELDS', 'CommandException'],
  dictionary: 'json',
  code: ['json', 'fix', 'nvfix', 'tag-value', 'xml', 'core'],
  fixtures: ['json', 'amps', 'fix', 'nvfix', 'xml'],
  run(lib, input) {
    const names = present(lib);
    for (const from of names) {
      const first = decodeAndRead(lib, lib[from], input);
      if (first === undefined || !first.summary.readable) continue;
      const expected = comparableFields(first.summary);
      const length = first.msg.get(lib.Field.MessageLength);
      // A SOW batch's body holds records framed in the protocol it came in: it only re-encodes
      // in that protocol. A body whose MessageLength disagrees with it is not compared.
      const batch = first.summary.records.count > 0 || first.summary.fields.Command === 'sow';
      const bodyComparable =
        first.summary.records.count === 0 && (length === undefined || length === String(first.summary.data.length));
      for (const to of names) {
        if (batch && to !== from) continue;
        let encoded;
        try {
          encoded = lib[to].encode(first.msg);
        } catch (err) {
          if (err instanceof lib.CommandException) continue;
          throw err;
        }
        let again;
        try {
          again = lib[to].decode(encoded);
        } catch (err) {
          if (!(err instanceof lib.AMPSException)) throw err;
          throw new Finding(
            'mismatch',
            `${to}.decode rejected what ${to}.encode wrote for a message decoded by ${from}: ${err.message}`,
          );
        }
        const summary = readMessage(lib, again, encoded.length);
        const got = comparableFields(summary);
        // A tag=value encoder may add MessageLength to bound a body that would otherwise read
        // as more header fields; it is framing, not content, as long as it is the body's length.
        if (expected.MessageLength === undefined && got.MessageLength === String(summary.data.length))
          delete got.MessageLength;
        expectSame(() => `${from}.decode → ${to}.encode → ${to}.decode: field values`, got, expected);
        if (bodyComparable)
          expectSame(() => `${from}.decode → ${to}.encode → ${to}.decode: body`, summary.data, first.summary.data);
      }
    }
  },
};
