// A payload cut short is reported as cut short: every proper prefix of a valid payload either
// decodes (it is itself a whole message: a frame gives the payload's end) or throws
// AMPS_TRUNCATED at the prefix's end, never a complaint about a byte that is really a tag,
// key or value that did not arrive whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AMPSException, StreamException, amps, fix, nvfix, xml } from '../../src/index.js';
import { commonMessages } from '../helpers/arbitraries.js';
import { utf8 } from '../helpers/fixtures.js';

interface Decoder {
  decode(payload: Uint8Array): unknown;
}

/** The prefixes of `payload` that neither decode nor throw AMPS_TRUNCATED at their end, described. */
function misreported(decoder: Decoder, payload: string | Uint8Array): string[] {
  const bytes = typeof payload === 'string' ? utf8(payload) : payload;
  const out: string[] = [];
  for (let n = 0; n < bytes.length; n++) {
    try {
      decoder.decode(bytes.subarray(0, n));
    } catch (error) {
      if (!(error instanceof StreamException)) throw error;
      const e = error as AMPSException & StreamException;
      if (e.code !== 'AMPS_TRUNCATED' || e.offset !== n) out.push(`${n} ${e.code} at ${e.offset}: ${e.message}`);
    }
  }
  return out;
}

const XML_PAYLOADS = {
  canonical:
    '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>p</Cmd><Tpc><![CDATA[orders]]></Tpc><SubId>a&amp;b</SubId>' +
    '<CorrelationId>c1</CorrelationId><Vendor><x a="1">y</x></Vendor></SOAP-ENV:Header><SOAP-ENV:Body>{"id":1}</SOAP-ENV:Body></SOAP-ENV:Envelope>',
  spaced:
    '\ufeff<?xml version="1.0"?>\n<!-- c --><SOAP-ENV:Envelope xmlns:SOAP-ENV="u" >\n <SOAP-ENV:Header a=\'1\'>\n' +
    '  <Cmd >p</Cmd >\n  <Tpc/>\n </SOAP-ENV:Header >\n <SOAP-ENV:Body>x</SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n',
  'no header': '<S:Envelope><S:Body>x</S:Body></S:Envelope>',
  'empty header and body': '<SOAP-ENV:Envelope><SOAP-ENV:Header/><SOAP-ENV:Body/></SOAP-ENV:Envelope>',
  'sow batch':
    '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><BtchSz>2</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body>' +
    '<Msg key="1" len="3">abc</Msg><Msg key="2" len="0"></Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>',
};

describe('a payload cut short', () => {
  it.each(Object.entries(XML_PAYLOADS))('xml (%s): every prefix decodes or is AMPS_TRUNCATED at its end', (_, p) => {
    expect(xml.decode(utf8(p))).toBeDefined();
    expect(misreported(xml, p)).toEqual([]);
  });

  it('amps: every prefix decodes or is AMPS_TRUNCATED at its end', () => {
    const p =
      '{"c":"p","t":"orders","sub_id":"s\\\\1","zz":{"a":[1,true,null,-1.5e3,"\\u0041"]},"s":123,"k":"1"}{"b":1}';
    expect(amps.decode(utf8(p)).getSubscriptionId()).toBe('s\\1');
    expect(misreported(amps, p)).toEqual([]);
  });

  it('amps SOW batch: every prefix decodes or is AMPS_TRUNCATED at its end', () => {
    const p = '{"c":"sow","t":"o","bs":2}{"k":"1","l":3}abc{"k":"2","l":2}de';
    expect(misreported(amps, p)).toEqual([]);
  });

  it('any message as each protocol writes it: every prefix decodes or is AMPS_TRUNCATED at its end', () => {
    fc.assert(
      fc.property(commonMessages(16), (m) => {
        for (const protocol of [amps, fix, nvfix, xml]) {
          const payload = protocol.encode(m);
          const text = new TextDecoder('latin1').decode(payload);
          expect(misreported(protocol, payload), `${protocol.name}: ${JSON.stringify(text)}`).toEqual([]);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('fix and nvfix: every prefix decodes or is AMPS_TRUNCATED at its end', () => {
    const p = '20000=p\x0120005=orders\x0120009=s17\x0120036=18\x01\x02body';
    expect(misreported(fix, p)).toEqual([]);
    expect(misreported(nvfix, p)).toEqual([]);
  });
});
