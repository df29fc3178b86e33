/**
 * NSS key log files (the `SSLKEYLOGFILE` format, WIRE.md section 8).
 *
 * Grammar, one secret per line:
 *   line   = label SP client-random SP secret   (hex, any case; `#` starts a comment line)
 *   label  = "CLIENT_RANDOM" (TLS 1.2 master secret) / "CLIENT_HANDSHAKE_TRAFFIC_SECRET" /
 *            "SERVER_HANDSHAKE_TRAFFIC_SECRET" / "CLIENT_TRAFFIC_SECRET_0" /
 *            "SERVER_TRAFFIC_SECRET_0" / others (kept, unused)
 * The 32-byte client random of a ClientHello selects a connection's lines. Lines that do not
 * parse are skipped: a key log is often appended to by several programs at once.
 */

/** The secrets of one connection, by label. */
export type ConnectionSecrets = ReadonlyMap<string, Uint8Array>;

/** Secrets by client random, from one or more key log texts. */
export class KeyLog {
  private readonly byRandom = new Map<string, Map<string, Uint8Array>>();

  /** The secrets in `text` (the whole content of a key log file). */
  static parse(text: string): KeyLog {
    const log = new KeyLog();
    log.add(text);
    return log;
  }

  /** Adds the lines of `text`; a later line for the same label and client random wins. */
  add(text: string): void {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const parts = line.split(/\s+/);
      if (parts.length !== 3) continue;
      const [label, random, secret] = parts as [string, string, string];
      if (random.length !== 64 || !isHex(random) || secret.length === 0 || secret.length % 2 !== 0 || !isHex(secret))
        continue;
      const key = random.toLowerCase();
      let secrets = this.byRandom.get(key);
      if (secrets === undefined) this.byRandom.set(key, (secrets = new Map()));
      secrets.set(label, fromHex(secret));
    }
  }

  /** Connections (client randoms) with at least one secret. */
  get size(): number {
    return this.byRandom.size;
  }

  /** The secrets logged for the connection whose ClientHello carried `clientRandom`. */
  secrets(clientRandom: Uint8Array): ConnectionSecrets | undefined {
    return this.byRandom.get(toHex(clientRandom));
  }
}

function isHex(text: string): boolean {
  return /^[0-9a-fA-F]+$/.test(text);
}

function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return out;
}
