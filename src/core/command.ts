/** Command: the outgoing builder, a Message whose Command field is set. */
import { formatAckTypes, parseAckTypes } from './ack-type.js';
import { CommandException } from './errors.js';
import { Field } from './fields.js';
import { Message, type FieldValue } from './message.js';

/**
 * A command to send: `new Command('publish').setTopic('orders').setData('{"a":1}')`.
 * Setters chain and return the command.
 */
export class Command extends Message {
  private _timeout = 0;

  /** @param command the command name (`publish`, `subscribe`, `sow`, ...). */
  constructor(command: string) {
    super();
    this.set(Field.Command, command);
  }

  /** Clears every field and the body and starts again as `command`. */
  reset(command: string): this {
    this.clear();
    this._timeout = 0;
    return this.set(Field.Command, command);
  }

  /** Adds one ack type (or a comma-separated list) to those already set. */
  addAckType(type: string | number): this {
    const current = this.get(Field.AckType);
    const flags = (current === undefined ? 0 : parseAckTypes(current)) | toFlags(type);
    return this.set(Field.AckType, formatAckTypes(flags));
  }

  /** Replaces the ack types with `type` (a name, a comma-separated list, or flags). */
  override setAckType(type: FieldValue): this {
    if (type === undefined) return this.set(Field.AckType, undefined);
    return this.set(Field.AckType, formatAckTypes(toFlags(typeof type === 'number' ? type : String(type))));
  }

  /** The ack types as {@link AckType} flags (0 when none is set). */
  getAckTypeEnum(): number {
    const current = this.get(Field.AckType);
    return current === undefined ? 0 : parseAckTypes(current);
  }

  /** Replaces the ack types with {@link AckType} flags. */
  setAckTypeEnum(flags: number): this {
    return this.setAckType(flags);
  }

  /**
   * How long a client waits for the processed ack, in milliseconds (0 waits forever). Kept for
   * clients built on amps-wire; it is never encoded.
   */
  setTimeout(ms: number): this {
    if (!Number.isFinite(ms) || ms < 0) throw new CommandException(`timeout must be a non-negative number, got ${ms}`);
    this._timeout = ms;
    return this;
  }

  /** The client-side timeout set by {@link Command.setTimeout}. */
  getTimeout(): number {
    return this._timeout;
  }
}

function toFlags(type: string | number): number {
  if (typeof type === 'number') {
    if (!Number.isInteger(type) || type < 0 || type > 63) throw new CommandException(`invalid ack type flags ${type}`);
    return type;
  }
  return parseAckTypes(type);
}
