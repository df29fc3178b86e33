// The command line over TLS and WebSocket captures: --keylog / SSLKEYLOGFILE, the transport
// field, and the summary's counts.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = fileURLToPath(new URL('../fixtures/transport/', import.meta.url));
const jsonLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('decode over TLS and WebSocket', () => {
  it('--keylog decrypts; every object says its transport; the summary counts per transport', async () => {
    const r = await runCli([
      'decode',
      `${dir}tls13-chacha-keyupdate.pcap`,
      '--keylog',
      `${dir}tls13-chacha-keyupdate.keys`,
      '-f',
      'jsonl',
      '--no-body',
    ]);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(
      lines.map((l) => [l['conn'], l['index'], l['transport'], (l['fields'] as Record<string, string>)['Command']]),
    ).toEqual([
      ['10.0.0.1:51000->10.0.0.2:9007', 0, 'tls', 'logon'],
      ['10.0.0.2:9007->10.0.0.1:51000', 0, 'tls', 'ack'],
      ['10.0.0.1:51000->10.0.0.2:9007', 1, 'tls', 'publish'],
      ['10.0.0.2:9007->10.0.0.1:51000', 1, 'tls', 'ack'],
      ['10.0.0.1:51000->10.0.0.2:9007', 2, 'tls', 'publish'],
      ['10.0.0.2:9007->10.0.0.1:51000', 2, 'tls', 'ack'],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 6)).toEqual([
      'conn',
      'index',
      'transport',
      'time',
      'protocol',
      'frameLength',
    ]);
    expect(r.stderr).toContain('  transport tls 6\n');
  });

  it('SSLKEYLOGFILE names the key log when --keylog is not given; frameLength over WebSocket is header + body', async () => {
    const r = await runCli(['decode', `${dir}wss-deflate-client-framing.pcap`, '-f', 'jsonl', '--no-body'], {
      env: { SSLKEYLOGFILE: `${dir}wss-deflate-client-framing.keys` },
    });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => [l['transport'], l['frameLength'], l['bodyLength']])).toEqual([
      ['tls/ws', 58, 0],
      ['tls/ws', 3049, 3011],
      ['tls/ws', 76, 0],
      ['tls/ws', 84, 18],
      ['tls/ws', 90, 56],
    ]);
  });

  it('a TLS connection without keys: nothing on stdout, one notice on stderr, counted in the summary', async () => {
    const r = await runCli(['decode', `${dir}tls13-aes128.pcap`, `${dir}ws-deflate-binary.pcap`, '-f', 'jsonl']);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((l) => l['transport'])).toEqual(['ws', 'ws', 'ws', 'ws', 'ws', 'ws']);
    expect(r.stderr.match(/no-keys/g)).toHaveLength(1);
    expect(r.stderr).toContain('not decrypted: no key log was given');
    expect(r.stderr).toContain('1 TLS connection without keys (not decrypted)');
    expect(r.stderr).toContain('  transport ws 6\n');
  });

  it('human output names the transport; notices about missing keys stay off stdout', async () => {
    const r = await runCli([
      'decode',
      `${dir}wss-deflate-client-framing.pcap`,
      '--keylog',
      `${dir}wss-deflate-client-framing.keys`,
      '--no-color',
    ]);
    expect(r.stdout).toMatch(/10\.0\.0\.1:51000->10\.0\.0\.2:9008 {2}#0 {2}tls\/ws {2}amps {2}logon {2}CommandId=1/);
    const keyless = await runCli(['decode', `${dir}tls12-ecdsa-aes256.pcap`, '--no-color']);
    expect(keyless.stdout).toBe('');
    expect(keyless.stderr).toContain('no-keys: TLS connection (ECDHE-ECDSA-AES256-GCM-SHA384) not decrypted');
  });

  it('a --keylog file that cannot be read is bad usage (exit 2); a missing SSLKEYLOGFILE file is not', async () => {
    const bad = await runCli(['decode', `${dir}tls13-aes128.pcap`, '--keylog', `${dir}no-such.keys`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--keylog');
    const env = await runCli(['decode', `${dir}ws-deflate-binary.pcap`, '-q'], {
      env: { SSLKEYLOGFILE: `${dir}no-such.keys` },
    });
    expect(env.code).toBe(0);
  });
});
