/**
 * What decode and stats keep of a capture: `--conn`, `--command`, `--topic`, `--field` and
 * `--since`/`--until`, checked once on the command line (a name that cannot match is a usage
 * error) and then per frame.
 */
import { Field, FIELDS, fieldId } from '../core/fields.js';
import type { Message } from '../core/message.js';
import { listOption, stringOption, UsageError, type OptionSpec, type ParsedArgs } from './args.js';
import type { FrameTime } from './format.js';

/** The filter options, as decode and stats take them. */
export const FILTER_OPTIONS: Record<string, OptionSpec> = {
  command: { type: 'string', multiple: true },
  topic: { type: 'string', multiple: true },
  conn: { type: 'string' },
  field: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
};

/** Every Command value of WIRE.md section 6, client and server side. */
export const COMMAND_NAMES: readonly string[] = [
  'publish',
  'delta_publish',
  'subscribe',
  'delta_subscribe',
  'sow',
  'sow_and_subscribe',
  'sow_and_delta_subscribe',
  'sow_delete',
  'unsubscribe',
  'flush',
  'heartbeat',
  'start_timer',
  'stop_timer',
  'logon',
  'ack',
  'oof',
  'group_begin',
  'group_end',
];

/** A point in capture time; `timeOfDay` bounds are a time of day, dated by the first frame seen. */
interface TimeBound {
  seconds: number;
  nanos: number;
  timeOfDay: boolean;
}

/** The filters of one run. */
export class FrameFilter {
  /** Keeps directions whose `conn` contains this text. */
  readonly conn: string | undefined;
  /** Keeps frames whose Command is one of these (`p` is `publish`). */
  readonly commands: ReadonlySet<string> | undefined;
  /** Keeps frames whose Topic matches one of these patterns. */
  readonly topics: readonly string[] | undefined;
  /** Keeps frames where every one of these fields matches its pattern. */
  readonly fields: readonly (readonly [number, string])[];
  private since: TimeBound | undefined;
  private until: TimeBound | undefined;

  constructor(
    options: {
      conn?: string | undefined;
      commands?: readonly string[];
      topics?: readonly string[];
      fields?: readonly string[];
      since?: string | undefined;
      until?: string | undefined;
    } = {},
  ) {
    this.conn = options.conn;
    const commands = (options.commands ?? []).map(commandName);
    this.commands = commands.length > 0 ? new Set(commands) : undefined;
    this.topics = options.topics !== undefined && options.topics.length > 0 ? options.topics : undefined;
    this.fields = (options.fields ?? []).map(fieldRule);
    this.since = options.since === undefined ? undefined : timeBound(options.since, 'since');
    this.until = options.until === undefined ? undefined : timeBound(options.until, 'until');
  }

  /** The filters the command line asks for. Throws UsageError for a command, field or time that cannot be. */
  static fromArgs(args: ParsedArgs): FrameFilter {
    return new FrameFilter({
      conn: stringOption(args, 'conn'),
      commands: listOption(args, 'command'),
      topics: listOption(args, 'topic'),
      // Not split at commas: a pattern may hold one.
      fields: repeated(args, 'field'),
      since: stringOption(args, 'since'),
      until: stringOption(args, 'until'),
    });
  }

  /** Whether anything is filtered out at all. */
  get active(): boolean {
    return (
      this.conn !== undefined ||
      this.commands !== undefined ||
      this.topics !== undefined ||
      this.fields.length > 0 ||
      this.timed
    );
  }

  /** Whether --since or --until is given. */
  get timed(): boolean {
    return this.since !== undefined || this.until !== undefined;
  }

  /** Whether the direction named `conn` is kept. */
  keepsConn(conn: string): boolean {
    return this.conn === undefined || conn.includes(this.conn);
  }

  /** Whether a frame at `time` is kept: from --since (included) to --until (left out); a frame without a time is not, when either is given. */
  keepsTime(time: FrameTime | undefined): boolean {
    if (!this.timed) return true;
    if (time === undefined) return false;
    const since = this.since !== undefined ? (this.since = dated(this.since, time)) : undefined;
    const until = this.until !== undefined ? (this.until = dated(this.until, time)) : undefined;
    if (since !== undefined && compare(time, since) < 0) return false;
    return until === undefined || compare(time, until) < 0;
  }

  /** Whether a decoded message passes --command, --topic and --field. */
  keepsMessage(m: Message): boolean {
    if (this.commands !== undefined) {
      const command = m.get(Field.Command);
      if (command === undefined || !this.commands.has(command === 'p' ? 'publish' : command)) return false;
    }
    if (this.topics !== undefined) {
      const topic = m.get(Field.Topic);
      if (topic === undefined || !this.topics.some((p) => globMatch(p, topic))) return false;
    }
    for (const [id, pattern] of this.fields) {
      const value = m.get(id);
      if (value === undefined || !globMatch(pattern, value)) return false;
    }
    return true;
  }
}

function repeated(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

function commandName(name: string): string {
  if (name === 'p') return 'publish';
  if (COMMAND_NAMES.includes(name)) return name;
  throw new UsageError(
    `--command ${JSON.stringify(name)} is not an AMPS command; the commands are ${COMMAND_NAMES.join(', ')} (p means publish)`,
  );
}

function fieldRule(rule: string): [number, string] {
  const eq = rule.indexOf('=');
  const id = eq > 0 ? fieldId(rule.slice(0, eq)) : undefined;
  if (id === undefined) {
    const what =
      eq > 0
        ? `${JSON.stringify(rule.slice(0, eq))} is not a header field`
        : `takes Name=PATTERN; got ${JSON.stringify(rule)}`;
    throw new UsageError(`--field ${what} (fields: ${FIELDS.map((f) => f.name).join(', ')})`);
  }
  return [id, rule.slice(eq + 1)];
}

// 2024-01-15T14:30:00.000480Z, with a space for T, Z optional (always UTC), fraction optional;
// 2024-01-15 alone; or a time of day, 14:30:00.5.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?Z?$/;
const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

function timeBound(text: string, option: string): TimeBound {
  const bad = (): UsageError =>
    new UsageError(
      `--${option} takes a capture time in UTC, 2024-01-15T14:30:00.5Z or a time of day 14:30:00.5 (on the capture's first day); got ${JSON.stringify(text)}`,
    );
  const nanosOf = (digits: string | undefined): number => (digits === undefined ? 0 : Number(digits.padEnd(9, '0')));
  let m = DATE_TIME.exec(text);
  if (m !== null) {
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || new Date(ms).getUTCDate() !== d)
      throw bad();
    return { seconds: ms / 1000, nanos: nanosOf(m[7]), timeOfDay: false };
  }
  m = TIME_OF_DAY.exec(text);
  if (m !== null) {
    const [h, mi, s] = [m[1], m[2], m[3]].map((v) => Number(v ?? 0)) as [number, number, number];
    if (h > 23 || mi > 59 || s > 59) throw bad();
    return { seconds: h * 3600 + mi * 60 + s, nanos: nanosOf(m[4]), timeOfDay: true };
  }
  throw bad();
}

// A time of day becomes a point in time on the day of the first frame it is compared with.
function dated(bound: TimeBound, first: FrameTime): TimeBound {
  if (!bound.timeOfDay) return bound;
  return { seconds: Math.floor(first.seconds / 86400) * 86400 + bound.seconds, nanos: bound.nanos, timeOfDay: false };
}

function compare(a: { seconds: number; nanos: number }, b: { seconds: number; nanos: number }): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/** Whether `text` matches `pattern`, where `*` matches any run of characters (nothing else is special). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
