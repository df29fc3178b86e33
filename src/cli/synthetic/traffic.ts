/**
 * Synthetic AMPS traffic, written byte for byte from docs/wire-format.md (not through the library's
 * encoders, so decoding it checks the decoders against the spec): the sample capture shipped in
 * examples/, and large mixed captures for benchmarks. Deterministic: the same seed gives the
 * same bytes.
 */
import { concatBytes } from '../../core/bytes.js';
import { frame as framePayload } from '../../frame/index.js';
import {
  buildPacket,
  PcapWriter,
  TcpConversation,
  type ConversationOptions,
  type PacketOptions,
  type SegmentSpec,
  type Side,
} from './capture-writer.js';

const encoder = new TextEncoder();

/** A small deterministic pseudo-random generator (mulberry32). */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** Frames one after another (each a 4-byte big-endian length, then the payload; text as UTF-8). */
export function frames(...payloads: (string | Uint8Array)[]): Uint8Array {
  return concatBytes(payloads.map((p) => framePayload(typeof p === 'string' ? encoder.encode(p) : p)));
}

const SYMBOLS = ['IBM', 'MSFT', 'AAPL', 'ORCL', 'INTC', 'CSCO', 'AMZN', 'NVDA'];
const utf8Length = (s: string): number => encoder.encode(s).length;

/** A JSON order body of about `size` bytes. */
export function jsonBody(id: number, size: number, rng: Random): string {
  const head = `{"id":${id},"sym":"${rng.pick(SYMBOLS)}","qty":${rng.int(1, 5000)},"px":${rng.int(100, 99999) / 100}`;
  return size > head.length + 12 ? `${head},"note":"${'x'.repeat(size - head.length - 11)}"}` : head + '}';
}

/** A FIX body (`tag=value\x01`...) of about `size` bytes. */
export function fixBody(id: number, size: number, rng: Random): string {
  const head = `11=${id}\x0155=${rng.pick(SYMBOLS)}\x0154=${rng.int(1, 2)}\x0138=${rng.int(1, 5000)}\x0144=${rng.int(100, 99999) / 100}\x01`;
  return size > head.length + 6 ? `${head}58=${'y'.repeat(size - head.length - 4)}\x01` : head;
}

/** An XML body of about `size` bytes. */
export function xmlBody(id: number, size: number, rng: Random): string {
  const head = `<order id="${id}" sym="${rng.pick(SYMBOLS)}" qty="${rng.int(1, 5000)}"`;
  return size > head.length + 16 ? `${head}><note>${'z'.repeat(size - head.length - 16)}</note></order>` : head + '/>';
}

/** Payload builders per header protocol, from docs/wire-format.md sections 2 to 4. */
export interface Dialect {
  readonly name: 'amps' | 'fix' | 'xml';
  header(fields: readonly [string, string][]): string;
  message(fields: readonly [string, string][], body: string): string;
  /** A SOW batch: outer header fields, then records of (SowKey, body). */
  sow(fields: readonly [string, string][], records: readonly [string, string][]): string;
  body(id: number, size: number, rng: Random): string;
}

// Field spellings per protocol, for the fields the traffic uses (docs/wire-format.md section 6).
const SPELLING: Record<string, [json: string, tag: string, xml: string, numeric?: boolean]> = {
  Command: ['c', '20000', 'Cmd'],
  CommandId: ['cid', '20001', 'CmdId'],
  ClientName: ['client_name', '20002', 'ClntName'],
  UserId: ['user_id', '20003', 'UsrId'],
  Timestamp: ['ts', '20004', 'TxmTm'],
  Topic: ['t', '20005', 'Tpc'],
  Filter: ['filter', '20006', 'Fltr'],
  MessageType: ['mt', '20007', 'MsgTyp'],
  AckType: ['a', '20008', 'AckTyp'],
  SubscriptionId: ['sub_id', '20009', 'SubId'],
  Version: ['version', '20011', 'Version'],
  Status: ['status', '20018', 'Status'],
  QueryID: ['query_id', '20019', 'QId'],
  BatchSize: ['bs', '20023', 'BtchSz', true],
  Options: ['opts', '20039', 'Opts'],
  Sequence: ['s', '20036', 'Seq', true],
  Bookmark: ['bm', '20037', 'BkMrk'],
  MessageLength: ['l', '20058', 'MsgLn', true],
  SowKey: ['k', '20059', 'SowKey'],
  SubscriptionIds: ['sids', '20061', 'SubIds'],
  Reason: ['reason', '20062', 'Reason'],
};

const spell = (name: string): [string, string, string, boolean?] => {
  const s = SPELLING[name];
  if (s === undefined) throw new Error(`traffic: no spelling for ${name}`);
  return s;
};

/** amps/json (docs/wire-format.md section 2). */
export const AMPS: Dialect = {
  name: 'amps',
  header(fields) {
    return `{${fields.map(([k, v]) => `"${spell(k)[0]}":${spell(k)[3] ? v : JSON.stringify(v)}`).join(',')}}`;
  },
  message(fields, body) {
    return this.header(fields) + body;
  },
  sow(fields, records) {
    return (
      this.header(fields) +
      records
        .map(
          ([key, body]) =>
            this.header([
              ['SowKey', key],
              ['MessageLength', String(utf8Length(body))],
            ]) + body,
        )
        .join('')
    );
  },
  body: jsonBody,
};

/** fix (docs/wire-format.md section 3). */
export const FIX: Dialect = {
  name: 'fix',
  header(fields) {
    return fields.map(([k, v]) => `${spell(k)[1]}=${v}\x01`).join('') + '\x02';
  },
  message(fields, body) {
    return this.header(body === '' ? fields : [...fields, ['MessageLength', String(utf8Length(body))]]) + body;
  },
  sow(fields, records) {
    return (
      this.header(fields) +
      records
        .map(
          ([key, body]) =>
            this.header([
              ['MessageLength', String(utf8Length(body))],
              ['SowKey', key],
            ]) +
            body +
            '\x01',
        )
        .join('')
    );
  },
  body: fixBody,
};

const CDATA = new Set([
  'Topic',
  'CommandId',
  'ClientName',
  'UserId',
  'Filter',
  'SubscriptionId',
  'QueryID',
  'Options',
  'SubscriptionIds',
]);

/** xml (docs/wire-format.md section 4). */
export const XML: Dialect = {
  name: 'xml',
  header(fields) {
    const inner = fields
      .map(([k, v]) => `<${spell(k)[2]}>${CDATA.has(k) ? `<![CDATA[${v}]]>` : escapeXml(v)}</${spell(k)[2]}>`)
      .join('');
    return `<SOAP-ENV:Envelope><SOAP-ENV:Header>${inner}</SOAP-ENV:Header>`;
  },
  message(fields, body) {
    return `${this.header(fields)}<SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  },
  sow(fields, records) {
    return this.message(
      fields,
      records.map(([key, body]) => `<Msg key="${key}" len="${utf8Length(body)}">${body}</Msg>`).join(''),
    );
  },
  body: xmlBody,
};

function escapeXml(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A pcap being written packet by packet: one link type, timestamps advancing. */
export class CaptureBuilder {
  readonly writer = new PcapWriter({ linkType: 1 });
  readonly parts: Uint8Array[] = [this.writer.header()];
  size = 24;
  private micros = 0;

  constructor(private readonly startSeconds: number) {}

  /** Writes the segments as packets, `gapMicros` apart. */
  add(segments: readonly SegmentSpec[], gapMicros = 120, options: PacketOptions = {}): void {
    for (const seg of segments) {
      this.micros += gapMicros;
      const record = this.writer.record(
        buildPacket(seg, options),
        this.startSeconds + Math.floor(this.micros / 1e6),
        (this.micros % 1e6) * 1000,
      );
      this.parts.push(record);
      this.size += record.length;
    }
  }

  /** Takes the parts written so far. */
  take(): Uint8Array[] {
    return this.parts.splice(0);
  }
}

/** One connection of synthetic traffic. */
class Connection {
  readonly tcp: TcpConversation;
  constructor(
    readonly dialect: Dialect,
    endpoints: ConversationOptions,
    readonly packet: PacketOptions = {},
  ) {
    this.tcp = new TcpConversation(endpoints);
  }
  send(side: Side, bytes: Uint8Array, sizes?: readonly number[]): SegmentSpec[] {
    return this.tcp.send(side, bytes, sizes === undefined ? { mss: 1448 } : { sizes });
  }
}

const logonFields = (name: string, user: string): [string, string][] => [
  ['Command', 'logon'],
  ['CommandId', '1'],
  ['ClientName', name],
  ['UserId', user],
  ['AckType', 'processed'],
  ['Version', '5.3.4.0'],
];
const ackFields = (cid: string, ack: string, extra: [string, string][] = []): [string, string][] => [
  ['Command', 'ack'],
  ['CommandId', cid],
  ['AckType', ack],
  ['Status', 'success'],
  ...extra,
];

/**
 * The capture shipped as examples/sample.pcap: an amps/json, a fix and an xml (IPv6, VLAN)
 * connection, each logging on, querying a SOW (answered by a batch of records), publishing and
 * receiving publishes; segments cut at awkward places (inside length prefixes and headers,
 * several frames coalesced), one segment retransmitted and two arriving out of order.
 */
export function sampleCapture(): Uint8Array {
  const rng = new Random(20240115);
  const cap = new CaptureBuilder(1705329000); // 2024-01-15 14:30:00 UTC

  // amps/json on 9007
  const a = new Connection(AMPS, {
    client: '192.168.1.20',
    clientPort: 50112,
    server: '192.168.1.10',
    serverPort: 9007,
    clientIsn: 0x1a2b3c4d,
    serverIsn: 0xfffff000,
  });
  cap.add(a.tcp.handshake());
  cap.add(a.send('client', frames(AMPS.message(logonFields('order-gateway', 'alice'), ''))));
  cap.add(
    a.send(
      'server',
      frames(
        AMPS.header(
          ackFields('1', 'processed', [
            ['Version', '5.3.4.0'],
            ['ClientName', 'order-gateway'],
          ]),
        ),
      ),
    ),
  );
  cap.add(
    a.send(
      'client',
      frames(
        AMPS.header([
          ['Command', 'sow_and_subscribe'],
          ['CommandId', '2'],
          ['Topic', 'orders'],
          ['Filter', '/qty > 100'],
          ['SubscriptionId', '2'],
          ['QueryID', '2'],
          ['BatchSize', '10'],
          ['AckType', 'processed,completed'],
          ['Options', 'oof'],
        ]),
      ),
    ),
  );
  const sowRecords: [string, string][] = [1, 2, 3].map((i) => [String(100 + i), jsonBody(100 + i, 60, rng)]);
  // The ack, group_begin, the batch, group_end and the completed ack coalesced, cut inside a
  // length prefix (3 bytes) and inside a header.
  cap.add(
    a.send(
      'server',
      frames(
        AMPS.header(ackFields('2', 'processed')),
        AMPS.header([
          ['Command', 'group_begin'],
          ['QueryID', '2'],
        ]),
        AMPS.sow(
          [
            ['Command', 'sow'],
            ['QueryID', '2'],
            ['Topic', 'orders'],
            ['BatchSize', '3'],
          ],
          sowRecords,
        ),
        AMPS.header([
          ['Command', 'group_end'],
          ['QueryID', '2'],
        ]),
        AMPS.header(ackFields('2', 'completed')),
      ),
      [3, 120, 9, 300],
    ),
  );
  cap.add(
    a.send(
      'client',
      frames(
        AMPS.message(
          [
            ['Command', 'publish'],
            ['Topic', 'orders'],
            ['CommandId', '3'],
            ['AckType', 'processed'],
          ],
          jsonBody(104, 48, rng),
        ),
      ),
    ),
  );
  cap.add(
    a.send(
      'server',
      frames(
        AMPS.header(ackFields('3', 'processed')),
        AMPS.message(
          [
            ['Command', 'p'],
            ['Topic', 'orders'],
            ['SubscriptionId', '2'],
            ['SubscriptionIds', '2'],
            ['Sequence', '4'],
            ['Bookmark', '12|1705329000000000004|'],
          ],
          jsonBody(104, 48, rng),
        ),
      ),
      [70],
    ),
  );

  // fix on 9004, behind VLAN 42
  const vlan: PacketOptions = { vlans: [42] };
  const f = new Connection(
    FIX,
    {
      client: '192.168.1.21',
      clientPort: 50200,
      server: '192.168.1.10',
      serverPort: 9004,
      clientIsn: 7,
      serverIsn: 90210,
    },
    vlan,
  );
  cap.add(f.tcp.handshake(), 120, vlan);
  cap.add(f.send('client', frames(FIX.message(logonFields('risk-engine', 'bob'), ''))), 120, vlan);
  cap.add(f.send('server', frames(FIX.header(ackFields('1', 'processed', [['Version', '5.3.4.0']])))), 120, vlan);
  const publish = f.send(
    'client',
    frames(
      FIX.message(
        [
          ['Command', 'publish'],
          ['Topic', 'positions'],
          ['CommandId', '2'],
        ],
        fixBody(7, 40, rng),
      ),
    ),
    [11, 200],
  );
  cap.add(publish, 120, vlan);
  cap.add([publish[1]!], 120, vlan); // a retransmission
  cap.add(
    f.send(
      'client',
      frames(
        FIX.header([
          ['Command', 'sow'],
          ['Topic', 'positions'],
          ['CommandId', '3'],
          ['QueryID', '3'],
          ['BatchSize', '10'],
          ['AckType', 'completed'],
        ]),
      ),
    ),
    120,
    vlan,
  );
  const batch = f.send(
    'server',
    frames(
      FIX.sow(
        [
          ['Command', 'sow'],
          ['Topic', 'positions'],
          ['QueryID', '3'],
          ['BatchSize', '2'],
        ],
        [
          ['IBM', fixBody(1, 30, rng)],
          ['MSFT', fixBody(2, 30, rng)],
        ],
      ),
      FIX.header(ackFields('3', 'completed', [['Topic', 'positions']])),
    ),
    [60, 60, 500],
  );
  cap.add([batch[0]!, batch[2]!, batch[1]!], 120, vlan); // out of order

  // xml on 9005, over IPv6
  const x = new Connection(XML, {
    client: '2001:db8::20',
    clientPort: 50300,
    server: '2001:db8::10',
    serverPort: 9005,
  });
  cap.add(x.tcp.handshake());
  cap.add(x.send('client', frames(XML.message(logonFields('pricing-ui', 'carol'), '')), [1, 9, 40]));
  cap.add(x.send('server', frames(XML.message(ackFields('1', 'processed'), ''))));
  cap.add(
    x.send(
      'client',
      frames(
        XML.message(
          [
            ['Command', 'sow'],
            ['CommandId', '2'],
            ['Topic', 'prices'],
            ['QueryID', '2'],
            ['BatchSize', '5'],
          ],
          '',
        ),
      ),
    ),
  );
  cap.add(
    x.send(
      'server',
      frames(
        XML.sow(
          [
            ['Command', 'sow'],
            ['Topic', 'prices'],
            ['QueryID', '2'],
            ['BatchSize', '2'],
          ],
          [
            ['IBM', '<price sym="IBM" bid="187.20" ask="187.30"/>'],
            ['AAPL', '<price sym="AAPL" bid="191.02" ask="191.05"/>'],
          ],
        ),
      ),
    ),
  );
  cap.add(
    x.send(
      'client',
      frames(
        XML.message(
          [
            ['Command', 'publish'],
            ['Topic', 'prices'],
            ['CommandId', '3'],
          ],
          '<price sym="MSFT" bid="402.10" ask="402.20"/>',
        ),
      ),
    ),
  );
  cap.add(
    x.send(
      'server',
      frames(XML.header([['Command', 'heartbeat']]) + '<SOAP-ENV:Body></SOAP-ENV:Body></SOAP-ENV:Envelope>'),
    ),
  );

  for (const c of [a, f, x]) {
    cap.add([c.tcp.fin('client'), c.tcp.fin('server')], 120, c.packet);
  }
  return concatBytes(cap.take());
}

/**
 * A large capture of mixed traffic, produced in pieces (the pcap header first): 12
 * connections (4 per protocol) taking turns, each turn a burst of publishes (bodies of 64 B to
 * 2 KiB, frames coalesced and cut at 1448-byte segments), sometimes a SOW batch of 20 records,
 * a client publish and its ack. Stops once `targetBytes` of capture have been produced.
 */
export function* mixedCapture(targetBytes: number, seed = 1): Generator<Uint8Array> {
  const rng = new Random(seed);
  const cap = new CaptureBuilder(1705329000);
  const connections: Connection[] = [];
  for (let i = 0; i < 12; i++) {
    const dialect = [AMPS, FIX, XML][i % 3]!;
    const port = dialect === AMPS ? 9007 : dialect === FIX ? 9004 : 9005;
    const c = new Connection(dialect, {
      client: `10.1.0.${10 + i}`,
      clientPort: 40000 + i,
      server: '10.1.0.1',
      serverPort: port,
      clientIsn: rng.int(0, 0xffffffff),
      serverIsn: rng.int(0, 0xffffffff),
    });
    cap.add(c.tcp.handshake(), 50);
    connections.push(c);
  }
  let id = 0;
  let sequence = 0;
  while (cap.size < targetBytes) {
    for (const c of connections) {
      const d = c.dialect;
      const payloads: string[] = [];
      const burst = rng.int(4, 24);
      for (let k = 0; k < burst; k++) {
        sequence++;
        payloads.push(
          d.message(
            [
              ['Command', 'p'],
              ['Topic', 'orders'],
              ['SubscriptionId', '7'],
              ['Sequence', String(sequence)],
              ['Bookmark', `12|17053290000${sequence}|`],
            ],
            d.body(++id, rng.int(64, 2048), rng),
          ),
        );
      }
      if (rng.next() < 0.1) {
        const records: [string, string][] = [];
        for (let k = 0; k < 20; k++) records.push([String(rng.int(1, 1e6)), d.body(++id, rng.int(64, 512), rng)]);
        payloads.push(
          d.sow(
            [
              ['Command', 'sow'],
              ['Topic', 'orders'],
              ['QueryID', String(id)],
              ['BatchSize', '20'],
            ],
            records,
          ),
        );
      }
      cap.add(c.send('server', frames(...payloads)), 20);
      cap.add(
        c.send(
          'client',
          frames(
            d.message(
              [
                ['Command', 'publish'],
                ['Topic', 'orders'],
                ['CommandId', String(++id)],
                ['AckType', 'processed'],
              ],
              d.body(id, rng.int(64, 512), rng),
            ),
          ),
        ),
        20,
      );
      cap.add(c.send('server', frames(d.message(ackFields(String(id), 'processed'), ''))), 20);
      yield* cap.take();
      if (cap.size >= targetBytes) break;
    }
  }
}
