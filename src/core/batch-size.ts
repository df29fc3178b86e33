/** What every SOW batch decoder asks: is this message a batch, and did its records all arrive. */
import { asciiEquals, isUintText, parseUintBytes } from './bytes.js';
import { StreamException } from './errors.js';
import { Field } from './fields.js';
import type { Message } from './message.js';

/**
 * The value of decoded entry `e` as an unsigned integer, escaped or not (`"\u0031"` is 1):
 * -1 when it is not one, -2 when it exceeds 2^53-1, as {@link parseUintBytes} answers.
 * @internal
 */
export function entryUint(msg: Message, e: number): number {
  if (msg._isPlain(e)) return parseUintBytes(msg._payload(), msg._valueStart(e), msg._valueEnd(e));
  const text = msg._text(e);
  if (!isUintText(text)) return -1;
  const n = Number(text);
  return n > Number.MAX_SAFE_INTEGER ? -2 : n;
}

/**
 * Throws unless the batch's BatchSize, when present, equals the records found: fewer records is
 * a truncated batch (`AMPS_TRUNCATED`); more, or a BatchSize that is not an unsigned integer of
 * at most 2^53-1, is a malformed one (`AMPS_BAD_SOW_BATCH`).
 * `spelling` is how the protocol names the field in messages (`BatchSize (20023)`).
 * @internal
 */
export function checkBatchSize(msg: Message, found: number, offset: number, protocol: string, spelling: string): void {
  const e = msg._find(Field.BatchSize);
  if (e < 0) return;
  const declared = entryUint(msg, e);
  if (declared === found) return;
  if (declared < 0) {
    throw new StreamException(
      `expected an unsigned integer of at most 2^53-1 as ${spelling}`,
      'AMPS_BAD_SOW_BATCH',
      msg._valueStart(e),
      protocol,
    );
  }
  if (declared > found) {
    throw new StreamException(
      `unexpected end of payload, expected ${declared} records (${spelling}), found ${found}`,
      'AMPS_TRUNCATED',
      offset,
      protocol,
    );
  }
  throw new StreamException(
    `expected ${declared} records (${spelling}), found ${found}`,
    'AMPS_BAD_SOW_BATCH',
    offset,
    protocol,
  );
}

/** Whether entry `e` of `msg` reads `text` (compared on the raw bytes unless they need unescaping). @internal */
export function entryIs(msg: Message, e: number, text: string): boolean {
  return msg._isPlain(e)
    ? asciiEquals(msg._payload(), msg._valueStart(e), msg._valueEnd(e), text)
    : msg._text(e) === text;
}

/** Whether `msg` is a SOW batch (its Command is `sow`), whose body holds records. @internal */
export function isSowBatch(msg: Message): boolean {
  const e = msg._find(Field.Command);
  return e >= 0 && entryIs(msg, e, 'sow');
}
