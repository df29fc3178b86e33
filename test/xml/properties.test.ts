import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELDS, Field, xml, type FieldDescriptor } from '../../src/index.js';
import { anyBytes, awkwardString, fieldSubset, messageOf, valuesOf } from '../helpers/arbitraries.js';
import { text, utf8 } from '../helpers/fixtures.js';
import { decodeAndRead, mutate } from '../cross-protocol/legacy-helpers.js';

const SPELLED = FIELDS.filter((f) => f.xml !== undefined);
const NOT_SOW = (pairs: readonly (readonly [FieldDescriptor, string])[]) =>
  !pairs.some(([f, v]) => f.id === Field.Command && v === 'sow');

const validPayloads = [
  '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>publish</Cmd><Tpc><![CDATA[orders]]></Tpc><CmdId><![CDATA[7]]></CmdId></SOAP-ENV:Header><SOAP-ENV:Body>{"id":1}</SOAP-ENV:Body></SOAP-ENV:Envelope>',
  '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="x"><SOAP-ENV:Header><Cmd>sow</Cmd><BtchSz>2</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body><Msg key="1" len="2" ts="t">{}</Msg><Msg key="2" len="0"></Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>',
  "<SOAP-ENV:Envelope><SOAP-ENV:Header><Fltr>a &lt; &#x41;<![CDATA[]]]]><![CDATA[>]]></Fltr><Foo><A/><!-- c --></Foo><Bar b='1'/></SOAP-ENV:Header><SOAP-ENV:Body/></SOAP-ENV:Envelope>",
].map(utf8);

describe('xml properties', () => {
  it('decode(encode(m)) = m over any subset of the fields xml spells, with <, &, ]]> and any text', () => {
    fc.assert(
      fc.property(fieldSubset(SPELLED).filter(NOT_SOW), fc.uint8Array({ maxLength: 64 }), (pairs, data) => {
        const m = messageOf(pairs, data);
        const back = xml.decode(xml.encode(m));
        expect(valuesOf(back)).toEqual(valuesOf(m));
        expect(back.getData()).toEqual(data);
        if (m.has('Command')) expect([...back.fields()][0]).toBe(Field.Command);
      }),
      { numRuns: 300 },
    );
  });

  it('text fields are written inside CDATA, the others as escaped text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPELLED), awkwardString(), (f, value) => {
        const wire = text(xml.encode(messageOf([[f, value]], new Uint8Array(0))));
        const content = wire.slice(wire.indexOf(`<${f.xml}>`) + f.xml!.length + 2, wire.lastIndexOf(`</${f.xml}>`));
        if (f.xmlCdata) {
          expect(content.startsWith('<![CDATA[') && content.endsWith(']]>')).toBe(true);
          expect(content.slice(9, -3).split(']]]]><![CDATA[>').join(']]>')).toBe(value);
        } else {
          expect(content).toBe(value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any body, even one holding the envelope markup, is carried verbatim', () => {
    const piece = fc.constantFrom(
      '</SOAP-ENV:Body>',
      '</SOAP-ENV:Envelope>',
      '<![CDATA[',
      ']]>',
      '<Msg len="1">',
      '</Msg>',
      ' ',
      '\n',
      'x',
      '&amp;',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 12 }), (parts) => {
        const body = parts.join('');
        const m = messageOf([[FIELDS[Field.Command]!, 'publish']], utf8(body));
        expect(text(xml.decode(xml.encode(m)).getData())).toBe(body);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes decode or throw an AMPSException, never anything else', () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => decodeAndRead(xml, bytes)),
      { numRuns: 1500 },
    );
  });

  it('xml-flavoured noise decodes or throws an AMPSException', () => {
    const token = fc.constantFrom(
      '<SOAP-ENV:Envelope>',
      '</SOAP-ENV:Envelope>',
      '<SOAP-ENV:Header>',
      '</SOAP-ENV:Header>',
      '<SOAP-ENV:Body>',
      '</SOAP-ENV:Body>',
      '<Cmd>',
      '</Cmd>',
      'sow',
      '<Tpc>',
      '</Tpc>',
      '<BtchSz>',
      '1',
      '<Msg',
      ' len="',
      ' key="',
      '">',
      '"',
      '</Msg>',
      '<![CDATA[',
      ']]>',
      '&',
      '&amp;',
      '&#',
      '&#x',
      ';',
      '<',
      '>',
      '/>',
      '<!--',
      '-->',
      '<?',
      '?>',
      '=',
      ' ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => decodeAndRead(xml, utf8(tokens.join('')))),
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
      fc.property(mutation, ([payload, edits, cut]) => decodeAndRead(xml, mutate(payload, edits, cut))),
      { numRuns: 2000 },
    );
  });
});
