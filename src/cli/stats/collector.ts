/**
 * What `amps-wire stats` gathers while a capture goes by: messages per command, traffic per
 * topic, command → ack response times, commands left unanswered and SOW queries. Memory is
 * bounded whatever the capture's size: histograms of fixed size, and caps on the number of
 * topics, commands, open commands and queries kept (past a cap, the rest is counted together
 * or dropped, and the report says so).
 */
import type { CaptureHandler } from '../../capture/capture-decoder.js';
import type { FrameStream, StreamNotice } from '../../capture/frame-stream.js';
import { AMPSException, type StreamException } from '../../core/errors.js';
import { Field } from '../../core/fields.js';
import { Message } from '../../core/message.js';
import type { FrameFilter } from '../filters.js';
import type { FrameTime } from '../format.js';
import type { ProtocolChooser } from '../protocol-choice.js';
import { DurationHistogram } from './histogram.js';
import { Timeline } from './timeline.js';
import { ACK_TYPE_NAMES } from '../../core/ack-type.js';

/** Traffic on one topic. */
export interface TopicStats {
  /** publish and delta_publish sent towards the server. */
  published: number;
  /** publish and oof sent towards clients. */
  delivered: number;
  /** Body bytes of both. */
  bytes: number;
}

/** Response times of one (command, ack type). */
export interface ResponseStats {
  command: string;
  ackType: string;
  count: number;
  minMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A command whose requested acks did not all come. */
export interface Unanswered {
  conn: string;
  command: string;
  commandId: string;
  missing: string[];
}

/** One SOW query. */
export interface QueryStats {
  conn: string;
  queryId: string;
  command: string;
  topic: string | null;
  records: number;
  batches: number;
  /** From the command to the first record, in ms; null when none came. */
  firstRecordMs: number | null;
  /** From the command to its group_end (or completed ack), in ms; null when neither came. */
  ms: number | null;
}

/** The `stats --json` object (API.md "Command line"). */
export interface StatsReport {
  messages: number;
  connections: number;
  durationMs: number;
  commands: Record<string, number>;
  topics: Record<string, TopicStats>;
  responses: ResponseStats[];
  unanswered: Unanswered[];
  queries: QueryStats[];
}

/** Bounds on what the collector keeps. */
export interface StatsLimits {
  /** Distinct topics counted on their own; later ones are counted as `(other topics)`. */
  topics: number;
  /** Distinct command names counted on their own; later ones as `(other)`. */
  commands: number;
  /** Commands waiting for acks; past it, the oldest is forgotten. */
  openCommands: number;
  /** SOW queries kept for the report. */
  queries: number;
  /** Topics given a timeline. */
  timelineTopics: number;
}

/** The default bounds: a few tens of MB at most. */
export const DEFAULT_LIMITS: StatsLimits = {
  topics: 10_000,
  commands: 1000,
  openCommands: 100_000,
  queries: 100_000,
  timelineTopics: 500,
};

/** Text standing in for topics or commands past their cap. */
export const OTHER_TOPICS = '(other topics)';
const OTHER_COMMANDS = '(other)';

const SERVER_ONLY = new Set(['ack', 'oof', 'group_begin', 'group_end']);
const CLIENT_ONLY = new Set([
  'logon',
  'subscribe',
  'delta_subscribe',
  'sow_and_subscribe',
  'sow_and_delta_subscribe',
  'delta_publish',
  'sow_delete',
  'unsubscribe',
  'flush',
  'start_timer',
  'stop_timer',
]);
const SOW_QUERIES = new Set(['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe']);

interface Connection {
  counted: boolean;
}

interface Direction {
  readonly id: number;
  readonly conn: string;
  readonly connection: Connection;
  /** Learned from the commands it sends, when the capture did not show the handshake. */
  side: 'client' | 'server' | undefined;
}

interface OpenCommand {
  readonly conn: string;
  readonly command: string;
  readonly commandId: string;
  readonly sentNs: number | undefined;
  /** Ack types asked for (bit per ACK_TYPE_NAMES entry), and those seen. */
  readonly requested: number;
  seen: number;
}

interface Query {
  readonly stats: QueryStats;
  readonly sentNs: number | undefined;
  grouped: boolean;
}

/** Gathers the statistics of one run (every input). */
export class StatsCollector implements CaptureHandler {
  /** The capture time source of the current input, if it has one. */
  clock: FrameTime | undefined = undefined;
  messages = 0;
  /** Frames that failed to decode, impossible lengths, truncated frames, packet warnings. */
  decodeErrors = 0;
  frameErrors = 0;
  truncatedFrames = 0;
  warnings = 0;
  readonly notices = new Map<string, number>();
  /** Open commands forgotten to stay within the limit, and queries not kept. */
  forgottenCommands = 0;
  droppedQueries = 0;
  readonly commands = new Map<string, number>();
  readonly topics = new Map<string, TopicStats>();
  readonly responses = new Map<string, { command: string; ackType: string; histogram: DurationHistogram }>();
  readonly timeline = new Timeline();
  /** Capture time of the first message, as seconds and nanoseconds. */
  origin: { seconds: number; nanos: number } | undefined = undefined;
  firstNs = Infinity;
  /** Capture time the timeline starts at: the first message kept that has a time. */
  timelineStart = Number.NaN;
  lastNs = -Infinity;

  private readonly message = new Message();
  private readonly directions = new WeakMap<FrameStream, Direction>();
  private nextId = 0;
  private connections = 0;
  private readonly open = new Map<string, OpenCommand>();
  private readonly queries = new Map<string, Query>();
  private readonly queriesByCommandId = new Map<string, Query>();
  private readonly queryList: QueryStats[] = [];

  constructor(
    private readonly chooser: ProtocolChooser,
    private readonly filters: FrameFilter,
    private readonly limits: StatsLimits = DEFAULT_LIMITS,
  ) {}

  frame(stream: FrameStream, payload: Uint8Array): void {
    if (!this.filters.keepsConn(stream.conn)) return;
    const proto = this.chooser.choose(stream, payload);
    if (proto === undefined) {
      this.decodeErrors++;
      return;
    }
    try {
      this.take(stream, proto.decode(payload, this.message));
    } catch (err) {
      if (!(err instanceof AMPSException)) throw err;
      this.decodeErrors++;
    }
  }

  truncated(): void {
    this.truncatedFrames++;
  }

  frameError(): void {
    this.frameErrors++;
  }

  notice(_stream: FrameStream, notice: StreamNotice): void {
    this.notices.set(notice.kind, (this.notices.get(notice.kind) ?? 0) + 1);
  }

  warning(_error: StreamException): void {
    this.warnings++;
  }

  /** The report as of now (call after the last input). */
  report(): StatsReport {
    const commands: Record<string, number> = {};
    for (const [name, n] of [...this.commands].sort(byCount)) commands[name] = n;
    const topics: Record<string, TopicStats> = {};
    const topicOrder = [...this.topics].sort((a, b) => total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1));
    for (const [name, t] of topicOrder)
      topics[name] = { published: t.published, delivered: t.delivered, bytes: t.bytes };
    const responses = [...this.responses.values()]
      .sort((a, b) =>
        a.command < b.command ? -1 : a.command > b.command ? 1 : ackOrder(a.ackType) - ackOrder(b.ackType),
      )
      .map(({ command, ackType, histogram: h }) => ({
        command,
        ackType,
        count: h.count,
        minMs: ms(h.min),
        p50Ms: ms(h.percentile(0.5)),
        p90Ms: ms(h.percentile(0.9)),
        p99Ms: ms(h.percentile(0.99)),
        maxMs: ms(h.max),
      }));
    const unanswered: Unanswered[] = [];
    for (const c of this.open.values()) {
      const missing = c.requested & ~c.seen;
      if (missing === 0) continue;
      unanswered.push({
        conn: c.conn,
        command: c.command,
        commandId: c.commandId,
        missing: ACK_TYPE_NAMES.filter((_, i) => missing & (1 << i)),
      });
    }
    return {
      messages: this.messages,
      connections: this.connections,
      durationMs: this.messages === 0 ? 0 : ms(this.lastNs - this.firstNs),
      commands,
      topics,
      responses,
      unanswered,
      queries: this.queryList,
    };
  }

  /** The response-time histograms by (command, ack type), in report order. */
  histograms(): { command: string; ackType: string; histogram: DurationHistogram }[] {
    return [...this.responses.values()].sort((a, b) =>
      a.command < b.command ? -1 : a.command > b.command ? 1 : ackOrder(a.ackType) - ackOrder(b.ackType),
    );
  }

  /** Whether anything failed to decode (exit code 1). */
  get failed(): boolean {
    return this.decodeErrors + this.frameErrors > 0;
  }

  private take(stream: FrameStream, m: Message): void {
    const dir = this.direction(stream);
    const command = m.get(Field.Command) ?? '(none)';
    if (dir.side === undefined) this.learnSide(stream, dir, command);
    const t = this.now();
    const kept = this.filters.keepsTime(this.clock) && this.filters.keepsMessage(m);
    const fromServer = this.fromServer(stream, dir, m, command);
    if (kept) this.count(dir, m, command, fromServer, t);
    if (command === 'ack') this.ack(stream, m, t);
    else if (SOW_QUERIES.has(command) && (fromServer || this.isBatch(stream, m))) this.batch(stream, m, t);
    else if (command === 'group_begin' || command === 'group_end') this.group(stream, m, command, t);
    else if (kept && !fromServer) this.command(dir, m, command, t);
  }

  private count(dir: Direction, m: Message, command: string, fromServer: boolean, t: number | undefined): void {
    this.messages++;
    if (!dir.connection.counted) {
      dir.connection.counted = true;
      this.connections++;
    }
    if (t !== undefined) {
      if (Number.isNaN(this.timelineStart)) this.timelineStart = t;
      if (t < this.firstNs) this.firstNs = t;
      if (t > this.lastNs) this.lastNs = t;
    }
    const name = this.commands.has(command) || this.commands.size < this.limits.commands ? command : OTHER_COMMANDS;
    this.commands.set(name, (this.commands.get(name) ?? 0) + 1);
    const published = !fromServer && (command === 'publish' || command === 'delta_publish');
    const delivered = fromServer && (command === 'publish' || command === 'oof');
    if (!published && !delivered) return;
    const topic = m.get(Field.Topic);
    if (topic === undefined) return;
    let stats = this.topics.get(topic);
    if (stats === undefined) {
      const key = this.topics.size < this.limits.topics ? topic : OTHER_TOPICS;
      stats = this.topics.get(key);
      if (stats === undefined) {
        stats = { published: 0, delivered: 0, bytes: 0 };
        this.topics.set(key, stats);
      }
    }
    if (published) stats.published++;
    else stats.delivered++;
    stats.bytes += m.dataLength;
    if (t !== undefined) this.timeline.add(topic, t - this.timelineStart, this.limits.timelineTopics);
  }

  // A command sent with a CommandId waits for its acks; a SOW query also for its records.
  private command(dir: Direction, m: Message, command: string, t: number | undefined): void {
    const commandId = m.get(Field.CommandId);
    if (commandId !== undefined) {
      const key = `${dir.id}\u0000${commandId}`;
      this.open.delete(key);
      this.open.set(key, {
        conn: dir.conn,
        command,
        commandId,
        sentNs: t,
        requested: ackFlags(m.get(Field.AckType)),
        seen: 0,
      });
      if (this.open.size > this.limits.openCommands) {
        this.open.delete(this.open.keys().next().value!);
        this.forgottenCommands++;
      }
    }
    if (!SOW_QUERIES.has(command)) return;
    const queryId = m.get(Field.QueryID) ?? commandId;
    if (queryId === undefined) return;
    if (this.queryList.length >= this.limits.queries) {
      this.droppedQueries++;
      return;
    }
    const stats: QueryStats = {
      conn: dir.conn,
      queryId,
      command,
      topic: m.get(Field.Topic) ?? null,
      records: 0,
      batches: 0,
      firstRecordMs: null,
      ms: null,
    };
    const query: Query = { stats, sentNs: t, grouped: false };
    this.queryList.push(stats);
    this.queries.set(`${dir.id}\u0000${queryId}`, query);
    if (commandId !== undefined) this.queriesByCommandId.set(`${dir.id}\u0000${commandId}`, query);
  }

  private ack(stream: FrameStream, m: Message, t: number | undefined): void {
    const commandId = m.get(Field.CommandId);
    const peer = this.peer(stream);
    if (commandId === undefined || peer === undefined) return;
    const key = `${peer.id}\u0000${commandId}`;
    const ackType = m.get(Field.AckType) ?? '(none)';
    const open = this.open.get(key);
    if (open !== undefined) {
      if (open.sentNs !== undefined && t !== undefined) this.histogram(open.command, ackType).add(t - open.sentNs);
      open.seen |= ackFlags(ackType);
      if (open.requested !== 0 && (open.requested & ~open.seen) === 0) this.open.delete(key);
    }
    if (ackType === 'completed') {
      const query = this.queriesByCommandId.get(key);
      if (query !== undefined) {
        if (!query.grouped) this.finish(query, t);
        this.queries.delete(`${peer.id}\u0000${query.stats.queryId}`);
        this.queriesByCommandId.delete(key);
      }
    }
  }

  private batch(stream: FrameStream, m: Message, t: number | undefined): void {
    const query = this.queryOf(stream, m);
    if (query === undefined) return;
    let records = 0;
    for (const _ of m.records()) records++;
    query.stats.batches++;
    query.stats.records += records;
    if (records > 0 && query.stats.firstRecordMs === null) query.stats.firstRecordMs = elapsed(query.sentNs, t);
  }

  private group(stream: FrameStream, m: Message, command: string, t: number | undefined): void {
    const query = this.queryOf(stream, m);
    if (query === undefined) return;
    if (command === 'group_begin') query.grouped = true;
    else this.finish(query, t);
  }

  private finish(query: Query, t: number | undefined): void {
    if (query.stats.ms === null) query.stats.ms = elapsed(query.sentNs, t);
  }

  private queryOf(stream: FrameStream, m: Message): Query | undefined {
    const peer = this.peer(stream);
    const queryId = m.get(Field.QueryID);
    if (peer === undefined || queryId === undefined) return undefined;
    return this.queries.get(`${peer.id}\u0000${queryId}`);
  }

  // A `sow` from a side not known to be the server is a batch when it carries records or answers a query of the peer.
  private isBatch(stream: FrameStream, m: Message): boolean {
    return !m.records().next().done || this.queryOf(stream, m) !== undefined;
  }

  private histogram(command: string, ackType: string): DurationHistogram {
    const key = `${command}\u0000${ackType}`;
    let group = this.responses.get(key);
    if (group === undefined) {
      // Commands and ack types come from the wire: past a sane number, lump the rest together.
      if (this.responses.size >= this.limits.commands && command !== OTHER_COMMANDS)
        return this.histogram(OTHER_COMMANDS, OTHER_COMMANDS);
      group = { command, ackType, histogram: new DurationHistogram() };
      this.responses.set(key, group);
    }
    return group.histogram;
  }

  private direction(stream: FrameStream): Direction {
    let dir = this.directions.get(stream);
    if (dir === undefined) {
      const peer = stream.peer === undefined ? undefined : this.directions.get(stream.peer);
      dir = {
        id: this.nextId++,
        conn: stream.conn,
        connection: peer?.connection ?? { counted: false },
        side: undefined,
      };
      this.directions.set(stream, dir);
    }
    return dir;
  }

  private peer(stream: FrameStream): Direction | undefined {
    return stream.peer === undefined ? undefined : this.direction(stream.peer);
  }

  // The server side answered the SYN; in a capture joined mid-way it is the side that sends acks.
  private learnSide(stream: FrameStream, dir: Direction, command: string): void {
    const side = stream.side ?? (SERVER_ONLY.has(command) ? 'server' : CLIENT_ONLY.has(command) ? 'client' : undefined);
    if (side === undefined) return;
    dir.side = side;
    const peer = this.peer(stream);
    if (peer !== undefined) peer.side ??= side === 'server' ? 'client' : 'server';
  }

  // Before the sides are known, a publish carrying subscription ids is one delivered by the server.
  private fromServer(stream: FrameStream, dir: Direction, m: Message, command: string): boolean {
    const side = stream.side ?? dir.side;
    if (side !== undefined) return side === 'server';
    return (
      command === 'oof' || (command === 'publish' && (m.has(Field.SubscriptionId) || m.has(Field.SubscriptionIds)))
    );
  }

  // Nanoseconds since the first capture time seen.
  private now(): number | undefined {
    const clock = this.clock;
    if (clock === undefined) return undefined;
    if (this.origin === undefined) this.origin = { seconds: clock.seconds, nanos: clock.nanos };
    return (clock.seconds - this.origin.seconds) * 1e9 + (clock.nanos - this.origin.nanos);
  }
}

// Wire data may name ack types that are none: those are left out, not refused as parseAckTypes does.
function ackFlags(text: string | undefined): number {
  if (text === undefined) return 0;
  let flags = 0;
  for (const name of text.split(',')) {
    const i = ACK_TYPE_NAMES.indexOf(name.trim());
    if (i >= 0) flags |= 1 << i;
  }
  return flags;
}

function ackOrder(name: string): number {
  const i = ACK_TYPE_NAMES.indexOf(name);
  return i < 0 ? ACK_TYPE_NAMES.length : i;
}

function elapsed(from: number | undefined, to: number | undefined): number | null {
  return from === undefined || to === undefined ? null : ms(to - from);
}

// Milliseconds from nanoseconds, fractions kept (to the nanosecond).
function ms(nanos: number): number {
  return Math.round(nanos) / 1e6;
}

function total(t: TopicStats): number {
  return t.published + t.delivered;
}

function byCount(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
}
