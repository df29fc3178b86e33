// One driver for the fixtures of the legacy header protocols (test/fixtures/{fix,nvfix,xml}):
// each valid case is decoded and checked field by field, encoded (to the exact bytes where the
// fixture gives them) and decoded again, and cut at every byte; each invalid case must throw
// the StreamException it names, at the offset it names.
import { describe, expect, it } from 'vitest';
import { AMPSException, FIELDS, Message, StreamException, type Protocol } from '../../src/index.js';
import { expectFixtureExtras, loadFixtures, text, utf8, type InvalidCase as Invalid, type ValidCase as Fixture } from '../helpers/fixtures.js';

export interface SeparatorOptions {
  fieldSeparator?: string;
  headerSeparator?: string;
}

type ValidCase = Fixture<SeparatorOptions>;
type InvalidCase = Invalid<SeparatorOptions>;

/** Field name → value, in the order the message holds them. */
export function orderedFields(m: Message): [string, string][] {
  return [...m.fields()].map((id) => [FIELDS[id]!.name, m.get(id)!]);
}

/** The same content with Command moved first, as every encoder writes it. */
export function commandFirst(content: ReturnType<typeof contentOf>): ReturnType<typeof contentOf> {
  const command = content.fields.filter(([name]) => name === 'Command');
  return { ...content, fields: [...command, ...content.fields.filter(([name]) => name !== 'Command')] };
}

/** Everything a decoded message says: fields in order, body, and records. */
export function contentOf(m: Message): { fields: [string, string][]; body: string; records: { fields: [string, string][]; body: string }[] } {
  return {
    fields: orderedFields(m),
    body: text(m.getData()),
    records: [...m.records()].map((r) => ({ fields: orderedFields(r), body: text(r.getData()) })),
  };
}

function expectContent(m: Message, f: ValidCase): void {
  expect(orderedFields(m)).toEqual(Object.entries(f.fields));
  if (f.body !== undefined) expect(text(m.getData())).toBe(f.body);
  expect([...m.records()].map((r) => ({ fields: Object.fromEntries(orderedFields(r)), body: text(r.getData()) }))).toEqual(f.records ?? []);
  for (const r of m.records()) expect(r.getTopic()).toBeUndefined();
}

/** Where the first header of `payload` ends in `protocol` (the header separator, or `</...Header>`). */
function firstHeaderEnd(folder: string, payload: Uint8Array, options: SeparatorOptions | undefined): number {
  if (folder === 'xml') return payload.length;
  const hs = (options?.headerSeparator ?? '\x02').charCodeAt(0);
  return payload.indexOf(hs);
}

/** Runs the valid and invalid fixtures of `folder`, decoding with `make(options)`. */
export function runHeaderFixtures(folder: 'fix' | 'nvfix' | 'xml', make: (options?: SeparatorOptions) => Protocol): void {
  describe(`${folder} fixtures: valid`, () => {
    for (const { name, fixture: f } of loadFixtures<ValidCase>(folder, 'valid')) {
      it(`${name}: ${f.description}`, () => {
        const protocol = make(f.options);
        const payload = utf8(f.payload);
        const m = protocol.decode(payload);
        expectContent(m, f);
        expectFixtureExtras(m, f);
        // Bodies are views of the payload, not copies.
        expect(m.getData().buffer).toBe(payload.buffer);
        for (const r of m.records()) expect(r.getData().buffer).toBe(payload.buffer);

        // Decoding into a used Message gives the same result.
        const used = new Message().setTopic('old').setCommandId('1').setData('old body');
        expect(contentOf(protocol.decode(payload, used))).toEqual(contentOf(m));

        const encoded = protocol.encode(m);
        if (f.encoded !== undefined) expect(text(encoded)).toBe(f.encoded);
        const again = protocol.decode(encoded);
        expect(contentOf(again)).toEqual(commandFirst(contentOf(m)));
        for (const [key, value] of Object.entries(f.unknown ?? {})) expect(again.get(key)).toBe(value);

        const frame = protocol.encodeFrame(m);
        expect(new DataView(frame.buffer, frame.byteOffset).getUint32(0)).toBe(encoded.length);
        expect(frame.subarray(4)).toEqual(encoded);
        const target = new Uint8Array(encoded.length + 7).fill(0xee);
        expect(protocol.encodeInto(m, target, 5)).toBe(encoded.length);
        expect(target.subarray(5, 5 + encoded.length)).toEqual(encoded);
      });

      it(`${name}: every cut of the payload throws an AMPSException or decodes to the same message`, () => {
        const protocol = make(f.options);
        const payload = utf8(f.payload);
        const whole = contentOf(protocol.decode(payload));
        const headerEnd = firstHeaderEnd(folder, payload, f.options);
        // Where the body runs to the end, only cuts inside the first header are detectable.
        const detectable = f.truncationUndetectable === undefined ? payload.length : headerEnd;
        for (let cut = 0; cut < detectable; cut++) {
          let decoded: Message | undefined;
          try {
            decoded = protocol.decode(payload.subarray(0, cut));
          } catch (err) {
            expect(err, `cut at ${cut}`).toBeInstanceOf(AMPSException);
            continue;
          }
          const content = contentOf(decoded);
          if (cut === headerEnd + 1 && whole.records.length > 0) {
            // Exactly the outer header of a SOW batch: a sow query without records is legal.
            expect(content.records, `cut at ${cut} decoded`).toEqual([]);
            expect(content.body).toBe('');
            expect(whole.fields.slice(0, content.fields.length)).toEqual(content.fields);
            continue;
          }
          // A batch's outer body is the raw records region: without the last record's optional
          // separator it is one byte shorter, with the same records.
          if (whole.records.length > 0) content.body = whole.body;
          expect(content, `cut at ${cut} decoded`).toEqual(whole);
        }
      });
    }
  });

  describe(`${folder} fixtures: invalid`, () => {
    for (const { name, fixture: f } of loadFixtures<InvalidCase>(folder, 'invalid')) {
      it(`${name} → ${f.code} at ${f.offset}: ${f.description}`, () => {
        let caught: unknown;
        try {
          make(f.options).decode(utf8(f.payload));
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(StreamException);
        const err = caught as StreamException;
        expect({ code: err.code, offset: err.offset, protocol: err.protocol }).toEqual({ code: f.code, offset: f.offset, protocol: folder });
        expect(err.message).toContain('expected');
      });
    }
  });
}
