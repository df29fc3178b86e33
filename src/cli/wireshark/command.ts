/** `amps-wire wireshark`: prints the Wireshark dissector generated from the field table. */
import { listOption, parseCommandLine, sizeOption, UsageError, type OptionSpec } from '../args.js';
import type { CliIo } from '../io.js';
import { DEFAULT_PORT, wiresharkDissector, type DissectorPort } from './generate.js';

export const WIRESHARK_HELP = `Usage: amps-wire wireshark [--ports LIST] > amps.lua

Prints a Wireshark dissector (Lua, Wireshark 3.6 and later) for AMPS, generated from the header
field table: protocol "amps" with display-filter fields amps.protocol, amps.length, one string
field per header field (amps.command, amps.topic, amps.command_id, amps.sow_key, ...),
amps.body_length, amps.body, and SOW records as amps.record subtrees (amps.record.sow_key,
amps.record.body_length, ...). Frames are reassembled across TCP segments. The dissector is
registered on the given TCP ports and as a heuristic on TCP, on decrypted TLS and on WebSocket
message payloads, so tcps, ws and wss traffic shows through Wireshark's own layers.

Options:
      --ports LIST            TCP ports to register on, comma-separated (default ${DEFAULT_PORT});
                              PORT=nvfix names that port's tag=value frames nvfix
                              (their header is the same as fix)
      --max-frame-length N    largest frame accepted (default 64M)
  -h, --help                  this help

Use:
  amps-wire wireshark --ports 9007,9004=nvfix > amps.lua
  tshark -X lua_script:amps.lua -r capture.pcap -Y 'amps.topic == "orders"'
  or copy amps.lua into Wireshark's personal Lua plugins folder (Help > About > Folders).
`;

const OPTIONS: Record<string, OptionSpec> = {
  ports: { type: 'string', multiple: true },
  'max-frame-length': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** `9007`, `9004=nvfix` as ports; throws UsageError for anything else. */
export function parsePorts(items: readonly string[]): DissectorPort[] {
  const ports: DissectorPort[] = [];
  for (const item of items) {
    const [number = '', protocol, extra] = item.split('=');
    const port = /^\d{1,5}$/.test(number) ? Number(number) : NaN;
    if (!(port >= 1 && port <= 65535) || extra !== undefined)
      throw new UsageError(`--ports takes TCP ports (1-65535), optionally PORT=nvfix; got ${JSON.stringify(item)}`);
    if (protocol !== undefined && protocol !== 'fix' && protocol !== 'nvfix')
      throw new UsageError(`--ports: a port's protocol may be fix or nvfix; got ${JSON.stringify(item)}`);
    if (ports.some((p) => p.port === port)) throw new UsageError(`--ports names port ${port} twice`);
    ports.push(protocol === undefined ? { port } : { port, protocol });
  }
  return ports;
}

/** Runs `amps-wire wireshark`; resolves to the exit code. */
export async function wiresharkCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv, OPTIONS);
  if (args.values['help'] === true) {
    io.stdout.write(WIRESHARK_HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}`);
  const items = listOption(args, 'ports');
  if (args.values['ports'] !== undefined && items.length === 0)
    throw new UsageError('--ports takes a list of TCP ports');
  const ports = items.length === 0 ? undefined : parsePorts(items);
  const maxFrameLength = sizeOption(args, 'max-frame-length', 64 * 1024 * 1024);
  if (maxFrameLength < 1 || maxFrameLength > 0xffffffff)
    throw new UsageError('--max-frame-length takes a size from 1 byte to 4G-1');
  io.stdout.write(wiresharkDissector({ ...(ports === undefined ? {} : { ports }), maxFrameLength }));
  return 0;
}
