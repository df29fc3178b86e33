// The legacy header protocols (issue 5, "Speed"): one delivery (6 header fields, an 80-byte
// body) in xml against fast-xml-parser, and in fix against amps-wire's own json decode of the
// same message. Both read what a subscriber reads: Command, Topic, SubscriptionId and the body.
import { XMLParser } from 'fast-xml-parser';
import { Message, amps, fix, xml } from '../../dist/esm/index.js';

const body = '{"id":1047,"sym":"IBM","side":"buy","qty":300,"px":172.31,"acct":"A7","venue":"XNYS"}';

// The same six fields in every protocol: Command (abbreviated), Topic, SubscriptionId,
// Bookmark, Sequence and Timestamp, with the text fields in CDATA as servers write them.
const xmlPayload = Buffer.from(
  '<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>p</Cmd><Tpc><![CDATA[orders]]></Tpc><SubId><![CDATA[s17]]></SubId>' +
    '<BkMrk>12|1700000000000000123|</BkMrk><Seq>18446744073709551557</Seq><TxmTm>20240607T0930Z</TxmTm>' +
    `</SOAP-ENV:Header><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
);
const fixPayload = Buffer.from(
  '20000=p\x0120005=orders\x0120009=s17\x0120037=12|1700000000000000123|\x0120036=18446744073709551557\x01' +
    `20004=20240607T0930Z\x01\x02${body}`,
);
const jsonPayload = Buffer.from(
  '{"c":"p","t":"orders","sub_id":"s17","bm":"12|1700000000000000123|","s":18446744073709551557,"ts":"20240607T0930Z"}' +
    body,
);

/** What a subscriber reads, folded into one value so nothing is dead code. */
function readOut(command, topic, subId, data) {
  return command.length + topic.length + subId.length + data.length;
}

// ---- xml-decode ------------------------------------------------------------------------------

const xmlReused = new Message();
function xmlOurs() {
  const m = xml.decode(xmlPayload, xmlReused);
  return readOut(m.getCommand(), m.getTopic(), m.getSubscriptionId(), m.getData());
}

// fast-xml-parser with every option that saves it work: the body is a stop node (kept as raw
// text, not parsed), values stay strings, attributes are ignored.
const parser = new XMLParser({
  stopNodes: ['SOAP-ENV:Envelope.SOAP-ENV:Body'],
  parseTagValue: false,
  ignoreAttributes: true,
  processEntities: true,
});
function xmlBaseline() {
  const doc = parser.parse(xmlPayload.toString());
  const envelope = doc['SOAP-ENV:Envelope'];
  const h = envelope['SOAP-ENV:Header'];
  const data = Buffer.from(envelope['SOAP-ENV:Body']);
  return readOut(h.Cmd === 'p' ? 'publish' : h.Cmd, h.Tpc, h.SubId, data);
}

function checkXml() {
  const m = xml.decode(xmlPayload);
  const doc = parser.parse(xmlPayload.toString())['SOAP-ENV:Envelope'];
  const got = [m.getCommand(), m.getTopic(), m.getSubscriptionId(), Buffer.from(m.getData()).toString()];
  const want = ['publish', doc['SOAP-ENV:Header'].Tpc, doc['SOAP-ENV:Header'].SubId, doc['SOAP-ENV:Body']];
  if (got.some((v, i) => v !== want[i])) throw new Error(`xml-decode: amps-wire read ${got}, fast-xml-parser ${want}`);
  if (xmlOurs() !== xmlBaseline()) throw new Error('xml-decode: contenders disagree');
}

// ---- fix-decode ------------------------------------------------------------------------------

const fixReused = new Message();
function fixOurs() {
  const m = fix.decode(fixPayload, fixReused);
  return readOut(m.getCommand(), m.getTopic(), m.getSubscriptionId(), m.getData());
}

const jsonReused = new Message();
function jsonOurs() {
  const m = amps.decode(jsonPayload, jsonReused);
  return readOut(m.getCommand(), m.getTopic(), m.getSubscriptionId(), m.getData());
}

function checkFix() {
  const a = fix.decode(fixPayload);
  const b = amps.decode(jsonPayload);
  const c = xml.decode(xmlPayload);
  for (const field of ['Command', 'Topic', 'SubscriptionId', 'Bookmark', 'Sequence', 'Timestamp']) {
    if (a.get(field) !== b.get(field) || a.get(field) !== c.get(field))
      throw new Error(`fix-decode: ${field} differs between fix, json and xml`);
  }
  if (Buffer.from(a.getData()).toString() !== body || Buffer.from(b.getData()).toString() !== body)
    throw new Error('fix-decode: bodies differ');
  if (fixOurs() !== jsonOurs()) throw new Error('fix-decode: contenders disagree');
}

export default [
  {
    name: `xml-decode/delivery-${xmlPayload.length}B`,
    issue: 5,
    goal: 40,
    ours: xmlOurs,
    baselineName: 'fast-xml-parser XMLParser (body as a stop node) + toString',
    baseline: xmlBaseline,
    bytes: xmlPayload.length,
    check: checkXml,
    note: `decode into a reused Message and read Command, Topic, SubscriptionId and the body; 6 header fields (2 in CDATA) and a ${body.length}-byte body.`,
  },
  {
    name: `fix-decode/delivery-${fixPayload.length}B`,
    issue: 5,
    goal: 1 / 1.3,
    ours: fixOurs,
    baselineName: `amps-wire amps/json decode of the same message (${jsonPayload.length}B)`,
    baseline: jsonOurs,
    bytes: fixPayload.length,
    check: checkFix,
    note: 'the same 6 fields and body as xml-decode in fix layout, against the same message in json; the goal is to stay within 1.3x of the json decode time.',
  },
];
