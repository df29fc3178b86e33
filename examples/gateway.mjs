#!/usr/bin/env node
// An AMPS gateway built only on amps-wire's public API. It sits between clients and an AMPS
// server: for each client it opens a connection upstream, splits both directions into frames,
// decodes each message, logs one line per message to stderr (wire text escaped; a run of frames
// failing alike is one line and a count), renames topics on the way, and forwards every other
// frame byte for byte.
//
//   node examples/gateway.mjs --listen 9007 --upstream amps.example.com:9007 \
//     [--protocol amps] [--map-topic orders=orders.v2 ...]
//
// --listen is PORT or HOST:PORT (port 0 picks a free port); the port it listens on is printed to
// stdout. --map-topic FROM=TO renames FROM to TO in what clients send, and TO back to FROM in
// what the server sends, so clients keep their names while the server sees the new ones.
import net from 'node:net';
import { Transform, pipeline } from 'node:stream';
import { parseArgs } from 'node:util';
import { FrameSplitter, protocol } from 'amps-wire';

const { values: options } = parseArgs({
  options: {
    listen: { type: 'string', default: '9007' },
    upstream: { type: 'string', default: '127.0.0.1:9007' },
    protocol: { type: 'string', default: 'amps' },
    'map-topic': { type: 'string', multiple: true, default: [] },
  },
});

const codec = protocol(options.protocol); // throws MessageTypeException for an unknown name
const toServer = new Map(); // topic renames for client -> server
const toClient = new Map(); // and the reverse, for server -> client
for (const rule of options['map-topic']) {
  const eq = rule.indexOf('=');
  if (eq <= 0 || eq === rule.length - 1) throw new Error(`--map-topic takes FROM=TO, got ${JSON.stringify(rule)}`);
  toServer.set(rule.slice(0, eq), rule.slice(eq + 1));
  toClient.set(rule.slice(eq + 1), rule.slice(0, eq));
}

/** `HOST:PORT` or `PORT` as `{ host, port }`. */
function address(text, defaultHost) {
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? defaultHost : text.slice(0, colon);
  return { host, port: Number(text.slice(colon + 1)) };
}

const log = (line) => process.stderr.write(`${line}\n`);

/** `text` with control characters (C0, DEL, C1) as `\xNN`: wire text must not forge log lines. */
function printable(text) {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A Transform from the bytes of one direction to the bytes to send on: each frame re-encoded
 * where a topic is renamed, otherwise exactly as it arrived (prefix + the original payload).
 * What one chunk yields goes out as one buffer, so a peer sending many tiny frames costs one
 * write per chunk, not one per frame. A run of frames failing alike is logged once, with a count.
 */
function relay(direction, renames) {
  const splitter = new FrameSplitter();
  // The frames to send for the chunk being split, written one after another.
  let out = Buffer.allocUnsafe(64 * 1024);
  let used = 0;
  const send = (payload) => {
    if (out.length - used < 4 + payload.length) {
      const grown = Buffer.allocUnsafe(Math.max(out.length * 2, used + 4 + payload.length));
      out.copy(grown, 0, 0, used);
      out = grown;
    }
    out.writeUInt32BE(payload.length, used);
    out.set(payload, used + 4);
    used += 4 + payload.length;
  };
  let failing = undefined; // the code of the failure run being counted, and how many followed
  let repeats = 0;
  const endRun = () => {
    if (repeats > 0) log(`${direction} ? ${failing}: ${repeats} more frame${repeats === 1 ? '' : 's'} like the one before`);
    failing = undefined;
    repeats = 0;
  };
  // Not ours to judge: say so and pass the frame through untouched.
  const passOn = (payload, code, why) => {
    send(payload);
    if (code === failing) {
      repeats++;
      return;
    }
    endRun();
    failing = code;
    log(`${direction} ? ${code}: ${printable(why)} frame=${payload.length}B`);
  };
  const onFrame = (payload) => {
    // An empty payload is no message: told without the cost of an exception.
    if (payload.length === 0) return passOn(payload, 'EMPTY', 'an empty frame');
    let message;
    try {
      message = codec.decode(payload); // a zero-copy view over `payload`
    } catch (error) {
      return passOn(payload, error.code ?? 'error', error.message);
    }
    endRun();
    const topic = message.getTopic();
    const renamed = topic === undefined ? undefined : renames.get(topic);
    const sent = renamed === undefined ? payload : codec.encode(message.setTopic(renamed));
    send(sent);
    const topics = renamed === undefined ? (topic ?? '-') : `${topic}->${renamed}`;
    const sizes = renamed === undefined ? `${payload.length}B` : `${payload.length}B->${sent.length}B`;
    log(`${direction} ${printable(message.getCommand() ?? '-')} ${printable(topics)} frame=${sizes} body=${message.getData().length}B`);
  };
  return new Transform({
    transform(chunk, _encoding, done) {
      try {
        splitter.push(chunk, onFrame);
      } catch (error) {
        done(error); // an oversize frame: the framing is lost, the connection is closed
        return;
      }
      const bytes = used === 0 ? undefined : Buffer.from(out.subarray(0, used));
      used = 0;
      done(null, bytes);
    },
    flush(done) {
      endRun();
      try {
        splitter.end();
      } catch (error) {
        done(error);
        return;
      }
      done();
    },
  });
}

const upstream = address(options.upstream, '127.0.0.1');
// Half-open sockets let each direction finish on its own: a client that has sent everything
// still receives the server's replies.
const gateway = net.createServer({ allowHalfOpen: true }, (client) => {
  const name = `${client.remoteAddress}:${client.remotePort}`;
  const server = net.connect({ ...upstream, allowHalfOpen: true });
  const done = (error) => {
    if (!error) return;
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') log(`${name} ${error.code ?? 'error'}: ${error.message}`);
    client.destroy();
    server.destroy();
  };
  // pipeline() carries backpressure end to end and tears every stream down on error.
  pipeline(client, relay('c>s', toServer), server, done);
  pipeline(server, relay('s>c', toClient), client, done);
  log(`${name} connected, upstream ${upstream.host}:${upstream.port}`);
});

const listen = address(options.listen, undefined);
gateway.listen(listen.port, listen.host, () => {
  const bound = gateway.address();
  process.stdout.write(`${bound.port}\n`);
  log(`gateway on ${bound.address}:${bound.port} -> ${upstream.host}:${upstream.port} (${codec.name})`);
});
