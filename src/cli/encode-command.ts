/** `amps-wire encode`: frames built from JSON descriptions, to craft test traffic. */
import { readFile, writeFile } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { concatBytes } from '../core/bytes.js';
import { AMPSException } from '../core/errors.js';
import { FIELDS, fieldId } from '../core/fields.js';
import { Message } from '../core/message.js';
import { protocol, protocolNames } from '../protocols.js';
import { parseCommandLine, stringOption, UsageError, type OptionSpec } from './args.js';
import { ENCODE_HELP } from './help.js';
import { describeFileError, readAll } from './input.js';
import type { CliIo } from './io.js';

const OPTIONS: Record<string, OptionSpec> = {
  protocol: { type: 'string', short: 'p', choices: protocolNames },
  data: { type: 'string' },
  'data-file': { type: 'string' },
  payload: { type: 'boolean' },
  hex: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
};

// Field ids by amps/json key and alias, so `{"c":"publish","t":"orders"}` works too.
const JSON_KEYS = new Map<string, number>();
for (const f of FIELDS) for (const key of [f.json, ...f.jsonAliases]) JSON_KEYS.set(key, f.id);

/** A frame to write: the message and the protocol its description asked for. */
export interface Description {
  message: Message;
  protocol: string | undefined;
}

/**
 * The message a description stands for: either flat (`{"Command":"publish","Topic":"t",
 * "data":"..."}`), or a line of decode's jsonl output (`{"fields":{...},"body":"..."}`).
 * Throws UsageError saying what is wrong, prefixed by `where`.
 */
export function describeMessage(value: unknown, where: string): Description {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${where}: a description is a JSON object`);
  const desc = value as Record<string, unknown>;
  const message = new Message();
  if ('fields' in desc) {
    if (Array.isArray(desc['records']) && desc['records'].length > 0) throw new UsageError(`${where}: SOW records cannot be re-encoded (the frame at index ${String(desc['index'])})`);
    if (desc['error'] !== undefined || desc['truncated'] !== undefined) throw new UsageError(`${where}: a frame that failed to decode or was truncated cannot be re-encoded`);
    const fields = desc['fields'];
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new UsageError(`${where}: "fields" must be an object`);
    for (const [key, v] of Object.entries(fields)) setField(message, key, v, where);
    setBody(message, desc['body'], desc['bodyBase64'], where);
  } else {
    for (const [key, v] of Object.entries(desc)) {
      if (key === 'data' || key === 'dataBase64' || key === 'protocol') continue;
      setField(message, key, v, where);
    }
    setBody(message, desc['data'], desc['dataBase64'], where);
  }
  const p = desc['protocol'];
  if (p !== undefined && (typeof p !== 'string' || !protocolNames.includes(p))) throw new UsageError(`${where}: "protocol" must be one of ${protocolNames.join(', ')}`);
  return { message, protocol: p as string | undefined };
}

function setField(message: Message, key: string, value: unknown, where: string): void {
  const id = fieldId(key) ?? JSON_KEYS.get(key);
  if (id === undefined) throw new UsageError(`${where}: ${JSON.stringify(key)} is not a header field (see docs/wire-format.md section 6: Command, Topic, CommandId, ...)`);
  if (value === null) return;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`${where}: ${key} must be an unsigned integer below 2^53, or a string`);
  } else if (typeof value !== 'string' && typeof value !== 'boolean') {
    throw new UsageError(`${where}: ${key} must be a string, an integer or a boolean`);
  }
  message.set(id, value);
}

function setBody(message: Message, text: unknown, base64: unknown, where: string): void {
  if (text !== undefined && base64 !== undefined) throw new UsageError(`${where}: give the body as text or as base64, not both`);
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
  if (args.positionals.length !== 1) throw new UsageError('give one description: a JSON object, or - to read JSON lines from stdin');
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

  const descriptions: Description[] = [];
  if (source === '-') {
    if (body !== undefined) throw new UsageError('--data and --data-file go with a single description; give each line its own "data"');
    const text = new TextDecoder().decode(await readAll(io.stdin));
    text.split('\n').forEach((line, i) => {
      if (line.trim() !== '') descriptions.push(describeMessage(parseJson(line, `stdin line ${i + 1}`), `stdin line ${i + 1}`));
    });
  } else {
    const d = describeMessage(parseJson(source, 'the description'), 'the description');
    if (body !== undefined) d.message.setData(body);
    descriptions.push(d);
  }

  const chosen = stringOption(args, 'protocol');
  const payloadOnly = args.values['payload'] === true;
  const output = stringOption(args, 'output');
  const hex = args.values['hex'] === true || (output === undefined && io.stdout.isTTY);
  const frames: Uint8Array[] = [];
  for (const [i, d] of descriptions.entries()) {
    const p = protocol(chosen ?? d.protocol ?? 'amps');
    try {
      frames.push(payloadOnly ? p.encode(d.message) : p.encodeFrame(d.message));
    } catch (err) {
      if (!(err instanceof AMPSException)) throw err;
      throw new UsageError(`${descriptions.length > 1 ? `stdin frame ${i + 1}` : 'the description'} cannot be encoded in ${p.name}: ${err.message}`);
    }
  }
  if (hex && output === undefined && io.stdout.isTTY && args.values['hex'] !== true) {
    io.stderr.write('amps-wire: stdout is a terminal, so the bytes are shown as hex; redirect to a file (or use -o) for the bytes\n');
  }
  const bytes = hex ? new TextEncoder().encode(frames.map(toHex).join('\n') + '\n') : concatBytes(frames);
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

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

