// What every decoder's tests share: reading everything a caller could read from a decoded
// message, asserting that only AMPSException subclasses escape, and catching errors.
import { AMPSException, FIELDS, type Message, type Protocol } from '../../src/index.js';

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

/** Decodes `payload` and reads it all; only AMPSException subclasses may escape. */
export function decodeAndRead(protocol: Protocol, payload: Uint8Array): void {
  onlyAmpsExceptions(() => readAll(protocol.decode(payload)));
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
