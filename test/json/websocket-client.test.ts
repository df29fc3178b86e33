// What 60East's JavaScript client expects of the headers it reads (WIRE.md section 7).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Command, FIELDS, Field, amps } from '../../src/index.js';
import { text } from '../helpers/fixtures.js';

// The client's own pattern for Sequence: bare digits followed by another key.
const CLIENT_SEQUENCE = /"s":(\d+),/;

describe('headers the JavaScript client can read', () => {
  it('a publish with a Sequence always has it followed by another key', () => {
    const others = FIELDS.filter((f) => f.id !== Field.Command && f.id !== Field.Sequence && f.type !== 'int');
    fc.assert(
      fc.property(
        fc.subarray(others, { minLength: 1 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.nat(8),
        (fields, seq, position) => {
          const c = new Command('publish');
          const at = position % (fields.length + 1);
          fields.forEach((f, i) => {
            if (i === at) c.setSequence(seq);
            c.set(f.id, 'v');
          });
          if (at === fields.length) c.setSequence(seq);
          const match = CLIENT_SEQUENCE.exec(text(amps.encode(c)));
          expect(match?.[1]).toBe(String(seq));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the shapes the client routes on', () => {
    const ack = new Command('ack').setCommandId('1').setAckType('processed').setStatus('success').setVersion('5.3.3.0');
    expect(text(amps.encode(ack))).toBe('{"c":"ack","cid":"1","a":"processed","status":"success","version":"5.3.3.0"}');
    const delivery = new Command('p')
      .setTopic('orders')
      .setSubscriptionIds('s1,s2')
      .setSequence(7n)
      .setBookmark('1|2|');
    expect(text(amps.encode(delivery))).toBe('{"c":"p","t":"orders","sids":"s1,s2","s":7,"bm":"1|2|"}');
  });
});

describe('integers with leading zeros', () => {
  it('are written quoted, since a JSON number cannot start with 0, and read back unchanged', () => {
    const c = new Command('publish').setExpiration('007').setSequence('0').setBatchSize('00');
    const encoded = text(amps.encode(c));
    expect(encoded).toBe('{"c":"publish","e":"007","s":0,"bs":"00"}');
    const back = amps.decode(amps.encode(c));
    expect([back.getExpiration(), back.get('Sequence'), back.getBatchSize()]).toEqual(['007', '0', '00']);
  });
});
