/** Counters over a decode run, and the summary printed from them on stderr. */
import { newCaptureStats, type CaptureStats } from '../capture/capture-decoder.js';
import type { NoticeKind } from '../capture/frame-stream.js';
import { escapeControls } from './text.js';

/** Distinct commands counted by name; the rest are counted together as {@link OTHER_COMMANDS}. */
export const MAX_COMMANDS = 64;
/** Characters of a command name kept for the summary. */
const MAX_COMMAND_LENGTH = 40;
/** The name under which commands past {@link MAX_COMMANDS} distinct ones are counted. */
export const OTHER_COMMANDS = '(other)';

/** What a decode run saw. */
export class DecodeStats {
  inputs = 0;
  bytes = 0;
  frames = 0;
  /** Frames written out (after --conn/--command/--topic filters). */
  shown = 0;
  readonly byProtocol = new Map<string, number>();
  /** Decoded messages per transport (`tcp`, `ws`, `tls`, `tls/ws`). */
  readonly byTransport = new Map<string, number>();
  readonly byCommand = new Map<string, number>();
  batches = 0;
  records = 0;
  /** Frames that failed to decode (including those whose protocol could not be told). */
  decodeErrors = 0;
  /** Frames whose length prefix could not be right. */
  frameErrors = 0;
  truncated = 0;
  /** Inputs that were corrupt or cut short as capture files. */
  captureErrors = 0;
  /** Packet-level warnings (fragments, malformed headers, unknown link types). */
  warnings = 0;
  readonly notices = new Map<NoticeKind, number>();
  readonly capture: CaptureStats = newCaptureStats();

  /** Counts one decoded frame. */
  decoded(protocol: string, command: string | undefined, records: number): void {
    this.byProtocol.set(protocol, (this.byProtocol.get(protocol) ?? 0) + 1);
    // Commands come from the wire: past a few dozen distinct ones the rest share one count.
    let c = command ?? '(none)';
    // A long one is kept by its start, copied so the whole value is not kept alive with it.
    if (c.length > MAX_COMMAND_LENGTH) c = [...c.slice(0, MAX_COMMAND_LENGTH)].join('') + '…';
    if (this.byCommand.size >= MAX_COMMANDS && !this.byCommand.has(c)) c = OTHER_COMMANDS;
    this.byCommand.set(c, (this.byCommand.get(c) ?? 0) + 1);
    if (records > 0) {
      this.batches++;
      this.records += records;
    }
  }

  /** Adds a capture decoder's counters. */
  addCapture(s: CaptureStats): void {
    const c = this.capture as unknown as Record<string, number>;
    for (const [k, v] of Object.entries(s)) c[k] = (c[k] ?? 0) + v;
  }

  /** Whether anything failed to decode or was cut off (exit code 1). */
  get failed(): boolean {
    return this.decodeErrors + this.frameErrors + this.captureErrors + this.truncated > 0;
  }

  /** The summary, several lines, for stderr. */
  summary(seconds: number, filtered: boolean): string {
    const c = this.capture;
    const lines: string[] = [];
    const rate = seconds > 0 ? ` (${(this.bytes / 1e6 / seconds).toFixed(1)} MB/s)` : '';
    lines.push(`amps-wire: ${plural(this.inputs, 'input')}, ${bytes(this.bytes)} in ${seconds.toFixed(2)} s${rate}`);
    if (c.packets > 0) {
      lines.push(
        `  packets   ${num(c.packets)} (${num(c.tcpPackets)} TCP, ${num(c.otherPackets)} other${c.badPackets > 0 ? `, ${num(c.badPackets)} unusable` : ''}), ${plural(c.directions, 'connection direction')}`,
      );
    }
    lines.push(
      `  frames    ${num(this.frames)}${this.byProtocol.size > 0 ? `: ${counts(this.byProtocol)}` : ''}${filtered ? ` (${num(this.shown)} shown)` : ''}`,
    );
    if (this.byCommand.size > 0) lines.push(`  commands  ${counts(this.byCommand)}`);
    if ([...this.byTransport.keys()].some((t) => t !== 'tcp')) lines.push(`  transport ${counts(this.byTransport)}`);
    if (this.batches > 0)
      lines.push(`  SOW       ${plural(this.batches, 'batch', 'batches')}, ${plural(this.records, 'record')}`);
    const problems: string[] = [];
    if (this.decodeErrors > 0) problems.push(plural(this.decodeErrors, 'decode error'));
    if (this.frameErrors > 0) problems.push(plural(this.frameErrors, 'impossible frame length'));
    if (this.captureErrors > 0) problems.push(plural(this.captureErrors, 'corrupt capture file'));
    if (this.truncated > 0) problems.push(plural(this.truncated, 'truncated frame'));
    if (c.gaps > 0) problems.push(`${plural(c.gaps, 'gap')} (${bytes(c.gapBytes)} missing)`);
    const joined = this.notices.get('joined') ?? 0;
    if (joined > 0) problems.push(`${plural(joined, 'stream')} joined mid-way`);
    const evicted = this.notices.get('evicted') ?? 0;
    if (evicted > 0)
      problems.push(
        `${plural(evicted, 'connection direction')} set aside (too many open at once, or too many bytes held)`,
      );
    const foreign = this.notices.get('not-amps') ?? 0;
    if (foreign > 0) problems.push(`${plural(foreign, 'stream')} skipped (not AMPS)`);
    const unsynced = this.notices.get('unsynced') ?? 0;
    if (unsynced > 0) problems.push(`${plural(unsynced, 'stream')} not decoded (no trusted frame boundary)`);
    const noKeys = this.notices.get('no-keys') ?? 0;
    if (noKeys > 0) problems.push(`${plural(noKeys, 'TLS connection')} without keys (not decrypted)`);
    const tlsErrors = this.notices.get('tls-error') ?? 0;
    if (tlsErrors > 0) problems.push(`${plural(tlsErrors, 'TLS connection')} stopped (unreadable records)`);
    const wsErrors = this.notices.get('ws-error') ?? 0;
    if (wsErrors > 0) problems.push(`${plural(wsErrors, 'WebSocket direction')} stopped (unreadable frames)`);
    if (this.warnings > 0) problems.push(plural(this.warnings, 'packet warning'));
    if (c.retransmittedBytes > 0) problems.push(`${bytes(c.retransmittedBytes)} retransmitted`);
    if (c.outOfOrderSegments > 0) problems.push(plural(c.outOfOrderSegments, 'out-of-order segment'));
    lines.push(`  problems  ${problems.length === 0 ? 'none' : problems.join(', ')}`);
    return lines.join('\n') + '\n';
  }
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** `1,234 B`, `12.3 KiB`, `4.5 MiB`, `1.2 GiB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${num(n)} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

function counts(map: ReadonlyMap<string, number>): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${escapeControls(k)} ${num(v)}`)
    .join(', ');
}
