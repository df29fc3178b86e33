import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AMPS, FIX, mixedCapture, Random, sampleCapture, XML } from '../../src/cli/synthetic/traffic.js';
import { amps, fix, xml } from '../../src/index.js';
import { concat, decodeCapture } from '../helpers/pcap-writer.js';

describe('synthetic traffic', () => {
  it('examples/sample.pcap is exactly what scripts/make-sample-capture.mjs writes', () => {
    expect(sampleCapture()).toEqual(new Uint8Array(readFileSync(join(__dirname, '../../examples/sample.pcap'))));
  });

  it('the sample holds three protocols, SOW batches, awkward segmentation, a retransmission and a reordering', () => {
    const { recorder, decoder, error } = decodeCapture(sampleCapture());
    expect(error).toBeUndefined();
    expect(recorder.of('frame')).toHaveLength(23);
    expect(recorder.of('truncated').length + recorder.of('notice').length + recorder.of('warning').length).toBe(0);
    expect(decoder.stats).toMatchObject({ directions: 6, gaps: 0, outOfOrderSegments: 1, retransmittedBytes: 76 });
  });

  it('mixed captures decode without a single error, in all three protocols', () => {
    const file = concat(...mixedCapture(3 << 20, 7));
    expect(file.length).toBeGreaterThanOrEqual(3 << 20);
    const { recorder, error } = decodeCapture(file, [1 << 20]);
    expect(error).toBeUndefined();
    expect(recorder.events.filter((e) => e.kind !== 'frame')).toEqual([]);
    const seen = new Set<string>();
    for (const f of recorder.of('frame')) {
      const p = f.text[0] === '{' ? amps : f.text[0] === '<' ? xml : fix;
      const m = p.decode(new TextEncoder().encode(f.text));
      for (const id of m.fields()) m.get(id);
      for (const r of m.records()) expect(r.get('SowKey')).toBeDefined();
      seen.add(p.name);
    }
    expect([...seen].sort()).toEqual(['amps', 'fix', 'xml']);
  });

  it('writes each dialect as WIRE.md spells it', () => {
    const fields: [string, string][] = [
      ['Command', 'publish'],
      ['Topic', 'a'],
      ['Sequence', '5'],
    ];
    expect(AMPS.message(fields, 'B')).toBe('{"c":"publish","t":"a","s":5}B');
    expect(FIX.message(fields, 'B')).toBe('20000=publish\x0120005=a\x0120036=5\x0120058=1\x01\x02B');
    expect(XML.message(fields, 'B')).toBe(
      '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>publish</Cmd><Tpc><![CDATA[a]]></Tpc><Seq>5</Seq></SOAP-ENV:Header><SOAP-ENV:Body>B</SOAP-ENV:Body></SOAP-ENV:Envelope>',
    );
    expect(AMPS.sow([['Command', 'sow']], [['k', 'xy']])).toBe('{"c":"sow"}{"k":"k","l":2}xy');
    expect(FIX.sow([['Command', 'sow']], [['k', 'xy']])).toBe('20000=sow\x01\x0220058=2\x0120059=k\x01\x02xy\x01');
    expect(XML.sow([['Command', 'sow']], [['k', 'xy']])).toContain(
      '<SOAP-ENV:Body><Msg key="k" len="2">xy</Msg></SOAP-ENV:Body>',
    );
  });

  it('the generator is deterministic', () => {
    const a = new Random(5);
    const b = new Random(5);
    expect(Array.from({ length: 5 }, () => a.int(0, 1000))).toEqual(Array.from({ length: 5 }, () => b.int(0, 1000)));
  });
});
