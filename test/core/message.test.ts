import { describe, expect, it } from 'vitest';
import { CommandException, Field, Message, StreamException, amps } from '../../src/index.js';
import { text, utf8 } from '../helpers/fixtures.js';

const delivery = utf8(
  '{"c":"p","t":"orders","sub_id":"s1","s":18446744073709551615,"e":"12","bm":"a\\"b","filter":""}{"id":1}',
);

describe('Message as a decoded view', () => {
  it('reads values lazily and caches the strings', () => {
    const m = amps.decode(delivery);
    expect(m.get('Topic')).toBe('orders');
    expect(m.get(Field.Topic)).toBe(m.getTopic());
    expect(m.get('Bookmark')).toBe('a"b');
    expect(m.getFilter()).toBe('');
    expect(m.has('Filter')).toBe(true);
    expect(m.get('Reason')).toBeUndefined();
    expect(m.has('Reason')).toBe(false);
    expect(m.getCommand()).toBe('publish');
  });

  it('keeps a leading U+FEFF in a value', () => {
    const long = '\ufeff' + 'x'.repeat(60);
    const m = amps.decode(utf8(`{"t":"\ufeffa","k":"${long}"}`));
    expect(m.getTopic()).toBe('\ufeffa');
    expect(m.getSowKey()).toBe(long);
  });

  it('gives zero-copy views of plain values and the body', () => {
    const m = amps.decode(delivery);
    const topic = m.getBytes('Topic')!;
    expect(text(topic)).toBe('orders');
    expect(topic.buffer).toBe(delivery.buffer);
    expect(topic.byteOffset).toBe(delivery.indexOf(0x6f)); // the 'o' of orders
    expect(m.getData().buffer).toBe(delivery.buffer);
    expect(text(m.getData())).toBe('{"id":1}');
    expect(m.dataLength).toBe(8);
    // An escaped value cannot be a view: it is unescaped into new bytes.
    const bm = m.getBytes('Bookmark')!;
    expect(text(bm)).toBe('a"b');
    expect(bm.buffer).not.toBe(delivery.buffer);
    // Command "p" reads as publish in bytes too.
    expect(text(m.getBytes('Command')!)).toBe('publish');
  });

  it('reads integers exactly or refuses', () => {
    const m = amps.decode(delivery);
    expect(m.getSequence()).toBe(18446744073709551615n);
    expect(m.getBigInt('Expiration')).toBe(12n);
    expect(m.getInt('Expiration')).toBe(12);
    expect(() => m.getInt('Sequence')).toThrow(StreamException);
    try {
      m.getInt('Sequence');
    } catch (err) {
      expect((err as StreamException).code).toBe('AMPS_BAD_INTEGER');
      expect((err as StreamException).offset).toBe(text(delivery).indexOf('18446744073709551615'));
    }
    for (const bad of ['-1', '1.5', '1e3', '', ' 1', '0x10', '+2']) {
      const n = new Message().set('Expiration', bad);
      expect(() => n.getInt('Expiration'), bad).toThrow(StreamException);
      expect(() => n.getBigInt('Expiration'), bad).toThrow(StreamException);
    }
    expect(new Message().set('Expiration', '9007199254740991').getInt('Expiration')).toBe(9007199254740991);
    expect(() => new Message().set('Expiration', '9007199254740992').getInt('Expiration')).toThrow(/2\^53/);
    expect(new Message().getInt('Expiration')).toBeUndefined();
    expect(new Message().getSequence()).toBeUndefined();
  });

  it('lists fields in wire order and converts to a plain object', () => {
    const m = amps.decode(delivery);
    expect([...m.fields()]).toEqual([
      Field.Command,
      Field.Topic,
      Field.SubscriptionId,
      Field.Sequence,
      Field.Expiration,
      Field.Bookmark,
      Field.Filter,
    ]);
    expect(m.toObject()).toEqual({
      Command: 'publish',
      Topic: 'orders',
      SubscriptionId: 's1',
      Sequence: '18446744073709551615',
      Expiration: '12',
      Bookmark: 'a"b',
      Filter: '',
      data: utf8('{"id":1}'),
    });
  });

  it('copy() detaches from the payload', () => {
    const payload = utf8('{"c":"sow","bs":1}{"k":"1","l":2}ab');
    const m = amps.decode(payload);
    const c = m.copy();
    payload.fill(0x20);
    expect(c.getCommand()).toBe('sow');
    expect(text(c.getData())).toBe('{"k":"1","l":2}ab');
    const [record] = [...c.records()];
    expect(record!.getSowKey()).toBe('1');
    expect(text(record!.getData())).toBe('ab');
    expect(record!.getTopic()).toBeUndefined();
  });

  it('decodes into a reused Message, forgetting the previous one', () => {
    const reused = new Message();
    amps.decode(utf8('{"c":"p","t":"a","cid":"1"}x'), reused);
    expect(reused.get('Topic')).toBe('a');
    const m = amps.decode(utf8('{"t":"b"}'), reused);
    expect(m).toBe(reused);
    expect(m.toObject()).toEqual({ Topic: 'b', data: new Uint8Array(0) });
  });
});

describe('Message as a builder', () => {
  it('sets, replaces and clears fields, keeping first-set order', () => {
    const m = new Message().setTopic('a').setCommandId(1).set('Sequence', 5n).set('SendEmpty', true);
    expect(m.toObject()).toEqual({
      Topic: 'a',
      CommandId: '1',
      Sequence: '5',
      SendEmpty: 'true',
      data: new Uint8Array(0),
    });
    m.setTopic('b').setCommandId(undefined);
    expect([...m.fields()]).toEqual([Field.Topic, Field.Sequence, Field.SendEmpty]);
    expect(m.getTopic()).toBe('b');
    m.set('TopNRecordsReturned', 3).setTransmissionTime('20240101T000000');
    expect(m.get('TopN')).toBe('3');
    expect(m.getTimestamp()).toBe('20240101T000000');
    m.clear();
    expect([...m.fields()]).toEqual([]);
  });

  it('keeps bytes given to setData by reference and encodes strings as UTF-8', () => {
    const body = utf8('xyz');
    expect(new Message().setData(body).getData()).toBe(body);
    expect(new Message().setData('é').getData()).toEqual(new Uint8Array([0xc3, 0xa9]));
  });

  it('edits a decoded message and re-encodes it', () => {
    const m = amps.decode(utf8('{"c":"p","t":"orders","s":1,"k":"x"}{"a":1}'));
    m.setTopic('orders.v2');
    expect(text(amps.encode(m))).toBe('{"c":"p","t":"orders.v2","s":1,"k":"x"}{"a":1}');
  });

  it('refuses unknown field names and values that are not numbers', () => {
    expect(() => new Message().set('Nope', 'x')).toThrow(CommandException);
    expect(() => new Message().set('Topic', Number.NaN)).toThrow(CommandException);
    try {
      new Message().set('Nope', 'x');
    } catch (err) {
      expect((err as CommandException).code).toBe('AMPS_UNKNOWN_FIELD');
    }
  });
});
