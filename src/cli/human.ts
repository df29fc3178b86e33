/**
 * The default `human` format: one line per frame, readable at a glance —
 *   time  conn  #index  protocol  command  topic  Field=value ...  [body bytes] body preview
 * with SOW records on indented lines below, failures and notices marked, the date on a line of
 * its own whenever it changes, and colour when asked for.
 */
import type { StreamNotice } from '../capture/frame-stream.js';
import type { Transport } from '../capture/transport-support.js';
import type { AMPSException } from '../core/errors.js';
import { Field, FIELDS } from '../core/fields.js';
import type { Message } from '../core/message.js';
import { FLUSH_AT, type DecodedFrame, type Format, type FrameTime } from './format.js';
import { escapeControls, isControl, preview } from './text.js';
import { secondsText } from './iso-time.js';

/** ANSI styles, or none. */
export interface Palette {
  dim(s: string): string;
  bold(s: string): string;
  conn(s: string): string;
  topic(s: string): string;
  command(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
}

const style = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

/** Colours for a terminal. */
export const COLOURS: Palette = {
  dim: style(2, 22),
  bold: style(1, 22),
  conn: style(36, 39),
  topic: style(35, 39),
  command: style(32, 39),
  bad: style(31, 39),
  warn: style(33, 39),
};

const same = (s: string): string => s;

/** No colours. */
export const PLAIN: Palette = { dim: same, bold: same, conn: same, topic: same, command: same, bad: same, warn: same };

/** Options of the human format. */
export interface HumanOptions {
  withBody: boolean;
  palette: Palette;
  /** Characters of body preview per line. */
  previewWidth: number;
}

/** The human format. */
export class HumanFormat implements Format {
  readonly noticesInline = true;
  private lastDate = '';

  constructor(private readonly options: HumanOptions) {}

  frame(f: DecodedFrame): string {
    const p = this.options.palette;
    const m = f.message;
    let line = this.lead(f.time, f.conn, f.index, f.transport) + `${p.dim(f.protocol)}  `;
    const command = m.get(Field.Command);
    line += command === undefined ? p.dim('(no command)') : p.command(p.bold(escapeControls(command)));
    const topic = m.get(Field.Topic);
    if (topic !== undefined) line += `  ${p.topic(escapeControls(topic))}`;
    const others = fieldsText(m, true);
    if (others !== '') line += `  ${others}`;
    const n = m.recordCount;
    // A SOW batch's body is its records, shown one per line below: only its size goes here.
    line += n > 0 ? `  ${p.dim(`[${m.dataLength} B in ${n} record${n === 1 ? '' : 's'}]`)}` : this.body(m);
    let out = this.dateLine(f.time) + line + '\n';
    let k = 0;
    for (const record of m.records()) {
      const fields = fieldsText(record, false);
      out += `    ${p.dim(`record ${k++}`)}${fields === '' ? '' : `  ${fields}`}${this.body(record)}\n`;
      if (out.length > FLUSH_AT && f.write !== undefined) {
        f.write(out);
        out = '';
      }
    }
    return out;
  }

  error(
    conn: string,
    index: number,
    protocol: string | undefined,
    frameLength: number | undefined,
    error: AMPSException,
    time: FrameTime | undefined,
    transport?: Transport,
  ): string {
    const p = this.options.palette;
    const size = frameLength === undefined ? '' : ` (frame of ${frameLength} bytes)`;
    return `${this.dateLine(time)}${this.lead(time, conn, index, transport)}${protocol === undefined ? '' : `${p.dim(protocol)}  `}${p.bad(p.bold('error'))} ${p.bad(`${error.code}: ${escapeControls(error.message)}`)}${size}\n`;
  }

  truncated(
    conn: string,
    index: number,
    frameLength: number | undefined,
    bytesPresent: number,
    time: FrameTime | undefined,
    transport?: Transport,
  ): string {
    const p = this.options.palette;
    const what =
      frameLength === undefined
        ? `frame cut inside its length prefix (${bytesPresent} of 4 bytes)`
        : `frame of ${frameLength} bytes cut off: ${bytesPresent} bytes present, prefix included`;
    return `${this.dateLine(time)}${this.lead(time, conn, index, transport)}${p.warn(p.bold('truncated'))} ${p.warn(what)}\n`;
  }

  notice(conn: string, notice: StreamNotice): string {
    const p = this.options.palette;
    return `${p.conn(conn)}  ${p.warn(`-- ${notice.kind}: ${escapeControls(notice.message)}`)}\n`;
  }

  // Plain TCP is what most traffic is: only the other transports are named.
  private lead(time: FrameTime | undefined, conn: string, index: number, transport: Transport = 'tcp'): string {
    const p = this.options.palette;
    return `${time === undefined ? '' : p.dim(clock(time)) + '  '}${p.conn(conn)}  ${p.dim('#' + index)}  ${transport === 'tcp' ? '' : p.dim(transport) + '  '}`;
  }

  private body(m: Message): string {
    const length = m.dataLength;
    if (length === 0) return '';
    const size = this.options.palette.dim(`[${length} B]`);
    return this.options.withBody ? `  ${size} ${preview(m.getData(), this.options.previewWidth)}` : `  ${size}`;
  }

  private dateLine(time: FrameTime | undefined): string {
    if (time === undefined) return '';
    const date = utcDate(time.seconds);
    if (date === this.lastDate) return '';
    this.lastDate = date;
    return this.options.palette.dim(`-- ${date} (times in UTC)`) + '\n';
  }
}

// Header fields as `Name=value`, skipping Command (and Topic, shown on its own) when asked.
function fieldsText(m: Message, skipShown: boolean): string {
  let out = '';
  for (const id of m.fields()) {
    if (skipShown && (id === Field.Command || id === Field.Topic)) continue;
    const value = m.get(id)!;
    out += `${out === '' ? '' : ' '}${FIELDS[id]!.name}=${plainValue(value) ? value : escapeControls(JSON.stringify(value))}`;
  }
  return out;
}

// A value needs quoting when it is empty or holds spaces, quotes or control characters (C0,
// DEL, C1: the quoted form writes each as an escape).
function plainValue(value: string): boolean {
  if (value === '') return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20 || c === 0x22 || isControl(c)) return false;
  }
  return true;
}

// Date reaches 8.64e15 ms either side of 1970; a capture may claim any 64-bit time.
const DATE_LIMIT_SECONDS = 8.64e12;

/** `YYYY-MM-DD` (UTC) of a capture time, or a note that the time is beyond the calendar's range. */
export function utcDate(seconds: number): string {
  if (!(Math.abs(seconds) <= DATE_LIMIT_SECONDS)) return 'date out of range';
  const text = secondsText(Math.floor(seconds));
  return text.slice(0, text.indexOf('T'));
}

/** `HH:MM:SS.uuuuuu` (UTC) of a capture time. */
export function clock(time: FrameTime): string {
  const s = ((time.seconds % 86400) + 86400) % 86400;
  const two = (n: number): string => (n < 10 ? '0' : '') + n;
  const micros = String(Math.floor(time.nanos / 1000)).padStart(6, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${micros}`;
}
