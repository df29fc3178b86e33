/**
 * The header field table (docs/wire-format.md section 6): every field described once, with its spelling in
 * each protocol. Every codec builds its lookups from this table; adding a field is one line.
 */

/** How a field's value is typed on the wire. */
export type FieldType = 'string' | 'int' | 'bool' | 'timestamp' | 'list';

/** One header field and its spellings. `fixTag`/`xml` are undefined where a protocol has none. */
export interface FieldDescriptor {
  /** Small integer id, the index of this descriptor in {@link FIELDS}. */
  readonly id: number;
  /** The field's name, as in docs/wire-format.md section 6 (`Topic`, `CommandId`, ...). */
  readonly name: string;
  readonly type: FieldType;
  /** The key the amps/json encoder writes. */
  readonly json: string;
  /** Other keys accepted when decoding amps/json. */
  readonly jsonAliases: readonly string[];
  /** The numeric tag the fix/nvfix encoder writes. */
  readonly fixTag: number | undefined;
  /** Other tags accepted when decoding fix/nvfix. */
  readonly fixAliases: readonly number[];
  /** The element name the xml encoder writes. */
  readonly xml: string | undefined;
  /** Other element names accepted when decoding xml. */
  readonly xmlAliases: readonly string[];
  /** Other names of the field (seed accessor names such as `TransmissionTime`). */
  readonly aliases: readonly string[];
  /** Whether the xml encoder wraps the value in CDATA (text fields, docs/wire-format.md section 4). */
  readonly xmlCdata: boolean;
  /**
   * Whether values repeat from message to message (commands, topics, subscription ids), so
   * decoded strings are worth sharing between messages.
   */
  readonly repeats: boolean;
}

type Row = [
  name: string,
  type: FieldType,
  json: string,
  jsonAliases: string[],
  fixTag: number | undefined,
  xml: string | undefined,
  xmlAliases?: string[],
  aliases?: string[],
  fixAliases?: number[],
];

// XML text fields that the encoder puts inside CDATA (docs/wire-format.md section 4).
const XML_CDATA = new Set([
  'Topic',
  'CommandId',
  'ClientName',
  'UserId',
  'Filter',
  'SubscriptionId',
  'QueryID',
  'OrderBy',
  'Password',
  'Options',
  'SubscriptionIds',
]);

// Fields whose values usually repeat across a stream.
const REPEATS = new Set([
  'Command',
  'ClientName',
  'UserId',
  'Topic',
  'Filter',
  'MessageType',
  'AckType',
  'SubscriptionId',
  'Version',
  'Heartbeat',
  'Status',
  'QueryID',
  'LogLevel',
  'OrderBy',
  'Src',
  'Options',
  'SubscriptionIds',
  'Reason',
]);

// prettier-ignore
const ROWS: Row[] = [
  ['Command', 'string', 'c', ['cmd'], 20000, 'Cmd'],
  ['CommandId', 'string', 'cid', ['cmd_id'], 20001, 'CmdId'],
  ['ClientName', 'string', 'client_name', [], 20002, 'ClntName'],
  ['UserId', 'string', 'user_id', [], 20003, 'UsrId'],
  ['Timestamp', 'timestamp', 'ts', ['timestamp'], 20004, 'TxmTm', [], ['TransmissionTime']],
  ['Topic', 'string', 't', ['topic'], 20005, 'Tpc'],
  ['Filter', 'string', 'filter', ['f'], 20006, 'Fltr'],
  ['MessageType', 'string', 'mt', ['message_type'], 20007, 'MsgTyp'],
  ['AckType', 'list', 'a', ['ack_type', 'ack'], 20008, 'AckTyp'],
  ['SubscriptionId', 'string', 'sub_id', [], 20009, 'SubId', [], ['SubId']],
  ['Version', 'string', 'version', ['v'], 20011, 'Version'],
  ['Expiration', 'int', 'e', ['expiration'], 20012, 'Expn'],
  ['SendSubscriptionIds', 'bool', 'send_sub_ids', [], 20013, 'SndSubIds'],
  ['DataOnly', 'bool', 'data_only', [], 20014, 'DatOnly'],
  ['Heartbeat', 'string', 'heartbeat', [], 20015, 'Hrtbt'],
  ['TimeoutInterval', 'int', 'timeout_interval', [], 20016, 'TmIntvl'],
  ['LeasePeriod', 'timestamp', 'lp', ['lease_period', 'leaseperiod'], 20017, 'LeasePrd', ['LeasePeriod']],
  ['GracePeriod', 'int', 'grace_period', [], undefined, 'GrcPrd'],
  ['Status', 'string', 'status', [], 20018, 'Status'],
  ['QueryID', 'string', 'query_id', [], 20019, 'QId', [], ['QueryId']],
  ['SendOutOfFocus', 'bool', 'send_oof', [], 20020, 'SndOOF'],
  ['LogLevel', 'string', 'log_level', [], 20021, 'LogLvl'],
  ['UseNamespaces', 'bool', 'use_ns', [], 20022, 'UseNS'],
  ['BatchSize', 'int', 'bs', ['batch_size'], 20023, 'BtchSz'],
  ['TopN', 'int', 'top_n', [], 20025, 'TopN', [], ['TopNRecordsReturned']],
  ['OrderBy', 'string', 'orderby', ['order_by'], 20026, 'OrderBy'],
  ['SendEmpty', 'bool', 'send_empty', [], 20029, 'SndEmpty'],
  ['MaximumMessages', 'int', 'max_msgs', ['maximum_messages'], 20031, 'MxMsgs'],
  ['SowKeys', 'list', 'sow_keys', [], 20032, 'SowKeys'],
  ['SendKeys', 'bool', 'send_keys', [], 20033, 'SndKeys'],
  ['Src', 'string', 'src', [], 20034, 'Src'],
  ['CorrelationId', 'string', 'x', ['correlation_id'], 20035, 'CrlId', ['CorrelationId'], [], [20074]],
  ['Sequence', 'int', 's', ['seq'], 20036, 'Seq'],
  ['Bookmark', 'string', 'bm', ['bookmark'], 20037, 'BkMrk'],
  ['Password', 'string', 'pw', ['password', 'auth_key'], 20038, 'PW'],
  ['Options', 'string', 'opts', ['o'], 20039, 'Opts'],
  ['RecordsInserted', 'int', 'records_inserted', [], 20052, 'RecordsInserted'],
  ['RecordsUpdated', 'int', 'records_updated', [], 20053, 'RecordsUpdated'],
  ['RecordsDeleted', 'int', 'records_deleted', [], 20054, 'RecordsDeleted', [], ['SowDelete', 'SowDeleted']],
  ['RecordsReturned', 'int', 'records_returned', [], 20055, 'RecordsReturned'],
  ['TopicMatches', 'int', 'topic_matches', [], 20056, 'TopicMatches'],
  ['Matches', 'int', 'matches', [], 20057, 'Matches'],
  ['MessageLength', 'int', 'l', ['msg_len'], 20058, 'MsgLn', ['MsgLen'], ['MessageSize']],
  ['SowKey', 'string', 'k', ['sow_key'], 20059, 'SowKey'],
  [
    'GroupSequenceNumber',
    'int',
    'gseq',
    ['group_seq_num', 'group_sequence_number'],
    20060,
    'GrpSqNum',
    [],
    ['GroupSeqNo'],
  ],
  ['SubscriptionIds', 'list', 'sids', ['sub_ids'], 20061, 'SubIds', [], ['SubIds']],
  ['Reason', 'string', 'reason', [], 20062, 'Reason'],
  ['MessageID', 'string', 'msg_id', [], 20063, 'MsgId', [], ['MessageId']],
  ['SkipN', 'int', 'skip_n', [], undefined, undefined],
];

/** Every header field, indexed by id. The single source every codec is driven from. */
export const FIELDS: readonly FieldDescriptor[] = Object.freeze(
  ROWS.map(([name, type, json, jsonAliases, fixTag, xml, xmlAliases = [], aliases = [], fixAliases = []], id) =>
    Object.freeze({
      id,
      name,
      type,
      json,
      jsonAliases: Object.freeze(jsonAliases),
      fixTag,
      fixAliases: Object.freeze(fixAliases),
      xml,
      xmlAliases: Object.freeze(xmlAliases),
      aliases: Object.freeze(aliases),
      xmlCdata: XML_CDATA.has(name),
      repeats: REPEATS.has(name),
    }),
  ),
);

/** Number of header fields; ids run from 0 to `FIELD_COUNT - 1`. */
export const FIELD_COUNT = ROWS.length;

/** Field ids by name: `Field.Topic`, `Field.CommandId`, ... `Field.SkipN`. */
export const Field = Object.freeze({
  Command: 0,
  CommandId: 1,
  ClientName: 2,
  UserId: 3,
  Timestamp: 4,
  Topic: 5,
  Filter: 6,
  MessageType: 7,
  AckType: 8,
  SubscriptionId: 9,
  Version: 10,
  Expiration: 11,
  SendSubscriptionIds: 12,
  DataOnly: 13,
  Heartbeat: 14,
  TimeoutInterval: 15,
  LeasePeriod: 16,
  GracePeriod: 17,
  Status: 18,
  QueryID: 19,
  SendOutOfFocus: 20,
  LogLevel: 21,
  UseNamespaces: 22,
  BatchSize: 23,
  TopN: 24,
  OrderBy: 25,
  SendEmpty: 26,
  MaximumMessages: 27,
  SowKeys: 28,
  SendKeys: 29,
  Src: 30,
  CorrelationId: 31,
  Sequence: 32,
  Bookmark: 33,
  Password: 34,
  Options: 35,
  RecordsInserted: 36,
  RecordsUpdated: 37,
  RecordsDeleted: 38,
  RecordsReturned: 39,
  TopicMatches: 40,
  Matches: 41,
  MessageLength: 42,
  SowKey: 43,
  GroupSequenceNumber: 44,
  SubscriptionIds: 45,
  Reason: 46,
  MessageID: 47,
  SkipN: 48,
} as const);

/** A field id (`Field.Topic`, ...). */
export type FieldId = (typeof Field)[keyof typeof Field];
/** A field name as in docs/wire-format.md section 6. */
export type FieldName = keyof typeof Field;

// Names and aliases (`Topic`, `TransmissionTime`, ...) to ids, for get('Topic') and friends.
const BY_NAME = new Map<string, number>();
for (const f of FIELDS) {
  BY_NAME.set(f.name, f.id);
  for (const a of f.aliases) BY_NAME.set(a, f.id);
}

/** The id of a field given by name, alias or id; undefined when it is not a header field. */
export function fieldId(field: string | number): number | undefined {
  if (typeof field === 'number') {
    return Number.isInteger(field) && field >= 0 && field < FIELD_COUNT ? field : undefined;
  }
  return BY_NAME.get(field);
}
