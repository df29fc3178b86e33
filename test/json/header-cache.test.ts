// The encoder keeps the header of a message it encodes again, copies it while unchanged and
// patches in values set since; any change must show at once, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Command, CommandException, FIELDS, Message, amps, fix, nvfix, xml } from '../../src/index.js';
import { fieldValue } from '../helpers/arbitraries.js';
import { text, utf8 } from '../helpers/fixtures.js';

describe('amps/json header cache', () => {
  it('re-encodes an unchanged header identically and picks up every change', () => {
    const edit = fc
      .constantFrom(...FIELDS)
      .chain((f) => fc.tuple(fc.constant(f), fc.option(fieldValue(f), { nil: undefined })));
    fc.assert(
      fc.property(fc.array(fc.tuple(edit, fc.nat(3), fc.string({ maxLength: 8 })), { maxLength: 12 }), (steps) => {
        const cached = new Command('publish').setTopic('orders');
        const target = new Uint8Array(4096);
        for (const [[field, value], repeats, body] of steps) {
          cached.set(field.id, value).setData(body);
          // A fresh message with the same fields is never cached: the reference output.
          const fresh = amps.decode(amps.encode(cached)).copy();
          fresh.setData(body);
          const expected = text(amps.encode(fresh));
          for (let r = 0; r <= repeats; r++) {
            expect(text(amps.encode(cached))).toBe(expected);
            const n = amps.encodeInto(cached, target, 0);
            expect(text(target.subarray(0, n))).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is dropped when a decoded message is decoded into again', () => {
    const m = amps.decode(utf8('{"c":"p","t":"a"}x'));
    amps.encode(m);
    amps.encode(m);
    expect(text(amps.encode(m))).toBe('{"c":"p","t":"a"}x');
    amps.decode(utf8('{"c":"p","t":"b"}y'), m);
    expect(text(amps.encode(m))).toBe('{"c":"p","t":"b"}y');
  });

  it('patches a value set to one of the same width, and writes the header again for any other', () => {
    const c = new Command('publish').setTopic('orders').setCommandId('1000').setAckType('processed').setData('{}');
    const target = new Uint8Array(256);
    const encoded = () => text(target.subarray(0, amps.encodeInto(c, target, 0)));
    encoded();
    encoded();
    // Same width as ASCII, but an escape or a character beyond ASCII makes them longer.
    for (const cid of ['1001', '99', '1002', 'é234', 'éé', 'ab"c', 'a\u0001', '😀😀', '1003', '\\\\\\\\', '1004']) {
      c.setCommandId(cid);
      const expected = `{"c":"publish","t":"orders","cid":${JSON.stringify(cid)},"a":"processed"}{}`;
      expect(encoded(), cid).toBe(expected);
      expect(text(amps.encode(c)), cid).toBe(expected);
    }
  });

  it('stays right when values keep changing width, escapes and characters beyond ASCII among them', () => {
    const kept = 'abcd';
    const cids = [kept, '12345', 'é23', kept, '123', 'ab"c', kept, '1234567', '😀😀', kept, '1234'];
    const c = new Command('publish').setTopic('orders').setCommandId(kept).setData('{}');
    for (let i = 0; i < 200; i++) {
      const cid = cids[(i * 7) % cids.length]!;
      c.setCommandId(cid);
      expect(text(amps.encode(c)), `step ${i}`).toBe(`{"c":"publish","t":"orders","cid":${JSON.stringify(cid)}}{}`);
    }
  });

  it('patches integer fields, quoting a leading zero, and refuses one that is not an integer', () => {
    const c = new Command('publish').setTopic('t').set('Expiration', '10').setData('x');
    const encoded = () => text(amps.encode(c));
    expect(encoded()).toBe('{"c":"publish","t":"t","e":10}x');
    expect(encoded()).toBe('{"c":"publish","t":"t","e":10}x');
    for (const [value, member] of [
      ['20', '20'],
      ['05', '"05"'],
      ['06', '"06"'],
      ['7', '7'],
      ['30', '30'],
    ]) {
      c.set('Expiration', value);
      expect(encoded(), value).toBe(`{"c":"publish","t":"t","e":${member}}x`);
    }
    // The same width as the 30 kept: refused half way through the patch.
    c.set('Expiration', '4x');
    const err = thrown(() => amps.encode(c));
    expect(err).toBeInstanceOf(CommandException);
    expect((err as CommandException).code).toBe('AMPS_UNENCODABLE');
    c.set('Expiration', '42');
    expect(encoded()).toBe('{"c":"publish","t":"t","e":42}x');
    expect(encoded()).toBe('{"c":"publish","t":"t","e":42}x');
  });

  it('matches a never-encoded copy through any sequence of same-width edits', () => {
    const fields = ['Command', 'CommandId', 'Topic', 'Expiration', 'Sequence', 'SubscriptionId'].map(fieldOf);
    const values = fc.constantFrom('123', '007', 'abc', 'a"b', 'é1', '\n12', '😀', '9', '0', '');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(fields.length - 1), fc.option(values, { nil: undefined, freq: 8 }), fc.nat(2)), {
          maxLength: 30,
        }),
        (steps) => {
          const c = new Command('publish').setTopic('orders').setCommandId('100').setData('{}');
          const target = new Uint8Array(512);
          for (const [k, value, repeats] of steps) {
            c.set(fields[k]!.id, value);
            const expected = outcome(() => amps.encode(c.copy()));
            for (let r = 0; r <= repeats; r++) {
              expect(outcome(() => amps.encode(c))).toBe(expected);
              expect(outcome(() => target.subarray(0, amps.encodeInto(c, target, 0)))).toBe(expected);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps its own copy of the bytes, not a view of the Buffer it wrote into', () => {
    const a = new Command('publish').setTopic('a').setData('x');
    const b = new Command('publish').setTopic('b').setData('y');
    const out = Buffer.alloc(64);
    amps.encodeInto(a, out, 0);
    amps.encodeInto(a, out, 0);
    amps.encodeInto(b, out, 0);
    expect(out.subarray(0, amps.encodeInto(a, out, 0)).toString()).toBe('{"c":"publish","t":"a"}x');
    a.setTopic('c');
    amps.encodeInto(b, out, 0);
    expect(out.subarray(0, amps.encodeInto(a, out, 0)).toString()).toBe('{"c":"publish","t":"c"}x');
  });

  it.each([3, 40])('gives every one of %i publishers taking turns its own header', (count) => {
    const publishers = Array.from({ length: count }, (_, i) =>
      new Command('publish').setTopic(`topic${i}`).setCommandId('1000').setData(`${i}`),
    );
    for (let round = 0; round < 6; round++) {
      for (const [i, p] of publishers.entries()) {
        if ((i + round) % 3 === 0) p.setCommandId(String(1000 + round));
        const expected = `{"c":"publish","t":"topic${i}","cid":"${p.getCommandId()}"}${i}`;
        expect(text(amps.encode(p)), `round ${round}, publisher ${i}`).toBe(expected);
      }
    }
  });

  it('is its own: a message encoded in amps/json encodes in the other protocols as if it never was', () => {
    const c = new Command('publish').setTopic('orders').setCommandId('1').setData('x');
    for (const step of ['keep', 'patch', 'decode']) {
      if (step === 'patch') c.setCommandId('2');
      if (step === 'decode') amps.decode(utf8('{"c":"p","t":"in","cid":"3"}y'), c);
      const json = text(amps.encode(c));
      expect(text(amps.encode(c))).toBe(json);
      for (const protocol of [fix, nvfix, xml]) {
        expect(text(protocol.encode(c)), `${protocol.name} after ${step}`).toBe(text(protocol.encode(c.copy())));
      }
      expect(text(amps.encode(c)), step).toBe(json);
      expect(json, step).toBe(text(amps.encode(c.copy())));
    }
  });

  it('follows a message decoded into after it was encoded, and built again after that', () => {
    const m = new Message().setCommand('publish').setTopic('a').setCommandId('10').setData('x');
    amps.encode(m);
    m.setCommandId('11');
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"a","cid":"11"}x');
    // Same widths as the values kept: decoded values are never patched in.
    amps.decode(utf8('{"c":"publish","t":"b","cid":"12"}y'), m);
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"b","cid":"12"}y');
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"b","cid":"12"}y');
    amps.decode(utf8('{"c":"publish","t":"c","cid":"13"}z'), m);
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"c","cid":"13"}z');
    m.setCommandId('14');
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"c","cid":"14"}z');
    m.clear().setCommand('publish').setTopic('d').setCommandId('15').setData('w');
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"d","cid":"15"}w');
    m.setCommandId('16');
    expect(text(amps.encode(m))).toBe('{"c":"publish","t":"d","cid":"16"}w');
  });

  it('refuses a target too small for a patched header, writing nothing', () => {
    const c = new Command('publish').setTopic('orders').setCommandId('10').setData('x');
    amps.encode(c);
    amps.encode(c);
    c.setCommandId('11');
    const expected = '{"c":"publish","t":"orders","cid":"11"}x';
    const short = new Uint8Array(expected.length - 1).fill(7);
    const err = thrown(() => amps.encodeInto(c, short, 0));
    expect(err).toBeInstanceOf(CommandException);
    expect((err as CommandException).needed).toBe(expected.length);
    expect([...short].every((b) => b === 7)).toBe(true);
    const target = new Uint8Array(expected.length);
    expect(amps.encodeInto(c, target, 0)).toBe(expected.length);
    expect(text(target)).toBe(expected);
  });
});

function fieldOf(name: string) {
  return FIELDS.find((f) => f.name === name)!;
}

/** What `run` throws, or undefined. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** The bytes `run` encodes, as text, or the code of the CommandException it throws. */
function outcome(run: () => Uint8Array): string {
  let bytes: Uint8Array | undefined;
  const err = thrown(() => (bytes = run()));
  if (err instanceof CommandException) return `error ${err.code}`;
  if (err !== undefined) throw err;
  return text(bytes!);
}
