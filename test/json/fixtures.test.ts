import { describe, expect, it } from 'vitest';
import { AMPSException, FIELDS, type Message, StreamException, amps, json } from '../../src/index.js';
import { expectFixtureExtras, loadFixtures, text, utf8, type InvalidCase, type ValidCase } from '../helpers/fixtures.js';

function fieldsOf(m: Message): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of m.fields()) out[FIELDS[id]!.name] = m.get(id)!;
  return out;
}

describe('amps/json fixtures: valid', () => {
  for (const { name, fixture: f } of loadFixtures<ValidCase>('json', 'valid')) {
    it(`${name}: ${f.description}`, () => {
      const payload = utf8(f.payload);
      const m = amps.decode(payload);
      expect(fieldsOf(m)).toEqual(f.fields);
      if (f.body !== undefined) expect(text(m.getData())).toBe(f.body);
      expect([...m.records()].map((r) => ({ fields: fieldsOf(r), body: text(r.getData()) }))).toEqual(f.records ?? []);
      expectFixtureExtras(m, f);
      // The body is a view of the payload, not a copy.
      expect(m.getData().buffer).toBe(payload.buffer);
      const encoded = amps.encode(m);
      if (f.encoded !== undefined) expect(text(encoded)).toBe(f.encoded);
      const again = json.decode(encoded);
      expect(fieldsOf(again)).toEqual(f.fields);
      expect(text(again.getData())).toBe(text(m.getData()));
    });
  }
});

describe('amps/json fixtures: invalid', () => {
  for (const { name, fixture: f } of loadFixtures<InvalidCase>('json', 'invalid')) {
    it(`${name} → ${f.code} at ${f.offset}`, () => {
      let caught: unknown;
      try {
        amps.decode(utf8(f.payload));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(StreamException);
      const err = caught as StreamException;
      expect(err).toBeInstanceOf(AMPSException);
      expect({ code: err.code, offset: err.offset, protocol: err.protocol }).toEqual({ code: f.code, offset: f.offset, protocol: 'amps' });
    });
  }
});
