// Records what real TLS and WebSocket stacks write, through a loopback TCP proxy that logs each
// direction's bytes with the time they passed, for tests and fixtures of the capture decoder:
//   node scripts/record-transport.mjs      -> test/fixtures/transport/*.pcap and *.keys (run `npm run build` first)
// Tests import the scenario functions and write their own captures from the logged chunks.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import https from 'node:https';
import http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';

const fixtures = fileURLToPath(new URL('../test/fixtures/transport/', import.meta.url));
const LOOPBACK = '127.0.0.1';

/** The certificate and key a test server presents: `rsa` or `ec` (P-256). */
export function credentials(kind) {
  return { key: readFileSync(`${fixtures}${kind}-key.pem`), cert: readFileSync(`${fixtures}${kind}-cert.pem`) };
}

/**
 * A proxy on a free loopback port forwarding to `targetPort`; `chunks` logs every piece of every
 * connection as `{ conn, side: 'client'|'server', bytes, time }` (time in nanoseconds since the epoch),
 * or hands each to `onChunk` instead when given.
 */
export async function startProxy(targetPort, onChunk) {
  const chunks = [];
  const log = onChunk ?? ((c) => chunks.push(c));
  const sockets = new Set();
  let conns = 0;
  const started = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const now = () => started + process.hrtime.bigint();
  const server = net.createServer((client) => {
    const conn = conns++;
    const upstream = net.connect(targetPort, LOOPBACK);
    sockets.add(client).add(upstream);
    client.on('data', (d) => {
      log({ conn, side: 'client', bytes: new Uint8Array(d), time: now() });
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      log({ conn, side: 'server', bytes: new Uint8Array(d), time: now() });
      client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  return {
    port: server.address().port,
    chunks,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A 4-byte big-endian framed AMPS payload. */
export function frame(text) {
  const payload = Buffer.from(text);
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

/** What the client sends in the TLS scenarios, and what the server answers to each frame. */
export const CLIENT_FRAMES = [
  '{"c":"logon","cid":"1","client_name":"rec","a":"processed"}',
  '{"c":"publish","t":"orders","cid":"2","a":"processed"}{"id":1,"qty":300}',
  `{"c":"publish","t":"orders","cid":"3"}{"note":"${'x'.repeat(20000)}"}`,
];
// Committed fixtures stay small: their large frame still spans TCP segments, not records.
const SMALL_FRAMES = CLIENT_FRAMES.map((f) => f.replace(/x{20000}/, 'x'.repeat(3000)));
export function answer(text) {
  const cid = /"cid":"([^"]*)"/.exec(text)?.[1] ?? '';
  return `{"c":"ack","cid":"${cid}","a":"processed","status":"success"}`;
}

// Reads 4-byte frames from a socket, calling `onFrame(text)` for each.
function readFrames(socket, onFrame) {
  let held = Buffer.alloc(0);
  socket.on('data', (d) => {
    held = Buffer.concat([held, d]);
    while (held.length >= 4 && held.length >= 4 + held.readUInt32BE(0)) {
      const n = held.readUInt32BE(0);
      onFrame(held.subarray(4, 4 + n).toString());
      held = held.subarray(4 + n);
    }
  });
}

/**
 * A TLS connection between node:tls client and server through the proxy: the client sends
 * CLIENT_FRAMES, the server acks each. Returns `{ chunks, keyLog, suite }`.
 * `options`: { version: 'TLSv1.2'|'TLSv1.3', cipher, cert: 'rsa'|'ec', frames? }.
 */
export async function recordTls(options) {
  const keyLines = [];
  const server = tls.createServer(
    {
      ...credentials(options.cert ?? 'rsa'),
      minVersion: options.version,
      maxVersion: options.version,
      ciphers: options.cipher,
    },
    (socket) => {
      readFrames(socket, (text) => socket.write(frame(answer(text))));
      socket.on('error', () => {});
    },
  );
  server.on('keylog', (line) => keyLines.push(line.toString()));
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const proxy = await startProxy(server.address().port);
  const client = tls.connect({
    port: proxy.port,
    host: LOOPBACK,
    rejectUnauthorized: false,
    minVersion: options.version,
    maxVersion: options.version,
    ciphers: options.cipher,
  });
  await once(client, 'secureConnect');
  const suite = client.getCipher().standardName;
  let acks = 0;
  const frames = options.frames ?? CLIENT_FRAMES;
  const done = new Promise((resolve) => readFrames(client, () => ++acks === frames.length && resolve()));
  for (const text of frames) client.write(frame(text));
  await done;
  client.end();
  await once(client, 'close');
  await proxy.close();
  server.close();
  return { chunks: proxy.chunks, keyLog: keyLines.join(''), suite };
}

/**
 * TLS 1.3 with KeyUpdate in both directions: `openssl s_client` (its `k` and `K` commands) against
 * a node:tls server. Returns `{ chunks, keyLog }`.
 */
export async function recordKeyUpdate(keyLogFile) {
  const server = tls.createServer(
    { ...credentials('rsa'), minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' },
    (socket) => {
      readFrames(socket, (text) => socket.write(frame(answer(text))));
      socket.on('error', () => {});
    },
  );
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const proxy = await startProxy(server.address().port);
  const child = spawn(
    'openssl',
    [
      's_client',
      '-connect',
      `${LOOPBACK}:${proxy.port}`,
      '-tls1_3',
      '-ciphersuites',
      'TLS_CHACHA20_POLY1305_SHA256',
      '-keylogfile',
      keyLogFile,
    ],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString('latin1')));
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const acksSeen = () => (out.match(/"c":"ack"/g) ?? []).length;
  const until = async (n) => {
    for (let i = 0; i < 200 && acksSeen() < n; i++) await wait(25);
  };
  await wait(500);
  child.stdin.write(frame(CLIENT_FRAMES[0]));
  await until(1);
  child.stdin.write('k\n'); // the client's KeyUpdate
  await wait(200);
  child.stdin.write(frame(CLIENT_FRAMES[1]));
  await until(2);
  child.stdin.write('K\n'); // the client's KeyUpdate asking the server for one
  await wait(200);
  child.stdin.write(frame(CLIENT_FRAMES[1]));
  await until(3);
  child.stdin.end();
  await once(child, 'exit');
  await proxy.close();
  server.close();
  return { chunks: proxy.chunks, keyLog: readFileSync(keyLogFile, 'utf8') };
}

/** What the WebSocket scenarios' server answers: an ack, a publish (header, then body), a SOW batch of two. */
export const SERVER_MESSAGES = [
  ['{"c":"ack","cid":"1","a":"processed","status":"success","version":"5.3.4.0"}'],
  ['{"c":"p","t":"orders","sub_id":"s1","sids":"s1","s":7,"bm":"1|2|"}', '{"id":1,"qty":300}'],
  ['{"c":"sow","query_id":"q1","bs":2}', '{"k":"10","l":11}', '{"id":"a1"}', '{"k":"11","l":11}', '{"id":"b2"}'],
];

/**
 * A WebSocket connection between `ws` client and server through the proxy (over TLS when
 * `secure`), with permessage-deflate when `deflate`. `framing`: 'client' writes the JavaScript
 * client's framing by hand (mode word, counts, header and body messages) and the server answers
 * SERVER_MESSAGES; 'binary' sends 4-byte frames in binary messages, one frame split over two
 * messages and two frames in one. `fragment` sends the client's large publish as fragments.
 * Returns `{ chunks, keyLog, extensions }`.
 */
export async function recordWebSocket(options) {
  const keyLines = [];
  const http1 = options.secure ? https.createServer(credentials('rsa')) : http.createServer();
  http1.on('keylog', (line) => keyLines.push(line.toString()));
  const wss = new WebSocketServer({ server: http1, perMessageDeflate: options.deflate ? { threshold: 0 } : false });
  const big = `{"note":"${'y'.repeat(options.bigBody ?? 3000)}"}`;
  const expected = options.framing === 'client' ? 4 : 3;
  const serverGot = new Promise((resolve) => {
    wss.on('connection', (socket) => {
      let n = 0;
      socket.on('message', () => {
        if (++n !== expected) return;
        if (options.framing === 'client') for (const group of SERVER_MESSAGES) for (const m of group) socket.send(m);
        else socket.send(Buffer.concat(SERVER_MESSAGES.map((g) => frame(g.join('')))));
        resolve();
      });
    });
  });
  http1.listen(0, LOOPBACK);
  await once(http1, 'listening');
  const proxy = await startProxy(http1.address().port);
  const url = `${options.secure ? 'wss' : 'ws'}://${LOOPBACK}:${proxy.port}/amps/json`;
  const client = new WebSocket(url, {
    perMessageDeflate: options.deflate ? { threshold: 0 } : false,
    rejectUnauthorized: false,
  });
  await once(client, 'open');
  const extensions = client.extensions;
  let got = 0;
  const clientGot = new Promise((resolve) =>
    client.on('message', () => ++got === (options.framing === 'client' ? 8 : 1) && resolve()),
  );
  const count = (n) => Buffer.from([n, 0, 0, 0]);
  if (options.framing === 'client') {
    client.send('text');
    client.send(count(1));
    client.send('{"c":"logon","cid":"1","client_name":"js","a":"processed"}');
    client.send(count(2));
    client.send('{"c":"publish","t":"orders","cid":"2"}');
    if (options.fragment) {
      const body = Buffer.from(big);
      const third = Math.floor(body.length / 3);
      client.send(body.subarray(0, third), { binary: false, fin: false });
      client.ping();
      client.send(body.subarray(third, 2 * third), { binary: false, fin: false });
      client.send(body.subarray(2 * third), { binary: false, fin: true });
    } else {
      client.send(big);
    }
  } else {
    const all = Buffer.concat([
      frame('{"c":"logon","cid":"1","client_name":"bin"}'),
      frame(`{"c":"publish","t":"orders"}${big}`),
      frame('{"c":"heartbeat"}'),
    ]);
    const cut = 30;
    client.send(all.subarray(0, cut));
    client.send(all.subarray(cut, all.length - 25));
    client.send(all.subarray(all.length - 25));
  }
  await serverGot;
  await clientGot;
  client.close();
  await once(client, 'close');
  await proxy.close();
  wss.close();
  http1.close();
  return { chunks: proxy.chunks, keyLog: keyLines.join(''), extensions };
}

/** The chunks of one recorded connection as a classic pcap, with the project's writer (from dist/). */
export async function pcapOfChunks(chunks, serverPort) {
  const { PcapWriter, TcpConversation, buildPacket } = await import('../dist/esm/cli/synthetic/capture-writer.js');
  const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort });
  const w = new PcapWriter({ nanos: true });
  const parts = [w.header()];
  const t0 = chunks.length > 0 ? chunks[0].time - 1000n : 0n;
  const at = (t) => [Number(t / 1_000_000_000n), Number(t % 1_000_000_000n)];
  const put = (seg, t) => parts.push(w.record(buildPacket(seg), ...at(t)));
  for (const seg of conv.handshake()) put(seg, t0);
  for (const c of chunks) for (const seg of conv.send(c.side, c.bytes)) put(seg, c.time);
  const end = chunks.length > 0 ? chunks[chunks.length - 1].time + 1000n : 0n;
  put(conv.fin('client'), end);
  put(conv.fin('server'), end);
  return Buffer.concat(parts);
}

async function main() {
  const write = async (name, chunks, keyLog, port) => {
    writeFileSync(`${fixtures}${name}.pcap`, await pcapOfChunks(chunks, port));
    writeFileSync(`${fixtures}${name}.keys`, keyLog);
    console.log(`wrote ${name}.pcap and ${name}.keys`);
  };
  const tls12 = await recordTls({
    version: 'TLSv1.2',
    cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    cert: 'ec',
    frames: SMALL_FRAMES,
  });
  await write('tls12-ecdsa-aes256', tls12.chunks, tls12.keyLog, 9007);
  const tls13 = await recordTls({ version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', frames: SMALL_FRAMES });
  await write('tls13-aes128', tls13.chunks, tls13.keyLog, 9007);
  const keyFile = `/tmp/record-transport-${process.pid}.keys`;
  const update = await recordKeyUpdate(keyFile);
  await write('tls13-chacha-keyupdate', update.chunks, update.keyLog, 9007);
  const wss = await recordWebSocket({ secure: true, deflate: true, framing: 'client', fragment: true });
  await write('wss-deflate-client-framing', wss.chunks, wss.keyLog, 9008);
  const ws = await recordWebSocket({ deflate: true, framing: 'binary' });
  writeFileSync(`${fixtures}ws-deflate-binary.pcap`, await pcapOfChunks(ws.chunks, 9008));
  console.log('wrote ws-deflate-binary.pcap');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
