/**
 * Built-in seeds: the examples of WIRE.md, and messages with every field set encoded by the
 * library itself in each protocol, so a fresh checkout starts from inputs that reach deep into
 * each decoder even before test fixtures exist.
 */

const utf8 = new TextEncoder();
const b = (text) => utf8.encode(text);

const JSON_EXAMPLES = [
  '{"c":"publish","t":"orders","cid":"7","a":"processed"}{"id":1,"qty":300}',
  '{"c":"p","t":"orders","sub_id":"s1","sids":"s1","s":42,"bm":"12|1700000000000000001|"}{"id":1}',
  '{"c":"ack","cid":"7","a":"processed","status":"success"}',
  '{"c":"ack","cid":"8","a":"processed","status":"failure","reason":"bad filter"}',
  '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10}{"id":"a"}{"k":"11","x":"c1","l":10}{"id":"b"}',
  '{ "c" : "p" , "t" : "a\\u00e9\\ud83d\\ude00\\n\\"" , "x-unknown" : {"a":[1,2.5e3,true,null]} , "s" : "18446744073709551615" }body',
  '{"c":"sow","bs":3}{"k":"1","l":3,"ts":"20240101T000000"}}{"{"l":0}{"l":2,"k":"3"}\u00e9',
];

const FIX_EXAMPLES = [
  '20000=publish\x0120005=orders\x0120001=7\x0120058=12\x01\x0255=IBM\x0154=1\x01',
  '20000=sow\x0120019=q1\x0120023=2\x01\x0220058=3\x0120059=10\x01\x02a=1\x0120058=3\x0120059=11\x0120035=c\x01\x02b=2',
  '20000=ack\x0120001=7\x0120008=processed\x0120018=success\x0120074=x\x01\x02',
  '20000=p\x01\x0220005=late\x0120099=unknown\x01\x02body',
];

const XML_EXAMPLES = [
  '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>publish</Cmd><Tpc><![CDATA[orders]]></Tpc><CmdId><![CDATA[7]]></CmdId></SOAP-ENV:Header><SOAP-ENV:Body>{"id":1}</SOAP-ENV:Body></SOAP-ENV:Envelope>',
  '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header><Cmd>sow</Cmd><QId>q&amp;1&#65;&#x42;</QId><BtchSz>2</BtchSz></SOAP-ENV:Header><SOAP-ENV:Body><Msg key="10" len="3" ts="20240101T000000">abc</Msg><Msg key="11" len="0"></Msg></SOAP-ENV:Body></SOAP-ENV:Envelope>',
  '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>p</Cmd><Tpc><![CDATA[a]]]]><![CDATA[>b]]></Tpc><Seq>18446744073709551615</Seq></SOAP-ENV:Header><SOAP-ENV:Body><![CDATA[x]]></SOAP-ENV:Body></SOAP-ENV:Envelope>',
];

const BODY_EXAMPLES = [
  '8=FIX.4.2\x019=178\x0135=D\x0149=SENDER\x0156=TARGET\x0134=1\x0152=20240101-00:00:00\x0111=ORD1\x0121=1\x0155=IBM\x0154=1\x0138=100\x0144=101.25\x01',
  '55=IBM\x0154=1',
  'name=value\x01a=b=c\x01__proto__=x\x01constructor=y\x01=\x01',
];

/** Values chosen to be awkward in at least one protocol. */
function sampleValue(f) {
  if (f.name === 'Sequence') return '18446744073709551615';
  if (f.type === 'int') return '42';
  if (f.type === 'bool') return 'true';
  if (f.type === 'list') return 'processed,completed';
  if (f.name === 'Topic') return 'a"b\\c<&>é';
  if (f.name === 'Filter') return "/x = 'y' AND /z > 1";
  return `v-${f.json}`;
}

/** Messages built through the public API: one with every field, and a few typical ones. */
function sampleMessages(lib) {
  const out = [];
  const all = new lib.Message();
  for (const f of lib.FIELDS) all.set(f.id, sampleValue(f));
  out.push(all.setData('{"id":1}'));
  out.push(new lib.Message().set('Command', 'publish').set('Topic', 'orders').set('Sequence', 7n).setData('x'));
  out.push(
    new lib.Message().set('Command', 'ack').set('CommandId', '1').set('AckType', 'processed').set('Status', 'success'),
  );
  out.push(new lib.Message().set('SowKey', '1').set('MessageLength', 2).setData('ab'));
  return out;
}

function encodedSamples(lib, protocolName) {
  const protocol = lib[protocolName];
  if (protocol === undefined || lib.Message === undefined) return [];
  const out = [];
  for (const msg of sampleMessages(lib)) {
    // Every field set includes fields a protocol cannot spell: drop those until it encodes.
    for (let tries = 0; tries < lib.FIELDS.length; tries++) {
      try {
        out.push(protocol.encode(msg));
        break;
      } catch (err) {
        if (!(err instanceof lib.AMPSException)) throw err;
        const bad = lib.FIELDS.find((f) => msg.has(f.id) && err.message.includes(f.name));
        if (bad === undefined) break;
        msg.set(bad.id, undefined);
      }
    }
  }
  return out;
}

function frameSeeds(lib) {
  const payloads = [...JSON_EXAMPLES.map(b), new Uint8Array(0), new Uint8Array(300).fill(0x61)];
  const stream = [];
  for (const p of payloads)
    stream.push((p.length >>> 24) & 255, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255, ...p);
  const seeds = [];
  for (let chunking = 0; chunking < 4; chunking++) {
    seeds.push(Uint8Array.from([chunking, 7, ...stream]));
    seeds.push(Uint8Array.from([chunking, 6, ...stream.slice(0, 40)]));
  }
  if (typeof lib.frame === 'function')
    seeds.push(Uint8Array.from([1, 3, ...lib.frame(b('abcd')), ...lib.frame(b('toolong-for-16-bytes'))]));
  return seeds;
}

function compositeSeeds(lib) {
  const parts = [b('{"a":1}'), new Uint8Array(0), new Uint8Array(256).map((_, i) => i)];
  const seeds = [];
  if (typeof lib.CompositeMessageBuilder === 'function') {
    const builder = new lib.CompositeMessageBuilder();
    for (const p of parts) builder.append(p);
    seeds.push(builder.getData().slice());
  }
  seeds.push(Uint8Array.of(0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 9, 0x61));
  return seeds;
}

/** The built-in seeds of a target, by the dictionary it mutates with (and its name). */
export function builtinSeeds(lib, target) {
  if (target.seeds !== undefined) return target.seeds(lib);
  switch (target.name) {
    case 'frame':
      return frameSeeds(lib);
    case 'composite':
      return compositeSeeds(lib);
    case 'fix-shredder':
    case 'nvfix-shredder':
      return BODY_EXAMPLES.map(b);
    case 'differential':
      return [
        ...JSON_EXAMPLES.map(b),
        ...FIX_EXAMPLES.map(b),
        ...XML_EXAMPLES.map(b),
        ...['amps', 'fix', 'nvfix', 'xml'].flatMap((p) => encodedSamples(lib, p)),
      ];
    case 'json':
      return [...JSON_EXAMPLES.map(b), ...encodedSamples(lib, 'amps')];
    case 'fix':
    case 'nvfix':
      return [...FIX_EXAMPLES.map(b), ...encodedSamples(lib, target.name)];
    case 'xml':
      return [...XML_EXAMPLES.map(b), ...encodedSamples(lib, 'xml')];
    default:
      return [];
  }
}
