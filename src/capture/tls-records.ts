/**
 * TLS records from one direction's byte stream (RFC 8446 section 5.1, RFC 5246 section 6.2).
 *
 * Grammar:
 *   stream = *record
 *   record = type(1) version(2) length(2) fragment(length)
 *   type   = 20 change_cipher_spec / 21 alert / 22 handshake / 23 application_data / 24 heartbeat
 * A record may span TCP segments and a segment hold many records. Memory: one partial record,
 * whose length is checked before it is held (at most 2^14 + 2048 bytes, the TLS 1.2 ceiling).
 */
import { u16be } from './endian.js';

/** The largest record fragment any TLS version allows (TLSCiphertext of TLS 1.2). */
export const MAX_RECORD = 16384 + 2048;

/** Receives the records of a {@link TlsRecords}. */
export interface TlsRecordHandler {
  /** One record: its header bytes (for AAD) and its fragment; the bytes stay valid after the call. */
  record(type: number, header: Uint8Array, fragment: Uint8Array): void;
  /** The stream is not TLS records (any more): nothing more is read. */
  recordProblem(message: string): void;
}

/** Cuts one direction into TLS records. */
export class TlsRecords {
  private readonly header = new Uint8Array(5);
  private headerHave = 0;
  private fragment: Uint8Array | undefined = undefined;
  private fragmentHave = 0;
  private stopped = false;

  constructor(private readonly handler: TlsRecordHandler) {}

  push(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    while (i < n && !this.stopped) {
      if (this.fragment === undefined) {
        // Fast path: a whole record inside the chunk is handed on as views.
        if (this.headerHave === 0 && n - i >= 5) {
          const length = u16be(bytes, i + 3);
          if (i + 5 + length <= n) {
            if (!this.check(bytes[i]!, bytes[i + 1]!, length)) return;
            this.handler.record(bytes[i]!, bytes.subarray(i, i + 5), bytes.subarray(i + 5, i + 5 + length));
            i += 5 + length;
            continue;
          }
        }
        while (i < n && this.headerHave < 5) this.header[this.headerHave++] = bytes[i++]!;
        if (this.headerHave < 5) return;
        const length = u16be(this.header, 3);
        if (!this.check(this.header[0]!, this.header[1]!, length)) return;
        this.fragment = new Uint8Array(length);
        this.fragmentHave = 0;
      }
      const fragment = this.fragment;
      const take = Math.min(fragment.length - this.fragmentHave, n - i);
      fragment.set(bytes.subarray(i, i + take), this.fragmentHave);
      this.fragmentHave += take;
      i += take;
      if (this.fragmentHave === fragment.length) {
        this.fragment = undefined;
        this.headerHave = 0;
        this.handler.record(this.header[0]!, this.header.slice(), fragment);
      }
    }
  }

  /**
   * Ends the stream. Returns the record it ended inside, if any: its declared fragment length
   * (undefined when its header is cut) and the bytes present including header bytes.
   */
  end(): { length: number | undefined; present: number } | undefined {
    if (this.stopped) return undefined;
    this.stopped = true;
    if (this.fragment !== undefined) {
      const cut = { length: this.fragment.length, present: 5 + this.fragmentHave };
      this.fragment = undefined;
      return cut;
    }
    return this.headerHave > 0 ? { length: undefined, present: this.headerHave } : undefined;
  }

  /** Stops reading: what follows is ignored. */
  stop(): void {
    this.stopped = true;
    this.fragment = undefined;
  }

  private check(type: number, major: number, length: number): boolean {
    if (type < 20 || type > 24 || major !== 3) {
      this.stop();
      this.handler.recordProblem(`bytes ${hex(type)} ${hex(major)} are not a TLS record header`);
      return false;
    }
    if (length > MAX_RECORD) {
      this.stop();
      this.handler.recordProblem(`record of ${length} bytes, more than TLS allows (${MAX_RECORD})`);
      return false;
    }
    return true;
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
