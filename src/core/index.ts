export { AMPSException, CommandException, MessageTypeException, StreamException, type ErrorCode } from './errors.js';
export {
  FIELDS,
  FIELD_COUNT,
  Field,
  fieldId,
  type FieldDescriptor,
  type FieldId,
  type FieldName,
  type FieldType,
} from './fields.js';
export { Message, type FieldKey, type FieldValue } from './message.js';
export type { MessageAccessors } from './accessors.js';
export { Command } from './command.js';
export { AckType, formatAckTypes, parseAckTypes } from './ack-type.js';
export { Options } from './options.js';
export { Bookmarks, VersionInfo, convertVersionToNumber } from './version.js';
export type { Protocol } from './protocol.js';
