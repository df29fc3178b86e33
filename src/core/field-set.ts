/**
 * The header fields a decoder has read so far, as the bits of two int32: a field's first
 * occurrence is appended to the Message without searching for an earlier one. Field ids must stay
 * below 64; the table is checked when this module loads.
 */
import { FIELD_COUNT } from './fields.js';

if (FIELD_COUNT > 64) throw new Error(`FieldSet holds field ids below 64; the field table has ${FIELD_COUNT}`);

/** A set of header field ids (0-63). @internal */
export class FieldSet {
  private _low = 0;
  private _high = 0;

  /** Empties the set. */
  clear(): void {
    this._low = 0;
    this._high = 0;
  }

  /** Whether `id` is in the set. */
  has(id: number): boolean {
    return id < 32 ? (this._low & (1 << id)) !== 0 : (this._high & (1 << (id - 32))) !== 0;
  }

  /** Adds `id`. */
  add(id: number): void {
    if (id < 32) this._low |= 1 << id;
    else this._high |= 1 << (id - 32);
  }

  /** Removes `id`. */
  delete(id: number): void {
    if (id < 32) this._low &= ~(1 << id);
    else this._high &= ~(1 << (id - 32));
  }
}
