// One driver for the fixtures of the four header protocols (test/fixtures/{json,fix,nvfix,xml}),
// in the manner of mqtt-packet's testParseGenerate / testParseError. For each valid case:
//   decode      the payload decodes to exactly the fields (in order), body and records it lists;
//   reuse       decoding into one Message shared by the whole run, after other fixtures of every
//               protocol filled it, gives the same message and leaks nothing;
//   encode      encode, encodeInto (at an offset, between canary bytes) and encodeFrame write the
//               same bytes (the fixture's `encoded` where it gives them), and decoding them gives
//               the message back;
//   cuts        every strict prefix throws a StreamException with a code, unless the cut leaves a
//               message the wire format allows (see `expectCut`).
// For each invalid case: the StreamException with the fixture's code, offset and message.
import { describe, expect, it } from 'vitest';
import {
  AMPSException,
  amps,
  CommandException,
  createFixProtocol,
  createNvfixProtocol,
  FIELDS,
  fix,
  json,
  Message,
  nvfix,
  type Protocol,
  StreamException,
  xml,
} from '../../src/index.js';
import { type InvalidCase, loadFixtures, type ValidCase, text, utf8 } from './fixtures.js';

/** The options a fixture may give its protocol (fix and nvfix separators). */
export interface SeparatorOptions {
  fieldSeparator?: string;
  headerSeparator?: string;
}

/** The fixture folders of the header protocols. */
export type HeaderFolder = 'json' | 'fix' | 'nvfix' | 'xml';

type Valid = ValidCase<SeparatorOptions>;
type Invalid = InvalidCase<SeparatorOptions>;
type Fields = [string, string][];

/** Everything a decoded message says: fields in order, body, and records. */
export interface Content {
  fields: Fields;
  body: string;
  records: { fields: Fields; body: string }[];
}

/** What the driver must know of a protocol beyond its codec. */
interface HeaderProtocol {
  /** The `protocol` its StreamExceptions name. */
  errorName: string;
  /** The codec for a fixture's options. */
  make(options: SeparatorOptions | undefined): Protocol;
  /** Other names of the same codec: they must decode and encode alike. */
  sameCodec: readonly Protocol[];
  /** Where the first header of `payload` ends (the offset after it); -1 if no cut there is a message. */
  headerEnd(payload: Uint8Array, whole: Message, options: SeparatorOptions | undefined): number;
  /** Whether every body that is not a SOW batch runs to the end of the payload. */
  bodyRunsToEnd: boolean;
  /** Whether every error message says what was expected. */
  saysExpected: boolean;
  /** The field order the encoder writes for fields held in this order. */
  encodedOrder(fields: Fields): Fields;
}

/** Field name → value, in the order the message holds them. */
export function orderedFields(m: Message): Fields {
  return [...m.fields()].map((id) => [FIELDS[id]!.name, m.get(id)!]);
}

/** Everything `m` says, to compare whole. */
export function contentOf(m: Message): Content {
  return {
    fields: orderedFields(m),
    body: text(m.getData()),
    records: [...m.records()].map((r) => ({ fields: orderedFields(r), body: text(r.getData()) })),
  };
}

/** Command first, the others in the order held: what every encoder writes (WIRE.md section 2). */
export function commandFirst(fields: Fields): Fields {
  return [...fields.filter(([name]) => name === 'Command'), ...fields.filter(([name]) => name !== 'Command')];
}

/** amps/json moves a Sequence that would end the header to right after the command (WIRE.md section 7). */
function sequenceNotLast(fields: Fields): Fields {
  const command = fields.filter(([name]) => name === 'Command');
  const rest = fields.filter(([name]) => name !== 'Command');
  const last = rest.at(-1);
  if (last === undefined || last[0] !== 'Sequence' || rest.length < 2) return [...command, ...rest];
  return [...command, last, ...rest.slice(0, -1)];
}

function tagValueHeaderEnd(payload: Uint8Array, _whole: Message, options: SeparatorOptions | undefined): number {
  return payload.indexOf((options?.headerSeparator ?? '\x02').charCodeAt(0)) + 1;
}

const PROTOCOLS: Record<HeaderFolder, HeaderProtocol> = {
  json: {
    errorName: 'amps',
    make: () => amps,
    sameCodec: [json],
    // The header object ends where the body (or a batch's records) begins.
    headerEnd: (payload, whole) => bodyOffset(whole, payload),
    bodyRunsToEnd: true,
    saysExpected: false,
    encodedOrder: sequenceNotLast,
  },
  fix: {
    errorName: 'fix',
    make: (options) => (options === undefined ? fix : createFixProtocol(options)),
    sameCodec: [],
    headerEnd: tagValueHeaderEnd,
    bodyRunsToEnd: false,
    saysExpected: true,
    encodedOrder: commandFirst,
  },
  nvfix: {
    errorName: 'nvfix',
    make: (options) => (options === undefined ? nvfix : createNvfixProtocol(options)),
    sameCodec: [],
    headerEnd: tagValueHeaderEnd,
    bodyRunsToEnd: false,
    saysExpected: true,
    encodedOrder: commandFirst,
  },
  xml: {
    errorName: 'xml',
    make: () => xml,
    sameCodec: [],
    // No prefix of an envelope is a message.
    headerEnd: () => -1,
    bodyRunsToEnd: false,
    saysExpected: true,
    encodedOrder: commandFirst,
  },
};

/** Where the body of `m` starts in `payload` (it is a view of it). */
function bodyOffset(m: Message, payload: Uint8Array): number {
  return m.getData().byteOffset - payload.byteOffset;
}

/** The content a valid case lists; a body it does not give is taken from `m`. */
function expectedContent(f: Valid, m: Message): Content {
  return {
    fields: Object.entries(f.fields),
    body: f.body ?? text(m.getData()),
    records: (f.records ?? []).map((r) => ({ fields: Object.entries(r.fields), body: r.body })),
  };
}

/** Checks what a valid case says beyond fields and body: unknown keys, absent fields, integers. */
function expectExtras(m: Message, f: Valid, label: string): void {
  for (const [key, value] of Object.entries(f.unknown ?? {}))
    expect(m.get(key), `${label}: unknown ${key}`).toBe(value);
  for (const field of f.absent ?? []) {
    expect(m.get(field), `${label}: ${field} absent`).toBeUndefined();
    expect(m.has(field), `${label}: ${field} absent`).toBe(false);
  }
  for (const [field, value] of Object.entries(f.ints ?? {})) expect(m.getInt(field), `${label}: ${field}`).toBe(value);
  for (const [field, value] of Object.entries(f.bigints ?? {})) {
    expect(m.getBigInt(field), `${label}: ${field}`).toBe(BigInt(value));
  }
}

/** `m`, decoded from `payload`, is exactly what `f` lists, with bodies as views of `payload`. */
function expectDecoded(m: Message, f: Valid, payload: Uint8Array, label: string): void {
  expect(contentOf(m), label).toEqual(expectedContent(f, m));
  expectExtras(m, f, label);
  expect(m.getData().buffer, `${label}: body is a view`).toBe(payload.buffer);
  for (const r of m.records()) {
    expect(r.getTopic(), `${label}: records inherit nothing`).toBeUndefined();
    expect(r.getData().buffer, `${label}: record body is a view`).toBe(payload.buffer);
  }
}

/** `err` is a StreamException of `p` with a code, an offset within `length` and a readable message. */
function expectStreamError(err: unknown, p: HeaderProtocol, length: number, label: string): StreamException {
  expect(err, label).toBeInstanceOf(StreamException);
  expect(err, label).toBeInstanceOf(AMPSException);
  const e = err as StreamException;
  expect(e.code, label).toMatch(/^AMPS_[A-Z_]+$/);
  expect(e.protocol, label).toBe(p.errorName);
  expect(Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= length, `${label}: offset ${e.offset}`).toBe(true);
  expect(e.message.startsWith(`${p.errorName}: `) && e.message.endsWith(` at byte ${e.offset}`), e.message).toBe(true);
  if (p.saysExpected) expect(e.message, label).toContain('expected');
  return e;
}

/** The error `run` throws; fails the test when it throws nothing. */
function thrownBy(run: () => unknown, label: string): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return expect.fail(`${label}: expected an exception`);
}

const CANARIES = [0xa5, 0x5a] as const;

/**
 * encodeInto at a nonzero offset writes `encoded` and returns its length, whether the target holds
 * just that much or far more, and touches no byte outside; one byte short, it throws and writes nothing.
 */
function expectEncodeInto(protocol: Protocol, m: Message, encoded: Uint8Array, label: string): void {
  const n = encoded.length;
  // 8 bytes per encoded byte is more than any encoder's bound, so the roomy target is written directly.
  for (const [offset, tail] of [
    [1, 0],
    [7, 8 * n + 64],
  ] as const) {
    for (const canary of CANARIES) {
      const target = new Uint8Array(offset + n + tail).fill(canary);
      const at = `${label}: encodeInto at ${offset} with ${tail} bytes spare`;
      expect(protocol.encodeInto(m, target, offset), at).toBe(n);
      expect(target.subarray(offset, offset + n), at).toEqual(encoded);
      expect(target.subarray(0, offset), `${at}: before`).toEqual(new Uint8Array(offset).fill(canary));
      expect(target.subarray(offset + n), `${at}: after`).toEqual(new Uint8Array(tail).fill(canary));
    }
  }
  const short = new Uint8Array(3 + n - 1).fill(CANARIES[0]);
  const err = thrownBy(() => protocol.encodeInto(m, short, 3), `${label}: encodeInto one byte short`);
  expect(err, label).toBeInstanceOf(CommandException);
  expect({ code: (err as CommandException).code, needed: (err as CommandException).needed }).toEqual({
    code: 'AMPS_BUFFER_TOO_SMALL',
    needed: n,
  });
  expect(short, `${label}: a failed encodeInto writes nothing`).toEqual(new Uint8Array(3 + n - 1).fill(CANARIES[0]));
}

/** `prefix` is an ordered prefix of `whole`. */
function expectFieldPrefix(prefix: Fields, whole: Fields, label: string): void {
  expect(prefix, label).toEqual(whole.slice(0, prefix.length));
}

interface CutCase {
  protocol: Protocol;
  p: HeaderProtocol;
  payload: Uint8Array;
  whole: Message;
  /** The offset after the first header; -1 if none. */
  headerEnd: number;
  /** Whether the body of this message runs to the end of the payload. */
  bodyRunsToEnd: boolean;
}

/**
 * The prefix of `c.payload` cut at `cut` throws a StreamException, or is one of the messages the
 * wire format makes of it:
 * - a SOW batch cut right after its outer header: a sow query without records;
 * - a body running to the end: the header so far (a tag=value header that continues after its
 *   separator may have lost fields) with the body cut at `cut`;
 * - the whole message again, where only an optional last byte was cut (a batch's last separator,
 *   whitespace after an envelope): a batch's outer body, the raw records, is one byte shorter.
 */
function expectCut(c: CutCase, cut: number): void {
  const label = `cut at ${cut}`;
  const bytes = c.payload.subarray(0, cut);
  let decoded: Message;
  try {
    decoded = c.protocol.decode(bytes);
  } catch (err) {
    expectStreamError(err, c.p, cut, label);
    return;
  }
  const whole = contentOf(c.whole);
  const content = contentOf(decoded);
  if (whole.records.length > 0 && cut === c.headerEnd) {
    expect({ records: content.records, body: content.body }, `${label}: a sow query`).toEqual({
      records: [],
      body: '',
    });
    expectFieldPrefix(content.fields, whole.fields, label);
    return;
  }
  if (c.bodyRunsToEnd && cut >= c.headerEnd) {
    expect(content.records, label).toEqual([]);
    expectFieldPrefix(content.fields, whole.fields, label);
    const start = bodyOffset(decoded, bytes);
    expect(decoded.getData(), `${label}: the body runs to the cut`).toEqual(bytes.subarray(start));
    expect(start, label).toBeGreaterThanOrEqual(c.headerEnd);
    if (content.fields.length === whole.fields.length) expect(start, label).toBe(bodyOffset(c.whole, c.payload));
    return;
  }
  if (whole.records.length > 0) {
    expect(whole.body.startsWith(content.body), `${label}: outer body is a prefix`).toBe(true);
    content.body = whole.body;
  }
  expect(content, `${label} decoded`).toEqual(whole);
}

/** A fixture other cases decode into the shared Message first, to see that nothing stays. */
interface Preload {
  label: string;
  fill(m: Message): void;
  unknownKeys: string[];
}

function weight(f: Valid): { fields: number; records: number; unknown: number } {
  const records = f.records ?? [];
  return {
    fields: Object.keys(f.fields).length,
    records: records.length + records.reduce((n, r) => n + Object.keys(r.fields).length, 0),
    unknown: Object.keys(f.unknown ?? {}).length,
  };
}

/** For every protocol: its fixture with the most fields, the most records and the most unknown keys. */
function preloads(): Preload[] {
  const out: Preload[] = [];
  for (const [folder, p] of Object.entries(PROTOCOLS)) {
    const cases = loadFixtures<Valid>(folder, 'valid');
    for (const measure of ['fields', 'records', 'unknown'] as const) {
      let best: { name: string; fixture: Valid } | undefined;
      for (const c of cases) {
        if (best === undefined || weight(c.fixture)[measure] > weight(best.fixture)[measure]) best = c;
      }
      if (best === undefined || weight(best.fixture)[measure] === 0) continue;
      const { name, fixture } = best;
      const payload = utf8(fixture.payload);
      const protocol = p.make(fixture.options);
      out.push({
        label: `${folder}/${name}`,
        fill: (m) => void protocol.decode(payload, m),
        unknownKeys: Object.keys(fixture.unknown ?? {}),
      });
    }
  }
  out.push({
    label: 'values set by setters',
    fill: (m) => void m.setTopic('old').setCommandId('1').setSowKey('k').setData('old body'),
    unknownKeys: [],
  });
  return out;
}

/** decode, reuse, encode and cuts for one valid case (mqtt-packet's testParseGenerate). */
function testParseGenerate(
  p: HeaderProtocol,
  name: string,
  f: Valid,
  reused: Message,
  before: readonly Preload[],
): void {
  const protocol = p.make(f.options);

  it(`${name}: decodes to exactly its fields, body and records`, () => {
    const payload = utf8(f.payload);
    expectDecoded(protocol.decode(payload), f, payload, 'decode');
    for (const other of p.sameCodec) expectDecoded(other.decode(payload), f, payload, `${other.name}.decode`);
  });

  it(`${name}: decodes the same into a reused Message, whatever it held`, () => {
    const payload = utf8(f.payload);
    const fresh = protocol.decode(payload);
    const freshEncoded = protocol.encode(fresh);
    // First with whatever the previous case left, then after each preload.
    for (const { label, fill, unknownKeys } of [
      { label: 'the previous case', fill: () => {}, unknownKeys: [] },
      ...before,
    ]) {
      fill(reused);
      const at = `after ${label}`;
      expect(protocol.decode(payload, reused), at).toBe(reused);
      expectDecoded(reused, f, payload, at);
      expect(contentOf(reused), at).toEqual(contentOf(fresh));
      expect(reused.toObject(), at).toEqual(fresh.toObject());
      expect(protocol.encode(reused), at).toEqual(freshEncoded);
      for (const key of unknownKeys)
        if (f.unknown?.[key] === undefined) expect(reused.has(key), `${at}: ${key}`).toBe(false);
    }
  });

  it(`${name}: encode, encodeInto and encodeFrame agree${f.encoded === undefined ? '' : ' on the fixture bytes'}, and decode back`, () => {
    const m = protocol.decode(utf8(f.payload));
    const encoded = protocol.encode(m);
    if (f.encoded !== undefined) {
      expect(text(encoded)).toBe(f.encoded);
      expect(encoded).toEqual(utf8(f.encoded));
    }
    const again = protocol.decode(encoded);
    const content = contentOf(m);
    expect(contentOf(again), 'decode(encode(m))').toEqual({
      fields: p.encodedOrder(content.fields),
      body: content.body,
      records: content.records.map((r) => ({ fields: p.encodedOrder(r.fields), body: r.body })),
    });
    expectExtras(again, f, 'decode(encode(m))');
    // The encoding is canonical: encoding it again changes nothing.
    expect(protocol.encode(again), 'encode(decode(encode(m)))').toEqual(encoded);
    expectEncodeInto(protocol, m, encoded, 'encodeInto');
    const frame = protocol.encodeFrame(m);
    expect(new DataView(frame.buffer, frame.byteOffset).getUint32(0)).toBe(encoded.length);
    expect(frame.subarray(4)).toEqual(encoded);
    for (const other of p.sameCodec) {
      expect(other.encode(m), `${other.name}.encode`).toEqual(encoded);
      expect(contentOf(other.decode(encoded)), `${other.name}.decode(encode(m))`).toEqual(contentOf(again));
    }
  });

  const undetectable = f.truncationUndetectable === undefined ? '' : ` (${f.truncationUndetectable})`;
  it(`${name}: every cut of the payload throws a StreamException or is a message the format allows${undetectable}`, () => {
    const payload = utf8(f.payload);
    const whole = protocol.decode(payload);
    const c: CutCase = {
      protocol,
      p,
      payload,
      whole,
      headerEnd: p.headerEnd(payload, whole, f.options),
      bodyRunsToEnd: f.truncationUndetectable !== undefined || (p.bodyRunsToEnd && [...whole.records()].length === 0),
    };
    for (let cut = 0; cut < payload.length; cut++) expectCut(c, cut);
  });
}

/** The exact error of one invalid case (mqtt-packet's testParseError). */
function testParseError(p: HeaderProtocol, name: string, f: Invalid, reused: Message, after: Preload): void {
  const where = f.message === undefined ? `at ${f.offset}` : `at ${f.offset} (${f.message})`;
  it(`${name} → ${f.code} ${where}${f.description === undefined ? '' : `: ${f.description}`}`, () => {
    const protocol = p.make(f.options);
    const payload = utf8(f.payload);
    const expected = { code: f.code, offset: f.offset, protocol: p.errorName };
    const err = expectStreamError(
      thrownBy(() => protocol.decode(payload), 'decode'),
      p,
      payload.length,
      'decode',
    );
    expect({ code: err.code, offset: err.offset, protocol: err.protocol }).toEqual(expected);
    if (f.message !== undefined) expect(err.message).toBe(f.message);
    // The same into the reused Message, which stays usable afterwards.
    const intoErr = thrownBy(() => protocol.decode(payload, reused), 'decode into');
    expect(intoErr, 'decode into a reused Message').toBeInstanceOf(StreamException);
    const e = intoErr as StreamException;
    expect({ code: e.code, offset: e.offset, protocol: e.protocol, message: e.message }).toEqual({
      ...expected,
      message: err.message,
    });
    const fresh = new Message();
    after.fill(fresh);
    after.fill(reused);
    expect(contentOf(reused), `${after.label} after the failure`).toEqual(contentOf(fresh));
  });
}

/** Runs every valid and invalid fixture of `folder` through the driver. */
export function describeHeaderFixtures(folder: HeaderFolder): void {
  const p = PROTOCOLS[folder];
  // One Message for the whole run: every case decodes into it after the ones before.
  const reused = new Message();
  const before = preloads();
  describe(`${folder} fixtures: valid`, () => {
    for (const { name, fixture } of loadFixtures<Valid>(folder, 'valid')) {
      testParseGenerate(p, name, fixture, reused, before);
    }
  });
  describe(`${folder} fixtures: invalid`, () => {
    for (const { name, fixture } of loadFixtures<Invalid>(folder, 'invalid')) {
      testParseError(p, name, fixture, reused, before[0]!);
    }
  });
}
