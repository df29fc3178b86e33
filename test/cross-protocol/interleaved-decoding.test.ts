// Decoders keep their scan state on reader instances, never in module variables: records of a SOW
// batch read lazily, while other messages (and other batches) are decoded, encoded or rejected in
// between, read exactly as when they are read in one go.
import { describe, expect, it } from 'vitest';
import {
  Command,
  FIXCursor,
  FIXShredder,
  Message,
  NVFIXShredder,
  StreamException,
  createFixProtocol,
  createNvfixProtocol,
  createXmlProtocol,
  fix,
  nvfix,
  xml,
  type Protocol,
} from '../../src/index.js';
import { text, utf8 } from '../helpers/fixtures.js';

/** What a record reads as: its fields by name (in the order of the header) and its body. */
function summary(r: Message): string[] {
  return [...r.fields()].map((id) => `${id}=${r.get(id)}`).concat(text(r.getData()));
}

interface Case {
  protocol: Protocol;
  /** A batch of three records whose headers carry the keys given. */
  batch(keys: [string, string, string]): string;
  /** A message that sets every piece of scan state the decoder has: returns what it must read as. */
  busy: { payload: string; topic: string; subId: string; data: string };
  /** Payloads that are rejected part way through a header, a record or an attribute. */
  bad: string[];
  /** The same protocol with a small field limit, and a payload that breaks it. */
  strict: { protocol: Protocol; payload: string };
}

const xmlEnvelope = (header: string, body: string) =>
  `<SOAP-ENV:Envelope><SOAP-ENV:Header>${header}</SOAP-ENV:Header><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

const tagValueCase = (protocol: Protocol, strict: Protocol): Case => ({
  protocol,
  batch: ([a, b, c]) =>
    `20000=sow\x0120019=q\x0120023=3\x02` +
    `20059=${a}\x0120058=2\x02xy\x01` +
    `20059=${b}\x0120058=0\x02\x01` +
    `20059=${c}\x0120099=u\x0120058=1\x02z`,
  // A publish whose header goes on after the header separator, MessageLength in its last group.
  busy: {
    payload: '20000=p\x0120005=orders\x0120005=orders\x02' + '20009=s1\x0120058=3\x02abc',
    topic: 'orders',
    subId: 's1',
    data: 'abc',
  },
  bad: [
    '20000=sow\x02' + '20059=k\x0120058=9\x02short', // a record's MessageLength past the end
    '20000=sow\x02' + '20059=a\x0120058=1\x02z\x01' + '20059=k\x02', // a record without MessageLength
    '20000=p\x0120058=x1\x02ab', // MessageLength not a number
    '20000=p\x0120005=t', // cut inside the header
    '20000=p\x01200x5=t\x02', // a letter in a tag
  ],
  strict: { protocol: strict, payload: '20000=p\x0120005=t\x0120009=s\x02' },
});

const cases: Case[] = [
  {
    protocol: xml,
    batch: ([a, b, c]) =>
      xmlEnvelope(
        '<Cmd>sow</Cmd><QId>q</QId><BtchSz>3</BtchSz>',
        `<Msg key="${a}" len="2">xy</Msg> <Msg len='0' key='${b}'></Msg>` +
          `<Msg key="${c}" ts="20240101T000000" other="&lt;u&gt;" len="1">z</Msg>`,
      ),
    // Attributes on the envelope, header and an unknown element; references; an unknown element
    // with children; a field given twice.
    busy: {
      payload:
        '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="urn:x" a=\'&amp;\'>' +
        '<SOAP-ENV:Header b="1"><Cmd>p</Cmd><Tpc>ord&#101;rs</Tpc><X y="&quot;"><Z w="2"/></X>' +
        '<SubId><![CDATA[s1]]></SubId><Tpc>orders</Tpc></SOAP-ENV:Header>' +
        '<SOAP-ENV:Body c="3">abc</SOAP-ENV:Body></SOAP-ENV:Envelope>',
      topic: 'orders',
      subId: 's1',
      data: 'abc',
    },
    bad: [
      xmlEnvelope('<Cmd>sow</Cmd>', '<Msg key="k" len="9">short</Msg>'), // len past the end
      xmlEnvelope('<Cmd>sow</Cmd>', '<Msg key="a&bad;" len="1">z</Msg>'), // a bad reference
      xmlEnvelope('<Cmd>sow</Cmd>', '<Msg key="k" len="1" z</Msg>'), // an attribute without '='
      '<SOAP-ENV:Envelope><SOAP-ENV:Header><Tpc a="1">t</Tpc><Cmd>p', // cut inside the header
    ],
    strict: {
      protocol: createXmlProtocol({ maxFields: 2 }),
      payload: xmlEnvelope('<Cmd>p</Cmd><Tpc>t</Tpc><SubId>s</SubId>', ''),
    },
  },
  tagValueCase(fix, createFixProtocol({ maxFields: 2 })),
  tagValueCase(nvfix, createNvfixProtocol({ maxFields: 2 })),
];

describe('decoding interleaved with lazily read SOW records', () => {
  for (const c of cases) {
    const p = c.protocol;

    it(`${p.name}: a batch's records read the same whatever is decoded between them`, () => {
      const batch = utf8(c.batch(['a&amp;1', 'b', 'c']));
      const alone = [...p.decode(batch).records()].map(summary);
      expect(alone.map((r) => r.at(-1))).toEqual(['xy', '', 'z']);
      expect(p.decode(batch).records().next().value!.getSowKey()).toBe(p === xml ? 'a&1' : 'a&amp;1');

      const other = utf8(c.batch(['d', 'e', 'f']));
      const reused = new Message();
      const busyMessage = new Message();
      const outer = p.decode(batch);
      const seen: string[][] = [];
      for (const record of outer.records()) {
        seen.push(summary(record));
        // Another batch, decoded into a reused Message and read part way, then whole, nested.
        const second = p.decode(other, reused);
        expect(second.records().next().value!.getSowKey()).toBe('d');
        expect([...second.records()].map((r) => r.getSowKey())).toEqual(['d', 'e', 'f']);
        // A message that sets every piece of the decoder's state.
        const busy = p.decode(utf8(c.busy.payload), busyMessage);
        expect([busy.getTopic(), busy.getSubscriptionId(), text(busy.getData())]).toEqual([
          c.busy.topic,
          c.busy.subId,
          c.busy.data,
        ]);
        // Payloads rejected part way, leaving whatever state they had set.
        for (const payload of c.bad) expect(() => p.decode(utf8(payload))).toThrow(StreamException);
        expect(() => c.strict.protocol.decode(utf8(c.strict.payload))).toThrow(
          expect.objectContaining({ code: 'AMPS_TOO_MANY_FIELDS' }),
        );
        // The encoder looks at a body for more header fields (fix, nvfix) the same way.
        const encoded = p.encode(new Command('publish').setTopic('t').setData('20005=x\x0120058=1\x02y'));
        expect(text(p.decode(encoded).getData())).toBe('20005=x\x0120058=1\x02y');
      }
      expect(seen).toEqual(alone);
    });

    it(`${p.name}: two iterations of one batch, advanced in turn, read the same records`, () => {
      const m = p.decode(utf8(c.batch(['a', 'b', 'c'])));
      const one = m.records();
      const two = m.records();
      const keys: string[] = [];
      for (let k = 0; k < 3; k++) {
        keys.push(one.next().value!.getSowKey()!, two.next().value!.getSowKey()!);
        p.decode(utf8(c.busy.payload));
      }
      expect(keys).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    });
  }
});

describe('body readers interleaved', () => {
  it('a FIX cursor keeps its place and tags while shredders read other bodies', () => {
    const body = utf8('35=D\x0155=IBM\x0144=101.25\x01');
    const cursor = new FIXCursor().reset(body);
    const shredder = new FIXShredder();
    const names = new NVFIXShredder();
    const read: [number, string][] = [];
    while (cursor.next()) {
      read.push([cursor.tag, cursor.value()]);
      expect([...shredder.toMap(utf8('1=a\x019=été\x01'))]).toEqual([
        [1, 'a'],
        [9, 'été'],
      ]);
      expect(shredder.get(utf8('7=x\x0177=y'), 77)).toBe('y');
      expect([...names.toMap(utf8('k=v\x01long=€\x01'))]).toEqual([
        ['k', 'v'],
        ['long', '€'],
      ]);
    }
    expect(read).toEqual([
      [35, 'D'],
      [55, 'IBM'],
      [44, '101.25'],
    ]);
  });
});
