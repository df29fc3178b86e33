import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMPSException, Command, CommandException, FIELDS, amps, fieldId } from '../../src/index.js';
import { onlyAmpsExceptions, readAll } from '../helpers/decoding.js';
import { anyBytes, awkwardString, fieldSubset, messageOf, valuesOf } from '../helpers/arbitraries.js';
import { utf8 } from '../helpers/fixtures.js';

function readAllOf(payload: Uint8Array): void {
  readAll(amps.decode(payload));
}

const validPayloads = [
  '{"c":"publish","t":"orders","cid":"7","a":"processed"}{"id":1,"qty":300}',
  '{"c":"p","t":"orders","sub_id":"s1","sids":"s1","s":42,"bm":"12|1700000000000000001|"}{"id":1}',
  '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10}{"id":"a"}{"k":"11","x":"c1","l":10}{"id":"b"}',
  '{"c":"p","t":"a\\"b\\u00e9\\ud83d\\ude00","zz":{"a":[1,2,{"b":"}"}]},"s":18446744073709551615,"e":null}x',
].map(utf8);

describe('amps/json properties', () => {
  it('decode(encode(m)) = m over any subset of the 49 fields with awkward values', () => {
    fc.assert(
      fc.property(fieldSubset(FIELDS, { loneSurrogates: true }), fc.uint8Array({ maxLength: 64 }), (pairs, data) => {
        const m = messageOf(pairs, data);
        const back = amps.decode(amps.encode(m));
        expect(valuesOf(back)).toEqual(valuesOf(m));
        expect(back.getData()).toEqual(data);
        // Order: Command first, then the order set (Sequence only moves off the end).
        const order = [...back.fields()];
        if (m.has('Command')) expect(order[0]).toBe(fieldId('Command'));
      }),
      { numRuns: 400 },
    );
  });

  it('encodeInto writes the same bytes as encode, at any offset, and reports the size', () => {
    fc.assert(
      fc.property(fieldSubset(FIELDS), fc.uint8Array({ maxLength: 40 }), fc.nat(16), (pairs, data, offset) => {
        const m = messageOf(pairs, data);
        const expected = amps.encode(m);
        const target = new Uint8Array(offset + expected.length + 3).fill(0xee);
        const n = amps.encodeInto(m, target, offset);
        expect(n).toBe(expected.length);
        expect(target.subarray(offset, offset + n)).toEqual(expected);
        expect([...target.subarray(0, offset), ...target.subarray(offset + n)].every((b) => b === 0xee)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('JSON.parse is the oracle for headers written by JSON.stringify', () => {
    const keys = FIELDS.flatMap((f) => [f.json, ...f.jsonAliases]);
    const key = fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 }));
    const value = fc.oneof(awkwardString(), fc.integer({ min: -1e9, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), fc.string({ maxLength: 20 }), (members, body) => {
        const header = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
        const oracle = JSON.parse(header) as Record<string, string | number>;
        // For each field, the last key (in the header's order) spelling it wins.
        const expected = new Map<number, string>();
        for (const [k] of members) {
          const f = FIELDS.find((d) => d.json === k || d.jsonAliases.includes(k));
          if (f !== undefined) expected.set(f.id, String(oracle[k]));
        }
        const m = amps.decode(utf8(header + body));
        expect(new Map([...m.fields()].map((id) => [id, m.get(id)!]))).toEqual(expected);
        for (const [k] of members) {
          if (keys.includes(k) || fieldId(k) !== undefined) continue;
          const v = oracle[k]!;
          expect(m.get(k)).toBe(typeof v === 'string' ? v : JSON.stringify(v));
        }
        expect(new TextDecoder().decode(m.getData())).toBe(body);
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary bytes decode or throw an AMPSException, never anything else', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => onlyAmpsExceptions(() => readAllOf(bytes))),
      { numRuns: 2000 },
    );
  });

  it('JSON-flavoured noise decodes or throws an AMPSException', () => {
    const token = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '\\',
      '\\u',
      'null',
      'true',
      '1',
      '-',
      '.',
      'e',
      '"c"',
      '"sow"',
      '"l"',
      '"bs"',
      '"s"',
      ' ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) =>
        onlyAmpsExceptions(() => readAllOf(utf8(tokens.join('')))),
      ),
      { numRuns: 2000 },
    );
  });

  it('mutations of valid payloads decode or throw an AMPSException', () => {
    const mutation = fc.tuple(
      fc.constantFrom(...validPayloads),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      fc.nat(),
    );
    fc.assert(
      fc.property(mutation, ([payload, edits, cut]) => {
        const bytes = payload.slice(0, Math.max(1, payload.length - (cut % 8)));
        for (const [at, b] of edits) bytes[at % bytes.length] = b;
        onlyAmpsExceptions(() => readAllOf(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('a SOW batch cut at any byte never decodes silently into fewer records', () => {
    const batch = validPayloads[2]!;
    const headerEnd = batch.indexOf(0x7d) + 1;
    for (let cut = 0; cut < batch.length; cut++) {
      const part = batch.subarray(0, cut);
      if (cut === headerEnd) {
        // Exactly the outer header: a sow message with no records is legal on its own.
        expect([...amps.decode(part).records()]).toHaveLength(0);
        continue;
      }
      expect(() => amps.decode(part), `cut at ${cut}`).toThrow(AMPSException);
    }
  });
});

describe('amps/json encodeInto and encodeFrame', () => {
  it('refuses a target that is too small with the size it needs, writing nothing past it', () => {
    const c = new Command('publish').setTopic('orders').setData('{"id":1}');
    const needed = amps.encode(c).length;
    const target = new Uint8Array(needed + 2).fill(7);
    let caught: unknown;
    try {
      amps.encodeInto(c, target, 3);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CommandException);
    expect((caught as CommandException).code).toBe('AMPS_BUFFER_TOO_SMALL');
    expect((caught as CommandException).needed).toBe(needed);
    expect([...target].every((b) => b === 7)).toBe(true);
    expect(amps.encodeInto(c, target, 2)).toBe(needed);
    expect(() => amps.encodeInto(c, target, -1)).toThrow(CommandException);
  });

  it('frames the payload with its big-endian length', () => {
    const c = new Command('publish').setTopic('t');
    const payload = amps.encode(c);
    const framed = amps.encodeFrame(c);
    expect([...framed.subarray(0, 4)]).toEqual([0, 0, 0, payload.length]);
    expect(framed.subarray(4)).toEqual(payload);
  });
});
