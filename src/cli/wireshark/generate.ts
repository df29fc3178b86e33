/**
 * Writes the Wireshark dissector (Lua, Wireshark 3.6 and later) from the header field table:
 * every display-filter field, json key, FIX tag and XML element name in the script comes from
 * {@link FIELDS}, so the dissector never lags the codecs.
 */
import { FIELDS, type FieldDescriptor } from '../../core/fields.js';
import { LUA_DISSECTOR } from './lua-dissector.js';
import { LUA_PARSERS } from './lua-parsers.js';

/** A TCP port the dissector is registered on, and the header protocol it names for tag=value frames. */
export interface DissectorPort {
  readonly port: number;
  /** `nvfix` labels the port's tag=value frames nvfix (their header is the same as fix). */
  readonly protocol?: 'fix' | 'nvfix';
}

/** What the generated dissector is set up with. */
export interface DissectorOptions {
  /** TCP ports to register on (default 9007). */
  readonly ports?: readonly DissectorPort[];
  /** Largest frame length accepted (default 64 MiB, as decode). */
  readonly maxFrameLength?: number;
}

/** The default TCP port of AMPS's amps/json transport. */
export const DEFAULT_PORT = 9007;

/** `CommandId` → `command_id`, `QueryID` → `query_id`, `TopN` → `top_n`: display-filter names. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The display-filter name of a header field: `amps.topic`, `amps.record.sow_key`. */
export function filterName(field: FieldDescriptor, record = false): string {
  return `${record ? 'amps.record.' : 'amps.'}${snakeCase(field.name)}`;
}

// Fields named in the Info column after the command and topic, by their amps/json key
// (`publish orders cid=7`).
const INFO_FIELDS = ['CommandId', 'SubscriptionId', 'QueryID', 'Sequence', 'AckType', 'Status'];

/** A Lua string literal holding `text` (bytes outside printable ASCII escaped). */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

function luaTable(entries: readonly (readonly [string, string])[]): string {
  return `{\n${entries.map(([k, v]) => `  [${k}] = ${v},`).join('\n')}\n}`;
}

/** The generated part: protocol, fields, expert infos, lookup tables. */
function declarations(options: DissectorOptions): string {
  const ports = options.ports ?? [{ port: DEFAULT_PORT }];
  const lines: string[] = [];
  lines.push(`local amps = Proto("amps", "AMPS")`);
  lines.push(`local MAX_FRAME = ${options.maxFrameLength ?? 64 * 1024 * 1024}`);
  lines.push('');
  lines.push('-- Field indexes (1-based), by the names of WIRE.md section 6.');
  lines.push(`local ID = ${luaTable(FIELDS.map((f) => [luaString(f.name), String(f.id + 1)]))}`);
  lines.push('');
  lines.push('-- amps/json keys, FIX/NVFIX tags and XML element names, encoded and accepted spellings.');
  lines.push(
    `local JSON_KEYS = ${luaTable(FIELDS.flatMap((f) => [f.json, ...f.jsonAliases].map((k) => [luaString(k), String(f.id + 1)] as const)))}`,
  );
  lines.push(
    `local FIX_TAGS = ${luaTable(FIELDS.flatMap((f) => [...(f.fixTag === undefined ? [] : [f.fixTag]), ...f.fixAliases].map((t) => [String(t), String(f.id + 1)] as const)))}`,
  );
  lines.push(
    `local XML_NAMES = ${luaTable(FIELDS.flatMap((f) => [...(f.xml === undefined ? [] : [f.xml]), ...f.xmlAliases].map((x) => [luaString(x), String(f.id + 1)] as const)))}`,
  );
  lines.push('');
  lines.push('-- TCP ports registered, and the protocol named for their tag=value frames.');
  lines.push(
    `local PORTS = ${luaTable(ports.map((p) => [String(p.port), p.protocol === undefined ? 'false' : luaString(p.protocol)]))}`,
  );
  lines.push('');
  const info = INFO_FIELDS.map((name) => {
    const f = FIELDS.find((d) => d.name === name);
    if (f === undefined) throw new Error(`no header field ${name}`);
    return `{ ${f.id + 1}, ${luaString(f.json)} }`;
  });
  lines.push(`local INFO_FIELDS = { ${info.join(', ')} }`);
  lines.push('');
  lines.push('-- One string field per header field, for the message and for each SOW record.');
  lines.push('local HF, RF = {}, {}');
  for (const f of FIELDS) {
    lines.push(`HF[${f.id + 1}] = ProtoField.string(${luaString(filterName(f))}, ${luaString(f.name)})`);
    lines.push(`RF[${f.id + 1}] = ProtoField.string(${luaString(filterName(f, true))}, ${luaString(f.name)})`);
  }
  lines.push(`local hf_protocol = ProtoField.string("amps.protocol", "Header protocol")`);
  lines.push(`local hf_length = ProtoField.uint32("amps.length", "Frame length", base.DEC)`);
  lines.push(`local hf_unknown = ProtoField.string("amps.unknown_field", "Unknown field")`);
  lines.push(`local hf_body_length = ProtoField.uint32("amps.body_length", "Body length", base.DEC)`);
  lines.push(`local hf_body = ProtoField.bytes("amps.body", "Body")`);
  lines.push(`local hf_body_text = ProtoField.string("amps.body_text", "Body text")`);
  lines.push(`local hf_record_count = ProtoField.uint32("amps.record_count", "SOW records", base.DEC)`);
  lines.push(`local hf_record = ProtoField.none("amps.record", "SOW record")`);
  lines.push(`local hf_record_unknown = ProtoField.string("amps.record.unknown_field", "Unknown field")`);
  lines.push(`local hf_record_body_length = ProtoField.uint32("amps.record.body_length", "Body length", base.DEC)`);
  lines.push(`local hf_record_body = ProtoField.bytes("amps.record.body", "Body")`);
  lines.push(`local hf_record_body_text = ProtoField.string("amps.record.body_text", "Body text")`);
  lines.push(
    'local fields = { hf_protocol, hf_length, hf_unknown, hf_body_length, hf_body, hf_body_text, hf_record_count,',
  );
  lines.push('  hf_record, hf_record_unknown, hf_record_body_length, hf_record_body, hf_record_body_text }');
  lines.push('for i = 1, #HF do fields[#fields + 1] = HF[i] end');
  lines.push('for i = 1, #RF do fields[#fields + 1] = RF[i] end');
  lines.push('amps.fields = fields');
  lines.push('');
  lines.push(
    `local ef_malformed = ProtoExpert.new("amps.malformed", "Malformed AMPS frame", expert.group.MALFORMED, expert.severity.ERROR)`,
  );
  lines.push(
    `local ef_partial = ProtoExpert.new("amps.partial", "AMPS frame continues in the next message", expert.group.REASSEMBLE, expert.severity.WARN)`,
  );
  lines.push('amps.experts = { ef_malformed, ef_partial }');
  return lines.join('\n');
}

/** The dissector script: the Lua text `amps-wire wireshark` prints. */
export function wiresharkDissector(options: DissectorOptions = {}): string {
  const ports = (options.ports ?? [{ port: DEFAULT_PORT }]).map((p) => p.port).join(', ');
  const header = [
    `-- AMPS dissector for Wireshark 3.6 and later, written by amps-wire from its header field table.`,
    `-- Registered on TCP port(s) ${ports}, and as a heuristic on TCP, on decrypted TLS and on WebSocket payloads.`,
    '-- Use: tshark -X lua_script:amps.lua -r capture.pcap -Y amps, or copy it into the Lua plugins folder',
    '-- (Help > About Wireshark > Folders > Personal Lua Plugins). Filter with amps.topic == "orders".',
    '-- Regenerate rather than edit: amps-wire wireshark --ports ' + ports.replace(/ /g, '') + ' > amps.lua',
  ].join('\n');
  return `${header}\n\n${declarations(options)}\n${LUA_PARSERS}${LUA_DISSECTOR}`;
}
