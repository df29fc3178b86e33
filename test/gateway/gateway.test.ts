// Runs examples/gateway.mjs (against the built package in dist/) on loopback between a client and
// an upstream server written with amps-wire, pushes a few hundred frames each way in awkward
// chunkings, and checks that every byte arrives, with topics renamed where the gateway was told to.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { concatBytes as concat } from '../../src/core/bytes.js';
import { FrameSplitter, amps, frame } from '../../src/index.js';
import { utf8 as text } from '../helpers/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = ['dist/esm/index.js', 'dist/esm/node/index.js'];

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % n;
  };
}

function body(rand: (n: number) => number, i: number): string {
  const kind = rand(20);
  if (kind === 0) return '';
  if (kind === 1) return `{"blob":"${'x'.repeat(66_000 + rand(5_000))}"}`; // over 64 KiB
  return `{"id":${i},"qty":${rand(1000)},"note":"${'n'.repeat(rand(300))}"}`;
}

/** What a client sends: publishes and subscriptions on several topics, and a few odd frames. */
function clientPayloads(count: number): Uint8Array[] {
  const rand = random(7);
  const topics = ['orders', 'trades', 'orders.v2', 'orders.eu', 'or\\"ders'];
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const t = topics[rand(topics.length)];
    switch (rand(8)) {
      case 0:
        out.push(text(`{"c":"subscribe","cid":"${i}","t":"${t}","filter":"/qty > 10","a":"processed"}`));
        break;
      case 1:
        out.push(text(`{"c":"heartbeat"}`));
        break;
      case 2:
        out.push(i % 3 === 0 ? new Uint8Array(0) : text(`not a header ${i}`)); // undecodable: passed through
        break;
      case 3:
        out.push(
          text(
            `{ "cmd" : "publish", "topic" : "${t}", "s" : "${i}", "x-extra" : {"a": [1, 2.5, null]} }${body(rand, i)}`,
          ),
        );
        break;
      default:
        out.push(text(`{"c":"publish","t":"${t}","cid":"c${i}","a":"persisted"}${body(rand, i)}`));
    }
  }
  return out;
}

/** What the server sends back: acks, publishes on the renamed topic and others, a SOW batch. */
function serverPayloads(count: number): Uint8Array[] {
  const rand = random(11);
  const topics = ['orders.v2', 'trades', 'orders'];
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const t = topics[rand(topics.length)];
    switch (rand(5)) {
      case 0:
        out.push(text(`{"c":"ack","cid":"c${i}","a":"processed","status":"success"}`));
        break;
      case 1:
        out.push(
          text(
            `{"c":"sow","t":"${t}","query_id":"q${i}","bs":2}{"k":"1","l":10}{"id":"a"}{"k":"2","x":"y","l":10}{"id":"b"}`,
          ),
        );
        break;
      default:
        out.push(text(`{"c":"p","t":"${t}","sub_id":"s1","sids":"s1","s":${i},"bm":"12|17${i}|"}${body(rand, i)}`));
    }
  }
  return out;
}

/** The frame the gateway should pass on for `payload`: renamed and re-encoded, or unchanged. */
function expectedFrame(payload: Uint8Array, renames: ReadonlyMap<string, string>): Uint8Array {
  let message;
  try {
    message = amps.decode(payload);
  } catch {
    return frame(payload);
  }
  const renamed = renames.get(message.getTopic() ?? '');
  return renamed === undefined ? frame(payload) : amps.encodeFrame(message.setTopic(renamed));
}

/** Writes `stream` in chunks of 1 byte to 70 KB, letting each reach the socket before the next. */
async function writeAwkwardly(socket: net.Socket, stream: Uint8Array, seed: number): Promise<void> {
  const rand = random(seed);
  socket.setNoDelay(true);
  for (let o = 0; o < stream.length; ) {
    const pick = rand(10);
    const n = pick < 4 ? 1 + rand(7) : pick < 8 ? 8 + rand(500) : 500 + rand(70_000);
    const chunk = stream.subarray(o, Math.min(stream.length, o + n));
    o += chunk.length;
    await new Promise<void>((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
  }
  socket.end();
}

/** Every byte `socket` receives until the peer ends, as one array. */
async function readAll(socket: net.Socket): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'end');
  return concat(chunks);
}

/** The first offset where `a` and `b` differ (their common length if one is a prefix), or -1. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function payloadsOf(stream: Uint8Array): Uint8Array[] {
  const splitter = new FrameSplitter();
  const out: Uint8Array[] = [];
  splitter.push(stream, (p) => out.push(p));
  splitter.end();
  return out;
}

/** Messages the log accounts for in one direction: a line each, plus the counts of runs. */
function messagesLogged(lines: readonly string[], direction: string): number {
  let n = 0;
  for (const line of lines) {
    if (!line.startsWith(`${direction} `)) continue;
    const more = / (\d+) more frames? like the one before$/.exec(line);
    n += more === null ? 1 : Number(more[1]);
  }
  return n;
}

let gateway: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  gateway?.kill();
  gateway = undefined;
});

/** Starts the example; resolves with the port it printed and a getter for its log so far. */
async function startGateway(args: string[]): Promise<{ port: number; log: () => string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['examples/gateway.mjs', ...args], { cwd: root });
  gateway = child;
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (log += s));
  const exited = once(child, 'close');
  let out = '';
  child.stdout.setEncoding('utf8');
  for await (const s of child.stdout) {
    out += s;
    if (out.includes('\n')) break;
  }
  const port = Number(out.trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`gateway printed ${JSON.stringify(out)}; its log: ${log}`);
  return { port, log: () => log, exited };
}

describe('examples/gateway.mjs', () => {
  it('runs against the built package', () => {
    const missing = BUILT.filter((f) => !existsSync(new URL(f, `file://${root}`)));
    expect(missing, 'the gateway imports amps-wire from dist/: run `npm run build` first').toEqual([]);
  });

  it('forwards every byte both ways, renaming the mapped topic in each direction', async () => {
    const upstream = net.createServer({ allowHalfOpen: true });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const upstreamPort = (upstream.address() as net.AddressInfo).port;

    const toServer = clientPayloads(300);
    const toClient = serverPayloads(200);
    const serverSide = (async () => {
      const [socket] = (await once(upstream, 'connection')) as [net.Socket];
      const [received] = await Promise.all([readAll(socket), writeAwkwardly(socket, concat(toClient.map(frame)), 2)]);
      return received;
    })();

    const gw = await startGateway([
      '--listen',
      '127.0.0.1:0',
      '--upstream',
      `127.0.0.1:${upstreamPort}`,
      '--map-topic',
      'orders=orders.v2',
    ]);
    const client = net.connect({ port: gw.port, host: '127.0.0.1', allowHalfOpen: true });
    await once(client, 'connect');
    const [clientReceived] = await Promise.all([
      readAll(client),
      writeAwkwardly(client, concat(toServer.map(frame)), 1),
    ]);
    const serverReceived = await serverSide;
    client.destroy();
    upstream.close();

    // Byte for byte: unchanged frames exactly as sent, renamed ones exactly as re-encoded.
    const forward = new Map([['orders', 'orders.v2']]);
    const backward = new Map([['orders.v2', 'orders']]);
    expect(firstDifference(serverReceived, concat(toServer.map((p) => expectedFrame(p, forward))))).toBe(-1);
    expect(firstDifference(clientReceived, concat(toClient.map((p) => expectedFrame(p, backward))))).toBe(-1);

    // And by meaning: the same messages, topics renamed, bodies untouched.
    const atServer = payloadsOf(serverReceived);
    expect(atServer.length).toBe(300);
    let renamed = 0;
    atServer.forEach((p, i) => {
      const sent = toServer[i]!;
      let before;
      try {
        before = amps.decode(sent);
      } catch {
        expect(Buffer.from(p).equals(sent)).toBe(true);
        return;
      }
      const after = amps.decode(p);
      expect(after.getCommand()).toBe(before.getCommand());
      expect(after.getData()).toEqual(before.getData());
      if (before.getTopic() === 'orders') {
        renamed++;
        expect(after.getTopic()).toBe('orders.v2');
      } else {
        expect(Buffer.from(p).equals(sent)).toBe(true);
      }
    });
    expect(renamed).toBeGreaterThan(20);
    const atClient = payloadsOf(clientReceived).map((p) => amps.decode(p));
    expect(atClient.map((m) => m.getTopic())).toEqual(
      toClient.map((p) => {
        const t = amps.decode(p).getTopic();
        return t === 'orders.v2' ? 'orders' : t;
      }),
    );
    const sow = atClient.find((m) => m.getCommand() === 'sow' && m.getTopic() === 'orders');
    expect(sow && [...sow.records()].map((r) => r.getSowKey())).toEqual(['1', '2']);

    // One log line per message, each naming its direction; a run of frames failing alike is one
    // line and a count.
    gateway!.kill();
    await gw.exited;
    const lines = gw.log().split('\n');
    expect(messagesLogged(lines, 'c>s')).toBe(300);
    expect(messagesLogged(lines, 's>c')).toBe(200);
    expect(lines).toContain('c>s heartbeat - frame=17B body=0B');
    expect(lines.some((l) => /^c>s publish orders->orders\.v2 frame=\d+B->\d+B body=\d+B$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('c>s ? AMPS_'))).toBe(true);
  });

  it('forwards a flood of empty frames exactly, logging the run once; wire text cannot forge log lines', async () => {
    const upstream = net.createServer({ allowHalfOpen: true });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const serverSide = (async () => {
      const [socket] = (await once(upstream, 'connection')) as [net.Socket];
      const received = readAll(socket);
      socket.end();
      return received;
    })();
    const gw = await startGateway([
      '--listen',
      '127.0.0.1:0',
      '--upstream',
      `127.0.0.1:${(upstream.address() as net.AddressInfo).port}`,
    ]);
    const client = net.connect({ port: gw.port, host: '127.0.0.1', allowHalfOpen: true });
    await once(client, 'connect');
    const forged = text('{"c":"publish","t":"a\\nc>s publish forged frame=1B body=0B\\u001b[2J"}');
    const sent = concat([new Uint8Array(64 * 1024), frame(forged), new Uint8Array(400)]);
    client.resume();
    client.end(sent);
    const received = await serverSide;
    client.destroy();
    upstream.close();
    expect(firstDifference(received, sent)).toBe(-1);
    gateway!.kill();
    await gw.exited;
    const lines = gw
      .log()
      .split('\n')
      .filter((l) => l.startsWith('c>s '));
    expect(lines).toEqual([
      'c>s ? EMPTY: an empty frame frame=0B',
      'c>s ? EMPTY: 16383 more frames like the one before',
      `c>s publish a\\x0ac>s publish forged frame=1B body=0B\\x1b[2J frame=${forged.length}B body=0B`,
      'c>s ? EMPTY: an empty frame frame=0B',
      'c>s ? EMPTY: 99 more frames like the one before',
    ]);
  });

  it('refuses an unknown protocol name', async () => {
    const child = spawn(process.execPath, ['examples/gateway.mjs', '--protocol', 'nope', '--listen', '127.0.0.1:0'], {
      cwd: root,
    });
    gateway = child;
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const [code] = await once(child, 'close');
    expect(code).not.toBe(0);
    expect(err).toContain('MessageTypeException');
  });
});
