import { describe, expect, it } from 'vitest';
import { KeyLog } from '../../src/capture/key-log.js';

const random = 'AB'.repeat(32);

describe('KeyLog', () => {
  it('reads NSS lines by client random, any hex case, skipping comments and lines that do not parse', () => {
    const log = KeyLog.parse(
      [
        '# SSL/TLS secrets log file',
        `CLIENT_RANDOM ${random} ${'01'.repeat(48)}`,
        `CLIENT_TRAFFIC_SECRET_0 ${random.toLowerCase()} 0a0B`,
        `SERVER_TRAFFIC_SECRET_0 ${random} 0g`, // not hex
        `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random.slice(2)} 00`, // short random
        'garbage',
        '',
      ].join('\r\n'),
    );
    expect(log.size).toBe(1);
    const secrets = log.secrets(new Uint8Array(32).fill(0xab))!;
    expect([...secrets.keys()]).toEqual(['CLIENT_RANDOM', 'CLIENT_TRAFFIC_SECRET_0']);
    expect([...secrets.get('CLIENT_TRAFFIC_SECRET_0')!]).toEqual([0x0a, 0x0b]);
    expect(secrets.get('CLIENT_RANDOM')!.length).toBe(48);
    expect(log.secrets(new Uint8Array(32))).toBeUndefined();
  });

  it('a later line for the same label and connection wins', () => {
    const log = KeyLog.parse(`CLIENT_RANDOM ${random} 01\n`);
    log.add(`CLIENT_RANDOM ${random} 02\n`);
    expect([...log.secrets(new Uint8Array(32).fill(0xab))!.get('CLIENT_RANDOM')!]).toEqual([2]);
  });
});
