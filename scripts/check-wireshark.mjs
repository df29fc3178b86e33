// Checks the generated Wireshark dissector against `amps-wire decode`, field by field: writes
// captures (examples/sample.pcap, edge cases of all four header protocols and SOW batches in
// each, a mixed capture, WebSocket traffic in both framings, TLS 1.2 and 1.3 with key logs), runs `tshark -X lua_script:amps.lua` and `amps-wire decode
// --format jsonl` on each, and compares every message: protocol, frame length, every header
// field, body length and bytes, and every SOW record. Frames decode rejects must carry the
// dissector's amps.malformed expert info. Exits 1 on any difference, 2 when tshark is missing.
// Needs dist/ (npm run build), tshark and openssl (for a TLS certificate) on PATH.
//   node scripts/check-wireshark.mjs [--keep DIR]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { concatBytes } from '../dist/esm/core/bytes.js';
import { FIELDS } from '../dist/esm/core/fields.js';
import { CaptureBuilder, frames, mixedCapture, sampleCapture } from '../dist/esm/cli/synthetic/traffic.js';
import { TcpConversation } from '../dist/esm/cli/synthetic/capture-writer.js';
import { snakeCase } from '../dist/esm/cli/wireshark/generate.js';

const { values } = parseArgs({ options: { keep: { type: 'string' } }, strict: true });
const CLI = fileURLToPath(new URL('../bin/amps-wire.js', import.meta.url));

try {
  execFileSync('tshark', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('check-wireshark: tshark is not on PATH (apt-get install tshark)');
  process.exit(2);
}

const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'amps-wireshark-'));
mkdirSync(dir, { recursive: true });

// ---- captures ----------------------------------------------------------------------------------

/** One connection: its frames each way, written in small segments to exercise reassembly. */
function conversation(cap, endpoints, exchanges, sizes) {
  const tcp = new TcpConversation(endpoints);
  cap.add(tcp.handshake());
  for (const [side, payloads] of exchanges) cap.add(tcp.send(side, frames(...payloads), sizes ? { sizes } : {}));
  cap.add([tcp.fin('client'), tcp.fin('server')]);
}

/** Edge cases of every header protocol: escapes, CDATA, entities, SOW batches, a bad frame. */
function edgeCapture() {
  const cap = new CaptureBuilder(1705329000);
  const body = '{"id":1,"text":"caf\u00e9"}';
  conversation(
    cap,
    { client: '10.9.0.2', clientPort: 41000, server: '10.9.0.1', serverPort: 9007 },
    [
      [
        'client',
        [
          '{"c":"publish","t":"orders","cid":"7","a":"processed"}{"id":1,"qty":300}',
          '{ "c" : "publish" , "t" : "quote\\"d \\\\ back\\/slash \\u00e9\\ud83d\\ude00 tab\\t", "cid":"8", "x":"corr" }' +
            body,
          '{"c":"sow","t":"orders","query_id":"q1","bs":10,"top_n":5,"filter":"","opts":"no_empties","unknown":{"a":[1,2,{"b":"}"}]},"n":null}',
          '{"c":"logon","cid":"1","client_name":"c1","user_id":"u","pw":"secret","version":"5.3.4.0","a":"processed","send_empty":true,"data_only":false}',
        ],
      ],
      [
        'server',
        [
          '{"c":"ack","cid":"7","a":"processed","status":"failure","reason":"bad filter"}',
          '{"c":"p","t":"orders","sub_id":"s1","sids":"s1,s2","s":18446744073709551615,"bm":"12|1700000000000000001|","gseq":3,"k":183745}{"id":1}',
          '{"c":"sow","query_id":"q1","bs":2}{"k":"10","l":10}{"id":"a"}{"k":"11","x":"c1","ts":"20240115T143000","l":"10"}{"id":"b"}',
          '{"c":"sow","query_id":"q2","bs":"0"}',
          '{"c":"oof","t":"orders","k":"10","reason":"deleted"}',
          '{"c":"publish","t":', // malformed: ends inside the header
          '{"c":"sow","query_id":"q3","bs":3}{"k":"1","l":2}{}', // malformed: fewer records than bs
          '{"c":"group_end","query_id":"q1"}',
        ],
      ],
    ],
    [5, 2, 17, 64],
  );

  const fixFrames = (sep) => [
    `20000=publish${sep}20005=orders${sep}20001=7${sep}20058=12${sep}\x0255=IBM\x0154=1\x01`,
    `20000=p\x0120005=orders\x0120036=42\x0120037=1|2|\x0120999=unknown\x01\x02body without length`,
    `20000=sow\x0120019=q1\x0120023=2\x0120005=t\x02` +
      `20058=5\x0120059=K1\x01\x02a=12\x01\x01` +
      `20058=5\x0120059=K2\x0120074=c2\x01\x02b=23\x01`,
    `20000=sow\x0120019=q2\x02` + `20023=1\x01\x02` + `20058=3\x0120059=K3\x01\x02x=1\x02`,
    `20000=ack\x0120001=9\x0120008=processed,completed\x0120018=success\x01\x02`,
    `20000=publish\x0120005=orders\x0120058=99\x01\x02short`, // malformed: MessageLength past the end
    `20000=oof\x0120005=orders\x02\x0120058=2\x01\x02ab`,
  ];
  conversation(
    cap,
    { client: '10.9.0.3', clientPort: 41001, server: '10.9.0.1', serverPort: 9004 },
    [
      ['client', fixFrames('\x01').slice(0, 1)],
      ['server', fixFrames('\x01').slice(1)],
    ],
    [3, 11],
  );
  conversation(
    cap,
    { client: '10.9.0.4', clientPort: 41002, server: '10.9.0.1', serverPort: 9006 },
    [
      ['client', ['20000=publish\x0120005=nv.orders\x0120001=n1\x0120058=18\x01\x02Symbol=IBM\x01Qty=10\x01']],
      [
        'server',
        [
          '20000=sow\x0120019=q9\x0120023=2\x01\x0220058=11\x0120059=A\x01\x02Symbol=IBM\x01\x0120058=12\x0120059=B\x01\x02Symbol=MSFT\x01',
          '20000=ack\x0120001=n1\x0120008=processed\x0120018=success\x01\x02',
        ],
      ],
    ],
    [7],
  );

  const env = (header, bodyText) =>
    `<SOAP-ENV:Envelope><SOAP-ENV:Header>${header}</SOAP-ENV:Header><SOAP-ENV:Body>${bodyText}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  conversation(
    cap,
    { client: '2001:db8::9', clientPort: 41003, server: '2001:db8::1', serverPort: 9005 },
    [
      [
        'client',
        [
          env(
            '<Cmd>publish</Cmd><Tpc><![CDATA[a&b <c>]]></Tpc><CmdId><![CDATA[x]]>y<![CDATA[z]]></CmdId>',
            '<order id="1"/>',
          ),
          `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">\n <SOAP-ENV:Header>\n  <Cmd>sow</Cmd>\n  <Fltr>/qty &gt; 100 &amp;&amp; /sym = &apos;IBM&apos; &#233;&#x1F600;</Fltr>\n  <QId>q1</QId><Unknown><Nested>1</Nested></Unknown><BtchSz>10</BtchSz>\n </SOAP-ENV:Header>\n <SOAP-ENV:Body></SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n`,
        ],
      ],
      [
        'server',
        [
          env(
            '<Cmd>sow</Cmd><QId><![CDATA[q1]]></QId><BtchSz>2</BtchSz>',
            '<Msg key="K&amp;1" len="8" ts="20240115T1">\u00e9123456</Msg> <Msg key="K2" len="6"></Msg></Msg>',
          ),
          env(
            '<Cmd>p</Cmd><Tpc><![CDATA[orders]]></Tpc><Seq>5</Seq><BkMrk>1|2|</BkMrk><SndKeys/>',
            'body with </SOAP-ENV:Body> inside',
          ),
          env('<Cmd>heartbeat</Cmd>', ''),
          env('<Cmd>ack</Cmd><Status>fail', ''), // malformed: an element never closed
        ],
      ],
    ],
    [13, 1, 40],
  );
  return concatBytes(cap.take());
}

/** A WebSocket frame (RFC 6455), masked as clients send them. */
function wsFrame(opcode, payload, masked) {
  const p = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const head = [0x80 | opcode];
  const m = masked ? 0x80 : 0;
  if (p.length < 126) head.push(m | p.length);
  else head.push(m | 126, p.length >> 8, p.length & 0xff);
  if (!masked) return concatBytes([new Uint8Array(head), p]);
  const key = [0x12, 0x34, 0x56, 0x78];
  return concatBytes([new Uint8Array([...head, ...key]), p.map((b, i) => b ^ key[i % 4])]);
}

/**
 * WebSocket traffic (WIRE.md section 7) in both framings, and the same AMPS messages as plain
 * 4-byte frames on the same endpoints, which decode reads: the JavaScript client's bare
 * headers (its bodies are separate messages, not part of the header message Wireshark shows)
 * and binary messages holding whole frames.
 */
function webSocketCaptures() {
  const endpoints = { client: '10.9.1.2', clientPort: 42000, server: '10.9.1.1', serverPort: 9008 };
  const clientHeaders = [
    '{"c":"logon","cid":"1","client_name":"js","a":"processed","version":"5.3.4.0"}',
    '{"c":"publish","t":"orders","cid":"7","a":"processed"}',
  ];
  const serverHeaders = [
    '{"c":"ack","cid":"1","a":"processed","status":"success","version":"5.3.4.0"}',
    '{"c":"ack","cid":"7","a":"processed","status":"success"}',
  ];
  const serverFramed = [
    '{"c":"p","t":"orders","sub_id":"s1","s":5}{"id":2}',
    '{"c":"sow","query_id":"q1","bs":2}{"k":"1","l":8}{"id":3}{"k":"2","l":8}{"id":4}',
  ];
  const ws = new CaptureBuilder(1705329000);
  const tcp = new TcpConversation(endpoints);
  const text = (t) => new TextEncoder().encode(t);
  ws.add(tcp.handshake());
  ws.add(
    tcp.send(
      'client',
      text(
        'GET /amps/json HTTP/1.1\r\nHost: amps\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    ),
  );
  ws.add(
    tcp.send(
      'server',
      text(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGJzzhZRbK+xOo=\r\n\r\n',
      ),
    ),
  );
  ws.add(tcp.send('client', wsFrame(1, 'text', true)));
  for (const [i, header] of clientHeaders.entries()) {
    ws.add(tcp.send('client', wsFrame(2, new Uint8Array([i === 0 ? 1 : 2, 0, 0, 0]), true)));
    ws.add(tcp.send('client', wsFrame(1, header, true)));
    if (i === 1) ws.add(tcp.send('client', wsFrame(1, '{"id":1,"qty":300}', true)));
    ws.add(tcp.send('server', wsFrame(1, serverHeaders[i], false)));
  }
  ws.add(tcp.send('server', wsFrame(2, frames(...serverFramed), false), { sizes: [40] }));
  ws.add([tcp.fin('client'), tcp.fin('server')]);

  const plain = new CaptureBuilder(1705329000);
  const tcp2 = new TcpConversation(endpoints);
  plain.add(tcp2.handshake());
  plain.add(tcp2.send('client', frames(...clientHeaders)));
  plain.add(tcp2.send('server', frames(...serverHeaders, ...serverFramed)));
  return { ws: concatBytes(ws.take()), plain: concatBytes(plain.take()) };
}

/**
 * AMPS frames over TLS (tcps): a real TLS session between two endpoints of this process, its
 * records written as a capture, with the key log Wireshark decrypts it with; a frame larger than
 * a TLS record spans several. Resolves to the capture, the key log, and the same frames in plain
 * TCP for decode.
 */
async function tlsCapture(version) {
  const { default: tls } = await import('node:tls');
  const { Duplex } = await import('node:stream');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=amps',
    ],
    { stdio: 'ignore' },
  );
  const endpoints = { client: '10.9.2.2', clientPort: 43000, server: '10.9.2.1', serverPort: 9443 };
  const big = `{"c":"publish","t":"orders","cid":"2"}{"id":1,"note":"${'x'.repeat(20000)}"}`;
  const client = ['{"c":"logon","cid":"1","a":"processed"}', big, '{"c":"publish","t":"orders","cid":"3"}{"id":3}'];
  const server = [
    '{"c":"ack","cid":"1","a":"processed","status":"success"}',
    '{"c":"sow","query_id":"q","bs":1}{"k":"1","l":8}{"id":1}',
  ];
  const cap = new CaptureBuilder(1705329000);
  const tcp = new TcpConversation(endpoints);
  cap.add(tcp.handshake());
  let keys = '';
  let toServer;
  let toClient;
  const clientEnd = new Duplex({
    read() {},
    write(chunk, _e, cb) {
      cap.add(tcp.send('client', new Uint8Array(chunk)));
      toServer.push(chunk);
      cb();
    },
  });
  const serverEnd = new Duplex({
    read() {},
    write(chunk, _e, cb) {
      cap.add(tcp.send('server', new Uint8Array(chunk)));
      toClient.push(chunk);
      cb();
    },
  });
  toServer = serverEnd;
  toClient = clientEnd;
  const { readFileSync } = await import('node:fs');
  const serverSocket = new tls.TLSSocket(serverEnd, {
    isServer: true,
    key: readFileSync(join(dir, 'key.pem')),
    cert: readFileSync(join(dir, 'cert.pem')),
    minVersion: version,
    maxVersion: version,
  });
  const clientSocket = tls.connect({
    socket: clientEnd,
    rejectUnauthorized: false,
    minVersion: version,
    maxVersion: version,
  });
  clientSocket.on('keylog', (line) => {
    keys += line.toString();
  });
  let received = 0;
  const want = frames(...client).length;
  await new Promise((resolve, reject) => {
    clientSocket.on('error', reject);
    serverSocket.on('error', reject);
    serverSocket.on('data', (chunk) => {
      received += chunk.length;
      if (received === want) serverSocket.write(frames(...server), () => setTimeout(resolve, 50));
    });
    clientSocket.on('secureConnect', () => clientSocket.write(frames(...client)));
  });
  clientSocket.destroy();
  serverSocket.destroy();
  const plain = new CaptureBuilder(1705329000);
  const tcp2 = new TcpConversation(endpoints);
  plain.add(tcp2.handshake());
  plain.add(tcp2.send('client', frames(...client)));
  plain.add(tcp2.send('server', frames(...server)));
  return { bytes: concatBytes(cap.take()), keys, plain: concatBytes(plain.take()) };
}

function mixed(bytes) {
  const parts = [];
  for (const part of mixedCapture(bytes, 7)) parts.push(part);
  return concatBytes(parts);
}

const CAPTURES = [
  { name: 'sample.pcap', bytes: sampleCapture(), ports: '9007,9004,9005' },
  { name: 'edge.pcap', bytes: edgeCapture(), ports: '9007,9004,9005,9006=nvfix', decode: ['--port', '9006=nvfix'] },
  { name: 'mixed.pcap', bytes: mixed(1 << 20), ports: '9007,9004,9005' },
];
const { ws, plain } = webSocketCaptures();
CAPTURES.push({ name: 'websocket.pcap', bytes: ws, decodeBytes: plain, ports: '9007' });
for (const version of ['TLSv1.3', 'TLSv1.2']) {
  const t = await tlsCapture(version);
  const keylog = join(dir, `keys-${version}.log`);
  writeFileSync(keylog, t.keys);
  CAPTURES.push({
    name: `${version}.pcap`,
    bytes: t.bytes,
    decodeBytes: t.plain,
    ports: '9007',
    tshark: ['-o', `tls.keylog_file:${keylog}`],
  });
}
// The dissector must find traffic on ports it was not registered on through its TCP heuristic.
CAPTURES.push({ ...CAPTURES[2], name: 'mixed-heuristic.pcap', ports: '1' });

// ---- comparing ---------------------------------------------------------------------------------

const SNAKE = new Map(FIELDS.map((f) => [f.name, snakeCase(f.name)]));
const HEADER_KEYS = new Set(FIELDS.map((f) => `amps.${snakeCase(f.name)}`));

function bodyHex(obj) {
  const bytes =
    obj.bodyBase64 !== undefined ? Buffer.from(obj.bodyBase64, 'base64') : Buffer.from(obj.body ?? '', 'utf8');
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

const one = (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Differences between a decoded object (jsonl) and a dissected one (tshark json). */
function compareMessage(decoded, shown, prefix, where, out) {
  const diff = (what, want, got) =>
    out.push(`${where}: ${what}: decode says ${JSON.stringify(want)}, Wireshark ${JSON.stringify(got)}`);
  const fields = decoded.fields ?? {};
  for (const [name, value] of Object.entries(fields)) {
    const key = `${prefix}${SNAKE.get(name)}`;
    const got = one(shown[key]);
    if (got.length !== 1 || got[0] !== value) diff(key, value, shown[key]);
  }
  for (const key of Object.keys(shown)) {
    const bare = `amps.${key.slice(prefix.length)}`;
    if (key.startsWith(prefix) && HEADER_KEYS.has(bare)) {
      const name = FIELDS.find((f) => `amps.${snakeCase(f.name)}` === bare).name;
      if (!(name in fields)) diff(key, undefined, shown[key]);
    }
  }
  if (String(decoded.bodyLength) !== shown[`${prefix}body_length`])
    diff(`${prefix}body_length`, decoded.bodyLength, shown[`${prefix}body_length`]);
  const hex = bodyHex(decoded);
  if (hex !== (shown[`${prefix}body`] ?? '')) diff(`${prefix}body`, hex, shown[`${prefix}body`]);
}

function compare(decodedLines, packets) {
  const problems = [];
  // Wireshark's messages per direction, in stream order.
  const shownByConn = new Map();
  for (const p of packets) {
    const layers = p._source.layers;
    const ip = layers.ip ?? layers.ipv6;
    const src = layers.ip ? ip['ip.src'] : `[${ip['ipv6.src']}]`;
    const dst = layers.ip ? ip['ip.dst'] : `[${ip['ipv6.dst']}]`;
    const conn = `${src}:${layers.tcp['tcp.srcport']}->${dst}:${layers.tcp['tcp.dstport']}`;
    if (!shownByConn.has(conn)) shownByConn.set(conn, []);
    for (const m of one(layers.amps)) shownByConn.get(conn).push({ ...m, frame: layers.frame?.['frame.number'] });
  }
  const decodedByConn = new Map();
  for (const d of decodedLines) {
    if (!decodedByConn.has(d.conn)) decodedByConn.set(d.conn, []);
    decodedByConn.get(d.conn).push(d);
  }
  let messages = 0;
  let records = 0;
  let malformed = 0;
  for (const conn of new Set([...decodedByConn.keys(), ...shownByConn.keys()])) {
    const decoded = decodedByConn.get(conn) ?? [];
    const shown = shownByConn.get(conn) ?? [];
    if (decoded.length !== shown.length)
      problems.push(`${conn}: decode found ${decoded.length} messages, Wireshark ${shown.length}`);
    for (let i = 0; i < Math.min(decoded.length, shown.length); i++) {
      const d = decoded[i];
      const s = shown[i];
      const where = `${conn} #${i} (packet ${s.frame})`;
      messages++;
      if (d.protocol !== s['amps.protocol']) problems.push(`${where}: protocol ${d.protocol} vs ${s['amps.protocol']}`);
      if (String(d.frameLength) !== s['amps.length'])
        problems.push(`${where}: frame length ${d.frameLength} vs ${s['amps.length']}`);
      const expert = JSON.stringify(s);
      if (d.error !== undefined) {
        malformed++;
        if (!expert.includes('"amps.malformed"'))
          problems.push(
            `${where}: decode reports ${d.error.code} (${d.error.message}); Wireshark shows no amps.malformed`,
          );
        continue;
      }
      if (expert.includes('"amps.malformed"'))
        problems.push(`${where}: Wireshark reports a malformed frame that decode reads: ${expert}`);
      compareMessage(d, s, 'amps.', where, problems);
      const shownRecords = one(s['amps.record']);
      const decodedRecords = d.records ?? [];
      if (decodedRecords.length !== shownRecords.length)
        problems.push(`${where}: ${decodedRecords.length} records vs ${shownRecords.length}`);
      if (d.records !== undefined && String(decodedRecords.length) !== s['amps.record_count'])
        problems.push(`${where}: amps.record_count ${s['amps.record_count']}`);
      for (let r = 0; r < Math.min(decodedRecords.length, shownRecords.length); r++) {
        records++;
        compareMessage(decodedRecords[r], shownRecords[r], 'amps.record.', `${where} record ${r}`, problems);
      }
    }
  }
  return { problems, messages, records, malformed };
}

// ---- running -----------------------------------------------------------------------------------

let failed = false;
for (const capture of CAPTURES) {
  const file = join(dir, capture.name);
  writeFileSync(file, capture.bytes);
  const decodeFile = capture.decodeBytes === undefined ? file : join(dir, `plain-${capture.name}`);
  if (capture.decodeBytes !== undefined) writeFileSync(decodeFile, capture.decodeBytes);
  const script = join(dir, `amps-${capture.ports.replace(/[^0-9a-z]+/g, '_')}.lua`);
  writeFileSync(script, execFileSync(process.execPath, [CLI, 'wireshark', '--ports', capture.ports]));
  let decodedText;
  try {
    decodedText = execFileSync(
      process.execPath,
      [CLI, 'decode', decodeFile, '--format', 'jsonl', '--quiet', ...(capture.decode ?? [])],
      { maxBuffer: 1 << 30, encoding: 'utf8' },
    );
  } catch (err) {
    decodedText = err.stdout; // exit code 1: frames that failed to decode, reported in the lines
  }
  const decoded = decodedText
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l))
    .filter((d) => !d.truncated);
  const shownText = execFileSync(
    'tshark',
    [
      '-X',
      `lua_script:${script}`,
      '-r',
      file,
      '-o',
      'tcp.reassemble_out_of_order:TRUE',
      ...(capture.tshark ?? []),
      '-Y',
      'amps',
      '-T',
      'json',
      '--no-duplicate-keys',
      '-J',
      'frame ip ipv6 tcp amps',
    ],
    { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const packets = JSON.parse(shownText);
  const result = compare(decoded, packets);
  const status = result.problems.length === 0 ? 'ok' : `${result.problems.length} differences`;
  console.log(
    `${capture.name} (--ports ${capture.ports}): ${result.messages} messages, ${result.records} SOW records, ${result.malformed} malformed: ${status}`,
  );
  for (const p of result.problems.slice(0, 40)) console.log(`  ${p}`);
  if (result.messages === 0 || result.problems.length > 0) failed = true;
}
if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
