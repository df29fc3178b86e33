/** What the FIX and NVFIX shredders share: single-value lookups, a visitor and a cursor. */
import { type BodyInput, bodyBytes } from '../core/body.js';
import { CommandException } from '../core/errors.js';
import type { PairScanner } from './cursor.js';

/**
 * Called once per field by a FIX shredder's `forEach` with the tag and the value's byte positions
 * in `bytes`; return `false` to stop early.
 */
export type TagVisitor = (tag: number, valueStart: number, valueEnd: number, bytes: Uint8Array) => void | boolean;

/**
 * Called once per field by an NVFIX shredder's `forEach` with the byte positions of the name and
 * the value in `bytes`; return `false` to stop early.
 */
export type NameVisitor = (
  keyStart: number,
  keyEnd: number,
  valueStart: number,
  valueEnd: number,
  bytes: Uint8Array,
) => void | boolean;

/**
 * What the FIX and NVFIX shredders share: lookups that make no string but the answer, a
 * visitor, and a reusable cursor. Each body is checked whole, whichever path reads it.
 */
export class PairReader<C extends PairScanner> {
  /** @internal For get/getBytes: never handed to user code, so never in use twice. */
  readonly _scan: C;
  private readonly _visit: C;
  private readonly _cursor: C;
  private readonly _newCursor: () => C;
  private _visiting = false;

  /** @internal */
  constructor(newCursor: () => C) {
    this._newCursor = newCursor;
    this._scan = newCursor();
    this._visit = newCursor();
    this._cursor = newCursor();
  }

  /**
   * The shredder's own cursor, restarted on `body` (bytes, text or a `Message`). It is the same
   * object on every call, so a loop over one body must finish before the next `cursor()` call;
   * construct a cursor of your own for cursors that live side by side.
   */
  cursor(body: BodyInput): C {
    return this._cursor.reset(bodyBytes(body));
  }

  /** @internal The text of the last field whose key is `key` (a tag, or a name's UTF-8 bytes). */
  _lastText(body: BodyInput, key: number | Uint8Array): string | undefined {
    const c = this._seek(body, key);
    const value = c.keyStart >= 0 ? c.value() : undefined;
    c.reset();
    return value;
  }

  /** @internal Like `_lastText`, as a view of the body's bytes. */
  _lastBytes(body: BodyInput, key: number | Uint8Array): Uint8Array | undefined {
    const c = this._seek(body, key);
    const value = c.keyStart >= 0 ? c.valueBytes() : undefined;
    c.reset();
    return value;
  }

  /** The scan cursor on the last field whose key is `key`, or with keyStart -1. */
  private _seek(body: BodyInput, key: number | Uint8Array): C {
    if (typeof key !== 'number' && !(key instanceof Uint8Array)) {
      throw new CommandException(`a FIX tag must be a number, got ${typeof key}`, 'AMPS_INVALID_ARGUMENT');
    }
    const c = this._scan.reset(bodyBytes(body));
    if (!c.findLast(key)) c.keyStart = -1;
    return c;
  }

  /** @internal Calls `visitor` per field (its shape chosen by the key grammar) until it returns false. */
  _each(body: BodyInput, visitor: TagVisitor | NameVisitor): void {
    if (typeof visitor !== 'function')
      throw new CommandException('forEach needs a visitor function', 'AMPS_INVALID_ARGUMENT');
    // One cursor serves every call; a visitor that calls forEach again gets a fresh one.
    const nested = this._visiting;
    const c = nested ? this._newCursor() : this._visit;
    c.reset(bodyBytes(body));
    this._visiting = true;
    try {
      if (c._numeric) {
        const visit = visitor as TagVisitor;
        while (c.next()) if (visit(c.tag, c.valueStart, c.valueEnd, c.bytes) === false) break;
      } else {
        const visit = visitor as NameVisitor;
        while (c.next()) if (visit(c.keyStart, c.keyEnd, c.valueStart, c.valueEnd, c.bytes) === false) break;
      }
    } finally {
      this._visiting = nested;
      c.reset();
    }
  }
}
