// Traffic written by real stacks (node:tls, ws, openssl s_client), recorded on loopback, decoded
// through TLS and WebSocket down to AMPS messages.
import { describe, expect, it } from 'vitest';
import { answer, CLIENT_FRAMES, recordTls, recordWebSocket, SERVER_MESSAGES } from '../../scripts/record-transport.mjs';
import { decodeWithKeys, fixture, fixtureKeys, pcapOfChunks } from '../helpers/transport-captures.js';

const C = '10.0.0.1:51000->10.0.0.2:9007';
const S = '10.0.0.2:9007->10.0.0.1:51000';
const small = CLIENT_FRAMES.map((f) => f.replace(/x{20000}/, 'x'.repeat(3000)));

/** The lines a TLS scenario decodes to: the client's frames and the server's acks, per direction. */
function tlsLines(frames: readonly string[]): string[] {
  return [...frames.map((f, i) => `${C} #${i} tls ${f}`), ...frames.map((f, i) => `${S} #${i} tls ${answer(f)}`)];
}

describe('TLS recorded from node:tls, every suite', () => {
  const suites: [string, 'TLSv1.2' | 'TLSv1.3', string, 'rsa' | 'ec'][] = [
    ['TLS_AES_128_GCM_SHA256', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', 'rsa'],
    ['TLS_AES_256_GCM_SHA384', 'TLSv1.3', 'TLS_AES_256_GCM_SHA384', 'rsa'],
    ['TLS_CHACHA20_POLY1305_SHA256', 'TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256', 'ec'],
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256', 'rsa'],
    ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384', 'rsa'],
    ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLSv1.2', 'ECDHE-RSA-CHACHA20-POLY1305', 'rsa'],
    ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLSv1.2', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ec'],
    ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLSv1.2', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ec'],
    ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLSv1.2', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'ec'],
  ];
  for (const [standard, version, cipher, cert] of suites) {
    it(`${standard}: every frame, one spanning several records, in chunks of any size`, async () => {
      const rec = await recordTls({ version, cipher, cert });
      expect(rec.suite).toBe(standard);
      const file = pcapOfChunks(rec.chunks, 9007);
      for (const chunk of [7, 1500, file.length]) {
        const r = decodeWithKeys(file, rec.keyLog, {}, chunk);
        expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
        expect(r.lines.sort()).toEqual(tlsLines(CLIENT_FRAMES).sort());
      }
      // Without the secrets: one notice for the connection, no messages.
      const none = decodeWithKeys(file, undefined);
      expect(none.lines).toEqual([]);
      expect(none.of('notice').map((n) => n.notice.kind)).toEqual(['no-keys']);
    });
  }
});

describe('committed TLS fixtures', () => {
  it('TLS 1.3 ChaCha20 with KeyUpdate in both directions (openssl s_client against node:tls)', () => {
    const r = decodeWithKeys(fixture('tls13-chacha-keyupdate.pcap'), fixtureKeys('tls13-chacha-keyupdate.keys'));
    expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
    const sent = [CLIENT_FRAMES[0]!, CLIENT_FRAMES[1]!, CLIENT_FRAMES[1]!];
    expect(r.lines.sort()).toEqual(tlsLines(sent).sort());
  });

  for (const name of ['tls12-ecdsa-aes256', 'tls13-aes128']) {
    it(`${name}: decoded with its key log`, () => {
      const r = decodeWithKeys(fixture(`${name}.pcap`), fixtureKeys(`${name}.keys`));
      expect(r.lines.sort()).toEqual(tlsLines(small).sort());
    });

    it(`${name}: a wrong secret stops the connection with one notice and no guessed plaintext`, () => {
      const keys = fixtureKeys(`${name}.keys`).replace(
        / ([0-9a-f])([0-9a-f]*)$/gm,
        (_, first: string, rest: string) => ` ${first === '0' ? '1' : '0'}${rest}`,
      );
      const r = decodeWithKeys(fixture(`${name}.pcap`), keys);
      expect(r.lines).toEqual([]);
      expect(r.of('notice').map((n) => n.notice.kind)).toEqual(['tls-error']);
      expect(r.of('notice')[0]!.notice.message).toContain('failed authentication');
    });

    it(`${name}: another connection's key log is no key at all`, () => {
      const other = name === 'tls13-aes128' ? 'tls12-ecdsa-aes256.keys' : 'tls13-aes128.keys';
      const r = decodeWithKeys(fixture(`${name}.pcap`), fixtureKeys(other));
      expect(r.lines).toEqual([]);
      const notices = r.of('notice');
      expect(notices.map((n) => n.notice.kind)).toEqual(['no-keys']);
      expect(notices[0]!.notice.message).toMatch(/the key log has no (CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET)/);
    });
  }
});

describe('cut short', () => {
  it('a capture ending inside a TLS record reports that record truncated', async () => {
    const rec = await recordTls({ version: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' });
    // The client's chunk that carries the 20 kB frame, cut in half, and nothing after it.
    const big = rec.chunks.reduce(
      (best, c, i) => (c.side === 'client' && c.bytes.length > rec.chunks[best]!.bytes.length ? i : best),
      0,
    );
    const chunks = [
      ...rec.chunks.slice(0, big),
      { ...rec.chunks[big]!, bytes: rec.chunks[big]!.bytes.subarray(0, 9000) },
    ];
    const r = decodeWithKeys(pcapOfChunks(chunks, 9007), rec.keyLog);
    expect(r.lines.filter((l) => l.startsWith(C))[0]).toBe(`${C} #0 tls ${CLIENT_FRAMES[0]}`);
    // The record cut: its declared length (node:tls fills records to 16 KiB) and the bytes present,
    // header included; it is the direction's last event.
    const cut = r.events.filter((e) => 'conn' in e && e.conn === C).at(-1)!;
    expect(cut.kind).toBe('truncated');
    if (cut.kind !== 'truncated') return;
    expect(cut.frameLength).toBe(16384 + 17);
    expect(cut.bytesPresent).toBeLessThanOrEqual(9000);
    expect(cut.bytesPresent).toBeGreaterThan(5);
  });
});

describe('WebSocket recorded from ws', () => {
  const W = '10.0.0.1:51000->10.0.0.2:9008';
  const WS = '10.0.0.2:9008->10.0.0.1:51000';
  const serverPayloads = SERVER_MESSAGES.map((g) => g.join(''));

  it('the JavaScript client framing, masked, fragmented with a ping inside, permessage-deflate', async () => {
    const rec = await recordWebSocket({ deflate: true, framing: 'client', fragment: true, bigBody: 40000 });
    expect(rec.extensions).toContain('permessage-deflate');
    const r = decodeWithKeys(pcapOfChunks(rec.chunks, 9008), undefined, {}, 999);
    expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
    expect(r.lines).toEqual([
      `${W} #0 ws {"c":"logon","cid":"1","client_name":"js","a":"processed"}`,
      `${W} #1 ws {"c":"publish","t":"orders","cid":"2"}{"note":"${'y'.repeat(40000)}"}`,
      ...serverPayloads.map((p, i) => `${WS} #${i} ws ${p}`),
    ]);
  });

  it('binary messages of 4-byte frames, a frame split across messages, over TLS', async () => {
    const rec = await recordWebSocket({ secure: true, framing: 'binary' });
    const r = decodeWithKeys(pcapOfChunks(rec.chunks, 9008), rec.keyLog);
    expect(r.events.filter((e) => e.kind !== 'frame')).toEqual([]);
    expect(r.lines).toEqual([
      `${W} #0 tls/ws {"c":"logon","cid":"1","client_name":"bin"}`,
      `${W} #1 tls/ws {"c":"publish","t":"orders"}{"note":"${'y'.repeat(3000)}"}`,
      `${W} #2 tls/ws {"c":"heartbeat"}`,
      ...serverPayloads.map((p, i) => `${WS} #${i} tls/ws ${p}`),
    ]);
  });

  it('committed: wss with deflate and the client framing, and ws binary-framed with deflate', () => {
    const wss = decodeWithKeys(
      fixture('wss-deflate-client-framing.pcap'),
      fixtureKeys('wss-deflate-client-framing.keys'),
    );
    expect(wss.lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      `${W} #0 tls/ws`,
      `${W} #1 tls/ws`,
      `${WS} #0 tls/ws`,
      `${WS} #1 tls/ws`,
      `${WS} #2 tls/ws`,
    ]);
    expect(wss.lines.slice(2).map((l) => l.split(' ').slice(3).join(' '))).toEqual(serverPayloads);
    const ws = decodeWithKeys(fixture('ws-deflate-binary.pcap'), undefined);
    expect(ws.lines.length).toBe(6);
    expect(ws.lines.every((l) => l.includes(' ws '))).toBe(true);
  });
});
