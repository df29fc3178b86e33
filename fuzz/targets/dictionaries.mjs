/**
 * Tokens per protocol for the dictionary mutations, built from the field table so that every
 * key, tag and element name the decoders know is one mutation away.
 */
import { INTERESTING_U32, u32be } from '../engine/mutate.mjs';

const COMMANDS = [
  'p',
  'publish',
  'delta_publish',
  'subscribe',
  'delta_subscribe',
  'sow',
  'sow_and_subscribe',
  'sow_and_delta_subscribe',
  'sow_delete',
  'unsubscribe',
  'flush',
  'heartbeat',
  'start_timer',
  'stop_timer',
  'logon',
  'ack',
  'oof',
  'group_begin',
  'group_end',
];
const ACKS = ['none', 'received', 'parsed', 'processed', 'persisted', 'completed', 'stats', 'processed,completed'];
const NUMBERS = [
  '0',
  '1',
  '42',
  '18446744073709551615',
  '18446744073709551616',
  '9007199254740993',
  '-1',
  '1.5',
  '1e3',
];

const JSON_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  '\\',
  '""',
  '{}',
  '[]',
  'true',
  'false',
  'null',
  '-0',
  '1e5',
  '0.5e-3',
  '\\u',
  '\\u0000',
  '\\u00e9',
  '\\ud83d\\ude00',
  '\\ud800',
  '\\udc00',
  '\\"',
  '\\\\',
  '\\/',
  '\\b',
  '\\f',
  '\\n',
  '\\r',
  '\\t',
  ' ',
  '\t',
  '\r\n',
  '[[[[',
  ']]]]',
  '{"x":{"y":[1,{"z":null}]}}',
];

const XML_TOKENS = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<SOAP-ENV:Envelope>',
  '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">',
  '</SOAP-ENV:Envelope>',
  '<SOAP-ENV:Header>',
  '</SOAP-ENV:Header>',
  '<SOAP-ENV:Body>',
  '</SOAP-ENV:Body>',
  '<SOAP-ENV:Body/>',
  '<![CDATA[',
  ']]>',
  ']]]]><![CDATA[>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&#65;',
  '&#x41;',
  '&#x1F600;',
  '&#0;',
  '&#xD800;',
  '&#1114112;',
  '&#;',
  '&unknown;',
  '<Msg key="1" len="0">',
  '<Msg key="k" len="2" ts="20240101T000000">',
  '</Msg>',
  '<Msg',
  'key="',
  'len="',
  'ts="',
  '"',
  "'",
  '/>',
  '<!-- -->',
  '<',
  '>',
  '/',
  '=',
];

const BODY_TOKENS = [
  '=',
  '\x01',
  '\x02',
  '|',
  '8=FIX.4.2',
  '35=D',
  '44=101.25',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '__proto__=x',
];

// UTF-8 that decoders get wrong: a byte order mark (TextDecoder drops it at the start of a
// text unless told not to), an overlong NUL, an encoded surrogate, a code point past U+10FFFF.
const UTF8_EDGES = [
  Uint8Array.of(0xef, 0xbb, 0xbf),
  Uint8Array.of(0xc0, 0x80),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
  Uint8Array.of(0xe2, 0x82),
];

const utf8 = new TextEncoder();
const bytes = (list) => list.map((t) => (typeof t === 'string' ? utf8.encode(t) : t));

/** The dictionaries by name: `json`, `fix` (also nvfix), `xml`, `body`, `binary`. */
export function dictionaries(lib) {
  const fields = lib.FIELDS ?? [];
  const json = [...JSON_TOKENS];
  const fix = ['\x01', '\x02', '=', '\x01\x02', '20058=0\x01', '20058=', '20059=', '20074=', '20000=sow\x01'];
  const xml = [...XML_TOKENS];
  for (const f of fields) {
    for (const key of [f.json, ...f.jsonAliases]) json.push(`"${key}":`, `"${key}"`);
    for (const tag of [f.fixTag, ...(f.fixAliases ?? [])]) if (tag !== undefined) fix.push(`${tag}=`, `\x01${tag}=`);
    for (const name of [f.xml, ...f.xmlAliases])
      if (name !== undefined) xml.push(`<${name}>`, `</${name}>`, `<${name}/>`, name);
  }
  for (const word of [...COMMANDS, ...ACKS, ...NUMBERS]) {
    json.push(`"${word}"`);
    fix.push(word);
    xml.push(word);
  }
  json.push(...NUMBERS);
  const binary = INTERESTING_U32.map(u32be);
  return {
    json: [...bytes(json), ...UTF8_EDGES],
    fix: [...bytes(fix), ...UTF8_EDGES],
    xml: [...bytes(xml), ...UTF8_EDGES],
    body: [...bytes([...BODY_TOKENS, ...fields.map((f) => `${f.name}=`)]), ...UTF8_EDGES],
    binary: [...binary, ...bytes(['{"c":"p"}', '\x01', '\x02'])],
  };
}
