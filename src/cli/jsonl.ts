/**
 * `--format jsonl`: one JSON object per frame on stdout, the contract of API.md "Command line":
 *   {"conn","index","transport","protocol","frameLength","fields":{Name: "value"},"bodyLength","body"|"bodyBase64","records":[...]}
 *   {"conn","index","transport","truncated":true,"frameLength": N | null,"bytesPresent"}
 *   {"conn","index","transport","protocol","frameLength","error":{"code","message","offset"}}
 * each with `"time"` (ISO-8601 UTC) when the input is a capture, and `"file"` when the run reads
 * more than one input.
 * `records` appears for SOW batches only, each `{"fields","bodyLength","body"|"bodyBase64"}`;
 * `--no-body` leaves out `body`/`bodyBase64` (lengths stay). Notices go to stderr, not here.
 */
import type { AMPSException } from '../core/errors.js';
import { StreamException } from '../core/errors.js';
import { FIELDS } from '../core/fields.js';
import type { Message } from '../core/message.js';
import type { Transport } from '../capture/transport-support.js';
import { FLUSH_AT, type DecodedFrame, type Format, type FrameTime } from './format.js';
import { isoTime } from './iso-time.js';
import { asBase64, asText, isText } from './text.js';

/**
 * `text` as a JSON string literal, escaped as JSON.stringify escapes (`"`, `\\`, control
 * characters, lone surrogates) and also DEL and C1, so no control byte reaches a terminal. Built by concatenation: JSON.stringify on long bodies makes V8
 * keep far more memory alive (its results are placed where they outlive scavenges). Past
 * ESCAPES_IN_PIECES escapes, though, the pieces would cost far more than the text (a SOW
 * batch's body of millions of quotes): JSON.stringify does it then, in one flat string.
 */
export function quoteJson(text: string): string {
  let out = '"';
  let from = 0;
  let escapes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let escape: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0x7f && c <= 0x9f)) {
      escape = ESCAPES[c];
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (pair) {
        i++;
        continue;
      }
      escape = `\\u${c.toString(16)}`;
    } else {
      continue;
    }
    if (++escapes > ESCAPES_IN_PIECES)
      return JSON.stringify(text).replace(DEL_AND_C1, (d) => ESCAPES[d.charCodeAt(0)]!);
    out += text.slice(from, i) + escape;
    from = i + 1;
  }
  return (from === 0 ? out + text : out + text.slice(from)) + '"';
}

const ESCAPES_IN_PIECES = 1024;

const ESCAPES: string[] = [];
for (let c = 0; c < 0x20; c++) ESCAPES[c] = `\\u${c.toString(16).padStart(4, '0')}`;
// DEL and the C1 controls are valid in JSON strings but would reach a terminal as control bytes.
for (let c = 0x7f; c <= 0x9f; c++) ESCAPES[c] = `\\u00${c.toString(16)}`;
const DEL_AND_C1 = /[\u007f-\u009f]/g;
ESCAPES[0x08] = '\\b';
ESCAPES[0x09] = '\\t';
ESCAPES[0x0a] = '\\n';
ESCAPES[0x0c] = '\\f';
ESCAPES[0x0d] = '\\r';
ESCAPES[0x22] = '\\"';
ESCAPES[0x5c] = '\\\\';

// `"Name":` for every field id, built once.
const FIELD_KEYS = FIELDS.map((f) => `${JSON.stringify(f.name)}:`);

/** The jsonl format. */
export class JsonlFormat implements Format {
  readonly noticesInline = false;
  private lastConn = '';
  private lastConnJson = '""';
  private fileJson = '';

  constructor(private readonly withBody: boolean) {}

  /** The input being read, named in every object (`"file"`) when set: a run over several inputs sets it. */
  set file(path: string | undefined) {
    this.fileJson = path === undefined ? '' : `,"file":${quoteJson(path)}`;
  }

  frame(f: DecodedFrame): string {
    const m = f.message;
    let out = `${this.head(f.conn, f.index, f.time, f.transport)},"protocol":"${f.protocol}","frameLength":${f.frameLength},"fields":${fieldsJson(m)},"bodyLength":${m.dataLength}`;
    if (this.withBody) out += bodyJson(m.getData());
    let first = true;
    for (const record of m.records()) {
      out += first ? ',"records":[' : ',';
      first = false;
      out += `{"fields":${fieldsJson(record)},"bodyLength":${record.dataLength}`;
      if (this.withBody) out += bodyJson(record.getData());
      out += '}';
      if (out.length > FLUSH_AT && f.write !== undefined) {
        f.write(out);
        out = '';
      }
    }
    return first ? out + '}\n' : out + ']}\n';
  }

  error(
    conn: string,
    index: number,
    protocol: string | undefined,
    frameLength: number | undefined,
    error: AMPSException,
    time: FrameTime | undefined,
    transport: Transport = 'tcp',
  ): string {
    const offset = error instanceof StreamException ? error.offset : null;
    return `${this.head(conn, index, time, transport)},"protocol":${protocol === undefined ? 'null' : quoteJson(protocol)},"frameLength":${frameLength ?? 'null'},"error":{"code":"${error.code}","message":${quoteJson(error.message)},"offset":${offset}}}\n`;
  }

  truncated(
    conn: string,
    index: number,
    frameLength: number | undefined,
    bytesPresent: number,
    time: FrameTime | undefined,
    transport: Transport = 'tcp',
  ): string {
    return `${this.head(conn, index, time, transport)},"truncated":true,"frameLength":${frameLength ?? 'null'},"bytesPresent":${bytesPresent}}\n`;
  }

  notice(): string {
    return '';
  }

  // `{"conn":...,"index":N,"transport":...,"time":...,"file":...`: what every object opens with.
  private head(conn: string, index: number, time: FrameTime | undefined, transport: Transport): string {
    return `{"conn":${this.conn(conn)},"index":${index},"transport":"${transport}"${time === undefined ? '' : `,"time":"${isoTime(time)}"`}${this.fileJson}`;
  }

  private conn(conn: string): string {
    if (conn !== this.lastConn) {
      this.lastConn = conn;
      this.lastConnJson = quoteJson(conn);
    }
    return this.lastConnJson;
  }
}

/** `{"Name":"value",...}` for the header fields of `m`, in wire order. */
export function fieldsJson(m: Message): string {
  let out = '{';
  for (const id of m.fields()) {
    out += out.length === 1 ? FIELD_KEYS[id]! : ',' + FIELD_KEYS[id]!;
    out += quoteJson(m.get(id)!);
  }
  return out + '}';
}

function bodyJson(body: Uint8Array): string {
  return isText(body) ? `,"body":${quoteJson(asText(body))}` : `,"bodyBase64":"${asBase64(body)}"`;
}
