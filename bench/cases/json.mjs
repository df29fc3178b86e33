// The amps/json protocol (issues 3 and 13, "Speed"): decoding a server delivery and encoding a publish,
// each against the obvious JavaScript way given every advantage it can fairly have.
import { Command, Message, amps } from '../../dist/esm/index.js';

// ---- json-decode/delivery-200B -------------------------------------------------------------
// A typical delivery: ~130-byte header (publish abbreviated "p", topic, subscription id,
// bookmark, a 64-bit sequence, SOW key, timestamp) and a 70-byte JSON body.
const deliveryHeader =
  '{"c":"p","t":"orders","sub_id":"s17","bm":"12|1700000000000000123|",' +
  '"s":18446744073709551557,"k":"9e3779b9","ts":"20240607T0930Z"}';
const deliveryBody = '{"id":1047,"sym":"IBM","side":"buy","qty":300,"px":172.31,"acct":"A7"}';
const delivery = Buffer.from(deliveryHeader + deliveryBody);
// The baseline is told where the header ends: finding that point is work amps-wire does and the
// baseline skips.
const headerEnd = Buffer.byteLength(deliveryHeader);
const SEQUENCE = /"s":(\d+)/;

/** What a subscriber reads from a delivery, folded into one value so nothing is dead code. */
function readOut(command, topic, subId, sequence, body) {
  return command.length + topic.length + subId.length + body.length + (sequence === 18446744073709551557n ? 1 : 0);
}

function decodeBaseline() {
  const text = delivery.toString('utf8', 0, headerEnd);
  const h = JSON.parse(text); // "s" comes back rounded to a double, hence the regex
  const sequence = BigInt(SEQUENCE.exec(text)[1]);
  const body = delivery.subarray(headerEnd);
  return readOut(h.c === 'p' ? 'publish' : h.c, h.t, h.sub_id, sequence, body);
}

const reused = new Message();
function decodeOurs() {
  const m = amps.decode(delivery, reused);
  return readOut(m.getCommand(), m.getTopic(), m.getSubscriptionId(), m.getSequence(), m.getData());
}

function decodeOursFresh() {
  const m = amps.decode(delivery);
  return readOut(m.getCommand(), m.getTopic(), m.getSubscriptionId(), m.getSequence(), m.getData());
}

// ---- the floor: the least any JavaScript decoder can do for the same reads ---------------------
// One pass over the header recording where each key and value lies (no validation, no escapes,
// no whitespace, no limits), finding the header's end as it goes; then the same five reads, each
// as cheaply as JavaScript allows. A correct decoder does all of this and more, so the distance
// from ours to this is the distance to the limit.
const floorIndex = new Int32Array(4 * 64);
let floorMembers = 0;

/** Returns the header's end; floorIndex holds (keyStart, keyEnd, valueStart, valueEnd) per member. */
function floorScan(buf) {
  let n = 0;
  let i = 1;
  for (;;) {
    const c = buf[i];
    if (c === 0x7d) break;
    if (c !== 0x22) {
      i++;
      continue;
    }
    const keyStart = ++i;
    while (buf[i] !== 0x22) i++;
    floorIndex[n] = keyStart;
    floorIndex[n + 1] = i;
    i += 2; // '":'
    if (buf[i] === 0x22) {
      floorIndex[n + 2] = ++i;
      while (buf[i] !== 0x22) i++;
      floorIndex[n + 3] = i++;
    } else {
      floorIndex[n + 2] = i;
      while (buf[i] !== 0x2c && buf[i] !== 0x7d) i++;
      floorIndex[n + 3] = i;
    }
    n += 4;
  }
  floorMembers = n;
  return i + 1;
}

/** The value offset slot of the member whose key is `key` (ASCII), or -1. */
function floorFind(buf, key) {
  outer: for (let n = 0; n < floorMembers; n += 4) {
    const ks = floorIndex[n];
    if (floorIndex[n + 1] - ks !== key.length) continue;
    for (let k = 0; k < key.length; k++) if (buf[ks + k] !== key.charCodeAt(k)) continue outer;
    return n + 2;
  }
  return -1;
}

function floorText(buf, slot) {
  let s = '';
  for (let i = floorIndex[slot], end = floorIndex[slot + 1]; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

function floorDecode() {
  return floorScan(delivery);
}

function floorDecodeAndRead() {
  const end = floorScan(delivery);
  const c = floorFind(delivery, 'c');
  const command =
    floorIndex[c + 1] - floorIndex[c] === 1 && delivery[floorIndex[c]] === 0x70 ? 'publish' : floorText(delivery, c);
  const topic = floorText(delivery, floorFind(delivery, 't'));
  const subId = floorText(delivery, floorFind(delivery, 'sub_id'));
  const sequence = BigInt(floorText(delivery, floorFind(delivery, 's')));
  const body = new Uint8Array(delivery.buffer, delivery.byteOffset + end, delivery.length - end);
  return readOut(command, topic, subId, sequence, body);
}

function decodeOnlyOurs() {
  return amps.decode(delivery, reused).dataLength;
}

function decodeOnlyBaseline() {
  return JSON.parse(delivery.toString('utf8', 0, headerEnd)).c.length;
}

// The same payload as a plain Uint8Array (a browser's or a WebSocket's bytes, not a Buffer).
const deliveryU8 = new Uint8Array(delivery);
const reusedU8 = new Message();
function decodeOursUint8Array() {
  const m = amps.decode(deliveryU8, reusedU8);
  return readOut(m.getCommand(), m.getTopic(), m.getSubscriptionId(), m.getSequence(), m.getData());
}

function checkDecode() {
  const m = amps.decode(delivery);
  const h = JSON.parse(deliveryHeader);
  const got = [
    m.getCommand(),
    m.getTopic(),
    m.getSubscriptionId(),
    m.getSequence(),
    Buffer.from(m.getData()).toString(),
  ];
  const want = ['publish', h.t, h.sub_id, 18446744073709551557n, deliveryBody];
  if (got.some((v, i) => v !== want[i])) throw new Error(`json-decode: amps-wire read ${got}, expected ${want}`);
  const want2 = decodeBaseline();
  if (
    decodeOurs() !== want2 ||
    decodeOursFresh() !== want2 ||
    floorDecodeAndRead() !== want2 ||
    decodeOursUint8Array() !== want2
  ) {
    throw new Error('json-decode: contenders disagree');
  }
  if (floorDecode() !== headerEnd)
    throw new Error(`json-decode: the floor scan ended the header at ${floorDecode()}, not ${headerEnd}`);
}

// ---- json-encodeInto/publish ---------------------------------------------------------------
// A publish with topic, command id, ack type and a 45-byte body, framed (4-byte length + payload)
// into a buffer that is reused for every message.
const publishBody = Buffer.from('{"id":1047,"sym":"IBM","qty":300,"px":172.31}');
const command = new Command('publish')
  .setTopic('orders.us')
  .setCommandId('42')
  .setAckType('processed')
  .setData(publishBody);
const header = { c: 'publish', t: 'orders.us', cid: '42', a: 'processed' };
const oursOut = Buffer.alloc(4096);
const baseOut = Buffer.alloc(4096);

function encodeOurs() {
  const n = amps.encodeInto(command, oursOut, 4);
  oursOut.writeUInt32BE(n, 0);
  return n;
}

function encodeBaseline() {
  const head = Buffer.from(JSON.stringify(header));
  baseOut.writeUInt32BE(head.length + publishBody.length, 0);
  head.copy(baseOut, 4);
  publishBody.copy(baseOut, 4 + head.length);
  return head.length + publishBody.length;
}

// The same publish with a new command id each time, as a publisher asking for acks sends it:
// the header changes on every message. amps-wire keeps the header of a message it encodes again
// and writes only the new id into it (ids of one width here), so the rest is copied.
const commandIds = Array.from({ length: 1024 }, (_, i) => String(1000 + i));
const headers = commandIds.map((cid) => ({ ...header, cid }));
let nextId = 0;
function encodeOursNewId() {
  const i = nextId++ & 1023;
  command.setCommandId(commandIds[i]);
  const n = amps.encodeInto(command, oursOut, 4);
  oursOut.writeUInt32BE(n, 0);
  return n;
}
let nextBaseId = 0;
function encodeBaselineNewId() {
  const head = Buffer.from(JSON.stringify(headers[nextBaseId++ & 1023]));
  baseOut.writeUInt32BE(head.length + publishBody.length, 0);
  head.copy(baseOut, 4);
  publishBody.copy(baseOut, 4 + head.length);
  return head.length + publishBody.length;
}

// The full encoder, every time: a new publish built for every message (what a publisher that makes
// a Command per send does), so no header was ever encoded before. The baseline builds its header
// object the same way.
let nextFreshId = 0;
function encodeOursNewCommand() {
  const fresh = new Command('publish')
    .setTopic('orders.us')
    .setCommandId(commandIds[nextFreshId++ & 1023])
    .setAckType('processed')
    .setData(publishBody);
  const n = amps.encodeInto(fresh, oursOut, 4);
  oursOut.writeUInt32BE(n, 0);
  return n;
}
let nextFreshBaseId = 0;
function encodeBaselineNewCommand() {
  const fresh = { c: 'publish', t: 'orders.us', cid: commandIds[nextFreshBaseId++ & 1023], a: 'processed' };
  const head = Buffer.from(JSON.stringify(fresh));
  baseOut.writeUInt32BE(head.length + publishBody.length, 0);
  head.copy(baseOut, 4);
  publishBody.copy(baseOut, 4 + head.length);
  return head.length + publishBody.length;
}

/** A check that `rounds` frames written by `ours` and `baseline` in turn are the same bytes. */
function sameFrames(name, ours, baseline, rounds) {
  return () => {
    for (let k = 0; k < rounds; k++) {
      const a = ours();
      const b = baseline();
      if (a !== b || !oursOut.subarray(0, 4 + a).equals(baseOut.subarray(0, 4 + b)))
        throw new Error(`${name}: frames differ`);
    }
  };
}

function checkEncode() {
  const a = encodeOurs();
  const b = encodeBaseline();
  if (a !== b || !oursOut.subarray(0, 4 + a).equals(baseOut.subarray(0, 4 + b))) {
    throw new Error(
      `json-encodeInto: the contenders wrote different frames:\n${oursOut.subarray(4, 4 + a)}\n${baseOut.subarray(4, 4 + b)}`,
    );
  }
  if (publishBody.length !== 45) throw new Error(`json-encodeInto: body is ${publishBody.length} bytes, not 45`);
}

export default [
  {
    name: 'json-decode/delivery-200B',
    issue: 13,
    goal: 2.2,
    ceilingGoal: 1.4,
    ours: decodeOurs,
    baselineName: 'toString + JSON.parse + regex for s + subarray (header end given)',
    baseline: decodeBaseline,
    bytes: delivery.length,
    check: checkDecode,
    ceiling: floorDecodeAndRead,
    ceilingName: 'floor: one unvalidated scan recording keys and values, then the same 5 reads',
    note: `decode into a reused Message, then read Command, Topic, SubscriptionId, Sequence (bigint) and the body; the payload is ${delivery.length} bytes (header ${headerEnd}, body ${delivery.length - headerEnd}).`,
  },
  {
    name: 'json-decode/header-only-200B',
    issue: 13,
    ceilingGoal: 1.3,
    ours: decodeOnlyOurs,
    baselineName: 'toString + JSON.parse of the header (header end given)',
    baseline: decodeOnlyBaseline,
    bytes: delivery.length,
    check: checkDecode,
    ceiling: floorDecode,
    ceilingName: 'floor: one unvalidated scan recording keys and values',
    note: 'decode alone (no field read), against the floor scan alone: the cost of validation, key lookup and the index. Removing parts from a copy of the build put a bounds-checked scan of the same header alone at about 1.6× the floor; key lookup adds about 22 ns and writing the index about 27 ns.',
  },
  {
    name: 'json-decode/uint8array-vs-buffer',
    issue: 13,
    goal: 0.9,
    ours: decodeOursUint8Array,
    oursName: 'decode + 5 reads of a plain Uint8Array',
    baselineName: 'the same of a Buffer',
    baseline: decodeOurs,
    bytes: delivery.length,
    check: checkDecode,
    note: 'the delivery case given a plain Uint8Array instead of a Buffer: the two must decode at the same speed (goal: within 10%).',
  },
  {
    name: 'json-decode/delivery-200B-new-message',
    ours: decodeOursFresh,
    baselineName: 'toString + JSON.parse + regex for s + subarray (header end given)',
    baseline: decodeBaseline,
    bytes: delivery.length,
    check: checkDecode,
    note: 'the same as json-decode/delivery-200B with a new Message per decode (no goal: shows what reusing one saves).',
  },
  {
    name: 'json-encodeInto/publish',
    issue: 3,
    goal: 4,
    allocGoal: 0,
    ours: encodeOurs,
    baselineName: 'JSON.stringify + Buffer.from + framed copy into the reused buffer',
    baseline: encodeBaseline,
    bytes: 4 + Buffer.byteLength(JSON.stringify(header)) + publishBody.length,
    check: checkEncode,
    note: 'the same prebuilt publish (topic, command id, ack type, 45-byte body) framed into a reused 4 KiB buffer by both; the check compares the two frames byte for byte. amps-wire keeps a header encoded twice unchanged, so this measures that path; see publish-new-cid for a header that changes every time.',
  },
  {
    name: 'json-encodeInto/publish-new-cid',
    issue: 13,
    goal: 4,
    allocGoal: 0,
    ours: encodeOursNewId,
    baselineName: 'JSON.stringify + Buffer.from + framed copy, new cid each time',
    baseline: encodeBaselineNewId,
    bytes: 4 + Buffer.byteLength(JSON.stringify(header)) + publishBody.length,
    check: sameFrames('json-encodeInto/publish-new-cid', encodeOursNewId, encodeBaselineNewId, 3),
    note: 'the publish above with a different command id on every message (setCommandId, then encodeInto): amps-wire patches the new id (always 4 digits here) into the header it kept for the command; an id of another width, or a message encoded once, takes the full encoder (publish-new-command).',
  },
  {
    name: 'json-encodeInto/publish-new-command',
    ours: encodeOursNewCommand,
    baselineName: 'a new header object + JSON.stringify + Buffer.from + framed copy',
    baseline: encodeBaselineNewCommand,
    bytes: 4 + Buffer.byteLength(JSON.stringify(header)) + publishBody.length,
    check: sameFrames('json-encodeInto/publish-new-command', encodeOursNewCommand, encodeBaselineNewCommand, 40),
    note: 'a new publish (the same fields, a new command id) built and encoded for every message, against building the same header object and stringifying it: no header was encoded before, so the encoder writes every one in full (no goal: the encoder without its header cache).',
  },
];
