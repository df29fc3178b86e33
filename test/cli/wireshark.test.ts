import { describe, expect, it } from 'vitest';
import { FIELDS } from '../../src/core/fields.js';
import { parsePorts } from '../../src/cli/wireshark/command.js';
import { filterName, luaString, snakeCase, wiresharkDissector } from '../../src/cli/wireshark/generate.js';
import { runCli } from './run-cli.js';

/** The entries of a generated `local NAME = { [k] = v, ... }` table, as [key, value] text. */
function luaTable(script: string, name: string): [string, string][] {
  const start = script.indexOf(`local ${name} = {\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = script.indexOf('\n}', start);
  return script
    .slice(script.indexOf('\n', start) + 1, end)
    .split('\n')
    .map((line) => {
      const m = /^ {2}\[(.+)\] = (.+),$/.exec(line);
      if (m === null) throw new Error(`not a table entry: ${line}`);
      return [m[1]!, m[2]!];
    });
}

describe('snakeCase', () => {
  it('names display-filter fields as API.md does', () => {
    expect(snakeCase('Command')).toBe('command');
    expect(snakeCase('CommandId')).toBe('command_id');
    expect(snakeCase('SubscriptionId')).toBe('subscription_id');
    expect(snakeCase('SubscriptionIds')).toBe('subscription_ids');
    expect(snakeCase('QueryID')).toBe('query_id');
    expect(snakeCase('MessageID')).toBe('message_id');
    expect(snakeCase('TopN')).toBe('top_n');
    expect(snakeCase('SkipN')).toBe('skip_n');
    expect(snakeCase('SowKey')).toBe('sow_key');
    expect(snakeCase('GroupSequenceNumber')).toBe('group_sequence_number');
    expect(filterName(FIELDS[43]!, true)).toBe('amps.record.sow_key');
  });

  it('gives every field its own name', () => {
    const names = FIELDS.map((f) => snakeCase(f.name));
    expect(new Set(names).size).toBe(FIELDS.length);
  });
});

describe('luaString', () => {
  it('escapes quotes, backslashes and bytes outside printable ASCII', () => {
    expect(luaString('Tpc')).toBe('"Tpc"');
    expect(luaString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(luaString('\x01é')).toBe('"\\001\\195\\169"');
  });
});

describe('wiresharkDissector', () => {
  const script = wiresharkDissector();

  it('declares one string field per header field, for messages and for SOW records', () => {
    for (const f of FIELDS) {
      expect(script).toContain(`HF[${f.id + 1}] = ProtoField.string("amps.${snakeCase(f.name)}", "${f.name}")`);
      expect(script).toContain(`RF[${f.id + 1}] = ProtoField.string("amps.record.${snakeCase(f.name)}", "${f.name}")`);
    }
    expect(script.match(/ProtoField\.string\("amps\.[a-z_]+"/g)).toHaveLength(FIELDS.length + 3); // + protocol, unknown_field, body_text
  });

  it('declares the frame, body and record fields of API.md', () => {
    expect(script).toContain('ProtoField.string("amps.protocol", "Header protocol")');
    expect(script).toContain('ProtoField.uint32("amps.length", "Frame length", base.DEC)');
    expect(script).toContain('ProtoField.uint32("amps.body_length", "Body length", base.DEC)');
    expect(script).toContain('ProtoField.bytes("amps.body", "Body")');
    expect(script).toContain('ProtoField.none("amps.record", "SOW record")');
    expect(script).toContain('ProtoField.uint32("amps.record.body_length", "Body length", base.DEC)');
    expect(script).toContain('ProtoField.bytes("amps.record.body", "Body")');
  });

  it('gives no display-filter name twice', () => {
    const names = [...script.matchAll(/ProtoField\.\w+\("([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('maps every amps/json key and alias to its field', () => {
    const expected = FIELDS.flatMap((f) => [f.json, ...f.jsonAliases].map((k) => [`"${k}"`, String(f.id + 1)]));
    expect(luaTable(script, 'JSON_KEYS')).toEqual(expected);
  });

  it('maps every FIX tag and alias to its field', () => {
    const table = new Map(luaTable(script, 'FIX_TAGS'));
    expect(table.get('20000')).toBe('1');
    expect(table.get('20035')).toBe(String(FIELDS.find((f) => f.name === 'CorrelationId')!.id + 1));
    expect(table.get('20074')).toBe(table.get('20035'));
    expect(table.size).toBe(FIELDS.reduce((n, f) => n + (f.fixTag === undefined ? 0 : 1) + f.fixAliases.length, 0));
  });

  it('maps every XML element name and alias to its field', () => {
    const table = new Map(luaTable(script, 'XML_NAMES'));
    for (const f of FIELDS) {
      for (const x of [...(f.xml === undefined ? [] : [f.xml]), ...f.xmlAliases])
        expect(table.get(`"${x}"`)).toBe(String(f.id + 1));
    }
    expect(table.get('"MsgLen"')).toBe(table.get('"MsgLn"'));
  });

  it('indexes the fields the Lua code names by their table names', () => {
    expect(luaTable(script, 'ID')).toEqual(FIELDS.map((f) => [`"${f.name}"`, String(f.id + 1)]));
  });

  it('reassembles 4-byte frames across TCP segments', () => {
    expect(script).toContain('dissect_tcp_pdus(tvb, tree, 4, frame_length, dissect_frame, true)');
    expect(script).toContain(`local MAX_FRAME = ${64 * 1024 * 1024}`);
  });

  it('registers on port 9007 by default and as a heuristic on TCP, TLS and WebSocket', () => {
    expect(luaTable(script, 'PORTS')).toEqual([['9007', 'false']]);
    expect(script).toContain('for port, _ in pairs(PORTS) do tcp_port:add(port, amps) end');
    expect(script).toContain('amps:register_heuristic("tcp", heuristic_tcp)');
    expect(script).toContain('amps:register_heuristic("tls", heuristic_tls)');
    expect(script).toContain('amps:register_heuristic("ws", heuristic_ws)');
  });

  it('registers on the ports given, naming tag=value frames nvfix where asked', () => {
    const s = wiresharkDissector({ ports: [{ port: 9007 }, { port: 9004, protocol: 'nvfix' }], maxFrameLength: 1024 });
    expect(luaTable(s, 'PORTS')).toEqual([
      ['9007', 'false'],
      ['9004', '"nvfix"'],
    ]);
    expect(s).toContain('local MAX_FRAME = 1024');
    expect(s).toContain('-- Registered on TCP port(s) 9007, 9004,');
  });

  it('reports malformed frames as expert info, never as a Lua error', () => {
    expect(script).toContain(
      'ProtoExpert.new("amps.malformed", "Malformed AMPS frame", expert.group.MALFORMED, expert.severity.ERROR)',
    );
    expect(script).toContain('local ok, err = pcall(PARSERS[kind], s, n, m)');
    expect(script).toContain('amps.experts = { ef_malformed, ef_partial }');
  });
});

describe('parsePorts', () => {
  it('reads ports and PORT=nvfix', () => {
    expect(parsePorts(['9007', '9004=nvfix', '65535', '1=fix'])).toEqual([
      { port: 9007 },
      { port: 9004, protocol: 'nvfix' },
      { port: 65535 },
      { port: 1, protocol: 'fix' },
    ]);
  });

  it.each([['0'], ['65536'], ['x'], ['9007=xml'], ['9007=nvfix=1'], [' 9007'], ['123456']])('refuses %j', (item) => {
    expect(() => parsePorts([item])).toThrow(/--ports/);
  });

  it('refuses a port named twice', () => {
    expect(() => parsePorts(['9007', '9007=nvfix'])).toThrow('--ports names port 9007 twice');
  });
});

describe('amps-wire wireshark', () => {
  it('prints the dissector', async () => {
    const r = await runCli(['wireshark', '--ports', '9007,9008', '--ports', '9004=nvfix']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      wiresharkDissector({ ports: [{ port: 9007 }, { port: 9008 }, { port: 9004, protocol: 'nvfix' }] }),
    );
  });

  it('prints the default dissector without options', async () => {
    const r = await runCli(['wireshark']);
    expect(r.stdout).toBe(wiresharkDissector());
  });

  it('exits 2 on bad usage', async () => {
    const bad = await runCli(['wireshark', '--ports', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain(
      'amps-wire wireshark: --ports takes TCP ports (1-65535), optionally PORT=nvfix; got "70000"',
    );
    expect((await runCli(['wireshark', 'extra'])).code).toBe(2);
    expect((await runCli(['wireshark', '--ports', ','])).code).toBe(2);
    expect((await runCli(['wireshark', '--max-frame-length', '0'])).code).toBe(2);
  });

  it('has help, and is listed in the main help', async () => {
    const help = await runCli(['wireshark', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: amps-wire wireshark \[--ports LIST\] > amps\.lua\n/);
    expect((await runCli(['help', 'wireshark'])).stdout).toBe(help.stdout);
    expect((await runCli(['--help'])).stdout).toContain(
      'amps-wire wireshark        print a Wireshark dissector (Lua) for AMPS\n',
    );
  });
});
