/**
 * Which protocol decodes a stream's frames: `--protocol` when given, else a `--port` rule
 * matching either end, else what the connection's first frame looks like (`{` → amps/json,
 * digits then `=` → fix, `<` → xml). The choice is made once per connection, for both
 * directions.
 */
import type { FrameStream } from '../capture/frame-stream.js';
import type { Protocol } from '../core/protocol.js';
import { protocol } from '../protocols.js';

/** The protocol name a payload's first bytes suggest, or undefined. */
export function detectProtocol(payload: Uint8Array): 'amps' | 'fix' | 'xml' | undefined {
  let i = 0;
  while (
    i < payload.length &&
    (payload[i] === 0x20 || payload[i] === 0x09 || payload[i] === 0x0a || payload[i] === 0x0d)
  )
    i++;
  const first = payload[i];
  if (first === 0x7b) return 'amps';
  if (first === 0x3c) return 'xml';
  if (first !== undefined && first >= 0x30 && first <= 0x39) {
    while (i < payload.length && payload[i]! >= 0x30 && payload[i]! <= 0x39) i++;
    if (payload[i] === 0x3d) return 'fix';
  }
  return undefined;
}

/** Per-connection state the command line keeps on a stream (`FrameStream.tag`), shared by both directions. */
export interface ConnectionState {
  protocol: Protocol | undefined;
}

/** Chooses the protocol of each stream. */
export class ProtocolChooser {
  private readonly fixed: Protocol | undefined;
  private readonly ports: ReadonlyMap<number, Protocol>;

  /**
   * @param name `--protocol` (`auto` or undefined to detect)
   * @param ports `--port` rules, port → protocol name
   */
  constructor(name: string | undefined, ports: ReadonlyMap<number, string>) {
    this.fixed = name === undefined || name === 'auto' ? undefined : protocol(name);
    const byPort = new Map<number, Protocol>();
    for (const [port, p] of ports) byPort.set(port, protocol(p));
    this.ports = byPort;
  }

  /** The connection state of `stream`, created (and shared with its peer) on first use. */
  state(stream: FrameStream): ConnectionState {
    let state = stream.tag as ConnectionState | undefined;
    if (state === undefined) {
      state = (stream.peer?.tag as ConnectionState | undefined) ?? { protocol: this.fixed ?? this.byPort(stream) };
      stream.tag = state;
    }
    return state;
  }

  /** The protocol for a frame of `stream`; undefined when nothing tells. */
  choose(stream: FrameStream, payload: Uint8Array): Protocol | undefined {
    const state = this.state(stream);
    if (state.protocol !== undefined) return state.protocol;
    const detected = detectProtocol(payload);
    if (detected !== undefined) state.protocol = protocol(detected);
    return state.protocol;
  }

  private byPort(stream: FrameStream): Protocol | undefined {
    return this.ports.get(stream.dstPort) ?? this.ports.get(stream.srcPort);
  }
}
