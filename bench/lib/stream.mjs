// Synthetic AMPS traffic, written byte by byte from WIRE.md rather than by amps-wire's own
// encoders, so the decoders are measured on the wire format itself (server deliveries with
// "c":"p", SOW batches, acks) and not on whatever our encoders happen to write.
//
// A stream is one Uint8Array of frames (4-byte big-endian length + payload), filled by cycling
// through a pool of distinct messages, with the counts a correct decoder must arrive at.

const enc = new TextEncoder();
const bytes = (text) => enc.encode(text);

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Text of exactly `size` bytes: `head`, then padding, then `tail` (or padding alone if too small). */
function sized(head, tail, size) {
  const room = size - head.length - tail.length;
  return room < 0 ? 'x'.repeat(size) : head + 'x'.repeat(room) + tail;
}

// Values that vary from message to message, as a server's would.
const topic = (i) => `orders.${['us', 'eu', 'apac', 'latam'][i % 4]}`;
const subId = (i) => `sub-${i % 7}`;
const seq = (i) => (18446744073709551615n - BigInt(i) * 7919n).toString(); // 64-bit, near the top
const bookmark = (i) => `${1234567 + (i % 13)}|${1700000000000000000n + BigInt(i)}|`;
const sowKey = (i) => (0x9e3779b97f4a7c15n ^ BigInt(i * 2654435761)).toString(16);
const stamp = (i) => `20240607T0930${String(10 + (i % 50)).padStart(2, '0')}.${String(123456 + i).slice(-6)}Z`;

/**
 * Per protocol: how a body of `size` bytes looks, and the payload of a publish delivery, a SOW
 * batch and an ack. Header layouts follow WIRE.md sections 2-4.
 */
const SHAPES = {
  amps: {
    body: (i, size) => bytes(sized(`{"id":${i},"sym":"IBM","qty":300,"pad":"`, '"}', size)),
    publish: (i, body) =>
      concat([
        bytes(
          `{"c":"p","t":"${topic(i)}","sub_id":"${subId(i)}","sids":"${subId(i)}","bm":"${bookmark(i)}",` +
            `"s":${seq(i)},"k":"${sowKey(i)}","ts":"${stamp(i)}"}`,
        ),
        body,
      ]),
    sow: (i, bodies) =>
      concat([
        bytes(`{"c":"sow","t":"${topic(i)}","query_id":"q${i}","sub_id":"q${i}","bs":${bodies.length}}`),
        ...bodies.flatMap((b, r) => [
          bytes(`{"k":"${sowKey(i + r)}","x":"c${i}","ts":"${stamp(i + r)}","l":${b.length}}`),
          b,
        ]),
      ]),
    ack: (i) => bytes(`{"c":"ack","cid":"${i}","a":"processed","status":"success","sub_id":"${subId(i)}"}`),
  },
  fix: {
    body: (i, size) => bytes(sized(`11=${i}\x0155=IBM\x0154=1\x0138=300\x0158=`, '\x01', size)),
    publish: (i, body) =>
      concat([
        bytes(
          `20000=p\x0120005=${topic(i)}\x0120009=${subId(i)}\x0120061=${subId(i)}\x0120037=${bookmark(i)}\x01` +
            `20036=${seq(i)}\x0120059=${sowKey(i)}\x0120004=${stamp(i)}\x0120058=${body.length}\x01\x02`,
        ),
        body,
      ]),
    sow: (i, bodies) =>
      concat([
        bytes(`20000=sow\x0120005=${topic(i)}\x0120019=q${i}\x0120009=q${i}\x0120023=${bodies.length}\x01\x02`),
        ...bodies.flatMap((b, r) => [
          bytes(`20059=${sowKey(i + r)}\x0120035=c${i}\x0120004=${stamp(i + r)}\x0120058=${b.length}\x01\x02`),
          b,
          bytes('\x01'),
        ]),
      ]),
    ack: (i) => bytes(`20000=ack\x0120001=${i}\x0120008=processed\x0120018=success\x0120009=${subId(i)}\x01\x02`),
  },
  xml: {
    body: (i, size) => bytes(sized(`<order><id>${i}</id><sym>IBM</sym><qty>300</qty><pad>`, '</pad></order>', size)),
    publish: (i, body) =>
      concat([
        bytes(
          `<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>p</Cmd><Tpc><![CDATA[${topic(i)}]]></Tpc>` +
            `<SubId><![CDATA[${subId(i)}]]></SubId><SubIds><![CDATA[${subId(i)}]]></SubIds>` +
            `<BkMrk>${bookmark(i)}</BkMrk><Seq>${seq(i)}</Seq><SowKey>${sowKey(i)}</SowKey>` +
            `<TxmTm>${stamp(i)}</TxmTm></SOAP-ENV:Header><SOAP-ENV:Body>`,
        ),
        body,
        bytes('</SOAP-ENV:Body></SOAP-ENV:Envelope>'),
      ]),
    sow: (i, bodies) =>
      concat([
        bytes(
          `<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>sow</Cmd><Tpc><![CDATA[${topic(i)}]]></Tpc>` +
            `<QId><![CDATA[q${i}]]></QId><SubId><![CDATA[q${i}]]></SubId><BtchSz>${bodies.length}</BtchSz>` +
            `</SOAP-ENV:Header><SOAP-ENV:Body>`,
        ),
        ...bodies.flatMap((b, r) => [
          bytes(`<Msg key="${sowKey(i + r)}" len="${b.length}" ts="${stamp(i + r)}">`),
          b,
          bytes('</Msg>'),
        ]),
        bytes('</SOAP-ENV:Body></SOAP-ENV:Envelope>'),
      ]),
    ack: (i) =>
      bytes(
        `<SOAP-ENV:Envelope><SOAP-ENV:Header><Cmd>ack</Cmd><CmdId><![CDATA[${i}]]></CmdId>` +
          `<AckTyp>processed</AckTyp><Status>success</Status><SubId><![CDATA[${subId(i)}]]></SubId>` +
          `</SOAP-ENV:Header><SOAP-ENV:Body></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      ),
  },
};
// NVFIX shares FIX's header layout; its bodies are name=value.
SHAPES.nvfix = {
  ...SHAPES.fix,
  body: (i, size) => bytes(sized(`id=${i}\x01sym=IBM\x01side=buy\x01qty=300\x01pad=`, '\x01', size)),
};

/** Protocols a synthetic stream can be written in. */
export const STREAM_PROTOCOLS = Object.freeze(Object.keys(SHAPES));

/**
 * One message of a stream: its payload and what a decoder must find in it.
 * kind: 'publish' | 'sow' | 'ack'; records: SOW records; bodyBytes: body bytes of publishes and records.
 */
function entry(kind, payload, records, bodyBytes) {
  return { kind, payload, records, bodyBytes };
}

/**
 * The pool of distinct messages a stream cycles through.
 * mixed: of every 20 messages, 16 publishes (bodies 40-400 bytes), 1 SOW batch of 10 records,
 * 3 acks — what a subscriber with a SOW query and a publisher's acks sees on one connection.
 * publish: publishes only, every body exactly `bodySize` bytes (for the size series).
 */
function pool(protocolName, mix, bodySize) {
  const shape = SHAPES[protocolName];
  const out = [];
  const distinct = mix === 'mixed' ? 400 : Math.max(2, Math.min(64, Math.floor((8 << 20) / bodySize)));
  for (let i = 0; i < distinct; i++) {
    if (mix === 'publish') {
      const body = shape.body(i, bodySize);
      out.push(entry('publish', shape.publish(i, body), 0, body.length));
    } else if (i % 20 === 7) {
      const bodies = Array.from({ length: 10 }, (_, r) => shape.body(i + r, 60 + ((i * 31 + r * 17) % 200)));
      out.push(
        entry(
          'sow',
          shape.sow(i, bodies),
          bodies.length,
          bodies.reduce((n, b) => n + b.length, 0),
        ),
      );
    } else if (i % 20 === 3 || i % 20 === 11 || i % 20 === 17) {
      out.push(entry('ack', shape.ack(i), 0, 0));
    } else {
      const body = shape.body(i, 40 + ((i * 97) % 361));
      out.push(entry('publish', shape.publish(i, body), 0, body.length));
    }
  }
  return out;
}

/**
 * A stream of at least `totalBytes` (and at least `minFrames` frames) in `protocolName`.
 * @returns `{ bytes, frames, expected: { publish, sow, ack, records, bodyBytes } }`
 */
export function buildStream(protocolName, { totalBytes, mix = 'mixed', bodySize = 0, minFrames = 1 }) {
  if (!(protocolName in SHAPES)) throw new Error(`no synthetic traffic for protocol ${protocolName}`);
  const messages = pool(protocolName, mix, bodySize);
  const expected = { publish: 0, sow: 0, ack: 0, records: 0, bodyBytes: 0 };
  let size = 0;
  let frames = 0;
  while (size < totalBytes || frames < minFrames) {
    const m = messages[frames % messages.length];
    size += 4 + m.payload.length;
    frames++;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  for (let f = 0; f < frames; f++) {
    const m = messages[f % messages.length];
    view.setUint32(o, m.payload.length);
    out.set(m.payload, o + 4);
    o += 4 + m.payload.length;
    expected[m.kind]++;
    expected.records += m.records;
    expected.bodyBytes += m.bodyBytes;
  }
  return { bytes: out, frames, expected };
}
