import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandException, Field, Message, amps, fix, nvfix, protocol, xml, type Protocol } from '../../src/index.js';
import { commonMessages, valuesOf } from '../helpers/arbitraries.js';
import { text, utf8 } from '../helpers/fixtures.js';

const PROTOCOLS: readonly Protocol[] = [amps, fix, nvfix, xml];

/** Messages every protocol can write, with MessageLength set from the body as servers send it. */
function messages() {
  return commonMessages(48).map((m) => m.set(Field.MessageLength, m.getData().length));
}

describe('across protocols', () => {
  it('a Message encoded in json, fix, nvfix and xml decodes to the same field values and body from each', () => {
    fc.assert(
      fc.property(messages(), (m) => {
        for (const p of PROTOCOLS) {
          const back = p.decode(p.encode(m));
          expect(valuesOf(back), p.name).toEqual(valuesOf(m));
          expect(back.getData(), p.name).toEqual(m.getData());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a message decoded from one protocol re-encodes into any other unchanged', () => {
    fc.assert(
      fc.property(messages(), fc.array(fc.constantFrom(...PROTOCOLS), { minLength: 2, maxLength: 6 }), (m, path) => {
        let current: Message = m;
        for (const p of path) current = p.decode(p.encode(current));
        expect(valuesOf(current)).toEqual(valuesOf(m));
        expect(current.getData()).toEqual(m.getData());
      }),
      { numRuns: 200 },
    );
  });

  it('the same delivery captured in each protocol reads the same', () => {
    const body = '{"id":1}';
    const wires: [Protocol, string][] = [
      [
        amps,
        `{"c":"p","t":"orders","sub_id":"s1","sids":"s1,s2","s":18446744073709551615,"bm":"12|1700000000000000001|","x":"c&1"}${body}`,
      ],
      [
        fix,
        `20000=p\x0120005=orders\x0120009=s1\x0120061=s1,s2\x0120036=18446744073709551615\x0120037=12|1700000000000000001|\x0120074=c&1\x0120058=8\x01\x02${body}`,
      ],
      [
        xml,
        `<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>p</Cmd><Tpc><![CDATA[orders]]></Tpc><SubId>s1</SubId><SubIds><![CDATA[s1,s2]]></SubIds><Seq>18446744073709551615</Seq><BkMrk>12|1700000000000000001|</BkMrk><CrlId>c&amp;1</CrlId><MsgLn>8</MsgLn></SOAP-ENV:Header><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      ],
    ];
    const expected = {
      Command: 'publish',
      Topic: 'orders',
      SubscriptionId: 's1',
      SubscriptionIds: 's1,s2',
      Sequence: '18446744073709551615',
      Bookmark: '12|1700000000000000001|',
      CorrelationId: 'c&1',
    };
    for (const [p, wire] of wires) {
      const m = p.decode(utf8(wire));
      const values = valuesOf(m);
      delete values['MessageLength'];
      expect(values, p.name).toEqual(expected);
      expect(m.getSequence()).toBe(18446744073709551615n);
      expect(text(m.getData())).toBe(body);
    }
  });

  it('SOW batches read the same records from json, fix and xml', () => {
    const wires: [Protocol, string][] = [
      [amps, '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10}{"id":"a"}{"k":"11","l":10}{"id":"b"}'],
      [
        fix,
        '20000=sow\x0120019=q1\x0120023=2\x01\x0220059=10\x0120058=10\x01\x02{"id":"a"}\x0120059=11\x0120058=10\x01\x02{"id":"b"}\x01',
      ],
      [
        xml,
        '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><QId><![CDATA[q1]]></QId><BtchSz>2</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body><Msg key="10" len="10">{"id":"a"}</Msg><Msg key="11" len="10">{"id":"b"}</Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>',
      ],
    ];
    for (const [p, wire] of wires) {
      const m = p.decode(utf8(wire));
      expect(valuesOf(m), p.name).toEqual({ Command: 'sow', QueryID: 'q1', BatchSize: '2' });
      expect(
        [...m.records()].map((r) => [valuesOf(r), text(r.getData())]),
        p.name,
      ).toEqual([
        [{ SowKey: '10', MessageLength: '10' }, '{"id":"a"}'],
        [{ SowKey: '11', MessageLength: '10' }, '{"id":"b"}'],
      ]);
    }
  });

  it('unknown keys stay with the protocol that decoded them', () => {
    const fromFix = fix.decode(utf8('20000=ack\x0120999=x\x01\x02'));
    expect(fromFix.get('20999')).toBe('x');
    expect(text(fix.encode(fromFix))).toBe('20000=ack\x0120999=x\x01\x02');
    expect(xml.decode(xml.encode(fromFix)).get('20999')).toBeUndefined();
    expect(text(nvfix.encode(fromFix))).toBe('20000=ack\x01\x02'); // another protocol object: not written
    const fromXml = xml.decode(
      utf8('<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>ack</Cmd><Foo>x</Foo></SOAP-ENV:Header></SOAP-ENV:Envelope>'),
    );
    expect(text(fix.encode(fromXml))).toBe('20000=ack\x01\x02');
  });

  it('a field a protocol cannot spell is refused, not dropped', () => {
    for (const [p, field] of [
      [fix, 'GracePeriod'],
      [nvfix, 'GracePeriod'],
      [fix, 'SkipN'],
      [xml, 'SkipN'],
    ] as const) {
      const m = new Message().setCommand('subscribe').set(field, 5);
      expect(() => p.encode(m), `${p.name} ${field}`).toThrow(CommandException);
      expect(() => p.encodeInto(m, new Uint8Array(1000)), `${p.name} ${field}`).toThrow(/no (fix|nvfix|xml)/);
    }
    expect(text(xml.encode(new Message().set('GracePeriod', 5)))).toContain('<GrcPrd>5</GrcPrd>');
  });

  it('a value decoded elsewhere that holds a fix separator is refused by fix', () => {
    const m = amps.decode(utf8('{"c":"p","t":"a\\u0001b"}'));
    expect(() => fix.encode(m)).toThrow(CommandException);
    const raw = xml.decode(
      utf8('<SOAP-ENV:Envelope><SOAP-ENV:Header><Tpc>a\x02b</Tpc></SOAP-ENV:Header></SOAP-ENV:Envelope>'),
    );
    expect(() => fix.encode(raw)).toThrow(/separator/);
  });

  it('protocol(name) finds every header protocol', () => {
    expect(protocol('fix')).toBe(fix);
    expect(protocol('nvfix')).toBe(nvfix);
    expect(protocol('xml')).toBe(xml);
    expect([fix.name, nvfix.name, xml.name]).toEqual(['fix', 'nvfix', 'xml']);
  });
});
