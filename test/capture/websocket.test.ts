// WebSocket frames written by hand from RFC 6455 and WIRE.md section 7: the JavaScript client's
// framing, masking, control frames, limits, and streams that end early.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { concat, TcpConversation, pcapOf, type SegmentSpec } from '../helpers/pcap-writer.js';
import { decodeWithKeys } from '../helpers/transport-captures.js';

const enc = new TextEncoder();
const C = '10.0.0.1:51000->10.0.0.2:9008';
const S = '10.0.0.2:9008->10.0.0.1:51000';

/** One WebSocket frame. */
function wsFrame(
  opcode: number,
  payload: Uint8Array | string,
  o: { fin?: boolean; rsv1?: boolean; mask?: number[] } = {},
): Uint8Array {
  const body = typeof payload === 'string' ? enc.encode(payload) : payload;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | (o.rsv1 ? 0x40 : 0) | opcode];
  const m = o.mask ? 0x80 : 0;
  if (body.length < 126) head.push(m | body.length);
  else if (body.length < 65536) head.push(m | 126, body.length >> 8, body.length & 0xff);
  else
    head.push(
      m | 127,
      0,
      0,
      0,
      0,
      (body.length >>> 24) & 0xff,
      (body.length >> 16) & 0xff,
      (body.length >> 8) & 0xff,
      body.length & 0xff,
    );
  if (!o.mask) return concat(Uint8Array.from(head), body);
  const masked = body.map((b, i) => b ^ o.mask![i & 3]!);
  return concat(Uint8Array.from(head), Uint8Array.from(o.mask), masked);
}

const count = (n: number) => Uint8Array.of(n, 0, 0, 0);
const MASK = [0x12, 0x34, 0x56, 0x78];
const upgrade =
  'GET /amps/json HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: a\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n';
const accepted =
  'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: b\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n';

/** A capture of one WebSocket connection: the upgrade, then the client's and server's frame bytes. */
function wsCapture(client: Uint8Array, server: Uint8Array, o: { mss?: number; end?: boolean } = {}): Uint8Array {
  const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9008 });
  const segs: SegmentSpec[] = [
    ...conv.handshake(),
    ...conv.send('client', enc.encode(upgrade)),
    ...conv.send('server', enc.encode(accepted)),
  ];
  segs.push(
    ...conv.send('client', client, { mss: o.mss ?? 1460 }),
    ...conv.send('server', server, { mss: o.mss ?? 1460 }),
  );
  if (o.end !== false) segs.push(conv.fin('client'), conv.fin('server'));
  return pcapOf(segs);
}

/** Raw DEFLATE of `text` without the final 00 00 ff ff, as permessage-deflate sends it. */
function deflated(text: string | Uint8Array): Uint8Array {
  const d = deflateRawSync(typeof text === 'string' ? enc.encode(text) : text, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  return d.subarray(0, d.length - 4);
}

describe('the JavaScript client framing', () => {
  it('client: mode word, counts, header and body messages, masked; server: header, body, SOW batch', () => {
    const client = concat(
      wsFrame(1, 'text', { mask: MASK }),
      wsFrame(2, count(1), { mask: MASK }),
      wsFrame(1, '{"c":"logon","cid":"1"}', { mask: MASK }),
      wsFrame(2, count(2), { mask: MASK }),
      wsFrame(1, '{"c":"publish","t":"orders"}', { mask: MASK }),
      // A body in three fragments with a ping and a pong between them.
      wsFrame(1, '{"id":', { mask: MASK, fin: false }),
      wsFrame(9, 'hi', { mask: MASK }),
      wsFrame(0, '1,"q":', { mask: MASK, fin: false }),
      wsFrame(10, '', { mask: MASK }),
      wsFrame(0, '2}', { mask: MASK }),
    );
    const server = concat(
      wsFrame(1, '{"c":"ack","cid":"1","status":"success"}'),
      wsFrame(1, '{"c":"p","t":"orders","s":7,"sids":"s1"}'),
      wsFrame(1, '{"id":1,"q":2}'),
      wsFrame(1, '{"c":"sow","query_id":"q","bs":2}'),
      wsFrame(1, '{"k":"1","l":2}'),
      wsFrame(1, '{}'),
      wsFrame(1, '{"k":"2","l":2}'),
      wsFrame(1, '[]'),
      wsFrame(1, '{"c":"heartbeat"}'),
      wsFrame(8, Uint8Array.of(3, 232)),
    );
    for (const mss of [1, 5, 1460]) {
      const r = decodeWithKeys(wsCapture(client, server, { mss }), undefined);
      expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
      expect(r.lines).toEqual([
        `${C} #0 ws {"c":"logon","cid":"1"}`,
        `${C} #1 ws {"c":"publish","t":"orders"}{"id":1,"q":2}`,
        `${S} #0 ws {"c":"ack","cid":"1","status":"success"}`,
        `${S} #1 ws {"c":"p","t":"orders","s":7,"sids":"s1"}{"id":1,"q":2}`,
        `${S} #2 ws {"c":"sow","query_id":"q","bs":2}{"k":"1","l":2}{}{"k":"2","l":2}[]`,
        `${S} #3 ws {"c":"heartbeat"}`,
      ]);
    }
  });

  it('permessage-deflate with the window carried from message to message', () => {
    const header = '{"c":"p","t":"orders","s":1,"sids":"s1","bm":"12|1700000000000000001|"}';
    const body = `{"copy":${JSON.stringify(header)}}`;
    const first = deflated(header);
    // The body is compressed against the header already sent: it inflates only with that window.
    const d = deflateRawSync(enc.encode(body), { finishFlush: 2, dictionary: enc.encode(header) });
    const second = d.subarray(0, d.length - 4);
    expect(() => inflateRawSync(concat(second, Uint8Array.of(0, 0, 0xff, 0xff)))).toThrow();
    const server = concat(wsFrame(1, first, { rsv1: true }), wsFrame(1, second, { rsv1: true }));
    const r = decodeWithKeys(wsCapture(new Uint8Array(0), server), undefined);
    expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
    expect(r.lines).toEqual([`${S} #0 ws ${header}${body}`]);
  });
});

describe('frames whole in one segment and frames split across segments', () => {
  // Whole frames inside one chunk are read straight from it; split ones are gathered first.
  const segmentSizes = [1, 7, 1460, 60_000];

  it('compressed and plain messages with 7- and 16-bit lengths read the same either way', () => {
    const header = '{"c":"p","t":"orders","s":1,"sids":"s1"}';
    const body = JSON.stringify(Array.from({ length: 40 }, (_, i) => (i * 2654435761) % 1000003));
    const compressedBody = deflated(body);
    expect(compressedBody.length).toBeGreaterThan(125);
    const plainBody = `{"n":"${'x'.repeat(300)}"}`;
    const server = concat(
      wsFrame(1, deflated(header), { rsv1: true }),
      wsFrame(1, compressedBody, { rsv1: true }),
      wsFrame(1, header),
      wsFrame(1, plainBody),
      wsFrame(2, '{"c":"heartbeat"}'),
    );
    for (const mss of segmentSizes) {
      const r = decodeWithKeys(wsCapture(new Uint8Array(0), server, { mss }), undefined);
      expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
      expect(r.lines).toEqual([
        `${S} #0 ws ${header}${body}`,
        `${S} #1 ws ${header}${plainBody}`,
        `${S} #2 ws {"c":"heartbeat"}`,
      ]);
    }
  });

  it('corrupt compressed data and a message over the limit are reported the same either way', () => {
    const corrupt = concat(
      wsFrame(1, '{"c":"ack"}'),
      wsFrame(1, Uint8Array.of(0xff, 0xff, 0xff), { rsv1: true }),
      wsFrame(1, '{"c":"heartbeat"}'),
    );
    const large = concat(
      wsFrame(1, '{"c":"ack"}'),
      wsFrame(1, deflated('{"c":"ack","s":2}'), { rsv1: true }),
      wsFrame(1, `{"c":"${'x'.repeat(200)}"}`),
      wsFrame(1, '{"c":"heartbeat"}'),
    );
    for (const mss of segmentSizes) {
      const bad = decodeWithKeys(wsCapture(new Uint8Array(0), corrupt, { mss }), undefined);
      expect(bad.lines).toEqual([`${S} #0 ws {"c":"ack"}`]);
      expect(bad.of('notice').map((n) => n.notice.message)).toEqual([
        expect.stringMatching(/^compressed message not inflated: corrupt DEFLATE data/),
      ]);
      const over = decodeWithKeys(wsCapture(new Uint8Array(0), large, { mss }), undefined, { maxFrameLength: 200 });
      expect(over.lines).toEqual([`${S} #0 ws {"c":"ack"}`, `${S} #1 ws {"c":"ack","s":2}`]);
      expect(over.of('notice').map((n) => n.notice.message)).toEqual([
        'message of more than 200 bytes (the limit): not read; the rest of this direction is not decoded',
      ]);
    }
  });
});

describe('limits and bad frames', () => {
  it('a message declaring more than maxFrameLength is refused from its header', () => {
    const server = concat(
      wsFrame(1, '{"c":"ack"}'),
      wsFrame(2, new Uint8Array(70_000)),
      wsFrame(1, '{"c":"heartbeat"}'),
    );
    const r = decodeWithKeys(wsCapture(new Uint8Array(0), server), undefined, { maxFrameLength: 65_536 });
    expect(r.lines).toEqual([`${S} #0 ws {"c":"ack"}`]);
    const notices = r.of('notice');
    expect(notices.map((n) => [n.conn, n.notice.kind])).toEqual([[S, 'ws-error']]);
    expect(notices[0]!.notice.message).toContain('more than 65536 bytes');
  });

  it('a decompression bomb is stopped at the limit, and decoding of the other direction goes on', () => {
    const bomb = deflated(new Uint8Array(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    const server = wsFrame(1, bomb, { rsv1: true });
    const client = concat(
      wsFrame(1, 'text', { mask: MASK }),
      wsFrame(2, count(1), { mask: MASK }),
      wsFrame(1, '{"c":"logon"}', { mask: MASK }),
    );
    const r = decodeWithKeys(wsCapture(client, server), undefined, { maxFrameLength: 100_000 });
    expect(r.lines).toEqual([`${C} #0 ws {"c":"logon"}`]);
    const notices = r.of('notice');
    expect(notices.map((n) => n.notice.kind)).toEqual(['ws-error']);
    expect(notices[0]!.notice.message).toContain('inflates to more than 100000 bytes');
  });

  it('corrupt compressed data and reserved bits stop only their direction', () => {
    const server = concat(wsFrame(1, Uint8Array.of(0xff, 0xff, 0xff), { rsv1: true }));
    const client = wsFrame(0x3, 'x', { mask: MASK });
    const r = decodeWithKeys(wsCapture(client, server), undefined);
    const messages = r.of('notice').map((n) => `${n.conn} ${n.notice.kind} ${n.notice.message}`);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^10\.0\.0\.1.* ws-error frame with unknown data opcode 3/);
    expect(messages[1]).toMatch(/^10\.0\.0\.2.* ws-error compressed message not inflated: corrupt DEFLATE data/);
  });

  it('a stream ending inside a frame or a message reports it truncated', () => {
    const body = '{"id":1}'.repeat(50);
    const cutFrame = wsFrame(1, body).subarray(0, 100);
    const server = concat(wsFrame(1, '{"c":"p","t":"x"}'), cutFrame);
    const client = concat(
      wsFrame(1, 'text', { mask: MASK }),
      wsFrame(2, count(2), { mask: MASK }),
      wsFrame(1, '{"c":"publish"}', { mask: MASK }),
    );
    const r = decodeWithKeys(wsCapture(client, server), undefined);
    expect(r.lines).toEqual([]);
    expect(r.of('truncated').map((t) => [t.conn, t.index, t.frameLength, t.bytesPresent])).toEqual([
      [C, 0, undefined, 15],
      [S, 0, undefined, 17 + 96],
    ]);
  });

  it('an HTTP connection that is not an upgrade is skipped with a notice', () => {
    const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 80 });
    const segs = [
      ...conv.handshake(),
      ...conv.send('client', enc.encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
      ...conv.send('server', enc.encode('HTTP/1.1 200 OK\r\n\r\nhello')),
    ];
    const r = decodeWithKeys(pcapOf(segs), undefined);
    expect(r.lines).toEqual([]);
    expect(r.of('notice').map((n) => n.notice.kind)).toEqual(['not-amps', 'not-amps']);
  });
});
