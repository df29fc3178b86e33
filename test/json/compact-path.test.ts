// The json decoder reads compact headers (no whitespace, no escapes, each key once) on a fast
// path and hands anything else to the full parser. A space after the opening brace sends a header
// straight to the full parser, so decoding a header with and without it must give the same message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMPSException, FIELDS, type Message, StreamException, amps, createJsonProtocol } from '../../src/index.js';
import { thrown } from '../helpers/decoding.js';
import { utf8 } from '../helpers/fixtures.js';

/** Everything a caller can read from a decoded message's header and body, as plain values. */
function contents(msg: Message, unknownKeys: readonly string[]): unknown {
  const fields = [...msg.fields()].map((id) => [FIELDS[id]!.name, msg.get(id), [...(msg.getBytes(id) ?? [])]]);
  const unknown = unknownKeys.map((k) => [k, msg.get(k) ?? null]);
  const records = [...msg.records()].map((r) => contents(r, unknownKeys));
  return { fields, unknown, data: [...msg.getData()], records };
}

/** The outcome of decoding: the contents, or the error's class and code (offsets differ by one). */
function outcome(payload: string, unknownKeys: readonly string[]): unknown {
  try {
    return contents(amps.decode(utf8(payload)), unknownKeys);
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
    return { error: err.constructor.name, code: err.code };
  }
}

/** The same header with a space after its opening brace: the full parser's reading. */
function spaced(payload: string): string {
  return `{ ${payload.slice(1)}`;
}

const keys = [...FIELDS.flatMap((f) => [f.json, ...f.jsonAliases]), 'zz', 'sub', 'é', 'a"b', 'x\\y'];
const rawValues = [
  '"orders"',
  '""',
  '"a b!"',
  '"tab\there"',
  '"q\\"uote"',
  '"\\u00e9"',
  '"é"',
  '0',
  '7',
  '007',
  '01',
  '18446744073709551615',
  '-1',
  '1.5',
  '2e3',
  'true',
  'false',
  'null',
  '{"a":[1,"}"]}',
  '[]',
];
const member = fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...rawValues));

describe('amps/json compact fast path', () => {
  it('decodes every header exactly as the full parser does', () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 10 }), fc.string({ maxLength: 12 }), (members, body) => {
        const header = `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
        const unknownKeys = members.map(([k]) => k).filter((k) => !FIELDS.some((f) => f.json === k));
        const payload = header + body;
        expect(outcome(payload, unknownKeys)).toEqual(outcome(spaced(payload), unknownKeys));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the records of a compact SOW batch as the full parser does', () => {
    const batch = '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10}{"id":"a"}{"k":"11","x":"c1","l":10}{"id":"b"}';
    const spacedRecords =
      '{"c":"sow","query_id":"q1","bs":2}{ "k":"10","l":10}{"id":"a"}{ "k":"11","x":"c1","l":10}{"id":"b"}';
    const records = (payload: string) => [...amps.decode(utf8(payload)).records()].map((r) => contents(r, []));
    expect(records(batch)).toEqual(records(spaced(spacedRecords)));
    expect([...amps.decode(utf8(batch)).records()].map((r) => r.getSowKey())).toEqual(['10', '11']);
  });

  it('keeps the last value of a repeated key, as the full parser does', () => {
    const msg = amps.decode(utf8('{"t":"a","c":"p","t":"b"}'));
    expect(msg.getTopic()).toBe('b');
    expect([...msg.fields()].map((id) => FIELDS[id]!.name)).toEqual(['Topic', 'Command']);
  });

  it('records where each compact value lies, with no copy', () => {
    const payload = utf8('{"c":"p","t":"orders","s":18446744073709551615,"zz":12}BODY');
    const msg = amps.decode(payload);
    const topic = msg.getBytes('Topic')!;
    expect(topic.buffer).toBe(payload.buffer);
    expect(topic.byteOffset).toBe(14);
    expect(msg.getSequence()).toBe(18446744073709551615n);
    expect(msg.get('zz')).toBe('12');
    expect(new TextDecoder().decode(msg.getData())).toBe('BODY');
  });

  it('reports the full parser errors for headers that leave the fast path', () => {
    const cases: [string, string, number][] = [
      ['{"c":"p","t":01}', 'AMPS_BAD_JSON', 14],
      ['{"c":"p","t":"x', 'AMPS_TRUNCATED', 15],
      ['{"c":"p","t"', 'AMPS_TRUNCATED', 12],
      ['{"c":"p",}', 'AMPS_BAD_JSON', 9],
      ['{"c":"p","t":{}}', 'AMPS_BAD_JSON', 13],
      ['{"c":"p\\q"}', 'AMPS_BAD_JSON', 7],
    ];
    for (const [payload, code, offset] of cases) {
      const err = thrown(() => amps.decode(utf8(payload)));
      expect(err, payload).toBeInstanceOf(StreamException);
      expect([(err as StreamException).code, (err as StreamException).offset], payload).toEqual([code, offset]);
    }
  });

  it('applies the member limit on the fast path too', () => {
    const strict = createJsonProtocol({ maxFields: 2 });
    expect(strict.decode(utf8('{"c":"p","t":"a"}')).getTopic()).toBe('a');
    const err = thrown(() => strict.decode(utf8('{"c":"p","t":"a","zz":1}')));
    expect((err as StreamException).code).toBe('AMPS_TOO_MANY_FIELDS');
  });
});
