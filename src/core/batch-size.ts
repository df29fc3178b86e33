/** What every SOW batch decoder asks: is this message a batch, and did its records all arrive. */
import { asciiEquals, parseUintBytes } from './bytes.js';
import { StreamException } from './errors.js';
import { Field } from './fields.js';
import { STRIDE, type Message } from './message.js';

/**
 * Throws unless the batch's BatchSize, when present as digits, equals the records found: fewer
 * records is a truncated batch (`AMPS_TRUNCATED`), more is a malformed one
 * (`AMPS_BAD_SOW_BATCH`). A BatchSize that is not a number is reported when it is read.
 * `spelling` is how the protocol names the field in messages (`BatchSize (20023)`).
 * @internal
 */
export function checkBatchSize(msg: Message, found: number, offset: number, protocol: string, spelling: string): void {
  const e = msg._find(Field.BatchSize);
  if (e < 0 || !msg._isPlain(e)) return;
  const p = e * STRIDE;
  const declared = parseUintBytes(msg._buf, msg._ent[p + 1]!, msg._ent[p + 2]!);
  if (declared < 0 || declared === found) return;
  if (declared > found) {
    throw new StreamException(`unexpected end of payload, expected ${declared} records (${spelling}), found ${found}`, 'AMPS_TRUNCATED', offset, protocol);
  }
  throw new StreamException(`expected ${declared} records (${spelling}), found ${found}`, 'AMPS_BAD_SOW_BATCH', offset, protocol);
}

/** Whether entry `e` of `msg` reads `text` (compared on the raw bytes unless they need unescaping). @internal */
export function entryIs(msg: Message, e: number, text: string): boolean {
  const p = e * STRIDE;
  return msg._isPlain(e) ? asciiEquals(msg._buf, msg._ent[p + 1]!, msg._ent[p + 2]!, text) : msg._text(e) === text;
}

/** Whether `msg` is a SOW batch (its Command is `sow`), whose body holds records. @internal */
export function isSowBatch(msg: Message): boolean {
  const e = msg._find(Field.Command);
  return e >= 0 && entryIs(msg, e, 'sow');
}
