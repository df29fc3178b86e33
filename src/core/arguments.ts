/**
 * Checks of what callers pass in, so that misuse of the API (a `null` payload, a `DataView`, a
 * string where bytes belong) is a CommandException that says what was expected, never a
 * TypeError from deep inside a decoder or a misleading complaint about the bytes.
 */
import { CommandException } from './errors.js';
import { Message } from './message.js';

/** A short description of a value for error messages: `null`, `DataView`, `string`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Throws CommandException unless `payload` is a Uint8Array and `into`, when given, a Message:
 * what every protocol's `decode` takes.
 * @internal
 */
export function checkDecodeArguments(payload: unknown, into: unknown): void {
  if (!(payload instanceof Uint8Array))
    throw new CommandException(`decode takes a Uint8Array payload, got ${describe(payload)}`);
  if (into !== undefined && !(into instanceof Message))
    throw new CommandException(`decode can reuse a Message, got ${describe(into)}`);
}

/** Throws CommandException unless `message` is a Message (what every encoder takes). @internal */
export function checkMessage(message: unknown): void {
  if (!(message instanceof Message)) throw new CommandException(`encoding takes a Message, got ${describe(message)}`);
}

/** Throws CommandException unless `target` is a Uint8Array. @internal */
export function checkTarget(target: unknown): void {
  if (!(target instanceof Uint8Array))
    throw new CommandException(`encodeInto writes into a Uint8Array, got ${describe(target)}`);
}

/** `options` as an object: `undefined` and `null` are no options; anything else not an object throws. @internal */
export function optionsObject<T extends object>(options: T | null | undefined, what: string): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object')
    throw new CommandException(`${what} takes an options object, got ${describe(options)}`);
  return options;
}
