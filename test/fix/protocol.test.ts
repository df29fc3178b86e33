import { describe, expect, it } from 'vitest';
import {
  Command,
  CommandException,
  Message,
  StreamException,
  createFixProtocol,
  createNvfixProtocol,
  fix,
  nvfix,
} from '../../src/index.js';
import { text, utf8 } from '../helpers/fixtures.js';
import { thrown } from '../cross-protocol/legacy-helpers.js';

const wire = '20000=publish\x0120005=orders\x0120001=7\x0120058=12\x01\x0255=IBM\x0154=1\x01';

describe('fix and nvfix protocols', () => {
  it('encode the WIRE.md section 3 example from a built Command', () => {
    const m = new Command('publish')
      .setTopic('orders')
      .setCommandId('7')
      .setMessageLength(12)
      .setData('55=IBM\x0154=1\x01');
    expect(text(fix.encode(m))).toBe(wire);
    expect(text(nvfix.encode(m))).toBe(wire);
    const frame = fix.encodeFrame(m);
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, 0, wire.length]);
  });

  it('read values holding bytes below the separators, and stop at the end of a cut value', () => {
    const m = fix.decode(utf8('20005=a\x00b\x0120009=\x00\x01\x02body'));
    expect(m.getTopic()).toBe('a\u0000b');
    expect(m.getSubscriptionId()).toBe('\u0000');
    expect(text(m.getData())).toBe('body');
    const err = thrown(() => fix.decode(utf8('20005=a\x00b'))) as StreamException;
    expect([err.code, err.offset]).toEqual(['AMPS_TRUNCATED', 9]);
    const digits = thrown(() => fix.decode(utf8('20005'))) as StreamException;
    expect([digits.code, digits.offset]).toEqual(['AMPS_TRUNCATED', 5]);
  });

  it('give zero-copy views of values and body', () => {
    const payload = utf8(wire);
    const m = fix.decode(payload);
    const topic = m.getBytes('Topic')!;
    expect(topic.buffer).toBe(payload.buffer);
    expect(topic.byteOffset).toBe(wire.indexOf('orders'));
    expect(m.getData().byteOffset).toBe(wire.indexOf('55=IBM'));
    expect(m.getInt('MessageLength')).toBe(12);
  });

  it('say what was expected and where', () => {
    const err = thrown(() => fix.decode(utf8('20000=publish\x0120005\x01\x02'))) as StreamException;
    expect(err).toBeInstanceOf(StreamException);
    expect(err.message).toBe("fix: expected a digit or '=' in the tag at byte 19");
    const nv = thrown(() => nvfix.decode(utf8('20000=publish'))) as StreamException;
    expect(nv.message).toBe(
      'nvfix: unexpected end of payload, expected a field or the header separator (0x02) at byte 13',
    );
  });

  it('refuse a MessageLength that does not match the body', () => {
    const m = fix.decode(utf8(wire)).setData('55=MSFT\x01');
    const err = thrown(() => fix.encode(m)) as CommandException;
    expect(err).toBeInstanceOf(CommandException);
    expect(err.code).toBe('AMPS_UNENCODABLE');
    expect(err.message).toContain('MessageLength');
    expect(text(fix.encode(m.setMessageLength(8)))).toBe(
      wire.replace('20058=12', '20058=8').replace('55=IBM\x0154=1\x01', '55=MSFT\x01'),
    );
  });

  it('report the size encodeInto needs when the target is too small', () => {
    const m = fix.decode(utf8(wire));
    const err = thrown(() => fix.encodeInto(m, new Uint8Array(10))) as CommandException;
    expect(err.code).toBe('AMPS_BUFFER_TOO_SMALL');
    expect(err.needed).toBe(wire.length);
  });

  it('bound the number of header fields', () => {
    const small = createFixProtocol({ maxFields: 3 });
    expect(small.decode(utf8('1=a\x012=b\x013=c\x01\x02')).get('3')).toBe('c');
    const err = thrown(() => small.decode(utf8('1=a\x012=b\x013=c\x014=d\x01\x02'))) as StreamException;
    expect([err.code, err.offset]).toEqual(['AMPS_TOO_MANY_FIELDS', 12]);
  });

  it('validate their separators', () => {
    for (const options of [
      { fieldSeparator: '||' },
      { fieldSeparator: '' },
      { headerSeparator: 256 },
      { headerSeparator: -1 },
      { fieldSeparator: '7' },
      { headerSeparator: '=' },
      { fieldSeparator: '|', headerSeparator: '|' },
      { maxFields: 0 },
    ]) {
      expect(() => createFixProtocol(options), JSON.stringify(options)).toThrow(CommandException);
      expect(() => createNvfixProtocol(options), JSON.stringify(options)).toThrow(CommandException);
    }
    const p = createNvfixProtocol({ fieldSeparator: 0x1e, headerSeparator: '\n' });
    expect(p.name).toBe('nvfix');
    expect(text(p.encode(new Command('ack').setCommandId('1')))).toBe('20000=ack\x1e20001=1\x1e\n');
  });

  it('decode records that inherit nothing from the outer header', () => {
    const m = fix.decode(utf8('20000=sow\x0120005=orders\x0120023=1\x01\x0220059=k\x0120058=2\x01\x02{}'));
    const [record] = [...m.records()];
    expect(record!.getTopic()).toBeUndefined();
    expect(record!.getCommand()).toBeUndefined();
    expect(record!.getSowKey()).toBe('k');
    expect(new Message().getData()).toEqual(new Uint8Array(0));
  });
});

describe('fix bodies that look like header fields', () => {
  it('get MessageLength, so a publish body that parses as more header fields stays the body', () => {
    const body = utf8('20058=10\x020000000000');
    const m = new Message().setCommand('publish').setData(body);
    const encoded = fix.encode(m);
    expect(text(encoded)).toBe('20000=publish\x0120058=19\x01\x0220058=10\x020000000000');
    const back = fix.decode(encoded);
    expect(back.getData()).toEqual(body);
    expect(back.getCommand()).toBe('publish');
  });

  it('leave an ordinary body alone', () => {
    const m = new Message().setCommand('publish').setTopic('t').setData('55=IBM\x0154=1\x01');
    expect(text(fix.encode(m))).toBe('20000=publish\x0120005=t\x01\x0255=IBM\x0154=1\x01');
  });
});
