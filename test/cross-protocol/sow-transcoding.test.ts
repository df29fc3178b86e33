// A SOW batch decoded in one protocol and encoded in another carries its records across.
import { describe, expect, it } from 'vitest';
import { CommandException, FIELDS, amps, fix, nvfix, xml, type Message, type Protocol } from '../../src/index.js';
import { text, utf8 } from '../helpers/fixtures.js';

function records(m: Message): { fields: Record<string, string>; body: string }[] {
  return [...m.records()].map((r) => ({
    fields: Object.fromEntries([...r.fields()].map((id) => [FIELDS[id]!.name, r.get(id)!])),
    body: text(r.getData()),
  }));
}

const jsonBatch = utf8(
  '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10,"ts":"20240101T000000"}{"id":"a"}{"k":"1\\"1","l":3}a&b',
);
const expected = [
  { fields: { SowKey: '10', MessageLength: '10', Timestamp: '20240101T000000' }, body: '{"id":"a"}' },
  { fields: { SowKey: '1"1', MessageLength: '3' }, body: 'a&b' },
];

describe('SOW batches across protocols', () => {
  for (const target of [fix, nvfix, xml] as Protocol[]) {
    it(`amps → ${target.name} → amps keeps every record`, () => {
      const there = target.decode(target.encode(amps.decode(jsonBatch)));
      expect(there.getQueryID()).toBe('q1');
      expect(records(there).map((r) => r.body)).toEqual(expected.map((r) => r.body));
      expect(records(there).map((r) => r.fields['SowKey'])).toEqual(['10', '1"1']);
      const back = amps.decode(amps.encode(there));
      expect(records(back).map((r) => [r.fields['SowKey'], r.fields['MessageLength'], r.body])).toEqual(
        expected.map((r) => [r.fields.SowKey, r.fields.MessageLength, r.body]),
      );
    });
  }

  it('writes fix records with their MessageLength and a separator after each body', () => {
    const encoded = text(fix.encode(amps.decode(jsonBatch)));
    expect(encoded).toBe(
      '20000=sow\x0120019=q1\x0120023=2\x01\x0220059=10\x0120058=10\x0120004=20240101T000000\x01\x02{"id":"a"}\x0120059=1"1\x0120058=3\x01\x02a&b\x01',
    );
  });

  it('writes xml records as <Msg> elements with escaped attributes', () => {
    const encoded = text(xml.encode(amps.decode(jsonBatch)));
    expect(encoded).toContain(
      '<SOAP-ENV:Body><Msg key="10" ts="20240101T000000" len="10">{"id":"a"}</Msg><Msg key="1&quot;1" len="3">a&b</Msg></SOAP-ENV:Body>',
    );
  });

  it('refuses a record field that <Msg> cannot carry, rather than dropping it', () => {
    const withCorrelation = amps.decode(utf8('{"c":"sow","bs":1}{"k":"1","x":"c1","l":1}a'));
    expect(() => xml.encode(withCorrelation)).toThrow(CommandException);
  });
});
