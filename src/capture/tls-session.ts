/**
 * TLS decryption with logged secrets (WIRE.md section 8): a connection's handshake state, shared
 * by its two directions, and each direction's record protection.
 *
 * A direction reads plaintext handshake records until it turns protected: in TLS 1.2 at its
 * ChangeCipherSpec, in TLS 1.3 at its first application_data record. TLS 1.3 protects with the
 * handshake traffic secret until that side's Finished, then with the `_0` application secret,
 * moving on at each KeyUpdate; the sequence number restarts at 0 with every new key.
 *   TLS 1.3: nonce = IV XOR seq; AAD = record header; plaintext = content type(1) zeros
 *   TLS 1.2 GCM: nonce = IV(4) explicit(8); ChaCha20: nonce = IV XOR seq;
 *                AAD = seq(8) type(1) version(2) plaintext length(2)
 * Missing secrets mean one notice for the connection and nothing decrypted; a record that fails
 * authentication stops the whole connection. Plaintext is never guessed.
 */
import type { FrameStream } from './frame-stream.js';
import { toHex, type ConnectionSecrets, type KeyLog } from './key-log.js';
import {
  CLIENT_HELLO,
  clientRandom,
  FINISHED,
  HandshakeScanner,
  KEY_UPDATE,
  SERVER_HELLO,
  serverHello,
} from './tls-handshake.js';
import {
  CIPHER_SUITES,
  nextTrafficSecret,
  tls12Keys,
  tls13Keys,
  type CipherSuite,
  type TrafficKeys,
} from './tls-keys.js';
import type { TlsRecordHandler } from './tls-records.js';
import type { AeadOpen, CaptureCrypto } from './transport-support.js';

const CHANGE_CIPHER_SPEC = 20;
const ALERT = 21;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;

/** Where a direction's plaintext application data goes. */
export interface PlaintextSink {
  data(bytes: Uint8Array, segmentStart: boolean): void;
}

/** The state both directions of one TLS connection share. */
export class TlsConnection {
  clientRandom: Uint8Array | undefined = undefined;
  serverRandom: Uint8Array | undefined = undefined;
  suiteCode = -1;
  suite: CipherSuite | undefined = undefined;
  tls13 = false;
  /** Set once the connection cannot be decrypted (no keys, a failed record): both directions stop. */
  stopped = false;
  /** Whether its secrets were found. */
  keyed = false;

  constructor(
    readonly keyLog: KeyLog | undefined,
    readonly crypto: CaptureCrypto | undefined,
  ) {}

  /** Stops both directions with one notice, on the direction that found the problem. */
  stop(stream: FrameStream, kind: 'no-keys' | 'tls-error', message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    stream.report(kind, 0, message);
  }
}

/** One direction of a TLS connection: records in, plaintext out. */
export class TlsDirection implements TlsRecordHandler {
  /** Whether this direction sent the ClientHello (known from its first handshake message). */
  private client: boolean | undefined = undefined;
  private protectedFrom = false;
  private open: AeadOpen | undefined = undefined;
  private iv: Uint8Array = new Uint8Array(12);
  private seq = 0;
  /** TLS 1.3: the current traffic secret, for KeyUpdate. */
  private secret: Uint8Array | undefined = undefined;
  private secrets: ConnectionSecrets | undefined = undefined;
  /** TLS 1.3: the key change that takes effect after the record being read. */
  private next: 'application' | 'update' | undefined = undefined;
  private ended = false;
  private readonly nonce = new Uint8Array(12);
  private readonly aad12 = new Uint8Array(13);
  private readonly plainHandshake = new HandshakeScanner((type, body) => this.hello(type, body));
  private readonly protectedHandshake = new HandshakeScanner((type) => this.handshakeDone(type));

  constructor(
    private readonly conn: TlsConnection,
    private readonly out: PlaintextSink,
    private readonly stream: FrameStream,
  ) {}

  record(type: number, header: Uint8Array, fragment: Uint8Array): void {
    if (this.conn.stopped || this.ended) return;
    if (!this.protectedFrom) {
      if (type === HANDSHAKE) {
        this.plainHandshake.push(fragment);
      } else if (type === CHANGE_CIPHER_SPEC && !this.conn.tls13) {
        this.protect();
      } else if (type === APPLICATION_DATA && this.conn.tls13) {
        if (this.protect()) this.decrypt(type, header, fragment);
      } else if (type === APPLICATION_DATA) {
        this.conn.stop(
          this.stream,
          'tls-error',
          'application data before the handshake protected the connection: not decoded',
        );
      } else if (type === ALERT) {
        this.ended = true;
      }
      return;
    }
    if (type === CHANGE_CIPHER_SPEC && this.conn.tls13) return; // compatibility mode, unprotected
    this.decrypt(type, header, fragment);
  }

  recordProblem(message: string): void {
    this.conn.stop(this.stream, 'tls-error', `${message}: the connection is not decoded further`);
  }

  private hello(type: number, body: Uint8Array | undefined): void {
    const conn = this.conn;
    if (type === CLIENT_HELLO) {
      this.client = true;
      conn.clientRandom ??= body === undefined ? undefined : clientRandom(body);
    } else if (type === SERVER_HELLO) {
      this.client = false;
      const hello = body === undefined ? undefined : serverHello(body);
      if (hello === undefined || hello.retry) return;
      conn.serverRandom = hello.random;
      conn.suiteCode = hello.suite;
      conn.suite = CIPHER_SUITES.get(hello.suite);
      conn.tls13 = hello.version === 0x0304;
    }
  }

  // Turns protection on for this direction; false (and the connection stopped) when it cannot be read.
  private protect(): boolean {
    const conn = this.conn;
    this.protectedFrom = true;
    this.seq = 0;
    const suite = conn.suite;
    if (conn.clientRandom === undefined || conn.serverRandom === undefined || this.client === undefined) {
      conn.stop(
        this.stream,
        'tls-error',
        'the TLS handshake was not seen whole (no ClientHello or ServerHello): not decoded',
      );
      return false;
    }
    if (suite === undefined) {
      conn.stop(
        this.stream,
        'tls-error',
        `cipher suite 0x${conn.suiteCode.toString(16).padStart(4, '0')} is not one amps-wire decrypts: not decoded`,
      );
      return false;
    }
    const secrets = conn.keyLog?.secrets(conn.clientRandom);
    const needed = suite.tls13
      ? [
          'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
          'SERVER_HANDSHAKE_TRAFFIC_SECRET',
          'CLIENT_TRAFFIC_SECRET_0',
          'SERVER_TRAFFIC_SECRET_0',
        ]
      : ['CLIENT_RANDOM'];
    const missing = needed.filter((label) => secrets?.get(label) === undefined);
    if (conn.crypto === undefined || missing.length > 0) {
      const why =
        conn.crypto === undefined
          ? 'no decryption was set up'
          : conn.keyLog === undefined
            ? 'no key log was given'
            : `the key log has no ${missing.join(', ')} for client random ${toHex(conn.clientRandom).slice(0, 16)}…`;
      conn.stop(this.stream, 'no-keys', `TLS connection (${suite.name}) not decrypted: ${why}`);
      return false;
    }
    this.secrets = secrets;
    conn.keyed = true;
    if (suite.tls13) {
      this.useSecret(
        secrets!.get(this.client ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET')!,
      );
    } else {
      const keys = tls12Keys(conn.crypto, suite, secrets!.get('CLIENT_RANDOM')!, conn.clientRandom, conn.serverRandom);
      this.useKeys(this.client ? keys.client : keys.server);
    }
    return true;
  }

  private useSecret(secret: Uint8Array): void {
    this.secret = secret;
    this.useKeys(tls13Keys(this.conn.crypto!, this.conn.suite!, secret));
  }

  private useKeys(keys: TrafficKeys): void {
    this.open = this.conn.crypto!.aead(this.conn.suite!.cipher, keys.key);
    this.iv = keys.iv;
    this.seq = 0;
  }

  private decrypt(type: number, header: Uint8Array, fragment: Uint8Array): void {
    const suite = this.conn.suite!;
    let plain: Uint8Array | undefined;
    let content = type;
    if (suite.tls13) {
      this.seqNonce();
      plain = this.open!(this.nonce, header, fragment);
      if (plain !== undefined) {
        // The real content type is the last non-zero byte; zeros after it are padding.
        let end = plain.length - 1;
        while (end >= 0 && plain[end] === 0) end--;
        content = end >= 0 ? plain[end]! : 0;
        plain = plain.subarray(0, Math.max(0, end));
      }
    } else {
      let sealed = fragment;
      if (suite.cipher === 'chacha20-poly1305') {
        this.seqNonce();
      } else {
        if (fragment.length < 8) {
          this.failed('shorter than its explicit nonce');
          return;
        }
        this.nonce.set(this.iv.subarray(0, 4), 0);
        this.nonce.set(fragment.subarray(0, 8), 4);
        sealed = fragment.subarray(8);
      }
      const length = sealed.length - 16;
      if (length < 0) {
        this.failed('shorter than its tag');
        return;
      }
      const aad = this.aad12;
      writeSeq(aad, 0, this.seq);
      aad[8] = type;
      aad[9] = header[1]!;
      aad[10] = header[2]!;
      aad[11] = length >> 8;
      aad[12] = length & 0xff;
      plain = this.open!(this.nonce, aad, sealed);
    }
    if (plain === undefined) {
      this.failed('failed authentication (wrong keys or damaged bytes)');
      return;
    }
    this.seq++;
    if (content === APPLICATION_DATA) {
      if (plain.length > 0) this.out.data(plain, false);
    } else if (content === HANDSHAKE) {
      this.protectedHandshake.push(plain);
      if (this.next !== undefined) this.nextKeys();
    } else if (content === ALERT) {
      this.ended = true;
    }
  }

  private handshakeDone(type: number): void {
    if (!this.conn.tls13) return;
    if (type === FINISHED && this.secret !== undefined && this.isHandshakeEpoch()) this.next = 'application';
    else if (type === KEY_UPDATE) this.next = 'update';
  }

  private isHandshakeEpoch(): boolean {
    const label = this.client ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET';
    return this.secret === this.secrets?.get(label);
  }

  private nextKeys(): void {
    const next = this.next;
    this.next = undefined;
    if (next === 'application')
      this.useSecret(this.secrets!.get(this.client ? 'CLIENT_TRAFFIC_SECRET_0' : 'SERVER_TRAFFIC_SECRET_0')!);
    else this.useSecret(nextTrafficSecret(this.conn.crypto!, this.conn.suite!, this.secret!));
  }

  private seqNonce(): void {
    const nonce = this.nonce;
    writeSeq(nonce, 4, this.seq);
    nonce[0] = 0;
    nonce[1] = 0;
    nonce[2] = 0;
    nonce[3] = 0;
    for (let i = 0; i < 12; i++) nonce[i]! ^= this.iv[i]!;
  }

  private failed(problem: string): void {
    this.conn.stop(
      this.stream,
      'tls-error',
      `TLS record ${this.seq} of this direction ${problem}: the connection is not decoded further`,
    );
  }
}

function writeSeq(out: Uint8Array, at: number, seq: number): void {
  const high = Math.floor(seq / 0x100000000);
  const low = seq >>> 0;
  out[at] = high >>> 24;
  out[at + 1] = (high >>> 16) & 0xff;
  out[at + 2] = (high >>> 8) & 0xff;
  out[at + 3] = high & 0xff;
  out[at + 4] = low >>> 24;
  out[at + 5] = (low >>> 16) & 0xff;
  out[at + 6] = (low >>> 8) & 0xff;
  out[at + 7] = low & 0xff;
}
