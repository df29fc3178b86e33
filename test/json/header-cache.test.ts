// The encoder keeps a header that is encoded twice unchanged; any change must show at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Command, FIELDS, amps } from '../../src/index.js';
import { fieldValue } from '../helpers/arbitraries.js';
import { text, utf8 } from '../helpers/fixtures.js';

describe('amps/json header cache', () => {
  it('re-encodes an unchanged header identically and picks up every change', () => {
    const edit = fc
      .constantFrom(...FIELDS)
      .chain((f) => fc.tuple(fc.constant(f), fc.option(fieldValue(f), { nil: undefined })));
    fc.assert(
      fc.property(fc.array(fc.tuple(edit, fc.nat(3), fc.string({ maxLength: 8 })), { maxLength: 12 }), (steps) => {
        const cached = new Command('publish').setTopic('orders');
        const target = new Uint8Array(4096);
        for (const [[field, value], repeats, body] of steps) {
          cached.set(field.id, value).setData(body);
          // A fresh message with the same fields is never cached: the reference output.
          const fresh = amps.decode(amps.encode(cached)).copy();
          fresh.setData(body);
          const expected = text(amps.encode(fresh));
          for (let r = 0; r <= repeats; r++) {
            expect(text(amps.encode(cached))).toBe(expected);
            const n = amps.encodeInto(cached, target, 0);
            expect(text(target.subarray(0, n))).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is dropped when a decoded message is decoded into again', () => {
    const m = amps.decode(utf8('{"c":"p","t":"a"}x'));
    amps.encode(m);
    amps.encode(m);
    expect(text(amps.encode(m))).toBe('{"c":"p","t":"a"}x');
    amps.decode(utf8('{"c":"p","t":"b"}y'), m);
    expect(text(amps.encode(m))).toBe('{"c":"p","t":"b"}y');
  });
});
