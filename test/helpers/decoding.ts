// What every decoder's tests share: reading everything a caller could read from a decoded
// message, asserting that only AMPSException subclasses escape, and catching errors.
import { AMPSException, FIELDS, type Message, type Protocol, StreamException } from '../../src/index.js';

/** Runs `run`; any error that is not an AMPSException fails the test. */
export function onlyAmpsExceptions(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
  }
}

/** Reads every field (as text, bytes and integers), the body and every record. */
export function readAll(msg: Message): void {
  for (const f of FIELDS) {
    msg.get(f.id);
    msg.getBytes(f.id);
    if (f.type === 'int') {
      onlyAmpsExceptions(() => msg.getBigInt(f.id));
      onlyAmpsExceptions(() => msg.getInt(f.id));
    }
  }
  msg.toObject();
  msg.getData();
  for (const r of msg.records()) readAll(r);
}

/** A control character (C0, DEL, C1): what no exception message may carry. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is looked for
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Decodes `payload` and reads it all; only AMPSException subclasses may escape, and a
 * StreamException must point into the payload (an integer offset from 0 to its length) with a
 * message free of control characters.
 */
export function decodeAndRead(protocol: Protocol, payload: Uint8Array): void {
  try {
    readAll(protocol.decode(payload));
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
    if (err instanceof StreamException) {
      if (!Number.isInteger(err.offset) || err.offset < 0 || err.offset > payload.length)
        throw new Error(
          `${protocol.name}: offset ${err.offset} outside the ${payload.length}-byte payload: ${err.message}`,
        );
    }
    if (CONTROL.test(err.message))
      throw new Error(`${protocol.name}: a control character in ${JSON.stringify(err.message)}`);
  }
}

/** `payload` cut to at most 8 bytes shorter, with a few bytes overwritten. */
export function mutate(payload: Uint8Array, edits: readonly (readonly [number, number])[], cut: number): Uint8Array {
  const bytes = payload.slice(0, Math.max(1, payload.length - (cut % 8)));
  for (const [at, b] of edits) bytes[at % bytes.length] = b;
  return bytes;
}

/** The error `run` throws; fails the test when it throws nothing. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an exception');
}
