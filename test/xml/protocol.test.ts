import { describe, expect, it } from 'vitest';
import { Command, type StreamException, createXmlProtocol, xml } from '../../src/index.js';
import { text, utf8 } from '../helpers/fixtures.js';
import { thrown } from '../cross-protocol/legacy-helpers.js';

const wire =
  '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>publish</Cmd><Tpc><![CDATA[orders]]></Tpc><CmdId><![CDATA[7]]></CmdId></SOAP-ENV:Header><SOAP-ENV:Body>{"id":1}</SOAP-ENV:Body></SOAP-ENV:Envelope>';

describe('xml protocol', () => {
  it('encodes the WIRE.md section 4 example from a built Command', () => {
    expect(text(xml.encode(new Command('publish').setTopic('orders').setCommandId('7').setData('{"id":1}')))).toBe(
      wire,
    );
  });

  it('gives zero-copy views of plain text, whole-CDATA values and the body', () => {
    const payload = utf8(wire);
    const m = xml.decode(payload);
    const topic = m.getBytes('Topic')!;
    expect(topic.buffer).toBe(payload.buffer);
    expect(topic.byteOffset).toBe(wire.indexOf('orders'));
    expect(m.getBytes('CommandId')!.byteOffset).toBe(wire.indexOf('7]]>'));
    expect(m.getData().byteOffset).toBe(wire.indexOf('{"id":1}'));
  });

  it('resolves references and CDATA only when a value is read, and caches it', () => {
    const payload = utf8(
      '<SOAP-ENV:Envelope><SOAP-ENV:Header><Tpc>a&amp;<![CDATA[<b>]]>&#x20AC;</Tpc><Cmd><![CDATA[p]]></Cmd></SOAP-ENV:Header></SOAP-ENV:Envelope>',
    );
    const m = xml.decode(payload);
    expect(m.getTopic()).toBe('a&<b>€');
    expect(m.getTopic()).toBe(m.getTopic());
    expect(text(m.getBytes('Topic')!)).toBe('a&<b>€');
    expect(m.getBytes('Topic')!.buffer).not.toBe(payload.buffer);
    expect(m.getCommand()).toBe('publish');
  });

  it('joins a character split across two CDATA sections', () => {
    const euro = utf8('€');
    const parts = [
      utf8('<SOAP-ENV:Envelope><SOAP-ENV:Header><Tpc><![CDATA['),
      euro.subarray(0, 1),
      utf8(']]><![CDATA['),
      euro.subarray(1),
      utf8(']]></Tpc></SOAP-ENV:Header></SOAP-ENV:Envelope>'),
    ];
    const payload = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      payload.set(p, o);
      o += p.length;
    }
    expect(xml.decode(payload).getTopic()).toBe('€');
  });

  it('says what was expected and where', () => {
    const err = thrown(() => xml.decode(utf8('<SOAP-ENV:Envelope><SOAP-ENV:Header><Tpc>x</Tpx>'))) as StreamException;
    expect(err.message).toBe("xml: unexpected 'x', expected '</Tpc>' at byte 46");
    const cut = thrown(() => xml.decode(utf8(wire.slice(0, -3)))) as StreamException;
    expect(cut.message).toBe(
      `xml: unexpected end of payload, expected '</SOAP-ENV:Envelope>' at the end of the payload at byte ${wire.length - 3}`,
    );
  });

  it('bounds the number of header fields', () => {
    const small = createXmlProtocol({ maxFields: 2 });
    const payload = '<SOAP-ENV:Envelope><SOAP-ENV:Header><A/><B/><C/></SOAP-ENV:Header></SOAP-ENV:Envelope>';
    const err = thrown(() => small.decode(utf8(payload))) as StreamException;
    expect([err.code, err.offset]).toEqual(['AMPS_TOO_MANY_FIELDS', payload.indexOf('<C/>')]);
    expect(xml.decode(utf8(payload)).get('C')).toBe('');
  });

  it('reads records that inherit nothing from the outer header', () => {
    const m = xml.decode(
      utf8(
        '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><Tpc>t</Tpc></SOAP-ENV:Header><SOAP-ENV:Body><Msg len="2" extra="e">{}</Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>',
      ),
    );
    const [record] = [...m.records()];
    expect(record!.getTopic()).toBeUndefined();
    expect(record!.getSowKey()).toBeUndefined();
    expect(record!.get('extra')).toBe('e');
    expect(text(record!.getData())).toBe('{}');
  });
});
