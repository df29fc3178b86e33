#!/usr/bin/env node
// An AMPS gateway built only on amps-wire's public API. It sits between clients and an AMPS
// server: for each client it opens a connection upstream, splits both directions into frames,
// decodes each message, logs one line per message to stderr, renames topics on the way, and
// forwards every other frame byte for byte.
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
import { frame, protocol } from 'amps-wire';
import { createFrameSplitter } from 'amps-wire/node';

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

/**
 * A Transform from frame payloads to the frames to send on: re-encoded where a topic is renamed,
 * otherwise the frame exactly as it arrived (prefix + the original payload bytes).
 */
function relay(direction, renames) {
  return new Transform({
    writableObjectMode: true,
    transform(payload, _encoding, done) {
      let out;
      try {
        const message = codec.decode(payload); // a zero-copy view over `payload`
        const topic = message.getTopic();
        const renamed = topic === undefined ? undefined : renames.get(topic);
        out = renamed === undefined ? frame(payload) : codec.encodeFrame(message.setTopic(renamed));
        const topics = renamed === undefined ? (topic ?? '-') : `${topic}->${renamed}`;
        const sizes = renamed === undefined ? `${payload.length}B` : `${payload.length}B->${out.length - 4}B`;
        log(`${direction} ${message.getCommand() ?? '-'} ${topics} frame=${sizes} body=${message.getData().length}B`);
      } catch (error) {
        // Not ours to judge: say so and pass the frame through untouched.
        out = frame(payload);
        log(`${direction} ? ${error.code ?? 'error'}: ${error.message} frame=${payload.length}B`);
      }
      done(null, out);
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
  pipeline(client, createFrameSplitter(), relay('c>s', toServer), server, done);
  pipeline(server, createFrameSplitter(), relay('s>c', toClient), client, done);
  log(`${name} connected, upstream ${upstream.host}:${upstream.port}`);
});

const listen = address(options.listen, undefined);
gateway.listen(listen.port, listen.host, () => {
  const bound = gateway.address();
  process.stdout.write(`${bound.port}\n`);
  log(`gateway on ${bound.address}:${bound.port} -> ${upstream.host}:${upstream.port} (${codec.name})`);
});
