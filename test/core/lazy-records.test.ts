// SOW records are checked and counted when the batch is decoded, and become Messages only as they
// are iterated: a batch of millions of records costs no memory per record until read.
import { describe, expect, it } from 'vitest';
import { HumanFormat, PLAIN } from '../../src/cli/human.js';
import { FLUSH_AT } from '../../src/cli/format.js';
import { JsonlFormat } from '../../src/cli/jsonl.js';
import { Message, amps, fix, xml, type Protocol } from '../../src/index.js';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

const batches: [Protocol, string][] = [
  [amps, '{"c":"sow","bs":3}{"k":"a","l":2}xy{"k":"b","l":0}{"k":"c","l":1}z'],
  [
    fix,
    '20000=sow\x0120023=3\x02' +
      '20059=a\x0120058=2\x02xy\x01' +
      '20059=b\x0120058=0\x02\x01' +
      '20059=c\x0120058=1\x02z',
  ],
  [
    xml,
    '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><BtchSz>3</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body><Msg key="a" len="2">xy</Msg> <Msg key="b" len="0"></Msg><Msg key="c" len="1">z</Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>',
  ],
];

const summary = (m: Message) => [...m.records()].map((r) => [r.getSowKey(), new TextDecoder().decode(r.getData())]);

describe('lazy SOW records', () => {
  for (const [p, payload] of batches) {
    it(`${p.name}: counted at decode, the same records on every iteration`, () => {
      const m = p.decode(bytes(payload));
      expect(m.recordCount).toBe(3);
      expect(summary(m)).toEqual([
        ['a', 'xy'],
        ['b', ''],
        ['c', 'z'],
      ]);
      expect(summary(m)).toEqual(summary(m));
      const [first, again] = [m.records().next().value!, m.records().next().value!];
      expect(first).not.toBe(again); // each iteration gives its own Messages
    });

    it(`${p.name}: an iteration under way keeps its batch when the Message is decoded into again`, () => {
      const reused = new Message();
      const m = p.decode(bytes(payload), reused);
      const it = m.records();
      expect(it.next().value!.getSowKey()).toBe('a');
      p.decode(
        bytes(
          p === amps
            ? '{"c":"ack"}'
            : p === fix
              ? '20000=ack\x02'
              : '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>ack</Cmd></SOAP-ENV:Header></SOAP-ENV:Envelope>',
        ),
        reused,
      );
      expect(reused.recordCount).toBe(0);
      expect([...reused.records()]).toEqual([]);
      expect([...it].map((r) => r.getSowKey())).toEqual(['b', 'c']);
    });

    it(`${p.name}: copy() keeps the records, detached from the payload`, () => {
      const buf = bytes(payload);
      const copy = p.decode(buf).copy();
      buf.fill(0x20);
      expect(copy.recordCount).toBe(3);
      expect(summary(copy)).toEqual([
        ['a', 'xy'],
        ['b', ''],
        ['c', 'z'],
      ]);
    });
  }

  it('other protocols re-encode a batch from its records', () => {
    const m = amps.decode(bytes(batches[0]![1]));
    expect(summary(xml.decode(xml.encode(m)))).toEqual(summary(m));
    expect(summary(fix.decode(fix.encode(m)))).toEqual(summary(m));
  });
});

describe('the command line writes a batch of many records in parts', () => {
  const records = 20_000;
  const payload = bytes('{"c":"sow"}' + '{"k":"key","l":1}x'.repeat(records));
  const m = amps.decode(payload);
  const frame = {
    conn: 'c',
    index: 0,
    transport: 'tcp' as const,
    protocol: 'amps',
    frameLength: payload.length,
    message: m,
    time: undefined,
  };

  for (const format of [new HumanFormat({ withBody: true, palette: PLAIN, previewWidth: 80 }), new JsonlFormat(true)]) {
    it(`${format.constructor.name}: parts of about ${FLUSH_AT} characters, together the whole text`, () => {
      const whole = format.frame(frame);
      const parts: string[] = [];
      const rest = format.frame({ ...frame, write: (t) => parts.push(t) });
      expect(parts.length).toBeGreaterThan(5);
      // (jsonl's first part holds the frame's own body, the whole records region)
      for (const part of parts.slice(1)) expect(part.length).toBeLessThan(FLUSH_AT + 1000);
      expect(parts.join('') + rest).toBe(whole);
    });
  }
});
