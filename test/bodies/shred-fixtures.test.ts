// One driver for the FIX and NVFIX body fixtures (test/fixtures/bodies/*.json): every way of
// reading a body must agree with the fixture, and every builder must write it back.
import { describe, expect, it } from 'vitest';
import {
  FIXBuilder,
  FIXCursor,
  FIXShredder,
  Message,
  NVFIXBuilder,
  NVFIXCursor,
  NVFIXShredder,
} from '../../src/index.js';
import {
  expectStreamError,
  fixtureBytes,
  loadPairFixtures,
  offsetView,
  text,
  utf8,
  type PairFixture,
} from './helpers.js';

type Key = number | string;

interface Flavour {
  file: 'fix' | 'nvfix';
  protocol: string;
  absentKey: Key;
  shredder(sep?: string): {
    toMap(body: unknown): Map<Key, string>;
    get(body: unknown, key: Key): string | undefined;
    getBytes(body: unknown, key: Key): Uint8Array | undefined;
  };
  /** The fields seen by forEach, keys and values decoded from their positions. */
  visit(sep: string | undefined, body: Uint8Array): [Key, string][];
  /** The fields seen by a cursor. */
  walk(sep: string | undefined, body: Uint8Array): [Key, string][];
  build(sep: string | undefined, fields: [Key, string][]): { text: string; bytes: Uint8Array };
}

const fix: Flavour = {
  file: 'fix',
  protocol: 'fix-body',
  absentKey: 999,
  shredder: (sep) => new FIXShredder(sep) as unknown as ReturnType<Flavour['shredder']>,
  visit(sep, body) {
    const out: [Key, string][] = [];
    new FIXShredder(sep).forEach(body, (tag, vs, ve, bytes) => {
      expect(bytes).toBe(body);
      out.push([tag, text(bytes.subarray(vs, ve))]);
    });
    return out;
  },
  walk(sep, body) {
    const out: [Key, string][] = [];
    const c = new FIXCursor(sep).reset(body);
    while (c.next()) {
      expect(text(body.subarray(c.keyStart, c.keyEnd))).toMatch(/^[0-9]+$/);
      expect(body[c.keyEnd]).toBe(0x3d);
      expect(c.valueStart).toBe(c.keyEnd + 1);
      expect(c.valueBytes()).toEqual(body.subarray(c.valueStart, c.valueEnd));
      out.push([c.tag, c.value()]);
    }
    expect(c.next()).toBe(false);
    return out;
  },
  build(sep, fields) {
    const b = new FIXBuilder(sep);
    for (const [k, v] of fields) expect(b.append(k as number, v)).toBe(b);
    return { text: b.getString(), bytes: b.getBytes() };
  },
};

const nvfix: Flavour = {
  file: 'nvfix',
  protocol: 'nvfix-body',
  absentKey: 'absent',
  shredder: (sep) => new NVFIXShredder(sep) as unknown as ReturnType<Flavour['shredder']>,
  visit(sep, body) {
    const out: [Key, string][] = [];
    new NVFIXShredder(sep).forEach(body, (ks, ke, vs, ve, bytes) => {
      expect(bytes).toBe(body);
      expect(vs).toBe(ke + 1);
      out.push([text(bytes.subarray(ks, ke)), text(bytes.subarray(vs, ve))]);
    });
    return out;
  },
  walk(sep, body) {
    const out: [Key, string][] = [];
    const c = new NVFIXCursor(sep).reset(body);
    while (c.next()) {
      expect(c.tag).toBe(-1);
      // A name is found by its UTF-8 spelling; bytes that are not UTF-8 have none.
      const spelled = utf8(c.key());
      expect(c.keyIs(c.key())).toBe(
        spelled.length === c.keyEnd - c.keyStart && spelled.every((x, i) => body[c.keyStart + i] === x),
      );
      out.push([c.key(), c.value()]);
    }
    return out;
  },
  build(sep, fields) {
    const b = new NVFIXBuilder(sep);
    for (const [k, v] of fields) expect(b.append(k as string, v)).toBe(b);
    return { text: b.getString(), bytes: b.getBytes() };
  },
};

/** The Map a body should shred to: insertion order of first occurrence, last value. */
function expectedMap(f: PairFixture<Key>): Map<Key, string> {
  return new Map(f.map ?? f.fields!);
}

for (const flavour of [fix, nvfix]) {
  const { valid, invalid } = loadPairFixtures<Key>(flavour.file);

  describe(`${flavour.file} body fixtures`, () => {
    it.each(valid.map((f) => [f.name, f] as const))('valid: %s', (_name, f) => {
      const bytes = fixtureBytes(f);
      const map = expectedMap(f);
      const shredder = flavour.shredder(f.separator);

      // toMap over every accepted input shape; Map order is part of the result.
      const inputs: unknown[] = [bytes, offsetView(bytes), new Message().setData(bytes)];
      if (f.body !== undefined) inputs.push(f.body);
      for (const input of inputs) expect([...shredder.toMap(input)]).toEqual([...map]);

      // The zero-allocation paths see the same fields, in body order.
      expect(flavour.visit(f.separator, bytes)).toEqual(f.fields);
      expect(flavour.walk(f.separator, offsetView(bytes))).toEqual(f.fields);

      for (const [key, value] of map) {
        if (typeof key === 'string' && f.bodyHex !== undefined) continue; // no UTF-8 spelling to ask for
        expect(shredder.get(bytes, key)).toBe(value);
        const view = shredder.getBytes(bytes, key)!;
        expect(text(view)).toBe(value);
        expect(view.buffer).toBe(bytes.buffer);
      }
      expect(shredder.get(bytes, flavour.absentKey)).toBeUndefined();
      expect(shredder.getBytes(bytes, flavour.absentKey)).toBeUndefined();

      // Building the decoded fields writes each one as key=value<sep>; it shreds back the same.
      const sep = f.separator ?? '\x01';
      const built = flavour.build(f.separator, f.fields!);
      expect(built.text).toBe(f.fields!.map(([k, v]) => `${k}=${v}${sep}`).join(''));
      expect(built.bytes).toEqual(utf8(built.text));
      expect([...shredder.toMap(built.bytes)]).toEqual([...map]);
    });

    it.each(invalid.map((f) => [f.name, f] as const))('invalid: %s', (_name, f) => {
      const bytes = fixtureBytes(f);
      const shredder = flavour.shredder(f.separator);
      const at = f.offset!;
      for (const input of [bytes, offsetView(bytes)]) {
        expectStreamError(() => shredder.toMap(input), at, flavour.protocol, f.message);
        expectStreamError(() => shredder.get(input, flavour.absentKey), at, flavour.protocol, f.message);
        expectStreamError(() => shredder.getBytes(input, flavour.absentKey), at, flavour.protocol, f.message);
        expectStreamError(() => flavour.visit(f.separator, input), at, flavour.protocol, f.message);
        expectStreamError(() => flavour.walk(f.separator, input), at, flavour.protocol, f.message);
      }
    });
  });
}
