// Writes a large capture of AMPS over TLS or over permessage-deflate WebSocket, recorded from
// node:tls or ws on loopback, for measuring decode speed (never commit one of these):
//   node scripts/make-transport-capture.mjs --kind tls --size 128M --out /tmp/tls.pcap   (also /tmp/tls.pcap.keys)
//   node scripts/make-transport-capture.mjs --kind ws --size 64M --out /tmp/ws.pcap
//   node scripts/make-transport-capture.mjs --kind tcp --size 128M --out /tmp/tcp.pcap   (the same
//     frames as --kind tls over plain TCP: what the transport layers cost, on equal traffic)
// Run `npm run build` first. The server publishes to the client: varied JSON bodies of about
// 300 bytes, as a subscription delivers them.
import { once } from 'node:events';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { WebSocket, WebSocketServer } from 'ws';
import { parseSize } from '../dist/esm/cli/args.js';
import { PcapWriter, TcpConversation, buildPacket } from '../dist/esm/cli/synthetic/capture-writer.js';
import { credentials, frame, startProxy } from './record-transport.mjs';

const { values } = parseArgs({
  options: { kind: { type: 'string' }, size: { type: 'string' }, out: { type: 'string' } },
  strict: true,
});
const size = parseSize(values.size ?? '64M');
if (!['tls', 'ws', 'tcp'].includes(values.kind ?? '') || size === undefined || values.out === undefined) {
  console.error('usage: make-transport-capture.mjs --kind tls|ws|tcp --size SIZE --out FILE');
  process.exit(2);
}

const fd = openSync(values.out, 'w');
const pcap = new PcapWriter({ nanos: true });
writeSync(fd, pcap.header());
const conv = new TcpConversation({
  client: '10.0.0.1',
  clientPort: 51000,
  server: '10.0.0.2',
  serverPort: values.kind === 'ws' ? 9008 : 9007,
});
let written = 0;
const put = (seg, time) => {
  const record = pcap.record(buildPacket(seg), Number(time / 1_000_000_000n), Number(time % 1_000_000_000n));
  writeSync(fd, record);
  written += record.length;
};
let first = true;
const onChunk = (c) => {
  if (first) for (const seg of conv.handshake()) put(seg, c.time - 1000n);
  first = false;
  for (const seg of conv.send(c.side, c.bytes)) put(seg, c.time);
};

let seq = 0;
function publish() {
  seq++;
  const header = `{"c":"p","t":"orders","sub_id":"s1","sids":"s1","s":${seq},"bm":"12|${1700000000000000000 + seq}|"}`;
  const body = `{"id":${seq},"qty":${(seq * 7919) % 10007},"px":${((seq * 104729) % 1000003) / 100},"acct":"A${(seq * 31) % 997}","note":"${(seq * 2654435761).toString(36).repeat(8)}","ts":${1700000000000 + seq * 13}}`;
  return [header, body];
}

// The server writes frames until the capture is big enough, waiting whenever the socket is full.
function pumpFrames(socket) {
  const pump = () => {
    while (written < size) {
      const [h, b] = publish();
      if (!socket.write(frame(h + b))) return void socket.once('drain', pump);
    }
    socket.end();
  };
  pump();
}

// Records one connection to `server` through the proxy: `connect` opens the client.
async function recordStream(server, connect) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxy = await startProxy(server.address().port, onChunk);
  const client = connect({ port: proxy.port, host: '127.0.0.1', rejectUnauthorized: false });
  client.on('data', () => {});
  await once(client, 'end');
  client.end();
  await proxy.close();
  server.close();
}

if (values.kind === 'tcp') {
  await recordStream(net.createServer(pumpFrames), net.connect);
} else if (values.kind === 'tls') {
  const keyLines = [];
  const server = tls.createServer({ ...credentials('rsa') }, pumpFrames);
  server.on('keylog', (line) => keyLines.push(line.toString()));
  await recordStream(server, tls.connect);
  writeFileSync(`${values.out}.keys`, keyLines.join(''));
} else {
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: { threshold: 0 } });
  wss.on('connection', (socket) => {
    const pump = () => {
      while (written < size) {
        const [h, b] = publish();
        socket.send(h);
        socket.send(b);
        if (socket.bufferedAmount > 4 << 20) return void setTimeout(pump, 5);
      }
      socket.close();
    };
    pump();
  });
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const proxy = await startProxy(httpServer.address().port, onChunk);
  const client = new WebSocket(`ws://127.0.0.1:${proxy.port}/amps/json`, { perMessageDeflate: { threshold: 0 } });
  client.on('message', () => {});
  await once(client, 'close');
  await proxy.close();
  wss.close();
  httpServer.close();
}
for (const side of ['client', 'server']) put(conv.fin(side), BigInt(Date.now()) * 1_000_000n);
closeSync(fd);
console.log(`wrote ${values.out} (${written} bytes, ${seq} messages)`);
