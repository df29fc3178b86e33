// Properties of the nvfix header protocol and of NVFIX bodies, beside the fixtures: round trips
// over any subset of fields, and bodies that shred back to what was built, whatever the order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMPSException,
  FIELDS,
  Field,
  NVFIXBuilder,
  NVFIXCursor,
  NVFIXShredder,
  nvfix,
  type FieldDescriptor,
} from '../../src/index.js';
import { fieldSubset, messageOf, valuesOf } from '../helpers/arbitraries.js';

const SPELLED = FIELDS.filter((f) => f.fixTag !== undefined && f.id !== Field.MessageLength);
const NOT_SOW = (pairs: readonly (readonly [FieldDescriptor, string])[]) =>
  !pairs.some(([f, v]) => f.id === Field.Command && v === 'sow');

// A name is any text without '=' or the separator; a value any text without the separator.
const name = fc.string({ maxLength: 12 }).filter((s) => !s.includes('=') && !s.includes('\x01'));
const value = fc.string({ maxLength: 16 }).filter((s) => !s.includes('\x01'));

describe('nvfix properties', () => {
  it('decode(encode(m)) = m over any subset of the header fields, MessageLength bounding the body', () => {
    fc.assert(
      fc.property(
        fieldSubset(SPELLED, { exclude: '\x01\x02' }).filter(NOT_SOW),
        fc.uint8Array({ maxLength: 64 }),
        (pairs, data) => {
          const m = messageOf(pairs, data).set(Field.MessageLength, data.length);
          const back = nvfix.decode(nvfix.encode(m));
          expect(valuesOf(back)).toEqual(valuesOf(m));
          expect(back.getData()).toEqual(data);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a built body shreds back: last value per name, first position, cursor and get agree', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 12 }), (pairs) => {
        const builder = new NVFIXBuilder();
        for (const [k, v] of pairs) builder.append(k, v);
        const body = builder.getBytes().slice();
        const expected = new Map<string, string>();
        for (const [k, v] of pairs) expected.set(k, v);
        const shredder = new NVFIXShredder();
        expect([...shredder.toMap(body)]).toEqual([...expected]);
        for (const [k, v] of expected) expect(shredder.get(body, k)).toBe(v);
        const seen: [string, string][] = [];
        const c = new NVFIXCursor().reset(body);
        while (c.next()) seen.push([c.key(), c.value()]);
        expect(seen).toEqual(pairs);
      }),
      { numRuns: 300 },
    );
  });

  it('empty fields anywhere change nothing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            name.filter((n) => n !== ''),
            value,
          ),
          { maxLength: 8 },
        ),
        fc.array(fc.nat(3), { minLength: 9, maxLength: 9 }),
        (pairs, extra) => {
          const plain = pairs.map(([k, v]) => `${k}=${v}\x01`).join('');
          const padded =
            '\x01'.repeat(extra[0]!) +
            pairs.map(([k, v], i) => `${k}=${v}${'\x01'.repeat(1 + extra[i + 1]!)}`).join('');
          const shredder = new NVFIXShredder();
          expect([...shredder.toMap(padded)]).toEqual([...shredder.toMap(plain)]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any bytes either shred or throw an AMPSException', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          new NVFIXShredder().toMap(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(AMPSException);
        }
      }),
      { numRuns: 300 },
    );
  });
});
