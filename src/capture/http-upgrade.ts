/**
 * The HTTP/1.1 upgrade that opens a WebSocket connection (RFC 6455 section 4.1), read from one
 * direction: the client's request or the server's answer.
 *
 * Grammar (only what is read):
 *   head       = start-line CRLF *( header-line CRLF ) CRLF
 *   start-line = "GET" SP path SP version            ; client → server
 *              / version SP status SP reason          ; server → client, "101" to switch
 *   header-line = name ":" OWS value OWS
 * The head is held until its blank line, at most {@link MAX_HEAD} bytes.
 */

/** The longest head read before the connection is judged not to be a WebSocket upgrade. */
export const MAX_HEAD = 64 * 1024;

/** What an upgrade head says. */
export interface UpgradeHead {
  /** The request path (client side), e.g. `/amps/json`. */
  path: string | undefined;
  /** The status code (server side); 101 switches to WebSocket. */
  status: number | undefined;
  /** Whether permessage-deflate was offered (request) or agreed (response). */
  deflate: boolean;
  /** Whether an `Upgrade: websocket` header is present. */
  upgrade: boolean;
  /** The message type named by a path ending in `/amps/<type>`, e.g. `json`. */
  messageType: string | undefined;
}

/** Reads one upgrade head from the start of a direction. */
export class UpgradeReader {
  private held = new Uint8Array(1024);
  private length = 0;
  /** How many bytes of CR LF CR LF have been matched. */
  private matched = 0;

  /**
   * Takes bytes; returns how many belong to the head once its blank line arrived (the rest are
   * WebSocket frames), -1 when more is needed, or -2 when the head passed {@link MAX_HEAD}.
   */
  push(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      this.matched = b === (this.matched & 1 ? 0x0a : 0x0d) ? this.matched + 1 : b === 0x0d ? 1 : 0;
      if (this.matched === 4) {
        this.append(bytes.subarray(0, i + 1));
        return i + 1;
      }
    }
    if (this.length + bytes.length > MAX_HEAD) return -2;
    this.append(bytes);
    return -1;
  }

  /** Bytes held so far. */
  get heldBytes(): number {
    return this.length;
  }

  /** The head, once {@link push} returned its length. */
  head(): UpgradeHead {
    let text = '';
    for (let i = 0; i < this.length; i++) text += String.fromCharCode(this.held[i]!);
    const lines = text.split('\r\n');
    const start = (lines[0] ?? '').split(' ');
    const result: UpgradeHead = {
      path: undefined,
      status: undefined,
      deflate: false,
      upgrade: false,
      messageType: undefined,
    };
    if (start[0] === 'GET') {
      result.path = start[1];
      const m = /\/amps\/([A-Za-z0-9_-]+)\/?(?:\?.*)?$/.exec(result.path ?? '');
      if (m !== null) result.messageType = m[1];
    } else if (/^HTTP\/\d/.test(start[0] ?? '')) {
      const status = Number(start[1]);
      result.status = Number.isInteger(status) ? status : undefined;
    }
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'upgrade' && /(^|,)\s*websocket\s*(,|$)/i.test(value)) result.upgrade = true;
      if (name === 'sec-websocket-extensions' && /(^|,)\s*permessage-deflate\s*(;|,|$)/i.test(value))
        result.deflate = true;
    }
    this.held = new Uint8Array(0);
    return result;
  }

  private append(bytes: Uint8Array): void {
    const need = this.length + bytes.length;
    if (need > this.held.length) {
      const grown = new Uint8Array(Math.max(need, this.held.length * 2));
      grown.set(this.held.subarray(0, this.length));
      this.held = grown;
    }
    this.held.set(bytes, this.length);
    this.length = need;
  }
}

/** Whether a direction's first bytes open an HTTP upgrade request or response (`GET ` / `HTTP`). */
export function opensHttp(b0: number, b1: number, b2: number, b3: number): boolean {
  return (
    (b0 === 0x47 && b1 === 0x45 && b2 === 0x54 && b3 === 0x20) ||
    (b0 === 0x48 && b1 === 0x54 && b2 === 0x54 && b3 === 0x50)
  );
}
