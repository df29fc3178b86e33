/** `amps-wire encode`: frames built from JSON descriptions, to craft test traffic. */
import { readFile, writeFile } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { AMPSException } from '../core/errors.js';
import { Field, FIELDS, fieldId } from '../core/fields.js';
import { Message } from '../core/message.js';
import { protocol, protocolNames } from '../protocols.js';
import { parseCommandLine, stringOption, UsageError, type OptionSpec } from './args.js';
import { ENCODE_HELP } from './help.js';
import { encodeLines, toHex } from './encode-stream.js';
import { describeFileError } from './input.js';
import type { CliIo } from './io.js';

const OPTIONS: Record<string, OptionSpec> = {
  protocol: { type: 'string', short: 'p', choices: protocolNames },
  data: { type: 'string' },
  'data-file': { type: 'string' },
  payload: { type: 'boolean' },
  hex: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  conn: { type: 'string' },
  split: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

// Field ids by amps/json key and alias, so `{"c":"publish","t":"orders"}` works too.
const JSON_KEYS = new Map<string, number>();
for (const f of FIELDS) for (const key of [f.json, ...f.jsonAliases]) JSON_KEYS.set(key, f.id);

/** A frame to write: the message, the protocol its description asked for, and its `conn` when it is a line of decode's output. */
export interface Description {
  message: Message;
  protocol: string | undefined;
  conn: string | undefined;
}

/**
 * The message a description stands for: either flat (`{"Command":"publish","Topic":"t",
 * "data":"..."}`), or a line of decode's jsonl output (`{"fields":{...},"body":"..."}`).
 * Throws UsageError saying what is wrong, prefixed by `where`.
 */
export function describeMessage(value: unknown, where: string): Description {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${where}: a description is a JSON object`);
  const desc = value as Record<string, unknown>;
  const message = new Message();
  if (desc['error'] !== undefined || desc['truncated'] !== undefined)
    throw new UsageError(`${where}: a frame that failed to decode or was truncated cannot be re-encoded`);
  if ('fields' in desc) {
    setFields(message, desc['fields'], where);
    const records = desc['records'];
    if (records !== undefined) {
      // The batch's body is its records: they are written in the target protocol's layout.
      if (!Array.isArray(records)) throw new UsageError(`${where}: "records" must be an array`);
      message._setRecordList(records.map((r, i) => recordMessage(r, `${where}, record ${i}`)));
      if (message.has(Field.BatchSize)) message.set(Field.BatchSize, records.length);
    } else {
      setBody(message, desc['body'], desc['bodyBase64'], where);
    }
  } else {
    for (const [key, v] of Object.entries(desc)) {
      if (key === 'data' || key === 'dataBase64' || key === 'protocol') continue;
      setField(message, key, v, where);
    }
    setBody(message, desc['data'], desc['dataBase64'], where);
  }
  const p = desc['protocol'];
  if (p !== undefined && p !== null && (typeof p !== 'string' || !protocolNames.includes(p)))
    throw new UsageError(`${where}: "protocol" must be one of ${protocolNames.join(', ')}`);
  const conn = desc['conn'];
  return {
    message,
    protocol: typeof p === 'string' ? p : undefined,
    conn: typeof conn === 'string' ? conn : undefined,
  };
}

function setFields(message: Message, fields: unknown, where: string): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields))
    throw new UsageError(`${where}: "fields" must be an object`);
  for (const [key, v] of Object.entries(fields)) setField(message, key, v, where);
}

// A SOW record: its header fields and body, with the MessageLength every layout needs set to the body's length.
function recordMessage(value: unknown, where: string): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${where}: a record is a JSON object`);
  const desc = value as Record<string, unknown>;
  const record = new Message();
  setFields(record, desc['fields'], where);
  setBody(record, desc['body'], desc['bodyBase64'], where);
  record.set(Field.MessageLength, record.getData().length);
  return record;
}

function setField(message: Message, key: string, value: unknown, where: string): void {
  const id = fieldId(key) ?? JSON_KEYS.get(key);
  if (id === undefined)
    throw new UsageError(
      `${where}: ${JSON.stringify(key)} is not a header field (see docs/wire-format.md section 6: Command, Topic, CommandId, ...)`,
    );
  if (value === null) return;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new UsageError(`${where}: ${key} must be an unsigned integer below 2^53, or a string`);
  } else if (typeof value !== 'string' && typeof value !== 'boolean') {
    throw new UsageError(`${where}: ${key} must be a string, an integer or a boolean`);
  }
  message.set(id, value);
}

function setBody(message: Message, text: unknown, base64: unknown, where: string): void {
  if (text !== undefined && base64 !== undefined)
    throw new UsageError(`${where}: give the body as text or as base64, not both`);
  if (typeof text === 'string') message.setData(text);
  else if (typeof base64 === 'string') message.setData(new Uint8Array(Buffer.from(base64, 'base64')));
  else if (text !== undefined || base64 !== undefined) throw new UsageError(`${where}: the body must be a string`);
}

/** Runs `encode`; resolves to the exit code. */
export async function encodeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv, OPTIONS);
  if (args.values['help'] === true) {
    io.stdout.write(ENCODE_HELP);
    return 0;
  }
  if (args.positionals.length !== 1)
    throw new UsageError('give one description: a JSON object, or - to read JSON lines from stdin');
  const source = args.positionals[0]!;
  const data = stringOption(args, 'data');
  const dataFile = stringOption(args, 'data-file');
  if (data !== undefined && dataFile !== undefined) throw new UsageError('give --data or --data-file, not both');
  let body: Uint8Array | string | undefined = data;
  if (dataFile !== undefined) {
    try {
      body = new Uint8Array(await readFile(dataFile));
    } catch (err) {
      io.stderr.write(`amps-wire: ${describeFileError(dataFile, err)}\n`);
      return 2;
    }
  }

  const chosen = stringOption(args, 'protocol');
  const payloadOnly = args.values['payload'] === true;
  const output = stringOption(args, 'output');
  const split = stringOption(args, 'split');
  const hex = args.values['hex'] === true || (output === undefined && split === undefined && io.stdout.isTTY);
  if (hex && output === undefined && split === undefined && io.stdout.isTTY && args.values['hex'] !== true) {
    io.stderr.write(
      'amps-wire: stdout is a terminal, so the bytes are shown as hex; redirect to a file (or use -o) for the bytes\n',
    );
  }
  if (source === '-') {
    if (body !== undefined)
      throw new UsageError('--data and --data-file go with a single description; give each line its own "data"');
    if (split !== undefined && output !== undefined) throw new UsageError('give -o or --split, not both');
    const describe = (line: string, where: string): Description => describeMessage(parseJson(line, where), where);
    return encodeLines(
      io,
      { protocol: chosen, conn: stringOption(args, 'conn'), split, payloadOnly, hex, output },
      describe,
    );
  }
  if (split !== undefined || stringOption(args, 'conn') !== undefined)
    throw new UsageError('--conn and --split go with - (JSON lines from stdin)');
  const d = describeMessage(parseJson(source, 'the description'), 'the description');
  if (body !== undefined) d.message.setData(body);
  const p = protocol(chosen ?? d.protocol ?? 'amps');
  let frame: Uint8Array;
  try {
    frame = payloadOnly ? p.encode(d.message) : p.encodeFrame(d.message);
  } catch (err) {
    if (!(err instanceof AMPSException)) throw err;
    throw new UsageError(`the description cannot be encoded in ${p.name}: ${err.message}`);
  }
  const bytes = hex ? new TextEncoder().encode(toHex(frame) + '\n') : frame;
  if (output !== undefined) {
    try {
      await writeFile(output, bytes);
    } catch (err) {
      io.stderr.write(`amps-wire: ${describeFileError(output, err)}\n`);
      return 2;
    }
  } else {
    io.stdout.writeBytes(bytes);
  }
  return 0;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}
