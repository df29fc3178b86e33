// Headers built to cost more than their size: limits that hold however the header is cut up,
// integers too long to convert cheaply, and SOW batch counts that must be exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  StreamException,
  amps,
  createFixProtocol,
  createNvfixProtocol,
  createXmlProtocol,
  fix,
  nvfix,
  xml,
  type Protocol,
} from '../../src/index.js';
import { thrown } from '../helpers/decoding.js';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);

function refused(p: Protocol, payload: string, code: string, offset: number, message?: string): void {
  const e = thrown(() => p.decode(bytes(payload)));
  expect(e).toBeInstanceOf(StreamException);
  expect((e as StreamException).code).toBe(code);
  expect((e as StreamException).offset).toBe(offset);
  if (message !== undefined) expect((e as StreamException).message).toBe(message);
}

const recordCount = (p: Protocol, payload: string) => [...p.decode(bytes(payload)).records()].length;

describe('tag=value: the field limit holds for the whole header, however many groups cut it', () => {
  for (const [name, make] of [
    ['fix', createFixProtocol],
    ['nvfix', createNvfixProtocol],
  ] as const) {
    const tight = make({ maxFields: 8 });

    it(`${name}: a publish header continued over groups counts every group`, () => {
      // 8 fields over four groups, the last with MessageLength: accepted.
      const ok = '20000=p\x021=a\x02' + '20005=t\x02'.repeat(4) + '2=b\x0120058=1\x02x';
      expect(tight.decode(bytes(ok)).getTopic()).toBe('t');
      // One group more: the ninth field is refused where it starts.
      const over = '20000=p\x021=a\x02' + '20005=t\x02'.repeat(5) + '2=b\x0120058=1\x02x';
      const at = over.indexOf('20058');
      refused(tight, over, 'AMPS_TOO_MANY_FIELDS', at, `${name}: expected at most 8 header fields at byte ${at}`);
    });

    it(`${name}: groups before the first record of a sow extend the outer header and count with it`, () => {
      const record = '20059=k\x0120058=1\x02x';
      const ok = '20000=sow\x0120023=1\x02' + '1=a\x02'.repeat(6) + record;
      const m = tight.decode(bytes(ok));
      expect([...m.records()].map((r) => r.getSowKey())).toEqual(['k']);
      const over = '20000=sow\x0120023=1\x02' + '1=a\x02'.repeat(7) + record;
      refused(tight, over, 'AMPS_TOO_MANY_FIELDS', over.indexOf(record) - 4);
    });

    it(`${name}: with the default limit, 131,075 one-field groups are refused after 4096`, () => {
      const groups = '1=a\x02'.repeat(131_072) + '20005=t\x02'.repeat(3);
      const p = name === 'fix' ? fix : nvfix;
      refused(p, '20000=p\x02' + groups + '20058=0\x02', 'AMPS_TOO_MANY_FIELDS', 8 + 4095 * 4);
      refused(p, '20000=sow\x02' + groups + '20058=1\x02x', 'AMPS_TOO_MANY_FIELDS', 10 + 4095 * 4);
    });
  }
});

describe('xml: <Msg> attributes are limited like header fields', () => {
  const envelope = (body: string) =>
    `<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd></SOAP-ENV:Header><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;

  it('at most maxFields attributes per record', () => {
    const tight = createXmlProtocol({ maxFields: 3 });
    expect(recordCount(tight, envelope('<Msg key="k" a="1" len="1">x</Msg>'))).toBe(1);
    const over = envelope('<Msg key="k" a="1" b="2" len="1">x</Msg>');
    refused(
      tight,
      over,
      'AMPS_TOO_MANY_FIELDS',
      over.indexOf('len='),
      `xml: expected at most 3 attributes on <Msg> at byte ${over.indexOf('len=')}`,
    );
  });

  it('100,000 attributes and 50,000 repeated keys are refused at the 4097th', () => {
    const attrs = ' a="1"'.repeat(100_000) + ' key="k"'.repeat(50_000);
    const payload = envelope(`<Msg${attrs} len="1">x</Msg>`);
    refused(xml, payload, 'AMPS_TOO_MANY_FIELDS', payload.indexOf('<Msg') + 4 + 4096 * 6 + 1);
  });
});

describe('Sequence is 64-bit; getBigInt reads any length exactly', () => {
  const seq = (value: string) => amps.decode(bytes(`{"c":"publish","s":"${value}"}`));

  it('refuses more than 2^64-1 as AMPS_BAD_INTEGER, leading zeros allowed', () => {
    expect(seq('18446744073709551615').getSequence()).toBe(18446744073709551615n);
    expect(seq('0000000000000000000000018446744073709551615').getSequence()).toBe(18446744073709551615n);
    for (const value of ['18446744073709551616', '99999999999999999999', '1' + '0'.repeat(20), '7'.repeat(1_000_000)]) {
      const e = thrown(() => seq(value).getSequence());
      expect(e).toBeInstanceOf(StreamException);
      expect((e as StreamException).code).toBe('AMPS_BAD_INTEGER');
      const shown = value.length > 40 ? value.slice(0, 40) + '...' : value;
      expect((e as StreamException).message).toBe(`amps: Sequence value "${shown}" exceeds 2^64-1 at byte 20`);
    }
    expect((thrown(() => seq('1'.repeat(30) + 'x').getSequence()) as StreamException).message).toContain(
      'is not an unsigned integer',
    );
    // Escaped digits are read the same way.
    expect(amps.decode(bytes('{"s":"\\u0031' + '0'.repeat(20) + '"}')).getBigInt('Sequence')).toBe(10n ** 20n);
    expect(
      (thrown(() => amps.decode(bytes('{"s":"\\u0031' + '0'.repeat(20) + '"}')).getSequence()) as StreamException).code,
    ).toBe('AMPS_BAD_INTEGER');
  });

  it('getBigInt equals BigInt() of the digits at any length', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,400}$/), (digits) => {
        expect(seq(digits).getBigInt('Sequence')).toBe(BigInt(digits));
      }),
    );
    const long = '9'.repeat(200_000);
    expect(seq(long).getBigInt('Sequence')).toBe(BigInt(long));
  });
});

describe('SOW batch counts are exact', () => {
  it('json: an escaped BatchSize counts; one that is negative or above 2^53-1 is malformed', () => {
    refused(
      amps,
      '{"c":"sow","bs":"\\u0035"}{"l":1}x',
      'AMPS_TRUNCATED',
      33,
      "amps: unexpected end of payload, expected 5 records ('bs' (BatchSize)), found 1 at byte 33",
    );
    expect(recordCount(amps, '{"c":"sow","bs":"\\u0031"}{"l":1}x')).toBe(1);
    for (const bs of ['-1', '9007199254740992', '"18446744073709551617"', '1.0', '""']) {
      refused(
        amps,
        `{"c":"sow","bs":${bs}}{"l":1}x`,
        'AMPS_BAD_SOW_BATCH',
        bs.startsWith('"') ? 17 : 16,
        `amps: expected an unsigned integer of at most 2^53-1 as 'bs' (BatchSize) at byte ${bs.startsWith('"') ? 17 : 16}`,
      );
    }
  });

  it('json and xml: an escaped record length is read as its value', () => {
    const m = amps.decode(bytes('{"c":"sow","bs":1}{"k":"a","l":"\\u0031"}xy'.slice(0, -1)));
    expect([...m.records()].map((r) => [r.getSowKey(), r.getData().length])).toEqual([['a', 1]]);
    const payload =
      '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><BtchSz>&#49;</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body><Msg key="a" len="&#49;">x</Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    expect([...xml.decode(bytes(payload)).records()].map((r) => [r.getSowKey(), r.getData().length])).toEqual([
      ['a', 1],
    ]);
  });

  it('fix and xml: a BatchSize that is not an unsigned integer is malformed', () => {
    const f = '20000=sow\x0120023=-1\x02' + '20058=1\x02x';
    refused(
      fix,
      f,
      'AMPS_BAD_SOW_BATCH',
      f.indexOf('-1'),
      `fix: expected an unsigned integer of at most 2^53-1 as BatchSize (20023) at byte ${f.indexOf('-1')}`,
    );
    const x =
      '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><BtchSz>99999999999999999</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body><Msg len="1">x</Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    refused(xml, x, 'AMPS_BAD_SOW_BATCH', x.indexOf('9999'));
  });
});
