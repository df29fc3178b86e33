import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPacket, PcapWriter, type SegmentSpec } from '../../src/cli/synthetic/capture-writer.js';
import { bucketOf, bucketRange, DurationHistogram, PERCENTILE_ERROR } from '../../src/cli/stats/histogram.js';
import { Timeline, TIMELINE_BINS } from '../../src/cli/stats/timeline.js';
import { frames } from '../../src/cli/synthetic/traffic.js';
import { concat, TcpConversation } from '../helpers/pcap-writer.js';
import { runCli, tempFile } from './run-cli.js';

const SAMPLE = join(__dirname, '../../examples/sample.pcap');
const C2S = '10.0.0.1:51000->10.0.0.2:9007';

/** A pcap whose packets carry the given times (microseconds after 2024-01-15T14:30:00Z). */
function timed(packets: readonly [SegmentSpec, number][]): Uint8Array {
  const w = new PcapWriter({});
  return concat(
    w.header(),
    ...packets.map(([seg, us]) => w.record(buildPacket(seg), 1_705_329_000 + Math.floor(us / 1e6), (us % 1e6) * 1000)),
  );
}

async function statsJson(file: Uint8Array, ...extra: string[]) {
  const r = await runCli(['stats', tempFile('s.pcap', file), '--json', ...extra]);
  expect(r.stdout.split('\n')).toHaveLength(2);
  return { ...r, report: JSON.parse(r.stdout) as Record<string, unknown> };
}

describe('stats --json', () => {
  it('reports the sample capture exactly', async () => {
    const r = await runCli(['stats', SAMPLE, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      messages: 23,
      connections: 3,
      durationMs: 4.8,
      commands: {
        ack: 7,
        sow: 5,
        publish: 4,
        logon: 3,
        group_begin: 1,
        group_end: 1,
        heartbeat: 1,
        sow_and_subscribe: 1,
      },
      topics: {
        orders: { published: 1, delivered: 1, bytes: 91 },
        positions: { published: 1, delivered: 0, bytes: 35 },
        prices: { published: 1, delivered: 0, bytes: 45 },
      },
      responses: [
        {
          command: 'logon',
          ackType: 'processed',
          count: 3,
          minMs: 0.12,
          p50Ms: 0.12,
          p90Ms: 0.12,
          p99Ms: 0.12,
          maxMs: 0.12,
        },
        {
          command: 'publish',
          ackType: 'processed',
          count: 1,
          minMs: 0.12,
          p50Ms: 0.12,
          p90Ms: 0.12,
          p99Ms: 0.12,
          maxMs: 0.12,
        },
        {
          command: 'sow',
          ackType: 'completed',
          count: 1,
          minMs: 0.36,
          p50Ms: 0.36,
          p90Ms: 0.36,
          p99Ms: 0.36,
          maxMs: 0.36,
        },
        {
          command: 'sow_and_subscribe',
          ackType: 'processed',
          count: 1,
          minMs: 0.24,
          p50Ms: 0.24,
          p90Ms: 0.24,
          p99Ms: 0.24,
          maxMs: 0.24,
        },
        {
          command: 'sow_and_subscribe',
          ackType: 'completed',
          count: 1,
          minMs: 0.6,
          p50Ms: 0.6,
          p90Ms: 0.6,
          p99Ms: 0.6,
          maxMs: 0.6,
        },
      ],
      unanswered: [],
      queries: [
        {
          conn: '192.168.1.20:50112->192.168.1.10:9007',
          queryId: '2',
          command: 'sow_and_subscribe',
          topic: 'orders',
          records: 3,
          batches: 1,
          firstRecordMs: 0.48,
          ms: 0.48,
        },
        {
          conn: '192.168.1.21:50200->192.168.1.10:9004',
          queryId: '3',
          command: 'sow',
          topic: 'positions',
          records: 2,
          batches: 1,
          firstRecordMs: 0.36,
          ms: 0.36,
        },
        {
          conn: '[2001:db8::20]:50300->[2001:db8::10]:9005',
          queryId: '2',
          command: 'sow',
          topic: 'prices',
          records: 2,
          batches: 1,
          firstRecordMs: 0.12,
          ms: null,
        },
      ],
    });
  });

  it('response times per (command, ack type) with percentiles; unanswered commands name the missing acks', async () => {
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const packets: [SegmentSpec, number][] = c.handshake().map((s) => [s, 0]);
    // 100 publishes answered after 1..100 ms; one more never answered; a subscribe with only its processed ack.
    for (let i = 1; i <= 100; i++) {
      packets.push([
        c.send('client', frames(`{"c":"publish","t":"orders","cid":"${i}","a":"processed"}x`))[0]!,
        i * 1000,
      ]);
      packets.push([
        c.send('server', frames(`{"c":"ack","cid":"${i}","a":"processed","status":"success"}`))[0]!,
        i * 1000 + i * 1000,
      ]);
    }
    packets.push([
      c.send('client', frames('{"c":"publish","t":"orders","cid":"lost","a":"processed,persisted"}y'))[0]!,
      300_000,
    ]);
    packets.push([
      c.send('client', frames('{"c":"subscribe","t":"orders","cid":"s","a":"processed,completed"}'))[0]!,
      300_000,
    ]);
    packets.push([c.send('server', frames('{"c":"ack","cid":"s","a":"processed"}'))[0]!, 300_500]);
    const { report } = await statsJson(timed(packets));
    expect(report['responses']).toEqual([
      {
        command: 'publish',
        ackType: 'processed',
        count: 100,
        minMs: 1,
        p50Ms: expect.closeTo(50, 0),
        p90Ms: expect.closeTo(90, 0),
        p99Ms: expect.closeTo(99, 0),
        maxMs: 100,
      },
      {
        command: 'subscribe',
        ackType: 'processed',
        count: 1,
        minMs: 0.5,
        p50Ms: 0.5,
        p90Ms: 0.5,
        p99Ms: 0.5,
        maxMs: 0.5,
      },
    ]);
    const r = (report['responses'] as Record<string, number>[])[0]!;
    for (const [q, exact] of [
      ['p50Ms', 50],
      ['p90Ms', 90],
      ['p99Ms', 99],
    ] as const)
      expect(Math.abs(r[q]! - exact) / exact).toBeLessThanOrEqual(PERCENTILE_ERROR);
    expect(report['unanswered']).toEqual([
      { conn: C2S, command: 'publish', commandId: 'lost', missing: ['processed', 'persisted'] },
      { conn: C2S, command: 'subscribe', commandId: 's', missing: ['completed'] },
    ]);
    expect(report['topics']).toEqual({ orders: { published: 101, delivered: 0, bytes: 101 } });
    // From the first message to the last.
    expect(report['durationMs']).toBe(299.5);
  });

  it('a capture joined mid-way: the side that sends acks is the server; delivered publishes are told apart', async () => {
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const packets: [SegmentSpec, number][] = [
      // Two frames per segment: a stream joined mid-way trusts a boundary that leads to another.
      [c.send('client', frames('{"c":"publish","t":"a","cid":"1","a":"processed"}12345', '{"c":"heartbeat"}'))[0]!, 0],
      [c.send('server', frames('{"c":"ack","cid":"1","a":"processed"}', '{"c":"p","t":"a","sub_id":"9"}123'))[0]!, 250],
      [c.send('server', frames('{"c":"oof","t":"a","sub_id":"9"}', '{"c":"heartbeat"}'))[0]!, 260],
      [c.send('client', frames('{"c":"delta_publish","t":"b"}1', '{"c":"heartbeat"}'))[0]!, 270],
    ];
    const { report } = await statsJson(timed(packets));
    expect(report['topics']).toEqual({
      a: { published: 1, delivered: 2, bytes: 8 },
      b: { published: 1, delivered: 0, bytes: 1 },
    });
    expect(report['commands']).toEqual({ heartbeat: 3, publish: 2, ack: 1, delta_publish: 1, oof: 1 });
    expect(report['connections']).toBe(1);
    expect(report['responses']).toEqual([
      {
        command: 'publish',
        ackType: 'processed',
        count: 1,
        minMs: 0.25,
        p50Ms: 0.25,
        p90Ms: 0.25,
        p99Ms: 0.25,
        maxMs: 0.25,
      },
    ]);
  });

  it('filters pick the messages counted; the acks of a followed command still answer it', async () => {
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const packets: [SegmentSpec, number][] = [
      ...c.handshake().map((s): [SegmentSpec, number] => [s, 0]),
      [
        c.send(
          'client',
          frames(
            '{"c":"publish","t":"a","cid":"1","a":"processed"}x',
            '{"c":"publish","t":"b","cid":"2","a":"processed"}x',
          ),
        )[0]!,
        10,
      ],
      [
        c.send('server', frames('{"c":"ack","cid":"1","a":"processed"}', '{"c":"ack","cid":"2","a":"processed"}'))[0]!,
        30,
      ],
    ];
    const { report } = await statsJson(timed(packets), '--command', 'p', '--topic', 'a');
    expect(report['messages']).toBe(1);
    expect(report['commands']).toEqual({ publish: 1 });
    expect(report['responses']).toEqual([
      {
        command: 'publish',
        ackType: 'processed',
        count: 1,
        minMs: 0.02,
        p50Ms: 0.02,
        p90Ms: 0.02,
        p99Ms: 0.02,
        maxMs: 0.02,
      },
    ]);
    expect((await runCli(['stats', tempFile('s.pcap', timed(packets)), '--command', 'publsh'])).code).toBe(2);
  });

  it('a SOW query answered without groups ends at its completed ack; batches from the server count records', async () => {
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const batch = (n: number) =>
      `{"c":"sow","query_id":"q","bs":${n}}` + Array.from({ length: n }, (_, i) => `{"k":"${i}","l":2}{}`).join('');
    const packets: [SegmentSpec, number][] = [
      ...c.handshake().map((s): [SegmentSpec, number] => [s, 0]),
      [c.send('client', frames('{"c":"sow","t":"t","cid":"c1","query_id":"q","a":"completed"}'))[0]!, 1000],
      [c.send('server', frames(batch(2)))[0]!, 1500],
      [c.send('server', frames(batch(3)))[0]!, 1700],
      [c.send('server', frames('{"c":"ack","cid":"c1","a":"completed"}'))[0]!, 2000],
    ];
    const { report } = await statsJson(timed(packets));
    expect(report['queries']).toEqual([
      { conn: C2S, queryId: 'q', command: 'sow', topic: 't', records: 5, batches: 2, firstRecordMs: 0.5, ms: 1 },
    ]);
    expect(report['commands']).toEqual({ sow: 3, ack: 1 });
  });
});

describe('stats human output', () => {
  it('aligned tables', async () => {
    const r = await runCli(['stats', SAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'Response times, command to ack (ms; percentiles within 0.8 %)',
        '  COMMAND            ACK        COUNT    MIN    P50    P90    P99    MAX',
        '  logon              processed      3  0.120  0.120  0.120  0.120  0.120',
      ].join('\n'),
    );
    expect(r.stdout).toContain(
      '  [2001:db8::20]:50300->[2001:db8::10]:9005  2        sow                prices           2        1         0.120  not done\n',
    );
    expect(r.stdout.startsWith('23 messages on 3 connections over 4.800 ms of capture\n')).toBe(true);
  });

  it('names from the wire are shown escaped', async () => {
    const r = await runCli(['stats', tempFile('x.bin', frames('{"c":"publish","t":"a\\u001b[31mb","sub_id":"1"}'))]);
    expect(r.stdout).toContain('a\\x1b[31mb');
    expect(r.stdout).not.toContain('\x1b');
  });
});

describe('DurationHistogram', () => {
  it('buckets are contiguous, exact below 64 ns, then at most 1/64 wide', () => {
    let next = 0;
    // Up to 2^53 ns, where every whole number is still a double.
    for (let b = 0; b < 3072; b++) {
      const [low, width] = bucketRange(b);
      expect(low).toBe(next);
      expect(bucketOf(low)).toBe(b);
      expect(bucketOf(low + width - 1)).toBe(b);
      if (b >= 64) expect(width / low).toBeLessThanOrEqual(1 / 64);
      next = low + width;
    }
    expect(bucketOf(2 ** 53)).toBe(3072);
    expect(bucketOf(2 ** 54 - 2 ** 47)).toBe(3135);
    expect(bucketOf(2 ** 60)).toBe(3135);
  });

  it('percentiles within the stated bound of the exact ones; min and max exact', () => {
    const h = new DurationHistogram();
    const values: number[] = [];
    for (let i = 0; i < 10_000; i++) values.push(Math.floor(1000 + ((i * 7919) % 10_007) * 997.3));
    for (const v of values) h.add(v);
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(h.percentile(q) - exact) / exact).toBeLessThanOrEqual(PERCENTILE_ERROR);
    }
    expect(h.min).toBe(values[0]);
    expect(h.max).toBe(values[values.length - 1]);
    expect(h.count).toBe(10_000);
    expect(new DurationHistogram().percentile(0.5)).toBeNaN();
  });
});

describe('Timeline', () => {
  it('keeps its bins as the capture grows, merging neighbours', () => {
    const t = new Timeline();
    t.add('a', 0, 10);
    t.add('a', 1.5e6, 10);
    expect([...t.series.get('a')!.slice(0, 3)]).toEqual([1, 1, 0]);
    t.add('a', TIMELINE_BINS * 1e6, 10); // one bin width past the end: widths double once
    expect(t.widthNs).toBe(2e6);
    expect([...t.series.get('a')!.slice(0, 2)]).toEqual([2, 0]);
    expect(t.series.get('a')![TIMELINE_BINS / 2]).toBe(1);
    expect(t.used).toBe(TIMELINE_BINS / 2 + 1);
    t.add('b', 0, 1);
    expect(t.series.has('b')).toBe(false);
  });
});

describe('stats --html', () => {
  it('writes one self-contained page: a histogram per (command, ack type), a timeline, the tables; wire text escaped', async () => {
    const dir = tempFile('unused', '').replace(/unused$/, '');
    const page = join(dir, 'report.html');
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const packets: [SegmentSpec, number][] = [
      ...c.handshake().map((s): [SegmentSpec, number] => [s, 0]),
      [c.send('client', frames('{"c":"publish","t":"<b>&","cid":"1","a":"processed"}x'))[0]!, 10],
      [c.send('server', frames('{"c":"ack","cid":"1","a":"processed"}'))[0]!, 30],
    ];
    const r = await runCli(['stats', tempFile('s.pcap', timed(packets)), '--html', page]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Response times, command to ack');
    const html = readFileSync(page, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:|<script|<link|src=/);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<figcaption>publish → processed <span>1</span></figcaption>');
    expect(html).toContain('&lt;b&gt;&amp;');
    expect(html).not.toContain('<b>&');
    const bad = await runCli(['stats', SAMPLE, '--html', join(dir, 'no/such/dir/x.html')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no such file');
  });
});

describe('stats, sides unknown', () => {
  it('a sow carrying records is a batch, not a query, even before the sides are known', async () => {
    const c = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
    const batch = '{"c":"sow","query_id":"x","bs":1}{"k":"1","l":2}{}';
    const packets: [SegmentSpec, number][] = [[c.send('server', frames(batch, batch))[0]!, 0]];
    const { report } = await statsJson(timed(packets));
    expect(report['queries']).toEqual([]);
    expect(report['commands']).toEqual({ sow: 2 });
  });
});
