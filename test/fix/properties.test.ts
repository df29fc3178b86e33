import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandException, FIELDS, Field, createFixProtocol, fix, type FieldDescriptor } from '../../src/index.js';
import { anyBytes, fieldSubset, messageOf, valuesOf } from '../helpers/arbitraries.js';
import { utf8 } from '../helpers/fixtures.js';
import { decodeAndRead, mutate } from '../cross-protocol/legacy-helpers.js';

// Every field fix spells, but MessageLength, which each property sets from the body.
const SPELLED = FIELDS.filter((f) => f.fixTag !== undefined && f.id !== Field.MessageLength);
const NOT_SOW = (pairs: readonly (readonly [FieldDescriptor, string])[]) =>
  !pairs.some(([f, v]) => f.id === Field.Command && v === 'sow');

const validPayloads = [
  '20000=publish\x0120005=orders\x0120001=7\x0120058=12\x01\x0255=IBM\x0154=1\x01',
  '20000=sow\x0120019=q1\x0120023=2\x01\x0220059=10\x0120058=10\x01\x02{"id":"a"}\x0120059=11\x0120058=10\x01\x02{"id":"b"}\x01',
  '20000=p\x0120005=orders\x01\x0220001=9\x0120058=3\x01\x02abc',
  '20000=ack\x0120001=7\x0120008=processed\x0120018=success\x0120999=x\x01\x02',
].map(utf8);

describe('fix properties', () => {
  it('decode(encode(m)) = m over any subset of the fields fix spells, MessageLength bounding the body', () => {
    fc.assert(
      fc.property(
        fieldSubset(SPELLED, { exclude: '\x01\x02' }).filter(NOT_SOW),
        fc.uint8Array({ maxLength: 64 }),
        (pairs, data) => {
          const m = messageOf(pairs, data).set(Field.MessageLength, data.length);
          const back = fix.decode(fix.encode(m));
          expect(valuesOf(back)).toEqual(valuesOf(m));
          expect(back.getData()).toEqual(data);
          if (m.has('Command')) expect([...back.fields()][0]).toBe(Field.Command);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('without MessageLength the body runs to the end, whatever bytes it holds', () => {
    const command = fc.constantFrom('ack', 'subscribe', 'sow_delete', 'delta_publish', 'heartbeat', 'group_begin');
    fc.assert(
      fc.property(
        command,
        fieldSubset(
          SPELLED.filter((f) => f.id !== Field.Command),
          { exclude: '\x01\x02' },
        ),
        fc.uint8Array({ maxLength: 64 }),
        (cmd, pairs, data) => {
          const m = messageOf(pairs, data).set(Field.Command, cmd);
          const back = fix.decode(fix.encode(m));
          expect(valuesOf(back)).toEqual(valuesOf(m));
          expect(back.getData()).toEqual(data);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any two separators round-trip values that do not hold them', () => {
    const separator = fc.integer({ min: 0, max: 255 }).filter((b) => !(b >= 0x30 && b <= 0x39) && b !== 0x3d);
    fc.assert(
      fc.property(
        separator,
        separator,
        fieldSubset(SPELLED).filter(NOT_SOW),
        fc.uint8Array({ maxLength: 32 }),
        (fs, hs, pairs, data) => {
          fc.pre(fs !== hs);
          const protocol = createFixProtocol({ fieldSeparator: fs, headerSeparator: hs });
          const m = messageOf(pairs, data).set(Field.MessageLength, data.length);
          let encoded: Uint8Array;
          try {
            encoded = protocol.encode(m);
          } catch (err) {
            // Only a value holding a separator byte may be refused.
            expect(err).toBeInstanceOf(CommandException);
            expect((err as CommandException).code).toBe('AMPS_UNENCODABLE');
            expect(pairs.some(([, v]) => utf8(v).includes(fs) || utf8(v).includes(hs))).toBe(true);
            return;
          }
          expect(pairs.some(([, v]) => utf8(v).includes(fs) || utf8(v).includes(hs))).toBe(false);
          const back = protocol.decode(encoded);
          expect(valuesOf(back)).toEqual(valuesOf(m));
          expect(back.getData()).toEqual(data);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a value holding a separator is refused with CommandException, never written', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPELLED),
        fc.string(),
        fc.constantFrom('\x01', '\x02'),
        fc.string(),
        (f, a, sep, b) => {
          const m = messageOf([[f, a + sep + b]], new Uint8Array(0));
          expect(() => fix.encode(m)).toThrow(CommandException);
          try {
            fix.encode(m);
          } catch (err) {
            expect((err as CommandException).code).toBe('AMPS_UNENCODABLE');
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('arbitrary bytes decode or throw an AMPSException, never anything else', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => decodeAndRead(fix, bytes)),
      { numRuns: 1500 },
    );
  });

  it('fix-flavoured noise decodes or throws an AMPSException', () => {
    const token = fc.constantFrom(
      '20000=',
      '20058=',
      '20023=',
      '20059=',
      'sow',
      'p',
      'publish',
      'oof',
      '=',
      '\x01',
      '\x02',
      '1',
      '0',
      '99999999999',
      'x',
      '20000=sow\x01',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => decodeAndRead(fix, utf8(tokens.join('')))),
      { numRuns: 1500 },
    );
  });

  it('mutations of valid payloads decode or throw an AMPSException', () => {
    const mutation = fc.tuple(
      fc.constantFrom(...validPayloads),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(),
    );
    fc.assert(
      fc.property(mutation, ([payload, edits, cut]) => decodeAndRead(fix, mutate(payload, edits, cut))),
      { numRuns: 1500 },
    );
  });
});
