import { describe, expect, it } from 'vitest';
import { AMPS, FIX, frames, Random, XML, type Dialect } from '../../src/cli/synthetic/traffic.js';
import { concat, frameOf, pcapOf, TcpConversation } from '../helpers/pcap-writer.js';
import { jsonLines, runCli, tempFile } from './run-cli.js';

const C2S = '10.0.0.1:51000->10.0.0.2:9007';

function capture(clientBytes: Uint8Array, serverBytes: Uint8Array = new Uint8Array(0), sizes = [100]): Uint8Array {
  const conv = new TcpConversation({ client: '10.0.0.1', clientPort: 51000, server: '10.0.0.2', serverPort: 9007 });
  return pcapOf([
    ...conv.handshake(),
    ...conv.send('client', clientBytes, { sizes }),
    ...conv.send('server', serverBytes, { sizes }),
    conv.fin('client'),
    conv.fin('server'),
  ]);
}

async function decodeJsonl(file: Uint8Array, ...extra: string[]) {
  const result = await runCli(['decode', tempFile('c.pcap', file), '--format', 'jsonl', ...extra]);
  return { ...result, lines: jsonLines(result.stdout) };
}

describe('decode --format jsonl', () => {
  it('writes exactly the contract: one object per frame, keys in order, values as decoded strings', async () => {
    const payload = '{"c":"p","t":"orders","s":18446744073709551615,"cid":"7","a":"","x":null}{"id":1}';
    const { stdout, code } = await decodeJsonl(capture(frameOf(payload)));
    expect(code).toBe(0);
    expect(stdout).toBe(
      `{"conn":"${C2S}","index":0,"transport":"tcp","time":"2023-11-14T22:13:20.003000Z","protocol":"amps","frameLength":${payload.length},` +
        `"fields":{"Command":"publish","Topic":"orders","Sequence":"18446744073709551615","CommandId":"7","AckType":""},` +
        `"bodyLength":8,"body":"{\\"id\\":1}"}\n`,
    );
  });

  const dialects: [Dialect, string][] = [
    [AMPS, 'amps'],
    [FIX, 'fix'],
    [XML, 'xml'],
  ];
  for (const [d, name] of dialects) {
    it(`${name}: every field and body compared with what was written, SOW records included`, async () => {
      const publish: [string, string][] = [
        ['Command', 'publish'],
        ['Topic', 'orders/east'],
        ['CommandId', 'c-1'],
        ['SubscriptionId', 's9'],
        ['Sequence', '42'],
      ];
      const records: [string, string][] = [
        ['k1', d.body(1, 30, new Random(1))],
        ['k2', d.body(2, 90, new Random(2))],
      ];
      const client = frames(
        d.message(publish, 'hello'),
        d.header([['Command', 'heartbeat']]) +
          (name === 'xml' ? '<SOAP-ENV:Body></SOAP-ENV:Body></SOAP-ENV:Envelope>' : ''),
      );
      const server = frames(
        d.sow(
          [
            ['Command', 'sow'],
            ['QueryID', 'q1'],
            ['BatchSize', '2'],
          ],
          records,
        ),
      );
      const { lines, code } = await decodeJsonl(capture(client, server, [7, 33]));
      expect(code).toBe(0);
      expect(lines).toHaveLength(3);
      const [pub, hb, sow] = lines as [Record<string, any>, Record<string, any>, Record<string, any>];
      expect(pub).toMatchObject({
        conn: C2S,
        index: 0,
        transport: 'tcp',
        protocol: name,
        bodyLength: 5,
        body: 'hello',
      });
      const expectedFields = Object.fromEntries(publish);
      if (name === 'fix') expectedFields['MessageLength'] = '5';
      expect(pub['fields']).toEqual(expectedFields);
      expect(hb).toMatchObject({ index: 1, fields: { Command: 'heartbeat' }, bodyLength: 0 });
      expect(sow).toMatchObject({
        conn: '10.0.0.2:9007->10.0.0.1:51000',
        index: 0,
        fields: { Command: 'sow', QueryID: 'q1', BatchSize: '2' },
      });
      expect(sow['records']).toEqual(
        records.map(([key, body]) => ({
          fields:
            name === 'fix'
              ? { MessageLength: String(body.length), SowKey: key }
              : { SowKey: key, MessageLength: String(body.length) },
          bodyLength: body.length,
          body,
        })),
      );
    });
  }

  it('a body that is not UTF-8 is written as bodyBase64', async () => {
    const payload = concat(new TextEncoder().encode('{"c":"p","t":"b"}'), new Uint8Array([0xff, 0x00, 0xc3]));
    const { lines } = await decodeJsonl(capture(frameOf(payload)));
    expect(lines[0]).toMatchObject({ bodyLength: 3, bodyBase64: '/wDD' });
    expect(lines[0]).not.toHaveProperty('body');
  });

  it('--no-body leaves bodies out and keeps their lengths, records included', async () => {
    const payload = AMPS.sow(
      [
        ['Command', 'sow'],
        ['QueryID', 'q'],
      ],
      [['1', '{"a":1}']],
    );
    const { lines } = await decodeJsonl(capture(frameOf(payload)), '--no-body');
    expect(lines[0]).toEqual({
      conn: C2S,
      index: 0,
      transport: 'tcp',
      time: '2023-11-14T22:13:20.003000Z',
      protocol: 'amps',
      frameLength: payload.length,
      fields: { Command: 'sow', QueryID: 'q' },
      bodyLength: 22,
      records: [{ fields: { SowKey: '1', MessageLength: '7' }, bodyLength: 7 }],
    });
  });

  it('a frame cut off by the end of its connection, and one cut inside its prefix', async () => {
    const whole = frameOf('{"c":"ack"}');
    const { lines, code } = await decodeJsonl(
      capture(concat(whole, frameOf('{"c":"publish"}xyz').subarray(0, 9)), frameOf('{"c":"ack"}').subarray(0, 3)),
    );
    expect(code).toBe(1); // truncated frames are problems found
    expect(lines).toEqual([
      {
        conn: C2S,
        index: 0,
        transport: 'tcp',
        time: '2023-11-14T22:13:20.003000Z',
        protocol: 'amps',
        frameLength: 11,
        fields: { Command: 'ack' },
        bodyLength: 0,
        body: '',
      },
      {
        conn: C2S,
        index: 1,
        transport: 'tcp',
        time: '2023-11-14T22:13:20.005000Z',
        truncated: true,
        frameLength: 18,
        bytesPresent: 9,
      },
      {
        conn: '10.0.0.2:9007->10.0.0.1:51000',
        index: 0,
        transport: 'tcp',
        time: '2023-11-14T22:13:20.006000Z',
        truncated: true,
        frameLength: null,
        bytesPresent: 3,
      },
    ]);
  });

  it('a frame that fails to decode is reported and decoding goes on (exit 1)', async () => {
    const bad = '{"c":"publish","t":"x"';
    const { lines, code, stderr } = await decodeJsonl(capture(concat(frameOf(bad), frameOf('{"c":"ack"}'))));
    expect(code).toBe(1);
    expect(lines[0]).toEqual({
      conn: C2S,
      index: 0,
      transport: 'tcp',
      time: '2023-11-14T22:13:20.003000Z',
      protocol: 'amps',
      frameLength: bad.length,
      error: { code: 'AMPS_TRUNCATED', message: expect.stringContaining('amps: '), offset: bad.length },
    });
    expect(lines[1]).toMatchObject({ index: 1, fields: { Command: 'ack' } });
    expect(stderr).toContain('1 decode error');
  });

  it('a frame whose protocol cannot be told: protocol null and AMPS_UNKNOWN_PROTOCOL', async () => {
    const { lines, code } = await decodeJsonl(capture(concat(frameOf('12345'), frameOf('{"c":"ack"}'))));
    expect(code).toBe(1);
    expect(lines[0]).toEqual({
      conn: C2S,
      index: 0,
      transport: 'tcp',
      time: '2023-11-14T22:13:20.003000Z',
      protocol: null,
      frameLength: 5,
      error: {
        code: 'AMPS_UNKNOWN_PROTOCOL',
        message: 'cannot tell the protocol from the first bytes 31 32 33 34 35; name it with --protocol or --port',
        offset: null,
      },
    });
    expect(lines[1]).toMatchObject({ index: 1, protocol: 'amps' });
  });

  it('an impossible frame length is a frame error; stdout carries only frame objects, notices go to stderr', async () => {
    const { lines, code, stderr } = await decodeJsonl(
      capture(concat(frameOf('{"c":"ack"}'), new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2]))),
    );
    expect(code).toBe(1);
    expect(lines[1]).toEqual({
      conn: C2S,
      index: 1,
      transport: 'tcp',
      time: '2023-11-14T22:13:20.003000Z',
      protocol: 'amps',
      frameLength: 0xffffffff,
      error: {
        code: 'AMPS_FRAME_TOO_LARGE',
        message: `frame: frame declares 4294967295 payload bytes, more than the limit of 67108864 at byte 15`,
        offset: 15,
      },
    });
    expect(stderr).toContain(`${C2S}: unsynced:`);
  });
});
